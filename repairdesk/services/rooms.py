"""The room while the caller is on the line: reading it as callers say it (3栋2单元1501 is the
book's 3-2-1501), the scope that follows, the category the fault suggests, and the room's
tickets of the last 30 days shown beside the intake form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, func, select

from ..domain.enums import Scope, Status
from ..domain.intake import guess_category
from ..domain.rooms import Place, PlaceReading, read_place
from ..domain.text import clean_text
from ..errors import ValidationError
from ..i18n import _
from ..store.tables import Ticket
from .desk import Desk

HISTORY_DAYS = 30


def read_room(desk: Desk, text: str) -> PlaceReading:
    """A room (written 3-2-1501), a public place, or unsure (the clerk says which)."""
    cfg = desk.config
    return read_place(text, cfg.room_forms, cfg.room_pattern, cfg.public_place_words)


def scope_of(desk: Desk, text: str) -> Scope:
    """No scope given (`ticket add` without --scope): a room is in-home, a public place's
    word public; anything else is asked, never taken for a public place."""
    if not clean_text(text):
        return Scope.HOME  # the room's own check says it is required
    reading = read_room(desk, text)
    if reading.kind is Place.UNSURE:
        raise ValidationError(_(
            "Room {place}: neither a room number (e.g. 3-2-1501, 3栋2单元1501) nor a public place "
            "the desk knows; say which (scope in-home or public area).").format(
                place=clean_text(text)),
            "scope")
    return Scope.PUBLIC if reading.kind is Place.PUBLIC else Scope.HOME


def suggest_category(desk: Desk, content: str) -> tuple[str, str] | None:
    """(category, the word that suggests it) for the fault description; the clerk decides."""
    return guess_category(content, desk.config.category_keywords)


@dataclass(frozen=True)
class RoomTicket:
    """One earlier ticket at the room, as the intake form shows it while the caller waits."""

    ticket_no: str
    received_at: datetime
    category: str
    status: Status
    content: str
    technician: str = ""


@dataclass(frozen=True)
class RoomHistory:
    room: str  # as the book writes it (3-2-1501), or the public place as typed
    is_room: bool
    tickets: list[RoomTicket]  # newest first, at most the limit asked for
    total: int  # all of them in the window


def room_history(desk: Desk, text: str, days: int = HISTORY_DAYS, limit: int = 8) -> RoomHistory:
    """The tickets at this room (or place) received in the last `days` days, newest first; the
    room is read as callers say it, so 3栋2单元1501 finds 3-2-1501's tickets."""
    reading = read_room(desk, text)
    room = reading.room if reading.kind is Place.ROOM else clean_text(text)
    if not room:
        return RoomHistory("", False, [], 0)
    since = desk.now() - timedelta(days=days)
    where = (Ticket.room == room, col(Ticket.received_at) >= since)
    with desk.store.read() as session:
        total = session.exec(select(func.count()).select_from(Ticket).where(*where)).one()
        rows = session.exec(select(Ticket).where(*where)
                            .order_by(col(Ticket.received_at).desc()).limit(limit)).all()
        tickets = [RoomTicket(r.ticket_no, r.received_at, r.category, Status(r.status),
                              r.content, r.technician) for r in rows]
    return RoomHistory(room, reading.kind is Place.ROOM, tickets, int(total))
