"""A record book on PostgreSQL for the benchmarks: N tickets over ten years, one estate or a
company's many (`make_history.py --db postgresql+psycopg://… --estates 50`).

The schema is the real one (open_store on the URL, whose search_path names the schema). Python
makes the ticket rows and their search vectors (store/search_pg.py) and streams them with COPY;
the server writes the whole event history itself (INSERT .. SELECT over each state's path of
steps, as make_history.py does on SQLite), then the secondary indexes are built once and the
statistics gathered. An estate is a site code (ticket.site, E01…E50): each numbers its tickets
itself (numbering format with {site}, counter per estate and day) and every estate's reads go
through the (site, …) indexes. Generated events are not sealed into the record chain (seal 0):
a book written by another tool, as a book from before the chain; the desk's own steps are.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

from bench.make_history import GAPS, OPEN_STATES, PATH, _states, _times
from bench.phrases import CALLERS, CLERKS, PLACES, RESULTS, TECHS, VOID_REASONS, fault
from repairdesk.config import Config, load_config
from repairdesk.domain.numbering import NumberFormat
from repairdesk.store import search, search_pg

COMPANY_FORMAT = "{prefix}-{site}-{date:%Y%m%d}-{seq:04d}"  # estates sharing one book
CHANNELS = ("phone", "phone", "phone", "walk_in", "wechat", "app", "patrol")


def estate_codes(estates: int) -> list[str]:
    return [f"E{i:02d}" for i in range(1, estates + 1)] if estates > 1 else \
        [load_config(None).site_code]


def estate_config(site: str, estates: int) -> Config:
    """The desk configuration of one estate of the book."""
    cfg = load_config(None)
    if estates <= 1:
        return cfg
    return replace(cfg, site_code=site,
                   numbering=NumberFormat(cfg.numbering.prefix, COMPANY_FORMAT))


def _dsn(url: str) -> str:
    from repairdesk.store.location import resolve_url

    return resolve_url(url).replace("postgresql+psycopg://", "postgresql://")


def ticket_count(url: str) -> int:
    import psycopg

    with psycopg.connect(_dsn(url)) as conn:
        if conn.execute("SELECT to_regclass('ticket')").fetchone()[0] is None:
            return 0
        return int(conn.execute("SELECT count(*) FROM ticket").fetchone()[0])


def _rows(n: int, estates: int, years: float, open_n: int, end: datetime, seed: int,
          counters: dict[str, int], batch: int = 100_000):
    """Batches of (ticket rows, search vectors) in id order, estates interleaved in time;
    `counters` {period key: last seq} filled on the way."""
    rng = random.Random(seed)
    sites = estate_codes(estates)
    cfgs = {s: estate_config(s, estates) for s in sites}
    tz = cfgs[sites[0]].tz
    times = _times(n, end - timedelta(days=max(1, int(365 * years))), end, rng)
    states = _states(n, open_n, rng)
    rows: list[tuple] = []
    vectors: list[tuple] = []
    for i in range(n):
        tid, at, state, site = i + 1, times[i], states[i], sites[i % len(sites)]
        cfg = cfgs[site]
        day = at.astimezone(tz).date()
        key = cfg.numbering.period_key(day, site)
        seq = counters[key] = counters.get(key, 0) + 1
        no = cfg.numbering.format(day, seq, site)
        category, content, urgent = fault(rng)
        if rng.random() < 0.12:
            room, scope, building = rng.choice(PLACES), "public", ""
        else:
            b = rng.randint(1, 24)
            room = f"{b}-{rng.randint(1, 4)}-{rng.randint(1, 33)}0{rng.randint(1, 4)}"
            scope, building = "home", str(b)
        caller, phone = rng.choice(CALLERS), f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        path = PATH[state]
        tech = rng.choice(TECHS) if "dispatch" in path else ""
        last = at if not path else min(at + timedelta(minutes=GAPS[tid % len(GAPS)][
            len(path) - 1]), end)
        rows.append((tid, no, site, at, at, CLERKS[at.hour % len(CLERKS)], rng.choice(CHANNELS),
                     room, building, caller, phone, content, scope, category,
                     "urgent" if urgent else "normal", None, "free", False, "", None, state,
                     tech, False, 0, last))
        vectors.append((tid, search_pg.vector(search.doc_body(no, room, caller, phone, content),
                                              site)))
        if len(rows) >= batch:
            yield rows, vectors
            rows, vectors = [], []
    yield rows, vectors


_TICKET_COLS = ("id, ticket_no, site, received_at, registered_at, registered_by, channel, room, "
                "building, caller, phone, content, scope, category, urgency, appointment_at, "
                "service_type, owner_parts, verify_code, repeat_of, status, technician, "
                "follow_up, rework_count, last_event_at")

_EVENTS = """
INSERT INTO ticket_event (ticket_id, seq, at, recorded_at, action, "by", note, data, seal)
SELECT t.id, p.k, w.at, w.at, p.action, t.registered_by,
       CASE p.action WHEN 'void' THEN v.reason ELSE '' END,
       CASE p.action
         WHEN 'register' THEN json_build_object('intake', json_build_object(
           'appointment_at', NULL, 'caller', t.caller, 'category', t.category,
           'channel', t.channel, 'content', t.content, 'owner_parts', false,
           'phone', t.phone, 'received_at', to_char(t.received_at AT TIME ZONE 'UTC',
                                                    'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'),
           'room', t.room, 'scope', t.scope, 'service_type', 'free', 'urgency', t.urgency,
           'verify_code', ''))::text
         WHEN 'dispatch' THEN json_build_object('technician', t.technician)::text
         WHEN 'complete' THEN json_build_object('result', r.result)::text
         WHEN 'callback' THEN '{"satisfied": true}'
         WHEN 'close' THEN json_build_object('verified', t.scope = 'public')::text
         WHEN 'void' THEN json_build_object('reason', v.reason)::text
         ELSE '{}' END,
       0
