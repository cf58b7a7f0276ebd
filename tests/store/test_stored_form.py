"""The stored form, guarded (migration 0015): on SQLite a ticket event's action, times and seal
and a ticket's times are integers, and the readers decode the older text forms too — so a row
in the other form would read the same. The book refuses to write one (a desk still running an
older repairdesk while another upgraded the book fails loudly), and `verify` names one already
stored by someone who went round the triggers."""

from __future__ import annotations

import sqlite3

import pytest

from repairdesk.services.tickets import IntakeForm, register_ticket


def _one(staffed) -> str:
    return register_ticket(staffed, IntakeForm(room="3-2-1501", caller="王先生",
                                                content="厨房水管漏水"), "李静").ticket_no


def test_a_row_in_an_older_form_is_refused(staffed, db_path) -> None:
    _one(staffed)
    con = sqlite3.connect(db_path)
    try:
        tid, = con.execute("SELECT id FROM ticket").fetchone()
        insert = ("INSERT INTO ticket_event (ticket_id, seq, at, recorded_at, action, \"by\", "
                  "note, data, seal) VALUES (?, 2, ?, ?, ?, '李静', '', '', ?)")
        good = (tid, 1795312800000000, 0, 1, 7)
        con.execute(insert, good)  # this book's form goes in (then taken back)
        con.rollback()
        older = [
            (tid, 1795312800000000, 0, "dispatch", 7),                    # an action by name
            (tid, "2026-11-22 02:00:00.000000", 0, 1, 7),                 # a time as text
            (tid, 1795312800000000, "2026-11-22 02:00:00.000000", 1, 7),  # a time, not a lag
            (tid, 1795312800000000, 0, 1, 2 ** 40),                       # an 8-byte seal
        ]
        for values in older:
            with pytest.raises(sqlite3.IntegrityError, match="stored form"):
                con.execute(insert, values)
        with pytest.raises(sqlite3.IntegrityError, match="stored form"):
            con.execute("UPDATE ticket SET last_event_at = '2026-11-22 02:00:00.000000'")
        with pytest.raises(sqlite3.IntegrityError, match="stored form"):
            con.execute("UPDATE ticket SET appointment_at = '2026-11-22 02:00:00.000000'")
        con.execute("UPDATE ticket SET appointment_at = NULL")  # no appointment is a form too
        con.rollback()
    finally:
        con.close()


def _around_the_triggers(db_path, *statements: str) -> None:
    """What a hostile colleague with a copy of the book does: save the triggers, drop them, write,
    put them back as they were."""
    con = sqlite3.connect(db_path)
    try:
        saved = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        for name, _sql in saved:
            con.execute(f"DROP TRIGGER {name}")
        for statement in statements:
            con.execute(statement)
        for _name, sql in saved:
            con.execute(sql)
        con.commit()
    finally:
        con.close()


def test_verify_names_an_action_written_back_by_name(staffed, db_path) -> None:
    from repairdesk.services.integrity import verify_book
    from repairdesk.services.tickets import dispatch_ticket

    no = _one(staffed)
    dispatch_ticket(staffed, no, "张建国", "李静")
    assert verify_book(staffed).problem is None
    # the same action, by its name: it reads and hashes as before, the month's SQL misses it
    _around_the_triggers(db_path, "UPDATE ticket_event SET action = 'dispatch' WHERE seq = 2")
    problem = verify_book(staffed).problem or ""
    assert f"工单事件 2（{no} 第 2 步）：存储形式与本台账不符" in problem, problem


def test_verify_names_a_ticket_time_written_back_as_text(staffed, db_path) -> None:
    from repairdesk.services.integrity import verify_book

    no = _one(staffed)
    _around_the_triggers(db_path, "UPDATE ticket SET received_at = strftime('%Y-%m-%d "
                                  "%H:%M:%S', received_at / 1000000, 'unixepoch') || '.000000'")
    problem = verify_book(staffed).problem or ""
    assert f"工单 {no}：时间的存储形式与本台账不符" in problem, problem
