"""printing/ is below the UI and the database: renderers and backends import neither."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PRINTING = Path(__file__).resolve().parents[2] / "repairdesk" / "printing"


def test_printing_imports_no_ui_and_no_database():
    modules = sorted(f"repairdesk.printing.{p.stem}" for p in PRINTING.glob("*.py")
                     if p.stem != "__init__")
    assert "repairdesk.printing.cups" in modules and "repairdesk.printing.pdf" in modules
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules)
            + "print(','.join(m for m in sys.modules if m.split('.')[0] in "
              "('textual', 'sqlmodel', 'sqlalchemy')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"printing pulls in: {out.stdout.strip()}"
