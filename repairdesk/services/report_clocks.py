"""On-time rates per SLA clock for a month: every ticket of the month through the SLA engine
(repairdesk.domain.sla.evaluate), so the report and the live board never disagree.

A clock counts as on time when the engine says met and as late when it says missed; clocks not
started, still running (even past their deadline) or paused are left out until they stop. So
the counts depend only on the events and the rules, never on the time of asking: they are kept
in the user cache per day of registration, keyed by the rules and a fingerprint of that day's
tickets and events (the history is append-only: any new step changes its count and highest id),
and only a day whose fingerprint changed is worked out again.

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
from datetime import date, datetime, time, timedelta, timezone
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


def _day_bounds(desk: Desk, lo: datetime, hi: datetime) -> list[tuple[date, datetime, datetime]]:
    """The local days of [lo, hi) with their UTC bounds."""
    tz = desk.config.tz
    first = lo.astimezone(tz).date()
    out = []
    day = first
    while True:
        start = datetime.combine(day, time(0), tz).astimezone(timezone.utc)
        if start >= hi:
            return out
        end = datetime.combine(day + timedelta(days=1), time(0), tz).astimezone(timezone.utc)
        out.append((day, max(start, lo), min(end, hi)))
        day += timedelta(days=1)


_IDS = text(
    "SELECT COUNT(*), MIN(id), MAX(id) FROM ticket WHERE site = :site "
    "AND registered_at >= :lo AND registered_at < :hi"
).bindparams(bindparam("lo", type_=UTCDateTime()), bindparam("hi", type_=UTCDateTime()))
_EVENT_IDS = text("SELECT COUNT(*), MAX(id) FROM ticket_event WHERE ticket_id BETWEEN :a AND :b")


def _fingerprint(conn: Connection, site: str, lo: datetime, hi: datetime) -> list[int]:
    """A day's tickets (count, first and last id) and the events in that id range (count,
    highest id): a new ticket or a new step on one of them changes it."""
    n, a, b = conn.execute(_IDS, {"site": site, "lo": lo, "hi": hi}).one()
    if not n:
        return [0]
    m, top = conn.execute(_EVENT_IDS, {"a": a, "b": b}).one()
    return [int(n), int(a), int(b), int(m), int(top or 0)]


def _cache_file(desk: Desk, lo: datetime) -> Path:
    base = os.environ.get("REPAIRDESK_CACHE")
    if not base:
        from platformdirs import user_cache_dir

        base = user_cache_dir("repairdesk")
    name = hashlib.sha256(f"{desk.store.url}|{desk.config.site_code}|{lo.isoformat()}".encode())
    return Path(base) / "reports" / f"{name.hexdigest()[:24]}.json"


def _rules_key(desk: Desk) -> str:
    """What else the answers depend on: the rules, the time zone and the engine's code."""
    from ..domain import sla

    # every module of the engine: a change in any of them must recompute the cached days
    engine_files = sorted(Path(sla.__file__).parent.glob("sla*.py"))
    engine = hashlib.sha256(b"".join(p.read_bytes() for p in engine_files)).hexdigest()
    return hashlib.sha256(f"{desk.config.sla!r}|{desk.config.tz}|{engine}".encode()).hexdigest()


def _load(path: Path, key: str) -> dict[str, Any]:
    """{day: {"fp": [...], "clocks": {name: [met, missed]}}} as saved, or {}."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("days", {}) if data.get("key") == key else {}


def _save(path: Path, key: str, days: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"key": key, "days": days}), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # the cache only saves time; without it the rates are worked out again


def _day_counts(desk: Desk, conn: Connection, evaluate: Callable[..., Any], tickets: list[Any],
                done: int, total: int, progress: Progress | None) -> dict[str, list[int]]:
    """Met and missed per clock over these tickets."""
    from ..domain.sla_rules import ClockState

    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    now, rules, tz = desk.now(), desk.config.sla, desk.config.tz
    for start in range(0, len(tickets), CHUNK):
        for record in clock_records(conn, tickets[start:start + CHUNK]):
            for clock in evaluate(record, now, rules, tz):
                if clock.state is ClockState.MET:
                    counts[clock.name.value][0] += 1
                elif clock.state is ClockState.MISSED:
                    counts[clock.name.value][1] += 1
        if progress:
            progress(done + min(start + CHUNK, len(tickets)), total)
    return dict(counts)


def month_clock_rates(desk: Desk, conn: Connection, lo: datetime, hi: datetime,
                      progress: Progress | None = None) -> ClockRates:
    """Met and missed per clock, and per local day of registration, for the month's tickets.
    Kept per day in the cache: a new step recomputes only the day its ticket was registered."""
    evaluate = sla_engine()
    if evaluate is None or getattr(desk.config, "sla", None) is None:
        return ClockRates(available=False)
    from ..domain.sla_rules import ClockName

    site = desk.config.site_code
    path, key = _cache_file(desk, lo), _rules_key(desk)
    saved = _load(path, key)
    days: dict[str, Any] = {}
    stale: list[tuple[date, datetime, datetime, list[int]]] = []
    for day, start, end in _day_bounds(desk, lo, hi):
        fp = _fingerprint(conn, site, start, end)
        entry = saved.get(day.isoformat())
        if entry is not None and entry.get("fp") == fp:
            days[day.isoformat()] = entry
        else:
            stale.append((day, start, end, fp))
    if stale:
        total, done = sum(fp[0] for *_r, fp in stale), 0
        for day, start, end, fp in stale:
            tickets = conn.execute(_TICKETS, {"site": site, "lo": start, "hi": end}).all()
            clocks = _day_counts(desk, conn, evaluate, tickets, done, total, progress)
            days[day.isoformat()] = {"fp": fp, "clocks": clocks}
            done += len(tickets)
        _save(path, key, days)
    met: dict[str, int] = defaultdict(int)
    late: dict[str, int] = defaultdict(int)
    per_day: dict[date, tuple[int, int]] = {}
    for iso, entry in days.items():
        day_met = day_late = 0
        for name, (m, x) in entry["clocks"].items():
            met[name] += m
            late[name] += x
            day_met, day_late = day_met + m, day_late + x
        if day_met or day_late:
            per_day[date.fromisoformat(iso)] = (day_met, day_late)
    return ClockRates(True, [ClockRate(c.value, met[c.value], late[c.value]) for c in ClockName],
                      per_day, cached=not stale)
