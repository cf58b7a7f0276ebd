"""`repairdesk ticket …`: the scriptable mirror of the desk's ticket keys."""

from __future__ import annotations

from typing import Any, Optional

import typer

from ..i18n import _
from .common import default_clerk, desk_of, echo_json, out

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)

BY = typer.Option(None, "--by", help=_("The clerk recording this (default: the clerk on duty)."))
AT = typer.Option(None, "--at", help=_("When it happened, if not now (e.g. 14:05)."))
NOTE = typer.Option("", "--note", help=_("A note for the history."))


@app.command("add", help=_("Register a repair call; prints the new ticket number."))
def add(
    ctx: typer.Context,
    room: str = typer.Option(..., "--room", help=_("Room (3-2-1501) or, for public areas, the place.")),
    caller: str = typer.Option(..., "--caller", help=_("Caller (at least a surname).")),
    content: str = typer.Option(..., "--content", help=_("The fault, 1-500 characters.")),
    phone: str = typer.Option("", "--phone", help=_("Phone, only if the owner agrees.")),
    scope: str = typer.Option("", "--scope", help=_(
        "home or public; left out: read from the room (3栋2单元1501 is in-home, a corridor or a "
        "lift public), asked when the room says neither.")),
    category: str = typer.Option("", "--category", help=_("Category (see the rules file).")),
    urgency: str = typer.Option("normal", "--urgency", help=_("urgent, normal or appointment.")),
    appointment: str = typer.Option("", "--appointment", help=_("Agreed appointment time.")),
    channel: str = typer.Option("phone", "--channel", help=_(
        "phone, walk_in, app, wechat or patrol.")),
    paid: bool = typer.Option(False, "--paid", help=_("Paid service (特约服务).")),
    assess: bool = typer.Option(False, "--assess", help=_(
        "Out of scope: needs the team leader's fee assessment.")),
    owner_parts: bool = typer.Option(False, "--owner-parts", help=_("The owner supplies parts.")),
    vacant: bool = typer.Option(False, "--vacant", help=_(
        "A vacant unit (空房): closed only after the clerk has verified the job.")),
    verify_code: str = typer.Option("", "--verify-code", help=_("Verification code for the visit.")),
    received_at: str = typer.Option("", "--received-at", help=_(
        "When the call came in, to back-enter a call taken on paper.")),
    by: Optional[str] = BY,
) -> None:
    from ..services.tickets import IntakeForm, register_ticket

    desk = desk_of(ctx)
    form = IntakeForm(
        room=room, caller=caller, phone=phone, content=content, scope=scope, category=category,
        urgency=urgency, appointment=appointment, channel=channel,
        service_type="assess" if assess else ("paid" if paid else "free"),
        owner_parts=owner_parts, verify_code=verify_code, received_at=received_at,
        vacant=vacant,
    )
    _warn_urgent_words(desk, content, urgency)
    record = register_ticket(desk, form, default_clerk(desk, by))
    out(record.ticket_no)


def _warn_urgent_words(desk: Any, content: str, urgency: str) -> None:
    """The content names an urgent-by-rule fault (003 4) but the urgency typed is not urgent:
    one line on stderr; the call is still registered as typed (the clerk decides)."""
    from ..domain.enums import Urgency
    from ..services.intake import suggest_urgent

    if urgency.strip().lower() == Urgency.URGENT.value:
        return
    words = suggest_urgent(desk, content)
    if words:
        typer.echo(_("Warning: the content mentions {words}, urgent by rule (003 4); registered "
                     "as typed, not urgent (--urgency urgent to change).").format(
                         words="、".join(words)), err=True)


@app.command("list", help=_("List tickets, newest first."))
def list_(
    ctx: typer.Context,
    open_only: bool = typer.Option(False, "--open", help=_("Only tickets still open.")),
    as_json: bool = typer.Option(False, "--json", help=_("Print JSON.")),
    limit: int = typer.Option(0, "--limit", help=_("At most this many (0: all).")),
) -> None:
    from ..domain.timeparse import fmt_local
    from ..services.serialize import ticket_dict
    from ..services.tickets import list_tickets

    desk = desk_of(ctx)
    records = list_tickets(desk, open_only=open_only, limit=limit or None)
    if as_json:
        from ..services.sla import clocks_of

        now = desk.now()
        echo_json([ticket_dict(r, desk.config.tz, clocks=clocks_of(desk, r, now))
                   for r in records])
        return
    for r in records:
        out("\t".join([r.ticket_no, fmt_local(r.intake.received_at, desk.config.tz),
                       r.status.label, r.intake.room, r.intake.category,
                       r.intake.urgency.label, r.state.technician or "-",
                       r.intake.content[:30].replace("\n", " ")]))


@app.command("search", help=_("Search all tickets as the desk's / does: number, room, caller, "
                                "words, or a phone by its full number or last four digits."))
