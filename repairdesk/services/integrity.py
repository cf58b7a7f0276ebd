"""`verify` over the whole record (issue 15 item 2): the hash chains of the ticket events and
the print jobs, their counters (a truncated tail), the ticket rows against the fold of their
events, the ticket numbers against their counters, and each print job against its history.

Each check returns the first bad record of its kind, or None; services/integrity_signed.py
checks the people, the signatures, the handovers and sign-offs, and the stored heads and
anchors; `check_book` runs them all."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from typing import Any

from sqlalchemy import select, text
from sqlmodel import Session, col

from ..domain.enums import Action
from ..domain.ticket import AMENDABLE
from ..i18n import _
from ..store import chain
from ..store.event_lag import restored
from ..store.tables import PrintJob, Ticket, TicketEvent
from .desk import Desk
from .integrity_forms import check_forms
from .integrity_numbers import Numbering
from .integrity_heads import Held, anchored_positions
from .integrity_signed import check_signed, missing_tail


CHUNK = 2000
"""How many ticket events (the chain's walk) or tickets (with their events: the rows against
their fold) are read at once: what bounds verify's memory, whatever the book's size."""


@dataclass
class Book:
    """What the checks share: the read session (one snapshot) and the counters, read once; the
    rows themselves are read CHUNK at a time, in id order."""

    session: Session
    counters: dict[str, int]
    heads: dict[str, str]  # the full hash the chain's counter row holds (the event chain's)
    dialect: str = "sqlite"  # how wide an event's seal is (chain.seal_of)

    def rows(self, stmt: Any) -> list[Any]:
        return list(self.session.connection().execute(stmt).all())

    def pages(self, stmt: Any, key: Any, read: Any = None) -> Iterator[list[Any]]:
        """`stmt`'s rows (ordered by `key`, an id column) CHUNK at a time, each page after the
        last id of the one before (keyset paging); `read` runs a page's statement."""
        read = read or self.rows
        last = None
        while True:
            rows = read((stmt if last is None else stmt.where(key > last)).limit(CHUNK))
            if rows:
                yield rows
            if len(rows) < CHUNK:
                return
            last = rows[-1].id


def read_book(session: Session) -> Book:
    conn = session.connection()
    if conn.dialect.name == "postgresql":  # every chunk from the same snapshot, as SQLite's
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    rows = conn.execute(text("SELECT name, last, head FROM counter")).all()
    return Book(session, {str(n): int(v) for n, v, _h in rows},
                {str(n): str(h) for n, _v, h in rows if h}, conn.dialect.name)


_EV = TicketEvent.__table__.c  # type: ignore[attr-defined]
_TK = Ticket.__table__.c  # type: ignore[attr-defined]
_EVENT_COLUMNS = (_EV.id, _EV.ticket_id, _EV.seq, _EV.at, _EV.recorded_at, _EV.action, _EV.by,
                  _EV.note, _EV.data, _EV.seal)


def _event_chunks(book: Book) -> Iterator[list[Any]]:
    """Every ticket event in id (chain) order with its ticket's number (tid None: no such
    ticket), CHUNK at a time: the columns as the ORM decodes them (action names, times,
    data), recorded_at still a SQLite book's lag (event_lag.restored)."""
    stmt = (select(*_EVENT_COLUMNS, _TK.id.label("tid"), _TK.ticket_no)
            .select_from(TicketEvent.__table__.outerjoin(  # type: ignore[attr-defined]
                Ticket.__table__, _TK.id == _EV.ticket_id))  # type: ignore[attr-defined]
            .order_by(_EV.id))
    return book.pages(stmt, _EV.id)


def _last_seq(book: Book, ticket_id: Any, before: int) -> int:
    """The step of the ticket's event the walk met last before event `before` (0: none)."""
    seq = book.session.connection().execute(
        select(_EV.seq).where(_EV.ticket_id == ticket_id, _EV.id < before)
        .order_by(_EV.id.desc()).limit(1)).scalar()
    return int(seq or 0)


