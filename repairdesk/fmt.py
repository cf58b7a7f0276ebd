"""Locale-correct display of dates, times, weekdays, numbers and money (Babel).

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

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_currency, format_decimal, format_percent

from . import i18n
from .i18n import _

# CLDR puts narrow/thin no-break spaces in some patterns (en "10:05 AM", "¥ 1"); a terminal
# cell grid lines up better with plain spaces.
_SPACES = str.maketrans({"\u202f": " ", "\u2009": " ", "\u00a0": " "})


@lru_cache(maxsize=8)
def _locale(name: str) -> Locale:
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
    return _clean(format_skeleton("yMd", value, locale=locale()))


def date_long(value: _dt.date | _dt.datetime, tz: _dt.tzinfo | None = None) -> str:
    """Date for headings and paper: 2026年11月22日 (zh), Nov 22, 2026 (en)."""
    if isinstance(value, _dt.datetime):
        value = _local(value, tz)
    return _clean(format_skeleton("yMMMd", value, locale=locale()))


def day(value: _dt.date | _dt.datetime, tz: _dt.tzinfo | None = None) -> str:
    """Month, day and weekday: 11月22日周日 (zh), Sun, Nov 22 (en)."""
    if isinstance(value, _dt.datetime):
        value = _local(value, tz)
    return _clean(format_skeleton("MMMEd", value, locale=locale()))


def weekday(value: _dt.date | _dt.datetime, tz: _dt.tzinfo | None = None,
            wide: bool = False) -> str:
    """Weekday name: 周日 / Sun, or with wide=True 星期日 / Sunday."""
    if isinstance(value, _dt.datetime):
        value = _local(value, tz)
    return format_date(value, "EEEE" if wide else "EEE", locale=locale())


def time(value: _dt.datetime | _dt.time, tz: _dt.tzinfo | None = None) -> str:
    """Clock time, 24-hour: 10:05."""
    if isinstance(value, _dt.datetime):
        value = _local(value, tz)
    return _clean(format_skeleton("Hm", value, locale=locale()))


def datetime(value: _dt.datetime | None, tz: _dt.tzinfo | None = None) -> str:
    """Date and time: 2026/11/22 10:05 (zh), 11/22/2026, 10:05 (en); '' for None."""
    if value is None:
        return ""
    pattern = locale().datetime_formats["short"]
    text = pattern.format(time(value, tz), date(value, tz))
    return _clean(str(text))


def number(value: int | float | Decimal, digits: int | None = None) -> str:
    """Grouped number: 12,345; with digits, exactly that many decimals."""
    if digits is None:
        return format_decimal(value, locale=locale())
    fmt = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=fmt, locale=locale())


def percent(value: float | Decimal, digits: int = 1) -> str:
    """Rate: 0.987 -> 98.7%."""
    fmt = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
    return format_percent(value, format=fmt, locale=locale())


def money(amount: int | float | Decimal | str) -> str:
    """Renminbi: ¥1,234.50 in both languages (en_US would say CN¥; the desk only sees yuan)."""
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


def pad_left(text: str, width: int) -> str:
    """`text` right-aligned in `width` display cells."""
    return " " * max(0, width - display_width(text)) + text
