"""Issue 17: the demo's data fits together — content, category, place and the technician's
result agree (no cistern in a stairwell, no door fixed by replacing a switch)."""

from __future__ import annotations

from pathlib import Path

from repairdesk.config import load_config
from repairdesk.domain.enums import Action, Scope
from repairdesk.services import demo, tickets as T
from repairdesk.services.desk import open_desk


def test_every_demo_ticket_says_one_consistent_story(tmp_path: Path, clock) -> None:
    result = demo.build_demo(tmp_path / "demo.sqlite3", load_config(None), clock)
    desk = open_desk(str(result.path), config=load_config(None), guard=False)
    home = {(c, f): r for c, f, r in demo.HOME_FAULTS}
    public = {(p, c, f): r for p, c, f, r in demo.PUBLIC_FAULTS}
    try:
        records = T.list_tickets(desk)
        assert len(records) == result.tickets
        assert {r.intake.scope for r in records} == {Scope.HOME, Scope.PUBLIC}
        for r in records:
            i = r.intake
            if i.scope is Scope.PUBLIC:
                key = (i.room, i.category, i.content)
                assert key in public, key
                want = public[key]
            else:
                assert (i.category, i.content) in home, (i.room, i.category, i.content)
                want = home[(i.category, i.content)]
            for e in r.events:
                if e.action is Action.COMPLETE:
                    assert e.data["result"] == want, (i.content, e.data["result"])
    finally:
        desk.close()


def test_the_fault_lists_agree_with_themselves() -> None:
    cats = set(load_config(None).categories)
    assert {c for c, _f, _r in demo.HOME_FAULTS} <= cats
    assert {c for _p, c, _f, _r in demo.PUBLIC_FAULTS} <= cats
    # lifts, stairwells and gates are public; a home fault never names them
    for _c, f, _r in demo.HOME_FAULTS:
        assert not any(w in f for w in ("电梯", "楼道", "门禁", "车库", "外墙")), f
    assert demo.FAULTS and demo.PUBLIC_PLACES and demo.RESULTS  # what bench/phrases reads
