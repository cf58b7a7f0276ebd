"""Sections as an Excel workbook (openpyxl): the monthly table on the first sheet, the month's
tickets on the second. Numbers stay numbers (money in yuan, rates as percentages), headers are
in the desk's language, column widths are set. Written in openpyxl's streaming mode: a busy
month's ticket list has 100,000 rows."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from .formula import neutral
from .sections import Cell, Minutes, Money, Pct, Section, When

MONEY_FORMAT = '"¥"#,##0.00'
PCT_FORMAT = "0.0%"
MIN_FORMAT = "0.0"
TIME_FORMAT = "yyyy-mm-dd hh:mm"
SHEET_CHARS = 31  # Excel's limit on a sheet name


def _letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


class _Writer:
    def __init__(self, ws: Any, tz: ZoneInfo) -> None:
        from openpyxl.styles import Font, PatternFill

        self.ws = ws
        self.tz = tz
        self.bold = Font(bold=True)
        self.title = Font(bold=True, size=13)
        self.fill = PatternFill("solid", fgColor="E8E8E8")

    def cell(self, value: Cell) -> Any:
        """A plain value where no format is needed (much faster in streaming mode), else a
        cell carrying its number format."""
        from openpyxl.cell import WriteOnlyCell

        if isinstance(value, str):
            return self.text(value)
        if value is None or isinstance(value, (int, Decimal)):
            return value
        fmt = None
        if isinstance(value, Money):
            value, fmt = value.value, MONEY_FORMAT
        elif isinstance(value, Pct):
            value, fmt = value.value, PCT_FORMAT
        elif isinstance(value, Minutes):
            value, fmt = (round(value.value, 1) if value.value is not None else None), MIN_FORMAT
        elif isinstance(value, When):
            # Excel has no time zones: write the site's local time
            value = value.value.astimezone(self.tz).replace(tzinfo=None) if value.value else None
            fmt = TIME_FORMAT
        if value is None:
            return None
        c = WriteOnlyCell(self.ws, value=value)
        c.number_format = fmt
        return c

    def text(self, text: str) -> Any:
        """Text as text: openpyxl stores a string starting with = as a formula. One that a
        spreadsheet would read as a formula (formula.py, shared with the CSV writer) becomes
        a string cell with Excel's quote prefix — shown as typed, never evaluated, and still
        text when someone edits the cell."""
        from openpyxl.cell import WriteOnlyCell

        if neutral(text) == text:
            return text
        c = WriteOnlyCell(self.ws, value=text)
        c.data_type = "s"
        c.quotePrefix = True
        return c

    def styled(self, text: str, font: Any, fill: Any = None) -> Any:
        from openpyxl.cell import WriteOnlyCell

        c = self.text(text)
        if isinstance(c, str):
            c = WriteOnlyCell(self.ws, value=text)
        c.font = font
        if fill is not None:
            c.fill = fill
        return c

    def section(self, s: Section, with_title: bool = True) -> None:
        if with_title:
            self.ws.append([self.styled(s.title, self.title)])
            if s.note:
                self.ws.append([self.text(s.note)])
        self.ws.append([self.styled(h, self.bold, self.fill) for h in s.headers])
        for row in s.rows:
            self.ws.append([self.cell(c) for c in row])


def _widths(ws: Any, sections: list[Section]) -> None:
    widest: dict[int, int] = {}
    for s in sections:
        for i, w in enumerate(s.widths):
            widest[i] = max(widest.get(i, 0), w)
    for i, w in widest.items():
        # CJK characters are two columns wide in Excel too
        ws.column_dimensions[_letter(i)].width = w + 2


def to_xlsx(table: list[Section], tickets: Section, tz: ZoneInfo, *, table_name: str,
            list_name: str, progress: Callable[[int, int], None] | None = None) -> bytes:
    """Two sheets: the sections of `table` one under another, then the ticket list."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(table_name[:SHEET_CHARS])
    _widths(ws, table)
    w = _Writer(ws, tz)
    for i, section in enumerate(table):
        if i:
            ws.append([])
        w.section(section)
    ws2 = wb.create_sheet(list_name[:SHEET_CHARS])
    _widths(ws2, [tickets])
    ws2.freeze_panes = "B2"
    w2 = _Writer(ws2, tz)
    w2.ws.append([w2.styled(h, w2.bold, w2.fill) for h in tickets.headers])
    total = len(tickets.rows)
    for n, row in enumerate(tickets.rows, start=1):
        w2.ws.append([w2.cell(c) for c in row])
        if progress and (n % 2000 == 0 or n == total):
            progress(n, total)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
