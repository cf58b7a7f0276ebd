"""Tampering with the records themselves (issue 15 item 2). The attacker has the file, the
sqlite3 module and the code: drops every trigger, changes rows, recomputes hashes where that
helps, and puts the triggers back (busy_book.attack). Each case is named by plain `verify` (the
record's kind and which one), or, where the attacker rewrote every chain and everything that
stores a head, by `verify --anchor` with an anchor printed earlier. What is out of reach is in
README ("Tamper evidence: what verify sees"). The schema cases are in test_tamper.py."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reliability import busy_book
from reliability.busy_book import attack, rechain_events, rechain_log, sql
from repairdesk.services import backup as svc
from repairdesk.services.desk import open_desk


def _tamper(path: Path, *stmts: str) -> None:
    con = sqlite3.connect(path)
    try:
        for stmt in stmts:
            con.execute(stmt)
        con.commit()
    finally:
        con.close()


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The busy book, written once for the module; each case works on its own copy."""
    return busy_book.module_book(tmp_path_factory)


def _copy(busy: dict, tmp_path: Path) -> Path:
    return busy_book.copy_book(busy["path"], tmp_path / "copy.sqlite3")


def _verify(path: Path) -> str:
    from repairdesk.config import load_config
    from repairdesk.services.integrity import verify_book

    desk = open_desk(str(path), config=load_config(None), guard=False)
    try:
        return verify_book(desk).problem or ""
    finally:
        desk.close()


def _last_events(n: int) -> str:
    return f"DELETE FROM ticket_event WHERE id > (SELECT max(id) - {n} FROM ticket_event)"


def _swap_role(con) -> None:
    """A signature's role changed and its own hash recomputed with the code."""
    from repairdesk.services.signing import signature_hash

    sid, subject, meaning, name, at, signed = con.execute(
        "SELECT id, subject, meaning, name, at, content_hash FROM signature "
        "WHERE meaning = 'handover_in'").fetchone()
    h = signature_hash(subject, meaning, name, "supervisor", busy_book._when(at), signed)
    con.execute("UPDATE signature SET role = 'supervisor', hash = ? WHERE id = ?", (h, sid))


def _edit_rechain(con) -> None:
    con.execute("UPDATE ticket_event SET note = '一切正常' WHERE id = 5")
    rechain_events(con)


