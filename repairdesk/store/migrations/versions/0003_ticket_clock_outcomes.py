"""Stored SLA outcomes (ticket_clock): per ticket, the clocks it has met and missed, kept with
each step so a month's on-time rates are added up by the database.

The table starts empty: a report judges a month's older tickets once, when it first reads
them (services/sla_outcomes.py), so the upgrade itself stays instant on a big book.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 02:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None
# the meta.schema_version this migration brings the book to (bump SCHEMA_VERSION in tables.py)
schema_version = 3


def upgrade() -> None:
    if "ticket_clock" in sa.inspect(op.get_bind()).get_table_names():
        return  # created by a development build's additive safety net
    op.create_table('ticket_clock',
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('rules', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('met', sa.Integer(), nullable=False),
    sa.Column('missed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], ),
    sa.PrimaryKeyConstraint('ticket_id')
    )


def downgrade() -> None:
    op.drop_table('ticket_clock')
