"""A ticket is its intake record plus an append-only list of events; the state is a fold."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from dataclasses import fields as fields_of
from datetime import datetime
from typing import Any

from ..errors import IllegalTransition, ValidationError
from ..i18n import _
from .enums import Action, Channel, Scope, ServiceType, Status, Urgency

OPEN_WORK = (Status.REGISTERED, Status.DISPATCHED, Status.ACCEPTED, Status.ON_SITE, Status.PAUSED)

# Which steps each state allows. NOTE is allowed everywhere and is not listed.
ALLOWED: dict[Action, frozenset[Status]] = {
    Action.DISPATCH: frozenset({Status.REGISTERED, Status.DISPATCHED, Status.ACCEPTED}),
    Action.ACCEPT: frozenset({Status.DISPATCHED}),
    Action.ARRIVE: frozenset({Status.DISPATCHED, Status.ACCEPTED}),
    Action.COMPLETE: frozenset({Status.ON_SITE}),
    Action.RETURN: frozenset({Status.COMPLETED}),
    Action.CALLBACK: frozenset({Status.RETURNED}),
    Action.CALLBACK_NO_ANSWER: frozenset({Status.RETURNED}),
    Action.REWORK: frozenset({Status.CALLBACK}),
    Action.CLOSE: frozenset({Status.CALLBACK}),
    Action.RESCHEDULE: frozenset({Status.REGISTERED, Status.DISPATCHED, Status.ACCEPTED}),
    Action.PAUSE: frozenset(
        {Status.REGISTERED, Status.DISPATCHED, Status.ACCEPTED, Status.ON_SITE}
    ),
    Action.RESUME: frozenset({Status.PAUSED}),
    Action.FOLLOW_UP: frozenset(
        {s for s in Status if s not in (Status.CLOSED, Status.VOIDED)}
    ),
    Action.AMEND: frozenset({s for s in Status if s not in (Status.CLOSED, Status.VOIDED)}),
    Action.VOID: frozenset(OPEN_WORK),
    # team leader's fee/feasibility assessment of an out-of-scope item (000 十A, 003 5.3)
    Action.ASSESS: frozenset(
        {Status.REGISTERED, Status.DISPATCHED, Status.ACCEPTED, Status.ON_SITE}
    ),
    # the owner agrees to the assessed (or quoted) fee, or declines and the job ends unworked
    # (000 十A/B)
    Action.OWNER_DECISION: frozenset(
        {Status.REGISTERED, Status.DISPATCHED, Status.ACCEPTED, Status.ON_SITE}
    ),
    # paid items, materials and the owner's agreement, recorded on site, at completion or when
    # the order comes back (004); a paid job is not returned or closed without them
    Action.CHARGE: frozenset({Status.ON_SITE, Status.COMPLETED, Status.RETURNED,
                              Status.CALLBACK}),
    # the desk told the technician to collect the work order (000 三): after the dispatch
    Action.NOTIFY: frozenset({Status.DISPATCHED, Status.ACCEPTED}),
    # the team leader's or supervisor's check of a follow-up (004); only on a follow-up
    Action.FOLLOW_UP_CHECK: frozenset({s for s in Status if s is not Status.VOIDED}),
    # parts used on a free job, recorded without charge (003 5.5; the month's materials used)
    Action.MATERIALS: frozenset({Status.ON_SITE, Status.COMPLETED, Status.RETURNED}),
}

# Steps shown to the clerk as "what comes next", in lifecycle order.
NEXT_STEP: dict[Status, Action] = {
    Status.REGISTERED: Action.DISPATCH,
    Status.DISPATCHED: Action.ACCEPT,
    Status.ACCEPTED: Action.ARRIVE,
    Status.ON_SITE: Action.COMPLETE,
    Status.COMPLETED: Action.RETURN,
    Status.RETURNED: Action.CALLBACK,
    Status.CALLBACK: Action.CLOSE,
    Status.PAUSED: Action.RESUME,
}

_TARGET: dict[Action, Status] = {
    Action.DISPATCH: Status.DISPATCHED,
    Action.ACCEPT: Status.ACCEPTED,
    Action.ARRIVE: Status.ON_SITE,
    Action.COMPLETE: Status.COMPLETED,
    Action.RETURN: Status.RETURNED,
    Action.CALLBACK: Status.CALLBACK,
    Action.REWORK: Status.DISPATCHED,
    Action.CLOSE: Status.CLOSED,
    Action.PAUSE: Status.PAUSED,
    Action.VOID: Status.VOIDED,
}

AMENDABLE = ("room", "caller", "phone", "content", "category", "scope", "service_type",
             "owner_parts", "urgency")


class FrozenData(dict):
    """Event data that refuses changes: a dict to every reader (isinstance, get, json.dumps,
    dict(...)), but no step can change it in place. EMPTY_DATA is the one shared by every step
    without data in the desk's records (issue 18: most arrive, accept, complete steps), so a
    change through one record would reach every other one: it raises instead."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("event data is read-only: copy it (dict(data)) to change it")

    __setitem__ = __delitem__ = __ior__ = _refuse  # type: ignore[assignment]
    clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def __reduce__(self) -> Any:  # copy and pickle build it whole, not key by key
        return (FrozenData, (dict(self),))

    def copy(self) -> dict[str, Any]:  # type: ignore[override]
        return dict(self)


