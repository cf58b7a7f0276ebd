"""Keys that do what a clerk expects (issue 17): `x` (void) asks y/n after the reason, like
`k`; Down leaves the search box for the results; End in the duty log goes to the last entry."""

from __future__ import annotations

from textual.widgets import DataTable

from repairdesk.services import dutylog
from repairdesk.services import tickets as T

from .conftest import settle, type_text


def _register(staffed, room: str = "3-2-1501", content: str = "漏水") -> str:
    return T.register_ticket(staffed, T.IntakeForm(room=room, caller="王先生", content=content),
                             "李静").ticket_no


async def test_x_asks_before_voiding(desk_app, staffed):
    no = _register(staffed)
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await type_text(pilot, "重复登记")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmPrompt"
        assert any("重复登记" in str(s.render()) for s in app.screen.query("Static"))
        await pilot.press("enter")  # a stray Enter is no yes
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmPrompt"
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is app.desk_screen
        assert T.get_ticket(staffed, no).status.value != "voided"
        await pilot.press("x")
        await settle(pilot)
        await type_text(pilot, "重复登记")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        record = T.get_ticket(staffed, no)
        assert record.status.value == "voided"
        assert record.events[-1].note == "重复登记"


async def test_down_moves_from_the_search_box_into_the_results(desk_app, staffed):
    _register(staffed, "3-2-1501", "厨房漏水")
    _register(staffed, "3-2-1502", "卫生间漏水")
    app = desk_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        await type_text(pilot, "漏水")
        await settle(pilot)
        hits = app.screen.query_one("#hits", DataTable)
        assert hits.row_count == 2
        await pilot.press("down")
        await pilot.pause()
        assert app.screen.focused is hits
        assert hits.cursor_row == 0
        await pilot.press("down")  # in the results, Down moves on
        await pilot.pause()
        assert hits.cursor_row == 1


async def test_end_in_the_duty_log_goes_to_the_last_entry(desk_app, staffed):
    for i in range(30):
        dutylog.add_entry(staffed, f"巡查第 {i + 1} 次：地下车库、配电房、水泵房正常，"
                          "消防通道畅通，监控画面清晰，无异常情况" * 2, "李静")
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        table = app.screen.query_one("#entries", DataTable)
        assert app.screen.focused is table and table.row_count == 30
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 29
        assert table.scroll_x == 0  # not sideways
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0
