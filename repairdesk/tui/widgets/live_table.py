"""A DataTable for thousands of one-line rows that a clock keeps rewriting (the ticket table,
the alert strip): what is on screen, and a reload that does not measure every cell.

Textual 8's DataTable sizes itself after new rows by rendering and measuring every cell of
every new row, O(rows x columns) Rich measurements: about half a second for the 2,000 open
tickets of a big estate. Our rows are one line high and only auto-width columns depend on
their cells, so only those cells are measured, by their text's cell width.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.coordinate import Coordinate
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey


def _width(value: Any) -> int:
    if isinstance(value, Text):
        return value.cell_len
    if isinstance(value, str):  # as DataTable shows a string: read as markup
        return Text.from_markup(value).cell_len
    return Text(str(value)).cell_len


class LiveTable(DataTable[Any]):
    def visible_rows(self) -> range:
        """Row indexes on screen (one spare either side)."""
        top = int(self.scroll_y)
        height = max(1, self.scrollable_content_region.height)
        return range(max(0, top - 1), min(self.row_count, top + height + 1))

    def set_cells(self, cells: list[tuple[str, str, Any]]) -> None:
        """Rewrite cells of a fixed width (a countdown) and repaint only them.

        DataTable.update_cell counts an update, which invalidates every cache the table keeps:
        the row order and offsets of all rows, and the rendering of every cell on screen, so
        a tick rewriting the countdowns re-rendered the whole visible table (issue 18). Here
        only the cached renderings of the rows changed are dropped (textual==8.2.8: the
        caches are keyed by row key, or by row index, or by screen line; a cell's rendering
        by row and column key, so the other cells of a changed row keep theirs) and only the
        changed cells' regions are repainted."""
        if not cells:
            return
        rows: set[RowKey] = set()
        changed: set[tuple[RowKey, ColumnKey]] = set()
        indexes: set[int] = set()
        where: list[Coordinate] = []
        for row, column, value in cells:
            key, column_key = RowKey(row), ColumnKey(column)
            self._data[key][column_key] = value
            rows.add(key)
            changed.add((key, column_key))
            index = self._row_locations.get(key)
            indexes.add(index)
            where.append(Coordinate(index, self._column_locations.get(column_key)))
        count = self._update_count
        for index in indexes:
            self._row_renderable_cache.discard((count, index))
        for cache_key in [k for k in self._cell_render_cache.keys() if k[:2] in changed]:
            self._cell_render_cache.discard(cache_key)
        for cache_key in [k for k in self._row_render_cache.keys() if k[0] in rows]:
            self._row_render_cache.discard(cache_key)
        self._line_cache.clear()  # by screen line; the lines of other rows are cheap again
        for coordinate in where:  # those cells' regions only
            self.refresh_coordinate(coordinate)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # replaces DataTable._update_dimensions (textual==8.2.8): same widths and virtual
        # size for one-line, unlabelled rows, without rendering every cell
        auto = [c for c in self.columns.values() if c.auto_width]
        for key in new_rows:
            cells = self._data.get(key)
            if cells is None:  # removed before the table went idle
                continue
            for column in auto:
                if column.key in cells:
                    column.content_width = max(column.content_width,
                                               _width(cells[column.key]))
        width = sum(c.get_render_width(self) for c in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(width + self._row_label_column_width,
                                 self._total_row_height + header)
