"""The whole handover by keyboard: generate, explain the blocker, read back with one
discrepancy, both sign, locked."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.widgets import DataTable, Input

from repairdesk.domain.sla_rules import ClockName
from repairdesk.services import handover, shifts, signing
from repairdesk.services import tickets as T
from repairdesk.tui.screens.handover import HandoverScreen

OUT, IN = "李静", "陈晓雯"


pytestmark = pytest.mark.usefixtures("fast_pins")


class Host(App):
    def __init__(self, screen_factory) -> None:
        super().__init__()
        self.factory = screen_factory
        self.result: object = "unset"

    def on_mount(self) -> None:
        self.push_screen(self.factory(), callback=self._done)

    def _done(self, result: object) -> None:
        self.result = result


@pytest.fixture
def night(roster, clock):
    for name, pin in ((OUT, "11111111"), (IN, "22222222")):
        signing.set_pin_unchecked(roster, name, pin)
    shifts.sign_on(roster, OUT, "11111111")
    T.register_ticket(roster, T.IntakeForm(room="3-2-1501", caller="王先生",
                                            content="厨房水龙头滴水", category="水"), OUT)
    # dispatched, taken and on site at once: only its completion clock still runs
    T.dispatch_ticket(roster, "BX-20261122-0001", "张建国", OUT)
    T.accept_ticket(roster, "BX-20261122-0001", "张建国")
    T.arrive_ticket(roster, "BX-20261122-0001", "张建国")
    T.register_ticket(roster, T.IntakeForm(room="1-1-101", caller="李女士", content="电梯困人",
                                            category="电梯", urgency="urgent"), OUT)
    clock.advance(hours=7)
    return roster


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch if ch.isascii() else ch)


async def test_full_handover_by_keyboard(night):
    app = Host(lambda: HandoverScreen(night))
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HandoverScreen)
        keys = [ln.key for ln in screen.lines]
        urgent = keys.index("ticket:BX-20261122-0002")
        # signing before the blocker is explained is refused, nothing changes hands
        for _ in range(len(keys)):
            await pilot.press("space")
        await pilot.press("g")
        await pilot.pause()
        assert screen.focused is screen.query_one("#lines", DataTable)  # no PIN asked
        assert screen.locked_id is None
        assert "BX-20261122-0002" in str(screen.query_one("#status").render())
        assert shifts.current_holder(night) == OUT
        # explain the urgent ticket: its line changes, so it must be read back again
        table = screen.query_one("#lines", DataTable)
        table.focus()
        table.move_cursor(row=urgent)
        await pilot.press("e")
        screen.query_one("#prompt", Input).value = "电梯公司已在路上"
        await pilot.press("enter")
        await pilot.pause()
        assert "ticket:BX-20261122-0002" not in screen.answers
        table.move_cursor(row=urgent)
        await pilot.press("space")
        # radios: the incoming clerk counts 3, not 4 — a discrepancy
        table.move_cursor(row=[ln.key for ln in screen.lines].index("item:radios"))
        await pilot.press("x", "3", "enter")
        await pilot.pause()
        assert screen.answers["item:radios"].actual == "3"
        assert all(ln.key in screen.answers for ln in screen.lines)
        # both sign: outgoing name is prefilled with the holder
        await pilot.press("g", *"11111111", "enter")
        screen.query_one("#in-name", Input).value = IN
        await pilot.press("enter", *"22222222", "enter")
        await pilot.pause()
        assert screen.locked_id is not None
        # the confirmation carries the anchor to write down (services/anchors.py)
        from repairdesk.services.anchors import handover_anchor

        anchor = handover_anchor(night, screen.locked_id)
        assert anchor and anchor in str(screen.query_one("#status").render())
        assert screen.query_one("#in-pin", Input).value == ""
        assert screen.query_one("#in-pin", Input).disabled
        # locked: further keys change nothing
        await pilot.press("space", "x")
        await pilot.press("escape")
        await pilot.pause()
        assert app.result == screen.locked_id
    rec = handover.get_handover(night)
    assert rec.discrepancies == 1 and rec.incoming == IN
    assert rec.content["explanations"] == {"BX-20261122-0002": "电梯公司已在路上"}
    assert shifts.current_holder(night) == IN


async def test_history_shows_signed_record(night):
    from repairdesk.domain.handover import ReadBack, lines
    from repairdesk.tui.screens.handover import HandoverHistoryScreen

    c = handover.build_checklist(night, explanations={"BX-20261122-0002": "已通知班长"})
    handover.complete_handover(night, c, {ln.key: ReadBack(ln.key, True) for ln in lines(c)},
                               OUT, "11111111", IN, "22222222")
    app = Host(lambda: HandoverHistoryScreen(night))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        text = str(app.screen.query_one("#record").render())
        assert IN in text and "已通知班长" in text


async def test_a_breached_arrival_shows_its_deadline_and_blocks_g(night, clock):
    """A lift rescue dispatched and taken at once, nobody on site 2 h later: the arrival
    deadline (10 min for urgent, from the call at 17:00) is on its line and `g` is refused
    until the outgoing clerk explains it."""
    no = T.register_ticket(night, T.IntakeForm(room="2-1-301", caller="孙女士", content="电梯困人",
                                               category="电梯", urgency="urgent"), OUT).ticket_no
    T.dispatch_ticket(night, no, "张建国", OUT)
    T.accept_ticket(night, no, "张建国")
    T.dispatch_ticket(night, "BX-20261122-0002", "王师傅", OUT)
    T.accept_ticket(night, "BX-20261122-0002", "王师傅")
    T.arrive_ticket(night, "BX-20261122-0002", "王师傅")
    clock.advance(hours=2)
    app = Host(lambda: HandoverScreen(night))
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#lines", DataTable)
        row = [ln.key for ln in screen.lines].index(f"ticket:{no}")
        stated = str(table.get_row_at(row)[1])
        assert "2026/11/22 17:10" in stated, stated  # 17:00 + 10 min, site time
        for _ in screen.lines:
            await pilot.press("space")
        await pilot.press("g")
        await pilot.pause()
        assert screen.focused is table
        status = str(screen.query_one("#status").render())
        assert no in status and ClockName.ARRIVE.label in status, status
        table.move_cursor(row=row)
        await pilot.press("e")
        screen.query_one("#prompt", Input).value = "电梯公司维保人员堵车,已告知业主"
        await pilot.press("enter")
        await pilot.pause()
        table.move_cursor(row=row)
        await pilot.press("space", "g")
        await pilot.pause()
        assert screen.focused is screen.query_one("#out-pin", Input)
