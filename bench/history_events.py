"""The SQL that writes a generated book's event history (bench/make_history.py): each
ticket's path of steps from its row, in one INSERT .. SELECT per batch, sealed into the
record chain in id order as the desk seals each step (store/chain.py)."""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timezone
from typing import Any

from bench.phrases import PAUSE_REASONS, RESULTS, VOID_REASONS
from repairdesk.store import chain
from repairdesk.store.action_codes import ACTIONS
from repairdesk.store.stamps import sql_micros


# the events that bring a ticket to each state (after 'register')
PATH = {
    "registered": [], "dispatched": ["dispatch"], "accepted": ["dispatch", "accept"],
    "on_site": ["dispatch", "accept", "arrive"], "paused": ["dispatch", "pause"],
    "completed": ["dispatch", "arrive", "complete"],
    "returned": ["dispatch", "arrive", "complete", "return"],
    "callback": ["dispatch", "arrive", "complete", "return", "callback"],
    "closed": ["dispatch", "arrive", "complete", "return", "callback", "close"],
    "voided": ["void"],
}
FMT = "%Y-%m-%d %H:%M:%S.%f"


# minutes before each step of a path: most dispatches well within the 15-minute promise, the
# technician there within the hour, the job done in hours, the callback later the same day
STEP_MINUTES = [(1, 22), (5, 45), (15, 150), (5, 120), (30, 720), (1, 60)]


def _gap_table(rows: int = 1024, seed: int = 5) -> list[tuple[int, ...]]:
    """Minutes from the call to each later step (STEP_MINUTES apart), one row per ticket id
    modulo `rows`: Python (the ticket's last_event_at) and SQL (the events) read the same
    table."""
    rng = random.Random(seed)
    table = []
    for _ in range(rows):
        total, row = 0, []
        for low, high in STEP_MINUTES:
            total += rng.randint(low, high)
            row.append(total)
        table.append(tuple(row))
    return table


GAPS = _gap_table()


def _ts(dt: datetime) -> str:
    """A naive UTC datetime as SQLAlchemy stores it on SQLite (FMT), ~5x faster than strftime."""
    return dt.isoformat(" ", "microseconds")


def _aware(dt: datetime) -> datetime:
    return dt.replace(tzinfo=timezone.utc)


# as the desk stores an event: its time as an integer of microseconds (store/stamps.py),
# recorded_at as its lag after it (0: written on time; store/event_lag.py), the action as its
# code (store/action_codes.py), no data as '' (migration 0013); rd_seal() chains each row, by
# its values, to the head and moves it on (the head ends on the counter row)
_SEAL_SQL = """
INSERT INTO ticket_event(ticket_id, seq, at, recorded_at, action, by, note, data, seal)
SELECT ticket_id, seq, {micros}, 0, CASE action {codes} END, by, note,
       CASE data WHEN '{{}}' THEN '' ELSE data END,
       rd_seal(no, seq, at, action, by, note, data)
FROM temp.ev ORDER BY rowid
""".format(micros=sql_micros("at"),
           codes=" ".join(f"WHEN '{a}' THEN {i}" for i, a in enumerate(ACTIONS)))


class _Chain:
    """The ticket-event chain as the generated events are written (SQL functions)."""

    def __init__(self) -> None:
        self.head = chain.GENESIS
        self.count = 0

    def seal(self, no: str, seq: int, at: str, action: str, by: str, note: str,
             data: str) -> int:
        when = _aware(datetime.fromisoformat(at))
        row = {"seq": seq, "at": when, "recorded_at": when, "action": action, "by": by,
               "note": note, "data": data}
        self.head = chain.event_hash(row, no, self.head)
        self.count += 1
        return chain.seal_of(self.head, "sqlite")


