"""`verify` over the whole record (issue 15 item 2): the hash chains of the ticket events and
the print jobs, their counters (a truncated tail), the ticket rows against the fold of their
events, the ticket numbers against their counters, and each print job against its history.

Each check returns the first bad record of its kind, or None; services/integrity_signed.py
checks the people, the signatures, the handovers and sign-offs, and the stored heads and
anchors; `check_book` runs them all."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from ..domain.enums import Action
from ..domain.ticket import AMENDABLE
from ..i18n import _
from ..store import chain
from ..store.tables import PrintJob, Ticket, TicketEvent
from .desk import Desk
from .integrity_signed import check_signed, missing_tail


@dataclass
class Book:
    """The rows the checks share, read once."""

    tickets: list[Ticket]
    events: list[TicketEvent]  # in id (chain) order
    jobs: list[PrintJob]       # in id (chain) order
    counters: dict[str, int]
    heads: dict[str, str]  # the full hash the chain's counter row holds (the event chain's)
    dialect: str = "sqlite"  # how wide an event's seal is (chain.seal_of)


def read_book(session: Session) -> Book:
    rows = session.connection().execute(text("SELECT name, last, head FROM counter")).all()
    return Book(list(session.exec(select(Ticket).order_by(col(Ticket.id)))),
                list(session.exec(select(TicketEvent).order_by(col(TicketEvent.id)))),
                list(session.exec(select(PrintJob).order_by(col(PrintJob.id)))),
                {str(n): int(v) for n, v, _h in rows},
                {str(n): str(h) for n, _v, h in rows if h}, session.connection().dialect.name)


def walk_events(book: Book) -> tuple[str | None, list[str]]:
    """The ticket-event chain in id order, every full hash recomputed from the first event
    against the seals, then its length against the counter and its end against the counter's
    head: (the first problem, the recomputed hashes — what the duty log's stored heads are
    compared with)."""
    numbers = {t.id: t.ticket_no for t in book.tickets}
    prev, hashes, problem = chain.GENESIS, [], None
    last_id, last_seq = None, {}
    for e in book.events:
        h = chain.event_hash(e, numbers.get(e.ticket_id, ""), prev)
        if problem is None:
            name = _("ticket event {id} ({no} step {seq})").format(
                id=e.id, no=numbers.get(e.ticket_id, "?"), seq=e.seq)
            if e.ticket_id not in numbers:
                problem = _("{event}: its ticket is missing").format(event=name)
            elif chain.seal_of(h, book.dialect) != e.seal:
                # without a stored previous hash, a gap in the ids or in the ticket's steps is
                # what tells a row removed or inserted from one changed
                gap = (last_id is not None and e.id != last_id + 1) or \
                    e.seq != last_seq.get(e.ticket_id, 0) + 1
                problem = (_("{event}: does not follow the event before it (one was removed, "
                             "inserted or changed)") if gap else
                           _("{event}: its content, or the event before it, was changed")
                           ).format(event=name)
        hashes.append(h)
        prev, last_id, last_seq[e.ticket_id] = h, e.id, e.seq
    problem = problem or missing_tail(_("ticket events"), book.counters.get(
        chain.EVENT_CHAIN, 0), len(book.events))
    if problem is None and book.events and book.heads.get(chain.EVENT_CHAIN) != prev:
        problem = _("the ticket events' chain ends at another hash than the book's counter "
                    "holds: the newest events were removed or rewritten")
    return problem, hashes


def _plain(value: Any) -> Any:
    """A value as the row and the event data can both be compared."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(
            timezone.utc)
    return value


def projection(events: list[TicketEvent], row: Ticket) -> dict[str, Any]:
    """What the ticket row must hold, from the domain's own fold of its events."""
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


def check_tickets(book: Book) -> str | None:
    """Every ticket row against the fold of its events (statuses, technician, the intake as
    amended): `update ticket set status='closed'` is named here."""
    by_ticket: dict[int, list[TicketEvent]] = defaultdict(list)
    for e in book.events:
        by_ticket[e.ticket_id].append(e)
    for row in book.tickets:
        events = sorted(by_ticket.get(row.id or 0, []), key=lambda e: e.seq)
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


def _shown(value: Any) -> Any:
    value = _plain(value)
    return value.isoformat() if isinstance(value, datetime) else value


def check_numbers(desk: Desk, book: Book) -> str | None:
    """Ticket numbers are gap-free from 1 up to their counter: a deleted ticket leaves a hole,
    a deleted last ticket leaves the counter ahead of the book."""
    from .reports import split_number

    fmt = desk.config.numbering
    issued: dict[str, dict[int, str]] = defaultdict(dict)
    for row in book.tickets:
        split = split_number(fmt, row.ticket_no)
        if split is not None:
            issued[split[0]][split[1]] = row.ticket_no
    for period in sorted(issued):
        numbers = issued[period]
        last = book.counters.get(period, 0)
        top = max(numbers)
        if top > last:
            return _("ticket {no} is numbered beyond its counter ({last})").format(
                no=numbers[top], last=last)
        for n in range(1, last + 1):
            if n not in numbers:
                head, _hash, tail = period.partition("#")
                width = len(next(iter(numbers.values()))) - len(head) - len(tail)
                return _("ticket {no} is missing: the counter issued it").format(
                    no=f"{head}{n:0{width}d}{tail}")
    for period in sorted(set(book.counters) - set(issued)):
        if not period.startswith("#") and "#" in period and book.counters[period] > 0:
            return _("the {n} tickets counted by {counter} are missing").format(
                n=book.counters[period], counter=period)
    return None


_STATE_OF_EVENT = {"retried": "queued"}


def check_jobs(book: Book) -> str | None:
    """The print-job chain (fixed columns, copies), its counter, and each job's state, tries
    and printed note against its own history."""
    prev = chain.GENESIS
    noted = {int(e.data["print_job"]) for e in book.events
             if e.action == Action.NOTE.value and isinstance(e.data.get("print_job"), int)}
    subjects = {t.ticket_no for t in book.tickets}
    for j in book.jobs:
        name = _("print job {id} ({subject})").format(id=j.id, subject=j.subject)
        if j.prev_hash != prev:
            return _("{job}: does not follow the job before it (one was removed, inserted or "
                     "changed)").format(job=name)
        if chain.job_hash(j, prev) != j.hash:
            return _("{job}: its content was changed").format(job=name)
        prev = j.hash
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
        if (j.kind == "work_order" and j.state == "done" and j.subject in subjects
                and j.id not in noted):
            return _("{job}: printed, but the ticket's history does not say so").format(job=name)
    ids = {j.id for j in book.jobs}
    for job_id in sorted(noted - ids):
        return _("print job {id} is missing: a ticket's history says it printed").format(
            id=job_id)
    return missing_tail(_("print jobs"), book.counters.get(chain.JOB_CHAIN, 0), len(book.jobs))


def check_book(desk: Desk) -> tuple[int, int, list[str]]:
    """Every check: (duty-log entries, signatures, the first problem of each kind)."""
    with desk.store.read() as session:
        book = read_book(session)
        event_problem, event_hashes = walk_events(book)
        problems = [p for p in (event_problem, check_tickets(book),
                                check_numbers(desk, book), check_jobs(book)) if p]
        chains = {"ticket_event": event_hashes, "print_job": [j.hash for j in book.jobs]}
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