def search(
    ctx: typer.Context,
    words: list[str] = typer.Argument(..., metavar="WORDS"),
    as_json: bool = typer.Option(False, "--json", help=_("Print JSON.")),
    limit: int = typer.Option(200, "--limit", help=_("At most this many.")),
) -> None:
    from ..domain.timeparse import fmt_local
    from ..services.serialize import ticket_dict
    from ..services.tickets import search_tickets

    desk = desk_of(ctx)
    # --json gives each hit's history; the listing needs only the rows (issue 18)
    records, total = search_tickets(desk, " ".join(words), limit=max(1, min(limit, 10000)),
                                    history=as_json)
    if as_json:
        echo_json({"total": total,
                   "tickets": [ticket_dict(r, desk.config.tz) for r in records]})
        return
    for r in records:
        out("\t".join([r.ticket_no, fmt_local(r.intake.received_at, desk.config.tz),
                       r.status.label, r.intake.room, r.intake.caller,
                       r.intake.content[:30].replace("\n", " ")]))
    err_line = _("{shown} of {total} found.").format(shown=len(records), total=total)
    typer.echo(err_line, err=True)


@app.command("show", help=_("Show one ticket with its history."))
def show(
    ctx: typer.Context,
    ticket_no: str = typer.Argument(..., metavar="NO"),
    as_json: bool = typer.Option(False, "--json", help=_("Print JSON.")),
) -> None:
    from ..services.serialize import ticket_dict
    from ..services.tickets import get_ticket

    desk = desk_of(ctx)
    from ..services.sla import clocks_of

    record = get_ticket(desk, ticket_no)
    data = ticket_dict(record, desk.config.tz, clocks=clocks_of(desk, record))
    for hook in SHOW_HOOKS:
        hook(desk, record, data)
    if as_json:
        echo_json(data)
        return
    from .render import ticket_text
    from .sla import sla_lines

    out(ticket_text(desk, record))
    out("\n".join(["", *sla_lines(desk, record)]))


# Other features add fields to `ticket show` (e.g. the SLA clocks): hook(desk, record, data).
SHOW_HOOKS: list[Any] = []


def _done(record: Any) -> None:
    out(f"{record.ticket_no}\t{record.status.label}")


@app.command("dispatch", help=_("Dispatch to a technician (派工)."))
def dispatch(ctx: typer.Context, ticket_no: str = typer.Argument(..., metavar="NO"),
             to: str = typer.Option(..., "--to", help=_("The technician.")),
             by: Optional[str] = BY, at: Optional[str] = AT, note: str = NOTE) -> None:
    from ..services.tickets import dispatch_ticket

    desk = desk_of(ctx)
    _done(dispatch_ticket(desk, ticket_no, to, default_clerk(desk, by), note=note, at=at))
    from .print_cmd import run_queued

    run_queued(desk)  # the work order queued by the dispatch ([printing] auto_on_dispatch)


def _simple(name: str, func_name: str, help_text: str) -> None:
    def command(ctx: typer.Context, ticket_no: str = typer.Argument(..., metavar="NO"),
                by: Optional[str] = BY, at: Optional[str] = AT, note: str = NOTE) -> None:
        from ..services import tickets as svc

        desk = desk_of(ctx)
        _done(getattr(svc, func_name)(desk, ticket_no, default_clerk(desk, by), note=note, at=at))

    app.command(name, help=help_text)(command)


_simple("accept", "accept_ticket", _("The technician accepted the work order (接单)."))
_simple("arrive", "arrive_ticket", _("The technician is on site (到场)."))
_simple("return", "return_ticket", _("The work order is back at the desk and checked (返单)."))


@app.command("complete", help=_("The job is done (完工)."))
def complete(ctx: typer.Context, ticket_no: str = typer.Argument(..., metavar="NO"),
             result: str = typer.Option(..., "--result", help=_("What was done.")),
             by: Optional[str] = BY, at: Optional[str] = AT) -> None:
    from ..services.tickets import complete_ticket

    desk = desk_of(ctx)
    _done(complete_ticket(desk, ticket_no, result, default_clerk(desk, by), at=at))


@app.command("callback", help=_(
    "The owner was called back: --satisfied, --unsatisfied (rework), --refused (the "
    "owner declined; counts as called back) or --no-answer --retry TIME (the callback is "
    "still owed)."))
