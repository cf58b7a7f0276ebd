"""`/`: search every ticket in the book — number, room/place, caller, content, phone — as the
clerk types (a worker per keystroke; the newest search wins). Enter on a hit opens it."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from ...i18n import _
from ..keys import SEARCH_KEYS, bindings
from ..text import cells

LIMIT = 200


class SearchScreen(Screen[None]):
    KEYS = SEARCH_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self, desk: Any) -> None:
        super().__init__()
        self.desk = desk
        self.hits: list[str] = []

    def compose(self) -> ComposeResult:
        yield Input(placeholder=_("Search: ticket no., room, caller, phone or words such as "
                                  "a fault"), id="query", max_length=100)
        yield Static("", id="search-count", classes="duty-status", markup=False)
        yield DataTable(id="hits", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        t = self.query_one("#hits", DataTable)
        t.add_column(_("Ticket no."), key="no", width=17)
        t.add_column(_("Received"), key="at", width=16)
        t.add_column(_("Status"), key="status", width=8)
        t.add_column(_("Room/place"), key="room", width=14)
        t.add_column(_("Content"), key="content")
        self.query_one("#query", Input).focus()

    @on(Input.Changed, "#query")
    def _typed(self, event: Input.Changed) -> None:
        from ...services.tickets import search_tickets

        text = event.value
        self.app.run_service(lambda: (text, search_tickets(self.desk, text, LIMIT)),
                             done=self._show, group="search", exclusive=True)

    def _show(self, result: tuple[str, tuple[list[Any], int]]) -> None:
        text, (records, total) = result
        if text != self.query_one("#query", Input).value:
            return  # an older search finished after a newer keystroke
        tz = self.desk.config.tz
        t = self.query_one("#hits", DataTable)
        t.clear()
        self.hits = [r.ticket_no for r in records]
        for r in records:
            t.add_row(*cells(r.ticket_no, r.intake.received_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                      r.status.label, r.intake.room, r.intake.content.replace("\n", " ")),
                      key=r.ticket_no)
        count = self.query_one("#search-count", Static)
        if not text.strip():
            count.update("")
        elif total > len(records):
            count.update(_("{total} found; the newest {n} shown.").format(
                total=total, n=len(records)))
        else:
            count.update(_("{total} found.").format(total=total))

    @on(Input.Submitted, "#query")
    def _to_hits(self) -> None:
        if self.hits:
            self.query_one("#hits", DataTable).focus()

    def action_to_hits(self) -> None:
        """Down in the search box: into the results (in the results, Down moves on)."""
        self._to_hits()

    @on(DataTable.RowSelected, "#hits")
    def _open(self, event: DataTable.RowSelected) -> None:
        from .ticket import TicketScreen

        no = event.row_key.value
        if no:
            self.app.push_screen(TicketScreen(self.desk, no))

    def action_close(self) -> None:
        self.dismiss(None)
