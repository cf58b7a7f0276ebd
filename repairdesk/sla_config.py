"""Reading the SLA rules: data/sla.toml, then the site's own rules file ([sla] file = ...),
then the [sla] keys of the site's config.toml. Unknown keys and bad values are refused with
one line naming the key (sla.clock.arrive.target_min) and the problem."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from .config_reader import Reader, data_file, load_toml, merge
from .domain.sla_rules import (
    CHAIN_ROLES, ArriveRule, Callee, ClockName, ClockRule, CompleteRule, CompleteTarget,
    SlaRules, default_escalation,
)
from .errors import ConfigError
from .i18n import _

_TOP = {"file", "warning_fraction", "bell", "escalation", "clock"}
_CLOCK = {"target_min", "warn", "breach", "pauses", "escalation_after_min"}
_EXTRA = {
    ClockName.ARRIVE: {"urgent_min", "urgent_by_category", "appointment_window_min",
                       "appointment_grace_min"},
    ClockName.ASSESS: {"fee_min"},
    ClockName.COMPLETE: {"cutoff", "next_day_after", "home", "public"},
}


@lru_cache(maxsize=1)
def _defaults() -> dict[str, Any]:
    return load_toml(data_file("sla.toml"))


def sla_raw(site: dict[str, Any], base: Path | None = None) -> dict[str, Any]:
    """The defaults, the site's rules file if it names one, then its inline keys."""
    raw = merge(_defaults(), {})
    if not isinstance(site, dict):
        raise ConfigError(_("Configuration key {key}: {problem}").format(
            key="sla", problem=_("expected a table")))
    if "file" in site:
        name = Reader(site, "sla").get("file", str)
        path = Path(name).expanduser()
        if not path.is_absolute() and base is not None:
            path = base / path
        raw = merge(raw, load_toml(path))
    return merge(raw, {k: v for k, v in site.items() if k != "file"})


def _unknown(r: Reader, allowed: set[str]) -> None:
    for key in r.table:
        if key not in allowed:
            raise r.bad(key, _("unknown key (allowed: {keys})").format(
                keys=", ".join(sorted(allowed))))


# A promise longer than a week is a typing slip (1e308 would overflow every deadline).
MAX_MINUTES = 7 * 24 * 60


def _minutes(r: Reader, key: str, zero_ok: bool = False, default: Any = None) -> float:
    value = r.get(key, float, default)  # finite: nan and inf are refused there
    if value < 0 or (value == 0 and not zero_ok):
        raise r.bad(key, _("must be greater than zero") if not zero_ok
                    else _("must not be negative"))
    if value > MAX_MINUTES:
        raise r.bad(key, _("must be at most {n} minutes (a week), got {value}").format(
            n=MAX_MINUTES, value=value))
    return float(value) * 60


def _callee(r: Reader, key: str) -> Callee:
    raw = r.get(key, str)
    try:
        return Callee(raw)
    except ValueError:
        raise r.bad(key, _("must be one of: {allowed}").format(
            allowed=", ".join(c.value for c in Callee))) from None


def _day_minute(r: Reader, key: str) -> int:
    """HH:MM as minutes after midnight; 24:00 is the end of the day."""
    raw = r.get(key, str)
    m = re.fullmatch(r"([01]\d|2[0-3]):([0-5]\d)|(24:00)", raw)
    if not m:
        raise r.bad(key, _("expected a time HH:MM, got {value!r}").format(value=raw))
    return 24 * 60 if m.group(3) else int(m.group(1)) * 60 + int(m.group(2))


def _after(r: Reader, key: str, chain: tuple[Callee, ...]) -> dict[Callee, float]:
    table = r.sub(key)
    _unknown(table, {c.value for c in chain})
    out = {c: _minutes(table, c.value, zero_ok=True) for c in chain if c.value in table.table}
    times = [out[c] for c in chain if c in out]
    if times != sorted(times):
        raise r.bad(key, _("each person in the chain is called no earlier than the one before"))
    return out


