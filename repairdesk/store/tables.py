"""The tables. `ticket` is a projection of `ticket_event` kept in the same transaction;
events and duty-log entries are append-only (enforced by triggers, see db.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import BigInteger, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from .action_codes import sql_actions
from .types import ActionCode, EventJSON, EventTime, JSONText, RecordedLag, UTCDateTime

SCHEMA_VERSION = 15
# ix_ticket_event_side (migration 0008): on SQLite the actions' codes (migration 0013)
_SIDE_STEPS = ("void", "charge", "materials")
_SIDE = f"action IN ({sql_actions('postgresql', _SIDE_STEPS)})"
_SIDE_CODES = f"action IN ({sql_actions('sqlite', _SIDE_STEPS)})"
# An open ticket (not closed, not voided): the only rows of ix_ticket_open (migration 0012).
# A query that wants that index says exactly this, as text: SQLite uses a partial index only
# when the query's WHERE holds its condition word for word (PostgreSQL reasons about it; the same
# words serve both).
OPEN_WHERE = "status NOT IN ('closed', 'voided')"


def dt_field(nullable: bool = False, index: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable, index=index))


def stamp_field(nullable: bool = False) -> Any:
    """A time stored as integer microseconds on SQLite, a timestamp on PostgreSQL (EventTime)."""
    return Field(default=None, sa_column=Column(EventTime(), nullable=nullable))


class Meta(SQLModel, table=True):
    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str


class Staff(SQLModel, table=True):
    __tablename__ = "staff"
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)
    role: str
    phone: str = ""
    active: bool = True
    pin_hash: Optional[str] = None
    created_at: datetime = dt_field()
    # the categories a technician handles, names joined by "," (migration 0004)
    skills: str = ""


class Ticket(SQLModel, table=True):
    __tablename__ = "ticket"
    __table_args__ = (
        # open tickets only (a few thousand of a million rows; migration 0012)
        Index("ix_ticket_open", "status", "received_at", sqlite_where=text(OPEN_WHERE),
              postgresql_where=text(OPEN_WHERE)),
        # a place's earlier calls: the repeat check, a room's history (migration 0014)
        Index("ix_ticket_place", "room", "received_at"),
        Index("ix_ticket_site_registered", "site", "registered_at"),
        # today's tickets for the working set, the shift's numbers, the oldest day (issue 9)
        Index("ix_ticket_registered", "registered_at"),
        # the tickets a shift touched: its steps for the handover counts (migration 0010)
        Index("ix_ticket_last_event", "last_event_at"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    ticket_no: str = Field(unique=True)
    site: str
    received_at: datetime = stamp_field()
    registered_at: datetime = stamp_field()
    registered_by: str
    channel: str
    room: str
    building: str = ""
    caller: str
    phone: str = ""
    content: str
    scope: str
    category: str
    urgency: str
    appointment_at: Optional[datetime] = stamp_field(nullable=True)
    service_type: str = "free"
    owner_parts: bool = False
    verify_code: str = ""
    repeat_of: Optional[str] = None
    # projection of the events, rewritten only together with a new event
    status: str = "registered"
    technician: str = ""
    follow_up: bool = False
    rework_count: int = 0
    last_event_at: datetime = stamp_field()


class TicketEvent(SQLModel, table=True):
    __tablename__ = "ticket_event"
    # no index by time: a shift's steps are found through ix_ticket_last_event (migration 0010)
    # the few steps whose data the month table reads (report_sql.SIDE_STEPS; migration 0008)
    __table_args__ = (UniqueConstraint("ticket_id", "seq"),
                      Index("ix_ticket_event_side", "ticket_id", sqlite_where=text(_SIDE_CODES),
                            postgresql_where=text(_SIDE)))
    id: Optional[int] = Field(default=None, primary_key=True)
    # found by the unique (ticket_id, seq) index: no index of its own (migration 0007)
    ticket_id: int = Field(foreign_key="ticket.id")
    seq: int
    # integers of microseconds on SQLite (store/stamps.py; migration 0011)
    at: datetime = Field(default=None, sa_column=Column(EventTime(), nullable=False))
    # on SQLite the microseconds after `at` (store/event_lag.py; migration 0013)
    recorded_at: datetime = Field(default=None, sa_column=Column(RecordedLag(), nullable=False))
    # on SQLite its code (store/action_codes.py; migration 0013)
    action: str = Field(sa_column=Column(ActionCode(), nullable=False))
    by: str
    note: str = ""
    data: dict = Field(default_factory=dict, sa_column=Column(EventJSON(), nullable=False))
    # the book-wide chain in id order, sealed on insert: the first 8 bytes of the event's hash
    # (store/chain.py; migrations 0006, 0009)
    seal: int = Field(default=0, sa_column=Column(BigInteger(), nullable=False))


class TicketClock(SQLModel, table=True):
    """The SLA clocks a ticket has stopped, met or missed (bit sets, domain.sla_results.CLOCK_BITS):
    a projection of its events, rewritten in the transaction of each new step like the ticket
    row, so a month's on-time rates are one GROUP BY. `rules` fingerprints the SLA rules and
    engine that judged them; a ticket without a row, judged under other rules, or whose
    `stale_at` has passed is judged again when a report reads it (services/sla_outcomes.py)."""

    __tablename__ = "ticket_clock"
    ticket_id: int = Field(primary_key=True, foreign_key="ticket.id")
    rules: str
    met: int = 0
    missed: int = 0
    pending: int = 0  # clocks started and not yet decided
    # when a pending clock's deadline passes (the row must be judged again); None: only a step
    stale_at: Optional[datetime] = dt_field(nullable=True)


class Counter(SQLModel, table=True):
    """Gap-free sequences: ticket numbers per period, and the duty-log chain.

    Incremented with INSERT .. ON CONFLICT DO UPDATE .. RETURNING inside the transaction
    that uses the number, so a number is spent only if that transaction commits."""

    __tablename__ = "counter"
    name: str = Field(primary_key=True)
    last: int = 0
    # the event chain's row: the full hash of the newest ticket event (store/chain.py)
    head: Optional[str] = None


class DutyLogEntry(SQLModel, table=True):
    """值班记录: append-only, hash-chained. A correction is a new entry with `corrects_id`."""

    __tablename__ = "duty_log"
    __table_args__ = (Index("ix_duty_log_site_at", "site", "at"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    seq: int = Field(unique=True)
    site: str
    at: datetime = dt_field()
    kind: str
    author: str
    text: str
    ticket_no: Optional[str] = Field(default=None, index=True)
    corrects_id: Optional[int] = Field(default=None, foreign_key="duty_log.id")
    dedup_key: Optional[str] = Field(default=None, unique=True)
    data: dict = Field(default_factory=dict, sa_column=Column(JSONText(), nullable=False))
    prev_hash: str
    hash: str


# ---- shifts, signatures, handover, sign-off (issue 4); all append-only except pin_attempt reads


class PinAttempt(SQLModel, table=True):
    """Every PIN check, right or wrong: five wrong in a row lock that person's signing."""

    __tablename__ = "pin_attempt"
    id: Optional[int] = Field(default=None, primary_key=True)
    staff_name: str = Field(index=True)
    at: datetime = dt_field()
    ok: bool


