"""The owner's word on a fee, in the domain (issue 14 items 10 and 11): the wait for the
owner's answer to an assessed fee is not counted, a declined job's clocks, the assess clock
of a job amended away from assessment, and what paid work lacks before it is completed."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from repairdesk.config import load_config
from repairdesk.domain.enums import Action, ServiceType, Status, Urgency
from repairdesk.domain.paid_work import (
    awaiting_owner, check_paid_work, latest_decision, owner_agreed, paid_work_missing,
    quote_in_force,
)
from repairdesk.domain.sla import ClockName, ClockState, evaluate
from repairdesk.domain.ticket import Event, Intake, TicketRecord, fold
from repairdesk.errors import ValidationError

TZ = ZoneInfo("Asia/Shanghai")
RULES = load_config(None).sla
T0 = datetime(2026, 11, 24, 9, 0, tzinfo=TZ).astimezone(timezone.utc)


class Job:
    """A ticket's history typed by hand: steps at minutes after the 09:00 call."""

    def __init__(self, service: ServiceType = ServiceType.ASSESS) -> None:
        self.intake = Intake(received_at=T0, room="5-1-0302", caller="王先生",
                             content="防盗网", category="门窗", service_type=service)
        self.events = [Event(T0, Action.REGISTER, "李静", data={"intake": {}}, seq=1)]

    def at(self, minutes: float, action: Action, **data) -> "Job":
        self.events.append(Event(T0 + timedelta(minutes=minutes), action, "李静", data=data,
                                 seq=len(self.events) + 1))
        return self

    def taken(self) -> "Job":
        return self.at(1, Action.DISPATCH, technician="张建国").at(2, Action.ACCEPT)

    def record(self) -> TicketRecord:
        intake = self.intake
        for e in self.events:  # the row carries the amended service type
            if e.action is Action.AMEND and "service_type" in e.data.get("changes", {}):
                intake = replace(intake,
                                 service_type=ServiceType(e.data["changes"]["service_type"]))
        return TicketRecord("BX-20261124-0001", intake, fold(self.events), tuple(self.events),
                            T0, "李静")

    def clocks(self, minutes: float) -> dict[ClockName, object]:
        now = T0 + timedelta(minutes=minutes)
        return {c.name: c for c in evaluate(self.record(), now, RULES, TZ)}


def minutes(at: datetime) -> float:
    return (at - T0).total_seconds() / 60


# ---------------------------------------------------------------------- the wait


def test_the_owners_wait_stands_the_clocks_still():
    job = Job().taken().at(5, Action.ASSESS, fee="80", leader="周班长", feasible=True)
    c = job.clocks(30)
    assert c[ClockName.ARRIVE].state is ClockState.PAUSED
    assert c[ClockName.ARRIVE].remaining_s == 15 * 60  # 5 of 20 minutes run
    assert c[ClockName.COMPLETE].state is ClockState.PAUSED
    assert c[ClockName.ASSESS].state is ClockState.MET  # 3 minutes after the order
    job.at(45, Action.OWNER_DECISION, agreed=True, fee="80")
    c = job.clocks(46)
    assert minutes(c[ClockName.ARRIVE].due_at) == 60  # 20 minutes + the 40 waited
    assert c[ClockName.ARRIVE].state is ClockState.RUNNING
    job.at(58, Action.ARRIVE)
    assert job.clocks(59)[ClockName.ARRIVE].on_time is True


def test_the_work_going_on_ends_the_wait_without_an_answer():
    """The desk dispatched after the assessment without writing down the answer: the wait
    ends there (it cannot hold the clocks forever)."""
    job = (Job().at(2, Action.ASSESS, fee="80", leader="周班长", feasible=True)
           .at(12, Action.DISPATCH, technician="张建国"))
    c = job.clocks(40)
    assert c[ClockName.ARRIVE].state is ClockState.BREACHED
    assert minutes(c[ClockName.ARRIVE].due_at) == 30  # 20 + the 10 minutes waited
    assert c[ClockName.DISPATCH].on_time is True  # 2 active minutes


def test_a_pause_inside_the_wait_is_not_taken_out_twice():
    job = (Job().taken().at(5, Action.ASSESS, fee="80", leader="周班长", feasible=True)
           .at(10, Action.PAUSE, reason="业主外出").at(20, Action.RESUME)
           .at(30, Action.OWNER_DECISION, agreed=True, fee="80"))
    assert minutes(job.clocks(31)[ClockName.ARRIVE].due_at) == 45  # 25 minutes stood still


def test_a_miss_before_the_wait_stays_missed():
    job = Job().taken().at(25, Action.ASSESS, fee="80", leader="周班长", feasible=True)
    c = job.clocks(40)
    assert c[ClockName.ARRIVE].state is ClockState.PAUSED
    assert c[ClockName.ARRIVE].on_time is False  # 25 minutes run before the wait
    assert c[ClockName.ASSESS].on_time is False  # 23 minutes after the order


# ---------------------------------------------------------------------- declined


