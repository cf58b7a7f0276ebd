"""A smaller book (issue 18): the search index keeps no second copy of the text (a contentless
FTS5 table, rebuilt from the ticket rows: store/search.py, format 3), and the index
ix_ticket_event_ticket_id goes, since the unique (ticket_id, seq) index already finds a ticket's
events by its first column.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 02:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from repairdesk.store import search

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None
# the meta.schema_version this migration brings the book to (bump SCHEMA_VERSION in tables.py)
schema_version = 7

_REDUNDANT = "ix_ticket_event_ticket_id"


def upgrade() -> None:
    bind = op.get_bind()
    names = {i["name"] for i in sa.inspect(bind).get_indexes("ticket_event")}
    if _REDUNDANT in names:
        op.drop_index(_REDUNDANT, table_name="ticket_event")
    search.install(bind, bind.dialect.name)  # an older format is made again, contentless


def downgrade() -> None:
    op.create_index(_REDUNDANT, "ticket_event", ["ticket_id"])