# every ticket's history from its row: register, then its state's path of steps; the intake as
# the desk stores it (a list in store/json_data.INTAKE_ORDER), the data compact as json_object
# writes it
_EVENTS_SQL = """
INSERT INTO temp.ev(ticket_id, seq, at, action, by, note, data, no)
SELECT id, k, at, action, by, note, data, no FROM (
SELECT t.id AS id, p.k AS k, p.action AS action, t.registered_by AS by, t.ticket_no AS no,
       CASE WHEN p.k = 1 THEN t.received_at
            ELSE min(datetime(t.received_at, '+' || (CASE p.k WHEN 2 THEN g.m1 WHEN 3 THEN g.m2
                 WHEN 4 THEN g.m3 WHEN 5 THEN g.m4 WHEN 6 THEN g.m5 ELSE g.m6 END)
                 || ' minutes') || '.000000', :end) END AS at,
       CASE p.action WHEN 'void' THEN v.reason WHEN 'pause' THEN z.reason ELSE '' END AS note,
       CASE p.action
         WHEN 'register' THEN json_object('intake', json_array(
           NULL, t.caller, t.category, t.channel, t.content, json('false'), t.phone,
           substr(t.received_at, 1, 10) || 'T' || substr(t.received_at, 12, 8) || '+00:00',
           t.room, t.scope, 'free', t.urgency, json('false'), ''))
         WHEN 'dispatch' THEN json_object('technician', t.technician)
         WHEN 'complete' THEN json_object('result', r.result)
         WHEN 'callback' THEN json_object('satisfied', json('true'))
         WHEN 'close' THEN json_object('verified', json(CASE t.scope WHEN 'public' THEN 'true'
                                                                      ELSE 'false' END))
         WHEN 'void' THEN json_object('reason', v.reason)
         WHEN 'pause' THEN json_object('reason', z.reason)
         ELSE '{}' END AS data
FROM temp.tk t
JOIN temp.path p ON p.state = t.status
JOIN temp.gap g ON g.r = t.id % :rows
JOIN temp.void_reason v ON v.i = t.id % :voids
JOIN temp.pause_reason z ON z.i = t.id % :pauses
JOIN temp.result r ON r.i = t.id % :results
WHERE t.id BETWEEN :a AND :b
ORDER BY t.id, p.k)
"""


def _event_tables(conn: sqlite3.Connection, end: datetime) -> dict[str, Any]:
    """Small tables the event statement reads: each state's steps, the step gaps and the
    wording (picked by ticket id, as the producer picks the void reasons); returns the
    statement's parameters."""
    conn.execute("CREATE TEMP TABLE ev(ticket_id INTEGER, seq INTEGER, at TEXT, action TEXT, "
                 "by TEXT, note TEXT, data TEXT, no TEXT)")
    conn.execute("CREATE TEMP TABLE path(state TEXT, k INTEGER, action TEXT, "
                 "PRIMARY KEY (state, k)) WITHOUT ROWID")
    conn.executemany("INSERT INTO temp.path VALUES (?, ?, ?)",
                     [(state, k, action) for state, steps in PATH.items()
                      for k, action in enumerate(["register", *steps], start=1)])
    width = len(GAPS[0])
    conn.execute("CREATE TEMP TABLE gap(r INTEGER PRIMARY KEY, "
                 + ", ".join(f"m{i} INTEGER" for i in range(1, width + 1)) + ")")
    conn.executemany(f"INSERT INTO temp.gap VALUES ({', '.join('?' * (width + 1))})",
                     [(r, *row) for r, row in enumerate(GAPS)])
    words = {"void_reason": ("reason", VOID_REASONS), "pause_reason": ("reason", PAUSE_REASONS),
             "result": ("result", RESULTS)}
    for table, (column, values) in words.items():
        conn.execute(f"CREATE TEMP TABLE {table}(i INTEGER PRIMARY KEY, {column} TEXT)")
        conn.executemany(f"INSERT INTO temp.{table} VALUES (?, ?)", list(enumerate(values)))
    return {"rows": len(GAPS), "voids": len(VOID_REASONS), "pauses": len(PAUSE_REASONS),
            "results": len(RESULTS), "end": _ts(end)}
