"""`repairdesk init`: create an empty book on purpose. Every other command refuses a missing
book (a typo'd --db must not quietly become a new one); the desk itself creates its book at
its first start and then leads the site through the first-night setup."""

from __future__ import annotations

import typer

from ..i18n import _
from .common import globals_of, out


def init(ctx: typer.Context) -> None:
    """Create the book at --db (or the default place) if it is not there yet."""
    from ..store.db import open_store
    from ..store.location import resolve_url

    g = globals_of(ctx)
    url = resolve_url(g.db)
    try:
        open_store(g.db, must_exist=True).dispose()
    except Exception:  # noqa: BLE001 - not there yet (or not a book): the next line says which
        pass
    else:
        out(_("{url} is already a repairdesk book; nothing to do.").format(url=_shown(url)))
        return
    open_store(g.db).dispose()  # a foreign file is refused here with its own message
    out(_("Created the book {url}. Start the desk (repairdesk) to set up the site and the "
          "staff roster.").format(url=_shown(url)))


def _shown(url: str) -> str:
    from ..services.doctor import hide_password

    return url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else hide_password(url)


def register(app: typer.Typer) -> None:
    app.command("init", help=_("Create an empty book (every other command needs one)."))(init)
