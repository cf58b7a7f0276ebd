"""What the clerk typed is shown as typed: a string handed to a DataTable cell or a Static is
read as Textual markup, so `[紧急] 漏水` would lose its brackets (or worse). Cells holding data
go through `plain()`; Statics showing data are made with markup=False."""

from __future__ import annotations

from typing import Any

from rich.text import Text


def plain(value: Any) -> Any:
    """A cell as literal text; styled Text (our own) passes through."""
    if isinstance(value, Text) or value is None:
        return value
    return Text(str(value))


def cells(*values: Any) -> list[Any]:
    return [plain(v) for v in values]
