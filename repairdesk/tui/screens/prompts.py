"""Small modal prompts the desk asks on the way: a few text fields (reason, result, PIN), a pick
from a list (technician), or a choice plus a note (callback). Enter moves on and submits on
the last field; Esc cancels and nothing is saved."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...i18n import _
from ..keys import CONFIRM_PROMPT_KEYS, PROMPT_KEYS, QUIT_PROMPT_KEYS, bindings
from ..widgets.choice import Choice
from ..widgets.fields import FieldInput


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    placeholder: str = ""
    password: bool = False
    required: bool = True


class FormPrompt(ModalScreen[dict[str, str] | None]):
    """Text fields; dismisses with {key: value} or None."""

    KEYS = PROMPT_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self, title: str, fields: list[Field], choice: tuple[str, str,
                 list[tuple[str, str]]] | None = None, intro: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.choice = choice  # (key, label, options) shown before the text fields
        self.intro = intro  # a line under the title (whom to call, with the number)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog prompt"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            if self.intro:
                yield Static(self.intro, id="intro", markup=False)
            if self.choice:
                key, label, options = self.choice
                yield Label(label, markup=False)
                yield Choice(options, id=f"f-{key}")
            for f in self.fields:
                yield Label(f.label, markup=False)
                yield FieldInput(placeholder=f.placeholder, password=f.password,
                                 id=f"f-{f.key}", max_length=500)
            yield Static("", id="error", classes="dialog-error", markup=False)

    def on_mount(self) -> None:
        first = self.query("Choice, Input").first()
        self.set_focus(first)

    def has_unsaved_input(self) -> bool:
        """Something typed that quitting would lose."""
        return any(self.query_one(f"#f-{f.key}", Input).value for f in self.fields)

    def values(self) -> dict[str, str]:
        out = {f.key: self.query_one(f"#f-{f.key}", Input).value for f in self.fields}
        if self.choice:
            out[self.choice[0]] = self.query_one(f"#f-{self.choice[0]}", Choice).value
        return out

    def field_done(self, focused: Any) -> None:
        """Enter in a field (widgets/fields.py): the next field now, or submit."""
        keys = [f"f-{f.key}" for f in self.fields]
        if isinstance(focused, Choice):
            if keys:
                self.set_focus(self.query_one(f"#{keys[0]}", Input))
            else:
                self._submit()
            return
        if focused is None or focused.id not in keys:
            return
        i = keys.index(focused.id)
        if i + 1 < len(keys):
            self.set_focus(self.query_one(f"#{keys[i + 1]}", Input))
            return
        self._submit()

    def _submit(self) -> None:
        values = self.values()
        for f in self.fields:
            if f.required and not values[f.key].strip():
                self.query_one("#error", Static).update(
                    _("{field} is required.").format(field=f.label))
                self.query_one(f"#f-{f.key}", Input).focus()
                return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PickPrompt(ModalScreen[str | None]):
    """Pick one of a list (↑/↓, type to jump, Enter); dismisses with its value or None."""

    KEYS = PROMPT_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self, title: str, options: list[tuple[str, str]], empty: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.options = options
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog prompt"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield OptionList(*[Option(Text(label), id=value) for value, label in self.options],
                             id="pick")
            yield Static(self.empty if not self.options else "", classes="dialog-error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#pick", OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class QuitPrompt(ModalScreen[bool]):
    """Asked before quitting while a form holds unsaved input: y/Enter quit, n/Esc stay."""

    KEYS = QUIT_PROMPT_KEYS
    BINDINGS = bindings(KEYS)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog prompt"):
            yield Static(_("Quit the desk?"), classes="dialog-title", markup=False)
            yield Static(_("A form holds input that is not saved; quitting loses it."), markup=False)
            yield Static(_("y / Enter: quit    n / Esc: stay"), classes="dialog-hint", markup=False)

    def action_quit_now(self) -> None:
        self.dismiss(True)

    def action_stay(self) -> None:
        self.dismiss(False)


class ConfirmPrompt(ModalScreen[bool]):
    """A yes/no question before a step that cannot be undone: y goes ahead, n/Esc stays."""

    KEYS = CONFIRM_PROMPT_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self, title: str, explanation: str) -> None:
        super().__init__()
        self.title_text = title
        self.explanation = explanation

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog prompt"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.explanation, markup=False)
            yield Static(_("y: yes    n / Esc: no"), classes="dialog-hint", markup=False)

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)
