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


def main(argv: list[str] | None = None) -> None:
    from .. import i18n
    from .click_i18n import install

    args = list(sys.argv[1:] if argv is None else argv)
    # --lang, then site.language in the config, then REPAIRDESK_LANG / LC_ALL / LANG, then zh_CN
    i18n.set_language(i18n.detect(_pre_scan(args, "--lang"), _configured_language(args)))
    install()  # Typer's and Click's own words (Usage:, Options, Error: ...)
    from .app import run

    run(args)
