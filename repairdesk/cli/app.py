"""The Typer application. Sub-apps live in their own modules and are registered below."""

from __future__ import annotations

from typing import Optional

import typer

from ..errors import RepairdeskError
from ..i18n import _
from .common import Globals, error_line, log_traceback

app = typer.Typer(
    name="repairdesk",
    help=_("repairdesk: the repair-call duty desk of a property-management office."),
    no_args_is_help=False,
    invoke_without_command=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def root(
    ctx: typer.Context,
    db: Optional[str] = typer.Option(
        None, "--db", help=_("Database: a file path or an SQLAlchemy URL "
                             "(default: $REPAIRDESK_DB, else the user data directory).")),
    lang: Optional[str] = typer.Option(None, "--lang", help=_("Language: zh_CN or en.")),
    config: Optional[str] = typer.Option(
        None, "--config", help=_("Site configuration file (TOML) overriding the defaults.")),
) -> None:
    ctx.obj = Globals(db=db, lang=lang, config=config)
    if ctx.invoked_subcommand is None:
        from .desk_cmd import open_tui

        open_tui(ctx.obj)


def _register() -> None:
    from . import demo, staff, tickets

    app.add_typer(tickets.app, name="ticket", help=_("Register tickets and record their steps."))
    app.add_typer(staff.app, name="staff", help=_("The staff roster."))
    app.command("demo", help=_("Build a separate demo database and open the desk on it."))(
        demo.demo)
    # Further sub-apps register here (sla, log, handover, print, report, backup …).
    from . import backup as backup_cli

    backup_cli.register(app)
    from . import handover as handover_cli, log as log_cli, signoff as signoff_cli, verify as verify_cli

    app.add_typer(log_cli.app, name="log", help=_("The duty log."))
    app.add_typer(handover_cli.app, name="handover", help=_("Shift handover and its history."))
    app.add_typer(handover_cli.shift_app, name="shift", help=_("The current shift and its holder."))
    app.add_typer(signoff_cli.app, name="signoff", help=_("The supervisor's morning sign-off."))
    verify_cli.register(app)
    from . import print_cmd

    print_cmd.register(app)
    from . import sla as sla_cli

    app.add_typer(sla_cli.app, name="sla", help=_("SLA clocks: warnings, breaches, follow-ups."))
    from . import fees as fees_cli, report as report_cli

    fees_cli.register(app, tickets.app)
    report_cli.register(app)
    from . import doctor as doctor_cli

    doctor_cli.register(app)
    from . import init_cmd

    init_cmd.register(app)
    for extra in _EXTRAS:
        extra(app)


_EXTRAS: list = []


def run(args: list[str]) -> None:
    _register()
    try:
        # standalone mode: usage errors exit 2 with the usage line; our errors come through
        app(args=args, prog_name="repairdesk")
    except RepairdeskError as exc:
        typer.echo(error_line(exc), err=True)
        raise SystemExit(exc.exit_code) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except Exception as exc:  # noqa: BLE001 - never a traceback on the clerk's screen
        log_traceback()
        typer.echo(error_line(exc), err=True)
        raise SystemExit(1) from None
