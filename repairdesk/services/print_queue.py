"""Putting jobs in the print queue and taking them out: queue_* and retry_job only add or reset
a row (one short transaction); cancel_job keeps the row, `cancelled`, for the record.
Printing them is print_run.py's."""

from __future__ import annotations

from pathlib import Path

from ..domain.enums import Status
from ..domain.text import clean_text
from ..errors import IllegalTransition, ValidationError
from ..i18n import _
from ..printing.settings import Backend, Format, print_settings
from ..store.tables import PrintJob
from . import work_orders
from .desk import Desk
from .print_jobs import (
    JobKind, JobState, JobView, configured_target, earlier_prints, job_row, job_view, log_job,
)
from .ticket_records import get_ticket


MAX_COPIES = 9


def _by(desk: Desk, by: str) -> str:
    """Who prints: an active staff member of a desk role (services/authority.py), never a
    free-typed name."""
    from .authority import Act, require_actor

    who = clean_text(by)
    if not who:
        raise ValidationError(_("Who is printing? Give the clerk's name."), "by")
    with desk.store.read() as session:
        return require_actor(session, who, Act.DESK_STEP).name


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
    who = _by(desk, by)
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
        row.reprint = earlier_prints(session, row, (JobState.QUEUED, JobState.PRINTING,
                                                     JobState.DONE))
        log_job(row, now, JobState.QUEUED.value, who)
        session.add(row)
        session.flush()
        return job_view(row)


def queue_handover(desk: Desk, handover_id: int, by: str, *, fmt: str | None = None) -> JobView:
    """Queue a signed handover record (one copy) to the configured printer or folder."""
    from .handover_records import get_handover

    who = _by(desk, by)
    settings = print_settings(desk.config)
    rec = get_handover(desk, handover_id)  # NotFound for an unknown id
    form = _format(fmt, settings.format)
    backend, target, _wait = configured_target(desk)
    now = desk.now()
    with desk.store.write() as session:
        row = PrintJob(site=desk.config.site_code, kind=JobKind.HANDOVER.value,
                       subject=str(rec.id), fmt=form.value, backend=backend, printer=target,
                       state=JobState.QUEUED.value, requested_by=who, requested_at=now,
                       updated_at=now, detail={"copies": [_("Handover record")]})
        row.reprint = earlier_prints(session, row, (JobState.QUEUED, JobState.PRINTING,
                                                     JobState.DONE))
        log_job(row, now, JobState.QUEUED.value, who)
        session.add(row)
        session.flush()
        return job_view(row)


def retry_job(desk: Desk, job_id: int, by: str) -> JobView:
    """Put a failed (or cancelled) job back in the queue; a queued one stays as it is."""
    who = _by(desk, by)
    now = desk.now()
    with desk.store.write() as session:
        row = job_row(session, job_id, lock=True)
        state = JobState(row.state)
        if state is JobState.QUEUED:
            return job_view(row)
        if state is JobState.PRINTING:
            raise IllegalTransition(_("Print job {id} is printing now.").format(id=job_id))
        if state is JobState.DONE:
            raise IllegalTransition(_("Print job {id} was printed; print the work order again "
                                      "for a reprint.").format(id=job_id))
        row.state = JobState.QUEUED.value
        row.error = ""
        log_job(row, now, "retried", who)
        session.add(row)
        session.flush()
        return job_view(row)


def cancel_job(desk: Desk, job_id: int, by: str) -> JobView:
    """Take a queued or failed job out of the queue; it is kept, `cancelled`, with who did it."""
    who = _by(desk, by)
    now = desk.now()
    with desk.store.write() as session:
        row = job_row(session, job_id, lock=True)
        state = JobState(row.state)
        if state not in (JobState.QUEUED, JobState.FAILED):
            raise IllegalTransition(_("Print job {id} is {state}: only a queued or failed job "
                                      "can be cancelled.").format(id=job_id, state=state.label))
        row.state = JobState.CANCELLED.value
        row.finished_at = now
        log_job(row, now, JobState.CANCELLED.value, who)
        session.add(row)
        session.flush()
        return job_view(row)
