"""Peak memory of `repairdesk verify` on a book: `python bench/verify_memory.py BOOK`.

Runs `python -m repairdesk verify BOOK` in a child process (the repairdesk on PYTHONPATH, else
the installed one) and prints its peak resident set (the child's ru_maxrss), its wall time, and
the peak per ticket of the book. verify reads the book a chunk at a time
(services/integrity.py CHUNK), so the peak should hardly move with the book's size: compare a
100k and a 1M bench book (bench/make_history.py)."""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path


def measure(book: Path) -> dict[str, float]:
    con = sqlite3.connect(f"file:{book}?mode=ro", uri=True)
    try:
        tickets = int(con.execute("SELECT count(*) FROM ticket").fetchone()[0])
        events = int(con.execute("SELECT count(*) FROM ticket_event").fetchone()[0])
    finally:
        con.close()
    env = {**os.environ, "REPAIRDESK_LANG": "en"}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "repairdesk", "verify", str(book)],
                          capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    out = (proc.stdout + proc.stderr).strip().splitlines()
    return {"tickets": tickets, "events": events, "peak_mib": peak_kib / 1024,
            "bytes_per_ticket": peak_kib * 1024 / max(tickets, 1), "seconds": seconds,
            "exit": proc.returncode, "said": out[-1] if out else ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("book", type=Path, help="a SQLite book (bench/make_history.py)")
    args = parser.parse_args()
    m = measure(args.book)
    print(f"verify {args.book}: {m['tickets']:,} tickets, {m['events']:,} events")
    print(f"  peak RSS {m['peak_mib']:,.0f} MiB = {m['bytes_per_ticket']:,.0f} B a ticket; "
          f"{m['seconds']:,.1f} s; exit {m['exit']}: {m['said'][:120]}")


if __name__ == "__main__":
    main()
