"""A book taken back to an older schema, as the release before wrote it: the migrations'
downgrades down to `revision`, and the book's schema version with them (a downgrade leaves
meta alone; a revision's number is its schema version)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection


@contextmanager
def book_at(url: str, revision: str) -> Iterator[Connection]:
    """Downgrade the book at `url` (a URL or a SQLite path) to `revision`; yields the
    connection, for checks of the older book before it is committed."""
    from alembic import command

    from repairdesk.store import migrate

    engine = create_engine(url if "://" in url else f"sqlite:///{url}")
    try:
        with engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), revision)
            conn.execute(text("UPDATE meta SET value = :v WHERE key = 'schema_version'"),
                         {"v": str(int(revision))})
            yield conn
    finally:
        engine.dispose()


def downgrade_book(url: str, revision: str) -> None:
    with book_at(url, revision):
        pass
