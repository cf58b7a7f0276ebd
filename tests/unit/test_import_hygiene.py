"""The domain layer stays pure: importing it pulls in neither Textual nor the database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "repairdesk" / "domain"


def test_domain_imports_no_ui_and_no_database():
    modules = sorted(f"repairdesk.domain.{p.stem}" for p in DOMAIN.glob("*.py")
                     if p.stem != "__init__")
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'sqlmodel', 'sqlalchemy')]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"domain pulls in: {out.stdout.strip()}"


def test_cli_entry_does_not_import_the_tui():
    code = ("import sys\nfrom repairdesk.cli.app import app, _register\n_register()\n"
            "print(','.join(m for m in sys.modules if m.startswith(('textual', 'repairdesk.tui'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
