"""Taking a repair call into the book: the intake form as typed, checked field by field in the
order the clerk asks the owner, and registered under the next 单号 in one write transaction."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from ..domain import validation as v
from ..domain.enums import Action, Channel, Scope, ServiceType, Status, Urgency
from ..domain.intake import urgent_matches
from ..domain.rooms import normalise_room
from ..domain.text import clean_text
from ..domain.ticket import Event, Intake, TicketRecord, fold
from ..domain.timeparse import parse_local
from ..errors import ValidationError
from ..i18n import _
from ..store import chain, search
from ..store.db import next_in_sequence
from ..store.tables import Ticket, TicketEvent
from ..store.types import EventTime, dump_json, load_json
from .authority import Act, require_desk_actor
from .desk import Desk
from .rooms import scope_of
from .sla_outcomes import store_outcome

_TICKET = Ticket.__table__  # type: ignore[attr-defined]
_EVENT = TicketEvent.__table__  # type: ignore[attr-defined]


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
    vacant: bool = False  # 空房


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
    scope = (_enum(Scope, form.scope, "scope", _("Scope")) if clean_text(form.scope)
             else scope_of(desk, form.room))
    # a room as callers say it (3栋2单元1501) is written as the book does (3-2-1501)
    room = ((normalise_room(form.room, cfg.room_forms, cfg.room_pattern)
             or v.validate_room(form.room, cfg.room_pattern)) if scope is Scope.HOME
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
    received_at = now
    if clean_text(form.received_at):
        received_at = parse_local(form.received_at, cfg.tz, now, "received_at")
        if received_at > now:
            raise ValidationError(_("The call cannot have come in the future."), "received_at")
    appointment_at = None
    if clean_text(form.appointment):
        if urgency is Urgency.URGENT:
            # an urgent job is attended at once (003 4.1(2)); an agreed time makes it an
            # appointment: the clerk decides which, the desk does not guess
            raise ValidationError(_(
                "An urgent job is attended at once: leave out the appointment time, or "
                "register it as an appointment."), "appointment")
        # after the call came in (a call entered from paper may have its appointment passed)
        appointment_at = v.validate_future(
            parse_local(form.appointment, cfg.tz, now, "appointment"), received_at)
        if urgency is Urgency.NORMAL:
            urgency = Urgency.APPOINTMENT
    elif urgency is Urgency.APPOINTMENT:
        raise ValidationError(_("An appointment needs the agreed time."), "appointment")
    channel = _enum(Channel, form.channel, "channel", _("Channel"))
    service = _enum(ServiceType, form.service_type, "service_type", _("Service type"))
    if form.vacant and scope is not Scope.HOME:
        raise ValidationError(_("Only a home can be vacant (空房), not a public area."),
                              "vacant")
    verify_code = clean_text(form.verify_code)
    if len(verify_code) > 12:
        raise ValidationError(_("Verification code is too long."), "verify_code")
    return Intake(
        received_at=received_at, room=room, caller=caller, content=content, phone=phone,
        scope=scope, category=category, urgency=urgency, appointment_at=appointment_at,
        channel=channel, service_type=service, owner_parts=bool(form.owner_parts),
        verify_code=verify_code, vacant=bool(form.vacant),
    )


def suggest_urgent(desk: Desk, content: str) -> list[str]:
    """Urgent-by-rule keywords found in the content; the clerk decides."""
    return urgent_matches(content, desk.config.urgent_keywords)


# the newest earlier call about the same place and category within the window (a repeat)
_REPEAT = text(
    "SELECT ticket_no FROM ticket WHERE room = :room AND category = :category "
    "AND received_at >= :start AND received_at <= :at AND status <> :voided "
    "ORDER BY received_at DESC LIMIT 1").bindparams(
    bindparam("start", type_=EventTime()), bindparam("at", type_=EventTime()))
_INTAKE_FIELDS = tuple(f.name for f in fields(Intake))


def _find_repeat(conn: Connection, intake: Intake, window_days: int) -> str | None:
    return conn.execute(_REPEAT, {
        "room": intake.room, "category": intake.category,
        "start": intake.received_at - timedelta(days=window_days), "at": intake.received_at,
        "voided": Status.VOIDED.value}).scalar()


def register_ticket(desk: Desk, form: IntakeForm | Intake, by: str) -> TicketRecord:
    """Take a repair call into the book and give it the next 单号.

    Core statements, not ORM objects (issue 18: registering is on the clerk's critical path):
    the checks, the number, the repeat look-up, the ticket row, its search entry, its register
    step and its SLA outcome in one write transaction, committed durably; the record is built
    from what was written instead of being read back."""
    intake = form if isinstance(form, Intake) else build_intake(desk, form)
    cfg, now = desk.config, desk.now()
    day = now.astimezone(cfg.tz).date()
    back_entered = (now - intake.received_at) > timedelta(minutes=2)
    data: dict[str, Any] = {"intake": {k: getattr(intake, k) for k in _INTAKE_FIELDS}}
    note = ""
    if back_entered:
        data["back_entered"] = True
        note = _("Back-entered from paper; the call came in at the time shown.")
    with desk.store.write() as session:
        by = require_desk_actor(session, by, Act.REGISTER).name
        conn = session.connection()
        repeat_of = _find_repeat(conn, intake, cfg.repeat_window_days)
        if repeat_of:
            data["repeat_of"] = repeat_of
        # from the number on, the estate's counter is held until the commit (PostgreSQL: a
        # second desk of the estate waits), so only writes follow
        seq = next_in_sequence(session, cfg.numbering.period_key(day, cfg.site_code))
        ticket_no = cfg.numbering.format(day, seq, cfg.site_code)
        ticket_id = conn.execute(_TICKET.insert(), {
            "ticket_no": ticket_no, "site": cfg.site_code, "received_at": intake.received_at,
            "registered_at": now, "registered_by": by, "channel": intake.channel.value,
            "room": intake.room, "building": intake.building, "caller": intake.caller,
            "phone": intake.phone, "content": intake.content, "scope": intake.scope.value,
            "category": intake.category, "urgency": intake.urgency.value,
            "appointment_at": intake.appointment_at,
            "service_type": intake.service_type.value, "owner_parts": intake.owner_parts,
            "verify_code": intake.verify_code, "repeat_of": repeat_of,
            "status": Status.REGISTERED.value, "technician": "", "follow_up": False,
            "rework_count": 0, "last_event_at": intake.received_at,
        }).inserted_primary_key[0]
        search.index_ticket(conn, desk.store.dialect, ticket_id, ticket_no, intake.room,
                            intake.caller, intake.phone, intake.content, new=True,
                            site=cfg.site_code)
        # the step as a reader gets it back (data through JSON: enum values, aware datetimes)
        event = Event(at=intake.received_at, action=Action.REGISTER, by=by, note=note,
                      data=load_json(dump_json(data)), seq=1)
        record = TicketRecord(ticket_no=ticket_no, intake=intake, state=fold([event]),
                              events=(event,), registered_at=now, registered_by=by,
                              repeat_of=repeat_of)
        store_outcome(desk, session, ticket_id, record)
        # sealed into the tamper-evident chain as the mapper hook seals ORM inserts, last: the
        # chain's counter queues every desk's writer of the book, so it is held only for the
        # seal, the insert and the commit
        step = {"ticket_id": ticket_id, "seq": 1, "at": intake.received_at, "recorded_at": now,
                "action": Action.REGISTER.value, "by": by, "note": note, "data": data}
        step["seal"] = chain.seal_event_values(conn, step, ticket_no)
        conn.execute(_EVENT.insert(), step)
        return record
