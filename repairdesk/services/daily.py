"""The daily check (003 4.10(4)): the work orders issued on a duty day that are not back at the
desk, why, and when they are expected back; and the repeat reports of the last days (001 篇1 7).

The clerk records the reason and the expected return with `chase_return` (a note on the ticket
with structured data); without one, the report says what the ticket's state implies and takes
the completion deadline of the SLA engine as the expected return."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import col, select

from ..domain import validation as v
from ..domain.enums import Action, Status
from ..domain.paid_work import awaiting_owner
from ..domain.shifts import duty_day, duty_day_bounds
from ..domain.stats import DayReport, OutstandingRow, RepeatRow
from ..domain.text import clean_text
from ..domain.ticket import TicketRecord
from ..domain.timeparse import parse_local
from ..errors import ValidationError
from ..i18n import N_, _
from ..store.tables import Ticket
from .desk import Desk
from .desk_steps import follow_ups_due
from .signoff import NOT_RETURNED  # the same "not back at the desk" as the morning review
from .ticket_records import records_of
from .ticket_steps import Step, record_step

RETURNED = (Status.RETURNED, Status.CALLBACK, Status.CLOSED)

# what a state implies when nobody has recorded a reason
_IMPLIED = {
    Status.REGISTERED: N_("not dispatched yet"),
    Status.DISPATCHED: N_("dispatched, not accepted yet"),
    Status.ACCEPTED: N_("accepted, technician not on site yet"),
    Status.ON_SITE: N_("technician on site, job not finished"),
    Status.COMPLETED: N_("job done, order not back at the desk"),
    Status.PAUSED: N_("waiting for parts or the owner"),
}


def today(desk: Desk) -> date:
    """The current duty day (it starts at 08:30 by default)."""
    return duty_day(desk.now(), desk.config.tz, desk.config.duty_day_start)


def parse_day(desk: Desk, raw: str | None) -> date:
    """YYYY-MM-DD, or 'today' / 'yesterday'; empty means the current duty day."""
    text = clean_text(raw or "").lower()
    if text in ("", "today", "今天"):
        return today(desk)
    if text in ("yesterday", "昨天"):
        return today(desk) - timedelta(days=1)
    try:
        return date.fromisoformat(text.replace("/", "-"))
    except ValueError:
        raise ValidationError(_("Date must look like YYYY-MM-DD: {value}").format(
            value=text), "date") from None


def chase_return(desk: Desk, ticket_no: str, reason: str, expected: str | datetime,
                 by: str) -> TicketRecord:
    """问清原因及回单日期: why an order is not back yet and when it is expected (003 4.10(4))."""
    text = v.validate_reason(reason)
    now = desk.now()
    when = expected if isinstance(expected, datetime) else parse_local(
        expected, desk.config.tz, now, "expected")
    if when < now:
        raise ValidationError(_("The expected return cannot be in the past."), "expected")
    return record_step(desk, ticket_no, Action.NOTE, by, note=text,
                       step=Step({"chase_reason": text, "expected_at": when}))


def _outstanding(desk: Desk, record: TicketRecord, day_end: datetime) -> OutstandingRow:
    reason, expected = "", None
    for event in reversed(record.events):
        if event.action is Action.NOTE and "chase_reason" in event.data:
            reason, expected = event.data["chase_reason"], event.data.get("expected_at")
            break
    if not reason and awaiting_owner(record):
        reason = _("the owner has not answered the assessed fee yet")
    if not reason:
        reason = _(_IMPLIED[record.status])
        for event in reversed(record.events):
            if event.action in (Action.PAUSE, Action.FOLLOW_UP) and event.note:
                reason = f"{reason}: {event.note}"
                break
    if expected is None:
        expected = _expected(desk, record, day_end)
    return OutstandingRow(record.ticket_no, record.intake.received_at, record.intake.room,
                          record.intake.category, record.status.value,
                          record.state.technician, reason, expected)


def _expected(desk: Desk, record: TicketRecord, day_end: datetime) -> datetime | None:
    """The completion deadline (SLA engine) for unfinished work; a finished job's paper is
    due back by the end of the duty day."""
    if record.status is Status.COMPLETED:
        return day_end
    from ..domain.sla import evaluate

    for clock in evaluate(record, desk.now(), desk.config.sla, desk.config.tz):
        if clock.name.value == "complete":
            return clock.due_at
    return None


def day_report(desk: Desk, day: date | None = None) -> DayReport:
    """The duty day's issued orders not yet returned, and the repeat reports of the last
    `repeat_window_days` days up to that day's end."""
    day = day or today(desk)
    cfg = desk.config
    start, end = duty_day_bounds(day, cfg.tz, cfg.duty_day_start)
    site = cfg.site_code
    since = end - timedelta(days=cfg.repeat_window_days)
    with desk.store.read() as session:
        issued = list(session.exec(select(Ticket.status).where(
            Ticket.site == site, Ticket.registered_at >= start, Ticket.registered_at < end)))
        open_rows = list(session.exec(select(Ticket).where(
            Ticket.site == site, Ticket.registered_at >= start, Ticket.registered_at < end,
            col(Ticket.status).in_([s.value for s in NOT_RETURNED])).order_by(col(Ticket.id))))
        records = records_of(session, open_rows)
        repeats = list(session.exec(select(Ticket).where(
            Ticket.site == site, Ticket.registered_at >= since, Ticket.registered_at < end,
            col(Ticket.repeat_of).is_not(None), Ticket.status != Status.VOIDED.value)
            .order_by(col(Ticket.id))))
    return DayReport(
        day=day, issued=len(issued),
        returned=sum(1 for s in issued if Status(s) in RETURNED),
        voided=sum(1 for s in issued if s == Status.VOIDED.value),
        outstanding=tuple(_outstanding(desk, r, end) for r in records),
        repeats=tuple(RepeatRow(t.ticket_no, t.received_at, t.room, t.category,
                                t.repeat_of or "", t.content) for t in repeats),
        repeat_days=cfg.repeat_window_days,
        follow_ups=tuple(follow_ups_due(desk, min(desk.now(), end))),
    )
