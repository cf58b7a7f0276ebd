"""Enter: one ticket with everything the book holds on it — the intake, every SLA clock with
its deadline, and the full event history. The lifecycle keys work here too; `u` reveals the
phone number with a supervisor's PIN (logged). The clocks tick with the desk's clock (the app's
1 Hz tick): the time left of a running clock is its deadline minus now, as on the board, so
the two columns never disagree (after a reschedule, a pause or a wait for an appointment)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...domain.enums import Status
from ...domain.validation import mask_phone
from ...i18n import _
from ..text import cells as plain_cells
from ..keys import TICKET_KEYS, bindings
from ..live import STYLE_BREACHED, STYLE_NORMAL, STYLE_WARNING
from ..ticket_actions import TicketActions
from .prompts import Field, FormPrompt


def time_left(c: Any, now: Any) -> float:
    """A running clock's time left is its deadline minus now (the deadline shown beside it);
    a paused clock stands still; a stopped one shows the margin it was met or missed by."""
    from ...domain.sla import ClockState

    if c.due_at is None or c.stopped_at is not None or c.state in (
            ClockState.PAUSED, ClockState.MET, ClockState.MISSED):
        return float(c.remaining_s or 0.0)
    return (c.due_at - now).total_seconds()


class TicketScreen(TicketActions, Screen[None]):
    """A ticket's detail; refreshed after every step taken from here."""

    KEYS = TICKET_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self, desk: Any, ticket_no: str) -> None:
        super().__init__()
        self.desk = desk
        self.ticket_no = ticket_no
        self.record: Any = None
        self.phone_shown = ""
        self.clock_keys: list[str] = []  # the rows of the clocks table, in order

    def compose(self) -> ComposeResult:
        yield Static("", id="detail-title", classes="duty-title", markup=False)
        yield Static("", id="detail-info", markup=False)
        yield DataTable(id="detail-clocks", cursor_type="none", zebra_stripes=False)
        yield DataTable(id="detail-events", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        from ...domain.sla import ClockState
        from ...fmt import countdown_width, display_width

        clocks = self.query_one("#detail-clocks", DataTable)
        # the time left is right-aligned to the widest countdown: a narrower column showed
        # only its first cells ("超时" of "超时 2分21秒", the "9" of "9小时59分")
        # and a clock's state in full ("not started" is 11 cells in English)
        state_w = max(8, *(display_width(s.label) for s in ClockState))
        for key, label, width in (("clock", _("Clock"), 8), ("state", _("State"), state_w),
                                  ("start", _("Started"), 11), ("due", _("Due"), 11),
                                  ("left", _("Left"), countdown_width()),
                                  ("earlier", _("Earlier due"), 24)):
            clocks.add_column(label, key=key, width=width)
        events = self.query_one("#detail-events", DataTable)
        events.add_column(_("Time"), key="at", width=16)
        events.add_column(_("Step"), key="action", width=10)
        events.add_column(_("By"), key="by", width=8)
        events.add_column(_("Note"), key="note")
        self.reload()
        events.focus()

    # TicketActions
    def current_ticket_no(self) -> str | None:
        return self.ticket_no

    def current_record(self) -> Any:
        return self.record

    def changed(self, record: Any, message: str) -> None:
        self.app.say(message)
        self.app.refresh_board()
        self.show(record)

    def reload(self) -> None:
        from ...services.tickets import get_ticket

        self.app.run_service(lambda: get_ticket(self.desk, self.ticket_no), done=self.show)

    def show(self, record: Any) -> None:
        self.record = r = record
        tz = self.desk.config.tz
        i = r.intake
        flags = []
        if r.repeat_of:
            flags.append(_("repeat report (earlier: {no})").format(no=r.repeat_of))
        if r.state.follow_up:
            flags.append(_("follow-up"))
        if r.state.rework_count:
            flags.append(_("rework x{n}").format(n=r.state.rework_count))
        if r.state.vacant:
            flags.append(_("vacant unit"))
        if r.state.callback_retry_at is not None and r.status is Status.RETURNED:
            flags.append(_("retry at {when}").format(  # the callback had no answer
                when=r.state.callback_retry_at.astimezone(tz).strftime("%H:%M")))
        self.query_one("#detail-title", Static).update(
            f"{r.ticket_no}  {r.status.label}  {r.state.technician or ''}  " + "  ".join(flags))
        phone = self.phone_shown or mask_phone(i.phone)
        lines = [
            _("Received {at} by {channel}; registered by {clerk}").format(
                at=i.received_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                channel=i.channel.label, clerk=r.registered_by),
            _("Room/place {room} | {scope} | caller {caller} {phone}").format(
                room=i.room, scope=i.scope.label, caller=i.caller, phone=phone),
            _("Category {cat} | {urgency} | {service} | owner's parts: {parts}").format(
                cat=i.category, urgency=i.urgency.label, service=i.service_type.label,
                parts=_("yes") if i.owner_parts else _("no")),
            _("Content: {content}").format(content=i.content),
        ]
        if r.state.appointment_at:
            lines.append(_("Appointment: {at}").format(
                at=r.state.appointment_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")))
        lines.extend(self._follow_up_lines(r))
        self.query_one("#detail-info", Static).update("\n".join(lines))
        self._show_clocks()
        events = self.query_one("#detail-events", DataTable)
        events.clear()
        for e in r.events:
            events.add_row(*plain_cells(e.at.astimezone(tz).strftime("%m-%d %H:%M:%S"),
                                        e.action.label, e.by, e.note.replace("\n", " ")))

    def _follow_up_lines(self, r: Any) -> list[str]:
        """协调单 (004): when the next weekly entry is due, and who has checked it."""
        from ...domain.follow_up import checks, next_entry_at

        tz = self.desk.config.tz
        out = []
        due = next_entry_at(r, self.desk.now())
        if due is not None:
            out.append(_("Follow-up: next weekly entry by {at}").format(
                at=due.astimezone(tz).strftime("%Y-%m-%d %H:%M")))
        for c in checks(r):
            out.append(_("{check}: {name} {at}").format(
                check=c.level.label, name=c.signer,
                at=c.at.astimezone(tz).strftime("%Y-%m-%d %H:%M")))
        return out

    def tick(self) -> None:
        """Once a second (RepairDeskApp.tick): the clocks as of the desk's clock now."""
        if self.record is not None and self.is_mounted:
            self._show_clocks()

    def _show_clocks(self) -> None:
        from ...domain import sla
        from ...fmt import countdown

        table = self.query_one("#detail-clocks", DataTable)
        rules = getattr(self.desk.config, "sla", None)
        if rules is None or self.record is None:
            table.clear()
            self.clock_keys = []
            return
        tz = self.desk.config.tz
        now = self.desk.now()

        def when(dt: Any) -> str:
            return dt.astimezone(tz).strftime("%m-%d %H:%M") if dt else ""

        style = {sla.ClockState.WARNING: STYLE_WARNING, sla.ClockState.BREACHED: STYLE_BREACHED,
                 sla.ClockState.MISSED: "red", sla.ClockState.MET: STYLE_NORMAL}
        rows: dict[str, list[Any]] = {}
        for c in sla.evaluate(self.record, now, rules, tz):
            left = "" if c.remaining_s is None else countdown(time_left(c, now), pad=True)
            # a deadline moved twice within a minute reads the same: show it once
            earlier = ", ".join(dict.fromkeys(when(d) for d in c.previous_due))
            rows[f"{c.name.value}:{c.cycle}"] = [
                c.name.label, Text(c.state.label, style=style.get(c.state, "")),
                when(c.started_at), when(c.due_at), left, earlier]
        if list(rows) != self.clock_keys:
            table.clear()
            for key, cells in rows.items():
                table.add_row(*cells, key=key)
            self.clock_keys = list(rows)
            return
        columns = ("clock", "state", "start", "due", "left", "earlier")
        for key, cells in rows.items():  # the same clocks: rewrite only what changed
            for column, value in zip(columns, cells):
                if str(table.get_cell(key, column)) != str(value) or column == "state":
                    table.update_cell(key, column, value)

    def action_reveal(self) -> None:
        from ...services.privacy import reveal_phone

        def asked(values: dict[str, str] | None) -> None:
            if not values:
                return

            def shown(phone: str) -> None:
                self.phone_shown = phone
                self.app.say(_("Phone number revealed; the duty log records it."))
                self.show(self.record)

            self.app.run_service(
                lambda: reveal_phone(self.desk, self.ticket_no, values["name"], values["pin"]),
                done=shown)

        self.app.push_screen(FormPrompt(
            _("Reveal the phone number of {no} (supervisor)").format(no=self.ticket_no),
            [Field("name", _("Supervisor")), Field("pin", _("PIN"), password=True)]),
            callback=asked)

    def action_close(self) -> None:
        self.dismiss(None)
