"""`repairdesk doctor`: is this desk ready to work? One check per thing that can be wrong.

Every check is a pure function returning a `Check` (status, what was found, what to do); none
of them writes anything — a book that does not exist yet is reported, not created. A check
that itself breaks becomes a failed line with its error, so the command never shows a
traceback. The heavy modules (sqlmodel, fpdf, fontTools) are imported inside the checks.
"""

from __future__ import annotations

import math
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from pathlib import Path
from typing import Any, Callable

from ..domain.text import clean_text
from ..errors import RepairdeskError
from ..i18n import N_, _

# Free space where the book lives: below these the desk is about to stop saving.
WARN_FREE_BYTES = 200 * 1024 * 1024
FAIL_FREE_BYTES = 20 * 1024 * 1024
# The nightly backup runs once a day; two days without one means it is not running.
BACKUP_STALE = timedelta(days=2)
CONNECT_TIMEOUT_S = 5


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


LABELS: dict[str, str] = {
    "config": N_("Configuration"),
    "book": N_("Book"),
    "backup": N_("Last backup"),
    "permissions": N_("File permissions"),
    "disk": N_("Free disk space"),
    "timezone": N_("Time zone"),
    "fonts": N_("Fonts"),
    "printer": N_("Printer"),
}


@dataclass(frozen=True)
class Check:
    """One line of the report: `name` is the stable key (JSON), `advice` what to do."""

    name: str
    status: Status
    detail: str
    advice: str = ""

    def __post_init__(self) -> None:
        # one line each, free of terminal escapes: details carry paths and drivers' messages
        object.__setattr__(self, "detail", clean_text(self.detail))
        object.__setattr__(self, "advice", clean_text(self.advice))

    @property
    def label(self) -> str:
        return _(LABELS.get(self.name, self.name))


@dataclass(frozen=True)
class Target:
    """What the checks look at: the book's URL and the configuration (None if it does not load)."""

    url: str
    config: Any
    now: datetime

    @property
    def db_file(self) -> Path | None:
        """The SQLite file behind the URL; None for a server database."""
        if not self.url.startswith("sqlite:///"):
            return None
        return Path(self.url.removeprefix("sqlite:///"))


def _ok(name: str, detail: str) -> Check:
    return Check(name, Status.OK, detail)


def _warn(name: str, detail: str, advice: str = "") -> Check:
    return Check(name, Status.WARN, detail, advice)


def _fail(name: str, detail: str, advice: str = "") -> Check:
    return Check(name, Status.FAIL, detail, advice)


def _size(n: float) -> str:
    if n < 1024:
        return f"{n:.0f} B"
    exp = min(3, int(math.log(n, 1024)))
    return f"{n / 1024 ** exp:.1f} {('KB', 'MB', 'GB')[exp - 1]}"


def _existing_dir(path: Path) -> Path:
    """The path itself if it is a folder, else its nearest existing parent."""
    return next((p for p in (path, *path.parents) if p.is_dir()), Path("/"))


def hide_password(url: str) -> str:
    """The URL as it may be shown: the password replaced by ***."""
    if url.startswith("sqlite"):
        return url
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unreadable URL is shown by its scheme only
        return url.split("://", 1)[0] + "://…"


def _no_config(name: str) -> Check:
    return _warn(name, _("not checked: the configuration does not load"),
                 _("fix the configuration first (see its line)"))


# ---------------------------------------------------------------- configuration


def config_source(config_path: str | None) -> tuple[Path | None, str]:
    """The site file in effect and where it was named: --config, $REPAIRDESK_CONFIG, the user
    config directory, or (None) the defaults only."""
    from ..config import default_config_path

    if config_path:
        return Path(config_path), "--config"
    if os.environ.get("REPAIRDESK_CONFIG"):
        return Path(os.environ["REPAIRDESK_CONFIG"]), "$REPAIRDESK_CONFIG"
    candidate = default_config_path()
    return (candidate, _("user config directory")) if candidate.exists() else (None, "")


def load(config_path: str | None) -> tuple[Any, str | None]:
    """The configuration, or None and the one-line problem."""
    from ..config import load_config

    try:
        return load_config(config_path), None
    except RepairdeskError as exc:
        return None, str(exc)


def check_config(config_path: str | None, config: Any, problem: str | None) -> Check:
    """Which site file is in effect, and that it loads."""
    path, origin = config_source(config_path)
    if problem is not None:
        if path is not None and not path.exists():
            return _fail("config", problem, _("create {path}, or name an existing file with "
                                              "{origin}").format(path=path, origin=origin))
        return _fail("config", problem, _("correct {path} and run repairdesk doctor again")
                     .format(path=path or _("the defaults")))
    site = f"{config.site_name} ({config.site_code})"
    if path is None:
        from ..config import default_config_path

        return _ok("config", _("defaults only (no {path}); site {site}").format(
            path=default_config_path(), site=site))
    return _ok("config", _("{path} (from {origin}) loads; site {site}").format(
        path=path, origin=origin, site=site))


