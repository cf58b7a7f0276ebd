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
