"""Tamper evidence over the whole record (issue 15): the ticket events and the print jobs are
hash-chained book-wide (ticket_event/print_job.prev_hash and hash, counted by the counters
'#ticket_event' and '#print_job'), and the record tables that are legitimately updated — the
ticket row, print jobs, staff, counters, meta — refuse a DELETE and a change of the columns that
never change (db.GUARDED).

The rows an older book already holds are chained as they stand: the chain proves nothing about
what happened to them before the upgrade, only from then on.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 02:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

from repairdesk.store import chain
from repairdesk.store.db import _append_only_sql

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None
# the meta.schema_version this migration brings the book to (bump SCHEMA_VERSION in tables.py)
schema_version = 6

_CHAINED = ("ticket_event", "print_job")


def _drop_refusals(dialect: str) -> None:
    """The append-only triggers of the chained tables refuse the backfill's UPDATE; they are
    put back (with the new ones) at the end."""
    for table in _CHAINED:
        if dialect == "postgresql":
            for name in (f"{table}_append_only", f"{table}_fixed_columns"):
                op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        else:
            for name in (f"{table}_no_update", f"{table}_fixed_columns"):
                op.execute(f"DROP TRIGGER IF EXISTS {name}")


def upgrade() -> None:
    bind = op.get_bind()
    for table in _CHAINED:
        columns = {c["name"] for c in sa.inspect(bind).get_columns(table)}
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in ("prev_hash", "hash"):
                if name not in columns:
                    batch_op.add_column(sa.Column(name, sqlmodel.sql.sqltypes.AutoString(),
                                                  nullable=False, server_default=''))
    _drop_refusals(bind.dialect.name)
    chain.backfill(bind)
    for stmt in _append_only_sql(bind.dialect.name, forms=False):
        op.execute(sa.text(stmt))


def downgrade() -> None:
    for table in _CHAINED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('hash')
            batch_op.drop_column('prev_hash')
