"""The desk application: opens the book in a worker (the first frame never waits for the
database), keeps the board fresh, ticks once a second, and runs every database call in a
thread worker so keystrokes never wait for the disk."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.worker import Worker

from ..i18n import _
from .commands import DeskCommands
from .keys import APP_KEYS, bindings
from .messages import Kind, MessageLog
from .screens.desk import DeskScreen
from .textual_i18n import install

POLL_S = 3.0  # how often another terminal's writes are looked for
ESCALATE_EVERY = 10  # ticks between escalation passes when no clock changed state,
# once one could find something new (_sla_due)


class RepairDeskApp(App[None]):
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {DeskCommands}
    TITLE = "repairdesk"
    BINDINGS = bindings(APP_KEYS)  # ctrl+q; the screens' keys are in their tables (keys.py)

    def __init__(self, desk: Any = None, *, db: str | None = None,
                 config_path: str | None = None, clock: Any = None,
                 live: bool = True) -> None:
        install()
        from .widgets.fields import install_clean_inputs

        install_clean_inputs()  # a pasted escape never stands in a field
        super().__init__()
        self.desk = desk
        self.db = db
        self.config_path = config_path
        self.clock = clock
        self.live = live  # False in tests: no timers, the test calls tick() itself
        self.marker: Any = None
        self.alert_states: list[Any] = []  # the alerts last escalated (TicketTable.alerts)
        self.sla_passes = 0
        self.sla_quiet: tuple[Any, Any] | None = None  # (as of, until): see _sla_due
        self.ticks = 0
        self.select_after: str | None = None
        self.messages = MessageLog()  # what the desk said this session (M)
        self.held: tuple[str, Any] | None = None  # a desk key pressed before the book opened
        self.freeze_after_start = live  # tests leave their process's collector alone

    def get_default_screen(self) -> DeskScreen:
        return DeskScreen()

    @property
    def desk_screen(self) -> DeskScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, DeskScreen)
        return screen

    def on_mount(self) -> None:
        self.title = _("repairdesk")
        if self.desk is None:
            # the board as the standard library reads it (a few ms of a thread while the
            # first frame is drawn), then the book opened behind it (issue 18)
            self.run_service(self._first, done=self._first_shown,
                             failed=lambda _exc: self._first_shown(None))
        else:
            self._opened(self.desk)

    def _first(self, config: Any = None) -> Any:
        """The first board: with no `config` yet, a screenful of the longest open tickets
        (one index read, a few ms: on screen at once); then, with it, the whole working set,
        most urgent first (issue 18)."""
        from ..services.first_board import first_board

        screenful = None if config else max(20, self.size.height)
        board = first_board(self.db, self.config_path, self.clock, oldest=screenful,
                            config=config)
        return board.most_urgent() if board is not None else None

    def _first_shown(self, board: Any, whole: bool = False) -> None:
        if board is not None and not self.desk_screen.is_mounted:  # read before the mount
            self.call_after_refresh(self._first_shown, board, whole)
            return
        if board is not None and self.desk is None and not (self._exit or self._closing):
            self.desk_screen.show_first(board)
            if not whole:  # after that frame: the whole working set
                self.call_after_refresh(
                    self.run_service, self._first, board.config,
                    done=lambda b: self._first_shown(b, whole=True),
                    failed=lambda _exc: self._first_shown(None, whole=True))
                return
        # after that frame: opening the book imports SQLAlchemy, which would hold the
        # interpreter while it is drawn
        self.call_after_refresh(self.run_service, self._open, done=self._opened,
                                failed=self._not_opened)

    def _not_opened(self, exc: Exception) -> None:
        """The book would not open (too new, damaged, busy ...): no rows from the first read
        stay on screen as if it had."""
        from datetime import datetime, timezone

        self.desk_screen.query_one("#tickets").load(  # type: ignore[attr-defined]
            [], datetime.now(timezone.utc), None, None)
        self._failed(exc)

    def _open(self) -> Any:
        from ..services.desk import open_desk

        return open_desk(self.db, self.config_path, clock=self.clock)

    def _opened(self, desk: Any) -> None:
        from ..services import printing
        from ..services.setup import needs_setup

        self.desk = desk
        self.desk_screen.refresh_bindings()  # the desk's keys act from now on
        # a job left "printing" by a crash or a power cut goes back to the queue's care
        self.run_service(printing.recover_interrupted, desk, group="print")
        self.refresh_board()
        self.run_service(needs_setup, desk,  # an empty book: the first-night setup
                         done=lambda needed: self.desk_screen.open_setup() if needed
                         else self._run_held())
        if self.live:
            self.set_interval(1.0, self.tick)
            self.set_interval(POLL_S, self.poll)

    async def run_action(self, action: Any, default_namespace: Any = None) -> bool:
        """The first board is listed before the book is open (issue 18). A desk key pressed
        in that moment (the clerk sees the board and presses n) is held and acts as soon as
        the book is open, instead of doing nothing; help and quit act at once."""
        if (self.desk is None and isinstance(action, str) and not action.startswith("app.")
                and default_namespace is not None
                and default_namespace is self.screen_stack[0]):
            self.held = (action, default_namespace)
            return True
        return await super().run_action(action, default_namespace)

    def _run_held(self) -> None:
        if self.held is not None:
            action, namespace = self.held
            self.held = None
            if self.screen is namespace:  # nothing else opened meanwhile
                self.run_worker(self.run_action(action, namespace), group="held-key")

    def on_unmount(self) -> None:
        if self.desk is not None and self.db is not None:
            self.desk.close()

    # ------------------------------------------------------------------ help and quitting
    def action_help(self) -> None:
        """`?` / F1: the keys of the screen on top; pressed again, the help closes."""
        from .screens.help import HelpScreen, screen_keys

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen(screen_keys(self.screen)))

    def unsaved_input(self) -> bool:
        """A form on the stack holds something typed that quitting would lose."""
        return any(getattr(s, "has_unsaved_input", lambda: False)() for s in self.screen_stack)

    async def action_quit(self) -> None:
        """q / ctrl+q: quit at once, or ask first while a form holds unsaved input."""
        from .screens.prompts import QuitPrompt

        if isinstance(self.screen, QuitPrompt):  # ctrl+q again on the question: yes
            self.exit()
        elif self.unsaved_input():
            self.push_screen(QuitPrompt(), callback=lambda yes: self.exit() if yes else None)
        else:
            self.exit()

    # ------------------------------------------------------------------ workers
    def run_service(self, fn: Callable[..., Any], *args: Any,
                    done: Callable[[Any], Any] | None = None,
                    failed: Callable[[Exception], Any] | None = None,
                    group: str = "db", exclusive: bool = False, **kwargs: Any) -> Worker[Any]:
        """Run a service call in a thread; `done(result)` or `failed(error)` on the UI thread.
        A RepairdeskError becomes one line on the message bar; anything else is logged."""
        from ..errors import RepairdeskError

        def job() -> None:
            try:
                result = fn(*args, **kwargs)
            except RepairdeskError as exc:
                self.call_from_thread(failed or self._failed, exc)
                return
            except Exception as exc:  # noqa: BLE001 - one line for the clerk, trace to a file
                from ..cli.common import error_line, log_traceback

                log_traceback()
                self.call_from_thread(failed or self._failed, RuntimeError(error_line(exc)))
                return
            if done is not None:
                self.call_from_thread(done, result)

        return self.run_worker(job, thread=True, group=group, exclusive=exclusive)

    def _failed(self, exc: Exception) -> None:
        self.say(str(exc), error=True)

    def say(self, text: str, error: bool = False, *, toast: bool = True,
            bell: bool | None = None) -> None:
        """Tell the clerk, and keep it in the session's messages (M). A step's confirmation
        or an error: a notification; errors and SLA notices (toast=False): the status line
        too, which a confirmation no longer takes, so a notice cannot wipe it a second
        later. The bell on errors unless told otherwise."""
        kind = Kind.NOTICE if not toast else Kind.ERROR if error else Kind.DONE
        self.messages.add(self._message_time(), kind, text)
        if error or not toast:
            self.desk_screen.say(text, error)
        if toast:
            # the text may carry what someone typed ([/b] in a name): never read as markup
            self.notify(text, severity="error" if error else "information",
                        timeout=8 if error else 4, markup=False)
        if error if bell is None else bell:
            self.bell()

    def _message_time(self) -> Any:
        from datetime import datetime

        return self.desk.now() if self.desk is not None else datetime.now().astimezone()

    # ------------------------------------------------------------------ the board
    def refresh_board(self, select: str | None = None) -> None:
        from ..services.board import load_board

        if select:
            self.select_after = select
        desk = self.desk

        def load() -> Any:
            return load_board(desk), _print_state(desk)

        self.run_service(load, done=self._show_board, group="board", exclusive=True)

    def _show_board(self, result: Any) -> None:
        board, printing = result
        self.marker = board.marker
        screen = self.desk_screen
        if self._exit or self._closing:
            return  # the desk is quitting: a board read just before has nowhere to go
        if not screen.is_mounted:  # read faster than the desk's first mount: show it after
            self.call_after_refresh(self._show_board, result)
            return
        screen.show_board(board)
        if printing is not None:
            screen.show_print(*printing)
        if self.select_after:
            table = screen.query_one("#tickets")
            if self.select_after in table.order:  # type: ignore[attr-defined]
                table.move_cursor(row=table.order.index(self.select_after))  # type: ignore
            self.select_after = None
        self.escalate()
        if self.freeze_after_start:  # the first full board: start-up is over
            self.freeze_after_start = False
            self.call_after_refresh(freeze_start_up)
        # the previous board and the read's leftovers are free now: give them back (memory.py)
        from ..memory import release_freed

        self.run_worker(release_freed, thread=True, group="memory", exclusive=True)

    def poll(self) -> None:
        """Another desk on the same book wrote something: reload."""
        from ..services.board import change_marker

        desk = self.desk

        def changed(marker: Any) -> None:
            if marker != self.marker:
                self.refresh_board()

        self.run_service(lambda: change_marker(desk), done=changed, group="poll",
                         exclusive=True)

    def tick(self) -> None:
        if self.desk is None:
            return
        self.ticks += 1
        alerting = self.desk_screen.tick()  # a new list only when an alert came, changed or went
        for screen in self.screen_stack[1:]:  # a ticket's detail ticks with the board
            if hasattr(screen, "tick"):
                screen.tick()
        if alerting is not self.alert_states or (self.ticks % ESCALATE_EVERY == 0
                                                 and self._sla_due()):
            self.alert_states = alerting
            self.escalate()

    def _sla_due(self) -> bool:
        """A periodic pass could find something new: the last one said nothing could change
        before `until` while the book stays as it is (services/sla_pass.py; a changed book
        runs a pass with its board)."""
        if self.sla_quiet is None:
            return True
        at, until = self.sla_quiet
        now = self.desk.now()
        return now < at or (until is not None and now >= until)

    def escalate(self) -> None:
        """Write new warnings, breaches and escalation steps to the duty log (each exactly
        once, whichever desk sees it first) and refresh whom to call."""
        from ..services.sla_pass import run_pass

        if getattr(self.desk.config, "sla", None) is None:
            return
        self.sla_passes += 1
        self.sla_quiet, number = None, self.sla_passes
        self.run_service(run_pass, self.desk, done=lambda done: self._escalated(done, number),
                         group="sla", exclusive=True)

    def _escalated(self, done: Any, number: int) -> None:
        from .sla_prompts import after_escalation

        if number == self.sla_passes:  # not an older pass answering late
            self.sla_quiet = (done.at, done.quiet_until)
        self.desk_screen.query_one("#alerts").set_calls(done.calls)  # type: ignore[attr-defined]
        after_escalation(self, done.notices)

    # ------------------------------------------------------------------ printing
    def print_pending(self) -> None:
        desk = self.desk

        def run() -> Any:
            from ..services import printing

            return printing.run_pending(desk)

        self.run_service(run, done=lambda _jobs: self.refresh_board(), group="print")

    def print_finished(self, view: Any) -> None:
        if view.state == "failed":
            self.say(_("Print job {id} failed: {error} (ctrl+r retries)").format(
                id=view.id, error=view.error), error=True)
        elif view.kind == "handover":
            self.say(_("Handover record {n} printed (job {id}).").format(n=view.subject,
                                                                         id=view.id))
        else:
            self.say(_("Work order {no} printed (job {id}).").format(no=view.subject,
                                                                     id=view.id))
        self.refresh_board()

    def cancel_print(self, job_id: int) -> None:
        from ..services.shifts import clerk_on_duty

        desk = self.desk

        def run() -> Any:
            from ..services import printing

            return printing.cancel_job(desk, job_id, clerk_on_duty(desk))

        self.run_service(run, done=lambda view: (self.say(
            _("Print job {id} cancelled.").format(id=view.id)), self.refresh_board()),
            group="print")

    def retry_print(self, job_id: int) -> None:
        from ..services.shifts import clerk_on_duty

        desk = self.desk

        def run() -> Any:
            from ..services import printing

            printing.retry_job(desk, job_id, clerk_on_duty(desk))
            return printing.run_job(desk, job_id)

        self.run_service(run, done=self.print_finished, group="print")


def freeze_start_up() -> None:
    """Move what start-up made (the libraries, the book's engine, the first board: about
    400,000 objects on a big book) out of the garbage collector's sight (gc.freeze, as the
    Python docs describe it). A full collection otherwise walks all of them, holding the
    interpreter 0.3-0.5 s every few reloads of the board: a key pressed then waits that long
    (issue 18). What is made later is collected as ever; a full collection walks only that."""
    import gc

    gc.freeze()


def _print_state(desk: Any) -> Any:
    """The print queue and the printer's state, for the panel."""
    from ..services import printing

    return printing.list_jobs(desk, limit=20), printing.printer_status(desk)


def run_desk(db: str | None = None, config: str | None = None) -> None:
    """`repairdesk` / `repairdesk demo`: open the desk on the terminal."""
    RepairDeskApp(db=db, config_path=config).run()
