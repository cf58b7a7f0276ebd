"""`repairdesk compact`: give a SQLite book back the room it no longer uses (SQLite's VACUUM).

A book upgraded to schema 11 holds its ticket events in half the bytes (issue 18), but SQLite
does not shrink a file by itself: the upgrade leaves the old rows' room as half-empty pages, and
the file stays as large as before (about twice what the same book needs). VACUUM rewrites it
compactly in one transaction: the records, their ids and the triggers are unchanged, and a
failure leaves the book as it was. It needs the book to itself for a moment, and free disk
room about the size of the book."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..errors import StoreError
from ..i18n import _
from .backup import sqlite_path


@dataclass(frozen=True)
class Compacted:
    path: Path
    before: int  # bytes of the file (with its write-ahead log)
    after: int


def _size(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def compact_book(url: str) -> Compacted:
    """VACUUM the book at `url` (an existing SQLite book the caller has opened and closed, so
    it is a book at this version); refuses with one line when another desk is writing."""
    if not url.startswith("sqlite:///"):
        raise StoreError(_("A PostgreSQL book is compacted on the server (VACUUM FULL); "
                           "nothing was done."))
    path = sqlite_path(url)
    before = _size(path)
    con = sqlite3.connect(path, timeout=2.0, isolation_level=None)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("VACUUM")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.OperationalError as exc:
        msg = str(exc).lower()
        if "locked" in msg or "busy" in msg:
            raise StoreError(_("Another desk is using the book; close the desks and try "
                               "again. Nothing was changed.")) from None
        if "full" in msg:
            raise StoreError(_("Not enough free disk room to compact the book (it needs about "
                               "its own size). Nothing was changed.")) from None
        raise StoreError(_("The book could not be compacted: {error}. Nothing was changed."
                           ).format(error=exc)) from None
    finally:
        con.close()
    return Compacted(path, before, _size(path))
