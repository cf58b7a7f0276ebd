"""The store itself: pragmas, append-only history, file permissions, schema version guard."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from repairdesk.errors import StoreError
from repairdesk.services import dutylog
from repairdesk.services.tickets import IntakeForm, dispatch_ticket, register_ticket
from repairdesk.store.db import BUSY_TIMEOUT_S, next_in_sequence, open_store
from repairdesk.store.tables import SCHEMA_VERSION


def _ticket(desk):
    from holding import hold_desk

    hold_desk(desk)
    return register_ticket(desk, IntakeForm(room="3-2-1501", caller="王先生",
                                            content="厨房水管漏水"), "李静")


def test_sqlite_pragmas(db_path: Path) -> None:
    store = open_store(str(db_path))
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_S * 1000
    finally:
        store.dispose()


def test_database_file_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "book.sqlite3"
    old = os.umask(0o022)
    try:
        open_store(str(path)).dispose()
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("table", ["ticket_event", "duty_log"])
@pytest.mark.parametrize("op", ["UPDATE {t} SET by = 'x'", "DELETE FROM {t}"])
def test_history_is_append_only(any_desk, table: str, op: str) -> None:
    rec = _ticket(any_desk)
    dispatch_ticket(any_desk, rec.ticket_no, "张建国", "李静")
    with any_desk.store.write() as session:
        dutylog.append(session, site="XF", at=any_desk.now(), kind="clerk", author="李静",
                       text="交接正常")
    column = "author" if table == "duty_log" else "by"
    sql = op.format(t=table).replace("by =", f'"{column}" =')
    with pytest.raises(StoreError) as err:
        with any_desk.store.write() as session:
            session.connection().execute(text(sql))
    assert "append-only" in str(err.value) or "只" in str(err.value)
    with any_desk.store.read() as session:
        assert session.connection().execute(text(f"SELECT count(*) FROM {table}")).scalar() >= 1


def test_counter_is_spent_only_when_the_transaction_commits(any_desk) -> None:
    with pytest.raises(RuntimeError):
        with any_desk.store.write() as session:
            assert next_in_sequence(session, "test-#") == 1
            raise RuntimeError("the ticket insert failed")
    with any_desk.store.write() as session:
        assert next_in_sequence(session, "test-#") == 1
        assert next_in_sequence(session, "test-#") == 2


def test_newer_schema_is_refused(db_url: str) -> None:
    open_store(db_url).dispose()
    store = open_store(db_url)
    with store.write() as session:
        session.connection().execute(
            text("UPDATE meta SET value = :v WHERE key = 'schema_version'"),
            {"v": str(SCHEMA_VERSION + 1)})
    store.dispose()
    with pytest.raises(StoreError) as err:
        open_store(db_url)
    assert str(SCHEMA_VERSION + 1) in str(err.value)
    assert "\n" not in str(err.value)


def test_datetimes_come_back_aware_utc(any_desk) -> None:
    rec = _ticket(any_desk)
    from repairdesk.services.tickets import get_ticket

    again = get_ticket(any_desk, rec.ticket_no)
    assert again.intake.received_at.utcoffset().total_seconds() == 0
    assert again.intake.received_at == any_desk.now()
