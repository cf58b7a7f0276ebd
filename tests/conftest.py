"""Shared fixtures: a real SQLite file per test, a fixed clock, the CLI in-process."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest

os.environ.setdefault("REPAIRDESK_LANG", "zh_CN")

from repairdesk import i18n  # noqa: E402
from repairdesk.clock import FixedClock  # noqa: E402
from repairdesk.config import load_config  # noqa: E402
from repairdesk.domain.enums import Role  # noqa: E402

# 2026-11-22 10:00 Asia/Shanghai
T0 = datetime(2026, 11, 22, 2, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test reads or writes the real user directories or a real config."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.delenv("REPAIRDESK_DB", raising=False)
    monkeypatch.delenv("REPAIRDESK_CONFIG", raising=False)
    monkeypatch.delenv("REPAIRDESK_CLERK", raising=False)
    i18n.set_language("zh_CN")
    yield
    i18n.set_language("zh_CN")


@pytest.fixture
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("zh_CN")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "desk.sqlite3"


@pytest.fixture
def desk(db_path: Path, clock: FixedClock):
    from repairdesk.services.desk import open_desk

    d = open_desk(str(db_path), clock=clock, config=load_config(None))
    yield d
    d.close()


@pytest.fixture
def staffed(roster):
    """The small roster, and 李静 holding the desk (as if signed on): what registering and
    the desk's other acts need (services/authority.py)."""
    from holding import hold_desk

    hold_desk(roster, "李静")
    return roster


@pytest.fixture
def roster(desk):
    """A desk with a small roster: two clerks, two technicians, a leader, a supervisor, a
    manager; nobody has signed on yet."""
    from repairdesk.services.staff import add_staff_unchecked

    add_staff_unchecked(desk, "李静", Role.CLERK, "13800000001")
    add_staff_unchecked(desk, "陈晓雯", Role.CLERK, "13800000002")
    add_staff_unchecked(desk, "张建国", Role.TECHNICIAN, "13900000011")
    add_staff_unchecked(desk, "王师傅", Role.TECHNICIAN, "13900000012")
    add_staff_unchecked(desk, "周班长", Role.TEAM_LEADER, "13700000021")
    add_staff_unchecked(desk, "吴主管", Role.SUPERVISOR, "13600000031")
    add_staff_unchecked(desk, "郑经理", Role.MANAGER, "13500000041")
    return desk


@pytest.fixture
def fast_pins():
    """Argon2 at its cheapest for tests that sign a lot (real hashing, real verification)."""
    from argon2 import PasswordHasher

    from repairdesk.services import signing

    signing.use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    yield
    signing.use_hasher(None)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path):
    """A fresh, empty database: a SQLite file, or its own PostgreSQL schema when the test
    server answers (store, CLI and concurrency tests run on both)."""
    from needs import require_postgres

    from repairdesk.store.scratch import scratch_db

    if request.param == "postgresql":
        require_postgres()
    with scratch_db(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def any_desk(db_url: str, clock):
    """A desk with a small roster on either database."""
    from repairdesk.services.desk import open_desk
    from repairdesk.services.staff import add_staff_unchecked

    d = open_desk(db_url, clock=clock, config=load_config(None))
    add_staff_unchecked(d, "张建国", Role.TECHNICIAN, "13900000011")
    add_staff_unchecked(d, "吴主管", Role.SUPERVISOR, "13600000031")
    from holding import hold_desk

    hold_desk(d, "李静")  # 李静 holds the desk (services/authority.py)
    yield d
    d.close()


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(db_path: Path):
    """Run the real `repairdesk` entry point in a subprocess against the test database."""

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None,
            lang: str | None = None) -> CliResult:
        if not db_path.exists():
            # the book every command expects (`repairdesk init`, done in-process: faster)
            from repairdesk.store.db import open_store

            open_store(str(db_path)).dispose()
        full_env = dict(os.environ)
        full_env["REPAIRDESK_DB"] = str(db_path)
        if lang:
            full_env["REPAIRDESK_LANG"] = lang
        full_env.update(env or {})
        proc = subprocess.run(
            [sys.executable, "-m", "repairdesk", *args], input=input, capture_output=True,
            text=True, env=full_env, timeout=120,
        )
        return CliResult(proc.returncode, proc.stdout, proc.stderr)

    run.db_path = db_path  # type: ignore[attr-defined]  # for holding.hold_book
    return run
