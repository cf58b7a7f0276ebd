"""Store tests run against SQLite and, when the test server answers, PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from repairdesk.config import load_config
from repairdesk.store.scratch import pg_unavailable_reason, scratch_db


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path):
    """A fresh, empty database: a SQLite file or its own PostgreSQL schema."""
    if request.param == "postgresql" and (reason := pg_unavailable_reason()):
        pytest.skip(reason)
    with scratch_db(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def any_desk(db_url: str, clock):
    """A desk with a small roster on either database."""
    from repairdesk.domain.enums import Role
    from repairdesk.services.desk import open_desk
    from repairdesk.services.staff import add_staff

    d = open_desk(db_url, clock=clock, config=load_config(None))
    add_staff(d, "张建国", Role.TECHNICIAN, "13900000011")
    add_staff(d, "吴主管", Role.SUPERVISOR, "13600000031")
    yield d
    d.close()
