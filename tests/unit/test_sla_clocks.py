"""The SLA engine with the default rules: every default of domain.md "SLA clocks" as a table,
then the behaviours (pause, reschedule, rework, void, met/missed margins, escalation levels)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from repairdesk.config import load_config
from repairdesk.domain.enums import Action, Scope, ServiceType, Urgency
from repairdesk.domain.sla import Callee, ClockName, ClockState, Level, evaluate, most_urgent
from repairdesk.domain.sla_results import on_time_counts, reached
from repairdesk.domain.ticket import Event, Intake, TicketRecord, fold

TZ = ZoneInfo("Asia/Shanghai")
RULES = load_config(None).sla
MIN = 60.0


def local(y: int, mo: int, d: int, h: int = 10, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=TZ).astimezone(timezone.utc)


T0 = local(2026, 11, 22, 10, 0)


class Ticket:
    """A ticket's history typed by hand: steps at minutes after the call."""

    def __init__(self, received: datetime = T0, *, urgency: Urgency = Urgency.NORMAL,
                 category: str = "综合", scope: Scope = Scope.HOME,
                 appointment: datetime | None = None,
                 service: ServiceType = ServiceType.FREE) -> None:
        self.received = received
        self.intake = Intake(received_at=received, room="3-2-1501", caller="王先生",
                             content="漏水", scope=scope, category=category, urgency=urgency,
                             appointment_at=appointment, service_type=service)
        self.events = [Event(received, Action.REGISTER, "李静",
                             data={"intake": {"appointment_at": appointment}}, seq=1)]

    def at(self, minutes: float, action: Action, **data) -> "Ticket":
        when = self.received + timedelta(minutes=minutes)
        self.events.append(Event(when, action, "李静", data=data, seq=len(self.events) + 1))
        return self

    def record(self) -> TicketRecord:
        return TicketRecord("BX-20261122-0001", self.intake, fold(self.events),
                            tuple(self.events), self.received, "李静")

    def clocks(self, minutes: float) -> dict[ClockName, object]:
        now = self.received + timedelta(minutes=minutes)
        return {c.name: c for c in evaluate(self.record(), now, RULES, TZ)}


def dispatched(t: Ticket, at: float = 1) -> Ticket:
    return t.at(at, Action.DISPATCH, technician="张建国")


# ---------------------------------------------------------------- every default of domain.md


@pytest.mark.parametrize("name, ticket, due_min", [
    (ClockName.DISPATCH, lambda: Ticket(), 5),
    (ClockName.ACCEPT, lambda: dispatched(Ticket(), 2), 2 + 5),
    (ClockName.ARRIVE, lambda: Ticket(), 20),
    (ClockName.ARRIVE, lambda: Ticket(urgency=Urgency.URGENT), 10),
    (ClockName.ARRIVE, lambda: Ticket(urgency=Urgency.URGENT, category="水"), 15),
    (ClockName.ARRIVE, lambda: Ticket(urgency=Urgency.URGENT, category="电"), 15),
    (ClockName.ARRIVE, lambda: Ticket(urgency=Urgency.URGENT, category="电梯"), 10),
    (ClockName.ARRIVE, lambda: Ticket(category="水"), 20),
    (ClockName.ARRIVE, lambda: Ticket(urgency=Urgency.APPOINTMENT,
                                      appointment=T0 + timedelta(hours=5)), 300),
    (ClockName.FEEDBACK, lambda: dispatched(Ticket(), 3), 3 + 120),
    (ClockName.ASSESS, lambda: dispatched(Ticket(service=ServiceType.ASSESS)).at(
        4, Action.ACCEPT), 4 + 5),
    (ClockName.ASSESS, lambda: dispatched(Ticket(service=ServiceType.ASSESS)).at(
        2, Action.ACCEPT).at(12, Action.ARRIVE).at(30, Action.AMEND, changes={
            "service_type": "assess"}), 30 + 30),
    (ClockName.COMPLETE, lambda: Ticket(), 14 * 60),                 # 10:00 -> 24:00 same day
    (ClockName.COMPLETE, lambda: Ticket(scope=Scope.PUBLIC), 3 * 24 * 60),
    (ClockName.CALLBACK, lambda: dispatched(Ticket()).at(2, Action.ACCEPT).at(
        15, Action.ARRIVE).at(50, Action.COMPLETE, result="ok"), 50 + 24 * 60),
])
def test_default_targets(name, ticket, due_min):
    t = ticket()
    clock = t.clocks(0.5 if name is ClockName.DISPATCH else due_min - 0.5)[name]
    assert clock.due_at == T0 + timedelta(minutes=due_min)


