"""A keyboard choice field for forms: ←/→ (or space) move through the options, digits pick
one directly, Enter moves on. Faster on the phone than a drop-down."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ...i18n import _


class Choice(Widget, can_focus=True):
    """Options are (value, label) pairs; `value` is the chosen value."""

    BINDINGS = [
        Binding("left", "move(-1)", _("Previous"), show=False),
        Binding("right,space", "move(1)", _("Next"), show=False),
        Binding("enter", "submit", _("Next field"), show=False),
    ]
    DEFAULT_CSS = """
    Choice { height: 1; width: 1fr; }
    """

    index: reactive[int] = reactive(0)

    class Changed(Message):
        def __init__(self, choice: "Choice") -> None:
            super().__init__()
            self.choice = choice

        @property
        def control(self) -> "Choice":
            return self.choice

    class Submitted(Changed):
        pass

    def __init__(self, options: list[tuple[str, str]], value: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.options = options
        self.touched = False  # the clerk chose by hand: suggestions no longer override
        if value is not None:
            self.set_value(value)

    @property
    def value(self) -> str:
        return self.options[self.index][0]

    def set_value(self, value: str) -> None:
        for i, (v, _label) in enumerate(self.options):
            if v == value:
                self.index = i
                return

    def render(self) -> Text:
        text = Text()
        for i, (_v, label) in enumerate(self.options):
            if i:
                text.append("  ")
            if i == self.index:
                text.append(f"[{label}]", style="bold reverse" if self.has_focus else "bold")
            else:
                text.append(f" {label} ", style="dim")
        return text

    def watch_index(self, _old: int, _new: int) -> None:
        self.post_message(self.Changed(self))

    def action_move(self, step: int) -> None:
        self.touched = True
        self.index = (self.index + step) % len(self.options)

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self))

    def on_key(self, event: Any) -> None:
        if event.character and event.character.isdigit():
            n = int(event.character) - 1
            if 0 <= n < len(self.options):
                self.touched = True
                self.index = n
                event.stop()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
