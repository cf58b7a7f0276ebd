"""Alembic environment. open_store passes its own connection (inside its write transaction);
run standalone (`python -m repairdesk.store.migrate ...`) it connects to --db / $REPAIRDESK_DB."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from repairdesk.store import tables  # noqa: F401 - registers the tables on the metadata

config = context.config
connection = config.attributes.get("connection")


def _run(conn) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=conn,
        target_metadata=SQLModel.metadata,
        # SQLite cannot ALTER most things: batch mode copies the table instead
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:
    from sqlalchemy import create_engine

    from repairdesk.store.location import resolve_url

    engine = create_engine(resolve_url(config.get_main_option("sqlalchemy.url") or None))
    with engine.begin() as conn:
        _run(conn)
