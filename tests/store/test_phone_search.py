"""A masked phone is found by its full number or its last four digits, never by a part of it
(domain.md, Privacy): otherwise forty prefix searches would recover the four hidden digits."""

from __future__ import annotations

import sqlite3

import pytest

from repairdesk.services.tickets import IntakeForm, register_ticket, search_tickets

PHONE = "13812345678"


def _register(desk, phone: str = PHONE, room: str = "3-2-1501") -> str:
    form = IntakeForm(room=room, caller="王先生", phone=phone, content="厨房水龙头关不住",
                      category="水")
    from holding import hold_desk

    hold_desk(desk)
    return register_ticket(desk, form, "李静").ticket_no


def _found(desk, query: str) -> set[str]:
    return {r.ticket_no for r in search_tickets(desk, query)[0]}


def test_full_number_or_last_four_only(any_desk):
    no = _register(any_desk)
    other = _register(any_desk, phone="13900005678", room="5-1-202")
    for query in (PHONE, "138 1234 5678", "+86 13812345678", "138-1234-5678"):
        assert _found(any_desk, query) == {no}, query
    assert _found(any_desk, "5678") == {no, other}
    for query in ("13", "138", "1381", "138123", "1381234567", "567", "678", "2345",
                  "12345678", "381234"):
        assert _found(any_desk, query) == set(), query
    # the room and the number still work as before
    assert _found(any_desk, "1501") == {no}
    assert _found(any_desk, no) == {no}


def test_an_older_index_is_rebuilt_without_plain_phone_digits(db_path, clock):
    from repairdesk.config import load_config
    from repairdesk.services.desk import open_desk
    from repairdesk.store import search

    desk = open_desk(str(db_path), clock=clock, config=load_config(None))
    no = _register(desk)
    desk.close()
    conn = sqlite3.connect(db_path)
    # the index as an older desk wrote it: a copy of the text with the phone digits as a plain
    # word, an older format mark
    conn.execute(f"DROP TABLE {search.TABLE}")
    conn.execute(f"CREATE VIRTUAL TABLE {search.TABLE} USING fts5(body, "
                 "tokenize = 'unicode61 remove_diacritics 0', columnsize = 0)")
    conn.execute(f"INSERT INTO {search.TABLE}(rowid, body) SELECT id, "
                 f"lower(ticket_no) || ' {PHONE} 5678' FROM ticket")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'search_format'")
    conn.commit()
    assert search.search_ids(conn, "sqlite", "138")[1] == 1  # the leak, as it was
    search.install(conn, "sqlite")
    conn.commit()
    assert search.search_ids(conn, "sqlite", "138")[1] == 0
    assert search.search_ids(conn, "sqlite", PHONE)[1] == 1
    assert conn.execute("SELECT value FROM meta WHERE key = 'search_format'").fetchone() == (
        search.FORMAT,)
    conn.close()
    assert no


@pytest.mark.parametrize("query", ["138", "5678"])
def test_cli_search_follows_the_same_rule(cli, db_path, query):
    from holding import hold_book

    assert cli("staff", "add", "李静", "--role", "clerk").code == 0
    hold_book(db_path)
    r = cli("ticket", "add", "--room", "3-2-1501", "--caller", "王先生", "--phone", PHONE,
            "--content", "水管漏水", "--category", "水", "--by", "李静")
    assert r.code == 0, r.stderr
    r = cli("ticket", "search", query, "--json")
    assert r.code == 0, r.stderr
    import json

    data = json.loads(r.stdout)
    assert data["total"] == (0 if query == "138" else 1)
    assert PHONE not in r.stdout
