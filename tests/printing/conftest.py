"""Printing fixtures: desks with a [printing] section, tickets to print, poppler to read the
PDFs back, and the CUPS test printer (see .ci/setup.d/cups.sh)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from needs import service_missing

from repairdesk.config import load_config

REPO = Path(__file__).resolve().parents[2]
CUPS_PRINTER = "repairdesk-test"
CUPS_OUT = Path("/var/spool/cups-pdf-repairdesk")
CLERK = "李静"


@pytest.fixture
def make_desk(tmp_path: Path, db_path: Path, clock):
    """make_desk(toml) -> a desk on the test database with a site config.toml."""
    from repairdesk.services.desk import open_desk

    opened = []

    def make(site_toml: str = "") -> object:
        conf = tmp_path / f"site{len(opened)}.toml"
        conf.write_text(site_toml, encoding="utf-8")
        desk = open_desk(str(db_path), clock=clock, config=load_config(conf))
        opened.append(desk)
        return desk

    yield make
    for d in opened:
        d.close()


def add_roster(desk) -> None:
    from repairdesk.domain.enums import Role
    from repairdesk.errors import RepairdeskError
    from repairdesk.services.staff import add_staff_unchecked

    for name, role in (("张建国", Role.TECHNICIAN), (CLERK, Role.CLERK)):
        try:
            add_staff_unchecked(desk, name, role, "13900000011")
        except RepairdeskError:
            pass


def register(desk, **kw) -> str:
    from repairdesk.services.tickets import IntakeForm, register_ticket

    base = dict(room="3-2-1501", caller="王女士", phone="13812345678",
                content="厨房水槽下水管漏水，地面积水", category="水", urgency="urgent")
    base.update(kw)
    from holding import hold_desk

    hold_desk(desk, CLERK)
    return register_ticket(desk, IntakeForm(**base), CLERK).ticket_no


def need(tool: str, package: str) -> None:
    if shutil.which(tool) is None:
        service_missing(f"{tool} is not installed (Debian package {package})", "cups.sh")


def pdf_text(path_or_bytes: Path | bytes, tmp_path: Path) -> str:
    need("pdftotext", "poppler-utils")
    if isinstance(path_or_bytes, bytes):
        path = tmp_path / "extract.pdf"
        path.write_bytes(path_or_bytes)
    else:
        path = path_or_bytes
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def pdf_pages(path: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with form feeds)."""
    need("pdftotext", "poppler-utils")
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return out.split("\f")[:-1]


def pdf_info(path: Path) -> dict[str, str]:
    need("pdfinfo", "poppler-utils")
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                         check=True).stdout
    return {k.strip(): v.strip() for k, _s, v in (ln.partition(":") for ln in out.splitlines())}


# ---------------------------------------------------------------- CUPS


def _lpstat(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["lpstat", *args], capture_output=True, text=True,
                          env=dict(os.environ, LC_ALL="C"), timeout=15, check=False)


def _scheduler_up() -> bool:
    return "is running" in _lpstat("-r").stdout


def cups_unavailable_reason() -> str | None:
    """None when the test printer takes jobs; else why not. Starts cupsd and sets the printer
    up (the CI script, which installs nothing when the packages are there) when it can."""
    if shutil.which("lpstat") is None or shutil.which("lp") is None:
        return "CUPS is not installed (cups cups-client cups-bsd; run .ci/setup.d/cups.sh)"
    ready = _scheduler_up() and _lpstat("-p", CUPS_PRINTER).returncode == 0
    if not ready:
        can_setup = (os.geteuid() == 0 and shutil.which("cupsd") is not None
                     and Path("/usr/lib/cups/backend/cups-pdf").exists())
        if not can_setup:
            return ("cupsd is not running with the printer repairdesk-test, and it cannot be "
                    "started here (needs root, cups and printer-driver-cups-pdf)")
        setup = subprocess.run(["bash", str(REPO / ".ci/setup.d/cups.sh")], capture_output=True,
                               text=True, timeout=120, check=False,
                               env=dict(os.environ, REPAIRDESK_CUPS_NO_INSTALL="1"))
        if setup.returncode != 0 or not _scheduler_up():
            return f"cupsd could not be started: {setup.stderr.strip()[-300:]}"
    return None


@pytest.fixture(scope="session")
def cups_session() -> str:
    reason = cups_unavailable_reason()
    if reason:
        service_missing(reason, "cups.sh")
    return CUPS_PRINTER


@pytest.fixture
def cups_printer(cups_session: str) -> str:
    """The CUPS-PDF test printer, enabled and accepting, with no jobs of ours left over."""
    for cmd in (["cupsenable", cups_session], ["cupsaccept", cups_session],
                ["cancel", "-a", cups_session]):
        subprocess.run(cmd, capture_output=True, timeout=15, check=False)
    yield cups_session
    for cmd in (["cupsenable", cups_session], ["cupsaccept", cups_session]):
        subprocess.run(cmd, capture_output=True, timeout=15, check=False)


def arrived(request_id: str, timeout: float = 30.0) -> Path:
    """The PDF that CUPS-PDF wrote for `request_id` (repairdesk-test-12 -> job_12-*.pdf)."""
    number = request_id.rsplit("-", 1)[1].split()[0]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = sorted(CUPS_OUT.glob(f"job_{number}-*.pdf"))
        if found and found[0].stat().st_size > 0 and not _pending(request_id):
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"nothing arrived for {request_id} in {CUPS_OUT}")


def _pending(request_id: str) -> bool:
    return request_id.split()[0] in _lpstat("-W", "not-completed", "-o", CUPS_PRINTER).stdout
