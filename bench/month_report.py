"""Benchmark: the monthly statistics table for one busy month inside a big book.

    python bench/month_report.py                      # 1,000,000 tickets, 100,000 in the month
    python bench/month_report.py --n 20000 --month-tickets 2000     # a smoke run
    python bench/month_report.py --db bench/out/h.sqlite3 --month 2026-07   # an existing book

Prints, for the same month in the same run:
  judge_once  the SLA engine judging every ticket of the month and storing the outcomes: what
              the first report of a month costs once on a book written without them (generated
              books, or a book upgraded from before schema 3); the desk stores them with every
              step, so a real desk never pays this again
  table       services.reports.month_table(): every figure, the SLA on-time rates included
              (target: at most 1 s for 100,000 tickets in a 1,000,000-ticket book)
  raw_sql     the same aggregation as one hand-written SQL statement (sqlite3, no ORM), the floor
and checks that the table and the raw query agree.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.make_history import generate  # noqa: E402
from repairdesk.store.action_codes import sql_action, sql_actions  # noqa: E402
from repairdesk.store.stamps import to_micros  # noqa: E402

RAW = """
WITH m AS (
  SELECT id, ticket_no, scope, service_type, status, category, technician, building,
         urgency, rework_count, received_at, registered_at
  FROM ticket WHERE site = :site AND registered_at >= :lo AND registered_at < :hi),
x AS (
  SELECT e.ticket_id,
         MIN(CASE WHEN e.action = 'dispatch' THEN e.at END) AS d,
         MIN(CASE WHEN e.action = 'arrive' THEN e.at END) AS a,
         MIN(CASE WHEN e.action = 'complete' THEN e.at END) AS c,
         MIN(CASE WHEN e.action = 'callback' THEN e.at END) AS cb,
         SUM(e.action = 'callback') AS ncb
  FROM ticket_event e
  WHERE e.ticket_id BETWEEN (SELECT MIN(id) FROM m) AND (SELECT MAX(id) FROM m)
    AND e.action IN ('dispatch', 'arrive', 'complete', 'callback')
  GROUP BY e.ticket_id),
v AS (SELECT * FROM m WHERE status <> 'voided'),
t AS (SELECT v.*, x.d, x.a, x.c, x.cb, x.ncb FROM v JOIN x ON x.ticket_id = v.id)
SELECT
  (SELECT COUNT(*) FROM v),
  (SELECT SUM(scope = 'home') FROM v),
  (SELECT SUM(service_type = 'paid') FROM v),
  (SELECT SUM(status = 'voided') FROM m),
  (SELECT ticket_no FROM m ORDER BY id LIMIT 1),
  (SELECT ticket_no FROM m ORDER BY id DESC LIMIT 1),
  (SELECT json_group_object(category, n) FROM
     (SELECT category, COUNT(*) AS n FROM v GROUP BY category)),
  (SELECT json_group_object(technician, n) FROM
     (SELECT technician, COUNT(*) AS n FROM v WHERE technician <> '' GROUP BY technician)),
  (SELECT json_group_object(building, n) FROM
     (SELECT building, COUNT(*) AS n FROM v WHERE scope = 'home' AND building <> ''
      GROUP BY building)),
  (SELECT COUNT(c) FROM t),
  (SELECT SUM(rework_count > 0 AND c IS NOT NULL) FROM t),
  (SELECT COALESCE(SUM(ncb), 0) FROM t),
  (SELECT AVG((d - {received}) / 60000000.0) FROM t),
  (SELECT AVG((a - {received}) / 60000000.0) FROM t
     WHERE urgency <> 'appointment'),
  (SELECT AVG((c - {received}) / 60000000.0) FROM t),
  (SELECT json_group_array(json_array(met, missed, pending, n)) FROM
     (SELECT k.met, k.missed, k.pending, COUNT(*) AS n FROM m
      JOIN ticket_clock k ON k.ticket_id = m.id
      WHERE k.rules = :rules AND (k.met <> 0 OR k.missed <> 0 OR k.pending <> 0)
      GROUP BY k.met, k.missed, k.pending)),
  (SELECT json_group_array(ticket_no) FROM (SELECT ticket_no FROM m ORDER BY id)),
  (SELECT json_group_object(h, n) FROM
     (SELECT strftime('%Y-%m-%d %H', registered_at / 1000000, 'unixepoch') AS h, COUNT(*) AS n
      FROM v GROUP BY h)),
  (SELECT json_group_array(json_array(m.ticket_no, e.action, e.at, e.by, e.note, e.data)) FROM
     (SELECT * FROM m ORDER BY id) m JOIN ticket_event e ON e.ticket_id = m.id
     WHERE (e.action = 'void' AND m.status = 'voided')
        OR (e.action = 'charge' AND m.service_type IN ('paid', 'assess'))
        OR (e.action = 'materials' AND m.service_type = 'free'))
""".replace("{received}", "received_at")
# Event and ticket times are integers of microseconds on SQLite (repairdesk/store/stamps.py;
# migrations 0011 and 0012). The floor covers what the table shows: the counts, the times to dispatch, arrive and complete,
# the SLA on-time rates as stored, the numbers in issue order (gaps), the tickets per hour, and
# the voided tickets' reasons, the bills and the free jobs' parts (their events' data).


def coded(sql: str) -> str:
    """RAW as a SQLite book compares the actions: by their codes (repairdesk/store/
    action_codes.py; migration 0013). PostgreSQL's translation (pg_history) keeps the names."""
    sql = re.sub(r"e\.action = '(\w+)'", lambda m: f"e.action = {sql_action('sqlite', m[1])}",
                 sql)
    return re.sub(r"e\.action IN \(([^)]*)\)", lambda m: "e.action IN ({})".format(
        sql_actions("sqlite", re.findall(r"'(\w+)'", m[1]))), sql)