# ---------------------------------------------------------------- the book


def _read_version_sqlite(path: Path) -> int | None:
    """schema_version from the meta table, without writing: read-write so SQLite tidies its
    -wal/-shm on close, read-only when the file may not be written."""
    for mode in ("rw", "ro"):
        try:
            con = sqlite3.connect(f"file:{path}?mode={mode}", uri=True, timeout=15)
        except sqlite3.OperationalError:
            if mode == "ro":
                raise
            continue
        try:
            has_meta = con.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
            if not has_meta:
                return None
            row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            return int(row[0]) if row else None
        finally:
            con.close()
    return None  # pragma: no cover - the loop returns or raises


def _read_version_server(url: str) -> int | None:
    from sqlalchemy import create_engine, text

    args = {"connect_timeout": CONNECT_TIMEOUT_S} if url.startswith("postgresql") else {}
    engine = create_engine(url, connect_args=args)
    try:
        with engine.connect() as conn:
            if not conn.dialect.has_table(conn, "meta"):
                return None
            row = conn.execute(
                text("SELECT value FROM meta WHERE key = 'schema_version'")).first()
            return int(row[0]) if row else None
    finally:
        engine.dispose()


def _version_line(shown: str, version: int | None, extra: str = "") -> Check:
    from ..store.tables import SCHEMA_VERSION

    if version is None:
        return _fail("book", _("{book}: no repairdesk schema in it").format(book=shown),
                     _("point --db or $REPAIRDESK_DB at the desk's book, or restore a backup "
                       "(repairdesk restore FILE)"))
    detail = _("{book}: schema {db} (this repairdesk: {ours})").format(
        book=shown, db=version, ours=SCHEMA_VERSION) + extra
    if version > SCHEMA_VERSION:
        return _fail("book", detail, _("written by a newer repairdesk: upgrade repairdesk "
                                       "on this computer"))
    if version < SCHEMA_VERSION:
        return _warn("book", detail, _("the desk upgrades it when it next opens it; take a "
                                       "backup first (repairdesk backup)"))
    return _ok("book", detail)


def check_book(t: Target) -> Check:
    """Where the book is, its schema version against the code's, its size; never creates it."""
    from ..store.db import translate_db_error

    path = t.db_file
    if path is None:
        shown = hide_password(t.url)
        try:
            version = _read_version_server(t.url)
        except Exception as exc:  # noqa: BLE001 - any driver error is one failed line
            message = str(translate_db_error(exc))
            return _fail("book", _("{book}: {error}").format(book=shown, error=_scrub(
                message, t.url)), _("check that the server is running and reachable, and the "
                                    "user, password and database name in --db"))
        return _version_line(shown, version)
    if not path.exists():
        return _fail("book", _("there is no book at {path} yet").format(path=path),
                     _("start the desk once to create it (repairdesk), or point --db / "
                       "$REPAIRDESK_DB at the existing book"))
    if not path.is_file():
        return _fail("book", _("{path} is not a file").format(path=path),
                     _("point --db or $REPAIRDESK_DB at the book file"))
    size = path.stat().st_size
    if size == 0:
        return _fail("book", _("{path} is empty").format(path=path),
                     _("start the desk once (repairdesk) to create the tables"))
    try:
        version = _read_version_sqlite(path)
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) or "malformed" in str(exc):
            return _fail("book", _("{path} is damaged or not a repairdesk book ({error})").format(
                path=path, error=exc), _("point --db or $REPAIRDESK_DB at the desk's book, or "
                                         "restore the latest backup (repairdesk restore FILE)"))
        return _fail("book", _("{path}: {error}").format(path=path, error=translate_db_error(exc)))
    return _version_line(str(path), version, _(", {size}").format(size=_size(size)))


def _scrub(message: str, url: str) -> str:
    """Drop the password from a driver's message, should it echo the URL."""
    from sqlalchemy.engine import make_url

    try:
        password = make_url(url).password
    except Exception:  # noqa: BLE001 - nothing to scrub if the URL cannot be read
        return message
    return message.replace(str(password), "***") if password else message


