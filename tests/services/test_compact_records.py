"""Compact ticket records (issue 18): the records the desk holds on its board share what is the
same (one read-only empty mapping for steps without data, one string for a repeated name, the
row's own texts and times in the register step's intake) without a change through one record
reaching another, and read exactly as the ORM read of the same ticket reads."""

from __future__ import annotations

import copy
import json
import pickle
from datetime import datetime, timedelta, timezone

import pytest

from repairdesk.domain.enums import Action
from repairdesk.domain.ticket import EMPTY_DATA, Event, FrozenData, fold
from repairdesk.services import tickets as T
from repairdesk.services.first_board import first_board
from repairdesk.services.record_rows import _same
from repairdesk.services.ticket_records import _BUILT, working_set

FORM = dict(caller="王先生", content="卫生间漏水", phone="13800138000", category="水")


def test_the_shared_empty_data_reads_as_a_dict_and_refuses_changes():
    assert isinstance(EMPTY_DATA, dict) and EMPTY_DATA == {} and not EMPTY_DATA
    assert json.dumps(EMPTY_DATA) == "{}" and repr(EMPTY_DATA) == "{}"
    assert EMPTY_DATA.get("intake", {}).get("appointment_at") is None
    for change in (lambda d: d.__setitem__("x", 1), lambda d: d.update(x=1),
                   lambda d: d.setdefault("x", 1), lambda d: d.pop("x"), lambda d: d.clear(),
                   lambda d: d.popitem(), lambda d: d.__delitem__("x"),
                   lambda d: d.__ior__({"x": 1})):
        with pytest.raises(TypeError):
            change(EMPTY_DATA)
    assert EMPTY_DATA == {}
    mine = dict(EMPTY_DATA)  # a copy to change is an ordinary dict
    mine["x"] = 1
    assert EMPTY_DATA == {} and EMPTY_DATA.copy() == {} and type(EMPTY_DATA.copy()) is dict
    full = FrozenData({"technician": "张建国"})
    for again in (copy.copy(full), copy.deepcopy(full), pickle.loads(pickle.dumps(full))):
        assert again == full and type(again) is FrozenData


def test_a_fold_without_amendments_shares_the_empty_fields_and_an_amendment_copies_them():
    at = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)
    reg = Event(at, Action.REGISTER, "李静", data={"intake": {"appointment_at": None}})
    plain = fold([reg])
    assert plain.fields is EMPTY_DATA
    amended = fold([reg, Event(at + timedelta(minutes=5), Action.AMEND, "李静",
                               data={"changes": {"room": "3-2-1502"},
                                     "previous": {"room": "3-2-1501"}})])
    assert amended.fields == {"room": "3-2-1502"} and type(amended.fields) is dict
    assert EMPTY_DATA == {} and plain.fields == {}


def test_records_pickle_and_copy_as_before():
    at = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)
    e = Event(at, Action.ARRIVE, "李静", data=EMPTY_DATA, seq=2)
    state = fold([e])
    for obj in (e, state):
        assert pickle.loads(pickle.dumps(obj)) == obj and copy.deepcopy(obj) == obj
    assert not hasattr(e, "__dict__")  # slots: the board holds thousands


def test_a_time_is_shared_only_when_it_reads_the_same():
    utc = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)
    same = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)
    local = utc.astimezone(timezone(timedelta(hours=8)))
    assert _same(same, utc) is utc
    assert _same(local, utc) is local  # equal instant, printed differently: kept apart
    assert _same("1", 1) == "1" and _same(True, 1) is True


def _board(desk, clock) -> list[str]:
    nos = [T.register_ticket(desk, T.IntakeForm(room=f"3-2-{1501 + i}", **FORM),
                             "李静").ticket_no for i in range(3)]
    for no in nos[:2]:
        T.dispatch_ticket(desk, no, "张建国", "李静")
        T.arrive_ticket(desk, no, "李静")
    T.amend_ticket(desk, nos[2], {"room": "3-2-1601"}, "李静")
    clock.advance(minutes=3)
    return nos


