"""The command palette finds actions by Chinese name, English name or pinyin."""

from __future__ import annotations

import pytest

from repairdesk.tui.fuzzy import matches, readings

ACTIONS = {
    "dispatch": ("派工", "Dispatch"),
    "callback": ("回访", "Call back"),
    "void": ("作废", "Void"),
    "handover": ("交接班", "Hand over the shift"),
    "repeat": ("重复报修", "Repeat reports"),
}


def best(query: str) -> str | None:
    scored = [(matches(query, *names), key) for key, names in ACTIONS.items()]
    found = [(s, k) for s, k in scored if s is not None]
    return max(found)[1] if found else None


@pytest.mark.parametrize("query, action", [
    ("pg", "dispatch"), ("PG", "dispatch"), ("paigong", "dispatch"), ("派工", "dispatch"),
    ("派", "dispatch"), ("dispatch", "dispatch"), ("disp", "dispatch"),
    ("hf", "callback"), ("call", "callback"), ("cb", "callback"),
    ("zf", "void"), ("jjb", "handover"), ("hand over", "handover"), ("cfbx", "repeat"),
])
def test_finds_the_action(query: str, action: str):
    assert best(query) == action


def test_no_match_is_none():
    assert matches("xyzq", "派工", "Dispatch") is None
    assert matches("mg", "派工", "Dispatch") is None  # rare heteronym readings are not offered


def test_exact_beats_prefix_beats_initials():
    exact = matches("派工", "派工")
    prefix = matches("派", "派工单")
    initials = matches("pg", "派工")
    assert exact is not None and prefix is not None and initials is not None
    assert exact > prefix > initials


def test_empty_query_matches_everything():
    assert matches("", "派工", "Dispatch") == 1.0


def test_readings_keep_letters_and_digits():
    assert readings("APP报修") == (("appbx", "appbaoxiu"),)
    assert ("cfbx", "chongfubaoxiu") in readings("重复报修")
