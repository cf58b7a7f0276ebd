"""`verify` over what people signed and who they were (issue 15 item 2): the duty-log chain and
its counter, the roster against its log, every signature against its signer's role at the time,
every handover and sign-off against its signatures, its duty-log entry and its stored anchor
(the sign-off's log head), the heads of the ticket-event and print-job chains stored in those
entries, the shift turns, and the failed PIN attempts the log records.

Each part returns the first bad record of its kind (services/integrity.py runs them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from ..domain.enums import Role
from ..i18n import _
from ..store.tables import (DutyLogEntry, HandoverRecord, PinAttempt, ShiftTurn, SignoffRecord,
                            Signature, SlaNotice, Staff)
from . import dutylog
from .authority import DESK_ROLES
from .integrity_heads import Held
from .signing import Meaning, content_hash, meaning_label, pin_fingerprint, signature_hash

if TYPE_CHECKING:
    from .desk import Desk

SIGNING_ROLES = {Meaning.SIGNOFF: (Role.SUPERVISOR, Role.MANAGER)}


def _role(value: str | None) -> str:
    """A stored role as the reader's language names it (an unknown one as stored)."""
    try:
        return Role(value).label
    except ValueError:
        return str(value)


def missing_tail(kind: str, counted: int, held: int) -> str | None:
    """The counter says more rows were written than the book holds: the last ones are gone
    (or the counter was wound back)."""
    if counted > held:
        return _("the last {n} {kind} are missing: {counted} were written, the book holds "
                 "{held}").format(n=counted - held, kind=kind, counted=counted, held=held)
    if counted < held:
        return _("{held} {kind} but only {counted} were written by the app").format(
            held=held, kind=kind, counted=counted)
    return None


@dataclass
class Person:
    """One name as the roster log tells it, change by change (role None: not known from the
    log, for someone added before the roster was logged)."""

    changes: list[tuple[datetime, str | None, bool, bool]] = field(default_factory=list)
    pin_fp: str | None = None  # the last PIN fingerprint the log holds (None: none logged)

    def add(self, at: datetime, role: str | None, present: bool, active: bool) -> None:
        self.changes.append((at, role, present, active))

    @property
    def now(self) -> tuple[str | None, bool, bool]:
        _at, role, present, active = self.changes[-1]
        return role, present, active

    def role_at(self, at: datetime) -> str | None:
        role = self.changes[0][1]  # before the first change: the role it started from
        for when, r, present, _active in self.changes:
            if when > at:
                break
            role = r if present else None
        return role


def roster_log(entries: list[DutyLogEntry]) -> tuple[dict[str, Person], datetime | None]:
    """The fold of the roster's log entries by name, and when the first person was added."""
    people: dict[str, Person] = {}
    first = None
    for e in entries:
        if e.kind != dutylog.LogKind.ROSTER:
            continue
        d, name = e.data, str(e.data.get("name", ""))
        action = d.get("action")
        p = people.get(name)
        if action == "add":
            first = first or e.at
            p = people.setdefault(name, Person())
            p.add(e.at, str(d.get("role", "")), True, True)
            if "pin_fp" in d:
                p.pin_fp = str(d["pin_fp"])
            continue
        if action in ("reset_pin", "own_pin") and "pin_fp" in d:
            p = people.setdefault(name, p or Person())
            if not p.changes:
                p.add(e.at, None, True, True)
            p.pin_fp = str(d["pin_fp"])
            continue
        if p is None:  # someone added before the roster was logged: known from here on
            if action not in ("set_role", "activate", "deactivate", "remove"):
                continue
            p = people[name] = Person()
            p.add(e.at, d.get("from") if action == "set_role" else None, True,
                  action != "activate")
        if action == "set_role":
            p.add(e.at, str(d.get("to", "")), True, p.now[2])
        elif action in ("activate", "deactivate"):
            p.add(e.at, p.now[0], True, action == "activate")
        elif action == "remove":
            p.add(e.at, p.now[0], False, False)
    return people, first


