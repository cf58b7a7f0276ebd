"""Form fields that keep a burst of keys in order (a fast typist, a terminal over a slow link,
keys sent by a script): Textual queues every key at the field focused when the key arrived,
while Enter goes round the app to find its binding. So a field here handles Enter itself, in
order with the characters before it, and moves focus at once (its screen's `field_done`); a
key that reaches a field after focus moved on is passed to the field that has it now."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Input


def follow_focus(widget: Any, event: events.Key) -> bool:
    """Pass a key on to the focused widget if it is no longer `widget`; True when passed."""
    target = widget.screen.focused
    if target is None or target is widget:
        return False
    event.stop()
    event.prevent_default()
    target._forward_event(events.Key(event.key, event.character))
    return True


def enter_done(widget: Any, event: events.Key) -> bool:
    """Enter: the screen moves on (or saves) now; True when handled."""
    if event.key != "enter":
        return False
    done = getattr(widget.screen, "field_done", None)
    if done is None:
        return False
    event.stop()
    event.prevent_default()
    done(widget)
    return True


_CONTROLS = {c: None for c in range(0x20) if c not in (0x09,)} | {0x7F: None}


def clean_value(self: Any, value: str) -> str:
    """A paste may carry escapes and control characters (ESC ] … BEL): they never stand in a
    field, so they are never drawn back to the terminal (a tab becomes a space)."""
    if value.isprintable():
        return value
    return value.replace("\t", " ").translate(_CONTROLS)


def install_clean_inputs() -> None:
    """Every Input of the desk (forms, search, prompts, PINs) keeps its value clean."""
    Input.validate_value = clean_value  # type: ignore[attr-defined]


class FieldInput(Input):
    async def _on_key(self, event: events.Key) -> None:
        if follow_focus(self, event) or enter_done(self, event):
            return
        await super()._on_key(event)
