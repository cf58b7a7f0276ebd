"""Registering repair calls and taking them through their lifecycle.

Every step is one write transaction: the event is appended, the ticket row (a projection of
the events) is brought up to date, and any automatic duty-log entry is written — all or nothing.
"""

from __future__ import annotations

import weakref
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import func, union
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from ..domain import validation as v
from ..domain.enums import Action, Channel, Scope, ServiceType, Status, Urgency
from ..domain.intake import urgent_matches
from ..domain.text import clean_text
from ..domain.ticket import (
    AMENDABLE, Event, Intake, TicketRecord, apply, check_step, fold,
)
from ..domain.timeparse import parse_local
from ..errors import NotFound, ValidationError
from ..i18n import _
from ..store import search
from ..store.db import Store, next_in_sequence
from ..store.tables import Ticket, TicketEvent
from . import dutylog
from .desk import Desk
from .sla_outcomes import store_outcome
from .staff import require_technician


@dataclass
class IntakeForm:
    """The intake fields as typed (strings), in phone-call order."""

    room: str = ""
    caller: str = ""
    phone: str = ""
    content: str = ""
    scope: str = "home"
    category: str = ""
    urgency: str = "normal"
    appointment: str = ""
    channel: str = "phone"
    service_type: str = "free"
    owner_parts: bool = False
    verify_code: str = ""
    received_at: str = ""


def _enum(kind: type, raw: str, field_name: str, label: str) -> Any:
    try:
        return kind(clean_text(raw) or list(kind)[0].value)
    except ValueError:
        raise ValidationError(
            _("{label} must be one of: {allowed}.").format(
                label=label, allowed=", ".join(m.value for m in kind)),
            field_name,
        ) from None


def build_intake(desk: Desk, form: IntakeForm) -> Intake:
    """Validate every field, first error first (in the order the clerk asks the owner)."""
    cfg, now = desk.config, desk.now()
    scope = _enum(Scope, form.scope, "scope", _("Scope"))
    room = (v.validate_room(form.room, cfg.room_pattern) if scope is Scope.HOME
            else v.validate_location(form.room))
    caller = v.validate_caller(form.caller)
    phone = v.normalise_phone(form.phone)
    content = v.validate_content(form.content)
    category = clean_text(form.category) or cfg.default_category
    if category not in cfg.categories:
        raise ValidationError(
            _("Category must be one of: {allowed}.").format(allowed="、".join(cfg.categories)),
            "category",
        )
    urgency = _enum(Urgency, form.urgency, "urgency", _("Urgency"))
    appointment_at = None
    if clean_text(form.appointment):
        appointment_at = v.validate_future(
            parse_local(form.appointment, cfg.tz, now, "appointment"), now)
        if urgency is Urgency.NORMAL:
            urgency = Urgency.APPOINTMENT
    elif urgency is Urgency.APPOINTMENT:
        raise ValidationError(_("An appointment needs the agreed time."), "appointment")
    channel = _enum(Channel, form.channel, "channel", _("Channel"))
    service = _enum(ServiceType, form.service_type, "service_type", _("Service type"))
    received_at = now
    if clean_text(form.received_at):
        received_at = parse_local(form.received_at, cfg.tz, now, "received_at")
        if received_at > now:
            raise ValidationError(_("The call cannot have come in the future."), "received_at")
    verify_code = clean_text(form.verify_code)
    if len(verify_code) > 12:
        raise ValidationError(_("Verification code is too long."), "verify_code")
    return Intake(
        received_at=received_at, room=room, caller=caller, content=content, phone=phone,
        scope=scope, category=category, urgency=urgency, appointment_at=appointment_at,
        channel=channel, service_type=service, owner_parts=bool(form.owner_parts),
        verify_code=verify_code,
    )


def suggest_urgent(desk: Desk, content: str) -> list[str]:
    """Urgent-by-rule keywords found in the content; the clerk decides."""
    return urgent_matches(content, desk.config.urgent_keywords)


# ---------------------------------------------------------------- reading


def _event(row: TicketEvent) -> Event:
    return Event(at=row.at, action=Action(row.action), by=row.by, note=row.note,
                 data=dict(row.data), seq=row.seq)


