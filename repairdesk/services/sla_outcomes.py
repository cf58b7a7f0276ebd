"""Stored SLA outcomes: the clocks each ticket has met, missed and still has pending (table
ticket_clock), judged by the SLA engine (domain.sla.outcome), so the monthly on-time rates and
the live board never disagree and a month of 100,000 tickets is added up by the database.

- `store_outcome` runs in the transaction of every step (register and the lifecycle steps in
  ticket_steps.py), so the row moves with the ticket. With it goes `stale_at`: the first
  deadline of a clock still pending. A clock is missed as soon as its deadline passes without
  its step (domain.md "Clock results"), so after `stale_at` the row is out of date although
  no step came.
- `month_clock_rates` first judges the month's tickets that have no row yet (a book from before
  this table, or tickets written by another tool), one judged under other rules (the site
  changed data/sla.toml, or a new engine) or one gone stale (open work past a deadline: a few
  tickets, each judged again at most once per clock), in short write transactions of CHUNK
  tickets so a desk's own steps never wait long; then it adds up met/missed/pending per clock
  and met/missed per hour of registration in one GROUP BY.

Judging never overwrites a current row written under the same rules: a step that commits while
a report is judging its month keeps its newer answer.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection
from sqlmodel import Session

from ..domain import sla_results as sla
from ..domain.enums import Action, Channel, Scope, ServiceType, Status, Urgency
from ..domain.sla_rules import ClockName
from ..domain.stats import ClockRate
from ..domain.ticket import Event, Intake, TicketRecord, TicketState
from ..store.report_sql import IN_MONTH, bucket_day, hour_bucket
from ..store.stamps import event_time, stored_time
from ..store.action_codes import ACTIONS
from ..store.types import EventTime, UTCDateTime, load_json
from .desk import Desk

CHUNK = 2000  # tickets judged per write transaction
# the steps whose data the clocks read (appointments, amendments, technician reports, the
# owner's answer to a fee); others carry no data here
DATA_FOR_CLOCKS = frozenset({Action.REGISTER.value, Action.RESCHEDULE.value,
                             Action.AMEND.value, Action.NOTE.value, Action.FOLLOW_UP.value,
                             Action.OWNER_DECISION.value})
Progress = Callable[[int, int], None]

_STORE_SQL = (
    "INSERT INTO ticket_clock (ticket_id, rules, met, missed, pending, stale_at) "
    "VALUES (:ticket_id, :rules, :met, :missed, :pending, :stale_at) "
    "ON CONFLICT (ticket_id) DO UPDATE SET rules = excluded.rules, met = excluded.met, "
    "missed = excluded.missed, pending = excluded.pending, stale_at = excluded.stale_at")
_STORE = text(_STORE_SQL).bindparams(bindparam("stale_at", type_=UTCDateTime()))
# a report's judgement fills a missing row, replaces one from other rules or one gone stale
# (a pending clock's deadline passed), never one a step has just written
_FILL = text(_STORE_SQL + " WHERE ticket_clock.rules <> excluded.rules OR ("
             "ticket_clock.stale_at IS NOT NULL AND ticket_clock.stale_at <= :now)").bindparams(
    bindparam("stale_at", type_=UTCDateTime()), bindparam("now", type_=UTCDateTime()))


@dataclass
class ClockRates:
    clocks: list[ClockRate] = field(default_factory=list)
    per_day: dict[date, tuple[int, int]] = field(default_factory=dict)
    judged: int = 0  # tickets the engine judged for this answer (0: all were stored)


# ---------------------------------------------------------------- what the answers depend on

_KEYS: dict[int, tuple[Any, str]] = {}
_ENGINE: list[str] = []


def _engine_hash() -> str:
    """The engine's code: every module of it, so a new release judges the book again."""
    if not _ENGINE:
        files = sorted(Path(sla.__file__).parent.glob("sla*.py"))
        _ENGINE.append(hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest())
    return _ENGINE[0]


def rules_key(desk: Desk) -> str:
    """A short fingerprint of the SLA rules, the time zone and the engine (cached per config)."""
    cfg = desk.config
    hit = _KEYS.get(id(cfg))
    if hit is not None and hit[0] is cfg:
        return hit[1]
    key = hashlib.sha256(f"{cfg.sla!r}|{cfg.tz}|{_engine_hash()}".encode()).hexdigest()[:16]
    _KEYS[id(cfg)] = (cfg, key)
    return key


# ---------------------------------------------------------------- with every step


def store_outcome(desk: Desk, session: Session, ticket_id: int, record: TicketRecord) -> None:
    """Judge the ticket as it now stands and store the answer (inside the step's transaction)."""
    o = sla.outcome(record, desk.now(), desk.config.sla, desk.config.tz)
    session.connection().execute(_STORE, {"ticket_id": ticket_id, "rules": rules_key(desk),
                                          "met": o.met, "missed": o.missed,
                                          "pending": o.pending, "stale_at": o.stale_at})


# ---------------------------------------------------------------- judging older tickets


def _parser(conn: Connection) -> Callable[[Any], datetime | None]:
    """Timestamps as the driver returns them (SQLite: integers of microseconds) to aware UTC
    datetimes."""
    if conn.dialect.name == "sqlite":
        return stored_time
    processor = UTCDateTime().process_result_value
    return lambda v: processor(v, conn.dialect)


_COLUMNS = (
    "id, ticket_no, received_at, registered_at, registered_by, room, caller, content, "
    "phone, scope, category, urgency, appointment_at, channel, service_type, owner_parts, "
    "verify_code, repeat_of, status, technician, follow_up, rework_count")
_TICKETS = text(f"SELECT {_COLUMNS} FROM ticket WHERE id IN :ids ORDER BY id").bindparams(
    bindparam("ids", expanding=True))
