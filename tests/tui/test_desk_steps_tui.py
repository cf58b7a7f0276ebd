"""The desk's side steps by keyboard (issue 14, items 12 and 16): the intake form's vacant-unit
field, `b` (the technician told to collect the order), `y` (a follow-up's leader's or
supervisor's check) and `k` on a vacant unit asking for the verification."""

from __future__ import annotations

import pytest

from repairdesk.domain.enums import Action, Status
from repairdesk.services import signing
from repairdesk.services import tickets as T

from .conftest import settle, type_text

PIN = "246810"


def _table(app):
    return app.desk_screen.query_one("#tickets")


async def test_vacant_unit_from_the_intake_form(desk_app, staffed):
    app = desk_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "5-1-0802")
        await pilot.press("enter")
        await type_text(pilot, "王先生")
        await pilot.press("enter", "enter")
        await type_text(pilot, "门锁坏了")
        form = app.screen
        form.set_focus(form.query_one("#vacant"))
        await pilot.press("right")  # no → yes
        await pilot.press("ctrl+s")
        await settle(pilot)
        (r,) = T.list_tickets(staffed)
        assert r.state.vacant and r.intake.vacant
        from repairdesk.i18n import _

        cells = [str(c) for c in _table(app).get_row_at(0)]
        assert "5-1-0802" + _("(vacant)") in cells, cells


def _done(desk, vacant: bool) -> str:
    r = T.register_ticket(desk, T.IntakeForm(room="5-1-0802", caller="王先生",
                                             content="门锁坏了", vacant=vacant), "李静")
    no = r.ticket_no
    T.dispatch_ticket(desk, no, "张建国", "李静")
    T.arrive_ticket(desk, no, "张建国")
    T.complete_ticket(desk, no, "换锁芯", "张建国")
    T.return_ticket(desk, no, "李静")
    T.callback_ticket(desk, no, True, "李静")
    return no


async def test_k_on_a_vacant_unit_asks_for_the_verification(desk_app, staffed):
    no = _done(staffed, vacant=True)
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        assert type(app.screen).__name__ == "PickPrompt"
        await pilot.press("escape")  # not yet: nothing changes
        await settle(pilot)
        assert T.get_ticket(staffed, no).status is Status.CALLBACK
        await pilot.press("k")
        await settle(pilot)
        await pilot.press("enter")  # the first option: verified on site, close it
        await settle(pilot)
        assert T.get_ticket(staffed, no).status is Status.CLOSED


async def test_b_records_that_the_technician_was_told(desk_app, staffed):
    r = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                content="门锁坏了"), "李静")
    T.dispatch_ticket(staffed, r.ticket_no, "张建国", "李静")
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        record = T.get_ticket(staffed, r.ticket_no)
        assert record.events[-1].action is Action.NOTIFY
        assert record.events[-1].by == "李静"


@pytest.mark.usefixtures("fast_pins")
async def test_y_records_the_supervisors_check_with_the_pin(desk_app, staffed):
    signing.set_pin_unchecked(staffed, "吴主管", PIN)
    r = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                content="阀门坏了"), "李静")
    T.dispatch_ticket(staffed, r.ticket_no, "张建国", "李静")
    T.follow_up_ticket(staffed, r.ticket_no, "需订配件", "李静")
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        prompt = app.screen
        assert type(prompt).__name__ == "FormPrompt"
        assert prompt.focused is prompt.query_one("#f-level")  # the choice comes first
        await pilot.press("right", "enter")  # team leader → supervisor (PIN), on to the name
        await type_text(pilot, "吴主管")
        await pilot.press("enter")
        await type_text(pilot, PIN)
        await pilot.press("enter", "enter")
        await settle(pilot)
        e = T.get_ticket(staffed, r.ticket_no).events[-1]
        assert e.action is Action.FOLLOW_UP_CHECK
        assert e.data["level"] == "supervisor" and e.data["signer"] == "吴主管"


async def test_board_shows_a_follow_up_due_for_its_weekly_entry(desk_app, staffed, clock):
    from datetime import timedelta

    from repairdesk.i18n import _

    r = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                content="阀门坏了"), "李静")
    T.dispatch_ticket(staffed, r.ticket_no, "张建国", "李静")
    T.follow_up_ticket(staffed, r.ticket_no, "需订配件", "李静")
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        table = _table(app)
        assert str(table.get_cell(r.ticket_no, "status")).endswith(_("(f/u)"))
        clock.advance(days=7, seconds=-1)
        app.tick()
        await settle(pilot)
        assert str(table.get_cell(r.ticket_no, "status")).endswith(_("(f/u)"))
        clock.advance(seconds=1)  # exactly a week since the last entry: no reload, a tick
        app.tick()
        await settle(pilot)
        assert str(table.get_cell(r.ticket_no, "status")).endswith(_("(f/u due)"))
        assert clock.now() - timedelta(days=7) == T.get_ticket(staffed, r.ticket_no).events[
            -1].at