def walk_events(book: Book, anchored: Iterable[int] = ()) -> tuple[str | None, Held, set[int]]:
    """The ticket-event chain in id order, every full hash recomputed from the first event
    against the seals, then its length against the counter and its end against the counter's
    head: (the first problem, the recomputed hashes the duty log's stored heads are compared
    with — at the `anchored` positions, read first —, the print jobs the events note)."""
    held, noted = Held(anchored), set()
    prev, problem, last_id = chain.GENESIS, None, None
    for rows in _event_chunks(book):
        for e in rows:
            no = e.ticket_no if e.tid is not None else None
            values = {"seq": e.seq, "at": e.at, "recorded_at": restored(e.at, e.recorded_at),
                      "action": e.action, "by": e.by, "note": e.note, "data": e.data}
            h = chain.event_hash(values, "" if no is None else no, prev)
            if problem is None:
                name = _("ticket event {id} ({no} step {seq})").format(
                    id=e.id, no="?" if no is None else no, seq=e.seq)
                if no is None:
                    problem = _("{event}: its ticket is missing").format(event=name)
                elif chain.seal_of(h, book.dialect) != e.seal:
                    # without a stored previous hash, a gap in the ids or in the ticket's steps
                    # is what tells a row removed or inserted from one changed
                    gap = (last_id is not None and e.id != last_id + 1) or \
                        e.seq != _last_seq(book, e.ticket_id, e.id) + 1
                    problem = (_("{event}: does not follow the event before it (one was "
                                 "removed, inserted or changed)") if gap else
                               _("{event}: its content, or the event before it, was changed")
                               ).format(event=name)
            if e.action == Action.NOTE.value and isinstance(e.data.get("print_job"), int):
                noted.add(int(e.data["print_job"]))
            held.add(h)
            prev, last_id = h, e.id
    problem = problem or missing_tail(_("ticket events"), book.counters.get(
        chain.EVENT_CHAIN, 0), len(held))
    if problem is None and len(held) and book.heads.get(chain.EVENT_CHAIN) != prev:
        problem = _("the ticket events' chain ends at another hash than the book's counter "
                    "holds: the newest events were removed or rewritten")
    return problem, held, noted