_EVENTS = text(
    "SELECT ticket_id, seq, at, action, by, note, data FROM ticket_event "
    "WHERE ticket_id IN :ids ORDER BY ticket_id, seq").bindparams(
    bindparam("ids", expanding=True))


def clock_records(conn: Connection, tickets: Sequence[Any]) -> Iterator[TicketRecord]:
    """Records for the SLA engine from plain rows (columns as _TICKETS): the state is the
    ticket row's projection (kept with every event) and event data is parsed only where the
    clocks read it. Several times faster than the ORM over a month of tickets."""
    if not tickets:
        return
    dt = _parser(conn)
    # an action as stored: its name, or its code on SQLite (store/action_codes.py)
    actions: dict[Any, Action] = {a.value: a for a in Action}
    actions.update((code, Action(name)) for code, name in enumerate(ACTIONS))
    events: dict[int, list[Event]] = defaultdict(list)
    for tid, seq, at, action, by, note, data in conn.execute(
            _EVENTS, {"ids": [r[0] for r in tickets]}):
        act = actions[action]
        events[tid].append(Event(event_time(at), act, by, note,
                                 load_json(data) if act in DATA_FOR_CLOCKS else {}, seq))
    for r in tickets:
        appointment = dt(r[12])
        intake = Intake(
            received_at=dt(r[2]), room=r[5], caller=r[6], content=r[7],  # type: ignore[arg-type]
            phone=r[8], scope=Scope(r[9]), category=r[10], urgency=Urgency(r[11]),
            appointment_at=appointment, channel=Channel(r[13]),
            service_type=ServiceType(r[14]), owner_parts=bool(r[15]), verify_code=r[16])
        state = TicketState(status=Status(r[18]), technician=r[19], appointment_at=appointment,
                            follow_up=bool(r[20]), rework_count=int(r[21]))
        yield TicketRecord(r[1], intake, state, tuple(events.get(r[0], ())),
                           dt(r[3]), r[4], r[17])  # type: ignore[arg-type]


_UNJUDGED = text(
    f"SELECT t.id FROM ticket t LEFT JOIN ticket_clock c ON c.ticket_id = t.id "
    f"WHERE {IN_MONTH} AND (c.ticket_id IS NULL OR c.rules <> :rules "
    f"OR (c.stale_at IS NOT NULL AND c.stale_at <= :now)) ORDER BY t.id"
).bindparams(bindparam("lo", type_=EventTime()), bindparam("hi", type_=EventTime()),
             bindparam("now", type_=UTCDateTime()))


def judge(desk: Desk, lo: datetime, hi: datetime, progress: Progress | None = None) -> int:
    """Judge and store the tickets registered in [lo, hi) that have no current answer (no row,
    other rules, or a pending clock whose deadline has passed since: open overdue work is
    missed); returns how many. Each CHUNK is read and written in one short write transaction."""
    key = rules_key(desk)
    params = {"site": desk.config.site_code, "lo": lo, "hi": hi, "rules": key,
              "now": desk.now()}
    with desk.store.read() as session:
        ids = [r[0] for r in session.connection().execute(_UNJUDGED, params)]
    rules, tz = desk.config.sla, desk.config.tz
    for start in range(0, len(ids), CHUNK):
        part = ids[start:start + CHUNK]
        with desk.store.write() as session:
            conn = session.connection()
            now = desk.now()
            rows = conn.execute(_TICKETS, {"ids": part}).all()
            values = []
            for tid, record in zip((r[0] for r in rows), clock_records(conn, rows)):
                o = sla.outcome(record, now, rules, tz)
                values.append({"ticket_id": tid, "rules": key, "met": o.met,
                               "missed": o.missed, "pending": o.pending,
                               "stale_at": o.stale_at, "now": now})
            if values:
                conn.execute(_FILL, values)
        if progress:
            progress(start + len(part), len(ids))
    return len(ids)


# ---------------------------------------------------------------- the month's rates


def _sums(dialect: str) -> Any:
    bucket = hour_bucket(dialect, "t.registered_at")
    return text(
        f"SELECT {bucket}, c.met, c.missed, c.pending, COUNT(*) FROM ticket t "
        f"JOIN ticket_clock c ON c.ticket_id = t.id "
        f"WHERE {IN_MONTH} AND c.rules = :rules "
        f"AND (c.met <> 0 OR c.missed <> 0 OR c.pending <> 0) "
        f"GROUP BY {bucket}, c.met, c.missed, c.pending"
    ).bindparams(bindparam("lo", type_=EventTime()), bindparam("hi", type_=EventTime()))


def month_clock_rates(desk: Desk, lo: datetime, hi: datetime,
                      progress: Progress | None = None) -> ClockRates:
    """Met, missed and pending per clock, and met/missed per local day of registration, for the
    tickets registered in [lo, hi), as of now: a clock past its deadline without its step is
    missed even while it runs (domain.md "Counting")."""
    judged = judge(desk, lo, hi, progress)
    params = {"site": desk.config.site_code, "lo": lo, "hi": hi, "rules": rules_key(desk)}
    with desk.store.read() as session:
        rows = list(session.connection().execute(_sums(desk.store.dialect), params))
    tz = desk.config.tz
    per_day: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for bucket, met, missed, _pending, n in rows:
        day = bucket_day(bucket, tz)
        per_day[day][0] += bin(met).count("1") * n
        per_day[day][1] += bin(missed).count("1") * n
    counts = sla.bits_to_counts((int(m), int(x), int(p), int(n)) for _b, m, x, p, n in rows)
    return ClockRates([ClockRate(c.value, counts[c].met, counts[c].missed, counts[c].pending)
                       for c in ClockName],
                      {d: (m, x) for d, (m, x) in per_day.items()}, judged)
