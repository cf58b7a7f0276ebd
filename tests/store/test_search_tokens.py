"""The search index's tokens (issue 18, book size): a phone is one short opaque token of its
last four digits and a full number is checked on the ticket's own row; a book whose index
still has the older phone tokens keeps finding what it found until its rebuild; 1-, 2- and
4-character words find exactly what a LIKE over the ticket's text finds."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from repairdesk.config import load_config
from repairdesk.services.desk import open_desk
from repairdesk.services.tickets import IntakeForm, amend_ticket, register_ticket, search_tickets
from repairdesk.store import search



def _register(desk, content: str = "厨房水龙头关不住", phone: str = "13812345678",
              room: str = "3-2-1501", caller: str = "王先生") -> str:
    from holding import hold_desk

    hold_desk(desk)
    scope = "home" if "-" in room else "public"
    form = IntakeForm(room=room, caller=caller, phone=phone, content=content, category="水",
                      scope=scope)
    return register_ticket(desk, form, "李静").ticket_no


def _found(desk, query: str) -> set[str]:
    records, total = search_tickets(desk, query)
    assert total == len(records)
    return {r.ticket_no for r in records}


def _terms(db: Path) -> list[str]:
    con = sqlite3.connect(db)
    try:
        con.execute(f"CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, {search.TABLE}, 'row')")
        return [t for (t,) in con.execute("SELECT term FROM temp.v")]
    finally:
        con.close()


def test_a_tail_token_is_short_opaque_and_one_of_ten_thousand() -> None:
    tokens = {search.tail_token(f"{i:04d}") for i in range(10000)}
    assert len(tokens) == 10000  # no two tails share a token: 4 digits find exactly theirs
    for token in tokens:
        assert len(token) == 1 + search.TAIL_WIDTH and token[0] == search.TAIL_MARK
        assert token[1:].isascii() and token[1:].isalnum() and token[1:].lower() == token[1:]
    # no query of the clerk's makes a token that reaches it, by word or by prefix
    for query in ("ß", "ph", search.tail_token("5678"), search.tail_token("5678")[1:4]):
        parsed = search.query_tokens(query)
        assert parsed is None or not any(t.startswith(search.TAIL_MARK) for t in parsed[0])
    assert search.phone_tokens("13812345678") == [search.tail_token("5678")]
    assert search.phone_tokens("13812345678-12") == [search.tail_token("5678")]
    assert search.phone_tokens("") == []


def test_the_index_holds_one_short_token_per_phone(desk, db_path: Path) -> None:
    no = _register(desk)
    other = _register(desk, phone="13900005678", room="5-1-202")
    ext = _register(desk, phone="075522345678转12", room="6-1-101")
    terms = _terms(db_path)
    phones = sorted(t for t in terms if t.startswith(search.TAIL_MARK))
    assert phones == [search.tail_token("5678")]  # three tickets, one token between them
    assert not [t for t in terms if t.startswith("ph") or "12345678" in t]
    # the full number: the tickets ending in 5678 whose own phone is that number
    assert _found(desk, "13812345678") == {no}
    assert _found(desk, "139 0000 5678") == {other}
    assert _found(desk, "0755-22345678") == {ext}  # the number before its extension
    assert _found(desk, "13812340000") == set()
    assert _found(desk, "5678") == {no, other, ext}
    for query in ("ph", "ß", "1381234", "0755", "12345678", "381234"):
        assert _found(desk, query) == set(), query
    # the words of a full number's ticket are found with it: a union, each hit once
    assert _found(desk, "1501") == {no}


def _as_format_3(db_path: Path) -> None:
    """The book's index as format 3 wrote it: two hashes per phone, the mark '3'."""
    con = sqlite3.connect(db_path)
    try:
        con.execute(f"INSERT INTO {search.TABLE}({search.TABLE}) VALUES ('delete-all')")
        rows = con.execute("SELECT id, ticket_no, room, caller, phone, content FROM ticket")
        con.executemany(f"INSERT INTO {search.TABLE}(rowid, body) VALUES (?, ?)",
                        [(tid, search.doc_body(no, room, caller, phone or "", content,
                                               legacy=True))
                         for tid, no, room, caller, phone, content in rows.fetchall()])
        con.execute("UPDATE meta SET value = '3' WHERE key = 'search_format'")
        con.commit()
    finally:
        con.close()


