"""A smaller book (issue 18, migration 0007): the search index holds no copy of the text, the
redundant ix_ticket_event_ticket_id is gone, and a book from before upgrades to the same schema
a new book has — still finding what it found, amendments included."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from repairdesk.config import load_config
from repairdesk.services.desk import open_desk
from repairdesk.services.tickets import IntakeForm, amend_ticket, register_ticket, search_tickets
from repairdesk.store import migrate, search
from repairdesk.store.schema_check import schema_differences


def _names(db: Path) -> dict[str, str]:
    con = sqlite3.connect(db)
    try:
        return {n: s or "" for n, s in con.execute("SELECT name, sql FROM sqlite_master")}
    finally:
        con.close()


def _register(desk, room: str, content: str) -> str:
    from holding import hold_desk

    hold_desk(desk)
    return register_ticket(desk, IntakeForm(room=room, caller="王先生", phone="13812345678",
                                            content=content, category="水"), "李静").ticket_no


def test_a_new_book_is_small(db_path: Path, clock) -> None:
    desk = open_desk(str(db_path), clock=clock, config=load_config(None))
    desk.close()
    names = _names(db_path)
    assert "ix_ticket_event_ticket_id" not in names
    assert "content = ''" in names[search.TABLE]
    assert f"{search.TABLE}_content" not in names  # no second copy of every text


def test_an_older_book_upgrades_and_still_finds(db_path: Path, clock) -> None:
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:  # the book as schema 6 left it
        command.upgrade(migrate.alembic_config(conn), "0006")
        conn.exec_driver_sql("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
        # and its search index as schema 6 made it: a full copy of the indexed text
        conn.exec_driver_sql(f"DROP TABLE {search.TABLE}")
        conn.exec_driver_sql(f"CREATE VIRTUAL TABLE {search.TABLE} USING fts5(body, "
                             "tokenize = 'unicode61 remove_diacritics 0', columnsize = 0)")
        conn.exec_driver_sql("INSERT INTO meta(key, value) VALUES ('search_format', '2') "
                             "ON CONFLICT(key) DO UPDATE SET value = '2'")
    engine.dispose()
    before = _names(db_path)
    assert "ix_ticket_event_ticket_id" in before and f"{search.TABLE}_content" in before
    desk = open_desk(str(db_path), clock=clock, config=load_config(None))
    try:
        no = _register(desk, "3-2-1501", "厨房水管漏水")
        other = _register(desk, "5-1-202", "马桶堵塞")
        assert {r.ticket_no for r in search_tickets(desk, "漏水")[0]} == {no}
        # an amendment takes the old words out of the contentless index and puts the new in
        amend_ticket(desk, no, {"content": "卫生间马桶堵塞"}, "李静", note="来电更正")
        assert {r.ticket_no for r in search_tickets(desk, "马桶堵塞")[0]} == {no, other}
        assert search_tickets(desk, "漏水") == ([], 0)
        assert search_tickets(desk, "13812345678")[1] == 2
    finally:
        desk.close()
    after = _names(db_path)
    assert "ix_ticket_event_ticket_id" not in after and f"{search.TABLE}_content" not in after
    con = sqlite3.connect(db_path)
    try:
        assert schema_differences(con) == []  # the same schema a new book gets
        con.execute(f"INSERT INTO {search.TABLE}({search.TABLE}, rank) VALUES ('integrity-check', 0)")
    finally:
        con.close()


def test_an_event_keeps_a_seal_and_no_index_by_time(db_path: Path, clock) -> None:
    """Migrations 0009 and 0010 as a new book has them: no hex hashes and no time index on the
    events; the register step's intake stored as a list; the counter holds the full head that
    the newest event's seal is the start of; the book verifies."""
    import json

    from repairdesk.services.integrity import verify_book
    from datetime import datetime, timezone

    from repairdesk.store import chain
    from repairdesk.store.stamps import from_micros

    desk = open_desk(str(db_path), clock=clock, config=load_config(None))
    try:
        _register(desk, "3-2-1501", "厨房水管漏水")
        assert verify_book(desk).problem is None
    finally:
        desk.close()
    names = _names(db_path)
    assert "ix_ticket_event_at" not in names and "ix_ticket_last_event" in names
    con = sqlite3.connect(db_path)
    try:
        cols = {r[1] for r in con.execute("PRAGMA table_info(ticket_event)")}
        assert "seal" in cols and not cols & {"prev_hash", "hash"}
        seal, data = con.execute("SELECT seal, data FROM ticket_event").fetchone()
        (head,) = con.execute("SELECT head FROM counter WHERE name = '#ticket_event'").fetchone()
        # 0014: the first 4 bytes of the hash, an integer SQLite stores in 4 bytes
        assert len(head) == 64 and seal == chain.seal_of(head, "sqlite")
        assert seal == int.from_bytes(bytes.fromhex(head[:8]), "big", signed=True)
        assert json.loads(data)["intake"][1] == "王先生"  # caller, second in INTAKE_ORDER
        # 0011 and 0012: an event's times and the ticket's are integers of microseconds
        at, received, registered, last = con.execute(
            "SELECT e.at, t.received_at, t.registered_at, t.last_event_at FROM ticket_event e "
            "JOIN ticket t ON t.id = e.ticket_id").fetchone()
        assert all(isinstance(v, int) for v in (at, received, registered, last))
        assert from_micros(at) == from_micros(received) == datetime(2026, 11, 22, 2,
                                                                    tzinfo=timezone.utc)
    finally:
        con.close()


