"""The duty log (值班记录): append-only, hash-chained entries.

Each entry stores the hash of the previous entry and the hash of its own content, so an entry
changed or removed outside the app breaks the chain at that entry."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from ..domain.text import clean_text
from ..store.db import next_in_sequence
from ..errors import NotFound, ValidationError
from ..i18n import _
from ..store.tables import DutyLogEntry
from ..store.types import dump_json

if TYPE_CHECKING:
    from .context import Desk

GENESIS = "0" * 64
CHAIN = "#duty_log"


class LogKind:
    CLERK = "clerk"
    CORRECTION = "correction"
    VOID = "void"
    RESCHEDULE = "reschedule"
    SLA = "sla"                  # SLA breaches, escalation steps, follow-up conversions
    SLA_WARNING = "sla_warning"  # SLA warnings (80%): kept apart from the breaches signed off
    HANDOVER = "handover"
    SIGNOFF = "signoff"
    REVEAL = "reveal"
    SYSTEM = "system"
    PIN = "pin"
    LOCKOUT = "lockout"
    SHIFT = "shift"
    ROSTER = "roster"            # staff added or removed (by a supervisor, or the setup)


# the entries whose anchor is printed (handover, sign-off) carry the other chains' heads
PINNED = (LogKind.HANDOVER, LogKind.SIGNOFF)


def entry_hash(e: DutyLogEntry | dict[str, Any], prev_hash: str) -> str:
    get = e.get if isinstance(e, dict) else lambda k: getattr(e, k)
    at = get("at")
    body = [
        get("seq"), get("site"), at.isoformat() if isinstance(at, datetime) else at,
        get("kind"), get("author"), get("text"), get("ticket_no"), get("corrects_id"),
        get("dedup_key"), json.loads(dump_json(get("data"))), prev_hash,
    ]
    canon = json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LogLine:
    seq: int
    at: datetime
    kind: str
    author: str
    text: str
    ticket_no: str | None
    corrects_id: int | None
    id: int


def append(
    session: Session,
    *,
    site: str,
    at: datetime,
    kind: str,
    author: str,
    text: str,
    ticket_no: str | None = None,
    data: dict[str, Any] | None = None,
    dedup_key: str | None = None,
    corrects_id: int | None = None,
) -> DutyLogEntry | None:
    """Append one entry inside the caller's write transaction. With a `dedup_key` that is
    already in the book, nothing is written and None is returned (exactly-once entries)."""
    if dedup_key is not None:
        exists = session.exec(
            select(DutyLogEntry.id).where(DutyLogEntry.dedup_key == dedup_key)
        ).first()
        if exists:
            return None
    # pending ticket events and print jobs take their chain's counter first, so every
    # transaction takes the counters in one order (PostgreSQL: no deadlock between desks)
    session.flush()
    if kind in PINNED:
        # the entry an anchor is printed from pins the other chains where they stand too
        from ..store.chain import heads

        data = {**(data or {}), "heads": heads(session.connection())}
    seq = next_in_sequence(session, CHAIN)
    prev = session.exec(
        select(DutyLogEntry.hash).where(DutyLogEntry.seq == seq - 1)
    ).first()
    prev_hash = prev or GENESIS
    entry = DutyLogEntry(
        seq=seq, site=site, at=at, kind=kind, author=clean_text(author),
        text=clean_text(text, multiline=True), ticket_no=ticket_no, corrects_id=corrects_id,
        dedup_key=dedup_key, data=data or {}, prev_hash=prev_hash, hash="",
    )
    entry.hash = entry_hash(entry, prev_hash)
    session.add(entry)
    session.flush()
    return entry


def _line(e: DutyLogEntry) -> LogLine:
    """An entry as read: one kept as a message (an SLA notice, services/sla_messages.py) in
    the reader's language; the text as written is the record (and what the chain signs)."""
    from ..stored_text import from_obj

    kept = from_obj((e.data or {}).get("message"))
    text = kept.text() if kept is not None else e.text
    return LogLine(e.seq, e.at, e.kind, e.author, text, e.ticket_no, e.corrects_id, e.id or 0)


