"""Build a realistic record book of N tickets for benchmarks: `python bench/make_history.py N`.

Years of history (dates spread evenly, busier by day than by night), Chinese content drawn from
realistic fault phrases, every state, the full event history of each ticket, duty-log entries
hash-chained like the real ones, and the counters set so numbering continues without a gap.

The schema is the real one (repairdesk.store.db.open_store). No ORM objects: a second process
generates the tickets (same seed, same book) while this one inserts them with sqlite3
executemany and fills the search index; then SQLite writes the whole event history itself in
one INSERT .. SELECT (each state's path of steps, times from a table of random step gaps, event
data built with json_object: bench/history_events.py), each event sealed into the record
chain in id order by a SQL function (one sha256 per event, as the desk's own steps). The
secondary indexes are built once at the end and the search index is merged once. A million
tickets (6.8 million events): see bench/RESULTS.md. With --estates or a PostgreSQL --db, the
book is built on the server instead (bench/pg_history.py).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from queue import Empty
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.history_events import (  # noqa: E402
    _EVENTS_SQL, _SEAL_SQL, GAPS, PATH, _aware, _Chain, _event_tables, _ts,
)
from bench.phrases import (  # noqa: E402
    CALLERS, CLERKS, NOTES, PLACES, TECHS, VOID_REASONS, fault,
)
from repairdesk.config import load_config  # noqa: E402
from repairdesk.services.dutylog import CHAIN, GENESIS, entry_hash  # noqa: E402
from repairdesk.store import chain, search  # noqa: E402
from repairdesk.store.db import open_store  # noqa: E402
from repairdesk.store.stamps import sql_micros  # noqa: E402

CHANNELS = ("phone", "phone", "phone", "walk_in", "wechat", "app", "patrol")
BATCH = 20_000  # tickets per batch from the producer
HASH = 256 * 1024 * 1024  # bytes of FTS5 pending terms held in memory while loading
_TIMES = ("received_at", "registered_at", "appointment_at", "last_event_at")
OPEN_STATES = ["registered", "dispatched", "accepted", "on_site", "paused", "completed",
               "returned", "callback"]
# calls per hour of the local day (a real desk: quiet at night, peaks morning and evening)
HOURLY = [2, 1, 1, 1, 1, 2, 4, 7, 9, 9, 8, 7, 6, 6, 7, 7, 7, 8, 9, 9, 8, 6, 4, 3]


def _secondary_indexes(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """Named (droppable) indexes of the two big tables: rebuilt after the load, since one
    sort per index beats keeping them in order row by row."""
    return conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                        "tbl_name IN ('ticket', 'ticket_event') AND sql IS NOT NULL").fetchall()


def _times(n: int, start: datetime, end: datetime, rng: random.Random) -> list[datetime]:
    """n sorted call times between start and end, local-day shaped (UTC+8 site)."""
    span = (end - start).total_seconds()
    days = max(1, int(span // 86400))
    hours = rng.choices(range(24), weights=HOURLY, k=n)
    out = []
    for i in range(n):
        day = i * days // n
        sec = (hours[i] - 8) * 3600 + rng.randrange(3600)  # local hour to UTC offset
        out.append(start + timedelta(days=day, seconds=sec))
    out.sort()
    return [min(t, end - timedelta(minutes=1)) for t in out]


def _states(n: int, open_n: int, rng: random.Random) -> list[str]:
    """Old tickets closed (or voided); `open_n` of the most recent ones still open."""
    states = ["voided" if rng.random() < 0.03 else "closed" for _ in range(n)]
    recent = list(range(max(0, n - open_n * 3), n))
    for i in rng.sample(recent, min(open_n, len(recent))):
        states[i] = rng.choice(OPEN_STATES)
    return states


def _produce(n: int, times: list[datetime], states: list[str], rng: random.Random,
             end: datetime, put: Callable[[tuple], None]) -> None:
    """Generate the rows (in a second process: generating and inserting overlap) and `put`
    them in batches: ("rows", tickets, search bodies), then ("end", counters, log). The
    events of each batch are written by SQLite (_write_events) while the next one is made."""
    cfg = load_config(None)
    counters: dict[str, int] = {}
    log: list[tuple] = []
    tickets: list[tuple] = []
    bodies: list[tuple] = []
    tz, numbering, site = cfg.tz, cfg.numbering, cfg.site_code
    rand = rng.random  # random() arithmetic: several times cheaper than randint/choice

    def pick(seq: tuple | list | str) -> Any:
        return seq[int(rand() * len(seq))]

    local: dict[datetime, tuple[Any, int]] = {}  # per quarter hour: local date and hour
    for i in range(n):
        tid = i + 1
        at = times[i]
        quarter = at.replace(minute=at.minute - at.minute % 15, second=0, microsecond=0)
        if quarter not in local:
            here = _aware(at).astimezone(tz)
            local[quarter] = (here.date(), here.hour)
        day, hour = local[quarter]
        key = numbering.period_key(day, site)
        seq = counters[key] = counters.get(key, 0) + 1
        no = numbering.format(day, seq, site)
        category, content, urgent = fault(rng)
        public = rand() < 0.12
        if public:
            room, scope, building = pick(PLACES), "public", ""
        else:
            b = 1 + int(rand() * 24)
            room = (f"{b}-{1 + int(rand() * 4)}-{1 + int(rand() * 33)}0"
                    f"{1 + int(rand() * 4)}")
            scope, building = "home", str(b)
        caller = pick(CALLERS)
        phone = f"1{pick('3589')}{int(rand() * 1e9):09d}"
        clerk = CLERKS[hour % len(CLERKS)]
        state = states[i]
        urgency = "urgent" if urgent else "normal"
        channel = pick(CHANNELS)
        ts = _ts(at)
        path = PATH[state]
        tech = pick(TECHS) if "dispatch" in path else ""
        when = at
        if path:
            when = min(at + timedelta(minutes=GAPS[tid % len(GAPS)][len(path) - 1]), end)
        if state == "voided":
            reason = VOID_REASONS[tid % len(VOID_REASONS)]
            log.append((_aware(when), "void", clerk, f"工单 {no} 已作废：{reason}", no,
                        {"reason": reason}))
        tickets.append((tid, no, site, ts, ts, clerk, channel, room, building, caller, phone,
                        content, scope, category, urgency, None, "free", 0, "", None, state,
                        tech, 0, 0, _ts(when)))
        if rng.random() < 0.05:
            log.append((_aware(at) + timedelta(minutes=5), "clerk", clerk, rng.choice(NOTES),
                        None, {}))
        bodies.append((tid, search.doc_body(no, room, caller, phone, content)))
        if len(tickets) >= BATCH:
            put(("rows", tickets, bodies))
            tickets, bodies = [], []
    put(("rows", tickets, bodies))
    put(("end", counters, log))


def generate(path: Path, n: int, *, years: float = 10.0, open_n: int = 2000, seed: int = 9,
             end: datetime | None = None, quiet: bool = False) -> dict[str, float]:
    """Write a fresh book of `n` tickets to `path`; return counts and seconds taken."""
    t0 = time.perf_counter()
    cfg = load_config(None)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    open_store(str(path)).dispose()  # the real schema, created by the app itself
    rng = random.Random(seed)
    end = end or datetime.now(timezone.utc).replace(microsecond=0)
    # naive UTC from here on (the loop formats millions of timestamps); _aware() where needed
    end = end.astimezone(timezone.utc).replace(tzinfo=None)
    start = end - timedelta(days=int(365 * years))
    times = _times(n, start, end, rng)
    states = _states(n, open_n, rng)

    site = cfg.site_code
    conn = sqlite3.connect(str(path), isolation_level=None)
    # bulk load: no journal, no fsync; the file is replaced wholesale if this fails
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -200000")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("BEGIN")
    indexes = _secondary_indexes(conn)
    for name, _sql in indexes:
        conn.execute(f"DROP INDEX {name}")
    # no merging of the search index's segments while loading: one merge ('optimize') at the end
    conn.execute(f"INSERT INTO {search.TABLE}({search.TABLE}, rank) VALUES ('automerge', 0)")
    # and a big in-memory term table, so the load writes few segments for that merge
    conn.execute(f"INSERT INTO {search.TABLE}({search.TABLE}, rank) VALUES ('hashsize', {HASH})")
    params = _event_tables(conn, end)
    # each batch of tickets waits in temp.tk (times as text) while its events are timed from it
    conn.execute("CREATE TEMP TABLE tk AS SELECT * FROM ticket WHERE 0")
    columns = [r[1] for r in conn.execute("PRAGMA table_info(ticket)")]
    params["move"] = "INSERT INTO ticket SELECT " + ", ".join(
        sql_micros(c) if c in _TIMES else c for c in columns) + " FROM temp.tk"
    sealer = _Chain()
    conn.create_function("rd_seal", 7, sealer.seal)
    ev_id = 0
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue(maxsize=4)
    producer = ctx.Process(target=_produce, args=(n, times, states, rng, end, queue.put),
                           daemon=True)
    producer.start()
    while True:
        try:
            item = queue.get(timeout=5)
        except Empty:
            if producer.is_alive():
                continue
            raise RuntimeError(f"the row generator died (exit code {producer.exitcode})")
        if item[0] == "end":
            counters, log = item[1], item[2]
            break
        ev_id += _flush(conn, params, *item[1:])
    producer.join()
    t_tickets = time.perf_counter()
    conn.execute("PRAGMA threads = 2")  # the index sorts may use both cores now
    for _name, sql in indexes:
        conn.execute(sql)
    t_rows = time.perf_counter()
    n_log = _write_log(conn, site, log)
    conn.executemany("INSERT INTO counter(name, last) VALUES (?, ?) ON CONFLICT(name) DO "
                     "UPDATE SET last = excluded.last",
                     [*counters.items(), (chain.EVENT_CHAIN, sealer.count)])
    conn.execute("UPDATE counter SET head = ? WHERE name = ?", (sealer.head, chain.EVENT_CHAIN))
    t_idx = time.perf_counter()
    conn.execute(f"INSERT INTO {search.TABLE}({search.TABLE}) VALUES ('optimize')")
    # back to FTS5's default, stored in the index: the desk's own inserts merge as they go
    conn.execute(f"INSERT INTO {search.TABLE}({search.TABLE}, rank) VALUES ('automerge', 4)")
    conn.execute(f"INSERT INTO {search.TABLE}({search.TABLE}, rank) VALUES ('hashsize', "
                 f"{1024 * 1024})")
    conn.execute("COMMIT")
    t_search = time.perf_counter()
    conn.execute("PRAGMA analysis_limit = 2000")  # planner statistics from a sample
    conn.execute("ANALYZE")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    stats = {"tickets": n, "events": ev_id, "log": n_log, "open": sum(s in OPEN_STATES
             for s in states), "rows_and_events_s": t_tickets - t0,
             "rows_s": t_rows - t0, "search_s": t_search - t_idx,
             "total_s": time.perf_counter() - t0}
    if not quiet:
        print(json.dumps(stats))
    return stats


def _flush(conn: sqlite3.Connection, params: dict[str, Any], tickets: list[tuple],
           bodies: list[tuple]) -> int:
    """One batch of tickets, their search bodies and their whole event history."""
    conn.executemany("INSERT INTO temp.tk VALUES (" + ",".join("?" * 25) + ")", tickets)
    conn.executemany(f"INSERT INTO {search.TABLE}(rowid, body) VALUES (?, ?)", bodies)
    if not tickets:
        return 0
    conn.execute(_EVENTS_SQL, {**params, "a": tickets[0][0], "b": tickets[-1][0]})
    # the ticket rows as the desk stores them: times as integers of microseconds
    # (store/stamps.py; migration 0012)
    conn.execute(params["move"])
    conn.execute("DELETE FROM temp.tk")
    # sealed in id order as the desk seals each step (store/chain.py): rowid order, no sort
    conn.execute(_SEAL_SQL)
    n = conn.execute("SELECT changes()").fetchone()[0]
    conn.execute("DELETE FROM temp.ev")
    return n


def _log_rows(site: str, log: list[tuple]) -> Iterator[tuple]:
    """Duty-log rows in time order, each carrying the hash of the one before."""
    prev = GENESIS
    log.sort(key=lambda e: e[0])
    for seq, (at, kind, author, text, ticket_no, data) in enumerate(log, start=1):
        entry = {"seq": seq, "site": site, "at": at, "kind": kind, "author": author,
                 "text": text, "ticket_no": ticket_no, "corrects_id": None, "dedup_key": None,
                 "data": data}
        h = entry_hash(entry, prev)
        yield (seq, seq, site, _ts(at.replace(tzinfo=None)), kind, author, text, ticket_no,
               None, None, json.dumps(data, ensure_ascii=False, sort_keys=True), prev, h)
        prev = h


def _write_log(conn: sqlite3.Connection, site: str, log: list[tuple]) -> int:
    conn.executemany("INSERT INTO duty_log VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                     _log_rows(site, log))
    if log:
        conn.execute("INSERT INTO counter(name, last) VALUES (?, ?)", (CHAIN, len(log)))
    return len(log)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of tickets")
    ap.add_argument("--out", type=Path, default=None, help="database file (default bench/history-N.sqlite3)")
    ap.add_argument("--years", type=float, default=10.0)
    ap.add_argument("--open", type=int, default=2000, dest="open_n", help="open tickets")
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--estates", type=int, default=1,
                    help="estates sharing the book (PostgreSQL: bench/pg_history.py)")
    ap.add_argument("--db", default=None, help="a postgresql+psycopg:// URL (schema in its "
                    "options; with --estates default: the test server, schema rd_company)")
    args = ap.parse_args(argv)
    if args.db or args.estates > 1:
        from bench import company, pg_history

        pg_history.generate(args.db or company._url(), args.n, estates=args.estates,
                            years=args.years, open_n=args.open_n, seed=args.seed)
        return
    out = args.out or Path(__file__).resolve().parent / f"history-{args.n}.sqlite3"
    generate(out, args.n, years=args.years, open_n=args.open_n, seed=args.seed)


if __name__ == "__main__":
    main()
