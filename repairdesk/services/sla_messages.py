"""What an SLA notice says, as a message kept in the book (stored_text.py): the duty-log entry
keeps its text as written, and its data the message, so the duty log reads in the language of
whoever reads it. The alert strip's 'what to do' is the same message, shown at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..domain.sla_rules import CALLEE_LABELS, CLOCK_LABELS, Callee, ClockName, Level
from ..domain.timeparse import fmt_local
from ..i18n import N_
from ..stored_text import StoredMessage, message

if TYPE_CHECKING:
    from ..domain.sla import SlaClock
    from ..domain.sla_results import Reached
    from ..domain.ticket import TicketRecord


@dataclass(frozen=True)
class Contact:
    """The person to call: a staff member from the roster, or the owner (phone masked).
    (Here rather than in services/sla.py, which builds the messages from it: no circle.)"""

    name: str
    role: Callee
    phone: str

    @property
    def who(self) -> str:
        """'team leader 周班长 13700000021' (role label, name, phone)."""
        return " ".join(p for p in (self.role.label, self.name, self.phone) if p)


def _role(callee: Callee) -> StoredMessage:
    return message(CALLEE_LABELS[callee])


def who_message(call: Contact) -> StoredMessage:
    """'team leader 周班长 13700000021' (role, name, phone)."""
    if call.phone:
        return message(N_("{role} {name} {phone}"), role=_role(call.role), name=call.name,
                       phone=call.phone)
    return message(N_("{role} {name}"), role=_role(call.role), name=call.name)


def action_message(clock: ClockName, level: Level, callee: Callee, call: Contact | None,
                   follow_up: bool = False) -> StoredMessage:
    """What the clerk does now."""
    if callee is Callee.CLERK:
        if clock is ClockName.DISPATCH:
            return message(N_("Dispatch it now"))
        return message(N_("Chase it now"))
    if call is None:
        return message(N_("Call {role}: nobody on the roster"), role=_role(callee))
    who = who_message(call)
    if clock is ClockName.COMPLETE and level is not Level.WARNING and not follow_up:
        return message(N_("Turn it into a follow-up and report to {who}"), who=who)
    if callee is Callee.OWNER and clock is ClockName.ARRIVE:
        return message(N_("Call {who}: apologise and give a new arrival time"), who=who)
    if callee is Callee.OWNER and clock is ClockName.CALLBACK:
        return message(N_("Call back {who}"), who=who)
    return message(N_("Call {who}"), who=who)


def log_message(record: TicketRecord, clock: SlaClock, step: Reached, action: StoredMessage,
                tz: object) -> StoredMessage:
    """The duty-log entry of a warning, a breach or an escalation step."""
    args = dict(no=record.ticket_no, clock=message(CLOCK_LABELS[clock.name]),
                due=fmt_local(clock.due_at, tz), action=action)
    if step.level is Level.WARNING:
        return message(N_("{no} {clock} clock warning: due {due}. {action}"), **args)
    if step.level is Level.BREACH:
        return message(N_("{no} {clock} clock breached: was due {due}. {action}"), **args)
    minutes = int(max(0.0, (step.at - (clock.due_at or step.at)).total_seconds()) // 60)
    return message(N_("{no} {clock} clock {minutes} min overdue: escalated to {role}. {action}"),
                   minutes=minutes, role=_role(step.callee), **args)
