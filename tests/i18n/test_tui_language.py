"""Every desk screen speaks one language: in English no Chinese except data, in Chinese no
English except data and key names; at the two terminal sizes the desk is used at."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from rich.console import Console
from textual.app import App
from textual.screen import Screen

from repairdesk import i18n
from repairdesk.services import dutylog
from repairdesk.services import tickets as T
from repairdesk.tui.textual_i18n import install

HAN = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]")
KEY_NAMES = {"esc", "space", "enter", "tab", "ctrl", "shift", "up", "down", "left", "right",
             "home", "end", "pgup", "pgdn", "delete", "backspace", "insert", "alt", "ins", "del"}
SIZES = [(100, 30), (120, 35)]
TICKETS = [
    dict(room="3-2-1501", caller="王先生", content="厨房水龙头滴水", category="水"),
    dict(room="1-1-101", caller="李女士", content="电梯困人", category="电梯", urgency="urgent"),
]
LOG_TEXT = "地下车库积水"


def screen_text(app: App[Any]) -> str:
    """What the terminal shows, as plain text (the compositor's full frame)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True,
                      force_terminal=True, color_system="truecolor", legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text(styles=False)


class Host(App[None]):
    def __init__(self, factory: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.factory = factory

    def on_mount(self) -> None:
        self.push_screen(self.factory())


def _screens() -> dict[str, Callable[[Any], Screen[Any]]]:
    from repairdesk.tui.screens.dutylog import LogEntryScreen, LogViewScreen
    from repairdesk.tui.screens.handover import HandoverScreen
    from repairdesk.tui.screens.signoff import SignoffScreen

    screens: dict[str, Callable[[Any], Screen[Any]]] = {
        "handover": HandoverScreen, "duty log": LogViewScreen, "log entry": LogEntryScreen,
        "sign-off": SignoffScreen,
    }
    return screens


@pytest.fixture
def busy(staffed):
    for form in TICKETS:
        T.register_ticket(staffed, T.IntakeForm(**form), "李静")
    dutylog.add_entry(staffed, LOG_TEXT, "李静")
    return staffed


def _data(desk: Any) -> list[str]:
    from repairdesk.services.staff import list_staff

    cfg = desk.config
    data = [s.name for s in list_staff(desk)] + list(cfg.categories) + [cfg.site_name, LOG_TEXT]
    # Shift names are configuration (name / name_en); see test_shift_name_follows_language.
    data += [s.name for s in cfg.shifts] + [s.name_en for s in cfg.shifts]
    for form in TICKETS:
        data += [v for v in form.values() if isinstance(v, str)]
    return sorted(set(data), key=len, reverse=True)


async def _render(desk: Any, factory: Callable[[Any], Screen[Any]], lang: str,
                  size: tuple[int, int]) -> str:
    i18n.set_language(lang)
    install()
    app = Host(lambda: factory(desk))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        return screen_text(app)


def _strip(text: str, data: list[str]) -> str:
    for item in data:
        text = text.replace(item, " ")
    return text


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_english_screens_show_no_chinese(busy, size):
    data = _data(busy)
    leaks = {}
    for name, factory in _screens().items():
        text = _strip(await _render(busy, factory, "en", size), data)
        lines = [ln.strip() for ln in text.splitlines() if HAN.search(ln)]
        if lines:
            leaks[name] = lines[:5]
    assert leaks == {}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_chinese_screens_show_no_english(busy, size):
    data = _data(busy)
    leaks = {}
    for name, factory in _screens().items():
        text = _strip(await _render(busy, factory, "zh_CN", size), data)
        text = re.sub(r"\^\w|\b[A-Z]{2,}-\d{8}-\d{4}", " ", text)
        words = {w for w in re.findall(r"[A-Za-z]{2,}", text) if w.lower() not in KEY_NAMES}
        if words:
            leaks[name] = sorted(words)
    assert leaks == {}


async def test_screens_have_no_ambiguous_width_characters(busy):
    """…, —, ·, → take one or two cells depending on the font and break column alignment."""
    found = {}
    for name, factory in _screens().items():
        text = await _render(busy, factory, "zh_CN", SIZES[0])
        odd = sorted({c for c in text if unicodedata.east_asian_width(c) == "A"
                      and not ("\u2500" <= c <= "\u259f")})  # box drawing and blocks are fine
        if odd:
            found[name] = odd
    assert found == {}


async def test_shift_name_follows_language(busy):
    """The handover title says Day/Night in English (config has name_en)."""
    from repairdesk.tui.screens.handover import HandoverScreen

    text = await _render(busy, HandoverScreen, "en", SIZES[1])
    cfg = busy.config
    assert not any(s.name in text for s in cfg.shifts)
    assert any(s.name_en in text for s in cfg.shifts)


async def _render_desk(desk: Any, lang: str, size: tuple[int, int]) -> str:
    """The main desk as the clerk sees it after the first tick."""
    from repairdesk.tui.app import RepairDeskApp

    i18n.set_language(lang)
    install()
    app = RepairDeskApp(desk, live=False)
    async with app.run_test(size=size) as pilot:
        for _ in range(5):
            await pilot.pause()
            await app.workers.wait_for_complete()
        app.tick()
        await pilot.pause()
        text = screen_text(app)
    # the print folder's path is data (where the PDFs go), not words
    return re.sub(r"/\S+", " ", text)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_desk_speaks_one_language(busy, size):
    # a narrow content column shows the start of what the caller said: data too
    data = _data(busy) + [f["content"][:n] for f in TICKETS for n in range(1, len(f["content"]))]
    data = sorted(set(data), key=len, reverse=True)
    english = _strip(await _render_desk(busy, "en", size), data)
    assert [ln.strip() for ln in english.splitlines() if HAN.search(ln)] == []
    chinese = _strip(await _render_desk(busy, "zh_CN", size), data)
    chinese = re.sub(r"\^\w|\b[A-Z]{2,}-\d{8}-\d{4}", " ", chinese)
    words = {w for w in re.findall(r"[A-Za-z]{2,}", chinese) if w.lower() not in KEY_NAMES}
    assert words == set()
