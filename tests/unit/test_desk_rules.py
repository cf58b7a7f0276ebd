"""Vacant units, the follow-up's weekly entry and checks, and the "told to collect" step as pure
rules over a ticket's history (issue 14, items 12 and 16)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from repairdesk.domain.enums import Action, Scope, Status
from repairdesk.domain.follow_up import CheckLevel, checks, entry_due, next_entry_at
from repairdesk.domain.sla_history import is_technician_word
from repairdesk.domain.ticket import (
    Event, Intake, TicketRecord, allowed_actions, check_step, fold,
)
from repairdesk.errors import IllegalTransition, ValidationError

T = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)


def ev(action: Action, minutes: float, note: str = "", **data) -> Event:
    return Event(at=T + timedelta(minutes=minutes), action=action, by="李静", note=note,
                 data=data)


def record(events: list[Event]) -> TicketRecord:
    intake = Intake(received_at=T, room="5-1-0802", caller="王先生", content="水管滴水")
    return TicketRecord("BX-1", intake, fold(events), tuple(events), T, "李静")


DONE = [ev(Action.DISPATCH, 2, technician="张建国"), ev(Action.ARRIVE, 15),
        ev(Action.COMPLETE, 50), ev(Action.RETURN, 70), ev(Action.CALLBACK, 90, satisfied=True)]


def test_vacant_from_intake_needs_verification_to_close():
    state = fold([ev(Action.REGISTER, 0, intake={"vacant": True}), *DONE])
    assert state.vacant
    with pytest.raises(ValidationError) as err:
        check_step(state, Action.CLOSE, Scope.HOME, {"verified": False})
    assert err.value.field == "verified"
    check_step(state, Action.CLOSE, Scope.HOME, {"verified": True})


def test_vacant_by_amendment_and_back():
    events = [ev(Action.REGISTER, 0, intake={}), *DONE]
    assert not fold(events).vacant
    check_step(fold(events), Action.CLOSE, Scope.HOME, {})  # an occupied home: no check
    marked = events + [ev(Action.AMEND, 95, changes={"vacant": True})]
    assert fold(marked).vacant
    with pytest.raises(ValidationError):
        check_step(fold(marked), Action.CLOSE, Scope.HOME, {})
    unmarked = marked + [ev(Action.AMEND, 96, changes={"vacant": False})]
    assert not fold(unmarked).vacant


def test_notify_is_a_desk_step_after_dispatch():
    state = fold([ev(Action.REGISTER, 0)])
    assert Action.NOTIFY not in allowed_actions(state.status)
    with pytest.raises(IllegalTransition):
        check_step(state, Action.NOTIFY, Scope.HOME, {})
    state = fold([ev(Action.REGISTER, 0), ev(Action.DISPATCH, 1, technician="张建国")])
    check_step(state, Action.NOTIFY, Scope.HOME, {})
    assert state.status is Status.DISPATCHED
    assert not is_technician_word(Action.NOTIFY, {})


FOLLOW = [ev(Action.REGISTER, 0), ev(Action.DISPATCH, 2, technician="张建国"),
          ev(Action.ARRIVE, 15), ev(Action.FOLLOW_UP, 60 * 14, progress="等配件")]


def test_weekly_entry_due_exactly_seven_days_after_the_last():
    r = record(FOLLOW)
    last = FOLLOW[-1].at
    assert next_entry_at(r, last) == last + timedelta(days=7)
    assert entry_due(r, last + timedelta(days=7, seconds=-1)) is None
    due = entry_due(r, last + timedelta(days=7))
    assert due is not None and due.last_entry_at == last and due.due_at == last + timedelta(7)
    again = record(FOLLOW + [ev(Action.FOLLOW_UP, 60 * 14 + 6 * 24 * 60)])
    assert entry_due(again, last + timedelta(days=7)) is None


def test_no_weekly_entry_for_a_plain_or_closed_ticket():
    plain = record(FOLLOW[:-1])
    assert entry_due(plain, T + timedelta(days=30)) is None
    closed = record([ev(Action.REGISTER, 0), ev(Action.FOLLOW_UP, 1), *DONE[:],
                     ev(Action.CLOSE, 100)])
    assert closed.status is Status.CLOSED
    assert entry_due(closed, T + timedelta(days=30)) is None


def test_checks_only_on_a_follow_up():
    with pytest.raises(IllegalTransition):
        check_step(fold(FOLLOW[:-1]), Action.FOLLOW_UP_CHECK, Scope.HOME, {})
    check_step(fold(FOLLOW), Action.FOLLOW_UP_CHECK, Scope.HOME, {})
    r = record(FOLLOW + [ev(Action.FOLLOW_UP_CHECK, 60 * 20, "已核实", level="leader",
                            signer="周班长"),
                         ev(Action.FOLLOW_UP_CHECK, 60 * 30, level="supervisor",
                            signer="吴主管")])
    got = [(c.level, c.signer, c.comment) for c in checks(r)]
    assert got == [(CheckLevel.LEADER, "周班长", "已核实"),
                   (CheckLevel.SUPERVISOR, "吴主管", "")]
