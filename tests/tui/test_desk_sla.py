"""The countdown on screen: an injected clock walks a fresh call through the dispatch clock's
warning (80% of 5 min) and breach; the cell's styling, the alert strip and the duty log follow,
with exactly one log entry per event however often the desk ticks or reopens."""

from __future__ import annotations

from repairdesk import fmt
from repairdesk.services import dutylog
from repairdesk.services import tickets as T
from repairdesk.tui.live import STYLE_BREACHED, STYLE_NORMAL, STYLE_WARNING

from .conftest import settle


def _cell(app, no: str):
    table = app.desk_screen.query_one("#tickets")
    return table.get_cell(no, "left")


def _sla_entries(desk, no: str) -> list[str]:
    return [e.kind for e in dutylog.list_entries(desk)
            if e.ticket_no == no and e.kind.startswith("sla")]


async def _tick(app, pilot, times: int = 1) -> None:
    for _ in range(times):
        app.tick()
        await settle(pilot)


async def test_countdown_turns_to_warning_then_breach(desk_app, staffed, clock):
    r = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                content="卧室灯不亮", category="电"), "李静")
    no = r.ticket_no
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await _tick(app, pilot)
        cell = _cell(app, no)
        assert cell.plain == fmt.countdown(300, pad=True) and cell.style == STYLE_NORMAL
        alerts = app.desk_screen.query_one("#alerts")
        assert alerts.row_count == 0, alerts.get_row_at(0)

        clock.advance(seconds=239)  # 3:59 gone: still before 80%
        await _tick(app, pilot)
        assert _cell(app, no).plain.strip() == fmt.countdown(61)
        assert _cell(app, no).style == STYLE_NORMAL
        assert _sla_entries(staffed, no) == []

        clock.advance(seconds=1)  # 4:00 = 80% of the 5-minute dispatch target
        await _tick(app, pilot, times=3)
        assert _cell(app, no).style == STYLE_WARNING
        alerts = app.desk_screen.query_one("#alerts")
        assert alerts.row_count == 1 and alerts.selected_no() == no
        assert _sla_entries(staffed, no) == ["sla_warning"]

        clock.advance(seconds=61)  # one second past the deadline
        await _tick(app, pilot, times=3)
        cell = _cell(app, no)
        assert cell.plain.strip() == fmt.countdown(-1) and cell.style == STYLE_BREACHED
        assert _sla_entries(staffed, no) == ["sla_warning", "sla"]
        # the alert line says what to do, as the escalation engine words it
        from repairdesk.services import sla

        (expected,) = sla.alerts(staffed)
        assert str(alerts.get_row_at(0)[-1]) == expected.action_text != ""

    # a second desk on the same book ticks again: nothing is written twice
    again = desk_app()
    async with again.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await _tick(again, pilot, times=3)
    assert _sla_entries(staffed, no) == ["sla_warning", "sla"]


async def test_dispatching_stops_the_clock(desk_app, staffed, clock):
    r = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                content="卧室灯不亮", category="电"), "李静")
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        clock.advance(seconds=250)
        await _tick(app, pilot)
        assert _cell(app, r.ticket_no).style == STYLE_WARNING
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await _tick(app, pilot)
        # now the accept clock runs (5 min from the dispatch), no longer in warning
        cell = _cell(app, r.ticket_no)
        assert cell.plain == fmt.countdown(300, pad=True) and cell.style == STYLE_NORMAL
        alerts = app.desk_screen.query_one("#alerts")
        assert alerts.row_count == 0, alerts.get_row_at(0)


async def test_desk_alerts_and_detail_show_one_countdown(desk_app, staffed, clock):
    """The same clock reads the same on the desk, in the alert strip and on the detail
    screen: units, not mm:ss, and overdue with the one marker."""
    from repairdesk.i18n import _

    r = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                content="卧室灯不亮", category="电"), "李静")
    clock.advance(hours=2, minutes=13)  # dispatch 2h08m late
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await _tick(app, pilot)
        desk_text = _cell(app, r.ticket_no).plain
        late = _("late {time}").format(time=fmt.countdown(2 * 3600 + 8 * 60))
        assert desk_text.strip() == late and ":" not in late
        alerts = app.desk_screen.query_one("#alerts")
        assert str(alerts.get_cell_at((0, 0))) == desk_text
        await pilot.press("enter")
        await settle(pilot)
        rows = app.screen.query_one("#detail-clocks")
        shown = [str(rows.get_row_at(i)[4]) for i in range(rows.row_count)]
        assert desk_text in shown, shown
