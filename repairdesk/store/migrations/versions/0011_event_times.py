"""A smaller book (issue 18, book size): on SQLite a ticket event's `at` and `recorded_at` are
stored as integers of microseconds since 1970 UTC (store/stamps.py) instead of 26-character
DATETIME text — some 240 bytes a ticket. PostgreSQL keeps its timestamp type: nothing changes
there. The chain hashes are over the times' values, not their storage, so they still hold.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 05:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from repairdesk.store.db import _append_only_sql
from repairdesk.store.stamps import sql_micros

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None
# the meta.schema_version this migration brings the book to (bump SCHEMA_VERSION in tables.py)
schema_version = 11


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS ticket_event_no_update")
    op.execute(f"UPDATE ticket_event SET at = {sql_micros('at')}, "
               f"recorded_at = {sql_micros('recorded_at')} WHERE typeof(at) = 'text'")
    for stmt in _append_only_sql("sqlite", forms=False):
        op.execute(sa.text(stmt))


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    text = ("strftime('%Y-%m-%d %H:%M:%S', {c} / 1000000, 'unixepoch') || '.' || "
            "printf('%06d', {c} % 1000000)")
    op.execute("DROP TRIGGER IF EXISTS ticket_event_no_update")
    op.execute(f"UPDATE ticket_event SET at = {text.format(c='at')}, "
               f"recorded_at = {text.format(c='recorded_at')} WHERE typeof(at) = 'integer'")
    for stmt in _append_only_sql("sqlite", forms=False):
        op.execute(sa.text(stmt))
