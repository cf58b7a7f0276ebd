"""`repairdesk verify`: the duty-log chain, every signature and the records they sign.

The book-file checks of the backup module (integrity, schema version) always run on a SQLite
book — the current one or FILE — so one command answers "was anything altered outside the
app?"; a missing, empty or foreign file is refused, never created."""

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
    anchor: list[str] = typer.Option([], "--anchor", metavar="DIGEST", help=_(
        "An anchor printed on a handover or sign-off: the book must still hold that history "
        "(repeatable).")),
    anchors_file: Optional[Path] = typer.Option(None, "--anchors", metavar="FILE", help=_(
        "A file of anchors, one a line (# starts a comment).")),
) -> None:
    """Walk the duty-log chain and the signatures; exit 1 at the first thing that does not match."""
    from ..errors import StoreError
    from ..services.anchors import parse_anchor, read_anchor_lines
    from ..services.desk import open_desk
    from ..services.integrity import verify_book

    from ..services import backup as svc
    from ..store.location import resolve_url

    # anchors are read first: a mistyped one is one line, before the book is opened
    wanted = [parse_anchor(a) for a in anchor]
    if anchors_file is not None:
        try:
            text = anchors_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise StoreError(_("Cannot read the anchors file {path}: {error}").format(
                path=anchors_file, error=exc)) from None
        wanted += read_anchor_lines(text.splitlines())
    g = globals_of(ctx)
    url = resolve_url(g.db)
    if file is None and url.startswith("sqlite:///"):
        # the current book gets the file checks too (integrity, schema) — and a missing,
        # empty or foreign file is refused here instead of being made into a new empty book
        file = svc.sqlite_path(url)
    check = svc.verify_file(file) if file is not None else None
    if check is not None and not check.ok and check.tickets == 0 and check.log_entries == 0:
        # damaged, foreign, empty or too new: the book itself cannot be trusted to open
        raise StoreError(_("{path} does not verify: {problem}").format(
            path=file, problem=check.problem))
    # guard=False: the checks above see the book as it was found, and verify writes nothing
    desk = open_desk(str(file.resolve()), g.config, guard=False) if file else g.desk()
    report = verify_book(desk)
    if check is not None and not check.ok and not report.problem:
        raise StoreError(_("{path} does not verify: {problem}").format(
            path=file, problem=check.problem))
    failed = None
    if wanted:
        from ..services.anchors import check_anchors

        with desk.store.read() as session:
            failed = check_anchors(session, wanted)
    # the anchor first (it holds even against a rewritten book), then the first bad record of
    # each kind, then the schema: one line
    problems = [str(failed)] if failed is not None else []
    problems += list(report.problems)
    if problems and check is not None and check.schema:
        problems.append(check.schema)
    if problems:
        raise StoreError(_("Altered outside the app: {problem}").format(
            problem="; ".join(problems)))
    out(_("Verified: {n} duty-log entries and {s} signatures match.").format(
        n=report.entries, s=report.signatures))
    if wanted:
        out(_("{n} anchors match: the book still holds that history.").format(n=len(wanted)))


def register(app: typer.Typer) -> None:
    """Register `verify` (replacing the book-file-only check registered before it)."""
    app.registered_commands = [c for c in app.registered_commands if c.name != "verify"]
    app.command("verify", help=_("Verify the book: duty-log chain, signatures, file integrity."))(
        verify)
