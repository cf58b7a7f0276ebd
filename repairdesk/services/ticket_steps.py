"""Taking a ticket through its lifecycle: dispatch, accept, arrive, complete, return, callback,
close, and the side steps (void, reschedule, pause, follow-up, note, amend).

Every step is one write transaction: the event is appended, the ticket row (a projection of
the events) is brought up to date, and any automatic duty-log entry is written — all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import select

from ..domain import validation as v
from ..domain.enums import Action, CallbackOutcome, Role, Scope, Urgency
from ..domain.text import clean_text
from ..domain.paid_work import check_paid_work
from ..domain.ticket import AMENDABLE, Event, TicketRecord, apply, check_step
from ..domain.timeparse import fmt_local, parse_local
from ..errors import PermissionDenied, ValidationError
from ..i18n import _
from ..printing.settings import print_settings
from ..store.tables import TicketEvent
from . import dutylog
from .authority import FIELD_ROLES, Act, require_actor, require_desk_actor
from .desk import Desk
from .intake import IntakeForm, build_intake
from .print_queue import queue_work_order
from .sla_outcomes import store_outcome
from .staff import require_technician
from .ticket_records import get_ticket, index_row, record_of, ticket_row


@dataclass
class Step:
    """What a lifecycle step writes besides the event itself."""

    data: dict[str, Any] = field(default_factory=dict)
    log_kind: str | None = None
    log_text: str = ""


# the technician's own word; the assessment is the team leader's own step (000 十A)
TECH_STEPS = (Action.ACCEPT, Action.ARRIVE, Action.COMPLETE, Action.ASSESS)
SIDE_STEPS = (Action.VOID, Action.RESCHEDULE, Action.FOLLOW_UP, Action.AMEND)


def _actor(session: Any, by: str, action: Action, ticket_no: str,
           data: dict[str, Any] | None = None) -> str:
    """Who may record this step (domain.md, "Who may do what"): the desk's roles, a clerk as
    the holder; a technician or team leader only his own accept, arrival, completion and
    report on a job he was sent to, and a team leader his fee assessment."""
    own_word = action is Action.NOTE and bool((data or {}).get("technician_report"))
    act = (Act.TECH_STEP if action in TECH_STEPS or own_word
           else Act.SIDE if action in SIDE_STEPS else Act.DESK_STEP)
    staff = require_actor(session, by, act)
    if Role(staff.role) in FIELD_ROLES:
        if action is Action.ASSESS and Role(staff.role) is Role.TEAM_LEADER:
            return staff.name
        if action is Action.ASSESS or ticket_row(session, ticket_no).technician != staff.name:
            raise PermissionDenied(_("{name} records only his own steps on the jobs he was "
                                     "sent to.").format(name=staff.name))
        return staff.name
    return require_desk_actor(session, staff.name, act).name


def record_step(desk: Desk, ticket_no: str, action: Action, by: str, *, note: str = "",
                at: str | datetime | None = None, step: Step | None = None,
                follow: tuple[Action, dict[str, Any], str] | None = None) -> TicketRecord:
    """Check and append one step (and its `follow`, e.g. rework after an unsatisfied callback),
    bring the ticket row up to date and store the SLA outcome; used by fees, chases and SLA."""
    by = clean_text(by)
    if not by:
        raise ValidationError(_("Who is recording this step? Give the clerk's name."), "by")
    step = step or Step()
    note = v.validate_note(note)
    now = desk.now()
    with desk.store.write() as session:
        by = _actor(session, by, action, ticket_no, step.data)
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
        check_paid_work(record, action)
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
            index_row(desk, session, row, record.intake)
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
    record = record_step(desk, ticket_no, Action.DISPATCH, by, note=note, at=at,
                         step=Step({"technician": tech.name}))
    if print_settings(desk.config).auto_on_dispatch:
        queue_work_order(desk, record.ticket_no, by)
    return record


def accept_ticket(desk: Desk, ticket_no: str, by: str, *, note: str = "",
                  at: str | datetime | None = None) -> TicketRecord:
    """接单: the technician signed for the work order."""
    return record_step(desk, ticket_no, Action.ACCEPT, by, note=note, at=at)


def arrive_ticket(desk: Desk, ticket_no: str, by: str, *, note: str = "",
                  at: str | datetime | None = None) -> TicketRecord:
    """到场: the technician reports being on site."""
    return record_step(desk, ticket_no, Action.ARRIVE, by, note=note, at=at)


def complete_ticket(desk: Desk, ticket_no: str, result: str, by: str, *,
                    at: str | datetime | None = None) -> TicketRecord:
    """完工: the technician reports the job done, with the result."""
    text = v.validate_reason(result, "result")
    return record_step(desk, ticket_no, Action.COMPLETE, by, note=text, at=at,
                       step=Step({"result": text}))


def return_ticket(desk: Desk, ticket_no: str, by: str, *, note: str = "",
                  at: str | datetime | None = None) -> TicketRecord:
    """返单: the signed work order is back at the desk and checked (003 4.8)."""
    return record_step(desk, ticket_no, Action.RETURN, by, note=note, at=at)


def callback_ticket(desk: Desk, ticket_no: str, satisfied: bool | CallbackOutcome, by: str, *,
                    note: str = "", at: str | datetime | None = None,
                    retry: str | datetime | None = None) -> TicketRecord:
    """回访: the owner is called back. `satisfied`: True/False, or how the call ended —
    rework sends the job back (返工); refused (the owner declined) is a call made and ends the
    callback; no answer records the attempt with `retry` (when to ring again) and the callback
    clock keeps running (domain.md "Counting")."""
    outcome = satisfied if isinstance(satisfied, CallbackOutcome) else (
        CallbackOutcome.SATISFIED if satisfied else CallbackOutcome.REWORK)
    if outcome is CallbackOutcome.NO_ANSWER:
        now = desk.now()
        if retry is None or (isinstance(retry, str) and not retry.strip()):
            raise ValidationError(_("No answer: when will you ring again? Give a retry time "
                                    "(e.g. 21:30)."), "retry")
        when = retry if isinstance(retry, datetime) else parse_local(
            retry, desk.config.tz, now, "retry")
        if when <= now:
            raise ValidationError(_("The retry time must be later than now."), "retry")
        return record_step(desk, ticket_no, Action.CALLBACK_NO_ANSWER, by, note=note, at=at,
                           step=Step({"outcome": outcome.value, "retry_at": when}))
    follow = None
    if outcome is CallbackOutcome.REWORK:
        follow = (Action.REWORK, {}, _("Owner not satisfied at callback: rework."))
    data: dict[str, Any] = {"outcome": outcome.value}
    if outcome is not CallbackOutcome.REFUSED:
        data["satisfied"] = outcome is CallbackOutcome.SATISFIED
    return record_step(desk, ticket_no, Action.CALLBACK, by, note=note, at=at,
                       step=Step(data), follow=follow)


def close_ticket(desk: Desk, ticket_no: str, by: str, *, verified: bool = False,
                 note: str = "", at: str | datetime | None = None) -> TicketRecord:
    """归档. A public-area job needs the clerk's verification first (003 4.8(3))."""
    return record_step(desk, ticket_no, Action.CLOSE, by, note=note, at=at,
                       step=Step({"verified": verified}))


