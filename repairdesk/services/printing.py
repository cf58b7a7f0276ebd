"""The print queue (打印队列): work orders wait in the database until they are printed.

queue_* and retry_job only put a job in the queue (one short transaction); run_job and
run_pending render and send it, outside any transaction, then record done or failed with the
error. The CLI runs the job at once; the TUI runs it in a worker thread. A printer failure
never raises out of run_job: the job stays in the queue, `failed`, with the printer's words,
and retry_job puts it back. A cancelled job is kept (state `cancelled`) for the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from ..domain.enums import Action, Status
from ..domain.text import clean_text
from ..errors import IllegalTransition, NotFound, RepairdeskError, ValidationError
from ..i18n import _
from ..printing.base import Backend as SendsJobs
from ..printing.base import PrinterStatus
from ..printing.settings import Backend, Format, print_settings
from ..store.tables import PrintJob, Ticket, TicketEvent
from . import work_orders
from .desk import Desk
from .ticket_records import get_ticket

MAX_COPIES = 9
# a job still `printing` this long after it started was cut off (the desk closed mid-print)
STALE_AFTER = timedelta(minutes=10)


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


def _view(row: PrintJob) -> JobView:
    assert row.id is not None
    return JobView(row.id, JobKind(row.kind), row.subject, tuple(row.detail.get("copies", [])),
                   JobState(row.state), row.error, row.attempts, row.requested_by,
                   row.requested_at, row.printer, row.backend, row.fmt, row.reprint, row.output,
                   row.finished_at)


def _log(row: PrintJob, at: datetime, event: str, by: str = "", error: str = "") -> None:
    detail = dict(row.detail)
    entry = {"at": at, "event": event}
    if by:
        entry["by"] = by
    if error:
        entry["error"] = error
    detail["history"] = [*detail.get("history", []), entry]
    row.detail = detail
    row.updated_at = at


def _job(session: Session, job_id: int, lock: bool = False) -> PrintJob:
    """The job's row; `lock` for a state change (PostgreSQL: two desks must not both claim
    it; SQLite's write transaction already excludes the other desk)."""
    q = select(PrintJob).where(PrintJob.id == job_id)
    row = session.exec(q.with_for_update() if lock else q).first()
    if row is None:
        raise NotFound(_("No print job {id}.").format(id=job_id))
    return row


def _earlier_prints(session: Session, row: PrintJob, states: tuple[JobState, ...]) -> int:
    q = select(func.count()).select_from(PrintJob).where(
        PrintJob.kind == row.kind, PrintJob.subject == row.subject,
        col(PrintJob.state).in_([s.value for s in states]))
    if row.id is not None:
        q = q.where(PrintJob.id != row.id)
    return int(session.exec(q).one())


def _by(by: str) -> str:
    who = clean_text(by)
    if not who:
        raise ValidationError(_("Who is printing? Give the clerk's name."), "by")
    return who


# ---------------------------------------------------------------- queueing


def _format(fmt: str | None, default: Format) -> Format:
    try:
        return Format(clean_text(fmt).lower()) if fmt else default
    except ValueError:
        raise ValidationError(_("Format must be one of: {allowed}.").format(
            allowed=", ".join(f.value for f in Format)), "format") from None


