"""The categories a technician handles (staff.skills: category names joined by ",", e.g.
"水,电"), so the roster and the dispatch picker can say who fixes what.

Existing staff get an empty text: nobody is assumed to handle anything until the roster says so.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 09:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None
# the meta.schema_version this migration brings the book to (bump SCHEMA_VERSION in tables.py)
schema_version = 4


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("staff")}
    if "skills" in columns:
        return  # created by a development build's additive safety net
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('skills', sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_column('skills')
