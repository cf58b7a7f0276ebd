"""Opening the record book: SQLite pragmas, schema creation and version check (the URL comes
from location.py)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

from ..errors import StoreError
from ..i18n import _
from . import chain, search, tables  # noqa: F401  (chain: seals the hashes on insert)
from .location import default_db_path, resolve_url
from .readonly import is_writable, read_only_uri, shadow_derived
from .tables import SCHEMA_VERSION

__all__ = ["APPEND_ONLY", "BUSY_TIMEOUT_S", "Store", "default_db_path", "next_in_sequence",
           "open_store", "resolve_url", "translate_db_error"]

BUSY_TIMEOUT_S = 15

# pin_attempt too: a lockout is not lifted by deleting (or rewriting) the failed attempts
APPEND_ONLY = ("ticket_event", "duty_log", "shift_turn", "handover", "signoff", "signature",
               "sla_notice", "pin_attempt")
# Record tables whose rows are legitimately updated (the ticket row is a projection of its
# events, a print job moves through its states, counters count, meta holds the schema version):
# no row is deleted, and the columns that never change are refused by trigger too. What their
# mutable columns hold is checked by `verify` against the events and the duty log
# (services/integrity.py). (table, columns that never change, when a delete is allowed: SQLite
# WHEN clause of the refusal, or "" for never)
GUARDED: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("ticket", ("id", "ticket_no", "site", "received_at", "registered_at", "registered_by",
                "channel", "verify_code", "repeat_of"), ""),
    ("print_job", ("id", "site", "kind", "subject", "fmt", "backend", "printer", "requested_by",
                   "requested_at", "prev_hash", "hash"), ""),
    # someone entered by mistake is removed while the book holds no work and they never signed
    ("staff", ("id", "name", "created_at"),
     "EXISTS (SELECT 1 FROM ticket) OR EXISTS (SELECT 1 FROM signature WHERE name = old.name) "
     "OR EXISTS (SELECT 1 FROM shift_turn WHERE holder = old.name) "
     "OR EXISTS (SELECT 1 FROM pin_attempt WHERE staff_name = old.name)"),
    ("counter", ("name",), ""),
    ("meta", ("key",), ""),
)
# a counter never goes back: a number once issued is not issued again
_NEVER_BACK = {"counter": "new.last < old.last"}
# Results the readers work out and store (stored SLA outcomes, judged by the month report): on
# a read-only book they are kept in memory for the process instead (readonly.shadow_derived).
DERIVED = ("ticket_clock",)


def _prepare_sqlite_file(url: str) -> None:
    path = url.removeprefix("sqlite:///")
    if path in ("", ":memory:"):
        return
    p = Path(path)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        if not p.exists():
            # owner-only from the first byte: the book holds owners' phone numbers
            fd = os.open(p, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
    except OSError as exc:
        raise StoreError(
            _("Cannot create the database file {path}: {error}").format(path=p, error=exc.strerror)
        ) from None


def translate_db_error(exc: Exception) -> StoreError:
    """One clear line for the clerk instead of a driver's traceback."""
    msg = str(getattr(exc, "orig", exc)).lower()
    if "locked" in msg or "busy" in msg:
        return StoreError(
            _("The database is busy in another window; waited {s} s. Try again.").format(
                s=BUSY_TIMEOUT_S
            )
        )
    if "readonly" in msg or "read-only" in msg:
        return StoreError(_("The database is read-only: nothing was saved."))
    # no room for the shared-memory (-shm) file: SQLite says only "disk I/O error"
    shm_full = getattr(getattr(exc, "orig", exc), "sqlite_errorname", "") == "SQLITE_IOERR_SHMSIZE"
    if "disk" in msg and "full" in msg or "no space" in msg or shm_full:
        return StoreError(_("The disk is full: nothing was saved. Free some space and try again."))
    if "append-only" in msg:
        return StoreError(_("Records are append-only: a change to history was refused."))
    if "unable to open" in msg:
        return StoreError(_("Cannot open the database file."))
    if "pattern too complex" in msg:
        return StoreError(_("The search text is too long."))
    if "not a database" in msg or "malformed" in msg:
        return StoreError(_("The database file is damaged or not a repairdesk book; "
                            "restore the latest backup (repairdesk restore)."))
    # one line: drivers add hints on further lines (psycopg: "Is the server running …")
    first = " ".join(str(getattr(exc, "orig", exc)).strip().splitlines()[:1]) or type(exc).__name__
    if "connection" in msg and ("refused" in msg or "failed" in msg or "timeout" in msg):
        return StoreError(_("Cannot reach the database server: {error}").format(error=first))
    return StoreError(_("Database error: {error}").format(error=first))


