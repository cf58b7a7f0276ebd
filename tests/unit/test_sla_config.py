"""The SLA rules file: defaults, a site's overrides (inline or its own file), and bad files
refused with the key and the problem named."""

from __future__ import annotations

import pytest

from repairdesk.config import load_config
from repairdesk.domain.sla import Callee, ClockName, Level
from repairdesk.errors import ConfigError


def site(tmp_path, text: str):
    f = tmp_path / "config.toml"
    f.write_text(text, encoding="utf-8")
    return f


def test_site_overrides_single_keys_and_keeps_the_rest(tmp_path):
    cfg = load_config(site(tmp_path, """
[sla]
warning_fraction = 0.5
bell = false
[sla.clock.arrive]
target_min = 30
urgent_by_category = { "燃气" = 5 }
[sla.clock.complete]
cutoff = "18:00"
next_day_after = "17:00"
[sla.escalation]
after_min = { team_leader = 10, supervisor = 20, manager = 120 }
"""))
    r = cfg.sla
    assert r.warning_fraction == 0.5 and r.bell is False
    assert r.rule(ClockName.ARRIVE).target_s == 30 * 60
    assert r.arrive.urgent_by_category == {"水": 900, "电": 900, "燃气": 300}
    assert r.arrive.urgent_s == 600  # untouched
    assert (r.complete.cutoff_min, r.complete.next_day_after_min) == (18 * 60, 17 * 60)
    assert [(s.level, s.after_s) for s in r.rule(ClockName.DISPATCH).escalation] == [
        (Level.TEAM_LEADER, 600), (Level.SUPERVISOR, 1200), (Level.MANAGER, 7200)]
    assert r.rule(ClockName.DISPATCH).target_s == 300


def test_site_rules_file_then_inline_keys(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "sla.toml").write_text(
        '[clock.accept]\ntarget_min = 8\nbreach = "supervisor"\n'
        '[clock.dispatch]\ntarget_min = 3\n', encoding="utf-8")
    cfg = load_config(site(tmp_path, '[sla]\nfile = "rules/sla.toml"\n'
                                     '[sla.clock.dispatch]\ntarget_min = 4\n'))
    accept = cfg.sla.rule(ClockName.ACCEPT)
    assert accept.target_s == 8 * 60 and accept.breach is Callee.SUPERVISOR
    assert [s.level for s in accept.escalation] == [Level.MANAGER]
    assert cfg.sla.rule(ClockName.DISPATCH).target_s == 4 * 60  # inline wins over the file


def test_escalation_override_per_clock(tmp_path):
    cfg = load_config(site(tmp_path, "[sla.clock.complete]\n"
                                     "escalation_after_min = { manager = 1440 }\n"))
    assert [(s.level, s.after_s) for s in cfg.sla.rule(ClockName.COMPLETE).escalation] == [
        (Level.MANAGER, 1440 * 60)]
    assert cfg.sla.rule(ClockName.ACCEPT).escalation[-1].after_s == 3600


@pytest.mark.parametrize("text, key", [
    ("[sla]\nwarning_fraction = 1.5\n", "sla.warning_fraction"),
    ('[sla]\nwarning_fraction = "80%"\n', "sla.warning_fraction"),
    ("[sla]\nwarn_fraction = 0.7\n", "sla.warn_fraction"),
    ("[sla.clock.arrive]\ntarget_min = 0\n", "sla.clock.arrive.target_min"),
    ('[sla.clock.arrive]\ntarget_min = "20"\n', "sla.clock.arrive.target_min"),
    ("[sla.clock.accept]\ntarget_mins = 5\n", "sla.clock.accept.target_mins"),
    ("[sla.clock.repair]\ntarget_min = 5\n", "sla.clock.repair"),
    ('[sla.clock.dispatch]\nwarn = "boss"\n', "sla.clock.dispatch.warn"),
    ("[sla.clock.complete]\ntarget_min = 60\n", "sla.clock.complete.target_min"),
    ('[sla.clock.complete]\ncutoff = "25:00"\n', "sla.clock.complete.cutoff"),
    ('[sla.clock.complete]\ncutoff = "17:00"\n', "sla.clock.complete.next_day_after"),
    ("[sla.clock.complete]\npublic = { days = 0, by_cutoff = false }\n",
     "sla.clock.complete.public.days"),
    ('[sla.clock.arrive]\nurgent_by_category = { "煤" = 5 }\n',
     "sla.clock.arrive.urgent_by_category.煤"),
    ("[sla.clock.arrive]\nappointment_grace_min = -5\n", "sla.clock.arrive.appointment_grace_min"),
    ('[sla.escalation]\nchain = ["team_leader", "ceo"]\n', "sla.escalation.chain"),
    ('[sla.escalation]\nchain = ["manager", "manager"]\n', "sla.escalation.chain"),
    ("[sla.escalation]\nafter_min = { team_leader = 50, supervisor = 30, manager = 60 }\n",
     "sla.escalation.after_min"),
    ("[sla.clock.callback]\npauses = 1\n", "sla.clock.callback.pauses"),
    ('[sla]\nfile = "nope.toml"\n', "nope.toml"),
    ("sla = 5\n", "sla"),
    ("[sla.clock.arrive]\ntarget_min = nan\n", "sla.clock.arrive.target_min"),
    ("[sla.clock.arrive]\ntarget_min = inf\n", "sla.clock.arrive.target_min"),
    ("[sla.clock.arrive]\nurgent_min = 1e308\n", "sla.clock.arrive.urgent_min"),
    ("[sla.clock.callback]\ntarget_min = 10081\n", "sla.clock.callback.target_min"),
    ("[sla]\nwarning_fraction = nan\n", "sla.warning_fraction"),
])
def test_bad_rules_are_refused_naming_the_key(tmp_path, text, key):
    with pytest.raises(ConfigError) as err:
        load_config(site(tmp_path, text))
    assert key in str(err.value)
    assert "\n" not in str(err.value)
