"""`repairdesk signoff …`: the supervisor's morning review of the previous duty day."""

from __future__ import annotations

from datetime import date
from typing import Optional

import typer

from ..i18n import _
from .common import desk_of, echo_json, out
from .staff import read_pin

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)


def _day(raw: Optional[str]) -> Optional[date]:
    from ..errors import ValidationError

    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(_("Give the day as YYYY-MM-DD."), "day") from None


@app.command("status", help=_("Which past duty days are signed and which are not."))
def status(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help=_("Print JSON."))) -> None:
    from ..services.signoff import signed_days, unsigned_days

    desk = desk_of(ctx)
    unsigned = [d.isoformat() for d in unsigned_days(desk)]
    signed = sorted(d.isoformat() for d in signed_days(desk))
    if as_json:
        echo_json({"unsigned": unsigned, "signed": signed})
        return
    if unsigned:
        out(_("Not signed off: {days}").format(days=", ".join(unsigned)))
    else:
        out(_("Every past duty day is signed off."))


@app.command("show", help=_("What the supervisor reviews for a duty day (default: yesterday's)."))
def show(ctx: typer.Context, day: Optional[str] = typer.Option(None, "--day", metavar="YYYY-MM-DD")) -> None:
    from ..domain.timeparse import fmt_full
    from ..services.signoff import review

    desk = desk_of(ctx)
    r = review(desk, _day(day))
    tz = desk.config.tz
    out(_("Duty day {day}").format(day=r.day.isoformat()))
    for e in r.entries:
        out(f"  {fmt_full(e.at, tz)}  {e.author}  {e.text}")
    for hid, o, i, at, d in r.handovers:
        out(_("  Handover {id}: {out} → {inc} at {at}, {d} discrepancies").format(
            id=hid, out=o, inc=i, at=fmt_full(at, tz), d=d))
    out(_("Breaches: {n}").format(n=len(r.breaches)))
    out(_("Not yet returned: {nos}").format(nos=", ".join(no for no, _s in r.not_returned) or "—"))
    if r.signed:
        out(_("Signed by {name} at {at}.").format(name=r.signed.supervisor,
                                                 at=fmt_full(r.signed.at, tz)))
    if r.anchor:
        out(_("Anchor: {anchor}").format(anchor=r.anchor))


@app.command("sign", help=_("Sign a past duty day as supervisor (PIN)."))
def sign(
    ctx: typer.Context,
    by: str = typer.Option(..., "--by", help=_("The supervisor.")),
    day: Optional[str] = typer.Option(None, "--day", metavar="YYYY-MM-DD"),
    comment: str = typer.Option("", "--comment", help=_("Optional comment.")),
    pin_stdin: bool = typer.Option(False, "--pin-stdin", help=_("Read the PIN from standard input.")),
) -> None:
    from ..services.anchors import signoff_anchor
    from ..services.signoff import sign_off

    desk = desk_of(ctx)
    rec = sign_off(desk, by, read_pin(pin_stdin, _("PIN: ")), _day(day), comment)
    out(_("Duty day {day} signed off by {name}.").format(day=rec.duty_day, name=rec.supervisor))
    out(_("Anchor (write it down; repairdesk verify --anchor checks it): {anchor}").format(
        anchor=signoff_anchor(desk, rec.site, rec.duty_day)))
