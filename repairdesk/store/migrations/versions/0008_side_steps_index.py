"""The month table's side steps found at once (issue 18): a partial index on ticket_event of
the few steps whose data the table reads (void, charge, materials: store/report_sql.SIDE_STEPS),
so the month's voided reasons, bills and parts no longer read every step of the month.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 03:20:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None
# the meta.schema_version this migration brings the book to (bump SCHEMA_VERSION in tables.py)
schema_version = 8

NAME = "ix_ticket_event_side"
WHERE = "action IN ('void', 'charge', 'materials')"


def upgrade() -> None:
    names = {i["name"] for i in sa.inspect(op.get_bind()).get_indexes("ticket_event")}
    if NAME not in names:
        op.create_index(NAME, "ticket_event", ["ticket_id"], sqlite_where=sa.text(WHERE),
                        postgresql_where=sa.text(WHERE))


def downgrade() -> None:
    op.drop_index(NAME, table_name="ticket_event")
