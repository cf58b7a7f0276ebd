"""What the SLA clocks need from a ticket's history, read in one pass over its events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .enums import Action, ServiceType
from .sla_time import merged
from .ticket import TicketRecord

# the technician's first word, which stops the feedback clock (000 3.1.8): he signs for the
# order, is on site, or reports the job done; or the desk records a report from him (a note
# or follow-up entry whose data says technician_report)
FEEDBACK_STEPS = frozenset({Action.ACCEPT, Action.ARRIVE, Action.COMPLETE})


def is_technician_word(action: Action, data: dict) -> bool:
    return action in FEEDBACK_STEPS or (
        action in (Action.NOTE, Action.FOLLOW_UP) and bool(data.get("technician_report")))


@dataclass
class Scan:
    """What the clocks need from the events up to `now`, in one pass."""

    received: datetime
    cycle: int = 0
    cycle_start: datetime | None = None
    first_dispatch: datetime | None = None
    accept_start: datetime | None = None
    accept_stop: datetime | None = None
    accept_old: list[datetime] = field(default_factory=list)
    arrive_stop: datetime | None = None
    complete_stop: datetime | None = None
    callback_stop: datetime | None = None
    appointments: list[datetime] = field(default_factory=list)
    registered_appointment: bool = False
    feedback: list[datetime] = field(default_factory=list)  # [start] of this cycle's clock
    feedback_stop: datetime | None = None
    taken_at: datetime | None = None          # first accept/arrive ever (fee assessment)
    assess_marked: datetime | None = None     # marked "needs assessment" by an amendment
    assess_on_site: bool = False
    assess_stop: datetime | None = None
    was_assess: bool = False                  # needed an assessment at some point
    assess_left: datetime | None = None       # amended away from "needs assessment" then
    pauses: list[list] = field(default_factory=list)
    # the owner deciding on an assessed fee (000 十A): from the assessment until the owner's
    # answer (or a step that shows the work goes on); not counted, like a 待料 pause
    deciding: list[list] = field(default_factory=list)
    declined: datetime | None = None          # the owner declined: the job ended unworked
    waits: list[list] = field(default_factory=list)  # waiting for an appointment (feedback)
    voided: bool = False

    def wait_for(self, since: datetime, appointment: datetime) -> None:
        if self.waits and (self.waits[-1][1] > since):
            self.waits[-1][1] = since
        self.appointments.append(appointment)
        if appointment > since:
            self.waits.append([since, appointment])

    def arrived(self, at: datetime) -> None:
        if self.waits and self.waits[-1][1] > at:
            self.waits[-1][1] = at

    def decided(self, at: datetime) -> None:
        """The owner's wait for a decision ends (an answer, or the work going on)."""
        if self.deciding and self.deciding[-1][1] is None:
            self.deciding[-1][1] = at


# steps that show the owner's answer to an assessed fee is in: the work goes on
_GOES_ON = frozenset({Action.DISPATCH, Action.ACCEPT, Action.ARRIVE, Action.COMPLETE,
                      Action.CHARGE, Action.VOID, Action.OWNER_DECISION})


def _first_service_type(record: TicketRecord) -> str:
    """The service type the ticket was registered with: the value an amendment replaced,
    else the current one."""
    for e in record.events:
        if e.action is Action.AMEND and isinstance(e.data, dict):
            if "service_type" in (e.data.get("changes") or {}):
                prev = (e.data.get("previous") or {}).get("service_type")
                if prev is not None:
                    return str(prev)
                break
    return record.intake.service_type.value


def scan(record: TicketRecord, now: datetime) -> Scan:
    s = Scan(received=record.intake.received_at, cycle_start=record.intake.received_at)
    assessing = _first_service_type(record) == ServiceType.ASSESS.value
    s.was_assess = assessing
    for e in record.events:
        if e.at > now:
            continue
        a, at = e.action, e.at
        if a is Action.REGISTER:
            appt = e.data.get("intake", {}).get("appointment_at")
            if isinstance(appt, datetime):
                s.wait_for(at, appt)
                s.registered_appointment = True
        elif a is Action.DISPATCH:
            if s.first_dispatch is None:
                s.first_dispatch = at
            if s.accept_start is None:
                s.accept_start = at
            elif s.accept_stop is not None and s.arrive_stop is None:
                s.accept_old.append(s.accept_start)  # a new technician must sign again
                s.accept_start, s.accept_stop = at, None
        elif a in (Action.ACCEPT, Action.ARRIVE):
            if s.accept_start is not None and s.accept_stop is None:
                s.accept_stop = at
            if s.taken_at is None:
                s.taken_at = at
            if a is Action.ARRIVE and s.arrive_stop is None:
                s.arrive_stop = at
                s.arrived(at)
        elif a is Action.COMPLETE:
            if s.complete_stop is None:
                s.complete_stop = at
            if s.assess_stop is None:
                s.assess_stop = at
        elif a is Action.CALLBACK:
            if s.complete_stop is not None and s.callback_stop is None:
                s.callback_stop = at
        elif a is Action.REWORK:
            s.cycle += 1
            s.cycle_start = s.accept_start = at
            s.accept_stop = s.arrive_stop = s.complete_stop = s.callback_stop = None
            s.accept_old, s.appointments, s.registered_appointment = [], [], False
            s.arrived(at)
            s.feedback, s.feedback_stop = [at], None
            continue
        elif a is Action.RESCHEDULE:
            when = e.data.get("appointment_at")
            if isinstance(when, datetime):
                s.wait_for(at, when)
        elif a is Action.PAUSE:
            s.pauses.append([at, None])
        elif a is Action.RESUME:
            if s.pauses and s.pauses[-1][1] is None:
                s.pauses[-1][1] = at
        elif a is Action.ASSESS:
            if s.assess_stop is None:
                s.assess_stop = at
            if not s.deciding or s.deciding[-1][1] is not None:
                s.deciding.append([at, None])
        elif a is Action.OWNER_DECISION:
            if e.data.get("agreed") is False:
                s.declined = at
        elif a is Action.AMEND:
            changes = e.data.get("changes", {})
            if "service_type" in changes:
                s.decided(at)
                if str(changes["service_type"]) == ServiceType.ASSESS.value:
                    s.assess_marked, s.assess_on_site = at, s.arrive_stop is not None
                    assessing, s.was_assess, s.assess_left = True, True, None
                elif assessing:
                    assessing, s.assess_left = False, at
            if isinstance(changes.get("appointment_at"), datetime):
                s.wait_for(at, changes["appointment_at"])
        elif a is Action.VOID:
            s.voided = True
        if a in _GOES_ON:
            s.decided(at)
        if a is Action.DISPATCH and not s.feedback:
            s.feedback = [at]
        elif (s.feedback and s.feedback_stop is None
              and is_technician_word(a, e.data if isinstance(e.data, dict) else {})):
            s.feedback_stop = at
    if not s.appointments and record.intake.appointment_at and s.cycle == 0 and not any(
            e.action is Action.REGISTER for e in record.events):  # a record without its intake step
        s.wait_for(s.received, record.intake.appointment_at)
        s.registered_appointment = True
    if s.deciding:
        s.pauses = merged([list(p) for p in s.pauses + s.deciding])
    return s
