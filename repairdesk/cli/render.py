"""Plain-text rendering of records for the terminal."""

from __future__ import annotations

from typing import Any

from ..domain.enums import Status
from ..domain.follow_up import checks
from ..domain.timeparse import fmt_full
from ..domain.validation import mask_phone
from ..i18n import _


def ticket_text(desk: Any, record: Any) -> str:
    tz = desk.config.tz
    i, s = record.intake, record.state
    rows = [
        (_("Ticket"), record.ticket_no),
        (_("Status"), s.status.label + (
            "  " + _("retry at {when}").format(when=fmt_full(s.callback_retry_at, tz))
            if s.callback_retry_at is not None and s.status is Status.RETURNED else "")),
        (_("Received"), fmt_full(i.received_at, tz)),
        (_("Room/place"), f"{i.room} ({i.scope.label})"),
        (_("Caller"), i.caller),
        (_("Phone"), mask_phone(i.phone) or "-"),
        (_("Content"), i.content),
        (_("Category"), i.category),
        (_("Urgency"), i.urgency.label + (f"  {fmt_full(s.appointment_at, tz)}"
                                           if s.appointment_at else "")),
        (_("Channel"), i.channel.label),
        (_("Service"), i.service_type.label),
        (_("Technician"), s.technician or "-"),
    ]
    if record.repeat_of:
        rows.append((_("Repeat of"), record.repeat_of))
    if s.vacant:
        rows.append((_("Vacant unit"), _("yes: closed only after the clerk has verified it")))
    for c in checks(record):
        rows.append((c.level.label, f"{c.signer}  {fmt_full(c.at, tz)}"
                     + (f"  {c.comment}" if c.comment else "")))
    lines = [f"{k}: {v}" for k, v in rows]
    lines.append("")
    lines.append(_("History:"))
    for e in record.events:
        note = f"  {e.note}" if e.note else ""
        lines.append(f"  {fmt_full(e.at, tz)}  {e.action.label}  {e.by}{note}")
    return "\n".join(lines)
