"""The desk's own call dialogs (v callback, j apology for a late arrival): the clerk holding the
desk sees the owner's full number there, and the duty log records that it was shown
(services/privacy.py, domain.md "Privacy"); everywhere else the number stays masked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..domain.enums import CallbackOutcome
from ..domain.validation import mask_phone
from ..i18n import _
from .screens.prompts import Field, FormPrompt


def _by(desk: Any) -> str:
    from ..services.shifts import clerk_on_duty

    return clerk_on_duty(desk)


def owner_line(record: Any, phone: str) -> str:
    """'Owner 王先生 13812345678 (shown to you; the duty log records it)'."""
    intake = record.intake
    if not intake.phone:
        return _("Owner {caller}: no phone number on the ticket").format(caller=intake.caller)
    if phone:
        return _("Owner {caller} {phone} (shown to the desk; the duty log records it)").format(
            caller=intake.caller, phone=phone)
    return _("Owner {caller} {phone}").format(caller=intake.caller, phone=mask_phone(intake.phone))


class OwnerCallActions:
    """Needs `desk`, `app`, `_ticket()`, `current_record()` and `_step(...)` (TicketActions)."""

    desk: Any
    app: Any

    def _with_owner_number(self, why: str, ask: Callable[[Any, str], None]) -> None:
        """Fetch the owner's number for the call dialog (logged), then `ask(record, phone)`;
        a refusal (not the holder) says why and asks with the number masked."""
        from ..services.privacy import CallReason, phone_for_call

        no = self._ticket()  # type: ignore[attr-defined]
        record = self.current_record()  # type: ignore[attr-defined]
        if no is None or record is None:
            return
        if not record.intake.phone:
            ask(record, "")
            return

        def failed(exc: Exception) -> None:
            self.app.say(str(exc), error=True)
            ask(record, "")

        self.app.run_service(phone_for_call, self.desk, no, _by(self.desk), CallReason(why),
                             done=lambda phone: ask(record, phone), failed=failed)

    def action_callback(self) -> None:
        """回访: the owner's number, then how the call ended (satisfied, rework, no answer with
        a retry time, refused)."""
        from ..services import tickets as T

        def ask(record: Any, phone: str) -> None:
            no = record.ticket_no
            options = [(o.value, o.label) for o in CallbackOutcome]
            said = {CallbackOutcome.NO_ANSWER.value: _("{no}: no answer; ring again later."),
                    CallbackOutcome.REFUSED.value: _("{no}: the owner declined the callback.")}

            def record_it(v: dict[str, str] | None, retry: str = "") -> None:
                if not v:
                    return
                outcome = CallbackOutcome(v["outcome"])
                self._step(no, lambda by: T.callback_ticket(  # type: ignore[attr-defined]
                    self.desk, no, outcome, by, note=v["note"], retry=retry or None),
                    said.get(outcome.value, _("{no}: called back.")))

            def answered(v: dict[str, str] | None) -> None:
                if not v or v["outcome"] != CallbackOutcome.NO_ANSWER.value:
                    record_it(v)
                    return
                # no answer: when to ring again (the callback clock keeps running)
                self.app.push_screen(FormPrompt(
                    _("No answer: {no}").format(no=no),
                    [Field("retry", _("Ring again at"), _("e.g. 21:30, tomorrow 9:00"))]),
                    callback=lambda r: r and record_it(v, r["retry"]))

            self.app.push_screen(FormPrompt(
                _("Callback {no}").format(no=no),
                [Field("note", _("Note"), _("what the owner said"), required=False)],
                choice=("outcome", _("Owner"), options), intro=owner_line(record, phone)),
                callback=answered)

        self._with_owner_number("callback", ask)

    def action_apology(self) -> None:
        """The technician is late: call the owner, apologise and agree a new arrival time."""
        from ..services.ticket_steps import apologise_late_arrival

        def ask(record: Any, phone: str) -> None:
            no = record.ticket_no
            self.app.push_screen(FormPrompt(
                _("Apologise for the late arrival: {no}").format(no=no),
                [Field("to", _("New arrival time"), _("e.g. 21:30, tomorrow 9:00")),
                 Field("note", _("Note"), _("what the owner said"), required=False)],
                intro=owner_line(record, phone)),
                callback=lambda v: v and self._step(  # type: ignore[attr-defined]
                    no, lambda by: apologise_late_arrival(self.desk, no, v["to"], by,
                                                          note=v["note"]),
                    _("{no}: apology made; new arrival time agreed.")))

        self._with_owner_number("apology", ask)
