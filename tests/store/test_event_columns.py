"""A ticket event's compact columns on SQLite (issue 18, book size; migration 0013): the action
as its fixed code, `recorded_at` as its lag after `at`, no data as the empty text — read back
as the names, times and data they were, hashed as before, on PostgreSQL stored as before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from repairdesk.domain.enums import Action
from repairdesk.services.integrity import verify_book
from repairdesk.services.tickets import (
    IntakeForm, arrive_ticket, dispatch_ticket, get_ticket, register_ticket,
)
from repairdesk.store.event_lag import sql_recorded_at
from repairdesk.store.tables import TicketEvent


def _book(desk, clock) -> str:
    no = register_ticket(desk, IntakeForm(room="3-2-1501", caller="王先生",
                                          content="厨房水管漏水"), "李静").ticket_no
    clock.advance(minutes=3)
    dispatch_ticket(desk, no, "张建国", "李静")
    clock.advance(minutes=40)
    # entered ten minutes after the technician said he was there
    arrive_ticket(desk, no, "张建国", at=clock.now() - timedelta(minutes=10, microseconds=7))
    return no


def test_events_are_stored_compactly_and_read_back_as_they_were(any_desk, clock) -> None:
    desk = any_desk
    no = _book(desk, clock)
    events = get_ticket(desk, no).events
    assert [e.action for e in events] == [Action.REGISTER, Action.DISPATCH, Action.ARRIVE]
    with desk.store.read() as session:
        rows = list(session.exec(select(TicketEvent).order_by(col(TicketEvent.id))))
        assert [r.action for r in rows] == ["register", "dispatch", "arrive"]
        assert [r.recorded_at - r.at for r in rows] == [
            timedelta(0), timedelta(0), timedelta(minutes=10, microseconds=7)]
        assert rows[2].data == {} and rows[1].data == {"technician": "张建国"}
        conn = session.connection()
        dialect = conn.dialect.name
        stored = conn.execute(text(
            f"SELECT action, recorded_at, data, {sql_recorded_at(dialect)} FROM ticket_event "
            "ORDER BY id")).all()
        # the ORM's filters put the code in
        side = session.exec(select(TicketEvent.seq).where(
            col(TicketEvent.action).in_(["dispatch", "arrive"]))).all()
        assert sorted(side) == [2, 3]
    if dialect == "sqlite":
        assert [tuple(r[:3]) for r in stored] == [
            (0, 0, stored[0][2]), (1, 0, '{"technician":"张建国"}'), (2, 600_000_007, "")]
        assert stored[0][2].startswith('{"intake":[')
        assert [r[3] for r in stored] == [_micros(r.recorded_at) for r in rows]
    else:  # PostgreSQL keeps its values
        assert [r[0] for r in stored] == ["register", "dispatch", "arrive"]
        assert [r[1] for r in stored] == [r.recorded_at for r in rows]
        assert stored[2][2] == "{}"
    assert verify_book(desk).problem is None


def _micros(value) -> int:
    from repairdesk.store.stamps import to_micros

    return to_micros(value)


@pytest.mark.parametrize("change", [
    "recorded_at = recorded_at + 1",   # the lag of a step written on time
    "action = 3",                      # arrive made complete by its code
    "action = 'complete'",             # ... or by its name, by hand
    "data = '{\"x\": 1}'",             # data where there was none
])
def test_a_changed_compact_column_is_named(desk, clock, change: str, english) -> None:
    from holding import hold_desk
    from repairdesk.domain.enums import Role
    from repairdesk.services.staff import add_staff_unchecked

    add_staff_unchecked(desk, "张建国", Role.TECHNICIAN, "13900000011")
    hold_desk(desk)
    no = _book(desk, clock)
    assert verify_book(desk).problem is None
    with desk.store.write() as session:
        c = session.connection()
        c.execute(text("DROP TRIGGER ticket_event_no_update"))
        c.execute(text(f"UPDATE ticket_event SET {change} WHERE seq = 3"))
    problem = verify_book(desk).problem or ""
    assert f"ticket event 3 ({no} step 3)" in problem, problem
