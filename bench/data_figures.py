"""The desk's service calls timed on a big book: registering a call, searching every ticket,
and the month's statistics table; each with the floor that the same work has in raw SQL."""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path
from typing import Any

CLERK = "李静"
CONTENTS = ["厨房水龙头漏水，请尽快处理", "卫生间灯不亮", "空调插座跳闸，一开空调就断电",
            "防盗门关不上，门框变形", "楼道消防栓箱门坏了"]


def _on_duty(desk) -> None:
    """The benchmark's clerk on the roster and holding the desk (a generated history book has
    no roster; registering needs someone signed on: services/authority.py)."""
    from repairdesk.domain.enums import Role
    from repairdesk.services.shifts import last_turn
    from repairdesk.services.staff import add_staff_unchecked, find_staff
    from repairdesk.store.tables import ShiftTurn

    with desk.store.read() as session:
        known = find_staff(session, CLERK) is not None
    if not known:
        add_staff_unchecked(desk, CLERK, Role.CLERK)
    with desk.store.write() as session:
        if last_turn(session) is None:
            session.add(ShiftTurn(site=desk.config.site_code, at=desk.now(), holder=CLERK,
                                  via="sign_on", window_from=desk.now()))


def register_times(db: Path, count: int) -> list[float]:
    """Seconds per register_ticket call (validated form, committed with synchronous=FULL).
    The tickets are voided afterwards so repeated runs keep the same open work."""
    from repairdesk.services.desk import open_desk
    from repairdesk.services.tickets import IntakeForm, register_ticket, void_ticket

    rng = random.Random(9)
    desk = open_desk(str(db))
    out: list[float] = []
    made: list[str] = []
    try:
        _on_duty(desk)
        for i in range(count + 1):
            form = IntakeForm(room=f"{rng.randint(1, 24)}-{rng.randint(1, 4)}-{rng.randint(1, 33)}"
                                   f"0{rng.randint(1, 4)}", caller="王先生", phone="13800138000",
                              content=rng.choice(CONTENTS), category="水")
            t0 = time.perf_counter()
            record = register_ticket(desk, form, CLERK)
            if i:  # the first call pays for warming the caches
                out.append(time.perf_counter() - t0)
            made.append(record.ticket_no)
        for no in made:
            void_ticket(desk, no, "性能测试登记，作废", CLERK)
    finally:
        desk.close()
    return out


def register_floor_times(db: Path, count: int) -> list[float]:
    """The floor of registering: the same rows (ticket, its register step, its search body)
    written by hand with sqlite3 in one durable transaction (WAL, synchronous=FULL, as the
    desk writes), nothing validated, no number taken. Written as voided tickets, so the
    desk's open work stays the same from run to run (steps are append-only)."""
    from repairdesk.config import load_config
    from repairdesk.store.search import TABLE, doc_body

    site = load_config(None).site_code
    conn = sqlite3.connect(str(db), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    stamp = time.strftime("%Y%m%d%H%M%S")
    out: list[float] = []
    try:
        for i in range(count + 1):
            now = time.strftime("%Y-%m-%d %H:%M:%S.000000", time.gmtime())
            no = f"FLOOR-{stamp}-{i:04d}"
            t0 = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            cur = conn.execute(
                "INSERT INTO ticket (ticket_no, site, received_at, registered_at, registered_by, "
                "channel, room, building, caller, phone, content, scope, category, urgency, "
                "service_type, owner_parts, verify_code, status, technician, follow_up, "
                "rework_count, last_event_at) VALUES (?, ?, ?, ?, ?, 'phone', '3-2-1501', "
                "'3', '王先生', '13800138000', ?, 'home', '水', 'normal', 'free', 0, '', "
                "'voided', '', 0, 0, ?)",
                (no, site, now, now, CLERK, CONTENTS[i % len(CONTENTS)], now))
            tid = cur.lastrowid
            conn.execute("INSERT INTO ticket_event (ticket_id, seq, at, recorded_at, action, by, "
                         "note, data) VALUES (?, 1, ?, ?, 'register', ?, '', '{}')",
                         (tid, now, now, CLERK))
            conn.execute(f"INSERT INTO {TABLE}(rowid, body) VALUES (?, ?)",
                         (tid, doc_body(no, "3-2-1501", "王先生", "13800138000",
                                        CONTENTS[i % len(CONTENTS)])))
            conn.execute("COMMIT")
            if i:
                out.append(time.perf_counter() - t0)
    finally:
        conn.close()
    return out


def search_times(db: Path, word: str, repeats: int) -> tuple[list[float], list[float], int]:
    """Seconds per search_tickets(word) (first 200 hits as records, and the total), seconds
    per raw-SQL floor (the same FTS query, count and ticket rows through sqlite3), total."""
    from repairdesk.services.desk import open_desk
    from repairdesk.services.tickets import search_tickets
    from repairdesk.store.search import TABLE, match_expr

    desk = open_desk(str(db))
    ours: list[float] = []
    total = 0
    try:
        for i in range(repeats + 1):
            t0 = time.perf_counter()
            records, total = search_tickets(desk, word)
            if i:
                ours.append(time.perf_counter() - t0)
    finally:
        desk.close()
    expr = match_expr(word)
    conn = sqlite3.connect(str(db))
    floor: list[float] = []
    for i in range(repeats + 1):
        t0 = time.perf_counter()
        ids = [r[0] for r in conn.execute(
            f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH ? ORDER BY rowid DESC LIMIT 200",
            (expr,))]
        conn.execute(f"SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH ?", (expr,)).fetchone()
        conn.execute(f"SELECT * FROM ticket WHERE id IN ({','.join('?' * len(ids))})",
                     ids).fetchall()
        if i:
            floor.append(time.perf_counter() - t0)
    conn.close()
    assert len(records) == min(200, total)
    return ours, floor, total


def month_figures(db: Path, key: str, repeat: int) -> dict[str, Any]:
    """bench/month_report.run: the SLA outcomes judged once, the month table, the one-query
    raw SQL floor, and whether the table and the floor agree."""
    from bench.month_report import run

    return run(db, key, repeat)


def build_month_book(path: Path, n: int, month_tickets: int, key: str) -> float:
    from bench.month_report import build

    t0 = time.perf_counter()
    build(path, n, month_tickets, key)
    return time.perf_counter() - t0
