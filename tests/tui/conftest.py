"""Driving the real desk app with Pilot: real keys, a real SQLite file, a fixed clock; workers
are awaited, never slept on."""

from __future__ import annotations

from typing import Any

import pytest


async def settle(pilot: Any) -> None:
    """Wait until every worker (and the workers their callbacks start) has finished."""
    app = pilot.app
    for _ in range(20):
        await pilot.pause()
        busy = [w for w in app.workers if not w.is_finished]
        if not busy:
            await pilot.pause()
            return
        await app.workers.wait_for_complete()
    raise AssertionError("workers kept starting")


async def type_text(pilot: Any, text: str) -> None:
    """Type like a clerk: one key per character (CJK characters arrive as themselves)."""
    for ch in text:
        await pilot.press(ch if ch != " " else "space")


@pytest.fixture
def desk_app(roster, request):
    """The desk app on the small roster; held by 李静 unless the test asked only for
    `roster` (nobody signed on yet)."""
    from repairdesk.tui.app import RepairDeskApp

    import inspect

    if "roster" not in inspect.signature(request.function).parameters:
        request.getfixturevalue("staffed")

    def make(**kwargs: Any) -> Any:
        return RepairDeskApp(roster, live=False, **kwargs)

    return make