EMPTY_DATA: dict[str, Any] = FrozenData()


# slots (issue 18): the desk holds thousands of these on its board; no __dict__, no weakrefs
@dataclass(frozen=True, slots=True)
class Event:
    """One step in a ticket's history. `data` holds the step's structured details."""

    at: datetime
    action: Action
    by: str
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    seq: int = 0


@dataclass(frozen=True, slots=True)
class Intake:
    """What the clerk types while the owner is on the phone."""

    received_at: datetime
    room: str
    caller: str
    content: str
    phone: str = ""
    scope: Scope = Scope.HOME
    category: str = ""
    urgency: Urgency = Urgency.NORMAL
    appointment_at: datetime | None = None
    channel: Channel = Channel.PHONE
    service_type: ServiceType = ServiceType.FREE
    owner_parts: bool = False
    verify_code: str = ""
    vacant: bool = False  # 空房: nobody lives there; closed only after verification (003 4.8(3))

    @property
    def building(self) -> str:
        """The building of an in-home room (3-2-1501 → 3); '' for public places."""
        return self.room.split("-")[0] if self.scope is Scope.HOME else ""


@dataclass(frozen=True, slots=True)
class TicketState:
    """Everything that follows from the events; never stored on its own as truth."""

    status: Status = Status.REGISTERED
    technician: str = ""
    appointment_at: datetime | None = None
    follow_up: bool = False
    rework_count: int = 0
    paused_from: Status | None = None
    verified: bool = False
    vacant: bool = False
    satisfied: bool | None = None  # None: not called back yet, or the owner declined to say
    callback_retry_at: datetime | None = None  # no answer at the callback: ring again then
    owner_agreed: bool | None = None  # the owner's answer to the fee; False: declined, closed
    fields: dict[str, Any] = field(default_factory=dict)
    step_at: dict[Action, datetime] = field(default_factory=dict)


_STATE_FIELDS = tuple(f.name for f in fields_of(TicketState))


class _Folding:
    """A state being folded: its fields, changed in place step by step (fold makes no state
    object per event: the desk folds thousands of histories on every reload)."""

    __slots__ = _STATE_FIELDS


def apply(state: TicketState, event: Event) -> TicketState:
    """The state after `event`; assumes the event was legal when it was written."""
    return replace(state, **_changes(state, event, dict(state.step_at)))


