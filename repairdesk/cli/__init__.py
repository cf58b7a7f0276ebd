"""Command line: `repairdesk` opens the desk; subcommands mirror every desk action.

The language is chosen before the command modules are imported, so their help texts are
translated; the TUI and sqlmodel are imported only by the commands that need them."""

from __future__ import annotations

import sys


def _pre_scan(argv: list[str], option: str) -> str | None:
    for i, arg in enumerate(argv):
        if arg == option and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(option + "="):
            return arg.split("=", 1)[1]
    return None


def _configured_language(args: list[str]) -> str | None:
    """site.language from the site file, read early; a bad file is reported later by the command."""
    import os
    import tomllib
    from pathlib import Path

    path = _pre_scan(args, "--config") or os.environ.get("REPAIRDESK_CONFIG")
    try:
        if path is None:
            from ..config import default_config_path

            path = str(default_config_path())
        with Path(path).open("rb") as fh:
            value = tomllib.load(fh).get("site", {}).get("language")
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) and value else None


_GLOBAL_OPTIONS = ("--db", "--config", "--lang")


def _desk_only(args: list[str]) -> dict[str, str | None] | None:
    """The options when the command line only opens the desk (no command, nothing but the
    global options, each with a value), else None: the desk then starts without importing
    Typer and every command's module (issue 18); anything else goes through Typer."""
    found: dict[str, str | None] = {"db": None, "config": None}
    i = 0
    while i < len(args):
        name, eq, value = args[i].partition("=")
        if name not in _GLOBAL_OPTIONS:
            return None
        if not eq:
            if i + 1 >= len(args) or args[i + 1].startswith("-"):
                return None  # a missing value: Typer says so
            value = args[i + 1]
            i += 1
        i += 1
        if name != "--lang":
            found[name[2:]] = value
    return found


def _open_desk(db: str | None, config: str | None) -> None:
    """As the Typer root callback and cli/app.run would, for the desk alone."""
    from ..errors import RepairdeskError

    try:
        from ..tui.app import run_desk

        run_desk(db=db, config=config)
    except RepairdeskError as exc:
        from .common import error_line

        print(error_line(exc), file=sys.stderr)
        raise SystemExit(exc.exit_code) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except Exception as exc:  # noqa: BLE001 - never a traceback on the clerk's screen
        from .common import error_line, log_traceback

        log_traceback()
        print(error_line(exc), file=sys.stderr)
        raise SystemExit(1) from None


def main(argv: list[str] | None = None) -> None:
    from .. import i18n
    from .click_i18n import install

    args = list(sys.argv[1:] if argv is None else argv)
    # --lang, then site.language in the config, then REPAIRDESK_LANG / LC_ALL / LANG, then zh_CN
    i18n.set_language(i18n.detect(_pre_scan(args, "--lang"), _configured_language(args)))
    desk_only = _desk_only(args)
    if desk_only is not None:  # `repairdesk [--db X] [--config X] [--lang X]`: the desk
        _open_desk(**desk_only)
        return
    install()  # Typer's and Click's own words (Usage:, Options, Error: ...)
    from .app import run

    run(args)
