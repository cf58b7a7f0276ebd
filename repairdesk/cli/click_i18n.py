"""Translate the words Typer and its vendored Click print themselves.

Typer's own module uses the stdlib `gettext` (domain "messages", never installed), so
"Options", "Commands", "required", "No such command" are rebound to our catalogs. The
vendored Click (typer._click) hard-codes English: "Usage: ", "Show this message and exit.",
"Error: ", "Try '...' for help." and its error messages are patched below; messages built
with f-strings are matched by pattern and re-said through a msgid with the same fields.
Typer is pinned by its major version in pyproject; tests/i18n/test_cli_language.py fails when
an upgrade moves one of these words.
"""

from __future__ import annotations

import re
from typing import IO, Any

from ..i18n import N_, _

# Typer's own gettext msgids (typer/core.py), marked here so they are extracted.
TYPER_STRINGS = (
    N_("Options"), N_("Arguments"), N_("Commands"), N_("required"), N_("(dynamic)"),
    N_("default: {default}"), N_("env var: {var}"), N_("Aborted!"), N_("Missing command."),
    N_("No such command {name!r}."),
)

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.S), msgid) for p, msgid in (
        (r"Missing argument (?P<name>.+)\.", N_("Missing argument {name}.")),
        (r"Missing option (?P<name>.+)\.", N_("Missing option {name}.")),
        (r"Missing parameter (?P<name>.+)\.", N_("Missing parameter {name}.")),
        (r"Missing parameter: (?P<name>.+)", N_("Missing parameter {name}.")),
        (r"No such option: (?P<name>\S+) \(Possible options: (?P<options>.+)\)",
         N_("No such option: {name} (did you mean {options}?)")),
        (r"No such option: (?P<name>.+)", N_("No such option: {name}")),
        (r"Invalid value for (?P<hint>.+?): (?P<message>.*)", N_("Invalid value for {hint}: {message}")),
        (r"Invalid value: (?P<message>.*)", N_("Invalid value: {message}")),
        (r"Got unexpected extra arguments? \((?P<args>.*)\)",
         N_("Got unexpected extra argument(s) ({args})")),
        (r"Option (?P<name>.+) requires an argument\.", N_("Option {name} requires a value.")),
        (r"Option (?P<name>.+) requires (?P<n>\d+) arguments\.",
         N_("Option {name} requires {n} values.")),
        (r"Option (?P<name>.+) does not take a value\.", N_("Option {name} does not take a value.")),
        (r"Argument (?P<name>.+) takes (?P<n>\d+) values\.", N_("Argument {name} takes {n} values.")),
        (r"Value (?P<value>.+) is not a valid (?P<kind>.+)\.", N_("Value {value} is not a valid {kind}.")),
        (r"(?P<value>.+) is not one of (?P<choices>.+)\.", N_("{value} is not one of {choices}.")),
        (r"Input should be a valid integer.*", N_("Enter a whole number.")),
        (r"Input should be a valid number.*", N_("Enter a number.")),
        (r"Input should be a valid boolean.*", N_("Enter yes or no.")),
    )
)
# Fields that are themselves Click messages (the reason inside "Invalid value for ...").
_NESTED = {"message"}


def translate_message(text: str) -> str:
    """A Click/Typer error message in the language in use (unknown text is returned as is)."""
    for pattern, msgid in _PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            fields = {k: (translate_message(v) if k in _NESTED else v)
                      for k, v in m.groupdict().items()}
            return _(msgid).format(**fields)
    return text


def _usage_args(args: str) -> str:
    return args.replace("[OPTIONS]", _("[OPTIONS]")).replace(
        "COMMAND [ARGS]...", _("COMMAND [ARGS]..."))


def _show_usage_error(self: Any, file: IO[Any] | None = None) -> None:
    from typer._click._compat import get_text_stderr
    from typer._click.utils import echo

    if file is None:
        file = get_text_stderr()
    color = None
    hint = ""
    if self.ctx is not None and self.ctx.command.get_help_option(self.ctx) is not None:
        hint = _("Try '{command} {option}' for help.").format(
            command=self.ctx.command_path, option=self.ctx.help_option_names[0]) + "\n"
    if self.ctx is not None:
        color = self.ctx.color
        echo(f"{self.ctx.get_usage()}\n{hint}", file=file, color=color)
    echo(_("Error: {message}").format(message=translate_message(self.format_message())),
         file=file, color=color)


def _show_click_error(self: Any, file: IO[Any] | None = None) -> None:
    from typer._click._compat import get_text_stderr
    from typer._click.utils import echo

    echo(_("Error: {message}").format(message=translate_message(self.format_message())),
         file=file or get_text_stderr(), color=self.show_color)


_installed = False


def install() -> None:
    """Route Typer's and Click's own words through our catalogs; once per process."""
    global _installed
    if _installed:
        return
    _installed = True
    import typer.core
    from typer._click import core as click_core
    from typer._click import exceptions, formatting

    typer.core._ = _  # type: ignore[attr-defined]

    write_usage = formatting.HelpFormatter.write_usage

    def _write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, _usage_args(args), _("Usage: ") if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = _write_usage  # type: ignore[method-assign]

    def _write_heading(self: Any, heading: str) -> None:
        # "Options:" -> "选项：" (the colon is part of the phrase in Chinese)
        line = _("{heading}:").format(heading=heading)
        self.write(" " * self.current_indent + line + "\n")

    formatting.HelpFormatter.write_heading = _write_heading  # type: ignore[method-assign]

    get_help_option = click_core.Command.get_help_option

    def _get_help_option(self: Any, ctx: Any) -> Any:
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = _("Show this message and exit.")
        return option

    click_core.Command.get_help_option = _get_help_option  # type: ignore[method-assign]

    exceptions.UsageError.show = _show_usage_error  # type: ignore[method-assign]
    exceptions.ClickException.show = _show_click_error  # type: ignore[method-assign]
    # NoArgsIsHelpError prints the help page itself; keep its own show().
