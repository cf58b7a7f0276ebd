"""Who may do what (domain.md, "Who may do what"): every act names an active staff member of a
role allowed to do it. The services call `require_actor` inside their transaction; the screens
and the CLI only supply the name (the desk's holder, or --by) and, where a PIN is needed, ask
for it. Nothing is ever attributed to the OS user."""

from __future__ import annotations

from enum import Enum

from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session

from ..domain.enums import Role
from ..domain.text import clean_name
from ..domain.validation import NAME_MAX
from ..errors import NotFound, PermissionDenied, ValidationError
from ..i18n import _
from ..store.tables import ShiftTurn, Staff

DESK_ROLES = (Role.CLERK, Role.SUPERVISOR, Role.MANAGER)
FIELD_ROLES = (Role.TECHNICIAN, Role.TEAM_LEADER)


class Act(Enum):
    """The acts of the authority table, in its order."""

    REGISTER = "register"          # take a call into the book
    DESK_STEP = "desk_step"        # dispatch, return, callback, close, pause, resume, note
    TECH_STEP = "tech_step"        # accept, on site, complete: also the technician himself
    LOG = "log"                    # a duty-log entry or correction
    SIDE = "side"                  # void, reschedule, follow-up, amend (reason logged)
    HAND_OVER = "hand_over"        # hand over / take over a shift (PIN)
    REVEAL = "reveal"              # reveal a phone outside the desk's call dialogs (PIN)
    SIGN_OFF = "sign_off"          # sign off a duty day (PIN)
    ROSTER = "roster"              # add, change role, (de)activate, reset a PIN (PIN)
    OWN_PIN = "own_pin"            # change one's own PIN (the old PIN)


ALLOWED: dict[Act, tuple[Role, ...]] = {
    Act.REGISTER: DESK_ROLES,
    Act.DESK_STEP: DESK_ROLES,
    Act.TECH_STEP: DESK_ROLES + FIELD_ROLES,
    Act.LOG: DESK_ROLES,
    Act.SIDE: DESK_ROLES,
    Act.HAND_OVER: DESK_ROLES,
    Act.REVEAL: (Role.SUPERVISOR, Role.MANAGER),
    Act.SIGN_OFF: (Role.SUPERVISOR, Role.MANAGER),
    Act.ROSTER: (Role.SUPERVISOR, Role.MANAGER),
    Act.OWN_PIN: (Role.CLERK, Role.SUPERVISOR, Role.MANAGER),
}


def _shown(name: str) -> str:
    """A name as it may appear in a message: one line, never a 130 KB one."""
    return name if len(name) <= NAME_MAX else name[:20] + "…"


# Core statements: every step asks these two (issue 18: registering costs little more than
# its rows); the staff row comes back as a plain row (name, role, active, …), read only
_STAFF = Staff.__table__  # type: ignore[attr-defined]
_ACTOR = sa_select(_STAFF).where(_STAFF.c.name == bindparam("name"))
_TURNS = ShiftTurn.__table__  # type: ignore[attr-defined]
_HOLDER = sa_select(_TURNS.c.holder).order_by(_TURNS.c.id.desc()).limit(1)


def require_actor(session: Session, by: str, act: Act) -> Any:
    """The staff row of whoever does `act`: on the roster, active, of a role allowed to do it
    (a plain row with the columns of Staff). One clear line for each refusal."""
    name = clean_name(by or "")
    if not name:
        raise ValidationError(_("Who is doing this? Give a staff member's name (--by)."), "by")
    row = None
    if len(name) <= NAME_MAX:
        row = session.connection().execute(_ACTOR, {"name": name}).first()
    if row is None:
        raise NotFound(_("No staff member named {name}.").format(name=_shown(name)))
    if not row.active:
        raise PermissionDenied(_("{name} is not active.").format(name=row.name))
    if Role(row.role) not in ALLOWED[act]:
        raise PermissionDenied(_("{name} is a {role} and may not do this.").format(
            name=row.name, role=Role(row.role).label))
    return row


def holder(session: Session) -> str | None:
    """Who holds the desk now (the last shift turn), or None before anyone has signed on."""
    return session.connection().execute(_HOLDER).scalar()


def require_desk_actor(session: Session, by: str, act: Act) -> Any:
    """An act done at the desk: a clerk does it as the person holding the desk (a supervisor or
    manager may step in); nothing is registered before someone has signed on."""
    held_by = holder(session)
    if act is Act.REGISTER and held_by is None:
        raise PermissionDenied(_("Nobody has signed on at the desk yet: sign on first "
                                 "(repairdesk shift sign-on, or the desk's first start)."))
    row = require_actor(session, by, act)
    if Role(row.role) is Role.CLERK and held_by is not None and held_by != row.name:
        raise PermissionDenied(_("{name} does not hold the desk; {holder} does.").format(
            name=row.name, holder=held_by))
    return row
