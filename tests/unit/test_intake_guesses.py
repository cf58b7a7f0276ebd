"""Reading what the caller says: rooms in their spoken forms, public places, the category a
fault suggests, and whom to send first (pure domain functions, the shipped configuration)."""

from __future__ import annotations

import copy

import pytest

from repairdesk.config import load_config, parse_config
from repairdesk.domain.dispatch import Candidate, rank_technicians
from repairdesk.domain.enums import Role
from repairdesk.domain.intake import guess_category
from repairdesk.domain.rooms import Place, normalise_room, read_place
from repairdesk.errors import ConfigError

CFG = load_config(None)


def place(text: str):
    return read_place(text, CFG.room_forms, CFG.room_pattern, CFG.public_place_words)


@pytest.mark.parametrize("said", ["3栋2单元1501", "3幢2单元1501", "3-2-1501", "3号楼2单元1501",
                                  "3 栋 2 单元 1501 室", "３栋２单元１５０１", "3－2－1501",
                                  "03栋2单元1501", "3座2单元1501号"])
def test_the_spoken_forms_are_one_room(said):
    assert place(said).kind is Place.ROOM
    assert place(said).room == "3-2-1501"


@pytest.mark.parametrize("said,word", [("3栋楼道", "楼道"), ("2号楼电梯", "电梯"),
                                       ("地下车库B区", "车库"), ("东门岗亭", "门岗")])
def test_a_public_place_is_public(said, word):
    assert place(said).kind is Place.PUBLIC and place(said).word == word


@pytest.mark.parametrize("said", ["3-2", "3栋2单元", "王家", "1501", "3栋2单元15"])
def test_neither_a_room_nor_a_known_place_is_unsure_never_public(said):
    assert place(said).kind is Place.UNSURE


def test_a_spoken_form_must_end_in_a_room_the_book_accepts():
    # the unit is two digits at most in the book's pattern: the form matches, the room not
    assert normalise_room("3栋123单元1501", [r"^(?P<b>\d+)栋(?P<u>\d+)单元(?P<r>\d+)$"],
                          CFG.room_pattern) is None


def test_room_forms_are_configurable_and_checked():
    raw = copy.deepcopy(CFG.raw)
    raw["intake"]["room_forms"] = [r"^(?P<b>\d+)区(?P<u>\d+)-(?P<r>\d{3,5})$"]
    cfg = parse_config(raw)
    assert read_place("5区1-302", cfg.room_forms, cfg.room_pattern, []).room == "5-1-302"
    assert read_place("3栋2单元1501", cfg.room_forms, cfg.room_pattern, []).kind is Place.UNSURE
    raw["intake"]["room_forms"] = [r"^(?P<b>\d+)栋(\d+)$"]
    with pytest.raises(ConfigError, match="room_forms"):
        parse_config(raw)


def test_category_keywords_must_name_a_category():
    raw = copy.deepcopy(CFG.raw)
    raw["intake"]["category_keywords"] = {"暖气": ["暖气"]}
    with pytest.raises(ConfigError, match="category_keywords"):
        parse_config(raw)


@pytest.mark.parametrize("content,category", [
    ("厨房水龙头滴水", "水"), ("电梯困人了", "电梯"), ("卧室插座冒烟", "电"),
    ("客厅墙面裂缝", "土建"), ("防盗门锁坏了", "门窗"), ("厨房有煤气味", "燃气"),
    ("水管漏水导致跳闸", "水"),  # the fault said first decides
    ("电梯门关不上", "电梯"),  # the longer word at the same place
])
def test_the_category_is_guessed_from_the_content(content, category):
    assert guess_category(content, CFG.category_keywords)[0] == category


def test_no_keyword_no_guess():
    assert guess_category("楼上太吵", CFG.category_keywords) is None
    assert guess_category("漏水", {}) is None


def tech(name, skills=(), open_jobs=0, on_site=0, role=Role.TECHNICIAN):
    return Candidate(name, role, "139", tuple(skills), open_jobs, on_site)


def test_rank_puts_the_one_who_handles_the_category_first_then_the_least_loaded():
    busy_plumber = tech("甲", ["水"], open_jobs=3, on_site=3)
    free_plumber = tech("乙", ["水", "电"], open_jobs=1)
    electrician = tech("丙", ["电"])
    leader = tech("丁", ["水"], role=Role.TEAM_LEADER)
    ranked = rank_technicians([busy_plumber, electrician, leader, free_plumber], "水")
    assert [c.name for c in ranked] == ["乙", "甲", "丁", "丙"]
    # for a power fault the electricians come first, the least loaded of them first
    assert [c.name for c in rank_technicians(ranked, "电")][:2] == ["丙", "乙"]


def test_rank_breaks_a_tie_on_load_by_jobs_on_site_then_name():
    a = tech("张", open_jobs=2, on_site=2)
    b = tech("王", open_jobs=2, on_site=0)
    c = tech("李", open_jobs=2, on_site=0)
    assert [x.name for x in rank_technicians([a, b, c], "水")] == sorted(["王", "李"]) + ["张"]
