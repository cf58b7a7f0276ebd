"""The SLA clocks: every promised time of a ticket as a clock, worked out from its history.

Pure and clock-injected: `evaluate(record, now, rules, tz)` reads only the events up to `now`,
so the same call answers "how long is left" for an open ticket and "was it met, by how much"
for a finished one. Time is counted in *active* seconds: paused (待料) time is taken out.

How each clock runs (targets and callees come from data/sla.toml):
- dispatch  received -> first dispatch.
- accept    dispatched -> accepted (or on site). A re-dispatch after acceptance restarts it.
- arrive    received -> on site; with an appointment it runs in the window before the appointed
            time and is due at it (plus grace). A reschedule re-anchors it; the old deadlines
            stay in `previous_due`.
- feedback  from the dispatch until the technician's first word: accept, on site, complete, or
            a technician's report recorded by the desk (000 3.1.8); never restarted by later
            steps (a rework starts it again with the new cycle).
- assess    out-of-scope items: from acceptance to the fee assessment; or, when the job is
            marked as needing assessment while on site, from then (003 5.3). Amended away
            from "needs assessment" without one: a miss by then stays, else it no longer
            applies.
- complete  received -> completed: in-home by the day's cut-off, public areas in N days.
- callback  completed -> called back.
A rework (返工) starts a new cycle: accept, arrive, feedback, complete and callback restart from
the rework; dispatch and assess keep their first result. A voided ticket has no clocks.
While the owner decides on an assessed fee (000 十A: from the assessment to the owner's answer,
or to the first step that shows the work goes on) the clocks stand still as in a 待料 pause.
An owner who declines ends the job unworked: clocks decided by then keep their result, one
past its deadline stays missed, the others no longer apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Iterable

from .enums import Action, Scope, ServiceType, Urgency
from .sla_rules import (
    ArriveRule, Callee, ClockName, ClockRule, ClockState, CompleteRule, CompleteTarget,
    EscalationStep, Level, SlaRules,
)
from .sla_history import Scan, scan
from .sla_time import Interval, active_s, clip, complete_due, instant, merged
from .ticket import Event, Intake, TicketRecord

_FAR = datetime.max.replace(tzinfo=timezone.utc)

__all__ = [
    "ArriveRule", "Callee", "ClockName", "ClockRule", "ClockState", "CompleteRule",
    "CompleteTarget", "EscalationStep", "Level", "SlaClock", "SlaRules",
    "complete_due", "evaluate", "most_urgent",
]


@dataclass(frozen=True, slots=True)
class SlaClock:
    """One clock at one instant. `remaining_s` is negative when overdue; for a stopped clock it
    is the margin it was met by (positive) or missed by (negative). `due_at` includes paused
    time; while paused it is the deadline if work resumed now."""

    name: ClockName
    started_at: datetime | None
    due_at: datetime | None
    state: ClockState
    remaining_s: float | None
    target_s: float | None = None
    stopped_at: datetime | None = None
    previous_due: tuple[datetime, ...] = ()
    warn_at: datetime | None = None
    paused_s: float = 0.0
    cycle: int = 0
    pauses: tuple[Interval, ...] = field(default=(), repr=False, compare=False)
    # a result decided before a later amendment or reschedule (domain.md "Clock results")
    verdict: bool | None = None

    @property
    def is_live(self) -> bool:
        return self.state.is_live

    @property
    def overdue_s(self) -> float:
        return max(0.0, -(self.remaining_s or 0.0))

    @property
    def on_time(self) -> bool | None:
        """The clock's result (domain.md "Clock results"): True met (stopped by its deadline),
        False missed (its deadline passed without the stopping step, even if it still runs),
        None pending (running within its target, or not started)."""
        if self.verdict is not None:
            return self.verdict
        if self.state is ClockState.MET:
            return True
        if self.state is ClockState.MISSED:
            return False
        # running or paused past the deadline (at the deadline itself a step is still in time)
        if self.state in (ClockState.BREACHED, ClockState.PAUSED) and (
                self.remaining_s or 0.0) < 0:
            return False
        return None

    @property
    def result(self) -> str | None:
        """'met', 'missed', 'pending' (started, not decided), None (not started)."""
        decided = self.on_time
        if decided is not None:
            return "met" if decided else "missed"
        return "pending" if self.started_at is not None else None

    @property
    def anchor(self) -> datetime | None:
        """What identifies this promise: a reschedule, a rework or a new silence period gives
        a new anchor (and new warnings); a pause does not."""
        return self.started_at

    def active_at(self, instant_s: float) -> datetime | None:
        """The instant at which the clock has run `instant_s` active seconds."""
        if self.started_at is None:
            return None
        return instant(self.started_at, instant_s, self.pauses)


def arrive_target(record: TicketRecord, rule: ClockRule, arrive: ArriveRule) -> float:
    """Normal 20 min; urgent 10; urgent water/power (水电急修) 15 (by category)."""
    if record.intake.urgency is Urgency.URGENT:
        return arrive.urgent_by_category.get(record.intake.category, arrive.urgent_s)
    return float(rule.target_s or 0.0)


# ---------------------------------------------------------------- the clocks


def _clock(name: ClockName, rule: ClockRule, fraction: float, now: datetime,
           start: datetime | None, target: float | None, stop: datetime | None,
           pauses: list[list], cycle: int = 0, previous: tuple[datetime, ...] = ()) -> SlaClock:
    """One clock from its start, active target and stop, with the pauses that stop it."""
    if start is None or target is None:
        return SlaClock(name, None, None, ClockState.PENDING, None, target, None, previous,
                        cycle=cycle)
    if stop is not None and stop > now:
        stop = None
    end = stop or now
    if end < start:
        if stop is None:  # not started yet (an appointment's window lies ahead)
            due = start + timedelta(seconds=target)
            return SlaClock(name, start, due, ClockState.PENDING, (due - now).total_seconds(),
                            target, None, previous, start + timedelta(seconds=fraction * target),
                            cycle=cycle)
        end = start
    held = clip(pauses, start, end) if rule.pauses else ()
    elapsed = active_s(start, end, held)
    if stop is not None and stop < start:
        elapsed = (stop - start).total_seconds()
    remaining = target - elapsed
    # a running clock's deadline: an open pause ends now, a known wait (appointment) as known
    ahead = held if stop is not None or not rule.pauses else clip(pauses, start, _FAR, now)
    due = instant(start, target, ahead)
    warn_at = instant(start, fraction * target, ahead)
    paused_s = (end - start).total_seconds() - elapsed if end > start else 0.0
    if stop is not None:
        state = ClockState.MET if remaining >= 0 else ClockState.MISSED
    elif rule.pauses and pauses and pauses[-1][1] is None and pauses[-1][0] <= now:
        state = ClockState.PAUSED
    elif remaining <= 0:
        state = ClockState.BREACHED
    elif elapsed >= fraction * target:
        state = ClockState.WARNING
    else:
        state = ClockState.RUNNING
    # never paused (nearly every clock): the one 0.0, not a float of its own per clock
    return SlaClock(name, start, due, state, remaining, target, stop, previous, warn_at,
                    paused_s if paused_s > 0 else 0.0, cycle, ahead)


def _feedback(rule: ClockRule, fraction: float, now: datetime, s: Scan) -> SlaClock | None:
    """From the dispatch (a rework: from the rework) to the technician's first word (000
    3.1.8). Time waiting for an appointment is not counted (nor paused time)."""
    if not s.feedback:
        return None
    quiet = merged([list(p) for p in (s.pauses if rule.pauses else [])]
                    + [list(w) for w in s.waits])
    # only a real pause is still open (end None), so only a real pause shows as paused
    return _clock(ClockName.FEEDBACK, replace(rule, pauses=True), fraction, now, s.feedback[0],
                  float(rule.target_s or 0.0), s.feedback_stop, quiet, s.cycle)


def evaluate(record: TicketRecord, now: datetime, rules: SlaRules, tz: tzinfo) -> list[SlaClock]:
    """Every clock that applies to the ticket, as of `now`, in lifecycle order.

    A result is decided once (domain.md "Clock results"): a clock already met or missed when
    the urgency, category, scope or service type is amended, or the appointment rescheduled,
    keeps that result; the clock shown runs on under the new details (a new appointment's
    clock)."""
    clocks = _evaluate(record, now, rules, tz)
    points = [i for i, e in enumerate(record.events)
              if e.at <= now and (e.action is Action.RESCHEDULE or (
                  e.action is Action.AMEND and _touches_clocks(e)))]
    if not points or not clocks:
        return clocks
    before = _intakes_before(record)
    verdicts: dict[tuple[ClockName, int], bool] = {}
    for i in points:
        e = record.events[i]
        earlier = replace(record, intake=before.get(i, record.intake), events=record.events[:i])
        for c in _evaluate(earlier, e.at, rules, tz):
            if c.on_time is not None:
                verdicts.setdefault((c.name, c.cycle), c.on_time)
    out = []
    for c in clocks:
        v = verdicts.get((c.name, c.cycle))
        if v is None or c.started_at is None:
            out.append(c)
            continue
        state = c.state
        if v is False and state is ClockState.MET:
            state = ClockState.MISSED
        elif v is True and state in (ClockState.MISSED, ClockState.BREACHED):
            state = ClockState.MET
        out.append(replace(c, state=state, verdict=v))
    return out


# the details a clock depends on: urgency, scope and category; the service type (whether an
# assessment is owed at all)
_CLOCK_FIELDS = {"urgency": Urgency, "scope": Scope, "category": str,
                 "service_type": ServiceType}


def _touches_clocks(e: Event) -> bool:
    changes = e.data.get("changes", {}) if isinstance(e.data, dict) else {}
    return any(k in changes for k in (*_CLOCK_FIELDS, "appointment_at"))


def _intakes_before(record: TicketRecord) -> dict[int, Intake]:
    """For each amendment (by index in the history), the details in force before it: the
    current intake with the amendments' previous values put back, newest first."""
    out: dict[int, Intake] = {}
    cur = record.intake
    for i in range(len(record.events) - 1, -1, -1):
        e = record.events[i]
        if e.action is Action.AMEND and isinstance(e.data, dict):
            prev = e.data.get("previous", {}) or {}
            back: dict[str, object] = {}
            for key, kind in _CLOCK_FIELDS.items():
                if key in prev and key in (e.data.get("changes") or {}):
                    try:
                        back[key] = kind(prev[key])
                    except ValueError:
                        continue
            if back:
                cur = replace(cur, **back)  # type: ignore[arg-type]
        out[i] = cur
    return out


