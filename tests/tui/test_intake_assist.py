"""The new-ticket form while the caller is on the line (issue 17): the room read as callers say
it, asked about when it is neither a room nor a known public place (never silently public),
the room's last 30 days under the form, the category guessed from the content."""

from __future__ import annotations

from textual.widgets import Input

from repairdesk.domain.enums import Scope
from repairdesk.services import tickets as T

from .conftest import settle, type_text

CLERK = "李静"


def _text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def _open_form(pilot) -> None:
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)


async def _fill_rest(pilot, content="厨房水管漏水") -> None:
    """After the room's Enter: caller, phone, content."""
    await type_text(pilot, "王先生")
    await pilot.press("enter")
    await pilot.press("enter")  # no phone
    await type_text(pilot, content)


async def test_a_room_as_callers_say_it_is_saved_as_the_book_writes_it(desk_app, staffed):
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await _open_form(pilot)
        await type_text(pilot, "3栋2单元1501")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#room", Input).value == "3-2-1501"
        assert app.screen.query_one("#scope").value == Scope.HOME.value
        await _fill_rest(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        (r,) = T.list_tickets(staffed)
        assert (r.intake.room, r.intake.scope) == ("3-2-1501", Scope.HOME)


async def test_a_public_place_word_makes_it_public(desk_app, staffed):
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await _open_form(pilot)
        await type_text(pilot, "5栋楼道")
        await pilot.press("enter")
        assert app.screen.query_one("#scope").value == Scope.PUBLIC.value
        assert "楼道" in _text(app, "#room-note")
        await _fill_rest(pilot, content="楼道灯不亮")
        await pilot.press("ctrl+s")
        await settle(pilot)
        (r,) = T.list_tickets(staffed)
        assert (r.intake.room, r.intake.scope) == ("5栋楼道", Scope.PUBLIC)


async def test_neither_room_nor_public_place_is_asked_never_saved_as_public(desk_app, staffed):
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await _open_form(pilot)
        await type_text(pilot, "3栋2单元")  # the room number is missing
        await pilot.press("enter")
        form = app.screen
        assert "3栋2单元" in _text(app, "#room-note")  # the one-line question
        assert form.query_one("#scope").value == Scope.HOME.value  # not public
        await _fill_rest(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert T.list_tickets(staffed) == []
        assert form.focused is form.query_one("#room", Input)  # back to the room
        # the clerk answers: it is a public area after all
        form.set_focus(form.query_one("#scope"))
        await pilot.press("right")
        await pilot.press("ctrl+s")
        await settle(pilot)
        (r,) = T.list_tickets(staffed)
        assert (r.intake.room, r.intake.scope) == ("3栋2单元", Scope.PUBLIC)


async def test_a_public_guess_is_withdrawn_when_the_room_is_retyped(desk_app, staffed):
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await _open_form(pilot)
        await type_text(pilot, "5栋楼道")
        await pilot.press("enter")
        form = app.screen
        form.set_focus(form.query_one("#room", Input))
        for _ in "5栋楼道":
            await pilot.press("backspace")
        await type_text(pilot, "王家")
        await pilot.press("enter")
        assert form.query_one("#scope").value == Scope.HOME.value
        assert "王家" in _text(app, "#room-note")


async def test_the_category_is_guessed_and_a_chosen_one_is_kept(desk_app, staffed):
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await _open_form(pilot)
        await type_text(pilot, "3-2-1501")
        await pilot.press("enter")
        await _fill_rest(pilot, content="卫生间灯不亮")
        form = app.screen
        category = form.query_one("#category")
        assert category.value == "电"
        assert "电" in _text(app, "#hint") and "灯" in _text(app, "#hint")
        form.set_focus(category)
        await pilot.press("left")  # the clerk chooses 水 by hand
        assert category.value == "水"
        form.set_focus(form.query_one("#content", Input))
        await type_text(pilot, "，插座跳闸")
        assert category.value == "水"  # never overridden
        await pilot.press("ctrl+s")
        await settle(pilot)
        (r,) = T.list_tickets(staffed)
        assert r.intake.category == "水"


async def test_no_keyword_leaves_the_default_category(desk_app, staffed):
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await _open_form(pilot)
        await type_text(pilot, "3-2-1501")
        await pilot.press("enter")
        await _fill_rest(pilot, content="漏水")
        category = app.screen.query_one("#category")
        assert category.value == "水"
        for _ in "漏水":
            await pilot.press("backspace")
        await type_text(pilot, "楼上太吵")
        assert category.value == staffed.config.default_category
        assert _text(app, "#hint").strip() == ""


async def test_the_rooms_last_30_days_show_under_the_form(desk_app, staffed, clock):
    old = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                  content="阳台地漏堵", category="水"),
                            CLERK).ticket_no
    clock.advance(days=25)
    recent = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                     content="卫生间灯不亮", category="电"),
                               CLERK).ticket_no
    T.register_ticket(staffed, T.IntakeForm(room="3-2-1502", caller="李女士",
                                            content="门锁坏", category="门窗"), CLERK)
    clock.advance(days=10)  # the first is 35 days old now
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await _open_form(pilot)
        await type_text(pilot, "3幢2单元1501")
        await settle(pilot)
        # typing alone does not query at every key: nothing until the typing pauses
        assert _text(app, "#room-history").strip() == ""
        await pilot.press("enter")  # leaving the field looks it up at once
        await settle(pilot)
        history = _text(app, "#room-history")
        assert "3-2-1501" in history and recent in history and "卫生间灯不亮" in history
        assert old not in history and "3-2-1502" not in history