RECORD_CASES = {
    # the ticket row is a projection: its fold tells
    "close an urgent ticket in place": (
        sql("UPDATE ticket SET status = 'closed' WHERE ticket_no = 'BX-20261122-0004'"),
        "ticket BX-20261122-0004: status reads 'closed', its history gives 'registered'"),
    "take the technician off": (
        sql("UPDATE ticket SET technician = '' WHERE ticket_no = 'BX-20261122-0002'"),
        "ticket BX-20261122-0002: technician reads ''"),
    "move a ticket to another room": (
        sql("UPDATE ticket SET room = '9-9-999' WHERE ticket_no = 'BX-20261122-0001'"),
        "ticket BX-20261122-0001: room reads '9-9-999'"),
    "put the registering clerk's name on someone else": (
        sql("UPDATE ticket SET registered_by = '陈晓雯' WHERE ticket_no = 'BX-20261122-0001'"),
        "ticket BX-20261122-0001: registered_by reads '陈晓雯'"),
    # ticket events: the book-wide chain, its counter, the heads the handover stored
    "edit a ticket event": (
        sql("UPDATE ticket_event SET note = '一切正常' WHERE id = 5"),
        "ticket event 5 (BX-20261122-0001 step 2): its content, or the event before it, was "
        "changed"),
    "edit a ticket event and recompute its seal": (
        lambda con: (con.execute("UPDATE ticket_event SET note = 'x' WHERE id = 5"),
                     busy_book.attack_one_event(con, 5)),
        "ticket event 6 (BX-20261122-0001 step 3): its content, or the event before it, was "
        "changed"),
    "edit a ticket event and recompute the whole chain": (
        _edit_rechain, "duty-log entry 7 recorded ticket events up to number 22; that history "
                       "was rewritten"),
    "move an event to another ticket": (
        sql("UPDATE ticket_event SET ticket_id = 4, seq = 2 WHERE id = 21"),
        "ticket event 21 (BX-20261122-0004 step 2): its content, or the event before it, was "
        "changed"),
    "delete the last ticket events": (
        sql(_last_events(2)), "the last 2 ticket events are missing: 22 were written, the book "
                              "holds 20"),
    "delete the last events, wind the counter back": (
        sql(_last_events(1), "UPDATE counter SET last = 21 WHERE name = '#ticket_event'"),
        "print job 3 (BX-20261122-0002): printed, but the ticket's history does not say so"),
    "delete the last events and cover every trace but the handover's heads": (
        lambda con: (con.execute(_last_events(1)), con.execute(
            "UPDATE counter SET last = 21 WHERE name = '#ticket_event'"), con.execute(
            "UPDATE ticket SET last_event_at = (SELECT max(at) FROM ticket_event "
            "WHERE ticket_id = 2) WHERE id = 2")),
        "duty-log entry 7 recorded 22 ticket events; the book holds 21"),
    "insert a forged event": (
        sql("INSERT INTO ticket_event (ticket_id, seq, at, recorded_at, action, by, note, data, "
            "seal) SELECT 4, 2, at, recorded_at, 'close', '李静', '', '{}', seal "
            "FROM ticket_event WHERE id = 22"),
        "ticket event 23 (BX-20261122-0004 step 2): its content, or the event before it, was "
        "changed"),
    "point the event chain's head elsewhere": (
        sql("UPDATE counter SET head = (SELECT hex(randomblob(32))) "
            "WHERE name = '#ticket_event'"),
        "the ticket events' chain ends at another hash than the book's counter holds"),
    "give an event another's seal": (
        sql("UPDATE ticket_event SET seal = (SELECT seal FROM ticket_event WHERE id = 1) "
            "WHERE id = 2"),
        "ticket event 2 (BX-20261122-0002 step 1): its content, or the event before it, was "
        "changed"),
    "delete the last ticket and its history": (
        sql("DELETE FROM ticket_event WHERE ticket_id = 4", "DELETE FROM ticket WHERE id = 4"),
        "ticket BX-20261122-0004 is missing: the counter issued it"),
    "delete a ticket row, keep its events": (
        sql("DELETE FROM ticket WHERE id = 3"),
        "ticket event 3 (? step 1): its ticket is missing"),
    "renumber a ticket": (
        sql("UPDATE ticket SET ticket_no = 'BX-20261122-0009' WHERE id = 4"),
        "ticket event 4 (BX-20261122-0009 step 1): its content, or the event before it, was "
        "changed"),
    "wind a numbering counter back": (
        sql("UPDATE counter SET last = 3 WHERE name = 'BX-20261122-#'"),
        "ticket BX-20261122-0004 is numbered beyond its counter (3)"),
    # print jobs: chain, counter, history, the ticket's printed note
    "delete the printed job": (
        sql("DELETE FROM print_job WHERE id = 3"),
        "print job 4 (BX-20261122-0002): does not follow the job before it"),
    "delete the last print job": (
        sql("DELETE FROM print_job WHERE id = 4"),
        "the last 1 print jobs are missing"),
    "say a printed job never printed": (
        sql("UPDATE print_job SET state = 'queued' WHERE id = 3"),
        "print job 3 (BX-20261122-0002): its state reads queued, its history ends done"),
    "change who asked for a print": (
        sql("UPDATE print_job SET requested_by = '陈晓雯' WHERE id = 3"),
        "print job 3 (BX-20261122-0002): its content was changed"),
    # the roster against its log
    "make a clerk a supervisor": (
        sql("UPDATE staff SET role = 'supervisor' WHERE name = '孙小梅'"),
        "staff 孙小梅: role reads supervisor, the roster log gives duty clerk"),
    "activate a deactivated leader": (
        sql("UPDATE staff SET active = 1 WHERE name = '周班长'"),
        "staff 周班长: active reads True, the roster log gives False"),
    "plant a new supervisor": (
        sql("INSERT INTO staff (name, role, phone, active, created_at, skills) "
            "VALUES ('影子', 'supervisor', '', 1, '2026-11-23 00:00:00.000000', '')"),
        "staff 影子 is on the roster without an entry in the roster log"),
    "give a clerk a PIN the attacker knows": (
        sql("UPDATE staff SET pin_hash = (SELECT pin_hash FROM staff WHERE name = '李静') "
            "WHERE name = '孙小梅'"),
        "staff 孙小梅: the PIN was changed outside the app"),
    "delete someone from the roster": (
        sql("DELETE FROM staff WHERE name = '孙小梅'"),
        "staff 孙小梅 is missing: the roster log added them"),
    # signatures, handovers, sign-offs, shift turns, PIN attempts, the duty log's tail
    "sign as a supervisor, hash recomputed": (
        _swap_role, "signature 3 (陈晓雯, taking over): signed as supervisor, the signer was a "
                    "duty clerk then"),
    "copy the outgoing signature over the incoming": (
        sql("UPDATE signature SET meaning = 'handover_out', name = '李静', hash = "
            "(SELECT hash FROM signature WHERE id = 2) WHERE id = 3"),
        "handover 1: the signatures do not match the record"),
    "change a handover's incoming clerk": (
        sql("UPDATE handover SET incoming = '孙小梅'"),
        "handover 1: handed over by 李静 to 孙小梅, but signed by 李静 and 陈晓雯"),
    "delete a whole handover with its signatures and turn": (
        sql("DELETE FROM signature WHERE subject = 'handover:1'", "DELETE FROM handover",
            "DELETE FROM shift_turn WHERE via = 'handover'"),
        "handover 1 is missing: duty-log entry 7 records it"),
    "change a sign-off's comment": (
        sql("UPDATE signoff SET comment = '有问题'"),
        "sign-off 1: its supervisor, comment or day differ from what was signed"),
    "delete a sign-off with its signature": (
        sql("DELETE FROM signature WHERE subject = 'signoff:1'", "DELETE FROM signoff"),
        "sign-off 1 is missing: duty-log entry 9 records it"),
    "plant a shift turn": (
        sql("INSERT INTO shift_turn (site, at, holder, via, window_from) VALUES "
            "('XF', '2026-11-23 09:00:00.000000', '孙小梅', 'sign_on', "
            "'2026-11-23 09:00:00.000000')"),
        "shift turn 3 (孙小梅): the sign-on signature is missing"),
    "delete wrong PINs to lift a lockout": (
        sql("DELETE FROM pin_attempt WHERE ok = 0"),
        "the wrong PIN of 陈晓雯 that duty-log entry 6 records is missing from the PIN attempts"),
    "delete an SLA breach notice": (
        sql("DELETE FROM sla_notice WHERE id = (SELECT max(id) FROM sla_notice)"),
        "the SLA notice that duty-log entry"),
    "delete the last duty-log entries": (
        sql("DELETE FROM duty_log WHERE seq > 9"),
        "duty-log entries are missing: "),
    "delete the log's counter": (
        sql("DELETE FROM counter WHERE name = '#duty_log'"),
        "duty-log entries but only 0 were written by the app"),
}


