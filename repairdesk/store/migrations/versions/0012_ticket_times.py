"""A smaller book (issue 18, book size), the ticket row's turn:

- on SQLite a ticket's received_at, registered_at, appointment_at and last_event_at are stored
  as integers of microseconds since 1970 UTC (store/stamps.py), as its events' times are since
  0011: eight bytes instead of 26 characters, in the row and in the four indexes that hold a
  time — some 145 bytes a ticket. PostgreSQL keeps its timestamp type.
- the index of tickets by (status, received_at) holds the open tickets only (ix_ticket_open,
  partial): the desk asks it for open work, never for closed tickets by status, and a ten-year
  book holds a few thousand open tickets beside a million closed ones (some 40 bytes a ticket).

The ticket's fixed columns are guarded by a trigger (db.GUARDED); it is dropped for the rewrite
of their storage — the values do not change — and made again.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 07:20:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from repairdesk.store.db import _append_only_sql
from repairdesk.store.stamps import sql_micros
from repairdesk.store.tables import OPEN_WHERE

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None
# the meta.schema_version this migration brings the book to (bump SCHEMA_VERSION in tables.py)
schema_version = 12

_TIMES = ("received_at", "registered_at", "appointment_at", "last_event_at")
_TEXT = ("strftime('%Y-%m-%d %H:%M:%S', {c} / 1000000, 'unixepoch') || '.' || "
         "printf('%06d', {c} % 1000000)")


def _indexes() -> set[str]:
    return {i["name"] for i in sa.inspect(op.get_bind()).get_indexes("ticket")}


def _rewrite(sql_of: str, stored: str) -> None:
    op.execute("DROP TRIGGER IF EXISTS ticket_fixed_columns")
    sets = ", ".join(f"{c} = {sql_of.format(c=c)}" for c in _TIMES)
    op.execute(f"UPDATE ticket SET {sets} WHERE typeof(received_at) = '{stored}'")
    for stmt in _append_only_sql("sqlite", forms=False):
        op.execute(sa.text(stmt))


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rewrite(sql_micros("{c}"), "text")
    if "ix_ticket_status_received" in _indexes():
        op.drop_index("ix_ticket_status_received", table_name="ticket")
    if "ix_ticket_open" not in _indexes():
        op.create_index("ix_ticket_open", "ticket", ["status", "received_at"],
                        sqlite_where=sa.text(OPEN_WHERE), postgresql_where=sa.text(OPEN_WHERE))


def downgrade() -> None:
    op.drop_index("ix_ticket_open", table_name="ticket")
    op.create_index("ix_ticket_status_received", "ticket", ["status", "received_at"])
    if op.get_bind().dialect.name == "sqlite":
        _rewrite(_TEXT, "integer")
