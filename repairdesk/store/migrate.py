"""Schema migrations with Alembic.

open_store creates a new book from the table definitions and stamps it with the newest
revision; an older book is upgraded revision by revision inside the opening write transaction.
Every migration declares the `schema_version` it brings the book to, and the newest one equals
tables.SCHEMA_VERSION, so a book from a newer repairdesk is refused before anything is touched.

For developers (a new migration after changing tables.py):
    python -m repairdesk.store.migrate revision -m "add print queue" --db /tmp/at-head.sqlite3
    (the database must be at the current head; autogenerate compares it with tables.py)
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection

HERE = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def script_directory() -> Any:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None, "no migrations"
    return str(head)


def known_revisions() -> set[str]:
    return {s.revision for s in script_directory().walk_revisions()}


def current_revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def stamp_head(conn: Connection) -> None:
    """Mark a book just created from tables.py as being at the newest revision."""
    from alembic import command

    command.stamp(alembic_config(conn), "head")


def upgrade(conn: Connection, start: str | None) -> None:
    """Bring a book to the newest revision; `start` None means the first release (baseline)."""
    from alembic import command

    cfg = alembic_config(conn)
    if start is None:
        # a book made before migrations were tracked is the first released schema
        first = script_directory().get_base()
        command.stamp(cfg, first)
    command.upgrade(cfg, "head")


def main(argv: list[str]) -> None:
    import argparse

    from alembic import command

    from .location import resolve_url

    p = argparse.ArgumentParser(prog="python -m repairdesk.store.migrate")
    sub = p.add_subparsers(dest="cmd", required=True)
    rev = sub.add_parser("revision")
    rev.add_argument("-m", "--message", required=True)
    rev.add_argument("--db", default=None)
    rev.add_argument("--empty", action="store_true", help="no autogenerate")
    for name in ("upgrade", "current", "history"):
        sub.add_parser(name).add_argument("--db", default=None)
    a = p.parse_args(argv)
    cfg = alembic_config(url=resolve_url(getattr(a, "db", None)))
    if a.cmd == "revision":
        command.revision(cfg, message=a.message, autogenerate=not a.empty)
    elif a.cmd == "upgrade":
        command.upgrade(cfg, "head")
    elif a.cmd == "current":
        command.current(cfg)
    else:
        command.history(cfg)


if __name__ == "__main__":
    main(sys.argv[1:])
