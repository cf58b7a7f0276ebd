"""Crash safety: SIGKILL a worker at random seeded moments; nothing it reported as saved may be
lost, the file stays sound, the 单号 stay gap-free and the duty-log chain verifies."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reliability import driver as driver_module  # tests/reliability/driver.py

DRIVER = Path(driver_module.__file__)
KILLS = int(os.environ.get("REPAIRDESK_CRASH_KILLS", "250"))


@pytest.mark.slow
def test_sigkill_loses_nothing(tmp_path: Path) -> None:
    db = tmp_path / "crash.sqlite3"
    proc = subprocess.run(
        [sys.executable, str(DRIVER), "crash", "--db", str(db), "--kills", str(KILLS),
         "--seed", "20261122"],
        capture_output=True, text=True, timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    totals = json.loads(proc.stdout.strip().splitlines()[-1])
    # the figures for the CI log (pytest -s, or read them from the assertion on failure)
    print(f"\ncrash harness: kills={totals['kills']} tickets={totals['tickets']} "
          f"events={totals['events']} duty-log={totals['log_entries']} "
          f"losses={totals['losses']} in {totals['seconds']} s")
    assert totals["problems"] == [], totals
    assert totals["losses"] == 0
    assert totals["kills"] >= 200
    # the workload really ran: many tickets, reported writes and duty-log entries
    assert totals["tickets"] >= 100 and totals["log_entries"] >= 5, totals
    assert totals["errors"] == [], totals


def test_checker_sees_a_lost_ticket_and_a_gap(tmp_path: Path) -> None:
    """The harness can fail: a ticket removed behind the app's back is reported."""
    driver = driver_module
    db = str(tmp_path / "book.sqlite3")
    driver.ensure_roster(db)
    desk = driver.open_work_desk(db)
    lines: list[str] = []
    try:
        driver.work(desk, 5, "李静", lines.append, count=30)
    finally:
        desk.close()
    reports = driver.Reports()
    reports.feed("\n".join(lines))
    assert driver.check_book(db, reports)[0] == []
    first = sorted(reports.tickets)[0]
    con = sqlite3.connect(db)
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute("DROP TRIGGER ticket_event_no_delete")
    con.execute("DROP TRIGGER ticket_no_delete")
    con.execute("DELETE FROM ticket_event WHERE ticket_id = (SELECT id FROM ticket WHERE "
                "ticket_no = ?)", (first,))
    con.execute("DELETE FROM ticket WHERE ticket_no = ?", (first,))
    con.commit()
    con.close()
    problems, _held = driver.check_book(db, reports)
    assert any(p.startswith(f"lost ticket {first}") for p in problems), problems
    assert any("gap" in p for p in problems), problems
    assert any(p.startswith("verify: ") and first in p for p in problems), problems


def test_checker_sees_a_broken_duty_log_chain(tmp_path: Path) -> None:
    driver = driver_module
    db = str(tmp_path / "book.sqlite3")
    driver.ensure_roster(db)
    desk = driver.open_work_desk(db)
    try:
        driver.work(desk, 11, "李静", lambda _l: None, count=80)
    finally:
        desk.close()
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM duty_log").fetchone()[0] >= 2
    con.execute("DROP TRIGGER duty_log_no_update")
    con.execute("UPDATE duty_log SET text = text || '!' WHERE seq = 1")
    con.commit()
    con.close()
    problems, _held = driver.check_book(db, driver.Reports())
    assert any("chain broken at 1" in p for p in problems), problems
