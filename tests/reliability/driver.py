"""Workload driver and book checker for the crash and concurrency tests.

    python driver.py work  --db URL --seed N --clerk NAME [--count N] [--site XF]
        registers and advances tickets and writes duty-log entries through the services,
        printing one line per committed write (after the commit, unbuffered):
          T <ticket_no>         a ticket was registered
          S <ticket_no> <seq>   event <seq> of that ticket was saved
          L <seq>               duty-log entry <seq> was saved
          E <message>           a RepairdeskError reached the clerk (one line)
    python driver.py crash --db FILE --kills N --seed N
        forks a worker (modules already imported, so a kill costs milliseconds, not a Python
        start-up), SIGKILLs it after a seeded random delay, checks the book, repeats; prints
        the totals as one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from repairdesk.clock import SystemClock
from repairdesk.config import load_config, parse_config
from repairdesk.domain.enums import Role, Status
from repairdesk.domain.ticket import OPEN_WORK
from repairdesk.errors import RepairdeskError
from repairdesk.services import dutylog
from repairdesk.services import tickets as svc
from repairdesk.services.desk import Desk, open_desk

TECHS = ("张建国", "王师傅")


def site_config(site: str, with_site_in_number: bool) -> object:
    raw = dict(load_config(None).raw)
    raw["site"] = dict(raw["site"], code=site)
    if with_site_in_number:
        raw["numbering"] = dict(raw["numbering"], format="{prefix}-{site}-{date:%Y%m%d}-{seq:04d}")
    return parse_config(raw)


def open_work_desk(db: str, site: str = "XF", site_numbers: bool = False) -> Desk:
    cfg = site_config(site, site_numbers) if (site != "XF" or site_numbers) else load_config(None)
    return open_desk(db, clock=SystemClock(), config=cfg)  # type: ignore[arg-type]


def ensure_roster(db: str) -> None:
    from repairdesk.services.staff import add_staff_unchecked

    desk = open_work_desk(db)
    try:
        # the desk's clerk holds the desk (nothing is registered before someone signs on); the
        # second worker is a supervisor, who may act at a desk held by someone else
        for name, role in [(t, Role.TECHNICIAN) for t in TECHS] + [
                ("李静", Role.CLERK), ("陈晓雯", Role.SUPERVISOR)]:
            try:
                add_staff_unchecked(desk, name, role)
            except RepairdeskError:
                pass  # already on the roster
        from repairdesk.services import signing
        from repairdesk.services.shifts import last_turn
        from repairdesk.store.tables import ShiftTurn

        with desk.store.write() as session:
            if last_turn(session) is None:
                now = desk.now()
                turn = ShiftTurn(site=desk.config.site_code, at=now, holder="李静",
                                 via="sign_on", window_from=now)
                session.add(turn)
                session.flush()
                # signed as the desk's sign-on signs it, so the book verifies
                signing.add_signature(
                    session, signing.Signer("李静", Role.CLERK.value, now), f"turn:{turn.id}",
                    signing.Meaning.SIGN_ON,
                    signing.content_hash({"holder": "李静", "at": now.isoformat()}))
    finally:
        desk.close()


# ------------------------------------------------------------------ the workload

_ADVANCE: dict[Status, Callable[[Desk, str, str, random.Random], object]] = {
    Status.REGISTERED: lambda d, no, by, r: svc.dispatch_ticket(d, no, r.choice(TECHS), by),
    Status.DISPATCHED: lambda d, no, by, r: svc.accept_ticket(d, no, by),
    Status.ACCEPTED: lambda d, no, by, r: svc.arrive_ticket(d, no, by),
    Status.ON_SITE: lambda d, no, by, r: svc.complete_ticket(d, no, "已修好", by),
    Status.COMPLETED: lambda d, no, by, r: svc.return_ticket(d, no, by),
    Status.RETURNED: lambda d, no, by, r: svc.callback_ticket(d, no, r.random() > 0.1, by),
    Status.CALLBACK: lambda d, no, by, r: svc.close_ticket(d, no, by),
}


def work(desk: Desk, seed: int, clerk: str, emit: Callable[[str], None],
         count: int | None = None, register_only: bool = False, pace: float = 0.0) -> None:
    """Register, advance, void and log at random until `count` actions (or forever).
    `pace`: up to that many seconds of "clerk typing" between actions; without it one process
    re-takes SQLite's write lock before the other's busy handler wakes up, and they never mix."""
    rng = random.Random(seed)
    mine: list[str] = []
    done = 0
    while count is None or done < count:
        done += 1
        if pace:
            time.sleep(rng.uniform(0, pace))
        roll = rng.random()
        try:
            if roll < 0.35 or not mine or register_only:
                form = svc.IntakeForm(
                    room=f"{rng.randint(1, 12)}-{rng.randint(1, 4)}-{rng.randint(101, 3302)}",
                    caller=rng.choice("王李张刘陈杨赵黄") + "先生", phone="13812345678",
                    content=rng.choice(["厨房水管漏水", "客厅没电", "门锁坏了", "窗户关不上"]),
                    category=rng.choice(["水", "电", "门窗"]))
                rec = svc.register_ticket(desk, form, clerk)
                mine.append(rec.ticket_no)
                emit(f"T {rec.ticket_no}")
            elif roll < 0.9:
                no = rng.choice(mine)
                state = svc.get_ticket(desk, no).state.status
                step = _ADVANCE.get(state)
                if step is None:
                    mine.remove(no)
                    continue
                rec = step(desk, no, clerk, rng)  # type: ignore[assignment]
                emit(f"S {no} {rec.events[-1].seq}")  # type: ignore[attr-defined]
            elif roll < 0.95:
                no = rng.choice(mine)
                if svc.get_ticket(desk, no).state.status not in OPEN_WORK:
                    continue
                rec = svc.void_ticket(desk, no, "业主重复报修", clerk)
                mine.remove(no)
                emit(f"S {no} {rec.events[-1].seq}")
            else:
                with desk.store.write() as session:
                    entry = dutylog.append(session, site=desk.config.site_code, at=desk.now(),
                                           kind=dutylog.LogKind.CLERK, author=clerk,
                                           text=f"巡查正常 {rng.randint(1, 999)}")
                    seq = entry.seq if entry else 0
                emit(f"L {seq}")
        except RepairdeskError as exc:
            emit(f"E {exc}")


# ------------------------------------------------------------------ reports and checks

@dataclass
class Reports:
    """What the workers said they saved."""

    tickets: dict[str, int] = field(default_factory=dict)  # ticket_no -> highest saved seq
    log_seqs: set[int] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)

    def feed(self, text: str) -> None:
        for line in text.splitlines():
            kind, _sep, rest = line.partition(" ")
            if kind == "T":
                self.tickets.setdefault(rest, 1)
            elif kind == "S":
                no, seq = rest.split()
                self.tickets[no] = max(self.tickets.get(no, 1), int(seq))
            elif kind == "L":
                self.log_seqs.add(int(rest))
            elif kind == "E":
                self.errors.append(rest)


def check_book(db: str, reports: Reports) -> tuple[list[str], dict[str, int]]:
    """Every problem found in the book (empty: sound), and what the book holds."""
    from sqlmodel import select

    from repairdesk.store.tables import Counter, DutyLogEntry, Ticket

    problems: list[str] = []
    if "://" not in db:
        con = sqlite3.connect(db)
        try:
            result = con.execute("PRAGMA integrity_check").fetchall()
        finally:
            con.close()
        if result != [("ok",)]:
            problems.append(f"integrity_check: {result}")
    desk = open_desk(db, clock=SystemClock(), config=load_config(None))
    try:
        records = {r.ticket_no: r for r in svc.list_tickets(desk)}
        from repairdesk.services.integrity import verify_book

        # two desks writing at once never fork a chain nor leave a projection behind its events
        sound = verify_book(desk).problem
        if sound:
            problems.append(f"verify: {sound}")
        with desk.store.read() as session:
            rows = list(session.exec(select(Ticket)))
            counters = {c.name: c.last for c in session.exec(select(Counter))}
            log = list(session.exec(select(DutyLogEntry).order_by(DutyLogEntry.seq)))
    finally:
        desk.close()
    # the 单号: per period (everything before the last '-'), exactly 1..n, matching the counter
    periods: dict[str, list[int]] = {}
    for row in rows:
        head, _sep, seq = row.ticket_no.rpartition("-")
        periods.setdefault(head, []).append(int(seq))
    for head, seqs in periods.items():
        if sorted(seqs) != list(range(1, len(seqs) + 1)):
            problems.append(f"numbering {head}: gap or duplicate in {sorted(seqs)[:50]}")
        if counters.get(f"{head}-#") != len(seqs):
            problems.append(f"counter {head}-# = {counters.get(head + '-#')} but {len(seqs)} tickets")
    # every reported ticket with its full history, and a projection that matches the events
    for no, seq in reports.tickets.items():
        rec = records.get(no)
        if rec is None:
            problems.append(f"lost ticket {no}")
            continue
        seqs = [e.seq for e in rec.events]
        if seqs != list(range(1, len(seqs) + 1)) or len(seqs) < seq:
            problems.append(f"history of {no}: have {seqs}, reported up to {seq}")
    for row in rows:
        rec = records[row.ticket_no]
        if row.status != rec.state.status.value:
            problems.append(f"projection of {row.ticket_no}: {row.status} != {rec.state.status}")
    # the duty log: contiguous, chained, nothing reported missing
    prev = dutylog.GENESIS
    for i, e in enumerate(log, start=1):
        if e.seq != i:
            problems.append(f"duty log seq {e.seq} at position {i}")
            break
        if e.prev_hash != prev or e.hash != dutylog.entry_hash(e, prev):
            problems.append(f"duty log chain broken at {e.seq}")
            break
        prev = e.hash
    if counters.get(dutylog.CHAIN, 0) != len(log):
        problems.append(f"duty log counter {counters.get(dutylog.CHAIN)} but {len(log)} entries")
    missing = sorted(s for s in reports.log_seqs if s > len(log))
    if missing:
        problems.append(f"lost duty-log entries {missing}")
    return problems, {"tickets": len(rows), "events": sum(len(r.events) for r in records.values()),
                      "log": len(log)}


# ------------------------------------------------------------------ concurrent workers

def run_workers(db: str, workers: list[list[str]], timeout: float = 240) -> list[tuple[int, str, str]]:
    """Start one `work` process per argument list, release them together, wait for all:
    (exit code, stdout, stderr) each."""
    import subprocess

    procs = [subprocess.Popen(
        [sys.executable, __file__, "work", "--db", db, "--go-on-stdin", *args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for args in workers]
    for proc in procs:  # all imported and connected before anyone starts
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if line.strip() != "READY":
            proc.kill()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=timeout)
        results.append((proc.returncode, out, err))
    return results


def interleavings(outputs: list[str]) -> int:
    """How often consecutive 单号 changed hands between workers: > 0 means they overlapped."""
    owned = sorted((line.split()[1], i) for i, out in enumerate(outputs)
                   for line in out.splitlines() if line.startswith("T "))
    return sum(1 for a, b in zip(owned, owned[1:]) if a[1] != b[1])


# ------------------------------------------------------------------ the crash loop

READY = b"# ready\n"


def _until_ready(fd: int) -> bytes:
    """Read the worker's pipe up to its ready line (or its end, if it died first)."""
    got = b""
    while READY not in got:
        chunk = os.read(fd, 64)
        if not chunk:
            break
        got += chunk
    return got


