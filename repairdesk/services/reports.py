"""特约服务/维修月统计表: the month's figures, aggregated by the database (store/report_sql.py).

A month is a local calendar month of the site; a ticket belongs to the month it was numbered in
(registered), so the first and last 单号 and the gaps between them are the paper book's.
"""

from __future__ import annotations

import re
import string
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..domain.fees import Bill, LineKind, MaterialUse
from ..domain.materials import materials_from
from ..domain.numbering import NumberFormat, find_gaps
from ..domain.stats import DayPoint, MaterialRow, MonthTable, TechnicianRow, TicketLine, VoidedRow
from ..errors import ValidationError
from ..i18n import _
from ..store import report_sql as sql
from ..store.tables import Ticket
from . import sla_outcomes
from .desk import Desk

_MONTH = re.compile(r"^\s*(\d{4})[-/.年]?(\d{1,2})月?\s*$")
GAP_CHECK_MAX = 5000  # numbers checked one by one for a gap; more is reported as a range


def parse_month(raw: str) -> tuple[int, int]:
    """'2026-11', '2026/11', '202611' or '2026年11月' → (2026, 11)."""
    m = _MONTH.match(raw or "")
    if not m or not 1 <= int(m.group(2)) <= 12 or not 2000 <= int(m.group(1)) <= 2200:
        raise ValidationError(_("Month must look like YYYY-MM, e.g. 2026-11: {value}").format(
            value=(raw or "").strip()), "month")
    return int(m.group(1)), int(m.group(2))


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def shift_month(key: str, step: int) -> str:
    """The month `step` months after `key` (negative: before)."""
    year, month = parse_month(key)
    index = year * 12 + month - 1 + step
    return month_key(index // 12, index % 12 + 1)


def current_month(desk: Desk) -> str:
    today = desk.local_today()
    return month_key(today.year, today.month)


def month_bounds(desk: Desk, key: str) -> tuple[datetime, datetime]:
    """First instant of the local month and of the next one, in UTC."""
    year, month = parse_month(key)
    ny, nm = (year + 1, 1) if month == 12 else (year, month + 1)
    tz = desk.config.tz
    lo = datetime.combine(date(year, month, 1), time(0), tz).astimezone(timezone.utc)
    hi = datetime.combine(date(ny, nm, 1), time(0), tz).astimezone(timezone.utc)
    return lo, hi


def _params(desk: Desk, lo: datetime, hi: datetime) -> dict[str, Any]:
    return {"site": desk.config.site_code, "lo": lo, "hi": hi}


# ---------------------------------------------------------------- numbers and gaps


@lru_cache(maxsize=8)
def _number_regex(fmt: NumberFormat) -> re.Pattern[str]:
    """A regex for the configured 单号 format; the group `seq` is the running number."""
    parts = []
    for literal, field_name, _spec, _conv in string.Formatter().parse(fmt.pattern):
        parts.append(re.escape(literal))
        if field_name == "seq":
            parts.append(r"(?P<seq>\d+)")
        elif field_name:
            parts.append(r".+?")
    return re.compile("^" + "".join(parts) + "$")


def split_number(fmt: NumberFormat, ticket_no: str) -> tuple[str, int] | None:
    """('BX-20261122-#', 7) for BX-20261122-0007: the counter's name and the number in it."""
    m = _number_regex(fmt).match(ticket_no)
    if not m:
        return None
    start, end = m.span("seq")
    return ticket_no[:start] + "#" + ticket_no[end:], int(m.group("seq"))


def _gaps(conn: Connection, fmt: NumberFormat, nos: list[str]) -> tuple[str, ...]:
    """Numbers missing from the book: between the month's first and last of each counter, before
    the first when the counter starts at 1 elsewhere, after the last up to the counter's value."""
    by_period: dict[str, list[int]] = defaultdict(list)
    width: dict[str, int] = {}
    pattern = _number_regex(fmt)
    for no in nos:
        m = pattern.match(no)
        if m:
            start, end = m.span("seq")
            period = no[:start] + "#" + no[end:]
            by_period[period].append(int(no[start:end]))
            width.setdefault(period, end - start)
    last = sql.counter_last(conn, list(by_period))
    candidates: list[str] = []
    ranges: list[str] = []

    def number(period: str, seq: int) -> str:
        head, _h, tail = period.partition("#")
        return f"{head}{seq:0{width[period]}d}{tail}"

    for period, seqs in by_period.items():
        missing = find_gaps(seqs) + list(range(1, min(seqs)))
        missing += list(range(max(seqs) + 1, last.get(period, 0) + 1))
        if len(candidates) + len(missing) > GAP_CHECK_MAX:
            ranges.append(f"{number(period, min(missing))}..{number(period, max(missing))}")
            continue
        candidates.extend(number(period, s) for s in sorted(missing))
    found = sql.existing(conn, candidates) if candidates else set()
    return tuple([no for no in candidates if no not in found] + ranges)


# ---------------------------------------------------------------- the table


def _local_days(desk: Desk, lo: datetime, hi: datetime) -> list[date]:
    first = lo.astimezone(desk.config.tz).date()
    last = (hi - timedelta(seconds=1)).astimezone(desk.config.tz).date()
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _per_day(desk: Desk, hours: list[tuple[str, int]]) -> dict[date, int]:
    out: dict[date, int] = defaultdict(int)
    for bucket, n in hours:
        out[sql.bucket_day(bucket, desk.config.tz)] += n
    return out


def _charges(conn: Connection, params: dict[str, Any],
             rows: list[Any] | None = None) -> dict[str, tuple[str, Bill]]:
    """The bill in force (the last CHARGE) of each ticket, with its technician (from the
    month's side_events `rows` when the caller has them)."""
    bills: dict[str, tuple[str, Bill]] = {}
    if rows is None:
        rows = sql.events_of(conn, params, "charge", sql.SIDE_STEPS["charge"])
    for row in rows:
        if getattr(row, "action", "charge") == "charge":
            bills[row.ticket_no] = (row.technician or "", Bill.from_data(row.data))
    return bills


def _free_materials(rows: list[Any]) -> list[MaterialUse]:
    """The parts of free jobs (the last MATERIALS step of each), recorded without charge."""
    last: dict[str, Any] = {}
    for row in rows:
        if row.action == "materials":
            last[row.ticket_no] = row.data
    return [m for data in last.values() for m in materials_from(data)]


def _materials(bills: dict[str, tuple[str, Bill]],
               free: list[MaterialUse] | None = None) -> tuple[MaterialRow, ...]:
    rows: dict[tuple[str, str], list[Decimal]] = {}
    for m in free or []:  # used, not charged: the purchase cost counts, the amount is nil
        acc = rows.setdefault((m.name, ""), [Decimal(0), Decimal(0), Decimal(0)])
        acc[0] += m.qty
        acc[2] += m.purchase_price * m.qty
    for _tech, bill in bills.values():
        for ln in bill.lines:
            if ln.kind not in (LineKind.MATERIAL, LineKind.OFF_LIST):
                continue
            acc = rows.setdefault((ln.name, ln.unit), [Decimal(0), Decimal(0), Decimal(0)])
            acc[0] += ln.qty
            acc[1] += ln.amount
            acc[2] += (ln.purchase_price or Decimal(0)) * ln.qty
    return tuple(MaterialRow(name, unit, q, a, p.quantize(Decimal("0.01")))
                 for (name, unit), (q, a, p) in sorted(rows.items(), key=lambda kv: -kv[1][1]))


def _avg(total: float | None, n: int) -> float | None:
    # SQLite's julianday() leaves float noise in the ten-millionths of a minute
    return round((total or 0.0) / n, 2) if n else None


@dataclass
class _Tally:
    """The breakdown rows added up."""

    total: int = 0
    home: int = 0
    public: int = 0
    free: int = 0
    paid: int = 0
    assess: int = 0
    voided: int = 0
    category: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    technician: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    building: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, category: str, tech: str, building: str, n: int, home: int, paid: int,
            assess: int, voided: int) -> None:
        self.voided += voided
        if not n:
            return  # only voided tickets in this group: counted in no other figure
        self.total += n
        self.home += home
        self.public += n - home
        self.paid += paid
        self.assess += assess
        self.free += n - paid - assess
        self.category[category] += n
        if tech:
            self.technician[tech] += n
        if building and home:
            self.building[building] += home


