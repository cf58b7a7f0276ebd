"""Owners' phone numbers: masked everywhere; revealing one needs a supervisor's PIN and leaves a
duty-log entry (who, which ticket, when) — 001 篇4 3. The one exception (domain.md "Privacy"):
the clerk holding the desk sees the number inside the desk's own call dialogs (callback,
apology for a late arrival, confirming details), and that showing is logged too."""

from __future__ import annotations

from enum import StrEnum

from ..domain.enums import Role
from ..errors import NotFound, PermissionDenied, ValidationError
from ..i18n import N_, _
from ..stored_text import message
from . import dutylog
from .desk import Desk

REVEALERS = (Role.SUPERVISOR, Role.MANAGER)


class CallReason(StrEnum):
    """Why the desk's own call dialog shows the owner's number (domain.md "Privacy")."""

    CALLBACK = "callback"
    APOLOGY = "apology"        # the technician is late: apologise and give a new time
    CONFIRM = "confirm"        # confirming details with the owner

    @property
    def label(self) -> str:
        return _(CALL_REASON_LABELS[self])


CALL_REASON_LABELS = {
    CallReason.CALLBACK: N_("callback"),
    CallReason.APOLOGY: N_("apology for a late arrival"),
    CallReason.CONFIRM: N_("confirming details"),
}


def phone_for_call(desk: Desk, ticket_no: str, by: str, why: CallReason) -> str:
    """The owner's full number for the desk's own call dialog: only to the person holding the
    desk, only for a ticket with a phone; the duty log records who saw it, for which ticket and
    why."""
    from .authority import Act, holder, require_actor
    from .ticket_records import ticket_row

    why = CallReason(why)
    with desk.store.write() as session:
        staff = require_actor(session, by, Act.DESK_STEP)
        held_by = holder(session)
        if held_by != staff.name:
            raise PermissionDenied(
                _("Only the person holding the desk sees an owner's number in a call dialog; "
                  "{holder} holds it.").format(holder=held_by or _("nobody")))
        row = ticket_row(session, ticket_no)
        if not row.phone:
            raise ValidationError(_("Ticket {no} has no phone number.").format(
                no=row.ticket_no), "phone")
        kept = message(N_("{name} was shown the phone number of ticket {no} to call the owner "
                          "({why})."), name=staff.name, no=row.ticket_no,
                       why=message(CALL_REASON_LABELS[why]))
        dutylog.append(
            session, site=row.site, at=desk.now(), kind=dutylog.LogKind.REVEAL,
            author=staff.name, ticket_no=row.ticket_no, text=kept.text(),
            data={"what": "phone", "shown_to": staff.name, "why": why.value,
                  "message": kept.to_obj()})
        return row.phone


def reveal_phone(desk: Desk, ticket_no: str, supervisor: str, pin: str) -> str:
    """The full phone number of a ticket, for a supervisor with the right PIN; logged.

    The PIN goes through signing.authenticate, so wrong PINs are recorded and lock the
    person out exactly as for signatures."""
    from .signing import authenticate
    from .ticket_records import ticket_row  # the one place that knows how numbers are looked up

    with desk.store.read() as session:
        row = ticket_row(session, ticket_no)  # an unknown number costs no PIN attempt
        if not row.phone:
            raise NotFound(_("Ticket {no} has no phone number.").format(no=row.ticket_no))
    signer = authenticate(desk, supervisor, pin, roles=REVEALERS)
    with desk.store.write() as session:
        row = ticket_row(session, ticket_no)
        dutylog.append(
            session, site=row.site, at=desk.now(), kind=dutylog.LogKind.REVEAL,
            author=signer.name, ticket_no=row.ticket_no, data={"what": "phone"},
            text=_("{name} revealed the phone number of ticket {no}.").format(
                name=signer.name, no=row.ticket_no))
        return row.phone
