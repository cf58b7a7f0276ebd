"""Contrast (issue 17): the cells a night clerk must read at a glance — an overdue clock, a
clock about to be due, the row under the cursor — and every panel title, focused or not,
reach 4.5:1 (WCAG 2) in true colour and in a 256-colour terminal. The colours are measured
where Textual drew them (tui/app.tcss, the theme, tui/live.py), not copied into the test; for
256 colours each is mapped to the xterm palette entry Rich sends (rich.color). With NO_COLOR
set, Textual draws in grey (its Monochrome filter) and the overdue marker is still in the
text."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style

from repairdesk import fmt
from repairdesk.services import tickets as T

from .conftest import settle

MINIMUM = 4.5
TITLES = ("#alerts", "#tickets", "#shift", "#print")


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _rgb(color: RichColor, system: ColorSystem) -> tuple[int, int, int]:
    if system is ColorSystem.EIGHT_BIT:
        color = color.downgrade(ColorSystem.EIGHT_BIT)  # what Rich sends such a terminal
    t = color.get_truecolor()
    return (t.red, t.green, t.blue)


def _pair(style: Style, system: ColorSystem) -> float:
    assert style.color is not None and style.bgcolor is not None, style
    fg, bg = style.color, style.bgcolor
    if style.reverse:
        fg, bg = bg, fg
    return contrast(_rgb(fg, system), _rgb(bg, system))


def _segments(widget, y: int) -> list[Segment]:
    """Line `y` of the widget (border included) as Textual drew it."""
    from textual.geometry import Region

    width, height = widget.outer_size
    (strip,) = widget.render_lines(Region(0, y, width, 1))
    return list(strip)


def _find(widget, text: str) -> Iterator[Style]:
    """The styles of the drawn segments that carry `text` (stripped), on any line."""
    width, height = widget.outer_size
    found = False
    for y in range(height):
        segments = _segments(widget, y)
        for seg in segments:
            if seg.text.strip() and seg.text.strip() in text and seg.style is not None:
                found = True
                yield seg.style
    assert found, (widget, text)


def _check(widget, text: str, what: str, failures: list[str]) -> None:
    for system in (ColorSystem.TRUECOLOR, ColorSystem.EIGHT_BIT):
        for style in _find(widget, text):
            ratio = _pair(style, system)
            if ratio < MINIMUM:
                failures.append(f"{what} {text!r} in {system.name}: {ratio:.2f}:1 ({style})")


def _register(staffed, n: int = 6) -> list[str]:
    out = []
    for i in range(n):
        r = T.register_ticket(staffed, T.IntakeForm(room=f"3-2-{1501 + i}", caller="王先生",
                                                    content="卫生间漏水", urgency="urgent"),
                              "李静")
        out.append(r.ticket_no)
    return out


async def test_alert_warning_focus_cells_and_titles_reach_4_5(desk_app, staffed, clock):
    nos = _register(staffed, 2)
    clock.advance(minutes=2)
    nos += _register(staffed, 1)
    clock.advance(minutes=4, seconds=30)  # dispatch in 5 min, warned at 4: two late, one due
    nos += _register(staffed, 1)  # and one running
    failures: list[str] = []
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.tick()
        await settle(pilot)
        screen = app.desk_screen
        table = screen.query_one("#tickets")
        states = {no: table.rows_by_no[no].clock.state.value for no in nos}
        assert set(states.values()) >= {"breached", "warning", "running"}, states
        # the row under the cursor (focused table) and the countdowns, on and off it
        for cursor in range(len(table.order)):  # each row under the cursor once
            table.move_cursor(row=cursor, animate=False)
            await pilot.pause()
            for row, no in enumerate(table.order):
                text = str(table.get_cell(no, "left")).strip()
                where = "under the cursor" if row == cursor else f"cursor on {cursor}"
                _check(table, text, f"countdown ({states.get(no)}, {where})", failures)
            _check(table, table.order[cursor], "ticket no. under the cursor", failures)
        # panel titles, unfocused and focused
        for selector in TITLES:
            widget = screen.query_one(selector)
            if screen.focused is widget:
                screen.set_focus(None)
                await pilot.pause()
            _check(widget, str(widget.border_title), f"{selector} title (unfocused)", failures)
            widget.focus()
            await pilot.pause()
            _check(widget, str(widget.border_title), f"{selector} title (focused)", failures)
        # the alert strip's overdue and due-soon countdowns (the rows drawn: an urgent call
        # nobody dispatched is listed too, so the strip may scroll)
        alerts = screen.query_one("#alerts")
        top, drawn = int(alerts.scroll_y), alerts.scrollable_content_region.height - 1  # header
        assert drawn >= 2 and alerts.row_count >= 2
        for row in range(top, min(alerts.row_count, top + drawn)):
            text = str(alerts.get_cell_at((row, 0))).strip()
            _check(alerts, text, f"alert countdown row {row}", failures)
    assert not failures, "\n".join(failures)


def test_the_measure_itself():
    """White on the old overdue red measures as the issue found it: the test can fail."""
    assert contrast((255, 255, 255), (0, 0, 0)) == pytest.approx(21)
    low = Style.parse("bold white on #B93C5B")
    assert _pair(low, ColorSystem.TRUECOLOR) < MINIMUM


async def test_no_color_draws_grey_and_keeps_the_overdue_marker(desk_app, staffed, clock,
                                                                monkeypatch):
    monkeypatch.setitem(os.environ, "NO_COLOR", "1")
    (no,) = _register(staffed, 1)
    clock.advance(minutes=30)
    app = desk_app()
    assert app.no_color  # Textual read NO_COLOR: its Monochrome filter draws in grey
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.tick()
        await settle(pilot)
        table = app.desk_screen.query_one("#tickets")
        text = str(table.get_cell(no, "left"))
        assert fmt.countdown(-1).split()[0] in text  # "late" / 超时: not said by colour alone
        filters = app.get_line_filters()
        assert filters, "no line filter under NO_COLOR"
        line = _segments(table, 2)  # the overdue row, under the cursor
        for f in filters:
            line = f.apply(line, app.screen.styles.background)
        for seg in line:
            for color in (seg.style.color, seg.style.bgcolor) if seg.style else ():
                if color is not None and color.triplet is not None:
                    r, g, b = color.triplet
                    assert r == g == b, (seg.text, color)
            if seg.text.strip() and seg.text.strip() in text:  # still readable in grey
                assert _pair(seg.style, ColorSystem.TRUECOLOR) >= MINIMUM, seg
