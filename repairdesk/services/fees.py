"""Paid work: the team leader's fee assessment (ASSESS), the owner's answer to it
(OWNER_DECISION) and the charges recorded on a job (CHARGE). All are events on the ticket; a
later CHARGE replaces the bill of an earlier one, and all stay in the history."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

from ..domain import validation as v
from ..domain.enums import Action, Role, ServiceType
from ..domain.fees import (  # the readers are re-exported: callers know them from here
    Assessment, Bill, ItemUse, MaterialUse, latest_assessment, latest_bill, make_bill,
    parse_money, parse_qty,
)
from ..domain.paid_work import Decision, awaiting_owner, latest_decision, quote_in_force
from ..domain.text import clean_text
from ..domain.ticket import TicketRecord
from ..domain.timeparse import parse_local
from ..errors import ValidationError
from ..i18n import _
from ..store.tables import Staff
from .desk import Desk
from .staff import find_staff
from .ticket_records import get_ticket
from .ticket_steps import Step, record_step

__all__ = ["ASSESSORS", "Assessment", "Decision", "assess_ticket", "charge_ticket",
           "decide_ticket", "latest_assessment", "latest_bill", "latest_decision", "parse_item",
           "parse_material", "quote"]

ASSESSORS = (Role.TEAM_LEADER, Role.SUPERVISOR, Role.MANAGER)


def _leader(desk: Desk, name: str) -> Staff:
    with desk.store.read() as session:
        row = find_staff(session, clean_text(name))
    if row is None:
        raise ValidationError(_("No staff member named {name}.").format(name=name), "leader")
    if not row.active:
        raise ValidationError(_("{name} is not active.").format(name=row.name), "leader")
    if Role(row.role) not in ASSESSORS:
        raise ValidationError(
            _("{name} is a {role}; the fee assessment is the team leader's.").format(
                name=row.name, role=Role(row.role).label), "leader")
    return row


def assess_ticket(desk: Desk, ticket_no: str, fee: str | Decimal, leader: str, by: str, *,
                  feasible: bool = True, note: str = "",
                  at: str | datetime | None = None) -> TicketRecord:
    """评审: the team leader's fee (and whether the job can be done) for an out-of-scope item."""
    record = get_ticket(desk, ticket_no)
    if record.intake.service_type is not ServiceType.ASSESS:
        raise ValidationError(
            _("Ticket {no} is {kind}: only out-of-scope jobs get a fee assessment.").format(
                no=record.ticket_no, kind=record.intake.service_type.label), "service_type")
    amount = parse_money(fee, "fee")
    who = _leader(desk, leader)
    text = v.validate_note(note)
    return record_step(desk, ticket_no, Action.ASSESS, by, note=text, at=at, step=Step(
        {"fee": str(amount), "leader": who.name, "feasible": feasible}))


def decide_ticket(desk: Desk, ticket_no: str, agreed: bool, by: str, *, reason: str = "",
                  fee: str | Decimal | None = None,
                  at: str | datetime | None = None) -> TicketRecord:
    """The owner's answer to the team leader's assessed fee (000 十A), or to the quote given on
    site for paid work (十B). Agreed: the job goes on as paid work at that fee. Declined (a
    reason is required): the job ends without work, closed as declined; its clocks not decided
    by then no longer apply. The wait for the answer is not counted (domain/sla.py)."""
    record = get_ticket(desk, ticket_no)
    kind = record.intake.service_type
    no = record.ticket_no
    text = v.validate_note(reason) if agreed else v.validate_reason(reason)
    if kind is ServiceType.FREE:
        raise ValidationError(
            _("Ticket {no} is routine (free) work: there is no fee for the owner to answer. "
              "Amend its service type first.").format(no=no), "service_type")
    data: dict[str, object] = {"agreed": agreed}
    amount = parse_money(fee, "fee") if fee not in (None, "") else None
    if kind is ServiceType.ASSESS:
        assessment = latest_assessment(record)
        if assessment is None:
            raise ValidationError(
                _("Ticket {no} has no fee assessment yet: the team leader assesses it "
                  "first.").format(no=no), "assess")
        if not awaiting_owner(record):
            raise ValidationError(
                _("The owner has already answered the assessment of ticket {no}; a new fee "
                  "needs a new assessment.").format(no=no), "assess")
        if agreed and not assessment.feasible:
            raise ValidationError(
                _("The team leader assessed ticket {no} as not feasible: the owner cannot "
                  "agree to it; record that the job ends (decline).").format(no=no), "agreed")
        if amount is not None and amount != assessment.fee:
            raise ValidationError(
                _("The assessed fee of ticket {no} is {fee}; a different fee needs a new "
                  "assessment.").format(no=no, fee=assessment.fee), "fee")
        amount = assessment.fee
        data["leader"] = assessment.leader
    elif amount is None:
        amount = quote_in_force(record)
        if agreed and amount is None:
            raise ValidationError(
                _("Give the fee the owner agreed to (--fee)."), "fee")
    if amount is not None:
        data["fee"] = str(amount)
    if not agreed:
        data["reason"] = text
    elif not text:
        text = _("Owner agreed to the fee of {fee}.").format(fee=amount)
    return record_step(desk, ticket_no, Action.OWNER_DECISION, by, note=text, at=at,
                       step=Step(data))


