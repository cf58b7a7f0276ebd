"""SLA alerts and escalation: the clocks of the working set, whom to call, and the duty log.

`alerts` is read-only (the TUI and `sla check` poll it). `escalate` writes each warning,
breach and escalation step to the duty log exactly once: the step's `sla_notice` row (unique
per ticket, clock, level and anchor) and its duty-log entry (with the same dedup key) go in one
savepoint, so a restart or a second desk on the same book never writes it again.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from ..domain.enums import Action
from ..domain.sla import Callee, ClockName, ClockState, Level, SlaClock, evaluate
from ..domain.sla_results import Reached, next_change, reached
from ..domain.text import clean_text
from ..domain.ticket import TicketRecord
from ..domain.validation import mask_phone, validate_reason
from ..errors import IllegalTransition
from ..i18n import _
from ..store.db import Store
from ..store.tables import SlaNotice
from . import dutylog
from .desk import Desk
from .sla_messages import Contact, action_message, log_message
from .staff import StaffMember, list_staff
from .ticket_records import get_ticket, working_set
from .ticket_steps import Step, record_step


@dataclass(frozen=True, slots=True)
class Alert:
    """A clock in warning or breach, with the level it has reached and what to do now."""

    ticket_no: str
    room: str
    clock: SlaClock
    level: Level
    call: Contact | None
    action_text: str
    follow_up_due: bool = False


@dataclass(frozen=True, slots=True)
class Notice:
    """A warning, breach or escalation step as written to the duty log."""

    ticket_no: str
    clock: ClockName
    level: Level
    anchor: datetime
    due_at: datetime
    reached_at: datetime
    at: datetime
    call: Contact | None
    text: str
    log_id: int | None

    @property
    def is_breach(self) -> bool:
        """A breach or an escalation step (the TUI rings the bell)."""
        return self.level is not Level.WARNING


# Notice keys known to be in each book, kept only for the levels the last pass's tickets have
# reached: a pass over an unchanged working set asks the book nothing. Only a cache: the book
# (sla_notice's unique key, the duty log's dedup key) is the authority, and a key dropped (a
# ticket that left the working set, an old anchor) costs one query again (issue 18).
_Kept = dict[str, tuple[int, ...]]  # ticket number -> compact keys (_key) known written
_KNOWN: weakref.WeakKeyDictionary[Store, _Kept] = weakref.WeakKeyDictionary()
_CLOCK_NO = {name.value: i for i, name in enumerate(ClockName)}
_LEVEL_NO = {level.value: i for i, level in enumerate(Level)}
assert len(_CLOCK_NO) <= 16 and len(_LEVEL_NO) <= 16
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_US = timedelta(microseconds=1)


def _key(clock: str, level: str, anchor: datetime) -> int | None:
    """A notice's key within its ticket (clock, level, anchor to the microsecond) as one int;
    None: a clock or level this desk does not know (no step of it can be reached)."""
    c, lv = _CLOCK_NO.get(clock), _LEVEL_NO.get(level)
    if c is None or lv is None:
        return None
    return (anchor - _EPOCH) // _US << 8 | c << 4 | lv


class _Roster:
    """Active staff: the first of each role (by id) and everyone by name."""

    def __init__(self, members: list[StaffMember]) -> None:
        members = sorted(members, key=lambda m: m.id)
        self.by_name = {m.name: m for m in members}
        self.by_role: dict[str, StaffMember] = {}
        for m in members:
            self.by_role.setdefault(m.role.value, m)

    def contact(self, callee: Callee, record: TicketRecord) -> Contact | None:
        if callee is Callee.CLERK:
            return None
        if callee is Callee.OWNER:
            return Contact(record.intake.caller, callee, mask_phone(record.intake.phone))
        if callee is Callee.TECHNICIAN:
            tech = self.by_name.get(record.state.technician)
            if tech is not None:
                return Contact(tech.name, callee, tech.phone)
            if record.state.technician:
                return Contact(record.state.technician, callee, "")
            callee = Callee.TEAM_LEADER  # nobody dispatched yet: the team leader assigns
        member = self.by_role.get(callee.value)
        return Contact(member.name, callee, member.phone) if member else None


def _roster(desk: Desk) -> _Roster:
    return _Roster(list_staff(desk, active_only=True))


def action_text(clock: ClockName, level: Level, callee: Callee, call: Contact | None,
                follow_up: bool = False) -> str:
    """One translated line: what the clerk does now (sla_messages.action_message)."""
    return action_message(clock, level, callee, call, follow_up).text()


# the last answer per ticket, kept until evaluate() could answer differently (next_change) or
# the ticket gets a new step: a pass over 2,000 open tickets evaluates only those whose clocks
# moved, so the desk's periodic escalation costs next to nothing between changes (issue 9)
# (per book: the same number can be another ticket in another book)
_Levels = tuple[tuple[SlaClock, tuple[Reached, ...]], ...]  # tuples: no room to grow kept
_Live = tuple[int, Any, datetime, "datetime | None", _Levels]
_LIVE: weakref.WeakKeyDictionary[Store, dict[str, _Live]] = weakref.WeakKeyDictionary()


def _live(record: TicketRecord, now: datetime, desk: Desk) -> _Levels:
    """The clocks of an open ticket that have reached a level, with the levels. A clock's
    state, deadline and levels hold until the record's next change; `remaining_s` is as of
    the evaluation (see _left)."""
    if not record.is_open:
        return ()
    rules = desk.config.sla
    cache = _LIVE.setdefault(desk.store, {})
    steps_seen = len(record.events)
    last = cache.get(record.ticket_no)
    if (last is not None and last[0] == steps_seen and last[1] is rules and last[2] <= now
            and (last[3] is None or now < last[3])):
        return last[4]
    out = []
    clocks = evaluate(record, now, rules, desk.config.tz)
    for clock in clocks:
        steps = reached(clock, rules)
        if clock.name is ClockName.COMPLETE and steps:
            steps = _tracked(record, clock, steps)
        if steps:
            out.append((clock, tuple(steps)))
    if len(cache) > 20_000:
        cache.clear()
    levels = tuple(out)
    cache[record.ticket_no] = (steps_seen, rules, now, next_change(record, clocks, rules, now),
                               levels)
    return levels


def quiet_until(desk: Desk, now: datetime, records: list[TicketRecord]) -> datetime | None:
    """The first instant after `now` at which a pass over these records could find a level
    reached or a clock's state changed (sla_results.next_change, as _live keeps it); None:
    only a new step can (services/sla_pass.py)."""
    out: list[datetime] = []
    for record in records:
        if not record.is_open:
            continue
        _live(record, now, desk)  # kept from the pass just run: no evaluation
        last = _LIVE.get(desk.store, {}).get(record.ticket_no)
        if last is None:  # not kept (the keeper was just emptied): no promise
            return now
        if last[3] is not None:
            out.append(last[3])
    return min(out) if out else None


def _tracked(record: TicketRecord, clock: SlaClock, steps: list[Reached]) -> list[Reached]:
    """A completion breach stays on the board and in `sla check` (domain.md "Clock results":
    a follow-up records the breach, it does not hide it). Once the late job has been turned
    into a follow-up (an entry at or after the deadline), the chain above the breach is not
    called again: the 协调单 has its own checks (004). An entry before the deadline changes
    nothing."""
    due = clock.due_at
    if due is None or not record.state.follow_up:
        return steps
    converted = next((e.at for e in record.events
                      if e.action is Action.FOLLOW_UP and e.at >= due), None)
    if converted is None:
        return steps
    return [s for s in steps if s.level in (Level.WARNING, Level.BREACH) or s.at <= converted]


def _left(clock: SlaClock, now: datetime) -> float:
    """Seconds left on a clock now (negative: overdue); a paused clock stands still."""
    if clock.state is ClockState.PAUSED or clock.due_at is None:
        return clock.remaining_s or 0.0
    return (clock.due_at - now).total_seconds()


def _follow_up_due(record: TicketRecord, clock: SlaClock) -> bool:
    return (clock.name is ClockName.COMPLETE and record.is_open and not record.state.follow_up
            and clock.state in (ClockState.BREACHED, ClockState.PAUSED)
            and (clock.remaining_s or 0.0) < 0)  # past due stays past due until a step


def alerts(desk: Desk, now: datetime | None = None,
           records: list[TicketRecord] | None = None) -> list[Alert]:
    """Clocks in warning or breach across the working set, least time left first."""
    now = now or desk.now()
    records = working_set(desk) if records is None else records
    roster: _Roster | None = None
    out: list[Alert] = []
    texts: dict[tuple[Any, ...], str] = {}  # most alerts call one of a few people: one text each
    for record in records:
        for clock, steps in _live(record, now, desk):
            if clock.state not in (ClockState.WARNING, ClockState.BREACHED):
                continue
            top = steps[-1]
            roster = roster or _roster(desk)
            call = roster.contact(top.callee, record)
            said = (clock.name, top.level, top.callee, call, record.state.follow_up)
            text = texts.get(said)
            if text is None:
                text = texts[said] = action_text(*said)
            out.append(Alert(record.ticket_no, record.intake.room, clock, top.level, call,
                             text, _follow_up_due(record, clock)))
    out.sort(key=lambda a: (_left(a.clock, now), a.ticket_no, a.clock.name.value))
    return out


def _utc(dt: datetime) -> datetime:
    return dt.astimezone(timezone.utc)


def _ensure_table(store: Store) -> _Kept:
    """The notice table, created on a book made before it existed; the known keys."""
    known = _KNOWN.get(store)
    if known is None:
        with store.engine.connect() as conn:
            present = inspect(conn).has_table(SlaNotice.__tablename__)
        if not present:
            with store.write() as session:
                table = SlaNotice.__table__  # type: ignore[attr-defined]
                table.create(session.connection(), checkfirst=True)
        known = _KNOWN.setdefault(store, {})
    return known


def _written(desk: Desk, tickets: set[str]) -> set[tuple[str, int | None]]:
    """(ticket, _key) of every notice of these tickets in the book."""
    found: set[tuple[str, int | None]] = set()
    names = sorted(tickets)
    with desk.store.read() as session:
        for i in range(0, len(names), 500):
            q = select(SlaNotice.ticket_no, SlaNotice.clock, SlaNotice.level, SlaNotice.anchor
                       ).where(col(SlaNotice.ticket_no).in_(names[i:i + 500]))
            found.update((t, _key(c, lv, a)) for t, c, lv, a in session.exec(q))
    return found


_Todo = tuple[int, TicketRecord, SlaClock, Reached]


def escalate(desk: Desk, now: datetime | None = None,
             records: list[TicketRecord] | None = None) -> list[Notice]:
    """Write each new warning, breach and escalation step to the duty log, exactly once;
    returns only the notices written by this call. `records`: the working set (the notice
    keys kept in memory are those of these tickets)."""
    now = now or desk.now()
    records = working_set(desk) if records is None else records
    known = _ensure_table(desk.store)
    kept: _Kept = {}
    todo: list[_Todo] = []
    for record in records:
        have = known.get(record.ticket_no, ())
        seen: list[int] = []
        for clock, steps in _live(record, now, desk):
            # a back-entered call: nobody is called about what happened before it was entered
            steps = [s for s in steps if s.at >= record.registered_at]
            if any(s.level is not Level.WARNING for s in steps):
                steps = [s for s in steps if s.level is not Level.WARNING]
            assert clock.anchor is not None
            for step in steps:
                key = _key(clock.name.value, step.level.value, clock.anchor)
                assert key is not None
                if key in have:
                    seen.append(key)
                else:
                    todo.append((key, record, clock, step))
        if seen:
            kept[record.ticket_no] = have if len(seen) == len(have) else tuple(seen)
    written: list[Notice] = []
    if todo:
        found = _written(desk, {r.ticket_no for _k, r, _c, _s in todo})
        new = []
        for t in todo:
            if (t[1].ticket_no, t[0]) in found:
                kept[t[1].ticket_no] = (*kept.get(t[1].ticket_no, ()), t[0])
            else:
                new.append(t)
        if new:
            written = _write(desk, now, new, kept)
    _KNOWN[desk.store] = kept
    live = _LIVE.get(desk.store)
    if live:  # the last answers of tickets that left the working set are not asked again
        _LIVE[desk.store] = {r.ticket_no: live[r.ticket_no] for r in records
                             if r.ticket_no in live}
    return written


def _write(desk: Desk, now: datetime, todo: list[_Todo], kept: _Kept) -> list[Notice]:
    """Each step's notice and its duty-log entry, in one savepoint each."""
    roster = _roster(desk)
    written: list[Notice] = []
    known: list[tuple[str, int]] = []
    with desk.store.write() as session:
        for key, record, clock, step in todo:
            call = roster.contact(step.callee, record)
            # the text as written; the message (data) reads in each reader's language
            kept_text = log_message(record, clock, step,
                                    action_message(clock.name, step.level, step.callee, call),
                                    desk.config.tz)
            text = kept_text.text()
            assert clock.anchor is not None
            anchor = _utc(clock.anchor)
            dedup = "sla:{}:{}:{}:{}".format(record.ticket_no, clock.name.value,
                                             step.level.value, anchor.isoformat())
            kind = (dutylog.LogKind.SLA_WARNING if step.level is Level.WARNING
                    else dutylog.LogKind.SLA)
            data = {"clock": clock.name.value, "level": step.level.value, "anchor_at": anchor,
                    "due_at": clock.due_at, "reached_at": step.at,
                    "call": ({"role": call.role.value, "name": call.name, "phone": call.phone}
                             if call else None), "message": kept_text.to_obj()}
            try:
                with session.begin_nested():
                    entry = dutylog.append(session, site=desk.config.site_code, at=now, kind=kind,
                                           author=_("SLA monitor"), text=text,
                                           ticket_no=record.ticket_no, data=data, dedup_key=dedup)
                    if entry is None:
                        known.append((record.ticket_no, key))
                        continue
                    session.add(SlaNotice(
                        site=desk.config.site_code, ticket_no=record.ticket_no,
                        clock=clock.name.value, level=step.level.value, anchor=anchor,
                        due_at=clock.due_at or step.at, reached_at=step.at, at=now,
                        call_role=call.role.value if call else "",
                        call_name=call.name if call else "", call_phone=call.phone if call else "",
                        log_id=entry.id))
                    session.flush()
            except IntegrityError:
                known.append((record.ticket_no, key))  # another desk wrote it first
                continue
            known.append((record.ticket_no, key))
            written.append(Notice(record.ticket_no, clock.name, step.level, anchor,
                                  clock.due_at or step.at, step.at, now, call, entry.text,
                                  entry.id))
    for no, key in known:  # in the book now (the write is committed)
        kept[no] = (*kept.get(no, ()), key)
    return written


