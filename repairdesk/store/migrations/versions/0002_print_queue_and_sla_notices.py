"""The print queue (print_job), the SLA notices (sla_notice, append-only), and two indexes
the desk's board needs on a big book (today's tickets; a shift's steps by time).

A table that an earlier development build already created (open_store's additive safety net,
or escalate() creating sla_notice on first use) is left as it is.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 00:15:33.214094
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import repairdesk.store.types
from repairdesk.store.db import _append_only_sql


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None
# the meta.schema_version this migration brings the book to (bump SCHEMA_VERSION in tables.py)
schema_version = 2


def _missing(table: str) -> bool:
    return table not in sa.inspect(op.get_bind()).get_table_names()


def upgrade() -> None:
    if _missing("print_job"):
        _print_job()
    if _missing("sla_notice"):
        _sla_notice()
    for stmt in _append_only_sql(op.get_bind().dialect.name, ("sla_notice",)):
        op.execute(sa.text(stmt))
    op.create_index("ix_ticket_registered", "ticket", ["registered_at"], if_not_exists=True)
    op.create_index("ix_ticket_event_at", "ticket_event", ["at"], if_not_exists=True)


def _print_job() -> None:
    op.create_table('print_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('fmt', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('backend', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('printer', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('reprint', sa.Integer(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('output', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('requested_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('requested_at', repairdesk.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', repairdesk.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', repairdesk.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('detail', repairdesk.store.types.JSONText(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('print_job', schema=None) as batch_op:
        batch_op.create_index('ix_print_job_state', ['state', 'id'], unique=False)
        batch_op.create_index('ix_print_job_subject', ['kind', 'subject'], unique=False)


def _sla_notice() -> None:
    op.create_table('sla_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('ticket_no', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('clock', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('level', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('anchor', repairdesk.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', repairdesk.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reached_at', repairdesk.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('at', repairdesk.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('call_role', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('call_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('call_phone', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('log_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['log_id'], ['duty_log.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('ticket_no', 'clock', 'level', 'anchor', name='uq_sla_notice')
    )
    with op.batch_alter_table('sla_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sla_notice_ticket_no'), ['ticket_no'], unique=False)


def downgrade() -> None:
    op.drop_index("ix_ticket_event_at", "ticket_event")
    op.drop_index("ix_ticket_registered", "ticket")
    with op.batch_alter_table('sla_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sla_notice_ticket_no'))

    op.drop_table('sla_notice')
    with op.batch_alter_table('print_job', schema=None) as batch_op:
        batch_op.drop_index('ix_print_job_subject')
        batch_op.drop_index('ix_print_job_state')

    op.drop_table('print_job')
