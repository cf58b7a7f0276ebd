"""Opening the TUI from the CLI (imported only when the desk is opened)."""

from __future__ import annotations

from typing import Any


def open_tui(g: Any) -> None:
    from ..tui.app import run_desk

    run_desk(db=g.db, config=g.config)
