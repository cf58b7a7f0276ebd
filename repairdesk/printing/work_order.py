"""What a work order (派工单) carries on paper (domain.md "Work-order printing")."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from ..domain.enums import Action, ServiceType
from ..domain.materials import material_lines
from ..domain.ticket import TicketRecord
from ..domain.validation import mask_phone
from ..fmt import countdown, money, number
from ..i18n import _
from .sheet import Sheet


def _local(dt: datetime | None, tz: ZoneInfo) -> str:
    return dt.astimezone(tz).strftime("%Y-%m-%d %H:%M") if dt else "-"


def reprint_mark(reprint: int) -> str:
    """补打 with its count: the first reprint is 补打（第1次）."""
    return _("Reprint no. {n}").format(n=reprint) if reprint > 0 else ""


def processing_time(record: TicketRecord, tz: ZoneInfo) -> str:
    """处理时间: from the technician's arrival to the completion (the last cycle's); blank
    lines for the technician to fill in while either is still to come."""
    arrived = done = None
    for e in record.events:
        if e.action is Action.ARRIVE:
            arrived, done = e.at, None
        elif e.action is Action.COMPLETE and arrived is not None:
            done = e.at
        elif e.action is Action.REWORK:
            arrived = done = None
    if arrived is None or done is None:
        return _("{start} to {end}").format(start="____", end="____")
    return _("{start} to {end} ({took})").format(
        start=arrived.astimezone(tz).strftime("%m-%d %H:%M"),
        end=done.astimezone(tz).strftime("%H:%M" if arrived.astimezone(tz).date()
                                          == done.astimezone(tz).date() else "%m-%d %H:%M"),
        took=countdown((done - arrived).total_seconds()))


def _materials(record: TicketRecord) -> tuple[str, ...]:
    return tuple(_("{name} x {qty}, {price} each").format(
        name=name, qty=number(qty), price=money(price)) for name, qty, price in
        material_lines(record))


def work_order_sheet(record: TicketRecord, *, site_name: str, tz: ZoneInfo,
                     arrive_by: datetime | None, fee: Decimal | None, reprint: int,
                     printed_at: datetime, job_id: int | None) -> Sheet:
    """The work order of `record`; the phone is masked, the time is the site's."""
    i, s = record.intake, record.state
    paid = i.service_type is not ServiceType.FREE
    if not paid:
        fee_text = "-"
    elif fee is None:
        fee_text = _("to be quoted")
    else:
        fee_text = money(fee)
    dispatched = next((e.at for e in reversed(record.events) if e.action is Action.DISPATCH),
                      None)
    rows = (
        (_("Received"), _local(i.received_at, tz)),
        (_("Dispatched at"), _local(dispatched, tz)),
        (_("Room/place"), f"{i.room}（{i.scope.label}）" + (
            _("(vacant unit: verified before closing)") if s.vacant else "")),
        (_("Category"), i.category),
        (_("Caller"), i.caller),
        (_("Phone"), mask_phone(i.phone) or "-"),
        (_("Urgency"), i.urgency.label),
        (_("Arrive by"), _local(arrive_by, tz)),
        (_("Service"), i.service_type.label),
        (_("Quoted fee"), fee_text),
        (_("Owner supplies parts"), _("yes") if i.owner_parts else _("no")),
        (_("Technician"), s.technician or "-"),
        (_("Processing time"), processing_time(record, tz)),
    )
    return Sheet(
        heading=site_name,
        title=_("Work order"),
        number_label=_("Ticket"),
        number=record.ticket_no,
        rows=rows,
        body_label=_("Content"),
        body=i.content,
        fill_in=(_("Work done"),),
        materials_label=_("Materials (name, spec/model, quantity, unit price)"),
        materials=_materials(record),
        materials_note=_("Materials supplied by the owner") if i.owner_parts else "",
        evaluation=(_("Owner's evaluation"), _("satisfied"), _("fairly satisfied"),
                    _("not satisfied"), _("Owner's signature")),
        signatures=(_("Accepted by"), _("Owner confirmation")),
        time_label=_("Time"),
        mark=reprint_mark(reprint),
        footer=(_("Printed {at}, print job {job}").format(at=_local(printed_at, tz), job=job_id)
                if job_id is not None else _("Printed {at}").format(at=_local(printed_at, tz))),
    )
