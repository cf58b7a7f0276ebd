"""Reading times the way a clerk types them, in the site's time zone."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from ..errors import ValidationError
from ..i18n import _

_FORMS = (
    (r"(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?", "ymdhm"),
    (r"(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{2})", "mdhm"),
    (r"(\d{1,2}):(\d{2})", "hm"),
)


# A time the book can hold: anything outside is a typing slip (0001-01-01, 1900 …), refused
# before it reaches the clocks or the database.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def parse_local(raw: str, tz: ZoneInfo, now: datetime, field: str = "time") -> datetime:
    """'2026-11-22 14:30', '11-22 14:30', '14:30' (today), '明天 9:00'/'tomorrow 9:00',
    '昨天 23:50'/'yesterday 23:50', or ISO 8601 with an offset. Returns an aware UTC datetime
    between 2000 and 2100 (else a ValidationError naming the field and the range)."""
    try:
        found = _parse(raw, tz, now, field)
    except OverflowError:
        found = None
    if found is None or not FIRST_YEAR <= found.astimezone(tz).year < LAST_YEAR:
        raise ValidationError(_("{value!r} is out of range: times must lie between {first} and "
                                "{last}.").format(value=(raw or "").strip()[:40],
                                                  first=FIRST_YEAR, last=LAST_YEAR), field)
    return found


def _parse(raw: str, tz: ZoneInfo, now: datetime, field: str) -> datetime | None:
    value = (raw or "").strip()[:64]
    if not value:
        raise ValidationError(_("A time is required (e.g. 2026-11-22 14:30)."), field)
    today = now.astimezone(tz).date()
    for word, days in (("明天", 1), ("tomorrow", 1), ("今天", 0), ("today", 0), ("后天", 2),
                       ("昨天", -1), ("yesterday", -1), ("前天", -2)):
        if value.lower().startswith(word):
            rest = value[len(word):].strip()
            return _combine(today + timedelta(days=days), rest, tz, field)
    try:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is not None:
            return parsed.astimezone(timezone.utc)
    except ValueError:
        pass
    for pattern, kind in _FORMS:
        m = re.fullmatch(pattern, value)
        if not m:
            continue
        g = [int(x) if x else 0 for x in m.groups()]
        try:
            if kind == "ymdhm":
                local = datetime(g[0], g[1], g[2], g[3], g[4], g[5], tzinfo=tz)
            elif kind == "mdhm":
                local = datetime(today.year, g[0], g[1], g[2], g[3], tzinfo=tz)
            else:
                local = datetime.combine(today, datetime.min.time(), tz).replace(
                    hour=g[0], minute=g[1])
        except ValueError:
            break
        return local.astimezone(timezone.utc)
    raise ValidationError(
        _("Cannot read the time {value!r}; write it as 2026-11-22 14:30 or 14:30.").format(
            value=value),
        field,
    )


def _combine(day: date, rest: str, tz: ZoneInfo, field: str) -> datetime:
    m = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?", rest or "9")
    if not m or int(m.group(1)) > 23 or int(m.group(2) or 0) > 59:
        raise ValidationError(_("Cannot read the time {value!r}.").format(value=rest), field)
    local = datetime(day.year, day.month, day.day, int(m.group(1)), int(m.group(2) or 0), tzinfo=tz)
    return local.astimezone(timezone.utc)


def local(dt: datetime | None, tz: ZoneInfo) -> datetime | None:
    return dt.astimezone(tz) if dt else None


def fmt_local(dt: datetime | None, tz: ZoneInfo, with_date: bool = True) -> str:
    """Compact local time for tables and paper: '11-22 14:30' or '14:30'."""
    if dt is None:
        return ""
    d = dt.astimezone(tz)
    return d.strftime("%m-%d %H:%M") if with_date else d.strftime("%H:%M")


def fmt_full(dt: datetime | None, tz: ZoneInfo) -> str:
    return dt.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S") if dt else ""