def check_backup(t: Target) -> Check:
    """The newest file in the backup folder (backups are not recorded in the book)."""
    from .. import fmt

    path = t.db_file
    if path is None:
        return _ok("backup", _("not checked: back up a PostgreSQL server with pg_dump"))
    if not path.is_file():
        return _ok("backup", _("no book yet, nothing to back up"))
    from . import backup

    folder = backup.backup_dir(t.config, path) if t.config is not None \
        else path.parent / "backups"
    files = sorted(folder.glob(f"{backup.PREFIX}*{backup.SUFFIX}"), key=lambda p: p.stat().st_mtime)
    advice = _("run repairdesk backup now, and repairdesk backup --if-due from cron for the "
               "nightly copy")
    if not files:
        return _warn("backup", _("no backup in {folder}").format(folder=folder), advice)
    newest = files[-1]
    when = datetime.fromtimestamp(newest.stat().st_mtime, tz=timezone.utc)
    # the site's time; this computer's when the configuration does not load
    local = when.astimezone(t.config.tz if t.config is not None else None)
    detail = _("{path} ({when})").format(path=newest, when=fmt.datetime(local))
    if t.now - when > BACKUP_STALE:
        return _warn("backup", _("{detail}: older than {days} days").format(
            detail=detail, days=BACKUP_STALE.days), advice)
    return _ok("backup", detail)


# ---------------------------------------------------------------- the file and its disk


def check_permissions(t: Target) -> Check:
    """The book should be 0600 and its folder not writable by others (owners' phone numbers)."""
    path = t.db_file
    if path is None:
        return _ok("permissions", _("not applicable: the book is on a database server"))
    if not path.exists():
        folder = _existing_dir(path.parent)
        if not os.access(folder, os.W_OK | os.X_OK):
            return _fail("permissions", _("cannot create the book in {folder}").format(
                folder=folder), _("make {folder} writable for this user, or choose another "
                                   "--db").format(folder=folder))
        return _ok("permissions", _("{folder} is writable; the book will be created 0600")
                   .format(folder=folder))
    mode = path.stat().st_mode & 0o777
    dir_mode = path.parent.stat().st_mode & 0o777
    detail = _("book {mode:04o}, folder {dir_mode:04o}").format(mode=mode, dir_mode=dir_mode)
    if mode & 0o077:
        files = " ".join(str(p) for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"))
                         if p.exists())
        who = _(": others can read it") if mode & 0o044 else _(": others can write it")
        return _warn("permissions", detail + who, f"chmod 600 {files}")
    if dir_mode & 0o022:
        return _warn("permissions", detail + _(": others can replace files in the folder"),
                     f"chmod 700 {path.parent}")
    uid = getattr(os, "getuid", None)
    if uid is not None and path.stat().st_uid != uid():
        return _warn("permissions", detail + _(": owned by another user"),
                     _("chown the book to the user the desk runs as"))
    return _ok("permissions", detail)


def check_disk(t: Target) -> Check:
    """Free space where the book lives: below 200 MB a warning, below 20 MB a failure."""
    path = t.db_file
    if path is None:
        return _ok("disk", _("not applicable: the book is on a database server"))
    folder = _existing_dir(path.parent)
    free = shutil.disk_usage(folder).free
    detail = _("{free} free on the disk of {folder}").format(free=_size(free), folder=folder)
    advice = _("free some space on that disk (old backups, print folder) before the desk stops "
               "saving")
    if free < FAIL_FREE_BYTES:
        return _fail("disk", detail, advice)
    if free < WARN_FREE_BYTES:
        return _warn("disk", detail, advice)
    return _ok("disk", detail)


# ---------------------------------------------------------------- time, fonts, printer


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


# ---------------------------------------------------------------- all of them


def _guarded(name: str, check: Callable[[], Check]) -> Check:
    """A check that breaks is a failed line with its error, never a traceback."""
    try:
        return check()
    except RepairdeskError as exc:
        return _fail(name, str(exc))
    except Exception as exc:  # noqa: BLE001 - reported on the line, not swallowed
        return _fail(name, _("the check itself failed: {error}").format(
            error=f"{type(exc).__name__}: {exc}"))


def run_checks(db: str | None, config_path: str | None, now: datetime) -> list[Check]:
    """Every check, in the order the report shows them."""
    config, problem = None, None
    try:
        config, problem = load(config_path)
    except Exception as exc:  # noqa: BLE001 - the config line reports it
        problem = f"{type(exc).__name__}: {exc}"
    checks = [_guarded("config", lambda: check_config(config_path, config, problem))]
    url, url_problem = "", None
    try:
        from ..store.db import resolve_url

        url = resolve_url(db)
    except Exception as exc:  # noqa: BLE001 - the book line reports it
        url_problem = _("the check itself failed: {error}").format(
            error=f"{type(exc).__name__}: {exc}")
    target = Target(url, config, now)
    on_book = (("book", check_book), ("backup", check_backup),
               ("permissions", check_permissions), ("disk", check_disk))
    if url_problem is not None:
        checks.append(_fail("book", url_problem))
        on_book = ()
    for name, fn in (*on_book, ("timezone", check_timezone), ("fonts", check_fonts),
                     ("printer", check_printer)):
        checks.append(_guarded(name, lambda fn=fn: fn(target)))
    return checks


def failed(checks: list[Check]) -> bool:
    return any(c.status is Status.FAIL for c in checks)
