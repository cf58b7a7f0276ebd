"""The print queue (打印队列): work orders wait in the database until they are printed.

queue_* and retry_job only put a job in the queue (one short transaction); run_job and
run_pending render and send it, outside any transaction, then record done or failed with the
error. The CLI runs the job at once; the TUI runs it in a worker thread. A printer failure
never raises out of run_job: the job stays in the queue, `failed`, with the printer's words,
and retry_job puts it back. A cancelled job is kept (state `cancelled`) for the record.
"""

from __future__ import annotations

# The queue lives in three modules; this one gathers their names for the CLI and the TUI:
#   print_jobs.py   states, the job view, reading the queue
#   print_queue.py  queue_work_order, queue_handover, retry_job, cancel_job
#   print_run.py    run_job, run_pending, recover_interrupted, printer_status, preview_text
# The modules the queue is built from import each other directly, never this one.
from .print_jobs import JobKind, JobState, JobView, change_marker, get_job, list_jobs
from .print_queue import MAX_COPIES, cancel_job, queue_handover, queue_work_order, retry_job
from .print_run import (
    STALE_AFTER, preview_text, printer_status, recover_interrupted, run_job, run_pending,
)

__all__ = [
    "MAX_COPIES", "STALE_AFTER", "JobKind", "JobState", "JobView", "cancel_job", "change_marker",
    "get_job", "list_jobs", "preview_text", "printer_status", "queue_handover",
    "queue_work_order", "recover_interrupted", "retry_job", "run_job", "run_pending",
]
