"""What the clerk typed is shown as typed: a string handed to a DataTable cell or a Static is
read as Textual markup, so `[紧急] 漏水` would lose its brackets (or worse). Cells holding data
go through `plain()`; Statics showing data are made with markup=False.

A cell is small: a table of the desk holds ~20,000 of them (2,000 open tickets x 9 columns,
and the alert strip), and a rich Text with its two lists is ~200 bytes before its string
(issue 18). `Cell` keeps only the string: Textual's DataTable (default_cell_formatter,
textual==8.2.8) turns an object that is neither a str nor a renderable into
`Text(str(obj))`, without reading markup, when the cell is drawn (visible rows; the
rendering is cached). `StyledCell` adds one style and builds its Text when drawn. Both read
back like a Text (`.plain`, `.style`, `str()`)."""

from __future__ import annotations

from typing import Any

from rich.text import Text


class Cell:
    """Literal text in a table cell (never markup)."""

    __slots__ = ("plain",)

    def __init__(self, plain: str) -> None:
        self.plain = plain

    def __str__(self) -> str:
        return self.plain

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.plain!r})"


class StyledCell(Cell):
    """Literal text in one style (a countdown, a status, an urgency)."""

    __slots__ = ("style",)

    def __init__(self, plain: str, style: str) -> None:
        self.plain = plain
        self.style = style

    def __rich__(self) -> Text:
        return Text(self.plain, style=self.style)

    def __repr__(self) -> str:
        return f"StyledCell({self.plain!r}, {self.style!r})"


def changed_cell(shown: StyledCell | None, text: str, style: str) -> StyledCell | None:
    """A new cell for a countdown on screen, or None when `shown` already says it: the 1 Hz
    tick rewrites only the cells that changed (LiveTable.set_cells)."""
    if shown is not None and shown.plain == text and shown.style == style:
        return None
    return StyledCell(text, style)


def plain(value: Any) -> Any:
    """A cell as literal text; our own styled cells and Text pass through."""
    if isinstance(value, (Cell, Text)) or value is None:
        return value
    return Cell(str(value))


def cells(*values: Any) -> list[Any]:
    return [plain(v) for v in values]


Pool = dict[tuple[str, "str | None"], Cell]


def share(pool: Pool, cell: Cell) -> Cell:
    """One cell per text and style within one table load: cells are never changed in place
    (a new one is set instead), so the rows showing the same word can hold the same cell."""
    return pool.setdefault((cell.plain, getattr(cell, "style", None)), cell)