def check_staff(rows: list[Staff], people: dict[str, Person], first: datetime | None
                ) -> str | None:
    by_name = {r.name: r for r in rows}
    for name, p in people.items():
        role, present, active = p.now
        row = by_name.get(name)
        if present and row is None:
            return _("staff {name} is missing: the roster log added them").format(name=name)
        if not present and row is not None:
            return _("staff {name} is on the roster, but the roster log removed them").format(
                name=name)
        if row is None:
            continue
        if role is not None and row.role != role:
            return _("staff {name}: role reads {have}, the roster log gives {want}").format(
                name=name, have=_role(row.role), want=_role(role))
        if p.pin_fp is not None and pin_fingerprint(row.pin_hash) != p.pin_fp:
            return _("staff {name}: the PIN was changed outside the app").format(name=name)
        if bool(row.active) != active:
            return _("staff {name}: active reads {have}, the roster log gives {want}").format(
                name=name, have=bool(row.active), want=active)
    for row in rows:
        if row.name not in people and first is not None and row.created_at > first:
            return _("staff {name} is on the roster without an entry in the roster log").format(
                name=row.name)
    return None


def check_signatures(sigs: list[Signature], rows: list[Staff], people: dict[str, Person]
                     ) -> str | None:
    """Each signature's own hash, and its role: the signer's role at that time (the roster log,
    else the roster) and one that may sign what it means."""
    roles = {r.name: r.role for r in rows}
    for s in sigs:
        name = _("signature {id} ({name}, {meaning})").format(
            id=s.id, name=s.name, meaning=meaning_label(s.meaning))
        if signature_hash(s.subject, s.meaning, s.name, s.role, s.at, s.content_hash) != s.hash:
            return _("signature {id} ({name}, {meaning}) was changed").format(
                id=s.id, name=s.name, meaning=meaning_label(s.meaning))
        p = people.get(s.name)
        then = (p.role_at(s.at) if p is not None else None) or roles.get(s.name)
        if then is None:
            return _("{signature}: the signer is not on the roster").format(signature=name)
        if s.role != then:
            return _("{signature}: signed as {role}, the signer was a {then} then").format(
                signature=name, role=_role(s.role), then=_role(then))
        allowed = SIGNING_ROLES.get(s.meaning, DESK_ROLES)
        if s.role not in [r.value for r in allowed]:
            return _("{signature}: a {role} may not sign this").format(signature=name,
                                                                       role=_role(s.role))
    return None


def _one(sigs: list[Signature], meaning: str, stored: str) -> Signature | None:
    found = [s for s in sigs if s.meaning == meaning and s.content_hash == stored]
    return found[0] if len(found) == 1 else None


def check_handovers(rows: list[HandoverRecord], by_subject: dict[str, list[Signature]],
                    logged: dict[str, DutyLogEntry], turns: list[ShiftTurn]) -> str | None:
    given = {t.handover_id: t for t in turns if t.handover_id is not None}
    for h in rows:
        label = _("handover {id}").format(id=h.id)
        if content_hash(h.content) != h.content_hash:
            return _("{record}: its content was changed").format(record=label)
        sigs = by_subject.get(f"handover:{h.id}", [])
        out = _one(sigs, Meaning.HANDOVER_OUT, h.content_hash)
        inc = _one(sigs, Meaning.HANDOVER_IN, h.content_hash)
        if out is None or inc is None or out.name == inc.name:
            return _("{record}: the signatures do not match the record").format(record=label)
        if (h.outgoing, h.incoming) != (out.name, inc.name) or (
                h.content.get("outgoing"), h.content.get("incoming")) != (out.name, inc.name):
            return _("{record}: handed over by {out} to {inc}, but signed by {sout} and {sinc}"
                     ).format(record=label, out=h.outgoing, inc=h.incoming, sout=out.name,
                              sinc=inc.name)
        entry = logged.get(f"handover:{h.id}")
        if entry is None or entry.data.get("content_hash") != h.content_hash:
            return _("{record}: its duty-log entry is missing or records another content"
                     ).format(record=label)
        turn = given.get(h.id)
        if turn is None or turn.holder != h.incoming:
            return _("{record}: the shift turn it gave is missing or names another holder"
                     ).format(record=label)
    return None


