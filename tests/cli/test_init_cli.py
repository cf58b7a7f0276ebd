"""A book is created on purpose (`repairdesk init`, or the desk's first start); every other
command refuses a missing, empty or foreign file with one line and writes nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest


@pytest.mark.parametrize("command", [("ticket", "list"), ("staff", "add", "李静", "--role", "clerk"),
                                     ("log", "add", "测试"), ("sla", "check"), ("signoff", "status")])
def test_a_missing_or_empty_book_is_refused_and_not_created(cli, tmp_path: Path, command):
    typo = tmp_path / "dsek.sqlite3"
    r = cli("--db", str(typo), *command)
    assert r.code == 1 and "repairdesk init" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not typo.exists()
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    r = cli("--db", str(empty), *command)
    assert r.code == 1 and "repairdesk init" in r.stderr
    assert empty.stat().st_size == 0


def test_a_foreign_sqlite_file_gets_no_tables(cli, tmp_path: Path):
    foreign = tmp_path / "accounts.sqlite3"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE invoices(n INTEGER)")
    con.commit()
    con.close()
    for command in (("init",), ("ticket", "list"), ("staff", "list")):
        r = cli("--db", str(foreign), *command)
        assert r.code == 1 and "invoices" in r.stderr, r.stderr
    con = sqlite3.connect(foreign)
    assert [n for (n,) in con.execute("SELECT name FROM sqlite_master")] == ["invoices"]
    con.close()


def test_init_creates_once_and_then_commands_work(cli, tmp_path: Path):
    book = tmp_path / "new.sqlite3"
    r = cli("--db", str(book), "init")
    assert r.code == 0 and str(book) in r.stdout
    assert (book.stat().st_mode & 0o777) == 0o600
    r = cli("--db", str(book), "init")
    assert r.code == 0 and str(book) in r.stdout  # already a book: nothing to do
    assert cli("--db", str(book), "ticket", "list").code == 0
