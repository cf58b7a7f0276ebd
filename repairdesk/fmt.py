"""Locale-correct display of dates, times, weekdays, numbers and money (Babel).

Everything follows the language chosen with repairdesk.i18n.set_language: zh_CN shows
2026/11/22, 11月22日周日, ¥1,234.50; en shows 11/22/2026, Sun, Nov 22, ¥1,234.50. Times are
24-hour in both languages (the desk works round the clock). Babel's own duration formatting
rounds ("5 minutes"), so SLA clocks use our countdown(): mm:ss under an hour, h:mm above.

Pass the site time zone (desk.config.tz) for datetimes: they are stored in UTC.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_currency, format_decimal, format_percent

from . import i18n

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


def countdown(seconds: float) -> str:
    """SLA clock: 04:59 under an hour, 1:05 (h:mm) from an hour on, 12h from ten hours on;
    '-' prefix when overdue.

    Our own format: Babel's format_timedelta rounds to "5 minutes", useless for a clock.
    """
    sign = "-" if seconds < 0 else ""
    total = int(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours >= 10:  # "10:01" would read as ten minutes: whole hours from here on
        return f"{sign}{hours}h"
    if hours:
        return f"{sign}{hours}:{minutes:02d}"
    return f"{sign}{minutes:02d}:{secs:02d}"

