"""The desk walk (scripts/desk_walk.py) as a test: the real desk in tmux at 120×35, a call
registered and dispatched in at most 8 keys besides the words, and a 40-open-ticket handover
read back and signed within 3 minutes at a modelled human pace. Results are read from the book."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from needs import service_missing

ROOT = Path(__file__).resolve().parents[2]


def test_register_dispatch_and_40_ticket_handover_in_tmux() -> None:
    if shutil.which("tmux") is None:
        service_missing("tmux is not installed", "tmux.sh")
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "desk_walk.py"), "--json"],
                         capture_output=True, text=True, timeout=540)
    assert run.returncode in (0, 1), run.stderr[-3000:]
    walks = {w["walk"]: w for w in json.loads(run.stdout.strip().splitlines()[-1])}
    reg = walks["register and dispatch a call"]
    assert reg["pass"], reg["detail"]
    assert reg["keys"] <= 8
    (ho,) = [w for name, w in walks.items() if name.startswith("handover")]
    assert ho["pass"], ho["detail"]
    assert ho["human_s"] <= 180
