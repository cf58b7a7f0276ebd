"""Pure desk rules: no Textual, no database. Everything here is testable with plain values."""
