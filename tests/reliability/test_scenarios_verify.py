"""Every scenario of the rule book, played to its end, leaves a book `verify` passes: the ticket
rows equal the fold of their events whatever steps they took, every chain holds, every
signature and roster change agrees (issue 15: tamper evidence must not cry wolf)."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path

import pytest
from scenarios.test_scenarios import FILES, Play, _when

from repairdesk.errors import ValidationError
from repairdesk.services.integrity import verify_book


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_a_played_scenario_verifies(path: Path, any_desk, clock, english) -> None:
    story = tomllib.loads(path.read_text(encoding="utf-8"))
    play = Play(any_desk, clock)
    last: datetime | None = None
    for step in story["step"]:
        at = _when(step["at"], last)
        if "refused" in step:
            with pytest.raises(ValidationError):
                play.run(step, at)
        else:
            play.run(step, at)
        last = at
    assert verify_book(any_desk).problem is None


def test_the_demo_book_verifies(tmp_path: Path, clock, english) -> None:
    from repairdesk.config import load_config
    from repairdesk.services.demo import build_demo
    from repairdesk.services.desk import open_desk

    result = build_demo(tmp_path / "demo.sqlite3", load_config(None), clock)
    desk = open_desk(str(result.path), config=load_config(None), guard=False)
    try:
        assert verify_book(desk).problem is None
    finally:
        desk.close()
