"""`repairdesk ticket charge|assess|owner-decision|chase|report` and `repairdesk fees`: paid
work and the owner's answer to its fee, chasing a job (a person, or an order not yet returned)
and the technician's report."""

from __future__ import annotations

from typing import Any, Optional

import typer

from ..i18n import _
from .common import default_clerk, desk_of, out


def _bill_lines(desk: Any, bill: Any) -> list[str]:
    from .. import fmt
    from ..domain.fees import LineKind

    lines = []
    for ln in bill.lines:
        qty = fmt.number(ln.qty)
        text = f"{ln.name}\t{qty}{ln.unit}\tx {fmt.money(ln.unit_price)}\t= {fmt.money(ln.amount)}"
        if ln.kind is LineKind.OFF_LIST and ln.purchase_price is not None:
            text += "\t" + _("(purchase price {price})").format(price=fmt.money(ln.purchase_price))
        if ln.included_in:
            item = desk.config.fees.find(ln.included_in)
            text += "\t" + _("(included in {item})").format(
                item=item.name if item else ln.included_in)
        lines.append(text)
    lines.append(_("Total: {total}").format(total=fmt.money(bill.total)))
    return lines


def charge(ctx: typer.Context, ticket_no: str = typer.Argument(..., metavar="NO"),
           item: list[str] = typer.Option([], "--item", help=_(
               "A paid item from the fee schedule: KEY, KEY=QTY or KEY=QTY@HH:MM (repeatable).")),
           material: list[str] = typer.Option([], "--material", help=_(
               "A part: NAME=PRICE or NAME=PRICExQTY, PRICE being the purchase price "
               "(repeatable).")),
           agreed: bool = typer.Option(False, "--agreed", help=_(
               "The owner agreed to the quote.")),
           quote_only: bool = typer.Option(False, "--quote", help=_(
               "Only show the quote; record nothing.")),
           by: Optional[str] = typer.Option(None, "--by", help=_(
               "The clerk recording this (default: the clerk on duty).")),
           at: Optional[str] = typer.Option(None, "--at", help=_(
               "When it happened, if not now (e.g. 14:05).")),
           note: str = typer.Option("", "--note", help=_("A note for the history."))) -> None:
    from ..domain.timeparse import parse_local
    from ..services import fees

    desk = desk_of(ctx)
    when = parse_local(at, desk.config.tz, desk.now(), "at") if at else desk.now()
    items = [fees.parse_item(desk, text, when) for text in item]
    materials = [fees.parse_material(text) for text in material]
    if quote_only:
        for line in _bill_lines(desk, fees.quote(desk, ticket_no, items, materials)):
            out(line)
        return
    record = fees.charge_ticket(desk, ticket_no, items, materials, agreed,
                                default_clerk(desk, by), note=note, at=when)
    bill = fees.latest_bill(record)
    assert bill is not None
    for line in _bill_lines(desk, bill):
        out(line)
    out(f"{record.ticket_no}\t{record.status.label}")


def assess(ctx: typer.Context, ticket_no: str = typer.Argument(..., metavar="NO"),
           fee: str = typer.Option(..., "--fee", help=_("The assessed fee in yuan.")),
           leader: Optional[str] = typer.Option(None, "--leader", help=_(
               "The team leader who assessed it (default: --by).")),
           not_feasible: bool = typer.Option(False, "--not-feasible", help=_(
               "The job cannot be done.")),
           by: Optional[str] = typer.Option(None, "--by", help=_(
               "Who records it; also the assessor unless --leader is given.")),
           at: Optional[str] = typer.Option(None, "--at", help=_(
               "When it happened, if not now (e.g. 14:05).")),
           note: str = typer.Option("", "--note", help=_("A note for the history."))) -> None:
    from ..services.fees import assess_ticket

    desk = desk_of(ctx)
    clerk = default_clerk(desk, by)
    record = assess_ticket(desk, ticket_no, fee, leader or clerk, clerk,
                           feasible=not not_feasible, note=note, at=at)
    out(f"{record.ticket_no}\t{record.status.label}")


_ANSWERS = {"agree": True, "agreed": True, "yes": True, "同意": True,
            "decline": False, "declined": False, "no": False, "不同意": False}


def owner_decision(ctx: typer.Context, ticket_no: str = typer.Argument(..., metavar="NO"),
                   answer: str = typer.Argument(..., metavar="agree|decline", help=_(
                       "agree: the job goes on as paid work at that fee; decline: the job "
                       "ends without work.")),
                   reason: str = typer.Option("", "--reason", help=_(
                       "Why the owner declined (required for decline), or a note.")),
                   fee: Optional[str] = typer.Option(None, "--fee", help=_(
                       "Paid work quoted on site: the fee the owner answered (an assessed "
                       "job answers the assessed fee).")),
                   by: Optional[str] = typer.Option(None, "--by", help=_(
                       "The clerk recording this (default: the clerk on duty).")),
                   at: Optional[str] = typer.Option(None, "--at", help=_(
                       "When it happened, if not now (e.g. 14:05)."))) -> None:
    from ..errors import ValidationError
    from ..services.fees import decide_ticket

    agreed = _ANSWERS.get(answer.strip().lower())
    if agreed is None:
        raise ValidationError(_("Answer agree or decline, not {answer!r}.").format(
            answer=answer), "answer")
    desk = desk_of(ctx)
    record = decide_ticket(desk, ticket_no, agreed, default_clerk(desk, by), reason=reason,
                           fee=fee, at=at)
    out(f"{record.ticket_no}\t{record.status.label}")


