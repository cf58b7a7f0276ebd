"""On-time rates per SLA clock for a month: every ticket of the month through the SLA engine
(repairdesk.domain.sla.evaluate), so the report and the live board never disagree.

A clock counts as on time when the engine says met and as late when it says missed; clocks not
started, still running (even past their deadline) or paused are left out until they stop. So
the counts depend only on the month's events and the rules, never on the time of asking: a
result is kept in the user cache, keyed by the rules and a fingerprint of the month's events
(the history is append-only, so their count and highest id change with any new step).

Walking 100,000 tickets through the engine takes seconds, so the records are built from plain
rows without the ORM, and only the event data the clocks read is parsed.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from ..domain.enums import Action, Channel, Scope, ServiceType, Status, Urgency
from ..domain.stats import ClockRate
from ..domain.ticket import Event, Intake, TicketRecord, TicketState
from ..store.types import UTCDateTime, load_json
from .desk import Desk

CHUNK = 5000
# the steps whose data the clocks read (appointments, amendments); others carry no data here
DATA_FOR_CLOCKS = frozenset({Action.REGISTER.value, Action.RESCHEDULE.value,
                             Action.AMEND.value})
Progress = Callable[[int, int], None]


@dataclass
class ClockRates:
    available: bool
    clocks: list[ClockRate] = field(default_factory=list)
    per_day: dict[date, tuple[int, int]] = field(default_factory=dict)
    cached: bool = False


def sla_engine() -> Callable[..., Any] | None:
    """The SLA engine's evaluate(record, now, rules, tz), or None where it is not installed."""
    try:
        from ..domain.sla import evaluate
    except ImportError:
        return None
    return evaluate


def _parser(conn: Connection) -> Callable[[Any], datetime | None]:
    """Timestamps as the driver returns them (SQLite: text) to aware UTC datetimes."""
    if conn.dialect.name == "sqlite":
        iso = datetime.fromisoformat

        def parse(v: Any) -> datetime | None:
            return None if v is None else iso(v).replace(tzinfo=timezone.utc)
        return parse
    processor = UTCDateTime().process_result_value
    return lambda v: processor(v, conn.dialect)


_TICKETS = text(
    "SELECT id, ticket_no, received_at, registered_at, registered_by, room, caller, content, "
    "phone, scope, category, urgency, appointment_at, channel, service_type, owner_parts, "
    "verify_code, repeat_of, status, technician, follow_up, rework_count FROM ticket "
    "WHERE site = :site AND registered_at >= :lo AND registered_at < :hi ORDER BY id"
).bindparams(bindparam("lo", type_=UTCDateTime()), bindparam("hi", type_=UTCDateTime()))
_EVENTS = text(
    "SELECT ticket_id, seq, at, action, by, note, data FROM ticket_event "
    "WHERE ticket_id BETWEEN :a AND :b ORDER BY ticket_id, seq")


def clock_records(conn: Connection, tickets: Sequence[Any]) -> Iterator[TicketRecord]:
    """Records for the SLA engine from plain rows: the state is the ticket row's projection
    (kept with every event) and event data is parsed only where the clocks read it."""
    if not tickets:
        return
    dt = _parser(conn)
    actions = {a.value: a for a in Action}
    wanted = {r[0] for r in tickets}
    events: dict[int, list[Event]] = defaultdict(list)
    for tid, seq, at, action, by, note, data in conn.execute(
            _EVENTS, {"a": tickets[0][0], "b": tickets[-1][0]}):
        if tid in wanted:
            events[tid].append(Event(dt(at), actions[action], by, note,  # type: ignore[arg-type]
                                     load_json(data) if action in DATA_FOR_CLOCKS else {}, seq))
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


def _fingerprint(conn: Connection, params: dict[str, Any]) -> list[int]:
    """The month's tickets (count, first and last id) and the events in that id range (count,
    highest id): any new ticket or step of the month changes it."""
    n, a, b = conn.execute(text(
        "SELECT COUNT(*), MIN(id), MAX(id) FROM ticket WHERE site = :site "
        "AND registered_at >= :lo AND registered_at < :hi").bindparams(
        bindparam("lo", type_=UTCDateTime()), bindparam("hi", type_=UTCDateTime())),
        params).one()
    if not n:
        return [0]
    m, top = conn.execute(text("SELECT COUNT(*), MAX(id) FROM ticket_event "
                               "WHERE ticket_id BETWEEN :a AND :b"), {"a": a, "b": b}).one()
    return [int(n), int(a), int(b), int(m), int(top or 0)]


def _cache_file(desk: Desk, lo: datetime) -> Path:
    base = os.environ.get("REPAIRDESK_CACHE")
    if not base:
        from platformdirs import user_cache_dir

        base = user_cache_dir("repairdesk")
    name = hashlib.sha256(f"{desk.store.url}|{desk.config.site_code}|{lo.isoformat()}".encode())
    return Path(base) / "reports" / f"{name.hexdigest()[:24]}.json"


def _cache_key(desk: Desk, fingerprint: list[int]) -> str:
    from ..domain import sla

    engine = Path(sla.__file__).read_bytes()
    parts = [repr(desk.config.sla), str(desk.config.tz), repr(fingerprint),
             hashlib.sha256(engine).hexdigest()]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _load(path: Path, key: str) -> ClockRates | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("key") != key:
        return None
    return ClockRates(True, [ClockRate(c, m, x) for c, m, x in data["clocks"]],
                      {date.fromisoformat(d): (m, x) for d, m, x in data["days"]}, cached=True)


def _save(path: Path, key: str, rates: ClockRates) -> None:
    data = {"key": key, "clocks": [[c.clock, c.met, c.missed] for c in rates.clocks],
            "days": [[d.isoformat(), m, x] for d, (m, x) in sorted(rates.per_day.items())]}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # the cache only saves time; without it the rates are worked out again


def month_clock_rates(desk: Desk, conn: Connection, lo: datetime, hi: datetime,
                      progress: Progress | None = None) -> ClockRates:
    """Met and missed per clock, and per local day of registration, for the month's tickets."""
    evaluate = sla_engine()
    rules = getattr(desk.config, "sla", None)
    if evaluate is None or rules is None:
        return ClockRates(available=False)
    from ..domain.sla_rules import ClockState

    params = {"site": desk.config.site_code, "lo": lo, "hi": hi}
    path, key = _cache_file(desk, lo), _cache_key(desk, _fingerprint(conn, params))
    cached = _load(path, key)
    if cached is not None:
        return cached
    tickets = conn.execute(_TICKETS, params).all()
    met: dict[str, int] = defaultdict(int)
    late: dict[str, int] = defaultdict(int)
    per_day: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    now, tz = desk.now(), desk.config.tz
    for start in range(0, len(tickets), CHUNK):
        for record in clock_records(conn, tickets[start:start + CHUNK]):
            day = record.registered_at.astimezone(tz).date()
            for clock in evaluate(record, now, rules, tz):
                if clock.state is ClockState.MET:
                    met[clock.name.value] += 1
                    per_day[day][0] += 1
                elif clock.state is ClockState.MISSED:
                    late[clock.name.value] += 1
                    per_day[day][1] += 1
        if progress:
            progress(min(start + CHUNK, len(tickets)), len(tickets))
    from ..domain.sla_rules import ClockName

    rates = ClockRates(True, [ClockRate(c.value, met[c.value], late[c.value]) for c in ClockName],
                       {d: (v[0], v[1]) for d, v in per_day.items()})
    _save(path, key, rates)
    return rates
