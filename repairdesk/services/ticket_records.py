"""Reading tickets out of the book: a ticket's record (its row and the fold of its events), the
list, the search, and the working set the desk watches.

Below the lifecycle (ticket_steps.py) and the print queue, which both read through here.
"""

from __future__ import annotations

import json
import weakref
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import func, text, union
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from ..domain.enums import Channel, Scope, ServiceType, Status, Urgency
from ..domain.text import clean_text
from ..domain.ticket import EMPTY_DATA, Intake, TicketRecord, TicketState
from ..errors import NotFound
from ..i18n import _
from ..store import search
from ..store.db import Store
from ..store.stamps import stored_time
from ..store.tables import OPEN_WHERE, Ticket, TicketEvent
from ..store.types import UTCDateTime
from .desk import Desk
# a record from its rows: one builder for this reader and the desk's first board
from .record_rows import record_of


def records_of(session: Session, rows: list[Ticket]) -> list[TicketRecord]:
    if not rows:
        return []
    ids = [r.id for r in rows]
    by_ticket: dict[int, list[TicketEvent]] = {i: [] for i in ids if i is not None}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        for e in session.exec(select(TicketEvent).where(col(TicketEvent.ticket_id).in_(part))):
            by_ticket[e.ticket_id].append(e)
    return [record_of(r, by_ticket[r.id or 0]) for r in rows]


def _load_records(session: Session, ids: list[int]) -> dict[int, TicketRecord]:
    """Records of these tickets by id, read as plain rows (no ORM objects: the working set
    and search results are read-only, and this is several times faster)."""
    conn = session.connection()
    tickets, events = Ticket.__table__, TicketEvent.__table__  # type: ignore[attr-defined]
    rows: dict[int, Any] = {}
    by_ticket: dict[int, list[Any]] = {}
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        rows.update((r.id, r) for r in conn.execute(
            sa_select(tickets).where(tickets.c.id.in_(part))))
        for e in conn.execute(sa_select(events).where(events.c.ticket_id.in_(part))):
            by_ticket.setdefault(e.ticket_id, []).append(e)
    return {tid: record_of(row, by_ticket.get(tid, []), private=True)
            for tid, row in rows.items()}


def ticket_row(session: Session, ticket_no: str, lock: bool = False) -> Ticket:
    q = select(Ticket).where(Ticket.ticket_no == clean_text(ticket_no).upper())
    if lock:
        q = q.with_for_update()
    row = session.exec(q).first()
    if row is None:
        raise NotFound(_("No ticket {no}.").format(no=clean_text(ticket_no)))
    return row


def get_ticket(desk: Desk, ticket_no: str) -> TicketRecord:
    with desk.store.read() as session:
        row = ticket_row(session, ticket_no)
        return records_of(session, [row])[0]


def list_tickets(desk: Desk, open_only: bool = False, limit: int | None = None,
                 since: datetime | None = None) -> list[TicketRecord]:
    with desk.store.read() as session:
        q = select(Ticket)
        if open_only:
            q = q.where(text(OPEN_WHERE))
        if since is not None:
            q = q.where(Ticket.registered_at >= since)
        q = q.order_by(col(Ticket.received_at).desc(), col(Ticket.id).desc())
        if limit:
            q = q.limit(limit)
        return records_of(session, list(session.exec(q)))


def duty_day_start(desk: Desk, at: datetime | None = None) -> datetime:
    """The start (UTC) of the duty day containing `at`: 08:30 local by default (001 篇5)."""
    cfg = desk.config
    local = (at or desk.now()).astimezone(cfg.tz)
    start = local.replace(hour=cfg.duty_day_start.hour, minute=cfg.duty_day_start.minute,
                          second=0, microsecond=0)
    if local < start:
        start -= timedelta(days=1)
    return start.astimezone(timezone.utc)


# open = not closed or voided; in SQL spelt as ix_ticket_open's condition (OPEN_WHERE), so that
# partial index of the open tickets answers it
OPEN_STATUSES = [s.value for s in Status if s.is_open]

# Records of the working set by ticket id, with the newest event id they were built from.
# Events are append-only and the ticket row changes only with a new event, so an unchanged
# newest event id means an unchanged record: a reload rebuilds only the tickets that moved.
_BUILT: weakref.WeakKeyDictionary[Store, dict[int, tuple[int, TicketRecord]]] = (
    weakref.WeakKeyDictionary())


