"""报修记录: the working set (open tickets and today's), most urgent first, with a live
countdown column. A reload re-sorts; the 1 Hz tick only rewrites countdown cells that changed
in rows on screen, so a tick costs what is visible, not what is open (dolphie's way)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from ...domain.enums import Status, Urgency
from ...domain.ticket import TicketRecord
from ...i18n import _
from ..live import (
    UrgentClock, alerting, clock_style, countdown_text, sort_key, urgent_clock,
)


@dataclass
class Row:
    record: TicketRecord
    clock: UrgentClock | None
    shown: str = ""  # the countdown text on screen now


def _urgency_cell(u: Urgency) -> Text:
    if u is Urgency.URGENT:
        return Text(u.label, style="bold red")
    if u is Urgency.APPOINTMENT:
        return Text(u.label, style="cyan")
    return Text(u.label, style="dim")


def _status_cell(r: TicketRecord) -> Text:
    style = {Status.VOIDED: "dim strike", Status.CLOSED: "dim", Status.PAUSED: "magenta",
             Status.REGISTERED: "bold"}.get(r.status, "")
    text = r.status.label
    if r.state.follow_up and r.is_open:
        text += _("(f/u)")
    return Text(text, style=style)


def _place(r: TicketRecord) -> Text:
    text = Text(r.intake.room)
    if r.repeat_of:
        text.append(_("(rpt)"), style="bold yellow")
    return text


class TicketTable(DataTable[Any]):
    """The main table; `load()` after a change, `tick()` once a second."""

    # content last: it takes what is left and is the one column that may be cut
    COLUMNS = (("no", 17), ("left", 7), ("status", 10), ("urgency", 4), ("received", 5),
               ("place", 14), ("category", 4), ("technician", 6), ("content", None))

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.rows_by_no: dict[str, Row] = {}
        self.order: list[str] = []
        self.tz: Any = None
        self.rules: Any = None

    def on_mount(self) -> None:
        labels = {"no": _("Ticket no."), "left": _("Left"), "status": _("Status"),
                  "urgency": _("Urg."), "place": _("Room/place"), "category": _("Cat."),
                  "content": _("Content"), "technician": _("Tech."), "received": _("Rcvd")}
        for key, width in self.COLUMNS:
            self.add_column(labels[key], key=key, width=width)

    # ------------------------------------------------------------------ data
    def selected_no(self) -> str | None:
        if not self.order or self.cursor_row < 0 or self.cursor_row >= len(self.order):
            return None
        return self.order[self.cursor_row]

    def load(self, records: list[TicketRecord], now: datetime, rules: Any, tz: Any) -> None:
        """Replace the rows, most urgent first; the cursor stays on the same ticket."""
        self.tz, self.rules = tz, rules
        keep = self.selected_no()
        rows = {r.ticket_no: Row(r, urgent_clock(r, now, rules, tz)) for r in records}
        order = sorted(rows, key=lambda no: sort_key(rows[no].record, rows[no].clock))
        self.rows_by_no, self.order = rows, order
        self.clear()
        for no in order:
            row = rows[no]
            row.shown = countdown_text(row.clock, now)
            self.add_row(*self._cells(row), key=no)
        if keep in rows:
            self.move_cursor(row=order.index(keep), animate=False)

    def _cells(self, row: Row) -> list[Any]:
        r = row.record
        received = r.intake.received_at.astimezone(self.tz).strftime("%H:%M")
        return [r.ticket_no, Text(row.shown, style=clock_style(row.clock, row.shown)),
                _status_cell(r), _urgency_cell(r.intake.urgency), received, _place(r),
                r.intake.category, r.state.technician or "",
                r.intake.content.replace("\n", " ")]

    def visible_rows(self) -> range:
        top = int(self.scroll_y)
        height = max(1, self.scrollable_content_region.height)
        return range(max(0, top - 1), min(len(self.order), top + height + 1))

    def tick(self, now: datetime) -> list[tuple[str, UrgentClock]]:
        """Recompute the clocks; rewrite only countdown cells on screen that changed.

        Returns the ticket numbers and clocks for the alert panel (warning or breached)."""
        alerts: list[tuple[str, UrgentClock]] = []
        visible = set(self.visible_rows())
        for index, no in enumerate(self.order):
            row = self.rows_by_no[no]
            row.clock = urgent_clock(row.record, now, self.rules, self.tz)
            alerts.extend((no, c) for c in alerting(row.clock))
            if index not in visible:
                continue
            text = countdown_text(row.clock, now)
            if text != row.shown:
                row.shown = text
                self.update_cell(no, "left", Text(text, style=clock_style(row.clock, text)))
        return alerts

    def watch_scroll_y(self, old: float, new: float) -> None:  # type: ignore[override]
        super().watch_scroll_y(old, new)
        # rows that scroll into view get their countdown at the next tick; make it now
        if self.rules is not None and self.order:
            self.call_later(self._refresh_visible)

    def _refresh_visible(self) -> None:
        for index in self.visible_rows():
            no = self.order[index]
            row = self.rows_by_no[no]
            if row.clock is None:
                continue
            text = countdown_text(row.clock, row.clock.now)
            if text != row.shown:
                row.shown = text
                self.update_cell(no, "left", Text(text, style=clock_style(row.clock, text)))
