"""`repairdesk print …`: print a work order, list the queue, retry or cancel a job.

`repairdesk print NO` prints the ticket's work order at once (the `order` command is the
group's default); `print queue`, `print retry JOB`, `print cancel JOB`, `print status` and
`print preview NO` work on the queue.
"""

from __future__ import annotations

from typing import Any, Optional

import typer
from typer.core import TyperGroup

from ..i18n import _
from .common import default_clerk, desk_of, echo_json, out


class _DefaultOrder(TyperGroup):
    """`print NO …` means `print order NO …`: anything that is not a subcommand."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["order", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(cls=_DefaultOrder, no_args_is_help=True, rich_markup_mode=None)

BY = typer.Option(None, "--by", help=_("The clerk recording this (default: the clerk on duty)."))


def _line(desk: Any, job: Any) -> str:
    from ..domain.timeparse import fmt_local

    note = job.error or job.output
    if job.reprint:
        note = f"{_('Reprint no. {n}').format(n=job.reprint)} {note}".strip()
    return "\t".join([str(job.id), job.subject, job.state.label, "、".join(job.copies),
                      fmt_local(job.requested_at, desk.config.tz), job.requested_by,
                      job.printer, note or "-"])


def _report(desk: Any, job: Any, strict: bool = True) -> None:
    """One line per job; a failed job is an error (exit 1) unless `strict` is off."""
    from ..services.printing import JobState

    if job.state is JobState.FAILED:
        message = _("Print job {id} failed: {error} (retry: repairdesk print retry {id})").format(
            id=job.id, error=job.error)
        if strict:
            typer.echo(message, err=True)
            raise typer.Exit(1)
        typer.echo(message, err=True)
        return
    target = out if strict else (lambda text: typer.echo(text, err=True))
    target(f"{job.id}\t{job.subject}\t{job.state.label}\t{job.output or job.printer}")


def run_queued(desk: Any) -> None:
    """Print what is queued (after a dispatch): progress on stderr, never an error exit —
    the step itself succeeded, and a failed print stays in the queue to retry."""
    from ..services.printing import run_pending

    for job in run_pending(desk):
        _report(desk, job, strict=False)


@app.command("order", hidden=True, help=_("Print a ticket's work order now."))
def order(
    ctx: typer.Context,
    ticket_no: str = typer.Argument(..., metavar="NO"),
    copies: Optional[int] = typer.Option(None, "--copies", help=_(
        "How many copies (default: 2 for free jobs, 3 for paid ones).")),
    printer: Optional[str] = typer.Option(None, "--printer", help=_("CUPS printer name.")),
    fmt: Optional[str] = typer.Option(None, "--format", help=_("pdf or text.")),
    out_dir: Optional[str] = typer.Option(None, "--out", help=_(
        "Write the files to this folder instead of printing.")),
    by: Optional[str] = BY,
) -> None:
    from ..services.printing import queue_work_order, run_job

    desk = desk_of(ctx)
    job = queue_work_order(desk, ticket_no, default_clerk(desk, by), copies=copies,
                           printer=printer, fmt=fmt, folder=out_dir)
    _report(desk, run_job(desk, job.id))


@app.command("queue", help=_("The print queue, newest first."))
def queue(ctx: typer.Context,
          as_json: bool = typer.Option(False, "--json", help=_("Print JSON.")),
          limit: int = typer.Option(50, "--limit", help=_("At most this many."))) -> None:
    from ..services.printing import list_jobs
    from ..services.serialize import iso

    desk = desk_of(ctx)
    jobs = list_jobs(desk, limit=max(1, limit))
    if as_json:
        tz = desk.config.tz
        echo_json([{"id": j.id, "kind": j.kind.value, "subject": j.subject,
                    "copies": list(j.copies), "state": j.state.value, "error": j.error,
                    "attempts": j.attempts, "requested_by": j.requested_by,
                    "requested_at": iso(j.requested_at, tz), "printer": j.printer,
                    "backend": j.backend, "format": j.fmt, "reprint": j.reprint,
                    "output": j.output, "finished_at": iso(j.finished_at, tz)} for j in jobs])
        return
    for j in jobs:
        out(_line(desk, j))


@app.command("retry", help=_("Put a failed print job back in the queue and print it."))
def retry(ctx: typer.Context, job_id: int = typer.Argument(..., metavar="JOB"),
          by: Optional[str] = BY) -> None:
    from ..services.printing import retry_job, run_job

    desk = desk_of(ctx)
    retry_job(desk, job_id, default_clerk(desk, by))
    _report(desk, run_job(desk, job_id))


@app.command("cancel", help=_("Cancel a queued or failed print job (it stays on record)."))
def cancel(ctx: typer.Context, job_id: int = typer.Argument(..., metavar="JOB"),
           by: Optional[str] = BY) -> None:
    from ..services.printing import cancel_job

    desk = desk_of(ctx)
    _report(desk, cancel_job(desk, job_id, default_clerk(desk, by)))


@app.command("status", help=_("The printer's state (exit 1 when it cannot print)."))
def status(ctx: typer.Context) -> None:
    from ..services.printing import printer_status

    st = printer_status(desk_of(ctx))
    out(f"{st.name}\t{st.text}")
    if not st.ok:
        raise typer.Exit(1)


@app.command("preview", help=_("Show the work order as the text printer would print it."))
def preview(ctx: typer.Context, ticket_no: str = typer.Argument(..., metavar="NO")) -> None:
    from ..services.printing import preview_text

    out(preview_text(desk_of(ctx), ticket_no).replace("\f", "\n").rstrip("\n"))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="print", help=_(
        "Print a ticket's work order: print NO [--copies N] [--printer NAME] "
        "[--format pdf|text] [--out DIR]; and the print queue: queue, retry, cancel, status, "
        "preview."))