def _changes(state: Any, event: Event, step_at: dict[Action, datetime]) -> dict[str, Any]:
    """The fields `event` changes in `state` (a TicketState, or one being folded), all read
    from the state before it; the step's time is written into `step_at`."""
    a, d = event.action, event.data
    step_at[a] = event.at
    new: dict[str, Any] = {"step_at": step_at}
    if a in _TARGET:
        new["status"] = _TARGET[a]
    if a is Action.REGISTER:
        new["appointment_at"] = d.get("intake", {}).get("appointment_at")
        new["vacant"] = bool(d.get("intake", {}).get("vacant", False))
    elif a is Action.DISPATCH:
        new["technician"] = d.get("technician", state.technician)
    elif a is Action.PAUSE:
        new["paused_from"] = state.status
    elif a is Action.RESUME:
        new.update(status=state.paused_from or Status.REGISTERED, paused_from=None)
    elif a is Action.RESCHEDULE:
        new["appointment_at"] = d["appointment_at"]
    elif a is Action.FOLLOW_UP:
        new["follow_up"] = True
    elif a is Action.CALLBACK:
        # a refused callback (the owner declined) has satisfied None: closable, no rework
        refused = d.get("outcome") == "refused"
        new.update(satisfied=None if refused else bool(d.get("satisfied", True)),
                   callback_retry_at=None)
    elif a is Action.CALLBACK_NO_ANSWER:
        new["callback_retry_at"] = d.get("retry_at")
    elif a is Action.REWORK:
        new.update(rework_count=state.rework_count + 1, satisfied=None, callback_retry_at=None)
    elif a is Action.CLOSE:
        new["verified"] = bool(d.get("verified", state.verified))
    elif a is Action.OWNER_DECISION:
        agreed = d.get("agreed") is not False
        new["owner_agreed"] = agreed
        if not agreed:
            new["status"] = Status.CLOSED  # declined: the job ends without work
    elif a is Action.AMEND:
        fields = dict(state.fields)
        fields.update(d.get("changes", {}))
        new["fields"] = fields
        if "appointment_at" in d.get("changes", {}):
            new["appointment_at"] = d["changes"]["appointment_at"]
        if "vacant" in d.get("changes", {}):
            new["vacant"] = bool(d["changes"]["vacant"])
    return new


def fold(events: list[Event], appointment_at: datetime | None = None) -> TicketState:
    """The state after `events`, as apply() step by step gives it."""
    # no amendment, no fields: the one shared empty mapping (an AMEND step copies it)
    start = TicketState(appointment_at=appointment_at, fields=EMPTY_DATA)
    if not events:
        return start
    state = _Folding()
    for name in _STATE_FIELDS:
        setattr(state, name, getattr(start, name))
    step_at: dict[Action, datetime] = {}
    for event in events:
        for name, value in _changes(state, event, step_at).items():
            setattr(state, name, value)
    return TicketState(**{name: getattr(state, name) for name in _STATE_FIELDS})


def allowed_actions(status: Status) -> list[Action]:
    """The lifecycle steps a clerk may take now, in lifecycle order."""
    return [a for a in Action if a in ALLOWED and status in ALLOWED[a]]


def check_step(state: TicketState, action: Action, scope: Scope, data: dict[str, Any]) -> None:
    """Refuse an illegal step with a message naming the state and what is allowed."""
    if action in (Action.NOTE, Action.REGISTER):
        return
    if state.status not in ALLOWED[action]:
        allowed = _(", ").join(a.label for a in allowed_actions(state.status)) or _("none")
        raise IllegalTransition(
            # the action's history label names the step ("materials used", "fee assessment"):
            # in English it reads as the thing not recorded, not as a verb
            _('Cannot record "{action}" now: the ticket is {status}; allowed now: {allowed}.'
              ).format(
                action=action.label, status=state.status.label, allowed=allowed
            )
        )
    if action is Action.CLOSE:
        if state.satisfied is False:
            raise IllegalTransition(_("Cannot close: the owner was not satisfied; rework first."))
        if scope is Scope.PUBLIC and not data.get("verified"):
            raise ValidationError(
                _("A public-area job is closed only after the clerk has verified it (--verified)."),
                "verified",
            )
        if state.vacant and not data.get("verified"):
            raise ValidationError(
                _("A vacant-unit job is closed only after the clerk has verified it "
                  "(--verified)."), "verified")
    if action is Action.FOLLOW_UP_CHECK and not state.follow_up:
        raise IllegalTransition(_("Only a follow-up order (协调单) is checked; this ticket is "
                                  "not one."))
    if action in (Action.ACCEPT, Action.ARRIVE, Action.COMPLETE) and not state.technician:
        raise IllegalTransition(_("No technician is assigned; dispatch first."))


def needs_verification(record: TicketRecord) -> bool:
    """A public-area or vacant-unit job is closed only after the clerk verified it (003 4.8(3))."""
    return record.intake.scope is Scope.PUBLIC or record.state.vacant


def next_step(status: Status) -> Action | None:
    return NEXT_STEP.get(status)


@dataclass(frozen=True, slots=True)
class TicketRecord:
    """A ticket as the desk shows it: current details, derived state and its full history."""

    ticket_no: str
    intake: Intake
    state: TicketState
    events: tuple[Event, ...]
    registered_at: datetime
    registered_by: str
    repeat_of: str | None = None

    @property
    def status(self) -> Status:
        return self.state.status

    @property
    def is_open(self) -> bool:
        return self.state.status.is_open
