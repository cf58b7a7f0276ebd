"""PDF rendering (fpdf2): one page per copy (联), the copy's name on top, the 单号 as text and
as a QR code, a Chinese font embedded (subset) so any printer or viewer shows it."""

from __future__ import annotations

import logging
from dataclasses import fields, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from .fonts import FontFile, glyphs, use_fonts
from .settings import Paper
from .sheet import Sheet

if TYPE_CHECKING:
    from fpdf import FPDF

# fontTools reports tables it drops while subsetting (wqy-zenhei's bitmap strikes) on stderr
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)

MARGIN = 10.0
FAMILY = "body"
LINE = 0.45       # line height in mm per point of font size
GREY = (235, 235, 235)


def _qr(pdf: FPDF, text: str, x: float, y: float, size: float) -> None:
    """Draw `text` as a QR code of `size` mm with vector squares (sharp on any printer)."""
    import segno

    matrix = segno.make_qr(text, error="m").matrix
    n = len(matrix)
    module = size / (n + 2)  # with a small quiet zone; the page around it is white anyway
    for r, row in enumerate(matrix):
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                pdf.rect(x + module * (start + 1), y + module * (r + 1),
                         module * (c - start), module, style="F")
            else:
                c += 1


class _Page:
    """Lays one copy out on the current page."""

    def __init__(self, pdf: FPDF, sheet: Sheet, paper: Paper) -> None:
        self.pdf = pdf
        self.sheet = sheet
        self.width = paper.width_mm - 2 * MARGIN
        self.bottom = paper.height_mm - MARGIN
        # sizes are designed for A5; grow a little on bigger paper, shrink on smaller
        self.scale = max(0.6, min(1.3, paper.width_mm / 148.0, paper.height_mm / 210.0))

    def pt(self, size: float) -> float:
        return round(size * self.scale, 1)

    def font(self, size: float) -> float:
        pt = self.pt(size)
        self.pdf.set_font(FAMILY, size=pt)
        return pt

    def draw(self, copy_name: str) -> None:
        pdf, s = self.pdf, self.sheet
        qr = 22.0 * self.scale
        top = MARGIN
        right = MARGIN + self.width
        # copy name, boxed, top right: the first thing a technician or cashier looks for
        pt = self.font(13)
        box_w = pdf.get_string_width(copy_name) + 6
        pdf.set_xy(right - box_w, top)
        pdf.set_line_width(0.5)
        pdf.cell(box_w, pt * LINE + 3, copy_name, border=1, align="C")
        pdf.set_line_width(0.2)
        _qr(pdf, s.number, right - qr, top + pt * LINE + 5, qr)
        text_w = self.width - qr - 4
        pdf.set_xy(MARGIN, top)
        pt = self.font(10)
        pdf.multi_cell(text_w - box_w, pt * LINE, s.heading, new_x="LMARGIN",
                       new_y="NEXT")
        pt = self.font(20)
        pdf.cell(text_w, pt * LINE + 2, s.title, new_x="LMARGIN", new_y="NEXT")
        pt = self.font(12)
        pdf.cell(text_w, pt * LINE + 2, f"{s.number_label}：{s.number}",
                 new_x="LMARGIN", new_y="NEXT")
        if s.mark:
            pt = self.font(12)
            w = pdf.get_string_width(s.mark) + 6
            pdf.set_line_width(0.6)
            pdf.cell(w, pt * LINE + 2, s.mark, border=1, align="C",
                     new_x="LMARGIN", new_y="NEXT")
            pdf.set_line_width(0.2)
        y = max(pdf.get_y(), top + pt * LINE + 5 + qr) + 2
        pdf.set_y(y)
        self.rows()
        self.rest()

    def rows(self) -> None:
        from fpdf.fonts import FontFace

        pdf, s = self.pdf, self.sheet
        pt = self.font(9.5)
        label_w = 24.0 * self.scale
        value_w = self.width / 2 - label_w
        label_face = FontFace(fill_color=GREY)
        with pdf.table(width=self.width, col_widths=(label_w, value_w, label_w, value_w),
                       first_row_as_headings=False, line_height=pt * LINE + 1.2,
                       align="L", padding=0.8) as table:
            pairs = list(s.rows)
            for i in range(0, len(pairs), 2):
                row = table.row()
                for label, value in pairs[i:i + 2]:
                    row.cell(label, style=label_face)
                    row.cell(value)
                if len(pairs[i:i + 2]) == 1:
                    row.cell("", colspan=2)

    def rest(self) -> None:
        pdf, s = self.pdf, self.sheet
        footer_h = 5.0
        sign_h = len(s.signatures) * 9.0 * self.scale + (9.0 * self.scale if s.evaluation
                                                         else 0.0)
        fill_h = len(s.fill_in) * 16.0 * self.scale + self._materials_h()
        y = pdf.get_y() + 2
        room = self.bottom - footer_h - sign_h - fill_h - y - 2
        # the content box takes what is left; a long description gets a smaller font
        size = 10.5
        while True:
            pt = self.font(size)
            lines = pdf.multi_cell(self.width - 2, pt * LINE + 0.6,
                                   s.body, dry_run=True, output="LINES")
            needed = (len(lines) + 1) * (pt * LINE + 0.6) + 2
            if needed <= room or size <= 6.5:
                break
            size -= 0.5
        pdf.set_xy(MARGIN, y)
        pdf.rect(MARGIN, y, self.width, max(room, needed))
        pdf.set_xy(MARGIN + 1, y + 1)
        pdf.multi_cell(self.width - 2, pt * LINE + 0.6, f"{s.body_label}：\n{s.body}",
                       new_x="LMARGIN", new_y="NEXT")
        y = y + max(room, needed) + 2
        for label in s.fill_in:
            h = 16.0 * self.scale - 2
            pdf.rect(MARGIN, y, self.width, h)
            pdf.set_xy(MARGIN + 1, y + 1)
            pt = self.font(9.5)
            pdf.cell(self.width - 2, pt * LINE, f"{label}：")
            y += h + 2
        y = self._materials(y)
        half = self.width / 2
        if s.evaluation:  # 业主评价 □满意 □基本满意 □不满意   业主签名 ____ (003 4.1(8))
            label, *options, sign = s.evaluation
            pt = self.font(10)
            base = y + 7.0 * self.scale
            text = f"{label}：" + "  ".join(f"□{o}" for o in options)
            pdf.set_xy(MARGIN, base - pt * LINE)
            pdf.cell(pdf.get_string_width(text) + 1, pt * LINE, text)
            x0 = MARGIN + max(half, pdf.get_string_width(text) + 4)
            pdf.set_xy(x0, base - pt * LINE)
            w = pdf.get_string_width(sign + "：") + 1
            pdf.cell(w, pt * LINE, sign + "：")
            pdf.line(x0 + w, base, MARGIN + self.width, base)
            y += 9.0 * self.scale
        for label in s.signatures:
            pt = self.font(10)
            base = y + 7.0 * self.scale
            for x0, text in ((MARGIN, label), (MARGIN + half, s.time_label)):
                pdf.set_xy(x0, base - pt * LINE)
                w = pdf.get_string_width(text + "：") + 1
                pdf.cell(w, pt * LINE, text + "：")
                pdf.line(x0 + w, base, x0 + half - 4, base)
            y += 9.0 * self.scale
        pt = self.font(7.5)
        pdf.set_xy(MARGIN, self.bottom - footer_h + 1)
        pdf.cell(self.width, pt * LINE, s.footer, align="R")


    def _materials_lines(self) -> list[str]:
        s = self.sheet
        if not s.materials_label:
            return []
        return [f"{s.materials_label}：", *([s.materials_note] if s.materials_note else []),
                *(s.materials or ("", ""))]  # none recorded: two lines to fill in

    def _materials_h(self) -> float:
        n = len(self._materials_lines())
        return n * 5.0 * self.scale + 2 if n else 0.0

    def _materials(self, y: float) -> float:
        """维修材料 (003 5.5): the parts recorded, or ruled lines for the technician."""
        lines = self._materials_lines()
        if not lines:
            return y
        pdf = self.pdf
        h = self._materials_h() - 2
        pdf.rect(MARGIN, y, self.width, h)
        pt = self.font(9.5)
        step = 5.0 * self.scale
        for i, text in enumerate(lines):
            top = y + i * step
            pdf.set_xy(MARGIN + 1, top + 0.8)
            if text:
                pdf.cell(self.width - 2, pt * LINE, _fit(pdf, text, self.width - 2))
            else:
                pdf.line(MARGIN + 3, top + step - 0.8, MARGIN + self.width - 3, top + step - 0.8)
        return y + h + 2


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """`text` cut to `width` mm (a long list of parts never runs off the page)."""
    while text and pdf.get_string_width(text) > width:
        text = text[:-1]
    return text


