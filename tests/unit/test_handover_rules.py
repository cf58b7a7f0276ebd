"""Pure rules: shift windows across midnight, the duty day, blocking and read-back."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from repairdesk.config import load_config
from repairdesk.domain.handover import Checklist, OpenItem, PublicItem, ReadBack, blockers, discrepancies, lines
from repairdesk.domain.shifts import duty_day, duty_day_bounds, past_days, shift_at

TZ = ZoneInfo("Asia/Shanghai")
START = time(8, 30)


def local(y, m, d, hh, mm):
    return datetime(y, m, d, hh, mm, tzinfo=TZ).astimezone(timezone.utc)


def test_shift_windows_and_duty_day():
    shifts = load_config(None).shifts
    w = shift_at(shifts, local(2026, 11, 22, 3, 0), TZ, START)
    assert w.code == "night" and w.duty_day == date(2026, 11, 21)
    assert w.start == local(2026, 11, 21, 17, 30) and w.end == local(2026, 11, 22, 8, 30)
    assert shift_at(shifts, local(2026, 11, 22, 8, 30), TZ, START).code == "day"
    assert shift_at(shifts, local(2026, 11, 22, 17, 29), TZ, START).code == "day"
    assert duty_day(local(2026, 11, 22, 8, 29), TZ, START) == date(2026, 11, 21)
    assert duty_day(local(2026, 11, 22, 8, 30), TZ, START) == date(2026, 11, 22)
    s, e = duty_day_bounds(date(2026, 11, 22), TZ, START)
    assert (s, e) == (local(2026, 11, 22, 8, 30), local(2026, 11, 23, 8, 30))
    assert past_days(date(2026, 11, 20), date(2026, 11, 22)) == [date(2026, 11, 20),
                                                                date(2026, 11, 21)]


def item(no, urgency="normal", tech="", breached=False):
    return OpenItem(no, "registered", "已登记", "派工", urgency, tech, None, breached,
                    breaches=("dispatch",) if breached else ())


def test_blockers_need_an_explanation():
    items = [item("A", "urgent"), item("B", "urgent", "张建国"), item("C", breached=True)]
    assert [b.ticket_no for b in blockers(items, {})] == ["A", "C"]
    assert [b.ticket_no for b in blockers(items, {"A": "已联系", "C": " "})] == ["C"]


def test_lines_and_discrepancies():
    now = local(2026, 11, 22, 17, 25)
    c = Checklist("day", "白班", now, now, ["BX-1", "BX-3"], ["BX-2"],
                  {"issued": 2, "open": 1}, [item("BX-3")], [PublicItem("radios", "对讲机", 4)],
                  abnormal="停电十分钟")
    keys = [ln.key for ln in lines(c)]
    assert keys[:2] == ["numbers", "gaps"] and "ticket:BX-3" in keys and keys[-1] == "abnormal"
    answers = {k: ReadBack(k, True) for k in keys}
    assert discrepancies(lines(c), answers) == []
    answers["item:radios"] = ReadBack("item:radios", False, "3")
    answers["count:open"] = ReadBack("count:open", True, "1")  # same value: no discrepancy
    found = discrepancies(lines(c), answers)
    assert [(d["key"], d["expected"], d["actual"]) for d in found] == [("item:radios", "4", "3")]


def test_next_deadline_and_which_breaches_block():
    """The next deadline is the running clock due first; only dispatch, accept, arrive and
    assess block, and only past their deadline (at it a step is still in time)."""
    from repairdesk.domain.handover import next_deadline
    from repairdesk.domain.sla import ClockName, ClockState, SlaClock

    t = local(2026, 11, 22, 17, 10)

    def clock(name, state, due, left):
        return SlaClock(name, t, due, state, left)

    arrive = clock(ClockName.ARRIVE, ClockState.BREACHED, t, -1.0)
    complete = clock(ClockName.COMPLETE, ClockState.BREACHED, local(2026, 11, 22, 9, 0), -60.0)
    callback = clock(ClockName.CALLBACK, ClockState.MET, local(2026, 11, 22, 8, 0), 5.0)
    assert next_deadline([arrive, complete, callback]) == (
        local(2026, 11, 22, 9, 0), "complete", ("arrive",))
    at_deadline = clock(ClockName.ARRIVE, ClockState.BREACHED, t, 0.0)
    assert next_deadline([at_deadline])[2] == ()
    paused = clock(ClockName.ARRIVE, ClockState.PAUSED, t, -30.0)
    assert next_deadline([paused]) == (None, "", ())
