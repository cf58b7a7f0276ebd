"""Plain-data views of records for JSON output and exports (phones masked by default)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from ..domain.ticket import TicketRecord
from ..domain.validation import mask_phone


def iso(dt: Any, tz: ZoneInfo) -> str | None:
    return dt.astimezone(tz).isoformat(timespec="seconds") if dt else None


def ticket_dict(record: TicketRecord, tz: ZoneInfo, *, reveal_phone: bool = False) -> dict[str, Any]:
    i, s = record.intake, record.state
    out: dict[str, Any] = {
        "ticket_no": record.ticket_no,
        "status": s.status.value,
        "received_at": iso(i.received_at, tz),
        "registered_at": iso(record.registered_at, tz),
        "registered_by": record.registered_by,
        "room": i.room,
        "building": i.building,
        "caller": i.caller,
        "phone_masked": mask_phone(i.phone),
        "content": i.content,
        "scope": i.scope.value,
        "category": i.category,
        "urgency": i.urgency.value,
        "appointment_at": iso(s.appointment_at, tz),
        "channel": i.channel.value,
        "service_type": i.service_type.value,
        "paid": i.service_type.value == "paid",
        "owner_parts": i.owner_parts,
        "technician": s.technician or None,
        "follow_up": s.follow_up,
        "rework_count": s.rework_count,
        "repeat": record.repeat_of is not None,
        "repeat_of": record.repeat_of,
        "events": [
            {"at": iso(e.at, tz), "action": e.action.value, "by": e.by, "note": e.note}
            for e in record.events
        ],
    }
    if reveal_phone:
        out["phone"] = i.phone
    return out
