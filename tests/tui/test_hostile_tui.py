"""The desk itself under hostile text (issue 16): hypothesis puts markup-like, escape-laden,
bidi, zero-width and huge strings into every form field the desk opens (intake, log entry,
the prompts: void reason, result, follow-up note, handover explanation, sign-off comment…),
into staff names and into config strings (site name, handover item names), and presses every
key of every table in tui/keys.py it meets. The desk must keep running (no exception, no worker
error) and no ESC or BEL may reach the screen."""

from __future__ import annotations

import asyncio
import os
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import Input, TextArea

from repairdesk.clock import FixedClock
from repairdesk.config import load_config
from repairdesk.domain.enums import Role
from repairdesk.errors import RepairdeskError
from repairdesk.services import tickets as T
from repairdesk.services.desk import open_desk
from repairdesk.services.staff import add_staff_unchecked
from repairdesk.tui import keys

from .conftest import settle

T0 = datetime(2026, 11, 22, 2, 0, tzinfo=timezone.utc)
PIECES = ["[/b]", "[/]", "[bold red]", "[link=http://evil]x", "[@click=app.quit]", "\x1b]0;x\x07",
          "\x1b[2J", "\x1b[31m", "\x07", "\u202e", "\u200b", "\u2066", "\ufeff", "\r", "\t",
          "%s", "{0}", "'; DROP TABLE ticket;--", "水", "3-2-1501", "13812345678", " "]
RAW = ("\x1b", "\x07", "\x9b")

hostile = st.one_of(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=6).map("".join),
    st.builds(lambda p, n: p * n, st.sampled_from(PIECES), st.integers(200, 3000)),
)

VISITED: set[str] = set()
# Keys that leave the desk are pressed by tests/tui/test_keys_tui.py, not here.
LEAVE = {"app.quit", "close", "cancel"}


def _first_key(k: keys.DeskKey) -> str:
    return k.key.split(",")[0]


def _book(root: Path, staff_name: str, site: str, item: str, text: str) -> Any:
    config_file = root / "config.toml"
    config_file.write_text(
        f"[site]\nname = {json.dumps(site)}\n\n[[handover.item]]\nkey = \"keys\"\n"
        f"name = {json.dumps(item)}\nname_en = {json.dumps(item)}\nexpected = 3\n",
        encoding="utf-8")
    try:
        config = load_config(str(config_file))
    except RepairdeskError:  # refused in one clear line: the desk runs on the defaults
        config = load_config(None)
    desk = open_desk(str(root / "desk.sqlite3"), clock=FixedClock(T0), config=config)
    add_staff_unchecked(desk, "李静", Role.CLERK, "13800000001")
    add_staff_unchecked(desk, "吴主管", Role.SUPERVISOR, "13600000031")
    add_staff_unchecked(desk, "张建国", Role.TECHNICIAN, "13900000011", skills="水")
    try:
        add_staff_unchecked(desk, staff_name, Role.TECHNICIAN, "13900000019", skills="水")
    except RepairdeskError:
        pass  # an invisible or too long name is refused; the rest of the desk goes on
    try:  # the authority rules: a clerk holds the desk before anything is registered
        from holding import hold_desk
    except ImportError:
        pass
    else:
        hold_desk(desk, "李静")
    for room, caller, content in ((text, text, text), ("3-2-1501", "王先生", text),
                                  ("3-2-1502", "王先生", "漏水" + text[:200]),
                                  ("3-2-1503", text[:20] + "王", "漏水")):
        try:
            T.register_ticket(desk, T.IntakeForm(room=room, caller=caller, content=content,
                                                 category="水"), "李静")
        except RepairdeskError:
            pass
    return desk


def _check(app: Any, where: str) -> None:
    assert app.is_running, f"the desk stopped after {where}"
    assert app._exception is None, f"{where}: {app._exception!r}"
    screen = app.export_screenshot()
    raw = [c for c in RAW if c in screen]
    assert not raw, f"{where}: {raw} reached the screen"


def _fill(app: Any, text: str) -> int:
    """Type `text` into every field of the screen on top, as a paste would."""
    n = 0
    for field in app.screen.query(Input):
        field.value = text
        n += 1
    for area in app.screen.query(TextArea):
        if not area.read_only:
            area.text = text
            n += 1
    return n


async def _back_home(pilot: Any, home: Any) -> None:
    for _ in range(8):
        if pilot.app.screen is home:
            return
        if type(pilot.app.screen).__name__ == "QuitPrompt":
            await pilot.press("n")
        else:
            await pilot.press("escape")
        await settle(pilot)
    assert pilot.app.screen is home, f"stuck on {type(pilot.app.screen).__name__}"


async def _try_screen(pilot: Any, text: str, where: str) -> None:
    """On a screen a key opened: fill its fields and submit; press its own keys once."""
    app = pilot.app
    screen = app.screen
    if _fill(app, text):
        for submit in ("enter", "ctrl+s"):
            await pilot.press(submit)
            await settle(pilot)
            _check(app, f"{where} + {submit}")
            if app.screen is not screen:
                return
    for k in getattr(screen, "KEYS", ()):
        if k.action in LEAVE or k.action.startswith("app.") or app.screen is not screen:
            continue
        await pilot.press(_first_key(k))
        await settle(pilot)
        _check(app, f"{where} → {k.key}")
        if app.screen is not screen:  # a prompt of its own: fill it, then back
            _fill(app, text)
            await pilot.press("enter")
            await settle(pilot)
            _check(app, f"{where} → {k.key} + enter")
            while app.screen is not screen and len(app.screen_stack) > 2:
                await pilot.press("escape")
                await settle(pilot)
            return


async def _drive(desk: Any, text: str) -> None:
    from repairdesk.tui.app import RepairDeskApp

    app = RepairDeskApp(desk, live=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        home = app.screen
        _check(app, "start")
        for k in keys.DESK_KEYS:
            if k.action in LEAVE:
                continue
            await pilot.press(_first_key(k))
            await settle(pilot)
            _check(app, k.key)
            if app.screen is not home:
                VISITED.add(type(app.screen).__name__)
                await _try_screen(pilot, text, k.key)
            await _back_home(pilot, home)
        await pilot.press("down")
        await settle(pilot)
        _check(app, "down")


@settings(max_examples=2, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(name=hostile, site=hostile, item=hostile, text=hostile)
def test_the_desk_under_hostile_text(tmp_path_factory: pytest.TempPathFactory, name: str,
                                     site: str, item: str, text: str) -> None:
    root = tmp_path_factory.mktemp("hostile")
    desk = _book(root, name, site, item, text)
    here = os.getcwd()
    os.chdir(root)  # the reports screen's exports (x, p, v) go to the working directory
    try:
        asyncio.run(_drive(desk, text))
    finally:
        os.chdir(here)
        desk.close()


def test_the_sweep_reached_every_screen() -> None:
    """Runs after the property test (same module): the desk keys opened the forms and screens
    the property test is about, so a passing run means they were really driven."""
    if not VISITED:
        pytest.skip("run together with test_the_desk_under_hostile_text")
    assert {"IntakeScreen", "LogEntryScreen", "HandoverScreen", "SearchScreen", "TicketScreen",
            "FormPrompt", "DispatchPicker", "AmendScreen", "SignoffScreen",
            "ReportsScreen"} <= VISITED, VISITED  # (d has its own picker since PickPrompt)
