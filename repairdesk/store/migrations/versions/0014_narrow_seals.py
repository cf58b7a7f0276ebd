"""A smaller book (issue 18, book size), the last of it:

- on SQLite a ticket event's seal keeps the first 4 bytes of its hash instead of 8 (an integer
  SQLite stores in 4 bytes: some 27 bytes a ticket). A seal says where a recomputed chain first
  leaves the stored one; every later seal and the full head on the counter are compared as well,
  so a changed event is found just the same, and against someone who recomputes every seal it is
  the anchors that hold, whatever the width (store/chain.seal_of). PostgreSQL's BIGINT takes 8
  bytes whatever it holds: its seals stay 8 bytes wide.
- the index for a place's earlier calls is (room, received_at), without the category: the repeat
  check and a room's history read a place's few calls and the category is checked on them.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 07:30:00
"""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

from repairdesk.store.db import _append_only_sql

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None
# the meta.schema_version this migration brings the book to (bump SCHEMA_VERSION in tables.py)
schema_version = 14


def _indexes() -> set[str]:
    return {i["name"] for i in sa.inspect(op.get_bind()).get_indexes("ticket")}


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS ticket_event_no_update")
        # the high 4 bytes of the 8 (an arithmetic shift keeps the sign: the first 4 bytes as a
        # signed integer, which is what chain.seal_of gives on SQLite)
        op.execute("UPDATE ticket_event SET seal = seal >> 32")
        for stmt in _append_only_sql("sqlite", forms=False):
            op.execute(sa.text(stmt))
    if "ix_ticket_place_category" in _indexes():
        op.drop_index("ix_ticket_place_category", table_name="ticket")
    if "ix_ticket_place" not in _indexes():
        op.create_index("ix_ticket_place", "ticket", ["room", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_ticket_place", table_name="ticket")
    op.create_index("ix_ticket_place_category", "ticket", ["room", "category", "received_at"])
    # the seals' lost 4 bytes come back from the hashes: recomputed by `verify`'s walk
    if op.get_bind().dialect.name == "sqlite":
        from repairdesk.store import chain

        bind = op.get_bind()
        op.execute("DROP TRIGGER IF EXISTS ticket_event_no_update")
        _reseal8(bind, chain)
        for stmt in _append_only_sql("sqlite", forms=False):
            op.execute(sa.text(stmt))


def _reseal8(bind: sa.engine.Connection, chain) -> None:
    """Each event's 8-byte seal from its recomputed hash, the events read through the table's
    own column types (the values the chain hashes)."""
    from repairdesk.store.tables import Ticket, TicketEvent

    numbers = dict(bind.execute(sa.select(Ticket.__table__.c.id,
                                          Ticket.__table__.c.ticket_no)).all())
    events = TicketEvent.__table__
    prev = chain.GENESIS
    for row in bind.execute(sa.select(events).order_by(events.c.id)).mappings().all():
        values = dict(row)
        if isinstance(values["recorded_at"], timedelta):  # its lag after `at` (0013)
            values["recorded_at"] = values["at"] + values["recorded_at"]
        prev = chain.event_hash(values, numbers.get(row["ticket_id"], ""), prev)
        bind.execute(sa.text("UPDATE ticket_event SET seal = :s WHERE id = :i"),
                     {"s": int.from_bytes(bytes.fromhex(prev[:16]), "big", signed=True),
                      "i": row["id"]})
