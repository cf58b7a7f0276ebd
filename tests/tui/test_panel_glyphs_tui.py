"""Issue 17: no stray cursor-like block in the alert and print panels at 120x35 — their
scroll bar thumb, a reverse-video block at the edge, read as a stray cursor."""

from __future__ import annotations

from repairdesk.services import tickets as T

from .conftest import settle


def _scrollbar_columns(widget) -> int:
    """Columns the vertical scroll bar takes on screen (its thumb is the stray block)."""
    return widget.scrollbar_size_vertical


async def test_no_stray_block_in_the_alert_and_print_panels(desk_app, staffed, clock):
    for i in range(8):
        T.register_ticket(staffed, T.IntakeForm(room=f"3-2-{1501 + i}", caller="王先生",
                                                content="卫生间漏水", urgency="urgent"), "李静")
    clock.advance(minutes=6)  # all overdue for dispatch: more alerts than the strip shows
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.tick()
        await settle(pilot)
        alerts = app.desk_screen.query_one("#alerts")
        assert alerts.row_count > alerts.scrollable_content_region.height  # it must scroll
        for selector in ("#alerts", "#print"):
            widget = app.desk_screen.query_one(selector)
            assert _scrollbar_columns(widget) == 0, selector
            assert widget.styles.scrollbar_size_vertical == 0, selector  # also once it scrolls
