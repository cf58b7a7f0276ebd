"""Event data as stored: JSON text, datetimes as ISO strings in keys ending `_at`. No database
library here: the desk's first board (services/first_board.py) reads events before SQLAlchemy
is loaded (issue 18); types.JSONText stores and reads through these."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any


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


def load_json_list(texts: list[str]) -> list[dict[str, Any]]:
    """load_json of each text, parsed as one JSON array (a reader of thousands of events)."""
    return json.loads("[" + ",".join(texts) + "]", object_hook=_revive) if texts else []

