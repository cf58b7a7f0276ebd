"""Column types: aware UTC datetimes in and out, JSON text for structured event data."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import BigInteger, DateTime, SmallInteger, String, Text
from sqlalchemy.types import TypeDecorator

from .action_codes import code_of, name_of
from .json_data import dump_event_data, dump_json, load_json
from .stamps import event_time, to_micros

__all__ = ["ActionCode", "EventJSON", "EventTime", "JSONText", "RecordedLag", "UTCDateTime",
           "dump_json", "load_json"]


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC; always returns aware UTC datetimes."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: store aware UTC")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class EventTime(TypeDecorator):
    """A ticket event's time: aware UTC in and out; a SQLite book stores it as an integer of
    microseconds (store/stamps.py), PostgreSQL as its timestamp."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Any) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: store aware UTC")
        if dialect.name == "sqlite":
            return to_micros(value)
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: Any, dialect: Any) -> datetime | None:
        return None if value is None else event_time(value)


class RecordedLag(EventTime):
    """When a ticket event was written (`recorded_at`): aware UTC on PostgreSQL as `at` is; a
    SQLite book stores how many microseconds it came after the event's `at` — 0, no bytes, for
    nearly every step (issue 18, book size; migration 0013). A type sees one column, so the
    lag is taken as the row is inserted and added back as it is loaded (store/event_lag.py);
    here a SQLite book's value is that timedelta. Stored as EventTime is (an integer on
    SQLite)."""

    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        if dialect.name == "sqlite":
            if not isinstance(value, timedelta):
                raise ValueError("a SQLite book stores an event's recorded_at as its lag "
                                 "after `at` (store/event_lag.py)")
            return value // timedelta(microseconds=1)
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: store aware UTC")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        if dialect.name == "sqlite" and isinstance(value, int):
            return timedelta(microseconds=value)
        return event_time(value)


class ActionCode(TypeDecorator):
    """A ticket event's action: its name in and out; a SQLite book stores its code
    (store/action_codes.py; migration 0013), PostgreSQL its name."""

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(SmallInteger())
        return dialect.type_descriptor(String())

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return code_of(value)
        code_of(value)  # a name without a code is refused on either database
        return str(value)

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return name_of(value) if dialect.name == "sqlite" else str(value)


class JSONText(TypeDecorator):
    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str:
        return dump_json(value)

    def process_result_value(self, value: str | None, dialect: Any) -> dict[str, Any]:
        return load_json(value)


class EventJSON(JSONText):
    """A ticket event's data: compact, a register step's intake as a list (json_data.py)."""

    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str:
        text = dump_event_data(value)
        # no data, as most arrive and return steps, is no bytes on SQLite (migration 0013)
        return "" if text == "{}" and dialect.name == "sqlite" else text
