"""Backups and restores of the record book.

A backup goes through SQLite's online backup API, so it is consistent and safe while desks are
writing. A restore first verifies the copy (file integrity, duty-log chain, schema version),
keeps the current book aside, and only then writes over it. The nightly backup is configured
in the site file:

    [backup]
    dir = "/srv/repairdesk/backups"   # default: backups/ beside the database
    at = "03:00"                      # local time after which the day's backup is due
    keep = 30                         # newest files kept; older ones removed
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from typing import Any

from ..config import Config
from ..config_reader import Reader
from ..errors import StoreError, ValidationError
from ..i18n import _
from ..store.tables import SCHEMA_VERSION
from . import dutylog

PREFIX = "repairdesk-"
SUFFIX = ".sqlite3"


@dataclass(frozen=True)
class BackupSettings:
    dir: Path | None
    at: time
    keep: int


@dataclass(frozen=True)
class BookCheck:
    """What verifying a book found: counts, and the first problem (None when sound)."""

    path: Path
    tickets: int
    log_entries: int
    schema_version: int
    problem: str | None
    schema: str | None = None  # the first schema difference (also part of `problem`)

    @property
    def ok(self) -> bool:
        return self.problem is None


def settings(config: Config) -> BackupSettings:
    """The [backup] section of the site configuration, checked."""
    r = Reader(config.raw.get("backup", {}), "backup")
    raw_dir = r.get("dir", str, "")
    keep = r.positive("keep", int, 30)
    return BackupSettings(Path(raw_dir).expanduser() if raw_dir else None,
                          r.hhmm("at", "03:00"), keep)


def sqlite_path(url: str) -> Path:
    """The file behind a SQLite URL; a PostgreSQL book is backed up on the server."""
    if not url.startswith("sqlite:///"):
        raise StoreError(_("Backups here are for SQLite books; back up a PostgreSQL server "
                           "with pg_dump."))
    return Path(url.removeprefix("sqlite:///"))


def backup_dir(config: Config, db_file: Path) -> Path:
    return settings(config).dir or db_file.parent / "backups"


def _connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    from ..store.readonly import read_only_uri

    uri = read_only_uri(path) if readonly else f"file:{path}"
    con = sqlite3.connect(uri, uri=True, timeout=15, isolation_level=None)
    con.execute("PRAGMA busy_timeout = 15000")
    return con


def _owner_only(path: Path) -> None:
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


STALE_PART_S = 3600  # a .part older than this was left by a backup that was killed


def _remove_stale_parts(folder: Path, now: float) -> None:
    for part in folder.glob("*.part"):
        try:
            if now - part.stat().st_mtime > STALE_PART_S:
                part.unlink()
        except OSError:
            pass


def backup_file(db_file: Path, target: Path, *, force: bool = False) -> Path:
    """Copy the book to `target` with the online backup API (safe while desks write).
    An existing `target` is replaced only with `force` (`backup --to FILE --force`)."""
    import time

    if not db_file.exists():
        raise StoreError(_("There is no database at {path}.").format(path=db_file))
    if target.resolve() == db_file.resolve():
        raise ValidationError(_("The backup cannot overwrite the database itself."), "to")
    if target.exists() and not force:
        raise ValidationError(_("{path} already exists: add --force to replace it.").format(
            path=target), "to")
    try:
        if not target.parent.is_dir():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(target.parent, 0o700)
        _remove_stale_parts(target.parent, time.time())
        partial = target.with_name(target.name + ".part")
        partial.unlink(missing_ok=True)
        _owner_only(partial)
        src, dst = _connect(db_file, readonly=True), sqlite3.connect(partial)
        try:
            src.backup(dst)
            # a single self-contained file: no -wal beside the copy
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
            src.close()
        os.replace(partial, target)  # a half-written copy never carries the final name
    except sqlite3.Error as exc:
        raise StoreError(_("Backup failed: {error}").format(error=exc)) from None
    except OSError as exc:
        raise StoreError(_("Backup failed: {error}").format(error=exc.strerror)) from None
    return target


def verify_file(path: Path) -> BookCheck:
    """Integrity check, schema version, schema objects and duty-log chain of a book file,
    read-only."""
    if not path.is_file():
        raise StoreError(_("There is no database at {path}.").format(path=path))
    try:
        con = _connect(path, readonly=True)
    except sqlite3.Error as exc:
        raise StoreError(_("Cannot open {path}: {error}").format(path=path, error=exc)) from None
    try:
        return _verify(con, path)
    except sqlite3.OperationalError as exc:
        if "not a database" in str(exc) or "malformed" in str(exc):
            return BookCheck(path, 0, 0, 0, _("not a repairdesk database ({error})").format(
                error=exc))
        from ..store.db import translate_db_error

        raise translate_db_error(exc) from None  # the machine, not the book (a full disk…)
    except sqlite3.DatabaseError as exc:
        return BookCheck(path, 0, 0, 0, _("not a repairdesk database ({error})").format(error=exc))
    finally:
        con.close()


def _verify(con: sqlite3.Connection, path: Path) -> BookCheck:
    result = con.execute("PRAGMA integrity_check").fetchall()
    if result != [("ok",)]:
        return BookCheck(path, 0, 0, 0, _("the file is damaged ({detail})").format(
            detail=str(result[0][0])[:80]))
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    try:
        version = int(row[0]) if row else 0
    except (TypeError, ValueError):
        return BookCheck(path, 0, 0, 0, _("its schema version {v!r} is not a number").format(
            v=str(row[0])[:20]))
    if version > SCHEMA_VERSION:
        return BookCheck(path, 0, 0, version, _("written by a newer repairdesk (schema {v})")
                         .format(v=version))
    difference = schema_problem(con, version)
    try:
        tickets = int(con.execute("SELECT count(*) FROM ticket").fetchone()[0])
        problem = chain_problem(con)
        logs = int(con.execute("SELECT count(*) FROM duty_log").fetchone()[0])
    except sqlite3.OperationalError:
        if difference:  # a table is missing: the difference says which
            return BookCheck(path, 0, 0, version, difference, difference)
        raise
    # a dropped trigger usually comes with the edit it allowed: name both
    problem = "; ".join(p for p in (problem, difference) if p) or None
    return BookCheck(path, tickets, logs, version, problem, difference)


def schema_problem(con: sqlite3.Connection, version: int) -> str | None:
    """The first difference between the book's tables, indexes, triggers and views and what
    this version expects. An older book (upgraded when opened) is held only to what no
    version ever had: a trigger or view of someone else's."""
    from ..store.schema_check import UNEXPECTED, schema_differences

    diffs = schema_differences(con)
    if version != SCHEMA_VERSION:
        diffs = [d for d in diffs if d.change == UNEXPECTED and d.kind in ("trigger", "view")]
    return diffs[0].describe() if diffs else None


