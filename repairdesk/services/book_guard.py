"""Putting back the append-only triggers when a desk or a command opens the book.

Someone with shell access may drop the triggers that refuse UPDATE and DELETE on history, or
plant one of their own. The open compares the book's triggers with this version's (one read
of sqlite_master); on a difference it re-creates the missing or altered ones, drops the
planted ones and writes a duty-log entry naming them — in one write transaction, so the
tampering is on the record the moment the protection is back. A read-only book is left as it
is (`verify` still reports it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import _
from ..store.schema_check import (ALTERED, MISSING, UNEXPECTED, SchemaDifference,
                                  repair_triggers, trigger_differences)
from . import dutylog

if TYPE_CHECKING:
    from .context import Desk


def restore_triggers(desk: "Desk") -> list[SchemaDifference]:
    """Re-install the expected triggers and log what was wrong; [] when the book is as
    expected (the everyday case: nothing is written)."""
    store = desk.store
    if store.dialect != "sqlite" or store.read_only:
        return []
    with store.engine.connect() as conn:
        if not trigger_differences(conn):
            return []
    with store.write() as session:
        conn = session.connection()
        # another desk may have put them back while this one waited for the write lock
        diffs = trigger_differences(conn)
        if not diffs:
            return []
        repair_triggers(conn, diffs)
        back = [d.name for d in diffs if d.change in (MISSING, ALTERED)]
        gone = [d.name for d in diffs if d.change == UNEXPECTED]
        text = _("The book's triggers were changed outside the app. Re-created: {back}. "
                 "Removed: {gone}.").format(back=", ".join(back) or "-",
                                            gone=", ".join(gone) or "-")
        dutylog.append(
            session, site=desk.config.site_code, at=desk.now(), kind=dutylog.LogKind.SYSTEM,
            author=_("Book check"), text=text,
            data={"missing": [d.name for d in diffs if d.change == MISSING],
                  "altered": [{"name": d.name, "sql": d.sql} for d in diffs
                              if d.change == ALTERED],
                  "removed": [{"name": d.name, "sql": d.sql} for d in diffs
                              if d.change == UNEXPECTED]})
    return diffs
