"""`repairdesk ticket charge|assess|chase` and `repairdesk fees`: paid work and the daily chase
of orders not yet returned."""

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
           note: str = typer.Option("", "--note", help=_("A note for the history."))) -> None:
    from ..services.fees import assess_ticket

    desk = desk_of(ctx)
    clerk = default_clerk(desk, by)
    record = assess_ticket(desk, ticket_no, fee, leader or clerk, clerk,
                           feasible=not not_feasible, note=note)
    out(f"{record.ticket_no}\t{record.status.label}")


def chase(ctx: typer.Context, ticket_no: str = typer.Argument(..., metavar="NO"),
          reason: str = typer.Option(..., "--reason", help=_(
              "Why the order is not back at the desk.")),
          expect: str = typer.Option(..., "--expect", help=_(
              "When it is expected back (e.g. 17:00 or 2026-11-23 10:00).")),
          by: Optional[str] = typer.Option(None, "--by", help=_(
              "The clerk recording this (default: the clerk on duty)."))) -> None:
    from ..services.daily import chase_return

    desk = desk_of(ctx)
    record = chase_return(desk, ticket_no, reason, expect, default_clerk(desk, by))
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
    from ..services.fees import latest_assessment, latest_bill

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


def register(root: typer.Typer, tickets: typer.Typer) -> None:
    from .tickets import SHOW_HOOKS

    if show_fees not in SHOW_HOOKS:
        SHOW_HOOKS.append(show_fees)
    tickets.command("charge", help=_(
        "Record paid items, parts and the owner's agreement to the quote."))(charge)
    tickets.command("assess", help=_(
        "The team leader's fee assessment of an out-of-scope job."))(assess)
    tickets.command("chase", help=_(
        "Why an order is not back yet and when it is expected."))(chase)
    root.command("fees", help=_("The fee schedule for paid work."))(fee_schedule)
