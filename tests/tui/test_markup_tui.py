"""Stored and typed text is data, never markup: a name or a room holding `[/b]` or `[/]` is
shown as typed and cannot crash the desk (issue 16)."""

from __future__ import annotations

from repairdesk.domain.enums import Role
from repairdesk.services import tickets as T
from repairdesk.services.staff import add_staff_unchecked

from .conftest import settle, type_text


async def test_a_technician_named_with_markup_can_be_dispatched(desk_app, staffed):
    add_staff_unchecked(staffed, "张[/b]", Role.TECHNICIAN, "13900000019")
    no = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王[/]先生",
                                                 content="[bold]漏水[/bold] [/]", category="水"),
                           "李静").ticket_no
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        picker = app.screen.query_one("#pick")
        labels = [str(picker.get_option_at_index(i).prompt) for i in range(picker.option_count)]
        assert any("张[/b]" in label for label in labels), labels
        index = next(i for i, label in enumerate(labels) if "张[/b]" in label)
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running
        assert T.get_ticket(staffed, no).state.technician == "张[/b]"
        await pilot.press("enter")  # the detail screen shows the caller and content as typed
        await settle(pilot)
        assert app.is_running


async def test_a_typed_value_with_markup_in_the_error_line_is_shown_as_typed(desk_app, staffed):
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        for text in ("楼道[/]", "王[/b]", "13812345678", "漏水[/]"):  # a public place
            await type_text(pilot, text)
            await pilot.press("enter")
        for _ in range(3):  # scope, category, urgency: as guessed
            await pilot.press("enter")
        assert app.screen.focused.id == "appointment"
        await type_text(pilot, "[/b]9点")  # an appointment the form cannot read
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running
        error = str(app.screen.query_one("#error").render())
        assert "[/b]9点" in error and "\n" not in error.strip()  # the value, as typed
        assert T.list_tickets(staffed) == []
