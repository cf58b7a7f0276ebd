"""`repairdesk backup` and `restore`: copies of the book, and bringing one back (`verify`
lives in cli/verify.py and uses services/backup.verify_file for files).

Also `repairdesk ticket reveal NO --by SUPERVISOR --pin-stdin` (privacy), which lives here with
the other safeguards rather than among the everyday ticket steps."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

import typer

from ..i18n import _
from .common import globals_of, out


def _config(ctx: typer.Context) -> Any:
    from ..config import load_config

    return load_config(globals_of(ctx).config)


def _url(ctx: typer.Context) -> str:
    from ..store.location import resolve_url

    return resolve_url(globals_of(ctx).db)


def _summary(check: Any) -> str:
    return _("{path}: {tickets} tickets, {entries} duty-log entries, chain verified").format(
        path=check.path, tickets=check.tickets, entries=check.log_entries)


def backup(
    ctx: typer.Context,
    to: Optional[Path] = typer.Option(None, "--to", help=_(
        "Write the copy here (default: the backup folder, named by date and time).")),
    force: bool = typer.Option(False, "--force", help=_("Replace the file if it exists.")),
    if_due: bool = typer.Option(False, "--if-due", help=_(
        "Only if today's nightly backup is due (for cron, e.g. every 15 minutes).")),
) -> None:
    """Copy the book while desks keep working, then verify the copy."""
    from ..clock import SystemClock
    from ..services import backup as svc

    config, url, now = _config(ctx), _url(ctx), SystemClock().now()
    if if_due:
        check = svc.backup_if_due(config, url, now)
        if check is None:
            out(_("No backup due."))
            return
    else:
        check = svc.backup_now(config, url, now, to, force=force)
    out(_summary(check))


def restore(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help=_("The backup to bring back.")),
    yes: bool = typer.Option(False, "--yes", help=_(
        "Replace the current book (it is kept aside first).")),
) -> None:
    """Verify a backup, keep the current book aside, and put the backup in its place."""
    from ..clock import SystemClock
    from ..services import backup as svc

    check, kept = svc.restore_file(file, _url(ctx), SystemClock().now(), yes=yes,
                                   config=_config(ctx))
    if kept is not None:
        out(_("The previous book is kept at {path}").format(path=kept))
    out(_("Restored: {summary}").format(summary=_summary(check)))


def compact(ctx: typer.Context) -> None:
    """Give the book back the room it no longer uses (SQLite VACUUM); needs the desks closed."""
    from ..services.compact import compact_book

    g = globals_of(ctx)
    g.desk().close()  # a book at this version (an older one is upgraded first), or one line
    done = compact_book(_url(ctx))
    mb = 1024 * 1024
    out(_("{path}: {before:.1f} MB -> {after:.1f} MB").format(
        path=done.path, before=done.before / mb, after=done.after / mb))


def reveal(
    ctx: typer.Context,
    ticket_no: str = typer.Argument(..., metavar="NO"),
    by: str = typer.Option(..., "--by", help=_("The supervisor revealing the number.")),
    pin_stdin: bool = typer.Option(False, "--pin-stdin", help=_(
        "Read the supervisor's PIN from standard input.")),
) -> None:
    """Show a ticket's full phone number; needs a supervisor's PIN and is logged."""
    import getpass

    from ..services.privacy import reveal_phone
    from .common import desk_of

    pin = sys.stdin.readline().strip() if pin_stdin else getpass.getpass(_("PIN: "))
    out(reveal_phone(desk_of(ctx), ticket_no, by, pin))


def register(app: typer.Typer) -> None:
    """Add the commands to the root app (and `reveal` to the ticket group)."""
    app.command("backup", help=_("Back up the book (safe while desks are working)."))(backup)
    app.command("restore", help=_("Restore the book from a backup (verified first)."))(restore)
    app.command("compact", help=_(
        "Give the book back the room it no longer uses (close the desks first)."))(compact)
    from .tickets import app as ticket_app

    ticket_app.command("reveal", help=_(
        "Show a ticket's full phone number (supervisor's PIN; logged)."))(reveal)