def crash(db: str, kills: int, seed: int, max_delay: float) -> dict[str, object]:
    rng = random.Random(seed)
    reports = Reports()
    ensure_roster(db)
    problems: list[str] = []
    reported_lines = 0
    started = time.monotonic()
    for i in range(kills):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: a fresh engine, killed somewhere inside its loop
            os.close(read_fd)
            try:
                desk = open_work_desk(db)
                os.write(write_fd, READY)
                work(desk, seed * 100_003 + i, "李静",
                     lambda line: os.write(write_fd, (line + "\n").encode()))
            finally:
                os._exit(3)
        os.close(write_fd)
        # the kill falls inside the work, whatever opening the book cost on a loaded machine
        chunks = [_until_ready(read_fd)]
        time.sleep(rng.uniform(0.002, max_delay))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        while chunk := os.read(read_fd, 65536):
            chunks.append(chunk)
        os.close(read_fd)
        text = b"".join(chunks).decode("utf-8", "replace")
        # a line cut by the kill was never fully reported: ignore the partial tail
        text = text[: text.rfind("\n") + 1]
        reported_lines += text.count("\n")
        reports.feed(text)
        found, _held = check_book(db, reports)
        if found:
            problems.extend(f"after kill {i + 1}: {p}" for p in found)
            break
    found, held = check_book(db, reports)
    losses = sum(1 for p in found if p.startswith("lost"))
    return {"kills": kills, "reported_writes": reported_lines, "tickets": held["tickets"],
            "events": held["events"], "log_entries": held["log"],
            "reported_tickets": len(reports.tickets), "losses": losses,
            "problems": problems + found, "errors": reports.errors[:5],
            "seconds": round(time.monotonic() - started, 1)}


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["work", "crash", "roster"])
    p.add_argument("--db", required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--clerk", default="李静")
    p.add_argument("--count", type=int, default=None)
    p.add_argument("--kills", type=int, default=200)
    p.add_argument("--max-delay", type=float, default=0.12)
    p.add_argument("--site", default="XF")
    p.add_argument("--site-numbers", action="store_true")
    p.add_argument("--register-only", action="store_true")
    p.add_argument("--pace", type=float, default=0.0)
    p.add_argument("--go-on-stdin", action="store_true",
                   help="print READY, then wait for a line on stdin (a start barrier)")
    a = p.parse_args(argv)
    if a.mode == "roster":
        ensure_roster(a.db)
        return 0
    if a.mode == "crash":
        print(json.dumps(crash(a.db, a.kills, a.seed, a.max_delay), ensure_ascii=False))
        return 0
    desk = open_work_desk(a.db, a.site, a.site_numbers)
    if a.go_on_stdin:
        print("READY", flush=True)
        sys.stdin.readline()
    try:
        work(desk, a.seed, a.clerk, lambda line: print(line, flush=True), a.count,
             a.register_only, a.pace)
    finally:
        desk.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
