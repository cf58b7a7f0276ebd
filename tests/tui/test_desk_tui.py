"""The main desk by keyboard: register a call, see it, dispatch it, follow it to closed, search,
the palette — real keys through Pilot on a real SQLite book with a fixed clock."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from repairdesk.domain.enums import Status
from repairdesk.services import tickets as T

from .conftest import settle, type_text


def _table(app):
    return app.desk_screen.query_one("#tickets")


def _message(app) -> str:
    """The desk's last message (a notification; errors also on the status line)."""
    last = app.messages.last
    return last.text if last is not None else ""


async def _register_by_keyboard(pilot, room="3-2-1501", caller="王先生", phone="13812345678",
                                content="厨房水龙头滴水") -> None:
    await pilot.press("n")
    await settle(pilot)
    await type_text(pilot, room)
    await pilot.press("enter")
    await type_text(pilot, caller)
    await pilot.press("enter")
    await type_text(pilot, phone)
    await pilot.press("enter")
    await type_text(pilot, content)
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_register_a_call_by_keyboard_and_see_it(desk_app, staffed):
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert _table(app).order == []
        await _register_by_keyboard(pilot)
        saved = T.list_tickets(staffed)
        assert [r.intake.room for r in saved] == ["3-2-1501"]
        r = saved[0]
        assert (r.intake.caller, r.intake.phone, r.intake.content) == (
            "王先生", "13812345678", "厨房水龙头滴水")
        assert _table(app).order == [r.ticket_no]
        assert r.ticket_no in _message(app)
        # the phone is masked in the table's data path and the detail
        assert "13812345678" not in str(app.desk_screen.query_one("#tickets").get_row_at(0))


async def test_escape_cancels_and_saves_nothing(desk_app, staffed):
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "3-2-1501")
        await pilot.press("enter")
        await type_text(pilot, "王先生")
        await pilot.press("escape")
        await settle(pilot)
        assert T.list_tickets(staffed) == []
        assert app.screen is app.desk_screen


async def test_bad_room_gives_one_line_and_keeps_the_form(desk_app, staffed):
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "3栋楼道")  # a public place: the phone is the first error
        await pilot.press("enter")
        await type_text(pilot, "王先生")
        await pilot.press("enter")
        await type_text(pilot, "12345")
        await pilot.press("enter")
        await type_text(pilot, "漏水")
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        error = str(form.query_one("#error").render())
        assert error and "\n" not in error.strip()
        assert form.focused is form.query_one("#phone", Input)  # the field at fault
        assert T.list_tickets(staffed) == []


async def test_urgent_keyword_suggests_urgent(desk_app, staffed):
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await _register_by_keyboard(pilot, room="1-1-101", content="电梯困人了")
        (r,) = T.list_tickets(staffed)
        assert r.intake.urgency.value == "urgent"


async def test_dispatch_and_follow_to_closed_by_keys(desk_app, staffed):
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await _register_by_keyboard(pilot)
        (r,) = T.list_tickets(staffed)
        no = r.ticket_no
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("enter")  # the first technician on the list
        await settle(pilot)
        assert T.get_ticket(staffed, no).status is Status.DISPATCHED
        assert T.get_ticket(staffed, no).state.technician == "张建国"
        for key in ("a", "o"):
            await pilot.press(key)
            await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await type_text(pilot, "更换阀芯")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("enter")  # satisfied (the first choice)
        await pilot.press("enter")  # no note
        await settle(pilot)
        # k is a vim hand's "up": it asks first, and n (or Esc) leaves the ticket as it is
        for no_key in ("n", "escape"):
            await pilot.press("k")
            await settle(pilot)
            assert type(app.screen).__name__ == "ConfirmPrompt"
            await pilot.press("enter")  # Enter is no yes
            await pilot.press(no_key)
            await settle(pilot)
            assert type(app.screen).__name__ == "DeskScreen"
            assert T.get_ticket(staffed, no).status is Status.CALLBACK
        await pilot.press("k")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        done = T.get_ticket(staffed, no)
        assert done.status is Status.CLOSED
        # lifecycle steps in order (notes, e.g. the work order's print, may sit between)
        assert [e.action.value for e in done.events if e.action.value != "note"] == [
            "register", "dispatch", "accept", "arrive", "complete", "return", "callback",
            "close"]
        # closed today: still on the desk, at the bottom
        assert _table(app).order == [no]


async def test_an_illegal_step_is_refused_with_the_state_named(desk_app, staffed):
    T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                            content="漏水"), "李静")
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("a")  # accept before dispatch
        await settle(pilot)
        text = _message(app)
        assert "已登记" in text and "派工" in text
        assert app.desk_screen.query_one("#message").has_class("error")


async def test_detail_shows_the_history(desk_app, staffed):
    r = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                content="漏水", phone="13812345678"), "李静")
    T.dispatch_ticket(staffed, r.ticket_no, "王师傅", "李静")
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        events = screen.query_one("#detail-events")
        assert events.row_count == 2
        info = str(screen.query_one("#detail-info").render())
        assert "138****5678" in info and "13812345678" not in info
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.desk_screen


async def test_search_finds_a_two_character_word(desk_app, staffed):
    for content in ("卫生间漏水", "门锁坏了", "阳台漏水严重"):
        T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                content=content), "李静")
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        await type_text(pilot, "漏水")
        await settle(pilot)
        hits = app.screen.query_one("#hits")
        assert hits.row_count == 2
        await pilot.press("enter")  # into the hits
        await pilot.press("enter")  # open the first
        await settle(pilot)
        assert type(app.screen).__name__ == "TicketScreen"


