"""The supervisor's roster: adding a person (with the PIN typed twice and, for technicians, the
categories they handle), changing a role, deactivating and activating, resetting a PIN, and
removing one entered by mistake. Every change is a chained duty-log entry written in the same
transaction as the change (domain.md, "Who may do what").

Each change takes the approver's name and PIN: an active supervisor or manager, checked here
with signing.authenticate (the screens and the CLI only ask for them). Only a book with no
supervisor or manager on its roster yet is set up without one. Changing one's own PIN needs
the old PIN."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from ..domain.enums import Role
from ..domain.text import clean_name, clean_text
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
    pin_later: bool = False  # the CLI without a PIN: `staff reset-pin` gives one later


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
    name = clean_name(person.name)
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
        pin_hash = signing.hash_pin(pin, signing.pin_min(desk))
    elif person.role in SIGNING_ROLES and not person.pin_later:
        raise ValidationError(_("A {role} signs with a PIN: type one ({lo} to {hi} digits), "
                                "twice.").format(role=person.role.label,
                                                 lo=signing.pin_min(desk),
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
                         "skills": list(p.skills), "pin": p.pin_hash is not None,
                         "pin_fp": signing.pin_fingerprint(p.pin_hash)})
    return row


def _added_text(by: str, p: CheckedPerson) -> str:
    text = _("{by} added {name} ({role}) to the roster.").format(by=by, name=p.name,
                                                                 role=p.role.label)
    if p.skills:
        text += " " + _("Handles: {skills}.").format(skills="、".join(p.skills))
    return text


def roster_open(session: Session) -> bool:
    """A book being set up: nobody on its roster is a supervisor or manager (active or not),
    so nobody could approve a change yet."""
    return session.exec(select(Staff.id).where(
        col(Staff.role).in_([r.value for r in ROSTER_ROLES])).limit(1)).first() is None


def _need_approver(by: str) -> None:
    if not clean_text(by or ""):
        raise PermissionDenied(_("A roster change needs a supervisor's or manager's name and "
                                 "PIN (--approve-by)."))


def approve(desk: Desk, by: str, pin: str) -> str:
    """The approver of a roster change: an active supervisor or manager whose PIN is right
    (a wrong PIN is recorded and counts towards the lockout). Returns the name."""
    _need_approver(by)
    return signing.authenticate(desk, by, pin, ROSTER_ROLES).name


def add_person(desk: Desk, person: NewPerson, by: str = "", pin: str = "") -> StaffMember:
    """A supervisor or manager adds someone to the roster (`S` at the desk, `staff add`). On a
    book with no supervisor or manager yet (its setup) `by` may be empty: the entry then says
    the person was added without approval."""
    checked = check_person(desk, person)  # the slow PIN hash before the write lock
    boss = approve(desk, by, pin) if clean_text(by or "") else None
    with desk.store.write() as session:
        if boss is None:
            if not roster_open(session):
                raise PermissionDenied(_("A roster change needs a supervisor's or manager's "
                                         "name and PIN (--approve-by)."))
            text = _("{name} ({role}) was added to the roster while the book had no supervisor "
                     "(setup: no approval).").format(name=checked.name, role=checked.role.label)
            return member(write_person(session, desk, checked, checked.name, text))
        roster_authority(session, boss)
        return member(write_person(session, desk, checked, boss,
                                    _added_text(boss, checked)))


def _target(session: Session, name: str) -> Staff:
    row = find_staff(session, name)
    if row is None:
        raise NotFound(_("No staff member named {name}.").format(name=clean_text(name)[:40]))
    return row


def _log_change(session: Session, desk: Desk, by: str, text: str, data: dict) -> None:
    dutylog.append(session, site=desk.config.site_code, at=desk.now(),
                   kind=dutylog.LogKind.ROSTER, author=by, text=text, data=data)


def _not_self(row: Staff, boss: str) -> None:
    if row.name == boss:
        raise PermissionDenied(_("{name} cannot change their own role or standing on the "
                                 "roster; another supervisor or manager does.").format(
            name=row.name))


def set_role(desk: Desk, name: str, role: Role, by: str, pin: str) -> StaffMember:
    """Change someone's role (a supervisor's or manager's PIN); logged."""
    boss = approve(desk, by, pin)
    with desk.store.write() as session:
        roster_authority(session, boss)
        row = _target(session, name)
        _not_self(row, boss)
        old = Role(row.role)
        if old is role:
            raise ValidationError(_("{name} is already a {role}.").format(
                name=row.name, role=role.label), "role")
        row.role = role.value
        if role not in SKILLED_ROLES:
            row.skills = ""
        session.add(row)
        session.flush()
        _log_change(session, desk, boss, _("{by} changed the role of {name} from {old} to "
                                           "{new}.").format(by=boss, name=row.name,
                                                            old=old.label, new=role.label),
                    {"action": "set_role", "name": row.name, "from": old.value,
                     "to": role.value})
        return member(row)


