"""Paid work and the owner's word on its fee (000 十A/B; 004): the owner's answer to the team
leader's assessed fee (or to the quote given on site), the quote in force, and what a paid job
still lacks before it is completed, returned or closed.

Read from the history like everything else: an OWNER_DECISION event answers the assessment
before it; a CHARGE carries the owner's agreement to its bill."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ..errors import ValidationError
from ..i18n import _
from .enums import Action, ServiceType
from .fees import Bill
from .ticket import TicketRecord

# the steps a paid job may not take before its charges and the owner's agreement are in
GUARDED = (Action.COMPLETE, Action.RETURN, Action.CLOSE)


@dataclass(frozen=True)
class Decision:
    """The owner's answer to a fee: agreed (the work goes on as paid work) or declined (the job
    ends unworked, with the reason)."""

    agreed: bool
    fee: Decimal | None
    reason: str
    at: datetime
    by: str


def _last(record: TicketRecord, action: Action) -> int:
    """Index of the last `action` in the history, -1 when there is none."""
    for i in range(len(record.events) - 1, -1, -1):
        if record.events[i].action is action:
            return i
    return -1


def latest_decision(record: TicketRecord) -> Decision | None:
    i = _last(record, Action.OWNER_DECISION)
    if i < 0:
        return None
    e = record.events[i]
    fee = e.data.get("fee")
    return Decision(e.data.get("agreed") is not False,
                    Decimal(str(fee)) if fee not in (None, "") else None,
                    str(e.data.get("reason", "")), e.at, e.by)


def awaiting_owner(record: TicketRecord) -> bool:
    """The team leader's assessment is in and the owner has not answered it yet."""
    assessed = _last(record, Action.ASSESS)
    return assessed >= 0 and max(_last(record, Action.OWNER_DECISION),
                                 _last(record, Action.CHARGE)) < assessed


def owner_agreed(record: TicketRecord) -> bool:
    """The owner agreed to the fee in force: an agreement (or agreed charges) after the latest
    assessment, and no refusal since."""
    decided = _last(record, Action.OWNER_DECISION)
    charged = _last(record, Action.CHARGE)
    if decided > charged:
        return record.events[decided].data.get("agreed") is not False
    if charged >= 0:
        return bool(record.events[charged].data.get("agreed"))
    return False


def quote_in_force(record: TicketRecord) -> Decimal | None:
    """The fee the owner was last told: the bill of the last CHARGE, the fee of the owner's
    answer, or the team leader's assessed fee, whichever came last; None before any."""
    for e in reversed(record.events):
        if e.action is Action.CHARGE:
            return Bill.from_data(e.data).total
        if e.action in (Action.OWNER_DECISION, Action.ASSESS) and e.data.get("fee") not in (
                None, ""):
            return Decimal(str(e.data["fee"]))
    return None


def paid_work_missing(record: TicketRecord) -> tuple[str, str] | None:
    """What a paid (or assessed) job lacks before it is completed, returned or closed, as
    (field, what is missing); None when nothing is (and for routine free work)."""
    kind = record.intake.service_type
    if kind is ServiceType.FREE:
        return None
    if kind is ServiceType.ASSESS:
        if _last(record, Action.ASSESS) < 0:
            return "assess", _("the team leader's fee assessment (g on the desk, "
                               "`ticket assess`)")
        if awaiting_owner(record) or not owner_agreed(record):
            return "agreed", _("the owner's agreement to the assessed fee (g on the desk, "
                               "`ticket owner-decision`)")
    i = _last(record, Action.CHARGE)
    if i < 0 or not Bill.from_data(record.events[i].data).lines:
        return "charge", _("its charges recorded (m on the desk, `ticket charge`)")
    if not owner_agreed(record):
        return "agreed", _("the owner's agreement to the quote (m on the desk, "
                           "`ticket charge --agreed`)")
    return None


def check_paid_work(record: TicketRecord, action: Action) -> None:
    """Refuse to complete, return or close paid work without its charges and the owner's
    agreement, with one line naming what is missing."""
    if action not in GUARDED:
        return
    missing = paid_work_missing(record)
    if missing is not None:
        field, what = missing
        raise ValidationError(_("Cannot {action} {no}: paid work needs {what} first.").format(
            action=action.label, no=record.ticket_no, what=what), field)
