"""A smaller book (issue 18, book size), the ticket event's turn. On SQLite:

- `action` is stored as a small integer, the action's code (store/action_codes.py: fixed for
  ever, append-only) instead of its name: a byte, or none for register and dispatch, in place
  of some seven; the column is declared SMALLINT (integer affinity: a TEXT column would keep
  the code as text), so the table is rebuilt, and the partial index of the side steps
  (ix_ticket_event_side) is made again over the codes;
- `recorded_at` is stored as the microseconds it came after `at` (store/event_lag.py): 0, no
  bytes, for nearly every step, instead of eight;
- no data (`{}`, most arrive and return steps) is stored as the empty text.

Some fifteen bytes of each event, a hundred a ticket. PostgreSQL keeps its schema and values:
nothing changes there. The chain hashes are over the values the desk reads back — the name,
the time, the data — not their storage, so every seal, the counter's head and the heads the
duty log and the printed anchors hold still verify.

The append-only triggers go with the old table and are made again; the rows keep their ids
(the chain's order) and the table is written in id order, so it is also compact afterwards.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 07:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from repairdesk.store.action_codes import ACTIONS
from repairdesk.store.db import _append_only_sql

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None
# the meta.schema_version this migration brings the book to (bump SCHEMA_VERSION in tables.py)
schema_version = 13

# the table as a new book at each version has it (tables.py)
_TABLE = """CREATE TABLE ticket_event (
    id INTEGER NOT NULL,
    ticket_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    at BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL,
    action {action} NOT NULL,
    "by" VARCHAR NOT NULL,
    note VARCHAR NOT NULL,
    data TEXT NOT NULL,
    seal BIGINT NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (ticket_id, seq),
    FOREIGN KEY(ticket_id) REFERENCES ticket (id)
)"""
_SIDE = ("void", "charge", "materials")
_COLUMNS = 'id, ticket_id, seq, at, recorded_at, action, "by", note, data, seal'


def _rebuild(action_type: str, recorded_at: str, action: str, data: str, side: str) -> None:
    """ticket_event again with `action_type`, its rows copied in id order through the given
    column expressions, its side-step index over `side`, its triggers made again."""
    op.execute("ALTER TABLE ticket_event RENAME TO ticket_event_before")
    op.execute(_TABLE.format(action=action_type))
    op.execute(f"INSERT INTO ticket_event ({_COLUMNS}) SELECT id, ticket_id, seq, at, "
               f"{recorded_at}, {action}, \"by\", note, {data}, seal "
               "FROM ticket_event_before ORDER BY id")
    op.execute("DROP TABLE ticket_event_before")  # its index and triggers with it
    op.execute(f"CREATE INDEX ix_ticket_event_side ON ticket_event (ticket_id) "
               f"WHERE action IN ({side})")
    for stmt in _append_only_sql("sqlite", forms=False):
        op.execute(sa.text(stmt))


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    to_code = " ".join(f"WHEN '{a}' THEN {i}" for i, a in enumerate(ACTIONS))
    _rebuild("SMALLINT", "recorded_at - at", f"CASE action {to_code} ELSE action END",
             "CASE data WHEN '{}' THEN '' ELSE data END",
             ", ".join(str(ACTIONS.index(a)) for a in _SIDE))


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    to_name = " ".join(f"WHEN {i} THEN '{a}'" for i, a in enumerate(ACTIONS))
    _rebuild("VARCHAR", "at + recorded_at", f"CASE action {to_name} ELSE action END",
             "CASE data WHEN '' THEN '{}' ELSE data END",
             ", ".join(f"'{a}'" for a in _SIDE))
