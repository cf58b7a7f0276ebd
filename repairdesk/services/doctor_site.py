"""`repairdesk doctor`, the machine's part: time zone, fonts and printer."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..i18n import _
from .doctor_checks import Check, Target, _fail, _no_config, _ok, _warn


def _zone_source(key: str) -> str | None:
    """Where the zone's rules come from: the system zoneinfo or the tzdata package."""
    import zoneinfo

    for root in zoneinfo.TZPATH:
        if (Path(root) / key).is_file():
            return _("system zoneinfo ({path})").format(path=root)
    try:
        from importlib import resources

        parts = key.split("/")
        package = ".".join(["tzdata", "zoneinfo", *parts[:-1]])
        if resources.files(package).joinpath(parts[-1]).is_file():
            return _("the tzdata package")
    except (ImportError, ModuleNotFoundError, OSError):
        pass
    return None


def check_timezone(t: Target) -> Check:
    """The site's time zone, the time there now, and where its rules come from."""
    from .. import fmt

    if t.config is None:
        return _no_config("timezone")
    tz = t.config.tz
    key = getattr(tz, "key", str(tz))
    local = t.now.astimezone(tz)
    offset = local.strftime("%z")
    detail = _("{zone}: now {time} (UTC{offset})").format(
        zone=key, time=fmt.datetime(local, tz), offset=f"{offset[:3]}:{offset[3:]}")
    source = _zone_source(key)
    if source is None:
        return _warn("timezone", detail, _("install the time zone data (apt-get install "
                                           "tzdata, or pip install tzdata)"))
    return _ok("timezone", detail + _("; rules from {source}").format(source=source))


def check_fonts(t: Target) -> Check:
    """The Chinese font PDFs will embed, and the Latin face for letters and digits."""
    if t.config is None:
        return _no_config("fonts")
    from ..printing.fonts import FontMissing, describe, find_cjk_font, find_latin_font
    from ..printing.settings import Format, print_settings

    settings = print_settings(t.config)
    try:
        font = find_cjk_font(settings.font)
    except FontMissing as exc:
        advice = _("apt-get install fonts-wqy-zenhei or set printing.font")
        # work orders in text format need no font; handovers and reports as PDF still do
        if settings.format is Format.TEXT:
            return _warn("fonts", str(exc), advice)
        return _fail("fonts", str(exc), advice)
    latin = find_latin_font()
    detail = _("Chinese: {font}").format(font=describe(font))
    if latin is None:
        return _warn("fonts", detail + _("; no Latin face (the Chinese font sets the digits)"),
                     "apt-get install fonts-dejavu-core")
    return _ok("fonts", detail + _("; Latin: {font}").format(font=describe(latin)))


def check_printer(t: Target) -> Check:
    """The configured backend: a CUPS queue and its state, or the folder and its access."""
    if t.config is None:
        return _no_config("printer")
    from ..printing.base import PrintError
    from ..printing.settings import Backend, print_settings

    s = print_settings(t.config)
    if s.backend is Backend.FOLDER:
        from ..printing.folder import FolderBackend

        if FolderBackend(s.folder).status().ok:
            return _ok("printer", _("folder {path} (writable)").format(path=s.folder))
        return _fail("printer", _("folder {path} is not writable").format(path=s.folder),
                     _("mkdir -p {path} and make it writable for this user, or set "
                       "printing.folder").format(path=s.folder))
    missing = [c for c in ("lp", "lpstat") if shutil.which(c) is None]
    if missing:
        return _fail("printer", _("CUPS printer {name}: {commands} not found").format(
            name=s.printer, commands=", ".join(missing)),
            "apt-get install cups-client cups-bsd")
    from ..printing.cups import CupsBackend

    try:
        state = CupsBackend(s.printer, s.wait_seconds).queue_state()
    except PrintError as exc:
        return _fail("printer", str(exc), _("check that CUPS is running (lpstat -r)"))
    name = s.printer
    if not state.exists:
        return _fail("printer", _("CUPS printer {name}: not available: {error}").format(
            name=name, error=state.error), _("check the name with lpstat -p, or set "
                                             "printing.printer"))
    reason = state.reason or _("no reason given")
    if not state.enabled:
        return _warn("printer", _("CUPS printer {name}: stopped: {reason}").format(
            name=name, reason=reason), _("fix the printer, then cupsenable {name}").format(
                name=name))
    if not state.accepting:
        return _warn("printer", _("CUPS printer {name}: not accepting jobs: {reason}").format(
            name=name, reason=reason), f"cupsaccept {name}")
    detail = _("CUPS printer {name}: ready").format(name=name)
    if state.jobs:
        detail += _(", {n} waiting").format(n=len(state.jobs))
    return _ok("printer", detail)