def test_default_rules_table():
    r = RULES
    assert r.warning_fraction == 0.8
    assert {n: r.rule(n).target_s for n in ClockName} == {
        ClockName.DISPATCH: 5 * MIN, ClockName.ACCEPT: 5 * MIN, ClockName.ARRIVE: 20 * MIN,
        ClockName.FEEDBACK: 120 * MIN, ClockName.ASSESS: 30 * MIN, ClockName.COMPLETE: None,
        ClockName.CALLBACK: 24 * 60 * MIN}
    assert r.arrive.urgent_s == 10 * MIN and r.arrive.urgent_by_category == {
        "水": 15 * MIN, "电": 15 * MIN}
    assert r.assess_fee_s == 5 * MIN
    assert (r.complete.home.days, r.complete.home.by_cutoff) == (0, True)
    assert (r.complete.public.days, r.complete.public.by_cutoff) == (3, False)
    assert r.complete.cutoff_min == 24 * 60
    # who is called (domain.md "then" column)
    assert r.rule(ClockName.DISPATCH).breach is Callee.CLERK
    assert r.rule(ClockName.ACCEPT).breach is Callee.TEAM_LEADER
    assert r.rule(ClockName.ARRIVE).breach is Callee.OWNER
    assert r.rule(ClockName.FEEDBACK).breach is Callee.TEAM_LEADER
    assert r.rule(ClockName.ASSESS).breach is Callee.TEAM_LEADER
    assert r.rule(ClockName.COMPLETE).breach is Callee.SUPERVISOR
    assert r.rule(ClockName.CALLBACK).breach is Callee.SUPERVISOR
    # the chain team leader -> supervisor -> manager, above whoever the breach calls
    assert [(s.level, s.after_s) for s in r.rule(ClockName.DISPATCH).escalation] == [
        (Level.TEAM_LEADER, 15 * MIN), (Level.SUPERVISOR, 30 * MIN), (Level.MANAGER, 60 * MIN)]
    assert [s.level for s in r.rule(ClockName.ACCEPT).escalation] == [
        Level.SUPERVISOR, Level.MANAGER]
    assert [s.level for s in r.rule(ClockName.COMPLETE).escalation] == [Level.MANAGER]


@pytest.mark.parametrize("received, due", [
    (local(2026, 11, 22, 10, 0), local(2026, 11, 23, 0, 0)),
    (local(2026, 11, 22, 0, 5), local(2026, 11, 23, 0, 0)),
    (local(2026, 11, 22, 19, 59), local(2026, 11, 23, 0, 0)),
    (local(2026, 11, 22, 20, 0), local(2026, 11, 24, 0, 0)),  # a late call: the next day
    (local(2026, 11, 30, 23, 30), local(2026, 12, 2, 0, 0)),  # across the month end
    (local(2026, 12, 31, 9, 0), local(2027, 1, 1, 0, 0)),     # and the year end
])
def test_same_day_completion_ends_at_the_cutoff_in_the_site_zone(received, due):
    assert Ticket(received).clocks(1)[ClockName.COMPLETE].due_at == due


# ---------------------------------------------------------------- states