def _intake(row: Ticket) -> Intake:
    return Intake(
        received_at=row.received_at, room=row.room, caller=row.caller, content=row.content,
        phone=row.phone, scope=Scope(row.scope), category=row.category,
        urgency=Urgency(row.urgency), appointment_at=row.appointment_at,
        channel=Channel(row.channel), service_type=ServiceType(row.service_type),
        owner_parts=row.owner_parts, verify_code=row.verify_code,
    )


def _record(row: Ticket, events: list[TicketEvent]) -> TicketRecord:
    evs = tuple(_event(e) for e in sorted(events, key=lambda e: e.seq))
    return TicketRecord(
        ticket_no=row.ticket_no, intake=_intake(row), state=fold(list(evs)), events=evs,
        registered_at=row.registered_at, registered_by=row.registered_by, repeat_of=row.repeat_of,
    )


def _records(session: Session, rows: list[Ticket]) -> list[TicketRecord]:
    if not rows:
        return []
    ids = [r.id for r in rows]
    by_ticket: dict[int, list[TicketEvent]] = {i: [] for i in ids if i is not None}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        for e in session.exec(select(TicketEvent).where(col(TicketEvent.ticket_id).in_(part))):
            by_ticket[e.ticket_id].append(e)
    return [_record(r, by_ticket[r.id or 0]) for r in rows]


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
    return {tid: _record(row, by_ticket.get(tid, [])) for tid, row in rows.items()}


def _row(session: Session, ticket_no: str, lock: bool = False) -> Ticket:
    q = select(Ticket).where(Ticket.ticket_no == clean_text(ticket_no).upper())
    if lock:
        q = q.with_for_update()
    row = session.exec(q).first()
    if row is None:
        raise NotFound(_("No ticket {no}.").format(no=clean_text(ticket_no)))
    return row


def get_ticket(desk: Desk, ticket_no: str) -> TicketRecord:
    with desk.store.read() as session:
        row = _row(session, ticket_no)
        return _records(session, [row])[0]


def list_tickets(desk: Desk, open_only: bool = False, limit: int | None = None,
                 since: datetime | None = None) -> list[TicketRecord]:
    with desk.store.read() as session:
        q = select(Ticket)
        if open_only:
            q = q.where(col(Ticket.status).in_(OPEN_STATUSES))
        if since is not None:
            q = q.where(Ticket.registered_at >= since)
        q = q.order_by(col(Ticket.received_at).desc(), col(Ticket.id).desc())
        if limit:
            q = q.limit(limit)
        return _records(session, list(session.exec(q)))


def duty_day_start(desk: Desk, at: datetime | None = None) -> datetime:
    """The start (UTC) of the duty day containing `at`: 08:30 local by default (001 篇5)."""
    cfg = desk.config
    local = (at or desk.now()).astimezone(cfg.tz)
    start = local.replace(hour=cfg.duty_day_start.hour, minute=cfg.duty_day_start.minute,
                          second=0, microsecond=0)
    if local < start:
        start -= timedelta(days=1)
    return start.astimezone(timezone.utc)


# open = not closed or voided, spelt as IN so the (status, received_at) index answers it
OPEN_STATUSES = [s.value for s in Status if s.is_open]

# Records of the working set by ticket id, with the newest event id they were built from.
# Events are append-only and the ticket row changes only with a new event, so an unchanged
# newest event id means an unchanged record: a reload rebuilds only the tickets that moved.
_BUILT: weakref.WeakKeyDictionary[Store, dict[int, tuple[int, TicketRecord]]] = (
    weakref.WeakKeyDictionary())


