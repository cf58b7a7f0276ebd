"""What the clerk must read fits the terminal (issue 17): at 80x24, 100x30 and 120x35 the
ticket table keeps its rows, its content column gets the spare width and no scroll bar, the
footer keeps the most used keys whole (and `?`), and the new-ticket form scrolls so the field
with the cursor is always on screen."""

from __future__ import annotations

import pytest
from textual.widgets import Footer

from repairdesk import i18n
from repairdesk.services import tickets as T

from .conftest import settle

SIZES = [(80, 24), (100, 30), (120, 35)]
ids = [f"{w}x{h}" for w, h in SIZES]


def _register(staffed, n: int = 12) -> None:
    for i in range(n):
        T.register_ticket(staffed, T.IntakeForm(room=f"3-2-{1501 + i}", caller="王先生",
                                                content="卫生间水管漏水，楼下天花板在滴水"),
                          "李静")


def _footer_keys(app) -> list[str]:
    footer = app.screen.query_one(Footer)
    keys = list(footer.query("FooterKey"))
    for k in keys:  # shown whole, or not at all
        assert footer.region.contains_region(k.region), (k.key_display, k.region)
    return [k.key for k in keys]


@pytest.mark.parametrize("size", SIZES, ids=ids)
async def test_the_desk_footer_keeps_the_most_used_keys_whole(desk_app, size):
    app = desk_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        shown = _footer_keys(app)
        for key in ("question_mark", "n", "d", "slash", "h", "s", "q"):
            assert key in shown, (size, shown)
        if size[0] >= 100:
            assert {"a", "o", "c", "v"} <= set(shown), shown


async def test_the_footer_widens_again_after_a_resize(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        narrow = _footer_keys(app)
        await pilot.resize_terminal(160, 40)
        await settle(pilot)
        wide = _footer_keys(app)
        assert set(narrow) < set(wide)
        assert "ctrl+p" in wide  # the palette's key where everything fits


@pytest.mark.parametrize("size", SIZES, ids=ids)
async def test_the_content_column_gets_the_spare_width(desk_app, staffed, size):
    _register(staffed)
    app = desk_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        table = app.desk_screen.query_one("#tickets")
        widths = {c.key.value: c.get_render_width(table) for c in table.columns.values()}
        assert sum(widths.values()) <= table.size.width  # no horizontal scroll bar
        assert widths["content"] >= (24 if size[0] >= 100 else 10), widths
        assert {"no", "left", "status", "place"} <= set(widths)
        if size[0] >= 120:
            assert {"technician", "category", "urgency"} <= set(widths)
        # the cells follow the columns shown: the content is the last one
        assert str(table.get_row_at(0)[-1]).startswith("卫生间水管漏水")


@pytest.mark.parametrize("size", SIZES, ids=ids)
async def test_the_ticket_table_keeps_its_rows(desk_app, staffed, size):
    _register(staffed)
    app = desk_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        table = app.desk_screen.query_one("#tickets")
        rows = table.scrollable_content_region.height - 1  # the header
        assert rows >= {24: 7, 30: 10, 35: 14}[size[1]], rows


async def test_the_columns_follow_a_resize(desk_app, staffed):
    _register(staffed, 2)
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        table = app.desk_screen.query_one("#tickets")
        assert "technician" in table.shown_columns
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert "technician" not in table.shown_columns
        assert len(table.get_row_at(0)) == len(table.shown_columns)


@pytest.mark.parametrize("size", SIZES, ids=ids)
async def test_the_focused_intake_field_is_always_on_screen(desk_app, size):
    app = desk_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "IntakeScreen"
        seen = set()
        for _ in range(12):
            focused = form.focused
            assert focused is not None
            seen.add(focused.id)
            region = focused.region
            assert region.height > 0 and app.screen.region.contains_region(region), (
                focused.id, region)
            # and inside the dialog's visible part, not behind its edge
            dialog = form.query_one(".dialog")
            assert dialog.region.contains_region(region), (focused.id, region, dialog.region)
            if focused.id == "owner_parts":
                break
            await pilot.press("tab")
            await pilot.pause()
        assert "owner_parts" in seen


async def test_help_is_in_the_footer_in_english_too(desk_app, english):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = app.desk_screen.query_one(Footer)
        labels = [str(k.description) for k in footer.query("FooterKey")]
        assert i18n._("Help") in labels and i18n._("Quit") in labels


async def test_enter_through_the_intake_form_at_80x24_keeps_the_field_on_screen(desk_app):
    """Enter moves on field by field (digits typed there once changed the service type): the
    field with the cursor is inside the dialog's visible part after every Enter."""
    from .conftest import type_text

    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        answers = {"room": "3-2-1501", "caller": "王先生", "phone": "13812345678",
                   "content": "卫生间漏水"}
        for _ in range(10):
            focused = form.focused
            if focused is None or focused.id == "owner_parts":
                break
            if focused.id in answers:
                await type_text(pilot, answers[focused.id])
            await pilot.press("enter")
            await settle(pilot)
            if app.screen is not form:
                break
            now = form.focused
            assert now is not None
            assert form.query_one(".dialog").region.contains_region(now.region), (
                now.id, now.region)
        assert form.focused is not None and form.focused.id == "owner_parts"


async def test_the_alert_strip_keeps_two_rows_at_80x24(desk_app, staffed, clock):
    """A long 'what to do' (whom to call, with the number) runs past 80 columns: no scroll
    bar takes the second alert's line."""
    nos = [T.register_ticket(staffed, T.IntakeForm(room=f"3-2-{1501 + i}", caller="王先生",
                                                   content="漏水", urgency="urgent"),
                             "李静").ticket_no for i in range(2)]
    clock.advance(minutes=20)
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        alerts = app.desk_screen.query_one("#alerts")
        alerts.set_calls({(no, "dispatch"): "致电 经理 郑经理 13500000041 并记录回复" * 2
                          for no in nos})
        app.tick()
        await settle(pilot)
        assert alerts.row_count >= 2
        assert alerts.scrollable_content_region.height - 1 >= 2  # header, then two alerts
