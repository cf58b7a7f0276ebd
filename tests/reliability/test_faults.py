"""Fault paths: each gives one clear line, the desk keeps going where it can, nothing is lost."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, text

from repairdesk.errors import StoreError
from repairdesk.services.desk import open_desk
from repairdesk.services.tickets import IntakeForm, get_ticket, list_tickets, register_ticket
from repairdesk.store.tables import SCHEMA_VERSION

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
