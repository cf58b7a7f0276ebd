"""The command palette (ctrl+p): every desk action, found by its Chinese name, its English
name, or the pinyin initials of the Chinese name (`pg` finds 派工)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..i18n import LOCALE_DIR, _
from .fuzzy import matches
from .keys import DESK_KEYS, DeskKey, key_display


@lru_cache(maxsize=None)
def _chinese(msgid: str) -> str:
    """The zh_CN name of an action whatever language is on screen (for pinyin search)."""
    po = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "repairdesk.po"
    catalog = _catalog(str(po))
    msg = catalog.get(msgid)
    return str(msg.string) if msg is not None and msg.string else ""


@lru_cache(maxsize=4)
def _catalog(path: str) -> Any:
    from io import BytesIO

    from babel.messages.pofile import read_po

    with open(path, "rb") as fh:
        return read_po(BytesIO(fh.read()))


class DeskCommands(Provider):
    """Desk actions for the palette; only those that make sense on the current screen."""

    def _actions(self) -> list[DeskKey]:
        screen = self.screen
        keys = getattr(screen, "KEYS", DESK_KEYS)  # the screen's table in keys.py
        return [k for k in keys if self._runs(k.action) and not k.action.endswith("quit")]

    def _runs(self, action: str) -> bool:
        """The action exists where its binding would run it (`app.` actions on the app)."""
        target: Any = self.screen
        if action.startswith("app."):
            target, action = self.app, action.removeprefix("app.")
        return hasattr(target, f"action_{action.split('(')[0]}")

    def _title(self, k: DeskKey) -> str:
        return f"{_(k.label)}  ({key_display(k.key)})"

    async def discover(self) -> Hits:
        for k in self._actions():
            yield DiscoveryHit(self._title(k), self._runner(k.action), help=_(k.help))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for k in self._actions():
            score = matches(query, _(k.label), k.label, _chinese(k.label), _(k.help), k.help)
            if score is None:
                continue
            title = self._title(k)
            yield Hit(score, matcher.highlight(title), self._runner(k.action), text=title,
                      help=_(k.help))

    def _runner(self, action: str) -> Any:
        async def run() -> None:
            await self.screen.run_action(action)

        return run