def chase(ctx: typer.Context, ticket_no: str = typer.Argument(..., metavar="NO"),
          who: Optional[str] = typer.Option(None, "--who", help=_(
              "Whom the desk chased about the job (default: the technician sent).")),
          note: Optional[str] = typer.Option(None, "--note", help=_(
              "What was said when chasing (with --who, or alone).")),
          reason: Optional[str] = typer.Option(None, "--reason", help=_(
              "Why the order is not back at the desk (with --expect).")),
          expect: Optional[str] = typer.Option(None, "--expect", help=_(
              "When it is expected back (e.g. 17:00 or 2026-11-23 10:00).")),
          by: Optional[str] = typer.Option(None, "--by", help=_(
              "The clerk recording this (default: the clerk on duty)."))) -> None:
    from ..errors import ValidationError

    desk = desk_of(ctx)
    if reason is not None or expect is not None:
        if who is not None or note is not None or reason is None or expect is None:
            raise ValidationError(_("Chase an order not back with --reason and --expect, or a "
                                    "person with --note (and --who); not both."), "reason")
        from ..services.daily import chase_return

        record = chase_return(desk, ticket_no, reason, expect, default_clerk(desk, by))
    else:
        from ..services.chases import chase_ticket

        if note is None:
            raise ValidationError(_("What was said? Give --note (and --who), or --reason and "
                                    "--expect for an order not back yet."), "note")
        record = chase_ticket(desk, ticket_no, note, default_clerk(desk, by), whom=who or "")
    out(f"{record.ticket_no}\t{record.status.label}")


def report(ctx: typer.Context, ticket_no: str = typer.Argument(..., metavar="NO"),
           note: str = typer.Option(..., "--note", help=_("What the technician reported.")),
           tech: Optional[str] = typer.Option(None, "--tech", help=_(
               "Whose report (default: the technician sent).")),
           by: Optional[str] = typer.Option(None, "--by", help=_(
               "Who records it: the clerk on duty (default), or the technician himself.")),
           at: Optional[str] = typer.Option(None, "--at", help=_(
               "When it happened, if not now (e.g. 14:05)."))) -> None:
    from ..services.chases import report_ticket

    desk = desk_of(ctx)
    record = report_ticket(desk, ticket_no, note, default_clerk(desk, by), technician=tech or "",
                           at=at)
    out(f"{record.ticket_no}\t{record.status.label}")


def fee_schedule(ctx: typer.Context) -> None:
    from .. import fmt
    from ..i18n import current_language

    desk = desk_of(ctx)
    english = current_language() == "en"
    schedule = desk.config.fees
    for item in schedule.items:
        kind = _("part") if item.kind.value == "material" else _("service")
        out(f"{item.key}\t{item.label(english)}\t{fmt.money(item.price)}/"
            f"{item.unit_label(english)}\t{kind}")
    out(_("Parts not listed: purchase price + {pct}, rounded to {step} yuan.").format(
        pct=fmt.percent(schedule.markup, 0), step=schedule.step))
    out(_("Several items within {n} minutes: charged once, at the highest rate.").format(
        n=schedule.bundle_minutes))


def show_fees(desk: Any, record: Any, data: dict[str, Any]) -> None:
    """`ticket show --json`: the bill in force and the team leader's assessment, if any."""
    from ..services.fees import latest_assessment, latest_bill, latest_decision

    bill = latest_bill(record)
    if bill is not None:
        data["charges"] = {
            "total": str(bill.total), "agreed": bill.agreed,
            "lines": [{k: v for k, v in ln.to_data().items() if k != "at"}
                      for ln in bill.lines]}
    assessment = latest_assessment(record)
    if assessment is not None:
        data["assessment"] = {"fee": str(assessment.fee), "leader": assessment.leader,
                              "feasible": assessment.feasible}
    decision = latest_decision(record)
    if decision is not None:
        data["owner_decision"] = {
            "agreed": decision.agreed, "reason": decision.reason,
            "fee": str(decision.fee) if decision.fee is not None else None}


def register(root: typer.Typer, tickets: typer.Typer) -> None:
    from .tickets import SHOW_HOOKS

    if show_fees not in SHOW_HOOKS:
        SHOW_HOOKS.append(show_fees)
    tickets.command("charge", help=_(
        "Record paid items, parts and the owner's agreement to the quote."))(charge)
    tickets.command("assess", help=_(
        "The team leader's fee assessment of an out-of-scope job."))(assess)
    tickets.command("owner-decision", help=_(
        "The owner's answer to the assessed or quoted fee: agree, or decline (the job ends "
        "without work)."))(owner_decision)
    tickets.command("chase", help=_(
        "Chase a job: whom the desk called and what was said (--who, --note), or why its "
        "order is not back yet and when it is expected (--reason, --expect)."))(chase)
    tickets.command("report", help=_(
        "The technician's report, taken by the desk (stops the feedback clock)."))(report)
    root.command("fees", help=_("The fee schedule for paid work."))(fee_schedule)