def test_the_open_ticket_condition_is_spelt_the_same_everywhere() -> None:
    """ix_ticket_open is a partial index: the planners use it only for a query that holds its
    condition word for word, so the desk's open-work queries say exactly what the index says,
    and that is the lifecycle's 'open' (every state but closed and voided)."""
    from repairdesk.domain.enums import Status
    from repairdesk.services import first_board
    from repairdesk.store.tables import OPEN_WHERE, Ticket

    assert first_board.OPEN_WHERE == OPEN_WHERE
    shut = sorted(s.value for s in Status if not s.is_open)
    assert OPEN_WHERE == "status NOT IN ({})".format(", ".join(f"'{s}'" for s in shut))
    (index,) = [i for i in Ticket.__table__.indexes if i.name == "ix_ticket_open"]
    assert str(index.dialect_options["sqlite"]["where"]) == OPEN_WHERE
    assert str(index.dialect_options["postgresql"]["where"]) == OPEN_WHERE


def test_every_open_work_query_reads_the_open_tickets_index(staffed, clock) -> None:
    """What the desk asks of the open tickets — the working set, the open list, the handover's
    open items, the dispatch picker's loads — reads ix_ticket_open (a few thousand rows on a
    million-ticket book), never a scan of every ticket: each statement the services send that
    names a status is planned by SQLite itself."""
    from sqlalchemy import event

    from repairdesk.services.dispatching import dispatch_choices
    from repairdesk.services.handover import build_checklist
    from repairdesk.services.ticket_records import list_tickets, working_set

    no = _register(staffed, "3-2-1501", "厨房水管漏水")
    sent: list[tuple[str, object]] = []

    def keep(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if "status" in statement and statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    engine = staffed.store.engine
    event.listen(engine, "before_cursor_execute", keep)
    try:
        working_set(staffed)
        list_tickets(staffed, open_only=True)
        build_checklist(staffed)
        dispatch_choices(staffed, no)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    open_work = [(s, p) for s, p in sent if "NOT IN ('closed', 'voided')" in s]
    assert len(open_work) >= 4, [s for s, _p in sent]
    with staffed.store.read() as session:
        raw = session.connection().connection.driver_connection
        for statement, parameters in open_work:
            plan = " | ".join(r[-1] for r in raw.execute(f"EXPLAIN QUERY PLAN {statement}",
                                                         parameters))
            assert "ix_ticket_open" in plan and "SCAN ticket" not in plan.replace(
                "SCAN ticket USING", ""), (statement, plan)