def check_signoffs(rows: list[SignoffRecord], by_subject: dict[str, list[Signature]],
                   logged: dict[str, DutyLogEntry], hashes: set[str]) -> str | None:
    for o in rows:
        label = _("sign-off {id}").format(id=o.id)
        c = o.content
        if content_hash(c) != o.content_hash:
            return _("{record}: its content was changed").format(record=label)
        sig = _one(by_subject.get(f"signoff:{o.id}", []), Meaning.SIGNOFF, o.content_hash)
        if sig is None:
            return _("{record}: the signatures do not match the record").format(record=label)
        if (o.supervisor, o.comment, o.duty_day) != (sig.name, c.get("comment", ""),
                                                     c.get("day")) or c.get(
                "supervisor", sig.name) != sig.name:
            return _("{record}: its supervisor, comment or day differ from what was signed"
                     ).format(record=label)
        entry = logged.get(f"signoff:{o.site}:{o.duty_day}")
        if entry is None or entry.data.get("content_hash") != o.content_hash:
            return _("{record}: its duty-log entry is missing or records another content"
                     ).format(record=label)
        head = c.get("log_head")
        if head and head != dutylog.GENESIS and head not in hashes:
            return _("{record}: the duty-log head it signed is no longer in the log (the log "
                     "was rewritten)").format(record=label)
    return None


def check_references(entries: list[DutyLogEntry], handovers: set[int], signoffs: set[int],
                     chains: Mapping[str, Held | list[str]]) -> str | None:
    """The records the log says were made are there, and the chain heads its handover and
    sign-off entries stored still hold: a whole handover deleted, or the last ticket events or
    print jobs cut off, is named here."""
    kinds = {"ticket_event": _("ticket events"), "print_job": _("print jobs")}
    for e in entries:
        d = e.data
        if e.kind == dutylog.LogKind.HANDOVER and isinstance(d.get("handover_id"), int) and \
                d["handover_id"] not in handovers:
            return _("handover {id} is missing: duty-log entry {seq} records it").format(
                id=d["handover_id"], seq=e.seq)
        if e.kind == dutylog.LogKind.SIGNOFF and isinstance(d.get("signoff_id"), int) and \
                d["signoff_id"] not in signoffs:
            return _("sign-off {id} is missing: duty-log entry {seq} records it").format(
                id=d["signoff_id"], seq=e.seq)
        for table, head in (d.get("heads") or {}).items():
            held = chains.get(table)
            if held is None or not isinstance(head, list) or len(head) != 2:
                continue
            n, h = int(head[0]), str(head[1])
            if n > len(held):
                return _("duty-log entry {seq} recorded {n} {kind}; the book holds {held}"
                         ).format(seq=e.seq, n=n, kind=kinds[table], held=len(held))
            if n and held[n - 1] != h:
                return _("duty-log entry {seq} recorded {kind} up to number {n}; that history "
                         "was rewritten").format(seq=e.seq, kind=kinds[table], n=n)
    return None


def check_turns(turns: list[ShiftTurn], by_subject: dict[str, list[Signature]]) -> str | None:
    for t in turns:
        if t.via == "sign_on":
            sigs = [s for s in by_subject.get(f"turn:{t.id}", [])
                    if s.meaning == Meaning.SIGN_ON and s.name == t.holder]
            if not sigs:
                return _("shift turn {id} ({holder}): the sign-on signature is missing").format(
                    id=t.id, holder=t.holder)
    return None


