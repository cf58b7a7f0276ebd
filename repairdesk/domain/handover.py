"""Handover rules (003 4.2(1); 001 篇5 4.2): the checklist, the blocking rule, the read-back.

Pure data: the services fill these from the book, the screens and the CLI show them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from .. import fmt
from ..i18n import _
from .sla_rules import ClockName, ClockState

# Breached clocks that block signing until explained (001 篇5 4.2.2 d: important unfinished
# work). These are the promises to a waiting owner or technician: nobody dispatched, nobody
# took the order, nobody on site, no fee assessment. Not the others: a late completion has its
# own path, the follow-up (协调单, 004); feedback is the leader's chase; a callback is owed on
# finished work the night shift hands back each morning anyway (003 4.7(3)).
BLOCKING_CLOCKS = (ClockName.DISPATCH, ClockName.ACCEPT, ClockName.ARRIVE, ClockName.ASSESS)


@dataclass(frozen=True)
class OpenItem:
    """An unfinished ticket as the outgoing clerk hands it over: `deadline` is the deadline
    of its next clock (`clock`), `breaches` the blocking clocks past their deadline."""

    ticket_no: str
    status: str
    status_label: str
    next_step: str
    urgency: str
    technician: str
    deadline: datetime | None
    breached: bool
    clock: str = ""
    breaches: tuple[str, ...] = ()


def next_deadline(clocks: Any) -> tuple[datetime | None, str, tuple[str, ...]]:
    """From a ticket's clocks (domain.sla.evaluate): the deadline and name of the running
    clock with the least time left, and the blocking clocks now running past their deadline."""
    live = [c for c in clocks if c.is_live and c.due_at is not None]
    nxt = min(live, key=lambda c: c.due_at) if live else None
    # past the deadline, not at it: at the deadline itself a step is still in time
    breaches = tuple(c.name.value for c in live
                     if c.state is ClockState.BREACHED and (c.remaining_s or 0.0) < 0
                     and c.name in BLOCKING_CLOCKS)
    return (nxt.due_at if nxt else None), (nxt.name.value if nxt else ""), breaches


def deadline_text(item: OpenItem, tz: ZoneInfo) -> str:
    """'arrive 2026/11/22 10:15' (the one time format, fmt.py); '-' without a running clock."""
    if item.deadline is None:
        return "-"
    label = ClockName(item.clock).label if item.clock else ""
    return f"{label} {fmt.datetime(item.deadline, tz)}".strip()


@dataclass(frozen=True)
class PublicItem:
    key: str
    name: str
    expected: int


@dataclass(frozen=True)
class Blocker:
    ticket_no: str
    reason: str


@dataclass(frozen=True)
class Line:
    """One line the incoming clerk reads back: `expected` is what the outgoing clerk states."""

    key: str
    label: str
    expected: str
    countable: bool = False


@dataclass(frozen=True)
class ReadBack:
    """The incoming clerk's answer to one line: confirmed, or what was actually found."""

    key: str
    confirmed: bool
    actual: str = ""
    note: str = ""


@dataclass
class Checklist:
    shift_code: str
    shift_name: str
    window_start: datetime
    window_end: datetime
    issued: list[str]
    gaps: list[str]
    counts: dict[str, int]
    open_items: list[OpenItem]
    public_items: list[PublicItem]
    abnormal: str = ""
    explanations: dict[str, str] = field(default_factory=dict)
    tz: str = "UTC"

    @property
    def first_no(self) -> str:
        return self.issued[0] if self.issued else ""

    @property
    def last_no(self) -> str:
        return self.issued[-1] if self.issued else ""


COUNT_KEYS = ("issued", "completed", "returned", "open", "voided")


def count_label(key: str) -> str:
    return {
        "issued": _("Tickets issued"), "completed": _("Completed"), "returned": _("Returned"),
        "open": _("Still open"), "voided": _("Voided"),
    }[key]


def blockers(items: list[OpenItem], explanations: dict[str, str]) -> list[Blocker]:
    """Important unfinished work that blocks signing until explained (001 篇5 4.2.2 d)."""
    out = []
    for item in items:
        if explanations.get(item.ticket_no, "").strip():
            continue
        if item.urgency == "urgent" and not item.technician:
            out.append(Blocker(item.ticket_no, _("urgent ticket with no technician")))
        elif item.breaches:
            out.append(Blocker(item.ticket_no, _("{clocks} deadline breached").format(
                clocks=", ".join(ClockName(c).label for c in item.breaches))))
    return out


def lines(c: Checklist) -> list[Line]:
    """The read-back lines, in the order the incoming clerk goes through them."""
    out = [Line("numbers", _("Ticket numbers issued"),
                ", ".join(c.issued) if c.issued else _("none"))]
    if c.gaps:
        out.append(Line("gaps", _("Missing numbers (gap)"), ", ".join(c.gaps)))
    for key in COUNT_KEYS:
        out.append(Line(f"count:{key}", count_label(key), str(c.counts.get(key, 0)), True))
    tz = ZoneInfo(c.tz)
    for item in c.open_items:
        # plain ASCII separators: ambiguous-width arrows misalign CJK terminals
        deadline = deadline_text(item, tz)
        text = f"{item.status_label} > {item.next_step or '-'} | {deadline}"
        if c.explanations.get(item.ticket_no):
            text += f" | {c.explanations[item.ticket_no]}"
        out.append(Line(f"ticket:{item.ticket_no}", item.ticket_no, text))
    for p in c.public_items:
        out.append(Line(f"item:{p.key}", p.name, str(p.expected), True))
    if c.abnormal.strip():
        out.append(Line("abnormal", _("Abnormal situations"), c.abnormal.strip()))
    return out


def discrepancies(checklist_lines: list[Line], answers: dict[str, ReadBack]) -> list[dict[str, Any]]:
    """Lines where the incoming clerk found something else: recorded, never hidden."""
    out = []
    for line in checklist_lines:
        a = answers.get(line.key)
        if a is None:
            continue
        if not a.confirmed or (a.actual and a.actual.strip() != line.expected):
            out.append({"key": line.key, "label": line.label, "expected": line.expected,
                        "actual": a.actual.strip(), "note": a.note})
    return out


def unanswered(checklist_lines: list[Line], answers: dict[str, ReadBack]) -> list[Line]:
    return [line for line in checklist_lines if line.key not in answers]
