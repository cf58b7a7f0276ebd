"""The desk's own side steps that are no technician's word: telling the technician to collect
the work order (000 三), marking a unit vacant (空房, 003 4.8(3)), the materials used on a free
job (003 5.5), the follow-up's weekly entry reminder and the team leader's and supervisor's
checks of a follow-up (004)."""

from __future__ import annotations

from datetime import datetime

from ..domain import validation as v
from ..domain.enums import Action, Role, ServiceType
from ..domain.fees import MaterialUse
from ..domain.materials import materials_data
from ..domain.follow_up import CheckLevel, FollowUpEntryDue, entry_due
from ..domain.text import clean_text
from ..domain.ticket import TicketRecord
from ..errors import PermissionDenied, ValidationError
from ..i18n import _
from .desk import Desk
from .signing import authenticate
from .staff import find_staff
from .ticket_records import get_ticket, working_set
from .ticket_steps import Step, record_step

LEADERS = (Role.TEAM_LEADER,)
SUPERVISORS = (Role.SUPERVISOR, Role.MANAGER)


def notify_ticket(desk: Desk, ticket_no: str, by: str, *, note: str = "",
                  at: str | datetime | None = None) -> TicketRecord:
    """通知领单: the desk told the technician to collect the work order (000 三: within two
    minutes of the call). A desk step: it does not stop the feedback clock."""
    return record_step(desk, ticket_no, Action.NOTIFY, by, note=note, at=at)


def mark_vacant(desk: Desk, ticket_no: str, vacant: bool, by: str, *,
                note: str = "") -> TicketRecord:
    """空房: mark (or unmark) the unit as vacant, as an amendment; the old value stays in the
    history. A vacant-unit job is closed only after the clerk has verified it."""
    current = get_ticket(desk, ticket_no)
    if current.state.vacant is bool(vacant):
        raise ValidationError(_("Nothing to change."), "vacant")
    return record_step(desk, ticket_no, Action.AMEND, by, note=note, step=Step(
        {"changes": {"vacant": bool(vacant)}, "previous": {"vacant": current.state.vacant}}))


def record_materials(desk: Desk, ticket_no: str, materials: list[MaterialUse], by: str, *,
                     note: str = "", at: str | datetime | None = None) -> TicketRecord:
    """Parts used on a free job (name, purchase price, quantity), recorded without charge;
    they count in the month's materials used. A later entry replaces the earlier one (both
    stay in the history). A paid job's parts go on its bill (fees.charge_ticket)."""
    record = get_ticket(desk, ticket_no)
    if record.intake.service_type is not ServiceType.FREE:
        raise ValidationError(
            _("Ticket {no} is {kind}: its parts go on the bill (repairdesk fees charge).")
            .format(no=record.ticket_no, kind=record.intake.service_type.label), "service_type")
    if not materials:
        raise ValidationError(_("Name at least one material: NAME=PRICE or NAME=PRICExQTY."),
                              "material")
    return record_step(desk, ticket_no, Action.MATERIALS, by, note=v.validate_note(note),
                       at=at, step=Step(materials_data(materials)))


def check_follow_up(desk: Desk, ticket_no: str, level: CheckLevel | str, signer: str, by: str,
                    *, pin: str = "", comment: str = "") -> TicketRecord:
    """A team leader's or a supervisor's check of a follow-up (004), recorded by the desk. The
    supervisor signs with the PIN (a wrong PIN is recorded and counts towards the lockout)."""
    try:
        level = CheckLevel(level)
    except ValueError:
        raise ValidationError(_("Check must be one of: {allowed}.").format(
            allowed=", ".join(c.value for c in CheckLevel)), "level") from None
    text = v.validate_note(comment)
    record = get_ticket(desk, ticket_no)
    if not record.state.follow_up:
        raise ValidationError(_("Only a follow-up order (协调单) is checked; {no} is not one.")
                              .format(no=record.ticket_no), "ticket")
    if level is CheckLevel.SUPERVISOR:
        name = authenticate(desk, signer, pin, roles=SUPERVISORS).name
    else:
        with desk.store.read() as session:
            row = find_staff(session, clean_text(signer))
        if row is None:
            raise ValidationError(_("No staff member named {name}.").format(
                name=clean_text(signer)), "signer")
        if not row.active:
            raise PermissionDenied(_("{name} is not active.").format(name=row.name))
        if Role(row.role) not in LEADERS:
            raise PermissionDenied(_("{name} is a {role}; the follow-up check is the team "
                                     "leader's.").format(name=row.name,
                                                         role=Role(row.role).label))
        name = row.name
    return record_step(desk, ticket_no, Action.FOLLOW_UP_CHECK, by, note=text, step=Step(
        {"level": level.value, "signer": name, "pin_checked": level is CheckLevel.SUPERVISOR}))


def follow_ups_due(desk: Desk, now: datetime | None = None,
                   records: list[TicketRecord] | None = None) -> list[FollowUpEntryDue]:
    """Open follow-ups with no entry for a week (004: 每周至少一次), the longest silent first."""
    now = now or desk.now()
    records = working_set(desk) if records is None else records
    due = [d for r in records if (d := entry_due(r, now)) is not None]
    return sorted(due, key=lambda d: (d.due_at, d.ticket_no))
