"""Two desks on one book: registering, dispatching, voiding and logging at the same time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reliability import driver as driver_module  # tests/reliability/driver.py

DRIVER = Path(driver_module.__file__)
ACTIONS = 150


def _clean(results: list[tuple[int, str, str]]) -> None:
    for code, out, err in results:
        assert code == 0, err[-2000:]
        # no "database is locked" (nor any other error) reaches the clerk
        assert "\nE " not in "\n" + out and "locked" not in out + err, (out + err)[-2000:]


@pytest.mark.slow
def test_two_desks_mixed_work_lose_nothing(db_url: str) -> None:
    driver = driver_module
    subprocess.run([sys.executable, str(DRIVER), "roster", "--db", db_url], check=True,
                   timeout=60)
    results = driver.run_workers(db_url, [
        ["--seed", "3", "--clerk", "李静", "--count", str(ACTIONS), "--pace", "0.01"],
        ["--seed", "4", "--clerk", "陈晓雯", "--count", str(ACTIONS), "--pace", "0.01"],
    ])
    _clean(results)
    reports = driver.Reports()
    for _code, out, _err in results:
        reports.feed(out)
    problems, held = driver.check_book(db_url, reports)
    print(f"\nconcurrency {'postgresql' if '://' in db_url else 'sqlite'}: {len(reports.tickets)} tickets, "
          f"{held['events']} events, {held['log']} duty-log entries, "
          f"interleavings {driver.interleavings([o for _c, o, _e in results])}, problems 0")
    assert problems == []
    # every ticket in the book was reported by one of the desks: nothing extra, nothing lost
    assert held["tickets"] == len(reports.tickets)
    assert held["events"] == sum(reports.tickets.values())
    assert driver.interleavings([o for _c, o, _e in results]) >= 5


@pytest.mark.slow
def test_sites_sharing_one_server_number_gap_free_per_site(db_url: str) -> None:
    """Estates on one central database: with {site} in the number format each site keeps its
    own gap-free sequence; desks of the same site share it."""
    driver = driver_module
    subprocess.run([sys.executable, str(DRIVER), "roster", "--db", db_url], check=True,
                   timeout=60)
    common = ["--count", "40", "--register-only", "--pace", "0.01", "--site-numbers"]
    results = driver.run_workers(db_url, [
        ["--seed", "5", "--site", "XF", *common],
        ["--seed", "6", "--site", "XF", *common],
        ["--seed", "7", "--site", "YH", *common],
    ])
    _clean(results)
    reports = driver.Reports()
    for _code, out, _err in results:
        reports.feed(out)
    problems, held = driver.check_book(db_url, reports)
    assert problems == []  # check_book verifies 1..n per period, i.e. per site and day
    sites = {no.split("-")[1] for no in reports.tickets}
    assert sites == {"XF", "YH"} and held["tickets"] == 120
    yh = sorted(int(n.rsplit("-", 1)[1]) for n in reports.tickets if "-YH-" in n)
    assert yh == list(range(1, 41))
