"""A book with a bit of everything the record holds (tickets through their lifecycle, a print
job printed and one cancelled, roster changes by a supervisor, a wrong PIN, a signed handover, a
sign-off) and the attacker of issue 15: someone with the file, the sqlite3 module and the code,
who drops the triggers, changes rows, recomputes hashes and puts the triggers back."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from repairdesk.store import chain
from repairdesk.store.action_codes import name_of
from repairdesk.store.types import load_json

PINS = {"李静": "11111111", "陈晓雯": "22222222", "吴主管": "99999999"}


def module_book(tmp_path_factory: Any) -> dict[str, Any]:
    """The busy book in a module's own folder, its own config and data homes (what a module's
    fixture returns; each case then works on a copy): build()'s answer and the book's path."""
    import pytest

    where = tmp_path_factory.mktemp("busy")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CONFIG_HOME", str(where / "config"))
        mp.setenv("XDG_DATA_HOME", str(where / "data"))
        info = build(where / "book.sqlite3", where / "out")
    return {**info, "path": where / "book.sqlite3"}


def build(path: Path, folder: Path) -> dict[str, Any]:
    """Write the book at `path`; returns what the cases need (ticket numbers, anchors)."""
    from argon2 import PasswordHasher

    from holding import hold_desk
    from repairdesk.clock import FixedClock
    from repairdesk.config import load_config
    from repairdesk.domain.enums import Role
    from repairdesk.domain.handover import ReadBack, lines
    from repairdesk.errors import PermissionDenied
    from repairdesk.services import anchors, handover, printing, roster, signing, signoff
    from repairdesk.services import tickets as T
    from repairdesk.services.desk import open_desk
    from repairdesk.services.dutylog import add_entry
    from repairdesk.services.staff import add_staff_unchecked

    signing.use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    clock = FixedClock(datetime(2026, 11, 22, 2, 0, tzinfo=timezone.utc))
    desk = open_desk(str(path), clock=clock, config=load_config(None))
    try:
        for name, role in (("李静", Role.CLERK), ("陈晓雯", Role.CLERK),
                           ("张建国", Role.TECHNICIAN), ("王师傅", Role.TECHNICIAN),
                           ("周班长", Role.TEAM_LEADER), ("吴主管", Role.SUPERVISOR)):
            add_staff_unchecked(desk, name, role, "13800000001")
        for name, pin in PINS.items():
            signing.set_pin_unchecked(desk, name, pin)
        boss, pin = "吴主管", PINS["吴主管"]
        roster.add_person(desk, roster.NewPerson("孙小梅", Role.CLERK, pin="33333333"), boss, pin)
        roster.add_person(desk, roster.NewPerson("钱师傅", Role.TECHNICIAN, pin_later=True),
                          boss, pin)
        roster.set_role(desk, "钱师傅", Role.TEAM_LEADER, boss, pin)
        roster.set_active(desk, "周班长", False, boss, pin)
        hold_desk(desk, "李静")
        form = dict(caller="王先生", content="厨房水管漏水", category="水")
        nos = [T.register_ticket(desk, T.IntakeForm(room=f"3-2-150{i}", **form), "李静").ticket_no
               for i in range(1, 5)]
        a, b, c, d = nos
        clock.advance(minutes=5)
        T.dispatch_ticket(desk, a, "张建国", "李静")
        T.accept_ticket(desk, a, "张建国")
        T.arrive_ticket(desk, a, "张建国")
        T.complete_ticket(desk, a, "换了阀门", "张建国")
        T.return_ticket(desk, a, "李静")
        T.callback_ticket(desk, a, False, "李静")  # not satisfied: rework
        T.arrive_ticket(desk, a, "张建国")
        T.complete_ticket(desk, a, "重新密封", "张建国")
        T.return_ticket(desk, a, "李静")
        T.callback_ticket(desk, a, True, "李静")
        T.close_ticket(desk, a, "李静")
        T.dispatch_ticket(desk, b, "王师傅", "李静")
        T.pause_ticket(desk, b, "等配件", "李静")
        T.resume_ticket(desk, b, "李静")
        T.amend_ticket(desk, b, {"caller": "王女士"}, "李静")
        T.void_ticket(desk, c, "重复登记", "李静")
        printed = printing.run_job(desk, printing.queue_work_order(
            desk, b, "李静", folder=str(folder)).id)
        cancelled = printing.cancel_job(desk, printing.queue_work_order(
            desk, b, "李静", folder=str(folder)).id, "李静")
        try:
            signing.authenticate(desk, "陈晓雯", "00000000")
        except PermissionDenied:
            pass  # a wrong PIN: recorded, and written in the duty log
        clock.advance(hours=6)
        c_list = handover.build_checklist(desk)
        answers = {ln.key: ReadBack(ln.key, True) for ln in lines(c_list)}
        explain = {blk.ticket_no: "已交代" for blk in handover.rules.blockers(
            c_list.open_items, {})} if hasattr(handover, "rules") else {}
        c_list.explanations.update(explain)
        rec = handover.complete_handover(desk, c_list, answers, "李静", PINS["李静"], "陈晓雯",
                                         PINS["陈晓雯"])
        handed = handover.handover_json(desk, rec)["anchor"]
        clock.advance(hours=18)
        add_entry(desk, "夜班无事", "陈晓雯")
        signoff.sign_off(desk, boss, pin, comment="已阅")
        signed = signoff.review(desk).anchor
        add_entry(desk, "交班后巡查", "陈晓雯")
        add_entry(desk, "对讲机充电", "陈晓雯")
        from repairdesk.services import sla

        notices = sla.escalate(desk)  # ticket 4 was never dispatched: warnings and breaches
        return {"notices": len(notices), "nos": nos, "open": d, "closed": a, "amended": b, "printed": printed.id,
                "cancelled": cancelled.id, "handed": handed, "signed": signed,
                "handover": rec.id, "head": anchors.current_anchor(desk)}
    finally:
        desk.close()
        signing.use_hasher(None)


def copy_book(src: Path, dst: Path) -> Path:
    con = sqlite3.connect(src)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    shutil.copyfile(src, dst)
    return dst


def attack(path: Path, change: Callable[[sqlite3.Connection], None]) -> None:
    """Drop every trigger, `change` the rows, put the same triggers back: the schema is as the
    app left it, so only the records themselves can tell."""
    con = sqlite3.connect(path)
    saved = list(con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    for name, _sql in saved:
        con.execute(f"DROP TRIGGER {name}")
    change(con)
    for _name, sql in saved:
        con.execute(sql)
    con.commit()
    con.close()


def sql(*stmts: str) -> Callable[[sqlite3.Connection], None]:
    def run(con: sqlite3.Connection) -> None:
        for stmt in stmts:
            con.execute(stmt)
    return run


def _when(text: str | int) -> datetime:
    """A stored time as the attacker reads it back: DATETIME text, or an event's integer of
    microseconds (repairdesk/store/stamps.py)."""
    from repairdesk.store.stamps import event_time

    return event_time(text)


def rechain_events(con: sqlite3.Connection) -> None:
    """Recompute every ticket event's seal from the first (what `verify`'s walk checks), the
    counter and the head it keeps."""
    numbers = dict(con.execute("SELECT id, ticket_no FROM ticket"))
    prev = chain.GENESIS
    for row in _event_rows(con):
        h = chain.event_hash(row, numbers.get(row["ticket_id"], ""), prev)
        con.execute("UPDATE ticket_event SET seal = ? WHERE id = ?", (chain.seal_of(h, "sqlite"), row["id"]))
        prev = h
    n = con.execute("SELECT count(*) FROM ticket_event").fetchone()[0]
    con.execute("UPDATE counter SET last = ?, head = ? WHERE name = ?",
                (n, prev, chain.EVENT_CHAIN))


def _event_rows(con: sqlite3.Connection, where: str = "", args: tuple = ()) -> list[dict]:
    cols = ("id", "ticket_id", "seq", "at", "recorded_at", "action", "by", "note", "data")
    out = []
    for values in con.execute(f"SELECT {', '.join(cols)} FROM ticket_event {where} ORDER BY id",
                              args).fetchall():
        row = dict(zip(cols, values))
        # as a SQLite book stores them (migration 0013): recorded_at as its lag after at, the
        # action as its code
        row["at"], row["recorded_at"] = _when(row["at"]), _when(row["at"] + row["recorded_at"])
        row["action"] = name_of(row["action"])
        row["data"] = load_json(row["data"])
        out.append(row)
    return out


def rechain_log(con: sqlite3.Connection) -> None:
    """Recompute the duty-log chain (the anchors test's attacker, on a sqlite3 connection)."""
    from repairdesk.services.dutylog import GENESIS, entry_hash

    cols = ("seq", "site", "at", "kind", "author", "text", "ticket_no", "corrects_id",
            "dedup_key", "data")
    prev = GENESIS
    for values in con.execute(f"SELECT {', '.join(cols)} FROM duty_log ORDER BY seq").fetchall():
        e = dict(zip(cols, values))
        e["at"] = _when(e["at"])
        e["data"] = load_json(e["data"])
        h = entry_hash(e, prev)
        con.execute("UPDATE duty_log SET prev_hash = ?, hash = ? WHERE seq = ?",
                    (prev, h, e["seq"]))
        prev = h


def attack_one_event(con: sqlite3.Connection, event_id: int) -> None:
    """Recompute one event's own seal, chained to the full hash of the event before it as the
    attacker works it out with the code (its successor still chains to the old one)."""
    numbers = dict(con.execute("SELECT id, ticket_no FROM ticket"))
    prev = chain.GENESIS
    for row in _event_rows(con, "WHERE id <= ?", (event_id,)):
        h = chain.event_hash(row, numbers.get(row["ticket_id"], ""), prev)
        if row["id"] == event_id:
            con.execute("UPDATE ticket_event SET seal = ? WHERE id = ?",
                        (chain.seal_of(h, "sqlite"), event_id))
        prev = h
