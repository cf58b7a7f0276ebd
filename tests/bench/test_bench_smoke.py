"""bench/run.py end to end on a small book: every figure is measured (its value is not judged
here; the real figures come from a 1,000,000-ticket run, see README "Performance")."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_figure_is_measured(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--n", "2000", "--open", "200",
         "--quick", "--db", str(tmp_path / "book.sqlite3"), "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))
    names = " | ".join(f["name"] for f in figures)
    for expected in ("make_history", "start-up to first full frame", "key press to repaint",
                     "CPU per 1 Hz tick", "peak memory", "register a ticket", "search 漏水",
                     "search 马桶堵塞", "monthly table", "desk idle CPU"):
        assert expected in names
    unmeasured = [f["name"] for f in figures if f["value"] is None]
    assert not unmeasured
    floors = [f for f in figures if f["name"].startswith(("start-up to first", "key press",
                                                           "search", "monthly table"))]
    assert all(f["floor"] for f in floors)  # each compared with its floor from the same run
    assert proc.stdout.count("\n") > len(figures)  # the table was printed


def test_the_postgresql_data_figures_are_measured(tmp_path: Path) -> None:
    """bench/run.py --db postgresql+psycopg://… on a small book built in a scratch schema:
    register, both searches and the month table, each against raw SQL on the same server (the
    month floor is the SQLite one translated: a change of the stored times must reach it)."""
    from needs import require_postgres

    from repairdesk.store.scratch import scratch_db

    require_postgres()
    out = tmp_path / "figures.json"
    with scratch_db("postgresql", tmp_path) as url:
        proc = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "run.py"), "--n", "2000", "--month-n", "300",
             "--quick", "--db", url, "--json", str(out)],
            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))
    measured = {f["name"].split(":")[0]: f for f in figures if f["value"] is not None}
    for expected in ("register a ticket (validated, durable)", "search 漏水", "search 马桶堵塞",
                     "monthly table"):
        found = [f for name, f in measured.items() if name.startswith(expected)]
        assert found and all(f["floor"] for f in found), expected
    month = next(f for f in figures if f["name"].startswith("monthly table"))
    assert "agrees with the floor" in month["note"]
