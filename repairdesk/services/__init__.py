"""Use cases: one function per thing a clerk does. The CLI and the TUI both call these."""