def working_set(desk: Desk) -> list[TicketRecord]:
    """What the desk watches: every open ticket, plus everything registered this duty day."""
    since = duty_day_start(desk)
    ids = union(select(Ticket.id).where(text(OPEN_WHERE)),
                select(Ticket.id).where(col(Ticket.registered_at) >= since))
    newest = (select(func.max(TicketEvent.id)).where(TicketEvent.ticket_id == Ticket.id)
              .scalar_subquery())
    q = (select(Ticket.id, newest).where(col(Ticket.id).in_(ids))
         .order_by(col(Ticket.received_at)))
    built = _BUILT.get(desk.store, {})
    with desk.store.read() as session:
        marks = [(tid, last or 0) for tid, last in session.exec(q)]
        stale = [tid for tid, last in marks if built.get(tid, (None,))[0] != last]
        if stale:
            last_of = dict(marks)
            fresh = _load_records(session, stale)
            built = {**built, **{tid: (last_of[tid], rec) for tid, rec in fresh.items()}}
    built = {tid: built[tid] for tid, _last in marks if tid in built}
    _BUILT[desk.store] = built
    return [built[tid][1] for tid, _last in marks if tid in built]


def search_tickets(desk: Desk, query: str, limit: int = 200, *, history: bool = False,
                   site: str | None = None) -> tuple[list[TicketRecord], int]:
    """Tickets whose number, room/place, caller, content or phone contains `query`: the
    first `limit`, newest first, and the total count (store/search.py: bigram FTS5 index).

    The hits are summaries read from the ticket rows alone (issue 18: a search costs little
    more than its query): the intake and the state the row keeps (status, technician,
    appointment, follow-up, rework count), no events. `history` reads each hit's whole record
    (events folded), as get_ticket does. `site`: only that estate's tickets (a company's
    book on PostgreSQL holds many)."""
    words = clean_text(query)
    if not words:
        return [], 0
    with desk.store.read() as session:
        conn = session.connection()
        ids, total = search.search_ids(conn, desk.store.dialect, words, limit, site)
        if not ids:
            return [], total
        found = _load_records(session, ids) if history else _summaries(conn, ids)
        return [found[i] for i in ids if i in found], total


_SUMMARY = (
    "SELECT id, ticket_no, received_at, registered_at, registered_by, room, caller, content, "
    "phone, scope, category, urgency, appointment_at, channel, service_type, owner_parts, "
    "verify_code, repeat_of, status, technician, follow_up, rework_count FROM ticket ")
_SUMMARY_PG = text(_SUMMARY + "WHERE id = ANY(:ids)")
_ENUMS = {kind: {m.value: m for m in kind} for kind in (Scope, Urgency, Channel, ServiceType,
                                                         Status)}


def _summaries(conn: Any, ids: list[int]) -> dict[int, TicketRecord]:
    """Search hits from their ticket rows (plain rows, no ORM, no events). On SQLite the
    driver's own cursor reads them (the ids as one JSON parameter): no statement to compile,
    no result wrapping, for the 200 rows of every keystroke's search."""
    if conn.dialect.name == "sqlite":
        rows = conn.connection.driver_connection.execute(
            _SUMMARY + "WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),)).fetchall()
        dt = stored_time  # integers of microseconds (store/stamps.py; migration 0012)
    else:
        rows = conn.execute(_SUMMARY_PG, {"ids": ids}).fetchall()
        aware, dialect = UTCDateTime().process_result_value, conn.dialect

        def dt(v: Any) -> Any:
            return aware(v, dialect)
    scope, urgency, channel, service, status = (
        _ENUMS[k] for k in (Scope, Urgency, Channel, ServiceType, Status))
    out: dict[int, TicketRecord] = {}
    for r in rows:
        appointment = dt(r[12])
        intake = Intake(
            received_at=dt(r[2]), room=r[5], caller=r[6], content=r[7], phone=r[8],
            scope=scope[r[9]], category=r[10], urgency=urgency[r[11]],
            appointment_at=appointment, channel=channel[r[13]], service_type=service[r[14]],
            owner_parts=bool(r[15]), verify_code=r[16])
        state = TicketState(status=status[r[18]], technician=r[19], appointment_at=appointment,
                            follow_up=bool(r[20]), rework_count=int(r[21]),
                            fields=EMPTY_DATA, step_at=EMPTY_DATA)  # read-only, shared
        out[r[0]] = TicketRecord(r[1], intake, state, (), dt(r[3]), r[4], r[17])
    return out


def index_row(desk: Desk, session: Session, row: Ticket, before: Intake) -> None:
    """Keep the search index in the ticket's own transaction: the ticket as amended from
    `before` (the intake that was indexed)."""
    assert row.id is not None
    search.index_ticket(session.connection(), desk.store.dialect, row.id, row.ticket_no,
                        row.room, row.caller, row.phone, row.content,
                        before=(before.room, before.caller, before.phone, before.content),
                        site=row.site)
