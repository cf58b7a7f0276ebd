"""`repairdesk handover …` and `repairdesk shift …`: the checklist, signing a handover from the
command line, the handover history, and opening the first shift."""

from __future__ import annotations

from typing import Any, Optional

import typer

from ..i18n import _
from .common import default_clerk, desk_of, echo_json, fail, out
from .staff import read_pin

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)
shift_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)


def checklist_text(desk: Any, c: Any) -> str:
    """The checklist as plain text, one line per read-back line."""
    from ..domain.handover import blockers, lines
    from ..domain.timeparse import fmt_full

    tz = desk.config.tz
    rows = [_("Shift {name}: {start} – {end}").format(
        name=c.shift_name, start=fmt_full(c.window_start, tz), end=fmt_full(c.window_end, tz))]
    rows += [f"  [{ln.key}] {ln.label}: {ln.expected}" for ln in lines(c)]
    for b in blockers(c.open_items, c.explanations):
        rows.append(_("  BLOCKED {no}: {reason} (use --explain {no}=TEXT)").format(
            no=b.ticket_no, reason=b.reason))
    return "\n".join(rows)


def _pairs(values: list[str], what: str) -> dict[str, str]:
    from ..errors import ValidationError

    out_: dict[str, str] = {}
    for v in values:
        key, sep, text = v.partition("=")
        if not sep:
            raise ValidationError(_("{what} must look like KEY=TEXT: {value}").format(
                what=what, value=v), what)
        out_[key.strip()] = text.strip()
    return out_


@app.command("checklist", help=_("Show the checklist the outgoing shift would hand over now."))
def checklist(
    ctx: typer.Context,
    explain: list[str] = typer.Option([], "--explain", metavar="NO=TEXT", help=_(
        "Explanation for a blocking ticket (repeatable).")),
    as_json: bool = typer.Option(False, "--json", help=_("Print JSON.")),
) -> None:
    from ..services.handover import build_checklist, checklist_content

    desk = desk_of(ctx)
    c = build_checklist(desk, explanations=_pairs(explain, "--explain"))
    if as_json:
        echo_json(checklist_content(c))
        return
    out(checklist_text(desk, c))


@app.command("sign", help=_(
    "Hand over from the command line: the incoming clerk confirms every line except those "
    "given with --found; both PINs are read (two lines with --pin-stdin)."))
def sign(
    ctx: typer.Context,
    outgoing: str = typer.Option(..., "--from", help=_("The outgoing clerk.")),
    incoming: str = typer.Option(..., "--to", help=_("The incoming clerk.")),
    confirm_all: bool = typer.Option(False, "--confirm-all", help=_(
        "The incoming clerk has read back every line.")),
    found: list[str] = typer.Option([], "--found", metavar="KEY=VALUE", help=_(
        "A line that did not match: what the incoming clerk found (repeatable).")),
    explain: list[str] = typer.Option([], "--explain", metavar="NO=TEXT", help=_(
        "Explanation for a blocking ticket (repeatable).")),
    abnormal: str = typer.Option("", "--abnormal", help=_("Abnormal situations.")),
    pin_stdin: bool = typer.Option(False, "--pin-stdin", help=_(
        "Read the two PINs (outgoing, then incoming) from standard input.")),
) -> None:
    from ..domain.handover import ReadBack, lines
    from ..errors import ValidationError
    from ..services.anchors import handover_anchor
    from ..services.handover import build_checklist, complete_handover

    desk = desk_of(ctx)
    c = build_checklist(desk, abnormal=abnormal, explanations=_pairs(explain, "--explain"))
    diffs = _pairs(found, "--found")
    if not confirm_all:
        raise ValidationError(_("The incoming clerk must read back every line (--confirm-all)."),
                              "confirm")
    answers = {ln.key: ReadBack(ln.key, ln.key not in diffs, diffs.get(ln.key, ""))
               for ln in lines(c)}
    out_pin = read_pin(pin_stdin, _("PIN of {name}: ").format(name=outgoing))
    in_pin = read_pin(pin_stdin, _("PIN of {name}: ").format(name=incoming))
    rec = complete_handover(desk, c, answers, outgoing, out_pin, incoming, in_pin)
    out(_("Handover {id} signed: {inc} now holds the desk ({n} discrepancies).").format(
        id=rec.id, inc=rec.incoming, n=rec.discrepancies))
    out(_("Anchor (write it down; repairdesk verify --anchor checks it): {anchor}").format(
        anchor=handover_anchor(desk, rec.id or 0)))


