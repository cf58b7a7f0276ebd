"""Property-based tests of the SLA clock arithmetic: any call time (midnights, month ends,
leap days), any pauses, any reschedules."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from repairdesk.config import load_config
from repairdesk.domain.enums import Action, Scope, Urgency
from repairdesk.domain.sla import ClockName, ClockState, evaluate
from repairdesk.domain.sla_results import reached
from repairdesk.domain.sla_time import active_s, complete_due, instant
from repairdesk.domain.ticket import Event, Intake, TicketRecord, fold

TZ = ZoneInfo("Asia/Shanghai")
RULES = load_config(None).sla
UTC = timezone.utc

# any minute from 2024 to 2027: leap day 2024-02-29, every month end and midnight
calls = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31, 23, 59),
                     timezones=st.just(TZ)).map(lambda d: d.replace(second=0, microsecond=0)
                                                .astimezone(UTC))
month_ends = st.builds(
    lambda y, m, h, mi: (datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=TZ)
                         - timedelta(hours=h, minutes=mi)).astimezone(UTC),
    st.integers(2024, 2027), st.integers(1, 12), st.integers(0, 5), st.integers(0, 59))
any_call = st.one_of(calls, month_ends)
# pauses as (minutes after the call it starts, minutes it lasts)
pause_plans = st.lists(st.tuples(st.integers(0, 3000), st.integers(1, 600)), max_size=4)


def record(received: datetime, steps: list[tuple[datetime, Action, dict]],
           urgency: Urgency = Urgency.NORMAL, scope: Scope = Scope.HOME,
           appointment: datetime | None = None) -> TicketRecord:
    intake = Intake(received_at=received, room="3-2-1501", caller="王", content="漏水",
                    urgency=urgency, scope=scope, appointment_at=appointment)
    events = [Event(received, Action.REGISTER, "李静",
                    data={"intake": {"appointment_at": appointment}}, seq=1)]
    for i, (at, action, data) in enumerate(sorted(steps, key=lambda s: s[0]), start=2):
        events.append(Event(at, action, "李静", data=data, seq=i))
    return TicketRecord("BX-1", intake, fold(events), tuple(events), received, "李静")


def pauses_from(received: datetime, plan: list[tuple[int, int]]) -> list[tuple[datetime, datetime]]:
    """Non-overlapping pause intervals laid out one after another."""
    out, t = [], received
    for gap, length in plan:
        start = t + timedelta(minutes=gap)
        out.append((start, start + timedelta(minutes=length)))
        t = start + timedelta(minutes=length)
    return out


def pause_steps(pauses):
    steps = []
    for ps, pe in pauses:
        steps += [(ps, Action.PAUSE, {"reason": "待料"}), (pe, Action.RESUME, {})]
    return steps


@given(any_call, st.integers(0, 10 ** 6), pause_plans)
def test_active_time_and_instant_are_inverse(start, seconds, plan):
    pauses = tuple(pauses_from(start, plan))
    at = instant(start, seconds, pauses)
    assert active_s(start, at, pauses) == seconds
    assert at >= start + timedelta(seconds=seconds)


@given(any_call)
def test_same_day_completion_is_due_at_the_next_local_midnight(received):
    due = complete_due(received, Scope.HOME, RULES.complete, TZ)
    local_call, local_due = received.astimezone(TZ), due.astimezone(TZ)
    late = local_call.hour >= 20
    assert local_due.time().hour == 0 and local_due.minute == 0
    assert local_due.date() == local_call.date() + timedelta(days=2 if late else 1)
    assert due > received


@given(any_call)
def test_public_completion_is_three_days(received):
    due = complete_due(received, Scope.PUBLIC, RULES.complete, TZ)
    assert due - received == timedelta(days=3)  # Shanghai has no daylight saving


@given(any_call, pause_plans, st.integers(0, 4000))
def test_paused_time_is_not_counted(received, plan, minutes):
    pauses = pauses_from(received, plan)
    now = received + timedelta(minutes=minutes)
    rec = record(received, [s for s in pause_steps(pauses) if s[0] <= now])
    clock = {c.name: c for c in evaluate(rec, now, RULES, TZ)}[ClockName.COMPLETE]
    paused = sum(((min(pe, now) - ps).total_seconds() for ps, pe in pauses if ps < now), 0.0)
    assert clock.paused_s == paused
    assert clock.remaining_s == clock.target_s - ((now - received).total_seconds() - paused)
    in_pause = any(ps <= now < pe for ps, pe in pauses)
    if in_pause:
        assert clock.state is ClockState.PAUSED
    else:  # the deadline moved by exactly the paused time before it
        due = clock.due_at
        before = sum(max(0.0, (min(pe, due) - ps).total_seconds()) for ps, pe in pauses
                     if ps < now)
        assert (due - received).total_seconds() - before == clock.target_s


@given(any_call, pause_plans)
@settings(max_examples=60)
def test_remaining_time_never_grows_and_states_follow_it(received, plan):
    pauses = pauses_from(received, plan)
    rec = record(received, pause_steps(pauses))
    last = None
    for minutes in range(0, 3 * 24 * 60, 97):
        now = received + timedelta(minutes=minutes)
        clock = {c.name: c for c in evaluate(rec, now, RULES, TZ)}[ClockName.COMPLETE]
        if last is not None:
            assert clock.remaining_s <= last
        last = clock.remaining_s
        if clock.state is ClockState.BREACHED:
            assert clock.remaining_s <= 0 and now >= clock.due_at
        elif clock.state in (ClockState.RUNNING, ClockState.WARNING):
            assert clock.remaining_s > 0 and now < clock.due_at
        warned = clock.target_s - clock.remaining_s >= RULES.warning_fraction * clock.target_s
        assert (clock.state is ClockState.WARNING) == (
            warned and clock.remaining_s > 0 and clock.state is not ClockState.PAUSED)


@given(any_call, st.lists(st.integers(30, 10 * 24 * 60), min_size=1, max_size=4),
       st.integers(0, 15 * 24 * 60))
def test_reschedules_re_anchor_the_arrival_and_keep_the_old_deadlines(received, offsets, ask):
    appointments = [received + timedelta(minutes=m) for m in offsets]
    steps = [(received + timedelta(minutes=i + 1), Action.RESCHEDULE,
              {"appointment_at": a, "reason": "改约"}) for i, a in enumerate(appointments[1:])]
    now = received + timedelta(minutes=len(offsets) + ask)
    rec = record(received, steps, Urgency.APPOINTMENT, appointment=appointments[0])
    arrive = {c.name: c for c in evaluate(rec, now, RULES, TZ)}[ClockName.ARRIVE]
    assert arrive.due_at == appointments[-1]
    assert arrive.previous_due == tuple(appointments[:-1])
    window = timedelta(seconds=RULES.arrive.appointment_window_s)
    if now < appointments[-1] - window:
        assert arrive.state is ClockState.PENDING
    elif now >= appointments[-1]:
        assert arrive.state is ClockState.BREACHED


@given(any_call, st.integers(0, 600), st.integers(0, 600), st.integers(0, 2000))
def test_asking_about_the_past_ignores_later_steps(received, d1, d2, ask):
    steps = [(received + timedelta(minutes=d1), Action.DISPATCH, {"technician": "张"}),
             (received + timedelta(minutes=d1 + d2), Action.ACCEPT, {})]
    now = received + timedelta(minutes=ask)
    full = evaluate(record(received, steps), now, RULES, TZ)
    known = evaluate(record(received, [s for s in steps if s[0] <= now]), now, RULES, TZ)
    assert full == known


@given(any_call, st.integers(0, 300), st.integers(1, 300))
def test_levels_reached_only_grow_with_time(received, t1, dt):
    rec = record(received, [])
    levels = []
    for minutes in (t1, t1 + dt):
        clock = evaluate(rec, received + timedelta(minutes=minutes), RULES, TZ)[0]
        levels.append([r.level for r in reached(clock, RULES)])
    assert levels[1][:len(levels[0])] == levels[0]
