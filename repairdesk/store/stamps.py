"""A ticket event's time, and a ticket's own times, as a SQLite book stores them (issue 18, book
size; migrations 0011 and 0012): an integer of microseconds since 1970-01-01 UTC — eight bytes
instead of the 26 characters of SQLAlchemy's DATETIME text, in rows and in the indexes that hold
them. PostgreSQL keeps its own timestamp type. No database library here: the desk's first board reads events with sqlite3
before SQLAlchemy is loaded (services/first_board.py)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# the schema version from which a ticket's own times are integers too (migration 0012)
TICKET_TIMES_SINCE = 12
_US = timedelta(microseconds=1)


def to_micros(value: datetime) -> int:
    """An aware datetime as stored: whole microseconds since the epoch, UTC."""
    return (value - _EPOCH) // _US


def from_micros(n: int) -> datetime:
    return _EPOCH + timedelta(microseconds=n)


def event_time(value: Any) -> datetime:
    """A stored event time (integer; text of a row written before 0011 by another tool; a
    driver's datetime) as an aware UTC datetime."""
    if isinstance(value, int):
        return _EPOCH + timedelta(microseconds=value)
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(
        timezone.utc)


def stored_time(value: Any) -> datetime | None:
    """event_time(), with NULL (a ticket with no appointment) as None."""
    return None if value is None else event_time(value)


# SQLite: a stored DATETIME text ('YYYY-MM-DD HH:MM:SS[.ffffff]') as the integer, in SQL
# (strftime('%s') is in every SQLite, unixepoch() only from 3.38)
def sql_micros(column: str) -> str:
    return (f"(CAST(strftime('%s', {column}) AS INTEGER) * 1000000 + "
            f"CAST(substr({column} || '.000000', 21, 6) AS INTEGER))")