def void_ticket(desk: Desk, ticket_no: str, reason: str, by: str, *,
                at: str | datetime | None = None) -> TicketRecord:
    """作废: the number and the record stay in the book; the duty log notes it. `at`: when it
    was voided, for a step entered from paper."""
    text = v.validate_reason(reason)
    return record_step(desk, ticket_no, Action.VOID, by, note=text, at=at, step=Step(
        {"reason": text}, dutylog.LogKind.VOID,
        _("Ticket {no} voided: {reason}").format(no=clean_text(ticket_no).upper(), reason=text)))


def reschedule_ticket(desk: Desk, ticket_no: str, to: str | datetime, reason: str,
                      by: str, *, at: str | datetime | None = None) -> TicketRecord:
    """改约: a new appointment agreed with the owner; the old one stays in the history. `at`:
    when it was agreed (a step entered from paper); the new time must come after that."""
    text = v.validate_reason(reason)
    now = desk.now()
    agreed = now if at is None else (
        at if isinstance(at, datetime) else parse_local(at, desk.config.tz, now, "at"))
    when = to if isinstance(to, datetime) else parse_local(to, desk.config.tz, agreed, "to")
    v.validate_future(when, agreed, "to")
    old = get_ticket(desk, ticket_no).state.appointment_at
    return record_step(desk, ticket_no, Action.RESCHEDULE, by, note=text, at=agreed, step=Step(
        {"appointment_at": when, "previous_at": old, "reason": text},
        dutylog.LogKind.RESCHEDULE,
        _("Ticket {no} rescheduled to {when}: {reason}").format(
            no=clean_text(ticket_no).upper(), when=fmt_local(when, desk.config.tz), reason=text)))


