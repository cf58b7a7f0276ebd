"""Sections as terminal tables (rich): CJK-aware column widths, plain text when piped."""

from __future__ import annotations

from decimal import Decimal
from typing import TextIO
from zoneinfo import ZoneInfo

from ..i18n import _
from .sections import Money, Minutes, Pct, Section, cell_text

_RIGHT = (int, Decimal, Money, Pct, Minutes)


def render(sections: list[Section], tz: ZoneInfo, file: TextIO, width: int | None = None) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    if width is None and not (hasattr(file, "isatty") and file.isatty()):
        width = 200  # piped or to a file: no terminal to fit, keep rows on one line
    console = Console(file=file, width=width, highlight=False, soft_wrap=False)
    for section in sections:
        table = Table(title=section.title, box=box.SIMPLE_HEAD, title_justify="left",
                      caption=section.note or None, caption_justify="left")
        sample = section.rows[0] if section.rows else ()
        for i, header in enumerate(section.headers):
            right = i < len(sample) and isinstance(sample[i], _RIGHT) and i > 0
            table.add_column(header, justify="right" if right else "left", overflow="fold")
        for row in section.rows:
            table.add_row(*(cell_text(c, tz) for c in row))
        if not section.rows and not section.note:
            table.caption = _("none")
        console.print(table)
