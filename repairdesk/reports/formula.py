"""Free text in a spreadsheet is text, never a formula.

A room, a caller's words or a void reason typed as `=HYPERLINK(…)`, `+cmd|…`, `-2+3` or `@SUM(…)`
would run as a formula when the export is opened in Excel or WPS (CSV injection). Both writers
(CSV and XLSX) pass every text cell through `neutral()`: a leading character a spreadsheet
reads as the start of a formula gets an apostrophe in front — the spreadsheet convention for
"this is text", shown by neither Excel nor WPS in the cell. Numbers, money and times are
written as typed values and are not touched."""

from __future__ import annotations

import re

# = + - @ start a formula; a tab or carriage return in front of them does too in some readers
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


_HARMLESS = re.compile(r"-+|[-+]?\d+(\.\d+)?%?")  # "-" for none, a signed number


def neutral(text: str) -> str:
    """`text`, with an apostrophe in front when a spreadsheet would read it as a formula."""
    if not text.startswith(FORMULA_START) or _HARMLESS.fullmatch(text):
        return text
    return "'" + text