def working_set(desk: Desk) -> list[TicketRecord]:
    """What the desk watches: every open ticket, plus everything registered this duty day."""
    since = duty_day_start(desk)
    ids = union(select(Ticket.id).where(col(Ticket.status).in_(OPEN_STATUSES)),
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


def search_tickets(desk: Desk, query: str, limit: int = 200) -> tuple[list[TicketRecord], int]:
    """Tickets whose number, room/place, caller, content or phone contains `query`: the
    first `limit`, newest first, and the total count (store/search.py: bigram FTS5 index)."""
    text = clean_text(query)
    if not text:
        return [], 0
    with desk.store.read() as session:
        ids, total = search.search_ids(session.connection(), desk.store.dialect, text, limit)
        if not ids:
            return [], total
        found = _load_records(session, ids)
        return [found[i] for i in ids if i in found], total


def _index(desk: Desk, session: Session, row: Ticket) -> None:
    """Keep the search index in the ticket's own transaction."""
    assert row.id is not None
    search.index_ticket(session.connection(), desk.store.dialect, row.id, row.ticket_no,
                        row.room, row.caller, row.phone, row.content)


# ---------------------------------------------------------------- writing


def _find_repeat(session: Session, intake: Intake, window_days: int) -> str | None:
    start = intake.received_at - timedelta(days=window_days)
    q = (select(Ticket.ticket_no)
         .where(Ticket.room == intake.room, Ticket.category == intake.category,
                col(Ticket.received_at) >= start, col(Ticket.received_at) <= intake.received_at,
                Ticket.status != Status.VOIDED.value)
         .order_by(col(Ticket.received_at).desc()).limit(1))
    return session.exec(q).first()


def register_ticket(desk: Desk, form: IntakeForm | Intake, by: str) -> TicketRecord:
    """Take a repair call into the book and give it the next 单号."""
    intake = form if isinstance(form, Intake) else build_intake(desk, form)
    by = clean_text(by)
    if not by:
        raise ValidationError(_("Who is registering? Give the clerk's name."), "by")
    cfg, now = desk.config, desk.now()
    day = now.astimezone(cfg.tz).date()
    back_entered = (now - intake.received_at) > timedelta(minutes=2)
    with desk.store.write() as session:
        seq = next_in_sequence(session, cfg.numbering.period_key(day, cfg.site_code))
        ticket_no = cfg.numbering.format(day, seq, cfg.site_code)
        repeat_of = _find_repeat(session, intake, cfg.repeat_window_days)
        row = Ticket(
            ticket_no=ticket_no, site=cfg.site_code, received_at=intake.received_at,
            registered_at=now, registered_by=by, channel=intake.channel.value, room=intake.room,
            building=intake.building, caller=intake.caller, phone=intake.phone,
            content=intake.content, scope=intake.scope.value, category=intake.category,
            urgency=intake.urgency.value, appointment_at=intake.appointment_at,
            service_type=intake.service_type.value, owner_parts=intake.owner_parts,
            verify_code=intake.verify_code, repeat_of=repeat_of,
            status=Status.REGISTERED.value, last_event_at=intake.received_at,
        )
        session.add(row)
        session.flush()
        _index(desk, session, row)
        data: dict[str, Any] = {"intake": {k: getattr(intake, k) for k in asdict(intake)}}
        note = ""
        if back_entered:
            data["back_entered"] = True
            note = _("Back-entered from paper; the call came in at the time shown.")
        if repeat_of:
            data["repeat_of"] = repeat_of
        session.add(TicketEvent(ticket_id=row.id, seq=1, at=intake.received_at, recorded_at=now,
                                action=Action.REGISTER.value, by=by, note=note, data=data))
        session.flush()
        record = _records(session, [row])[0]
        store_outcome(desk, session, row.id, record)
        return record


@dataclass
class Step:
    """What a lifecycle step writes besides the event itself."""

    data: dict[str, Any] = field(default_factory=dict)
    log_kind: str | None = None
    log_text: str = ""


def _step(desk: Desk, ticket_no: str, action: Action, by: str, *, note: str = "",
          at: str | datetime | None = None, step: Step | None = None,
          follow: tuple[Action, dict[str, Any], str] | None = None) -> TicketRecord:
    by = clean_text(by)
    if not by:
        raise ValidationError(_("Who is recording this step? Give the clerk's name."), "by")
    step = step or Step()
    note = v.validate_note(note)
    now = desk.now()
    with desk.store.write() as session:
        row = _row(session, ticket_no, lock=True)
        events = list(session.exec(
            select(TicketEvent).where(TicketEvent.ticket_id == row.id).order_by(TicketEvent.seq)))
        record = _record(row, events)
        when = now if at is None else (
            at if isinstance(at, datetime) else parse_local(at, desk.config.tz, now, "at"))
        last_at = record.events[-1].at if record.events else row.received_at
        if when > now:
            raise ValidationError(_("A step cannot be recorded in the future."), "at")
        if when < last_at:
            raise ValidationError(
                _("A step cannot be earlier than the previous one in the history."), "at")
        check_step(record.state, action, record.intake.scope, step.data)
        state = record.state
        seq = len(events)
        todo = [(action, step.data, note)] + ([follow] if follow else [])
        for act, data, text in todo:
            seq += 1
            event = Event(at=when, action=act, by=by, note=text, data=data, seq=seq)
            check_step(state, act, record.intake.scope, data)
            state = apply(state, event)
            session.add(TicketEvent(ticket_id=row.id, seq=seq, at=when, recorded_at=now,
                                    action=act.value, by=by, note=text, data=data))
        row.status = state.status.value
        row.technician = state.technician
        row.follow_up = state.follow_up
        row.rework_count = state.rework_count
        row.appointment_at = state.appointment_at
        row.last_event_at = when
        for key, value in state.fields.items():
            if key in AMENDABLE:
                setattr(row, key, value.value if hasattr(value, "value") else value)
                if key == "room":
                    row.building = value.split("-")[0] if row.scope == Scope.HOME.value else ""
        session.add(row)
        if action is Action.AMEND:
            session.flush()
            _index(desk, session, row)
        if step.log_kind:
            dutylog.append(session, site=row.site, at=now, kind=step.log_kind, author=by,
                           text=step.log_text, ticket_no=row.ticket_no, data=step.data)
        session.flush()
        events = list(session.exec(
            select(TicketEvent).where(TicketEvent.ticket_id == row.id).order_by(TicketEvent.seq)))
        record = _record(row, events)
        store_outcome(desk, session, row.id, record)
        return record


def dispatch_ticket(desk: Desk, ticket_no: str, technician: str, by: str, *, note: str = "",
                    at: str | datetime | None = None) -> TicketRecord:
    """派工: send a technician (an active technician or team leader). With [printing]
    auto_on_dispatch the work order is queued; the caller runs the print (printing.run_pending)."""
    with desk.store.read() as session:
        tech = require_technician(session, technician)
    record = _step(desk, ticket_no, Action.DISPATCH, by, note=note, at=at,
                   step=Step({"technician": tech.name}))
    from ..printing.settings import print_settings

    if print_settings(desk.config).auto_on_dispatch:
        from .printing import queue_work_order

        queue_work_order(desk, record.ticket_no, by)
    return record


def accept_ticket(desk: Desk, ticket_no: str, by: str, *, note: str = "",
                  at: str | datetime | None = None) -> TicketRecord:
    """接单: the technician signed for the work order."""
    return _step(desk, ticket_no, Action.ACCEPT, by, note=note, at=at)


def arrive_ticket(desk: Desk, ticket_no: str, by: str, *, note: str = "",
                  at: str | datetime | None = None) -> TicketRecord:
    """到场: the technician reports being on site."""
    return _step(desk, ticket_no, Action.ARRIVE, by, note=note, at=at)


def complete_ticket(desk: Desk, ticket_no: str, result: str, by: str, *,
                    at: str | datetime | None = None) -> TicketRecord:
    """完工: the technician reports the job done, with the result."""
    text = v.validate_reason(result, "result")
    return _step(desk, ticket_no, Action.COMPLETE, by, note=text, at=at,
                 step=Step({"result": text}))


def return_ticket(desk: Desk, ticket_no: str, by: str, *, note: str = "",
                  at: str | datetime | None = None) -> TicketRecord:
    """返单: the signed work order is back at the desk and checked (003 4.8)."""
    return _step(desk, ticket_no, Action.RETURN, by, note=note, at=at)


def callback_ticket(desk: Desk, ticket_no: str, satisfied: bool, by: str, *, note: str = "",
                    at: str | datetime | None = None) -> TicketRecord:
    """回访: the owner is called back. Unsatisfied sends the job back as rework (返工)."""
    follow = None
    if not satisfied:
        follow = (Action.REWORK, {}, _("Owner not satisfied at callback: rework."))
    return _step(desk, ticket_no, Action.CALLBACK, by, note=note, at=at,
                 step=Step({"satisfied": satisfied}), follow=follow)


def close_ticket(desk: Desk, ticket_no: str, by: str, *, verified: bool = False,
                 note: str = "", at: str | datetime | None = None) -> TicketRecord:
    """归档. A public-area job needs the clerk's verification first (003 4.8(3))."""
    return _step(desk, ticket_no, Action.CLOSE, by, note=note, at=at,
                 step=Step({"verified": verified}))


def void_ticket(desk: Desk, ticket_no: str, reason: str, by: str) -> TicketRecord:
    """作废: the number and the record stay in the book; the duty log notes it."""
    text = v.validate_reason(reason)
    return _step(desk, ticket_no, Action.VOID, by, note=text, step=Step(
        {"reason": text}, dutylog.LogKind.VOID,
        _("Ticket {no} voided: {reason}").format(no=clean_text(ticket_no).upper(), reason=text)))


def reschedule_ticket(desk: Desk, ticket_no: str, to: str | datetime, reason: str,
                      by: str) -> TicketRecord:
    """改约: a new appointment agreed with the owner; the old one stays in the history."""
    text = v.validate_reason(reason)
    now = desk.now()
    when = to if isinstance(to, datetime) else parse_local(to, desk.config.tz, now, "to")
    v.validate_future(when, now, "to")
    old = get_ticket(desk, ticket_no).state.appointment_at
    from ..domain.timeparse import fmt_local
    return _step(desk, ticket_no, Action.RESCHEDULE, by, note=text, step=Step(
        {"appointment_at": when, "previous_at": old, "reason": text},
        dutylog.LogKind.RESCHEDULE,
        _("Ticket {no} rescheduled to {when}: {reason}").format(
            no=clean_text(ticket_no).upper(), when=fmt_local(when, desk.config.tz), reason=text)))


def pause_ticket(desk: Desk, ticket_no: str, reason: str, by: str) -> TicketRecord:
    """待料: waiting for parts or for the owner; the clocks it affects stop."""
    text = v.validate_reason(reason)
    return _step(desk, ticket_no, Action.PAUSE, by, note=text, step=Step({"reason": text}))


def resume_ticket(desk: Desk, ticket_no: str, by: str, *, reason: str = "") -> TicketRecord:
    return _step(desk, ticket_no, Action.RESUME, by, note=reason)


def follow_up_ticket(desk: Desk, ticket_no: str, note: str, by: str) -> TicketRecord:
    """协调单 entry: time, contact and progress of a job not finished in time (004)."""
    text = v.validate_reason(note, "note")
    return _step(desk, ticket_no, Action.FOLLOW_UP, by, note=text, step=Step({"progress": text}))


def add_note(desk: Desk, ticket_no: str, note: str, by: str) -> TicketRecord:
    text = v.validate_reason(note, "note")
    return _step(desk, ticket_no, Action.NOTE, by, note=text)


def amend_ticket(desk: Desk, ticket_no: str, form: dict[str, str], by: str, *,
                 note: str = "") -> TicketRecord:
    """补录: details typed after an urgent dispatch; the old values stay in the history."""
    current = get_ticket(desk, ticket_no)
    base = IntakeForm(
        room=current.intake.room, caller=current.intake.caller, phone=current.intake.phone,
        content=current.intake.content, scope=current.intake.scope.value,
        category=current.intake.category, urgency=current.intake.urgency.value,
        channel=current.intake.channel.value, service_type=current.intake.service_type.value,
        owner_parts=current.intake.owner_parts,
    )
    for key, value in form.items():
        if key not in AMENDABLE:
            raise ValidationError(_("{field} cannot be amended.").format(field=key), key)
        setattr(base, key, value)
    checked = build_intake(desk, base)
    changes = {}
    for key in form:
        new = getattr(checked, key)
        if new != getattr(current.intake, key):
            changes[key] = new
    if not changes:
        raise ValidationError(_("Nothing to change."), "changes")
    old = {k: getattr(current.intake, k) for k in changes}
    return _step(desk, ticket_no, Action.AMEND, by, note=note,
                 step=Step({"changes": changes, "previous": old}))
