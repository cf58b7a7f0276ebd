"""Throw-away databases for tests and benchmarks: a SQLite file, or a fresh PostgreSQL schema.

The PostgreSQL server is found at a fixed URL (CI scripts cannot export variables to the test
run), overridable with $REPAIRDESK_PG_URL. Each scratch database is its own schema, reached
through the connection's search_path, so tests never see each other's tables."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

PG_TEST_URL = "postgresql+psycopg://repairdesk:repairdesk@127.0.0.1:5432/repairdesk_test"

_pg_reason: list[str | None] = []


def pg_base_url() -> str:
    return os.environ.get("REPAIRDESK_PG_URL", PG_TEST_URL)


def pg_unavailable_reason() -> str | None:
    """None when the test server answers, else why not (checked once per process)."""
    if _pg_reason:
        return _pg_reason[0]
    reason: str | None = None
    try:
        import psycopg

        url = pg_base_url().replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means: skip with the reason
        reason = f"PostgreSQL not reachable at {pg_base_url()}: {type(exc).__name__}: {exc}"
    _pg_reason.append(reason)
    return reason


def _pg_exec(sql: str) -> None:
    import psycopg

    url = pg_base_url().replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def schema_url(schema: str) -> str:
    """The server URL with every connection's search_path set to `schema`."""
    sep = "&" if "?" in pg_base_url() else "?"
    return f"{pg_base_url()}{sep}options={quote(f'-csearch_path={schema}')}"


@contextmanager
def scratch_db(kind: str, tmp_path: Path) -> Iterator[str]:
    """Yield a URL (or file path for SQLite) of an empty database, dropped afterwards."""
    if kind == "sqlite":
        yield str(tmp_path / "desk.sqlite3")
        return
    schema = "t_" + uuid.uuid4().hex[:16]
    _pg_exec(f"CREATE SCHEMA {schema}")
    try:
        yield schema_url(schema)
    finally:
        _pg_exec(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