FROM ticket t
JOIN bench_path p ON p.state = t.status
JOIN bench_gap g ON g.r = t.id %% %(rows)s
JOIN bench_void v ON v.i = t.id %% %(voids)s
JOIN bench_result r ON r.i = t.id %% %(results)s
CROSS JOIN LATERAL (SELECT CASE WHEN p.k = 1 THEN t.received_at
                    ELSE least(t.received_at + make_interval(mins => g.m[p.k - 1]), %(end)s)
                    END AS at) w
WHERE t.id BETWEEN %(a)s AND %(b)s
ORDER BY t.id, p.k
"""


def generate(url: str, n: int, *, estates: int = 1, years: float = 10.0, open_n: int = 2000,
             seed: int = 9, end: datetime | None = None, quiet: bool = False) -> dict[str, Any]:
    """A fresh book of `n` tickets in the schema of `url` (its tables dropped first)."""
    import psycopg

    from repairdesk.store.db import open_store

    t0 = time.perf_counter()
    end = (end or datetime.now(timezone.utc)).replace(microsecond=0)
    with psycopg.connect(_dsn(url), autocommit=True) as conn:
        schema = conn.execute("SHOW search_path").fetchone()[0].split(",")[0].strip(' "')
        if schema in ("", "$user", "public"):
            raise SystemExit("give the book its own schema: ?options=-csearch_path%3Dname")
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA {schema}")
    open_store(url).dispose()  # the real schema, created by the app itself
    counters: dict[str, int] = {}
    n_open = 0
    with psycopg.connect(_dsn(url)) as conn:
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET maintenance_work_mem = '512MB'")
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename IN ('ticket', 'ticket_event', 'ticket_search') "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)").fetchall()
        for name, _sql in indexes:
            conn.execute(f'DROP INDEX "{name}"')  # built once at the end
        for rows, vectors in _rows(n, estates, years, open_n, end, seed, counters):
            with conn.cursor().copy(f"COPY ticket ({_TICKET_COLS}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            with conn.cursor().copy("COPY ticket_search (ticket_id, body) FROM STDIN") as copy:
                for row in vectors:
                    copy.write_row(row)
            n_open += sum(r[20] in OPEN_STATES for r in rows)
            if not quiet:
                print(f"  tickets {rows[-1][0] if rows else 0:,} of {n:,}", flush=True)
        conn.execute("SELECT setval(pg_get_serial_sequence('ticket', 'id'), %s)", (n,))
        _event_tables(conn)
        t_tickets = time.perf_counter()
        step = 250_000
        for a in range(1, n + 1, step):
            conn.execute(_EVENTS, {"a": a, "b": a + step - 1, "end": end, "rows": len(GAPS),
                                   "voids": len(VOID_REASONS), "results": len(RESULTS)})
            if not quiet:
                print(f"  events of tickets {a:,}..{min(n, a + step - 1):,}", flush=True)
        conn.cursor().executemany("INSERT INTO counter(name, last) VALUES (%s, %s) ON CONFLICT (name) DO "
                         "UPDATE SET last = excluded.last", list(counters.items()))
        conn.commit()
        t_events = time.perf_counter()
        for _name, sql in indexes:
            conn.execute(sql)
        conn.commit()
    with psycopg.connect(_dsn(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE ticket")
        conn.execute("VACUUM ANALYZE ticket_event")
        conn.execute("VACUUM ANALYZE ticket_search")
    stats = {"tickets": n, "estates": estates, "open": n_open,
             "tickets_s": t_tickets - t0,
             "events_s": t_events - t_tickets, "total_s": time.perf_counter() - t0}
    if not quiet:
        print(json.dumps(stats))
    return stats


def _event_tables(conn: Any) -> None:
    conn.execute("CREATE TEMP TABLE bench_path (state text, k int, action text)")
    with conn.cursor().copy("COPY bench_path FROM STDIN") as copy:
        for state, steps in PATH.items():
            for k, action in enumerate(["register", *steps], start=1):
                copy.write_row((state, k, action))
    conn.execute("CREATE TEMP TABLE bench_gap (r int PRIMARY KEY, m int[])")
    with conn.cursor().copy("COPY bench_gap FROM STDIN") as copy:
        for r, row in enumerate(GAPS):
            copy.write_row((r, list(row)))
    for table, values in (("bench_void", VOID_REASONS), ("bench_result", RESULTS)):
        column = "reason" if table == "bench_void" else "result"
        conn.execute(f"CREATE TEMP TABLE {table} (i int PRIMARY KEY, {column} text)")
        with conn.cursor().copy(f"COPY {table} FROM STDIN") as copy:
            for i, value in enumerate(values):
                copy.write_row((i, value))


# ---------------------------------------------------------------- the month table on PostgreSQL


def _raw_pg() -> str:
    """bench/month_report.RAW (the month's figures in one statement) in PostgreSQL's words."""
    from bench.month_report import RAW

    sql = RAW
    for cond in ("e.action = 'callback'", "scope = 'home'", "service_type = 'paid'",
                 "status = 'voided'", "rework_count > 0 AND c IS NOT NULL"):
        sql = sql.replace(f"SUM({cond})", f"SUM(({cond})::int)")
    # SQLite's event and ticket times are integers of microseconds (repairdesk/store/stamps.py),
    # PG's timestamps
    for col in ("d", "a", "c"):
        sqlite_avg = f"AVG(({col} - received_at) / 60000000.0)"
        assert sqlite_avg in sql, col
        sql = sql.replace(sqlite_avg,
                          f"CAST(AVG(EXTRACT(EPOCH FROM ({col} - received_at)) / 60.0) AS float8)")
    sql = sql.replace("json_group_object(category, n)", "json_object_agg(category, n)::text")
    sql = sql.replace("json_group_object(technician, n)", "json_object_agg(technician, n)::text")
    sql = sql.replace("json_group_object(building, n)", "json_object_agg(building, n)::text")
    sql = sql.replace("json_group_array(json_array(met, missed, pending, n))",
                      "json_agg(json_build_array(met, missed, pending, n))::text")
    sql = sql.replace("json_group_array(ticket_no) FROM (SELECT ticket_no FROM m ORDER BY id))",
                      "json_agg(ticket_no ORDER BY id)::text FROM m)")
    sql = sql.replace("strftime('%Y-%m-%d %H', registered_at / 1000000, 'unixepoch')",
                      "to_char(registered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')")
    sql = sql.replace("json_group_object(h, n) FROM", "json_object_agg(h, n)::text FROM")
    sql = sql.replace("GROUP BY h))", "GROUP BY h) s)")
    sql = sql.replace("json_group_array(json_array(m.ticket_no, e.action, e.at, e.by, e.note, "
                      "e.data))", "json_agg(json_build_array(m.ticket_no, e.action, e.at, e.by, "
                      "e.note, e.data))::text")
    for group in ("category", "technician", "building", "k.met, k.missed, k.pending"):
        sql = sql.replace(f"GROUP BY {group}))", f"GROUP BY {group}) s)")  # PG: alias needed
    for name in ("site", "lo", "hi", "rules"):
        sql = sql.replace(f":{name}", f"%({name})s")
    return sql


def month_end(key: str) -> datetime:
    from zoneinfo import ZoneInfo

    year, month = map(int, key.split("-"))
    ny, nm = (year + 1, 1) if month == 12 else (year, month + 1)
    return datetime(ny, nm, 1, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(timezone.utc)


def ensure(url: str, n: int, *, month: str, month_n: int, quiet: bool = True) -> int:
    """The one-estate book for bench/run.py --db URL: `n` tickets ending with `month`, which
    holds about `month_n` of them (built when the schema holds another number of tickets)."""
    have = ticket_count(url)
    if have < n:  # the bench's own registrations add a few
        days = n / max(1, month_n) * 30.4
        print(f"building the PostgreSQL book ({n:,} tickets, about {month_n:,} in {month}) ...",
              flush=True)
        generate(url, n, years=days / 365, open_n=min(2000, n // 20), end=month_end(month),
                 quiet=quiet)
    return n


def month_figures(url: str, key: str, repeat: int, site: str | None = None,
                  estates: int = 1) -> dict[str, Any]:
    """month_report.run on PostgreSQL: the SLA outcomes judged once, the month table (best of
    `repeat`), the one-statement raw SQL floor on the same server, and whether they agree."""
    import psycopg

    from bench.month_report import _agree, _month_bounds, _timed, taking_turns
    from repairdesk.clock import FixedClock
    from repairdesk.services import reports
    from repairdesk.services.desk import open_desk
    from repairdesk.services.sla_outcomes import judge, rules_key

    cfg = estate_config(site, estates) if site else load_config(None)
    desk = open_desk(url, clock=FixedClock(datetime.now(timezone.utc)), config=cfg)
    lo, hi = _month_bounds(desk, key)
    out: dict[str, Any] = {"month": key}
    out["judged"], out["judge_once_s"] = _timed(lambda: judge(desk, lo, hi))
    reports.month_table(desk, key)  # warm, as a desk open a while would be
    sql = _raw_pg()
    params = {"site": cfg.site_code, "lo": lo, "hi": hi, "rules": rules_key(desk)}
    with psycopg.connect(_dsn(url)) as conn:
        (table, out["table_s"]), (raw, out["raw_sql_s"]) = taking_turns(
            lambda: reports.month_table(desk, key),
            lambda: conn.execute(sql, params).fetchone(), repeat)
    desk.close()
    out["tickets"] = table.total
    out["agree"] = _agree(table, raw)
    return out
