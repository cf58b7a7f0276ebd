"""The detail screen's clocks (issue 14, item 15): they tick with the desk's injected clock,
and a running clock's time left is its deadline shown beside it minus now, also after a
reschedule (the feedback clock does not run while the job waits for the new appointment)."""

from __future__ import annotations

from datetime import timedelta

from repairdesk import fmt
from repairdesk.domain import sla
from repairdesk.services import tickets as T

from .conftest import settle


def _clock_row(app, name: str) -> list[str]:
    table = app.screen.query_one("#detail-clocks")
    for i in range(table.row_count):
        row = [str(c) for c in table.get_row_at(i)]
        if row[0] == name:
            return row
    raise AssertionError(f"no {name} clock on the detail screen")


async def _tick(app, pilot) -> None:
    app.tick()
    await settle(pilot)


async def test_detail_clocks_tick_with_the_desk_clock(desk_app, staffed, clock):
    r = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                content="卧室灯不亮", category="电"), "李静")
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "TicketScreen"
        dispatch = sla.ClockName.DISPATCH.label
        assert _clock_row(app, dispatch)[4] == fmt.countdown(300, pad=True)
        clock.advance(seconds=30)
        await _tick(app, pilot)  # no reload: only the tick
        assert _clock_row(app, dispatch)[4] == fmt.countdown(270, pad=True)
        clock.advance(seconds=271)
        await _tick(app, pilot)
        row = _clock_row(app, dispatch)
        assert row[4] == fmt.countdown(-1, pad=True)
        assert row[1] == sla.ClockState.BREACHED.label
        # the whole countdown is drawn, not its first cells: the column fits the widest one
        table = app.screen.query_one("#detail-clocks")
        left = next(c for c in table.columns.values() if c.key.value == "left")
        assert left.width >= fmt.display_width(fmt.countdown(-(99 * 3600 + 59 * 60), pad=True))
        drawn = "".join(str(table.render_line(y).text) for y in range(table.size.height))
        assert fmt.countdown(-1) in drawn
        assert r.ticket_no in str(app.screen.query_one("#detail-title").render())


async def test_time_left_agrees_with_the_deadline_after_a_reschedule(desk_app, staffed, clock):
    desk = staffed
    r = T.register_ticket(desk, T.IntakeForm(room="3-2-1501", caller="王先生",
                                             content="门锁坏了", category="门窗"), "李静")
    clock.advance(minutes=1)
    T.dispatch_ticket(desk, r.ticket_no, "张建国", "李静")
    clock.advance(minutes=1)
    new_time = clock.now() + timedelta(hours=5)
    T.reschedule_ticket(desk, r.ticket_no, new_time, "业主下午才在家", "李静")
    clock.advance(minutes=10)
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        for _ in range(2):  # as opened, and after a tick with the clock moved on
            now = desk.now()
            record = T.get_ticket(desk, r.ticket_no)
            clocks = {c.name: c for c in sla.evaluate(record, now, desk.config.sla,
                                                      desk.config.tz)}
            feedback = clocks[sla.ClockName.FEEDBACK]
            left = (feedback.due_at - now).total_seconds()
            # the wait for the appointment is not counted: the two readings differ here
            assert abs(left - (feedback.remaining_s or 0.0)) > 3600
            row = _clock_row(app, sla.ClockName.FEEDBACK.label)
            assert row[3] == feedback.due_at.astimezone(desk.config.tz).strftime("%m-%d %H:%M")
            assert row[4] == fmt.countdown(left, pad=True)
            arrive = clocks[sla.ClockName.ARRIVE]
            assert _clock_row(app, sla.ClockName.ARRIVE.label)[4] == fmt.countdown(
                (arrive.due_at - now).total_seconds(), pad=True)
            clock.advance(minutes=7, seconds=3)
            await _tick(app, pilot)
