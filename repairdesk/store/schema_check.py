"""What this version expects in a SQLite book (tables, indexes, the append-only triggers, no
views), compared with a book's `sqlite_master`.

Someone with shell access can drop a trigger that keeps history append-only, or plant one
(`AFTER INSERT ON pin_attempt BEGIN DELETE FROM pin_attempt; END` lifts every lockout). The
full comparison (`verify`, `restore`) builds the expected schema once per process from the same
code that creates a new book; the everyday open compares the triggers only, against the
append-only statements themselves, so it costs one read of `sqlite_master`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..i18n import _

MISSING, UNEXPECTED, ALTERED = "missing", "unexpected", "altered"
# created by SQLite itself (autoindexes, sqlite_sequence, sqlite_stat1 after ANALYZE)
_INTERNAL = "sqlite_"
# Alembic's bookkeeping table: a new book is stamped with the newest migration
_ALEMBIC = "alembic_version"


@dataclass(frozen=True)
class SchemaObject:
    kind: str  # table, index, trigger, view
    name: str
    table: str
    sql: str


@dataclass(frozen=True)
class SchemaDifference:
    """One object of the book that is not as this version expects."""

    change: str  # MISSING, UNEXPECTED, ALTERED
    kind: str
    name: str
    sql: str = ""  # the book's statement, for an unexpected or altered object

    def describe(self) -> str:
        """One line naming the difference, in the reader's language."""
        sql = _short(self.sql)
        if self.change == MISSING:
            if self.kind == "trigger":
                return _("the trigger {name} is missing").format(name=self.name)
            if self.kind == "table":
                return _("the table {name} is missing").format(name=self.name)
            return _("the index {name} is missing").format(name=self.name)
        if self.change == ALTERED:
            if self.kind == "trigger":
                return _("the trigger {name} was altered ({sql})").format(name=self.name, sql=sql)
            return _("the index {name} was altered ({sql})").format(name=self.name, sql=sql)
        if self.kind == "trigger":
            return _("an unexpected trigger {name} ({sql})").format(name=self.name, sql=sql)
        if self.kind == "view":
            return _("an unexpected view {name} ({sql})").format(name=self.name, sql=sql)
        if self.kind == "table":
            return _("an unexpected table {name}").format(name=self.name)
        return _("an unexpected index {name} ({sql})").format(name=self.name, sql=sql)


def _short(sql: str, limit: int = 100) -> str:
    one = _norm(sql)
    return one if len(one) <= limit else one[:limit - 1] + "…"


def _norm(sql: str | None) -> str:
    """A statement as SQLite keeps it, whitespace collapsed (SQLite drops IF NOT EXISTS)."""
    one = re.sub(r"\s+", " ", sql or "").strip()
    return re.sub(r"^CREATE (TRIGGER|TABLE|INDEX|VIEW) IF NOT EXISTS ", r"CREATE \1 ", one,
                  flags=re.IGNORECASE)


def _rows(con: Any, sql: str) -> list[tuple[Any, ...]]:
    """Rows from a sqlite3 connection or a SQLAlchemy one."""
    if hasattr(con, "exec_driver_sql"):
        return [tuple(r) for r in con.exec_driver_sql(sql).fetchall()]
    return list(con.execute(sql).fetchall())


def book_schema(con: Any, kinds: tuple[str, ...] = ("table", "index", "trigger", "view")
                ) -> dict[str, SchemaObject]:
    """The book's own objects by name (SQLite's internal ones left out)."""
    marks = ", ".join(f"'{k}'" for k in kinds)
    rows = _rows(con, f"SELECT type, name, tbl_name, sql FROM main.sqlite_master "
                      f"WHERE type IN ({marks})")
    return {name: SchemaObject(kind, name, table, _norm(sql))
            for kind, name, table, sql in rows if not name.startswith(_INTERNAL)}


def expected_triggers() -> dict[str, SchemaObject]:
    """The append-only triggers this version installs, by name (no database needed)."""
    from .db import _append_only_sql

    out = {}
    for stmt in _append_only_sql("sqlite"):
        m = re.match(r"CREATE TRIGGER IF NOT EXISTS (\w+) \w+ \w+ ON (\w+)", stmt)
        assert m, stmt
        out[m.group(1)] = SchemaObject("trigger", m.group(1), m.group(2), _norm(stmt))
    return out


