"""Shift windows and the duty day (001 篇5 4.1.2): pure time arithmetic, no store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Protocol
from zoneinfo import ZoneInfo


class ShiftLike(Protocol):
    code: str
    name: str
    start: time
    end: time


@dataclass(frozen=True)
class ShiftWindow:
    """One concrete shift: which shift, its UTC bounds and the duty day it belongs to."""

    code: str
    name: str
    start: datetime
    end: datetime
    duty_day: date
    name_en: str = ""

    @property
    def label(self) -> str:
        """The shift's name in the language on screen (config: name / name_en)."""
        from ..i18n import current_language

        return self.name_en if current_language() == "en" and self.name_en else self.name

    def contains(self, at: datetime) -> bool:
        return self.start <= at < self.end


def duty_day(at: datetime, tz: ZoneInfo, day_start: time) -> date:
    """The duty day (08:30 → 08:30 by default) that `at` falls in, named by its first date."""
    local = at.astimezone(tz)
    if local.time() < day_start:
        return local.date() - timedelta(days=1)
    return local.date()


def duty_day_bounds(day: date, tz: ZoneInfo, day_start: time) -> tuple[datetime, datetime]:
    """UTC start and end of a duty day."""
    start = datetime.combine(day, day_start, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), day_start, tzinfo=tz)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


def _window(shift: ShiftLike, on: date, tz: ZoneInfo, day_start: time) -> ShiftWindow:
    start = datetime.combine(on, shift.start, tzinfo=tz)
    end_day = on if shift.end > shift.start else on + timedelta(days=1)
    end = datetime.combine(end_day, shift.end, tzinfo=tz)
    s, e = start.astimezone(timezone.utc), end.astimezone(timezone.utc)
    return ShiftWindow(shift.code, shift.name, s, e, duty_day(s, tz, day_start),
                       getattr(shift, "name_en", ""))


def shift_at(shifts: list[ShiftLike], at: datetime, tz: ZoneInfo,
             day_start: time) -> ShiftWindow | None:
    """The shift window containing `at`; None when the configured shifts leave a hole."""
    local_day = at.astimezone(tz).date()
    for on in (local_day, local_day - timedelta(days=1)):
        for shift in shifts:
            w = _window(shift, on, tz, day_start)
            if w.contains(at):
                return w
    return None


def past_days(first: date, current: date) -> list[date]:
    """Every duty day from `first` up to the day before `current`."""
    n = (current - first).days
    return [first + timedelta(days=i) for i in range(max(n, 0))]
