"""`repairdesk compact`: the room an upgrade or a dropped table leaves is given back, the
records and their checks are unchanged, and a book another desk is writing is left alone with
one line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from repairdesk.errors import StoreError
from repairdesk.services.compact import compact_book


def _bloat(db: Path) -> None:
    """Room the book no longer uses: a scratch table filled and dropped (as the upgrade to
    schema 11 leaves the events' old room behind)."""
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE scratch(x TEXT)")
    con.executemany("INSERT INTO scratch VALUES (?)", [("x" * 2000,)] * 2000)
    con.commit()
    con.execute("DROP TABLE scratch")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def test_compact_gives_the_room_back_and_keeps_every_record(cli) -> None:
    from holding import hold_book

    hold_book(cli.db_path)
    r = cli("ticket", "add", "--room", "3-2-1501", "--caller", "王先生", "--content", "厨房漏水",
            lang="en")
    assert r.code == 0, r.stderr
    db: Path = cli.db_path
    _bloat(db)
    before = db.stat().st_size
    r = cli("compact", lang="en")
    assert r.code == 0, r.stderr
    assert " MB -> " in r.stdout and str(db) in r.stdout
    assert db.stat().st_size < before - 3_000_000
    assert cli("verify", lang="en").code == 0
    listed = cli("ticket", "list", lang="en")
    assert "3-2-1501" in listed.stdout


def test_a_book_another_desk_is_writing_is_left_alone(cli) -> None:
    db: Path = cli.db_path
    cli("staff", "list")  # the book exists
    _bloat(db)
    before = db.stat().st_size
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        r = cli("compact")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert r.code == 1 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "另一" in r.stderr
    assert db.stat().st_size == before


def test_a_postgresql_book_is_compacted_on_the_server(english) -> None:
    with pytest.raises(StoreError, match="VACUUM FULL"):
        compact_book("postgresql+psycopg://u:p@127.0.0.1/x")
