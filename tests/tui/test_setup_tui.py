"""The first night on an empty book, by keyboard: the desk opens the setup by itself, the site,
the first supervisor, the roster (a clerk with a PIN, a technician with categories), a clerk
signs on, and the first call is registered; the roster later behind a supervisor's PIN; the
empty board says what to do."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from repairdesk.config import load_config
from repairdesk.domain.enums import Role
from repairdesk.i18n import _
from repairdesk.services import dutylog, roster, setup, shifts
from repairdesk.services import tickets as T
from repairdesk.services.desk import open_desk
from repairdesk.services.staff import add_staff_unchecked, list_staff
from repairdesk.store.tables import DutyLogEntry

from .conftest import settle, type_text


@pytest.fixture
def site_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text("# the printer in the back office\n[printing]\nformat = \"text\"\n",
                    encoding="utf-8")
    return path


@pytest.fixture
def empty_book(db_path: Path, clock, site_file: Path, fast_pins):
    d = open_desk(str(db_path), clock=clock, config=load_config(site_file))
    yield d
    d.close()


def _app(desk):
    from repairdesk.tui.app import RepairDeskApp

    return RepairDeskApp(desk, live=False)


def _screen_name(app) -> str:
    return type(app.screen).__name__


def _text(widget) -> str:
    return str(widget.render())


async def _until(pilot, condition) -> None:
    """Settle until `condition()` holds: a screen pushed from a worker's callback mounts, and
    starts its own worker, a turn later (on a loaded machine, after settle() returned)."""
    for _ in range(50):
        await settle(pilot)
        if condition():
            return
    raise AssertionError("the screen never got there")


async def _enter(pilot, text: str) -> None:
    await type_text(pilot, text)
    await pilot.press("enter")


async def test_the_whole_first_night_by_keys(empty_book, site_file: Path):
    desk = empty_book
    app = _app(desk)
    async with app.run_test(size=(120, 36)) as pilot:
        await _until(pilot, lambda: _screen_name(app) == "SetupScreen")
        # 1. the site
        await _enter(pilot, "阳光花园物业服务中心")
        await _enter(pilot, "YG")
        await settle(pilot)
        assert desk.config.site_name == "阳光花园物业服务中心"
        # 2. the first supervisor (a PIN typed wrong the second time is asked again)
        await _enter(pilot, "吴主管")
        await _enter(pilot, "13600000031")
        await _enter(pilot, "99999999")
        await _enter(pilot, "99989998")
        await settle(pilot)
        assert _("The two PINs differ; nothing was saved.") in _text(
            app.screen.query_one("#setup-error"))
        assert list_staff(desk) == []
        assert app.screen.focused.id == "boss-pin"
        await _enter(pilot, "99999999")
        await _enter(pilot, "99999999")
        await _until(pilot, lambda: _screen_name(app) == "RosterScreen")
        # 3. the roster: a clerk with a PIN (role 1: clerk) ...
        await _enter(pilot, "李静")
        await pilot.press("enter")  # role: clerk, the first
        await _enter(pilot, "13800000001")
        await _enter(pilot, "11111111")
        await _enter(pilot, "11111111")
        await pilot.press("enter")  # no categories
        await settle(pilot)
        # ... a mistaken entry, removed from the list ...
        await _enter(pilot, "李竫")
        await pilot.press("enter")
        await pilot.press("enter")
        await _enter(pilot, "11111111")
        await _enter(pilot, "11111111")
        await pilot.press("enter")
        await settle(pilot)
        assert {m.name for m in list_staff(desk)} == {"吴主管", "李静", "李竫"}
        await _until(pilot, lambda: app.screen.query_one("#roster-list").row_count == 3)
        await pilot.press("shift+tab")
        table = app.screen.query_one("#roster-list")
        assert app.screen.focused is table
        while app.screen.names[table.cursor_row] != "李竫":
            await pilot.press("down")
        await pilot.press("delete")
        await _until(pilot, lambda: app.screen.query_one("#roster-list").row_count == 2)
        assert {m.name for m in list_staff(desk)} == {"吴主管", "李静"}
        # ... and a technician with the categories he handles (role 2)
        app.screen.set_focus(app.screen.query_one("#name"))
        await _enter(pilot, "张建国")
        await pilot.press("2")
        await pilot.press("enter")
        await _enter(pilot, "13900000011")
        await pilot.press("enter")
        await pilot.press("enter")
        await _enter(pilot, "水,电")
        await settle(pilot)
        rows = {m.name: m for m in list_staff(desk)}
        assert rows["张建国"].role is Role.TECHNICIAN and rows["张建国"].skills == ("水", "电")
        await _until(pilot, lambda: app.screen.query_one("#roster-list").row_count == 3)
        await pilot.press("ctrl+n")
        await _until(pilot, lambda: _screen_name(app) == "SetupScreen"
                     and app.screen.step == "signon")
        # 4. sign on: the clerk is offered, the PIN typed
        assert _screen_name(app) == "SetupScreen"
        assert app.screen.query_one("#clerk-name").value == "李静"
        await _enter(pilot, "11111111")
        await settle(pilot)
        assert app.screen is app.desk_screen
        assert shifts.current_holder(desk) == "李静"
        header = _text(app.desk_screen.query_one("#header"))
        assert "阳光花园物业服务中心" in header and "李静" in header
        # the first call
        await pilot.press("n")
        await settle(pilot)
        await _enter(pilot, "3-2-1501")
        await _enter(pilot, "王先生")
        await pilot.press("enter")
        await type_text(pilot, "厨房水龙头滴水")
        await pilot.press("ctrl+s")
        await settle(pilot)
        (ticket,) = T.list_tickets(desk)
        assert ticket.registered_by == "李静"
        assert app.desk_screen.query_one("#tickets").order == [ticket.ticket_no]
        assert not app.desk_screen.query_one("#board-hint").has_class("shown")
    # the site file: the new name and code, the unrelated key and its comment kept
    text = site_file.read_text(encoding="utf-8")
    assert "# the printer in the back office" in text
    reread = load_config(site_file)
    assert (reread.site_name, reread.site_code) == ("阳光花园物业服务中心", "YG")
    assert reread.raw["printing"]["format"] == "text"
    # the duty log: the roster's entries, chained
    with desk.store.read() as session:
        entries = list(session.exec(select(DutyLogEntry).order_by(DutyLogEntry.seq)))
        assert dutylog.verify_chain(session)[1] is None
    roster_texts = [e.text for e in entries if e.kind == dutylog.LogKind.ROSTER]
    assert len(roster_texts) == 5  # supervisor, clerk, mistake, its removal, technician
    assert all(e.site == "YG" for e in entries)


async def test_an_empty_board_says_what_to_do(empty_book):
    app = _app(empty_book)
    async with app.run_test(size=(120, 36)) as pilot:
        await _until(pilot, lambda: _screen_name(app) == "SetupScreen")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.desk_screen
        hint = app.desk_screen.query_one("#board-hint")
        assert hint.has_class("shown") and hint.display
        text = _text(hint)
        assert "S" in text and "O" in text and "n" in text
        # O on a book nobody can sign on: what to do, not only "no such person"
        await pilot.press("O")
        await settle(pilot)
        message = _text(app.desk_screen.query_one("#message"))
        assert "repairdesk staff add" in message and "S" in message
        # S goes back to the setup
        await pilot.press("S")
        await _until(pilot, lambda: _screen_name(app) == "SetupScreen")


async def test_sign_on_with_an_unknown_name_says_to_add_staff(roster, fast_pins, desk_app):
    from repairdesk.services.signing import set_pin_unchecked as set_pin

    set_pin(roster, "李静", "11111111")
    app = desk_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.screen is app.desk_screen  # a book with a supervisor opens no setup
        hint = _text(app.desk_screen.query_one("#board-hint"))
        assert "O" in hint and "S" not in hint  # sign on, but no setup to offer
        await pilot.press("O")
        await settle(pilot)
        await _enter(pilot, "李晶")
        await _enter(pilot, "11111111")
        await settle(pilot)
        message = _text(app.desk_screen.query_one("#message"))
        assert "李晶" in message and "repairdesk staff add" in message


async def test_roster_key_asks_a_supervisor_pin_then_adds(staffed, fast_pins, desk_app):
    from repairdesk.services.signing import set_pin_unchecked as set_pin

    set_pin(staffed, "吴主管", "99999999")
    set_pin(staffed, "李静", "11111111")
    app = desk_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        assert _screen_name(app) == "FormPrompt"
        await _enter(pilot, "李静")  # a clerk may not change the roster
        await _enter(pilot, "11111111")
        await settle(pilot)
        assert app.screen is app.desk_screen
        assert list_staff(staffed, active_only=True)[0]  # nothing changed
        await pilot.press("S")
        await settle(pilot)
        await _enter(pilot, "吴主管")
        await _enter(pilot, "99999999")
        await _until(pilot, lambda: _screen_name(app) == "RosterScreen"
                     and app.screen.query_one("#roster-list").row_count == 7)
        await _enter(pilot, "孙海")
        await pilot.press("2")
        await pilot.press("enter")
        await pilot.press("enter")
        await pilot.press("enter")
        await pilot.press("enter")
        await _enter(pilot, "门窗")
        await _until(pilot, lambda: app.screen.query_one("#roster-list").row_count == 8)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.desk_screen
    (sun,) = [m for m in list_staff(staffed) if m.name == "孙海"]
    assert sun.skills == ("门窗",)
    assert dutylog.list_entries(staffed)[-1].author == "吴主管"


async def test_a_demo_like_book_does_not_open_setup(staffed, desk_app):
    assert not setup.needs_setup(staffed)
    app = desk_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.screen is app.desk_screen


def test_helpers_agree(empty_book):
    assert setup.needs_setup(empty_book) and not roster.can_sign_on(empty_book)
    add_staff_unchecked(empty_book, "吴主管", Role.SUPERVISOR)
    assert not setup.needs_setup(empty_book)


async def test_dispatch_picker_shows_what_each_technician_handles(staffed, desk_app):
    from textual.widgets import OptionList

    add_staff_unchecked(staffed, "孙海", Role.TECHNICIAN, skills="水,电")
    T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生", content="漏水"),
                      "李静")
    app = desk_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        picker = app.screen.query_one("#pick", OptionList)
        labels = [str(picker.get_option_at_index(i).prompt) for i in range(picker.option_count)]
        assert any("孙海" in label and "水、电" in label for label in labels)
