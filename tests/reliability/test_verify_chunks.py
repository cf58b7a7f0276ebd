"""`verify` reads the book a chunk at a time (services/integrity.py CHUNK; issue 18, book size):
its memory is bounded by the chunk, not by the book. With a chunk of 2 the busy book's 22
events and 4 tickets take many reads, and every tampering case is named exactly as with one
read: a changed event in the second chunk, a chain cut at a chunk's edge, the heads the duty
log stored (kept by position only, integrity_heads.Held)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reliability import busy_book
from reliability.busy_book import attack, sql
from reliability.test_tamper_records import RECORD_CASES
from repairdesk.services import dutylog, integrity
from repairdesk.services.desk import open_desk


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return busy_book.module_book(tmp_path_factory)


def _problems(path: Path) -> tuple[str, ...]:
    from repairdesk.config import load_config

    desk = open_desk(str(path), config=load_config(None), guard=False)
    try:
        return integrity.verify_book(desk).problems
    finally:
        desk.close()


@pytest.fixture
def sizes(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[int]]:
    """A chunk of 2, and the size of every chunk each walk read."""
    monkeypatch.setattr(integrity, "CHUNK", 2)
    monkeypatch.setattr(dutylog, "CHUNK", 2)
    seen: dict[str, list[int]] = {}
    for module, name in ((integrity, "_event_chunks"), (integrity, "_ticket_chunks"),
                         (integrity, "_job_chunks"), (dutylog, "entries_in_chunks")):
        def counted(source: Any, _walk: Any = getattr(module, name), _name: str = name) -> Any:
            for chunk in _walk(source):
                seen.setdefault(_name, []).append(len(chunk))
                yield chunk
        monkeypatch.setattr(module, name, counted)
    return seen


def busy_book_entries(path: Path) -> int:
    import sqlite3

    con = sqlite3.connect(path)
    try:
        return int(con.execute("SELECT count(*) FROM duty_log").fetchone()[0])
    finally:
        con.close()


def test_the_busy_book_verifies_two_rows_at_a_time(busy: dict, tmp_path: Path,
                                                   sizes: dict[str, list[int]]) -> None:
    path = busy_book.copy_book(busy["path"], tmp_path / "copy.sqlite3")
    assert _problems(path) == ()
    # 22 events, 4 tickets, 4 print jobs: every one read, never more than 2 at once
    assert {k: v for k, v in sizes.items() if k != "entries_in_chunks"} == {
        "_event_chunks": [2] * 11, "_ticket_chunks": [2, 2], "_job_chunks": [2, 2]}
    # the duty log, three times (the heads, the checks, the chain), 2 entries at a time
    log = sizes["entries_in_chunks"]
    assert max(log) == 2 and sum(log) == 3 * busy_book_entries(path)


@pytest.mark.parametrize("case", sorted(RECORD_CASES))
def test_every_tampering_is_named_as_with_one_read(busy: dict, tmp_path: Path, case: str,
                                                   english, monkeypatch) -> None:
    change, named = RECORD_CASES[case]
    path = busy_book.copy_book(busy["path"], tmp_path / "copy.sqlite3")
    attack(path, change)
    whole = _problems(path)  # the chunk (2,000) holds the whole busy book
    monkeypatch.setattr(integrity, "CHUNK", 2)
    monkeypatch.setattr(dutylog, "CHUNK", 2)
    chunked = _problems(path)
    assert chunked == whole
    assert named in "; ".join(chunked)


@pytest.mark.parametrize("change, named", [
    # event 3 opens the second chunk of events, ticket 3 the second chunk of tickets
    (sql("UPDATE ticket_event SET note = '改过' WHERE id = 3"),
     "ticket event 3 (BX-20261122-0003 step 1): its content, or the event before it, was "
     "changed"),
    # the chain cut where the first chunk ends: event 4 follows event 2
    (sql("DELETE FROM ticket_event WHERE id = 3"),
     "ticket event 4 (BX-20261122-0004 step 1): does not follow the event before it (one was "
     "removed, inserted or changed)"),
    # a step of ticket 3 moved onto ticket 4 in the second chunk: found by the step's gap
    (sql("UPDATE ticket_event SET ticket_id = 4, seq = 3 WHERE id = 21"),
     "ticket event 21 (BX-20261122-0004 step 3): does not follow the event before it (one was "
     "removed, inserted or changed)"),
    (sql("UPDATE ticket SET status = 'closed' WHERE id = 4"),
     "ticket BX-20261122-0004: status reads 'closed', its history gives 'registered'"),
])
def test_a_change_in_a_later_chunk_is_named(busy: dict, tmp_path: Path, sizes, english,
                                            change, named: str) -> None:
    path = busy_book.copy_book(busy["path"], tmp_path / "copy.sqlite3")
    attack(path, change)
    assert named in _problems(path)


def test_held_keeps_only_the_anchored_positions() -> None:
    from repairdesk.services.integrity_heads import Held

    held = Held([2, 5, -1])
    hashes = [f"h{i}" for i in range(1, 8)]
    for h in hashes:
        held.add(h)
    assert len(held) == 7
    assert (held[1], held[4], held[-2], held[6]) == (hashes[1], hashes[4], hashes[-2], "h7")
    with pytest.raises(IndexError):
        held[7]
    with pytest.raises(KeyError):  # never asked for: not kept
        held[2]


def test_numbers_keep_a_byte_a_number_and_find_the_same_hole(english) -> None:
    """A counter wound far ahead is not a list of that size: the first hole is below the
    book's ticket count."""
    from repairdesk.config import load_config
    from repairdesk.services.integrity_numbers import Numbering

    fmt = load_config(None).numbering
    nos = ["BX-20261122-0001", "BX-20261122-0002", "BX-20261122-0004"]
    numbering = Numbering(fmt, {"BX-20261122-#": 10 ** 12}, len(nos))
    for no in nos:
        numbering.add(no)
    assert max(len(c.seen) for c in numbering.issued.values()) == len(nos) + 2
    assert numbering.problem() == "ticket BX-20261122-0003 is missing: the counter issued it"
    numbering = Numbering(fmt, {"BX-20261122-#": 3}, len(nos))
    for no in nos:
        numbering.add(no)
    assert numbering.problem() == "ticket BX-20261122-0004 is numbered beyond its counter (3)"


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
def test_a_book_on_either_database_verifies_in_chunks(any_desk, clock, english,
                                                      sizes) -> None:
    from sqlalchemy import text

    from repairdesk.services import tickets as T

    form = dict(caller="王先生", content="厨房水管漏水", category="水")
    nos = [T.register_ticket(any_desk, T.IntakeForm(room=f"3-2-150{i}", **form),
                             "李静").ticket_no for i in range(1, 6)]
    for no in nos[:3]:
        clock.advance(minutes=5)
        T.dispatch_ticket(any_desk, no, "张建国", "李静")
    assert integrity.verify_book(any_desk).problem is None
    assert sizes["_event_chunks"] == [2, 2, 2, 2]
    with any_desk.store.write() as session:  # the event's note changed past its triggers
        conn = session.connection()
        if conn.dialect.name == "sqlite":
            triggers = conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = "
                                            "'trigger' AND tbl_name = 'ticket_event'").all()
            for name, _sql in triggers:
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
            conn.execute(text("UPDATE ticket_event SET note = 'x' WHERE id = 7"))
            for _name, sql_text in triggers:
                conn.exec_driver_sql(sql_text)
        else:
            conn.exec_driver_sql("ALTER TABLE ticket_event DISABLE TRIGGER USER")
            conn.execute(text("UPDATE ticket_event SET note = 'x' WHERE id = 7"))
            conn.exec_driver_sql("ALTER TABLE ticket_event ENABLE TRIGGER USER")
    assert f"ticket event 7 ({nos[1]} step 2): its content, or the event before it, was " \
           "changed" in (integrity.verify_book(any_desk).problem or "")
