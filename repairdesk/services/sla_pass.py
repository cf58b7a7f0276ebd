"""The desk's SLA pass, run in a worker thread: "handover overdue" and each new warning, breach
and escalation step written to the duty log (shifts.note_overdue, sla.escalate), whom to call
for every alert (sla.alerts), and until when another pass over the same book could find
nothing new (issue 18).

On a big estate a pass costs 100-300 ms of a thread holding the interpreter (2,400 open
tickets, 3,700 alerts), and the desk ran one every ten seconds whether or not anything could
have changed. A clock's levels and states move only at instants known in advance
(domain/sla_results.next_change) and a handover falls overdue at a shift's end plus the grace:
until the earliest of those, with the book unchanged, a pass would write and show the same.
A changed book (the desk's own step, another desk's write seen by the poll) runs a pass with
its board anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..i18n import _
from . import sla
from .desk import Desk


@dataclass(frozen=True)
class SlaPass:
    notices: list[sla.Notice]  # written by this pass
    calls: dict[tuple[str, str], str]  # (ticket, clock) -> what to do, for the alert strip
    at: datetime
    quiet_until: datetime | None  # no news before this while the book is unchanged (None:
    # only a new step or a change of who holds the desk can bring any)


def run_pass(desk: Desk) -> SlaPass:
    from .shifts import next_overdue_at, note_overdue
    from .tickets import working_set

    now, records = desk.now(), working_set(desk)  # one read for both passes
    note_overdue(desk, now)  # "handover overdue" in the duty log, once per shift
    notices = sla.escalate(desk, now, records)
    # whom to call, written here: a thousand alerts' texts cost the UI thread a slow frame
    # every ten seconds (issue 18)
    offer = " " + _("F: turn into follow-up")
    texts: dict[str, str] = {}  # one string per distinct text: most alerts call a few people
    calls = {(a.ticket_no, a.clock.name.value): _shared(
        texts, a.action_text + offer if a.follow_up_due else a.action_text)
        for a in sla.alerts(desk, now, records)}
    return SlaPass(notices, calls, now,
                   _earliest(sla.quiet_until(desk, now, records), next_overdue_at(desk, now)))


def _shared(texts: dict[str, str], text: str) -> str:
    return texts.setdefault(text, text)


def _earliest(*instants: Any) -> datetime | None:
    known = [t for t in instants if t is not None]
    return min(known) if known else None
