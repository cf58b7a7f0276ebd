"""The lifecycle as pure rules: legal steps, refusals that name state and options, the fold."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from repairdesk.domain.enums import Action, Scope, Status
from repairdesk.domain.ticket import Event, allowed_actions, check_step, fold
from repairdesk.errors import IllegalTransition, ValidationError

T = datetime(2026, 11, 22, 2, 0, tzinfo=timezone.utc)


def ev(action: Action, minutes: int, **data) -> Event:
    return Event(at=T + timedelta(minutes=minutes), action=action, by="李静", data=data)


def test_happy_path_fold_reaches_closed():
    events = [ev(Action.REGISTER, 0), ev(Action.DISPATCH, 2, technician="张建国"),
              ev(Action.ACCEPT, 4), ev(Action.ARRIVE, 15), ev(Action.COMPLETE, 50),
              ev(Action.RETURN, 70), ev(Action.CALLBACK, 200, satisfied=True),
              ev(Action.CLOSE, 210)]
    state = fold(events)
    assert state.status is Status.CLOSED
    assert state.technician == "张建国"
    assert state.step_at[Action.ARRIVE] == T + timedelta(minutes=15)


def test_illegal_step_names_state_and_allowed(english):
    state = fold([ev(Action.REGISTER, 0)])
    with pytest.raises(IllegalTransition) as err:
        check_step(state, Action.COMPLETE, Scope.HOME, {})
    msg = str(err.value)
    assert "registered" in msg and "dispatch" in msg
    # a step named by its history label reads as English, not "Cannot materials used"
    with pytest.raises(IllegalTransition) as err:
        check_step(state, Action.MATERIALS, Scope.HOME, {})
    assert str(err.value).startswith('Cannot record "materials used" now: the ticket is '
                                      "registered; allowed now: ")


def test_illegal_step_message_is_chinese_by_default():
    state = fold([ev(Action.REGISTER, 0)])
    with pytest.raises(IllegalTransition) as err:
        check_step(state, Action.COMPLETE, Scope.HOME, {})
    assert "已登记" in str(err.value)


def test_pause_resume_returns_to_previous_state():
    state = fold([ev(Action.REGISTER, 0), ev(Action.DISPATCH, 1, technician="王师傅"),
                  ev(Action.ACCEPT, 2), ev(Action.PAUSE, 3, reason="待料"), ev(Action.RESUME, 90)])
    assert state.status is Status.ACCEPTED


def test_unsatisfied_callback_then_rework_goes_back_to_dispatched():
    state = fold([ev(Action.REGISTER, 0), ev(Action.DISPATCH, 1, technician="王师傅"),
                  ev(Action.ARRIVE, 9), ev(Action.COMPLETE, 30), ev(Action.RETURN, 40),
                  ev(Action.CALLBACK, 60, satisfied=False), ev(Action.REWORK, 60)])
    assert state.status is Status.DISPATCHED
    assert state.rework_count == 1
    assert state.technician == "王师傅"


def test_public_job_needs_verification_to_close():
    state = fold([ev(Action.REGISTER, 0), ev(Action.DISPATCH, 1, technician="王师傅"),
                  ev(Action.ARRIVE, 9), ev(Action.COMPLETE, 30), ev(Action.RETURN, 40),
                  ev(Action.CALLBACK, 60, satisfied=True)])
    with pytest.raises(ValidationError):
        check_step(state, Action.CLOSE, Scope.PUBLIC, {})
    check_step(state, Action.CLOSE, Scope.PUBLIC, {"verified": True})


@pytest.mark.parametrize("status", list(Status))
def test_every_state_lists_its_allowed_steps_consistently(status):
    for action in allowed_actions(status):
        assert action is not Action.NOTE
    if status in (Status.CLOSED,):
        assert Action.VOID not in allowed_actions(status)
    if status is Status.VOIDED:
        assert allowed_actions(status) == []
