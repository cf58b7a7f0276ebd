"""The reports screen by keyboard: the month's table with hand-counted figures, the month
picker, the charts and an export, on the month of tests/reportdata.py."""

from __future__ import annotations


import pytest
from textual.app import App
from textual.widgets import DataTable, TabbedContent

from repairdesk.i18n import _
from repairdesk.tui.screens.reports import ReportsScreen

import reportdata as data  # tests/reportdata.py


class Host(App):
    def __init__(self, screen_factory) -> None:
        super().__init__()
        self.factory = screen_factory
        self.closed = False

    def on_mount(self) -> None:
        self.push_screen(self.factory(), callback=self._done)

    def _done(self, _result: object) -> None:
        self.closed = True


@pytest.fixture
def month(staffed, clock):
    return data.build(staffed, clock)


def _cells(screen: ReportsScreen) -> list[list[str]]:
    table = screen.query_one("#month-table", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def _value(screen: ReportsScreen, label: str) -> str:
    for row in _cells(screen):
        if row[0] == label:
            return row[1]
    raise AssertionError(f"no row {label}")


async def _settle(app: App, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_month_table_picker_charts_and_export(month, staffed, tmp_path):
    app = Host(lambda: ReportsScreen(staffed, "2026-11", export_dir=tmp_path))
    async with app.run_test(size=(140, 50)) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        assert not screen.loading
        assert _value(screen, _("Tickets in total")) == "6"  # the voided one is listed apart
        assert _value(screen, _("First ticket number")) == "BX-20261101-0001"
        assert _value(screen, _("Missing numbers")) == "BX-20261110-0002"
        assert _value(screen, _("Fees charged")) == "¥209.30"
        assert _value(screen, _("Rework rate")) == "25.0%"
        from repairdesk.domain.sla_rules import ClockName

        # met, missed, rate, pending (none of the month's dispatch clocks is still running)
        assert [ClockName.DISPATCH.label, "4", "2", "66.7%", "0"] in _cells(screen)
        assert screen.table.clocks_available
        assert {c.clock: (c.met, c.missed) for c in screen.table.clocks} == \
            data.EXPECTED["clocks"]
        title = str(screen.query_one("#title").render())
        assert "2026-11" in title
        # the charts: three plots drawn from the month
        await pilot.press("tab")
        await pilot.pause()
        assert screen.query_one("#views", TabbedContent).active == "charts-pane"
        for plot in ("#chart-days", "#chart-ontime", "#chart-categories"):
            assert str(screen.query_one(plot).render()).strip()
        await pilot.press("tab")
        # earlier month: only the ticket of October 31st
        await pilot.press("left_square_bracket")
        await _settle(app, pilot)
        assert screen.month == "2026-10"
        assert _value(screen, _("Tickets in total")) == "1"
        assert "2026-10" in str(screen.query_one("#title").render())
        await pilot.press("right_square_bracket", "right_square_bracket")
        await _settle(app, pilot)
        assert screen.month == "2026-12"
        assert _value(screen, _("Tickets in total")) == "0"
        await pilot.press("t")
        await _settle(app, pilot)
        assert screen.month == "2026-11"
        # export: the workbook lands in the export folder
        await pilot.press("x")
        await _settle(app, pilot)
        assert screen.last_export == tmp_path / "repairdesk-month-2026-11.xlsx"
        from openpyxl import load_workbook

        wb = load_workbook(screen.last_export, read_only=True)
        assert wb.sheetnames == [_("Monthly table"), _("Ticket list")]
        wb.close()
        assert str(screen.last_export) in str(screen.query_one("#status").render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.closed


async def test_an_answer_for_a_month_already_left_is_ignored(month, staffed):
    app = Host(lambda: ReportsScreen(staffed, "2026-11"))
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        from repairdesk.services.reports import month_table

        old = month_table(staffed, "2026-10", clocks=False)
        screen.post_message(ReportsScreen.TableLoaded(old, final=True))
        await pilot.pause()
        assert screen.table.month == "2026-11"
        assert _value(screen, _("Tickets in total")) == "6"
