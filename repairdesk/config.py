"""Configuration: the defaults in data/*.toml, overridden by the site's config.toml.

The site file lives at --config, else $REPAIRDESK_CONFIG, else <user config dir>/config.toml;
it may hold any section of desk.toml plus [shifts] and the sections later modules read
(e.g. [sla]). A bad file is refused with one line naming the key and the problem.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .config_reader import DATA_DIR, Reader, data_file, load_toml, merge
from .domain.fees import FeeSchedule, parse_schedule
from .domain.numbering import NumberFormat
from .domain.sla_rules import SlaRules
from .domain.stats import Targets, parse_targets
from .errors import RepairdeskError
from .i18n import _

__all__ = ["DATA_DIR", "Config", "Reader", "ShiftDef", "data_file", "default_config_path",
           "load_config", "load_toml", "merge", "parse_config"]


@dataclass(frozen=True)
class ShiftDef:
    code: str
    name: str
    name_en: str
    start: time
    end: time


@dataclass(frozen=True)
class Config:
    site_name: str
    site_code: str
    tz: ZoneInfo
    language: str
    numbering: NumberFormat
    room_pattern: str
    categories: list[str]
    default_category: str
    urgent_keywords: list[str]
    repeat_window_days: int
    duty_day_start: time
    shifts: list[ShiftDef]
    fees: FeeSchedule = field(default_factory=FeeSchedule)
    reports: Targets = field(default_factory=Targets)
    sla: SlaRules = field(default_factory=lambda: _sla_rules({}, ["水", "电"], None))
    pin_min: int = 6  # [signing] pin_min: the shortest new PIN (digits)
    handover_grace_min: int = 30  # [shifts] handover_grace_min: then "handover overdue"
    # [intake] the spoken room forms (3栋2单元1501), the words naming a public place, and the
    # words that suggest each category (domain/rooms.py, domain/intake.py)
    room_forms: list[str] = field(default_factory=list)
    public_place_words: list[str] = field(default_factory=list)
    category_keywords: dict[str, list[str]] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
    source: Path | None = None


def _sla_rules(site: Any, categories: list[str], base: Path | None) -> SlaRules:
    """data/sla.toml under the site's [sla] keys (see repairdesk.sla_config)."""
    from .sla_config import parse_sla

    return parse_sla(site, categories, base)


def _intake_words(intake: Reader, categories: list[str]
                  ) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """[intake] room_forms, public_place_words and category_keywords, checked."""
    from .domain.rooms import check_form

    forms = intake.str_list("room_forms", [])
    for i, form in enumerate(forms):
        problem = check_form(form)
        if problem:
            raise intake.bad(f"room_forms[{i}]", problem)
    by_category = intake.sub("category_keywords")
    words: dict[str, list[str]] = {}
    for category in by_category.table:
        if category not in categories:
            raise by_category.bad(category, _("not one of the categories ({allowed})").format(
                allowed="、".join(categories)))
        words[category] = [w for w in by_category.str_list(category) if w.strip()]
    return forms, intake.str_list("public_place_words", []), words


def default_config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("repairdesk")) / "config.toml"


def load_config(path: str | Path | None = None) -> Config:
    """Defaults merged with the site file; `path` None means the usual places, if present."""
    raw = merge(load_toml(data_file("desk.toml")), {"shifts": load_toml(data_file("shifts.toml"))})
    raw = merge(raw, {"fees": load_toml(data_file("fees.toml")),
                      "reports": load_toml(data_file("reports.toml"))})
    source: Path | None = None
    if path is None and os.environ.get("REPAIRDESK_CONFIG"):
        path = os.environ["REPAIRDESK_CONFIG"]
    if path is not None:
        source = Path(path)
        raw = merge(raw, load_toml(source))
    else:
        candidate = default_config_path()
        if candidate.exists():
            source = candidate
            raw = merge(raw, load_toml(candidate))
    return parse_config(raw, source)


def parse_config(raw: dict[str, Any], source: Path | None = None) -> Config:
    site = Reader(raw, "").sub("site")
    site.path = "site"
    tz_name = site.get("timezone", str)
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise site.bad("timezone", _("unknown time zone {tz!r}").format(tz=tz_name)) from None
    code = site.get("code", str)
    if not re.fullmatch(r"[A-Za-z0-9_]{1,16}", code):
        raise site.bad("code", _("use 1-16 letters, digits or _"))
    num = Reader(raw.get("numbering", {}), "numbering")
    try:
        numbering = NumberFormat(prefix=num.get("prefix", str, "BX"), pattern=num.get("format", str))
    except RepairdeskError as exc:
        raise num.bad("format", str(exc)) from None
    intake = Reader(raw.get("intake", {}), "intake")
    pattern = intake.get("room_pattern", str)
    try:
        re.compile(pattern)
    except re.error as exc:
        raise intake.bad("room_pattern", str(exc)) from None
    categories = intake.str_list("categories")
    if not categories:
        raise intake.bad("categories", _("at least one category is needed"))
    default_category = intake.get("default_category", str, categories[-1])
    if default_category not in categories:
        raise intake.bad("default_category", _("must be one of the categories"))
    room_forms, public_words, category_words = _intake_words(intake, categories)
    shifts_raw = Reader(raw.get("shifts", {}), "shifts")
    shifts = []
    for i, entry in enumerate(shifts_raw.get("shift", list)):
        r = Reader(entry, f"shifts.shift[{i}]")
        shifts.append(ShiftDef(r.get("code", str), r.get("name", str), r.get("name_en", str, r.get("code", str)),
                               r.hhmm("start"), r.hhmm("end")))
    if not shifts:
        raise shifts_raw.bad("shift", _("at least one shift is needed"))
    from .printing.settings import parse_printing

    parse_printing(raw.get("printing", {}))  # checked here: a bad [printing] key stops the start
    grace = shifts_raw.get("handover_grace_min", int, 30)
    if not 0 <= grace <= 720:
        raise shifts_raw.bad("handover_grace_min", _("must be between {lo} and {hi}").format(
            lo=0, hi=720))
    signing = Reader(raw.get("signing", {}), "signing")
    pin_min = signing.get("pin_min", int, 6)
    if not 4 <= pin_min <= 12:
        raise signing.bad("pin_min", _("must be between {lo} and {hi}").format(lo=4, hi=12))
    return Config(
        site_name=site.get("name", str),
        site_code=code,
        tz=tz,
        language=site.get("language", str, ""),
        numbering=numbering,
        room_pattern=pattern,
        categories=categories,
        default_category=default_category,
        urgent_keywords=intake.str_list("urgent_keywords", []),
        repeat_window_days=intake.positive("repeat_window_days"),
        duty_day_start=shifts_raw.hhmm("duty_day_start", "08:30"),
        shifts=shifts,
        fees=parse_schedule(raw.get("fees", {})),
        reports=parse_targets(raw.get("reports", {})),
        pin_min=pin_min,
        handover_grace_min=grace,
        room_forms=room_forms,
        public_place_words=public_words,
        category_keywords=category_words,
        sla=_sla_rules(raw.get("sla", {}), categories, source.parent if source else None),
        raw=raw,
        source=source,
    )
