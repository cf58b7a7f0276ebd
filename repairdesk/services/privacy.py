"""Owners' phone numbers: masked everywhere; revealing one needs a supervisor's PIN and leaves a
duty-log entry (who, which ticket, when) — 001 篇4 3."""

from __future__ import annotations

from ..domain.enums import Role
from ..errors import NotFound
from ..i18n import _
from . import dutylog
from .desk import Desk

REVEALERS = (Role.SUPERVISOR, Role.MANAGER)


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
