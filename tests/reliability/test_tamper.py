"""Someone with the file and the sqlite3 module drops the append-only triggers, plants a
trigger or a view of their own, then runs `verify`, opens the desk or restores: each case is
named, or put right and written in the duty log (store/schema_check.py, services/book_guard.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from repairdesk.errors import StoreError
from repairdesk.services import backup as svc
from repairdesk.services.desk import open_desk
from repairdesk.store.db import APPEND_ONLY, GUARDED

PLANTED = "CREATE TRIGGER lift_lockout AFTER INSERT ON pin_attempt BEGIN DELETE FROM pin_attempt; END"


def _tamper(path: Path, *stmts: str) -> None:
    con = sqlite3.connect(path)
    for stmt in stmts:
        con.execute(stmt)
    con.commit()
    con.close()


def _triggers(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    finally:
        con.close()


def _log(path: Path) -> list[tuple[str, str, str]]:
    con = sqlite3.connect(path)
    try:
        return list(con.execute("SELECT kind, text, data FROM duty_log ORDER BY seq"))
    finally:
        con.close()


@pytest.fixture
def book(staffed, db_path: Path) -> Path:
    """A book with a roster and a holder, the desk that made it closed."""
    staffed.close()
    return db_path


def _reopen(path: Path, clock) -> None:
    from repairdesk.config import load_config

    open_desk(str(path), clock=clock, config=load_config(None)).close()


# --- verify names the difference ------------------------------------------------------------

@pytest.mark.parametrize("table", APPEND_ONLY + tuple(t for t, _c, _w in GUARDED))
def test_verify_names_a_dropped_trigger(book: Path, table: str, english) -> None:
    _tamper(book, f"DROP TRIGGER {table}_no_delete")
    check = svc.verify_file(book)
    assert not check.ok and f"{table}_no_delete is missing" in check.problem


@pytest.mark.parametrize("stmt, named", [
    (PLANTED, "unexpected trigger lift_lockout"),
    ("CREATE VIEW staff_pins AS SELECT name, pin_hash FROM staff", "unexpected view staff_pins"),
    ("CREATE TABLE loot(x)", "unexpected table loot"),
    ("CREATE INDEX ix_sneaky ON ticket(room)", "unexpected index ix_sneaky"),
    ("CREATE TRIGGER close_it AFTER INSERT ON ticket BEGIN "
     "UPDATE ticket SET status = 'closed' WHERE id = new.id; END", "unexpected trigger close_it"),
])
def test_verify_names_a_planted_object(book: Path, stmt: str, named: str, english) -> None:
    _tamper(book, stmt)
    check = svc.verify_file(book)
    assert not check.ok and named in check.problem


def test_verify_names_a_trigger_replaced_by_one_that_does_nothing(book: Path, english) -> None:
    _tamper(book, "DROP TRIGGER duty_log_no_update",
            "CREATE TRIGGER duty_log_no_update BEFORE UPDATE ON duty_log BEGIN SELECT 1; END")
    assert "trigger duty_log_no_update was altered" in svc.verify_file(book).problem


def test_verify_names_a_unique_index_made_plain_and_a_dropped_table(book: Path, english) -> None:
    _tamper(book, "DROP INDEX ix_staff_name", "CREATE INDEX ix_staff_name ON staff(name)")
    assert "index ix_staff_name was altered" in svc.verify_file(book).problem
    _tamper(book, "DROP INDEX ix_staff_name", "DROP TABLE print_job")
    problem = svc.verify_file(book).problem
    assert "table print_job is missing" in problem


def test_cli_verify_reports_a_dropped_trigger_without_repairing_it(cli, db_path: Path) -> None:
    from holding import hold_book

    hold_book(cli.db_path)
    before = len(_log(db_path))
    _tamper(db_path, "DROP TRIGGER pin_attempt_no_delete", PLANTED)
    r = cli("verify", lang="en")
    assert r.code == 1 and "pin_attempt_no_delete is missing" in r.stderr
    # verify looks and writes nothing: the trigger is still gone, no entry was added
    assert "pin_attempt_no_delete" not in _triggers(db_path)
    assert len(_log(db_path)) == before
    # the next ordinary command puts it right and says so in the duty log
    assert cli("log", "show").code == 0
    assert {"pin_attempt_no_delete"} <= _triggers(db_path)
    assert "lift_lockout" not in _triggers(db_path)
    assert cli("verify", lang="en").code == 0


def test_cli_verify_of_a_backup_names_a_planted_view(cli, db_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite3"
    svc.backup_file(db_path if db_path.exists() else _made(cli, db_path), copy)
    _tamper(copy, "CREATE VIEW v_staff AS SELECT * FROM staff")
    r = cli("verify", str(copy), lang="en")
    assert r.code == 1 and "unexpected view v_staff" in r.stderr
    assert r.stderr.count("\n") == 1  # one line


def _made(cli, db_path: Path) -> Path:
    cli("log", "show")
    return db_path


# --- opening the desk puts the triggers back and logs it -------------------------------------

def test_open_recreates_dropped_triggers_and_logs_which(book: Path, clock) -> None:
    before = _log(book)
    _tamper(book, "DROP TRIGGER duty_log_no_delete", "DROP TRIGGER signature_no_update")
    _reopen(book, clock)
    assert {"duty_log_no_delete", "signature_no_update"} <= _triggers(book)
    after = _log(book)
    assert len(after) == len(before) + 1
    kind, text, data = after[-1]
    assert kind == "system" and "duty_log_no_delete" in text and "signature_no_update" in text
    assert "duty_log_no_delete" in data
    assert svc.verify_file(book).ok  # the chain takes the new entry; the schema is whole
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        _tamper(book, "DELETE FROM duty_log")


def test_open_removes_a_planted_trigger_and_keeps_its_text_in_the_log(book: Path, clock) -> None:
    _tamper(book, PLANTED)
    _reopen(book, clock)
    assert "lift_lockout" not in _triggers(book)
    kind, text, data = _log(book)[-1]
    assert kind == "system" and "lift_lockout" in text and "DELETE FROM pin_attempt" in data
    assert svc.verify_file(book).ok


def test_open_replaces_a_trigger_that_does_nothing(book: Path, clock) -> None:
    _tamper(book, "DROP TRIGGER ticket_event_no_update",
            "CREATE TRIGGER ticket_event_no_update BEFORE UPDATE ON ticket_event "
            "BEGIN SELECT 1; END")
    _reopen(book, clock)
    assert svc.verify_file(book).ok
    assert "ticket_event_no_update" in _log(book)[-1][1]


def test_a_sound_book_opens_without_writing(book: Path, clock) -> None:
    before = _log(book)
    _reopen(book, clock)
    _reopen(book, clock)
    assert _log(book) == before


def test_the_repair_is_logged_once(book: Path, clock) -> None:
    before = len(_log(book))
    _tamper(book, "DROP TRIGGER handover_no_delete")
    _reopen(book, clock)
    _reopen(book, clock)
    assert len(_log(book)) == before + 1


def test_a_read_only_book_opens_unrepaired_and_verify_still_names_it(book: Path, clock,
                                                                       english) -> None:
    from reliability.test_faults import _read_only

    _tamper(book, "DROP TRIGGER shift_turn_no_delete")
    con = sqlite3.connect(book)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    with _read_only(book):
        _reopen(book, clock)  # no error, nothing written
        assert "shift_turn_no_delete is missing" in svc.verify_file(book).problem
    assert "shift_turn_no_delete" not in _triggers(book)


# --- restore refuses a backup whose schema differs -----------------------------------------

@pytest.mark.parametrize("stmts, named", [
    (("DROP TRIGGER pin_attempt_no_delete",), "pin_attempt_no_delete is missing"),
    ((PLANTED,), "unexpected trigger lift_lockout"),
    (("CREATE VIEW v AS SELECT 1",), "unexpected view v"),
    (("DROP TABLE print_job",), "table print_job is missing"),
])
def test_restore_refuses_a_backup_whose_schema_differs(book: Path, tmp_path: Path, clock,
                                                        stmts, named, english) -> None:
    copy = svc.backup_file(book, tmp_path / "bad.sqlite3")
    _tamper(copy, *stmts)
    target = tmp_path / "target.sqlite3"
    with pytest.raises(StoreError) as err:
        svc.restore_file(copy, f"sqlite:///{target}", clock.now(), yes=True)
    assert named in str(err.value) and "\n" not in str(err.value)
    assert not target.exists()


def test_restore_refuses_the_issue_backup(book: Path, tmp_path: Path, clock, english) -> None:
    """Issue 15: triggers dropped, an entry re-chained, a lockout-lifting trigger planted."""
    from repairdesk.services import dutylog
    from repairdesk.store.types import load_json

    copy = svc.backup_file(book, tmp_path / "forged.sqlite3")
    con = sqlite3.connect(copy)
    for name in [n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]:
        con.execute(f"DROP TRIGGER {name}")
    cols = ("seq", "site", "at", "kind", "author", "text", "ticket_no", "corrects_id",
            "dedup_key", "data", "prev_hash", "hash")
    con.execute("UPDATE duty_log SET text = '一切正常' WHERE seq = 1")
    from datetime import datetime, timezone

    prev = dutylog.GENESIS
    for row in con.execute(f"SELECT {', '.join(cols)} FROM duty_log ORDER BY seq").fetchall():
        e = dict(zip(cols, row))
        at = datetime.fromisoformat(e["at"])
        e["at"] = at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at
        e["data"] = load_json(e["data"])
        h = dutylog.entry_hash(e, prev)
        con.execute("UPDATE duty_log SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, h, e["seq"]))
        prev = h
    con.execute(PLANTED)
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="is missing"):
        svc.restore_file(copy, f"sqlite:///{tmp_path / 'target.sqlite3'}", clock.now(), yes=True)


def test_restore_of_a_good_backup_installs_the_expected_triggers(book: Path, tmp_path: Path,
                                                                  clock) -> None:
    from repairdesk.store.schema_check import expected_triggers, schema_differences

    copy = svc.backup_file(book, tmp_path / "good.sqlite3")
    target = tmp_path / "target.sqlite3"
    check, _kept = svc.restore_file(copy, f"sqlite:///{target}", clock.now(), yes=True)
    assert check.ok
    assert set(expected_triggers()) <= _triggers(target)
    con = sqlite3.connect(target)
    try:
        assert schema_differences(con) == []
    finally:
        con.close()

