"""Quitting and the help screen (issue 13): `q` and ctrl+q quit, asking first only while a form
holds unsaved input; `?`/F1 list every key of the screen below, read from tui/keys.py; the
footer shows `?` at the narrow sizes; every key of the desk's table can be pressed."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Footer

from repairdesk import i18n
from repairdesk.services import tickets as T
from repairdesk.tui import keys
from repairdesk.tui.keys import key_display, key_names

from .conftest import settle, type_text


def _register(staffed, room: str = "3-2-1501") -> str:
    r = T.register_ticket(staffed, T.IntakeForm(room=room, caller="王先生", content="漏水"),
                          "李静")
    return r.ticket_no


def _help_rows(app) -> list[tuple[str, str, str]]:
    table = app.screen.query_one("#help-keys", DataTable)
    return [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


def _expected_rows(table) -> list[tuple[str, str, str]]:
    return [(key_display(k.key), i18n._(k.label), i18n._(k.help) if k.help else "")
            for k in table]


async def _open_form_with_text(pilot, text: str = "3-2") -> None:
    await pilot.press("n")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "IntakeScreen"
    await type_text(pilot, text)


# ---------------------------------------------------------------------- quitting
async def test_q_on_the_desk_quits(desk_app):
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert app.is_running
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


async def test_q_typed_in_the_new_ticket_form_is_a_q(desk_app, staffed):
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await _open_form_with_text(pilot, "q")
        await pilot.pause()
        assert app.is_running
        form = app.screen
        assert type(form).__name__ == "IntakeScreen"
        assert form.query_one("#room").value == "q"


async def test_ctrl_q_with_text_in_the_form_asks_first(desk_app, staffed):
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await _open_form_with_text(pilot, "3-2-1501")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert type(app.screen).__name__ == "QuitPrompt"
        await pilot.press("n")  # stay: back in the form, what was typed still there
        await pilot.pause()
        assert app.is_running
        assert type(app.screen).__name__ == "IntakeScreen"
        assert app.screen.query_one("#room").value == "3-2-1501"
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert type(app.screen).__name__ == "QuitPrompt"
        await pilot.press("y")
        await pilot.pause()
        assert not app.is_running
    assert T.list_tickets(staffed) == []  # nothing was saved on the way out


async def test_escape_stays_and_enter_quits(desk_app):
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("l")  # a duty-log entry: a form too
        await settle(pilot)
        await type_text(pilot, "停电")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert type(app.screen).__name__ == "QuitPrompt"
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "LogEntryScreen"
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert not app.is_running


async def test_ctrl_q_on_an_empty_form_quits_at_once(desk_app):
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_q_quits_from_the_ticket_detail(desk_app, staffed):
    _register(staffed)
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "TicketScreen"
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_q_typed_in_a_prompt_is_a_q_and_ctrl_q_asks(desk_app, staffed):
    _register(staffed)
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("x")  # void: asks for a reason
        await settle(pilot)
        assert type(app.screen).__name__ == "FormPrompt"
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert type(app.screen).__name__ == "QuitPrompt"
        await pilot.press("y")
        await pilot.pause()
        assert not app.is_running


# ---------------------------------------------------------------------- help
@pytest.mark.parametrize("key", ["question_mark", "f1"])
async def test_help_lists_every_key_of_the_desk(desk_app, key):
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        rows = _help_rows(app)
        expected = _expected_rows(keys.DESK_KEYS)
        assert rows[:len(expected)] == expected
        # then the keys of every screen, ctrl+q among them
        assert (key_display("ctrl+q"), "退出") in [r[:2] for r in rows[len(expected):]]
        await pilot.press(key)  # the same key closes it
        await pilot.pause()
        assert app.screen is app.desk_screen


async def test_help_in_english(desk_app, english):
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        rows = _help_rows(app)
        assert ("n", "New", "Register a new repair call") in rows
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.desk_screen


async def test_help_lists_every_key_of_the_ticket_detail(desk_app, staffed):
    _register(staffed)
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        await pilot.press("f1")
        await pilot.pause()
        rows = _help_rows(app)
        expected = _expected_rows(keys.TICKET_KEYS)
        assert rows[:len(expected)] == expected
        assert any(r[0] == "u" for r in rows)  # reveal, a key only the detail has
        assert not any(r[0] == "n" for r in rows)  # new ticket is the desk's, not here
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is detail


async def test_f1_in_a_form_opens_help_and_question_mark_is_typed(desk_app):
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await _open_form_with_text(pilot, "?")
        form = app.screen
        assert form.query_one("#room").value == "?"
        await pilot.press("f1")
        await pilot.pause()
        assert _help_rows(app)[:len(keys.INTAKE_KEYS)] == _expected_rows(keys.INTAKE_KEYS)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is form


@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_footer_shows_help(desk_app, size):
    app = desk_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        footer = app.desk_screen.query_one(Footer)
        shown = [k for k in footer.query("FooterKey")
                 if k.region.width and footer.region.contains_region(k.region)]
        assert "?" in [k.key_display for k in shown]
        assert i18n._("Help") in [str(k.description) for k in shown]


async def test_every_screen_with_a_footer_shows_help(desk_app, staffed):
    """`?` where it opens the help; F1 where a text field takes `?` as a character."""
    _register(staffed)
    app = desk_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for key in ("enter", "slash", "h", "H", "s", "L", "R", "P"):
            await pilot.press(key)
            await settle(pilot)
            screen = app.screen
            typing = screen.focused is not None and screen.focused.check_consume_key(
                "question_mark", "?")
            shown = [k.key_display for k in screen.query("FooterKey")]
            assert ("f1" if typing else "?") in shown[:2], (type(screen).__name__, shown)
            await pilot.press("escape")
            await settle(pilot)
            if app.screen is not app.desk_screen:  # the handover's prompt, the search box
                await pilot.press("escape")
                await settle(pilot)
            assert app.screen is app.desk_screen, type(app.screen).__name__


# ---------------------------------------------------------------------- every key
async def test_every_key_of_the_desk_can_be_pressed(desk_app, staffed, monkeypatch):
    """Each key of DESK_KEYS on a desk with a ticket selected: whatever it opens is closed
    again with Esc, nothing raises (not even inside a worker), and `q` quits last."""
    from repairdesk.cli import common

    crashed: list[str] = []
    monkeypatch.setattr(common, "log_traceback", lambda *a, **k: crashed.append("crash"))
    _register(staffed)
    app = desk_app()
    pressed: list[str] = []
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert app.desk_screen.current_ticket_no()
        for k in keys.DESK_KEYS:
            for name in key_names(k.key):
                if k.action.endswith("quit"):
                    continue
                await pilot.press(name)
                await settle(pilot)
                pressed.append(name)
                for _ in range(3):  # a dialog, or a screen with a prompt open
                    if app.screen is app.desk_screen:
                        break
                    await pilot.press("escape")
                    await settle(pilot)
                assert app.screen is app.desk_screen, (name, type(app.screen).__name__)
                assert app.is_running, name
                assert crashed == [], name
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0
    assert {n for k in keys.DESK_KEYS for n in key_names(k.key) if not k.action.endswith(
        "quit")} == set(pressed)