def apologise_late_arrival(desk: Desk, ticket_no: str, to: str | datetime, by: str, *,
                           note: str = "") -> TicketRecord:
    """The technician is late (the arrival clock warned or breached): the clerk called the
    owner, apologised and agreed a new arrival time — a reschedule, logged as such; one after
    the deadline keeps the miss (domain.md "Clock results")."""
    said = clean_text(note)
    reason = _("Apologised to the owner for the late arrival")
    return reschedule_ticket(desk, ticket_no, to, f"{reason}: {said}" if said else reason, by)


def pause_ticket(desk: Desk, ticket_no: str, reason: str, by: str, *,
                 at: str | datetime | None = None) -> TicketRecord:
    """待料: waiting for parts or for the owner; the clocks it affects stop."""
    text = v.validate_reason(reason)
    return record_step(desk, ticket_no, Action.PAUSE, by, note=text, at=at,
                       step=Step({"reason": text}))


def resume_ticket(desk: Desk, ticket_no: str, by: str, *, reason: str = "",
                  at: str | datetime | None = None) -> TicketRecord:
    return record_step(desk, ticket_no, Action.RESUME, by, note=reason, at=at)


def follow_up_ticket(desk: Desk, ticket_no: str, note: str, by: str) -> TicketRecord:
    """协调单 entry: time, contact and progress of a job not finished in time (004)."""
    text = v.validate_reason(note, "note")
    return record_step(desk, ticket_no, Action.FOLLOW_UP, by, note=text,
                       step=Step({"progress": text}))


def add_note(desk: Desk, ticket_no: str, note: str, by: str) -> TicketRecord:
    text = v.validate_reason(note, "note")
    return record_step(desk, ticket_no, Action.NOTE, by, note=text)


def _urgency(raw: str) -> Urgency | None:
    """The urgency as typed (value or label, either language); None when it is not one."""
    text = clean_text(raw)
    for u in Urgency:
        if text in (u.value, u.label):
            return u
    return None


def amend_ticket(desk: Desk, ticket_no: str, form: dict[str, str], by: str, *,
                 note: str = "", vacant: bool | None = None) -> TicketRecord:
    """补录: details typed after an urgent dispatch; the old values stay in the history.
    `vacant` (空房) changes with them in the same amendment (the `e` dialog), a home only."""
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
    # an appointment keeps its agreed time through any amendment (a new time is a reschedule);
    # amended to urgent or normal, the job no longer waits for a time: the appointment goes
    appointment = current.state.appointment_at
    keeps_time = appointment is not None and current.intake.urgency is Urgency.APPOINTMENT
    if keeps_time and "urgency" in form:
        keeps_time = _urgency(form["urgency"]) is Urgency.APPOINTMENT
    if keeps_time and appointment is not None:
        base.appointment = appointment.isoformat()
        base.received_at = current.intake.received_at.isoformat()  # the time is judged
    checked = build_intake(desk, base)                          # against the call, not now
    changes: dict[str, Any] = {}
    for key in form:
        new = getattr(checked, key)
        if new != getattr(current.intake, key):
            changes[key] = new
    if appointment is not None and not keeps_time and "urgency" in changes:
        changes["appointment_at"] = None
    old = {k: getattr(current.intake, k) for k in changes}
    is_vacant = current.state.vacant if vacant is None else bool(vacant)
    if is_vacant and changes.get("scope", current.intake.scope) is not Scope.HOME:
        raise ValidationError(_("Only a home can be vacant (空房), not a public area."),
                              "vacant" if vacant else "scope")
    if is_vacant is not current.state.vacant:
        changes["vacant"], old["vacant"] = is_vacant, current.state.vacant
    if not changes:
        raise ValidationError(_("Nothing to change."), "changes")
    return record_step(desk, ticket_no, Action.AMEND, by, note=note,
                       step=Step({"changes": changes, "previous": old}))