@app.command("show", help=_("Show a signed handover (default: the last one)."))
def show(
    ctx: typer.Context,
    last: bool = typer.Option(False, "--last", help=_("The last handover (default).")),
    handover_id: Optional[int] = typer.Option(None, "--id", help=_("Handover number.")),
    as_json: bool = typer.Option(False, "--json", help=_("Print JSON.")),
) -> None:
    from ..services.handover import get_handover, handover_json, handover_text

    desk = desk_of(ctx)
    data = handover_json(desk, get_handover(desk, None if last else handover_id))
    if as_json:
        echo_json(data)
        return
    out(handover_text(desk, data))


@app.command("print", help=_(
    "Print a signed handover record through the print queue (default: the last one)."))
def print_(
    ctx: typer.Context,
    handover_id: Optional[int] = typer.Option(None, "--id", help=_("Handover number.")),
    fmt: Optional[str] = typer.Option(None, "--format", help=_("pdf or text.")),
    by: Optional[str] = typer.Option(None, "--by", help=_("Who asks for the print.")),
) -> None:
    from ..services import printing
    from ..services.handover import get_handover

    desk = desk_of(ctx)
    rec = get_handover(desk, handover_id)
    job = printing.queue_handover(desk, rec.id or 0, default_clerk(desk, by), fmt=fmt)
    done = printing.run_job(desk, job.id)
    if done.state != "done":
        fail(_("Print job {id} failed: {error}").format(id=done.id, error=done.error))
    out(done.output)


@app.command("list", help=_("The handover history."))
def list_(ctx: typer.Context) -> None:
    from ..domain.timeparse import fmt_full
    from ..services.handover import list_handovers

    desk = desk_of(ctx)
    for h in list_handovers(desk):
        out(f"{h.id}\t{fmt_full(h.at, desk.config.tz)}\t{h.outgoing} → {h.incoming}\t"
            + _("{n} discrepancies").format(n=h.discrepancies))


@shift_app.command("sign-on", help=_("Open the first shift of a new book (PIN)."))
def sign_on(
    ctx: typer.Context,
    name: str = typer.Argument(...),
    pin_stdin: bool = typer.Option(False, "--pin-stdin", help=_("Read the PIN from standard input.")),
) -> None:
    from ..services.shifts import sign_on as svc

    t = svc(desk_of(ctx), name, read_pin(pin_stdin, _("PIN: ")))
    out(_("{name} holds the desk.").format(name=t.holder))


@shift_app.command("status", help=_("The current shift and who holds the desk."))
def status(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    from ..services.shifts import current_turn, current_window, overdue_shifts, overdue_text

    desk = desk_of(ctx)
    w, t = current_window(desk), current_turn(desk)
    missed = overdue_shifts(desk, turn=t) if t else []
    if as_json:
        echo_json({"shift": w.code if w else None, "holder": t.holder if t else None,
                   "handover_overdue": bool(missed),
                   "overdue_since": missed[0].end.isoformat() if missed else None,
                   "overdue_shifts": len(missed)})
        return
    out(_("Shift: {shift}; holder: {holder}").format(
        shift=w.label if w else "-", holder=t.holder if t else _("nobody signed on")))
    if t and missed:
        out(overdue_text(desk, missed, t.holder))
