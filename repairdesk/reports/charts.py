"""The month's three charts: tickets per day, on-time rate per day, top categories.

`month_charts` gives the series (the TUI plots them with textual-plotext); `render_png` draws
one as a PNG image for the PDF. Drawn with Pillow, which fpdf2 already brings: a bar or line
chart needs no plotting library, and the labels use the same Chinese font as the PDF text.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ..domain.stats import MonthTable
from ..i18n import _


class Kind(StrEnum):
    BARS = "bars"
    LINE = "line"
    HBARS = "hbars"  # horizontal bars, for named categories


@dataclass(frozen=True)
class Chart:
    title: str
    kind: Kind
    labels: tuple[str, ...]
    values: tuple[float | None, ...]
    percent: bool = False


def month_charts(t: MonthTable) -> list[Chart]:
    days = tuple(str(d.day.day) for d in t.days)
    charts = [Chart(_("Tickets per day"), Kind.BARS, days,
                    tuple(float(d.tickets) for d in t.days))]
    if t.clocks_available:
        charts.append(Chart(_("On-time rate per day"), Kind.LINE, days,
                            tuple(d.ontime for d in t.days), percent=True))
    top = t.by_category[:t.targets.top_categories]
    charts.append(Chart(_("Top categories"), Kind.HBARS, tuple(c for c, _n in top),
                        tuple(float(n) for _c, n in top)))
    return charts


INK = (40, 40, 40)
GRID = (215, 215, 215)
BAR = (70, 110, 170)
LINE_COLOUR = (200, 90, 40)


def _step(top: float, percent: bool) -> float:
    """A 1-2-5 step giving about four grid lines; whole numbers for counts."""
    if percent:
        return 0.25
    raw = max(top, 1.0) / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * magnitude:
            return max(1.0, m * magnitude)
    return 10 * magnitude


def render_png(chart: Chart, font_path: Path | None, font_index: int = 0,
               size: tuple[int, int] = (1800, 620), title: bool = True) -> bytes:
    """The chart as a PNG; `font_path` is a font with Chinese glyphs (the PDF's). Without
    `title` the caller prints it (as text, so it can be searched)."""
    from PIL import Image, ImageDraw, ImageFont

    w, h = size
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)

    def font(px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        if font_path is None:
            return ImageFont.load_default()
        return ImageFont.truetype(str(font_path), px, index=font_index)

    title_f, label_f = font(40), font(26)
    if title:
        draw.text((20, 12), chart.title, fill=INK, font=title_f)
    values = [v for v in chart.values if v is not None]
    step = _step(max(values, default=0.0), chart.percent)
    top = 1.0 if chart.percent else step * max(1, math.ceil(max(values, default=0.0) / step))
    if chart.kind is Kind.HBARS:
        _hbars(draw, chart, top, label_f, (20, 80, w - 30, h - 20))
    else:
        _columns(draw, chart, top, step, label_f, (110, 80, w - 30, h - 60))
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _tick(value: float, percent: bool) -> str:
    return f"{value * 100:.0f}%" if percent else f"{value:g}"


def _columns(draw, chart: Chart, top: float, step: float, f,
             box: tuple[int, int, int, int]) -> None:
    left, upper, right, lower = box
    for i in range(round(top / step) + 1):
        v = step * i
        y = lower - (lower - upper) * v / top
        draw.line((left, y, right, y), fill=GRID, width=2)
        text = _tick(v, chart.percent)
        tw = draw.textlength(text, font=f)
        draw.text((left - tw - 10, y - 14), text, fill=INK, font=f)
    n = max(1, len(chart.values))
    slot = (right - left) / n
    points = []
    for i, (label, v) in enumerate(zip(chart.labels, chart.values)):
        x = left + slot * i
        if v is not None:
            y = lower - (lower - upper) * min(v, top) / top
            if chart.kind is Kind.BARS:
                draw.rectangle((x + slot * 0.15, y, x + slot * 0.85, lower), fill=BAR)
            else:
                points.append((x + slot / 2, y))
        if n <= 16 or i % 2 == 0:
            tw = draw.textlength(label, font=f)
            draw.text((x + slot / 2 - tw / 2, lower + 8), label, fill=INK, font=f)
    if len(points) > 1:
        draw.line(points, fill=LINE_COLOUR, width=5, joint="curve")
    for x, y in points:
        draw.ellipse((x - 6, y - 6, x + 6, y + 6), fill=LINE_COLOUR)
    draw.line((left, lower, right, lower), fill=INK, width=2)


def _hbars(draw, chart: Chart, top: float, f, box: tuple[int, int, int, int]) -> None:
    left, upper, right, lower = box
    label_w = max((draw.textlength(lb, font=f) for lb in chart.labels), default=0) + 20
    n = max(1, len(chart.values))
    slot = min(70.0, (lower - upper) / n)
    bar_left = left + label_w
    for i, (label, v) in enumerate(zip(chart.labels, chart.values)):
        y = upper + slot * i
        draw.text((left, y + slot * 0.2), label, fill=INK, font=f)
        length = (right - bar_left - 120) * (v or 0) / top
        draw.rectangle((bar_left, y + slot * 0.15, bar_left + length, y + slot * 0.85), fill=BAR)
        draw.text((bar_left + length + 12, y + slot * 0.2), _tick(v or 0, chart.percent),
                  fill=INK, font=f)