@pytest.mark.parametrize("case", sorted(RECORD_CASES))
def test_verify_names_the_changed_record(busy: dict, tmp_path: Path, case: str,
                                         english) -> None:
    change, named = RECORD_CASES[case]
    path = _copy(busy, tmp_path)
    attack(path, change)
    assert svc.verify_file(path).schema is None  # the triggers are back: only records tell
    problem = _verify(path)
    assert named in problem, problem


def test_a_busy_book_verifies(busy: dict, tmp_path: Path) -> None:
    assert busy["notices"] > 0
    path = _copy(busy, tmp_path)
    assert _verify(path) == ""
    assert svc.verify_file(path).ok


def test_rewriting_every_chain_is_caught_by_the_anchor(busy: dict, tmp_path: Path,
                                                       english) -> None:
    """Everything rewritten with the code: an event edited, the event chain and the heads the
    handover and sign-off entries stored recomputed, the sign-off re-signed, the duty log
    re-chained. Plain verify passes; the anchor printed on the handover does not."""
    import json

    from repairdesk.services import anchors
    from repairdesk.services.signing import content_hash, signature_hash
    from repairdesk.store.db import open_store

    path = _copy(busy, tmp_path)

    def rewrite(con) -> None:
        _edit_rechain(con)
        head = list(con.execute("SELECT head FROM counter WHERE name = '#ticket_event'"))[0][0]
        for seq, data in con.execute("SELECT seq, data FROM duty_log WHERE data LIKE '%heads%'"
                                     ).fetchall():
            d = json.loads(data)
            d["heads"]["ticket_event"][1] = head
            con.execute("UPDATE duty_log SET data = ? WHERE seq = ?",
                        (json.dumps(d, ensure_ascii=False, sort_keys=True), seq))
        rechain_log(con)
        # the sign-off signed the log as it stood: re-sign it with the new head
        (day_end_head,) = con.execute("SELECT hash FROM duty_log WHERE seq = 8").fetchone()
        sid, content = con.execute("SELECT id, content FROM signoff").fetchone()
        c = json.loads(content)
        c["log_head"] = day_end_head
        digest = content_hash(c)
        con.execute("UPDATE signoff SET content = ?, content_hash = ? WHERE id = ?",
                    (json.dumps(c, ensure_ascii=False, sort_keys=True), digest, sid))
        s = con.execute("SELECT id, subject, meaning, name, role, at FROM signature "
                        "WHERE subject = ?", (f"signoff:{sid}",)).fetchone()
        con.execute("UPDATE signature SET content_hash = ?, hash = ? WHERE id = ?",
                    (digest, signature_hash(s[1], s[2], s[3], s[4], busy_book._when(s[5]),
                                            digest), s[0]))
        (seq, data) = con.execute("SELECT seq, data FROM duty_log WHERE kind = 'signoff'"
                                  ).fetchone()
        d = json.loads(data)
        d["content_hash"] = digest
        con.execute("UPDATE duty_log SET data = ? WHERE seq = ?",
                    (json.dumps(d, ensure_ascii=False, sort_keys=True), seq))
        rechain_log(con)

    attack(path, rewrite)
    assert _verify(path) == ""  # consistent again: the unkeyed chains cannot tell
    store = open_store(str(path))
    try:
        with store.read() as session:
            failed = anchors.check_anchors(session, [anchors.parse_anchor(busy["handed"])])
    finally:
        store.dispose()
    assert failed is not None and busy["handed"] in str(failed)


