"""The CLI speaks one language at a time: `--lang en` shows no Chinese except data, the default
(zh_CN) shows no English except data, proper names and what the clerk must type literally.

Data = every string the demo database holds (names, rooms, content, notes) plus the site's
configuration (categories, site and shift names): those are the users' words, not ours.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from repairdesk.config import load_config

HAN = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]")
# Words the Chinese interface may keep: product and technology names, units of the CLI
# grammar (option names, metavars, env vars) and values the clerk types literally.
ALLOWED_ENGLISH = {
    "repairdesk", "SQLAlchemy", "URL", "TOML", "JSON", "SQLite", "PostgreSQL", "pg_dump", "SVG",
    "APP", "PIN", "zh_CN", "en", "cron", "yes", "no", "str", "int", "float", "NO", "NAME", "PATH",
    "clerk", "technician", "team_leader", "supervisor", "manager", "home", "public",
    "urgent", "normal", "appointment", "phone", "walk_in", "app", "wechat", "patrol", "HH", "MM",
    # literal --format values the user types
    "pdf", "text", "table", "csv", "xlsx", "free", "paid", "assess", "agree", "decline",
}
# Option names, env vars, metavars (<str>, {NO}, FILE, "name <str>"), quoted tokens.
GRAMMAR = re.compile(
    r"--?[A-Za-z][\w-]*|\$\w+|<\w+>|\{\w+\}|\[\w+\]|\b\w+(?= <\w+>)|\b[A-Z][A-Z_]+\b|'[^']*'")

HELP_WALKER = """
import sys
from repairdesk import i18n
from repairdesk.cli.click_i18n import install
i18n.set_language(sys.argv[1]); install()
import typer.main
from typer._click.core import Context
from repairdesk.cli import app as appmod
appmod._register()
names = set()
def walk(cmd, name, parent):
    names.add(name)
    ctx = Context(cmd, info_name=name, parent=parent)
    print(cmd.get_help(ctx)); print("\\f")
    for sub_name, sub in sorted(getattr(cmd, "commands", {}).items()):
        walk(sub, sub_name, ctx)
walk(typer.main.get_command(appmod.app), "repairdesk", None)
print("#commands:", " ".join(sorted(names)))
"""
# JSON fields holding our own codes (English by design), not the users' words.
CODE_FIELDS = {"status", "scope", "urgency", "channel", "service_type", "action", "role",
               "kind", "state"}


def _run(args: list[str], lang: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, REPAIRDESK_DB=str(db), REPAIRDESK_LANG=lang)
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env,
                          timeout=120)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in CODE_FIELDS for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _demo(base: Path, lang: str) -> tuple[Path, list[str], str]:
    """A demo book built in `lang` (the desk stores its notes in the clerk's language), the
    data strings in it (longest first) and the ticket number with the longest history."""
    db = base / f"demo-{lang}.sqlite3"
    built = _run(["-m", "repairdesk", "demo", "--no-tui", "--path", str(db)], lang, db)
    assert built.returncode == 0, built.stderr
    tickets = json.loads(_run(["-m", "repairdesk", "ticket", "list", "--json", "--limit", "0"],
                              lang, db).stdout)
    staff = json.loads(_run(["-m", "repairdesk", "staff", "list", "--json"], lang, db).stdout)
    cfg = load_config(None)
    data = _strings(tickets) + _strings(staff) + list(cfg.categories) + [cfg.site_name]
    data += [s.name for s in cfg.shifts]
    data = sorted({d for d in data if d}, key=len, reverse=True)
    with_events = max(tickets, key=lambda t: len(t.get("events", [])))
    return db, data, with_events["ticket_no"]


@pytest.fixture(scope="module")
def demo_en(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], str]:
    return _demo(tmp_path_factory.mktemp("demo"), "en")


@pytest.fixture(scope="module")
def demo_zh(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], str]:
    return _demo(tmp_path_factory.mktemp("demo"), "zh_CN")


def _without(text: str, data: list[str]) -> str:
    for item in data:
        text = text.replace(item, " ")
    return text


def _outputs(db: Path, no: str, lang: str) -> dict[str, str]:
    runs = {
        "ticket list": ["-m", "repairdesk", "ticket", "list", "--limit", "0"],
        "ticket show": ["-m", "repairdesk", "ticket", "show", no],
        "staff list": ["-m", "repairdesk", "staff", "list"],
        "no such ticket": ["-m", "repairdesk", "ticket", "show", "BX-20000101-9999"],
        "missing argument": ["-m", "repairdesk", "ticket", "show"],
        "bad option": ["-m", "repairdesk", "ticket", "list", "--bogus"],
        "bad number": ["-m", "repairdesk", "ticket", "list", "--limit", "x"],
        "help": ["-c", HELP_WALKER, lang],
    }
    out = {}
    for name, args in runs.items():
        r = _run(args, lang, db)
        out[name] = r.stdout + r.stderr
        assert "Traceback" not in out[name], out[name]
    return out


def test_english_shows_no_chinese_except_data(demo_en):
    db, data, no = demo_en
    leaks = {}
    for name, text in _outputs(db, no, "en").items():
        found = sorted({line.strip() for line in _without(text, data).splitlines()
                        if HAN.search(line)})
        if found:
            leaks[name] = found[:10]
    assert leaks == {}


def test_chinese_shows_no_english_except_data_and_names(demo_zh):
    db, data, no = demo_zh
    leaks = {}
    outputs = _outputs(db, no, "zh_CN")
    commands = set(re.split(r"[\s-]+", re.search(r"#commands: (.*)", outputs["help"]).group(1)))
    for name, text in outputs.items():
        text = re.sub(r"#commands: .*", "", text)
        rest = GRAMMAR.sub(" ", _without(text, data))
        words = set(re.findall(r"[A-Za-z][A-Za-z_]+", rest)) - ALLOWED_ENGLISH - commands
        if words:
            leaks[name] = sorted(words)[:15]
    assert leaks == {}


def test_config_language_sits_between_flag_and_environment(tmp_path: Path, db_path: Path):
    site = tmp_path / "site.toml"
    site.write_text('[site]\nlanguage = "en"\n', encoding="utf-8")
    assert _run(["-m", "repairdesk", "init"], "en", db_path).returncode == 0
    args = ["-m", "repairdesk", "--config", str(site), "ticket", "show", "BX-20000101-0001"]
    from_config = _run(args, "zh_CN", db_path)
    assert "Usage:" in from_config.stderr or "No ticket" in from_config.stderr
    assert not HAN.search(from_config.stderr)
    flag_wins = _run(["-m", "repairdesk", "--lang", "zh_CN", *args[2:]], "en", db_path)
    assert HAN.search(flag_wins.stderr), flag_wins.stderr