def test_an_older_index_finds_and_amends_until_its_rebuild(db_path: Path, clock) -> None:
    desk = open_desk(str(db_path), clock=clock, config=load_config(None))
    no = _register(desk)
    desk.close()
    _as_format_3(db_path)
    assert any(t.startswith("ph") for t in _terms(db_path))
    desk = open_desk(str(db_path), clock=clock, config=load_config(None))
    try:  # the same schema: no rebuild yet, the index searched and kept as format 3
        other = _register(desk, phone="13900005678", room="5-1-202")
        assert _found(desk, "13812345678") == {no}
        assert _found(desk, "5678") == {no, other}
        amend_ticket(desk, other, {"phone": "13700001111"}, "李静", note="来电更正")
        assert _found(desk, "5678") == {no} and _found(desk, "13700001111") == {other}
        assert _found(desk, "13900005678") == set()
    finally:
        desk.close()
    con = sqlite3.connect(db_path)
    try:  # the amendment took out the very tokens that went in
        con.execute(f"INSERT INTO {search.TABLE}({search.TABLE}, rank) "
                    "VALUES ('integrity-check', 0)")
        # the next upgrade's schema step rebuilds it in the current format
        search.install(con, "sqlite")
        con.commit()
        assert con.execute("SELECT value FROM meta WHERE key = 'search_format'").fetchone() == (
            search.FORMAT,)
    finally:
        con.close()
    assert not any(t.startswith("ph") for t in _terms(db_path))
    desk = open_desk(str(db_path), clock=clock, config=load_config(None))
    try:
        assert _found(desk, "13812345678") == {no} and _found(desk, "1111") == {other}
        assert _found(desk, "5678") == {no}
    finally:
        desk.close()


def test_short_words_find_what_like_finds(desk, monkeypatch) -> None:
    # the bench's phrase lists live beside the package, in the checkout (not installed)
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2]))
    from bench.phrases import DETAIL, FAULTS, PLACES, WHERE

    rng = random.Random(18)
    contents = []
    for i in range(60):
        content = rng.choice(WHERE) + rng.choice(FAULTS)[1] + rng.choice(DETAIL)
        room = rng.choice(PLACES) if i % 4 == 0 else f"{i % 9 + 1}-1-{i + 101}"
        _register(desk, content, phone=f"138{i:08d}", room=room,
                  caller=rng.choice(["王先生", "李女士", "张阿姨", "漏先生"]))
        contents.append(content)
    words: set[str] = set()
    for content in contents:
        for n in (1, 2, 4):
            for i in range(len(content) - n + 1):
                word = content[i:i + n]
                if all("\u4e00" <= ch <= "\u9fff" for ch in word):
                    words.add(word)
    assert len(words) > 300
    with desk.store.read() as session:
        conn = session.connection()
        for word in sorted(words):
            fts = search.search_ids(conn, "sqlite", word, limit=1000)
            like = search._search_like(conn, word, 1000)
            assert sorted(fts[0]) == sorted(like[0]) and fts[1] == like[1], word


def test_postgresql_finds_phones_in_vectors_of_both_formats(any_desk) -> None:
    """PostgreSQL's vectors written before format 4 keep its two phone tokens (nothing is
    rebuilt there): a phone query finds those tickets and the new ones alike, exactly."""
    import pytest
    from sqlalchemy import text

    from repairdesk.store import search_pg

    if any_desk.store.dialect != "postgresql":
        pytest.skip("SQLite's index has one format at a time (the test above)")
    old = _register(any_desk)
    new = _register(any_desk, phone="13900005678", room="5-1-202")
    site = any_desk.config.site_code
    with any_desk.store.write() as session:  # the first ticket's vector as format 3 wrote it
        session.connection().execute(
            text(f"UPDATE {search_pg.TABLE} SET body = CAST(:v AS tsvector) WHERE ticket_id = "
                 "(SELECT id FROM ticket WHERE ticket_no = :no)"),
            {"v": search_pg.vector(search.doc_body(old, "3-2-1501", "王先生", "13812345678",
                                                   "厨房水龙头关不住", legacy=True), site),
             "no": old})
    assert _found(any_desk, "13812345678") == {old}
    assert _found(any_desk, "13900005678") == {new}
    assert _found(any_desk, "5678") == {old, new}
    assert search_tickets(any_desk, "13900005678", site=site)[1] == 1
    assert search_tickets(any_desk, "13900005678", site=site + "9")[1] == 0
    for query in ("138", "1381234", "13812340000"):
        assert _found(any_desk, query) == set(), query
