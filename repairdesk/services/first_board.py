"""The board the clerk sees first: the working set (every open ticket, and today's) read from
a SQLite book with the standard library's sqlite3, read-only, before SQLAlchemy and the ORM
are imported (they take longer to load than the rest of the desk takes to start, issue 18).

The desk shows these rows at once and opens the book the usual way behind them (open_desk:
the schema and trigger checks, a migration if one is due, the full board with the shift and
the print queue); that read replaces this one. Anything unusual — a PostgreSQL URL, no book
yet, an older or foreign file, a bad site file — gives None, and the usual way says what it
has to say. Builds the records ticket_records.working_set builds (tests/tui/test_first_board.py
holds the two together)."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..domain.enums import Status
from ..domain.ticket import TicketRecord
from ..store.json_data import load_json
from .record_rows import day_start, record_of

# as SQLAlchemy's SQLite DATETIME stores them (UTC, naive)
_STORED = "%Y-%m-%d %H:%M:%S.%f"
_OPEN = tuple(s.value for s in Status if s.is_open)
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
        from ..domain.board_clocks import row_clocks, sort_key

        rules, tz, now = getattr(self.config, "sla", None), self.config.tz, self.now
        keyed = sorted((sort_key(r, row_clocks(r, now, rules, tz).clock), i)
                       for i, r in enumerate(self.records))
        return FirstBoard([self.records[i] for _k, i in keyed[:top]], self.config, now,
                          len(self.records))


class _Row:
    """Columns as attributes, as record_rows reads them."""

    __slots__ = ("__dict__",)

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__ = values


def _when(text: str | None) -> datetime | None:
    if text is None:
        return None
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def first_board(db: str | None, config_path: str | None, clock: Any = None) -> FirstBoard | None:
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
        config = load_config(config_path)
    except (OSError, RepairdeskError):
        return None
    now = (clock or SystemClock()).now()
    try:
        con = sqlite3.connect(read_only_uri(path), uri=True, timeout=1.0)
    except sqlite3.Error:
        return None
    try:
        records = _working_set(con, day_start(config, now))
        return FirstBoard(records, config, now, len(records))
    except (sqlite3.Error, ValueError, KeyError, TypeError):
        return None  # not a book this desk reads as it stands: the usual way says why
    finally:
        con.close()


def _working_set(con: sqlite3.Connection, since: datetime) -> list[TicketRecord]:
    """Open tickets by the (status, received_at) index, today's by registered_at; oldest
    received first, as working_set orders them."""
    marks = ",".join("?" * len(_OPEN))
    stamp = since.astimezone(timezone.utc).replace(tzinfo=None).strftime(_STORED)
    con.execute("BEGIN")  # one snapshot for the tickets and their events
    tickets = con.execute(
        f"SELECT {', '.join(_TICKET_COLUMNS)} FROM ticket WHERE id IN ("
        f"SELECT id FROM ticket WHERE status IN ({marks}) "
        "UNION SELECT id FROM ticket WHERE registered_at >= ?) ORDER BY received_at",
        (*_OPEN, stamp)).fetchall()
    ids = [t[0] for t in tickets]
    events: dict[int, list[_Row]] = {i: [] for i in ids}
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        for tid, seq, at, action, by, note, data in con.execute(
                f"SELECT {', '.join(_EVENT_COLUMNS)} FROM ticket_event "
                f"WHERE ticket_id IN ({','.join('?' * len(part))})", part):
            events[tid].append(_Row({"seq": seq, "at": _when(at), "action": action, "by": by,
                                     "note": note, "data": load_json(data)}))
    con.execute("COMMIT")
    records = []
    for values in tickets:
        row = dict(zip(_TICKET_COLUMNS, values))
        for key in ("received_at", "registered_at", "appointment_at"):
            row[key] = _when(row[key])
        row["owner_parts"] = bool(row["owner_parts"])
        records.append(record_of(_Row(row), events[row["id"]]))
    return records


# ---------------------------------------------------------------- in a second process


class Prefetch:
    """The first board, worked out by a child process (prefetch) while this one loads Textual
    and draws its first frame: on two cores both go at once. `result()` (in a worker thread)
    waits for it, at most `timeout` seconds; None when the child found nothing or failed."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self.fd = pid, fd

    def result(self, timeout: float = 10.0) -> FirstBoard | None:
        import pickle
        import select
        import time

        chunks: list[bytes] = []
        deadline = time.monotonic() + timeout
        try:
            while True:
                ready, _, _ = select.select([self.fd], [], [],
                                            max(0.0, deadline - time.monotonic()))
                if not ready:
                    os.kill(self.pid, 9)  # stuck (a locked book): the usual way instead
                    return None
                chunk = os.read(self.fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            os.close(self.fd)
            os.waitpid(self.pid, 0)
        try:
            board = pickle.loads(b"".join(chunks)) if chunks else None
        except Exception:  # noqa: BLE001 - a half-written answer: the usual way instead
            return None
        return board if isinstance(board, FirstBoard) else None


def prefetch(db: str | None, config_path: str | None) -> Prefetch | None:
    """Fork a child that reads the first board and sends its most urgent rows back pickled.
    Called before Textual (or any thread) starts; where there is no fork, None."""
    if not hasattr(os, "fork"):
        return None
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never writes to the terminal
        code = 1
        try:
            import pickle

            os.close(read_fd)
            os.nice(10)  # on a busy machine the desk's first frame goes first
            board = first_board(db, config_path)
            data = pickle.dumps(board.most_urgent() if board else None,
                                protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_fd, "wb") as out:
                out.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    return Prefetch(pid, read_fd)

