"""The one screen the desk lives on: header (site, date and time, shift, who holds it), the SLA
alert strip, 报修记录 (the working set with live countdowns), 交接班 (this shift's numbers and
counts), 打印队列, a message line and the footer with the keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ... import fmt
from ...i18n import _
from ..keys import DESK_KEYS, bindings
from ..ticket_actions import TicketActions
from ..widgets.footer import DeskFooter
from ..widgets.panels import AlertsPanel, PrintPanel, ShiftPanel
from ..widgets.tickets import TicketTable


class DeskScreen(TicketActions, Screen[None]):
    KEYS = DESK_KEYS
    BINDINGS = bindings(KEYS)
    VERTICAL_BREAKPOINTS = [(0, "-short"), (28, "-tall")]  # app.tcss: 80x24 keeps the table

    def __init__(self) -> None:
        super().__init__()
        self.header_tail = ""
        self.site = ""

    @property
    def desk(self) -> Any:  # type: ignore[override]
        return self.app.desk

    def compose(self) -> ComposeResult:
        # Textual repaints every top-level widget's lines on each frame, but a container's
        # children only where the change is: the fixed parts go in containers, so a key
        # press in the table repaints the table, not the whole desk (issue 9)
        with Vertical(id="top"):
            yield Static(_("Opening the desk..."), id="header", markup=False)
            alerts = AlertsPanel(id="alerts")
            alerts.border_title = _("SLA alerts")
            yield alerts
        tickets = TicketTable(id="tickets")
        tickets.border_title = _("Repair calls")
        yield tickets
        yield Static("", id="board-hint", markup=False)  # an empty board says what to do
        with Vertical(id="foot"):
            with Horizontal(id="bottom"):
                shift = ShiftPanel(id="shift")
                shift.border_title = _("Handover")
                yield shift
                printq = PrintPanel(id="print")
                printq.border_title = _("Print queue")
                yield printq
            yield Static("", id="message", markup=False)
            yield DeskFooter()

    def on_mount(self) -> None:
        self.query_one(TicketTable).focus()

    # ------------------------------------------------------------------ showing
    def show_first(self, board: Any) -> None:
        """The first board (services/first_board.py), shown while the book is being opened:
        the rows and the site; the shift, the panels and the ticking come with the full one."""
        cfg = board.config
        self.site = cfg.site_name
        table = self.query_one(TicketTable)
        at_top = table.cursor_row <= 0
        table.load(board.records, board.now, getattr(cfg, "sla", None), cfg.tz)
        if at_top:  # a cursor nobody moved stays on the most urgent row, not on a ticket
            table.move_cursor(row=0, animate=False)
        self._header(board.now, cfg)

    def show_board(self, board: Any) -> None:
        desk = self.desk
        self.site = desk.config.site_name
        self.header_tail = board.header
        table = self.query_one(TicketTable)
        table.load(board.records, desk.now(), getattr(desk.config, "sla", None), desk.config.tz)
        self.query_one(ShiftPanel).show(board.shift)
        self._board_hint(board)
        self.tick()

    def _board_hint(self, board: Any) -> None:
        """No tickets on the board: say what to do next, in the order it has to be done."""
        from ...domain.enums import Role

        lines = []
        if not board.records:
            roles = {role for _name, role, _phone in board.roster}
            if not roles & {Role.SUPERVISOR.value, Role.MANAGER.value}:
                lines.append(_("This book has no supervisor yet: press {key} to set up the site "
                               "and the staff roster.").format(key=desk_key("roster")))
            if board.holder is None:
                lines.append(_("Nobody holds the desk: press {key} to sign on first.").format(
                    key=desk_key("sign_on")))
            lines.append(_("No repair calls on the board. Press {key} to register a call.")
                         .format(key=desk_key("new_ticket")))
        hint = self.query_one("#board-hint", Static)
        hint.update("\n".join(lines))
        hint.set_class(bool(lines), "shown")

    def show_print(self, jobs: list[Any], status: Any) -> None:
        panel = self.query_one(PrintPanel)
        panel.show(jobs)
        if status is not None:
            panel.border_subtitle = status.text
            panel.set_class(not status.ok, "printer-down")

    def tick(self) -> list[Any]:
        """Once a second: the clock in the header, the countdowns, the alert strip."""
        if self.app.desk is None:
            return []
        desk = self.desk
        now = desk.now()
        self._header(now)
        table = self.query_one(TicketTable)
        alerting = table.tick(now)  # the same list until an alert comes, changes or goes
        alerts = self.query_one(AlertsPanel)
        alerts.show(alerting, now)
        subtitle = (_("{n} need attention").format(n=len(alerting))
                    if alerting else _("all clocks on time"))
        if alerts.border_subtitle != subtitle:  # setting it repaints the strip, same or not
            alerts.border_subtitle = subtitle
        return alerting

    def _header(self, now: datetime, config: Any = None) -> None:
        tz = (config or self.desk.config).tz
        stamp = f"{fmt.date(now, tz)} {fmt.weekday(now, tz)} {now.astimezone(tz):%H:%M:%S}"
        # one fixed line (app.tcss): no layout pass for the whole screen once a second
        self.query_one("#header", Static).update(
            f" {self.site}  |  {stamp}  |  {self.header_tail}", layout=False)

    def say(self, text: str, error: bool = False) -> None:
        """The status line: errors and SLA notices (confirmations are notifications)."""
        line = self.query_one("#message", Static)
        line.update(text)
        line.set_class(error, "error")

    # ------------------------------------------------------------------ selection
    def current_ticket_no(self) -> str | None:
        focused = self.focused
        if isinstance(focused, AlertsPanel):
            return focused.selected_no()
        return self.query_one(TicketTable).selected_no()

    def current_record(self) -> Any:
        no = self.current_ticket_no()
        row = self.query_one(TicketTable).rows_by_no.get(no or "")
        return row.record if row else None

    def changed(self, record: Any, message: str) -> None:
        self.app.say(message)
        self.app.refresh_board()

    @on(DataTable.RowSelected, "#tickets, #alerts")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.app.desk is None:  # type: ignore[attr-defined]  # held until the book is open
            self.app.held = ("detail", self)  # type: ignore[attr-defined]
        else:
            self.action_detail()

    # ------------------------------------------------------------------ keys
    def action_detail(self) -> None:
        from .ticket import TicketScreen

        no = self.current_ticket_no()
        if no:
            self.app.push_screen(TicketScreen(self.desk, no))

    def action_new_ticket(self) -> None:
        from ...services.shifts import clerk_on_duty
        from .intake import IntakeScreen

        def saved(record: Any) -> None:
            if record is None:
                return
            text = _("{no} registered.").format(no=record.ticket_no)
            if record.repeat_of:
                text += " " + _("Repeat report: same place and category as {no}.").format(
                    no=record.repeat_of)
            self.app.say(text)
            self.app.refresh_board(select=record.ticket_no)

        desk = self.desk
        self.app.run_service(lambda: clerk_on_duty(desk),
                             done=lambda clerk: self.app.push_screen(
                                 IntakeScreen(desk, clerk), callback=saved))

    def action_search(self) -> None:
        from .search import SearchScreen

        self.app.push_screen(SearchScreen(self.desk))

    def action_handover(self) -> None:
        from .handover import HandoverScreen

        # signed: the board again; closed unsigned: again only if the book changed (the poll's
        # marker), not 2,000 rows rebuilt for a look at the checklist (issue 18: memory)
        self.app.push_screen(HandoverScreen(self.desk),
                             callback=lambda signed: self.app.refresh_board()
                             if signed is not None else self.app.poll())

    def action_handover_history(self) -> None:
        from .handover import HandoverHistoryScreen

        self.app.push_screen(HandoverHistoryScreen(self.desk))

    def action_signoff(self) -> None:
        from .signoff import SignoffScreen

        self.app.push_screen(SignoffScreen(self.desk),
                             callback=lambda _r: self.app.refresh_board())

    def action_log_entry(self) -> None:
        from .dutylog import LogEntryScreen

        def saved(entry_id: int | None) -> None:
            if entry_id is not None:
                self.app.say(_("Duty-log entry {id} written.").format(id=entry_id))

        self.app.push_screen(LogEntryScreen(self.desk), callback=saved)

    def action_messages(self) -> None:
        from ..messages import MessagesScreen

        tz = self.desk.config.tz if self.app.desk is not None else None
        self.app.push_screen(MessagesScreen(self.app.messages, tz))

    def action_log_view(self) -> None:
        from .dutylog import LogViewScreen

        self.app.push_screen(LogViewScreen(self.desk))

    def action_reports(self) -> None:
        from .reports import ReportsScreen

        self.app.push_screen(ReportsScreen(self.desk))

    def action_print_preview(self) -> None:
        from .print_preview import PrintPreviewScreen

        no = self.current_ticket_no()
        if no is None:
            self.app.say(_("No ticket selected."), error=True)
            return
        self.app.push_screen(PrintPreviewScreen(self.desk, no),
                             callback=lambda go: go and self.action_print_order())

    def _print_job(self) -> int | None:
        """The job under the print queue's cursor, only while that panel has focus: its
        selection is invisible from the ticket table (^x there once cancelled a job)."""
        panel = self.query_one(PrintPanel)
        if self.focused is not panel:
            self.app.say(_("Select a print job in the print queue first (tab)."), error=True)
            return None
        job = panel.selected_job()
        if job is None:
            self.app.say(_("No print job selected."), error=True)
        return job

    def action_print_cancel(self) -> None:
        job = self._print_job()
        if job is not None:
            self.app.cancel_print(job)

    def action_print_retry(self) -> None:
        job = self._print_job()
        if job is not None:
            self.app.retry_print(job)

    def action_sign_on(self) -> None:
        from ...errors import NotFound
        from ...services.roster import can_sign_on
        from ...services.shifts import sign_on
        from .prompts import Field, FormPrompt

        add_first = _("Add staff first: press {key} (roster) or run `repairdesk staff add`.") \
            .format(key=desk_key("roster"))

        def failed(exc: Exception) -> None:
            self.app.say(f"{exc} {add_first}" if isinstance(exc, NotFound) else str(exc),
                         error=True)

        def asked(values: dict[str, str] | None) -> None:
            if values:
                self.app.run_service(
                    lambda: sign_on(self.desk, values["name"], values["pin"]),
                    done=lambda turn: self.signed_on(turn.holder), failed=failed)

        def ask(possible: bool) -> None:
            if not possible:
                self.app.say(_("Nobody can sign on yet: the roster has no clerk with a PIN.")
                             + " " + add_first, error=True)
                return
            self.app.push_screen(FormPrompt(
                _("Sign on: open the first shift of this book"),
                [Field("name", _("Clerk")), Field("pin", _("PIN"), password=True)]),
                callback=asked)

        self.app.run_service(can_sign_on, self.desk, done=ask)

    def signed_on(self, holder: str) -> None:
        self.app.say(_("{name} signed on and holds the desk.").format(name=holder))
        self.app.refresh_board()

    # ------------------------------------------------------------------ roster and setup
    def action_roster(self) -> None:
        """The first-night setup on an empty book; else the roster after a supervisor's or
        manager's name and PIN."""
        from ...services.setup import needs_setup

        desk = self.desk
        self.app.run_service(needs_setup, desk,
                             done=lambda needed: self.open_setup() if needed
                             else self._ask_roster_pin())

    def open_setup(self) -> None:
        from .setup import SetupScreen

        if any(isinstance(s, SetupScreen) for s in self.app.screen_stack):
            return

        def finished(holder: str | None) -> None:
            if holder:
                self.signed_on(holder)
            else:
                self.app.say(_("Setup left; the steps saved so far stay. Press {key} to go "
                               "on.").format(key=desk_key("roster")))
                self.app.refresh_board()

        self.app.push_screen(SetupScreen(self.desk), callback=finished)

    def _ask_roster_pin(self) -> None:
        from ...services import signing
        from ...services.roster import ROSTER_ROLES
        from .prompts import Field, FormPrompt
        from .roster import RosterScreen

        def asked(values: dict[str, str] | None) -> None:
            if values:
                self.app.run_service(
                    signing.authenticate, self.desk, values["name"], values["pin"],
                    ROSTER_ROLES,
                    done=lambda signer: self.app.push_screen(
                        RosterScreen(self.desk, signer.name, values["pin"]),
                        callback=lambda _r: self.app.refresh_board()))

        self.app.push_screen(FormPrompt(
            _("Staff roster: a supervisor's or manager's name and PIN"),
            [Field("name", _("Supervisor")), Field("pin", _("PIN"), password=True)]),
            callback=asked)


def desk_key(action: str) -> str:
    """The key of a desk action as the clerk reads it (from keys.py)."""
    from ..keys import key_display

    return next(key_display(k.key) for k in DESK_KEYS if k.action == action)
