"""Column types: aware UTC datetimes in and out, JSON text for structured event data."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import BigInteger, DateTime, Text
from sqlalchemy.types import TypeDecorator

from .json_data import dump_event_data, dump_json, load_json
from .stamps import event_time, to_micros

__all__ = ["EventJSON", "EventTime", "JSONText", "UTCDateTime", "dump_json", "load_json"]


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
        return dump_event_data(value)
