"""Configuration: defaults load; a bad site file is refused naming the key."""

from __future__ import annotations

import pytest

from repairdesk.config import load_config
from repairdesk.errors import ConfigError


def test_defaults_load():
    cfg = load_config(None)
    assert cfg.site_code == "XF"
    assert cfg.tz.key == "Asia/Shanghai"
    assert "水" in cfg.categories
    assert [s.code for s in cfg.shifts] == ["day", "night"]
    assert cfg.duty_day_start.hour == 8 and cfg.duty_day_start.minute == 30


def test_site_override_merges(tmp_path):
    f = tmp_path / "site.toml"
    f.write_text('[site]\nname = "阳光花园"\n[intake]\nrepeat_window_days = 3\n', encoding="utf-8")
    cfg = load_config(f)
    assert cfg.site_name == "阳光花园"
    assert cfg.repeat_window_days == 3
    assert cfg.site_code == "XF"  # untouched keys keep their defaults


@pytest.mark.parametrize("text,key", [
    ('[site]\ntimezone = "Mars/Olympus"\n', "site.timezone"),
    ("[intake]\nrepeat_window_days = 0\n", "intake.repeat_window_days"),
    ('[intake]\nrepeat_window_days = "seven"\n', "intake.repeat_window_days"),
    ('[intake]\nroom_pattern = "(["\n', "intake.room_pattern"),
    ('[numbering]\nformat = "{prefix}"\n', "numbering.format"),
    ('[shifts]\nduty_day_start = "8.30"\n', "shifts.duty_day_start"),
])
def test_bad_values_name_the_key(tmp_path, text, key):
    f = tmp_path / "site.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(f)
    assert key in str(err.value)


def test_unparseable_and_missing_files(tmp_path):
    f = tmp_path / "site.toml"
    f.write_text("[site\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config(f)
    with pytest.raises(ConfigError):
        load_config(tmp_path / "nope.toml")


def test_config_that_is_not_utf8_is_one_clear_line(tmp_path):
    from repairdesk.config_reader import load_toml
    from repairdesk.errors import ConfigError

    bad = tmp_path / "config.toml"
    bad.write_bytes(b'[site]\nname = "\xb0\xa2\xc0\xf6"\n')  # GBK, as Notepad may save it
    with pytest.raises(ConfigError, match="UTF-8"):
        load_toml(bad)


@pytest.mark.parametrize("pattern", ["{prefix}-{seq:>99999999999}", "{seq:0999d}",
                                     "{prefix}-{date:%Y%m%d}-{seq:04q}", "{seq", "{seq}" * 30])
def test_numbering_formats_that_cannot_make_a_number_are_refused(pattern):
    from repairdesk.domain.numbering import NumberFormat
    from repairdesk.errors import ConfigError

    with pytest.raises(ConfigError):
        NumberFormat("BX", pattern)


def test_the_default_numbering_format_still_works():
    from datetime import date

    from repairdesk.domain.numbering import NumberFormat

    assert NumberFormat().format(date(2026, 11, 22), 12) == "BX-20261122-0012"
