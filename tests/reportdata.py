"""A small November 2026 worked by hand, for the report tests (services, CLI, TUI).

Load it with `load()` (tests are not a package). Times are local (Asia/Shanghai). The expected
figures in EXPECTED were worked out by hand from the steps below and the default rules
(data/fees.toml, data/sla.toml); each test file checks the ones it is about.

  O  10-31 23:50 9-9-909 水          outside the month (a local-time boundary)
  A  11-01 00:30 3-2-1501 水 free    dispatch +3, accept +5, arrive +20, complete +60,
                                     return, callback 10:00 satisfied, close
  B  11-03 09:00 1-1-101 电 paid     dispatch +10 (late), accept +12, arrive +40 (late),
                                     charge 09:45, complete +60, return, callback 14:00
                                     unsatisfied -> rework, accept 14:03, arrive 14:15,
                                     complete 15:00, return, callback 16:00 satisfied
  C  11-10 14:00 public 电梯 urgent  dispatch +2, accept +4, arrive +8, complete +90, return
  -  one number spent without a ticket: BX-20261110-0002 is missing
  V  11-10 15:41 2-1-0201 水         voided at 15:45 (重复登记)
  F  11-20 08:00 3-2-1501 水 free    dispatch +4, accept +6, arrive +30 (late), complete +60,
                                     return, callback 16:00 satisfied
  D  11-22 09:00 5-1-0302 门窗 assess assessed 80 at 09:02, dispatch +3, accept +5,
                                     arrive +20, charge 09:40 (螺丝=2.5x10)
  E  11-22 09:30 3-2-1501 水         repeat of F; nothing done yet
Then the clock stands at 11-22 10:00.
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
CLERK = "李静"
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=TZ)

EXPECTED = {
    # V (voided) is listed apart and counted in no other figure (003 4.10(7)); its number
    # stays in the book, so first/last 单号 and the gaps still see it
    "numbered": 7,  # tickets with a number this month, the voided one included
    "total": 6, "first_no": "BX-20261101-0001", "last_no": "BX-20261122-0002",
    "gaps": ("BX-20261110-0002",), "home": 5, "public": 1, "free": 4, "paid": 1, "assess": 1,
    "fee_total": Decimal("209.30"), "charged": 2, "completed": 4, "reworked": 1,
    # callbacks per completion cycle: A, B (twice: before and after its rework), F called
    # back; C completed and never called back: 4 of 5 cycles
    "called_back": 4, "completions": 5, "voided_count": 1,
    "avg_dispatch_min": 4.4, "avg_arrive_min": 23.6, "avg_complete_min": 67.5,
    "by_category": (("水", 3), ("电", 1), ("电梯", 1), ("门窗", 1)),
    "by_building": (("1", 1), ("3", 3), ("5", 1)),
    # clock: (met, missed) as of NOW (domain.md "Counting": open work past its deadline is
    # missed). dispatch: B +10 and E (open, 30 min) missed. arrive: F +30 and E (open, due
    # 09:50) missed; B counts its rework cycle (14:15, met). feedback: dispatch -> accept, all
    # five met. callback: C completed 11-10 15:30 and never called back: missed.
    "clocks": {"dispatch": (4, 2), "accept": (5, 0), "arrive": (4, 2), "feedback": (5, 0),
               "assess": (1, 0), "complete": (4, 0), "callback": (3, 1)},
    # pending (running within target): D and E's completion by 24:00
    "pending": {"dispatch": 0, "accept": 0, "arrive": 0, "feedback": 0, "assess": 0,
                "complete": 2, "callback": 0},
}


def local(month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ).astimezone(timezone.utc)


def build(desk, clock) -> dict[str, str]:
    """Write the month into `desk` (a staffed desk); returns the ticket numbers by letter."""
    from repairdesk.services import fees, tickets as T
    from repairdesk.store.db import next_in_sequence

    nos: dict[str, str] = {}

    def go(month: int, day: int, hour: int, minute: int) -> None:
        clock.set(local(month, day, hour, minute))

    def add(key: str, room: str, content: str, category: str, **kw: str) -> str:
        nos[key] = T.register_ticket(desk, T.IntakeForm(room=room, caller="王先生",
                                                       content=content, category=category, **kw),
                                     CLERK).ticket_no
        return nos[key]

    def step(when: tuple[int, int, int, int], fn, *args, **kw):
        go(*when)
        return fn(desk, *args, **kw)

    def item(text: str):
        return fees.parse_item(desk, text, desk.now())

    go(10, 31, 23, 50)
    add("O", "9-9-909", "厨房水管漏水", "水")
    go(11, 1, 0, 30)
    a = add("A", "3-2-1501", "卫生间水龙头漏水", "水")
    step((11, 1, 0, 33), T.dispatch_ticket, a, "张建国", CLERK)
    step((11, 1, 0, 35), T.accept_ticket, a, CLERK)
    step((11, 1, 0, 50), T.arrive_ticket, a, CLERK)
    step((11, 1, 1, 30), T.complete_ticket, a, "更换水龙头密封圈", CLERK)
    step((11, 1, 2, 0), T.return_ticket, a, CLERK)
    step((11, 1, 10, 0), T.callback_ticket, a, True, CLERK)
    T.close_ticket(desk, a, CLERK)

    go(11, 3, 9, 0)
    b = add("B", "1-1-101", "卫生间灯不亮，马桶堵塞", "电", service_type="paid")
    step((11, 3, 9, 10), T.dispatch_ticket, b, "王师傅", CLERK)
    step((11, 3, 9, 12), T.accept_ticket, b, CLERK)
    step((11, 3, 9, 40), T.arrive_ticket, b, CLERK)
    go(11, 3, 9, 45)
    fees.charge_ticket(desk, b, [item("bulb=2"), item("toilet")],
                       [fees.parse_material("灯座=12.5"), fees.parse_material("LED灯泡=8x2")],
                       True, CLERK)
    step((11, 3, 10, 0), T.complete_ticket, b, "换灯泡两个，疏通马桶", CLERK)
    step((11, 3, 10, 30), T.return_ticket, b, CLERK)
    step((11, 3, 14, 0), T.callback_ticket, b, False, CLERK, note="马桶仍然堵")
    step((11, 3, 14, 3), T.accept_ticket, b, CLERK)
    step((11, 3, 14, 15), T.arrive_ticket, b, CLERK)
    step((11, 3, 15, 0), T.complete_ticket, b, "再次疏通", CLERK)
    step((11, 3, 15, 30), T.return_ticket, b, CLERK)
    step((11, 3, 16, 0), T.callback_ticket, b, True, CLERK)
    T.close_ticket(desk, b, CLERK)

    go(11, 10, 14, 0)
    c = add("C", "地下车库B区", "电梯困人", "电梯", scope="public", urgency="urgent")
    step((11, 10, 14, 2), T.dispatch_ticket, c, "张建国", CLERK)
    step((11, 10, 14, 4), T.accept_ticket, c, CLERK)
    step((11, 10, 14, 8), T.arrive_ticket, c, CLERK)
    step((11, 10, 15, 30), T.complete_ticket, c, "已放人，电梯复位", CLERK)
    step((11, 10, 15, 40), T.return_ticket, c, CLERK)
    # a number issued but its record lost: the gap the monthly table must show
    cfg = desk.config
    with desk.store.write() as session:
        next_in_sequence(session, cfg.numbering.period_key(desk.local_today(), cfg.site_code))
    go(11, 10, 15, 41)
    v = add("V", "2-1-0201", "重复登记的报修", "水")
    step((11, 10, 15, 45), T.void_ticket, v, "重复登记", CLERK)

    go(11, 20, 8, 0)
    f = add("F", "3-2-1501", "厨房下水道堵塞", "水")
    step((11, 20, 8, 4), T.dispatch_ticket, f, "王师傅", CLERK)
    step((11, 20, 8, 6), T.accept_ticket, f, CLERK)
    step((11, 20, 8, 30), T.arrive_ticket, f, CLERK)
    step((11, 20, 9, 0), T.complete_ticket, f, "疏通完毕", CLERK)
    step((11, 20, 9, 30), T.return_ticket, f, CLERK)
    step((11, 20, 16, 0), T.callback_ticket, f, True, CLERK)

    go(11, 22, 9, 0)
    d = add("D", "5-1-0302", "要求安装防盗网", "门窗", service_type="assess")
    step((11, 22, 9, 2), fees.assess_ticket, d, "80", "周班长", CLERK)
    step((11, 22, 9, 3), T.dispatch_ticket, d, "张建国", CLERK)
    step((11, 22, 9, 5), T.accept_ticket, d, CLERK)
    step((11, 22, 9, 20), T.arrive_ticket, d, CLERK)
    go(11, 22, 9, 40)
    fees.charge_ticket(desk, d, [], [fees.parse_material("螺丝=2.5x10")], True, CLERK)
    go(11, 22, 9, 30)
    add("E", "3-2-1501", "厨房下水道又堵了", "水")
    go(11, 22, 10, 0)
    return nos


def chase(desk, nos: dict[str, str]) -> None:
    from repairdesk.services.daily import chase_return

    chase_return(desk, nos["E"], "业主下午才在家", "18:00", CLERK)

