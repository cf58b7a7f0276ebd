"""The month and day reports in each output format; the CLI and the TUI both call these."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from enum import StrEnum

from ..errors import ValidationError
from ..i18n import _
from . import sections as S

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    XLSX = "xlsx"
    PDF = "pdf"


def parse_format(raw: str) -> Format:
    try:
        return Format((raw or "table").strip().lower())
    except ValueError:
        raise ValidationError(_("Format must be one of: {allowed}.").format(
            allowed=", ".join(f.value for f in Format)), "format") from None


def _stage(progress: Progress | None, stage: str) -> Callable[[int, int], None] | None:
    if progress is None:
        return None
    return lambda done, total: progress(stage, done, total)


def month_title(key: str) -> str:
    return _("Monthly repair statistics {month}").format(month=key)


def export_month(desk, key: str, fmt: Format, *, width: int | None = None,
                 progress: Progress | None = None) -> bytes:
    """特约服务/维修月统计表 for month `key` (YYYY-MM) as bytes in `fmt`."""
    from ..services import reports

    key = reports.month_key(*reports.parse_month(key))
    tz = desk.config.tz
    table = reports.month_table(desk, key, progress=_stage(progress, _("On-time rates")))
    sections = S.month_sections(table)
    if fmt in (Format.TABLE, Format.CSV):
        return _as_text(sections, tz, fmt, width)
    if fmt is Format.XLSX:
        from .xlsx import to_xlsx

        tickets = S.ticket_section(reports.month_tickets(desk, key))
        return to_xlsx(sections, tickets, tz, table_name=_("Monthly table"),
                       list_name=_("Ticket list"), progress=_stage(progress, _("Ticket list")))
    from .charts import month_charts
    from .pdf import render_report

    font, latin = _fonts(desk)
    return render_report(month_title(key), desk.config.site_name, sections, tz, font,
                         latin=latin, charts=month_charts(table), created=desk.now(),
                         progress=_stage(progress, _("PDF pages")))


def export_day(desk, day: date | None, fmt: Format, *, width: int | None = None) -> bytes:
    """The daily check for duty day `day` (default: the current one) as bytes in `fmt`."""
    from ..services.daily import day_report

    report = day_report(desk, day)
    sections = S.day_sections(report)
    tz = desk.config.tz
    if fmt in (Format.TABLE, Format.CSV):
        return _as_text(sections, tz, fmt, width)
    if fmt is Format.XLSX:
        from .xlsx import to_xlsx

        # the summary, the repeat calls and the follow-ups due their weekly entry on the first
        # sheet, the tickets not yet returned on the second
        return to_xlsx([sections[0], *sections[2:]], sections[1], tz,
                       table_name=_("Daily report"), list_name=_("Not yet returned"))
    from .pdf import render_report

    title = _("Daily report {day}").format(day=report.day.isoformat())
    font, latin = _fonts(desk)
    return render_report(title, desk.config.site_name, sections, tz, font, latin=latin,
                         created=desk.now())


def _as_text(sections: list[S.Section], tz, fmt: Format, width: int | None) -> bytes:
    """The table for a terminal, or CSV: the same for the month and the day."""
    if fmt is Format.CSV:
        from .csv_out import to_csv

        return to_csv(sections, tz)
    from .text import render

    buf = io.StringIO()
    render(sections, tz, buf, width)
    return buf.getvalue().encode("utf-8")


def _fonts(desk):
    """The printing renderer's fonts: the Chinese one (printing.font or the system's) and a
    Latin face if there is one."""
    from ..printing.fonts import find_cjk_font, find_latin_font
    from ..printing.settings import print_settings

    return find_cjk_font(print_settings(desk.config).font), find_latin_font()
