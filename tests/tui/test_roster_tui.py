"""The roster screen's acts (`S`, a supervisor's name and PIN): F4 deactivates and activates,
F2 changes the role, F3 resets a PIN — each through services/roster.py, each a duty-log entry
by the supervisor; and nothing is registered (`n`) before someone signs on."""

from __future__ import annotations

from repairdesk.domain.enums import Role
from repairdesk.services import dutylog, signing
from repairdesk.services.staff import get_staff

from .conftest import settle, type_text

BOSS_PIN = "99999999"


async def _until(pilot, condition) -> None:
    for _ in range(50):
        await settle(pilot)
        if condition():
            return
    raise AssertionError("the screen never got there")


async def _enter(pilot, text: str) -> None:
    await type_text(pilot, text)
    await pilot.press("enter")


async def _open_roster(pilot, app) -> None:
    await settle(pilot)
    await pilot.press("S")
    await settle(pilot)
    await _enter(pilot, "吴主管")
    await _enter(pilot, BOSS_PIN)
    await _until(pilot, lambda: type(app.screen).__name__ == "RosterScreen"
                 and app.screen.query_one("#roster-list").row_count == 7)


def _select(app, name: str) -> None:
    screen = app.screen
    screen.query_one("#roster-list").move_cursor(row=screen.names.index(name))


async def test_a_supervisor_deactivates_changes_a_role_and_resets_a_pin(staffed, fast_pins,
                                                                        desk_app):
    signing.set_pin_unchecked(staffed, "吴主管", BOSS_PIN)
    app = desk_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_roster(pilot, app)
        _select(app, "王师傅")
        await pilot.press("f4")
        await _until(pilot, lambda: not get_staff(staffed, "王师傅").active)
        _select(app, "王师傅")
        await pilot.press("f4")
        await _until(pilot, lambda: get_staff(staffed, "王师傅").active)
        _select(app, "王师傅")
        app.screen.query_one("#role").set_value(Role.TEAM_LEADER.value)
        await pilot.press("f2")
        await _until(pilot, lambda: get_staff(staffed, "王师傅").role is Role.TEAM_LEADER)
        _select(app, "陈晓雯")
        app.screen.query_one("#pin").value = "24682468"
        app.screen.query_one("#pin_again").value = "24682468"
        await pilot.press("f3")
        await _until(pilot, lambda: app.screen.query_one("#pin").value == "")
        assert "陈晓雯" in str(app.screen.query_one("#roster-hint").render())
    assert signing.authenticate(staffed, "陈晓雯", "24682468").name == "陈晓雯"
    roster = [e for e in dutylog.list_entries(staffed) if e.kind == dutylog.LogKind.ROSTER]
    assert [e.author for e in roster] == ["吴主管"] * 4
    assert [e.text.count("王师傅") for e in roster[:3]] == [1, 1, 1]


async def test_the_supervisor_cannot_deactivate_himself(staffed, fast_pins, desk_app):
    signing.set_pin_unchecked(staffed, "吴主管", BOSS_PIN)
    app = desk_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_roster(pilot, app)
        _select(app, "吴主管")
        await pilot.press("f4")
        await settle(pilot)
        error = str(app.screen.query_one("#roster-error").render())
        assert "吴主管" in error and "\n" not in error.strip()
    assert get_staff(staffed, "吴主管").active


async def test_nothing_is_registered_before_someone_signs_on(roster, desk_app):
    from repairdesk.services.tickets import list_tickets

    app = desk_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        if type(app.screen).__name__ != "DeskScreen":  # the form opened: try to save it
            await pilot.press("ctrl+s")
            await settle(pilot)
    assert list_tickets(roster) == []