def queue_work_order(desk: Desk, ticket_no: str, by: str, *, copies: int | None = None,
                     printer: str | None = None, fmt: str | None = None,
                     folder: str | None = None) -> JobView:
    """Queue the work order of a ticket: the configured copies (or the first `copies`), to the
    configured printer or folder unless `printer` (CUPS) or `folder` is given."""
    who = _by(by)
    settings = print_settings(desk.config)
    record = get_ticket(desk, ticket_no)
    if record.status is Status.VOIDED:
        raise IllegalTransition(_("Ticket {no} is voided: its work order is not printed.").format(
            no=record.ticket_no))
    if copies is not None and not 1 <= copies <= MAX_COPIES:
        raise ValidationError(_("Copies must be between 1 and {max}.").format(max=MAX_COPIES),
                              "copies")
    form = _format(fmt, settings.format)
    if printer and folder:
        raise ValidationError(_("Give a printer or a folder, not both."), "printer")
    if printer:
        backend, target = Backend.CUPS, clean_text(printer)
    elif folder:
        backend, target = Backend.FOLDER, str(Path(clean_text(folder)).expanduser().resolve())
    elif settings.backend is Backend.CUPS:
        backend, target = Backend.CUPS, settings.printer
    else:
        backend, target = Backend.FOLDER, str(settings.folder)
    names = work_orders.copy_names(settings, record, copies)
    now = desk.now()
    with desk.store.write() as session:
        row = PrintJob(site=desk.config.site_code, kind=JobKind.WORK_ORDER.value,
                       subject=record.ticket_no, fmt=form.value, backend=backend.value,
                       printer=target, state=JobState.QUEUED.value, requested_by=who,
                       requested_at=now, updated_at=now, detail={"copies": list(names)})
        row.reprint = _earlier_prints(session, row, (JobState.QUEUED, JobState.PRINTING,
                                                     JobState.DONE))
        _log(row, now, JobState.QUEUED.value, who)
        session.add(row)
        session.flush()
        return _view(row)


def queue_handover(desk: Desk, handover_id: int, by: str, *, fmt: str | None = None) -> JobView:
    """Queue a signed handover record (one copy) to the configured printer or folder."""
    from .handover import get_handover

    who = _by(by)
    settings = print_settings(desk.config)
    rec = get_handover(desk, handover_id)  # NotFound for an unknown id
    form = _format(fmt, settings.format)
    backend, target, _wait = _configured(desk)
    now = desk.now()
    with desk.store.write() as session:
        row = PrintJob(site=desk.config.site_code, kind=JobKind.HANDOVER.value,
                       subject=str(rec.id), fmt=form.value, backend=backend, printer=target,
                       state=JobState.QUEUED.value, requested_by=who, requested_at=now,
                       updated_at=now, detail={"copies": [_("Handover record")]})
        row.reprint = _earlier_prints(session, row, (JobState.QUEUED, JobState.PRINTING,
                                                     JobState.DONE))
        _log(row, now, JobState.QUEUED.value, who)
        session.add(row)
        session.flush()
        return _view(row)


def _render_handover(desk: Desk, row: PrintJob) -> Any:
    from ..printing.plain import plain_document
    from .handover import get_handover, handover_json, handover_text

    settings = print_settings(desk.config)
    rec = get_handover(desk, int(row.subject))
    lines = handover_text(desk, handover_json(desk, rec)).splitlines()
    title = _("Shift handover record") + (
        "  " + _("reprint no. {n}").format(n=row.reprint) if row.reprint else "")
    pdf = row.fmt == Format.PDF.value
    font = latin = None
    if pdf:
        from ..printing.fonts import find_cjk_font, find_latin_font

        font, latin = find_cjk_font(settings.font), find_latin_font()
    return plain_document(f"{desk.config.site_name}  {title}", lines,
                          f"handover-{rec.id}-job{row.id}", pdf=pdf, paper=settings.paper,
                          width=settings.text_width, font=font, latin=latin,
                          created=desk.now())


def retry_job(desk: Desk, job_id: int, by: str) -> JobView:
    """Put a failed (or cancelled) job back in the queue; a queued one stays as it is."""
    who = _by(by)
    now = desk.now()
    with desk.store.write() as session:
        row = _job(session, job_id, lock=True)
        state = JobState(row.state)
        if state is JobState.QUEUED:
            return _view(row)
        if state is JobState.PRINTING:
            raise IllegalTransition(_("Print job {id} is printing now.").format(id=job_id))
        if state is JobState.DONE:
            raise IllegalTransition(_("Print job {id} was printed; print the work order again "
                                      "for a reprint.").format(id=job_id))
        row.state = JobState.QUEUED.value
        row.error = ""
        _log(row, now, "retried", who)
        session.add(row)
        session.flush()
        return _view(row)


