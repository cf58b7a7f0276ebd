"""Commands that write files never replace one silently, and what they write is owner-only
whatever the umask."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from repairdesk.files import TargetExists, write_private


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_write_private_is_0600_under_a_loose_umask(tmp_path: Path):
    old = os.umask(0o022)
    try:
        path = write_private(tmp_path / "export.xlsx", b"data")
    finally:
        os.umask(old)
    assert _mode(path) == 0o600 and path.read_bytes() == b"data"
    assert [p.name for p in tmp_path.iterdir()] == ["export.xlsx"]  # no temporary left


def test_write_private_refuses_an_existing_file_unless_told(tmp_path: Path):
    target = tmp_path / "real.xlsx"
    target.write_bytes(b"keep me")
    with pytest.raises(TargetExists, match="--force"):
        write_private(target, b"new")
    assert target.read_bytes() == b"keep me"
    write_private(target, b"new", replace=True)
    assert target.read_bytes() == b"new" and _mode(target) == 0o600


def test_backup_to_an_existing_book_is_refused(cli, tmp_path: Path):
    assert cli("staff", "add", "李静", "--role", "clerk").code == 0
    other = tmp_path / "real.sqlite3"
    other.write_bytes(b"another book that must survive")
    r = cli("backup", "--to", str(other))
    assert r.code == 1 and "--force" in r.stderr and "Traceback" not in r.stderr
    assert other.read_bytes() == b"another book that must survive"
    r = cli("backup", "--to", str(other), "--force")
    assert r.code == 0, r.stderr
    assert other.read_bytes()[:15] == b"SQLite format 3"


def test_report_out_refuses_an_existing_file_and_writes_owner_only(cli, tmp_path: Path):
    assert cli("staff", "add", "李静", "--role", "clerk").code == 0
    target = tmp_path / "m.xlsx"
    target.write_bytes(b"last month's, by hand")
    r = cli("report", "month", "--format", "xlsx", "--out", str(target))
    assert r.code == 1 and "--force" in r.stderr and "Traceback" not in r.stderr
    assert target.read_bytes() == b"last month's, by hand"
    fresh = tmp_path / "new.xlsx"
    old = os.umask(0o022)  # inherited by the CLI's process
    try:
        r = cli("report", "month", "--format", "xlsx", "--out", str(fresh))
    finally:
        os.umask(old)
    assert r.code == 0, r.stderr
    assert _mode(fresh) == 0o600
    r = cli("report", "month", "--format", "xlsx", "--out", str(target), "--force")
    assert r.code == 0, r.stderr
    assert target.read_bytes()[:2] == b"PK"


def test_a_killed_backups_part_file_is_cleaned_up(cli, tmp_path: Path):
    assert cli("staff", "add", "李静", "--role", "clerk").code == 0
    folder = tmp_path / "copies"
    folder.mkdir()
    stale = folder / "repairdesk-20261101-030000.sqlite3.part"
    stale.write_bytes(b"x" * 1000)
    old = time.time() - 7200
    os.utime(stale, (old, old))
    fresh = folder / "another.sqlite3.part"  # a backup under way right now: left alone
    fresh.write_bytes(b"y")
    r = cli("backup", "--to", str(folder / "copy.sqlite3"))
    assert r.code == 0, r.stderr
    assert not stale.exists() and fresh.exists()


@pytest.fixture
def loose_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_printed_work_orders_and_their_folder_are_owner_only(tmp_path: Path, loose_umask):
    """The folder backend (work orders and handover prints) under umask 022."""
    from repairdesk.printing.base import Document
    from repairdesk.printing.folder import FolderBackend

    folder = tmp_path / "prints" / "today"
    backend = FolderBackend(folder)
    out = Path(backend.send(Document(b"%PDF-1.4 x", False, "BX-20261122-0001-job1", ".pdf", 1)))
    assert _mode(out) == 0o600 and _mode(folder) == 0o700
    out.chmod(0o644)  # an older print of the same name: replaced, owner-only again
    Path(backend.send(Document(b"GB18030", True, "BX-20261122-0001-job1", ".pdf", 1)))
    assert _mode(out) == 0o600 and out.read_bytes() == b"GB18030"
    assert sorted(p.name for p in folder.iterdir()) == ["BX-20261122-0001-job1.pdf"]


def test_a_print_through_the_queue_is_owner_only(staffed, cli, tmp_path: Path, loose_umask):
    from repairdesk.services import tickets as T

    no = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                 content="漏水", phone="13812345678"),
                           "李静").ticket_no
    folder = tmp_path / "paper"
    r = cli("print", no, "--out", str(folder))
    assert r.code == 0, r.stderr
    files = list(folder.iterdir())
    assert files and all(_mode(f) == 0o600 for f in files) and _mode(folder) == 0o700


def test_the_error_log_is_owner_only(tmp_path: Path, loose_umask):
    from repairdesk.cli.common import log_traceback

    log_dir = Path(os.environ["XDG_STATE_HOME"]) / "repairdesk" / "log"
    log_dir.mkdir(parents=True)
    (log_dir / "errors.log").write_text("an older log, 0644\n")
    os.chmod(log_dir / "errors.log", 0o644)
    try:
        raise RuntimeError("王先生 13812345678")
    except RuntimeError:
        log_traceback()
    log = log_dir / "errors.log"
    assert _mode(log) == 0o600 and "RuntimeError" in log.read_text()
    assert log.read_text().startswith("an older log")


def test_a_new_error_log_folder_is_owner_only(tmp_path: Path, loose_umask):
    from repairdesk.cli.common import log_traceback

    try:
        raise RuntimeError("x")
    except RuntimeError:
        log_traceback()
    log_dir = Path(os.environ["XDG_STATE_HOME"]) / "repairdesk" / "log"
    assert _mode(log_dir) == 0o700 and _mode(log_dir / "errors.log") == 0o600
