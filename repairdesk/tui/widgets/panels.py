"""The side panels of the main screen: SLA alerts, this shift's numbers and counts (交接班),
and the print queue (打印队列)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.cells import cell_len
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from ...domain.board_clocks import AlertKind, alert_counts
from ...fmt import countdown_width
from ...i18n import _
from ..text import Cell, Pool, StyledCell, cells, changed_cell, share
from ..live import UrgentClock, clock_style, countdown_text
from .live_table import LiveTable


class AlertsPanel(LiveTable):
    """Breached and soon-due clocks across all tickets, in the order the clerk must act
    (undispatched first, then breaches by how late, then warnings), with whom to call; the
    title counts each kind. Rebuilt only when the list changes; otherwise only the countdowns are rewritten."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", **kwargs)
        self.keys: list[str] = []
        self.shown: list[StyledCell] = []  # per row on screen: its countdown cell
        self.calls: dict[tuple[str, str], str] = {}  # (ticket, clock) -> action text
        self.dirty = False  # the action texts changed: rebuild at the next show()
        self.source: list[Any] | None = None  # the list last shown (TicketTable.alerts)
        self.clocks: list[UrgentClock] = []  # per row on screen
        self.now: datetime | None = None

    def on_mount(self) -> None:
        self.add_column(_("Left"), key="left", width=max(countdown_width(), cell_len(_("Left"))))
        self.add_column(_("Ticket no."), key="no", width=17)
        self.add_column(_("Clock"), key="clock", width=8)
        self.add_column(_("Room/place"), key="place", width=12)
        self.add_column(_("What to do"), key="action")

    def selected_no(self) -> str | None:
        if not self.keys or not 0 <= self.cursor_row < len(self.keys):
            return None
        return self.keys[self.cursor_row].split("|")[0]

    def show(self, alerts: list[tuple[str, UrgentClock, str, AlertKind]],
             now: datetime) -> None:
        """`alerts`: (ticket_no, clock, place, kind) in the order the clerk must act
        (TicketTable: board_clocks.alert_key). The same list object as last time means the
        same alerts: only the countdowns on screen are rewritten."""
        self.now = now
        if alerts is self.source and not self.dirty:
            self._countdowns(now)
            return
        self.source = alerts
        keys = [f"{a[0]}|{a[1].clock.name.value}" for a in alerts]
        self.clocks = [a[1] for a in alerts]
        self._title([a[3] for a in alerts])
        if keys != self.keys or self.dirty:
            self.keys, self.dirty = keys, False
            self.shown = []
            self.clear()
            pool: Pool = {}
            for key, (no, c, place, kind) in zip(keys, alerts):
                left = StyledCell(countdown_text(c, now), clock_style(c))
                self.shown.append(left)
                action = self.calls.get((no, c.clock.name.value)) or _default_action(c, kind)
                action += _call_hint(c)
                # a ticket with two clocks alerting has two rows: one cell for its number
                self.add_row(left, *(share(pool, Cell(v)) for v in (
                    no, c.clock.name.label, place, action)), key=key)
            return
        self._countdowns(now)

    def _title(self, kinds: list[AlertKind]) -> None:
        """'SLA alerts  undispatched 1  overdue 3  warning 2': how many of each kind (spaces,
        not a middle dot: its width differs between terminal fonts)."""
        counts = alert_counts(kinds)
        title = _("SLA alerts")
        if counts:
            title += "  " + "  ".join(f"{k.label} {n}" for k, n in counts)
        if self.border_title != title:  # setting it repaints the strip, same or not
            self.border_title = title

    def _countdowns(self, now: datetime | None = None) -> None:
        now = self.now = now or self.now
        if now is None:
            return
        changed = []
        for index in self.visible_rows():
            c = self.clocks[index]
            cell = changed_cell(self.shown[index], countdown_text(c, now), clock_style(c))
            if cell is not None:
                self.shown[index] = cell
                changed.append((self.keys[index], "left", cell))
        self.set_cells(changed)  # those cells only, not the whole strip (issue 18)

    def watch_scroll_y(self, old: float, new: float) -> None:  # type: ignore[override]
        super().watch_scroll_y(old, new)
        if self.keys:  # rows scrolled into view: their countdowns now, not at the next tick
            self.call_later(self._countdowns)

    def set_calls(self, calls: dict[tuple[str, str], str]) -> None:
        if calls != self.calls:
            self.calls, self.dirty = calls, True