def cancel_job(desk: Desk, job_id: int, by: str) -> JobView:
    """Take a queued or failed job out of the queue; it is kept, `cancelled`, with who did it."""
    who = _by(by)
    now = desk.now()
    with desk.store.write() as session:
        row = _job(session, job_id, lock=True)
        state = JobState(row.state)
        if state not in (JobState.QUEUED, JobState.FAILED):
            raise IllegalTransition(_("Print job {id} is {state}: only a queued or failed job "
                                      "can be cancelled.").format(id=job_id, state=state.label))
        row.state = JobState.CANCELLED.value
        row.finished_at = now
        _log(row, now, JobState.CANCELLED.value, who)
        session.add(row)
        session.flush()
        return _view(row)


# ---------------------------------------------------------------- reading


def get_job(desk: Desk, job_id: int) -> JobView:
    with desk.store.read() as session:
        return _view(_job(session, job_id))


def list_jobs(desk: Desk, limit: int = 50) -> list[JobView]:
    """The newest jobs first."""
    with desk.store.read() as session:
        rows = session.exec(select(PrintJob).order_by(col(PrintJob.id).desc()).limit(limit))
        return [_view(r) for r in rows]


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


def printer_status(desk: Desk) -> PrinterStatus:
    """The configured printer's state (lpstat), or the folder's; one cheap call."""
    return _backend_for(*_configured(desk)).status()


def preview_text(desk: Desk, ticket_no: str, job_id: int | None = None) -> str:
    """The plain-text rendering of the work order (of a queued job, if given), as printed."""
    if job_id is not None:
        job = get_job(desk, job_id)
        record = get_ticket(desk, job.subject)
        return work_orders.text_of(desk, record, job.copies, reprint=job.reprint, job_id=job.id)
    record = get_ticket(desk, ticket_no)
    settings = print_settings(desk.config)
    with desk.store.read() as session:
        probe = PrintJob(site="", kind=JobKind.WORK_ORDER.value, subject=record.ticket_no,
                         fmt="", backend="", printer="", requested_by="",
                         requested_at=desk.now(), updated_at=desk.now())
        reprint = _earlier_prints(session, probe, (JobState.PRINTING, JobState.DONE))
    return work_orders.text_of(desk, record, work_orders.copy_names(settings, record),
                               reprint=reprint, job_id=None)


# ---------------------------------------------------------------- printing


def _configured(desk: Desk) -> tuple[str, str, float]:
    s = print_settings(desk.config)
    target = s.printer if s.backend is Backend.CUPS else str(s.folder)
    return s.backend.value, target, s.wait_seconds


def _backend_for(backend: str, target: str, wait_seconds: float) -> SendsJobs:
    if backend == Backend.CUPS.value:
        from ..printing.cups import CupsBackend

        return CupsBackend(target, wait_seconds)
    from ..printing.folder import FolderBackend

    return FolderBackend(Path(target))


def _claim(desk: Desk, job_id: int) -> PrintJob | None:
    now = desk.now()
    with desk.store.write() as session:
        row = _job(session, job_id, lock=True)
        if row.state != JobState.QUEUED.value:
            return None
        row.state = JobState.PRINTING.value
        row.attempts += 1
        # decided now, not when queued: a job ahead of it may have failed or been cancelled
        row.reprint = _earlier_prints(session, row, (JobState.PRINTING, JobState.DONE))
        _log(row, now, JobState.PRINTING.value)
        session.add(row)
        session.flush()
        return row


