"""Sections (and charts, as images) to PDF with the printing renderer's means: fpdf2, the same
fonts (printing/fonts.py: the Chinese font configured by printing.font, a Latin face for letters
and digits when there is one), the same margins, and '?' for a character no font can draw."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from ..printing.fonts import FontFile, glyphs, use_fonts
from ..printing.pdf import FAMILY, GREY, LINE, MARGIN
from .charts import Chart, render_png
from .sections import Minutes, Money, Pct, Section, cell_text

A4 = (210.0, 297.0)
_RIGHT = (int, Decimal, Money, Pct, Minutes)


class _Text:
    """Text as the embedded fonts can draw it (an emoji from a WeChat report becomes '?')."""

    def __init__(self, have: frozenset[int]) -> None:
        self.have = have

    def __call__(self, text: str) -> str:
        return "".join(ch if ch in " \n" or ord(ch) in self.have else "?" for ch in text)


def _section(pdf, s: Section, tz: ZoneInfo, width: float, keep: _Text) -> None:
    from fpdf.fonts import FontFace

    if pdf.get_y() > A4[1] - MARGIN - 30:  # a title alone at the foot of a page: next page
        pdf.add_page()
    pdf.set_font(FAMILY, size=12)
    pdf.cell(width, 12 * LINE + 2, keep(s.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=8.5)
    if s.note:
        pdf.multi_cell(width, 8.5 * LINE + 1, keep(s.note), new_x="LMARGIN", new_y="NEXT")
    if not s.rows:
        if not s.note:
            pdf.cell(width, 8.5 * LINE + 1, "-", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        return
    weights = s.widths or tuple(1 for _h in s.headers)
    sample = s.rows[0]
    align = tuple("R" if i and isinstance(sample[i], _RIGHT) else "L"
                  for i in range(len(s.headers)))
    with pdf.table(width=width, col_widths=weights, text_align=align,
                   headings_style=FontFace(fill_color=GREY), line_height=8.5 * LINE + 1.2,
                   padding=0.8, align="L") as table:
        table.row([keep(h) for h in s.headers])
        for row in s.rows:
            table.row([keep(cell_text(c, tz)) for c in row])
    pdf.ln(3)


def render_report(title: str, heading: str, sections: list[Section], tz: ZoneInfo,
                  font: FontFile, *, latin: FontFile | None = None, charts: list[Chart] = (),
                  created: datetime | None = None,
                  progress: Callable[[int, int], None] | None = None) -> bytes:
    """An A4 report: heading (the site) and title, the sections, then one chart per image."""
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format=A4)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    use_fonts(pdf, FAMILY, font, latin)
    keep = _Text(glyphs(str(font.path), font.index) | (
        glyphs(str(latin.path), latin.index) if latin is not None else frozenset()))
    pdf.set_title(title)
    pdf.set_creator("repairdesk")
    if created is not None:
        pdf.set_creation_date(created)
    width = A4[0] - 2 * MARGIN
    pdf.add_page()
    pdf.set_font(FAMILY, size=10)
    pdf.cell(width, 10 * LINE + 1, keep(heading), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=17)
    pdf.cell(width, 17 * LINE + 3, keep(title), new_x="LMARGIN", new_y="NEXT")
    steps = len(sections) + len(charts)
    for i, section in enumerate(sections, start=1):
        _section(pdf, section, tz, width, keep)
        if progress:
            progress(i, steps)
    for i, chart in enumerate(charts, start=len(sections) + 1):
        png = render_png(chart, font.path, font.index, title=False)
        height = width * 620 / 1800
        if pdf.get_y() + height + 12 > A4[1] - MARGIN:
            pdf.add_page()
        pdf.set_font(FAMILY, size=12)
        pdf.cell(width, 12 * LINE + 2, keep(chart.title), new_x="LMARGIN", new_y="NEXT")
        pdf.image(io.BytesIO(png), x=MARGIN, w=width, h=height, alt_text=chart.title)
        pdf.ln(4)
        if progress:
            progress(i, steps)
    return bytes(pdf.output())