class ShiftTurn(SQLModel, table=True):
    """Who holds the desk from when: a sign-on (first shift) or a signed handover."""

    __tablename__ = "shift_turn"
    id: Optional[int] = Field(default=None, primary_key=True)
    site: str
    at: datetime = dt_field()
    holder: str
    via: str
    window_from: datetime = dt_field()
    handover_id: Optional[int] = None


class HandoverRecord(SQLModel, table=True):
    """交接班记录: written once, when both clerks have signed; never changed."""

    __tablename__ = "handover"
    id: Optional[int] = Field(default=None, primary_key=True)
    site: str
    at: datetime = dt_field(index=True)
    shift_code: str
    window_start: datetime = dt_field()
    window_end: datetime = dt_field()
    outgoing: str
    incoming: str
    discrepancies: int = 0
    content: dict = Field(default_factory=dict, sa_column=Column(JSONText(), nullable=False))
    content_hash: str


class SignoffRecord(SQLModel, table=True):
    """主管签字: the supervisor's review of one duty day; one per site and day."""

    __tablename__ = "signoff"
    __table_args__ = (UniqueConstraint("site", "duty_day"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    site: str
    duty_day: str
    at: datetime = dt_field()
    supervisor: str
    comment: str = ""
    content: dict = Field(default_factory=dict, sa_column=Column(JSONText(), nullable=False))
    content_hash: str


class Signature(SQLModel, table=True):
    """Who signed what, in which role, when, meaning what (交班/接班/主管审核)."""

    __tablename__ = "signature"
    id: Optional[int] = Field(default=None, primary_key=True)
    subject: str = Field(index=True)
    meaning: str
    name: str
    role: str
    at: datetime = dt_field()
    content_hash: str
    hash: str


# ---- print queue (打印队列): a job is kept after printing, for the reprint count and the audit


class PrintJob(SQLModel, table=True):
    """打印任务: one print of a work order (later also a handover record or a report).

    state: queued → printing → done | failed (retry: queued again) | cancelled (kept).
    `detail` holds {"copies": [联 names in print order], "history": [{at, event, by, error}]}.
    `reprint` is 0 for the first print of a subject, n for its n-th 补打."""

    __tablename__ = "print_job"
    __table_args__ = (
        Index("ix_print_job_state", "state", "id"),
        Index("ix_print_job_subject", "kind", "subject"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    site: str
    kind: str
    subject: str
    fmt: str
    backend: str
    printer: str
    reprint: int = 0
    state: str = "queued"
    error: str = ""
    attempts: int = 0
    output: str = ""
    requested_by: str
    requested_at: datetime = dt_field()
    updated_at: datetime = dt_field()
    finished_at: Optional[datetime] = dt_field(nullable=True)
    detail: dict = Field(default_factory=dict, sa_column=Column(JSONText(), nullable=False))
    # the chain of the fixed columns in id order, sealed on insert (store/chain.py; 0006)
    prev_hash: str = ""
    hash: str = ""


# ---- SLA notices (issue: SLA engine): each warning, breach and escalation step, written once


class SlaNotice(SQLModel, table=True):
    """One SLA warning, breach or escalation step, written in the transaction of its duty-log
    entry. The unique key makes it exactly-once across restarts and desks sharing the book;
    `anchor` is the clock's start, so a reschedule or a rework is a new promise."""

    __tablename__ = "sla_notice"
    __table_args__ = (UniqueConstraint("ticket_no", "clock", "level", "anchor",
                                       name="uq_sla_notice"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    site: str
    ticket_no: str = Field(index=True)
    clock: str
    level: str
    anchor: datetime = dt_field()
    due_at: datetime = dt_field()
    reached_at: datetime = dt_field()
    at: datetime = dt_field()
    call_role: str = ""
    call_name: str = ""
    call_phone: str = ""
    log_id: Optional[int] = Field(default=None, foreign_key="duty_log.id")
