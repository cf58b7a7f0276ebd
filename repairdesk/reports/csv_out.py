"""Sections as CSV: one file, each section under its title, a blank line between sections.
UTF-8 with a byte-order mark so Excel on a Chinese Windows opens it without mojibake."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

from .formula import neutral
from .sections import Cell, Minutes, Money, Pct, Section, When


def _plain(cell: Cell, tz: ZoneInfo) -> str:
    """Machine-readable: money and minutes as plain numbers, rates as 98.7%, local times."""
    if cell is None:
        return ""
    if isinstance(cell, Money):
        return str(cell.value)
    if isinstance(cell, Pct):
        return "" if cell.value is None else f"{cell.value * 100:.1f}%"
    if isinstance(cell, Minutes):
        return "" if cell.value is None else f"{cell.value:.1f}"
    if isinstance(cell, When):
        return cell.value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if cell.value else ""
    if isinstance(cell, (Decimal, int)):
        return str(cell)
    return neutral(str(cell))


def to_csv(sections: list[Section], tz: ZoneInfo) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for i, section in enumerate(sections):
        if i:
            writer.writerow([])
        writer.writerow([neutral(section.title)])
        if section.note:
            writer.writerow([neutral(section.note)])
        writer.writerow([neutral(h) for h in section.headers])
        for row in section.rows:
            writer.writerow([_plain(c, tz) for c in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
