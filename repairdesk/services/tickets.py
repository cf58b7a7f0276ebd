"""Registering repair calls and taking them through their lifecycle.

Every step is one write transaction: the event is appended, the ticket row (a projection of
the events) is brought up to date, and any automatic duty-log entry is written — all or nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from ..domain import validation as v
from ..domain.enums import Action, Channel, Scope, ServiceType, Status, Urgency
from ..domain.intake import urgent_matches
from ..domain.text import clean_text
from ..domain.ticket import AMENDABLE, Event, Intake, TicketRecord, apply, check_step
from ..domain.timeparse import parse_local
from ..errors import ValidationError
from ..i18n import _
from ..store.db import next_in_sequence
from ..store.tables import Ticket, TicketEvent
from . import dutylog
from .desk import Desk
from .sla_outcomes import store_outcome
from .staff import require_technician
from .ticket_records import (  # reading: re-exported, callers know it from here
    OPEN_STATUSES, duty_day_start, get_ticket, index_row, list_tickets, record_of, records_of,
    search_tickets, ticket_row, working_set,
)

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
        index_row(desk, session, row)
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
        record = records_of(session, [row])[0]
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
        row = ticket_row(session, ticket_no, lock=True)
        events = list(session.exec(
            select(TicketEvent).where(TicketEvent.ticket_id == row.id).order_by(TicketEvent.seq)))
        record = record_of(row, events)
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
            index_row(desk, session, row)
        if step.log_kind:
            dutylog.append(session, site=row.site, at=now, kind=step.log_kind, author=by,
                           text=step.log_text, ticket_no=row.ticket_no, data=step.data)
        session.flush()
        events = list(session.exec(
            select(TicketEvent).where(TicketEvent.ticket_id == row.id).order_by(TicketEvent.seq)))
        record = record_of(row, events)
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
