"""`repairdesk staff …`"""

from __future__ import annotations

import typer

from ..i18n import _
from .common import desk_of, echo_json, out

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)


@app.command("add", help=_("Add a staff member."))
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help=_("Full name.")),
    role: str = typer.Option(..., "--role", help=_(
        "clerk, technician, team_leader, supervisor or manager.")),
    phone: str = typer.Option("", "--phone", help=_("Phone number (for escalation calls).")),
    pin_stdin: bool = typer.Option(False, "--pin-stdin", help=_(
        "Read the new signing PIN from standard input.")),
    skills: str = typer.Option("", "--skills", help=_(
        "Categories a technician handles, from the configured list, e.g. 水,电.")),
) -> None:
    from ..services.signing import hash_pin
    from ..services.staff import add_staff, parse_role, parse_skills

    desk = desk_of(ctx)
    staff_role = parse_role(role)
    handles = parse_skills(skills, desk.config.categories)
    # hash before writing: a bad PIN must not leave a half-made staff member behind
    pin_hash = hash_pin(read_pin(pin_stdin, _("New PIN: "), confirm=True)) if pin_stdin else None
    member = add_staff(desk, name, staff_role, phone, pin_hash=pin_hash, skills=handles)
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


@app.command("set-pin", help=_("Set or change a staff member's signing PIN."))
def set_pin(
    ctx: typer.Context,
    name: str = typer.Argument(...),
    pin_stdin: bool = typer.Option(False, "--pin-stdin", help=_(
        "Read the new PIN from standard input.")),
) -> None:
    from ..services.signing import set_pin as set_pin_svc

    set_pin_svc(desk_of(ctx), name, read_pin(pin_stdin, _("New PIN: "), confirm=True))
    out(_("PIN set for {name}.").format(name=name))


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


@app.command("deactivate", help=_("Mark a staff member inactive (kept in the records)."))
def deactivate(ctx: typer.Context, name: str = typer.Argument(...)) -> None:
    from ..services.staff import set_active

    m = set_active(desk_of(ctx), name, False)
    out(_("{name} is now inactive.").format(name=m.name))


@app.command("activate", help=_("Mark a staff member active again."))
def activate(ctx: typer.Context, name: str = typer.Argument(...)) -> None:
    from ..services.staff import set_active

    m = set_active(desk_of(ctx), name, True)
    out(_("{name} is now active.").format(name=m.name))
