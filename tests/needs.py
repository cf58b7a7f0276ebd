"""Tests that need a system service (PostgreSQL, CUPS and the poppler tools) skip on a machine
without it, with a reason naming the .ci/setup.d/ script that provides it. In CI
(`REPAIRDESK_REQUIRE_SERVICES=1`, set by .ci/run) the same test fails instead: a CI run in
which the services silently went missing would prove nothing."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

REQUIRE = "REPAIRDESK_REQUIRE_SERVICES"


def service_missing(reason: str, script: str) -> NoReturn:
    text = f"{reason} — provided by .ci/setup.d/{script}"
    if os.environ.get(REQUIRE) == "1":
        pytest.fail(f"{REQUIRE}=1 but {text}", pytrace=False)
    pytest.skip(text)


def require_postgres() -> None:
    from repairdesk.store.scratch import pg_unavailable_reason

    if reason := pg_unavailable_reason():
        service_missing(reason, "postgres.sh")