async def test_the_border_says_which_row_once_the_cursor_rests(desk_app, staffed, monkeypatch):
    """The table has no scroll bar (it would be repainted with every key); its border says
    which row of how many, rewritten when the cursor stops moving."""
    from repairdesk.tui.widgets.tickets import TicketTable

    for room in ("3-2-1501", "3-2-1502", "3-2-1503"):
        T.register_ticket(staffed, T.IntakeForm(room=room, caller="王先生", content="门锁坏了"),
                          "李静")
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        table = _table(app)
        assert table.styles.scrollbar_size_vertical == 0
        assert str(table.border_subtitle) == "在台 3 单，第 1 单"
        monkeypatch.setattr(TicketTable, "POSITION_DELAY_S", 0.001)
        await pilot.press("down", "down")
        await settle(pilot)
        await pilot.pause(0.02)  # the 1 ms timer (a real-time timer: nothing else to await)
        assert table.cursor_row == 2
        assert str(table.border_subtitle) == "在台 3 单，第 3 单"


@pytest.mark.parametrize("query", ["pg", "派工", "dispatch"])
async def test_palette_finds_dispatch(desk_app, query):
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, query)
        await settle(pilot)
        from textual.command import CommandList

        options = app.screen.query_one(CommandList)
        assert options.option_count >= 1
        first = str(options.get_option_at_index(0).prompt)
        assert "派工" in first


async def test_charges_for_paid_work_by_keys(desk_app, staffed):
    from repairdesk.services.fees import latest_bill

    r = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                content="换灯泡", service_type="paid"), "李静")
    T.dispatch_ticket(staffed, r.ticket_no, "张建国", "李静")
    T.arrive_ticket(staffed, r.ticket_no, "李静")
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("enter")  # the owner agreed (first choice)
        await type_text(pilot, "bulb=2")
        await pilot.press("enter")
        await type_text(pilot, "灯座=10")
        await pilot.press("enter")
        await settle(pilot)
        bill = latest_bill(T.get_ticket(staffed, r.ticket_no))
        assert bill is not None and bill.agreed
        # 2 bulbs at 5 yuan, and a part at 10 yuan purchase price + 30% = 13.0
        assert str(bill.total) == "23.00"
        assert "23" in _message(app)


async def test_what_the_clerk_typed_is_shown_as_typed(desk_app, staffed):
    """Brackets are data, not markup: `[紧急]` and `[bold]` appear on screen as typed."""
    content = "[紧急] [bold]阳台漏水[/] [red"
    T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                            content=content), "李静")
    app = desk_app()
    async with app.run_test(size=(140, 35)) as pilot:
        await settle(pilot)
        table = _table(app)
        assert str(table.get_row_at(0)[-1]) == content
        await pilot.press("enter")
        await settle(pilot)
        assert content in str(app.screen.query_one("#detail-info").render())


async def test_fast_typing_lands_in_the_right_fields(desk_app, staffed):
    """Keys arriving in one burst (a fast typist, a paste, a terminal over ssh): every Enter
    moves on before the next key is read."""
    from textual import events
    from textual.keys import _character_to_key

    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)

        def burst(text: str) -> None:
            for ch in text:  # as Pilot sends keys, without its wait after each one
                key = {"\r": "enter", " ": "space"}.get(ch) or (
                    ch if ch.isalnum() else _character_to_key(ch))
                event = events.Key(key, ch)
                event.set_sender(app)
                app._driver.send_message(event)

        burst("5-1-802\r张女士\r13912345678\r卫生间漏水\r ")  # space: scope public
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        (r,) = T.list_tickets(staffed)
        assert (r.intake.room, r.intake.caller, r.intake.phone, r.intake.content) == (
            "5-1-802", "张女士", "13912345678", "卫生间漏水")
        assert r.intake.scope.value == "public"
        # a prompt too: the reason typed and Enter in one burst, nothing of it lost
        await pilot.press("x")
        await settle(pilot)
        burst("重复登记\r")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmPrompt"  # x asks, like k
        await pilot.press("y")
        await settle(pilot)
        voided = T.get_ticket(staffed, r.ticket_no)
        assert voided.status.value == "voided", _message(app)
        assert voided.events[-1].note == "重复登记"


async def test_print_keys_act_only_from_the_print_queue(desk_app, staffed):
    """^x/^r from the ticket table would act on the print queue's invisible selection: they
    say where to go instead; from the focused print queue they act."""
    from repairdesk.i18n import _
    from repairdesk.services.print_jobs import list_jobs
    from repairdesk.tui.widgets.panels import PrintPanel

    r = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                content="漏水"), "李静")
    T.dispatch_ticket(staffed, r.ticket_no, "张建国", "李静")  # queues the work order
    (job,) = list_jobs(staffed)
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert app.screen.focused is _table(app)
        for key in ("ctrl+x", "ctrl+r"):
            await pilot.press(key)
            await settle(pilot)
            assert _message(app) == _("Select a print job in the print queue first (tab).")
            assert list_jobs(staffed)[0].state == job.state
        app.screen.set_focus(app.screen.query_one(PrintPanel))
        await settle(pilot)
        await pilot.press("ctrl+x")
        await settle(pilot)
        assert list_jobs(staffed)[0].state == "cancelled"
