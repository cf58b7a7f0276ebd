"""The vocabulary and the rules of the SLA clocks (domain.md "SLA clocks"), as plain values.

The rules come from data/sla.toml merged with the site's overrides (repairdesk.sla_config);
the engine that turns a ticket's history into live clocks is repairdesk.domain.sla.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ..i18n import N_, _


class ClockName(StrEnum):
    """The promised times, in lifecycle order."""

    DISPATCH = "dispatch"
    ACCEPT = "accept"
    ARRIVE = "arrive"
    FEEDBACK = "feedback"
    ASSESS = "assess"
    COMPLETE = "complete"
    CALLBACK = "callback"

    @property
    def label(self) -> str:
        return _(CLOCK_LABELS[self])


CLOCK_LABELS = {
    ClockName.DISPATCH: N_("dispatch"),
    ClockName.ACCEPT: N_("accept"),
    ClockName.ARRIVE: N_("arrive"),
    ClockName.FEEDBACK: N_("feedback"),
    ClockName.ASSESS: N_("assess"),
    ClockName.COMPLETE: N_("complete"),
    ClockName.CALLBACK: N_("callback"),
}


class ClockState(StrEnum):
    PENDING = "pending"      # not started yet (e.g. callback before completion)
    RUNNING = "running"
    WARNING = "warning"      # past the warning fraction of its target
    BREACHED = "breached"    # past its deadline and still not stopped
    MET = "met"              # stopped in time
    MISSED = "missed"        # stopped, but late
    PAUSED = "paused"        # 待料: stopped for now, the paused time is not counted

    @property
    def label(self) -> str:
        return _(STATE_LABELS[self])

    @property
    def is_live(self) -> bool:
        """Still counting down (or up) right now."""
        return self in (ClockState.RUNNING, ClockState.WARNING, ClockState.BREACHED)


STATE_LABELS = {
    ClockState.PENDING: N_("not started"),
    ClockState.RUNNING: N_("running"),
    ClockState.WARNING: N_("warning"),
    ClockState.BREACHED: N_("breached"),
    ClockState.MET: N_("met"),
    ClockState.MISSED: N_("missed"),
    ClockState.PAUSED: N_("paused"),
}


class Callee(StrEnum):
    """Whom the desk calls when a clock warns, breaches or escalates."""

    CLERK = "clerk"            # nobody else: the desk acts itself
    TECHNICIAN = "technician"  # the technician dispatched
    OWNER = "owner"            # the caller (phone masked)
    TEAM_LEADER = "team_leader"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"

    @property
    def label(self) -> str:
        return _(CALLEE_LABELS[self])


CALLEE_LABELS = {
    Callee.CLERK: N_("duty clerk"),
    Callee.TECHNICIAN: N_("technician"),
    Callee.OWNER: N_("owner"),
    Callee.TEAM_LEADER: N_("team leader"),
    Callee.SUPERVISOR: N_("supervisor"),
    Callee.MANAGER: N_("manager"),
}

# the roles an escalation chain may name (domain.md: team leader -> supervisor -> manager)
CHAIN_ROLES = (Callee.TEAM_LEADER, Callee.SUPERVISOR, Callee.MANAGER)


class Level(StrEnum):
    """How far a late clock has gone: warning, breach, then one level per person in the chain."""

    WARNING = "warning"
    BREACH = "breach"
    TEAM_LEADER = "team_leader"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"

    @property
    def label(self) -> str:
        if self is Level.WARNING:
            return _("warning")
        if self is Level.BREACH:
            return _("breached")
        return Callee(self.value).label


@dataclass(frozen=True)
class EscalationStep:
    """After a breach: call `level`'s person once the clock is `after_s` seconds overdue."""

    level: Level
    after_s: float


@dataclass(frozen=True)
class ClockRule:
    """One clock's rule. `target_s` is None where the target is worked out per ticket
    (arrival by urgency and category, completion by scope and the day's cut-off)."""

    target_s: float | None
    warn: Callee
    breach: Callee
    pauses: bool = True
    escalation: tuple[EscalationStep, ...] = ()


@dataclass(frozen=True)
class ArriveRule:
    urgent_s: float
    urgent_by_category: dict[str, float] = field(default_factory=dict)
    appointment_window_s: float = 20 * 60
    appointment_grace_s: float = 0.0


@dataclass(frozen=True)
class CompleteTarget:
    """`days` after the start; with `by_cutoff`, by that day's cut-off (0 days: the same day)."""

    days: int
    by_cutoff: bool


@dataclass(frozen=True)
class CompleteRule:
    home: CompleteTarget
    public: CompleteTarget
    cutoff_min: int = 24 * 60          # minutes after local midnight, 1..1440
    next_day_after_min: int = 24 * 60  # a call received at/after this rolls to the next day


@dataclass(frozen=True)
class SlaRules:
    warning_fraction: float
    clocks: dict[ClockName, ClockRule]
    arrive: ArriveRule
    assess_fee_s: float
    complete: CompleteRule
    bell: bool = True  # the desk rings the terminal bell on a new breach

    def rule(self, name: ClockName) -> ClockRule:
        return self.clocks[name]


def default_escalation(breach: Callee, chain: tuple[Callee, ...],
                       after_s: dict[Callee, float]) -> tuple[EscalationStep, ...]:
    """The steps that follow a breach: the chain above whoever the breach itself calls."""
    start = chain.index(breach) + 1 if breach in chain else 0
    return tuple(EscalationStep(Level(c.value), after_s[c]) for c in chain[start:])
