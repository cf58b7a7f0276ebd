"""The night does not pay for libraries it does not use: opening the desk on a book with a
night's work (the demo) and showing the board loads no PDF, Excel, chart, pinyin, Alembic or
PostgreSQL library — they load when first used (issue 18). Run in a fresh interpreter, so
nothing another test imported counts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("fpdf", "openpyxl", "plotext", "textual_plotext", "pypinyin", "alembic", "psycopg",
         "fontTools", "segno", "tomlkit", "PIL", "matplotlib")

PROBE = """
import asyncio, json, sys
from repairdesk.tui.app import RepairDeskApp

async def main():
    app = RepairDeskApp(db=sys.argv[1], live=False)
    async with app.run_test(size=(120, 35)) as pilot:
        for _ in range(10):
            await pilot.pause()
            await app.workers.wait_for_complete()
        app.tick()
        await pilot.pause()
        shown = len(app.desk_screen.query_one("#tickets").order)
    heavy = sorted({m.split(".")[0] for m in sys.modules} & set(json.loads(sys.argv[2])))
    print(json.dumps({"shown": shown, "heavy": heavy}))

asyncio.run(main())
"""


def test_the_desk_opens_without_the_heavy_libraries(cli, tmp_path: Path):
    book = tmp_path / "demo.sqlite3"
    r = cli("demo", "--no-tui", "--path", str(book))
    assert r.code == 0, r.stderr
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"))
    out = subprocess.run([sys.executable, "-c", PROBE, str(book), json.dumps(HEAVY)],
                         capture_output=True, text=True, env=env, timeout=120, check=True)
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found["shown"] > 10  # the board really was listed
    assert found["heavy"] == [], f"loaded at start-up: {found['heavy']}"
