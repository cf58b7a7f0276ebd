"""Chasing a job (催办) and the technician's report (反馈).

The desk calls the technician or the team leader about a job that has gone quiet and records
whom it called and what was said (`chase_ticket`): a chase alone stops no clock, the feedback
clock waits for the technician's own word. That word may come by phone: the desk records it as
his report (`report_ticket`), and it stops the feedback clock like his accept, arrival or
completion would (000 3.1.8; domain.md "Clock results"). Both are notes on the ticket with
structured data; the order-return chase of the daily report is services/daily.chase_return."""

from __future__ import annotations

from datetime import datetime

from ..domain import validation as v
from ..domain.enums import Action
from ..domain.text import clean_text
from ..domain.ticket import TicketRecord
from ..errors import IllegalTransition, ValidationError
from ..i18n import _
from .desk import Desk
from .staff import find_staff, require_technician
from .ticket_records import get_ticket
from .ticket_steps import Step, record_step


def _open(desk: Desk, ticket_no: str) -> TicketRecord:
    record = get_ticket(desk, ticket_no)
    if not record.is_open:
        raise IllegalTransition(_("Ticket {no} is {status}: nothing to chase.").format(
            no=record.ticket_no, status=record.status.label))
    return record


def chase_ticket(desk: Desk, ticket_no: str, note: str, by: str, *, whom: str = "",
                 at: str | datetime | None = None) -> TicketRecord:
    """催办: the desk chased `whom` (default: the technician sent) about the job; `note` says
    what was said. It does not stop the feedback clock."""
    text = v.validate_reason(note, "note")
    record = _open(desk, ticket_no)
    name = clean_text(whom) or record.state.technician
    if not name:
        raise ValidationError(_("Whom did you chase? Nobody is dispatched yet: name the team "
                                "leader."), "whom")
    with desk.store.read() as session:
        staff = find_staff(session, name)
    if staff is None:
        raise ValidationError(_("No staff member named {name}.").format(name=name), "whom")
    return record_step(desk, ticket_no, Action.NOTE, by, note=text, at=at,
                       step=Step({"chased": staff.name}))


def report_ticket(desk: Desk, ticket_no: str, note: str, by: str, *, technician: str = "",
                  at: str | datetime | None = None) -> TicketRecord:
    """The technician's report, taken by the desk (by phone or radio): his first word stops the
    feedback clock. `technician`: whose report (default: the one sent); `by`: who records it,
    the clerk or the technician himself."""
    text = v.validate_reason(note, "note")
    record = _open(desk, ticket_no)
    if not record.state.technician:
        raise IllegalTransition(_("No technician is assigned; dispatch first."))
    name = record.state.technician
    if clean_text(technician):
        with desk.store.read() as session:
            name = require_technician(session, technician).name
    return record_step(desk, ticket_no, Action.NOTE, by, note=text, at=at,
                       step=Step({"technician_report": True, "technician": name}))
