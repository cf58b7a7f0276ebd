"""What the desk told the clerk this session, with the time: step confirmations and errors (a
notification each), SLA notices (the status line). `M` on the desk lists them, newest first,
so a confirmation gone with its toast can still be read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

from ..i18n import _
from .keys import MESSAGES_KEYS, bindings
from .text import cells
from .widgets.row_table import RowTable

KEEP = 500  # a night's worth; the oldest go first


class Kind(StrEnum):
    DONE = "done"  # a step's confirmation
    NOTICE = "notice"  # the SLA engine's
    ERROR = "error"

    @property
    def label(self) -> str:
        return {Kind.DONE: _("Done"), Kind.NOTICE: _("Notice"), Kind.ERROR: _("Error")}[self]


@dataclass(frozen=True)
class DeskMessage:
    at: datetime
    kind: Kind
    text: str


class MessageLog:
    """The session's messages, oldest first, at most KEEP."""

    def __init__(self) -> None:
        self.items: list[DeskMessage] = []

    def add(self, at: datetime, kind: Kind, text: str) -> DeskMessage:
        message = DeskMessage(at, kind, text)
        self.items.append(message)
        del self.items[:-KEEP]
        return message

    @property
    def last(self) -> DeskMessage | None:
        return self.items[-1] if self.items else None


class MessagesScreen(Screen[None]):
    """`M`: the messages of this session, newest first; Home/End, Esc back."""

    CSS_PATH = "screens/duty.tcss"
    KEYS = MESSAGES_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self, log: MessageLog, tz: Any) -> None:
        super().__init__()
        self.message_log = log
        self.tz = tz

    def compose(self) -> ComposeResult:
        yield Static(_("Messages of this session (newest first)"), classes="duty-title",
                     markup=False)
        yield RowTable(id="messages", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#messages", RowTable)
        width = self.size.width or self.app.size.width
        table.add_column(_("Time"), key="at", width=8)
        table.add_column(_("Kind"), key="kind", width=6)
        # the text wraps (row height None): a long error is read whole
        table.add_column(_("Message"), key="text", width=max(20, width - 8 - 6 - 3 * 2 - 2))
        for m in reversed(self.message_log.items):
            at = m.at.astimezone(self.tz) if self.tz is not None else m.at
            table.add_row(*cells(at.strftime("%H:%M:%S"), m.kind.label, m.text), height=None)
        if not self.message_log.items:
            table.add_row(*cells("", "", _("No messages yet.")))
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
