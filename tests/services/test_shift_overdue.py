"""Shift boundaries (issue 14 item 14): a clerk still holding the desk after the shift's end
plus the grace period ([shifts] handover_grace_min, 30 min by default) is flagged "handover
overdue" in the header and `shift status`, and the duty log says so once per overdue shift."""

from __future__ import annotations

from datetime import timedelta

import pytest

from repairdesk.config import load_config, parse_config
from repairdesk.errors import RepairdeskError
from repairdesk.services import dutylog, handover, shifts, signing
from repairdesk.domain.handover import ReadBack, lines

OUT, IN = "李静", "陈晓雯"

pytestmark = pytest.mark.usefixtures("fast_pins")


@pytest.fixture
def held(roster, clock):
    """李静 signs on at 10:00 (Asia/Shanghai) on 2026-11-22: the day shift, 08:30-17:30."""
    for name, pin in ((OUT, "11111111"), (IN, "22222222")):
        signing.set_pin_unchecked(roster, name, pin)
    shifts.sign_on(roster, OUT, "11111111")
    return roster


def overdue_log(desk):
    from sqlmodel import col, select

    from repairdesk.store.tables import DutyLogEntry

    with desk.store.read() as session:
        return list(session.exec(select(DutyLogEntry).where(
            col(DutyLogEntry.dedup_key).startswith("handover_overdue:"))
            .order_by(col(DutyLogEntry.seq))))


def test_grace_boundary_17_59_not_overdue_18_00_overdue(held, clock):
    clock.advance(hours=7, minutes=59)  # 17:59: the day shift ended 29 min ago
    assert shifts.overdue_shifts(held) == []
    assert "⚑" not in shifts.header_text(held)
    assert shifts.note_overdue(held) == 0
    clock.advance(minutes=1)  # 18:00 = 17:30 + 30 min
    missed = shifts.overdue_shifts(held)
    assert [w.code for w in missed] == ["day"]
    header = shifts.header_text(held)
    assert "17:30" in header and header.count("⚑") == 1


def test_logged_once_per_overdue_shift(held, clock):
    clock.advance(hours=8)  # 18:00
    assert shifts.note_overdue(held) == 1
    assert shifts.note_overdue(held) == 0  # the same shift: never twice
    clock.advance(hours=14, minutes=59)  # 08:59 next day: the night ended 08:30, in the grace
    assert shifts.note_overdue(held) == 0
    clock.advance(minutes=1)  # 09:00 = 08:30 + 30 min
    assert shifts.note_overdue(held) == 1
    entries = overdue_log(held)
    assert len(entries) == 2 and all(e.kind == dutylog.LogKind.SHIFT for e in entries)
    assert [e.data["shift"] for e in entries] == ["day", "night"]
    assert OUT in entries[0].text
    assert len(shifts.overdue_shifts(held)) == 2


def test_a_handover_clears_the_flag(held, clock):
    clock.advance(hours=8)  # 18:00, overdue
    assert shifts.overdue_shifts(held)
    c = handover.build_checklist(held)
    handover.complete_handover(held, c, {ln.key: ReadBack(ln.key, True) for ln in lines(c)},
                               OUT, "11111111", IN, "22222222")
    assert shifts.overdue_shifts(held) == []  # 陈晓雯 holds the night shift, to 08:30
    assert "⚑" not in shifts.header_text(held)
    clock.advance(hours=14, minutes=59)  # 08:59 next day: the night ended 08:30, in the grace
    assert shifts.overdue_shifts(held) == []
    clock.advance(minutes=1)
    assert [w.code for w in shifts.overdue_shifts(held)] == ["night"]


def test_a_handover_signed_early_belongs_to_the_next_shift(held, clock):
    """The incoming clerk comes 5 min early (001 篇5 4.2.1): a handover at 17:25 hands over the
    night shift, which is not overdue at 18:00."""
    clock.advance(hours=7, minutes=25)
    c = handover.build_checklist(held)
    handover.complete_handover(held, c, {ln.key: ReadBack(ln.key, True) for ln in lines(c)},
                               OUT, "11111111", IN, "22222222")
    clock.advance(minutes=35)
    assert shifts.overdue_shifts(held) == []


def test_grace_is_configurable_and_checked(held, clock):
    held.config = parse_config({**held.config.raw, "shifts": {
        **held.config.raw["shifts"], "handover_grace_min": 0}})
    clock.advance(hours=7, minutes=30)  # 17:30 sharp
    assert [w.code for w in shifts.overdue_shifts(held)] == ["day"]
    assert load_config(None).handover_grace_min == 30
    with pytest.raises(RepairdeskError, match="handover_grace_min"):
        parse_config({**held.config.raw, "shifts": {**held.config.raw["shifts"],
                                                     "handover_grace_min": -5}})


def test_shift_status_says_handover_overdue(cli, db_path, clock):
    """`repairdesk shift status` (system clock, so the sign-on is put a week back)."""
    import json

    from repairdesk.domain.enums import Role
    from repairdesk.services.desk import open_desk
    from repairdesk.services.staff import add_staff_unchecked

    cli("shift", "status", "--json")  # creates the book
    d = open_desk(str(db_path), clock=clock, config=load_config(None))
    try:
        add_staff_unchecked(d, OUT, Role.CLERK, "13800000001")
        signing.set_pin_unchecked(d, OUT, "11111111")
        shifts.sign_on(d, OUT, "11111111")  # 2026-11-22 10:00, long past its 17:30
    finally:
        d.close()
    st = json.loads(cli("shift", "status", "--json").stdout)
    assert st["holder"] == OUT and st["handover_overdue"] is True
    assert st["overdue_since"].startswith("2026-11-22T09:30")  # 17:30 Asia/Shanghai
    r = cli("shift", "status", lang="en")
    assert r.code == 0 and "handover overdue" in r.stdout and "11/22/2026, 17:30" in r.stdout


def test_next_overdue_at_is_when_the_handover_next_falls_overdue(held, clock):
    """What the desk's SLA pass waits for (services/sla_pass.py): 18:00, then 09:00."""
    first = shifts.next_overdue_at(held)
    assert first is not None and first == clock.now() + timedelta(hours=8)  # 10:00 -> 18:00
    clock.advance(hours=7, minutes=59)
    assert shifts.note_overdue(held) == 0 and shifts.next_overdue_at(held) == first
    clock.advance(minutes=1)
    assert shifts.note_overdue(held) == 1
    assert shifts.next_overdue_at(held) == first + timedelta(hours=15)  # 09:00 next day


def test_next_overdue_at_nobody_holds_the_desk(roster):
    assert shifts.next_overdue_at(roster) is None
