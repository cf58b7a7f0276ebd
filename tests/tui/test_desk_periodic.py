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


async def test_no_periodic_sla_pass_while_nothing_can_change(desk_app, staffed, clock):
    """The pass every ten ticks runs only once the last one's 'nothing new before' has come:
    a fresh call's dispatch clock warns at 4:00 (80% of 5 min); before that, ticks start no
    pass; at 4:00 the warning is written within the ten ticks it always took."""
    from datetime import timedelta

    from repairdesk.services import dutylog
    from repairdesk.services import tickets as T

    r = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                content="卧室灯不亮", category="电"), "李静")
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.tick()  # the first tick passes the alert list it found (none) to the pass
        await settle(pilot)
        at, until = app.sla_quiet
        assert until == r.registered_at + timedelta(seconds=240)
        passes = app.sla_passes
        for _ in range(20):  # two periodic turns, 20 s: nothing can change before 4:00
            clock.advance(seconds=1)
            app.tick()
            await settle(pilot)
        assert app.sla_passes == passes
        clock.advance(seconds=240)
        for _ in range(10):
            app.tick()
            await settle(pilot)
        assert app.sla_passes > passes
        kinds = [e.kind for e in dutylog.list_entries(staffed) if e.ticket_no == r.ticket_no]
        assert "sla_warning" in kinds


async def test_an_older_pass_answering_late_does_not_set_the_quiet(desk_app):
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.sla_passes += 1  # a newer pass has started meanwhile
        app.sla_quiet = None
        from repairdesk.services.sla_pass import run_pass

        app._escalated(run_pass(app.desk), app.sla_passes - 1)
        assert app.sla_quiet is None


async def test_a_reload_evaluates_only_the_tickets_that_moved(desk_app, staffed, monkeypatch):
    """A step on one ticket reloads the board; the others keep their clocks (their records
    are the ones shown: working_set rebuilds only the tickets that moved)."""
    from repairdesk.services import tickets as T
    from repairdesk.tui.widgets import tickets as table_module

    nos = [T.register_ticket(staffed, T.IntakeForm(room=f"3-2-150{i}", caller="王先生",
                                                   content="卧室灯不亮", category="电"),
                             "李静").ticket_no for i in range(3)]
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        evaluated: list[str] = []
        real = table_module.row_clocks

        def counting(record, *args):
            evaluated.append(record.ticket_no)
            return real(record, *args)

        monkeypatch.setattr(table_module, "row_clocks", counting)
        T.dispatch_ticket(staffed, nos[1], "张建国", "李静")
        app.refresh_board()
        await settle(pilot)
        assert evaluated == [nos[1]]
        table = app.desk_screen.query_one("#tickets")
        assert table.rows_by_no[nos[1]].record.state.technician == "张建国"


async def test_a_reload_with_no_ticket_moved_leaves_the_table_alone(desk_app, staffed):
    """Another desk writes a duty-log entry (or an SLA notice): the board is reloaded for the
    shift panel, but the same rows in the same order are not rebuilt; a step is."""
    from repairdesk.services import dutylog
    from repairdesk.services import tickets as T

    nos = [T.register_ticket(staffed, T.IntakeForm(room=f"3-2-150{i}", caller="王先生",
                                                   content="卧室灯不亮", category="电"),
                             "李静").ticket_no for i in range(3)]
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        table = app.desk_screen.query_one("#tickets")
        cleared: list[bool] = []
        real_clear = table.clear
        table.clear = lambda *a, **k: (cleared.append(True), real_clear(*a, **k))[1]
        dutylog.add_entry(staffed, "地下车库积水", "李静")
        app.refresh_board()
        await settle(pilot)
        assert cleared == [] and table.row_count == 3
        T.dispatch_ticket(staffed, nos[0], "张建国", "李静")
        app.refresh_board()
        await settle(pilot)
        assert cleared == [True] and table.row_count == 3
        assert table.rows_by_no[nos[0]].record.state.technician == "张建国"
