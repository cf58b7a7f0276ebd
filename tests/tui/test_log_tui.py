"""`l` writes a duty-log entry; the viewer corrects one with a new entry."""

from __future__ import annotations

from textual.app import App
from textual.widgets import DataTable, Input

from repairdesk.services import dutylog
from repairdesk.tui.screens.dutylog import LogEntryScreen, LogViewScreen


class Host(App):
    def __init__(self, factory) -> None:
        super().__init__()
        self.factory = factory

    def on_mount(self) -> None:
        self.push_screen(self.factory())


async def test_entry_and_correction(staffed):
    desk = staffed  # 李静 holds the desk: a clerk writes the log as the holder
    dutylog.add_entry(desk, "地下车库积水", "李静")
    app = Host(lambda: LogViewScreen(desk))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#entries", DataTable)
        assert table.row_count == 1
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, LogEntryScreen)
        app.screen.query_one("#text", Input).value = "是3号楼地下车库"
        await pilot.press("enter")
        await pilot.pause()
        assert table.row_count == 2
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("enter")  # empty: refused, stays open
        await pilot.pause()
        assert isinstance(app.screen, LogEntryScreen)
        await pilot.press("escape")
        await pilot.pause()
    lines = dutylog.list_entries(desk)
    assert [e.text for e in lines] == ["地下车库积水", "是3号楼地下车库"]
    assert lines[1].corrects_id == lines[0].id



async def test_the_entry_dialog_leaves_the_logs_header_alone(desk_app, staffed):
    """Issue 17: the entry bar was drawn over the duty log's title and column header."""
    dutylog.add_entry(staffed, "地下车库积水", "李静")
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        await pilot.press("L")
        await pilot.pause()
        view = app.screen
        assert isinstance(view, LogViewScreen)
        table = view.query_one("#entries", DataTable)
        header_bottom = table.region.y + 1  # the title line(s) and the column header
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LogEntryScreen)
        entry = app.screen.query_one("#text", Input)
        dialog = entry.parent
        assert dialog.region.y > header_bottom, (dialog.region, table.region)
        assert entry.region.height == 1
