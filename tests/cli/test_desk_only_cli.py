"""`repairdesk [--db X] [--config X] [--lang X]` opens the desk without Typer and the commands'
modules (issue 18: they were a fifth of the start-up); anything else goes through Typer as
before, usage errors included."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from repairdesk.cli import _desk_only


@pytest.mark.parametrize("args, expected", [
    ([], {"db": None, "config": None}),
    (["--db", "b.sqlite3"], {"db": "b.sqlite3", "config": None}),
    (["--db=b.sqlite3", "--lang", "en", "--config", "s.toml"],
     {"db": "b.sqlite3", "config": "s.toml"}),
])
def test_only_global_options_open_the_desk_directly(args, expected):
    assert _desk_only(args) == expected


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["ticket", "list"], ["--db"],
                                  ["--db", "--lang", "en"], ["--db", "b", "demo"],
                                  ["--version"], ["--db", "b", "extra"]])
def test_anything_else_goes_through_typer(args):
    assert _desk_only(args) is None


PROBE = """
import json, sys
from repairdesk.tui import app
opened = []
app.run_desk = lambda **kw: opened.append({k: kw[k] for k in ("db", "config")})
from repairdesk.cli import main
main(sys.argv[1:])
print(json.dumps({"opened": opened, "typer": "typer" in sys.modules}))
"""


def test_the_desk_opens_without_importing_typer(tmp_path):
    out = subprocess.run([sys.executable, "-c", PROBE, "--db", str(tmp_path / "b.sqlite3"),
                          "--lang", "en"], capture_output=True, text=True, timeout=60,
                         check=True)
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found == {"opened": [{"db": str(tmp_path / "b.sqlite3"), "config": None}],
                     "typer": False}


def test_a_missing_value_is_still_a_usage_error(cli):
    r = cli("--db")
    assert r.code == 2
