"""`repairdesk verify`: the duty-log chain, every signature and the records they sign.

With a FILE it also runs the book-file checks (integrity, schema version) of the backup
module, so one command answers "was anything altered outside the app?"."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..i18n import _
from .common import globals_of, out


def verify(
    ctx: typer.Context,
    file: Optional[Path] = typer.Argument(None, metavar="FILE", help=_(
        "A book or backup file (default: the current database).")),
) -> None:
    """Walk the duty-log chain and the signatures; exit 1 at the first thing that does not match."""
    from ..errors import StoreError
    from ..services.desk import open_desk
    from ..services.signing import verify_book

    g = globals_of(ctx)
    if file is not None:
        from ..services import backup as svc

        check = svc.verify_file(file)
        if not check.ok:
            raise StoreError(_("{path} does not verify: {problem}").format(
                path=file, problem=check.problem))
    desk = open_desk(str(file.resolve()) if file else g.db, g.config) if file else g.desk()
    report = verify_book(desk)
    if report.problem:
        raise StoreError(_("Altered outside the app: {problem}").format(problem=report.problem))
    out(_("Verified: {n} duty-log entries and {s} signatures match.").format(
        n=report.entries, s=report.signatures))


def register(app: typer.Typer) -> None:
    """Register `verify` (replacing the book-file-only check registered before it)."""
    app.registered_commands = [c for c in app.registered_commands if c.name != "verify"]
    app.command("verify", help=_("Verify the book: duty-log chain, signatures, file integrity."))(
        verify)
