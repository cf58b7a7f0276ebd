"""The stored form, checked (`verify`; migration 0015): on SQLite a ticket event's action, times
and seal and a ticket's times are integers. The readers decode the older text forms too, so an
action written back by name or a time written back as text reads the same, hashes the same and
passes the chain — while the month table's and the handover's SQL, which compare codes and
integers, would miss it. The triggers refuse to write such a row; this names one stored by
someone who went round them (the first of each table)."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from ..i18n import _
from ..store.db import FORM_EVENT, FORM_TICKET


def check_forms(session: Session) -> list[str]:
    """The first ticket event and the first ticket not in this book's stored form (SQLite)."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return []  # one type a column: nothing to tell apart
    problems = []
    event = conn.execute(text(
        "SELECT e.id, t.ticket_no, e.seq FROM ticket_event e LEFT JOIN ticket t "
        f"ON t.id = e.ticket_id WHERE NOT ({FORM_EVENT.replace('new.', 'e.')}) "
        "ORDER BY e.id LIMIT 1")).first()
    if event is not None:
        name = _("ticket event {id} ({no} step {seq})").format(
            id=event[0], no=event[1] or "?", seq=event[2])
        problems.append(_("{event}: not in this book's stored form (written by hand or by an "
                          "older repairdesk)").format(event=name))
    ticket = conn.execute(text(
        f"SELECT ticket_no FROM ticket WHERE NOT ({FORM_TICKET.replace('new.', '')}) "
        "ORDER BY id LIMIT 1")).first()
    if ticket is not None:
        problems.append(_("ticket {no}: its times are not in this book's stored form (written "
                          "by hand or by an older repairdesk)").format(no=ticket[0]))
    return problems