def _plain(value: Any) -> Any:
    """A value as the row and the event data can both be compared."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(
            timezone.utc)
    return value


def projection(events: list[Any], row: Any) -> dict[str, Any]:
    """What the ticket row must hold, from the domain's own fold of its events (rows with the
    columns as attributes)."""
    from .ticket_records import record_of

    state = record_of(row, events).state
    first = min(events, key=lambda e: e.seq)
    intake = dict(first.data.get("intake", {}))
    want: dict[str, Any] = {
        "status": state.status.value, "technician": state.technician,
        "follow_up": state.follow_up, "rework_count": state.rework_count,
        "appointment_at": state.appointment_at,
        "last_event_at": max(e.at for e in events),
        "registered_by": first.by, "repeat_of": first.data.get("repeat_of"),
    }
    for key in ("received_at", "channel", "verify_code", *AMENDABLE):
        if key in state.fields:
            want[key] = state.fields[key]
        elif key in intake:
            want[key] = intake[key]
    return want


def _ticket_chunks(book: Book) -> Iterator[list[Any]]:
    """The ticket rows in id order, CHUNK at a time."""
    tickets = Ticket.__table__  # type: ignore[attr-defined]
    return book.pages(select(tickets).order_by(_TK.id), _TK.id)


def _ticket_problem(row: Any, events: list[Any]) -> str | None:
    events = sorted(events, key=lambda e: (e.seq, e.id))  # as the id order sorted by step
    if not events:
        return _("ticket {no}: its history is missing").format(no=row.ticket_no)
    seqs = [e.seq for e in events]
    if seqs != list(range(1, len(seqs) + 1)) or events[0].action != Action.REGISTER.value:
        gap = next((i for i, s in enumerate(seqs, start=1) if s != i), len(seqs) + 1)
        return _("ticket {no}: step {seq} of its history is missing").format(
            no=row.ticket_no, seq=gap)
    for key, want in projection(events, row).items():
        have = getattr(row, key, None)
        if _plain(have) != _plain(want):
            return _("ticket {no}: {column} reads {have!r}, its history gives {want!r}"
                     ).format(no=row.ticket_no, column=key, have=_shown(have),
                              want=_shown(want))
    return None


def check_tickets(desk: Desk, book: Book) -> tuple[str | None, str | None]:
    """Every ticket row against the fold of its events (statuses, technician, the intake as
    amended): `update ticket set status='closed'` is named here; and their numbers
    (check_numbers), in the same pass over the tickets: (the first problem of each)."""
    total = book.session.connection().execute(text("SELECT count(*) FROM ticket")).scalar()
    numbers = Numbering(desk.config.numbering, book.counters, int(total or 0))
    problem = None
    for tickets in _ticket_chunks(book):
        for row in tickets:
            numbers.add(row.ticket_no)
        if problem is not None:
            continue
        # their events through the (ticket_id, seq) index
        by_ticket: dict[int, list[Any]] = defaultdict(list)
        for e in book.rows(select(*_EVENT_COLUMNS).where(
                _EV.ticket_id >= tickets[0].id, _EV.ticket_id <= tickets[-1].id)
                .order_by(_EV.ticket_id, _EV.seq)):
            by_ticket[e.ticket_id].append(e)
        for row in tickets:
            problem = _ticket_problem(row, by_ticket.get(row.id or 0, []))
            if problem is not None:
                break
    return problem, numbers.problem()


def _shown(value: Any) -> Any:
    value = _plain(value)
    return value.isoformat() if isinstance(value, datetime) else value


_STATE_OF_EVENT = {"retried": "queued"}


def _job_chunks(book: Book) -> Iterator[list[PrintJob]]:
    """The print jobs in id (chain) order, CHUNK at a time (ORM objects: job_hash reads them)."""
    return book.pages(select(PrintJob).order_by(col(PrintJob.id)), col(PrintJob.id),
                      lambda stmt: list(book.session.scalars(stmt)))


def _has_ticket(book: Book, ticket_no: str) -> bool:
    return book.session.connection().execute(
        select(_TK.id).where(_TK.ticket_no == ticket_no).limit(1)).first() is not None


def _job_problem(book: Book, j: PrintJob, prev: str, noted: set[int]) -> str | None:
    name = _("print job {id} ({subject})").format(id=j.id, subject=j.subject)
    if j.prev_hash != prev:
        return _("{job}: does not follow the job before it (one was removed, inserted or "
                 "changed)").format(job=name)
    if chain.job_hash(j, prev) != j.hash:
        return _("{job}: its content was changed").format(job=name)
    history = j.detail.get("history", [])
    if history:
        last = str(history[-1].get("event", ""))
        if _STATE_OF_EVENT.get(last, last) != j.state:
            return _("{job}: its state reads {state}, its history ends {event}").format(
                job=name, state=j.state, event=last)
        tries = sum(1 for h in history if h.get("event") == "printing")
        if tries != j.attempts:
            return _("{job}: {n} attempts recorded, its history shows {m}").format(
                job=name, n=j.attempts, m=tries)
    if (j.kind == "work_order" and j.state == "done" and j.id not in noted
            and _has_ticket(book, j.subject)):
        return _("{job}: printed, but the ticket's history does not say so").format(job=name)
    return None


def check_jobs(book: Book, noted: set[int], anchored: Iterable[int] = ()
               ) -> tuple[str | None, Held]:
    """The print-job chain (fixed columns, copies), its counter, and each job's state, tries
    and printed note (`noted`: the jobs the ticket events note) against its own history:
    (the first problem, the stored hashes at the `anchored` positions)."""
    prev, held, problem, found = chain.GENESIS, Held(anchored), None, set()
    for jobs in _job_chunks(book):
        for j in jobs:
            if problem is None:
                problem = _job_problem(book, j, prev, noted)
                prev = j.hash
            if j.id in noted:
                found.add(j.id)
            held.add(j.hash)
    missing = sorted(noted - found)
    if problem is None and missing:
        problem = _("print job {id} is missing: a ticket's history says it printed").format(
            id=missing[0])
    return problem or missing_tail(_("print jobs"), book.counters.get(chain.JOB_CHAIN, 0),
                                   len(held)), held


def check_book(desk: Desk) -> tuple[int, int, list[str]]:
    """Every check: (duty-log entries, signatures, the first problem of each kind)."""
    with desk.store.read() as session:
        book = read_book(session)
        wanted = anchored_positions(session)
        event_problem, events, noted = walk_events(book, wanted.get("ticket_event", ()))
        ticket_problem, number_problem = check_tickets(desk, book)
        job_problem, jobs = check_jobs(book, noted, wanted.get("print_job", ()))
        problems = [p for p in (event_problem, ticket_problem, number_problem, job_problem)
                    if p]
        problems += check_forms(session)  # a row in a form the readers take for another
        chains = {"ticket_event": events, "print_job": jobs}
        entries, signatures, more = check_signed(desk, session, book.counters, chains)
        if desk.store.dialect == "postgresql":  # a SQLite book's schema: backup.verify_file
            from ..store.schema_check import pg_trigger_differences

            diffs = pg_trigger_differences(session.connection())
            if diffs:
                problems.append(diffs[0].describe())
    return entries, signatures, more + problems


@dataclass(frozen=True)
class BookReport:
    entries: int
    signatures: int
    problem: str | None  # the first bad record of each kind, joined on one line
    problems: tuple[str, ...] = ()


def verify_book(desk: Desk) -> BookReport:
    """Walk every chain and check every record against what it must agree with: the first
    bad record of each kind (`repairdesk verify`, restore)."""
    entries, signatures, problems = check_book(desk)
    return BookReport(entries, signatures, "; ".join(problems) or None, tuple(problems))
