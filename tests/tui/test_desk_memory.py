"""The desk's memory (issue 18): a look at the handover checklist, closed unsigned, does not
rebuild the board (2,000 rows of a big estate made again, the old ones left to the allocator)
unless the book changed meanwhile; after a board is shown, freed memory goes back to the
system where the C library can (repairdesk/memory.py)."""

from __future__ import annotations

import ctypes.util

import pytest

from repairdesk import memory
from repairdesk.services import tickets as T
from repairdesk.tui.widgets.tickets import TicketTable

from .conftest import settle


def _count_loads(monkeypatch) -> list[int]:
    loads: list[int] = []
    load = TicketTable.load

    def counted(self, records, *args):
        loads.append(len(records))
        return load(self, records, *args)

    monkeypatch.setattr(TicketTable, "load", counted)
    return loads


async def test_the_checklist_closed_unsigned_leaves_the_board_alone(desk_app, staffed,
                                                                    monkeypatch):
    T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                            content="卫生间漏水", category="水"), "李静")
    app = desk_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        loads = _count_loads(monkeypatch)
        await pilot.press("h")
        await settle(pilot)
        assert type(app.screen).__name__ == "HandoverScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.desk_screen
        assert loads == []  # nothing changed: the rows on screen stay

        # the book changed while the checklist was open (another desk): the board follows
        await pilot.press("h")
        await settle(pilot)
        T.register_ticket(staffed, T.IntakeForm(room="3-2-1502", caller="李女士",
                                                content="马桶堵塞", category="水"), "李静")
        await pilot.press("escape")
        await settle(pilot)
        assert loads == [2]


def test_release_freed_is_a_no_op_without_malloc_trim(monkeypatch):
    memory._malloc_trim.cache_clear()
    monkeypatch.setattr(ctypes, "CDLL", lambda *_a, **_k: object())  # a libc without it
    try:
        assert memory.release_freed() is False
    finally:
        memory._malloc_trim.cache_clear()


@pytest.mark.skipif(ctypes.util.find_library("c") is None or not hasattr(
    ctypes.CDLL(None), "malloc_trim"), reason="not glibc")
def test_release_freed_trims_on_glibc():
    memory._malloc_trim.cache_clear()
    assert memory.release_freed() is True
