"""打印预览: a ticket's work order as the text printer would print it, one panel per copy (联).

Keys: p print · esc close. The screen only shows; it dismisses with True when the clerk asks
to print, and the caller queues and runs the job in its print worker
(services.printing.queue_work_order + run_job), as for `p` on the main screen."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...errors import RepairdeskError
from ...i18n import _
from ..keys import PRINT_PREVIEW_KEYS, bindings


class PrintPreviewScreen(Screen[bool]):
    """Dismisses with True (print it) or False (closed)."""

    CSS_PATH = "print_preview.tcss"
    KEYS = PRINT_PREVIEW_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self, desk: Any, ticket_no: str, job_id: int | None = None) -> None:
        super().__init__()
        self.desk = desk
        self.ticket_no = ticket_no
        self.job_id = job_id
        self.pages: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(_("Print preview: {no}").format(no=self.ticket_no), id="preview-title", markup=False)
        yield VerticalScroll(id="preview-pages")
        yield Static("", id="preview-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#preview-status", Static).update(_("Loading..."))
        self.load()

    @work(thread=True, exclusive=True, group="print-preview")
    def load(self) -> None:
        from ...services.printing import preview_text

        try:
            text = preview_text(self.desk, self.ticket_no, self.job_id)
        except RepairdeskError as exc:
            self.app.call_from_thread(self.show_error, str(exc))
            return
        self.app.call_from_thread(self.show_pages, text)

    def show_pages(self, text: str) -> None:
        self.pages = [p.strip("\n") for p in text.split("\f") if p.strip()]
        box = self.query_one("#preview-pages", VerticalScroll)
        box.remove_children()
        box.mount_all(Static(page, markup=False, classes="preview-page") for page in self.pages)
        self.query_one("#preview-status", Static).update(
            _("{n} copies; p prints, esc closes.").format(n=len(self.pages)))

    def show_error(self, message: str) -> None:
        status = self.query_one("#preview-status", Static)
        status.add_class("error")
        status.update(message)

    def action_print(self) -> None:
        if self.pages:
            self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
