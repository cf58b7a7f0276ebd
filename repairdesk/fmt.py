"""Locale-correct display of dates, times, weekdays, numbers and money (CLDR, via Babel).

Everything follows the language chosen with repairdesk.i18n.set_language: zh_CN shows
2026/11/22, 11月22日周日, ¥1,234.50; en shows 11/22/2026, Sun, Nov 22, ¥1,234.50. Times are
24-hour in both languages (the desk works round the clock). Babel's own duration formatting
rounds ("5 minutes"), so SLA clocks use our countdown(): 12分08秒 / 1时05分 / 2天03时, with
units, so it never reads as a time of day; overdue 超时 2时08分 (late 2h08m in English).

Pass the site time zone (desk.config.tz) for datetimes: they are stored in UTC.
"""

from __future__ import annotations

import datetime as _dt
import unicodedata
from decimal import Decimal
from functools import lru_cache
from typing import Any

from typing import TYPE_CHECKING

from . import i18n
from .i18n import _

if TYPE_CHECKING:
    from babel import Locale

# Babel (and the CLDR data of a locale, ~7 MB of the desk's memory) loads only for numbers
# and money (reports, fees): the dates and times the desk shows all night are written from the
# table below, the CLDR patterns of the two languages the desk speaks (issue 18);
# tests/i18n/test_fmt.py holds every entry to Babel's own output.
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DATES: dict[str, dict[str, Any]] = {
    "zh_Hans_CN": {
        "yMd": "{y}/{m}/{d}", "yMMMd": "{y}年{m}月{d}日", "MMMEd": "{m}月{d}日{eee}",
        "datetime": "{date} {time}",
        "EEE": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
        "EEEE": ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"),
    },
    "en_US": {
        "yMd": "{m}/{d}/{y}", "yMMMd": "{mmm} {d}, {y}", "MMMEd": "{eee}, {mmm} {d}",
        "datetime": "{date}, {time}",
        "EEE": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
        "EEEE": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    },
}


def _pattern(skeleton: str, value: _dt.date) -> str | None:
    """`value` in the skeleton of the language in use from _DATES; None for a language the
    table does not hold (Babel then)."""
    table = _DATES.get(i18n.babel_locale())
    if table is None:
        return None
    return table[skeleton].format(y=value.year, m=value.month, d=value.day,
                                  mmm=_MONTHS_EN[value.month - 1],
                                  eee=table["EEE"][value.weekday()])

# CLDR puts narrow/thin no-break spaces in some patterns (en "10:05 AM", "¥ 1"); a terminal
# cell grid lines up better with plain spaces.
_SPACES = str.maketrans({"\u202f": " ", "\u2009": " ", "\u00a0": " "})


@lru_cache(maxsize=8)
def _locale(name: str) -> Locale:
    from babel import Locale

    return Locale.parse(name)


def locale() -> Locale:
    """The Babel locale of the language in use."""
    return _locale(i18n.babel_locale())


def _local(value: _dt.datetime, tz: _dt.tzinfo | None) -> _dt.datetime:
    if tz is not None and value.tzinfo is not None:
        return value.astimezone(tz)
    return value


def _clean(text: str) -> str:
    return text.translate(_SPACES)


def date(value: _dt.date | _dt.datetime, tz: _dt.tzinfo | None = None) -> str:
    """Numeric date: 2026/11/22 (zh), 11/22/2026 (en)."""
    if isinstance(value, _dt.datetime):
        value = _local(value, tz)
    return _pattern("yMd", value) or _skeleton("yMd", value)


def date_long(value: _dt.date | _dt.datetime, tz: _dt.tzinfo | None = None) -> str:
    """Date for headings and paper: 2026年11月22日 (zh), Nov 22, 2026 (en)."""
    if isinstance(value, _dt.datetime):
        value = _local(value, tz)
    return _pattern("yMMMd", value) or _skeleton("yMMMd", value)


def day(value: _dt.date | _dt.datetime, tz: _dt.tzinfo | None = None) -> str:
    """Month, day and weekday: 11月22日周日 (zh), Sun, Nov 22 (en)."""
    if isinstance(value, _dt.datetime):
        value = _local(value, tz)
    return _pattern("MMMEd", value) or _skeleton("MMMEd", value)


