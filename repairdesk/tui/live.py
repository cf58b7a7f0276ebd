"""The bridge between the SLA engine (domain/sla.py) and the screen: how a row's clock is written
and coloured. Which clock a row shows, until when it holds and how rows sort are worked out in
domain/board_clocks.py (no Textual there: the first board is ordered before it loads)."""

from __future__ import annotations

from datetime import datetime

from ..domain import sla
from ..domain.board_clocks import (  # noqa: F401  (the names the widgets import from here)
    RowClocks, UrgentClock, alerting, row_clocks, sort_key, urgent_clock,
)
from ..fmt import countdown, countdown_width, pad_left

# Rich styles of the countdown column and the alert panel (the one place they are chosen).
# Exact xterm-256 entries, so a 256-colour terminal shows the very colours measured: each
# text reaches 4.5:1 on its background, and the white of the row under the cursor
# (app.tcss) on the warning and overdue backgrounds too (tests/tui/test_contrast_tui.py).
STYLE_NORMAL = "#87ffaf"
STYLE_WARNING = "bold #ffffff on #af5f00"
STYLE_BREACHED = "bold #ffffff on #af0000"
STYLE_URGENT = "bold #ff5f5f"
STYLE_IDLE = "dim"


def countdown_text(c: UrgentClock | None, now: datetime) -> str:
    """fmt.countdown, right-aligned to the column's fixed width (late ... once breached);
    blank when no clock runs."""
    if c is None:
        return ""
    if c.state is sla.ClockState.PAUSED:
        return pad_left("||", countdown_width())
    return countdown(c.remaining_at(now), pad=True)


def clock_style(c: UrgentClock | None, text: str = "") -> str:
    if c is None:
        return STYLE_IDLE
    return {sla.ClockState.WARNING: STYLE_WARNING,
            sla.ClockState.BREACHED: STYLE_BREACHED,
            sla.ClockState.PAUSED: STYLE_IDLE}.get(c.state, STYLE_NORMAL)
