"""`repairdesk doctor`: one line per thing that keeps the desk working, and what to do about it.

Exit 0 when nothing failed (warnings allowed), 1 when a check failed. The marks ✓ ! ✗ read
without colour (plain words when the terminal cannot show them); colour only on a terminal.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import typer

from ..i18n import _
from .common import echo_json, globals_of, out

_MARKS = {"ok": "✓", "warn": "!", "fail": "✗"}
_WORDS = {"ok": "OK  ", "warn": "WARN", "fail": "FAIL"}
_COLOURS = {"ok": typer.colors.GREEN, "warn": typer.colors.YELLOW, "fail": typer.colors.RED}


def _fancy() -> bool:
    """True when standard output can show ✓ ✗ →."""
    try:
        "✓✗→".encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _colour() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def line(check: Any, fancy: bool, colour: bool) -> str:
    """`✓ Book: /srv/desk.sqlite3: schema 3 …` with ` → what to do` on the same line."""
    status = check.status.value
    mark = _MARKS[status] if fancy else _WORDS[status]
    if colour:
        mark = typer.style(mark, fg=_COLOURS[status], bold=True)
    text = _("{label}: {detail}").format(label=check.label, detail=check.detail)
    if check.advice:
        text += (" → " if fancy else " -> ") + check.advice
    return f"{mark} {text}"


def doctor(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help=_("Print JSON.")),
) -> None:
    """Check the book, backups, permissions, disk, time zone, fonts and printer."""
    from ..clock import SystemClock
    from ..services.doctor import failed, run_checks

    g = globals_of(ctx)
    checks = run_checks(g.db, g.config, SystemClock().now())
    if as_json:
        echo_json({"ok": not failed(checks), "checks": [
            {"name": c.name, "label": c.label, "status": c.status.value, "detail": c.detail,
             "advice": c.advice} for c in checks]})
    else:
        fancy, colour = _fancy(), _colour()
        for c in checks:
            out(line(c, fancy, colour))
    if failed(checks):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("doctor", help=_(
        "Check that this desk is ready to work: book, backups, fonts, printer, config."))(doctor)
