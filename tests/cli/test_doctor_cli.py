"""`repairdesk doctor`: real processes on a real book file, as a site administrator runs it."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

NAMES = ["config", "book", "backup", "permissions", "disk", "timezone", "fonts", "printer"]
MARKS = ("✓ ", "! ", "✗ ", "OK ", "WARN ", "FAIL ")
PG_DOWN = "postgresql+psycopg://x:y@127.0.0.1:1/none"


def make_book(cli) -> None:
    assert cli("staff", "add", "李静", "--role", "clerk").code == 0


def doctor_json(cli, *args: str, env: dict[str, str] | None = None) -> tuple[int, dict]:
    r = cli(*args, "doctor", "--json", env=env)
    assert "Traceback" not in r.stdout + r.stderr
    return r.code, json.loads(r.stdout)


def by_name(report: dict) -> dict[str, dict]:
    return {c["name"]: c for c in report["checks"]}


def test_a_healthy_book_passes_with_every_line(cli, db_path):
    make_book(cli)
    assert cli("backup").code == 0
    r = cli("--lang", "en", "doctor")
    assert r.code == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == len(NAMES)
    assert all(line.startswith(MARKS) for line in lines), lines
    assert not any(line.startswith(("✗ ", "FAIL ")) for line in lines)
    assert "\x1b[" not in r.stdout  # colour only on a terminal
    assert r.stderr == ""
    code, report = doctor_json(cli)
    assert code == 0 and report["ok"] is True
    assert [c["name"] for c in report["checks"]] == NAMES
    checks = by_name(report)
    for name in ("config", "book", "backup", "permissions", "disk", "timezone", "printer"):
        assert checks[name]["status"] == "ok", checks[name]
    assert str(db_path) in checks["book"]["detail"]
    assert "0600" in checks["permissions"]["detail"]
    assert "Asia/Shanghai" in checks["timezone"]["detail"]
    assert checks["fonts"]["status"] != "fail"


def test_a_missing_book_fails_says_how_to_create_it_and_is_not_created(cli, tmp_path):
    book = tmp_path / "not-yet" / "desk.sqlite3"
    env = {"REPAIRDESK_DB": str(book)}
    r = cli("--lang", "en", "doctor", env=env)
    assert r.code == 1
    assert "Traceback" not in r.stdout + r.stderr
    [line] = [ln for ln in r.stdout.splitlines() if str(book) in ln and "Book" in ln]
    assert line.startswith(("✗ ", "FAIL "))
    assert "repairdesk" in line.split(str(book), 1)[1]  # how to create it
    code, report = doctor_json(cli, env=env)
    assert code == 1 and report["ok"] is False
    assert [c["name"] for c in report["checks"] if c["status"] == "fail"] == ["book"]
    assert not book.exists() and not book.parent.exists()


def test_a_world_readable_book_gets_the_chmod_advice(cli, db_path):
    make_book(cli)
    os.chmod(db_path, 0o644)
    r = cli("--lang", "en", "doctor")
    assert r.code == 0  # a warning, not a failure
    [line] = [ln for ln in r.stdout.splitlines() if f"chmod 600 {db_path}" in ln]
    assert line.startswith(("! ", "WARN "))
    checks = by_name(doctor_json(cli)[1])
    assert checks["permissions"]["status"] == "warn"
    assert checks["permissions"]["advice"].startswith(f"chmod 600 {db_path}")
    os.chmod(db_path, 0o600)
    assert by_name(doctor_json(cli)[1])["permissions"]["status"] == "ok"


def test_a_book_from_a_newer_repairdesk_fails(cli, db_path):
    make_book(cli)
    with sqlite3.connect(db_path) as con:
        con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    code, report = doctor_json(cli)
    assert code == 1
    book = by_name(report)["book"]
    assert book["status"] == "fail" and "999" in book["detail"] and book["advice"]


def test_a_book_with_much_free_room_is_told_to_compact(cli, db_path):
    """An upgrade that rewrites the records leaves their old room as free pages: doctor names
    how much and says to run `repairdesk compact` with the desks closed; after it, the book
    line is clean again."""
    make_book(cli)
    with sqlite3.connect(db_path) as con:  # 24 MB of pages, then freed, as an upgrade leaves
        con.execute("CREATE TABLE scratch(b BLOB)")
        con.executemany("INSERT INTO scratch VALUES (zeroblob(1048576))", [()] * 24)
        con.commit()
        con.execute("DROP TABLE scratch")
        con.commit()
    code, report = doctor_json(cli)
    book = by_name(report)["book"]
    assert code == 0 and book["status"] == "warn", book
    assert "空闲" in book["detail"] and "repairdesk compact" in book["advice"]
    assert cli("compact").code == 0
    code, report = doctor_json(cli)
    assert by_name(report)["book"]["status"] == "ok", by_name(report)["book"]


def test_an_unreachable_postgresql_server_is_one_failed_line(cli):
    r = cli("--lang", "en", "--db", PG_DOWN, "doctor")
    assert r.code == 1
    assert "Traceback" not in r.stdout + r.stderr
    failed = [ln for ln in r.stdout.splitlines() if ln.startswith(("✗ ", "FAIL "))]
    assert len(failed) == 1, r.stdout
    assert "127.0.0.1" in failed[0]
    assert "x:y@" not in r.stdout and "x:***@" in failed[0]  # the password is hidden
    code, report = doctor_json(cli, "--db", PG_DOWN)
    assert code == 1
    assert [c["name"] for c in report["checks"] if c["status"] == "fail"] == ["book"]


def test_a_bad_config_fails_its_line_and_the_rest_still_run(cli, tmp_path):
    make_book(cli)
    bad = tmp_path / "site.toml"
    bad.write_text("[sla.clock.arrive]\nurgent_min = 0\n", encoding="utf-8")
    code, report = doctor_json(cli, "--config", str(bad))
    assert code == 1
    checks = by_name(report)
    assert checks["config"]["status"] == "fail"
    assert "urgent_min" in checks["config"]["detail"] and str(bad) in checks["config"]["advice"]
    assert checks["book"]["status"] == "ok"
    assert [c["name"] for c in report["checks"]] == NAMES


# ------------------------------------------------------------ the checks themselves (in-process)


def _target(db_path: Path):
    from repairdesk.config import load_config
    from repairdesk.services.doctor import Target

    return Target(f"sqlite:///{db_path}", load_config(None),
                  datetime(2026, 11, 22, 2, 0, tzinfo=timezone.utc))


def test_a_check_that_breaks_is_a_failed_line(monkeypatch, db_path):
    from repairdesk.services import doctor

    def broken(_t):
        raise RuntimeError("font cache unreadable")

    monkeypatch.setattr(doctor, "check_fonts", broken)
    checks = doctor.run_checks(str(db_path), None, datetime.now(timezone.utc))
    fonts = next(c for c in checks if c.name == "fonts")
    assert fonts.status is doctor.Status.FAIL
    assert "font cache unreadable" in fonts.detail
    assert doctor.failed(checks)
    assert not db_path.exists()  # doctor looked, it did not create


def test_free_space_thresholds(monkeypatch, db_path):
    from collections import namedtuple

    from repairdesk.services import doctor

    usage = namedtuple("usage", "total used free")
    for free, expected in ((500 << 20, doctor.Status.OK), (100 << 20, doctor.Status.WARN),
                           (5 << 20, doctor.Status.FAIL)):
        monkeypatch.setattr(doctor.shutil, "disk_usage", lambda _p, f=free: usage(0, 0, f))
        assert doctor.check_disk(_target(db_path)).status is expected


def _cups_site(tmp_path: Path, lpstat: str | None) -> tuple[Path, dict[str, str]]:
    """A site printing to CUPS queue OKI, and a PATH holding fake lp/lpstat (or neither)."""
    tmp_path.mkdir(exist_ok=True)
    site = tmp_path / "cups.toml"
    site.write_text('[printing]\nbackend = "cups"\nprinter = "OKI"\n', encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    if lpstat is not None:
        for name, body in (("lp", "exit 1"), ("lpstat", f"printf '{lpstat}'")):
            script = bin_dir / name
            script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
            script.chmod(0o755)
    return site, {"PATH": str(bin_dir)}


def test_cups_without_its_commands_names_the_package(cli, tmp_path):
    make_book(cli)
    site, env = _cups_site(tmp_path, None)
    code, report = doctor_json(cli, "--config", str(site), env=env)
    assert code == 1
    printer = by_name(report)["printer"]
    assert printer["status"] == "fail" and "lpstat" in printer["detail"]
    assert printer["advice"] == "apt-get install cups-client cups-bsd"


def test_a_stopped_cups_printer_is_a_warning_with_what_to_do(cli, tmp_path):
    make_book(cli)
    site, env = _cups_site(tmp_path, "printer OKI disabled since Sun 22 Nov 2026 -\\n"
                                     "\\tMedia empty\\nOKI accepting requests since Sun\\n")
    code, report = doctor_json(cli, "--config", str(site), env=env)
    printer = by_name(report)["printer"]
    assert printer["status"] == "warn", printer
    assert "Media empty" in printer["detail"] and printer["advice"].endswith("cupsenable OKI")
    ready, env = _cups_site(tmp_path / "ok", "printer OKI is idle.  enabled since Sun\\n"
                                             "OKI accepting requests since Sun\\n")
    assert by_name(doctor_json(cli, "--config", str(ready), env=env)[1])["printer"]["status"] \
        == "ok"