def month_table(desk: Desk, key: str, *, clocks: bool = True,
                progress: sla_outcomes.Progress | None = None) -> MonthTable:
    """The month's statistics table. `clocks=False` leaves out the SLA on-time rates (add them
    later with `with_clock_rates`): they are stored with every step, but a month of tickets
    from before that (an upgraded book) is judged by the SLA engine the first time it is read,
    which takes seconds for a very busy month; `progress(done, total)` follows that part."""
    table = _sql_table(desk, key)
    return with_clock_rates(desk, table, progress) if clocks else table


def with_clock_rates(desk: Desk, table: MonthTable,
                     progress: sla_outcomes.Progress | None = None) -> MonthTable:
    """`table` with the on-time rates per clock and per day filled in."""
    rates = sla_outcomes.month_clock_rates(desk, table.start, table.end, progress)
    days = tuple(replace(d, met=rates.per_day.get(d.day, (0, 0))[0],
                         missed=rates.per_day.get(d.day, (0, 0))[1]) for d in table.days)
    return replace(table, clocks=tuple(rates.clocks), clocks_available=True, days=days)


def _sql_table(desk: Desk, key: str) -> MonthTable:
    """Every figure the database can add up by itself."""
    key = month_key(*parse_month(key))
    lo, hi = month_bounds(desk, key)
    params = _params(desk, lo, hi)
    dialect = desk.store.dialect
    tally = _Tally()
    with desk.store.read() as session:
        conn = session.connection()
        for row in sql.breakdown(conn, params):
            tally.add(str(row[0]), str(row[1] or ""), str(row[2] or ""),
                      *(int(v or 0) for v in row[3:]))
        nos = sql.numbers(conn, params)
        gaps = _gaps(conn, desk.config.numbering, nos)
        per_day = _per_day(desk, sql.per_hour(conn, params, dialect))
        timing_rows = sql.timings(conn, params, dialect)
        side = sql.side_events(conn, params)  # voids, bills, parts: one pass
        voided = tuple(VoidedRow(r.ticket_no, r.at, r.by, str(r.data.get("reason") or r.note))
                       for r in side if r.action == "void")
        bills = _charges(conn, params, side)
        free_used = _free_materials(side)
    fees_by_tech: dict[str, Decimal] = defaultdict(Decimal)
    for tech, bill in bills.values():
        fees_by_tech[tech] += bill.total
    done_by: dict[str, tuple[int, int]] = {}
    counts = [0, 0, 0, 0]  # tickets completed, reworked; completion cycles, callbacks
    sums = [0, 0, 0]
    totals = [0.0, 0.0, 0.0]
    for tech, done, rework, _cb, nd, sd, na, sa, nc, sc, cycles, calls in timing_rows:
        counts = [counts[0] + int(done), counts[1] + int(rework or 0),
                  counts[2] + int(cycles or 0), counts[3] + int(calls or 0)]
        done_by[str(tech or "")] = (int(done), int(rework or 0))
        for i, (k, total) in enumerate(((nd, sd), (na, sa), (nc, sc))):
            sums[i] += int(k or 0)
            totals[i] += float(total or 0.0)
    technicians = sorted(
        (TechnicianRow(name, n, *done_by.get(name, (0, 0)), fees_by_tech.get(name, Decimal(0)))
         for name, n in tally.technician.items()), key=lambda r: (-r.tickets, r.name))
    days = tuple(DayPoint(d, per_day.get(d, 0)) for d in _local_days(desk, lo, hi))
    return MonthTable(
        month=key, start=lo, end=hi, total=tally.total, first_no=nos[0] if nos else "",
        last_no=nos[-1] if nos else "", gaps=gaps, home=tally.home, public=tally.public,
        free=tally.free, paid=tally.paid, assess=tally.assess,
        fee_total=sum((b.total for _t, b in bills.values()), Decimal("0.00")),
        charged=len(bills), completed=counts[0], reworked=counts[1], called_back=counts[3],
        completions=counts[2], voided_count=tally.voided,
        avg_dispatch_min=_avg(totals[0], sums[0]), avg_arrive_min=_avg(totals[1], sums[1]),
        avg_complete_min=_avg(totals[2], sums[2]),
        by_category=tuple(sorted(tally.category.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_technician=tuple(technicians),
        by_building=tuple(sorted(tally.building.items(), key=_building_order)),
        materials=_materials(bills, free_used), voided=voided, days=days, targets=desk.config.reports,
    )


def _building_order(row: tuple[str, int]) -> tuple[int, int | str]:
    name = row[0]
    return (0, int(name)) if name.isdigit() else (1, name)


def month_tickets(desk: Desk, key: str) -> list[TicketLine]:
    """Every ticket of the month in 单号 order, with its fee (the export's second sheet)."""
    lo, hi = month_bounds(desk, month_key(*parse_month(key)))
    params = _params(desk, lo, hi)
    cols = (Ticket.ticket_no, Ticket.received_at, Ticket.room, Ticket.scope, Ticket.category,
            Ticket.urgency, Ticket.service_type, Ticket.status, Ticket.technician, Ticket.content)
    q = (select(*cols).where(Ticket.site == params["site"], Ticket.registered_at >= lo,
                             Ticket.registered_at < hi).order_by(Ticket.id))
    with desk.store.read() as session:
        rows = list(session.execute(q))
        bills = _charges(session.connection(), params)
    return [TicketLine(*row, fee=bills[row[0]][1].total if row[0] in bills else None)
            for row in rows]
