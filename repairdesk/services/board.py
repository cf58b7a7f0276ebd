"""What the main screen shows, read in one go (in a worker thread): the working set, this
shift's numbers and counts, the header line, and a marker that changes when anything was
written, so a second terminal on the same book sees new work within seconds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from ..domain.ticket import TicketRecord
from ..store.tables import DutyLogEntry, Staff, TicketEvent
from .desk import Desk


@dataclass(frozen=True)
class ShiftSummary:
    """The 交接班 panel: this shift's ticket numbers and counts."""

    shift_name: str
    issued: list[str]
    gaps: list[str]
    counts: dict[str, int]


@dataclass
class Board:
    records: list[TicketRecord]
    shift: ShiftSummary
    header: str
    holder: str | None
    marker: tuple[Any, ...]
    roster: list[tuple[str, str, str]] = field(default_factory=list)  # name, role, phone


def change_marker(desk: Desk) -> tuple[Any, ...]:
    """Cheap (index-only) fingerprint of the book: the newest event and log entry ids."""
    with desk.store.read() as session:
        last_event = session.exec(select(func.max(TicketEvent.id))).one()
        last_log = session.exec(select(func.max(DutyLogEntry.id))).one()
        staff = session.exec(select(func.count()).select_from(Staff)).one()
    from .print_jobs import change_marker

    return (last_event, last_log, staff, change_marker(desk))


def shift_summary(desk: Desk) -> ShiftSummary:
    from .handover import build_checklist

    c = build_checklist(desk)
    return ShiftSummary(c.shift_name, list(c.issued), list(c.gaps), dict(c.counts))


def load_board(desk: Desk) -> Board:
    """Everything the main screen needs after a change."""
    from .shifts import current_holder, header_text
    from .staff import list_staff
    from .ticket_records import working_set

    marker = change_marker(desk)
    return Board(
        records=working_set(desk),
        shift=shift_summary(desk),
        header=header_text(desk),
        holder=current_holder(desk),
        marker=marker,
        roster=[(s.name, s.role.value, s.phone) for s in list_staff(desk, active_only=True)],
    )
