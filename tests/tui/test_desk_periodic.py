"""What the desk does on its own while the clerk types (issue 18): nothing that holds the
interpreter for long. Start-up's objects are frozen out of the garbage collector's sight once
the full board is shown."""

from __future__ import annotations

import gc

from .conftest import settle


async def test_start_up_objects_are_frozen_once_the_board_is_shown(desk_app):
    gc.unfreeze()
    app = desk_app()
    app.freeze_after_start = True  # as a live desk (tests leave the collector alone)
    try:
        async with app.run_test(size=(120, 35)) as pilot:
            await settle(pilot)
            frozen = gc.get_freeze_count()
            assert frozen > 10_000  # the libraries and the board, not a handful
            assert app.freeze_after_start is False  # once: a later board is not frozen
            app.refresh_board()
            await settle(pilot)
            assert gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()


async def test_a_test_desk_leaves_the_collector_alone(desk_app):
    gc.unfreeze()
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert gc.get_freeze_count() == 0
