"""The staff roster: who can be dispatched, who signs, whom to call."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, select

from ..domain.enums import Role
from ..domain.text import clean_name, clean_text
from ..domain.validation import NAME_MAX, normalise_phone
from ..errors import NotFound, ValidationError
from ..i18n import _
from ..store.tables import Staff
from .desk import Desk

DISPATCHABLE = (Role.TECHNICIAN, Role.TEAM_LEADER)


@dataclass(frozen=True)
class StaffMember:
    id: int
    name: str
    role: Role
    phone: str
    active: bool
    has_pin: bool
    skills: tuple[str, ...] = ()  # the categories a technician handles


def _member(row: Staff) -> StaffMember:
    return StaffMember(row.id or 0, row.name, Role(row.role), row.phone, row.active,
                       bool(row.pin_hash), split_skills(row.skills))


def member(row: Staff) -> StaffMember:
    """The roster's view of a staff row."""
    return _member(row)


def split_skills(stored: str | None) -> tuple[str, ...]:
    return tuple(s for s in (stored or "").split(",") if s)


def parse_skills(raw: str | Sequence[str], categories: Sequence[str]) -> tuple[str, ...]:
    """Category names as typed ("水,电", "水 电", "水、电") or as a list, checked against the
    configured categories; returned in the configuration's order, each once."""
    words = re.split(r"[,，、;；\s]+", raw) if isinstance(raw, str) else list(raw)
    wanted = {clean_text(w) for w in words} - {""}
    unknown = sorted(wanted - set(categories))
    if unknown:
        raise ValidationError(
            _("Unknown category {names}; the categories are: {all}.").format(
                names="、".join(unknown), all="、".join(categories)), "skills")
    return tuple(c for c in categories if c in wanted)


def parse_role(raw: str) -> Role:
    try:
        return Role(raw)
    except ValueError:
        raise ValidationError(
            _("Role must be one of: {roles}.").format(roles=", ".join(r.value for r in Role)),
            "role",
        ) from None


def add_staff_unchecked(desk: Desk, name: str, role: Role, phone: str = "",
                        pin_hash: str | None = None,
                        skills: str | Sequence[str] = ()) -> StaffMember:
    """Add a person with nobody's approval and no log entry: test fixtures, the demo book and
    the benchmark's generator only. The desk and the CLI use roster.add_person."""
    with desk.store.write() as session:
        return _member(insert_staff(session, desk, name, role, phone, pin_hash, skills))


def insert_staff(session: Session, desk: Desk, name: str, role: Role, phone: str = "",
                 pin_hash: str | None = None, skills: str | Sequence[str] = ()) -> Staff:
    """Add one person inside the caller's transaction (the roster writes its log entry in
    the same one)."""
    name = clean_name(name)
    if not name:
        raise ValidationError(_("A name is required."), "name")
    if len(name) > NAME_MAX:
        raise ValidationError(_("Name is too long (at most {n} characters).").format(n=NAME_MAX),
                              "name")
    phone = normalise_phone(phone)
    handles = parse_skills(skills, desk.config.categories)
    if session.exec(select(Staff).where(Staff.name == name)).first():
        raise ValidationError(_("Staff member {name} already exists.").format(name=name), "name")
    row = Staff(name=name, role=role.value, phone=phone, active=True, pin_hash=pin_hash,
                created_at=desk.now(), skills=",".join(handles))
    session.add(row)
    session.flush()
    return row


def list_staff(desk: Desk, active_only: bool = False) -> list[StaffMember]:
    with desk.store.read() as session:
        q = select(Staff).order_by(Staff.role, Staff.name)
        if active_only:
            q = q.where(Staff.active == True)  # noqa: E712
        return [_member(r) for r in session.exec(q)]


def find_staff(session: Session, name: str) -> Staff | None:
    return session.exec(select(Staff).where(Staff.name == clean_name(name))).first()


def get_staff(desk: Desk, name: str) -> StaffMember:
    with desk.store.read() as session:
        row = find_staff(session, name)
        if row is None:
            raise NotFound(_("No staff member named {name}.").format(name=name))
        return _member(row)


def require_technician(session: Session, name: str) -> Staff:
    """Only an active technician (or team leader) can be sent to a job."""
    row = find_staff(session, name)
    if row is None:
        raise ValidationError(_("No staff member named {name}.").format(name=name), "technician")
    if not row.active:
        raise ValidationError(_("{name} is not active.").format(name=row.name), "technician")
    if Role(row.role) not in DISPATCHABLE:
        raise ValidationError(
            _("{name} is a {role}, not a technician.").format(name=row.name,
                                                               role=Role(row.role).label),
            "technician",
        )
    return row


def set_active_unchecked(desk: Desk, name: str, active: bool) -> StaffMember:
    """Test fixtures only; the desk and the CLI use roster.set_active (a supervisor's PIN)."""
    with desk.store.write() as session:
        row = find_staff(session, name)
        if row is None:
            raise NotFound(_("No staff member named {name}.").format(name=name))
        row.active = active
        session.add(row)
        session.flush()
        return _member(row)
