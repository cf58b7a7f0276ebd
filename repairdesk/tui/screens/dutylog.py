"""The duty log on screen: `l` writes an entry (free text), and a viewer of the current duty
day's entries with corrections (`c` on an entry). Nothing here edits or deletes an entry."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Label, Static

from ...errors import RepairdeskError
from ...i18n import _
from ..keys import LOG_ENTRY_KEYS, LOG_VIEW_KEYS, bindings
from ..text import cells as plain_cells
from ..widgets.row_table import RowTable


def _author(desk: Any) -> str:
    from ...services.shifts import clerk_on_duty

    return clerk_on_duty(desk)


class LogEntryScreen(ModalScreen[int | None]):
    """One free-text entry; enter saves, esc cancels. With `corrects` it is a correction."""

    CSS_PATH = "duty.tcss"
    KEYS = LOG_ENTRY_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self, desk: Any, corrects: int | None = None) -> None:
        super().__init__()
        self.desk = desk
        self.corrects = corrects

    def compose(self) -> ComposeResult:
        title = (_("Correct duty-log entry {id}").format(id=self.corrects) if self.corrects
                 else _("Duty log entry"))
        # a dialog in the middle, like every prompt: a bar across the top covered the
        # duty log's own header
        with Vertical(classes="dialog prompt", id="entry-dialog"):
            yield Label(title, classes="dialog-title", markup=False)
            yield Input(placeholder=_("What happened (enter saves, esc cancels)"), id="text")
            yield Static("", id="status", classes="dialog-error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()

    def has_unsaved_input(self) -> bool:
        return bool(self.query_one("#text", Input).value)

    @on(Input.Submitted, "#text")
    def _save(self, event: Input.Submitted) -> None:
        from ...services import dutylog

        try:
            if self.corrects:
                e = dutylog.correct_entry(self.desk, self.corrects, event.value, _author(self.desk))
            else:
                e = dutylog.add_entry(self.desk, event.value, _author(self.desk))
        except RepairdeskError as exc:
            self.query_one("#status", Static).update(str(exc))
            return
        self.dismiss(e.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class LogViewScreen(Screen[None]):
    """The duty log of one duty day; `[` `]` change day, `l` adds, `c` corrects the selected."""

    CSS_PATH = "duty.tcss"
    KEYS = LOG_VIEW_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self, desk: Any, day: date | None = None) -> None:
        super().__init__()
        self.desk = desk
        self.day = day

    def compose(self) -> ComposeResult:
        yield Static("", id="title", classes="duty-title", markup=False)
        yield RowTable(id="entries", cursor_type="row", zebra_stripes=True)  # End: last entry
        yield Footer()

    def on_mount(self) -> None:
        from ...services.shifts import current_duty_day

        self.day = self.day or current_duty_day(self.desk)
        t = self.query_one("#entries", DataTable)
        t.add_column(_("No."), key="id", width=6)
        t.add_column(_("Time"), key="at", width=19)
        t.add_column(_("By"), key="by", width=10)
        t.add_column(_("Entry"), key="text")
        self.reload()
        t.focus()

    def reload(self) -> None:
        from ...domain.timeparse import fmt_full
        from ...services.dutylog import entries_of_day

        assert self.day is not None
        self.query_one("#title", Static).update(
            _("Duty log · duty day {day}").format(day=self.day.isoformat()))
        t = self.query_one("#entries", DataTable)
        t.clear()
        for e in entries_of_day(self.desk, self.day):
            text = e.text.replace("\n", " · ")
            if e.corrects_id:
                text = _("(corrects {id}) ").format(id=e.corrects_id) + text
            t.add_row(*plain_cells(str(e.id), fmt_full(e.at, self.desk.config.tz), e.author,
                                   text), key=str(e.id))

    def action_day(self, step: int) -> None:
        assert self.day is not None
        self.day += timedelta(days=step)
        self.reload()

    def _after(self, result: int | None) -> None:
        if result is not None:
            self.reload()

    def action_add(self) -> None:
        self.app.push_screen(LogEntryScreen(self.desk), callback=self._after)

    def action_correct(self) -> None:
        t = self.query_one("#entries", DataTable)
        if t.row_count == 0:
            return
        key = t.coordinate_to_cell_key(t.cursor_coordinate).row_key.value
        self.app.push_screen(LogEntryScreen(self.desk, int(key or 0)), callback=self._after)

    def action_close(self) -> None:
        self.dismiss(None)
