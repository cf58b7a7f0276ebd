"""Shared CLI plumbing: the global options, opening the desk, printing, errors."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from typing import Any

import typer

from ..errors import RepairdeskError
from ..i18n import _


@dataclass
class Globals:
    db: str | None = None
    lang: str | None = None
    config: str | None = None
    _desk: Any = field(default=None, repr=False)

    def desk(self) -> Any:
        """Open the desk once per command (configuration, database, system clock)."""
        if self._desk is None:
            from ..services.desk import open_desk

            self._desk = open_desk(self.db, self.config, must_exist=True)
        return self._desk


def globals_of(ctx: typer.Context) -> Globals:
    obj = ctx.find_root().obj
    assert isinstance(obj, Globals)
    return obj


def desk_of(ctx: typer.Context) -> Any:
    return globals_of(ctx).desk()


def default_clerk(desk: Any, given: str | None) -> str:
    """--by, else $REPAIRDESK_CLERK, else the clerk holding the shift, else "" (the service
    refuses with one line). Never the OS login name: every act names a staff member, whom
    the services check (services/authority.py)."""
    if given:
        return given
    if os.environ.get("REPAIRDESK_CLERK"):
        return os.environ["REPAIRDESK_CLERK"]
    from ..services import shifts

    return shifts.current_holder(desk) or ""


def echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def fail(message: str, code: int = 1) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def error_line(exc: BaseException) -> str:
    if isinstance(exc, RepairdeskError):
        return str(exc)
    return _("Unexpected error: {error}").format(error=f"{type(exc).__name__}: {exc}")


def log_traceback() -> None:
    """Keep the traceback of an unexpected error in a file, not on the clerk's screen."""
    import traceback

    try:
        from pathlib import Path

        from platformdirs import user_log_dir

        from ..files import FILE_MODE, private_dir

        # a traceback can quote what a clerk typed (names, rooms, phones): owner-only
        folder = private_dir(Path(user_log_dir("repairdesk")))
        fd = os.open(folder / "errors.log", os.O_CREAT | os.O_APPEND | os.O_WRONLY, FILE_MODE)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            os.fchmod(fh.fileno(), FILE_MODE)  # also an older 0644 log
            traceback.print_exc(file=fh)
    except OSError:
        pass


def out(text: str) -> None:
    """One rule for what the CLI prints: never a terminal escape, even from an old record."""
    from ..domain.text import for_output

    sys.stdout.write(for_output(text) + "\n")
