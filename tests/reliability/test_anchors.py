"""Anchors kept outside the file (issue 15 item 3). The attacker has the book and the code: they
drop the duty log's triggers, edit or delete entries, recompute the whole chain with
`entry_hash` and put the triggers back, so plain `verify` passes. The anchor written on an
earlier handover or sign-off still names what changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from repairdesk.domain.handover import ReadBack, lines
from repairdesk.errors import ValidationError
from repairdesk.services import anchors, dutylog, handover, signing, signoff
from repairdesk.services.dutylog import GENESIS, entry_hash
from repairdesk.store.db import open_store
from repairdesk.store.tables import DutyLogEntry

pytestmark = pytest.mark.usefixtures("fast_pins", "english")


def _hand_over(desk, out: str, out_pin: str, inc: str, in_pin: str) -> str:
    c = handover.build_checklist(desk)
    rec = handover.complete_handover(desk, c, {ln.key: ReadBack(ln.key, True) for ln in lines(c)},
                                     out, out_pin, inc, in_pin)
    data = handover.handover_json(desk, rec)
    # the anchor is on the record as printed and shown (text and PDF go through handover_text)
    assert data["anchor"] and data["anchor"] in handover.handover_text(desk, data)
    return data["anchor"]


@pytest.fixture
def book(staffed, clock, db_path: Path):
    """A day of duty: entries, a handover, the next morning's sign-off, a second handover, and
    entries after it. Returns the anchors as people wrote them down."""
    for name, pin in (("李静", "11111111"), ("陈晓雯", "22222222"), ("吴主管", "99999999")):
        signing.set_pin_unchecked(staffed, name, pin)
    dutylog.add_entry(staffed, "3号楼电梯巡查正常", "李静")
    before_edit = anchors.current_anchor(staffed)
    dutylog.add_entry(staffed, "前台钥匙少一把", "李静")
    clock.advance(hours=7)
    first = _hand_over(staffed, "李静", "11111111", "陈晓雯", "22222222")
    clock.advance(hours=17)
    dutylog.add_entry(staffed, "夜班无事", "陈晓雯")
    signoff.sign_off(staffed, "吴主管", "99999999", comment="已阅")
    signed = signoff.review(staffed).anchor
    clock.advance(hours=1)
    second = _hand_over(staffed, "陈晓雯", "22222222", "李静", "11111111")
    dutylog.add_entry(staffed, "对讲机充电", "李静")
    dutylog.add_entry(staffed, "交班后巡查", "李静")
    assert signed and len({before_edit, first, signed, second}) == 4
    return {"path": db_path, "before_edit": before_edit, "first": first, "signed": signed,
            "second": second}


def _without_triggers(path: Path, change) -> None:
    """The attacker: drop the duty log's triggers, change the rows, put the triggers back."""
    store = open_store(str(path))
    try:
        with store.write() as session:
            saved = session.exec(text(  # type: ignore[call-overload]
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'duty_log'")).all()
            assert saved
            for name, _sql in saved:
                session.exec(text(f"DROP TRIGGER {name}"))  # type: ignore[call-overload]
            change(session)
            session.flush()
            for _name, sql in saved:
                session.exec(text(sql))  # type: ignore[call-overload]
    finally:
        store.dispose()


def _rechain(session) -> None:
    prev = GENESIS
    for e in session.exec(select(DutyLogEntry).order_by(col(DutyLogEntry.seq))):
        e.prev_hash, e.hash = prev, entry_hash(e, prev)
        session.add(e)
        prev = e.hash


def _edit_and_rechain(path: Path) -> None:
    def change(session) -> None:
        e = session.exec(select(DutyLogEntry).where(DutyLogEntry.text == "前台钥匙少一把")).one()
        e.text = "钥匙齐全"
        session.add(e)
        session.flush()
        _rechain(session)

    _without_triggers(path, change)


def _drop_tail(path: Path, n: int) -> None:
    def change(session) -> None:
        rows = session.exec(select(DutyLogEntry).order_by(col(DutyLogEntry.seq).desc())
                            .limit(n)).all()
        for e in rows:
            session.delete(e)

    _without_triggers(path, change)


def _one_line(r) -> str:
    assert r.code == 1, (r.stdout, r.stderr)
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    return r.stderr.strip()


# --- what plain verify cannot see, the anchor does --------------------------------------------

def test_rechained_edit_passes_verify_but_fails_the_handover_anchor(book, cli) -> None:
    _edit_and_rechain(book["path"])
    r = cli("verify", lang="en")
    # the chain itself is consistent again; only the sign-off's stored log head tells (an
    # attacker who also re-signs the sign-off passes plain verify: the anchor does not)
    assert r.code == 1 and "sign-off 1: the duty-log head it signed" in r.stderr
    assert "duty-log entry" not in r.stderr.replace("duty-log head", "")
    line = _one_line(cli("verify", "--anchor", book["before_edit"], "--anchor", book["first"],
                         lang="en"))
    assert book["first"] in line and "another hash" in line
    assert book["before_edit"] not in line  # the first anchor that fails, not the first given


def test_anchors_file_names_the_first_failing_anchor(book, cli, tmp_path: Path) -> None:
    _edit_and_rechain(book["path"])
    f = tmp_path / "anchors.txt"
    f.write_text(f"# written on the printed handovers\n\n{book['before_edit']}  # 22 Nov\n"
                 f"{book['signed'].lower()}\n{book['second']}\n", encoding="utf-8")
    line = _one_line(cli("verify", "--anchors", str(f), lang="en"))
    assert book["signed"] in line


def test_dropped_tail_fails_the_later_handovers_anchor(book, cli) -> None:
    _drop_tail(book["path"], 3)  # the second handover's entry and the two after it
    # plain verify sees it too: the log's counter, and the handover left without its entry
    line = _one_line(cli("verify", lang="en"))
    assert "the last 3 duty-log entries are missing" in line and "handover 2" in line
    line = _one_line(cli("verify", "--anchor", book["first"], "--anchor", book["signed"],
                         lang="en"))
    assert "anchor" not in line  # those two still hold
    line = _one_line(cli("verify", "--anchor", book["first"], "--anchor", book["second"],
                         lang="en"))
    assert book["second"] in line and "missing" in line


def test_edit_without_rechaining_names_where_the_chain_breaks(book) -> None:
    store = open_store(str(book["path"]))
    try:
        def change(session) -> None:
            session.exec(text(  # type: ignore[call-overload]
                "UPDATE duty_log SET text = '钥匙齐全' WHERE text = '前台钥匙少一把'"))

        _without_triggers(book["path"], change)
        with store.read() as session:
            seq = session.exec(select(DutyLogEntry.seq)
                               .where(DutyLogEntry.text == "钥匙齐全")).one()
            failed = anchors.check_anchors(session, [anchors.parse_anchor(book["first"])])
    finally:
        store.dispose()
    assert failed is not None and f"does not hold at entry {seq}" in str(failed)


# --- the honest book, and what a person types ------------------------------------------------

def test_correct_anchors_pass_however_written(book, cli) -> None:
    messy = " " + book["second"].lower().replace("-", " - ", 2) + " "
    r = cli("verify", "--anchor", book["first"], "--anchor", book["signed"], "--anchor", messy,
            lang="en")
    assert r.code == 0, r.stderr
    assert "3 anchors match" in r.stdout


def test_anchor_shown_by_handover_show_and_signoff_show(book, cli) -> None:
    assert book["second"] in cli("handover", "show", "--last", lang="en").stdout
    assert book["first"] in cli("handover", "show", "--id", "1", lang="en").stdout
    assert book["signed"] in cli("signoff", "show", "--day", "2026-11-22", lang="en").stdout


@pytest.mark.parametrize("bad", ["A-12-3F9C", "hello", "A-000001-3F9C-2B1D-77AE-0C4G",
                                 "A-000001-3F9C2B1D77AE0C45FF"])
def test_bad_anchor_syntax_is_one_clear_line(book, cli, bad: str) -> None:
    line = _one_line(cli("verify", "--anchor", bad, lang="en"))
    assert "is not an anchor" in line and "A-000123-3F9C-2B1D-77AE-0C45" in line


def test_bad_line_in_anchors_file_is_one_clear_line(book, cli, tmp_path: Path) -> None:
    f = tmp_path / "anchors.txt"
    f.write_text(f"{book['first']}\nA-1-XYZ\n", encoding="utf-8")
    assert "is not an anchor" in _one_line(cli("verify", "--anchors", str(f), lang="en"))
    assert "anchors file" in _one_line(cli("verify", "--anchors", str(tmp_path / "none"),
                                           lang="en"))


def test_anchor_round_trip_and_current_anchor(staffed) -> None:
    assert anchors.current_anchor(staffed) is None or anchors.current_anchor(staffed)
    a = anchors.format_anchor(123, "3f9c2b1d77ae0c45" + "0" * 48)
    assert a == "A-000123-3F9C-2B1D-77AE-0C45"
    assert anchors.parse_anchor("a0001233f9c2b1d77ae0c45") == anchors.Anchor(123, "3f9c2b1d77ae0c45")
    with pytest.raises(ValidationError):
        anchors.parse_anchor("")
    dutylog.add_entry(staffed, "巡查", "李静")
    head = anchors.current_anchor(staffed)
    last = dutylog.list_entries(staffed)[-1]
    assert head == anchors.anchor_of(staffed, last.seq) and anchors.anchor_of(staffed, 10**6) is None


def test_cli_handover_sign_prints_the_anchor_that_verifies(cli) -> None:
    from holding import hold_book

    assert cli("staff", "add", "李静", "--role", "clerk", "--pin-stdin",
               input="11111111\n").code == 0
    assert cli("staff", "add", "陈晓雯", "--role", "clerk", "--pin-stdin",
               input="22222222\n").code == 0
    hold_book(cli.db_path)
    r = cli("handover", "sign", "--from", "李静", "--to", "陈晓雯", "--confirm-all",
            "--pin-stdin", input="11111111\n22222222\n", lang="en")
    assert r.code == 0, r.stderr
    printed = r.stdout.strip().splitlines()[-1].rsplit(" ", 1)[-1]
    assert printed.startswith("A-") and printed in cli("handover", "show", lang="en").stdout
    assert cli("verify", "--anchor", printed, lang="en").code == 0
