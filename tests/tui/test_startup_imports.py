"""The night does not pay for libraries it does not use: opening the desk on a book with a
night's work and showing the board loads no PDF, Excel, chart, pinyin, Alembic or
PostgreSQL library — they load when first used (issue 18). The board is listed before the ORM
is even imported (SQLModel, SQLAlchemy, pydantic: services/first_board.py reads it with
sqlite3); the book is opened behind it. Run in a fresh interpreter, so nothing another test
imported counts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("fpdf", "openpyxl", "plotext", "textual_plotext", "pypinyin", "alembic", "psycopg",
         "psycopg2", "fontTools", "segno", "tomlkit", "PIL", "matplotlib", "reportlab", "pypdf",
         "xlsxwriter", "jieba",
         # dates and times are fmt's own table; PINs are hashed only when one is typed
         "babel", "argon2", "_argon2_cffi_bindings", "_cffi_backend")
ORM = ("sqlmodel", "sqlalchemy", "pydantic")  # not before the board is listed

PROBE = """
import asyncio, json, sys
from repairdesk.tui.app import RepairDeskApp
from repairdesk.tui.widgets.tickets import TicketTable

at_listing = []
load = TicketTable.load

def listed(self, records, *args):
    if records and not at_listing:  # the first time tickets reach the screen
        at_listing.extend(sorted({m.split(".")[0] for m in sys.modules}))
    return load(self, records, *args)

TicketTable.load = listed

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
    print(json.dumps({"shown": shown, "heavy": heavy, "at_listing": at_listing}))

asyncio.run(main())
"""


def _night(desk) -> None:
    """Fifteen calls, most of them dispatched and some on site (not the demo: the test is
    about imports, not about what the demo builds)."""
    from repairdesk.services import tickets as T

    for i in range(15):
        no = T.register_ticket(desk, T.IntakeForm(room=f"3-2-{1501 + i}", caller="王先生",
                                                  content="卫生间漏水", category="水"),
                               "李静").ticket_no
        if i % 3:
            T.dispatch_ticket(desk, no, "张建国", "李静")
        if i % 3 == 2:
            T.arrive_ticket(desk, no, "李静")


def test_the_desk_opens_without_the_heavy_libraries(staffed, db_path: Path, tmp_path: Path):
    _night(staffed)
    book = db_path
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"))
    out = subprocess.run([sys.executable, "-c", PROBE, str(book), json.dumps(HEAVY)],
                         capture_output=True, text=True, env=env, timeout=120, check=True)
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found["shown"] > 10  # the board really was listed
    assert found["heavy"] == [], f"loaded at start-up: {found['heavy']}"
    assert "textual" in found["at_listing"]  # the snapshot was taken
    early = sorted(set(found["at_listing"]) & set(HEAVY + ORM))
    assert early == [], f"loaded before the board was listed: {early}"
