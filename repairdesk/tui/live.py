"""The bridge between the SLA engine (domain/sla.py) and the screen: which clock a row shows,
how it is written and coloured, how rows sort (breached first, then least time left), and until
when a row's clocks hold, so the 1 Hz tick re-evaluates only the rows whose clocks moved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..domain import sla, sla_results
from ..domain.follow_up import next_entry_at
from ..domain.ticket import TicketRecord
from ..fmt import countdown, countdown_width, pad_left

# Rich styles of the countdown column and the alert panel (the one place they are chosen).
# Exact xterm-256 entries, so a 256-colour terminal shows the very colours measured: each
# text reaches 4.5:1 on its background, and the white of the row under the cursor
# (app.tcss) on the warning and overdue backgrounds too (tests/tui/test_contrast_tui.py).
STYLE_NORMAL = "#87ffaf"
STYLE_WARNING = "bold #ffffff on #af5f00"
STYLE_BREACHED = "bold #ffffff on #af0000"
STYLE_URGENT = "bold #ff5f5f"
STYLE_IDLE = "dim"


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


def countdown_text(c: UrgentClock | None, now: datetime) -> str:
    """fmt.countdown, right-aligned to the column's fixed width (late ... once breached);
    blank when no clock runs."""
    if c is None:
        return ""
    if c.state is sla.ClockState.PAUSED:
        return pad_left("||", countdown_width())
    return countdown(c.remaining_at(now), pad=True)


def clock_style(c: UrgentClock | None, text: str = "") -> str:
    if c is None:
        return STYLE_IDLE
    return {sla.ClockState.WARNING: STYLE_WARNING,
            sla.ClockState.BREACHED: STYLE_BREACHED,
            sla.ClockState.PAUSED: STYLE_IDLE}.get(c.state, STYLE_NORMAL)


def sort_key(record: TicketRecord, c: UrgentClock | None) -> tuple[Any, ...]:
    """Breached, then warning, then running by time left; then open without a clock; then
    today's finished tickets, newest first."""
    received = -record.intake.received_at.timestamp()
    if c is not None and c.state is not sla.ClockState.PAUSED:
        group = {sla.ClockState.BREACHED: 0, sla.ClockState.WARNING: 1}.get(c.state, 2)
        return (group, c.remaining_at(c.now), received)
    return (3 if record.is_open else 4, 0.0, received)
