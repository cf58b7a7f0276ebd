"""The order of the board and the alert strip (issue 17): what the clerk must do now first —
undispatched and urgent, then breaches by how late, then warnings; counts by kind."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from repairdesk.domain.board_clocks import (
    AlertKind, UrgentClock, alert_counts, alert_key, alert_kind, sort_key,
)
from repairdesk.domain.enums import Status, Urgency
from repairdesk.domain.sla import ClockName, ClockState, SlaClock
from repairdesk.domain.ticket import Intake, TicketRecord, TicketState

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=timezone.utc)


def record(no: str, status: Status, urgency: Urgency = Urgency.NORMAL,
           received_min_ago: int = 0) -> TicketRecord:
    at = NOW - timedelta(minutes=received_min_ago)
    intake = Intake(received_at=at, room="3-2-1501", caller="王先生", content="漏水",
                    urgency=urgency)
    return TicketRecord(no, intake, TicketState(status=status, technician=(
        "" if status is Status.REGISTERED else "张建国")), (), at, "李静")


def clock(name: ClockName, state: ClockState, left_min: float) -> UrgentClock:
    due = NOW + timedelta(minutes=left_min)
    return UrgentClock(SlaClock(name, NOW - timedelta(hours=3), due, state, left_min * 60), NOW)


FRESH_URGENT = record("U", Status.REGISTERED, Urgency.URGENT, received_min_ago=1)
FRESH_NORMAL = record("N", Status.REGISTERED, received_min_ago=1)
ESCALATED = record("E", Status.ON_SITE, received_min_ago=180)    # 2 h late, being handled
LATE = record("L", Status.DISPATCHED, received_min_ago=40)       # 10 min late
WARNED = record("W", Status.ACCEPTED, received_min_ago=30)

CLOCKS = {
    "U": clock(ClockName.DISPATCH, ClockState.RUNNING, 4),
    "N": clock(ClockName.DISPATCH, ClockState.WARNING, 0.5),
    "E": clock(ClockName.COMPLETE, ClockState.BREACHED, -120),
    "L": clock(ClockName.ARRIVE, ClockState.BREACHED, -10),
    "W": clock(ClockName.ARRIVE, ClockState.WARNING, 3),
}
ALL = (WARNED, LATE, ESCALATED, FRESH_NORMAL, FRESH_URGENT)


def test_alerts_in_the_order_the_clerk_acts():
    order = sorted(ALL, key=lambda r: alert_key(r, CLOCKS[r.ticket_no], NOW))
    # the fresh urgent one nobody dispatched comes above a 2-hour-old escalation
    assert [r.ticket_no for r in order] == ["U", "N", "E", "L", "W"]


def test_board_rows_in_the_same_order():
    order = sorted(ALL, key=lambda r: sort_key(r, CLOCKS[r.ticket_no]))
    assert [r.ticket_no for r in order] == ["U", "N", "E", "L", "W"]


def test_kinds_and_counts():
    kinds = [alert_kind(r, CLOCKS[r.ticket_no]) for r in ALL]
    assert kinds == [AlertKind.WARNING, AlertKind.BREACHED, AlertKind.BREACHED,
                     AlertKind.UNDISPATCHED, AlertKind.UNDISPATCHED]
    assert alert_counts(kinds) == [(AlertKind.UNDISPATCHED, 2), (AlertKind.BREACHED, 2),
                                   (AlertKind.WARNING, 1)]
    assert alert_counts([AlertKind.WARNING]) == [(AlertKind.WARNING, 1)]  # none: left out
