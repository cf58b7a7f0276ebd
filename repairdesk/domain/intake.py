"""Rules that help the clerk while typing: urgent-keyword and category suggestions, the repeat
window (rooms as callers say them: domain/rooms.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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


def guess_category(content: str, keywords: Mapping[str, Sequence[str]]) -> tuple[str, str] | None:
    """(category, the word that decided it) for the fault description, or None.

    The category whose keyword appears earliest in the text wins (the caller names the fault
    first: 「水管漏水导致跳闸」 is water); at the same place the longer word wins (电梯 before
    电). Only a suggestion: the clerk's own choice is never overridden.
    """
    best: tuple[int, int, str, str] | None = None
    for category, words in keywords.items():
        for word in words:
            at = content.find(word) if word else -1
            if at < 0:
                continue
            key = (at, -len(word), category, word)
            if best is None or key < best:
                best = key
    return (best[2], best[3]) if best else None
