"""The handover screen can be read back at every size (issue 17): the ticket numbers as the
desk panel says them (first to last, how many), explanations wrapped whole, the read-back
column on screen at 80x24, the history's record scrollable down to the signatures, and once
signed the footer no longer offers read-back or signing."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Input

from repairdesk import i18n
from repairdesk.domain.handover import ReadBack, lines
from repairdesk.services import handover
from repairdesk.services import tickets as T
from repairdesk.tui.screens.handover import HandoverHistoryScreen, HandoverScreen

from .test_handover_tui import IN, OUT, Host, night  # noqa: F401 - the night fixture

pytestmark = pytest.mark.usefixtures("fast_pins")

LONG = ("电梯公司维保人员在外环堵车，预计四十分钟后到达，已电话告知业主并请保安在电梯厅"
        "守候，业主同意等待，如二十二点仍未到场则由值班经理再次联系电梯公司值班调度")


def _rows(table: DataTable) -> dict[str, int]:
    return {str(key.value): row.height for key, row in table.rows.items()}


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 35)],
                         ids=lambda s: f"{s[0]}x{s[1]}")
async def test_numbers_read_as_first_to_last_and_nothing_is_cut(night, size):  # noqa: F811
    for i in range(4):
        T.register_ticket(night, T.IntakeForm(room=f"5-1-{301 + i}", caller="赵女士",
                                              content="灯不亮", category="电"), OUT)
    app = Host(lambda: HandoverScreen(night))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#lines", DataTable)
        numbers = str(table.get_row_at(0)[1])
        # zh_CN: BX-20261122-0001 至 BX-20261122-0006（6 张）
        assert numbers == i18n._("{first} to {last} ({n})").format(
            first="BX-20261122-0001", last="BX-20261122-0006", n=6), numbers
        widths = {c.key.value: c.get_render_width(table) for c in table.columns.values()}
        assert sum(widths.values()) <= table.size.width, widths  # read-back column on screen
        # the numbers shown whole: on one line where it fits, wrapped at 80 columns
        lines_needed = -(-cell_len(numbers) // (widths["stated"] - 2))
        assert _rows(table)["numbers"] >= lines_needed, (widths, numbers)
        # a long explanation wraps: its row grows, the whole text is in it
        row = [ln.key for ln in screen.lines].index("ticket:BX-20261122-0002")
        table.move_cursor(row=row)
        await pilot.press("e")
        screen.query_one("#prompt", Input).value = LONG
        await pilot.press("enter")
        await pilot.pause()
        assert LONG in str(table.get_row_at(row)[1])
        assert _rows(table)["ticket:BX-20261122-0002"] > 1


async def test_after_signing_the_footer_drops_read_back_and_sign(night):  # noqa: F811
    app = Host(lambda: HandoverScreen(night))
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.explanations["BX-20261122-0002"] = "电梯公司已在路上"
        screen.refresh_checklist()
        for _ in screen.lines:
            await pilot.press("space")
        shown = [k.key for k in screen.query("FooterKey")]
        assert {"space", "x", "e", "a", "g"} <= set(shown), shown
        await pilot.press("g", *"11111111", "enter")
        screen.query_one("#in-name", Input).value = IN
        await pilot.press("enter", *"22222222", "enter")
        await pilot.pause()
        assert screen.locked_id is not None
        await pilot.pause()
        shown = [k.key for k in screen.query("FooterKey")]
        assert not {"space", "x", "e", "a", "g"} & set(shown), shown
        assert "escape" in shown


async def test_the_history_record_scrolls_to_the_signatures(night):  # noqa: F811
    for i in range(20):  # a busy night: the record is longer than the screen
        T.register_ticket(night, T.IntakeForm(room=f"6-2-{401 + i}", caller="钱先生",
                                              content="下水道堵塞", category="水"), OUT)
    c = handover.build_checklist(night, explanations={"BX-20261122-0002": LONG})
    handover.complete_handover(night, c, {ln.key: ReadBack(ln.key, True) for ln in lines(c)},
                               OUT, "11111111", IN, "22222222")
    app = Host(lambda: HandoverHistoryScreen(night))
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        record = app.screen.query_one("#record-scroll", VerticalScroll)
        assert app.screen.focused is record
        assert record.max_scroll_y > 0  # longer than the screen: it must scroll
        await pilot.press("end")
        await pilot.pause()
        assert record.scroll_y == record.max_scroll_y
        text = str(app.screen.query_one("#record").render())
        assert IN in text and OUT in text
