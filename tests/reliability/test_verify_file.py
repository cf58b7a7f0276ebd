"""`repairdesk verify` always checks the file (integrity, schema), and refuses a missing, empty
or foreign book instead of making a new empty one and calling it verified."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def _book(cli) -> None:
    from holding import hold_book

    assert cli("staff", "add", "李静", "--role", "clerk").code == 0
    hold_book(cli.db_path)
    for i in range(3):
        r = cli("ticket", "add", "--room", f"3-2-{1500 + i}", "--caller", "王先生",
                "--content", "水管漏水" * 20, "--category", "水", "--by", "李静")
        assert r.code == 0, r.stderr


def test_verify_runs_the_integrity_check_on_the_current_book(cli, db_path: Path):
    _book(cli)
    assert cli("verify").code == 0
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_ticket_registered'"
                       ).fetchone()[0]
    con.close()
    with db_path.open("r+b") as fh:  # an index page damaged on disk; the tables are intact
        fh.seek((root - 1) * page_size)
        fh.write(b"\x0d" + b"\xff" * (page_size - 1))
    r = cli("verify")
    assert r.code == 1, r.stdout
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_verify_refuses_a_missing_or_empty_book_and_creates_nothing(cli, tmp_path: Path):
    missing = tmp_path / "typo.sqlite3"
    r = cli("--db", str(missing), "verify")
    assert r.code == 1 and "Traceback" not in r.stderr
    assert not missing.exists()
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    r = cli("--db", str(empty), "verify")
    assert r.code == 1 and "Traceback" not in r.stderr
    assert empty.stat().st_size == 0
    foreign = tmp_path / "foreign.sqlite3"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE recipes(name TEXT)")
    con.commit()
    con.close()
    r = cli("--db", str(foreign), "verify")
    assert r.code == 1 and "Traceback" not in r.stderr
    con = sqlite3.connect(foreign)
    assert [n for (n,) in con.execute("SELECT name FROM sqlite_master")] == ["recipes"]
    con.close()


def test_a_schema_version_that_is_not_a_number_is_said_so(cli, db_path: Path, tmp_path: Path):
    _book(cli)
    copy = tmp_path / "copy.sqlite3"
    assert cli("backup", "--to", str(copy)).code == 0
    con = sqlite3.connect(copy)
    con.execute("DROP TRIGGER IF EXISTS meta_no_update")
    triggers = [n for (n,) in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'meta'")]
    for name in triggers:
        con.execute(f"DROP TRIGGER {name}")
    con.execute("UPDATE meta SET value = 'abc' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    for args in (("verify", str(copy)), ("restore", str(copy), "--yes"),
                 ("--db", str(copy), "ticket", "list")):
        r = cli(*args)
        assert r.code == 1, args
        assert "Traceback" not in r.stderr and "ValueError" not in r.stderr, r.stderr
        assert "abc" in r.stderr, r.stderr