def set_active(desk: Desk, name: str, active: bool, by: str, pin: str) -> StaffMember:
    """Deactivate (kept in the records) or activate someone again; logged."""
    boss = approve(desk, by, pin)
    with desk.store.write() as session:
        roster_authority(session, boss)
        row = _target(session, name)
        _not_self(row, boss)
        if row.active == active:
            raise ValidationError((_("{name} is already active.") if active
                                   else _("{name} is already inactive.")).format(
                name=row.name), "name")
        row.active = active
        session.add(row)
        session.flush()
        text = (_("{by} activated {name} ({role}) again.") if active
                else _("{by} deactivated {name} ({role}).")).format(
            by=boss, name=row.name, role=Role(row.role).label)
        _log_change(session, desk, boss, text,
                    {"action": "activate" if active else "deactivate", "name": row.name})
        return member(row)


def reset_pin(desk: Desk, name: str, new_pin: str, by: str, pin: str) -> StaffMember:
    """Give someone a new PIN (a forgotten one), approved by a supervisor's or manager's PIN;
    logged (never the PIN itself)."""
    _need_approver(by)
    hashed = signing.hash_pin(new_pin, signing.pin_min(desk))  # before the write lock
    boss = approve(desk, by, pin)
    with desk.store.write() as session:
        roster_authority(session, boss)
        row = _target(session, name)
        signing.set_pin_hash(session, row.name, hashed)
        _log_change(session, desk, boss, _("{by} reset the PIN of {name}.").format(
            by=boss, name=row.name), {"action": "reset_pin", "name": row.name,
                                      "pin_fp": signing.pin_fingerprint(hashed)})
        return member(row)


def change_own_pin(desk: Desk, name: str, old_pin: str, new_pin: str) -> StaffMember:
    """Someone changes their own PIN: the old PIN proves it is them (a wrong one is recorded
    and counts towards the lockout); logged."""
    hashed = signing.hash_pin(new_pin, signing.pin_min(desk))
    signer = signing.authenticate(desk, name, old_pin, SIGNING_ROLES)
    with desk.store.write() as session:
        row = signing.set_pin_hash(session, signer.name, hashed)
        _log_change(session, desk, signer.name, _("{name} changed their own PIN.").format(
            name=signer.name), {"action": "own_pin", "name": signer.name,
                                "pin_fp": signing.pin_fingerprint(hashed)})
        return member(row)


def _has_records(session: Session, name: str) -> bool:
    """Whether the person appears in anything the book keeps (beyond the roster's own log)."""
    if session.exec(select(Ticket.id).limit(1)).first() is not None:
        return True
    for column in (Signature.name, ShiftTurn.holder, PinAttempt.staff_name):
        if session.exec(select(column).where(col(column) == name).limit(1)).first():
            return True
    return False


def remove_person(desk: Desk, name: str, by: str, pin: str) -> None:
    """Remove someone entered by mistake, while the book is still empty of work and the person
    has never signed; afterwards people are deactivated, never removed."""
    approver = approve(desk, by, pin)
    with desk.store.write() as session:
        boss = roster_authority(session, approver)
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