def _evaluate(record: TicketRecord, now: datetime, rules: SlaRules,
              tz: tzinfo) -> list[SlaClock]:
    s = scan(record, now)
    if s.voided:
        return []
    if s.declined is not None:
        return _ended(_clocks(record, s.declined, rules, tz, scan(record, s.declined)),
                      s.declined)
    return _clocks(record, now, rules, tz, s)


def _ended(clocks: list[SlaClock], at: datetime) -> list[SlaClock]:
    """The owner declined the fee (000 十A/B): the job ends unworked at `at`. A clock decided
    by then keeps its result; one already past its deadline stays missed; the others no
    longer apply (the work is not owed, so it is not late)."""
    out = []
    for c in clocks:
        if c.state in (ClockState.MET, ClockState.MISSED):
            out.append(c)
        elif c.on_time is False:
            out.append(replace(c, state=ClockState.MISSED, stopped_at=at))
    return out


def _clocks(record: TicketRecord, now: datetime, rules: SlaRules, tz: tzinfo,
            s: Scan) -> list[SlaClock]:
    f, r = rules.warning_fraction, rules.clocks
    out: list[SlaClock] = []
    rule = r[ClockName.DISPATCH]
    out.append(_clock(ClockName.DISPATCH, rule, f, now, s.received, rule.target_s,
                      s.first_dispatch, s.pauses))
    rule = r[ClockName.ACCEPT]
    old = tuple(instant(a, rule.target_s or 0.0, ()) for a in s.accept_old)
    out.append(_clock(ClockName.ACCEPT, rule, f, now, s.accept_start, rule.target_s,
                      s.accept_stop, s.pauses, s.cycle, old))
    out.append(_arrive(record, rules, now, s))
    fb = _feedback(r[ClockName.FEEDBACK], f, now, s)
    out.append(fb or _clock(ClockName.FEEDBACK, r[ClockName.FEEDBACK], f, now, None,
                            r[ClockName.FEEDBACK].target_s, None, s.pauses))
    if s.was_assess:
        assess = _assess(rules, now, s)
        if assess is not None:
            out.append(assess)
    rule = r[ClockName.COMPLETE]
    # an appointment for a later day moves "the same day" to that day
    start = max(s.cycle_start or s.received, s.appointments[-1] if s.appointments else s.received)
    due = complete_due(start, record.intake.scope, rules.complete, tz)
    out.append(_clock(ClockName.COMPLETE, rule, f, now, start, (due - start).total_seconds(),
                      s.complete_stop, s.pauses, s.cycle))
    rule = r[ClockName.CALLBACK]
    out.append(_clock(ClockName.CALLBACK, rule, f, now, s.complete_stop, rule.target_s,
                      s.callback_stop, s.pauses, s.cycle))
    return out