def chain_problem(con: sqlite3.Connection) -> str | None:
    """The first break in the duty-log hash chain, or None when every entry verifies."""
    from datetime import timezone

    from ..store.types import load_json

    cols = ("seq", "site", "at", "kind", "author", "text", "ticket_no", "corrects_id",
            "dedup_key", "data", "prev_hash", "hash")
    prev = dutylog.GENESIS
    rows = con.execute(f"SELECT {', '.join(cols)} FROM duty_log ORDER BY seq")
    for expected, values in enumerate(rows, start=1):
        entry: dict[str, Any] = dict(zip(cols, values))
        at = datetime.fromisoformat(str(entry["at"]))
        entry["at"] = at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at
        entry["data"] = load_json(entry["data"])
        if entry["seq"] != expected:
            return _("duty-log entry {n} is missing").format(n=expected)
        if entry["prev_hash"] != prev or dutylog.entry_hash(entry, prev) != entry["hash"]:
            return _("the duty-log chain is broken at entry {n}").format(n=entry["seq"])
        prev = entry["hash"]
    return None


def backup_now(config: Config, url: str, now: datetime, to: Path | None = None, *,
               force: bool = False) -> BookCheck:
    """Back the book up (to `to`, else the backup folder) and verify the copy."""
    db_file = sqlite_path(url)
    if to is None:
        stamp = now.astimezone(config.tz).strftime("%Y%m%d-%H%M%S")
        to = backup_dir(config, db_file) / f"{PREFIX}{stamp}{SUFFIX}"
    check = verify_file(backup_file(db_file, to, force=force))
    if not check.ok:
        raise StoreError(_("The backup {path} does not verify: {problem}").format(
            path=to, problem=check.problem))
    if to.parent == backup_dir(config, db_file):
        prune(to.parent, settings(config).keep)
    return check


