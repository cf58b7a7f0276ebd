"""The floor for the desk's start-up and key-press figures: a bare Textual app with a header,
a footer and a small table to move a cursor in (so a key press has something to repaint).

Run by bench/run.py under a pseudo-terminal exactly like the desk: `python bench/bare_app.py`.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

ROWS = 40


class BareApp(App[None]):
    TITLE = "bare"

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("no", "left", "status", "place", "content")
        for i in range(ROWS):
            table.add_row(f"BX-20261122-{i:04d}", "12:00", "registered", f"{i % 24 + 1}-1-1201",
                          "kitchen tap leaking")
        table.focus()


if __name__ == "__main__":
    BareApp().run()
