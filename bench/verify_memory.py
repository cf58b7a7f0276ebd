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
from typing import Any


def measure(book: Path) -> dict[str, Any]:
    con = sqlite3.connect(f"file:{book}?mode=ro", uri=True)
    try:
        tickets = int(con.execute("SELECT count(*) FROM ticket").fetchone()[0])
        events = int(con.execute("SELECT count(*) FROM ticket_event").fetchone()[0])
    finally:
        con.close()
    # run beside the book: `-m` would import a repairdesk in the working directory first
    env, cwd = {**os.environ, "REPAIRDESK_LANG": "en"}, book.resolve().parent
    code = subprocess.run([sys.executable, "-c", "import repairdesk; print(repairdesk.__file__)"],
                          capture_output=True, text=True, env=env, cwd=cwd).stdout.strip()
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "repairdesk", "verify", str(book.resolve())],
                          capture_output=True, text=True, env=env, cwd=cwd)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB, the larger child
    out = (proc.stdout + proc.stderr).strip().splitlines()
    return {"tickets": tickets, "events": events, "peak_mib": peak_kib / 1024,
            "bytes_per_ticket": peak_kib * 1024 / max(tickets, 1), "seconds": seconds,
            "exit": proc.returncode, "said": out[-1] if out else "", "code": code}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("book", type=Path, help="a SQLite book (bench/make_history.py)")
    args = parser.parse_args()
    m = measure(args.book)
    print(f"verify {args.book}: {m['tickets']:,} tickets, {m['events']:,} events "
          f"(code: {m['code']})")
    print(f"  peak RSS {m['peak_mib']:,.0f} MiB = {m['bytes_per_ticket']:,.0f} B a ticket; "
          f"{m['seconds']:,.1f} s; exit {m['exit']}: {m['said'][:120]}")


if __name__ == "__main__":
    main()