def prune(folder: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` nightly backups (names sort by time)."""
    files = sorted(folder.glob(f"{PREFIX}*{SUFFIX}"))
    gone = files[:-keep] if len(files) > keep else []
    for f in gone:
        f.unlink(missing_ok=True)
    return gone


def backup_due(config: Config, url: str, now: datetime) -> bool:
    """True once the configured time has passed today and today has no backup yet."""
    db_file = sqlite_path(url)
    local = now.astimezone(config.tz)
    if local.time() < settings(config).at:
        return False
    today = f"{PREFIX}{local:%Y%m%d}-"
    return not any(backup_dir(config, db_file).glob(f"{today}*{SUFFIX}"))


def backup_if_due(config: Config, url: str, now: datetime) -> BookCheck | None:
    """The nightly backup, for cron (`repairdesk backup --if-due`) or an in-app timer."""
    return backup_now(config, url, now) if backup_due(config, url, now) else None


def signatures_problem(path: Path, config: Config) -> str | None:
    """Signatures and signed records of a book file (integrity.verify_book), on a private copy
    so the file itself is not touched."""
    import tempfile

    from ..clock import SystemClock
    from ..store.db import open_store
    from .desk import Desk
    from .integrity import verify_book

    with tempfile.TemporaryDirectory(prefix="repairdesk-verify-") as tmp:
        copy = backup_file(path, Path(tmp) / "book.sqlite3")
        store = open_store(str(copy), create=False)
        try:
            return verify_book(Desk(store, config, SystemClock())).problem
        finally:
            store.dispose()


def _install_triggers(con: sqlite3.Connection) -> None:
    """The append-only triggers of this version, whatever the copy held (idempotent)."""
    from ..store.db import _append_only_sql

    con.execute("BEGIN IMMEDIATE")
    try:
        for stmt in _append_only_sql("sqlite"):
            con.execute(stmt)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def restore_file(source: Path, url: str, now: datetime, *, yes: bool,
                 config: Config | None = None) -> tuple[BookCheck, Path | None]:
    """Verify `source` (file, chain, signatures), set the current book aside, and copy
    `source` over it. Returns the check of the restored book and where the previous book
    was kept."""
    from ..config import load_config

    db_file = sqlite_path(url)
    check = verify_file(source)
    problem = check.problem or signatures_problem(source, config or load_config(None))
    if problem:
        raise StoreError(_("Not restored: {path} does not verify: {problem}").format(
            path=source, problem=problem))
    if source.resolve() == db_file.resolve():
        raise ValidationError(_("That file is the database itself."), "file")
    kept: Path | None = None
    if db_file.exists() and db_file.stat().st_size > 0:
        if not yes:
            raise ValidationError(
                _("{path} already holds a book; add --yes to replace it (it is kept aside "
                  "first).").format(path=db_file), "yes")
        kept = db_file.with_name(f"{db_file.name}.before-restore-{now:%Y%m%d-%H%M%S}")
        backup_file(db_file, kept)
    try:
        db_file.parent.mkdir(parents=True, exist_ok=True)
        if not db_file.exists():
            _owner_only(db_file)
        src, dst = _connect(source, readonly=True), _connect(db_file)
        try:
            # through the backup API, so desks that still have the file open see a whole book
            src.backup(dst)
            if check.schema_version == SCHEMA_VERSION:
                _install_triggers(dst)
        finally:
            dst.close()
            src.close()
    except sqlite3.Error as exc:
        raise StoreError(_("Restore failed: {error}").format(error=exc)) from None
    after = verify_file(db_file)
    if not after.ok:
        raise StoreError(_("The restored book does not verify: {problem}").format(
            problem=after.problem))
    return after, kept
