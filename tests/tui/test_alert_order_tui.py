"""The alert strip's order and title (issue 17): a fresh urgent call nobody has dispatched
comes above a two-hour-old escalation already being handled; the title counts each kind."""

from __future__ import annotations

from repairdesk.domain.board_clocks import AlertKind
from repairdesk.services import tickets as T

from .conftest import settle


async def test_fresh_urgent_call_above_an_old_escalation(desk_app, staffed, clock):
    old = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                  content="卧室灯不亮", category="电"), "李静")
    T.dispatch_ticket(staffed, old.ticket_no, "张建国", "李静")
    clock.advance(hours=2, minutes=30)  # the arrival is two hours late: escalated
    fresh = T.register_ticket(staffed, T.IntakeForm(
        room="5-1-0802", caller="李女士", content="水管爆裂，水漫到客厅", category="水",
        urgency="urgent"), "李静")
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.tick()
        await settle(pilot)
        alerts = app.desk_screen.query_one("#alerts")
        nos = [key.split("|")[0] for key in alerts.keys]
        assert nos[0] == fresh.ticket_no, nos
        assert old.ticket_no in nos[1:]
        assert str(alerts.get_row_at(0)[-1]).strip()  # says what to do
        title = str(alerts.border_title)
        assert f"{AlertKind.UNDISPATCHED.label} 1" in title, title
        assert f"{AlertKind.BREACHED.label} " in title, title
        # the board puts it first too
        assert app.desk_screen.query_one("#tickets").order[0] == fresh.ticket_no