def _call_hint(c: UrgentClock) -> str:
    """The key of the desk's own call dialog (full number shown there, logged) for an owner
    call: j apologises for a late arrival, v calls back."""
    from ...domain.sla import ClockName, ClockState
    from ..keys import DESK_KEYS, key_display

    action = {ClockName.ARRIVE: "apology", ClockName.CALLBACK: "callback"}.get(c.clock.name)
    if action is None or (action == "apology" and c.state is not ClockState.BREACHED):
        return ""
    key = next(key_display(k.key) for k in DESK_KEYS if k.action == action)
    return "  " + _("({key}: call the owner)").format(key=key)


def _default_action(c: UrgentClock, kind: AlertKind | None = None) -> str:
    from ...domain.sla import ClockState

    if kind is AlertKind.UNDISPATCHED:
        return _("Dispatch it now")
    if c.state is ClockState.BREACHED:
        return _("Overdue: chase now")
    return _("Due soon")


class ShiftPanel(VerticalScroll, can_focus=True):
    """交接班: this shift's ticket numbers (first, last, gaps) and counts."""

    def compose(self) -> Any:
        yield Static("", id="shift-text", markup=False)

    def show(self, summary: Any) -> None:
        from ...domain.handover import count_label

        c = summary.counts
        lines = [_("Shift: {name}").format(name=summary.shift_name or "-")]
        if summary.issued:
            lines.append(_("Numbers: {first} to {last} ({n})").format(
                first=summary.issued[0], last=summary.issued[-1], n=len(summary.issued)))
        else:
            lines.append(_("Numbers: none issued yet"))
        if summary.gaps:
            lines.append(_("GAP in numbers: {gaps}").format(gaps=", ".join(summary.gaps)))
        lines.append("  ".join(f"{count_label(k)} {c.get(k, 0)}" for k in
                               ("issued", "completed", "returned", "open", "voided")))
        for text in self.query("#shift-text").results(Static):  # none while the desk quits
            text.update("\n".join(lines))


def numbers_text(issued: list[str]) -> str:
    """A shift's ticket numbers as they are read back: first to last and how many (the
    gaps are said on their own); one number as itself."""
    if len(issued) == 1:
        return issued[0]
    return _("{first} to {last} ({n})").format(first=issued[0], last=issued[-1],
                                                n=len(issued))


class PrintPanel(DataTable[Any]):
    """打印队列: the newest print jobs with their state, and the printer's state in the title."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", **kwargs)
        self.job_ids: list[int] = []

    def on_mount(self) -> None:
        self.add_column(_("Job"), key="id", width=4)
        self.add_column(_("Ticket no."), key="subject", width=17)
        self.add_column(_("State"), key="state", width=6)
        self.add_column(_("Note"), key="note")

    def selected_job(self) -> int | None:
        if not self.job_ids or not 0 <= self.cursor_row < len(self.job_ids):
            return None
        return self.job_ids[self.cursor_row]

    def show(self, jobs: list[Any]) -> None:
        keep = self.selected_job()
        self.clear()
        self.job_ids = [j.id for j in jobs]
        for j in jobs:
            state = _job_state_label(j.state)
            style = {"failed": "bold red", "done": "green", "printing": "yellow"}.get(j.state, "")
            note = j.error or (_("reprint {n}").format(n=j.reprint) if j.reprint else "")
            what = (_("Handover {id}").format(id=j.subject) if j.kind == "handover"
                    else j.subject)
            self.add_row(*cells(str(j.id), what, StyledCell(state, style), note), key=str(j.id))
        if keep in self.job_ids:
            self.move_cursor(row=self.job_ids.index(keep), animate=False)


def _job_state_label(state: str) -> str:
    return {"queued": _("queued"), "printing": _("printing"), "done": _("done"),
            "failed": _("failed"), "cancelled": _("cancelled")}.get(state, state)
