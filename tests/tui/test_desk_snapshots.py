"""SVG snapshots of the main desk with a fixed clock, in both languages, at the sizes the
desk is used at (120x35 built for, 100x30 and 80x24 usable). Update with `pytest
--snapshot-update` after a deliberate change, and look at the report before committing."""

from __future__ import annotations

import pytest

from repairdesk import i18n
from repairdesk.services import tickets as T

from .conftest import settle

SIZES = [(120, 35), (100, 30), (80, 24)]


@pytest.fixture
def busy_desk(staffed, clock, monkeypatch):
    """A morning at the desk: a fresh call, one dispatched, one late, one done."""
    # the print panel shows its folder under the user data directory: the same every run
    monkeypatch.setenv("XDG_DATA_HOME", "/tmp/repairdesk-snapshots")
    clock.advance(minutes=-50)
    late = T.register_ticket(staffed, T.IntakeForm(
        room="5栋2单元楼道", scope="public", caller="李女士", content="楼道声控灯不亮",
        category="电"), "李静")
    clock.advance(minutes=20)
    done = T.register_ticket(staffed, T.IntakeForm(
        room="3-2-1501", caller="王先生", phone="13812345678", content="厨房水龙头关不住，一直滴水",
        category="水"), "李静")
    T.dispatch_ticket(staffed, done.ticket_no, "张建国", "李静")
    T.accept_ticket(staffed, done.ticket_no, "李静")
    T.arrive_ticket(staffed, done.ticket_no, "李静")
    T.complete_ticket(staffed, done.ticket_no, "更换阀芯，试水正常", "李静")
    clock.advance(minutes=26)
    sent = T.register_ticket(staffed, T.IntakeForm(
        room="1-1-101", caller="张阿姨", content="电梯困人，轿厢内有一名老人", category="电梯",
        urgency="urgent"), "李静")
    T.dispatch_ticket(staffed, sent.ticket_no, "王师傅", "李静")
    clock.advance(minutes=3)
    T.register_ticket(staffed, T.IntakeForm(
        room="2-1-602", caller="刘先生", content="卧室窗户关不严，漏风", category="门窗"), "李静")
    clock.advance(minutes=1)
    assert late.ticket_no
    return staffed


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_desk_snapshot(busy_desk, snap_compare, lang, size):
    from repairdesk.tui.app import RepairDeskApp

    i18n.set_language(lang)
    app = RepairDeskApp(busy_desk, live=False)

    async def ready(pilot):
        await settle(pilot)
        app.tick()
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=ready)