@lru_cache(maxsize=1)
def expected_schema() -> dict[str, SchemaObject]:
    """Everything this version expects in a book, built once per process from the code that
    creates a new book (an in-memory one), so it never drifts from it."""
    from sqlalchemy import create_engine

    from .db import _all_tables, _install_objects

    from sqlmodel import SQLModel

    engine = create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            SQLModel.metadata.create_all(conn, tables=[t.__table__ for t in _all_tables()])
            _install_objects(conn, "sqlite")
            schema = book_schema(conn)
    finally:
        engine.dispose()
    schema[_ALEMBIC] = SchemaObject("table", _ALEMBIC, _ALEMBIC, "")
    return schema


def _unique(sql: str) -> bool:
    return sql.upper().startswith("CREATE UNIQUE INDEX")


def _compare(expected: dict[str, SchemaObject], book: dict[str, SchemaObject]
             ) -> list[SchemaDifference]:
    diffs: list[SchemaDifference] = []
    order = {"trigger": 0, "view": 1, "table": 2, "index": 3}
    tables = {o.name for o in book.values() if o.kind == "table"}
    for name, want in sorted(expected.items(), key=lambda kv: (order[kv[1].kind], kv[0])):
        have = book.get(name)
        if have is None and want.kind == "trigger" and want.table not in tables and any(
                o.kind == "table" for o in book.values()):
            continue  # its table is missing: the difference names the table
        if have is None or have.kind != want.kind:
            diffs.append(SchemaDifference(MISSING, want.kind, name))
        elif want.kind == "trigger" and have.sql != want.sql:
            diffs.append(SchemaDifference(ALTERED, "trigger", name, have.sql))
        elif want.kind == "index" and (have.table != want.table
                                       or _unique(have.sql) != _unique(want.sql)):
            diffs.append(SchemaDifference(ALTERED, "index", name, have.sql))
    for name, have in sorted(book.items(), key=lambda kv: (order[kv[1].kind], kv[0])):
        want = expected.get(name)
        if want is None or want.kind != have.kind:
            diffs.append(SchemaDifference(UNEXPECTED, have.kind, name, have.sql))
    return diffs


def schema_differences(con: Any) -> list[SchemaDifference]:
    """Every difference between the book and what this version expects, triggers first."""
    return _compare(expected_schema(), book_schema(con))


def trigger_differences(con: Any) -> list[SchemaDifference]:
    """The triggers only: missing or altered append-only ones, and any other trigger (the
    everyday open: one read of sqlite_master)."""
    found = book_schema(con, ("trigger", "table"))
    tables = {o.name for o in found.values() if o.kind == "table"}
    # a trigger whose table the book does not have yet (an older book whose table is made when
    # first used) cannot be put back; verify names the missing table itself
    want = {k: v for k, v in expected_triggers().items() if v.table in tables}
    return _compare(want, {k: v for k, v in found.items() if v.kind == "trigger"})


def repair_triggers(conn: Any, diffs: list[SchemaDifference]) -> None:
    """Inside the caller's write transaction: re-create the missing and altered append-only
    triggers and drop the unexpected ones (their statements are in `diffs`, for the log)."""
    from sqlalchemy import text

    want = expected_triggers()
    for d in diffs:
        if d.kind != "trigger":
            continue
        if d.change in (ALTERED, UNEXPECTED):
            conn.execute(text('DROP TRIGGER IF EXISTS "{}"'.format(d.name.replace('"', '""'))))
        if d.change in (MISSING, ALTERED):
            conn.execute(text(want[d.name].sql))


def pg_trigger_differences(conn: Any) -> list[SchemaDifference]:
    """A PostgreSQL book's triggers against this version's (the rest of its schema is not
    compared): the missing ones, and any other trigger on the book's tables."""
    from sqlalchemy import text

    from .db import _append_only_sql

    want = {}
    for stmt in _append_only_sql("postgresql"):
        m = re.match(r"CREATE TRIGGER (\w+) BEFORE .*? ON (\w+) ", stmt)
        if m:
            want[m.group(1)] = m.group(2)
    have = dict(conn.execute(text(
        "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON t.tgrelid = c.oid "
        "JOIN pg_namespace n ON c.relnamespace = n.oid "
        "WHERE NOT t.tgisinternal AND n.nspname = current_schema()")).all())
    diffs = [SchemaDifference(MISSING, "trigger", name) for name in sorted(want)
             if name not in have]
    diffs += [SchemaDifference(UNEXPECTED, "trigger", name, f"ON {have[name]}")
              for name in sorted(have) if name not in want]
    return diffs