def test_states_from_pending_to_met_and_missed():
    t = Ticket()
    c = t.clocks(1)
    assert c[ClockName.DISPATCH].state is ClockState.RUNNING
    assert c[ClockName.DISPATCH].remaining_s == 4 * MIN
    assert c[ClockName.ACCEPT].state is ClockState.PENDING
    assert c[ClockName.CALLBACK].state is ClockState.PENDING
    assert ClockName.ASSESS not in c  # a free job needs no assessment
    assert t.clocks(4)[ClockName.DISPATCH].state is ClockState.WARNING      # 80% of 5 min
    breached = t.clocks(7)[ClockName.DISPATCH]
    assert breached.state is ClockState.BREACHED and breached.remaining_s == -2 * MIN
    assert breached.overdue_s == 2 * MIN
    dispatched(t, 3)
    met = t.clocks(10)[ClockName.DISPATCH]
    assert met.state is ClockState.MET and met.remaining_s == 2 * MIN and met.on_time
    late = dispatched(Ticket(), 8).clocks(10)[ClockName.DISPATCH]
    assert late.state is ClockState.MISSED and late.remaining_s == -3 * MIN
    assert late.on_time is False


def test_later_events_are_ignored_when_asking_about_an_earlier_time():
    t = dispatched(Ticket(), 8)
    assert t.clocks(6)[ClockName.DISPATCH].state is ClockState.BREACHED
    assert t.clocks(9)[ClockName.DISPATCH].state is ClockState.MISSED


def test_accept_stops_at_arrival_and_restarts_on_a_new_technician():
    t = dispatched(Ticket(), 1).at(4, Action.ARRIVE)
    assert t.clocks(5)[ClockName.ACCEPT].state is ClockState.MET
    t = dispatched(Ticket(), 1).at(2, Action.ACCEPT).at(10, Action.DISPATCH, technician="王师傅")
    accept = t.clocks(12)[ClockName.ACCEPT]
    assert accept.state is ClockState.RUNNING
    assert accept.due_at == T0 + timedelta(minutes=15)
    assert accept.previous_due == (T0 + timedelta(minutes=6),)


def test_pause_stops_the_clock_and_the_paused_time_is_not_counted():
    t = dispatched(Ticket()).at(2, Action.ACCEPT).at(5, Action.PAUSE, reason="待料")
    paused = t.clocks(60)
    arrive = paused[ClockName.ARRIVE]
    assert arrive.state is ClockState.PAUSED
    assert arrive.remaining_s == 15 * MIN        # frozen at the pause
    assert paused[ClockName.FEEDBACK].state is ClockState.MET  # the accept was his word
    t.at(65, Action.RESUME)
    arrive = t.clocks(70)[ClockName.ARRIVE]
    assert arrive.state is ClockState.RUNNING
    assert arrive.due_at == T0 + timedelta(minutes=20 + 60)
    assert arrive.paused_s == 60 * MIN
    complete = t.clocks(70)[ClockName.COMPLETE]
    assert complete.due_at == local(2026, 11, 23, 0, 0) + timedelta(minutes=60)


def test_a_breached_then_paused_clock_stays_overdue_but_stops_counting():
    t = Ticket().at(8, Action.PAUSE, reason="业主不在家")
    clock = t.clocks(100)[ClockName.DISPATCH]
    assert clock.state is ClockState.PAUSED and clock.remaining_s == -3 * MIN
    assert clock.due_at == T0 + timedelta(minutes=5)
    assert [r.level for r in reached(clock, RULES)] == [Level.WARNING, Level.BREACH]


def test_appointment_anchors_the_arrival_and_a_reschedule_keeps_the_old_deadline():
    first, second = T0 + timedelta(hours=5), T0 + timedelta(days=1, hours=2)
    t = Ticket(urgency=Urgency.APPOINTMENT, appointment=first)
    arrive = t.clocks(60)[ClockName.ARRIVE]
    assert arrive.state is ClockState.PENDING and arrive.due_at == first
    assert t.clocks(300 - 20 + 1)[ClockName.ARRIVE].state is ClockState.RUNNING
    assert t.clocks(300 - 3)[ClockName.ARRIVE].state is ClockState.WARNING
    t.at(120, Action.RESCHEDULE, appointment_at=second, previous_at=first, reason="业主出差")
    arrive = t.clocks(301)[ClockName.ARRIVE]
    assert arrive.due_at == second and arrive.previous_due == (first,)
    assert arrive.state is ClockState.PENDING


