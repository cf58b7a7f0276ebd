"""Backups while desks work, verified restores, the nightly schedule."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from repairdesk.config import load_config, parse_config
from repairdesk.errors import StoreError, ValidationError
from repairdesk.services import backup as svc
from repairdesk.services.tickets import IntakeForm, list_tickets, register_ticket
from older_book import downgrade_book

from reliability import driver as driver_module  # tests/reliability/driver.py

DRIVER = Path(driver_module.__file__)


def _fill(desk, n: int = 3) -> list[str]:
    from holding import hold_desk

    hold_desk(desk)  # nothing is registered before someone signs on
    return [register_ticket(desk, IntakeForm(room=f"3-2-150{i}", caller="王先生",
                                             content="厨房水管漏水"), "李静").ticket_no
            for i in range(n)]


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.mark.slow
def test_backup_while_a_desk_is_writing_then_restore(tmp_path: Path) -> None:
    driver = driver_module
    db = tmp_path / "live.sqlite3"
    driver.ensure_roster(str(db))
    worker = subprocess.Popen(
        [sys.executable, str(DRIVER), "work", "--db", str(db), "--seed", "9", "--count", "400"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    config, copies = load_config(None), []
    try:
        while worker.poll() is None and len(copies) < 40:
            now = datetime.now(timezone.utc)
            check = svc.backup_now(config, _url(db), now, tmp_path / f"copy{len(copies)}.sqlite3")
            assert check.ok
            copies.append(check)
    finally:
        out, err = worker.communicate(timeout=120)
    assert worker.returncode == 0, err
    assert "\nE " not in "\n" + out
    assert len(copies) >= 2, "the worker finished before a backup was taken during its run"
    # each copy taken mid-run is a sound book of its own
    for check in copies:
        assert driver.check_book(str(check.path), driver.Reports())[0] == []
    final = svc.backup_now(config, _url(db), datetime.now(timezone.utc), tmp_path / "final.sqlite3")
    reports = driver.Reports()
    reports.feed(out)
    restored = tmp_path / "restored.sqlite3"
    after, kept = svc.restore_file(final.path, _url(restored), datetime.now(timezone.utc),
                                   yes=False)
    assert kept is None and after.tickets == final.tickets == len(reports.tickets)
    assert driver.check_book(str(restored), reports)[0] == []
    assert stat.S_IMODE(final.path.stat().st_mode) == 0o600


def test_restore_refuses_to_overwrite_without_yes(desk, db_path: Path, tmp_path: Path) -> None:
    _fill(desk, 2)
    copy = svc.backup_now(desk.config, desk.store.url, desk.now(), tmp_path / "b.sqlite3")
    _fill(desk, 1)
    with pytest.raises(ValidationError, match="--yes"):
        svc.restore_file(copy.path, desk.store.url, desk.now(), yes=False)
    assert len(list_tickets(desk)) == 3
    after, kept = svc.restore_file(copy.path, desk.store.url, desk.now(), yes=True)
    assert after.tickets == 2 and kept is not None and kept.exists()
    assert len(list_tickets(desk)) == 2  # the running desk sees the restored book
    assert svc.verify_file(kept).tickets == 3  # and the replaced one is kept aside


def test_a_backup_from_before_an_upgrade_restores(desk, tmp_path: Path) -> None:
    """A backup taken at an older schema (here 14, before the stored form's triggers) is
    verified on an upgraded private copy — signatures and records as this version reads them —
    then restored as it is, and the desk upgrades it when it opens it."""
    from repairdesk.services.desk import open_desk
    from repairdesk.services.integrity import verify_book
    from repairdesk.store.tables import SCHEMA_VERSION

    nos = _fill(desk, 2)
    old = svc.backup_now(desk.config, desk.store.url, desk.now(), tmp_path / "old.sqlite3").path
    downgrade_book(str(old), "0014")  # the backup as the release before this one wrote it
    assert svc.verify_file(old).schema_version == 14
    target = tmp_path / "desk.sqlite3"
    after, _kept = svc.restore_file(old, _url(target), desk.now(), yes=True)
    assert after.ok and after.tickets == 2 and after.schema_version == 14
    restored = open_desk(_url(target), clock=desk.clock, config=desk.config)
    try:
        assert sorted(t.ticket_no for t in list_tickets(restored)) == sorted(nos)
        assert verify_book(restored).problem is None
        assert svc.verify_file(target).schema_version == SCHEMA_VERSION  # upgraded on open
    finally:
        restored.close()


def test_restore_refuses_a_tampered_or_damaged_backup(desk, tmp_path: Path) -> None:
    from repairdesk.services import dutylog

    _fill(desk, 1)
    with desk.store.write() as session:
        for i in range(3):
            dutylog.append(session, site="XF", at=desk.now(), kind="clerk", author="李静",
                           text=f"记录 {i}")
    copy = svc.backup_now(desk.config, desk.store.url, desk.now(), tmp_path / "b.sqlite3").path
    con = sqlite3.connect(copy)
    con.execute("DROP TRIGGER duty_log_no_update")
    con.execute("UPDATE duty_log SET text = '改过' WHERE seq = 2")
    con.commit()
    con.close()
    target = tmp_path / "new.sqlite3"
    with pytest.raises(StoreError) as err:
        svc.restore_file(copy, _url(target), desk.now(), yes=True)
    assert "2" in str(err.value) and "\n" not in str(err.value)
    assert not target.exists()
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    with pytest.raises(StoreError):
        svc.restore_file(junk, _url(target), desk.now(), yes=True)


def test_nightly_backup_is_due_once_a_day_and_pruned(desk, tmp_path: Path) -> None:
    raw = dict(desk.config.raw)
    raw["backup"] = {"dir": str(tmp_path / "nightly"), "at": "03:00", "keep": 2}
    config = parse_config(raw)
    url = desk.store.url
    # 02:30 Shanghai: not yet
    assert svc.backup_if_due(config, url, datetime(2026, 11, 21, 18, 30, tzinfo=timezone.utc)) is None
    made = []
    for day in (22, 23, 24):
        at = datetime(2026, 11, day - 1, 19, 5, tzinfo=timezone.utc)  # 03:05 local
        check = svc.backup_if_due(config, url, at)
        assert check is not None and check.ok
        made.append(check.path)
        assert svc.backup_if_due(config, url, at) is None  # once a day
    left = sorted(p.name for p in (tmp_path / "nightly").iterdir())
    assert left == [made[1].name, made[2].name]


def test_bad_backup_settings_name_the_key(desk) -> None:
    from repairdesk.errors import ConfigError

    raw = dict(desk.config.raw)
    raw["backup"] = {"at": "3 am"}
    with pytest.raises(ConfigError, match="backup.at"):
        svc.settings(parse_config(raw))


def test_cli_backup_restore_verify(cli, desk, tmp_path: Path) -> None:
    _fill(desk, 2)
    copy = tmp_path / "cli-copy.sqlite3"
    r = cli("backup", "--to", str(copy))
    assert r.code == 0, r.stderr
    assert str(copy) in r.stdout and copy.exists()
    assert cli("verify", str(copy)).code == 0
    r = cli("restore", str(copy))
    assert r.code == 1 and "--yes" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = cli("restore", str(copy), "--yes")
    assert r.code == 0, r.stderr
    r = cli("--db", "postgresql+psycopg://x@127.0.0.1:1/none", "backup")
    assert r.code == 1 and "pg_dump" in r.stderr and "Traceback" not in r.stderr


def test_restore_refuses_a_backup_with_a_forged_signature(desk, tmp_path: Path) -> None:
    from repairdesk.domain.enums import Role
    from repairdesk.services.signing import Signer, add_signature
    from repairdesk.services.staff import add_staff_unchecked

    add_staff_unchecked(desk, "吴主管", Role.SUPERVISOR)  # a signer on the roster
    with desk.store.write() as session:
        add_signature(session, Signer("吴主管", "supervisor", desk.now()), "note:1", "signoff",
                      "0" * 64)
    copy = svc.backup_now(desk.config, desk.store.url, desk.now(), tmp_path / "b.sqlite3").path
    assert svc.signatures_problem(copy, desk.config) is None
    con = sqlite3.connect(copy)
    con.execute("DROP TRIGGER signature_no_update")
    con.execute("UPDATE signature SET name = '冒名'")
    con.commit()
    con.close()
    check = svc.verify_file(copy)  # the chain is fine, the dropped trigger is named …
    assert check.problem == check.schema and "signature_no_update" in check.schema
    assert svc.signatures_problem(copy, desk.config)  # … and the signature no longer matches
    with pytest.raises(StoreError):
        svc.restore_file(copy, _url(tmp_path / "new.sqlite3"), desk.now(), yes=True,
                         config=desk.config)
