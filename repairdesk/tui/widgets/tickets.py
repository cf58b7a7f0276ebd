"""报修记录: the working set (open tickets and today's), most urgent first, with a live
countdown column. A reload re-sorts; the 1 Hz tick re-evaluates only the rows whose clocks
can have moved (live.RowClocks.until) and rewrites only countdown cells on screen that changed,
so a tick costs what is visible, not what is open (dolphie's way)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from ...domain.board_clocks import AlertKind, alert_key, alert_kind, undispatched
from ...domain.enums import Status, Urgency
from ...domain.follow_up import entry_due
from ...domain.ticket import TicketRecord
from ...fmt import countdown_width
from ...i18n import _
from ..text import Cell, Pool, StyledCell, changed_cell, share
from ..live import (STYLE_URGENT, RowClocks, UrgentClock, clock_style, countdown_text,
                    row_clocks, sort_key)
from .live_table import LiveTable

# ticket no., a clock in warning or breach (or an urgent one nobody dispatched), room/place,
# what the clerk must do about it
Alert = tuple[str, UrgentClock, str, AlertKind]


@dataclass(slots=True)
class Row:
    record: TicketRecord
    clocks: RowClocks
    shown: StyledCell | None = None  # the countdown cell on screen now

    @property
    def clock(self) -> UrgentClock | None:
        return self.clocks.clock


def _alert_states(clocks: RowClocks) -> tuple[tuple[Any, ...], ...]:
    return tuple((c.clock.name, c.state, c.clock.due_at) for c in clocks.alerts)


def _urgency_cell(u: Urgency) -> StyledCell:
    if u is Urgency.URGENT:
        return StyledCell(u.label, STYLE_URGENT)
    if u is Urgency.APPOINTMENT:
        return StyledCell(u.label, "cyan")
    return StyledCell(u.label, "dim")


def _retry_text(at: datetime, tz: Any) -> str:
    """A callback with no answer: when the desk rings again ('retry at 21:30'), in place of
    the status (returned) it stands for."""
    return _("retry at {when}").format(when=at.astimezone(tz).strftime("%H:%M"))


def _status_cell(r: TicketRecord, now: datetime, tz: Any) -> StyledCell:
    """`tz`: the site's zone, which the retry time is shown in (never the machine's)."""
    style = {Status.VOIDED: "dim strike", Status.CLOSED: "dim", Status.PAUSED: "magenta",
             Status.REGISTERED: "bold"}.get(r.status, "")
    text = r.status.label
    retry = r.state.callback_retry_at
    if retry is not None and r.status is Status.RETURNED:
        return StyledCell(_retry_text(retry, tz), "bold yellow")
    if r.state.follow_up and r.is_open:
        # a follow-up silent for a week owes its weekly entry (004)
        if now is not None and entry_due(r, now) is not None:
            return StyledCell(text + _("(f/u due)"), "bold yellow")
        text += _("(f/u)")
    return StyledCell(text, style)


def _place(r: TicketRecord, width: int | None = None) -> Cell | Text:
    """The room or place and its markers; a place too long for `width` cells gives way
    (cut, '~') so the markers (vacant, repeat) stay whole. Most rooms have no marker: a
    compact cell holding the record's own string; the few with one, a Text."""
    marks = [(m, style) for m, style, on in ((_("(vacant)"), "cyan", r.state.vacant),
                                            (_("(rpt)"), "bold yellow", bool(r.repeat_of)))
             if on]
    room = r.intake.room
    if not marks:
        return Cell(room)
    if width is not None and marks:
        room_cells = width - sum(cell_len(m) for m, _s in marks)
        if cell_len(room) > room_cells:
            room = set_cell_size(room, max(1, room_cells - 1)).rstrip() + "~"
    text = Text(room)
    for mark, style in marks:
        text.append(mark, style=style)
    return text


