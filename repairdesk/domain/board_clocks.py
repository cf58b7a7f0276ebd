"""What the desk's board shows of the SLA engine (sla.py): which clock a row shows, which
clocks alert, until when a row's clocks hold (so the 1 Hz tick re-evaluates only the rows whose
clocks moved) and how rows sort (breached first, then least time left). No screen library here:
the desk works out its first board before Textual is loaded (issue 18); tui/live.py writes and
colours it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import sla, sla_results
from .follow_up import next_entry_at
from .ticket import TicketRecord


@dataclass(frozen=True)
class UrgentClock:
    """The clock a row shows: the most urgent running one, as of `now`."""

    clock: sla.SlaClock
    now: datetime
    alerting_clocks: tuple[sla.SlaClock, ...] = ()  # every clock of the ticket in warning/breach

    @property
    def state(self) -> sla.ClockState:
        return self.clock.state

    @property
    def alerting(self) -> bool:
        return self.clock.state in (sla.ClockState.WARNING, sla.ClockState.BREACHED)

    def remaining_at(self, now: datetime) -> float:
        assert self.clock.due_at is not None
        return (self.clock.due_at - now).total_seconds()


def urgent_clock(record: TicketRecord, now: datetime, rules: Any, tz: Any) -> UrgentClock | None:
    if rules is None or not record.is_open:
        return None
    return _urgent(sla.evaluate(record, now, rules, tz), now)


@dataclass(frozen=True)
class RowClocks:
    """A row's clocks as evaluated at `at`: what it shows, which clocks alert, and `until`, the
    first instant at which evaluating again could change a state, a level reached or the
    most urgent clock (None: only a new event can). Before then, a running clock's deadline
    holds, so its countdown is `due_at - now` without evaluating."""

    at: datetime
    clock: UrgentClock | None
    alerts: tuple[UrgentClock, ...]
    until: datetime | None

    def stale(self, now: datetime) -> bool:
        return now < self.at or (self.until is not None and now >= self.until)


def row_clocks(record: TicketRecord, now: datetime, rules: Any, tz: Any) -> RowClocks:
    if rules is None or not record.is_open:
        return RowClocks(now, None, (), None)
    clocks = sla.evaluate(record, now, rules, tz)
    c = _urgent(clocks, now)
    alerts = tuple(UrgentClock(x, now) for x in c.alerting_clocks) if c else ()
    until = sla_results.next_change(record, clocks, rules, now)
    entry = next_entry_at(record, now)  # a follow-up's weekly entry falls due (004)
    if entry is not None and entry > now and (until is None or entry < until):
        until = entry
    return RowClocks(now, c, alerts, until)


def _urgent(clocks: list[sla.SlaClock], now: datetime) -> UrgentClock | None:
    clock = sla.most_urgent(clocks)
    if clock is None or clock.due_at is None:
        return None
    return UrgentClock(clock, now, tuple(
        c for c in clocks if c.due_at is not None
        and c.state in (sla.ClockState.WARNING, sla.ClockState.BREACHED)))


def alerting(c: UrgentClock | None) -> list[UrgentClock]:
    """One entry per clock of the ticket in warning or breach (for the alert panel)."""
    if c is None:
        return []
    return [UrgentClock(x, c.now) for x in c.alerting_clocks]



def sort_key(record: TicketRecord, c: UrgentClock | None) -> tuple[Any, ...]:
    """Breached, then warning, then running by time left; then open without a clock; then
    today's finished tickets, newest first."""
    received = -record.intake.received_at.timestamp()
    if c is not None and c.state is not sla.ClockState.PAUSED:
        group = {sla.ClockState.BREACHED: 0, sla.ClockState.WARNING: 1}.get(c.state, 2)
        return (group, c.remaining_at(c.now), received)
    return (3 if record.is_open else 4, 0.0, received)
