"""What the SLA clocks of domain/sla.py mean once worked out: the warning and escalation levels
a late clock has reached (whom to call), whether each clock was met or missed (the month's
on-time rates, stored as bit sets), and when a ticket's answer can next change (so the desk
re-evaluates only rows whose clocks can move)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Iterable

from .sla import SlaClock, evaluate
from .sla_rules import Callee, ClockName, ClockState, Level, SlaRules
from .sla_time import instant
from .ticket import TicketRecord

__all__ = ["CLOCK_BITS", "OnTime", "Outcome", "Reached", "bits_to_counts", "next_change",
           "on_time_counts", "outcome", "outcome_bits", "reached"]


# ---------------------------------------------------------------- warnings and escalation


@dataclass(frozen=True, slots=True)
class Reached:
    """A level a late clock has reached, whom it calls, and when it was reached."""

    level: Level
    callee: Callee
    at: datetime


def reached(clock: SlaClock, rules: SlaRules) -> list[Reached]:
    """Warning, breach and escalation steps reached by a clock that is still counting (or
    paused); a stopped clock calls nobody."""
    if clock.started_at is None or clock.target_s is None or clock.remaining_s is None:
        return []
    if clock.state not in (ClockState.RUNNING, ClockState.WARNING, ClockState.BREACHED,
                           ClockState.PAUSED):
        return []
    rule = rules.clocks[clock.name]
    target = clock.target_s
    elapsed = target - clock.remaining_s
    out: list[Reached] = []
    if elapsed >= rules.warning_fraction * target and clock.warn_at is not None:
        out.append(Reached(Level.WARNING, rule.warn, clock.warn_at))
    if elapsed >= target and clock.due_at is not None:
        out.append(Reached(Level.BREACH, rule.breach, clock.due_at))
        for step in rule.escalation:
            if elapsed >= target + step.after_s:
                at = instant(clock.started_at, target + step.after_s, clock.pauses)
                out.append(Reached(step.level, Callee(step.level.value), at))
    return out


@dataclass(frozen=True, slots=True)
class OnTime:
    met: int = 0
    missed: int = 0
    pending: int = 0  # started, not decided: shown beside the rate, not in it

    @property
    def rate(self) -> float | None:
        total = self.met + self.missed
        return self.met / total if total else None


def on_time_counts(records: Iterable[TicketRecord], now: datetime, rules: SlaRules,
                   tz: tzinfo) -> dict[ClockName, OnTime]:
    """Per clock, how many were met, missed (open work past its deadline included) and are
    pending, as of `now` (domain.md "Counting")."""
    counts = {name: [0, 0, 0] for name in ClockName}
    for record in records:
        for clock in evaluate(record, now, rules, tz):
            result = clock.result
            if result is not None:
                counts[clock.name][("met", "missed", "pending").index(result)] += 1
    return {name: OnTime(*c) for name, c in counts.items()}


# one bit per clock in the stored outcomes (ticket_clock.met / .missed): never renumber
CLOCK_BITS: dict[ClockName, int] = {
    ClockName.DISPATCH: 1, ClockName.ACCEPT: 2, ClockName.ARRIVE: 4, ClockName.FEEDBACK: 8,
    ClockName.ASSESS: 16, ClockName.COMPLETE: 32, ClockName.CALLBACK: 64,
}


@dataclass(frozen=True, slots=True)
class Outcome:
    """A ticket's clock results as bit sets of CLOCK_BITS, and `stale_at`: the first instant
    a pending clock's deadline passes (it turns missed without a step); None: only a new step
    can change the answer."""

    met: int = 0
    missed: int = 0
    pending: int = 0
    stale_at: datetime | None = None


def outcome(record: TicketRecord, now: datetime, rules: SlaRules, tz: tzinfo) -> Outcome:
    """The ticket's results as of `now`, to be stored with each step (services/sla_outcomes)
    and judged again once `stale_at` has passed."""
    met = missed = pending = 0
    stale: list[datetime] = []
    for clock in evaluate(record, now, rules, tz):
        bit = CLOCK_BITS[clock.name]
        result = clock.result
        if result == "met":
            met |= bit
        elif result == "missed":
            missed |= bit
        elif result == "pending":
            pending |= bit
            if clock.state is not ClockState.PAUSED and clock.due_at is not None:
                stale.append(clock.due_at)
    return Outcome(met, missed, pending, min(stale) if stale else None)


def outcome_bits(record: TicketRecord, now: datetime, rules: SlaRules,
                 tz: tzinfo) -> tuple[int, int]:
    """(met, missed) bit sets of CLOCK_BITS as of `now` (see outcome)."""
    o = outcome(record, now, rules, tz)
    return o.met, o.missed


def bits_to_counts(rows: Iterable[tuple[int, ...]]) -> dict[ClockName, OnTime]:
    """(met bits, missed bits, [pending bits,] how many tickets) rows added up per clock."""
    counts = {name: [0, 0, 0] for name in ClockName}
    for row in rows:
        met, missed, *rest = row
        pending, n = (rest[0], rest[1]) if len(rest) == 2 else (0, rest[0])
        for name, bit in CLOCK_BITS.items():
            if met & bit:
                counts[name][0] += n
            elif missed & bit:
                counts[name][1] += n
            elif pending & bit:
                counts[name][2] += n
    return {name: OnTime(*c) for name, c in counts.items()}


_MOVING = (ClockState.RUNNING, ClockState.WARNING, ClockState.BREACHED)


def next_change(record: TicketRecord, clocks: list[SlaClock], rules: SlaRules,
                now: datetime) -> datetime | None:
    """The first instant after `now` at which evaluate() could answer differently for this
    record (a state, a level reached, the most urgent clock); None: only a new step can.
    Until then a running clock's deadline holds, so its countdown is `due_at - now`."""
    out = [e.at for e in record.events if e.at > now]  # a step entered ahead of the clock
    frozen = False
    for c in clocks:
        if c.state is ClockState.PENDING and c.started_at and c.started_at > now:
            out.append(c.started_at)
        if c.state not in _MOVING:
            continue  # stopped, or paused until a step resumes it
        out += [t for t in (c.warn_at, c.due_at) if t is not None and t > now]
        if c.started_at is not None and c.target_s is not None:
            for step in rules.clocks[c.name].escalation:
                at = instant(c.started_at, c.target_s + step.after_s, c.pauses)
                if at > now:
                    out.append(at)
        for a, b in c.pauses:  # a known wait ahead: this clock stands still meanwhile
            if b > now:
                frozen = True
                out += [t for t in (a, b) if t > now]
    live = [c for c in clocks if c.state in _MOVING and c.remaining_s is not None]
    if frozen and len(live) > 1:
        # a clock standing still can be overtaken: not before the gap to the next one is run
        least, *others = sorted(c.remaining_s or 0.0 for c in live)
        out += [now + timedelta(seconds=max(r - least, 1.0)) for r in others]
    return min(out) if out else None