def check_attempts(entries: list[DutyLogEntry], attempts: list[PinAttempt]) -> str | None:
    """Each wrong PIN the log records is still among the PIN attempts: deleting them to lift
    a lockout is named here."""
    failed: dict[tuple[str, Any], int] = {}
    for a in attempts:
        if not a.ok:
            failed[(a.staff_name, a.at)] = failed.get((a.staff_name, a.at), 0) + 1
    for e in entries:
        if e.kind in (dutylog.LogKind.PIN, dutylog.LogKind.LOCKOUT):
            key = (e.author, e.at)
            if not failed.get(key):
                return _("the wrong PIN of {name} that duty-log entry {seq} records is missing "
                         "from the PIN attempts").format(name=e.author, seq=e.seq)
            failed[key] -= 1
    return None


def check_notices(entries: list[DutyLogEntry], noted: set[int]) -> str | None:
    """Each SLA warning, breach or escalation the log records is still among the notices
    (services/sla.py writes both in one transaction; the notice keeps it from being raised
    twice)."""
    for e in entries:
        if (e.dedup_key or "").startswith("sla:") and e.id not in noted:
            return _("the SLA notice that duty-log entry {seq} records is missing").format(
                seq=e.seq)
    return None


def _chain(desk: "Desk", session: Session, held: int, counted: int) -> str | None:
    n, brk = dutylog.verify_chain(session)
    if brk is not None:
        return _("duty-log entry {seq} (id {id}, {at}, {author}: {text!r}): {reason}").format(
            seq=brk.seq, id=brk.id, at=brk.at.astimezone(desk.config.tz).strftime(
                "%Y-%m-%d %H:%M"), author=brk.author, text=brk.text[:40], reason=brk.reason)
    return missing_tail(_("duty-log entries"), counted, held)


# the entries the checks below read one by one (roster changes, handovers and sign-offs, wrong
# PINs, the SLA notices and every entry with a key or stored chain heads); of the others, such
# as the clerks' notes, verify keeps only the count and the hash
_READ_AGAIN = (dutylog.LogKind.ROSTER, dutylog.LogKind.HANDOVER, dutylog.LogKind.SIGNOFF,
               dutylog.LogKind.PIN, dutylog.LogKind.LOCKOUT)


def check_signed(desk: "Desk", session: Session, counters: dict[str, int],
                 chains: Mapping[str, Held | list[str]]) -> tuple[int, int, list[str]]:
    """(duty-log entries, signatures, the first problem of each kind); `chains`: the hashes of
    the ticket events and print jobs in chain order (Held: their number, and those at the
    positions the duty log's heads name)."""
    count, hashes, entries = 0, set(), []
    for chunk in dutylog.entries_in_chunks(session):  # a few a day: only these are kept
        for e in chunk:
            count += 1
            hashes.add(e.hash)
            if e.kind in _READ_AGAIN or e.dedup_key or not isinstance(e.data, dict) or \
                    e.data.get("heads"):
                entries.append(e)
    staff = list(session.exec(select(Staff)))
    sigs = list(session.exec(select(Signature).order_by(col(Signature.id))))
    handovers = list(session.exec(select(HandoverRecord).order_by(col(HandoverRecord.id))))
    signoffs = list(session.exec(select(SignoffRecord).order_by(col(SignoffRecord.id))))
    turns = list(session.exec(select(ShiftTurn).order_by(col(ShiftTurn.id))))
    attempts = list(session.exec(select(PinAttempt)))
    by_subject: dict[str, list[Signature]] = {}
    for s in sigs:
        by_subject.setdefault(s.subject, []).append(s)
    logged = {e.dedup_key: e for e in entries if e.dedup_key}
    people, first = roster_log(entries)
    problems = [
        _chain(desk, session, count, counters.get(dutylog.CHAIN, 0)),
        check_staff(staff, people, first),
        check_signatures(sigs, staff, people),
        check_handovers(handovers, by_subject, logged, turns),
        check_signoffs(signoffs, by_subject, logged, hashes),
        check_references(entries, {h.id for h in handovers if h.id is not None},
                         {o.id for o in signoffs if o.id is not None}, chains),
        check_turns(turns, by_subject),
        check_attempts(entries, attempts),
        check_notices(entries, {n for n in session.exec(select(SlaNotice.log_id))
                                if n is not None}),
    ]
    return count, len(sigs), [p for p in problems if p]