class TicketTable(LiveTable):
    """The main table; `load()` after a change, `tick()` once a second."""

    # content last: it takes what is left and is the one column that may be cut. Widths of
    # columns holding words are measured (display width) in the language on screen.
    COLUMNS = (("no", 16), ("left", 0), ("status", 0), ("urgency", 0), ("received", 5),
               ("place", 14), ("category", 4), ("technician", 6), ("content", None))
    # a narrow terminal drops these, in this order, until the content has MIN_CONTENT cells
    # (the detail screen shows them all): the content is what the clerk reads back
    DROP = ("received", "category", "technician", "urgency")
    MIN_CONTENT = 24

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.rows_by_no: dict[str, Row] = {}
        self.order: list[str] = []
        self.tz: Any = None
        self.rules: Any = None
        self.now: datetime | None = None  # of the last load or tick
        self.next_change: datetime | None = None  # the earliest RowClocks.until
        self.alerts: list[Alert] = []  # a new list only when an alert came, changed or went
        self.shown_columns: tuple[str, ...] = ()
        self.content_width = 0
        self._position_timer: Any = None

    def on_mount(self) -> None:
        labels = {"no": _("Ticket no."), "left": _("Left"), "status": _("Status"),
                  "urgency": _("Urg."), "place": _("Room/place"), "category": _("Cat."),
                  "content": _("Content"), "technician": _("Tech."), "received": _("Rcvd")}
        words = {"status": [s.label + _("(f/u due)") for s in Status]
                 + [_retry_text(datetime(2000, 1, 1, 23, 59), None)],  # its width
                 "urgency": [u.label for u in Urgency],
                 "left": [" " * countdown_width()]}  # every countdown is padded to this
        self.labels = labels
        self.widths = {key: max([width, cell_len(labels[key])]
                                + [cell_len(w) for w in words.get(key, [])])
                       for key, width in self.COLUMNS if width is not None}
        self._add_columns()

    def _layout(self) -> tuple[tuple[str, ...], int]:
        """The columns shown and the content's width: the content takes what the others
        leave (each pads a cell a side; the table has no scroll bar), a fixed width, so the
        layout never depends on which rows were measured first. Too narrow: columns of
        DROP go first, so the content keeps MIN_CONTENT cells where it can."""
        shown = [key for key, _w in self.COLUMNS]
        while True:
            used = sum(self.widths[k] + 2 * self.cell_padding for k in shown if k in self.widths)
            content = self.size.width - used - 2 * self.cell_padding
            dropping = [k for k in self.DROP if k in shown]
            if content >= self.MIN_CONTENT or not dropping:
                return tuple(shown), max(1, content)
            shown.remove(dropping[0])

    def _add_columns(self) -> None:
        self.shown_columns, self.content_width = self._layout()
        for key in self.shown_columns:
            self.add_column(self.labels[key], key=key,
                            width=self.widths.get(key, self.content_width))

    def on_resize(self) -> None:
        if self._layout() == (self.shown_columns, self.content_width):
            return
        records = [self.rows_by_no[no].record for no in self.order]
        self.clear(columns=True)
        self._add_columns()
        if self.now is not None:
            self.load(records, self.now, self.rules, self.tz)

    # ------------------------------------------------------------------ data
    def selected_no(self) -> str | None:
        if not self.order or self.cursor_row < 0 or self.cursor_row >= len(self.order):
            return None
        return self.order[self.cursor_row]

    def load(self, records: list[TicketRecord], now: datetime, rules: Any, tz: Any) -> None:
        """Replace the rows, most urgent first; the cursor stays on the same ticket. A ticket
        whose record is the one already shown (working_set rebuilds only the tickets that
        moved) keeps its clocks while they hold: a reload after one step evaluates one
        ticket, not 2,000 (a quarter of a second of the UI thread on a big estate, issue 18)."""
        before = self.rows_by_no if (rules, tz) == (self.rules, self.tz) else {}
        self.tz, self.rules, self.now = tz, rules, now
        keep = self.selected_no()
        rows = {r.ticket_no: self._row(r, before.get(r.ticket_no), now) for r in records}
        order = sorted(rows, key=lambda no: sort_key(rows[no].record, rows[no].clock))
        if (order == self.order and self.row_count == len(order)
                and all(rows[no] is before.get(no) for no in order)):
            return  # the same rows in the same order (the book changed elsewhere: a log entry)
        self.rows_by_no, self.order = rows, order
        self.clear()
        pool: Pool = {}
        for no in order:
            self.add_row(*self._shown(self._cells(rows[no], now, pool)), key=no)
        if keep in rows:
            self.move_cursor(row=order.index(keep), animate=False)
        self._collect_alerts()
        self.show_position()

    def _row(self, record: TicketRecord, shown: Row | None, now: datetime) -> Row:
        if shown is not None and shown.record is record and not shown.clocks.stale(now):
            return shown
        return Row(record, row_clocks(record, now, self.rules, self.tz))

    # ------------------------------------------------------------------ where the cursor is
    # The table has no scroll bar: Textual repaints a scroll bar on every frame, a tenth of
    # what a key press costs (issue 9). The border says which row of how many instead; it is
    # rewritten once the cursor rests, since changing it repaints the whole table.
    POSITION_DELAY_S = 0.3

    def show_position(self) -> None:
        self._position_timer = None
        n = len(self.order)
        if n and 0 <= self.cursor_row < n:
            text = _("Row {row} of {n} on the desk").format(row=self.cursor_row + 1, n=n)
        else:
            text = _("{n} on the desk").format(n=n)
        if self.border_subtitle != text:
            self.border_subtitle = text

    def watch_cursor_coordinate(self, old: Any, new: Any) -> None:  # type: ignore[override]
        super().watch_cursor_coordinate(old, new)
        if self._position_timer is not None:
            self._position_timer.reset()
        elif self.is_mounted:
            self._position_timer = self.set_timer(self.POSITION_DELAY_S, self.show_position)

    def _shown(self, values: list[Any]) -> list[Any]:
        """A row's values (COLUMNS order) for the columns on screen."""
        return [v for (key, _w), v in zip(self.COLUMNS, values) if key in self.shown_columns]

    def _cells(self, row: Row, now: datetime, pool: Pool,
               ) -> list[Any]:
        """A row's cells, COLUMNS order; the columns whose words repeat (status, urgency,
        time, category, technician) share one cell per word within a load (text.share)."""
        r = row.record
        received = r.intake.received_at.astimezone(self.tz).strftime("%H:%M")
        return [Cell(r.ticket_no), self._countdown(row, now),
                share(pool, _status_cell(r, now, self.tz)),
                share(pool, _urgency_cell(r.intake.urgency)), share(pool, Cell(received)),
                _place(r, self.widths.get("place")),
                share(pool, Cell(r.intake.category)),
                share(pool, Cell(r.state.technician or "")),
                Cell(r.intake.content.replace("\n", " "))]

    @staticmethod
    def _countdown(row: Row, now: datetime) -> StyledCell:
        text = countdown_text(row.clock, now)
        row.shown = StyledCell(text, clock_style(row.clock, text))
        return row.shown

    def _collect_alerts(self) -> None:
        """Every alerting clock, and an urgent ticket nobody has dispatched even before its
        clock warns; in the order the clerk must act (board_clocks.alert_key)."""
        found = []
        for no in self.order:
            row = self.rows_by_no[no]
            r = row.record
            clocks = row.clocks.alerts
            if not clocks and row.clock is not None and undispatched(r) and (
                    r.intake.urgency is Urgency.URGENT):
                clocks = (row.clock,)
            found += [(alert_key(r, c, self.now or c.now), (no, c, r.intake.room,
                                                              alert_kind(r, c)))
                      for c in clocks]
        found.sort(key=lambda kv: kv[0])
        self.alerts = [alert for _key, alert in found]
        self.next_change = min((row.clocks.until for row in self.rows_by_no.values()
                                if row.clocks.until is not None), default=None)

    def tick(self, now: datetime) -> list[Alert]:
        """Re-evaluate the rows whose clocks can have moved; rewrite the countdown cells on
        screen that changed. Returns the alerts (the same list while none came, changed or
        went), for the alert strip."""
        went_back = self.now is not None and now < self.now
        self.now = now
        if went_back or (self.next_change is not None and now >= self.next_change):
            changed = False
            for no, row in self.rows_by_no.items():
                if row.clocks.stale(now):
                    before = _alert_states(row.clocks)
                    row.clocks = row_clocks(row.record, now, self.rules, self.tz)
                    changed = changed or _alert_states(row.clocks) != before
                    if row.record.state.follow_up:  # its weekly entry may have fallen due
                        self.update_cell(no, "status", _status_cell(row.record, now, self.tz))
            alerts = self.alerts
            self._collect_alerts()
            if not changed:
                self.alerts = alerts
        self._refresh_visible()
        return self.alerts

    def watch_scroll_y(self, old: float, new: float) -> None:  # type: ignore[override]
        super().watch_scroll_y(old, new)
        # rows that scroll into view get their countdown at the next tick; make it now
        if self.rules is not None and self.order:
            self.call_later(self._refresh_visible)

    def _refresh_visible(self) -> None:
        now = self.now
        if now is None:
            return
        changed = []
        for index in self.visible_rows():
            no = self.order[index]
            row = self.rows_by_no[no]
            text = countdown_text(row.clock, now)
            style = clock_style(row.clock, text)
            cell = changed_cell(row.shown, text, style)
            if cell is not None:
                row.shown = cell
                changed.append((no, "left", cell))
        self.set_cells(changed)  # those cells only, not the whole table (issue 18)
