"""Field rules, masking, escapes and numbering: plain values in, plain values out."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repairdesk.domain.numbering import NumberFormat, find_gaps
from repairdesk.domain.text import clean_text, has_escape
from repairdesk.domain.timeparse import parse_local
from repairdesk.domain.validation import (
    mask_phone, normalise_phone, validate_content, validate_room,
)
from repairdesk.errors import ConfigError, ValidationError

ROOM = r"^\d{1,3}-\d{1,2}-\d{3,5}$"
TZ = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("raw,expected", [
    ("13800138000", "13800138000"),
    ("138 0013 8000", "13800138000"),
    ("+86 138-0013-8000", "13800138000"),
    ("0755-26123456", "075526123456"),
    ("010 8888 6666", "01088886666"),
    ("26123456", "26123456"),
    ("0755-26123456转808", "075526123456-808"),
    ("", ""),
])
def test_phone_normalised(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "1380013800", "23800138000", "abc", "138001380001"])
def test_bad_phone_refused_with_field(raw):
    with pytest.raises(ValidationError) as err:
        normalise_phone(raw)
    assert err.value.field == "phone"


@pytest.mark.parametrize("phone,masked", [
    ("13800138000", "138****8000"),
    ("075526123456", "0755****3456"),
    ("01088886666", "010****6666"),
    ("", ""),
])
def test_mask(phone, masked):
    assert mask_phone(phone) == masked


def test_room_pattern():
    assert validate_room(" 3-2-1501 ", ROOM) == "3-2-1501"
    assert validate_room("3－2－1501", ROOM) == "3-2-1501"
    for bad in ("", "3-1501", "A-2-1501", "3-2-15010123"):
        with pytest.raises(ValidationError):
            validate_room(bad, ROOM)


def test_content_limits():
    assert validate_content("漏水") == "漏水"
    assert len(validate_content("水" * 500)) == 500
    with pytest.raises(ValidationError):
        validate_content("水" * 501)
    with pytest.raises(ValidationError):
        validate_content("   \x1b[31m  ")


def test_escape_sequences_are_stripped():
    nasty = "厨房\x1b[2J\x1b]0;pwned\x07漏水\x00\u202e\x9b31m"
    cleaned = clean_text(nasty)
    assert cleaned == "厨房漏水"
    assert not has_escape(cleaned)


@given(st.text())
def test_clean_text_never_leaves_escapes(value):
    assert not has_escape(clean_text(value))
    assert not has_escape(clean_text(value, multiline=True))


def test_number_format_and_period():
    fmt = NumberFormat()
    day = date(2026, 11, 22)
    assert fmt.format(day, 7) == "BX-20261122-0007"
    assert fmt.parse_seq("BX-20261122-0007", day) == 7
    assert fmt.period_key(day) != fmt.period_key(date(2026, 11, 23))
    yearly = NumberFormat("WX", "{prefix}{date:%Y}{seq:05d}")
    assert yearly.period_key(day) == yearly.period_key(date(2026, 1, 1))
    with pytest.raises(ConfigError):
        NumberFormat("BX", "{prefix}-{date:%Y}")


def test_find_gaps():
    assert find_gaps([1, 2, 4, 7]) == [3, 5, 6]
    assert find_gaps([]) == []


def test_parse_local_forms():
    now = datetime(2026, 11, 22, 2, 0, tzinfo=timezone.utc)  # 10:00 local
    assert parse_local("14:30", TZ, now) == datetime(2026, 11, 22, 6, 30, tzinfo=timezone.utc)
    assert parse_local("2026-11-23 09:00", TZ, now) == datetime(2026, 11, 23, 1, 0,
                                                                 tzinfo=timezone.utc)
    assert parse_local("明天 9:00", TZ, now) == datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc)
    for bad in ("25:00", "2026-13-01 10:00", "soon", ""):
        with pytest.raises(ValidationError):
            parse_local(bad, TZ, now)


@pytest.mark.parametrize("raw", ["吴主管\u200b", "\u200e吴主管", "吴\u2060主管\ufeff", "吴主管\u200f"])
def test_invisible_characters_do_not_make_a_second_name(raw):
    from repairdesk.domain.text import clean_name

    assert clean_name(raw) == "吴主管"
    assert clean_text(raw) == "吴主管"


def test_an_invisible_name_is_empty_and_full_width_is_folded():
    from repairdesk.domain.text import clean_name

    assert clean_name("\u200b") == "" and clean_name("\u200b\u200d\u2063") == ""
    assert clean_name("Ｌｉ　Ｊｉｎｇ１") == "Li Jing1"
    assert clean_text("一行\u2028两行", multiline=True) == "一行\n两行"


@pytest.mark.parametrize("raw", ["0001-01-01 00:00", "1900-01-01 08:00", "2101-01-01 00:00",
                                 "9999-12-31 23:59", "0001-01-01T00:00:00+00:00",
                                 "1999-12-31T23:00:00+08:00"])
def test_times_outside_2000_to_2100_are_refused_with_the_range(raw):
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from repairdesk.domain.timeparse import parse_local
    from repairdesk.errors import ValidationError

    now = datetime(2026, 11, 22, 6, 0, tzinfo=timezone.utc)
    with pytest.raises(ValidationError) as err:
        parse_local(raw, ZoneInfo("Asia/Shanghai"), now, "received_at")
    assert "2000" in str(err.value) and "2100" in str(err.value)
    assert err.value.field == "received_at"


def test_yesterday_is_understood():
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from repairdesk.domain.timeparse import parse_local

    tz = ZoneInfo("Asia/Shanghai")
    now = datetime(2026, 11, 22, 16, 5, tzinfo=timezone.utc)  # 00:05 on the 23rd, local
    for raw in ("昨天 23:50", "yesterday 23:50"):
        got = parse_local(raw, tz, now).astimezone(tz)
        assert (got.month, got.day, got.hour, got.minute) == (11, 22, 23, 50)
    got = parse_local("前天 8:00", tz, now).astimezone(tz)
    assert (got.day, got.hour) == (21, 8)


def test_output_and_printer_text_never_carry_escapes():
    from repairdesk.domain.text import for_output
    from repairdesk.printing.text import encode_for_printer, printable

    old_record = "停水\x1b]0;pwned\x07一小时\x1b[31m\n第二行\t列\x9b2J\u202e"
    assert for_output(old_record) == "停水一小时\n第二行\t列"
    data = encode_for_printer(printable(old_record))
    assert b"\x1b" not in data and b"\x07" not in data