def notices(desk: Desk, ticket_no: str) -> list[tuple[str, str, datetime, int | None]]:
    """(clock, level, written at, duty-log id) of every notice of a ticket, oldest first."""
    _ensure_table(desk.store)
    with desk.store.read() as session:
        rows = session.exec(select(SlaNotice).where(
            SlaNotice.ticket_no == clean_text(ticket_no).upper()).order_by(col(SlaNotice.id)))
        return [(r.clock, r.level, r.at, r.log_id) for r in rows]


def clocks_of(desk: Desk, record: TicketRecord, now: datetime | None = None) -> list[SlaClock]:
    """The ticket's clocks now, with the desk's rules and time zone."""
    return evaluate(record, now or desk.now(), desk.config.sla, desk.config.tz)


def follow_up_due(desk: Desk, ticket_no: str, now: datetime | None = None) -> bool:
    """Has the completion clock breached, with the job not yet a follow-up (转协调单)?"""
    record = get_ticket(desk, ticket_no)
    return any(_follow_up_due(record, c) for c in clocks_of(desk, record, now))


def convert_to_follow_up(desk: Desk, ticket_no: str, by: str, note: str = "") -> TicketRecord:
    """The clerk agreed: the overdue job becomes a follow-up (协调单), noted in the duty log."""
    no = clean_text(ticket_no).upper()
    if not follow_up_due(desk, no):
        raise IllegalTransition(
            _("{no} is not overdue for completion; it needs no follow-up yet.").format(no=no))
    text = validate_reason(note, "note") if clean_text(note) else _(
        "Not completed in time: turned into a follow-up.")
    return record_step(desk, no, Action.FOLLOW_UP, by, note=text, step=Step(
        {"progress": text, "sla": ClockName.COMPLETE.value}, dutylog.LogKind.SLA,
        _("{no} turned into a follow-up by {by}: {note}").format(no=no, by=clean_text(by),
                                                                 note=text)))