@pytest.mark.parametrize("stmt", [
    "UPDATE ticket SET ticket_no = 'X' WHERE id = 1", "DELETE FROM ticket WHERE id = 4",
    "UPDATE print_job SET requested_by = 'X'", "DELETE FROM print_job WHERE id = 4",
    "UPDATE staff SET name = 'X' WHERE name = '李静'", "DELETE FROM staff WHERE name = '李静'",
    "UPDATE counter SET last = last - 1", "DELETE FROM counter", "DELETE FROM meta",
    "UPDATE ticket_event SET seal = 1",
])
def test_the_new_triggers_refuse_in_place(busy: dict, tmp_path: Path, stmt: str) -> None:
    """Without dropping them first: the guarded tables refuse the change."""
    path = _copy(busy, tmp_path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        _tamper(path, stmt)


def test_a_projection_may_still_move(busy: dict, tmp_path: Path) -> None:
    """What the app updates stays updatable: a ticket's status, a job's state, a counter up."""
    path = _copy(busy, tmp_path)
    _tamper(path, "UPDATE ticket SET status = 'closed' WHERE id = 4",
            "UPDATE print_job SET state = 'queued' WHERE id = 4",
            "UPDATE counter SET last = last + 1 WHERE name = 'BX-20261122-#'",
            "UPDATE staff SET role = 'manager' WHERE name = '孙小梅'")
    assert _verify(path)  # … and verify names it


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_postgresql_book_names_a_dropped_or_planted_trigger(any_desk, english) -> None:
    """PostgreSQL books carry the same refusals; verify compares their triggers too."""
    from sqlalchemy import text

    from repairdesk.services.integrity import verify_book

    assert verify_book(any_desk).problem is None
    with any_desk.store.write() as session:
        session.connection().execute(text("DROP TRIGGER ticket_fixed_columns ON ticket"))
    assert "the trigger ticket_fixed_columns is missing" in (verify_book(any_desk).problem or "")
    with any_desk.store.write() as session:
        conn = session.connection()
        conn.execute(text("CREATE TRIGGER ticket_fixed_columns BEFORE UPDATE ON ticket FOR EACH "
                          "ROW EXECUTE FUNCTION repairdesk_append_only()"))
        conn.execute(text("CREATE TRIGGER sneaky AFTER INSERT ON pin_attempt FOR EACH ROW "
                          "EXECUTE FUNCTION repairdesk_append_only()"))
    assert "an unexpected trigger sneaky" in (verify_book(any_desk).problem or "")
