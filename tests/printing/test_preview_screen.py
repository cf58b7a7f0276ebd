"""The print preview screen on its own (the main screen opens it with `p`)."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Static

from repairdesk.tui.screens.print_preview import PrintPreviewScreen

from .conftest import register


class Host(App[None]):
    def __init__(self, desk, ticket_no: str) -> None:
        super().__init__()
        self.desk = desk
        self.ticket_no = ticket_no
        self.results: list[bool] = []

    def on_mount(self) -> None:
        self.push_screen(PrintPreviewScreen(self.desk, self.ticket_no), self.results.append)


async def test_preview_shows_each_copy_and_p_asks_to_print(desk):
    no = register(desk, service_type="paid")
    app = Host(desk, no)
    async with app.run_test(size=(100, 50)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PrintPreviewScreen)
        pages = list(screen.query(".preview-page").results(Static))
        assert len(pages) == 3
        texts = [str(p.render()) for p in pages]
        for text, name in zip(texts, ("客服存根", "工程联", "财务联")):
            assert name in text and no in text and "138****5678" in text
        await pilot.press("p")
        await pilot.pause()
    assert app.results == [True]


async def test_escape_closes_and_an_unknown_ticket_says_so(desk):
    app = Host(desk, "BX-20991231-0001")
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = app.screen.query_one("#preview-status", Static)
        assert "BX-20991231-0001" in str(status.render())
        await pilot.press("p")  # nothing to print
        await pilot.pause()
        assert isinstance(app.screen, PrintPreviewScreen)
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [False]
