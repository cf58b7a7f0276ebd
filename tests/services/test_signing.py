"""PINs: hashed only, five wrong lock signing for five minutes, logged."""

from __future__ import annotations

import pytest
from sqlmodel import select

from repairdesk.errors import PermissionDenied, ValidationError
from repairdesk.services import dutylog, signing
from repairdesk.store.tables import Staff


pytestmark = pytest.mark.usefixtures("fast_pins")


def test_pin_stored_only_as_argon2_hash(staffed):
    signing.set_pin_unchecked(staffed, "李静", "24682468")
    with staffed.store.read() as s:
        row = s.exec(select(Staff).where(Staff.name == "李静")).one()
    assert row.pin_hash and row.pin_hash.startswith("$argon2id$") and "24682468" not in row.pin_hash
    assert signing.authenticate(staffed, "李静", "24682468").name == "李静"


def test_bad_pin_format_refused(staffed):
    with pytest.raises(ValidationError):
        signing.set_pin_unchecked(staffed, "李静", "12")


def test_default_hasher_is_slow():
    signing.use_hasher(None)
    assert signing._hasher.memory_cost >= 19 * 1024 and signing._hasher.time_cost >= 2


def test_five_wrong_pins_lock_for_five_minutes(staffed, clock):
    signing.set_pin_unchecked(staffed, "李静", "24682468")
    for _ in range(4):
        with pytest.raises(PermissionDenied):
            signing.authenticate(staffed, "李静", "00000000")
    with pytest.raises(PermissionDenied, match="5"):
        signing.authenticate(staffed, "李静", "00000000")
    # the right PIN is refused while locked
    clock.advance(minutes=4)
    with pytest.raises(PermissionDenied):
        signing.authenticate(staffed, "李静", "24682468")
    clock.advance(minutes=1, seconds=1)
    assert signing.authenticate(staffed, "李静", "24682468").name == "李静"
    kinds = [e.kind for e in dutylog.list_entries(staffed)]
    assert kinds.count(dutylog.LogKind.LOCKOUT) == 1
    assert kinds.count(dutylog.LogKind.PIN) == 4


def test_success_resets_the_count(staffed):
    signing.set_pin_unchecked(staffed, "李静", "24682468")
    for _ in range(4):
        with pytest.raises(PermissionDenied):
            signing.authenticate(staffed, "李静", "11111111")
    signing.authenticate(staffed, "李静", "24682468")
    with pytest.raises(PermissionDenied):
        signing.authenticate(staffed, "李静", "11111111")
    assert signing.authenticate(staffed, "李静", "24682468")


def test_role_restriction(staffed):
    signing.set_pin_unchecked(staffed, "李静", "24682468")
    from repairdesk.domain.enums import Role

    with pytest.raises(PermissionDenied):
        signing.authenticate(staffed, "李静", "24682468", (Role.SUPERVISOR,))
