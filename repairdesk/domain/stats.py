"""The monthly statistics table (特约服务/维修月统计表, 003 4.9) and the daily report (003 4.10(4))
as plain records, plus the monthly targets (003 4.1(4)). Computed in services/reports.py;
shown by the CLI, the TUI and the exporters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ..errors import ConfigError
from .follow_up import FollowUpEntryDue
from ..i18n import _


@dataclass(frozen=True)
class Targets:
    """零修及时率 100%, 返修率 ≤ 1%, 回访率 100% by default; a site may set its own."""

    ontime: Decimal = Decimal("1")
    rework: Decimal = Decimal("0.01")
    callback: Decimal = Decimal("1")
    top_categories: int = 5


def parse_targets(raw: dict[str, Any]) -> Targets:
    """The [reports] table; errors name the key."""
    if not isinstance(raw, dict):
        raise ConfigError(_("Configuration key {key}: {problem}").format(
            key="reports", problem=_("expected a table")))

    def rate(key: str, default: str) -> Decimal:
        value = raw.get(key, default)
        try:
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                raise ValueError
            number = Decimal(str(value))
            if not number.is_finite() or not 0 <= number <= 1:
                raise ValueError
        except (ValueError, ArithmeticError):
            raise ConfigError(_("Configuration key {key}: {problem}").format(
                key=f"reports.{key}",
                problem=_("expected a rate from 0 to 1, got {value!r}").format(value=value),
            )) from None
        return number

    top = raw.get("top_categories", 5)
    if not isinstance(top, int) or isinstance(top, bool) or not 1 <= top <= 20:
        raise ConfigError(_("Configuration key {key}: {problem}").format(
            key="reports.top_categories", problem=_("expected a whole number from 1 to 20")))
    return Targets(rate("ontime_target", "1"), rate("rework_target", "0.01"),
                   rate("callback_target", "1"), top)


@dataclass(frozen=True)
class Ratio:
    """hit out of total; `value` is None when there is nothing to count."""

    hit: int
    total: int

    @property
    def value(self) -> float | None:
        return self.hit / self.total if self.total else None


@dataclass(frozen=True)
class ClockRate:
    """On-time rate of one SLA clock: met out of met + missed; pending clocks (running within
    their target) are shown beside it and not counted."""

    clock: str
    met: int
    missed: int
    pending: int = 0

    @property
    def ratio(self) -> Ratio:
        return Ratio(self.met, self.met + self.missed)


@dataclass(frozen=True)
class TechnicianRow:
    name: str
    tickets: int
    completed: int
    reworked: int
    fees: Decimal


@dataclass(frozen=True)
class MaterialRow:
    name: str
    unit: str
    qty: Decimal
    amount: Decimal
    purchase: Decimal  # what the parts cost the office (入库价 × qty)


@dataclass(frozen=True)
class VoidedRow:
    ticket_no: str
    at: datetime
    by: str
    reason: str


@dataclass(frozen=True)
class DayPoint:
    """One local day of the month, for the charts."""

    day: date
    tickets: int
    met: int = 0
    missed: int = 0

    @property
    def ontime(self) -> float | None:
        return Ratio(self.met, self.met + self.missed).value


@dataclass(frozen=True)
class MonthTable:
    month: str  # YYYY-MM
    start: datetime  # UTC, first instant of the local month
    end: datetime  # UTC, first instant of the next local month
    total: int
    first_no: str
    last_no: str
    gaps: tuple[str, ...]
    home: int
    public: int
    free: int
    paid: int
    assess: int
    fee_total: Decimal
    charged: int  # tickets with a recorded charge
    completed: int  # tickets completed at least once
    reworked: int
    called_back: int  # callbacks made: one per completion cycle at most
    voided_count: int
    avg_dispatch_min: float | None
    avg_arrive_min: float | None
    avg_complete_min: float | None
    by_category: tuple[tuple[str, int], ...]
    by_technician: tuple[TechnicianRow, ...]
    by_building: tuple[tuple[str, int], ...]
    materials: tuple[MaterialRow, ...]
    voided: tuple[VoidedRow, ...]
    days: tuple[DayPoint, ...]
    clocks: tuple[ClockRate, ...] = ()
    clocks_available: bool = False  # False until the rates are added (with_clock_rates)
    targets: Targets = field(default_factory=Targets)
    # completion cycles: a reworked job completed again is a second cycle needing its own
    # callback (domain.md "Counting"); None: as many as tickets completed (older callers)
    completions: int | None = None

    @property
    def rework(self) -> Ratio:
        """返修率: jobs sent back at callback, out of the jobs completed."""
        return Ratio(self.reworked, self.completed)

    @property
    def callback(self) -> Ratio:
        """回访率: completion cycles called back, out of the completion cycles (a rework's
        second completion needs its own callback)."""
        cycles = self.completed if self.completions is None else self.completions
        return Ratio(self.called_back, cycles)

    @property
    def ontime(self) -> Ratio:
        """零修及时率 over all clocks together."""
        return Ratio(sum(c.met for c in self.clocks), sum(c.met + c.missed for c in self.clocks))


@dataclass(frozen=True)
class TicketLine:
    """One ticket in the month's list (the second sheet of the export)."""

    ticket_no: str
    received_at: datetime
    room: str
    scope: str
    category: str
    urgency: str
    service_type: str
    status: str
    technician: str
    content: str
    fee: Decimal | None


@dataclass(frozen=True)
class OutstandingRow:
    """A work order issued on the day and not yet back at the desk (003 4.10(4))."""

    ticket_no: str
    received_at: datetime
    room: str
    category: str
    status: str
    technician: str
    reason: str
    expected_at: datetime | None


@dataclass(frozen=True)
class RepeatRow:
    ticket_no: str
    received_at: datetime
    room: str
    category: str
    repeat_of: str
    content: str


@dataclass(frozen=True)
class DayReport:
    day: date
    issued: int
    returned: int
    voided: int
    outstanding: tuple[OutstandingRow, ...]
    repeats: tuple[RepeatRow, ...]
    repeat_days: int
    # 协调单 with no entry for a week (004: weekly at least), as of the report
    follow_ups: tuple[FollowUpEntryDue, ...] = ()
