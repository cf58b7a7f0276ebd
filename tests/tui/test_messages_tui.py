"""Messages (issue 17): a step's confirmation is a notification kept in the session's messages
(`M`, with the time); SLA notices take the status line without wiping a confirmation, and
are in the messages too; errors are on both."""

from __future__ import annotations

from textual.widgets import DataTable

from repairdesk.i18n import _
from repairdesk.services import tickets as T
from repairdesk.tui.keys import DESK_KEYS

from .conftest import settle


def _register(staffed, urgency: str = "normal") -> str:
    return T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                    content="漏水", urgency=urgency),
                             "李静").ticket_no


def _status(app) -> str:
    return str(app.desk_screen.query_one("#message").render())


def _toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_confirmation_is_a_notification_kept_with_its_time(desk_app, staffed, clock):
    no = _register(staffed)
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("a")  # accept before dispatch: an error
        await settle(pilot)
        error = app.messages.last
        assert error.kind.value == "error" and error.text in _status(app)
        clock.advance(minutes=2)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press(*"已联系业主", "enter")
        await settle(pilot)
        done = _("{no}: follow-up note added.").replace("{no}", no)
        assert app.messages.last.text == done and app.messages.last.kind.value == "done"
        assert done in _toasts(app)
        assert done not in _status(app)  # the status line is not the confirmation's
        # an SLA notice later takes the status line; the confirmation is still in M
        app.say("SLA notice for the test", toast=False)
        assert "SLA notice for the test" in _status(app)
        assert "SLA notice for the test" not in _toasts(app)
        await pilot.press("M")
        await settle(pilot)
        assert type(app.screen).__name__ == "MessagesScreen"
        table = app.screen.query_one("#messages", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        texts = [r[2] for r in rows]
        assert texts[0] == "SLA notice for the test"  # newest first
        assert texts[1] == done and texts[2] == error.text
        assert rows[1][0] == "10:02:00" and rows[2][0] == "10:00:00", rows  # site time
        assert rows[0][1] == _("Notice") and rows[1][1] == _("Done")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.desk_screen


async def test_sla_notices_go_to_the_status_line_and_the_messages(desk_app, staffed, clock):
    _register(staffed, urgency="urgent")
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        clock.advance(minutes=4, seconds=30)  # the dispatch clock warns
        app.tick()
        app.escalate()
        await settle(pilot)
        notices = [m for m in app.messages.items if m.kind.value == "notice"]
        assert notices, [m.text for m in app.messages.items]
        assert notices[-1].text in _status(app)


async def test_m_is_in_the_desk_key_table():
    assert any(k.key == "M" and k.action == "messages" for k in DESK_KEYS)
