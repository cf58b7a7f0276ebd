"""Company scale (issue 18): many estates on one PostgreSQL server, ten years of tickets.

    python bench/make_history.py 5000000 --estates 50 --db URL   # build the book
    python bench/company.py --db URL [--desks 8]                   # the figures

URL is a postgresql+psycopg:// URL whose search_path names the book's schema (default: the
test server, schema rd_company). Each estate is a site code (E01…): its own numbering (format
with {site}, a counter per estate and day), its month and its searches read through the
(site, registered_at) index and the estate's lexeme in the search vectors (store/search_pg.py).

Prints: one estate's monthly table (target ≤ 1 s) beside its raw SQL; a search within one
estate (≤ 50 ms); registering while `desks` desks register at once, each in its own process
(p95 ≤ 20 ms); and whether any estate's 单号 of the day has a duplicate or a gap.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from pathlib import Path
from statistics import median
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import data_figures as data  # noqa: E402
from bench import pg_history  # noqa: E402

MS = 1000.0


def _url() -> str:
    from repairdesk.store.scratch import schema_url

    return schema_url("rd_company")


def _desk(url: str, site: str, estates: int):
    from repairdesk.services.desk import open_desk

    return open_desk(url, config=pg_history.estate_config(site, estates))


def _register_many(url: str, site: str, estates: int, count: int, start: Any,
                   out: Any) -> None:
    """One desk (a process) registering `count` calls, each round at the same instant as
    every other desk (a barrier before each call)."""
    import random

    from repairdesk.services.tickets import register_ticket

    desk = _desk(url, site, estates)
    rng = random.Random(hash(site) & 0xFFFF)
    times, numbers = [], []
    try:
        for _ in range(count):
            form = data._form(rng)
            start.wait()
            t0 = time.perf_counter()
            record = register_ticket(desk, form, data.CLERK)
            times.append(time.perf_counter() - t0)
            numbers.append(record.ticket_no)
    finally:
        desk.close()
    out.put((site, times, numbers))


def concurrent_registers(url: str, sites: list[str], estates: int, count: int
                         ) -> tuple[list[float], dict[str, list[str]]]:
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Barrier(len(sites)), ctx.Queue()
    procs = [ctx.Process(target=_register_many, args=(url, s, estates, count, start, out))
             for s in sites]
    for p in procs:
        p.start()
    times: list[float] = []
    numbers: dict[str, list[str]] = {}
    for _ in procs:
        site, t, nos = out.get(timeout=600)
        times += t[1:]  # each desk's first call warms its caches
        numbers.setdefault(site, []).extend(nos)
    for p in procs:
        p.join()
    return times, numbers


def numbering_faults(url: str, estates: int, sites: list[str]) -> list[str]:
    """Duplicates or gaps among each estate's numbers of today's period, against its counter."""
    import psycopg

    from datetime import datetime, timezone

    faults = []
    with psycopg.connect(pg_history._dsn(url)) as conn:
        for site in sites:
            cfg = pg_history.estate_config(site, estates)
            day = datetime.now(timezone.utc).astimezone(cfg.tz).date()
            key = cfg.numbering.period_key(day, site)
            head = key.split("#")[0]
            nos = [r[0] for r in conn.execute(
                "SELECT ticket_no FROM ticket WHERE site = %s AND ticket_no LIKE %s",
                (site, head + "%"))]
            seqs = sorted(cfg.numbering.parse_seq(no, day, site) or 0 for no in nos)
            last = conn.execute("SELECT last FROM counter WHERE name = %s", (key,)).fetchone()
            want = list(range(1, (last[0] if last else 0) + 1))
            if seqs != want:
                faults.append(f"{site}: {len(seqs)} numbers, counter {want[-1:] or 0}")
    return faults


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=None, help="postgresql+psycopg:// URL (schema in options)")
    ap.add_argument("--n", type=int, default=5_000_000, help="tickets, when building")
    ap.add_argument("--estates", type=int, default=50)
    ap.add_argument("--build", action="store_true", help="build the book first")
    ap.add_argument("--desks", type=int, default=8, help="desks registering at once")
    ap.add_argument("--registers", type=int, default=40, help="calls per desk")
    ap.add_argument("--searches", type=int, default=21)
    ap.add_argument("--month", default=None, help="YYYY-MM (default: last full month)")
    args = ap.parse_args(argv)
    from datetime import datetime, timezone

    from bench.run import Figure, last_full_month, table

    url = args.db or _url()
    if args.build:
        pg_history.generate(url, args.n, estates=args.estates)
    n = pg_history.ticket_count(url)
    sites = pg_history.estate_codes(args.estates)
    one = sites[0]
    key = args.month or last_full_month(datetime.now(timezone.utc).date())
    figs = [Figure(f"company book: {n:,} tickets, {args.estates} estates", n, "tickets")]
    month = pg_history.month_figures(url, key, 5, site=one, estates=args.estates)
    figs.append(Figure(f"one estate's monthly table ({one}, {month['tickets']:,} tickets in "
                       f"{key})", month["table_s"] * MS, "ms", month["raw_sql_s"] * MS,
                       target=1000, note="agrees with raw SQL" if month["agree"]
                       else "DISAGREES"))
    for word in data.WORDS:
        ours, floor, total = data.search_pair(url, word, args.searches, site=one)
        figs.append(Figure(f"search {word} within {one}: first 200 + total of {total:,}",
                           median(ours) * MS, "ms", median(floor) * MS, target=50))
    desks = [sites[i % min(len(sites), max(1, args.desks // 2))] for i in range(args.desks)]
    print(f"{args.desks} desks registering at once ({', '.join(desks)}) ...", flush=True)
    with_desk = _desk(url, one, args.estates)
    data._on_duty(with_desk)  # the clerk on the roster and holding the desk
    with_desk.close()
    times, _numbers = concurrent_registers(url, desks, args.estates, args.registers)
    figs.append(Figure(f"register while {args.desks} desks register at once, p95",
                       data._p95(times) * MS, "ms", target=20,
                       note=f"median {median(times) * MS:.1f} ms, {len(times)} calls"))
    faults = numbering_faults(url, args.estates, sorted(set(desks)))
    figs.append(Figure("duplicate or skipped 单号 per estate", len(faults), "", target=0,
                       note="; ".join(faults) or f"none in {len(set(desks))} estates"))
    print(table(figs))


if __name__ == "__main__":
    main()
