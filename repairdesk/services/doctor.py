"""`repairdesk doctor`: is this desk ready to work? One check per thing that can be wrong.

Every check is a pure function returning a `Check` (status, what was found, what to do); none
of them writes anything — a book that does not exist yet is reported, not created. A check
that itself breaks becomes a failed line with its error, so the command never shows a
traceback. The heavy modules (sqlmodel, fpdf, fontTools) are imported inside the checks.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

from ..errors import RepairdeskError
from ..i18n import _

from .doctor_checks import (Check, Status, Target, _existing_dir, _fail, _ok,
                            _size, _warn, hide_password)
from .doctor_site import check_fonts, check_printer, check_timezone

__all__ = ["Check", "Status", "hide_password", "run_checks", "failed"]

# Free space where the book lives: below these the desk is about to stop saving.
WARN_FREE_BYTES = 200 * 1024 * 1024
FAIL_FREE_BYTES = 20 * 1024 * 1024
# The nightly backup runs once a day; two days without one means it is not running.
BACKUP_STALE = timedelta(days=2)
CONNECT_TIMEOUT_S = 5
# free room in a SQLite book worth a `repairdesk compact`: at least this much and a quarter of it
COMPACT_FREE_BYTES = 16 * 1024 * 1024


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


def _read_version_sqlite(path: Path) -> tuple[int | None, int]:
    """schema_version from the meta table, and the bytes of free pages in the file, without
    writing: read-write so SQLite tidies its -wal/-shm on close, read-only when the file may not
    be written."""
    from ..store.readonly import is_writable, read_only_uri

    for mode in ("rw", "ro") if is_writable(path) else ("ro",):
        try:
            uri = read_only_uri(path) if mode == "ro" else f"file:{path}?mode=rw"
            con = sqlite3.connect(uri, uri=True, timeout=15)
        except sqlite3.OperationalError:
            if mode == "ro":
                raise
            continue
        try:
            has_meta = con.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
            free = con.execute("PRAGMA freelist_count").fetchone()[0] * con.execute(
                "PRAGMA page_size").fetchone()[0]
            if not has_meta:
                return None, free
            row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            return (int(row[0]) if row else None), free
        finally:
            con.close()
    return None, 0  # pragma: no cover - the loop returns or raises


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
        version, free = _read_version_sqlite(path)
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) or "malformed" in str(exc):
            return _fail("book", _("{path} is damaged or not a repairdesk book ({error})").format(
                path=path, error=exc), _("point --db or $REPAIRDESK_DB at the desk's book, or "
                                         "restore the latest backup (repairdesk restore FILE)"))
        return _fail("book", _("{path}: {error}").format(path=path, error=translate_db_error(exc)))
    line = _version_line(str(path), version, _(", {size}").format(size=_size(size)))
    if line.status is Status.OK and free >= COMPACT_FREE_BYTES and free * 4 >= size:
        # an upgrade that rewrote the records leaves their old room as free pages (compact.py)
        return _warn("book", line.detail + _(", {free} of it free").format(free=_size(free)),
                     _("close the desks and run repairdesk compact to give the room back"))
    return line


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
