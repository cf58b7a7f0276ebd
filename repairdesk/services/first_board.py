"""The board the clerk sees first: the working set (every open ticket, and today's) read from
a SQLite book with the standard library's sqlite3, read-only, before SQLAlchemy and the ORM
are imported (they take longer to load than the rest of the desk takes to start, issue 18).

The desk shows these rows at once and opens the book the usual way behind them (open_desk:
the schema and trigger checks, a migration if one is due, the full board with the shift and
the print queue); that read replaces this one. Anything unusual — a PostgreSQL URL, no book
yet, an older or foreign file, a bad site file — gives None, and the usual way says what it
has to say. Builds the records ticket_records.working_set builds, with the same builder
(record_rows.py; tests/tui/test_first_board.py holds the two reads together)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..domain.ticket import TicketRecord
from ..store.action_codes import name_of
from ..store.json_data import load_json_list
from ..store.stamps import TICKET_TIMES_SINCE, event_time, stored_time, to_micros
from .record_rows import day_start, record_of

# the open tickets, word for word as ix_ticket_open's condition (store/tables.OPEN_WHERE: not
# imported, it would load SQLAlchemy; tests/store pins the two equal)
OPEN_WHERE = "status NOT IN ('closed', 'voided')"
_TICKET_COLUMNS = ("id", "ticket_no", "received_at", "registered_at", "registered_by", "channel",
                   "room", "caller", "phone", "content", "scope", "category", "urgency",
                   "appointment_at", "service_type", "owner_parts", "verify_code", "repeat_of")
_EVENT_COLUMNS = ("ticket_id", "seq", "at", "action", '"by"', "note", "data")


TOP = 100  # rows listed first: more than a terminal shows; the full board brings the rest


@dataclass
class FirstBoard:
    records: list[TicketRecord]
    config: Any
    now: datetime
    total: int = 0  # tickets in the working set (records may hold only the most urgent)

    def most_urgent(self, top: int = TOP) -> FirstBoard:
        """The `top` rows the board lists first, in the board's order (board_clocks)."""
        from ..domain.board_clocks import sort_key, urgent_clock

        rules, tz, now = getattr(self.config, "sla", None), self.config.tz, self.now
        keyed = sorted((sort_key(r, urgent_clock(r, now, rules, tz)), i)
                       for i, r in enumerate(self.records))
        return FirstBoard([self.records[i] for _k, i in keyed[:top]], self.config, now,
                          len(self.records))


class _Row:
    """Columns as attributes, as record_rows reads them."""

    __slots__ = ("__dict__",)

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__ = values


def first_board(db: str | None, config_path: str | None, clock: Any = None, *,
                oldest: int | None = None, config: Any = None) -> FirstBoard | None:
    """The working set; with `oldest`, only that many open tickets, the longest open first
    (by the (status, received_at) index: what fills the screen while the rest is read).
    `config`: the site configuration, if already loaded."""
    from ..clock import SystemClock
    from ..config import load_config
    from ..errors import RepairdeskError
    from ..store.location import resolve_url
    from ..store.readonly import read_only_uri

    url = resolve_url(db)
    if not url.startswith("sqlite:///"):
        return None
    path = Path(url.removeprefix("sqlite:///"))
    try:
        if path.stat().st_size == 0:
            return None
        config = config or load_config(config_path)
    except (OSError, RepairdeskError):
        return None
    now = (clock or SystemClock()).now()
    try:
        con = sqlite3.connect(read_only_uri(path), uri=True, timeout=1.0)
    except sqlite3.Error:
        return None
    try:
        records = _working_set(con, day_start(config, now), oldest)
        return FirstBoard(records, config, now, len(records))
    except (sqlite3.Error, ValueError, KeyError, TypeError):
        return None  # not a book this desk reads as it stands: the usual way says why
    finally:
        con.close()


def _working_set(con: sqlite3.Connection, since: datetime,
                 oldest: int | None = None) -> list[TicketRecord]:
    """Open tickets by the (status, received_at) index, today's by registered_at; oldest
    received first, as working_set orders them. With `oldest`: that many open ones only."""
    con.execute("BEGIN")  # one snapshot for the tickets and their events
    version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if version is None or int(version[0]) < TICKET_TIMES_SINCE:
        raise ValueError("ticket times stored as text: the book is upgraded the usual way")
    if oldest is not None:
        tickets = con.execute(
            f"SELECT {', '.join(_TICKET_COLUMNS)} FROM ticket WHERE {OPEN_WHERE} "
            "ORDER BY received_at LIMIT ?", (oldest,)).fetchall()
    else:
        tickets = con.execute(
            f"SELECT {', '.join(_TICKET_COLUMNS)} FROM ticket WHERE id IN ("
            f"SELECT id FROM ticket WHERE {OPEN_WHERE} "
            "UNION SELECT id FROM ticket WHERE registered_at >= ?) ORDER BY received_at",
            (to_micros(since),)).fetchall()
    ids = [t[0] for t in tickets]
    events: dict[int, list[_Row]] = {i: [] for i in ids}
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        rows = con.execute(f"SELECT {', '.join(_EVENT_COLUMNS)} FROM ticket_event "
                           f"WHERE ticket_id IN ({','.join('?' * len(part))})", part).fetchall()
        # the event data of the chunk parsed in one go: one JSON array, not a parse each
        datas = load_json_list([r[6] or "{}" for r in rows])
        for (tid, seq, at, action, by, note, _text), data in zip(rows, datas):
            events[tid].append(_Row({"seq": seq, "at": event_time(at),
                                     "action": name_of(action),  # a code on SQLite
                                     "by": by, "note": note, "data": data}))
    con.execute("COMMIT")
    records = []
    for values in tickets:
        row = dict(zip(_TICKET_COLUMNS, values))
        for key in ("received_at", "registered_at", "appointment_at"):
            row[key] = stored_time(row[key])
        row["owner_parts"] = bool(row["owner_parts"])
        records.append(record_of(_Row(row), events[row["id"]], private=True))
    return records