def _keep(text: str, have: frozenset[int]) -> str:
    """'?' for a character no embedded font can draw (an emoji from a WeChat report)."""
    return "".join(ch if ch in " \n" or ord(ch) in have else "?" for ch in text)


def _in_fonts(sheet: Sheet, have: frozenset[int]) -> Sheet:
    changes: dict[str, object] = {}
    for f in fields(sheet):
        value = getattr(sheet, f.name)
        if f.name == "rows":
            changes[f.name] = tuple((_keep(k, have), _keep(v, have)) for k, v in value)
        elif isinstance(value, tuple):
            changes[f.name] = tuple(_keep(v, have) for v in value)
        else:
            changes[f.name] = _keep(value, have)
    return replace(sheet, **changes)


def render_pdf(sheet: Sheet, copies: tuple[str, ...], paper: Paper, font: FontFile,
               created: datetime | None = None, latin: FontFile | None = None) -> bytes:
    """The PDF bytes: one page per copy, in the order given. Chinese is set in `font`;
    letters and digits in `latin` when given (see fonts.KNOWN_LATIN)."""
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format=(paper.width_mm, paper.height_mm))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)
    use_fonts(pdf, FAMILY, font, latin)
    pdf.set_title(f"{sheet.title} {sheet.number}")
    pdf.set_creator("repairdesk")
    pdf.set_creation_date(created or datetime.now(timezone.utc))
    have = glyphs(str(font.path), font.index) | (
        glyphs(str(latin.path), latin.index) if latin is not None else frozenset())
    sheet = _in_fonts(sheet, have)
    for name in copies:
        pdf.add_page()
        _Page(pdf, sheet, paper).draw(_keep(name, have))
    return bytes(pdf.output())
