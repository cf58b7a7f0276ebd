"""Reading a SQLite book nobody can write: a read-only filesystem, a read-only file or folder.

A WAL book opened read-only still wants its shared-memory (-shm) file, which SQLite cannot
create where it may not write, so `mode=ro` alone fails with "unable to open". When the book
cannot be written by anyone here and there is no -wal holding pages not yet copied into the
book, nothing can change under the reader, and SQLite is told so (`immutable=1`: no locks,
no -shm). A -wal with pages keeps `mode=ro`, so what it holds is never skipped."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote


def is_writable(path: Path) -> bool:
    """Can this process change the book: the file and its folder (for -wal, -shm, journals)?"""
    folder = path.parent if str(path.parent) else Path(".")
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)


def _wal_has_pages(path: Path) -> bool:
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


def read_only_uri(path: Path) -> str:
    """A `file:` URI (for sqlite3.connect(..., uri=True)) that reads `path` without writing."""
    uri = f"file:{quote(str(path))}?mode=ro"
    if not is_writable(path) and not _wal_has_pages(path):
        uri += "&immutable=1"
    return uri


def shadow_derived(con: object, tables: tuple[str, ...]) -> None:
    """Give a read-only connection a writable in-memory copy of each table of results the
    readers work out and keep (a month report judges its unjudged tickets and stores the
    outcome): a temporary table of the same name hides the book's one, so the reader's
    INSERT … ON CONFLICT lands there and lasts as long as this connection. Nothing the clerk
    does is kept this way: every other write still fails with "read-only"."""
    cur = con.cursor()  # type: ignore[attr-defined]
    cur.execute("PRAGMA temp_store = MEMORY")  # no temporary files where nothing is writable
    for table in tables:
        info = cur.execute(f"PRAGMA main.table_info({table})").fetchall()
        if not info:
            continue
        key = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
        cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} AS "
                    f"SELECT * FROM main.{table}")
        if key:
            cur.execute(f"CREATE UNIQUE INDEX IF NOT EXISTS temp.{table}_key "
                        f"ON {table}({', '.join(key)})")
    cur.close()
