"""Babel formatting follows the chosen language; the countdown is our own."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from repairdesk import fmt

TZ = ZoneInfo("Asia/Shanghai")
# 2026-11-22 is a Sunday; 02:05 UTC is 10:05 in Shanghai.
AT = datetime(2026, 11, 22, 2, 5, tzinfo=timezone.utc)


def test_chinese_by_default():
    assert fmt.date(AT, TZ) == "2026/11/22"
    assert fmt.date_long(AT, TZ) == "2026年11月22日"
    assert fmt.day(AT, TZ) == "11月22日周日"
    assert fmt.weekday(AT, TZ) == "周日"
    assert fmt.weekday(AT, TZ, wide=True) == "星期日"
    assert fmt.time(AT, TZ) == "10:05"
    assert fmt.datetime(AT, TZ) == "2026/11/22 10:05"
    assert fmt.money(Decimal("1234.5")) == "¥1,234.50"
    assert fmt.number(12345) == "12,345"
    assert fmt.percent(0.987) == "98.7%"


def test_english(english):
    assert fmt.date(AT, TZ) == "11/22/2026"
    assert fmt.date_long(AT, TZ) == "Nov 22, 2026"
    assert fmt.day(AT, TZ) == "Sun, Nov 22"
    assert fmt.weekday(AT, TZ, wide=True) == "Sunday"
    assert fmt.time(AT, TZ) == "10:05"
    assert fmt.datetime(AT, TZ) == "11/22/2026, 10:05"
    assert fmt.money("0.5") == "¥0.50"
    assert fmt.number(3, digits=2) == "3.00"


def test_the_site_zone_decides_the_day():
    late = datetime(2026, 11, 22, 17, 0, tzinfo=timezone.utc)  # 01:00 on the 23rd in Shanghai
    assert fmt.date(late, TZ) == "2026/11/23"
    assert fmt.date(date(2026, 11, 22)) == "2026/11/22"


@pytest.mark.parametrize("seconds, shown", [
    (0, "00:00"), (59.9, "00:59"), (299, "04:59"), (3599, "59:59"),
    (3600, "1:00"), (3900, "1:05"), (35999, "9:59"), (36000 + 60, "10h"),
    (-61, "-01:01"), (-7260, "-2:01"), (-200000, "-55h"),
])
def test_countdown(seconds: float, shown: str):
    assert fmt.countdown(seconds) == shown


def test_no_narrow_spaces_reach_the_terminal(english):
    for text in (fmt.datetime(AT, TZ), fmt.money(1), fmt.day(AT, TZ)):
        assert "\u202f" not in text and "\u00a0" not in text
