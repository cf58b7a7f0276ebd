"""协调单 (follow-up, 004): a job not finished in time gets its own entries — time, contact and
progress, weekly at least — and the team leader's and the supervisor's checks.

Pure functions over a ticket's history: when the next weekly entry is owed, and who has checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from ..i18n import _
from .enums import Action
from .ticket import TicketRecord

ENTRY_EVERY = timedelta(days=7)  # 004: 每周至少记录一次


class CheckLevel(StrEnum):
    LEADER = "leader"  # 维修班长 / 工程主管
    SUPERVISOR = "supervisor"  # 客服主管: signs with the PIN

    @property
    def label(self) -> str:
        return _("team leader's check") if self is CheckLevel.LEADER else _(
            "supervisor's check")


@dataclass(frozen=True)
class FollowUpEntryDue:
    """A follow-up whose weekly entry is owed: the last entry and when the next was due."""

    ticket_no: str
    room: str
    last_entry_at: datetime
    due_at: datetime

    def overdue_s(self, now: datetime) -> float:
        return (now - self.due_at).total_seconds()


def last_entry_at(record: TicketRecord, now: datetime) -> datetime | None:
    """The newest follow-up entry (the conversion counts as the first) up to `now`."""
    entries = [e.at for e in record.events if e.action is Action.FOLLOW_UP and e.at <= now]
    return max(entries) if entries else None


def entry_due(record: TicketRecord, now: datetime,
              every: timedelta = ENTRY_EVERY) -> FollowUpEntryDue | None:
    """The weekly entry owed now: an open follow-up with no entry for `every` (7 days) or more.
    Exactly 7 days after the last entry the next one is due."""
    if not record.is_open or not record.state.follow_up:
        return None
    last = last_entry_at(record, now)
    if last is None:
        return None
    due = last + every
    if now < due:
        return None
    return FollowUpEntryDue(record.ticket_no, record.intake.room, last, due)


def next_entry_at(record: TicketRecord, now: datetime,
                  every: timedelta = ENTRY_EVERY) -> datetime | None:
    """When the next weekly entry falls due (None: not a follow-up, or closed)."""
    if not record.is_open or not record.state.follow_up:
        return None
    last = last_entry_at(record, now)
    return None if last is None else last + every


@dataclass(frozen=True)
class FollowUpCheck:
    level: CheckLevel
    signer: str
    at: datetime
    comment: str


def checks(record: TicketRecord) -> list[FollowUpCheck]:
    """The leader's and supervisor's checks of a follow-up, oldest first."""
    out = []
    for e in record.events:
        if e.action is Action.FOLLOW_UP_CHECK:
            try:
                level = CheckLevel(e.data.get("level", ""))
            except ValueError:
                continue
            out.append(FollowUpCheck(level, str(e.data.get("signer", e.by)), e.at, e.note))
    return out
