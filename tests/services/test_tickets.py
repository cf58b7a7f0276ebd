"""Ticket use cases on a real SQLite file: numbering, history, lifecycle, refusals."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from repairdesk.domain.enums import Action, Status, Urgency
from repairdesk.errors import IllegalTransition, NotFound, StoreError, ValidationError
from repairdesk.services import tickets as T
from repairdesk.services.staff import set_active_unchecked

CLERK = "李静"


def form(**kw) -> T.IntakeForm:
    base = dict(room="3-2-1501", caller="王先生", phone="13800138000",
                content="厨房水龙头关不住，一直滴水", category="水")
    base.update(kw)
    return T.IntakeForm(**base)


def count_rows(desk, table: str) -> int:
    con = sqlite3.connect(desk.store.url.removeprefix("sqlite:///"))
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_numbers_are_daily_and_consecutive(staffed, clock):
    a = T.register_ticket(staffed, form(), CLERK)
    b = T.register_ticket(staffed, form(room="1-1-101", category="电"), CLERK)
    assert (a.ticket_no, b.ticket_no) == ("BX-20261122-0001", "BX-20261122-0002")
    clock.advance(hours=24)
    c = T.register_ticket(staffed, form(room="1-1-102"), CLERK)
    assert c.ticket_no == "BX-20261123-0001"


def test_register_keeps_intake_in_history(staffed):
    r = T.register_ticket(staffed, form(), CLERK)
    assert r.status is Status.REGISTERED
    assert r.events[0].action is Action.REGISTER
    assert r.events[0].data["intake"]["room"] == "3-2-1501"
    assert r.events[0].by == CLERK


def test_bad_input_saves_nothing(staffed):
    for bad in (form(room="3-1501"), form(content=""), form(phone="123"),
                form(category="不存在"), form(urgency="soon")):
        with pytest.raises(ValidationError):
            T.register_ticket(staffed, bad, CLERK)
    assert count_rows(staffed, "ticket") == 0
    assert count_rows(staffed, "ticket_event") == 0
    # the number was not spent either
    assert T.register_ticket(staffed, form(), CLERK).ticket_no.endswith("-0001")


def test_full_lifecycle_and_history(staffed, clock):
    no = T.register_ticket(staffed, form(), CLERK).ticket_no
    steps = [
        lambda: T.dispatch_ticket(staffed, no, "张建国", CLERK),
        lambda: T.accept_ticket(staffed, no, CLERK),
        lambda: T.arrive_ticket(staffed, no, CLERK),
        lambda: T.complete_ticket(staffed, no, "更换阀芯", CLERK),
        lambda: T.return_ticket(staffed, no, CLERK),
        lambda: T.callback_ticket(staffed, no, True, CLERK, note="满意"),
        lambda: T.close_ticket(staffed, no, CLERK),
    ]
    for step in steps:
        clock.advance(minutes=3)
        record = step()
    assert record.status is Status.CLOSED
    actions = [e.action for e in T.get_ticket(staffed, no).events]
    assert actions == [Action.REGISTER, Action.DISPATCH, Action.ACCEPT, Action.ARRIVE,
                       Action.COMPLETE, Action.RETURN, Action.CALLBACK, Action.CLOSE]


def test_illegal_step_refused_and_nothing_written(staffed):
    no = T.register_ticket(staffed, form(), CLERK).ticket_no
    before = count_rows(staffed, "ticket_event")
    with pytest.raises(IllegalTransition):
        T.complete_ticket(staffed, no, "done", CLERK)
    assert count_rows(staffed, "ticket_event") == before


def test_unsatisfied_callback_is_rework(staffed, clock):
    no = T.register_ticket(staffed, form(), CLERK).ticket_no
    T.dispatch_ticket(staffed, no, "王师傅", CLERK)
    T.arrive_ticket(staffed, no, CLERK)
    T.complete_ticket(staffed, no, "处理", CLERK)
    T.return_ticket(staffed, no, CLERK)
    r = T.callback_ticket(staffed, no, False, CLERK, note="仍漏水")
    assert r.status is Status.DISPATCHED and r.state.rework_count == 1
    assert [e.action for e in r.events][-2:] == [Action.CALLBACK, Action.REWORK]


def test_only_active_technicians_are_dispatched(staffed):
    no = T.register_ticket(staffed, form(), CLERK).ticket_no
    with pytest.raises(ValidationError):
        T.dispatch_ticket(staffed, no, "李静", CLERK)  # a clerk
    with pytest.raises(ValidationError):
        T.dispatch_ticket(staffed, no, "无名氏", CLERK)
    set_active_unchecked(staffed, "王师傅", False)
    with pytest.raises(ValidationError):
        T.dispatch_ticket(staffed, no, "王师傅", CLERK)


def test_repeat_report_flag_within_window(staffed, clock):
    first = T.register_ticket(staffed, form(), CLERK)
    clock.advance(days=3)
    second = T.register_ticket(staffed, form(content="又滴水了"), CLERK)
    assert second.repeat_of == first.ticket_no
    other_category = T.register_ticket(staffed, form(category="电", content="没电"), CLERK)
    assert other_category.repeat_of is None
    clock.advance(days=8)
    late = T.register_ticket(staffed, form(content="再次滴水"), CLERK)
    assert late.repeat_of is None


def test_urgent_suggestion(staffed):
    assert "困人" in T.suggest_urgent(staffed, "3号电梯困人")
    assert T.suggest_urgent(staffed, "客厅灯罩有灰") == []


def test_back_entered_call_is_marked(staffed, clock):
    r = T.register_ticket(staffed, form(received_at="09:10"), CLERK)
    assert r.intake.received_at == clock.now() - timedelta(minutes=50)
    assert r.events[0].data.get("back_entered") is True
    with pytest.raises(ValidationError):
        T.register_ticket(staffed, form(received_at="23:00"), CLERK)


def test_appointment_must_be_future(staffed):
    r = T.register_ticket(staffed, form(appointment="15:00"), CLERK)
    assert r.intake.urgency is Urgency.APPOINTMENT
    with pytest.raises(ValidationError):
        T.register_ticket(staffed, form(appointment="08:00"), CLERK)
    with pytest.raises(ValidationError):
        T.register_ticket(staffed, form(urgency="appointment"), CLERK)


def test_void_keeps_number_and_logs(staffed):
    no = T.register_ticket(staffed, form(), CLERK).ticket_no
    with pytest.raises(ValidationError):
        T.void_ticket(staffed, no, "  ", CLERK)
    r = T.void_ticket(staffed, no, "重复登记", CLERK)
    assert r.status is Status.VOIDED
    con = sqlite3.connect(staffed.store.url.removeprefix("sqlite:///"))
    kinds = con.execute("SELECT kind, ticket_no FROM duty_log").fetchall()
    assert ("void", no) in kinds
    assert T.register_ticket(staffed, form(room="1-1-101"), CLERK).ticket_no.endswith("-0002")


def test_reschedule_pause_resume_follow_up(staffed, clock):
    no = T.register_ticket(staffed, form(appointment="15:00"), CLERK).ticket_no
    r = T.reschedule_ticket(staffed, no, "16:30", "业主临时有事", CLERK)
    assert r.state.appointment_at.astimezone(staffed.config.tz).strftime("%H:%M") == "16:30"
    assert r.events[-1].data["previous_at"] is not None
    T.dispatch_ticket(staffed, no, "张建国", CLERK)
    assert T.pause_ticket(staffed, no, "等配件", CLERK).status is Status.PAUSED
    assert T.resume_ticket(staffed, no, CLERK).status is Status.DISPATCHED
    assert T.follow_up_ticket(staffed, no, "已联系业主，明日继续", CLERK).state.follow_up


def test_step_time_cannot_go_backwards_or_future(staffed, clock):
    no = T.register_ticket(staffed, form(), CLERK).ticket_no
    with pytest.raises(ValidationError):
        T.dispatch_ticket(staffed, no, "张建国", CLERK, at="09:00")
    with pytest.raises(ValidationError):
        T.dispatch_ticket(staffed, no, "张建国", CLERK, at="11:00")


def test_amend_keeps_old_values(staffed):
    no = T.register_ticket(staffed, form(caller="王"), CLERK).ticket_no
    r = T.amend_ticket(staffed, no, {"caller": "王建华", "room": "3-2-1502"}, CLERK)
    assert (r.intake.caller, r.intake.room) == ("王建华", "3-2-1502")
    assert r.events[-1].data["previous"] == {"caller": "王", "room": "3-2-1501"}


def test_amending_an_appointment_keeps_its_time_and_urgent_drops_it(staffed, clock):
    no = T.register_ticket(staffed, form(urgency="appointment", appointment="14:00"),
                           CLERK).ticket_no
    agreed = T.get_ticket(staffed, no).state.appointment_at
    assert agreed is not None
    clock.advance(hours=6)  # the appointment (14:00) has passed when the room is typed
    r = T.amend_ticket(staffed, no, {"room": "3-2-1502"}, CLERK)  # was refused: "needs the
    assert r.intake.room == "3-2-1502"                               # agreed time"
    assert (r.intake.urgency, r.state.appointment_at) == (Urgency.APPOINTMENT, agreed)
    r = T.amend_ticket(staffed, no, {"urgency": "urgent"}, CLERK, note="漏水加重")
    assert r.intake.urgency is Urgency.URGENT
    assert r.state.appointment_at is None  # an urgent job is attended at once, not at 14:00
    assert r.events[-1].data["changes"]["appointment_at"] is None


def test_history_is_append_only_in_the_database(staffed):
    no = T.register_ticket(staffed, form(), CLERK).ticket_no
    con = sqlite3.connect(staffed.store.url.removeprefix("sqlite:///"))
    with pytest.raises(sqlite3.DatabaseError):
        con.execute("UPDATE ticket_event SET note = 'x'")
    with pytest.raises(sqlite3.DatabaseError):
        con.execute("DELETE FROM ticket_event")
    con.close()
    assert T.get_ticket(staffed, no).events[0].note == ""


def test_projection_matches_fold(staffed, clock):
    no = T.register_ticket(staffed, form(), CLERK).ticket_no
    T.dispatch_ticket(staffed, no, "张建国", CLERK)
    T.pause_ticket(staffed, no, "等配件", CLERK)
    con = sqlite3.connect(staffed.store.url.removeprefix("sqlite:///"))
    status, tech = con.execute("SELECT status, technician FROM ticket").fetchone()
    r = T.get_ticket(staffed, no)
    assert (status, tech) == (r.status.value, r.state.technician)


def test_unknown_ticket(staffed):
    with pytest.raises(NotFound):
        T.get_ticket(staffed, "BX-20000101-0001")


def test_working_set_is_open_plus_today(staffed, clock):
    old = T.register_ticket(staffed, form(), CLERK).ticket_no
    T.void_ticket(staffed, old, "误登", CLERK)
    clock.advance(days=2)
    open_one = T.register_ticket(staffed, form(room="1-1-101"), CLERK).ticket_no
    nos = [r.ticket_no for r in T.working_set(staffed)]
    assert open_one in nos and old not in nos


def test_newer_schema_is_refused(db_path, clock):
    from repairdesk.store.db import open_store

    open_store(str(db_path)).dispose()
    con = sqlite3.connect(db_path)
    con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    with pytest.raises(StoreError):
        open_store(str(db_path))
