"""`repairdesk report month|day`: the monthly statistics table and the daily check, on the
terminal or exported to CSV, XLSX or PDF. An export that takes over a second shows a progress
bar on the terminal (stderr), so stdout stays clean for pipes."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, Optional

import typer

from ..i18n import _
from .common import desk_of, out

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)

FORMAT = typer.Option("table", "--format", "-f", show_default=False,
                      help=_("table, csv, xlsx or pdf."))
OUT = typer.Option(None, "--out", "-o", help=_(
    "Write to this file (xlsx and pdf: default repairdesk-<report>.<format> here)."))
FORCE = typer.Option(False, "--force", help=_("Replace the file if it exists."))


class _Bar:
    """A rich progress bar that appears only once the work has taken a second."""

    DELAY_S = 1.0

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.progress: Any = None
        self.tasks: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.progress is None:
            if time.monotonic() - self.started < self.DELAY_S:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                     MofNCompleteColumn(), console=Console(stderr=True),
                                     transient=True)
            self.progress.start()
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=total)
        self.progress.update(self.tasks[stage], completed=done, total=total)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def _write(data: bytes, fmt: Any, target: Optional[str], default_name: str,
           force: bool = False) -> None:
    from ..reports.export import Format

    if target is None and fmt in (Format.TABLE, Format.CSV):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from ..files import write_private

    path = Path(target or f"{default_name}.{fmt.value}")
    write_private(path, data, replace=force)
    out(str(path))


@app.command("month", help=_("The monthly statistics table (YYYY-MM, default: this month)."))
def month(ctx: typer.Context,
          key: Optional[str] = typer.Argument(None, metavar="YYYY-MM"),
          fmt: str = FORMAT, target: Optional[str] = OUT, force: bool = FORCE,
          as_json: bool = typer.Option(False, "--json", help=_(
              "Machine-readable JSON: totals, met/missed/pending and rate per clock, callback "
              "and rework rates, the voided list."))) -> None:
    from ..reports.export import export_month, parse_format
    from ..services.reports import current_month, month_key, month_table, parse_month

    desk = desk_of(ctx)
    kind = parse_format(fmt)
    key = month_key(*parse_month(key)) if key else current_month(desk)
    if as_json:
        from ..reports.json_out import month_json

        data = month_json(month_table(desk, key))
        if target is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            from ..files import write_private

            write_private(Path(target), data, replace=force)
            out(target)
        return
    bar = _Bar()
    try:
        data = export_month(desk, key, kind, progress=bar)
    finally:
        bar.close()
    _write(data, kind, target, f"repairdesk-month-{key}", force)


@app.command("day", help=_(
    "The daily check: orders issued and not yet returned, and repeat reports (default: today)."))
def day(ctx: typer.Context,
        date_: Optional[str] = typer.Argument(None, metavar="DATE"),
        fmt: str = FORMAT, target: Optional[str] = OUT, force: bool = FORCE) -> None:
    from ..reports.export import export_day, parse_format
    from ..services.daily import parse_day

    desk = desk_of(ctx)
    kind = parse_format(fmt)
    when = parse_day(desk, date_)
    _write(export_day(desk, when, kind), kind, target, f"repairdesk-day-{when.isoformat()}",
           force)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="report", help=_("Monthly statistics and the daily report."))
