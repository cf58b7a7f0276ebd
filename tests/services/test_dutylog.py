"""The duty log: own entries, corrections that point back, and a chain that catches tampering."""

from __future__ import annotations

import sqlite3

import pytest

from repairdesk.errors import NotFound, ValidationError
from repairdesk.services import dutylog, integrity


def test_entries_and_correction(staffed, clock):
    a = dutylog.add_entry(staffed, "2号楼B1车库积水", "李静")
    clock.advance(minutes=5)
    c = dutylog.correct_entry(staffed, a.id, "是3号楼B1车库", "李静")
    assert c.corrects_id == a.id and c.kind == dutylog.LogKind.CORRECTION
    texts = [e.text for e in dutylog.list_entries(staffed)]
    assert texts == ["2号楼B1车库积水", "是3号楼B1车库"]  # the old one stays
    with pytest.raises(NotFound):
        dutylog.correct_entry(staffed, 999, "x", "李静")
    with pytest.raises(ValidationError):
        dutylog.add_entry(staffed, "   ", "李静")


def test_verify_names_the_tampered_entry(staffed, clock):
    for i in range(3):
        dutylog.add_entry(staffed, f"记录{i}", "李静")
        clock.advance(minutes=1)
    assert integrity.verify_book(staffed).problem is None
    con = sqlite3.connect(staffed.store.url.removeprefix("sqlite:///"))
    with pytest.raises(sqlite3.DatabaseError):
        con.execute("UPDATE duty_log SET text = '改过' WHERE seq = 2")
    con.execute("DROP TRIGGER duty_log_no_update")  # as an attacker would
    con.execute("UPDATE duty_log SET text = '改过' WHERE seq = 2")
    con.commit()
    con.close()
    problem = integrity.verify_book(staffed).problem
    assert problem and "2" in problem and "改过" in problem
