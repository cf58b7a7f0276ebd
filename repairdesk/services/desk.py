"""Opening the desk: the context every use case needs (`Desk`, in context.py) on a book, with
its triggers checked (book_guard.py)."""

from __future__ import annotations

from ..clock import Clock, SystemClock
from ..config import Config, load_config
from ..store.db import open_store
from .context import Desk

__all__ = ["Desk", "open_desk"]


def open_desk(db: str | None = None, config_path: str | None = None,
              clock: Clock | None = None, config: Config | None = None, *,
              must_exist: bool = False, guard: bool = True) -> Desk:
    """The desk on the book; `must_exist` refuses a missing or empty book instead of creating
    it (the CLI: a typo'd --db must not become a new, empty, "verified" book). With `guard`,
    dropped or planted triggers are put right and logged (book_guard.py); `verify` opens
    without it, so it reports them instead of repairing first."""
    cfg = config or load_config(config_path)
    desk = Desk(store=open_store(db, must_exist=must_exist), config=cfg,
                clock=clock or SystemClock())
    if guard:
        from .book_guard import restore_triggers

        try:
            restore_triggers(desk)
        except BaseException:
            desk.close()
            raise
    return desk
