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
from ..domain.ticket import EMPTY_DATA, Event, Intake, TicketRecord, fold

# Words the desk's records repeat thousands of times (issue 18: staff names in every step's
# `by`, the technician, the category, a step's result, reason and stock note): one string
# object for each. Strings cannot change, so sharing them changes nothing a reader sees.
# Bounded: a book with unusual data stops adding words, it does not grow without end.
_WORDS: dict[str, str] = {}
_WORDS_MAX = 20_000
_WORD_LEN = 40  # longer texts (a ticket's content) are seldom repeated word for word


def word(value: Any) -> Any:
    """The one shared object for a short string equal to `value`; other values as they are."""
    if type(value) is not str or len(value) > _WORD_LEN:
        return value
    got = _WORDS.get(value)
    if got is not None:
        return got
    if len(_WORDS) < _WORDS_MAX:
        _WORDS[value] = value
    return value


def event_of(row: Any, private: bool = False) -> Event:
    """A step from its row. `private`: the row's data dict was decoded for this read alone
    (plain rows, not ORM objects), so the record keeps it rather than a copy. No data is the
    one shared read-only EMPTY_DATA."""
    data = row.data
    if not data:
        data = EMPTY_DATA
    elif not private:
        data = dict(data)
    else:
        for key, value in data.items():  # a name, a result: short texts (word)
            if type(value) is str:
                data[key] = word(value)
    return Event(at=row.at, action=Action(row.action), by=word(row.by), note=word(row.note),
                 data=data, seq=row.seq)


def intake_of(row: Any, received_at: datetime | None = None) -> Intake:
    """The row's intake; `received_at`: the same time as the row's, an object already held."""
    return Intake(
        received_at=received_at or row.received_at, room=row.room, caller=row.caller,
        content=row.content, phone=row.phone, scope=Scope(row.scope), category=word(row.category),
        urgency=Urgency(row.urgency), appointment_at=row.appointment_at,
        channel=Channel(row.channel), service_type=ServiceType(row.service_type),
        owner_parts=row.owner_parts, verify_code=row.verify_code,
    )


def _same(value: Any, kept: Any) -> Any:
    """`kept` where it is the same value as `value` (same type, equal, same time zone for a
    time: what a reader prints is the same), else `value`."""
    if type(value) is not type(kept) or value != kept:
        return value
    if isinstance(value, datetime) and value.tzinfo is not kept.tzinfo:
        return value
    return kept


# the register step's intake: values the row holds too (texts, times), and words (enum values)
_INTAKE_SAME = ("room", "caller", "content", "phone", "category", "verify_code", "received_at",
                "appointment_at")
_INTAKE_WORDS = ("scope", "urgency", "channel", "service_type")


def _share_intake(data: dict[str, Any], intake: Intake) -> None:
    """The register step's intake (a private dict) holding the row's own objects where the
    values are the same: the texts and times are not kept twice (issue 18)."""
    held = data.get("intake")
    if not isinstance(held, dict):
        return
    for key in _INTAKE_SAME:
        value = held.get(key)
        if value is not None:
            held[key] = _same(value, getattr(intake, key))
    for key in _INTAKE_WORDS:
        if key in held:
            held[key] = word(held[key])


def record_of(row: Any, events: list[Any], private: bool = False) -> TicketRecord:
    """A ticket's record from its row and its event rows. `private`: the rows were read for
    this record alone (plain rows whose data dicts no one else holds): the record keeps their
    data and shares equal values with the row's (event_of)."""
    evs = tuple(event_of(e, private) for e in sorted(events, key=lambda e: e.seq))
    registered_at = row.registered_at
    if private and evs:  # one object for the times that are the same (most registrations)
        first = evs[0]
        registered_at = _same(registered_at, first.at)
        intake = intake_of(row, _same(row.received_at, registered_at))
        if first.action is Action.REGISTER and first.data is not EMPTY_DATA:
            _share_intake(first.data, intake)
    else:
        intake = intake_of(row)
    state = fold(list(evs))
    if state.vacant:  # 空房 lives in the events (registered or amended), not in the row
        intake = replace(intake, vacant=True)
    return TicketRecord(
        ticket_no=row.ticket_no, intake=intake, state=state, events=evs,
        registered_at=registered_at, registered_by=word(row.registered_by),
        repeat_of=row.repeat_of,
    )


def day_start(config: Any, at: datetime) -> datetime:
    """The start (UTC) of the duty day containing `at`: 08:30 local by default (001 篇5)."""
    local = at.astimezone(config.tz)
    start = local.replace(hour=config.duty_day_start.hour, minute=config.duty_day_start.minute,
                          second=0, microsecond=0)
    if local < start:
        start -= timedelta(days=1)
    return start.astimezone(timezone.utc)
