"""Enter: one ticket with everything the book holds on it — the intake, every SLA clock with
its deadline, and the full event history. The lifecycle keys work here too; `u` reveals the
phone number with a supervisor's PIN (logged)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...domain.validation import mask_phone
from ...i18n import _
from ..text import cells as plain_cells
from ..keys import TICKET_KEYS, bindings
from ..live import STYLE_BREACHED, STYLE_NORMAL, STYLE_WARNING
from ..ticket_actions import TicketActions
from .prompts import Field, FormPrompt


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

    def compose(self) -> ComposeResult:
        yield Static("", id="detail-title", classes="duty-title", markup=False)
        yield Static("", id="detail-info", markup=False)
        yield DataTable(id="detail-clocks", cursor_type="none", zebra_stripes=False)
        yield DataTable(id="detail-events", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        clocks = self.query_one("#detail-clocks", DataTable)
        for key, label, width in (("clock", _("Clock"), 8), ("state", _("State"), 8),
                                  ("start", _("Started"), 11), ("due", _("Due"), 11),
                                  ("left", _("Left"), 8), ("earlier", _("Earlier due"), 24)):
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
        self.query_one("#detail-info", Static).update("\n".join(lines))
        self._show_clocks()
        events = self.query_one("#detail-events", DataTable)
        events.clear()
        for e in r.events:
            events.add_row(*plain_cells(e.at.astimezone(tz).strftime("%m-%d %H:%M:%S"),
                                        e.action.label, e.by, e.note.replace("\n", " ")))

    def _show_clocks(self) -> None:
        from ...domain import sla

        table = self.query_one("#detail-clocks", DataTable)
        table.clear()
        rules = getattr(self.desk.config, "sla", None)
        if rules is None or self.record is None:
            return
        tz = self.desk.config.tz
        now = self.desk.now()

        def when(dt: Any) -> str:
            return dt.astimezone(tz).strftime("%m-%d %H:%M") if dt else ""

        style = {sla.ClockState.WARNING: STYLE_WARNING, sla.ClockState.BREACHED: STYLE_BREACHED,
                 sla.ClockState.MISSED: "red", sla.ClockState.MET: STYLE_NORMAL}
        from ...fmt import countdown

        for c in sla.evaluate(self.record, now, rules, tz):
            left = "" if c.remaining_s is None else countdown(c.remaining_s, pad=True)
            # a deadline moved twice within a minute reads the same: show it once
            earlier = ", ".join(dict.fromkeys(when(d) for d in c.previous_due))
            table.add_row(c.name.label, Text(c.state.label, style=style.get(c.state, "")),
                          when(c.started_at), when(c.due_at), left, earlier)

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
