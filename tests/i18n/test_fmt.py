"""Babel formatting follows the chosen language; the countdown is our own."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
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


# The SLA clock's one format: units, never mm:ss (which reads as a time of day), and one
# marker for overdue. Boundaries: 0 s, 59 s, 60 s, 59:59, 1 h, a day, and overdue.
COUNTDOWNS = [
    (0, "0m00s", "0分00秒"), (59.9, "0m59s", "0分59秒"), (60, "1m00s", "1分00秒"),
    (299, "4m59s", "4分59秒"), (3599, "59m59s", "59分59秒"), (3600, "1h00m", "1小时00分"),
    (3900, "1h05m", "1小时05分"), (86399, "23h59m", "23小时59分"), (86400, "1d00h", "1天00小时"),
    (90061, "1d01h", "1天01小时"), (-0.5, "late 0m00s", "超时 0分00秒"),
    (-61, "late 1m01s", "超时 1分01秒"), (-7680, "late 2h08m", "超时 2小时08分"),
    (-200000, "late 2d07h", "超时 2天07小时"),
]


@pytest.mark.parametrize("seconds, shown", [(s, en) for s, en, _zh in COUNTDOWNS])
def test_countdown(english, seconds: float, shown: str):
    assert fmt.countdown(seconds) == shown


@pytest.mark.parametrize("seconds, shown", [(s, zh) for s, _en, zh in COUNTDOWNS])
def test_countdown_in_chinese(seconds: float, shown: str):
    assert fmt.countdown(seconds) == shown


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_padded_countdowns_keep_one_width(lang):
    from repairdesk import i18n

    i18n.set_language(lang)
    try:
        width = fmt.countdown_width()
        assert width == fmt.display_width(fmt.countdown(-(23 * 3600 + 59 * 60)))
        for s, *_ in COUNTDOWNS:
            padded = fmt.countdown(s, pad=True)
            assert fmt.display_width(padded) == width and padded.strip() == fmt.countdown(s)
    finally:
        i18n.set_language("zh_CN")


def test_display_width_counts_wide_characters_twice():
    assert fmt.display_width("超时 23小时59分") == 15
    assert fmt.pad_left("1小时05分", 11) == "  1小时05分"
    assert fmt.pad_left("toolong", 3) == "toolong"


def test_no_narrow_spaces_reach_the_terminal(english):
    for text in (fmt.datetime(AT, TZ), fmt.money(1), fmt.day(AT, TZ)):
        assert "\u202f" not in text and "\u00a0" not in text


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_date_table_writes_what_babel_writes(language):
    """fmt's own table of the two languages' date patterns (so the desk never loads Babel's
    locale data for a time of day, issue 18) against Babel itself, over every weekday and
    month, one- and two-digit days and hours."""
    from babel.dates import format_date, format_skeleton

    from repairdesk import i18n

    before = i18n.current_language()
    i18n.set_language(language)
    try:
        loc = fmt._locale(i18n.babel_locale())
        for day in range(0, 400, 7):
            for hour in (0, 9, 23):
                at = datetime(2026, 1, 1, hour, 5, tzinfo=timezone.utc) + timedelta(days=day + hour)
                assert fmt.time(at) == fmt._clean(format_skeleton("Hm", at, locale=loc))
                for name, skeleton in (("date", "yMd"), ("date_long", "yMMMd"),
                                       ("day", "MMMEd")):
                    want = fmt._clean(format_skeleton(skeleton, at, locale=loc))
                    assert getattr(fmt, name)(at) == want, (name, at)
                assert fmt.weekday(at) == format_date(at, "EEE", locale=loc)
                assert fmt.weekday(at, wide=True) == format_date(at, "EEEE", locale=loc)
                want = fmt._clean(str(loc.datetime_formats["short"].format(
                    fmt._clean(format_skeleton("Hm", at, locale=loc)),
                    fmt._clean(format_skeleton("yMd", at, locale=loc)))))
                assert fmt.datetime(at) == want
    finally:
        i18n.set_language(before)


def test_dates_and_times_do_not_load_babel():
    """The desk writes dates and times all night; Babel (and its CLDR data) loads only for
    numbers and money."""
    import subprocess
    import sys

    probe = ("import sys, datetime as d; from repairdesk import fmt, i18n\n"
             "at = d.datetime(2026, 11, 22, 2, 5, tzinfo=d.timezone.utc)\n"
             "for lang in ('zh_CN', 'en'):\n"
             "    i18n.set_language(lang)\n"
             "    fmt.date(at), fmt.day(at), fmt.date_long(at), fmt.time(at), fmt.datetime(at),"
             " fmt.weekday(at), fmt.countdown(-3600, pad=True)\n"
             "print('babel' in sys.modules)\n"
             "fmt.money('1.5')\n"
             "print('babel' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "True"]