def test_board_records_share_nothing_a_change_could_travel_through(staffed, clock):
    nos = _board(staffed, clock)
    _BUILT.clear()
    recs = {r.ticket_no: r for r in working_set(staffed)}
    a, b, c = (recs[n] for n in nos)
    # the steps without data share the one read-only mapping: a change through it is refused
    arrive_a = next(e for e in a.events if e.action is Action.ARRIVE)
    arrive_b = next(e for e in b.events if e.action is Action.ARRIVE)
    assert arrive_a.data is EMPTY_DATA and arrive_b.data is EMPTY_DATA
    with pytest.raises(TypeError):
        arrive_a.data["result"] = "x"
    assert arrive_b.data == {}
    # each record's data is its own: a change through one does not reach the other
    disp_a = next(e for e in a.events if e.action is Action.DISPATCH)
    disp_b = next(e for e in b.events if e.action is Action.DISPATCH)
    assert disp_a.data is not disp_b.data
    assert disp_a.data["technician"] is disp_b.data["technician"]  # the name, once
    assert a.events[0].by is b.events[0].by and a.registered_by is b.registered_by
    assert a.events[0].data["intake"] is not b.events[0].data["intake"]
    disp_a.data["technician"] = "改过"
    assert disp_b.data["technician"] == "张建国"
    disp_a.data["technician"] = "张建国"
    # the register step's intake holds the row's own texts and times
    held = a.events[0].data["intake"]
    assert held["content"] is a.intake.content and held["room"] is a.intake.room
    assert held["received_at"] is a.intake.received_at
    # the amended ticket: the step keeps the room it was registered with, the row the new one
    assert c.events[0].data["intake"]["room"] == "3-2-1503" and c.intake.room == "3-2-1601"
    assert c.state.fields == {"room": "3-2-1601"}


def test_board_records_read_as_the_orm_read_and_the_first_board_read(staffed, clock,
                                                                       db_path):
    nos = _board(staffed, clock)
    _BUILT.clear()
    board = working_set(staffed)
    for r in board:
        orm = T.get_ticket(staffed, r.ticket_no)  # ORM rows, data copied
        assert r == orm
        assert [e.data for e in r.events] == [e.data for e in orm.events]
        assert [type(v) for e in r.events for v in e.data.get("intake", {}).values()] == [
            type(v) for e in orm.events for v in e.data.get("intake", {}).values()]
    first = first_board(str(db_path), None, clock)
    assert first is not None and first.records == board
    assert sorted(r.ticket_no for r in board) == sorted(nos)


def test_intakes_read_from_the_book_are_dicts_of_their_own():
    from repairdesk.store.json_data import INTAKE_ORDER, dump_event_data, load_json

    at = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)
    values = {k: "" for k in INTAKE_ORDER} | {"received_at": at, "appointment_at": None,
                                             "owner_parts": False, "vacant": False,
                                             "room": "3-2-1501"}
    text = dump_event_data({"intake": values})
    one, two = load_json(text)["intake"], load_json(text)["intake"]
    assert type(one) is dict and one == two == values and list(one) == list(INTAKE_ORDER)
    one["room"] = "9-9-999"
    one["extra"] = 1
    del one["caller"]
    assert two == values and list(two) == list(INTAKE_ORDER)
    assert load_json(text)["intake"] == values
    assert json.loads(dump_event_data({"intake": two})) == json.loads(text)


def test_fold_gives_the_state_apply_gives_step_by_step():
    from functools import reduce

    from repairdesk.domain.ticket import TicketState, apply

    t0 = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)
    appt = t0 + timedelta(hours=3)
    steps = [
        (Action.REGISTER, {"intake": {"appointment_at": appt, "vacant": True}}),
        (Action.AMEND, {"changes": {"room": "3-2-1502", "vacant": False},
                        "previous": {"room": "3-2-1501", "vacant": True}}),
        (Action.DISPATCH, {"technician": "张建国"}), (Action.PAUSE, {}), (Action.RESUME, {}),
        (Action.RESCHEDULE, {"appointment_at": appt + timedelta(hours=1)}),
        (Action.FOLLOW_UP, {}), (Action.OWNER_DECISION, {"agreed": True, "fee": "60"}),
        (Action.ARRIVE, {}), (Action.COMPLETE, {"result": "已修好"}), (Action.RETURN, {}),
        (Action.CALLBACK_NO_ANSWER, {"retry_at": appt}),
        (Action.CALLBACK, {"satisfied": False}), (Action.REWORK, {}),
        (Action.AMEND, {"changes": {"appointment_at": None}, "previous": {}}),
        (Action.DISPATCH, {"technician": "李师傅"}), (Action.ARRIVE, {}),
        (Action.COMPLETE, {}), (Action.RETURN, {}), (Action.CALLBACK, {"outcome": "refused"}),
        (Action.CLOSE, {"verified": True}),
    ]
    events = [Event(t0 + timedelta(minutes=i), a, "李静", data=d, seq=i + 1)
              for i, (a, d) in enumerate(steps)]
    for n in range(len(events) + 1):
        by_step = reduce(apply, events[:n], TicketState(fields=EMPTY_DATA))
        assert fold(events[:n]) == by_step, n
    final = fold(events)
    assert final.rework_count == 1 and final.technician == "李师傅" and final.verified
    assert final.fields == {"room": "3-2-1502", "vacant": False, "appointment_at": None}
    assert final.paused_from is None and final.satisfied is None and not final.vacant
    declined = events[:7] + [Event(t0 + timedelta(minutes=30), Action.OWNER_DECISION, "李静",
                                   data={"agreed": False}, seq=8)]
    assert fold(declined) == reduce(apply, declined, TicketState())
    assert fold(declined).status is fold(events).status
