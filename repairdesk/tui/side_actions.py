"""The desk's side keys on a ticket: g (the team leader's fee assessment, then the owner's
answer: agree, or decline and the job ends), e (amend the details with a reason) and i (chase
the technician or team leader, or take down the technician's report). A mixin of
TicketActions (tui/ticket_actions.py), so the main screen and the ticket detail both have
them; each runs the same service function as the CLI in a worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..domain.enums import Role, ServiceType
from ..i18n import _
from .screens.prompts import ConfirmPrompt, Field, FormPrompt


def _by(desk: Any) -> str:
    from ..services.shifts import clerk_on_duty

    return clerk_on_duty(desk)


class SideActions:
    """Needs what TicketActions gives: `desk`, `app`, `_ticket()`, `_step()` and
    `changed()`."""

    desk: Any
    app: Any

    def _ticket(self) -> str | None:  # pragma: no cover - TicketActions
        raise NotImplementedError

    def _step(self, no: str, call: Callable[[str], Any], message: str,
              after: Callable[[Any], None] | None = None) -> None:  # pragma: no cover
        raise NotImplementedError

    def _fresh(self, no: str, then: Callable[[Any], None]) -> None:
        """The ticket as the book has it now (not as the board last showed it), then `then`."""
        from ..services.tickets import get_ticket

        desk = self.desk
        self.app.run_service(lambda: get_ticket(desk, no), done=then)

    # ------------------------------------------------------------------ g: assess
    def action_assess(self) -> None:
        """An out-of-scope job: the assessment first; once it is in, the owner's answer. Paid
        work quoted on site: the owner's answer to the quote (000 十B)."""
        from ..domain.paid_work import awaiting_owner

        no = self._ticket()
        if no is None:
            return

        def ask(record: Any) -> None:
            kind = record.intake.service_type
            if kind is ServiceType.FREE:
                self.app.say(_("{no} is routine (free) work: nothing to assess. If it turns "
                               "out to be paid work, amend its service type first (e).")
                             .format(no=no), error=True)
            elif kind is ServiceType.ASSESS and not awaiting_owner(record):
                self._ask_assessment(no, record)
            else:
                self._ask_decision(no, record)

        self._fresh(no, ask)

    def _ask_assessment(self, no: str, record: Any) -> None:
        from ..services import fees
        from ..services.staff import list_staff

        desk = self.desk

        def form(staff: list[Any]) -> None:
            leaders = [s.name for s in staff if s.role is Role.TEAM_LEADER]
            sent = record.state.technician
            default = sent if sent in leaders else (leaders[0] if leaders else "")

            def done(v: dict[str, str] | None) -> None:
                if not v:
                    return
                leader = v["leader"].strip() or default
                self._step(no, lambda by: fees.assess_ticket(
                    desk, no, v["fee"], leader, by, feasible=v["feasible"] == "yes"),
                    _("{no}: fee assessed; ask the owner and record the answer (g)."))

            self.app.push_screen(FormPrompt(
                _("Fee assessment of {no} (within 5 minutes of the order being taken)")
                .format(no=no),
                [Field("fee", _("Fee"), _("yuan, e.g. 80")),
                 Field("leader", _("Assessed by"),
                       default or _("the team leader's name"), required=not default)],
                choice=("feasible", _("Can it be done?"),
                        [("yes", _("feasible")), ("no", _("not feasible"))])), callback=done)

        self.app.run_service(lambda: list_staff(desk, active_only=True), done=form)

    def _ask_decision(self, no: str, record: Any) -> None:
        from .. import fmt
        from ..domain.paid_work import quote_in_force
        from ..services import fees

        desk = self.desk
        quoted = quote_in_force(record)
        paid = record.intake.service_type is ServiceType.PAID
        fields = [Field("reason", _("Reason / note"),
                        _("why the owner declined (required to decline)"), required=False)]
        if paid:
            fields.insert(0, Field("fee", _("Fee quoted"),
                                   fmt.money(quoted) if quoted is not None else _("yuan"),
                                   required=quoted is None))
        fee_text = fmt.money(quoted) if quoted is not None else _("the quote")

        def record_answer(v: dict[str, str]) -> None:
            agreed = v["answer"] == "agree"
            fee = v.get("fee", "").strip() or None
            message = (_("{no}: the owner agreed; the job goes on as paid work.") if agreed
                       else _("{no}: the owner declined; closed without work."))
            self._step(no, lambda by: fees.decide_ticket(
                desk, no, agreed, by, reason=v["reason"], fee=fee), message)

        def answered(v: dict[str, str] | None) -> None:
            if not v:
                return
            if v["answer"] == "agree":
                record_answer(v)
                return
            if not v["reason"].strip():
                self.app.say(_("{field} is required.").format(field=_("Reason / note")),
                             error=True)
                return
            # declining ends the job: asked first, like void and close
            self.app.push_screen(ConfirmPrompt(
                _("Close {no} as declined?").format(no=no),
                _("Reason: {reason}. The job ends without work and leaves the open work; "
                  "it is not counted as late.").format(reason=v["reason"].strip())),
                callback=lambda yes: yes and record_answer(v))

        self.app.push_screen(FormPrompt(
            _("The owner's answer to {fee} for {no}").format(fee=fee_text, no=no), fields,
            choice=("answer", _("Owner"),
                    [("agree", _("agreed: go on as paid work")),
                     ("decline", _("declined: the job ends without work"))])),
            callback=answered)

    # ------------------------------------------------------------------ e: amend
    def action_amend(self) -> None:
        from .screens.amend import AmendScreen

        no = self._ticket()
        if no is None:
            return
        desk = self.desk

        def saved(record: Any) -> None:
            if record is not None:
                self.changed(record, _("{no}: details amended; the old values stay in the "
                                       "history.").format(no=no))

        def open_form(found: Any) -> None:
            record, clerk = found
            if not record.is_open:
                self.app.say(_("{no} is {status}: its details are no longer amended.").format(
                    no=no, status=record.status.label), error=True)
                return
            self.app.push_screen(AmendScreen(desk, record, clerk), callback=saved)

        def job() -> Any:
            from ..services.tickets import get_ticket

            return get_ticket(desk, no), _by(desk)

        self.app.run_service(job, done=open_form)

    # ------------------------------------------------------------------ i: chase
    def action_chase(self) -> None:
        from ..services import chases

        no = self._ticket()
        if no is None:
            return
        desk = self.desk

        def ask(record: Any) -> None:
            sent = record.state.technician

            def done(v: dict[str, str] | None) -> None:
                if not v:
                    return
                who = v["whom"].strip()
                if v["kind"] == "reported":
                    self._step(no, lambda by: chases.report_ticket(
                        desk, no, v["note"], by, technician=who),
                        _("{no}: the technician's report is recorded."))
                else:
                    self._step(no, lambda by: chases.chase_ticket(
                        desk, no, v["note"], by, whom=who),
                        _("{no}: chase recorded."))

            self.app.push_screen(FormPrompt(
                _("Chase {no}").format(no=no),
                [Field("whom", _("Whom"), sent or _("the team leader's name"),
                       required=not sent),
                 Field("note", _("Note"), _("what was said"))],
                choice=("kind", _("What happened"),
                        [("chased", _("chased: no word from him yet")),
                         ("reported", _("the technician reported"))])), callback=done)

        self._fresh(no, ask)

    def changed(self, record: Any, message: str) -> None:  # pragma: no cover - TicketActions
        raise NotImplementedError
