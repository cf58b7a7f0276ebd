"""主管签字 (001 篇5 4.3): each morning the supervisor reviews the previous duty day — log,
handovers, breaches, tickets not yet returned — and signs it with the PIN. A signed day is
locked (one sign-off per day, append-only); past days left unsigned are flagged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import col, select

from ..domain.enums import Role, Status
from ..domain.shifts import duty_day, duty_day_bounds, past_days
from ..domain.text import clean_text
from ..errors import PermissionDenied, ValidationError
from ..i18n import _
from ..store.tables import DutyLogEntry, HandoverRecord, SignoffRecord, Ticket
from . import dutylog, signing
from .anchors import signoff_anchor
from .desk import Desk
from .dutylog import LogLine

NOT_RETURNED = (Status.REGISTERED, Status.DISPATCHED, Status.ACCEPTED, Status.ON_SITE,
                Status.COMPLETED, Status.PAUSED)


@dataclass(frozen=True)
class DayReview:
    day: date
    entries: list[LogLine]
    handovers: list[tuple[int, str, str, datetime, int]]
    breaches: list[LogLine]
    not_returned: list[tuple[str, str]]
    signed: SignoffRecord | None
    anchor: str | None = None  # the signed day's anchor (services/anchors.py), once signed


def _today(desk: Desk, now: datetime | None = None) -> date:
    return duty_day(now or desk.now(), desk.config.tz, desk.config.duty_day_start)


def previous_day(desk: Desk, now: datetime | None = None) -> date:
    return _today(desk, now) - timedelta(days=1)


def review(desk: Desk, day: date | None = None) -> DayReview:
    """Everything the supervisor reads before signing `day` (default: the previous duty day)."""
    day = day or previous_day(desk)
    start, end = duty_day_bounds(day, desk.config.tz, desk.config.duty_day_start)
    entries = dutylog.list_entries(desk, start, end)
    with desk.store.read() as session:
        hos = session.exec(select(HandoverRecord).where(
            HandoverRecord.at >= start, HandoverRecord.at < end)
            .order_by(col(HandoverRecord.id))).all()
        tickets = session.exec(select(Ticket).where(
            Ticket.registered_at >= start, Ticket.registered_at < end,
            col(Ticket.status).in_([s.value for s in NOT_RETURNED]))
            .order_by(col(Ticket.ticket_no))).all()
        signed = session.exec(select(SignoffRecord).where(
            SignoffRecord.site == desk.config.site_code,
            SignoffRecord.duty_day == day.isoformat())).first()
    return DayReview(
        day=day, entries=entries,
        handovers=[(h.id or 0, h.outgoing, h.incoming, h.at, h.discrepancies) for h in hos],
        breaches=[e for e in entries if e.kind == dutylog.LogKind.SLA],
        not_returned=[(t.ticket_no, Status(t.status).label) for t in tickets],
        signed=signed,
        anchor=signoff_anchor(desk, signed.site, signed.duty_day) if signed else None,
    )


def _first_day(desk: Desk) -> date | None:
    with desk.store.read() as session:
        # limit(1): .first() alone still fetches every row through the ORM
        first = session.exec(select(DutyLogEntry.at).order_by(col(DutyLogEntry.seq))
                             .limit(1)).first()
        first_ticket = session.exec(select(Ticket.registered_at)
                                    .order_by(col(Ticket.registered_at)).limit(1)).first()
    times = [t for t in (first, first_ticket) if t is not None]
    if not times:
        return None
    return duty_day(min(times), desk.config.tz, desk.config.duty_day_start)


def signed_days(desk: Desk) -> set[date]:
    with desk.store.read() as session:
        rows = session.exec(select(SignoffRecord.duty_day).where(
            SignoffRecord.site == desk.config.site_code)).all()
    return {date.fromisoformat(d) for d in rows}


def unsigned_days(desk: Desk, now: datetime | None = None) -> list[date]:
    """Past duty days with activity in the book that the supervisor has not signed yet, however
    old: an unsigned day stays flagged until someone signs it (001 篇5 4.3)."""
    first = _first_day(desk)
    if first is None:
        return []
    today = _today(desk, now)
    done = signed_days(desk)
    return [d for d in past_days(first, today) if d not in done]


def sign_off(desk: Desk, supervisor: str, pin: str, day: date | None = None,
             comment: str = "") -> SignoffRecord:
    """The supervisor (or the manager) signs a past duty day with the PIN; once per day."""
    day = day or previous_day(desk)
    if day >= _today(desk):
        raise ValidationError(_("Only a finished duty day can be signed off."), "day")
    if day in signed_days(desk):
        raise PermissionDenied(_("Duty day {day} is already signed off and locked.").format(
            day=day.isoformat()))
    signer = signing.authenticate(desk, supervisor, pin, (Role.SUPERVISOR, Role.MANAGER))
    r = review(desk, day)
    start, end = duty_day_bounds(day, desk.config.tz, desk.config.duty_day_start)
    with desk.store.read() as session:
        last = session.exec(select(DutyLogEntry.hash).where(DutyLogEntry.at < end)
                            .order_by(col(DutyLogEntry.seq).desc()).limit(1)).first()
    content: dict[str, Any] = {
        "day": day.isoformat(), "entries": len(r.entries),
        "handovers": [h[0] for h in r.handovers], "breaches": len(r.breaches),
        "not_returned": [t[0] for t in r.not_returned],
        # ties the sign-off to the chain as it stood: a later edit of that day breaks both
        "log_head": last or dutylog.GENESIS, "comment": clean_text(comment, multiline=True),
        "supervisor": signer.name,
    }
    digest = signing.content_hash(content)
    with desk.store.write() as session:
        rec = SignoffRecord(site=desk.config.site_code, duty_day=day.isoformat(), at=signer.at,
                            supervisor=signer.name, comment=content["comment"], content=content,
                            content_hash=digest)
        session.add(rec)
        session.flush()
        signing.add_signature(session, signer, f"signoff:{rec.id}", signing.Meaning.SIGNOFF,
                              digest)
        text = _("{name} reviewed and signed duty day {day}.").format(
            name=signer.name, day=day.isoformat())
        if content["comment"]:
            text += " " + content["comment"]
        dutylog.append(session, site=desk.config.site_code, at=signer.at,
                       kind=dutylog.LogKind.SIGNOFF, author=signer.name, text=text,
                       data={"signoff_id": rec.id, "day": day.isoformat(),
                             "content_hash": digest},
                       dedup_key=f"signoff:{desk.config.site_code}:{day.isoformat()}")
        return rec