_ITEM = re.compile(r"^\s*([^=@]+?)\s*(?:=\s*([0-9.]+))?\s*(?:@\s*(.+?))?\s*$")
_MATERIAL = re.compile(r"^\s*(.+?)\s*=\s*[¥]?\s*([0-9.]+)\s*(?:[x×*]\s*([0-9.]+))?\s*$")


def parse_item(desk: Desk, text: str, default_at: datetime) -> ItemUse:
    """`KEY`, `KEY=QTY` or `KEY=QTY@14:05` (the time the item was done, for the 30-minute rule)."""
    m = _ITEM.match(clean_text(text))
    if not m:
        raise ValidationError(_("Item must look like KEY=QTY or KEY=QTY@HH:MM: {text}").format(
            text=clean_text(text)), "item")
    key, qty, when = m.groups()
    item = desk.config.fees.require(key)
    at = parse_local(when, desk.config.tz, desk.now(), "item") if when else default_at
    return ItemUse(item.key, parse_qty(qty or "1", "item"), at)


def parse_material(text: str) -> MaterialUse:
    """`NAME=PRICE` or `NAME=PRICExQTY`: the part and its purchase price per unit."""
    m = _MATERIAL.match(clean_text(text))
    if not m:
        raise ValidationError(
            _("Material must look like NAME=PRICE or NAME=PRICExQTY: {text}").format(
                text=clean_text(text)), "material")
    name, price, qty = m.groups()
    if len(name) > v.NAME_MAX:
        raise ValidationError(_("Material name is too long."), "material")
    return MaterialUse(name, parse_money(price, "material"), parse_qty(qty or "1", "material"))


def quote(desk: Desk, ticket_no: str, items: list[ItemUse], materials: list[MaterialUse],
          *, agreed: bool = False) -> Bill:
    """The bill these items and parts would make on this ticket, without recording it."""
    record = get_ticket(desk, ticket_no)
    assessed = None
    if record.intake.service_type is ServiceType.FREE:
        raise ValidationError(
            _("Ticket {no} is routine (free) work: nothing is charged. Amend its service type "
              "to paid first.").format(no=record.ticket_no), "service_type")
    if record.intake.service_type is ServiceType.ASSESS:
        assessment = latest_assessment(record)
        if assessment is None:
            raise ValidationError(
                _("Ticket {no} needs the team leader's fee assessment before charging.").format(
                    no=record.ticket_no), "assess")
        if not assessment.feasible:
            raise ValidationError(
                _("The team leader assessed ticket {no} as not feasible: nothing to charge.")
                .format(no=record.ticket_no), "assess")
        assessed = assessment.fee
    return make_bill(items, materials, desk.config.fees, agreed=agreed, assessed_fee=assessed)


def charge_ticket(desk: Desk, ticket_no: str, items: list[ItemUse],
                  materials: list[MaterialUse], agreed: bool, by: str, *, note: str = "",
                  at: str | datetime | None = None) -> TicketRecord:
    """Record the paid items, parts and the owner's agreement to the quote (004)."""
    if not agreed:
        raise ValidationError(
            _("Paid work needs the owner's agreement to the quote first (--agreed)."), "agreed")
    bill = quote(desk, ticket_no, items, materials, agreed=True)
    return record_step(desk, ticket_no, Action.CHARGE, by, note=note, at=at,
                       step=Step(bill.to_data()))