def callback(ctx: typer.Context, ticket_no: str = typer.Argument(..., metavar="NO"),
             satisfied: Optional[bool] = typer.Option(None, "--satisfied/--unsatisfied", help=_(
                 "Was the owner satisfied? Unsatisfied sends the job back (返工).")),
             no_answer: bool = typer.Option(False, "--no-answer", help=_(
                 "Nobody answered: ring again at --retry; the callback clock keeps running.")),
             retry: Optional[str] = typer.Option(None, "--retry", metavar="TIME", help=_(
                 "When to ring again after no answer (e.g. 21:30, tomorrow 9:00).")),
             refused: bool = typer.Option(False, "--refused", help=_(
                 "The owner declined the callback (a call made: counts as called back).")),
             by: Optional[str] = BY, at: Optional[str] = AT, note: str = NOTE) -> None:
    from ..domain.enums import CallbackOutcome
    from ..errors import ValidationError
    from ..services.tickets import callback_ticket

    chosen = [o for o, on in ((CallbackOutcome.NO_ANSWER, no_answer),
                              (CallbackOutcome.REFUSED, refused),
                              (CallbackOutcome.SATISFIED if satisfied else CallbackOutcome.REWORK,
                               satisfied is not None)) if on]
    if len(chosen) != 1:
        raise ValidationError(_("Say how the callback ended: one of --satisfied, --unsatisfied, "
                                "--refused, --no-answer."), "outcome")
    desk = desk_of(ctx)
    record = callback_ticket(desk, ticket_no, chosen[0], default_clerk(desk, by), note=note,
                             at=at, retry=retry)
    if record.state.callback_retry_at is None:
        _done(record)
        return
    from ..domain.timeparse import fmt_local

    out(f"{record.ticket_no}\t{record.status.label}\t" + _("retry at {when}").format(
        when=fmt_local(record.state.callback_retry_at, desk.config.tz)))


@app.command("close", help=_("Archive the ticket (归档)."))
def close(ctx: typer.Context, ticket_no: str = typer.Argument(..., metavar="NO"),
          verified: bool = typer.Option(False, "--verified", help=_(
              "The clerk verified the job (needed for public areas).")),
          by: Optional[str] = BY, at: Optional[str] = AT, note: str = NOTE) -> None:
    from ..services.tickets import close_ticket

    desk = desk_of(ctx)
    _done(close_ticket(desk, ticket_no, default_clerk(desk, by), verified=verified, note=note,
                       at=at))


@app.command("void", help=_("Void the ticket; the number stays in the book (作废)."))
def void(ctx: typer.Context, ticket_no: str = typer.Argument(..., metavar="NO"),
         reason: str = typer.Option(..., "--reason", help=_("Why it is voided.")),
         by: Optional[str] = BY, at: Optional[str] = AT) -> None:
    from ..services.tickets import void_ticket

    desk = desk_of(ctx)
    _done(void_ticket(desk, ticket_no, reason, default_clerk(desk, by), at=at))


@app.command("reschedule", help=_("A new appointment agreed with the owner (改约)."))
def reschedule(ctx: typer.Context, ticket_no: str = typer.Argument(..., metavar="NO"),
               to: str = typer.Option(..., "--to", help=_("The new appointment time.")),
               reason: str = typer.Option(..., "--reason", help=_("Why.")),
               by: Optional[str] = BY, at: Optional[str] = AT) -> None:
    from ..services.tickets import reschedule_ticket

    desk = desk_of(ctx)
    _done(reschedule_ticket(desk, ticket_no, to, reason, default_clerk(desk, by), at=at))


@app.command("pause", help=_("Waiting for parts or the owner (待料)."))
def pause(ctx: typer.Context, ticket_no: str = typer.Argument(..., metavar="NO"),
          reason: str = typer.Option(..., "--reason", help=_("Why.")),
          by: Optional[str] = BY, at: Optional[str] = AT) -> None:
    from ..services.tickets import pause_ticket

    desk = desk_of(ctx)
    _done(pause_ticket(desk, ticket_no, reason, default_clerk(desk, by), at=at))


@app.command("resume", help=_("Work can go on again."))
def resume(ctx: typer.Context, ticket_no: str = typer.Argument(..., metavar="NO"),
           reason: str = typer.Option("", "--reason", help=_("Why.")),
           by: Optional[str] = BY, at: Optional[str] = AT) -> None:
    from ..services.tickets import resume_ticket

    desk = desk_of(ctx)
    _done(resume_ticket(desk, ticket_no, default_clerk(desk, by), reason=reason, at=at))


@app.command("follow-up", help=_("Add a follow-up (协调单) entry: contact and progress."))
def follow_up(ctx: typer.Context, ticket_no: str = typer.Argument(..., metavar="NO"),
              note: str = typer.Option(..., "--note", help=_("Contact and progress.")),
              by: Optional[str] = BY) -> None:
    from ..services.tickets import follow_up_ticket

    desk = desk_of(ctx)
    _done(follow_up_ticket(desk, ticket_no, note, default_clerk(desk, by)))


