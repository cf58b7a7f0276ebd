"""A smaller book (issue 18, book size): a ticket event keeps an 8-byte *seal* of its hash
instead of two 64-character hex hashes (`prev_hash`, `hash`: about 130 bytes of every event,
some 900 bytes a ticket), and the event chain's counter row keeps the full hash of the newest
event (`counter.head`), which the next event chains to.

The chain itself is unchanged — the same sha256 over the same content and the previous full
hash — so the heads the duty log's handovers and sign-offs stored, and the anchors printed on
paper, still hold: `verify` recomputes every full hash from the first event and compares the
seals, the counter's head and those stored heads (store/chain.py).

A book whose events were already altered is not repaired here: the seals are taken from the
stored hashes as they stand, so `verify` names the same first bad event afterwards.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 05:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from repairdesk.store import chain
from repairdesk.store.db import _append_only_sql

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None
# the meta.schema_version this migration brings the book to (bump SCHEMA_VERSION in tables.py)
schema_version = 9


def _drop_refusal(dialect: str) -> None:
    """The append-only trigger of ticket_event refuses the UPDATE that writes the seals; it is
    put back (with the others, idempotently) at the end."""
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ticket_event_append_only ON ticket_event")
    else:
        op.execute("DROP TRIGGER IF EXISTS ticket_event_no_update")


def upgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    insp = sa.inspect(bind)
    if "head" not in {c["name"] for c in insp.get_columns("counter")}:
        op.add_column("counter", sa.Column("head", sa.String(), nullable=True))
    columns = {c["name"] for c in insp.get_columns("ticket_event")}
    if "seal" not in columns:
        op.add_column("ticket_event", sa.Column("seal", sa.BigInteger(), nullable=False,
                                                server_default="0"))
    if "hash" in columns:
        _drop_refusal(dialect)
        if dialect == "postgresql":
            op.execute("UPDATE ticket_event SET seal = "
                       "('x' || substr(hash, 1, 16))::bit(64)::bigint WHERE hash <> ''")
        else:
            raw = bind.connection.driver_connection
            raw.create_function("repairdesk_seal", 1,
                                # the first 8 bytes, as schema 9 sealed (0014 keeps 4)
                                lambda h: int.from_bytes(bytes.fromhex(h[:16]), "big",
                                                         signed=True) if h else 0,
                                deterministic=True)
            op.execute("UPDATE ticket_event SET seal = repairdesk_seal(hash)")
        head = bind.execute(sa.text(
            "SELECT hash FROM ticket_event ORDER BY id DESC LIMIT 1")).scalar()
        if head:
            bind.execute(sa.text("UPDATE counter SET head = :h WHERE name = :n"),
                         {"h": head, "n": chain.EVENT_CHAIN})
        for name in ("prev_hash", "hash"):
            op.execute(f"ALTER TABLE ticket_event DROP COLUMN {name}")
    for stmt in _append_only_sql(dialect, forms=False):
        op.execute(sa.text(stmt))


def downgrade() -> None:
    bind = op.get_bind()
    _drop_refusal(bind.dialect.name)
    for name in ("prev_hash", "hash"):
        op.add_column("ticket_event", sa.Column(name, sa.String(), nullable=False,
                                                server_default=""))
    chain.backfill(bind)
    op.execute("ALTER TABLE ticket_event DROP COLUMN seal")
    op.execute("ALTER TABLE counter DROP COLUMN head")
    for stmt in _append_only_sql(bind.dialect.name, forms=False):
        op.execute(sa.text(stmt))
