"""Signed handover records, read and shown: the history, the CLI, a printout. Apart from
handover.py (which builds the checklist from the SLA clocks), so the print queue can read a
record without reaching up to the clocks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, select

from ..domain import handover as rules
from ..domain.handover import OpenItem
from ..errors import NotFound
from ..i18n import _
from ..store.tables import HandoverRecord
from . import signing
from .context import Desk


def list_handovers(desk: Desk, since: datetime | None = None,
                   until: datetime | None = None) -> list[HandoverRecord]:
    with desk.store.read() as session:
        q = select(HandoverRecord)
        if since is not None:
            q = q.where(HandoverRecord.at >= since)
        if until is not None:
            q = q.where(HandoverRecord.at < until)
        return list(session.exec(q.order_by(col(HandoverRecord.id))))


def get_handover(desk: Desk, handover_id: int | None = None) -> HandoverRecord:
    """One handover by id, or the last one."""
    with desk.store.read() as session:
        if handover_id is None:
            rec = session.exec(select(HandoverRecord)
                               .order_by(col(HandoverRecord.id).desc())).first()
        else:
            rec = session.get(HandoverRecord, handover_id)
        if rec is None:
            raise NotFound(_("No handover record found."))
        return rec


def handover_json(desk: Desk, rec: HandoverRecord) -> dict[str, Any]:
    from .anchors import handover_anchor

    with desk.store.read() as session:
        sigs = signing.signatures_of(session, f"handover:{rec.id}")
    return {"id": rec.id, "anchor": handover_anchor(desk, rec.id or 0), "at": rec.at.isoformat(), "shift": rec.shift_code,
            "outgoing": rec.outgoing, "incoming": rec.incoming,
            "discrepancies": rec.discrepancies, "content_hash": rec.content_hash,
            "signatures": [{"name": s.name, "role": s.role, "at": s.at.isoformat(),
                            "meaning": s.meaning} for s in sigs],
            "content": rec.content}


def handover_text(desk: Desk, data: dict[str, Any]) -> str:
    """A signed handover as plain text (the history view, the CLI, a printout)."""
    from ..domain.enums import Role
    from ..domain.timeparse import fmt_full
    from .signing import meaning_label

    tz = desk.config.tz

    def when(iso: str | None) -> str:
        return fmt_full(datetime.fromisoformat(iso), tz) if iso else "-"

    c = data["content"]
    rows = [_("Handover {id} | {at}").format(id=data["id"], at=when(data["at"])),
            _("Outgoing: {out}  Incoming: {inc}").format(out=data["outgoing"],
                                                        inc=data["incoming"]),
            _("Window: {start} - {end}").format(start=when(c["window_start"]),
                                                end=when(c["window_end"])),
            _("Ticket numbers issued: {nos}").format(nos=", ".join(c["issued"]) or "-")]
    if c["gaps"]:
        rows.append(_("Missing numbers (gap): {nos}").format(nos=", ".join(c["gaps"])))
    rows.append("  ".join(f"{rules.count_label(k)} {v}" for k, v in c["counts"].items()))
    for i in c["open_items"]:
        expl = c["explanations"].get(i["ticket_no"], "")
        due = rules.deadline_text(OpenItem(
            i["ticket_no"], i["status"], i["status_label"], i["next_step"], i["urgency"],
            i["technician"], datetime.fromisoformat(i["deadline"]) if i["deadline"] else None,
            i["breached"], i.get("clock", "")), tz)
        rows.append(f"  {i['ticket_no']}  {i['status_label']} > {i['next_step'] or '-'}"
                    f"  {due}  {expl}".rstrip())
    for e in c.get("explained", []):
        rows.append(_("Handed over blocked: {no} {reason}; explanation: {text}").format(
            no=e["ticket_no"], reason=e["reason"], text=e["explanation"]))
    for p in c["public_items"]:
        rows.append(f"  {p['name']}: {p['expected']}")
    if c.get("abnormal"):
        rows.append(_("Abnormal situations: {text}").format(text=c["abnormal"]))
    for d in c.get("discrepancies", []):
        rows.append(_("Discrepancy: {label}: expected {expected}, found {actual}.").format(
            label=d["label"], expected=d["expected"], actual=d["actual"] or "-"))
    for s in data["signatures"]:
        rows.append(_("Signed: {name} ({role}) {meaning} {at}").format(
            name=s["name"], role=Role(s["role"]).label, meaning=meaning_label(s["meaning"]),
            at=when(s["at"])))
    if data.get("anchor"):
        # kept on paper, outside the file: `repairdesk verify --anchor` checks the book against it
        rows.append(_("Anchor (write it down; repairdesk verify --anchor checks it): {anchor}")
                    .format(anchor=data["anchor"]))
    return "\n".join(rows)
