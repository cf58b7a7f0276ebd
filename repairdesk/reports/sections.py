"""The reports as titled tables of typed cells, one layout for every output: the terminal, CSV,
XLSX and PDF all read these sections, so the figures and their labels never differ.

Cells keep their type (money stays Decimal, a rate stays a fraction) so a spreadsheet gets
numbers; `cell_text` is how a cell reads on screen and paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Union
from zoneinfo import ZoneInfo

from .. import fmt
from ..domain.enums import Scope, ServiceType, Status, Urgency
from ..domain.stats import DayReport, MonthTable, Ratio, TicketLine
from ..i18n import _


@dataclass(frozen=True)
class Money:
    value: Decimal


@dataclass(frozen=True)
class Pct:
    value: float | None


@dataclass(frozen=True)
class Minutes:
    value: float | None


@dataclass(frozen=True)
class When:
    value: datetime | None


Cell = Union[str, int, Decimal, Money, Pct, Minutes, When, None]


@dataclass(frozen=True)
class Section:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[int, ...] = ()  # column widths in characters (XLSX, PDF proportions)
    note: str = ""  # shown under the title when the rows need a word of explanation


def cell_text(cell: Cell, tz: ZoneInfo) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Money):
        return fmt.money(cell.value)
    if isinstance(cell, Pct):
        return "-" if cell.value is None else fmt.percent(cell.value)
    if isinstance(cell, Minutes):
        return "-" if cell.value is None else fmt.number(cell.value, 1)
    if isinstance(cell, When):
        return fmt.datetime(cell.value, tz) if cell.value else ""
    if isinstance(cell, (int, Decimal)) and not isinstance(cell, bool):
        return fmt.number(cell)
    return str(cell)


def _pct(r: Ratio) -> Pct:
    return Pct(r.value)


def _at_least(rate: Decimal) -> str:
    return _("at least {rate}").format(rate=fmt.percent(rate, 0))


def _at_most(rate: Decimal) -> str:
    return _("at most {rate}").format(rate=fmt.percent(rate, 0))


def _share(n: int, total: int) -> Pct:
    return Pct(n / total if total else None)


def month_sections(t: MonthTable) -> list[Section]:
    """特约服务/维修月统计表, section by section."""
    tg = t.targets
    gaps = "、".join(t.gaps) if t.gaps else _("none")
    summary: list[tuple[Cell, ...]] = [
        (_("Month"), t.month, ""),
        (_("First ticket number"), t.first_no or "-", ""),
        (_("Last ticket number"), t.last_no or "-", ""),
        (_("Missing numbers"), gaps, ""),
        (_("Tickets in total"), t.total, ""),
        (_("In-home"), t.home, ""),
        (_("Public area"), t.public, ""),
        (_("Routine (free)"), t.free, ""),
        (_("Paid service"), t.paid, ""),
        (_("Needs fee assessment"), t.assess, ""),
        (_("Fees charged"), Money(t.fee_total), _("{n} tickets").format(n=t.charged)),
        (_("Completed"), t.completed, ""),
        (_("On-time rate (all clocks)"), _pct(t.ontime) if t.clocks_available else None,
         _at_least(tg.ontime)),
        (_("Rework rate"), _pct(t.rework), _at_most(tg.rework)),
        (_("Callback rate"), _pct(t.callback), _at_least(tg.callback)),
        (_("Average minutes to dispatch"), Minutes(t.avg_dispatch_min), ""),
        (_("Average minutes to arrive"), Minutes(t.avg_arrive_min), _("appointments left out")),
        (_("Average minutes to complete"), Minutes(t.avg_complete_min), ""),
        (_("Voided"), t.voided_count, ""),
    ]
    out = [Section(_("Monthly repair statistics"), (_("Item"), _("Value"), _("Target")),
                   tuple(summary), (28, 36, 18))]
    if t.clocks_available:
        # pending clocks are counted beside the rate, never in it (domain.md "Counting")
        clock_rows = tuple((_clock_label(c.clock), c.met, c.missed, _pct(c.ratio), c.pending)
                           for c in t.clocks)
        note = _("Pending: still running within the target; not in the rate.")
    else:
        clock_rows, note = (), _("The SLA engine is not installed: no on-time rates.")
    out.append(Section(_("On-time rate per clock"),
                       (_("Clock"), _("Met"), _("Missed"), _("On-time rate"), _("Pending")),
                       clock_rows, (16, 10, 10, 12, 10), note))
    out.append(Section(_("By category"), (_("Category"), _("Tickets"), _("Share")),
                       tuple((c, n, _share(n, t.total)) for c, n in t.by_category),
                       (16, 10, 10)))
    out.append(Section(
        _("By technician"),
        (_("Technician"), _("Tickets"), _("Completed"), _("Reworked"), _("Fees")),
        tuple((r.name, r.tickets, r.completed, r.reworked, Money(r.fees))
              for r in t.by_technician), (16, 10, 10, 10, 14)))
    out.append(Section(_("By building (in-home)"), (_("Building"), _("Tickets")),
                       tuple((b, n) for b, n in t.by_building), (16, 10)))
    out.append(Section(
        _("Materials used"),
        (_("Material"), _("Unit"), _("Quantity"), _("Charged"), _("Purchase cost")),
        tuple((m.name, m.unit, m.qty, Money(m.amount), Money(m.purchase))
              for m in t.materials), (22, 8, 10, 14, 14)))
    out.append(Section(
        _("Voided tickets"), (_("Ticket number"), _("Voided at"), _("By"), _("Reason")),
        tuple((v.ticket_no, When(v.at), v.by, v.reason) for v in t.voided), (20, 18, 10, 40)))
    return out


def _clock_label(name: str) -> str:
    try:
        from ..domain.sla_rules import ClockName

        return ClockName(name).label
    except (ImportError, ValueError):
        return name


def ticket_section(lines: list[TicketLine]) -> Section:
    """The month's tickets, one per row (the export's second sheet)."""
    rows = tuple((
        ln.ticket_no, When(ln.received_at), ln.room, Scope(ln.scope).label, ln.category,
        Urgency(ln.urgency).label, ServiceType(ln.service_type).label, Status(ln.status).label,
        ln.technician, Money(ln.fee) if ln.fee is not None else None, ln.content,
    ) for ln in lines)
    return Section(
        _("Tickets of the month"),
        (_("Ticket number"), _("Received"), _("Room or place"), _("Scope"), _("Category"),
         _("Urgency"), _("Service type"), _("Status"), _("Technician"), _("Fee"),
         _("Content")),
        rows, (20, 17, 14, 8, 8, 8, 12, 8, 10, 10, 50))


def day_sections(r: DayReport) -> list[Section]:
    """The daily check: orders not yet returned, and repeat reports."""
    summary = Section(_("Daily report"), (_("Item"), _("Value")), (
        (_("Duty day"), r.day.isoformat()),
        (_("Issued"), r.issued),
        (_("Returned"), r.returned),
        (_("Voided"), r.voided),
        (_("Not yet returned"), len(r.outstanding)),
        (_("Repeat reports, last {n} days").format(n=r.repeat_days), len(r.repeats)),
        (_("Follow-ups due for their weekly entry"), len(r.follow_ups)),
    ), (24, 16))
    outstanding = Section(
        _("Issued and not yet returned"),
        (_("Ticket number"), _("Received"), _("Room or place"), _("Category"), _("Status"),
         _("Technician"), _("Reason"), _("Expected back")),
        tuple((o.ticket_no, When(o.received_at), o.room, o.category, Status(o.status).label,
               o.technician, o.reason, When(o.expected_at)) for o in r.outstanding),
        (20, 17, 14, 8, 10, 10, 30, 17))
    repeats = Section(
        _("Repeat reports"),
        (_("Ticket number"), _("Received"), _("Room or place"), _("Category"),
         _("Repeat of"), _("Content")),
        tuple((p.ticket_no, When(p.received_at), p.room, p.category, p.repeat_of, p.content)
              for p in r.repeats), (20, 17, 14, 8, 20, 40))
    follow_ups = Section(
        _("Follow-ups due for their weekly entry"),
        (_("Ticket number"), _("Room or place"), _("Last entry"), _("Entry due since")),
        tuple((f.ticket_no, f.room, When(f.last_entry_at), When(f.due_at))
              for f in r.follow_ups), (20, 14, 17, 17),
        _("A follow-up order gets an entry at least once a week (004)."))
    return [summary, outstanding, repeats, follow_ups]
