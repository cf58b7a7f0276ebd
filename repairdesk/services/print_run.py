"""Printing what is queued: run_job and run_pending render and send a job outside any
transaction, then record done or failed with the printer's words. A printer failure never
raises out of run_job: the job stays in the queue, `failed`, for retry_job. Also the printer's
status and the preview of a work order as it would print."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from ..domain.enums import Action
from ..domain.text import clean_text
from ..errors import RepairdeskError
from ..i18n import N_, _
from ..printing.base import Backend as SendsJobs
from ..printing.base import PrinterStatus
from ..printing.settings import Backend, Format, print_settings
from ..store.tables import PrintJob, Ticket, TicketEvent
from ..stored_text import StoredMessage, message
from . import work_orders
from .desk import Desk
from .print_jobs import (
    JobKind, JobState, JobView, configured_target, earlier_prints, get_job, job_row, job_view,
    log_job,
)
from .ticket_records import get_ticket


# a job still `printing` this long after it started was cut off (the desk closed mid-print)
STALE_AFTER = timedelta(minutes=10)
# a step recorded this long after its time was entered from paper (as intake.register_ticket)
BACK_ENTERED = timedelta(minutes=2)


def _backend_for(backend: str, target: str, wait_seconds: float) -> SendsJobs:
    if backend == Backend.CUPS.value:
        from ..printing.cups import CupsBackend

        return CupsBackend(target, wait_seconds)
    from ..printing.folder import FolderBackend

    return FolderBackend(Path(target))


def printer_status(desk: Desk) -> PrinterStatus:
    """The configured printer's state (lpstat), or the folder's; one cheap call."""
    return _backend_for(*configured_target(desk)).status()


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
        reprint = earlier_prints(session, probe, (JobState.PRINTING, JobState.DONE))
    return work_orders.text_of(desk, record, work_orders.copy_names(settings, record),
                               reprint=reprint, job_id=None)


def _render_handover(desk: Desk, row: PrintJob) -> Any:
    from ..printing.plain import plain_document
    from .handover_records import get_handover, handover_json, handover_text

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


def _claim(desk: Desk, job_id: int) -> PrintJob | None:
    now = desk.now()
    with desk.store.write() as session:
        row = job_row(session, job_id, lock=True)
        if row.state != JobState.QUEUED.value:
            return None
        row.state = JobState.PRINTING.value
        row.attempts += 1
        # decided now, not when queued: a job ahead of it may have failed or been cancelled
        row.reprint = earlier_prints(session, row, (JobState.PRINTING, JobState.DONE))
        log_job(row, now, JobState.PRINTING.value)
        session.add(row)
        session.flush()
        return row


def _note_in_history(session: Session, row: PrintJob, at: datetime) -> None:
    """The print goes into the ticket's history (a note: it changes no state)."""
    ticket = session.exec(select(Ticket).where(Ticket.ticket_no == row.subject)
                          .with_for_update()).first()
    if ticket is None:
        return
    previous = session.exec(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)
                            .order_by(col(TicketEvent.seq).desc()).limit(1)).first()
    last = previous.seq if previous is not None else 0
    when = at
    if previous is not None and previous.recorded_at - previous.at > BACK_ENTERED:
        # the order of a step entered from paper: the note takes the step's time, so the
        # next back-dated step still fits the history (recorded_at keeps the real time)
        when = min(at, previous.at)
    names = "、".join(row.detail.get("copies", []))
    if row.reprint:
        note = _("Work order reprinted (reprint no. {n}): {copies}; print job {job}.").format(
            n=row.reprint, copies=names, job=row.id)
    else:
        note = _("Work order printed: {copies}; print job {job}.").format(copies=names, job=row.id)
    session.add(TicketEvent(ticket_id=ticket.id, seq=last + 1, at=when, recorded_at=at,
                            action=Action.NOTE.value, by=row.requested_by, note=note,
                            data={"print_job": row.id, "reprint": row.reprint,
                                  "copies": row.detail.get("copies", [])}))
    ticket.last_event_at = max(ticket.last_event_at, when)
    session.add(ticket)


def _finish(desk: Desk, job_id: int, ok: bool, text: str | StoredMessage) -> JobView:
    """Done (`text`: where it went) or failed (`text`: the error, kept as a message id and
    parameters where it has them, so each reader sees it in their language)."""
    now = desk.now()
    with desk.store.write() as session:
        row = job_row(session, job_id, lock=True)
        row.state = (JobState.DONE if ok else JobState.FAILED).value
        row.finished_at = now
        if ok:
            row.output, row.error = clean_text(str(text)), ""
            log_job(row, now, JobState.DONE.value)
            if row.kind == JobKind.WORK_ORDER.value:
                _note_in_history(session, row, now)
        else:
            if isinstance(text, StoredMessage):
                row.error = text.dump()
            else:
                row.error = clean_text(text) or message(N_("unknown error")).dump()
            log_job(row, now, JobState.FAILED.value, error=row.error)
        session.add(row)
        session.flush()
        return job_view(row)


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
        output = _backend_for(row.backend, row.printer, configured_target(desk)[2]).send(doc)
    except RepairdeskError as exc:
        return _finish(desk, job_id, False, exc.stored or str(exc))
    except Exception as exc:
        # a bug, not a printer: recorded on the job so it does not hang in `printing`
        _finish(desk, job_id, False, message(N_("Unexpected error: {error}"),
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
            row.error = message(
                N_("Interrupted while printing; check the printer, then retry.")).dump()
            row.finished_at = now
            log_job(row, now, JobState.FAILED.value, error=row.error)
            session.add(row)
            out.append(row)
        session.flush()
        return [job_view(r) for r in out]


def run_pending(desk: Desk) -> list[JobView]:
    """Print every queued job, oldest first; returns what became of each."""
    recover_interrupted(desk)
    with desk.store.read() as session:
        ids = list(session.exec(select(PrintJob.id).where(PrintJob.state == JobState.QUEUED.value)
                                .order_by(col(PrintJob.id))))
    return [run_job(desk, i) for i in ids if i is not None]
