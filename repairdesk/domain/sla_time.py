"""Time arithmetic of the SLA clocks: active time with pauses taken out, and deadlines that
follow the site's calendar (the same-day cut-off in the site time zone)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone, tzinfo

from .enums import Scope
from .sla_rules import CompleteRule, CompleteTarget

Interval = tuple[datetime, datetime]


def active_s(start: datetime, end: datetime, pauses: tuple[Interval, ...]) -> float:
    """Seconds from `start` to `end` with paused time taken out (negative if end < start)."""
    total = (end - start).total_seconds()
    if total <= 0:
        return total
    for ps, pe in pauses:
        a = ps if ps > start else start
        b = pe if pe < end else end
        if b > a:
            total -= (b - a).total_seconds()
    return total


def instant(start: datetime, seconds: float, pauses: tuple[Interval, ...]) -> datetime:
    """When a clock started at `start` has run `seconds` active seconds, skipping pauses."""
    t, left = start, seconds
    for ps, pe in pauses:
        if pe <= t:
            continue
        if ps >= t + timedelta(seconds=left):
            break
        if ps > t:
            left -= (ps - t).total_seconds()
        t = pe
    return t + timedelta(seconds=left)


def clip(pauses: list[list], start: datetime, end: datetime,
         open_end: datetime | None = None) -> tuple[Interval, ...]:
    """Pauses within [start, end]; one still open ends at `open_end` (default: `end`)."""
    out = []
    for ps, pe in pauses:
        if pe is None:
            pe = open_end or end
        pe = end if pe > end else pe
        ps = start if ps < start else ps
        if pe > ps:
            out.append((ps, pe))
    return tuple(out)


def merged(intervals: list[list]) -> list[list]:
    """Overlapping intervals joined; an open one (end None) runs on."""
    out: list[list] = []
    for start, end in sorted(intervals, key=lambda i: i[0]):
        if out and (out[-1][1] is None or start <= out[-1][1]):
            if out[-1][1] is not None and (end is None or end > out[-1][1]):
                out[-1][1] = end
        else:
            out.append([start, end])
    return out


def complete_due(start: datetime, scope: Scope, rule: CompleteRule, tz: tzinfo) -> datetime:
    """Deadline of the completion clock: in-home by the cut-off of the same day (a late call
    rolls to the next day), public areas `days` later; both configurable per scope."""
    target: CompleteTarget = rule.public if scope is Scope.PUBLIC else rule.home
    local = start.astimezone(tz)
    if not target.by_cutoff:
        return (local + timedelta(days=target.days)).astimezone(timezone.utc)
    minute = local.hour * 60 + local.minute
    day = local.date() + timedelta(days=target.days)
    if minute >= rule.next_day_after_min or minute >= rule.cutoff_min:
        day += timedelta(days=1)
    due = _at_minute(day, rule.cutoff_min, tz)
    while due <= start:  # a cut-off before the call (odd site rules) still gives a whole day
        day += timedelta(days=1)
        due = _at_minute(day, rule.cutoff_min, tz)
    return due


def _at_minute(day: date, minute: int, tz: tzinfo) -> datetime:
    if minute >= 24 * 60:
        day, minute = day + timedelta(days=1), minute - 24 * 60
    local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=tz)
    return local.astimezone(timezone.utc)
