"""交接班 screen (`h`): the outgoing shift's checklist, the incoming clerk's read-back line by
line, explanations for blocking tickets, and both signatures; then the record is locked.

Keys: space/enter confirm a line · x found something else · e explain the selected ticket ·
a abnormal situations · g go to signing · esc close."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, Static

from ...domain.handover import Checklist, Line, ReadBack, blockers, lines
from ...errors import RepairdeskError
from ...i18n import _
from ..keys import HANDOVER_HISTORY_KEYS, HANDOVER_KEYS, bindings
from ..text import cells as plain_cells
from ..widgets.footer import DeskFooter
from ..widgets.panels import numbers_text

# the read-back table: the item and read-back columns keep these widths, the handed-over
# text takes the rest and wraps (a row grows to show all of it)
LABEL_WIDTH, READ_WIDTH = 18, 16
# the keys that change the checklist: once signed and locked, they leave the footer
READ_BACK_ACTIONS = frozenset({"confirm", "found", "explain", "abnormal", "sign"})


class HandoverSigned(Message):
    """Posted to the app when a handover was signed: the header's holder changed."""

    def __init__(self, handover_id: int) -> None:
        super().__init__()
        self.handover_id = handover_id


class HandoverScreen(Screen[int | None]):
    """Dismisses with the handover id once signed (None when closed without signing)."""

    CSS_PATH = "duty.tcss"
    KEYS = HANDOVER_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self, desk: Any) -> None:
        super().__init__()
        self.desk = desk
        self.explanations: dict[str, str] = {}
        self.abnormal = ""
        self.answers: dict[str, ReadBack] = {}
        self._stated: dict[str, str] = {}
        self.checklist: Checklist | None = None
        self.lines: list[Line] = []
        self.mode = ""
        self.locked_id: int | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="title", classes="duty-title", markup=False)
        yield DataTable(id="lines", cursor_type="row", zebra_stripes=True)
        yield Static("", id="status", classes="duty-status", markup=False)
        yield Label("", id="prompt-label", classes="duty-prompt-label", markup=False)
        yield Input(id="prompt")
        with Horizontal(classes="sign-row"):
            yield Input(placeholder=_("Outgoing clerk"), id="out-name")
            yield Input(placeholder=_("PIN"), password=True, id="out-pin")
            yield Input(placeholder=_("Incoming clerk"), id="in-name")
            yield Input(placeholder=_("PIN"), password=True, id="in-pin")
        yield DeskFooter()

    def on_mount(self) -> None:
        from ...services.shifts import current_holder

        table = self.query_one("#lines", DataTable)
        self.stated_width = self._stated_width()
        table.add_column(_("Item"), key="label", width=LABEL_WIDTH)
        table.add_column(_("Handed over"), key="stated", width=self.stated_width)
        table.add_column(_("Read back"), key="read", width=READ_WIDTH)
        self.query_one("#prompt", Input).display = False
        self.query_one("#out-name", Input).value = current_holder(self.desk) or ""
        self.refresh_checklist()
        table.focus()

    def _stated_width(self) -> int:
        """What the item and read-back columns leave (each cell pads one a side)."""
        width = self.size.width or self.app.size.width
        return max(20, width - LABEL_WIDTH - READ_WIDTH - 3 * 2 - 2)

    def on_resize(self) -> None:
        width = self._stated_width()
        if width != getattr(self, "stated_width", width) and self.checklist is not None:
            self.stated_width = width
            self._rebuild_columns()

    def _rebuild_columns(self) -> None:
        table = self.query_one("#lines", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        table.add_column(_("Item"), key="label", width=LABEL_WIDTH)
        table.add_column(_("Handed over"), key="stated", width=self.stated_width)
        table.add_column(_("Read back"), key="read", width=READ_WIDTH)
        self._fill(table, row)

    def _shown_text(self, ln: Line) -> str:
        """A line as read back: the ticket numbers as the desk panel shows them (first to
        last, how many; the gaps are their own line), the rest as stated."""
        if ln.key == "numbers" and self.checklist is not None and self.checklist.issued:
            return numbers_text(self.checklist.issued)
        return ln.expected

    def _fill(self, table: DataTable[Any], row: int) -> None:
        table.clear()
        for ln in self.lines:
            # height None: the row grows until its text is shown whole (explanations)
            table.add_row(*plain_cells(ln.label, self._shown_text(ln), self._read_text(ln)),
                          key=ln.key, height=None)
        if self.lines:
            table.move_cursor(row=min(row, len(self.lines) - 1))

    # ------------------------------------------------------------------ data
    def refresh_checklist(self) -> None:
        from ...domain.timeparse import fmt_full
        from ...services.handover import build_checklist

        self.checklist = c = build_checklist(self.desk, self.abnormal, self.explanations)
        self.lines = lines(c)
        # a line whose content changed since it was read back must be read back again
        for ln in self.lines:
            if self._stated.get(ln.key, ln.expected) != ln.expected:
                self.answers.pop(ln.key, None)
            self._stated[ln.key] = ln.expected
        tz = self.desk.config.tz
        self.query_one("#title", Static).update(_("Handover · {shift} · {start} – {end}").format(
            shift=c.shift_name, start=fmt_full(c.window_start, tz), end=fmt_full(c.window_end, tz)))
        table = self.query_one("#lines", DataTable)
        self._fill(table, table.cursor_row)
        self._show_status()

    def _read_text(self, ln: Line) -> str:
        a = self.answers.get(ln.key)
        if a is None:
            return "..."
        return "✓" if a.confirmed else "✗ " + (a.actual or "-")

    def _show_status(self, message: str = "") -> None:
        assert self.checklist is not None
        parts = [message] if message else []
        blocking = blockers(self.checklist.open_items, self.checklist.explanations)
        if len(blocking) > 2:  # one line, so the checklist keeps the screen (80x24)
            text = _("Blocked: {n} tickets need an explanation (e on each): {nos}")
            parts.append(text.format(n=len(blocking),
                                     nos=", ".join(b.ticket_no for b in blocking)))
        else:
            for b in blocking:
                parts.append(_("Blocked: {no} {reason} — press e to explain.").format(
                    no=b.ticket_no, reason=b.reason))
        left = [ln for ln in self.lines if ln.key not in self.answers]
        if left:
            parts.append(_("{n} lines still to read back.").format(n=len(left)))
        if self.locked_id is not None:
            from ...services.anchors import handover_anchor

            parts = [_("Handover {id} signed and locked.").format(id=self.locked_id),
                     _("Anchor (write it down; repairdesk verify --anchor checks it): {anchor}")
                     .format(anchor=handover_anchor(self.desk, self.locked_id))]
        status = self.query_one("#status", Static)
        status.update("\n".join(parts) or _("All lines read back. Press g to sign."))
        status.set_class(self.locked_id is not None or not parts, "ok")

    def _current(self) -> Line | None:
        table = self.query_one("#lines", DataTable)
        if not self.lines or table.cursor_row < 0:
            return None
        return self.lines[min(table.cursor_row, len(self.lines) - 1)]

    def _set_answer(self, ln: Line, answer: ReadBack) -> None:
        self.answers[ln.key] = answer
        table = self.query_one("#lines", DataTable)
        table.update_cell(ln.key, "read", self._read_text(ln))
        table.action_cursor_down()
        self._show_status()

    def has_unsaved_input(self) -> bool:
        """Lines read back, explanations or names typed, and the handover not yet signed."""
        if self.locked_id is not None:
            return False
        typed = any(self.query_one(f"#{k}", Input).value
                    for k in ("prompt", "out-pin", "in-name", "in-pin"))
        return typed or bool(self.answers or self.explanations or self.abnormal)

    # ------------------------------------------------------------------ actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Signed and locked: nothing is read back or signed again, so those keys go."""
        if action in READ_BACK_ACTIONS and self.locked_id is not None:
            return False
        return True

    def _is_table(self) -> bool:
        return self.focused is self.query_one("#lines", DataTable) and self.locked_id is None

    def action_confirm(self) -> None:
        ln = self._current()
        if self._is_table() and ln is not None:
            self._set_answer(ln, ReadBack(ln.key, True))

    @on(DataTable.RowSelected, "#lines")
    def _row_selected(self) -> None:
        self.action_confirm()

    def _ask(self, mode: str, label: str, value: str = "") -> None:
        self.mode = mode
        self.query_one("#prompt-label", Label).update(label)
        prompt = self.query_one("#prompt", Input)
        prompt.display = True
        prompt.value = value
        prompt.focus()

    def action_found(self) -> None:
        ln = self._current()
        if self._is_table() and ln is not None:
            self._ask("found", _("{label}: what did you find?").format(label=ln.label))

    def action_explain(self) -> None:
        ln = self._current()
        if not self._is_table() or ln is None or not ln.key.startswith("ticket:"):
            if self._is_table():
                self.notify(_("Select a ticket line to explain."), severity="warning")
            return
        no = ln.key.removeprefix("ticket:")
        self._ask("explain:" + no, _("Explanation for {no}:").format(no=no),
                  self.explanations.get(no, ""))

    def action_abnormal(self) -> None:
        if self._is_table():
            self._ask("abnormal", _("Abnormal situations:"), self.abnormal)

    @on(Input.Submitted, "#prompt")
    def _prompt_done(self, event: Input.Submitted) -> None:
        text, mode = event.value.strip(), self.mode
        prompt = self.query_one("#prompt", Input)
        prompt.display = False
        self.query_one("#prompt-label", Label).update("")
        self.mode = ""
        self.query_one("#lines", DataTable).focus()
        if mode == "found":
            ln = self._current()
            if ln is not None:
                self._set_answer(ln, ReadBack(ln.key, False, text))
        elif mode.startswith("explain:"):
            self.explanations[mode.removeprefix("explain:")] = text
            self.refresh_checklist()
        elif mode == "abnormal":
            self.abnormal = text
            self.refresh_checklist()

    def action_sign(self) -> None:
        if self.locked_id is not None:
            return
        assert self.checklist is not None
        blocking = blockers(self.checklist.open_items, self.checklist.explanations)
        if blocking:  # the service would refuse too: say so before the PINs are typed
            b = blocking[0]
            message = _("Ticket {no}: {reason} — write an explanation before signing.").format(
                no=b.ticket_no, reason=b.reason)
            self._show_status(message)
            self.notify(message, severity="warning")
            return
        target = "#out-pin" if self.query_one("#out-name", Input).value else "#out-name"
        self.query_one(target, Input).focus()

    @on(Input.Submitted, "#out-name")
    def _out_name(self) -> None:
        self.query_one("#out-pin", Input).focus()

    @on(Input.Submitted, "#out-pin")
    def _out_pin(self) -> None:
        self.query_one("#in-name", Input).focus()

    @on(Input.Submitted, "#in-name")
    def _in_name(self) -> None:
        self.query_one("#in-pin", Input).focus()

    @on(Input.Submitted, "#in-pin")
    def _submit(self) -> None:
        from ...services.handover import complete_handover

        assert self.checklist is not None
        names = [self.query_one(f"#{k}", Input) for k in ("out-name", "out-pin", "in-name",
                                                          "in-pin")]
        try:
            rec = complete_handover(self.desk, self.checklist, self.answers, names[0].value,
                                    names[1].value, names[2].value, names[3].value)
        except RepairdeskError as exc:
            names[1].value = names[3].value = ""  # never leave a PIN in a field
            self._show_status(str(exc))
            self.query_one("#lines", DataTable).focus()
            return
        names[1].value = names[3].value = ""
        self.locked_id = rec.id
        self.refresh_bindings()
        for w in names:
            w.disabled = True
        self._show_status()
        self.query_one("#lines", DataTable).focus()
        self.app.post_message(HandoverSigned(rec.id or 0))

    def action_close(self) -> None:
        if self.mode:
            self.query_one("#prompt", Input).display = False
            self.mode = ""
            self.query_one("#lines", DataTable).focus()
            return
        self.dismiss(self.locked_id)



class HandoverHistoryScreen(Screen[None]):
    """The handover history: every signed handover, newest first; enter shows the record,
    p prints it through the print queue."""

    CSS_PATH = "duty.tcss"
    KEYS = HANDOVER_HISTORY_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self, desk: Any) -> None:
        super().__init__()
        self.desk = desk

    def compose(self) -> ComposeResult:
        yield Static(_("Handover history"), classes="duty-title", markup=False)
        yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="record-scroll"):  # a record is longer than the screen
            yield Static("", id="record", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        from ...domain.timeparse import fmt_full
        from ...services.handover import list_handovers

        t = self.query_one("#history", DataTable)
        t.add_column(_("No."), width=5)
        t.add_column(_("Time"), width=19)
        t.add_column(_("Outgoing"), width=10)
        t.add_column(_("Incoming"), width=10)
        t.add_column(_("Discrepancies"), width=8)
        for h in reversed(list_handovers(self.desk)):
            t.add_row(*plain_cells(str(h.id), fmt_full(h.at, self.desk.config.tz), h.outgoing,
                                   h.incoming, str(h.discrepancies)), key=str(h.id))
        t.focus()

    @on(DataTable.RowSelected, "#history")
    def _show(self, event: DataTable.RowSelected) -> None:
        from ...services.handover import get_handover, handover_json, handover_text

        rec = get_handover(self.desk, int(event.row_key.value or 0))
        self.query_one("#record", Static).update(
            handover_text(self.desk, handover_json(self.desk, rec)))
        record = self.query_one("#record-scroll", VerticalScroll)
        record.scroll_home(animate=False)
        record.focus()  # the arrows and PgDn read on to the signatures; tab goes back

    def action_print(self) -> None:
        from ...services import printing
        from ...services.shifts import clerk_on_duty

        t = self.query_one("#history", DataTable)
        if t.row_count == 0:
            return
        hid = int(t.coordinate_to_cell_key(t.cursor_coordinate).row_key.value or 0)
        desk = self.desk

        def job() -> Any:
            view = printing.queue_handover(desk, hid, clerk_on_duty(desk))
            return printing.run_job(desk, view.id)

        self.app.run_service(job, done=self.app.print_finished)  # type: ignore[attr-defined]

    def action_close(self) -> None:
        self.dismiss(None)
