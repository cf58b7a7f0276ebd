"""Print jobs as the book keeps them: their states and kinds, the view the panel and the CLI
show, the job's own history, and reading the queue. Below print_queue.py and print_run.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from ..errors import NotFound
from ..i18n import _
from ..printing.settings import Backend, print_settings
from ..store.tables import PrintJob
from ..stored_text import render
from .desk import Desk


class JobState(StrEnum):
    QUEUED = "queued"
    PRINTING = "printing"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {JobState.QUEUED: _("queued"), JobState.PRINTING: _("printing"),
                JobState.DONE: _("done"), JobState.FAILED: _("failed"),
                JobState.CANCELLED: _("cancelled")}[self]


class JobKind(StrEnum):
    WORK_ORDER = "work_order"
    HANDOVER = "handover"  # a signed handover record (subject: its id)


@dataclass(frozen=True)
class JobView:
    """A print job as the panel and the CLI show it."""

    id: int
    kind: JobKind
    subject: str               # the 单号 for a work order
    copies: tuple[str, ...]    # names of the copies (联), in print order
    state: JobState
    error: str
    attempts: int
    requested_by: str
    requested_at: datetime
    printer: str               # CUPS printer name, or the folder's path
    backend: str
    fmt: str
    reprint: int               # 0 first print; n: the n-th 补打
    output: str                # where it went: CUPS request id or file path
    finished_at: datetime | None


def job_view(row: PrintJob) -> JobView:
    """The row as the panel and the CLI show it."""
    assert row.id is not None
    # the error is kept as a message id (stored_text.py): shown in the reader's language
    return JobView(row.id, JobKind(row.kind), row.subject, tuple(row.detail.get("copies", [])),
                   JobState(row.state), render(row.error), row.attempts, row.requested_by,
                   row.requested_at, row.printer, row.backend, row.fmt, row.reprint, row.output,
                   row.finished_at)


def log_job(row: PrintJob, at: datetime, event: str, by: str = "", error: str = "") -> None:
    """Add an entry to the job's own history (detail.history) and touch updated_at."""
    detail = dict(row.detail)
    entry = {"at": at, "event": event}
    if by:
        entry["by"] = by
    if error:
        entry["error"] = error
    detail["history"] = [*detail.get("history", []), entry]
    row.detail = detail
    row.updated_at = at


def job_row(session: Session, job_id: int, lock: bool = False) -> PrintJob:
    """The job's row; `lock` for a state change (PostgreSQL: two desks must not both claim
    it; SQLite's write transaction already excludes the other desk)."""
    q = select(PrintJob).where(PrintJob.id == job_id)
    row = session.exec(q.with_for_update() if lock else q).first()
    if row is None:
        raise NotFound(_("No print job {id}.").format(id=job_id))
    return row


def earlier_prints(session: Session, row: PrintJob, states: tuple[JobState, ...]) -> int:
    """Other jobs of the same kind and subject in `states`: the reprint number."""
    q = select(func.count()).select_from(PrintJob).where(
        PrintJob.kind == row.kind, PrintJob.subject == row.subject,
        col(PrintJob.state).in_([s.value for s in states]))
    if row.id is not None:
        q = q.where(PrintJob.id != row.id)
    return int(session.exec(q).one())


def configured_target(desk: Desk) -> tuple[str, str, float]:
    """The configured backend, its printer (or folder) and how long to wait for it."""
    s = print_settings(desk.config)
    target = s.printer if s.backend is Backend.CUPS else str(s.folder)
    return s.backend.value, target, s.wait_seconds


def get_job(desk: Desk, job_id: int) -> JobView:
    with desk.store.read() as session:
        return job_view(job_row(session, job_id))


def list_jobs(desk: Desk, limit: int = 50) -> list[JobView]:
    """The newest jobs first."""
    with desk.store.read() as session:
        rows = session.exec(select(PrintJob).order_by(col(PrintJob.id).desc()).limit(limit))
        return [job_view(r) for r in rows]


def change_marker(desk: Desk) -> tuple[Any, ...]:
    """Cheap fingerprint of the queue, for the screen to know when to reload it."""
    with desk.store.read() as session:
        # every transition moves a job between states (or adds an attempt); the clock alone
        # would miss two changes within one tick
        by_state = tuple(sorted(session.exec(
            select(PrintJob.state, func.count()).group_by(PrintJob.state)).all()))
        last = tuple(session.exec(select(func.max(PrintJob.id), func.sum(PrintJob.attempts),
                                         func.max(PrintJob.updated_at))).one())
        return by_state + last
