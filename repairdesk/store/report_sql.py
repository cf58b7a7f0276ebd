"""The SQL of the monthly statistics, written once for SQLite and PostgreSQL.

The month's figures are aggregated by the database (a month can hold 100,000 tickets); only the
grouped rows come back to Python. Each function takes a Connection and the UTC month bounds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timezone, tzinfo
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import TextClause

from .action_codes import sql_action, sql_actions
from .stamps import to_micros
from .types import ActionCode, EventTime, JSONText

# the month's tickets: the (site, registered_at) index finds them
IN_MONTH = "t.site = :site AND t.registered_at >= :lo AND t.registered_at < :hi"


def _q(sql: str, *binds: Any, **columns: Any) -> TextClause:
    clause = text(sql).bindparams(bindparam("lo", type_=EventTime()),
                                  bindparam("hi", type_=EventTime()), *binds)
    return clause.columns(**columns) if columns else clause


def minutes(dialect: str, start: str, stop: str) -> str:
    """Minutes from `start` (a ticket's time) to `stop` (a ticket event's), both column
    expressions: on SQLite both integers of microseconds (store/stamps.py)."""
    if dialect == "sqlite":
        return f"(({stop} - {start}) / 60000000.0)"
    return f"(EXTRACT(EPOCH FROM ({stop} - {start})) / 60.0)"


def hour_bucket(dialect: str, column: str) -> str:
    """The UTC hour of a timestamp as text 'YYYY-MM-DD HH'; Python maps hours onto local days."""
    if dialect == "sqlite":  # integer microseconds (migration 0012)
        return f"strftime('%Y-%m-%d %H', {column} / 1000000, 'unixepoch')"
    return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"


@lru_cache(maxsize=8192)
def bucket_day(bucket: str, tz: tzinfo) -> date:
    """The local day of an hour_bucket() value (cached: a month has some 720 hours, read for
    every clock and row of the month's rates)."""
    at = datetime.fromisoformat(bucket + ":00").replace(tzinfo=timezone.utc)
    return at.astimezone(tz).date()


def _when(cond: str) -> str:
    return f"SUM(CASE WHEN {cond} THEN 1 ELSE 0 END)"


def breakdown(conn: Connection, params: dict[str, Any]) -> list[Sequence[Any]]:
    """One pass over the month's tickets: per category, technician and building, the count and
    how many are in-home, paid, out-of-scope (voided tickets left out of all of these), then how
    many are voided (listed apart: 003 4.10(7)) — a few thousand rows at most."""
    live = "t.status <> 'voided'"
    sums = ", ".join(_when(c) for c in (
        live, f"{live} AND t.scope = 'home'", f"{live} AND t.service_type = 'paid'",
        f"{live} AND t.service_type = 'assess'", "t.status = 'voided'"))
    sql = (f"SELECT t.category, t.technician, t.building, {sums} "
           f"FROM ticket t WHERE {IN_MONTH} GROUP BY t.category, t.technician, t.building")
    return list(conn.execute(_q(sql), params))


def per_hour(conn: Connection, params: dict[str, Any], dialect: str) -> list[tuple[str, int]]:
    """Tickets per hour of registration, voided ones left out."""
    bucket = hour_bucket(dialect, "t.registered_at")
    sql = (f"SELECT {bucket}, COUNT(*) FROM ticket t WHERE {IN_MONTH} "
           f"AND t.status <> 'voided' GROUP BY {bucket}")
    return [(str(h), int(n)) for h, n in conn.execute(_q(sql), params)]


def numbers(conn: Connection, params: dict[str, Any]) -> list[str]:
    """The month's ticket numbers in the order they were issued."""
    sql = f"SELECT t.ticket_no FROM ticket t WHERE {IN_MONTH} ORDER BY t.id"
    if conn.dialect.name == "sqlite":  # a busy month's 100,000 numbers: the driver's own rows
        rows = conn.connection.driver_connection.execute(  # times: integers (stamps.py)
            sql.replace(":site", "?").replace(":lo", "?").replace(":hi", "?"),
            (params["site"], to_micros(params["lo"]), to_micros(params["hi"]))).fetchall()
        return [r[0] for r in rows]
    return [r[0] for r in conn.execute(_q(sql), params)]


def existing(conn: Connection, candidates: list[str]) -> set[str]:
    """Which of these ticket numbers are in the book at all (any month)."""
    found: set[str] = set()
    for i in range(0, len(candidates), 500):
        part = candidates[i:i + 500]
        stmt = text("SELECT ticket_no FROM ticket WHERE ticket_no IN :nos").bindparams(
            bindparam("nos", expanding=True))
        found.update(r[0] for r in conn.execute(stmt, {"nos": part}))
    return found


def counter_last(conn: Connection, names: list[str]) -> dict[str, int]:
    if not names:
        return {}
    stmt = text("SELECT name, last FROM counter WHERE name IN :names").bindparams(
        bindparam("names", expanding=True))
    return {n: int(v) for n, v in conn.execute(stmt, {"names": names})}


def id_range(conn: Connection, params: dict[str, Any]) -> tuple[int, int, int] | None:
    """The month's first and last ticket id, and how many tickets it has."""
    row = conn.execute(_q(f"SELECT MIN(t.id), MAX(t.id), COUNT(*) FROM ticket t "
                          f"WHERE {IN_MONTH}"), params).one()
    return None if row[0] is None else (int(row[0]), int(row[1]), int(row[2]))


def timings(conn: Connection, params: dict[str, Any], dialect: str) -> list[Sequence[Any]]:
    """Per technician: tickets completed, reworked, called back, the count and sum of minutes
    from the call to the first dispatch, arrival (appointments left out) and completion, then
    the completion cycles (complete steps) and the callbacks made (one per cycle at most: a
    callback follows a completion). Voided tickets are left out.

    The events are grouped by ticket over the month's range of ticket ids (the event index is
    by ticket id; ids grow with registration), then joined back to the month's tickets. When
    the month's tickets are a small part of that range (one estate of a company's book, whose
    estates register in turn), the events are read ticket by ticket instead."""
    ids = id_range(conn, params)
    if ids is None:
        return []
    sparse = ids[2] * 4 < ids[1] - ids[0] + 1
    # the actions as stored: codes on SQLite (store/action_codes.py)
    first = "MIN(CASE WHEN e.action = {a} THEN e.at END) AS {k}"
    firsts = ", ".join(first.format(a=sql_action(dialect, a), k=k) for a, k in (
        ("dispatch", "d"), ("arrive", "a"), ("complete", "c"), ("callback", "cb")))
    firsts += ", " + ", ".join(
        f"SUM(CASE WHEN e.action = {sql_action(dialect, a)} THEN 1 ELSE 0 END) AS {k}"
        for a, k in (("complete", "nc"), ("callback", "ncb")))
    steps = sql_actions(dialect, ("dispatch", "arrive", "complete", "callback"))
    d, a, c = (minutes(dialect, "t.received_at", f"x.{k}") for k in ("d", "a", "c"))
    source = ("ticket m JOIN ticket_event e ON e.ticket_id = m.id WHERE "
              + IN_MONTH.replace("t.", "m.") if sparse else
              "ticket_event e WHERE e.ticket_id BETWEEN :first_id AND :last_id")
    not_appt = "t.urgency <> 'appointment'"
    sql = (
        f"SELECT t.technician, COUNT(x.c), "
        f"{_when('t.rework_count > 0 AND x.c IS NOT NULL')}, COUNT(x.cb), "
        f"COUNT(x.d), SUM({d}), "
        f"{_when(f'{not_appt} AND x.a IS NOT NULL')}, SUM(CASE WHEN {not_appt} THEN {a} END), "
        f"COUNT(x.c), SUM({c}), SUM(x.nc), SUM(x.ncb) "
        f"FROM (SELECT e.ticket_id, {firsts} FROM {source} "
        f"AND e.action IN ({steps}) "
        f"GROUP BY e.ticket_id) x JOIN ticket t ON t.id = x.ticket_id "
        f"WHERE {IN_MONTH} AND t.status <> 'voided' GROUP BY t.technician"
    )
    return list(conn.execute(_q(sql), {**params, "first_id": ids[0], "last_id": ids[1]}))


# the steps the table reads the data of: a voided ticket's void, a paid or assessed job's bills,
# a free job's parts
SIDE_STEPS = {"void": "t.status = 'voided'", "charge": "t.service_type IN ('paid', 'assess')",
              "materials": "t.service_type = 'free'"}


def side_events(conn: Connection, params: dict[str, Any]) -> list[Sequence[Any]]:
    """ticket_no, technician, action, seq, at, by, note, data of the month's SIDE_STEPS, in
    ticket and history order: one pass over the month's tickets and their steps, not three."""
    dialect = conn.dialect.name
    cond = " OR ".join(f"(e.action = {sql_action(dialect, a)} AND {w})"
                       for a, w in SIDE_STEPS.items())
    sql = (f"SELECT t.ticket_no, t.technician, e.action, e.seq, e.at, e.by, e.note, e.data "
           f"FROM ticket t JOIN ticket_event e ON e.ticket_id = t.id "
           f"WHERE {IN_MONTH} AND e.action IN ({sql_actions(dialect, SIDE_STEPS)}) "
           f"AND ({cond}) ORDER BY t.id, e.seq")  # the IN term as ix_ticket_event_side's
    return list(conn.execute(_q(sql, action=ActionCode(), at=EventTime(), data=JSONText()),
                             params))


def events_of(conn: Connection, params: dict[str, Any], action: str,
              where: str = "") -> list[Sequence[Any]]:
    """ticket_no, technician, seq, at, by, note, data of every `action` event of the month's
    tickets (narrowed by `where` on the ticket), in ticket and history order."""
    extra = f" AND {where}" if where else ""
    sql = (f"SELECT t.ticket_no, t.technician, e.seq, e.at, e.by, e.note, e.data "
           f"FROM ticket t JOIN ticket_event e ON e.ticket_id = t.id "
           f"WHERE {IN_MONTH}{extra} AND e.action = :action ORDER BY t.id, e.seq")
    q = _q(sql, bindparam("action", type_=ActionCode()),  # its code on SQLite
           at=EventTime(), data=JSONText())
    return list(conn.execute(q, {**params, "action": action}))
