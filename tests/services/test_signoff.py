"""The supervisor's morning sign-off and the unsigned-day flag."""

from __future__ import annotations

from datetime import date

import pytest

from repairdesk.errors import PermissionDenied, ValidationError
from repairdesk.services import dutylog, signing, signoff


pytestmark = pytest.mark.usefixtures("fast_pins")


@pytest.fixture
def night_logged(staffed, clock):
    signing.set_pin_unchecked(staffed, "吴主管", "99999999")
    signing.set_pin_unchecked(staffed, "李静", "11111111")
    dutylog.add_entry(staffed, "3号楼电梯巡查正常", "李静")   # 22 Nov 10:00 local
    clock.advance(hours=24)                                  # 23 Nov 10:00 local
    return staffed


def test_previous_day_flagged_until_signed(night_logged):
    assert signoff.unsigned_days(night_logged) == [date(2026, 11, 22)]
    r = signoff.review(night_logged)
    assert r.day == date(2026, 11, 22) and len(r.entries) == 1 and r.signed is None
    rec = signoff.sign_off(night_logged, "吴主管", "99999999", comment="已阅")
    assert rec.duty_day == "2026-11-22"
    assert signoff.unsigned_days(night_logged) == []
    assert signoff.review(night_logged, date(2026, 11, 22)).signed is not None
    last = dutylog.list_entries(night_logged)[-1]
    assert last.kind == dutylog.LogKind.SIGNOFF and last.author == "吴主管"


def test_signed_day_is_locked(night_logged):
    signoff.sign_off(night_logged, "吴主管", "99999999")
    with pytest.raises(PermissionDenied):
        signoff.sign_off(night_logged, "吴主管", "99999999")


def test_only_a_supervisor_signs(night_logged):
    with pytest.raises(PermissionDenied):
        signoff.sign_off(night_logged, "李静", "11111111")
    assert signoff.unsigned_days(night_logged) == [date(2026, 11, 22)]


def test_today_cannot_be_signed(night_logged):
    with pytest.raises(ValidationError):
        signoff.sign_off(night_logged, "吴主管", "99999999", day=date(2026, 11, 23))


def test_wrong_pin_leaves_day_unsigned(night_logged):
    with pytest.raises(PermissionDenied):
        signoff.sign_off(night_logged, "吴主管", "00000000")
    assert signoff.unsigned_days(night_logged) == [date(2026, 11, 22)]


def test_an_unsigned_day_stays_flagged_however_old(night_logged, clock):
    """Issue 14 (7): days older than 31 days no longer drop off the flag and the header."""
    from repairdesk.services import shifts

    clock.advance(days=45)
    days = signoff.unsigned_days(night_logged)
    assert days[0] == date(2026, 11, 22) and len(days) == 46  # 11-22 .. 01-06
    assert "2026-11-22" in shifts.header_text(night_logged)
