"""A keyboard choice field for forms: ←/→ (or space) move through the options, digits pick
one directly, Enter moves on. Faster on the phone than a drop-down."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from .fields import enter_done, follow_focus


class Choice(Widget, can_focus=True):
    """Options are (value, label) pairs; `value` is the chosen value. ←/→/space move, a digit
    picks, Enter moves on (the screen's `field_done`, or a Submitted message)."""

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

    async def _on_key(self, event: Any) -> None:
        # handled here, in order with the keys around them (see widgets/fields.py)
        if follow_focus(self, event) or enter_done(self, event):
            return
        if event.key == "enter":
            event.stop()
            self.action_submit()
            return
        step = {"left": -1, "right": 1, "space": 1}.get(event.key)
        if step is not None:
            event.stop()
            event.prevent_default()
            self.action_move(step)
            return
        if event.character and event.character.isdigit():
            n = int(event.character) - 1
            if 0 <= n < len(self.options):
                self.touched = True
                self.index = n
                event.stop()
                event.prevent_default()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
