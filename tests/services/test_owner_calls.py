"""Owner calls (issue 17): the clerk holding the desk sees the full number in the desk's own
call dialogs and the duty log records it; callback outcomes satisfied, rework, no answer
(retry time, the clock runs on), refused (a call made)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from repairdesk.domain.enums import Action, CallbackOutcome, Status
from repairdesk.errors import NotFound, PermissionDenied, ValidationError
from repairdesk.services import sla, tickets as T
from repairdesk.services.privacy import CallReason, phone_for_call
from repairdesk.services.ticket_steps import apologise_late_arrival
from repairdesk.store.tables import DutyLogEntry

CLERK = "李静"
PHONE = "13812345678"


def _ticket(desk, phone: str = PHONE) -> str:
    return T.register_ticket(desk, T.IntakeForm(
        room="3-2-1501", caller="王先生", phone=phone, content="厨房水管漏水", category="水"),
        CLERK).ticket_no


def _returned(desk, clock) -> str:
    no = _ticket(desk)
    for step in (lambda: T.dispatch_ticket(desk, no, "张建国", CLERK),
                 lambda: T.arrive_ticket(desk, no, CLERK),
                 lambda: T.complete_ticket(desk, no, "换阀芯", CLERK),
                 lambda: T.return_ticket(desk, no, CLERK)):
        clock.advance(minutes=5)
        step()
    return no


def _reveals(desk) -> list[DutyLogEntry]:
    with desk.store.read() as session:
        return list(session.exec(select(DutyLogEntry).where(DutyLogEntry.kind == "reveal")))


def test_the_holder_sees_the_number_and_it_is_logged(staffed):
    no = _ticket(staffed)
    assert phone_for_call(staffed, no, CLERK, CallReason.CALLBACK) == PHONE
    [entry] = _reveals(staffed)
    assert (entry.author, entry.ticket_no, entry.data["why"]) == (CLERK, no, "callback")
    assert PHONE not in entry.text and no in entry.text


@pytest.mark.parametrize("who,error", [("陈晓雯", PermissionDenied),   # a clerk not holding it
                                       ("张建国", PermissionDenied),   # a technician
                                       ("吴主管", PermissionDenied),   # not the holder either
                                       ("无此人", NotFound)])
def test_nobody_else_sees_it_without_a_pin(staffed, who, error):
    no = _ticket(staffed)
    with pytest.raises(error):
        phone_for_call(staffed, no, who, CallReason.APOLOGY)
    assert _reveals(staffed) == []


def test_a_ticket_without_a_phone_shows_nothing(staffed):
    no = _ticket(staffed, phone="")
    with pytest.raises(ValidationError):
        phone_for_call(staffed, no, CLERK, CallReason.CALLBACK)
    assert _reveals(staffed) == []


def _callback_clock(desk, no):
    return next(c for c in sla.clocks_of(desk, T.get_ticket(desk, no))
                if c.name.value == "callback")


def test_no_answer_keeps_the_callback_owed(staffed, clock):
    no = _returned(staffed, clock)
    r = T.callback_ticket(staffed, no, CallbackOutcome.NO_ANSWER, CLERK, retry="23:30")
    assert r.status is Status.RETURNED
    assert r.events[-1].action is Action.CALLBACK_NO_ANSWER
    assert r.state.callback_retry_at == r.events[-1].data["retry_at"]
    assert r.state.callback_retry_at.astimezone(staffed.config.tz).strftime("%H:%M") == "23:30"
    assert _callback_clock(staffed, no).result == "pending"  # still running
    clock.advance(minutes=30)
    r = T.callback_ticket(staffed, no, True, CLERK)
    assert r.status is Status.CALLBACK and r.state.callback_retry_at is None
    assert _callback_clock(staffed, no).result == "met"


def test_no_answer_needs_a_later_retry_time(staffed, clock):
    no = _returned(staffed, clock)
    for bad in (None, "", "yesterday 9:00"):
        with pytest.raises(ValidationError) as err:
            T.callback_ticket(staffed, no, CallbackOutcome.NO_ANSWER, CLERK, retry=bad)
        assert err.value.field == "retry"
    assert T.get_ticket(staffed, no).status is Status.RETURNED


def test_refused_is_a_call_made_and_closable(staffed, clock):
    no = _returned(staffed, clock)
    r = T.callback_ticket(staffed, no, CallbackOutcome.REFUSED, CLERK, note="业主说不用回访")
    assert r.status is Status.CALLBACK and r.state.satisfied is None
    assert r.events[-1].data == {"outcome": "refused"}
    assert _callback_clock(staffed, no).result == "met"
    assert T.close_ticket(staffed, no, CLERK).status is Status.CLOSED


def test_rework_outcome_sends_the_job_back(staffed, clock):
    no = _returned(staffed, clock)
    r = T.callback_ticket(staffed, no, CallbackOutcome.REWORK, CLERK)
    assert r.status is Status.DISPATCHED and r.state.rework_count == 1
    assert r.events[-2].data == {"outcome": "rework", "satisfied": False}


def test_apology_agrees_a_new_arrival_time(staffed, clock):
    no = _ticket(staffed)
    T.dispatch_ticket(staffed, no, "张建国", CLERK)
    clock.advance(hours=2)
    r = apologise_late_arrival(staffed, no, "tomorrow 9:00", CLERK, note="业主同意")
    e = r.events[-1]
    assert e.action is Action.RESCHEDULE and "业主同意" in e.note
    assert r.state.appointment_at == e.data["appointment_at"]
    assert r.state.appointment_at - clock.now() > timedelta(hours=1)