class Store:
    """The engine plus helpers for read and write transactions."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self.dialect = engine.dialect.name
        self._write_engine = engine.execution_options(write_txn=True)
        self.read_only = False  # a SQLite book nobody here may write (readonly.py)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
            except (OperationalError, DBAPIError) as exc:
                raise translate_db_error(exc) from None

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that takes the write lock at once (SQLite BEGIN IMMEDIATE), so two
        desks on one file queue up instead of failing half-way; commits or rolls back whole."""
        with Session(self._write_engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except (OperationalError, DBAPIError) as exc:
                session.rollback()
                raise translate_db_error(exc) from None
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()


def _install_sqlite_hooks(engine: Engine, read_only: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        if read_only:  # the journal mode is a write: a read-only book keeps its own
            shadow_derived(dbapi_conn, DERIVED)
        else:
            cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("write_txn", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _append_only_sql(dialect: str, tables: tuple[str, ...] = APPEND_ONLY, *,
                     forms: bool = True) -> list[str]:
    """Triggers refusing UPDATE and DELETE on the history tables (idempotent); with `forms`,
    also those refusing a row not in the stored form (schema 15: migrations before 0015 leave
    them out, their rows are still in the older form while they run)."""
    stmts = []
    for table in tables:
        if dialect == "sqlite":
            for op in ("UPDATE", "DELETE"):
                stmts.append(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )
        elif dialect == "postgresql":
            stmts.append(
                "CREATE OR REPLACE FUNCTION repairdesk_append_only() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$ LANGUAGE plpgsql"
            )
            stmts.append(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            stmts.append(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION repairdesk_append_only()"
            )
    if tables is APPEND_ONLY:
        stmts += _guarded_sql(dialect)
        stmts += _form_sql(dialect) if forms else []
    return stmts


# What a SQLite book stores since schemas 12-14 (store/stamps.py, action_codes.py,
# event_lag.py, chain.seal_of): integers, never the text an older repairdesk or a hand wrote.
# The readers decode either form, so a row in the other form would read the same and verify;
# these refuse to write one (a desk still running an older repairdesk while another upgraded
# the book fails loudly), and `verify` names one already stored (services/integrity_forms.py).
FORM_EVENT = ("typeof(new.action) = 'integer' AND typeof(new.at) = 'integer' AND "
              "typeof(new.recorded_at) = 'integer' AND typeof(new.seal) = 'integer' AND "
              "new.seal BETWEEN -2147483648 AND 2147483647")
FORM_TICKET = ("typeof(new.received_at) = 'integer' AND typeof(new.registered_at) = 'integer' "
               "AND typeof(new.last_event_at) = 'integer' AND "
               "typeof(new.appointment_at) IN ('integer', 'null')")


def _form_sql(dialect: str) -> list[str]:
    """SQLite triggers refusing a ticket event or ticket row not in the stored form (schema 15)."""
    if dialect != "sqlite":
        return []
    stmts = []
    for table, ops, form in (("ticket_event", ("INSERT",), FORM_EVENT),
                             ("ticket", ("INSERT", "UPDATE"), FORM_TICKET)):
        for op in ops:
            stmts.append(
                f"CREATE TRIGGER IF NOT EXISTS {table}_form_{op.lower()} BEFORE {op} ON {table} "
                f"WHEN NOT ({form}) BEGIN SELECT RAISE(ABORT, '{table} is not in this book''s "
                f"stored form: written by an older repairdesk?'); END")
    return stmts


def _guarded_sql(dialect: str) -> list[str]:
    """Triggers refusing a change of the fixed columns, and any DELETE, on GUARDED (idempotent)."""
    stmts = []
    for table, fixed, delete_when in GUARDED:
        changed = " OR ".join([f"new.{c} IS NOT old.{c}" for c in fixed]
                              + ([_NEVER_BACK[table]] if table in _NEVER_BACK else []))
        if dialect == "sqlite":
            refuse = f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            stmts.append(f"CREATE TRIGGER IF NOT EXISTS {table}_fixed_columns BEFORE UPDATE ON "
                         f"{table} WHEN {changed} {refuse}")
            when = f" WHEN {delete_when}" if delete_when else ""
            stmts.append(f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON "
                         f"{table}{when} {refuse}")
        elif dialect == "postgresql":
            changed = changed.replace("new.", "NEW.").replace("old.", "OLD.").replace(
                " IS NOT ", " IS DISTINCT FROM ")
            stmts.append(f"DROP TRIGGER IF EXISTS {table}_fixed_columns ON {table}")
            stmts.append(f"CREATE TRIGGER {table}_fixed_columns BEFORE UPDATE ON {table} "
                         f"FOR EACH ROW WHEN ({changed}) "
                         "EXECUTE FUNCTION repairdesk_append_only()")
            func = "repairdesk_append_only"
            if delete_when:  # a WHEN clause cannot look at other tables on PostgreSQL
                func = f"repairdesk_{table}_kept"
                cond = delete_when.replace("old.", "OLD.")
                stmts.append(
                    f"CREATE OR REPLACE FUNCTION {func}() RETURNS trigger AS $$ BEGIN "
                    f"IF {cond} THEN RAISE EXCEPTION '{table} is append-only'; END IF; "
                    "RETURN OLD; END $$ LANGUAGE plpgsql")
            stmts.append(f"DROP TRIGGER IF EXISTS {table}_no_delete ON {table}")
            stmts.append(f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                         f"FOR EACH ROW EXECUTE FUNCTION {func}()")
    return stmts


def _check_sqlite_file(url: str, must_exist: bool) -> None:
    """A SQLite book is a repairdesk book, or nothing yet: a foreign SQLite file never gets
    our tables written into it, and with `must_exist` (every CLI command but `init`) a
    missing or empty file is refused instead of becoming a new empty book."""
    path = url.removeprefix("sqlite:///")
    if path in ("", ":memory:"):
        return
    p = Path(path)
    empty = not p.exists() or (p.is_file() and p.stat().st_size == 0)
    if empty:
        if must_exist:
            raise StoreError(_("There is no book at {path}: check --db, or create it with "
                               "`repairdesk init` (the desk creates one at its first start).")
                             .format(path=p))
        return
    try:
        con = sqlite3.connect(read_only_uri(p), uri=True)
        try:
            names = {n for (n,) in con.execute("SELECT name FROM sqlite_master")}
        finally:
            con.close()
    except sqlite3.OperationalError as exc:  # the file is fine, the machine is not (disk full…)
        if "not a database" not in str(exc):
            raise translate_db_error(exc) from None
        raise StoreError(_("{path} is not a repairdesk book ({error}).").format(
            path=p, error=exc)) from None
    except sqlite3.DatabaseError as exc:
        raise StoreError(_("{path} is not a repairdesk book ({error}).").format(
            path=p, error=exc)) from None
    if names and "meta" not in names:
        raise StoreError(_("{path} is not a repairdesk book: it holds other tables ({tables})."
                           ).format(path=p, tables=", ".join(sorted(names)[:3])))


def open_store(db: str | None = None, *, create: bool = True,
               must_exist: bool = False) -> Store:
    """Open (and if needed create) the database; refuse one written by a newer repairdesk,
    a foreign file, and — with `must_exist` — a missing or empty one."""
    url = resolve_url(db)
    is_sqlite = url.startswith("sqlite")
    read_only = False
    if is_sqlite:
        _check_sqlite_file(url, must_exist)
        _prepare_sqlite_file(url)
        book = Path(url.removeprefix("sqlite:///"))
        read_only = url != "sqlite://" and book.is_file() and not is_writable(book)
        if read_only:
            # read-only filesystem, file or folder: reading works, every write says read-only
            uri = read_only_uri(book)
            # one connection for the process: the in-memory results stay visible to every read
            engine = create_engine("sqlite://", poolclass=StaticPool, creator=lambda: (
                sqlite3.connect(uri, uri=True, check_same_thread=False,
                                timeout=BUSY_TIMEOUT_S)))
        else:
            engine = create_engine(
                url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_S}
            )
        _install_sqlite_hooks(engine, read_only)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    store = Store(url, engine)
    store.read_only = read_only
    try:
        _ensure_schema(store, create)
    except (OperationalError, DBAPIError) as exc:
        engine.dispose()
        raise translate_db_error(exc) from None
    except StoreError:
        engine.dispose()
        raise
    return store


def _schema_version(conn: Connection) -> int | None:
    if not conn.dialect.has_table(conn, "meta"):
        return None
    row = conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).first()
    if row is None:
        return None
    try:
        return int(row[0])
    except (TypeError, ValueError):
        raise StoreError(_("This database's schema version {v!r} is not a number: it was not "
                           "written by repairdesk, or was altered.").format(
                               v=str(row[0])[:20])) from None


def _too_new(version: int | str) -> StoreError:
    return StoreError(
        _("This database was written by a newer repairdesk (schema {db} > {ours}); "
          "upgrade repairdesk to open it.").format(db=version, ours=SCHEMA_VERSION)
    )


def _ensure_schema(store: Store, create: bool) -> None:
    """Current book: nothing to do (no Alembic import on the everyday path). New book: tables
    from tables.py, stamped with the newest migration. Older book: Alembic upgrade."""
    with store.engine.connect() as conn:
        version = _schema_version(conn)
    if version is not None and version > SCHEMA_VERSION:
        raise _too_new(version)
    if version == SCHEMA_VERSION:
        return
    if not create and version is None:  # an older book is upgraded all the same
        raise StoreError(_("The database has no repairdesk schema."))
    from . import migrate

    with store.write() as session:
        conn = session.connection()
        if store.dialect == "postgresql":
            # desks starting together on a fresh server: one creates, the others wait for it
            conn.execute(text("SELECT pg_advisory_xact_lock(74163)"))
        # another process may have created or upgraded it while we waited for the write lock
        version = _schema_version(conn)
        if version == SCHEMA_VERSION:
            return
        if version is not None and version > SCHEMA_VERSION:
            raise _too_new(version)
        if version is None:
            SQLModel.metadata.create_all(conn, tables=[t.__table__ for t in _all_tables()])
            migrate.stamp_head(conn)
        else:
            revision = migrate.current_revision(conn)
            if revision is not None and revision not in migrate.known_revisions():
                raise _too_new(revision)
            migrate.upgrade(conn, revision)
            # safety net for a table added to tables.py without its migration (additive only)
            SQLModel.metadata.create_all(conn, tables=[t.__table__ for t in _all_tables()])
        _install_objects(conn, store.dialect)
        if version is None:
            conn.execute(text("INSERT INTO meta(key, value) VALUES ('schema_version', :v)"),
                         {"v": str(SCHEMA_VERSION)})
        else:
            conn.execute(text("UPDATE meta SET value = :v WHERE key = 'schema_version'"),
                         {"v": str(SCHEMA_VERSION)})


def _install_objects(conn: Connection, dialect: str) -> None:
    """What a book holds besides the tables: the search index and the append-only triggers
    (schema_check.expected_schema builds what a book should hold with this too)."""
    search.install(conn, dialect)  # full-text index (issue 9)
    for stmt in _append_only_sql(dialect):
        # text(): psycopg would read the '%' of RAISE EXCEPTION as a placeholder
        conn.execute(text(stmt))


def _all_tables() -> list[type[SQLModel]]:
    return [
        tables.Meta, tables.Staff, tables.Ticket, tables.TicketEvent, tables.Counter,
        tables.DutyLogEntry,
        tables.PinAttempt, tables.ShiftTurn, tables.HandoverRecord, tables.SignoffRecord,
        tables.Signature,
        tables.PrintJob,
        tables.SlaNotice,
        tables.TicketClock,
    ]


def next_in_sequence(session: Session, name: str) -> int:
    """Take the next number of a gap-free sequence inside the caller's transaction."""
    row = session.connection().execute(
        text(
            "INSERT INTO counter(name, last) VALUES (:n, 1) "
            "ON CONFLICT(name) DO UPDATE SET last = counter.last + 1 RETURNING last"
        ),
        {"n": name},
    ).first()
    assert row is not None
    return int(row[0])
