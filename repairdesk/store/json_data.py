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


# A register step's intake is stored as a list of its values in this order (issue 18, book
# size: the fourteen key names were half the step). Fixed for ever: an intake with other keys
# (a later field) keeps the object form, which reads as before, as do the steps of older books.
INTAKE_ORDER = ("appointment_at", "caller", "category", "channel", "content", "owner_parts",
                "phone", "received_at", "room", "scope", "service_type", "urgency", "vacant",
                "verify_code")
_INTAKE_KEYS = frozenset(INTAKE_ORDER)


def dump_event_data(data: dict[str, Any] | None) -> str:
    """A ticket event's data as stored: compact JSON, a full intake as a list (INTAKE_ORDER).
    Reads back through load_json as the dict it was."""
    intake = data.get("intake") if data else None
    if isinstance(intake, dict) and intake.keys() == _INTAKE_KEYS:
        data = {**data, "intake": [intake[k] for k in INTAKE_ORDER]}
    return json.dumps(data or {}, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=_default)


class _IntakeKeys:
    """Holds an intake's values as attributes for a moment: its __dict__ is an ordinary dict
    whose key table (INTAKE_ORDER) is one for all of them, under half the memory of a dict of
    its own (issue 18: the desk keeps every board ticket's register step). Changing one such
    dict (a key added) gives it a table of its own; no other dict sees the change."""


def _intake_dict(values: list[Any]) -> dict[str, Any]:
    holder = _IntakeKeys()
    for key, value in zip(INTAKE_ORDER, values):
        setattr(holder, key, value)
    return holder.__dict__


def expand(obj: dict[str, Any]) -> dict[str, Any]:
    """An event's data as parsed (json.loads) with a list-form intake back as its dict."""
    intake = obj.get("intake")
    if isinstance(intake, list) and len(intake) == len(INTAKE_ORDER):
        obj["intake"] = _intake_dict(intake)
    return obj


def _revive(obj: dict[str, Any]) -> dict[str, Any]:
    if "intake" in obj and isinstance(obj["intake"], list):
        obj["intake"] = _revive(expand(obj)["intake"])
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

