"""A plain document (a title and lines of text) for the printer: a signed handover record
today. The same fonts, paper and GB18030 text rules as the work order, without its form."""

from __future__ import annotations

from datetime import datetime

from .base import Document
from .fonts import FontFile, use_fonts
from .settings import Paper
from .text import encode_for_printer, printable, text_width, wrap

MARGIN = 10.0  # mm
LINE = 5.0  # mm per line at 10 pt
FAMILY = "plain"


def render_plain_text(title: str, lines: list[str], width: int = 80) -> str:
    """Dot-matrix text: the title centred, lines wrapped by display width, a form feed."""
    out = [" " * max(0, (width - text_width(title)) // 2) + printable(title), "=" * width]
    for line in lines:
        out += wrap(printable(line), width) or [""]
    return "\n".join(out) + "\n\f"


def render_plain_pdf(title: str, lines: list[str], paper: Paper, font: FontFile,
                     latin: FontFile | None = None,
                     created: datetime | None = None) -> tuple[bytes, int]:
    """PDF pages of the given paper size (long records run on): the bytes and the pages."""
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format=(paper.width_mm, paper.height_mm))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    use_fonts(pdf, FAMILY, font, latin)
    if created is not None:
        pdf.set_creation_date(created)
    pdf.add_page()
    pdf.set_font(FAMILY, size=14)
    pdf.cell(0, 9, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=10)
    for line in lines:
        pdf.multi_cell(0, LINE, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output()), pdf.pages_count


def plain_document(title: str, lines: list[str], name: str, *, pdf: bool, paper: Paper,
                   width: int, font: FontFile | None, latin: FontFile | None,
                   created: datetime | None) -> Document:
    if pdf:
        assert font is not None
        data, pages = render_plain_pdf(title, lines, paper, font, latin, created)
        return Document(data, False, name, ".pdf", pages, paper.cups_media)
    text = render_plain_text(title, lines, width)
    return Document(encode_for_printer(text), True, name, ".txt", 1)
