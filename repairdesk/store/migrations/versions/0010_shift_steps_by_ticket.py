"""A smaller book (issue 18, book size): the index of every ticket event by time
(ix_ticket_event_at, a quarter of a kilobyte a ticket) goes; the one reader it served — the
handover's counts of the shift's steps — finds them through the tickets touched since the shift
began (a new index on ticket.last_event_at, one entry a ticket instead of seven) and their steps
by the unique (ticket_id, seq) index. A step's ticket has last_event_at at or after the step's
time (the ticket row is the fold of its events; `verify` checks it), so no step is missed.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 05:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None
# the meta.schema_version this migration brings the book to (bump SCHEMA_VERSION in tables.py)
schema_version = 10


def upgrade() -> None:
    insp = sa.inspect(op.get_bind())
    if "ix_ticket_last_event" not in {i["name"] for i in insp.get_indexes("ticket")}:
        op.create_index("ix_ticket_last_event", "ticket", ["last_event_at"])
    if "ix_ticket_event_at" in {i["name"] for i in insp.get_indexes("ticket_event")}:
        op.drop_index("ix_ticket_event_at", table_name="ticket_event")


def downgrade() -> None:
    op.create_index("ix_ticket_event_at", "ticket_event", ["at"])
    op.drop_index("ix_ticket_last_event", table_name="ticket")
