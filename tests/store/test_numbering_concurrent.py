"""Gap-free 单号 with two processes registering into one book at the same time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reliability import driver as driver_module  # tests/reliability/driver.py

DRIVER = Path(driver_module.__file__)
PER_PROCESS = 80


@pytest.mark.slow
def test_two_processes_register_without_gap_or_duplicate(db_url: str) -> None:
    driver = driver_module
    subprocess.run([sys.executable, str(DRIVER), "roster", "--db", db_url], check=True,
                   timeout=60)
    results = driver.run_workers(db_url, [
        ["--seed", "1", "--clerk", "李静", "--count", str(PER_PROCESS), "--register-only", "--pace", "0.01"],
        ["--seed", "2", "--clerk", "陈晓雯", "--count", str(PER_PROCESS), "--register-only", "--pace", "0.01"],
    ])
    for code, out, err in results:
        assert code == 0, err[-2000:]
        assert "\nE " not in out and "locked" not in out + err, out + err
    outs = [out for _c, out, _e in results]
    numbers = [[line.split()[1] for line in o.splitlines() if line.startswith("T ")] for o in outs]
    assert [len(n) for n in numbers] == [PER_PROCESS, PER_PROCESS]
    every = sorted(numbers[0] + numbers[1])
    assert len(set(every)) == len(every), "a number was issued twice"
    by_period: dict[str, list[int]] = {}
    for no in every:
        head, _sep, seq = no.rpartition("-")
        by_period.setdefault(head, []).append(int(seq))
    for head, seqs in by_period.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), f"gap in {head}: {sorted(seqs)}"
    # they really ran at the same time: the numbers alternate between the two processes
    print(f"\ninterleavings: {driver.interleavings(outs)}")
    assert driver.interleavings(outs) >= 5
