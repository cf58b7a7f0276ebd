"""Owner calls on the desk (issue 17): `v` and `j` show the owner's full number to the clerk
holding the desk (logged), the callback's no-answer outcome asks for a retry time and the row
shows it; `j` apologises and agrees a new arrival time."""

from __future__ import annotations

from sqlmodel import select

from repairdesk.domain.enums import Action, CallbackOutcome, Status
from repairdesk.i18n import _
from repairdesk.services import tickets as T
from repairdesk.store.tables import DutyLogEntry

from .conftest import settle, type_text

PHONE = "13812345678"


def _ticket(desk) -> str:
    return T.register_ticket(desk, T.IntakeForm(room="3-2-1501", caller="王先生", phone=PHONE,
                                                content="厨房水管漏水"), "李静").ticket_no


def _returned(desk, clock) -> str:
    no = _ticket(desk)
    T.dispatch_ticket(desk, no, "张建国", "李静")
    T.arrive_ticket(desk, no, "张建国")
    T.complete_ticket(desk, no, "换阀芯", "张建国")
    T.return_ticket(desk, no, "李静")
    return no


def _reveals(desk) -> list[DutyLogEntry]:
    with desk.store.read() as session:
        return list(session.exec(select(DutyLogEntry).where(DutyLogEntry.kind == "reveal")))


def _intro(app) -> str:
    return str(app.screen.query_one("#intro").render())


async def test_callback_shows_the_number_and_no_answer_sets_a_retry(desk_app, staffed, clock):
    no = _returned(staffed, clock)
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert type(app.screen).__name__ == "FormPrompt"
        assert PHONE in _intro(app)  # the full number, in the desk's own call dialog
        [entry] = _reveals(staffed)
        assert entry.author == "李静" and entry.ticket_no == no
        await pilot.press("3", "enter")  # no answer; on to the note
        await type_text(pilot, "无人接听")
        await pilot.press("enter")  # then: when to ring again
        await settle(pilot)
        await type_text(pilot, "23:30")
        await pilot.press("enter")
        await settle(pilot)
        record = T.get_ticket(staffed, no)
        assert record.status is Status.RETURNED
        assert record.events[-1].action is Action.CALLBACK_NO_ANSWER
        cells = [str(c) for c in app.desk_screen.query_one("#tickets").get_row_at(0)]
        assert _("retry at {when}").format(when="23:30") in cells, cells
        assert PHONE not in " ".join(cells)  # masked everywhere else
        await pilot.press("enter")  # the detail says it too
        await settle(pilot)
        title = str(app.screen.query_one("#detail-title").render())
        assert _("retry at {when}").format(when="23:30") in title, title
        assert PHONE not in str(app.screen.query_one("#detail-info").render())


async def test_callback_refused(desk_app, staffed, clock):
    no = _returned(staffed, clock)
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("4", "enter", "enter")  # refused, no note
        await settle(pilot)
        record = T.get_ticket(staffed, no)
        assert record.status is Status.CALLBACK and record.events[-1].data["outcome"] == "refused"


async def test_j_apologises_for_a_late_arrival(desk_app, staffed, clock):
    no = _ticket(staffed)
    T.dispatch_ticket(staffed, no, "张建国", "李静")
    clock.advance(hours=2)  # the arrival clock is breached
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.tick()
        await settle(pilot)
        alerts = app.desk_screen.query_one("#alerts")
        hint = _("({key}: call the owner)").format(key="j")
        arrive = alerts.keys.index(f"{no}|arrive")  # the late arrival says which key calls
        assert hint in str(alerts.get_row_at(arrive)[-1])
        await pilot.press("j")
        await settle(pilot)
        assert PHONE in _intro(app)
        [entry] = _reveals(staffed)
        assert entry.data["why"] == "apology"
        await type_text(pilot, "23:50")
        await pilot.press("enter")
        await type_text(pilot, "业主同意")
        await pilot.press("enter")
        await settle(pilot)
        e = T.get_ticket(staffed, no).events[-1]
        assert e.action is Action.RESCHEDULE and "业主同意" in e.note


async def test_a_follow_up_retry_time_stays_in_the_site_zone_after_a_tick(
        desk_app, staffed, clock):
    """The status cell of a follow-up is rewritten on a tick (its weekly entry may fall due);
    the retry time it shows stays in the site's time zone, not the machine's."""
    import os
    import time

    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"  # a desk PC set to UTC: the site is Asia/Shanghai
    time.tzset()
    try:
        no = _returned(staffed, clock)
        T.follow_up_ticket(staffed, no, "业主要求每周回复", "李静")
        T.callback_ticket(staffed, no, CallbackOutcome.NO_ANSWER, "李静", retry="23:30")
        app = desk_app()
        async with app.run_test(size=(120, 35)) as pilot:
            await settle(pilot)
            shown = _("retry at {when}").format(when="23:30")
            table = app.desk_screen.query_one("#tickets")
            assert shown in [str(c) for c in table.get_row_at(0)]
            clock.advance(days=8)  # past its clocks' next change: the row is worked out again
            app.tick()
            await settle(pilot)
            cells = [str(c) for c in table.get_row_at(0)]
            assert shown in cells, cells
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()