def weekday(value: _dt.date | _dt.datetime, tz: _dt.tzinfo | None = None,
            wide: bool = False) -> str:
    """Weekday name: 周日 / Sun, or with wide=True 星期日 / Sunday."""
    if isinstance(value, _dt.datetime):
        value = _local(value, tz)
    table = _DATES.get(i18n.babel_locale())
    if table is not None:
        return str(table["EEEE" if wide else "EEE"][value.weekday()])
    from babel.dates import format_date

    return format_date(value, "EEEE" if wide else "EEE", locale=locale())


def time(value: _dt.datetime | _dt.time, tz: _dt.tzinfo | None = None) -> str:
    """Clock time, 24-hour: 10:05."""
    if isinstance(value, _dt.datetime):
        value = _local(value, tz)
    if i18n.babel_locale() in _DATES:  # 24-hour HH:mm in both
        return f"{value.hour:02d}:{value.minute:02d}"
    return _skeleton("Hm", value)


def datetime(value: _dt.datetime | None, tz: _dt.tzinfo | None = None) -> str:
    """Date and time: 2026/11/22 10:05 (zh), 11/22/2026, 10:05 (en); '' for None."""
    if value is None:
        return ""
    table = _DATES.get(i18n.babel_locale())
    if table is not None:
        return str(table["datetime"].format(date=date(value, tz), time=time(value, tz)))
    pattern = locale().datetime_formats["short"]
    text = pattern.format(time(value, tz), date(value, tz))
    return _clean(str(text))


def _skeleton(skeleton: str, value: _dt.date | _dt.datetime | _dt.time) -> str:
    from babel.dates import format_skeleton

    return _clean(format_skeleton(skeleton, value, locale=locale()))


def number(value: int | float | Decimal, digits: int | None = None) -> str:
    """Grouped number: 12,345; with digits, exactly that many decimals."""
    from babel.numbers import format_decimal

    if digits is None:
        return format_decimal(value, locale=locale())
    fmt = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=fmt, locale=locale())


def percent(value: float | Decimal, digits: int = 1) -> str:
    """Rate: 0.987 -> 98.7%."""
    from babel.numbers import format_percent

    fmt = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
    return format_percent(value, format=fmt, locale=locale())


def money(amount: int | float | Decimal | str) -> str:
    """Renminbi: ¥1,234.50 in both languages (en_US would say CN¥; the desk only sees yuan)."""
    from babel.numbers import format_currency

    text = format_currency(Decimal(str(amount)), "CNY", locale=locale())
    return _clean(text).replace("CN¥", "¥")


def countdown(seconds: float, pad: bool = False) -> str:
    """SLA clock, one shape per size and never a time of day: 12分08秒 / 12m08s under an
    hour, 1时05分 / 1h05m under a day, 2天03时 / 2d03h beyond; overdue the same with one
    marker in front: 超时 2时08分 / late 2h08m. With pad=True, right-aligned to
    countdown_width() display cells, so a column of them never jumps as the seconds run.

    Our own format: Babel's format_timedelta rounds to "5 minutes", useless for a clock.
    """
    total = int(abs(seconds))
    minutes, secs = divmod(total, 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        text = _("{days}d{hours}h").format(days=days, hours=f"{hours:02d}")
    elif hours:
        text = _("{hours}h{minutes}m").format(hours=hours, minutes=f"{minutes:02d}")
    else:
        text = _("{minutes}m{seconds}s").format(minutes=minutes, seconds=f"{secs:02d}")
    if seconds < 0:
        text = _("late {time}").format(time=text)
    return pad_left(text, countdown_width()) if pad else text


# the widest countdowns of each shape (2-digit days: a month overdue still fits)
_WIDEST = (-(59 * 60 + 59), -(23 * 3600 + 59 * 60), -(99 * 86400 + 23 * 3600))


def countdown_width() -> int:
    """Display cells of the widest countdown in the language in use (the column width)."""
    return _countdown_width(i18n.babel_locale())


@lru_cache(maxsize=4)
def _countdown_width(_language: str) -> int:  # per language: the tick pads every visible cell
    return max(display_width(countdown(s)) for s in _WIDEST)


def display_width(text: str) -> int:
    """Terminal cells: 2 for a wide (CJK) character, 1 otherwise."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@lru_cache(maxsize=1024)  # the 1 Hz tick pads every visible countdown: mostly the same texts
def pad_left(text: str, width: int) -> str:
    """`text` right-aligned in `width` display cells."""
    return " " * max(0, width - display_width(text)) + text
