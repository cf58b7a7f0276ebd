"""What the desk's board shows of the SLA engine (sla.py): which clock a row shows, which
clocks alert, until when a row's clocks hold (so the 1 Hz tick re-evaluates only the rows whose
clocks moved) and how rows and alerts sort (what the clerk must do now first). No screen
library here: the desk works out its first board before Textual is loaded (issue 18);
tui/live.py writes and colours it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import Any

from ..i18n import N_, _
from . import sla, sla_results
from .enums import Status, Urgency
from .follow_up import next_entry_at
from .ticket import TicketRecord


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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



class AlertKind(IntEnum):
    """What the clerk must do about an alert, in the order of doing it (issue 17): a ticket
    nobody has dispatched yet (the desk's own job, urgent first), then a breach, then a
    warning. The value is the rank."""

    UNDISPATCHED = 0
    BREACHED = 1
    WARNING = 2

    @property
    def label(self) -> str:
        return _(ALERT_KIND_LABELS[self])


ALERT_KIND_LABELS = {AlertKind.UNDISPATCHED: N_("undispatched"),
                     AlertKind.BREACHED: N_("overdue"), AlertKind.WARNING: N_("warning")}


def undispatched(record: TicketRecord) -> bool:
    """Registered and nobody sent yet: the desk must dispatch it now."""
    return record.status is Status.REGISTERED


def _first_group(record: TicketRecord) -> int | None:
    """0: undispatched and urgent; 1: undispatched; None: dispatched (or closed)."""
    if not undispatched(record):
        return None
    return 0 if record.intake.urgency is Urgency.URGENT else 1


def alert_kind(record: TicketRecord, c: UrgentClock) -> AlertKind:
    if undispatched(record):
        return AlertKind.UNDISPATCHED
    return AlertKind.BREACHED if c.state is sla.ClockState.BREACHED else AlertKind.WARNING


def alert_key(record: TicketRecord, c: UrgentClock, now: datetime) -> tuple[Any, ...]:
    """The alert strip's order: undispatched (urgent first), then breaches by how late (the
    latest first), then warnings by time left; a fresh urgent ticket nobody has dispatched
    comes above a two-hour-old escalation already being handled."""
    first = _first_group(record)
    group = first if first is not None else 1 + alert_kind(record, c)
    return (group, c.remaining_at(now), -record.intake.received_at.timestamp())


def alert_counts(kinds: Iterable[AlertKind]) -> list[tuple[AlertKind, int]]:
    """How many alerts of each kind, in AlertKind order, kinds with none left out."""
    counted = Counter(kinds)
    return [(k, counted[k]) for k in AlertKind if counted[k]]


def sort_key(record: TicketRecord, c: UrgentClock | None) -> tuple[Any, ...]:
    """By what the clerk must do now: undispatched (urgent first), then breached, warning,
    running by time left; then open without a clock; then today's finished tickets, newest
    first."""
    received = -record.intake.received_at.timestamp()
    running = c is not None and c.state is not sla.ClockState.PAUSED
    left = c.remaining_at(c.now) if c is not None and running else 0.0
    first = _first_group(record)
    if first is not None:
        return (first, left, received)
    if running:
        assert c is not None
        group = {sla.ClockState.BREACHED: 2, sla.ClockState.WARNING: 3}.get(c.state, 4)
        return (group, left, received)
    return (5 if record.is_open else 6, 0.0, received)
