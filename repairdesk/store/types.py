"""Column types: aware UTC datetimes in and out, JSON text for structured event data."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import DateTime, Text
from sqlalchemy.types import TypeDecorator


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


def _default(obj: Any) -> Any:
    if isinstance(obj, datetime):
        return obj.astimezone(timezone.utc).isoformat()
    if hasattr(obj, "value"):
        return obj.value
    return str(obj)


def dump_json(data: dict[str, Any] | None) -> str:
    return json.dumps(data or {}, ensure_ascii=False, sort_keys=True, default=_default)


def _revive(obj: dict[str, Any]) -> dict[str, Any]:
    for k, v in obj.items():
        if k.endswith("_at") and isinstance(v, str):
            obj[k] = datetime.fromisoformat(v)
    return obj


def load_json(text: str | None) -> dict[str, Any]:
    """Parse event data; keys ending in `_at` come back as aware datetimes (in every object,
    however deep: the hook sees each one as the parser builds it)."""
    return json.loads(text, object_hook=_revive) if text else {}


class JSONText(TypeDecorator):
    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str:
        return dump_json(value)

    def process_result_value(self, value: str | None, dialect: Any) -> dict[str, Any]:
        return load_json(value)