def _arrive(record: TicketRecord, rules: SlaRules, now: datetime, s: Scan) -> SlaClock:
    rule, ar = rules.clocks[ClockName.ARRIVE], rules.arrive
    start = s.cycle_start or s.received
    normal = arrive_target(record, rule, ar)
    if not s.appointments:
        return _clock(ClockName.ARRIVE, rule, rules.warning_fraction, now, start, normal,
                      s.arrive_stop, s.pauses, s.cycle)
    previous = [] if s.registered_appointment else [start + timedelta(seconds=normal)]
    previous += [a + timedelta(seconds=ar.appointment_grace_s) for a in s.appointments[:-1]]
    anchor = s.appointments[-1]
    window = ar.appointment_window_s + ar.appointment_grace_s
    return _clock(ClockName.ARRIVE, rule, rules.warning_fraction, now,
                  anchor - timedelta(seconds=ar.appointment_window_s), window, s.arrive_stop,
                  s.pauses, s.cycle, tuple(previous))


def _assess(rules: SlaRules, now: datetime, s: Scan) -> SlaClock | None:
    """None: the job no longer needs an assessment (amended away before its deadline)."""
    rule = rules.clocks[ClockName.ASSESS]
    if s.assess_marked is not None and s.assess_on_site:
        start, target = s.assess_marked, rule.target_s
    else:
        start, target = s.taken_at, rules.assess_fee_s
        if start is not None and s.assess_marked is not None and s.assess_marked > start:
            start = s.assess_marked
    if start is None and s.assess_stop is not None:
        start = s.assess_stop  # assessed before anyone took the order: met at once
    clock = _clock(ClockName.ASSESS, rule, rules.warning_fraction, now, start, target,
                   s.assess_stop, s.pauses)
    left = s.assess_left
    if left is None or (s.assess_stop is not None and s.assess_stop <= left):
        return clock
    # amended away without an assessment: a miss by then stays a miss, else nothing is owed
    then = _clock(ClockName.ASSESS, rule, rules.warning_fraction, left, start, target,
                  None, s.pauses)
    if then.on_time is False:
        return replace(then, state=ClockState.MISSED, stopped_at=left)
    return None


def most_urgent(clocks: Iterable[SlaClock]) -> SlaClock | None:
    """The live clock with the least time left (so a breached one comes first)."""
    live = [c for c in clocks if c.is_live and c.remaining_s is not None]
    return min(live, key=lambda c: c.remaining_s or 0.0) if live else None
