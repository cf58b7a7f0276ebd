#!/usr/bin/env python3
"""The README's screenshots, exported by the app itself (Textual's SVG export) from the demo
book at a fixed time, so they can be made again after a change:

    .venv/bin/python scripts/screenshots.py          # writes docs/*.svg
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
# 2026-11-24 22:40 in Shanghai: the night shift, a few calls on the desk
AT = datetime(2026, 11, 24, 14, 40, tzinfo=timezone.utc)


async def shoot(lang: str, name: str, keys: list[str], size: tuple[int, int]) -> None:
    from repairdesk import i18n
    from repairdesk.clock import FixedClock
    from repairdesk.config import load_config
    from repairdesk.services.demo import build_demo
    from repairdesk.services.desk import open_desk

    i18n.set_language(lang)
    from repairdesk.tui.app import RepairDeskApp

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_DATA_HOME"] = tmp  # the demo's print folder goes here too
        clock = FixedClock(AT)
        cfg = load_config(None)
        path = build_demo(Path(tmp) / "demo.sqlite3", cfg, clock).path
        desk = open_desk(str(path), clock=clock, config=cfg)
        app = RepairDeskApp(desk, live=False)
        async with app.run_test(size=size) as pilot:
            await _settle(pilot)
            app.tick()
            await _settle(pilot)
            for key in keys:
                await pilot.press(key)
                await _settle(pilot)
            app.save_screenshot(filename=f"{name}.svg", path=str(DOCS))
        desk.close()
    print(f"docs/{name}.svg")


async def _settle(pilot: object) -> None:
    app = pilot.app  # type: ignore[attr-defined]
    for _ in range(20):
        await pilot.pause()  # type: ignore[attr-defined]
        if all(w.is_finished for w in app.workers):
            return
        await app.workers.wait_for_complete()


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    sys.path.insert(0, str(ROOT))
    asyncio.run(shoot("zh_CN", "desk", [], (120, 35)))
    asyncio.run(shoot("en", "desk-en", [], (120, 35)))
    asyncio.run(shoot("zh_CN", "intake", ["n", *"3-2-1501", "enter", *"王先生", "enter",
                                          *"13812345678", "enter", *"电梯困人"], (120, 35)))


if __name__ == "__main__":
    main()
