"""`d`: whom to send. Each technician with his jobs in hand and on site, the categories he
handles and his phone, best fit first (domain/dispatch.py) and the best one highlighted; typing
filters by name or its pinyin initials (zjg finds 张建国), ↑/↓ move, Enter sends, Esc cancels."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...fmt import display_width
from ...i18n import _
from ..keys import DISPATCH_KEYS, bindings
from ..widgets.fields import FieldInput


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def rows(candidates: list[Any], category: str) -> list[str]:
    """One aligned line per candidate: name, role, jobs in hand / on site, handles, phone."""
    cells = [(c.name, c.role.label,
              _("{open} in hand, {on_site} on site").format(open=c.open_jobs,
                                                            on_site=c.on_site),
              ("✓ " if c.handles(category) else "  ") + ("、".join(c.skills) or "—"),
              c.phone or "—") for c in candidates]
    widths = [max((display_width(row[i]) for row in cells), default=0)
              for i in range(4)]
    return ["  ".join(_pad(cell, widths[i]) if i < 4 else cell for i, cell in enumerate(row))
            for row in cells]


class DispatchPicker(ModalScreen[str | None]):
    """Dismisses with the chosen person's name, or None."""

    KEYS = DISPATCH_KEYS
    BINDINGS = bindings(KEYS)
    CSS_PATH = "dispatch.tcss"

    def __init__(self, choices: Any) -> None:
        super().__init__()
        self.choices = choices
        self.candidates = list(choices.candidates)
        self.lines = dict(zip((c.name for c in self.candidates),
                              rows(self.candidates, choices.category)))
        self.shown = list(self.candidates)

    def compose(self) -> ComposeResult:
        with Vertical(id="dispatch", classes="dialog"):
            yield Static(_("Dispatch {no} ({category}) to").format(
                no=self.choices.ticket_no, category=self.choices.category),
                classes="dialog-title", markup=False)
            yield FieldInput(placeholder=_("type a name or its pinyin initials (e.g. zjg)"),
                             id="filter", max_length=20)
            yield OptionList(id="pick")
            yield Static(_("Best fit first: handles {category} (✓), then fewest jobs in hand. "
                           "Enter: send | Up/Down: move | Esc: cancel").format(
                category=self.choices.category), id="pick-note", classes="dialog-hint",
                markup=False)
            yield Static("" if self.candidates else
                         _("No active technician on the roster (repairdesk staff add)."),
                         id="pick-error", classes="dialog-error", markup=False)

    def on_mount(self) -> None:
        self._show(self.candidates, best=0)
        self.query_one("#filter", Input).focus()
        if self.candidates:
            # pinyin's tables load here, in a thread, not at the desk's start nor on the first
            # key typed into the filter
            self.run_worker(self._warm_pinyin, thread=True, group="pinyin")

    def _warm_pinyin(self) -> None:
        from ..fuzzy import readings

        for c in self.candidates:
            readings(c.name)

    def _show(self, people: list[Any], best: int | None) -> None:
        self.shown = people
        pick = self.query_one("#pick", OptionList)
        pick.clear_options()
        pick.add_options([Option(Text(self.lines[c.name]), id=c.name) for c in people])
        pick.highlighted = best if people else None

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        from ..fuzzy import matches

        query = event.value.strip()
        if not query:
            self._show(self.candidates, best=0)
            return
        scored = [(matches(query, c.name), c) for c in self.candidates]
        kept = [(s, c) for s, c in scored if s is not None]
        # the rows keep their order of fit; the closest match is highlighted (the first of
        # equals: the best fit among them)
        best = max(range(len(kept)), key=lambda i: (kept[i][0], -i), default=None)
        self._show([c for _s, c in kept], best)
        self.query_one("#pick-error", Static).update(
            "" if kept else _("Nobody on the list matches {query}.").format(query=query))

    def action_cursor_down(self) -> None:
        self.query_one("#pick", OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#pick", OptionList).action_cursor_up()

    def field_done(self, field: Any) -> None:
        """Enter in the filter: send the highlighted one."""
        pick = self.query_one("#pick", OptionList)
        if pick.highlighted is None:
            return
        self.dismiss(self.shown[pick.highlighted].name)

    @on(OptionList.OptionSelected, "#pick")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