def _writer(session: Session, by: str) -> str:
    """Who writes the entry: a desk role, a clerk as the holder (services/authority.py)."""
    from .authority import Act, require_desk_actor

    return require_desk_actor(session, by, Act.LOG).name


def add_entry(desk: "Desk", text: str, by: str) -> LogLine:
    """The clerk's own entry (`l` key, `repairdesk log add`)."""
    text = clean_text(text, multiline=True)
    if not text:
        raise ValidationError(_("The log entry is empty."), "text")
    with desk.store.write() as session:
        by = _writer(session, by)
        e = append(session, site=desk.config.site_code, at=desk.now(), kind=LogKind.CLERK,
                   author=by, text=text)
        assert e is not None
        return _line(e)


def correct_entry(desk: "Desk", entry_id: int, text: str, by: str) -> LogLine:
    """A correction is a new entry pointing at the one it corrects; the old one stays."""
    text = clean_text(text, multiline=True)
    if not text:
        raise ValidationError(_("The correction is empty."), "text")
    with desk.store.write() as session:
        by = _writer(session, by)
        old = session.get(DutyLogEntry, entry_id)
        if old is None:
            raise NotFound(_("No duty-log entry {id}.").format(id=entry_id))
        e = append(session, site=desk.config.site_code, at=desk.now(), kind=LogKind.CORRECTION,
                   author=by, text=text, ticket_no=old.ticket_no, corrects_id=old.id)
        assert e is not None
        return _line(e)


def list_entries(desk: "Desk", since: datetime | None = None, until: datetime | None = None,
                 limit: int | None = None) -> list[LogLine]:
    """Entries in chain order, optionally within [since, until)."""
    with desk.store.read() as session:
        q = select(DutyLogEntry)
        if since is not None:
            q = q.where(DutyLogEntry.at >= since)
        if until is not None:
            q = q.where(DutyLogEntry.at < until)
        q = q.order_by(col(DutyLogEntry.seq))
        rows = list(session.exec(q))
        if limit:
            rows = rows[-limit:]
        return [_line(e) for e in rows]


def entries_of_day(desk: "Desk", day: date) -> list[LogLine]:
    from ..domain.shifts import duty_day_bounds

    start, end = duty_day_bounds(day, desk.config.tz, desk.config.duty_day_start)
    return list_entries(desk, start, end)


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    id: int
    at: datetime
    author: str
    text: str
    reason: str


CHUNK = 2000  # entries verify reads at once: its memory is bounded by the chunk, not the log


def entries_in_chunks(session: Session) -> Iterator[list[DutyLogEntry]]:
    """Every entry in seq order, CHUNK at a time."""
    last, size = None, CHUNK
    while True:
        stmt = select(DutyLogEntry).order_by(col(DutyLogEntry.seq))
        if last is not None:
            stmt = stmt.where(col(DutyLogEntry.seq) > last)
        rows = list(session.exec(stmt.limit(size)))
        if rows:
            yield rows
        if len(rows) < size:
            return
        last = rows[-1].seq


def verify_chain(session: Session) -> tuple[int, ChainBreak | None]:
    """Walk the chain from the first entry, CHUNK entries read at a time: (entries checked, the
    first that does not match)."""
    prev = GENESIS
    n = 0
    for chunk in entries_in_chunks(session):
        for e in chunk:
            n += 1
            expected = n
            reason = None
            if e.seq != expected:
                reason = _("entry {n} is missing").format(n=expected)
            elif e.prev_hash != prev:
                reason = _("does not follow the entry before it")
            elif entry_hash(e, prev) != e.hash:
                reason = _("its content was changed")
            if reason:
                return n, ChainBreak(e.seq, e.id or 0, e.at, e.author, e.text, reason)
            prev = e.hash
    return n, None
