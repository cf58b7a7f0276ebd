"""The supervisor's roster: adding a person (with the PIN typed twice and, for technicians, the
categories they handle) and removing one entered by mistake. Every change is a chained
duty-log entry written in the same transaction as the change (domain.md, "Who may do what").

The PIN that proves the supervisor is checked by the screen with signing.authenticate; these
functions take the supervisor's name and check the role."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from ..domain.enums import Role
from ..domain.text import clean_text
from ..domain.validation import NAME_MAX, normalise_phone
from ..errors import NotFound, PermissionDenied, ValidationError
from ..i18n import _
from ..store.tables import PinAttempt, ShiftTurn, Signature, Staff, Ticket
from . import dutylog, signing
from .desk import Desk
from .staff import StaffMember, member, find_staff, insert_staff, parse_skills

ROSTER_ROLES = (Role.SUPERVISOR, Role.MANAGER)  # who may change the roster
SIGNING_ROLES = (Role.CLERK, Role.SUPERVISOR, Role.MANAGER)  # sign with a PIN: one is required
SKILLED_ROLES = (Role.TECHNICIAN, Role.TEAM_LEADER)  # handle categories of work


@dataclass(frozen=True)
class NewPerson:
    """A person as typed into the roster form."""

    name: str
    role: Role
    phone: str = ""
    pin: str = ""
    pin_again: str | None = None  # None: typed once (the CLI's --pin-stdin)
    skills: str = ""  # category names, e.g. "水,电"


@dataclass(frozen=True)
class CheckedPerson:
    name: str
    role: Role
    phone: str
    pin_hash: str | None
    skills: tuple[str, ...]


def check_person(desk: Desk, person: NewPerson) -> CheckedPerson:
    """Every field's rule, before anything is written: one clear message for the first
    field at fault."""
    name = clean_text(person.name)
    if not name:
        raise ValidationError(_("A name is required."), "name")
    if len(name) > NAME_MAX:
        raise ValidationError(_("Name is too long (at most {n} characters).").format(n=NAME_MAX),
                              "name")
    phone = normalise_phone(person.phone)
    skills = parse_skills(person.skills, desk.config.categories)
    if skills and person.role not in SKILLED_ROLES:
        raise ValidationError(_("Only technicians and team leaders handle categories of work; "
                                "leave the categories empty for a {role}.").format(
            role=person.role.label), "skills")
    pin_hash = None
    pin = (person.pin or "").strip()
    again = None if person.pin_again is None else person.pin_again.strip()
    if pin or again:
        if again is not None and pin != again:
            raise ValidationError(_("The two PINs differ; nothing was saved."), "pin")
        pin_hash = signing.hash_pin(pin)
    elif person.role in SIGNING_ROLES:
        raise ValidationError(_("A {role} signs with a PIN: type one ({lo} to {hi} digits), "
                                "twice.").format(role=person.role.label, lo=signing.PIN_MIN,
                                                 hi=signing.PIN_MAX), "pin")
    return CheckedPerson(name, person.role, phone, pin_hash, skills)


def roster_authority(session: Session, by: str) -> Staff:
    """The person changing the roster: an active supervisor or manager."""
    row = find_staff(session, by)
    if row is None:
        raise NotFound(_("No staff member named {name}.").format(name=by))
    if not row.active or Role(row.role) not in ROSTER_ROLES:
        raise PermissionDenied(_("Only an active supervisor or manager changes the roster; "
                                 "{name} is a {role}.").format(name=row.name,
                                                               role=Role(row.role).label))
    return row


def write_person(session: Session, desk: Desk, p: CheckedPerson, by: str, text: str) -> Staff:
    """Insert the person and its chained log entry in the caller's transaction."""
    row = insert_staff(session, desk, p.name, p.role, p.phone, p.pin_hash, p.skills)
    dutylog.append(session, site=desk.config.site_code, at=desk.now(),
                   kind=dutylog.LogKind.ROSTER, author=by, text=text,
                   data={"action": "add", "name": row.name, "role": row.role,
                         "skills": list(p.skills), "pin": p.pin_hash is not None})
    return row


def _added_text(by: str, p: CheckedPerson) -> str:
    text = _("{by} added {name} ({role}) to the roster.").format(by=by, name=p.name,
                                                                 role=p.role.label)
    if p.skills:
        text += " " + _("Handles: {skills}.").format(skills="、".join(p.skills))
    return text


def add_person(desk: Desk, person: NewPerson, by: str) -> StaffMember:
    """A supervisor or manager adds someone to the roster (`S` at the desk, the setup)."""
    checked = check_person(desk, person)  # the slow PIN hash before the write lock
    with desk.store.write() as session:
        boss = roster_authority(session, by)
        return member(write_person(session, desk, checked, boss.name,
                                    _added_text(boss.name, checked)))


def _has_records(session: Session, name: str) -> bool:
    """Whether the person appears in anything the book keeps (beyond the roster's own log)."""
    if session.exec(select(Ticket.id).limit(1)).first() is not None:
        return True
    for column in (Signature.name, ShiftTurn.holder, PinAttempt.staff_name):
        if session.exec(select(column).where(col(column) == name).limit(1)).first():
            return True
    return False


def remove_person(desk: Desk, name: str, by: str) -> None:
    """Remove someone entered by mistake, while the book is still empty of work and the person
    has never signed; afterwards people are deactivated, never removed."""
    with desk.store.write() as session:
        boss = roster_authority(session, by)
        row = find_staff(session, name)
        if row is None:
            raise NotFound(_("No staff member named {name}.").format(name=name))
        if row.name == boss.name:
            raise PermissionDenied(_("{name} cannot remove themselves from the roster.").format(
                name=row.name))
        if _has_records(session, row.name):
            raise PermissionDenied(_(
                "{name} is already in the records and stays on the roster; deactivate instead "
                "(repairdesk staff deactivate).").format(name=row.name))
        role = Role(row.role)
        session.delete(row)
        session.flush()
        dutylog.append(session, site=desk.config.site_code, at=desk.now(),
                       kind=dutylog.LogKind.ROSTER, author=boss.name,
                       text=_("{by} removed {name} ({role}) from the roster: entered by "
                              "mistake.").format(by=boss.name, name=name, role=role.label),
                       data={"action": "remove", "name": name, "role": role.value})


def can_sign_on(desk: Desk) -> bool:
    """Whether anyone could open the desk: an active clerk, supervisor or manager with a PIN."""
    with desk.store.read() as session:
        return session.exec(select(Staff.id).where(
            col(Staff.role).in_([r.value for r in SIGNING_ROLES]),
            Staff.active == True,  # noqa: E712
            col(Staff.pin_hash).is_not(None)).limit(1)).first() is not None