def test_reschedule_of_a_normal_call_keeps_the_twenty_minute_deadline_in_history():
    later = T0 + timedelta(hours=3)
    t = dispatched(Ticket()).at(10, Action.RESCHEDULE, appointment_at=later, reason="业主要求")
    arrive = t.clocks(30)[ClockName.ARRIVE]
    assert arrive.due_at == later and arrive.previous_due == (T0 + timedelta(minutes=20),)


def test_early_arrival_at_an_appointment_is_met_by_the_whole_margin():
    appt = T0 + timedelta(hours=5)
    t = dispatched(Ticket(urgency=Urgency.APPOINTMENT, appointment=appt)).at(60, Action.ARRIVE)
    arrive = t.clocks(61)[ClockName.ARRIVE]
    assert arrive.state is ClockState.MET and arrive.remaining_s == 4 * 60 * MIN


def test_feedback_runs_from_dispatch_to_the_technicians_first_word():
    # 000 3.1.8: dispatch -> accept, on site, complete or a recorded technician report
    t = dispatched(Ticket()).at(2, Action.ACCEPT).at(15, Action.ARRIVE)
    fb = t.clocks(100)[ClockName.FEEDBACK]
    assert fb.started_at == T0 + timedelta(minutes=1)
    assert fb.state is ClockState.MET and fb.stopped_at == T0 + timedelta(minutes=2)
    # on site for hours: no new feedback clock, no miss
    t.at(400, Action.COMPLETE, result="ok")
    assert t.clocks(401)[ClockName.FEEDBACK].state is ClockState.MET


def test_feedback_is_missed_after_two_hours_of_silence_from_dispatch():
    t = dispatched(Ticket())
    assert t.clocks(1 + 120)[ClockName.FEEDBACK].state is ClockState.BREACHED
    assert t.clocks(1 + 120)[ClockName.FEEDBACK].on_time is None  # a step now is in time
    assert t.clocks(1 + 120.01)[ClockName.FEEDBACK].on_time is False
    t.at(60, Action.FOLLOW_UP, progress="等配件")  # the desk's own note is not his word
    assert t.clocks(100)[ClockName.FEEDBACK].state is ClockState.WARNING  # 99 of 120 min
    t.at(110, Action.NOTE, technician_report=True)
    fb = t.clocks(111)[ClockName.FEEDBACK]
    assert fb.state is ClockState.MET and fb.remaining_s == 11 * MIN


def test_rework_restarts_the_clocks_that_apply():
    t = (dispatched(Ticket()).at(2, Action.ACCEPT).at(15, Action.ARRIVE)
         .at(50, Action.COMPLETE, result="ok").at(60, Action.RETURN)
         .at(24 * 60, Action.CALLBACK, satisfied=False).at(24 * 60, Action.REWORK))
    c = t.clocks(24 * 60 + 3)
    rework = T0 + timedelta(days=1)
    assert c[ClockName.DISPATCH].state is ClockState.MET  # its first result stays
    for name in (ClockName.ACCEPT, ClockName.ARRIVE, ClockName.FEEDBACK, ClockName.COMPLETE):
        assert c[name].started_at == rework and c[name].cycle == 1, name
        assert c[name].is_live, name
    assert c[ClockName.ARRIVE].due_at == rework + timedelta(minutes=20)
    assert c[ClockName.COMPLETE].due_at == local(2026, 11, 24, 0, 0)
    assert c[ClockName.CALLBACK].state is ClockState.PENDING


def test_a_voided_ticket_has_no_clocks():
    t = Ticket().at(3, Action.VOID, reason="重复")
    assert t.clocks(10) == {}


