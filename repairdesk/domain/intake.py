"""Rules that help the clerk while typing: urgent-keyword suggestion, repeat window, building."""

from __future__ import annotations

from datetime import datetime, timedelta


def urgent_matches(content: str, keywords: list[str]) -> list[str]:
    """The configured urgent keywords found in the fault description (003 4.x)."""
    return [k for k in keywords if k and k in content]


def is_repeat(
    received_at: datetime,
    earlier: list[tuple[datetime, str]],
    window_days: int,
) -> str | None:
    """The ticket number of an earlier report of the same category at the same place within the
    window, if any (001 篇1 7: two water or power cuts must be investigated)."""
    start = received_at - timedelta(days=window_days)
    hits = [no for at, no in earlier if start <= at <= received_at]
    return hits[-1] if hits else None
