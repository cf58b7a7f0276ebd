"""Translate the English words Textual itself puts on screen.

Textual has no gettext hooks: the command palette placeholder, its system commands (Quit,
Keys, Screenshot, Theme ...), the footer's "palette" key, the key panel, "No matches found"
and a few notifications are hard-coded English. `install()` patches those few places so they
pass through our catalogs; the msgids below are Textual's exact strings (Textual 8.2.8 is
pinned, and a test fails if one of them disappears from Textual's source).

The same hooks re-translate binding descriptions that were translated at import time in the
other language (class-level BINDINGS are evaluated once): `retranslate()` maps any catalog
string, in any language, back to its msgid and translates it for the language now in use.
Call `install()` once before the app starts (RepairDesk's App does it in __init__).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ..i18n import LOCALE_DIR, N_, _

# Textual's own strings, verbatim (…, quotes and all) so that lookups by text find them.
TEXTUAL_STRINGS: tuple[str, ...] = (
    N_("Search for commands…"),
    N_("Search for themes…"),
    N_("No matches found"),
    N_("palette"),
    N_("Open the command palette"),
    N_("Quit"),
    N_("Quit the app and return to the command prompt."),
    N_("Exit the command palette"),
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
    N_("Saved screenshot"),
    N_("Failed to save screenshot"),
    N_("Do you want to quit?"),
)

# Notifications Textual builds with f-strings: (pattern of Textual's text, our msgid).
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"Saved screenshot to \[\$text-success\](?P<path>.*)", re.S),
     N_("Saved screenshot to [$text-success]{path}")),
    (re.compile(r"Press \[b\](?P<key>.*?)\[/b\] to quit the app"),
     N_("Press [b]{key}[/b] to quit the app")),
)


@lru_cache(maxsize=1)
def _reverse_index() -> dict[str, str]:
    """Every msgid and every translation in every catalog -> msgid. Read from the compiled
    catalogs i18n keeps (the one in use is already loaded), not by parsing the .po files
    again: the footer asks at the first frame (issue 18). A fuzzy or untranslated entry is
    not in them, and never on screen either."""
    from .. import i18n

    catalogs = [getattr(i18n._load(po.parent.parent.name), "_catalog", {})
                for po in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{i18n.DOMAIN}.po"))]
    index: dict[str, str] = {}
    for catalog in catalogs:
        for msgid, string in catalog.items():
            if msgid and isinstance(msgid, str) and string:
                index.setdefault(string, msgid)
    for catalog in catalogs:
        for msgid in catalog:
            if msgid and isinstance(msgid, str):
                index[msgid] = msgid  # a msgid always maps to itself
    return index


@lru_cache(maxsize=4)
def _index_of(lang: str) -> dict[str, str]:
    """The catalog in use only: its translations and msgids -> msgid. What the desk shows
    was translated in the language in use, so this answers without loading the other
    catalog (issue 18); _reverse_index() answers the rest."""
    from .. import i18n

    catalog = getattr(i18n._load(lang), "_catalog", {})
    index = {string: msgid for msgid, string in catalog.items()
             if msgid and isinstance(msgid, str) and string}
    index.update((msgid, msgid) for msgid in catalog if msgid and isinstance(msgid, str))
    return index


def retranslate(text: Any) -> Any:
    """Text in the language now in use, if it is a catalog string (in any language)."""
    if not isinstance(text, str) or not text:
        return text
    from ..i18n import current_language

    msgid = _index_of(current_language()).get(text)
    if msgid is None:
        msgid = _reverse_index().get(text)
    if msgid is not None:
        return _(msgid)
    for pattern, template in _PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            return _(template).format(**m.groupdict())
    return text


def translate_system_commands(commands: Iterable[Any]) -> Iterable[Any]:
    """Textual's SystemCommand tuples with title and help translated."""
    for command in commands:
        yield command._replace(title=retranslate(command.title), help=retranslate(command.help))


_installed = False


def install() -> None:
    """Patch Textual's user-visible English once; safe to call again."""
    global _installed
    if _installed:
        return
    _installed = True
    from rich.text import Text
    from textual import command as t_command
    from textual.app import App
    from textual.widgets import _footer, _key_panel

    class _TranslatedText(Text):
        """Rich Text whose plain string is re-translated (used where Textual builds labels)."""

        def __init__(self, text: str = "", *args: Any, **kwargs: Any) -> None:
            super().__init__(retranslate(text), *args, **kwargs)

        @classmethod
        def from_markup(cls, text: str, *args: Any, **kwargs: Any) -> Text:  # type: ignore[override]
            return Text.from_markup(retranslate(text), *args, **kwargs)

    # "No matches found" in the palette; binding descriptions in the key panel.
    t_command.Text = _TranslatedText  # type: ignore[misc]
    _key_panel.Text = _TranslatedText  # type: ignore[misc]

    palette_init = t_command.CommandPalette.__init__

    def _palette_init(self: Any, *args: Any, **kwargs: Any) -> None:
        palette_init(self, *args, **kwargs)
        self._placeholder = retranslate(self._placeholder)

    t_command.CommandPalette.__init__ = _palette_init  # type: ignore[method-assign]

    footer_key_init = _footer.FooterKey.__init__

    def _footer_key_init(self: Any, key: str, key_display: str, description: str,
                         *args: Any, **kwargs: Any) -> None:
        if "tooltip" in kwargs:
            kwargs["tooltip"] = retranslate(kwargs["tooltip"])
        footer_key_init(self, key, key_display, retranslate(description), *args, **kwargs)

    _footer.FooterKey.__init__ = _footer_key_init  # type: ignore[method-assign]

    system_commands = App.get_system_commands

    def _get_system_commands(self: Any, screen: Any) -> Iterable[Any]:
        return translate_system_commands(system_commands(self, screen))

    App.get_system_commands = _get_system_commands  # type: ignore[method-assign]

    notify = App.notify

    def _notify(self: Any, message: Any, *args: Any, **kwargs: Any) -> None:
        if "title" in kwargs:
            kwargs["title"] = retranslate(kwargs["title"])
        notify(self, retranslate(message), *args, **kwargs)

    App.notify = _notify  # type: ignore[method-assign]
