"""SVG snapshots of the screens a clerk reads under pressure, at 80x24, 100x30 and 120x35 in
both languages (issue 17): the handover checklist and the new-ticket form scrolled to its
last field. Update with `pytest --snapshot-update` after a deliberate change."""

from __future__ import annotations

import pytest

from repairdesk import i18n

from .conftest import settle
from .test_desk_snapshots import busy_desk  # noqa: F401 - the fixture

SIZES = [(120, 35), (100, 30), (80, 24)]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_handover_snapshot(busy_desk, snap_compare, lang, size):  # noqa: F811
    from repairdesk.tui.app import RepairDeskApp

    i18n.set_language(lang)
    app = RepairDeskApp(busy_desk, live=False)

    async def ready(pilot):
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_intake_last_field_snapshot(busy_desk, snap_compare, lang, size):  # noqa: F811
    from repairdesk.tui.app import RepairDeskApp

    i18n.set_language(lang)
    app = RepairDeskApp(busy_desk, live=False)

    async def ready(pilot):
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        form.set_focus(form.query_one("#owner_parts"))  # scrolled to the last field
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=ready)
