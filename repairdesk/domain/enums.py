"""The desk's vocabulary as enums; values are the English code names from domain.md."""

from __future__ import annotations

from enum import StrEnum

from ..i18n import N_, _


class Status(StrEnum):
    REGISTERED = "registered"
    DISPATCHED = "dispatched"
    ACCEPTED = "accepted"
    ON_SITE = "on_site"
    COMPLETED = "completed"
    RETURNED = "returned"
    CALLBACK = "callback"
    CLOSED = "closed"
    PAUSED = "paused"
    VOIDED = "voided"

    @property
    def label(self) -> str:
        return _(STATUS_LABELS[self])

    @property
    def is_open(self) -> bool:
        return self not in (Status.CLOSED, Status.VOIDED)


STATUS_LABELS = {
    Status.REGISTERED: N_("registered"),
    Status.DISPATCHED: N_("dispatched"),
    Status.ACCEPTED: N_("accepted"),
    Status.ON_SITE: N_("on site"),
    Status.COMPLETED: N_("completed"),
    Status.RETURNED: N_("returned"),
    Status.CALLBACK: N_("called back"),
    Status.CLOSED: N_("closed"),
    Status.PAUSED: N_("paused"),
    Status.VOIDED: N_("voided"),
}


class Action(StrEnum):
    REGISTER = "register"
    AMEND = "amend"
    DISPATCH = "dispatch"
    ACCEPT = "accept"
    ARRIVE = "arrive"
    COMPLETE = "complete"
    RETURN = "return"
    CALLBACK = "callback"
    REWORK = "rework"
    CLOSE = "close"
    RESCHEDULE = "reschedule"
    PAUSE = "pause"
    RESUME = "resume"
    FOLLOW_UP = "follow_up"
    VOID = "void"
    NOTE = "note"
    ASSESS = "assess"
    OWNER_DECISION = "owner_decision"
    CHARGE = "charge"
    NOTIFY = "notify"
    FOLLOW_UP_CHECK = "follow_up_check"
    MATERIALS = "materials"
    # the desk rang the owner for the callback and nobody answered: the callback is still owed
    CALLBACK_NO_ANSWER = "callback_no_answer"

    @property
    def label(self) -> str:
        return _(ACTION_LABELS[self])


ACTION_LABELS = {
    Action.REGISTER: N_("register"),
    Action.AMEND: N_("amend details"),
    Action.DISPATCH: N_("dispatch"),
    Action.ACCEPT: N_("accept"),
    Action.ARRIVE: N_("arrive on site"),
    Action.COMPLETE: N_("complete"),
    Action.RETURN: N_("return order"),
    Action.CALLBACK: N_("call back"),
    Action.REWORK: N_("rework"),
    Action.CLOSE: N_("close"),
    Action.RESCHEDULE: N_("reschedule"),
    Action.PAUSE: N_("pause"),
    Action.RESUME: N_("resume"),
    Action.FOLLOW_UP: N_("follow-up note"),
    Action.VOID: N_("void"),
    Action.NOTE: N_("note"),
    Action.ASSESS: N_("fee assessment"),
    Action.OWNER_DECISION: N_("owner's answer to the fee"),
    Action.CHARGE: N_("record charges"),
    Action.NOTIFY: N_("told to collect"),
    Action.FOLLOW_UP_CHECK: N_("follow-up check"),
    Action.MATERIALS: N_("materials used"),
    Action.CALLBACK_NO_ANSWER: N_("callback: no answer"),
}


class CallbackOutcome(StrEnum):
    """How a callback call ended (domain.md "Counting": a call made counts as called back, so
    a refusal does; no answer does not, and the callback clock keeps running)."""

    SATISFIED = "satisfied"
    REWORK = "rework"          # not satisfied: the job goes back (返工)
    NO_ANSWER = "no_answer"    # try again at the retry time
    REFUSED = "refused"        # the owner declined the callback

    @property
    def label(self) -> str:
        return {
            CallbackOutcome.SATISFIED: _("satisfied"),
            CallbackOutcome.REWORK: _("not satisfied (rework)"),
            CallbackOutcome.NO_ANSWER: _("no answer: try again later"),
            CallbackOutcome.REFUSED: _("owner declined the callback"),
        }[self]


class Scope(StrEnum):
    HOME = "home"
    PUBLIC = "public"

    @property
    def label(self) -> str:
        return _("in-home") if self is Scope.HOME else _("public area")


class Urgency(StrEnum):
    URGENT = "urgent"
    NORMAL = "normal"
    APPOINTMENT = "appointment"

    @property
    def label(self) -> str:
        return {
            Urgency.URGENT: _("urgent"),
            Urgency.NORMAL: _("normal"),
            Urgency.APPOINTMENT: _("appointment"),
        }[self]


class Channel(StrEnum):
    PHONE = "phone"
    WALK_IN = "walk_in"
    APP = "app"
    WECHAT = "wechat"
    PATROL = "patrol"

    @property
    def label(self) -> str:
        return {
            Channel.PHONE: _("phone"),
            Channel.WALK_IN: _("walk-in"),
            Channel.APP: _("app"),
            Channel.WECHAT: _("WeChat"),
            Channel.PATROL: _("patrol"),
        }[self]


class ServiceType(StrEnum):
    FREE = "free"
    PAID = "paid"
    ASSESS = "assess"

    @property
    def label(self) -> str:
        return {
            ServiceType.FREE: _("routine (free)"),
            ServiceType.PAID: _("paid service"),
            ServiceType.ASSESS: _("needs fee assessment"),
        }[self]


class Role(StrEnum):
    CLERK = "clerk"
    TECHNICIAN = "technician"
    TEAM_LEADER = "team_leader"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"

    @property
    def label(self) -> str:
        return {
            Role.CLERK: _("duty clerk"),
            Role.TECHNICIAN: _("technician"),
            Role.TEAM_LEADER: _("team leader"),
            Role.SUPERVISOR: _("supervisor"),
            Role.MANAGER: _("manager"),
        }[self]
