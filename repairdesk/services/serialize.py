"""Plain-data views of records for JSON output and exports (phones masked by default)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from ..domain.follow_up import checks as follow_up_checks
from ..domain.sla import SlaClock
from ..domain.ticket import TicketRecord
from ..domain.validation import mask_phone


def iso(dt: Any, tz: ZoneInfo) -> str | None:
    return dt.astimezone(tz).isoformat(timespec="seconds") if dt else None


def sla_dict(clocks: list[SlaClock], tz: ZoneInfo) -> dict[str, Any]:
    """{clock_name: {due_at, state, remaining_s, started_at, stopped_at}}; remaining_s is
    negative when overdue, and for a stopped clock the margin it was met or missed by."""
    return {
        c.name.value: {
            "due_at": iso(c.due_at, tz),
            "state": c.state.value,
            "remaining_s": None if c.remaining_s is None else round(c.remaining_s),
            "started_at": iso(c.started_at, tz),
            "stopped_at": iso(c.stopped_at, tz),
        }
        for c in clocks
    }


def ticket_dict(record: TicketRecord, tz: ZoneInfo, *, reveal_phone: bool = False,
                clocks: list[SlaClock] | None = None) -> dict[str, Any]:
    """The ticket as plain data; with `clocks` (domain.sla.evaluate) also its `sla` key."""
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
        "follow_up_checks": [{"level": c.level.value, "signer": c.signer, "at": iso(c.at, tz),
                              "comment": c.comment} for c in follow_up_checks(record)],
        "vacant": s.vacant,
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
    if clocks is not None:
        out["sla"] = sla_dict(clocks, tz)
    return out