def test_a_declined_job_keeps_only_what_was_decided():
    job = (Job().taken().at(5, Action.ASSESS, fee="500", leader="周班长", feasible=True)
           .at(60, Action.OWNER_DECISION, agreed=False, reason="嫌贵"))
    assert job.record().state.status is Status.CLOSED
    for at in (61, 24 * 60):  # the next day too: nothing is late
        c = job.clocks(at)
        assert set(c) == {ClockName.DISPATCH, ClockName.ACCEPT, ClockName.FEEDBACK,
                          ClockName.ASSESS}
        assert all(clock.on_time for clock in c.values())


def test_a_declined_job_keeps_a_miss():
    job = (Job().taken().at(25, Action.ASSESS, fee="500", leader="周班长", feasible=True)
           .at(60, Action.OWNER_DECISION, agreed=False, reason="嫌贵"))
    c = job.clocks(24 * 60)
    assert c[ClockName.ARRIVE].state is ClockState.MISSED
    assert c[ClockName.ARRIVE].stopped_at == T0 + timedelta(minutes=60)
    assert ClockName.COMPLETE not in c


# ---------------------------------------------------------------------- amended away


@pytest.mark.parametrize("amended_at, result", [(4, None), (7, None), (10, False)])
def test_amended_away_from_assessment(amended_at, result):
    """Due 09:07 (5 minutes after the order at 09:02): amended before or at the deadline it no
    longer applies; after it, the miss stays."""
    job = Job().taken().at(amended_at, Action.AMEND, changes={"service_type": "paid"},
                           previous={"service_type": "assess"})
    clock = job.clocks(60).get(ClockName.ASSESS)
    assert (clock.on_time if clock else None) is result


def test_marked_for_assessment_on_site_then_assessed():
    job = (Job(ServiceType.FREE).taken().at(12, Action.ARRIVE)
           .at(20, Action.AMEND, changes={"service_type": "assess"},
               previous={"service_type": "free"}))
    assert minutes(job.clocks(21)[ClockName.ASSESS].due_at) == 50  # 30 minutes on site
    job.at(45, Action.ASSESS, fee="60", leader="周班长", feasible=True)
    assert job.clocks(46)[ClockName.ASSESS].on_time is True


# ---------------------------------------------------------------------- paid work


def test_what_paid_work_lacks():
    job = Job().taken().at(12, Action.ARRIVE)
    assert paid_work_missing(job.record())[0] == "assess"
    job.at(15, Action.ASSESS, fee="80", leader="周班长", feasible=True)
    assert awaiting_owner(job.record())
    assert paid_work_missing(job.record())[0] == "agreed"
    job.at(20, Action.OWNER_DECISION, agreed=True, fee="80")
    assert owner_agreed(job.record()) and not awaiting_owner(job.record())
    assert paid_work_missing(job.record())[0] == "charge"
    bill = {"lines": [{"kind": "assessed", "name": "评估费", "qty": "1", "unit_price": "80",
                       "amount": "80.00"}], "total": "80.00", "agreed": True}
    job.at(30, Action.CHARGE, **bill)
    assert paid_work_missing(job.record()) is None
    check_paid_work(job.record(), Action.COMPLETE)
    assert quote_in_force(job.record()) == Decimal("80.00")
    assert latest_decision(job.record()).fee == Decimal("80")


def test_free_work_lacks_nothing_and_other_steps_are_not_guarded():
    free = Job(ServiceType.FREE).taken().at(12, Action.ARRIVE)
    assert paid_work_missing(free.record()) is None
    paid = Job(ServiceType.PAID).taken().at(12, Action.ARRIVE)
    check_paid_work(paid.record(), Action.ARRIVE)
    with pytest.raises(ValidationError) as e:
        check_paid_work(paid.record(), Action.COMPLETE)
    assert e.value.field == "charge" and "BX-20261124-0001" in str(e.value)


def test_the_quote_in_force_is_the_last_one_given():
    job = Job(ServiceType.PAID).taken()
    assert quote_in_force(job.record()) is None
    job.at(5, Action.OWNER_DECISION, agreed=True, fee="150")
    assert quote_in_force(job.record()) == 150


def test_an_earlier_amendment_does_not_judge_an_assessment_not_yet_needed():
    """Free work, urgency amended at 09:20, marked as needing assessment on site at 09:30:
    the assessment was not owed at 09:20, so nothing of it was decided then (its 30 minutes
    run from 09:30)."""
    job = (Job(ServiceType.FREE).taken().at(12, Action.ARRIVE)
           .at(20, Action.AMEND, changes={"urgency": "urgent"}, previous={"urgency": "normal"})
           .at(30, Action.AMEND, changes={"service_type": "assess"},
               previous={"service_type": "free"}))
    job.intake = replace(job.intake, urgency=Urgency.URGENT)
    clock = job.clocks(45)[ClockName.ASSESS]
    assert clock.on_time is None and minutes(clock.due_at) == 60
    job.at(50, Action.ASSESS, fee="60", leader="周班长", feasible=True)
    assert job.clocks(51)[ClockName.ASSESS].on_time is True
