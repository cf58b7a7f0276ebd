"""The supervisor signs the previous duty day by keyboard; the day is then locked."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.widgets import Input

from repairdesk.services import dutylog, signing, signoff
from repairdesk.tui.screens.signoff import SignoffScreen


pytestmark = pytest.mark.usefixtures("fast_pins")


class Host(App):
    def __init__(self, factory) -> None:
        super().__init__()
        self.factory = factory
        self.result: object = "unset"

    def on_mount(self) -> None:
        self.push_screen(self.factory(), callback=lambda r: setattr(self, "result", r))


@pytest.fixture
def morning(staffed, clock):
    signing.set_pin_unchecked(staffed, "吴主管", "99999999")
    signing.set_pin_unchecked(staffed, "李静", "11111111")
    dutylog.add_entry(staffed, "夜间3号楼水泵报警，已复位", "李静")
    clock.advance(hours=24)
    return staffed


async def test_supervisor_signs_by_keyboard(morning):
    app = Host(lambda: SignoffScreen(morning))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        s = app.screen
        assert "水泵" in "\n".join(str(line) for line in s.query_one("#review").lines)
        await pilot.press("tab")  # the cursor starts in the review; tab reaches the comment
        assert s.focused is s.query_one("#comment", Input)
        s.query_one("#comment", Input).value = "已阅，水泵需复查"
        await pilot.press("enter")
        # a clerk cannot sign
        s.query_one("#sup-name", Input).value = "李静"
        await pilot.press("enter", *"11111111", "enter")
        await pilot.pause()
        assert signoff.unsigned_days(morning)
        s.query_one("#sup-name", Input).value = "吴主管"
        s.query_one("#sup-name", Input).focus()
        await pilot.press("enter", *"99999999", "enter")
        await pilot.pause()
        assert s.signed_day == "2026-11-22"
        assert s.query_one("#sup-pin", Input).disabled  # locked
        anchor = signoff.review(morning, s.day).anchor
        assert anchor and anchor in str(s.query_one("#status").render())
        await pilot.press("escape")
        await pilot.pause()
    assert signoff.unsigned_days(morning) == []
    assert app.result == "2026-11-22"


async def test_brackets_change_the_day_at_once(morning):
    """The cursor starts in the review, so [ and ] page the days instead of being typed into
    the comment."""
    from datetime import timedelta

    app = Host(lambda: SignoffScreen(morning))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        s = app.screen
        first = s.day
        assert s.focused is s.query_one("#review")
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert s.day == first - timedelta(days=1)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert s.day == first
        assert s.query_one("#comment", Input).value == ""
