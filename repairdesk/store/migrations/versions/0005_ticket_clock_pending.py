"""Stored SLA outcomes learn the clocks still pending and when the answer goes stale
(ticket_clock.pending, ticket_clock.stale_at): a clock is missed as soon as its deadline passes
without its step (domain.md "Clock results"), so a report judges again the few tickets whose
stale_at has passed instead of every open ticket.

Existing rows get pending 0 and no stale_at; they were judged under the previous engine, whose
fingerprint differs, so the first report of each month judges them again anyway.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 00:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from repairdesk.store.types import UTCDateTime

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None
# the meta.schema_version this migration brings the book to (bump SCHEMA_VERSION in tables.py)
schema_version = 5


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("ticket_clock")}
    with op.batch_alter_table('ticket_clock', schema=None) as batch_op:
        if "pending" not in columns:
            batch_op.add_column(sa.Column('pending', sa.Integer(), nullable=False,
                                          server_default='0'))
        if "stale_at" not in columns:
            batch_op.add_column(sa.Column('stale_at', UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ticket_clock', schema=None) as batch_op:
        batch_op.drop_column('stale_at')
        batch_op.drop_column('pending')
