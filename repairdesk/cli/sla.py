"""`repairdesk sla …`: the SLA clocks from a script, a wall display or a cron job."""

from __future__ import annotations

from typing import Any, Optional

import typer

from ..i18n import _
from .common import default_clerk, desk_of, echo_json, out

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)


def alert_dict(alert: Any, tz: Any) -> dict[str, Any]:
    from ..services.serialize import iso

    c = alert.clock
    return {
        "ticket_no": alert.ticket_no,
        "room": alert.room,
        "clock": c.name.value,
        "state": c.state.value,
        "level": alert.level.value,
        "due_at": iso(c.due_at, tz),
        "remaining_s": None if c.remaining_s is None else round(c.remaining_s),
        "call": ({"name": alert.call.name, "role": alert.call.role.value,
                  "phone": alert.call.phone} if alert.call else None),
        "action_text": alert.action_text,
        "follow_up_due": alert.follow_up_due,
    }


def entry_text() -> str:
    """What the clerk does about a follow-up silent for a week (translated when called)."""
    return _("Write this week's follow-up entry (f): time, contact and progress")


def follow_up_dict(f: Any, now: Any, tz: Any) -> dict[str, Any]:
    """A follow-up whose weekly entry is owed, in the shape of a clock alert (004)."""
    from ..services.serialize import iso

    return {
        "ticket_no": f.ticket_no, "room": f.room, "clock": "follow_up_entry", "state": "due",
        "level": "due", "due_at": iso(f.due_at, tz), "last_entry_at": iso(f.last_entry_at, tz),
        "remaining_s": round(-f.overdue_s(now)), "call": None,
        "action_text": entry_text(), "follow_up_due": False,
    }


@app.command("check", help=_("List the clocks in warning or breach now; exits 0."))
def check(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help=_("Print JSON.")),
    log: bool = typer.Option(False, "--log", help=_(
        "Also write new warnings, breaches and escalation steps to the duty log.")),
) -> None:
    from .. import fmt
    from ..domain.timeparse import fmt_local
    from ..services import sla
    from ..services.tickets import working_set

    desk = desk_of(ctx)
    now = desk.now()
    records = working_set(desk)
    if log:
        sla.escalate(desk, now, records)
        from ..services.shifts import note_overdue

        note_overdue(desk, now)  # "handover overdue", once per shift (README)
    found = sla.alerts(desk, now, records)
    from ..services.desk_steps import follow_ups_due

    entries = follow_ups_due(desk, now, records)  # 协调单 silent for a week (004)
    tz = desk.config.tz
    if as_json:
        echo_json([alert_dict(a, tz) for a in found]
                  + [follow_up_dict(f, now, tz) for f in entries])
        return
    if not found and not entries:
        out(_("No clocks in warning or breach."))
    for a in found:
        c = a.clock
        out("\t".join([a.ticket_no, c.name.label, a.level.label, fmt_local(c.due_at, tz),
                       fmt.countdown(c.remaining_s or 0.0), a.room, a.action_text]))
    for f in entries:
        out("\t".join([f.ticket_no, _("weekly follow-up entry"), _("due"),
                       fmt_local(f.due_at, tz), fmt.countdown(-f.overdue_s(now)), f.room,
                       entry_text()]))


@app.command("follow-up", help=_("Turn a job not completed in time into a follow-up order."))
def follow_up(
    ctx: typer.Context,
    ticket_no: str = typer.Argument(..., metavar="NO"),
    note: str = typer.Option("", "--note", help=_("Contact and progress.")),
    by: Optional[str] = typer.Option(
        None, "--by", help=_("The clerk recording this (default: the clerk on duty).")),
) -> None:
    from ..services.sla import convert_to_follow_up

    desk = desk_of(ctx)
    record = convert_to_follow_up(desk, ticket_no, default_clerk(desk, by), note)
    out(f"{record.ticket_no}\t{record.status.label}")


def sla_lines(desk: Any, record: Any) -> list[str]:
    """The clocks under `ticket show`: name, state, deadline, time left (or margin)."""
    from .. import fmt
    from ..domain.timeparse import fmt_local
    from ..services.sla import clocks_of

    tz = desk.config.tz
    lines = [_("Clocks:")]
    for c in clocks_of(desk, record):
        left = "" if c.remaining_s is None else fmt.countdown(c.remaining_s)
        lines.append(f"  {c.name.label}\t{c.state.label}\t{fmt_local(c.due_at, tz) or '-'}\t{left}")
    return lines
