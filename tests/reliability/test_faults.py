"""Fault paths: each gives one clear line, the desk keeps going where it can, nothing is lost."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, text

from repairdesk.errors import StoreError
from repairdesk.services.desk import open_desk
from repairdesk.services.tickets import IntakeForm, get_ticket, list_tickets
from repairdesk.services.tickets import register_ticket as _register_ticket
from repairdesk.store.tables import SCHEMA_VERSION


def register_ticket(desk, form, by):
    """Registering needs someone on duty (services/authority.py): 李静 holds the desk first."""
    from holding import hold_desk

    hold_desk(desk, by)
    return _register_ticket(desk, form, by)


FORM = IntakeForm(room="3-2-1501", caller="王先生", content="厨房水管漏水" * 20)


def _one_line(message: str) -> None:
    assert message.strip() and "\n" not in message.strip() and "Traceback" not in message


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[None]:
    """Make the file unwritable even for root (immutable flag), else by mode bits."""
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("chattr +i is not available on this file system")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o400)
        try:
            yield
        finally:
            path.chmod(0o600)


def test_read_only_database_reads_and_refuses_writes(db_path: Path, clock, english) -> None:
    desk = open_desk(str(db_path), clock=clock)
    saved = register_ticket(desk, FORM, "李静").ticket_no
    desk.close()
    with _read_only(db_path):
        desk = open_desk(str(db_path), clock=clock)
        try:
            assert [r.ticket_no for r in list_tickets(desk)] == [saved]  # still usable to read
            with pytest.raises(StoreError) as err:
                register_ticket(desk, FORM, "李静")
            assert "read-only" in str(err.value)
            _one_line(str(err.value))
        finally:
            desk.close()
    desk = open_desk(str(db_path), clock=clock)
    assert len(list_tickets(desk)) == 1
    desk.close()


@contextlib.contextmanager
def _small_disk(where: Path) -> Iterator[Path]:
    where.mkdir()
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(where)],
            capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _fill_until_full(desk) -> tuple[list[str], StoreError]:
    saved: list[str] = []
    for _ in range(5000):
        try:
            saved.append(register_ticket(desk, FORM, "李静").ticket_no)
        except StoreError as exc:
            return saved, exc
    raise AssertionError("the disk never filled up")


def test_disk_full_on_a_small_filesystem(tmp_path: Path, clock, english) -> None:
    with _small_disk(tmp_path / "small") as mnt:
        db = mnt / "desk.sqlite3"
        desk = open_desk(str(db), clock=clock)
        try:
            saved, err = _fill_until_full(desk)
            assert "disk is full" in str(err), str(err)
            _one_line(str(err))
            assert len(saved) > 5
            # everything saved before the disk filled is intact, readable from the same desk
            assert {r.ticket_no for r in list_tickets(desk)} == set(saved)
            # free space (grow the filesystem) and the same desk carries on, without a gap
            subprocess.run(["mount", "-o", "remount,size=8m", str(mnt)], check=True)
            nxt = register_ticket(desk, FORM, "李静").ticket_no
            assert int(nxt.rsplit("-", 1)[1]) == len(saved) + 1
            assert get_ticket(desk, saved[-1]).ticket_no == saved[-1]
        finally:
            desk.close()


def test_disk_full_via_sqlite_page_limit(db_path: Path, clock, english) -> None:
    """The same path without a mount: SQLite reports SQLITE_FULL at max_page_count."""
    desk = open_desk(str(db_path), clock=clock)
    try:
        with desk.store.read() as session:
            pages = session.connection().exec_driver_sql("PRAGMA page_count").scalar()
        desk.store.engine.dispose()

        @event.listens_for(desk.store.engine, "connect")
        def _limit(dbapi_conn, _rec) -> None:
            dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 12}")

        saved, err = _fill_until_full(desk)
        assert "disk is full" in str(err)
        _one_line(str(err))
        assert {r.ticket_no for r in list_tickets(desk)} == set(saved)
    finally:
        desk.close()


def test_newer_schema_refused_by_the_cli(cli, db_path: Path) -> None:
    desk = open_desk(str(db_path))
    with desk.store.write() as session:
        session.connection().execute(text(
            "UPDATE meta SET value = :v WHERE key = 'schema_version'"), {"v": SCHEMA_VERSION + 5})
    desk.close()
    r = cli("ticket", "list", lang="en")
    assert r.code == 1 and "newer" in r.stderr, r.stderr
    _one_line(r.stderr)


@pytest.mark.parametrize("content", [None, "[site\ncode = ", "[site]\ncode = 'no spaces allowed'\n",
                                     "[site]\ntimezone = 'Mars/Olympus'\n", "\x00\x01binary"])
def test_missing_or_invalid_config(cli, tmp_path: Path, content: str | None) -> None:
    path = tmp_path / "config.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    r = cli("--config", str(path), "ticket", "list", lang="en")
    assert r.code == 1, r.stderr
    assert "onfiguration" in r.stderr, r.stderr
    _one_line(r.stderr)


def test_database_path_that_cannot_be_created(cli, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = cli("--db", str(blocker / "sub" / "desk.sqlite3"), "init", lang="en")
    assert r.code == 1 and "Cannot create" in r.stderr, r.stderr
    _one_line(r.stderr)
    r = cli("--db", str(blocker / "sub" / "desk.sqlite3"), "ticket", "list", lang="en")
    assert r.code == 1 and "repairdesk init" in r.stderr, r.stderr
    _one_line(r.stderr)


def test_not_a_database(cli, tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database at all" * 100)
    for command in (("ticket", "list"), ("init",)):
        r = cli("--db", str(junk), *command, lang="en")
        assert r.code == 1 and "not a repairdesk book" in r.stderr, r.stderr
        _one_line(r.stderr)
    assert junk.read_bytes() == b"this is not a database at all" * 100


def test_postgres_server_unreachable(cli) -> None:
    r = cli("--db", "postgresql+psycopg://repairdesk:x@127.0.0.1:1/none", "ticket", "list",
            lang="en")
    assert r.code == 1, r.stderr
    _one_line(r.stderr)
    assert "Cannot reach the database server" in r.stderr


# ------------------------------------------------------------ a read-only filesystem
@contextlib.contextmanager
def _remounted_read_only(mnt: Path) -> Iterator[None]:
    subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
    try:
        yield
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(mnt)], check=True)


def _book_with_tickets(db: Path, clock, n: int = 3) -> list[str]:
    desk = open_desk(str(db), clock=clock)
    try:
        return [register_ticket(desk, FORM, "李静").ticket_no for _ in range(n)]
    finally:
        desk.close()


def test_a_wal_book_on_a_read_only_filesystem_can_be_read(tmp_path: Path, clock, cli) -> None:
    """Reading commands work; a write says read-only in one line; nothing is lost."""
    with _small_disk(tmp_path / "ro") as mnt:
        db = mnt / "desk.sqlite3"
        saved = _book_with_tickets(db, clock)
        env = {"REPAIRDESK_DB": str(db)}
        with _remounted_read_only(mnt):
            r = cli("ticket", "list", env=env, lang="en")
            assert r.code == 0, r.stderr
            assert all(no in r.stdout for no in saved)
            r = cli("verify", env=env, lang="en")
            assert r.code == 0 and "Verified" in r.stdout, r.stdout + r.stderr
            r = cli("report", "month", "2026-11", env=env, lang="en")
            assert r.code == 0, r.stderr
            r = cli("doctor", "--json", env=env, lang="en")
            book = [c for c in json.loads(r.stdout)["checks"] if c["name"] == "book"][0]
            assert book["status"] == "ok", book
            r = cli("ticket", "add", "--room", "3-2-1502", "--caller", "王", "--content", "漏水",
                    "--by", "李静", env=env, lang="en")
            assert r.code == 1 and "read-only" in r.stderr, r.stderr
            _one_line(r.stderr)
            assert sorted(p.name for p in mnt.iterdir()) == ["desk.sqlite3"]
        desk = open_desk(str(db), clock=clock)
        assert [t.ticket_no for t in list_tickets(desk)][::-1] == saved
        desk.close()


_HOLD_WAL = """
import os, sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("PRAGMA wal_autocheckpoint = 0")
con.execute("UPDATE meta SET value = value WHERE key = 'schema_version'")
con.execute("BEGIN IMMEDIATE")
con.execute("INSERT INTO meta(key, value) VALUES ('in-the-wal', 'yes')")
con.execute("COMMIT")
os.kill(os.getpid(), 9)  # no checkpoint on close: the committed row lives only in the -wal
"""


def test_pages_still_in_the_wal_are_read_or_refused_clearly(tmp_path: Path, clock, cli) -> None:
    import sys

    with _small_disk(tmp_path / "ro") as mnt:
        db = mnt / "desk.sqlite3"
        saved = _book_with_tickets(db, clock)
        subprocess.run([sys.executable, "-c", _HOLD_WAL, str(db)], check=False)
        assert Path(f"{db}-wal").stat().st_size > 0
        env = {"REPAIRDESK_DB": str(db)}
        with _remounted_read_only(mnt):
            r = cli("ticket", "list", env=env, lang="en")
            if r.code == 0:  # SQLite read the -wal through the existing -shm
                assert all(no in r.stdout for no in saved)
            else:
                _one_line(r.stderr)
                assert "Traceback" not in r.stderr
        desk = open_desk(str(db), clock=clock)  # writable again: the -wal row is there
        with desk.store.read() as session:
            assert session.connection().exec_driver_sql(
                "SELECT value FROM meta WHERE key = 'in-the-wal'").scalar() == "yes"
        desk.close()


def test_no_room_for_the_shared_memory_file_says_disk_full(tmp_path: Path, clock, cli) -> None:
    """A book closed cleanly on a disk that filled up since: SQLite cannot make its -shm and
    says "disk I/O error"; the clerk reads "disk is full", once, and the book is intact."""
    with _small_disk(tmp_path / "full") as mnt:
        db = mnt / "desk.sqlite3"
        saved = _book_with_tickets(db, clock)
        filler = mnt / "filler"
        fd = os.open(filler, os.O_CREAT | os.O_WRONLY, 0o600)
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        env = {"REPAIRDESK_DB": str(db)}
        for command in (("ticket", "list"), ("verify",), ("report", "month", "2026-11")):
            r = cli(*command, env=env, lang="en")
            assert r.code == 1 and "disk is full" in r.stderr, (command, r.stderr)
            _one_line(r.stderr)
        r = cli("doctor", "--json", env=env, lang="en")
        book = [c for c in json.loads(r.stdout)["checks"] if c["name"] == "book"][0]
        assert book["status"] == "fail" and "disk is full" in book["detail"], book
        filler.unlink()
        desk = open_desk(str(db), clock=clock)
        assert [t.ticket_no for t in list_tickets(desk)][::-1] == saved
        desk.close()
