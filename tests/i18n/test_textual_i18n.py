"""Textual's own English (palette placeholder, system commands, footer key) is translated."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
import textual
from textual.app import App, ComposeResult
from textual.command import CommandInput, CommandPalette
from textual.widgets import Footer

from repairdesk import i18n
from repairdesk.tui import textual_i18n
from repairdesk.tui.textual_i18n import TEXTUAL_STRINGS, install, retranslate


class _Mini(App[None]):
    def compose(self) -> ComposeResult:
        yield Footer()


def _textual_source() -> str:
    root = Path(inspect.getfile(textual)).parent
    return "\n".join(p.read_text(encoding="utf-8") for p in root.rglob("*.py"))


def test_every_textual_msgid_still_exists_in_textual():
    """An upgrade of Textual that rewords a string must fail here, not silently show English."""
    source = _textual_source()
    missing = [s for s in TEXTUAL_STRINGS if s not in source]
    assert missing == []


def test_retranslate_maps_either_language_to_the_current_one():
    i18n.set_language("zh_CN")
    assert retranslate("Quit") == "退出"
    assert retranslate("已登记") == "已登记"
    i18n.set_language("en")
    assert retranslate("退出") == "Quit"
    assert retranslate("已登记") == "registered"
    assert retranslate("Press [b]ctrl+q[/b] to quit the app") == "Press [b]ctrl+q[/b] to quit the app"
    i18n.set_language("zh_CN")
    assert retranslate("Press [b]ctrl+q[/b] to quit the app") == "按 [b]ctrl+q[/b] 退出程序"
    assert retranslate("some user text") == "some user text"


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
async def test_palette_placeholder_system_commands_and_footer(lang: str):
    i18n.set_language(lang)
    install()
    app = _Mini()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        footer_text = " ".join(str(k.description) for k in app.query("FooterKey"))
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        placeholder = app.screen.query_one(CommandInput).placeholder
    if lang == "zh_CN":
        assert "退出" in titles and "截图" in titles and "Quit" not in titles
        assert placeholder == "输入命令名称或拼音首字母"
        assert "命令" in footer_text and "palette" not in footer_text
    else:
        assert "Quit" in titles and "Screenshot" in titles
        assert placeholder == "Search for commands"
        assert "palette" in footer_text


def test_install_is_idempotent():
    install()
    install()
    assert textual_i18n._installed
