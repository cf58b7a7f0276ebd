"""A ticket event's `recorded_at` on a SQLite book (issue 18, book size; migration 0013): stored
as the microseconds it came after the event's `at` (types.RecordedLag) — 0, which SQLite keeps
in no bytes, for nearly every step; a few for a step entered after the fact.

Every insert of a ticket event passes `lag_rows` (store/chain.py's insert hook, which sees the
desk's ORM and Core inserts alike, after the seal is taken over the full time); every ticket
event the ORM loads gets its time back here. The objects in memory always hold the time
itself, so the seal and `verify` hash the same canonical values as before. Raw SQL reads
`at + recorded_at` on SQLite (sql_recorded_at)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm.attributes import set_committed_value

from .tables import TicketEvent


def lag_rows(rows: list[dict[str, Any]], dialect: str) -> list[dict[str, Any]]:
    """Rows of a ticket-event insert as the book stores them: on SQLite `recorded_at` as its
    lag after `at` (a row already in that form is left alone)."""
    if dialect != "sqlite":
        return rows
    out = []
    for r in rows:
        rec = r.get("recorded_at")
        if rec is not None and not isinstance(rec, timedelta):
            r = {**r, "recorded_at": rec - r["at"]}
        out.append(r)
    return out


def sql_recorded_at(dialect: str, alias: str = "") -> str:
    """The stored recorded_at as a time in raw SQL (SQLite: integers of microseconds)."""
    p = f"{alias}." if alias else ""
    return f"({p}at + {p}recorded_at)" if dialect == "sqlite" else f"{p}recorded_at"


def restored(at: datetime, recorded_at: Any) -> Any:
    """A loaded recorded_at as the time itself: a SQLite book's lag added back to `at` (for a
    Core read of the columns; the ORM's rows get it from the load hook below)."""
    return at + recorded_at if isinstance(recorded_at, timedelta) else recorded_at


def _restore(target: TicketEvent) -> None:
    lag = target.__dict__.get("recorded_at")
    if isinstance(lag, timedelta):
        set_committed_value(target, "recorded_at", restored(target.at, lag))


@event.listens_for(TicketEvent, "load")
def _loaded(target: TicketEvent, _context: Any) -> None:
    _restore(target)


@event.listens_for(TicketEvent, "refresh")
def _refreshed(target: TicketEvent, _context: Any, _attrs: Any) -> None:
    _restore(target)
