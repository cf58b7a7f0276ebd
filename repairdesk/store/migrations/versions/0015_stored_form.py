"""The stored form, guarded (issue 18's smaller book, hardened): on SQLite a ticket event's
action, times and seal and a ticket's times are integers since schemas 12–14, and the readers
decode the older text forms too — so a row written in the other form (by a desk still running
an older repairdesk while another desk upgraded the book, or by hand) would read the same and
slip past the chain. Triggers now refuse to insert such an event or to write such a ticket row
(db.FORM_EVENT, db.FORM_TICKET), and `verify` names any already stored. PostgreSQL's columns
have one type each: nothing to do there.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 08:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from repairdesk.store.db import _append_only_sql

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None
# the meta.schema_version this migration brings the book to (bump SCHEMA_VERSION in tables.py)
schema_version = 15

_TRIGGERS = ("ticket_event_form_insert", "ticket_form_insert", "ticket_form_update")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for stmt in _append_only_sql("sqlite"):
            op.execute(sa.text(stmt))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
