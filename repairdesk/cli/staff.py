"""`repairdesk staff …`"""

from __future__ import annotations

from typing import Optional

import typer

from ..i18n import _
from .common import desk_of, echo_json, out

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)


APPROVE_HELP = _("The supervisor or manager approving the change (asked for their PIN).")
PIN_STDIN_HELP = _("Read the PINs from standard input: the approver's on the first line, the "
                   "new PIN (if any) on the second.")


def _approver_pin(by: str | None, pin_stdin: bool) -> str:
    """The approver's PIN (nothing is read when no approver is named: the service refuses)."""
    if not by:
        return ""
    return read_pin(pin_stdin, _("PIN of {name}: ").format(name=by))


@app.command("add", help=_("Add a staff member (a supervisor's or manager's approval)."))
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help=_("Full name.")),
    role: str = typer.Option(..., "--role", help=_(
        "clerk, technician, team_leader, supervisor or manager.")),
    phone: str = typer.Option("", "--phone", help=_("Phone number (for escalation calls).")),
    approve_by: Optional[str] = typer.Option(None, "--approve-by", help=APPROVE_HELP),
    pin_stdin: bool = typer.Option(False, "--pin-stdin", help=PIN_STDIN_HELP),
    skills: str = typer.Option("", "--skills", help=_(
        "Categories a technician handles, from the configured list, comma-separated.")),
) -> None:
    from ..services.roster import NewPerson, add_person
    from ..services.staff import parse_role

    desk = desk_of(ctx)
    staff_role = parse_role(role)
    approver_pin = _approver_pin(approve_by, pin_stdin)
    # the new person's PIN only with --pin-stdin; otherwise `staff reset-pin` gives one later
    new_pin = read_pin(True, "") if pin_stdin else ""
    member = add_person(desk, NewPerson(name, staff_role, phone, new_pin, None, skills,
                                        pin_later=True),
                        approve_by or "", approver_pin)
    out(_("Added {name} ({role}).").format(name=member.name, role=member.role.label))


def read_pin(from_stdin: bool, prompt: str, confirm: bool = False) -> str:
    """One PIN: a line of standard input with --pin-stdin, else typed without echo."""
    import getpass
    import sys

    from ..errors import ValidationError

    if from_stdin:
        return sys.stdin.readline().strip()
    pin = getpass.getpass(prompt)
    if confirm and getpass.getpass(_("Repeat the PIN: ")) != pin:
        raise ValidationError(_("The two PINs differ; nothing was changed."), "pin")
    return pin.strip()


@app.command("set-pin", help=_("Change your own signing PIN (the old PIN first)."))
def set_pin(
    ctx: typer.Context,
    name: str = typer.Argument(...),
    pin_stdin: bool = typer.Option(False, "--pin-stdin", help=_(
        "Read the PINs from standard input: the old PIN on the first line, the new one on the "
        "second.")),
) -> None:
    from ..services.roster import change_own_pin

    desk = desk_of(ctx)
    old = read_pin(pin_stdin, _("Old PIN of {name}: ").format(name=name))
    new = read_pin(pin_stdin, _("New PIN: "), confirm=True)
    m = change_own_pin(desk, name, old, new)
    out(_("PIN set for {name}.").format(name=m.name))


@app.command("reset-pin", help=_("Give someone a new PIN (a supervisor's or manager's "
                                  "approval)."))
def reset_pin(
    ctx: typer.Context,
    name: str = typer.Argument(...),
    approve_by: Optional[str] = typer.Option(None, "--approve-by", help=APPROVE_HELP),
    pin_stdin: bool = typer.Option(False, "--pin-stdin", help=PIN_STDIN_HELP),
) -> None:
    from ..services.roster import reset_pin as reset_pin_svc

    desk = desk_of(ctx)
    approver_pin = _approver_pin(approve_by, pin_stdin)
    new = read_pin(pin_stdin, _("New PIN for {name}: ").format(name=name), confirm=True) \
        if approve_by else ""
    m = reset_pin_svc(desk, name, new, approve_by or "", approver_pin)
    out(_("PIN set for {name}.").format(name=m.name))


@app.command("set-role", help=_("Change a staff member's role (a supervisor's or manager's "
                                 "approval)."))
def set_role(
    ctx: typer.Context,
    name: str = typer.Argument(...),
    role: str = typer.Argument(..., help=_(
        "clerk, technician, team_leader, supervisor or manager.")),
    approve_by: Optional[str] = typer.Option(None, "--approve-by", help=APPROVE_HELP),
    pin_stdin: bool = typer.Option(False, "--pin-stdin", help=PIN_STDIN_HELP),
) -> None:
    from ..services.roster import set_role as set_role_svc
    from ..services.staff import parse_role

    desk = desk_of(ctx)
    new_role = parse_role(role)
    m = set_role_svc(desk, name, new_role, approve_by or "", _approver_pin(approve_by, pin_stdin))
    out(_("{name} is now a {role}.").format(name=m.name, role=m.role.label))


@app.command("list", help=_("List the staff roster."))
def list_(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help=_("Print JSON.")),
    active: bool = typer.Option(False, "--active", help=_("Only active staff.")),
) -> None:
    from ..domain.validation import mask_phone
    from ..services.staff import list_staff

    members = list_staff(desk_of(ctx), active_only=active)
    if as_json:
        echo_json([{"name": m.name, "role": m.role.value, "phone_masked": mask_phone(m.phone),
                    "active": m.active, "has_pin": m.has_pin, "skills": list(m.skills)}
                   for m in members])
        return
    for m in members:
        state = _("active") if m.active else _("inactive")
        out(f"{m.name}\t{m.role.label}\t{mask_phone(m.phone)}\t{state}\t{'、'.join(m.skills)}")


def _set_active(ctx: typer.Context, name: str, active: bool, approve_by: Optional[str],
                pin_stdin: bool) -> None:
    from ..services.roster import set_active

    desk = desk_of(ctx)
    m = set_active(desk, name, active, approve_by or "", _approver_pin(approve_by, pin_stdin))
    out((_("{name} is now active.") if active else _("{name} is now inactive.")).format(
        name=m.name))


@app.command("deactivate", help=_("Mark a staff member inactive (kept in the records)."))
def deactivate(
    ctx: typer.Context,
    name: str = typer.Argument(...),
    approve_by: Optional[str] = typer.Option(None, "--approve-by", help=APPROVE_HELP),
    pin_stdin: bool = typer.Option(False, "--pin-stdin", help=PIN_STDIN_HELP),
) -> None:
    _set_active(ctx, name, False, approve_by, pin_stdin)


@app.command("activate", help=_("Mark a staff member active again."))
def activate(
    ctx: typer.Context,
    name: str = typer.Argument(...),
    approve_by: Optional[str] = typer.Option(None, "--approve-by", help=APPROVE_HELP),
    pin_stdin: bool = typer.Option(False, "--pin-stdin", help=PIN_STDIN_HELP),
) -> None:
    _set_active(ctx, name, True, approve_by, pin_stdin)
