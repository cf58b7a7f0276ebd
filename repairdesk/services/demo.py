"""A believable 24 hours at the desk, for trying the app and for screenshots.

The demo is built by calling the same service functions the clerk uses, with a clock that
walks forward through the day, so every record in it went through the real rules."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from ..clock import Clock, FixedClock
from ..config import Config
from ..domain.enums import Role
from ..errors import StoreError
from ..i18n import _
from ..store.db import open_store
from . import dutylog, signing, sla
from . import tickets as T
from .desk import Desk
from .shifts import prepare_demo
from .staff import add_staff_unchecked

STAFF = [
    ("李静", Role.CLERK, "13800000001"),
    ("陈晓雯", Role.CLERK, "13800000002"),
    ("赵强", Role.CLERK, "13800000003"),
    ("张建国", Role.TECHNICIAN, "13900000011"),
    ("王师傅", Role.TECHNICIAN, "13900000012"),
    ("刘卫东", Role.TECHNICIAN, "13900000013"),
    ("孙海", Role.TECHNICIAN, "13900000014"),
    ("周班长", Role.TEAM_LEADER, "13700000021"),
    ("吴主管", Role.SUPERVISOR, "13600000031"),
    ("郑经理", Role.MANAGER, "13500000041"),
]

# What goes wrong at home: category, the caller's words, what the technician did about it
# (content, category and result agree: no door "fixed by replacing a switch").
HOME_FAULTS = [
    ("水", "厨房水龙头关不住，一直滴水", "更换阀芯，试水正常"),
    ("水", "卫生间下水道堵塞，地漏返水", "疏通下水道，排水正常"),
    ("水", "阳台水管爆裂，漏水严重", "关闭总阀，更换爆裂管段，试压无渗漏"),
    ("水", "马桶水箱进水阀坏了，一直流水", "更换进水阀，试水正常"),
    ("水", "楼上渗水，天花板有水迹", "楼上卫生间地漏周边重新打胶，无渗漏"),
    ("电", "家里突然停电，总闸跳闸合不上", "查出厨房插座短路，更换插座后合闸，通电正常"),
    ("电", "客厅插座冒火花，有焦味", "更换插座，检查线路，通电正常"),
    ("电", "卧室灯不亮，换了灯泡也不行", "更换灯座和开关，通电正常"),
    ("电", "热水器插座没电", "更换漏电保护开关，通电正常"),
    ("门窗", "入户门锁芯坏了，钥匙拧不动", "更换锁芯，交钥匙两把"),
    ("门窗", "卧室窗户关不严，漏风", "调整合页，更换密封条，关闭严密"),
    ("门窗", "阳台推拉门滑轮脱落", "更换滑轮，推拉顺畅"),
    ("燃气", "厨房有燃气味，怀疑泄漏", "更换灶前软管，检漏无泄漏"),
    ("土建", "卫生间墙砖空鼓脱落", "重新铺贴墙砖，勾缝完毕"),
]
# ... and in the public areas: the place, category, words and result
PUBLIC_FAULTS = [
    ("5栋2单元楼道", "电", "楼道声控灯不亮", "更换声控开关，灯亮正常"),
    ("3栋电梯厅", "电梯", "2号电梯困人，轿厢内有一名老人", "电梯公司到场放人，检修后恢复运行"),
    ("3栋电梯厅", "电梯", "电梯门关不上，反复开关", "清理门槛异物，调整门机，运行正常"),
    ("小区南门门禁", "综合", "单元门禁刷卡没反应", "更换读卡器，刷卡正常"),
    ("地下车库B区", "水", "地下车库排水沟堵塞，有积水", "疏通排水沟，积水排净"),
    ("1栋楼顶水箱间", "水", "楼顶水箱溢流，水顺着外墙流下", "更换浮球阀，水位正常"),
    ("中心花园路灯", "电", "花园路灯一排不亮", "更换熔断器，路灯恢复"),
    ("8栋外墙", "土建", "外墙瓷砖有脱落危险", "拉警戒线，清除松动瓷砖并重新铺贴"),
]
# the flat lists other code reads (bench/phrases.py extends them)
FAULTS = ([(c, f) for c, f, _r in HOME_FAULTS]
          + [(c, f) for _p, c, f, _r in PUBLIC_FAULTS])
PUBLIC_PLACES = list(dict.fromkeys(p for p, _c, _f, _r in PUBLIC_FAULTS))
RESULTS = list(dict.fromkeys([r for *_x, r in HOME_FAULTS] + [r for *_x, r in PUBLIC_FAULTS]))
CALLERS = ["王先生", "李女士", "张阿姨", "刘先生", "陈女士", "杨先生", "黄女士", "赵先生",
           "周女士", "吴先生", "徐阿姨", "孙先生", "马女士", "朱先生", "胡女士"]

# target state of each demo ticket, oldest first; the last ones stay open or late
PLAN = (["closed"] * 8 + ["callback"] * 3 + ["returned"] * 4 + ["completed"] * 4
        + ["on_site"] * 4 + ["accepted"] * 4 + ["dispatched"] * 4 + ["paused"] * 2
        + ["voided"] * 2 + ["rework"] * 1 + ["follow_up"] * 1 + ["registered"] * 3)

# duty-log entries the clerks wrote during the day (after the ticket with this index)
LOG_AT = {
    6: "巡查地下车库B区，排水沟有积水，已通知工程部",
    19: "2号电梯困人事件已处理完毕，电梯公司到场检修",
    33: "前台钥匙12把、对讲机4台清点无误",
}

FRESH_S = {3: 430, 2: 250, 1: 70}
FINISHED = 19  # PLAN's closed, callback, returned and completed tickets come first

STEPS = ["dispatch", "accept", "arrive", "complete", "return", "callback", "close"]
STOP_AFTER = {
    "registered": 0, "dispatched": 1, "accepted": 2, "on_site": 3, "completed": 4,
    "returned": 5, "callback": 6, "closed": 7, "paused": 1, "voided": 0, "rework": 6,
    "follow_up": 3,
}


@dataclass
class DemoResult:
    path: Path
    tickets: int


def demo_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("repairdesk")) / "demo.sqlite3"


def build_demo(path: Path, config: Config, clock: Clock, seed: int = 20261122) -> DemoResult:
    """(Re)build the demo database at `path`, ending at `clock.now()`."""
    path = Path(path)
    if path.exists():
        _refuse_real_book(path)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    rng = random.Random(seed)
    end = clock.now()
    walk = FixedClock(end - timedelta(hours=24))
    store = open_store(str(path))
    # the day's work orders were printed as they were dispatched: no backlog in the queue
    quiet = replace(config, raw={**config.raw, "printing": {
        **config.raw.get("printing", {}), "auto_on_dispatch": False}})
    desk = Desk(store=store, config=quiet, clock=walk)
    try:
        with store.write() as session:
            from sqlalchemy import text

            session.connection().execute(
                text("INSERT INTO meta(key, value) VALUES ('demo', '1')"))
        for name, role, phone in STAFF:
            add_staff_unchecked(desk, name, role, phone)
        techs = [s[0] for s in STAFF if s[1] is Role.TECHNICIAN]
        clerks = [s[0] for s in STAFF if s[1] is Role.CLERK]
        n = len(PLAN)
        for idx, target in enumerate(PLAN):
            # the finished calls spread over the day; the open ones came in the last 4 hours
            if idx < FINISHED:
                at = end - timedelta(hours=23) + timedelta(minutes=idx * 19 * 60 // FINISHED)
            else:
                at = end - timedelta(hours=3) + timedelta(
                    minutes=(idx - FINISHED) * (3 * 60 - 25) // (n - FINISHED))
            at += timedelta(minutes=rng.randint(0, 8))
            if n - idx in FRESH_S:  # the last calls: one late, one in warning, one fresh
                at = end - timedelta(seconds=FRESH_S[n - idx])
            walk.set(at)
            clerk = clerks[0] if at.astimezone(config.tz).hour in range(8, 18) else clerks[1]
            _take_desk(desk, clerk)
            _one(desk, rng, walk, target, idx, clerk, techs, end)
            # warnings, breaches and escalations land in the duty log when they happened
            sla.escalate(desk)
            if idx in LOG_AT:
                walk.set(min(walk.now() + timedelta(minutes=2), end - timedelta(minutes=1)))
                dutylog.add_entry(desk, LOG_AT[idx], clerk)
        count = len(PLAN)
        # known PINs for the demo staff (README lists them) and a clerk holding the desk now
        now_desk = Desk(store=store, config=config, clock=clock)
        _take_desk(now_desk, clerks[1])
        prepare_demo(now_desk)
        _print_latest(now_desk, clerks[1])
    finally:
        store.dispose()
    return DemoResult(path, count)


def _take_desk(desk: Desk, clerk: str) -> None:
    """Demo books only: the shift's clerk holds the desk when the day's calls come in (a clerk
    acts as the holder; services/authority.py), without the PIN ceremony of a real sign-on."""
    from ..store.tables import ShiftTurn
    from .shifts import current_window, last_turn

    with desk.store.write() as session:
        turn = last_turn(session)
        if turn is not None and turn.holder == clerk:
            return
        window = current_window(desk)
        now = desk.now()
        new = ShiftTurn(site=desk.config.site_code, at=now, holder=clerk, via="sign_on",
                        window_from=window.start if window else now)
        session.add(new)
        session.flush()
        # signed as a sign-on signs it (without asking the PIN), so the demo book verifies
        from sqlmodel import select

        from ..store.tables import Staff

        role = session.exec(select(Staff.role).where(Staff.name == clerk)).one()
        signing.add_signature(session, signing.Signer(clerk, role, now), f"turn:{new.id}",
                              signing.Meaning.SIGN_ON,
                              signing.content_hash({"holder": clerk, "at": now.isoformat()}))


def _print_latest(desk: Desk, clerk: str, n: int = 2) -> None:
    """The last work orders dispatched go through the real print queue (to the folder unless
    a printer is configured), so the panel shows what printing looks like."""
    from .print_queue import queue_work_order
    from .print_run import run_job

    sent = [r for r in T.list_tickets(desk, open_only=True) if r.state.technician][:n]
    for r in sent:
        run_job(desk, queue_work_order(desk, r.ticket_no, clerk).id)


def _refuse_real_book(path: Path) -> None:
    import sqlite3

    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        row = con.execute("SELECT value FROM meta WHERE key = 'demo'").fetchone()
        con.close()
    except sqlite3.Error:
        row = None
    if not row:
        raise StoreError(
            _("{path} is not a demo database; refusing to overwrite it.").format(path=path))


def _charge(desk: Desk, no: str, idx: int, clerk: str) -> None:
    """A paid job's charges, agreed by the owner: one item of the fee schedule (picked by the
    ticket's place in the plan, so the demo's random story stays the same)."""
    from . import fees

    items = [i for i in desk.config.fees.items if i.kind.value == "service"]
    if items:
        use = fees.parse_item(desk, items[idx % len(items)].key, desk.now())
        fees.charge_ticket(desk, no, [use], [], True, clerk)
    else:  # a site without a fee schedule: a part at its purchase price
        fees.charge_ticket(desk, no, [], [fees.parse_material("配件=10")], True, clerk)


def _one(desk: Desk, rng: random.Random, walk: FixedClock, target: str, idx: int, clerk: str,
         techs: list[str], end: datetime) -> None:
    public = idx % 6 == 5
    if public:
        place, category, content, result = PUBLIC_FAULTS[rng.randrange(len(PUBLIC_FAULTS))]
    else:
        category, content, result = HOME_FAULTS[rng.randrange(len(HOME_FAULTS))]
        place = (f"{rng.randint(1, 12)}-{rng.randint(1, 3)}-"
                 f"{rng.randint(1, 28)}{rng.randint(1, 4):02d}")
    form = T.IntakeForm(
        room=place, caller=rng.choice(CALLERS),
        phone=f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}" if rng.random() < .8 else "",
        content=content, scope="public" if public else "home", category=category,
        urgency="urgent" if T.suggest_urgent(desk, content) else "normal",
        channel=rng.choice(["phone", "phone", "phone", "walk_in", "wechat", "app", "patrol"]),
        service_type="paid" if idx % 7 == 3 else "free",
    )
    if target == "registered" and idx == len(PLAN) - 1:
        form.urgency = "appointment"
        form.appointment = (end + timedelta(hours=15)).astimezone(desk.config.tz).strftime(
            "%Y-%m-%d %H:%M")
        form.urgency = "appointment"
    record = T.register_ticket(desk, form, clerk)
    no = record.ticket_no
    tech = rng.choice(techs)

    def later(lo: int, hi: int) -> None:
        nxt = walk.now() + timedelta(minutes=rng.randint(lo, hi))
        walk.set(min(nxt, end - timedelta(minutes=1)))

    if target == "voided":
        later(1, 3)
        T.void_ticket(desk, no, "业主来电取消，已自行处理", clerk)
        return
    steps = STEPS[: STOP_AFTER[target]]
    for step in steps:
        if step == "dispatch":
            later(1, 6)
            T.dispatch_ticket(desk, no, tech, clerk)
        elif step == "accept":
            later(1, 4)
            T.accept_ticket(desk, no, clerk)
        elif step == "arrive":
            later(5, 18)
            T.arrive_ticket(desk, no, clerk)
        elif step == "complete":
            later(20, 60)
            if form.service_type == "paid":  # the owner agreed to the quote on site (000 十B)
                _charge(desk, no, idx, clerk)
            T.complete_ticket(desk, no, result, clerk)
        elif step == "return":
            later(10, 40)
            T.return_ticket(desk, no, clerk)
        elif step == "callback":
            later(30, 120)
            T.callback_ticket(desk, no, target != "rework", clerk,
                              note="业主表示满意" if target != "rework" else "业主反映问题仍在")
        elif step == "close":
            later(5, 30)
            T.close_ticket(desk, no, clerk, verified=True)
    if target == "paused":
        later(10, 30)
        T.pause_ticket(desk, no, "等待配件到货", clerk)
    if target == "follow_up":
        later(30, 60)
        T.follow_up_ticket(desk, no, "已联系业主，配件需订货，到货后上门继续", clerk)
