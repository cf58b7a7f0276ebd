"""A ticket's record built from its row and its event rows: any objects carrying the columns as
attributes: ORM rows and SQLAlchemy Core rows (ticket_records.py), the first board's sqlite3
rows (first_board.py). No database library is imported here, so the desk can list its board
before SQLAlchemy is loaded (issue 18); tests/tui/test_first_board.py holds the two reads to
the same records."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

from ..domain.enums import Action, Channel, Scope, ServiceType, Urgency
from ..domain.ticket import Event, Intake, TicketRecord, fold


def event_of(row: Any) -> Event:
    return Event(at=row.at, action=Action(row.action), by=row.by, note=row.note,
                 data=dict(row.data), seq=row.seq)


def intake_of(row: Any) -> Intake:
    return Intake(
        received_at=row.received_at, room=row.room, caller=row.caller, content=row.content,
        phone=row.phone, scope=Scope(row.scope), category=row.category,
        urgency=Urgency(row.urgency), appointment_at=row.appointment_at,
        channel=Channel(row.channel), service_type=ServiceType(row.service_type),
        owner_parts=row.owner_parts, verify_code=row.verify_code,
    )


def record_of(row: Any, events: list[Any]) -> TicketRecord:
    evs = tuple(event_of(e) for e in sorted(events, key=lambda e: e.seq))
    state = fold(list(evs))
    intake = intake_of(row)
    if state.vacant:  # 空房 lives in the events (registered or amended), not in the row
        intake = replace(intake, vacant=True)
    return TicketRecord(
        ticket_no=row.ticket_no, intake=intake, state=state, events=evs,
        registered_at=row.registered_at, registered_by=row.registered_by, repeat_of=row.repeat_of,
    )


def day_start(config: Any, at: datetime) -> datetime:
    """The start (UTC) of the duty day containing `at`: 08:30 local by default (001 篇5)."""
    local = at.astimezone(config.tz)
    start = local.replace(hour=config.duty_day_start.hour, minute=config.duty_day_start.minute,
                          second=0, microsecond=0)
    if local < start:
        start -= timedelta(days=1)
    return start.astimezone(timezone.utc)