@app.command("note", help=_("Add a note to the ticket's history."))
def note_(ctx: typer.Context, ticket_no: str = typer.Argument(..., metavar="NO"),
          note: str = typer.Option(..., "--note", help=_("The note.")),
          by: Optional[str] = BY) -> None:
    from ..services.tickets import add_note

    desk = desk_of(ctx)
    _done(add_note(desk, ticket_no, note, default_clerk(desk, by)))


@app.command("amend", help=_("Complete or correct the details (补录); the old values stay."))
def amend(ctx: typer.Context, ticket_no: str = typer.Argument(..., metavar="NO"),
          room: Optional[str] = typer.Option(None, "--room"),
          caller: Optional[str] = typer.Option(None, "--caller"),
          phone: Optional[str] = typer.Option(None, "--phone"),
          content: Optional[str] = typer.Option(None, "--content"),
          category: Optional[str] = typer.Option(None, "--category"),
          scope: Optional[str] = typer.Option(None, "--scope"),
          urgency: Optional[str] = typer.Option(None, "--urgency"),
          service_type: Optional[str] = typer.Option(None, "--service-type", help=_(
              "free, paid or assess: e.g. a free job found on site to be paid work.")),
          by: Optional[str] = BY, note: str = NOTE) -> None:
    from ..services.tickets import amend_ticket

    desk = desk_of(ctx)
    changes = {k: v for k, v in dict(room=room, caller=caller, phone=phone, content=content,
                                     category=category, scope=scope, urgency=urgency,
                                     service_type=service_type).items()
               if v is not None}
    _done(amend_ticket(desk, ticket_no, changes, default_clerk(desk, by), note=note))


@app.command("notified", help=_(
    "The technician was told to collect the work order (通知领单, 000 三: within 2 minutes)."))
def notified(ctx: typer.Context, ticket_no: str = typer.Argument(..., metavar="NO"),
             by: Optional[str] = BY, at: Optional[str] = AT, note: str = NOTE) -> None:
    from ..services.desk_steps import notify_ticket

    desk = desk_of(ctx)
    _done(notify_ticket(desk, ticket_no, default_clerk(desk, by), note=note, at=at))


@app.command("vacant", help=_(
    "Mark the unit vacant (空房), or --no: occupied; closing then needs --verified."))
def vacant_(ctx: typer.Context, ticket_no: str = typer.Argument(..., metavar="NO"),
            no: bool = typer.Option(False, "--no", help=_("The unit is not vacant after all.")),
            by: Optional[str] = BY, note: str = NOTE) -> None:
    from ..services.desk_steps import mark_vacant

    desk = desk_of(ctx)
    _done(mark_vacant(desk, ticket_no, not no, default_clerk(desk, by), note=note))


@app.command("follow-up-check", help=_(
    "The team leader's (--leader NAME) or the supervisor's (--supervisor NAME, asks for the "
    "PIN) check of a follow-up order (协调单, 004)."))
def follow_up_check(
    ctx: typer.Context, ticket_no: str = typer.Argument(..., metavar="NO"),
    leader: Optional[str] = typer.Option(None, "--leader", help=_("The team leader checking.")),
    supervisor: Optional[str] = typer.Option(None, "--supervisor", help=_(
        "The supervisor checking (signs with the PIN).")),
    comment: str = typer.Option("", "--comment", help=_("What the check found.")),
    pin_stdin: bool = typer.Option(False, "--pin-stdin", help=_(
        "Read the PIN from standard input.")),
    by: Optional[str] = BY,
) -> None:
    from ..errors import ValidationError
    from ..services.desk_steps import check_follow_up
    from .staff import read_pin

    desk = desk_of(ctx)
    if bool(leader) == bool(supervisor):
        raise ValidationError(_("Give either --leader NAME or --supervisor NAME."), "level")
    clerk = default_clerk(desk, by)
    if leader:
        record = check_follow_up(desk, ticket_no, "leader", leader, clerk, comment=comment)
    else:
        assert supervisor is not None
        record = check_follow_up(desk, ticket_no, "supervisor", supervisor, clerk,
                                 pin=read_pin(pin_stdin, _("PIN: ")), comment=comment)
    _done(record)


@app.command("materials", help=_(
    "Parts used on a free job, recorded without charge (NAME=PRICE or NAME=PRICExQTY, the "
    "purchase price); they count in the month's materials used."))
def materials(ctx: typer.Context, ticket_no: str = typer.Argument(..., metavar="NO"),
              parts: list[str] = typer.Argument(..., metavar="NAME=PRICE[xQTY]..."),
              by: Optional[str] = BY, at: Optional[str] = AT, note: str = NOTE) -> None:
    from ..services.desk_steps import record_materials
    from ..services.fees import parse_material

    desk = desk_of(ctx)
    used = [parse_material(p) for p in parts]
    _done(record_materials(desk, ticket_no, used, default_clerk(desk, by), note=note, at=at))
