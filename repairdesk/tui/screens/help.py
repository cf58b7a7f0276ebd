"""`?` / F1: every key of the screen under the help, with what it does, in the language now in
use — read from that screen's table in tui/keys.py (its `KEYS`), then the keys that work on
every screen. Esc, `?` or F1 close it."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from ...i18n import _
from ..keys import HELP_SCREEN_KEYS, DeskKey, bindings, everywhere, key_display
from ..text import cells


def screen_keys(screen: Screen[object]) -> tuple[DeskKey, ...]:
    """The key table a screen's BINDINGS were built from (empty for Textual's own screens)."""
    return tuple(getattr(screen, "KEYS", ()))


class HelpScreen(ModalScreen[None]):
    KEYS = HELP_SCREEN_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self, keys: Sequence[DeskKey]) -> None:
        super().__init__()
        self.keys = tuple(keys)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Static(_("Keys of this screen  (Esc: close)"), classes="dialog-title", markup=False)
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#help-keys", DataTable)
        table.add_column(_("Key"), key="key", width=10)
        table.add_column(_("Action"), key="label", width=16)
        table.add_column(_("What it does"), key="help")
        for k in self.keys:
            table.add_row(*self.row(k))
        common = everywhere(self.keys)
        if common:
            table.add_row("", Text(_("On every screen"), style="bold"), "")
            for k in common:
                table.add_row(*self.row(k))
        table.focus()

    @staticmethod
    def row(k: DeskKey) -> list[object]:
        return cells(key_display(k.key), _(k.label), _(k.help) if k.help else "")

    def action_close(self) -> None:
        self.dismiss(None)