RAW_SQLITE = coded(RAW)


def _month_bounds(desk, key: str) -> tuple[datetime, datetime]:
    from repairdesk.services.reports import month_bounds

    return month_bounds(desk, key)


def _timed(fn):
    t0 = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - t0


def taking_turns(ours, floor, repeat: int) -> tuple[tuple[object, float], tuple[object, float]]:
    """(value, median seconds) of ours and of the floor, timed one after the other `repeat`
    times (a shared machine: both see the same load)."""
    from statistics import median

    times: tuple[list[float], list[float]] = ([], [])
    values: list[object] = [None, None]
    for _ in range(repeat):
        for i, fn in enumerate((ours, floor)):
            values[i], seconds = _timed(fn)
            times[i].append(seconds)
    return (values[0], median(times[0])), (values[1], median(times[1]))


def build(path: Path, n: int, month_tickets: int, key: str) -> None:
    """A book of `n` tickets ending with month `key`, which holds about `month_tickets`."""
    from zoneinfo import ZoneInfo

    year, month = map(int, key.split("-"))
    ny, nm = (year + 1, 1) if month == 12 else (year, month + 1)
    end = datetime(ny, nm, 1, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(timezone.utc)
    month_days = (end - datetime(year, month, 1, tzinfo=ZoneInfo("Asia/Shanghai"))).days
    days = n / month_tickets * month_days
    generate(path, n, years=days / 365, open_n=min(2000, n // 20), end=end, quiet=True)


def run(db: Path, key: str, repeat: int) -> dict[str, object]:
    from repairdesk.clock import FixedClock
    from repairdesk.config import load_config
    from repairdesk.services import reports
    from repairdesk.services.desk import open_desk

    cfg = load_config(None)
    desk = open_desk(str(db), clock=FixedClock(datetime.now(timezone.utc)), config=cfg)
    from repairdesk.services.sla_outcomes import judge, rules_key

    lo, hi = _month_bounds(desk, key)
    out: dict[str, object] = {"db": str(db), "month": key}
    out["judged"], out["judge_once_s"] = _timed(lambda: judge(desk, lo, hi))
    # warm the page cache once, as a desk that has been open a while would be
    reports.month_table(desk, key)
    conn = sqlite3.connect(str(db))
    # stored as the desk stores them on SQLite: integers of microseconds
    params = {"site": cfg.site_code, "lo": to_micros(lo), "hi": to_micros(hi),
              "rules": rules_key(desk)}
    (table, out["table_s"]), (raw, out["raw_sql_s"]) = taking_turns(
        lambda: reports.month_table(desk, key), lambda: conn.execute(RAW_SQLITE, params).fetchone(),
        repeat)
    conn.close()
    out["tickets"] = table.total
    out["agree"] = _agree(table, raw)
    out["clocks"] = {c.clock: [c.met, c.missed] for c in table.clocks}
    desk.close()
    return out


def _agree(table, raw) -> bool:
    from repairdesk.domain.sla_results import bits_to_counts

    (total, home, paid, voided, first, last, cats, techs, blds, done, rework, cb, d, a, c,
     clocks) = raw[:16]
    counts = bits_to_counts(tuple(r) for r in json.loads(clocks or "[]"))
    checks = [
        table.total == total, table.home == (home or 0), table.paid == (paid or 0),
        table.voided_count == (voided or 0), table.first_no == (first or ""),
        table.last_no == (last or ""), dict(table.by_category) == json.loads(cats or "{}"),
        {r.name: r.tickets for r in table.by_technician} == json.loads(techs or "{}"),
        dict(table.by_building) == json.loads(blds or "{}"),
        table.completed == done, table.reworked == (rework or 0), table.called_back == cb,
        {c.clock: (c.met, c.missed, c.pending) for c in table.clocks}
        == {k.value: (v.met, v.missed, v.pending) for k, v in counts.items()},
    ]
    for ours, theirs in ((table.avg_dispatch_min, d), (table.avg_arrive_min, a),
                         (table.avg_complete_min, c)):
        checks.append((ours is None and theirs is None) or abs((ours or 0) - (theirs or 0)) < 0.01)
    return all(checks)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="tickets in the book")
    ap.add_argument("--month-tickets", type=int, default=100_000, help="tickets in the month")
    ap.add_argument("--month", default="2026-10", help="the month to report (YYYY-MM)")
    ap.add_argument("--db", type=Path, default=None,
                    help="an existing book (made by make_history.py) instead of a new one")
    ap.add_argument("--repeat", type=int, default=5, help="median of this many turns")
    args = ap.parse_args(argv)
    db = args.db
    if db is None:
        db = Path(__file__).resolve().parent / "out" / f"month-{args.n}.sqlite3"
        db.parent.mkdir(parents=True, exist_ok=True)
        _built, seconds = _timed(lambda: build(db, args.n, args.month_tickets, args.month))
        print(json.dumps({"built": str(db), "n": args.n, "seconds": round(seconds, 1)}))
    result = run(db, args.month, args.repeat)
    print(json.dumps(result, ensure_ascii=False))
    print(f"month {result['month']}: {result['tickets']} tickets | table "
          f"{result['table_s'] * 1000:.0f} ms | one raw SQL query "
          f"{result['raw_sql_s'] * 1000:.0f} ms | judging {result['judged']} tickets once "
          f"(SLA engine) {result['judge_once_s']:.2f} s | figures agree: {result['agree']}")


if __name__ == "__main__":
    main()
