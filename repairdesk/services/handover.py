"""交接班: build the outgoing shift's checklist, take the incoming clerk's read-back, and lock
the record once both clerks have signed with their PINs."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from ..config_reader import data_file, load_toml
from ..domain import handover as rules
from ..domain.enums import Action, Status
from ..domain.handover import Checklist, Line, OpenItem, PublicItem, ReadBack
from ..domain.numbering import find_gaps
from ..domain.text import clean_text
from ..domain.validation import CONTENT_MAX, NAME_MAX
from ..domain.ticket import next_step
from ..errors import PermissionDenied, ValidationError
from ..i18n import _, current_language
from ..store.tables import OPEN_WHERE, HandoverRecord, ShiftTurn, Ticket, TicketEvent
from . import dutylog, signing
from .desk import Desk
from .shifts import DESK_ROLES, current_window, last_turn
from .sla import clocks_of
from .ticket_records import get_ticket, working_set
# the signed records, read and shown (kept below the checklist's SLA imports: the print queue
# reads them too)
from .handover_records import get_handover, handover_json, handover_text, list_handovers

__all__ = ["build_checklist", "checklist_content", "complete_handover", "explain_lines",
           "get_handover", "handover_json", "handover_text", "list_handovers", "public_items"]

COUNTED = {Action.COMPLETE.value: "completed", Action.RETURN.value: "returned",
           Action.VOID.value: "voided"}


def public_items(desk: Desk) -> list[PublicItem]:
    """The configured public items (data/handover.toml, or the site's [handover] table)."""
    raw = desk.config.raw.get("handover") or load_toml(data_file("handover.toml"))
    english = current_language().startswith("en")
    out = []
    for entry in raw.get("item", []):
        name = entry.get("name_en") if english and entry.get("name_en") else entry.get("name")
        name = clean_text(str(name))[:NAME_MAX]  # config text is text like any other
        out.append(PublicItem(clean_text(str(entry.get("key") or name))[:NAME_MAX], name,
                              int(entry.get("expected", 0))))
    return out


def _window_start(desk: Desk, session: Session, now: datetime) -> datetime:
    turn = last_turn(session)
    if turn is not None:
        return turn.window_from
    window = current_window(desk, now)
    return window.start if window else now - timedelta(hours=12)


def build_checklist(desk: Desk, abnormal: str = "", explanations: dict[str, str] | None = None,
                    now: datetime | None = None) -> Checklist:
    """The outgoing shift's checklist: numbers issued, counts, open work, public items."""
    now = now or desk.now()
    cfg = desk.config
    with desk.store.read() as session:
        start = _window_start(desk, session, now)
        issued_rows = list(session.exec(
            select(Ticket).where(Ticket.registered_at >= start, Ticket.registered_at <= now)
            .order_by(col(Ticket.ticket_no))))
        # the steps of the window, through the tickets touched since it began: a step's ticket
        # was last touched at or after the step (ix_ticket_last_event; no index by step time)
        events = session.exec(
            select(TicketEvent.action, TicketEvent.ticket_id)
            .join(Ticket, col(Ticket.id) == TicketEvent.ticket_id)
            .where(Ticket.last_event_at >= start,
                   TicketEvent.at >= start, TicketEvent.at <= now,
                   col(TicketEvent.action).in_(list(COUNTED)))).all()
        open_rows = list(session.exec(
            # spelt as the partial index of open tickets has it (ix_ticket_open)
            select(Ticket).where(text(OPEN_WHERE))
            .order_by(col(Ticket.received_at))))
    counts = {k: 0 for k in rules.COUNT_KEYS}
    counts["issued"] = len(issued_rows)
    counts["open"] = len(open_rows)
    for action, _tid in events:
        counts[COUNTED[action]] += 1
    gaps: list[str] = []
    by_period: dict[str, list[int]] = {}
    days = {}
    for t in issued_rows:
        day = t.registered_at.astimezone(cfg.tz).date()
        key = cfg.numbering.period_key(day, t.site)
        seq = cfg.numbering.parse_seq(t.ticket_no, day, t.site)
        if seq is not None:
            by_period.setdefault(key, []).append(seq)
            days[key] = (day, t.site)
    for key, seqs in by_period.items():
        day, site = days[key]
        gaps += [cfg.numbering.format(day, n, site) for n in find_gaps(seqs)]
    items = []
    records = {r.ticket_no: r for r in working_set(desk)}
    for t in open_rows:
        status = Status(t.status)
        step = next_step(status)
        record = records.get(t.ticket_no) or get_ticket(desk, t.ticket_no)
        # the SLA engine's clocks, as the alert strip sees them (domain.md "SLA clocks")
        deadline, clock, breaches = rules.next_deadline(clocks_of(desk, record, now))
        items.append(OpenItem(t.ticket_no, status.value, status.label,
                              step.label if step else "", t.urgency, t.technician, deadline,
                              bool(breaches), clock, breaches))
    # a handover is often signed a little before the shift boundary: name the window by the
    # shift it mostly covers
    window = current_window(desk, start + timedelta(minutes=45))
    return Checklist(
        shift_code=window.code if window else "", shift_name=window.label if window else "",
        window_start=start, window_end=now, issued=[t.ticket_no for t in issued_rows],
        gaps=gaps, counts=counts, open_items=items, public_items=public_items(desk),
        abnormal=_bounded(clean_text(abnormal, multiline=True), "abnormal"),
        explanations={k: _bounded(clean_text(v), "explanation")
                      for k, v in (explanations or {}).items() if v.strip()},
        tz=str(cfg.tz),
    )


def checklist_content(c: Checklist) -> dict[str, Any]:
    d = asdict(c)
    for k in ("window_start", "window_end"):
        d[k] = d[k].isoformat()
    for item in d["open_items"]:
        item["deadline"] = item["deadline"].isoformat() if item["deadline"] else None
    return d


def _bounded(text: str, field: str) -> str:
    if len(text) > CONTENT_MAX:
        raise ValidationError(_("Text is too long: {n} characters, at most {max}.").format(
            n=len(text), max=CONTENT_MAX), field)
    return text


def _clean_answers(lines: list[Line], answers: dict[str, ReadBack]) -> dict[str, ReadBack]:
    """The incoming clerk's answers, cleaned and bounded like every free text; an answer for a
    line that is not on the checklist (a mistyped key) is refused, never dropped."""
    keys = [ln.key for ln in lines]
    unknown = [k for k in answers if k not in keys]
    if unknown:
        raise ValidationError(_("No checklist line {key!r}; the lines are: {keys}.").format(
            key=clean_text(unknown[0])[:40], keys=", ".join(keys)), "readback")
    out = {}
    for key, a in answers.items():
        actual, note = clean_text(a.actual), clean_text(a.note)
        if len(actual) > NAME_MAX or len(note) > CONTENT_MAX:
            raise ValidationError(_("What was found on line {key} is too long (at most {n} "
                                    "characters).").format(key=key, n=NAME_MAX), "readback")
        out[key] = ReadBack(key, a.confirmed, actual, note)
    return out


def complete_handover(desk: Desk, checklist: Checklist, answers: dict[str, ReadBack],
                      outgoing: str, out_pin: str, incoming: str, in_pin: str) -> HandoverRecord:
    """Both sign; the record is written once and locked; the desk passes to `incoming`."""
    blocking = rules.blockers(checklist.open_items, checklist.explanations)
    if blocking:
        b = blocking[0]
        raise ValidationError(_("Ticket {no}: {reason} — write an explanation before signing.")
                              .format(no=b.ticket_no, reason=b.reason), "explanation")
    lines = rules.lines(checklist)
    answers = _clean_answers(lines, answers)
    missing = rules.unanswered(lines, answers)
    if missing:
        raise ValidationError(_("The incoming clerk has not read back: {label}.").format(
            label=missing[0].label), "readback")
    if clean_text(outgoing) == clean_text(incoming):
        raise ValidationError(_("The incoming clerk must be someone else."), "incoming")
    with desk.store.read() as session:
        turn = last_turn(session)
    if turn is not None and turn.holder != clean_text(outgoing):
        raise PermissionDenied(_("{name} does not hold the desk; {holder} does.").format(
            name=clean_text(outgoing), holder=turn.holder))
    out_signer = signing.authenticate(desk, outgoing, out_pin, DESK_ROLES)
    in_signer = signing.authenticate(desk, incoming, in_pin, DESK_ROLES)
    found = rules.discrepancies(lines, answers)
    content = checklist_content(checklist)
    content["readback"] = [asdict(a) for a in answers.values()]
    content["discrepancies"] = found
    # what would have blocked, and why the outgoing clerk handed it over anyway (4.2.2 d)
    explained = [{"ticket_no": b.ticket_no, "reason": b.reason,
                  "explanation": checklist.explanations[b.ticket_no]}
                 for b in rules.blockers(checklist.open_items, {})]
    content["explained"] = explained
    content["outgoing"], content["incoming"] = out_signer.name, in_signer.name
    digest = signing.content_hash(content)
    now = desk.now()
    with desk.store.write() as session:
        current = last_turn(session)
        if (current.id if current else None) != (turn.id if turn else None):
            raise PermissionDenied(_("The desk changed hands meanwhile; start the handover again."))
        rec = HandoverRecord(site=desk.config.site_code, at=now, shift_code=checklist.shift_code,
                             window_start=checklist.window_start, window_end=checklist.window_end,
                             outgoing=out_signer.name, incoming=in_signer.name,
                             discrepancies=len(found), content=content, content_hash=digest)
        session.add(rec)
        session.flush()
        subject = f"handover:{rec.id}"
        signing.add_signature(session, out_signer, subject, signing.Meaning.HANDOVER_OUT, digest)
        signing.add_signature(session, in_signer, subject, signing.Meaning.HANDOVER_IN, digest)
        session.add(ShiftTurn(site=desk.config.site_code, at=now, holder=in_signer.name,
                              via="handover", window_from=checklist.window_end,
                              handover_id=rec.id))
        text = _("Handover {id}: {out} handed over to {inc}; {n} tickets issued, {open} open, "
                 "{d} discrepancies.").format(id=rec.id, out=out_signer.name, inc=in_signer.name,
                                              n=checklist.counts["issued"],
                                              open=checklist.counts["open"], d=len(found))
        for e in explained:
            text += "\n" + _("Handed over blocked: {no} {reason}; explanation: {text}").format(
                no=e["ticket_no"], reason=e["reason"], text=e["explanation"])
        for d in found:
            text += "\n" + _("Discrepancy: {label}: expected {expected}, found {actual}.").format(
                label=d["label"], expected=d["expected"], actual=d["actual"] or "—")
        dutylog.append(session, site=desk.config.site_code, at=now, kind=dutylog.LogKind.HANDOVER,
                       author=out_signer.name, text=text,
                       data={"handover_id": rec.id, "content_hash": digest},
                       dedup_key=f"handover:{rec.id}")
        session.flush()
        return rec


def explain_lines(checklist: Checklist) -> list[Line]:
    return rules.lines(checklist)
