"""The floor for the desk's start-up and key-press figures: a bare Textual app with a header,
a footer and, so that a key press has something to repaint, one table shaped like the desk's
ticket table (the same nine columns and widths, Chinese text, 40 rows) and nothing else: no
database, no clocks, no panels.

Run by bench/run.py under a pseudo-terminal exactly like the desk: `python bench/bare_app.py`.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

ROWS = 40
COLUMNS = (("单号", 17), ("剩余", 7), ("状态", 10), ("紧急", 4), ("来电", 5), ("房号/位置", 14),
           ("类别", 4), ("维修工", 6), ("内容", None))


class BareApp(App[None]):
    TITLE = "bare"

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width)
        for i in range(ROWS):
            table.add_row(f"BX-20261122-{i:04d}", "12:00", "已派工", "急", "08:15",
                          f"{i % 24 + 1}-1-1201", "水", "张建国", "厨房水龙头漏水，请尽快处理")
        table.focus()


if __name__ == "__main__":
    BareApp().run()