def _note_in_history(session: Session, row: PrintJob, at: datetime) -> None:
    """The print goes into the ticket's history (a note: it changes no state)."""
    ticket = session.exec(select(Ticket).where(Ticket.ticket_no == row.subject)
                          .with_for_update()).first()
    if ticket is None:
        return
    last = session.exec(select(func.max(TicketEvent.seq))
                        .where(TicketEvent.ticket_id == ticket.id)).one() or 0
    names = "、".join(row.detail.get("copies", []))
    if row.reprint:
        note = _("Work order reprinted (reprint no. {n}): {copies}; print job {job}.").format(
            n=row.reprint, copies=names, job=row.id)
    else:
        note = _("Work order printed: {copies}; print job {job}.").format(copies=names, job=row.id)
    session.add(TicketEvent(ticket_id=ticket.id, seq=last + 1, at=at, recorded_at=at,
                            action=Action.NOTE.value, by=row.requested_by, note=note,
                            data={"print_job": row.id, "reprint": row.reprint,
                                  "copies": row.detail.get("copies", [])}))
    ticket.last_event_at = max(ticket.last_event_at, at)
    session.add(ticket)


def _finish(desk: Desk, job_id: int, ok: bool, text: str) -> JobView:
    now = desk.now()
    with desk.store.write() as session:
        row = _job(session, job_id, lock=True)
        row.state = (JobState.DONE if ok else JobState.FAILED).value
        row.finished_at = now
        if ok:
            row.output, row.error = clean_text(text), ""
            _log(row, now, JobState.DONE.value)
            if row.kind == JobKind.WORK_ORDER.value:
                _note_in_history(session, row, now)
        else:
            row.error = clean_text(text) or _("unknown error")
            _log(row, now, JobState.FAILED.value, error=row.error)
        session.add(row)
        session.flush()
        return _view(row)


def run_job(desk: Desk, job_id: int) -> JobView:
    """Render and send a queued job: printing, then done or failed with the error. A job that
    is not queued (another desk took it, or it is done) is returned as it is."""
    row = _claim(desk, job_id)
    if row is None:
        return get_job(desk, job_id)
    try:
        if row.kind == JobKind.HANDOVER.value:
            doc = _render_handover(desk, row)
        else:
            record = get_ticket(desk, row.subject)
            doc = work_orders.render(desk, record, tuple(row.detail.get("copies", [])),
                                     Format(row.fmt), reprint=row.reprint, job_id=job_id)
        output = _backend_for(row.backend, row.printer, _configured(desk)[2]).send(doc)
    except RepairdeskError as exc:
        return _finish(desk, job_id, False, str(exc))
    except Exception as exc:
        # a bug, not a printer: recorded on the job so it does not hang in `printing`
        _finish(desk, job_id, False, _("Unexpected error: {error}").format(
            error=f"{type(exc).__name__}: {exc}"))
        raise
    return _finish(desk, job_id, True, output)


def recover_interrupted(desk: Desk) -> list[JobView]:
    """Jobs left `printing` by a desk that stopped mid-print become failed: whether the paper
    came out is unknown, so the clerk checks and retries rather than the desk printing twice."""
    cutoff = desk.now() - STALE_AFTER
    now = desk.now()
    out = []
    with desk.store.write() as session:
        rows = session.exec(select(PrintJob).where(PrintJob.state == JobState.PRINTING.value,
                                                   col(PrintJob.updated_at) < cutoff))
        for row in rows:
            row.state = JobState.FAILED.value
            row.error = _("Interrupted while printing; check the printer, then retry.")
            row.finished_at = now
            _log(row, now, JobState.FAILED.value, error=row.error)
            session.add(row)
            out.append(row)
        session.flush()
        return [_view(r) for r in out]


def run_pending(desk: Desk) -> list[JobView]:
    """Print every queued job, oldest first; returns what became of each."""
    recover_interrupted(desk)
    with desk.store.read() as session:
        ids = list(session.exec(select(PrintJob.id).where(PrintJob.state == JobState.QUEUED.value)
                                .order_by(col(PrintJob.id))))
    return [run_job(desk, i) for i in ids if i is not None]
