"""The desk's performance figures, each with its floor measured in the same run (issue 9).

    python bench/run.py                       # 1,000,000 tickets: builds bench/out/history-1000000
    python bench/run.py --db bench/out/history-1000000.sqlite3   # reuse a book (make_history.py)
    python bench/run.py --n 2000 --quick      # a smoke run (tests/bench/test_bench_smoke.py)

Prints one table: figure, value, floor, ratio, target, pass/fail. Medians unless a row says
p95. How each figure is taken is told where it is taken: bench/ui_figures.py (start-up and
key presses under a pseudo-terminal, memory, CPU of a tick) and bench/data_figures.py
(registering, searching, the month table). A book is prepared once: generated if missing,
then one SLA pass writes the warnings a desk that had been running would already have logged.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import data_figures as data  # noqa: E402
from bench import ui_figures as ui  # noqa: E402
from bench.ui_figures import median, p95  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
WORDS = ("漏水", "马桶堵塞")  # a 2- and a 4-character word of the fault phrases


@dataclass
class Figure:
    name: str
    value: float | None
    unit: str
    floor: float | None = None
    target: float | None = None  # the value must be at most this (unit), or ...
    ratio_target: float | None = None  # ... value / floor at most this
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.floor:
            return None
        return self.value / self.floor

    @property
    def ok(self) -> bool | None:
        if self.value is None:
            return None
        if self.ratio_target is not None:
            return self.ratio is not None and self.ratio <= self.ratio_target
        if self.target is not None:
            return self.value <= self.target
        return None


def _fmt(v: float | None, unit: str) -> str:
    if v is None:
        return "-"
    digits = 0 if v >= 100 else 1 if v >= 10 else 2
    return f"{v:.{digits}f} {unit}"


def table(figures: list[Figure]) -> str:
    rows = [("figure", "value", "floor", "ratio", "target", "result")]
    for f in figures:
        target = (f"<= {f.ratio_target:g}x floor" if f.ratio_target is not None
                  else f"<= {f.target:g} {f.unit}" if f.target is not None else "(info)")
        result = {True: "PASS", False: "FAIL", None: "-"}[f.ok]
        rows.append((f.name + (f" [{f.note}]" if f.note else ""), _fmt(f.value, f.unit),
                     _fmt(f.floor, f.unit), f"{f.ratio:.2f}x" if f.ratio else "-", target,
                     result))
    widths = [max(_width(r[i]) for r in rows) for i in range(6)]
    lines = ["  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths)).rstrip()
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in text)


# ---------------------------------------------------------------- books


def prepare(db: Path, n: int, open_n: int) -> float | None:
    """The book: generated when missing (returns the seconds it took), then one SLA pass."""
    from bench.make_history import generate as make

    seconds = None
    if not db.exists():
        db.parent.mkdir(parents=True, exist_ok=True)
        print(f"building {db} ({n:,} tickets) ...", flush=True)
        seconds = make(db, n, open_n=open_n, quiet=True)["total_s"]
    from repairdesk.services import sla
    from repairdesk.services.desk import open_desk

    desk = open_desk(str(db))
    t0 = time.perf_counter()
    written = len(sla.escalate(desk))
    desk.close()
    if written:
        print(f"SLA backlog: {written:,} warnings and breaches logged in "
              f"{time.perf_counter() - t0:.1f} s (once per book)", flush=True)
    return seconds


def last_full_month(today: date) -> str:
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    return f"{year:04d}-{month:02d}"


def ticket_marker(db: Path) -> bytes:
    """Bytes that appear on screen only once tickets are listed: the number's prefix."""
    conn = sqlite3.connect(str(db))
    # the desk's own numbers: the register floor's rows (FLOOR-…) are on the full board only
    (no,) = conn.execute("SELECT ticket_no FROM ticket WHERE ticket_no NOT LIKE 'FLOOR-%' "
                         "ORDER BY id DESC LIMIT 1").fetchone()
    conn.close()
    return no.split("-")[0].encode() + b"-"


# ---------------------------------------------------------------- the run


def measure(args: argparse.Namespace) -> list[Figure]:
    n = args.n
    if args.db and "://" in args.db:  # a PostgreSQL server: the data figures only
        return data.pg_figures(args.db, args, Figure)
    db = Path(args.db) if args.db else OUT / f"history-{n}.sqlite3"
    gen_s = prepare(db, n, args.open)
    with sqlite3.connect(str(db)) as conn:
        n = conn.execute("SELECT count(*) FROM ticket").fetchone()[0]
    figs: list[Figure] = []
    if gen_s is not None:  # a minute per million rows, pro rata
        figs.append(Figure(f"make_history.py {n:,} tickets", gen_s, "s", target=60 * n / 1e6))
    figs += ui.figures(db, args, Figure, ticket_marker(db))  # bench/ui_figures.py
    figs += data.figures(db, n, args, Figure)
    return figs


def main(argv: list[str] | None = None) -> list[Figure]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="tickets in the book")
    ap.add_argument("--db", default=None,
                    help="the book (built if missing; default bench/out/history-N.sqlite3), or "
                         "a postgresql+psycopg:// URL: the data figures on that server")
    ap.add_argument("--open", type=int, default=2000, help="open tickets, when building")
    ap.add_argument("--starts", type=int, default=5, help="start-ups timed per app")
    ap.add_argument("--presses", type=int, default=200, help="key presses per app")
    ap.add_argument("--idle", type=float, default=15.0, help="seconds of idle CPU sampled")
    ap.add_argument("--ticks", type=int, default=60)
    ap.add_argument("--registers", type=int, default=50)
    ap.add_argument("--searches", type=int, default=21)
    ap.add_argument("--month", default=None, help="YYYY-MM (default: last full month)")
    ap.add_argument("--month-n", type=int, default=100_000, help="tickets in that month")
    ap.add_argument("--month-book-n", type=int, default=None,
                    help="tickets in the month's book (default: as many as the main book)")
    ap.add_argument("--repeat", type=int, default=7, help="month table: median of these turns")
    ap.add_argument("--quick", action="store_true", help="few repetitions (smoke run)")
    ap.add_argument("--out", type=Path, default=None, help="also write the table here (md)")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    args = ap.parse_args(argv)
    if args.quick:
        args.starts, args.presses, args.idle, args.ticks = 2, 20, 2.0, 10
        args.registers, args.searches, args.repeat = 5, 3, 1
        args.month_n = min(args.month_n, 2000)
    started = time.strftime("%Y-%m-%d %H:%M")
    load = os.getloadavg()[0]
    figures = measure(args)
    text = table(figures)
    print(text)
    if args.out:
        args.out.write_text(
            f"# Performance figures\n\n`python bench/run.py {' '.join(argv or sys.argv[1:])}`"
            f" — {started}, {os.cpu_count()} cores, load average {load:.1f} at start\n\n"
            f"```\n{text}\n```\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps([asdict(f) | {"ok": f.ok} for f in figures],
                                        ensure_ascii=False, indent=1), encoding="utf-8")
    return figures


if __name__ == "__main__":
    main()
