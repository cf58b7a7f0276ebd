"""`repairdesk demo`"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..i18n import _
from .common import globals_of, out


def demo(
    ctx: typer.Context,
    no_tui: bool = typer.Option(False, "--no-tui", help=_("Only build it and print its path.")),
    path: Optional[str] = typer.Option(None, "--path", help=_("Where to build the demo database.")),
) -> None:
    from ..clock import SystemClock
    from ..config import load_config
    from ..services.demo import build_demo, demo_path

    g = globals_of(ctx)
    cfg = load_config(g.config)
    result = build_demo(Path(path) if path else demo_path(), cfg, SystemClock())
    if no_tui:
        out(str(result.path))
        return
    g.db = str(result.path)
    from .desk_cmd import open_tui

    open_tui(g)