async def test_the_history_follows_the_room_as_it_is_typed(desk_app, staffed):
    no = T.register_ticket(staffed, T.IntakeForm(room="1-1-101", caller="赵先生",
                                                 content="水管漏水", category="水"),
                           CLERK).ticket_no
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await _open_form(pilot)
        form = app.screen
        await type_text(pilot, "1栋1单元101")
        timer = form._room_timer
        assert timer is not None  # one look-up waits for the typing to pause
        form._look_up_room()  # what the timer does when the pause is over (no waiting here)
        await settle(pilot)
        assert no in _text(app, "#room-history")
        for _ in range(3):
            await pilot.press("backspace")
        await type_text(pilot, "102")
        assert form._room_timer is not None and form._room_timer is not timer
        form._look_up_room()
        await settle(pilot)
        history = _text(app, "#room-history")
        assert no not in history and "1-1-102" in history


async def test_the_urgent_hint_goes_when_the_clerk_chooses_normal(desk_app, staffed):
    """Issue 17: the urgent hint stayed on screen after 普通 was chosen by hand."""
    from repairdesk.domain.enums import Urgency
    from repairdesk.i18n import _

    def urgent_hint(words: str) -> str:
        return _("Urgent by rule ({words}): urgency set to urgent; change it if not.").format(
            words=words)

    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await _open_form(pilot)
        await type_text(pilot, "3-2-1501")
        await pilot.press("enter")
        await _fill_rest(pilot, content="客厅停电")
        form = app.screen
        urgency = form.query_one("#urgency")
        assert urgency.value == Urgency.URGENT.value
        assert urgent_hint("停电") in _text(app, "#hint")
        form.set_focus(urgency)
        await pilot.press("left")  # urgent → normal, by hand
        await pilot.pause()
        assert urgency.value == Urgency.NORMAL.value
        assert urgent_hint("停电") not in _text(app, "#hint"), _text(app, "#hint")
        form.set_focus(form.query_one("#content", Input))
        await type_text(pilot, "，跳闸")  # more words: the hint does not come back
        await pilot.pause()
        assert urgency.value == Urgency.NORMAL.value
        assert urgent_hint("停电、跳闸") not in _text(app, "#hint"), _text(app, "#hint")
