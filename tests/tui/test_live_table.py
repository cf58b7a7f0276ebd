"""LiveTable.set_cells (issue 18): a countdown rewritten once a second shows on screen at once,
without counting a table-wide update (which made every visible cell render again), and the
rows it did not touch keep their cached rendering."""

from __future__ import annotations

from typing import Any

from textual.app import App

from repairdesk.tui.widgets.live_table import LiveTable


class _Table(App[None]):
    def compose(self) -> Any:
        yield LiveTable()

    def on_mount(self) -> None:
        table = self.query_one(LiveTable)
        table.add_column("no", key="no", width=6)
        table.add_column("left", key="left", width=8)
        for i in range(3):
            table.add_row(f"T{i}", f"{10 + i}m00s", key=f"T{i}")


def _line(table: LiveTable, row: int) -> str:
    return "".join(s.text for s in table.render_line(row + 1))  # below the header


async def test_a_rewritten_cell_is_on_screen_and_nothing_else_is_rendered_again():
    app = _Table()
    async with app.run_test(size=(40, 8)) as pilot:
        await pilot.pause()
        table = app.query_one(LiveTable)
        assert "11m00s" in _line(table, 1)
        count = table._update_count
        kept = [k for k in table._cell_render_cache.keys() if k[0].value == "T0"]
        others = [k for k in table._cell_render_cache.keys()
                  if (k[0].value, k[1].value) == ("T1", "no")]
        assert kept and others
        table.set_cells([("T1", "left", "10m59s")])
        await pilot.pause()
        assert "10m59s" in _line(table, 1) and "11m00s" not in _line(table, 1)
        assert "10m00s" in _line(table, 0) and "12m00s" in _line(table, 2)
        assert table._update_count == count  # no table-wide update
        assert all(k in table._cell_render_cache for k in kept)  # T0 was not rendered again
        # nor T1's other cells: only the rewritten cell renders again (a tick's cost)
        assert all(k in table._cell_render_cache for k in others), others
        assert table.get_cell("T1", "left") == "10m59s"
