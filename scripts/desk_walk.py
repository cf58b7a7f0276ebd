#!/usr/bin/env python3
"""A night clerk's two most frequent walks, typed into the real desk through tmux.

    python scripts/desk_walk.py                 # fast: keys as soon as the screen is ready
    python scripts/desk_walk.py --pace human    # at a person's pace (about two minutes)
    python scripts/desk_walk.py --size 80x24 --keep

1. **A call registered and dispatched**: `n`, the room, the caller, the phone left empty, the
   content, `ctrl+s`, `d`, `Enter` (the best-fit technician is preselected). The words are not
   counted; every other key is, and the walk fails if it takes more than 8.
2. **A handover with 40 open tickets** at 120×35: `h`, each line read back with `space`, `g`, the
   outgoing PIN, the incoming name and PIN. Human pace is modelled as 0.6 s per key, 0.3 s per
   typed character and 2.5 s to read a handover line aloud before confirming it; the walk fails
   if that model (or, with `--pace human`, the clock on the wall) passes 3 minutes.

The book is built in a scratch directory through the services a real first night uses (the
first supervisor, the roster approved by her PIN, the first sign-on, 40 calls registered and
dispatched) and the results are read back from the book, not from the screen. Prints one line
per walk and exits non-zero when a walk fails. Needs tmux (`.ci/setup.d/tmux.sh`)."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

KEY_S, CHAR_S, READ_LINE_S = 0.6, 0.3, 2.5
MAX_KEYS, MAX_HUMAN_S = 8, 180.0
FAST_S = float(os.environ.get("DESK_WALK_FAST_S", "0.15"))
PINS = {"吴主管": "73519246", "李静": "51627384", "陈晓雯": "84261735"}
TECHS = (("张建国", "水,电"), ("王师傅", "门窗,土建"), ("刘师傅", "综合,电梯"))
CALLS = ("厨房水槽下水管漏水", "卫生间灯不亮", "入户门锁芯坏了", "阳台推拉窗关不上",
         "墙面渗水起皮", "插座没电", "马桶水箱一直进水", "防盗门门铃不响")


@dataclass
class Walk:
    name: str
    keys: int = 0
    chars: int = 0
    lines_read: int = 0
    wall: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def human_s(self) -> float:
        return self.keys * KEY_S + self.chars * CHAR_S + self.lines_read * READ_LINE_S


class Tmux:
    def __init__(self, session: str, pace: str) -> None:
        self.session, self.pace = session, pace

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", *args], check=True, capture_output=True,
                              text=True).stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        end = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if text in shown:
                return shown
            if time.monotonic() > end:
                raise SystemExit(f"desk_walk: waited {timeout:.0f} s for {text!r}; the screen:\n"
                                 + shown)
            time.sleep(0.1)  # tmux has no "wait until drawn": poll the pane

    def wait_gone(self, text: str, timeout: float = 20.0) -> None:
        end = time.monotonic() + timeout
        while text in (shown := self.screen()):
            if time.monotonic() > end:
                raise SystemExit(f"desk_walk: {text!r} still shown after {timeout:.0f} s:\n"
                                 + shown)
            time.sleep(0.1)

    def key(self, walk: Walk, *keys: str) -> None:
        for k in keys:
            walk.keys += 1
            self.run("send-keys", "-t", self.session, k)
            self._pause(KEY_S)

    def type(self, walk: Walk, text: str) -> None:
        walk.chars += len(text)
        self.run("send-keys", "-t", self.session, "-l", text)
        self._pause(CHAR_S * len(text))

    def read_line(self, walk: Walk) -> None:
        walk.lines_read += 1
        self._pause(READ_LINE_S)

    def _pause(self, human: float) -> None:
        time.sleep(human if self.pace == "human" else FAST_S)


def build_book(path: Path, n_open: int) -> dict[str, str]:
    """The book as a first night leaves it: supervisor, roster, 李静 signed on, n_open calls
    dispatched and still open (an urgent call without a technician would block the handover,
    which is a different walk)."""
    from repairdesk.config import load_config
    from repairdesk.domain.enums import Role
    from repairdesk.services.desk import open_desk
    from repairdesk.services.roster import NewPerson, add_person
    from repairdesk.services.setup import create_first_supervisor
    from repairdesk.services.shifts import sign_on
    from repairdesk.services.tickets import IntakeForm, dispatch_ticket, register_ticket

    desk = open_desk(str(path), config=load_config(None))
    try:
        boss = "吴主管"
        create_first_supervisor(desk, boss, "13600000031", PINS[boss], PINS[boss])
        for name in ("李静", "陈晓雯"):
            add_person(desk, NewPerson(name, Role.CLERK, "1380000000" + str(len(name)),
                                       PINS[name], PINS[name]), boss, PINS[boss])
        for i, (name, skills) in enumerate(TECHS):
            add_person(desk, NewPerson(name, Role.TECHNICIAN, f"1390000001{i}", skills=skills),
                       boss, PINS[boss])
        sign_on(desk, "李静", PINS["李静"])
        for i in range(n_open):
            rec = register_ticket(desk, IntakeForm(
                room=f"{i % 9 + 1}-{i % 3 + 1}-{(i % 20 + 1) * 100 + i % 4 + 1}",
                caller="王女士", content=CALLS[i % len(CALLS)]), "李静")
            dispatch_ticket(desk, rec.ticket_no, TECHS[i % len(TECHS)][0], "李静")
    finally:
        desk.close()
    return PINS


def walk_register(tmux: Tmux) -> Walk:
    w = Walk("register and dispatch a call")
    start = time.monotonic()
    tmux.key(w, "n")
    tmux.wait_for("Esc")
    tmux.type(w, "3栋2单元1501")
    tmux.key(w, "Enter")
    tmux.type(w, "赵先生")
    tmux.key(w, "Enter", "Enter")  # the phone only if the owner agrees: left empty
    tmux.type(w, "卫生间水管爆裂，水流不止")
    tmux.key(w, "C-s")
    tmux.wait_gone("Esc")  # the form is gone: saved
    tmux.key(w, "d")
    tmux.wait_for("Esc")  # the picker is up, the best fit highlighted
    tmux.key(w, "Enter")
    tmux.wait_gone("Esc")
    w.wall = time.monotonic() - start
    return w


def walk_handover(tmux: Tmux, lines: int, pins: dict[str, str]) -> Walk:
    w = Walk(f"handover with {lines} lines")
    start = time.monotonic()
    tmux.key(w, "h")
    tmux.wait_for("g ")
    for _ in range(lines):
        tmux.read_line(w)
        tmux.key(w, "Space")
    tmux.key(w, "g")
    tmux.type(w, pins["李静"])
    tmux.key(w, "Enter")
    tmux.type(w, "陈晓雯")
    tmux.key(w, "Enter")
    tmux.type(w, pins["陈晓雯"])
    tmux.key(w, "Enter")
    w.wall = time.monotonic() - start
    return w


def book_facts(path: Path) -> dict[str, object]:
    """What the walks left in the book, read with the services (not from the screen)."""
    from repairdesk.config import load_config
    from repairdesk.services.desk import open_desk
    from repairdesk.services.handover_records import list_handovers
    from repairdesk.services.tickets import list_tickets

    desk = open_desk(str(path), config=load_config(None), must_exist=True)
    try:
        tickets = {t.ticket_no: t for t in list_tickets(desk)}
        newest = tickets[max(tickets)]
        h = list_handovers(desk)
        return {"newest": newest.ticket_no, "room": newest.intake.room,
                "technician": newest.state.technician,
                "handovers": len(h), "incoming": h[-1].incoming if h else ""}
    finally:
        desk.close()


def handover_lines(path: Path) -> int:
    from repairdesk.config import load_config
    from repairdesk.domain.handover import lines
    from repairdesk.services.desk import open_desk
    from repairdesk.services.handover import build_checklist

    desk = open_desk(str(path), config=load_config(None), must_exist=True)
    try:
        return len(lines(build_checklist(desk, "", {})))
    finally:
        desk.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pace", choices=("fast", "human"), default="fast")
    ap.add_argument("--size", default="120x35", help="terminal size, e.g. 80x24")
    ap.add_argument("--open", type=int, default=40, help="open tickets before the handover")
    ap.add_argument("--lang", default="zh_CN")
    ap.add_argument("--keep", action="store_true", help="keep the scratch book and session")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    args = ap.parse_args(argv)
    if shutil.which("tmux") is None:
        print("desk_walk: tmux is not installed (.ci/setup.d/tmux.sh)", file=sys.stderr)
        return 2
    cols, rows = (int(x) for x in args.size.lower().split("x"))
    work = Path(tempfile.mkdtemp(prefix="desk-walk-"))
    book = work / "walk.sqlite3"
    pins = build_book(book, args.open)
    session = f"desk-walk-{os.getpid()}"
    exe = [sys.executable, "-m", "repairdesk", "--db", str(book), "--lang", args.lang]
    # the desk's print folder and caches in the scratch directory, not the user's own
    env = (f"cd {shlex.quote(str(work))} && TERM=xterm-256color COLORTERM=truecolor "
           f"XDG_DATA_HOME={shlex.quote(str(work))} XDG_CACHE_HOME={shlex.quote(str(work))} ")
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", str(cols), "-y",
                    str(rows), env + shlex.join(exe)], check=True)
    tmux = Tmux(session, args.pace)
    ok = True
    results: list[dict[str, object]] = []
    try:
        tmux.wait_for("BX-")
        reg = walk_register(tmux)
        tmux.wait_for("3-2-1501")
        n_lines = handover_lines(book)
        ho = walk_handover(tmux, n_lines, pins)
        tmux.wait_for("--anchor")  # signed: the anchor to write down is shown
        facts = book_facts(book)
        checks = [
            (reg, reg.keys <= MAX_KEYS and facts["room"] == "3-2-1501"
             and bool(facts["technician"]),
             f"{reg.keys} keys besides the words (≤ {MAX_KEYS}); {facts['newest']} at "
             f"{facts['room']} dispatched to {facts['technician'] or 'nobody'}"),
            (ho, facts["handovers"] == 1 and facts["incoming"] == "陈晓雯"
             and ho.human_s <= MAX_HUMAN_S and (args.pace == "fast" or ho.wall <= MAX_HUMAN_S),
             f"{ho.keys} keys, {ho.chars} characters, {ho.lines_read} lines read back: "
             f"{ho.human_s:.0f} s at human pace (≤ {MAX_HUMAN_S:.0f} s), {ho.wall:.1f} s on the "
             f"wall; signed over to {facts['incoming'] or 'nobody'}"),
        ]
        for walk, passed, text in checks:
            ok &= passed
            results.append({"walk": walk.name, "pass": passed, "keys": walk.keys,
                            "human_s": round(walk.human_s, 1), "wall_s": round(walk.wall, 1),
                            "detail": text})
            if not args.json:
                print(f"{'PASS' if passed else 'FAIL'}  {walk.name}: {text}")
    finally:
        if not args.keep:
            subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept: tmux attach -t {session}; book {book}")
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())
