"""Search finds the same tickets on SQLite (FTS5) and PostgreSQL (tsvector, store/search_pg.py):
2- and 4-character words as phrases, amendments, and a search within one estate (site)."""

from __future__ import annotations

from repairdesk.services.tickets import (
    IntakeForm, amend_ticket, register_ticket, search_tickets,
)


def _register(desk, room: str, content: str) -> str:
    from holding import hold_desk

    hold_desk(desk)
    return register_ticket(desk, IntakeForm(room=room, caller="王先生", phone="13812345678",
                                            content=content, category="水"), "李静").ticket_no


def _found(desk, query: str, **kw) -> set[str]:
    records, total = search_tickets(desk, query, **kw)
    assert total == len(records)
    return {r.ticket_no for r in records}


def test_the_same_hits_on_both_databases(any_desk) -> None:
    leak = _register(any_desk, "3-2-1501", "厨房水管漏水")
    toilet = _register(any_desk, "5-1-202", "卫生间马桶堵塞")
    assert _found(any_desk, "漏水") == {leak}
    assert _found(any_desk, "马桶堵塞") == {toilet}
    assert _found(any_desk, "桶堵") == {toilet}
    assert _found(any_desk, "堵马") == set()  # a phrase, not two words anywhere
    assert _found(any_desk, "5-1-202") == {toilet}
    assert _found(any_desk, "王先生") == {leak, toilet}
    site = any_desk.config.site_code
    assert _found(any_desk, "漏水", site=site) == {leak}
    assert _found(any_desk, "漏水", site=site + "9") == set()
    amend_ticket(any_desk, leak, {"content": "阳台地漏堵塞"}, "李静", note="来电更正")
    assert _found(any_desk, "漏水") == set()
    assert _found(any_desk, "堵塞") == {leak, toilet}
    hits, total = search_tickets(any_desk, "堵塞", history=True)
    assert total == 2 and all(r.events for r in hits)
