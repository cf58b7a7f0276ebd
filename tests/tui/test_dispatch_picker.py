"""`d`: the dispatch picker shows each technician's load, categories and phone, best fit first
and highlighted, and filters by name or pinyin initials (issue 17)."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from repairdesk.domain.enums import Role
from repairdesk.services import tickets as T
from repairdesk.services.staff import add_staff_unchecked, find_staff

from .conftest import settle, type_text

CLERK = "李静"


def _ticket(desk, room="3-2-1501", category="水", content="厨房水管漏水") -> str:
    return T.register_ticket(desk, T.IntakeForm(room=room, caller="王先生", content=content,
                                                category=category), CLERK).ticket_no


def _labels(app) -> list[str]:
    pick = app.screen.query_one("#pick", OptionList)
    return [str(pick.get_option_at_index(i).prompt) for i in range(pick.option_count)]


def _highlighted(app) -> str:
    pick = app.screen.query_one("#pick", OptionList)
    return pick.get_option_at_index(pick.highlighted).id


def _busy_roster(desk) -> str:
    """张建国 (a plumber) has three jobs on site; 孙海 (water and power) has none."""
    add_staff_unchecked(desk, "孙海", Role.TECHNICIAN, "13900000013", skills="水,电")
    with desk.store.write() as session:
        row = find_staff(session, "张建国")
        row.skills = "水"
        session.add(row)
    for room in ("1-1-101", "1-1-102", "1-1-103"):
        no = _ticket(desk, room=room)
        T.dispatch_ticket(desk, no, "张建国", CLERK)
        T.arrive_ticket(desk, no, CLERK)
    return _ticket(desk)


async def test_the_best_fit_is_first_and_highlighted_not_the_busy_man(desk_app, staffed):
    no = _busy_roster(staffed)
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        labels = _labels(app)
        assert [label.split()[0] for label in labels] == ["孙海", "张建国", "王师傅", "周班长"]
        assert _highlighted(app) == "孙海"
        sun, zhang = labels[0], labels[1]
        assert "0" in sun and "水、电" in sun and "13900000013" in sun and "✓" in sun
        assert "3" in zhang and "13900000011" in zhang
        assert "✓" not in labels[2]
        await pilot.press("enter")  # d Enter: the best fit, not the first on the roster
        await settle(pilot)
        assert T.get_ticket(staffed, no).state.technician == "孙海"


async def test_typing_pinyin_initials_filters_and_highlights(desk_app, staffed):
    no = _busy_roster(staffed)
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert app.screen.focused is app.screen.query_one("#filter", Input)
        await type_text(pilot, "wsf")  # 王师傅
        await settle(pilot)
        assert [label.split()[0] for label in _labels(app)] == ["王师傅"]
        for _ in "wsf":
            await pilot.press("backspace")
        await type_text(pilot, "张")  # the name itself
        assert _highlighted(app) == "张建国"
        await pilot.press("escape")  # nobody is sent
        await settle(pilot)
        assert T.get_ticket(staffed, no).state.technician == ""
        await pilot.press("d")
        await settle(pilot)
        await type_text(pilot, "zhou")  # full pinyin too
        assert _highlighted(app) == "周班长"
        await type_text(pilot, "xx")
        assert _labels(app) == []
        assert "zhouxx" in str(app.screen.query_one("#pick-error").render())
        await pilot.press("enter")  # nothing highlighted: nothing happens
        await settle(pilot)
        assert T.get_ticket(staffed, no).state.technician == ""


async def test_arrows_move_while_the_cursor_stays_in_the_filter(desk_app, staffed):
    no = _busy_roster(staffed)
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("down", "down", "up")
        assert _highlighted(app) == "张建国"
        await pilot.press("enter")
        await settle(pilot)
        assert T.get_ticket(staffed, no).state.technician == "张建国"



async def test_nobody_to_send_says_so_and_enter_does_nothing(desk_app, staffed):
    from repairdesk.services.staff import set_active_unchecked

    no = _ticket(staffed)
    for name in ("张建国", "王师傅", "周班长"):
        set_active_unchecked(staffed, name, False)
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert _labels(app) == []
        assert "staff add" in str(app.screen.query_one("#pick-error").render())
        await pilot.press("enter")
        await settle(pilot)
        assert T.get_ticket(staffed, no).state.technician == ""
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.desk_screen