def test_public_area_complete_takes_three_days():
    t = Ticket(local(2026, 2, 27, 16, 0), scope=Scope.PUBLIC)
    assert t.clocks(1)[ClockName.COMPLETE].due_at == local(2026, 3, 2, 16, 0)


# ---------------------------------------------------------------- escalation and urgency


def test_levels_reached_follow_the_chain():
    t = Ticket()
    assert reached(t.clocks(3)[ClockName.DISPATCH], RULES) == []

    def levels(minutes: float) -> list:
        return [(r.level, r.callee) for r in reached(t.clocks(minutes)[ClockName.DISPATCH], RULES)]

    assert levels(4) == [(Level.WARNING, Callee.CLERK)]
    assert levels(5) == [(Level.WARNING, Callee.CLERK), (Level.BREACH, Callee.CLERK)]
    assert levels(5 + 15)[-1] == (Level.TEAM_LEADER, Callee.TEAM_LEADER)
    assert levels(5 + 30)[-1] == (Level.SUPERVISOR, Callee.SUPERVISOR)
    assert levels(5 + 60)[-1] == (Level.MANAGER, Callee.MANAGER)
    top = reached(t.clocks(100)[ClockName.DISPATCH], RULES)
    assert [r.at for r in top] == [T0 + timedelta(minutes=m) for m in (4, 5, 20, 35, 65)]
    dispatched(t, 101)
    assert reached(t.clocks(102)[ClockName.DISPATCH], RULES) == []  # stopped: nobody to call


def test_most_urgent_puts_the_breached_clock_first():
    t = dispatched(Ticket(), 1)
    clocks = evaluate(t.record(), T0 + timedelta(minutes=12), RULES, TZ)
    top = most_urgent(clocks)
    assert top is not None and top.name is ClockName.ACCEPT and top.remaining_s == -6 * MIN
    done = Ticket().at(1, Action.VOID, reason="x")
    assert most_urgent(evaluate(done.record(), T0 + timedelta(minutes=5), RULES, TZ)) is None


def test_on_time_counts_for_the_monthly_rates():
    good = dispatched(Ticket(), 2).record()
    late = dispatched(Ticket(), 9).record()
    counts = on_time_counts([good, late], T0 + timedelta(hours=1), RULES, TZ)
    assert (counts[ClockName.DISPATCH].met, counts[ClockName.DISPATCH].missed) == (1, 1)
    assert counts[ClockName.DISPATCH].rate == 0.5
    assert counts[ClockName.CALLBACK].rate is None


def test_labels_are_translated():
    assert ClockName.DISPATCH.label == "派工"
    assert ClockName.COMPLETE.label == "完工"
    assert ClockState.PAUSED.label == "待料"
    assert Level.TEAM_LEADER.label == "维修班长"


def test_waiting_for_an_appointment_is_not_silence_and_moves_the_same_day():
    appt = local(2026, 11, 23, 14, 0)  # tomorrow afternoon
    t = dispatched(Ticket(urgency=Urgency.APPOINTMENT, appointment=appt)).at(3, Action.ACCEPT)
    tomorrow = (appt - T0).total_seconds() / 60
    c = t.clocks(tomorrow - 30)
    assert c[ClockName.FEEDBACK].state is ClockState.MET  # he accepted: his first word
    assert c[ClockName.COMPLETE].state is ClockState.PENDING
    assert c[ClockName.COMPLETE].due_at == local(2026, 11, 24, 0, 0)
    t.at(tomorrow - 5, Action.ARRIVE)
    c = t.clocks(tomorrow + 60)
    assert c[ClockName.ARRIVE].state is ClockState.MET
    assert c[ClockName.COMPLETE].state is ClockState.RUNNING
    # dispatched for an appointment and silent: the wait for the appointment is not silence
    q = dispatched(Ticket(urgency=Urgency.APPOINTMENT, appointment=appt))
    fb = q.clocks(tomorrow - 30)[ClockName.FEEDBACK]
    assert fb.state is ClockState.RUNNING and fb.due_at == appt + timedelta(hours=2)
