"""The first board (services/first_board.py): the working set read with sqlite3 before the book
is opened builds the same records the ORM read builds; the desk shows it at once and replaces
it with the full board once the book is open; anything unusual leaves it to the usual way."""

from __future__ import annotations

import sqlite3
import threading
from repairdesk.services import tickets as T
from repairdesk.services.first_board import first_board
from repairdesk.services.ticket_records import working_set
from repairdesk.tui.app import RepairDeskApp
from older_book import downgrade_book

from .conftest import settle


def _night(desk, clock) -> list[str]:
    """Tickets in many states: registered, dispatched, paused, an appointment, voided and
    closed today, and an old closed one the working set leaves out."""
    form = dict(caller="王先生", content="卫生间漏水", phone="13800138000", category="水")
    old = T.register_ticket(desk, T.IntakeForm(room="1-1-101", **form), "李静").ticket_no
    for step in ("dispatch", "arrive", "complete", "return", "callback", "close"):
        _step(desk, old, step)
    clock.advance(days=2)
    nos = [T.register_ticket(desk, T.IntakeForm(room=f"3-2-{1501 + i}", urgency=u, **form),
                             "李静").ticket_no
           for i, u in enumerate(("urgent", "normal", "normal", "normal"))]
    nos.append(T.register_ticket(desk, T.IntakeForm(room="5-1-202", appointment="15:00",
                                                    **form), "李静").ticket_no)
    _step(desk, nos[1], "dispatch")
    _step(desk, nos[2], "dispatch")
    T.pause_ticket(desk, nos[2], "等配件", "李静")
    T.void_ticket(desk, nos[3], "重复登记", "李静")
    clock.advance(minutes=7)
    return nos


def _step(desk, no: str, step: str) -> None:
    if step == "dispatch":
        T.dispatch_ticket(desk, no, "张建国", "李静")
    elif step == "arrive":
        T.arrive_ticket(desk, no, "李静")
    elif step == "complete":
        T.complete_ticket(desk, no, "已修好", "李静")
    elif step == "return":
        T.return_ticket(desk, no, "李静")
    elif step == "callback":
        T.callback_ticket(desk, no, True, "李静")
    elif step == "close":
        T.close_ticket(desk, no, "李静")


def test_the_first_board_reads_what_the_working_set_reads(staffed, clock, db_path):
    _night(staffed, clock)
    board = first_board(str(db_path), None, clock)
    assert board is not None
    expected = working_set(staffed)
    assert len(expected) == 5  # the old closed ticket is not on the board
    assert board.records == expected
    assert board.now == clock.now()


def test_what_it_cannot_read_is_left_to_the_usual_way(tmp_path, clock):
    assert first_board("postgresql+psycopg://u:p@127.0.0.1:1/none", None, clock) is None
    assert first_board(str(tmp_path / "missing.sqlite3"), None, clock) is None
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    assert first_board(str(empty), None, clock) is None
    foreign = tmp_path / "foreign.sqlite3"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE notes(x)")
    con.commit()
    con.close()
    assert first_board(str(foreign), None, clock) is None
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    assert first_board(str(junk), None, clock) is None


def test_a_book_from_before_integer_ticket_times_is_left_to_the_usual_way(staffed, clock,
                                                                          db_path):
    """A book at schema 11 keeps a ticket's times as text, which an integer bound would compare
    wrongly (every text sorts after every integer): the first board leaves it to the usual way,
    which upgrades it; then it reads what the working set reads."""
    _night(staffed, clock)
    expected = working_set(staffed)
    staffed.close()
    downgrade_book(str(db_path), "0011")
    assert first_board(str(db_path), None, clock) is None
    from repairdesk.config import load_config
    from repairdesk.services.desk import open_desk

    open_desk(str(db_path), clock=clock, config=load_config(None)).close()  # upgraded
    board = first_board(str(db_path), None, clock)
    assert board is not None and board.records == expected


async def test_the_desk_lists_the_first_board_then_opens_the_book(staffed, clock, db_path):
    nos = _night(staffed, clock)
    release = threading.Event()
    app = RepairDeskApp(db=str(db_path), clock=clock, live=False)
    opening = app._open

    def held_open():  # the book opens only when the test says so
        assert release.wait(30)
        return opening()

    app._open = held_open  # type: ignore[method-assign]
    async with app.run_test(size=(120, 35)) as pilot:
        table = app.desk_screen.query_one("#tickets")
        for _ in range(500):
            await pilot.pause()
            if len(table.order) == 5:  # the whole working set (the voided one too)
                break
        assert app.desk is None  # listed before the book was opened
        assert set(table.order) == set(nos)
        assert table.order[0] == nos[0]  # the urgent one, past its dispatch deadline, first
        await pilot.press("down", "n")  # the cursor moves; n waits for the book
        assert table.cursor_row == 1 and app.screen is app.desk_screen
        assert app.held is not None and app.held[0] == "new_ticket"
        release.set()
        await settle(pilot)
        assert app.desk is not None
        from repairdesk.tui.screens.intake import IntakeScreen

        for _ in range(200):  # the held n acts once the book is open: the new-ticket form
            if isinstance(app.screen, IntakeScreen):
                break
            await pilot.pause()
        assert isinstance(app.screen, IntakeScreen)
        assert app.held is None
        await pilot.press("escape")
        await settle(pilot)
        assert set(table.order) == set(nos)
        assert app.desk_screen.header_tail  # the full board's shift line came too


async def test_a_book_that_will_not_open_leaves_no_rows_behind(staffed, clock, db_path,
                                                               monkeypatch):
    from repairdesk.errors import StoreError

    _night(staffed, clock)

    def refuse(self):
        raise StoreError("This database was written by a newer repairdesk.")

    monkeypatch.setattr(RepairDeskApp, "_open", refuse)
    app = RepairDeskApp(db=str(db_path), clock=clock, live=False)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert app.desk is None
        assert app.desk_screen.query_one("#tickets").order == []
        assert "newer repairdesk" in str(app.desk_screen.query_one("#message").render())


def test_the_most_urgent_rows_come_first(staffed, clock, db_path):
    _night(staffed, clock)
    board = first_board(str(db_path), None, clock)
    top = board.most_urgent(top=2)
    assert top.total == board.total == 5 and len(top.records) == 2
    assert top.records[0].ticket_no == board.records[0].ticket_no  # the urgent one, overdue
    screenful = first_board(str(db_path), None, clock, oldest=2)  # what shows at once
    assert len(screenful.records) == 2
    assert {r.ticket_no for r in screenful.records} <= {r.ticket_no for r in board.records
                                                        if r.is_open}

