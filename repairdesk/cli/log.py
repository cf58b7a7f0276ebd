"""`repairdesk log …`: the duty log (值班记录). Entries are added or corrected, never edited."""

from __future__ import annotations

from datetime import date
from typing import Optional

import typer

from ..i18n import _
from .common import default_clerk, desk_of, echo_json, out

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)


@app.command("add", help=_("Write an entry in the duty log."))
def add(
    ctx: typer.Context,
    text: str = typer.Argument(..., help=_("What happened.")),
    by: Optional[str] = typer.Option(None, "--by", help=_("Who writes it (default: the clerk on duty).")),
) -> None:
    from ..services.dutylog import add_entry

    desk = desk_of(ctx)
    e = add_entry(desk, text, default_clerk(desk, by))
    out(_("Logged entry {id}.").format(id=e.id))


@app.command("correct", help=_("Correct an entry: a new entry that points at the old one."))
def correct(
    ctx: typer.Context,
    entry_id: int = typer.Argument(..., metavar="ID"),
    text: str = typer.Argument(..., help=_("The correction.")),
    by: Optional[str] = typer.Option(None, "--by", help=_("Who corrects it.")),
) -> None:
    from ..services.dutylog import correct_entry

    desk = desk_of(ctx)
    e = correct_entry(desk, entry_id, text, default_clerk(desk, by))
    out(_("Logged correction {id} of entry {old}.").format(id=e.id, old=entry_id))


@app.command("show", help=_("Show the duty log of one duty day (default: the current one)."))
def show(
    ctx: typer.Context,
    day: Optional[str] = typer.Option(None, "--day", metavar="YYYY-MM-DD", help=_("Duty day.")),
    as_json: bool = typer.Option(False, "--json", help=_("Print JSON.")),
) -> None:
    from ..domain.timeparse import fmt_full
    from ..errors import ValidationError
    from ..services.dutylog import entries_of_day
    from ..services.shifts import current_duty_day

    desk = desk_of(ctx)
    try:
        the_day = date.fromisoformat(day) if day else current_duty_day(desk)
    except ValueError:
        raise ValidationError(_("Give the day as YYYY-MM-DD."), "day") from None
    entries = entries_of_day(desk, the_day)
    if as_json:
        echo_json([{"id": e.id, "seq": e.seq, "at": e.at.isoformat(), "kind": e.kind,
                    "author": e.author, "text": e.text, "ticket_no": e.ticket_no,
                    "corrects_id": e.corrects_id} for e in entries])
        return
    if not entries:
        out(_("No entries on duty day {day}.").format(day=the_day.isoformat()))
    for e in entries:
        mark = _(" (corrects {id})").format(id=e.corrects_id) if e.corrects_id else ""
        out(f"{e.id}\t{fmt_full(e.at, desk.config.tz)}\t{e.author}\t{e.text}{mark}")