def _escalation(r: Reader) -> tuple[tuple[Callee, ...], dict[Callee, float]]:
    esc = r.sub("escalation")
    _unknown(esc, {"chain", "after_min"})
    names = esc.str_list("chain")
    chain: list[Callee] = []
    for name in names:
        if name not in {c.value for c in CHAIN_ROLES}:
            raise esc.bad("chain", _("must list some of: {allowed}").format(
                allowed=", ".join(c.value for c in CHAIN_ROLES)))
        if Callee(name) in chain:
            raise esc.bad("chain", _("{name} is listed twice").format(name=name))
        chain.append(Callee(name))
    after = _after(esc, "after_min", tuple(chain))
    for c in chain:
        if c not in after:
            raise esc.sub("after_min").bad(c.value, _("missing"))
    return tuple(chain), after


def _complete_target(r: Reader, key: str) -> CompleteTarget:
    t = r.sub(key)
    if key not in r.table:
        raise r.bad(key, _("missing"))
    _unknown(t, {"days", "by_cutoff"})
    days = t.get("days", int)
    by_cutoff = t.get("by_cutoff", bool)
    if days < 0 or (days == 0 and not by_cutoff):
        raise t.bad("days", _("must be at least 1, or 0 with by_cutoff = true"))
    return CompleteTarget(days, by_cutoff)


def parse_sla(site: dict[str, Any], categories: list[str], base: Path | None = None) -> SlaRules:
    """Validated rules from the defaults merged with the site's [sla] section."""
    root = Reader(sla_raw(site, base), "sla")
    _unknown(root, _TOP)
    fraction = root.get("warning_fraction", float)
    if not 0 < fraction < 1:
        raise root.bad("warning_fraction", _("must be between 0 and 1"))
    chain, after = _escalation(root)
    clocks_r = root.sub("clock")
    _unknown(clocks_r, {c.value for c in ClockName})
    clocks: dict[ClockName, ClockRule] = {}
    for name in ClockName:
        c = clocks_r.sub(name.value)
        if name.value not in clocks_r.table:
            raise clocks_r.bad(name.value, _("missing"))
        _unknown(c, (_CLOCK - ({"target_min"} if name is ClockName.COMPLETE else set()))
                 | _EXTRA.get(name, set()))
        breach = _callee(c, "breach")
        own = {**after, **_after(c, "escalation_after_min", chain)}
        clocks[name] = ClockRule(
            target_s=None if name is ClockName.COMPLETE else _minutes(c, "target_min"),
            warn=_callee(c, "warn"), breach=breach, pauses=c.get("pauses", bool, True),
            escalation=default_escalation(breach, chain, own),
        )
    a = clocks_r.sub(ClockName.ARRIVE.value)
    by_cat = a.sub("urgent_by_category")
    for cat in by_cat.table:
        if cat not in categories:
            raise by_cat.bad(cat, _("not one of the categories ({allowed})").format(
                allowed="、".join(categories)))
    arrive = ArriveRule(
        urgent_s=_minutes(a, "urgent_min"),
        urgent_by_category={k: _minutes(by_cat, k) for k in by_cat.table},
        appointment_window_s=_minutes(a, "appointment_window_min"),
        appointment_grace_s=_minutes(a, "appointment_grace_min", zero_ok=True, default=0),
    )
    k = clocks_r.sub(ClockName.COMPLETE.value)
    cutoff = _day_minute(k, "cutoff")
    later = _day_minute(k, "next_day_after")
    if later > cutoff:
        raise k.bad("next_day_after", _("must not be later than the cut-off"))
    complete = CompleteRule(home=_complete_target(k, "home"), public=_complete_target(k, "public"),
                            cutoff_min=cutoff, next_day_after_min=later)
    fee = _minutes(clocks_r.sub(ClockName.ASSESS.value), "fee_min")
    return SlaRules(warning_fraction=fraction, clocks=clocks, arrive=arrive, assess_fee_s=fee,
                    complete=complete, bell=root.get("bell", bool, True))

