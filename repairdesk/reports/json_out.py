"""The monthly table as JSON for scripts (`repairdesk report month --json`): machine keys in
English, rates as fractions (null when there is nothing to count), money as decimal strings,
times as ISO 8601 in UTC. The figures are those of the table (domain.md "Counting")."""

from __future__ import annotations

import json
from typing import Any

from ..domain.stats import MonthTable, Ratio


def _ratio(r: Ratio) -> dict[str, Any]:
    value = r.value
    return {"hit": r.hit, "total": r.total,
            "rate": None if value is None else round(value, 6)}


def month_dict(t: MonthTable) -> dict[str, Any]:
    return {
        "month": t.month,
        "first_no": t.first_no,
        "last_no": t.last_no,
        "gaps": list(t.gaps),
        "totals": {
            "tickets": t.total, "home": t.home, "public": t.public, "free": t.free,
            "paid": t.paid, "assess": t.assess, "charged": t.charged,
            "fee_total": str(t.fee_total), "completed": t.completed,
            "completions": t.completed if t.completions is None else t.completions,
            "called_back": t.called_back, "reworked": t.reworked, "voided": t.voided_count,
        },
        "clocks": {c.clock: {"met": c.met, "missed": c.missed, "pending": c.pending,
                             "rate": _ratio(c.ratio)["rate"]} for c in t.clocks},
        "ontime": _ratio(t.ontime),
        "callback_rate": _ratio(t.callback),
        "rework_rate": _ratio(t.rework),
        "averages_min": {"dispatch": t.avg_dispatch_min, "arrive": t.avg_arrive_min,
                         "complete": t.avg_complete_min},
        "targets": {"ontime": str(t.targets.ontime), "rework": str(t.targets.rework),
                    "callback": str(t.targets.callback)},
        "by_category": [[k, n] for k, n in t.by_category],
        "by_building": [[k, n] for k, n in t.by_building],
        "by_technician": [{"name": r.name, "tickets": r.tickets, "completed": r.completed,
                           "reworked": r.reworked, "fees": str(r.fees)}
                          for r in t.by_technician],
        "voided": [{"ticket_no": v.ticket_no, "at": v.at.isoformat(), "by": v.by,
                    "reason": v.reason} for v in t.voided],
    }


def month_json(t: MonthTable) -> bytes:
    return (json.dumps(month_dict(t), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
