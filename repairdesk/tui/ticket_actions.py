"""The lifecycle keys (d a o c r v x f k w t b y p) as one mixin, used by the main screen (on the
selected row) and by the ticket detail screen (on its ticket). Each asks what it must (a
technician, a reason, a result), then runs the same service function as the CLI in a worker.
The side keys g (assess), e (amend) and i (chase) come from tui/side_actions.py; the owner
calls v (callback) and j (apology for a late arrival) from tui/owner_calls.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..domain.enums import Scope, Status
from ..domain.ticket import needs_verification
from ..i18n import _
from .owner_calls import OwnerCallActions
from .screens.prompts import ConfirmPrompt, Field, FormPrompt, PickPrompt
from .side_actions import SideActions


def _by(desk: Any) -> str:
    from ..services.shifts import clerk_on_duty

    return clerk_on_duty(desk)


class TicketActions(OwnerCallActions, SideActions):
    """Needs `desk`, `current_ticket_no()`, `current_record()` and `changed(record, text)`."""

    desk: Any
    app: Any

    def current_ticket_no(self) -> str | None:  # pragma: no cover - overridden
        raise NotImplementedError

    def current_record(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def changed(self, record: Any, message: str) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    # ------------------------------------------------------------------ plumbing
    def _ticket(self) -> str | None:
        no = self.current_ticket_no()
        if no is None:
            self.app.say(_("No ticket selected."), error=True)
        return no

    def _step(self, no: str, call: Callable[[str], Any], message: str,
              after: Callable[[Any], None] | None = None) -> None:
        desk = self.desk

        def job() -> Any:
            return call(_by(desk))

        def done(record: Any) -> None:
            self.changed(record, message.replace("{no}", no))
            if after:
                after(record)

        self.app.run_service(job, done=done)

    # ------------------------------------------------------------------ keys
    def action_dispatch(self) -> None:
        from ..services import tickets as T
        from ..services.dispatching import dispatch_choices
        from .screens.dispatch import DispatchPicker

        no = self._ticket()
        if no is None:
            return
        desk = self.desk

        def ask(choices: Any) -> None:
            # best fit first and highlighted: handles the category, then the least loaded
            self.app.push_screen(
                DispatchPicker(choices),
                callback=lambda tech: tech and self._step(
                    no, lambda by: T.dispatch_ticket(desk, no, tech, by),
                    _("{no} dispatched to {tech}.").replace("{tech}", tech),
                    after=self._auto_print))

        self.app.run_service(dispatch_choices, desk, no, done=ask)

    def _auto_print(self, record: Any) -> None:
        """Dispatch may have queued the work order (printing.auto_on_dispatch): print it."""
        self.app.print_pending()

    def action_accept(self) -> None:
        from ..services import tickets as T

        no = self._ticket()
        if no:
            self._step(no, lambda by: T.accept_ticket(self.desk, no, by),
                       _("{no}: accepted by the technician."))

    def action_arrive(self) -> None:
        from ..services import tickets as T

        no = self._ticket()
        if no:
            self._step(no, lambda by: T.arrive_ticket(self.desk, no, by),
                       _("{no}: technician on site."))

    def action_return_order(self) -> None:
        from ..services import tickets as T

        no = self._ticket()
        if no:
            self._step(no, lambda by: T.return_ticket(self.desk, no, by),
                       _("{no}: work order returned to the desk."))

    def action_complete(self) -> None:
        from ..services import tickets as T

        no = self._ticket()
        if no is None:
            return
        self.app.push_screen(
            FormPrompt(_("Complete {no}").format(no=no),
                       [Field("result", _("Result"), _("what was done"))]),
            callback=lambda v: v and self._step(
                no, lambda by: T.complete_ticket(self.desk, no, v["result"], by),
                _("{no}: completed.")))

    def action_void(self) -> None:
        from ..services import tickets as T

        no = self._ticket()
        if no is None:
            return

        def confirmed(reason: str, yes: bool | None) -> None:
            if yes:
                self._step(no, lambda by: T.void_ticket(self.desk, no, reason, by),
                           _("{no}: voided."))

        def asked(v: dict[str, str] | None) -> None:
            # like k: only y goes ahead, so a stray x and Enter void nothing
            if v:
                self.app.push_screen(ConfirmPrompt(
                    _("Void {no}?").format(no=no),
                    _("Reason: {reason}. The ticket leaves the open work; its number and "
                      "record stay in the book.").format(reason=v["reason"])),
                    callback=lambda yes: confirmed(v["reason"], yes))

        self.app.push_screen(
            FormPrompt(_("Void {no}: the number and record stay in the book").format(no=no),
                       [Field("reason", _("Reason"))]), callback=asked)

    def action_follow_up(self) -> None:
        from ..services import tickets as T

        no = self._ticket()
        if no is None:
            return
        self.app.push_screen(
            FormPrompt(_("Follow-up note for {no}").format(no=no),
                       [Field("note", _("Progress"), _("time, contact and progress"))]),
            callback=lambda v: v and self._step(
                no, lambda by: T.follow_up_ticket(self.desk, no, v["note"], by),
                _("{no}: follow-up note added.")))

    def action_charge(self) -> None:
        """特约服务: the paid items and parts of a job, with the owner's agreement (004)."""
        from ..services import fees

        no = self._ticket()
        if no is None:
            return
        desk = self.desk
        record_now = self.current_record()
        if record_now is not None and record_now.intake.service_type.value == "free":
            self._materials(no, record_now)
            return
        keys = " ".join(i.key for i in desk.config.fees.items if i.kind.value == "service")

        def record(v: dict[str, str] | None) -> None:
            if not v:
                return

            def job(by: str) -> Any:
                now = desk.now()
                items = [fees.parse_item(desk, t, now) for t in v["items"].split()]
                parts = [fees.parse_material(t) for t in v["parts"].split()]
                return fees.charge_ticket(desk, no, items, parts, v["agreed"] == "yes", by)

            def done(record: Any) -> None:
                from ..fmt import money

                bill = fees.latest_bill(record)
                total = money(bill.total) if bill else "-"
                self.changed(record, _("{no}: charges recorded, total {total}.").format(
                    no=no, total=total))

            self.app.run_service(lambda: job(_by(desk)), done=done)

        self.app.push_screen(FormPrompt(
            _("Charges for {no} (fee schedule: repairdesk fees)").format(no=no),
            [Field("items", _("Items"), _("KEY=QTY separated by spaces: {keys}").format(
                keys=keys), required=False),
             Field("parts", _("Parts"), _("NAME=PRICE or NAME=PRICExQTY, purchase price"),
                   required=False)],
            choice=("agreed", _("Owner agreed to the quote"),
                    [("yes", _("yes")), ("no", _("no"))])), callback=record)

    def _materials(self, no: str, record: Any) -> None:
        """A free job's parts (日常维修: no charge): recorded for the month's materials used.
        Before the work is on site the lifecycle's one line says so before anything is typed
        (the service refuses it anyway)."""
        from ..domain.enums import Action
        from ..domain.ticket import check_step
        from ..errors import RepairdeskError
        from ..services import fees
        from ..services.desk_steps import record_materials

        try:
            check_step(record.state, Action.MATERIALS, record.intake.scope, {})
        except RepairdeskError as exc:
            self.app.say(str(exc), error=True)
            return
        desk = self.desk

        def record(v: dict[str, str] | None) -> None:
            if v:
                self._step(no, lambda by: record_materials(
                    desk, no, [fees.parse_material(t) for t in v["parts"].split()], by,
                    note=v.get("note", "")), _("{no}: parts used recorded (no charge)."))

        self.app.push_screen(FormPrompt(
            _("Parts used on {no} (a free job: no charge)").format(no=no),
            [Field("parts", _("Parts"), _("NAME=PRICE or NAME=PRICExQTY, purchase price")),
             Field("note", _("Note"), _("optional"), required=False)]), callback=record)

    def action_follow_up_agree(self) -> None:
        """The clerk agrees to the 转协调单 the SLA engine offers for a late completion."""
        from ..services.sla import convert_to_follow_up

        no = self._ticket()
        if no:
            self._step(no, lambda by: convert_to_follow_up(self.desk, no, by),
                       _("{no}: turned into a follow-up order."))

    def action_close_ticket(self) -> None:
        from ..services import tickets as T

        no = self._ticket()
        record = self.current_record()
        if no is None or record is None:
            return
        if needs_verification(record):
            options = [("yes", _("Verified on site: close it")), ("no", _("Not yet"))]
            title = (_("A public-area job is closed only after the clerk has verified it.")
                     if record.intake.scope is Scope.PUBLIC else
                     _("A vacant-unit job is closed only after the clerk has verified it."))

            def picked(answer: str | None) -> None:
                if answer == "yes":
                    self._step(no, lambda by: T.close_ticket(self.desk, no, by, verified=True),
                               _("{no}: closed."))

            self.app.push_screen(PickPrompt(title, options), callback=picked)
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._step(no, lambda by: T.close_ticket(self.desk, no, by), _("{no}: closed."))

        self.app.push_screen(ConfirmPrompt(
            _("Close {no}?").format(no=no),
            _("Closing archives the ticket: it leaves the open work for good.")),
            callback=confirmed)

    def action_notified(self) -> None:
        """b: the technician was told to collect the work order (000 三); a desk step."""
        from ..services.desk_steps import notify_ticket

        no = self._ticket()
        if no:
            self._step(no, lambda by: notify_ticket(self.desk, no, by),
                       _("{no}: technician told to collect the work order."))

    def action_follow_up_check(self) -> None:
        """y: the team leader's or the supervisor's check of a follow-up (004); the
        supervisor signs with the PIN."""
        from ..services.desk_steps import check_follow_up

        no = self._ticket()
        if no is None:
            return
        options = [("leader", _("team leader")), ("supervisor", _("supervisor (PIN)"))]
        self.app.push_screen(
            FormPrompt(_("Follow-up check of {no}").format(no=no),
                       [Field("signer", _("Checked by")),
                        Field("pin", _("PIN (supervisor)"), password=True, required=False),
                        Field("comment", _("Comment"), required=False)],
                       choice=("level", _("Check"), options)),
            callback=lambda v: v and self._step(
                no, lambda by: check_follow_up(self.desk, no, v["level"], v["signer"], by,
                                               pin=v["pin"], comment=v["comment"]),
                _("{no}: follow-up check recorded.")))

    def action_pause(self) -> None:
        from ..services import tickets as T

        no = self._ticket()
        record = self.current_record()
        if no is None or record is None:
            return
        if record.status is Status.PAUSED:
            self._step(no, lambda by: T.resume_ticket(self.desk, no, by), _("{no}: resumed."))
            return
        self.app.push_screen(
            FormPrompt(_("Pause {no} (waiting for parts or the owner)").format(no=no),
                       [Field("reason", _("Reason"))]),
            callback=lambda v: v and self._step(
                no, lambda by: T.pause_ticket(self.desk, no, v["reason"], by),
                _("{no}: paused.")))

    def action_reschedule(self) -> None:
        from ..services import tickets as T

        no = self._ticket()
        if no is None:
            return
        self.app.push_screen(
            FormPrompt(_("Reschedule {no}").format(no=no),
                       [Field("to", _("New time"), _("e.g. tomorrow 9:00")),
                        Field("reason", _("Reason"))]),
            callback=lambda v: v and self._step(
                no, lambda by: T.reschedule_ticket(self.desk, no, v["to"], v["reason"], by),
                _("{no}: rescheduled.")))

    def action_print_order(self) -> None:
        no = self._ticket()
        if no is None:
            return
        desk = self.desk

        def job() -> Any:
            from ..services import printing

            view = printing.queue_work_order(desk, no, _by(desk))
            return printing.run_job(desk, view.id)

        def done(view: Any) -> None:
            self.app.print_finished(view)

        self.app.run_service(job, done=done)
