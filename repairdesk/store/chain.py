"""Hash chains over the ticket events and the print jobs (issue 15): each row's hash covers its
own content and the hash of the row before it (in id order, book-wide), and a counter counts the
rows, so an edited, inserted, removed or truncated row shows when `verify` walks the chain.

The hashes are sealed as the row is inserted (a mapper `before_insert` hook), whichever service
writes it: one counter upsert (which also queues a second desk's writer on PostgreSQL, so the
chain never forks), one read of the previous hash and one sha256 per row. The duty log keeps its
own chain (services/dutylog.py); its handover and sign-off entries carry the heads of these two
chains (`heads`), so an anchor printed on them pins these histories too.

A ticket event (seven a ticket, millions in a book) keeps only a *seal*: the first 8 bytes of its
hash as a signed 64-bit integer (issue 18, book size; migration 0009). The full hash of the
newest event — the head the next one chains to — is kept on the chain's counter row (`head`).
`verify` recomputes every full hash from the first event, so the seal only has to say *which*
event the recomputed chain first disagrees with; what proves nothing was rewritten is the
recomputed chain against the counter's head and against the heads the duty log's handovers and
sign-offs stored (and the anchors printed on paper), exactly as with full stored hashes. A print
job (a few a day) keeps its full `prev_hash` and `hash`."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.dml import Insert
from sqlalchemy.orm import Session, object_session

from .event_lag import lag_rows
from .tables import PrintJob, TicketEvent
from .json_data import expand
from .types import dump_json

GENESIS = "0" * 64
EVENT_CHAIN = "#ticket_event"
JOB_CHAIN = "#print_job"
_SEALED = "repairdesk_sealed"  # Session.info: the last hash sealed per table in this flush
# the print job's columns that never change after it is queued (reprint, state, history do)
JOB_FIXED = ("site", "kind", "subject", "fmt", "backend", "printer", "requested_by",
             "requested_at")


def _iso(value: Any) -> Any:
    """A time as the book gives it back: UTC (a naive one is UTC already)."""
    if not isinstance(value, datetime):
        return value
    return (value.astimezone(timezone.utc) if value.tzinfo else value).replace(
        tzinfo=None).isoformat()


def _digest(body: list[Any]) -> str:
    canon = json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


def _get(row: Any, key: str) -> Any:
    return row[key] if isinstance(row, dict) else getattr(row, key)


def _data(value: Any) -> Any:
    """A JSON column as its canonical text reads back (dicts or their stored text)."""
    if isinstance(value, str):
        return expand(json.loads(value)) if value else {}
    return json.loads(dump_json(value))


def event_hash(row: Any, ticket_no: str, prev_hash: str) -> str:
    """The hash of a ticket event (a TicketEvent or a dict of its columns) and its ticket's
    number, chained to `prev_hash`."""
    body = [ticket_no, _get(row, "seq"), _iso(_get(row, "at")), _iso(_get(row, "recorded_at")),
            _get(row, "action"), _get(row, "by"), _get(row, "note"), _data(_get(row, "data")),
            prev_hash]
    return _digest(body)


def job_hash(row: Any, prev_hash: str) -> str:
    """The hash of a print job's fixed columns and its copies, chained to `prev_hash`."""
    copies = _data(_get(row, "detail")).get("copies", [])
    return _digest([*(_iso(_get(row, k)) for k in JOB_FIXED), copies, prev_hash])


def seal_of(full_hash: str, dialect: str) -> int:
    """A ticket event's stored seal: the first bytes of its hash as a signed integer — 4 on
    SQLite (an integer SQLite stores in 4 bytes; migration 0014), 8 on PostgreSQL (its BIGINT
    takes 8 whatever the value). The seal only says where a recomputed chain first leaves the
    stored one: each later event's seal is compared too, and the chain's end against the full
    head on the counter; what holds against someone who recomputes every seal is the anchors
    (printed and signed heads), not the seal's width."""
    size = 4 if dialect == "sqlite" else 8
    return int.from_bytes(bytes.fromhex(full_hash[:2 * size]), "big", signed=True)


_ADVANCE = text(
    "INSERT INTO counter(name, last) VALUES (:n, 1) "
    "ON CONFLICT(name) DO UPDATE SET last = counter.last + 1 RETURNING last, head")
_SET_HEAD = text("UPDATE counter SET head = :h WHERE name = :n")


def seal_event_values(conn: Connection, values: dict[str, Any], ticket_no: str) -> int:
    """Take the event chain's next position, chain `values` (a ticket event's columns) to the
    head, move the head on, and return the event's seal — inside the caller's transaction, whose
    counter row lock keeps a second desk's writer waiting until the commit."""
    row = conn.execute(_ADVANCE, {"n": EVENT_CHAIN}).first()
    assert row is not None
    h = event_hash(values, ticket_no, str(row[1] or GENESIS))
    conn.execute(_SET_HEAD, {"n": EVENT_CHAIN, "h": h})
    return seal_of(h, conn.dialect.name)


def take_position(conn: Connection, chain: str) -> int:
    """The next position of a chain's counter, inside the caller's transaction."""
    row = conn.execute(text(
        "INSERT INTO counter(name, last) VALUES (:n, 1) "
        "ON CONFLICT(name) DO UPDATE SET last = counter.last + 1 RETURNING last"),
        {"n": chain}).first()
    assert row is not None
    return int(row[0])


def _last_hash(conn: Connection, table: str) -> str:
    row = conn.execute(text(f"SELECT hash FROM {table} ORDER BY id DESC LIMIT 1")).first()
    return str(row[0]) if row is not None and row[0] else GENESIS


def _previous(target: Any, conn: Connection, table: str) -> str:
    """The hash the next row chains to. The rows of one flush are all sealed before any is
    inserted, so the session remembers the last hash it sealed until the flush is done."""
    sess = object_session(target)
    seen = sess.info.get(_SEALED, {}) if sess is not None else {}
    return str(seen[table]) if table in seen else _last_hash(conn, table)


def _remember(target: Any, table: str, value: str) -> None:
    sess = object_session(target)
    if sess is not None:
        sess.info.setdefault(_SEALED, {})[table] = value


@event.listens_for(Session, "after_flush_postexec")
@event.listens_for(Session, "after_rollback")
def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(_SEALED, None)


_NUMBER = text("SELECT ticket_no FROM ticket WHERE id = :i")


@event.listens_for(TicketEvent, "before_insert")
def _seal_event(_mapper: Any, conn: Connection, target: TicketEvent) -> None:
    no = conn.execute(_NUMBER, {"i": target.ticket_id}).scalar()
    target.seal = seal_event_values(conn, target, str(no or ""))


@event.listens_for(PrintJob, "before_insert")
def _seal_job(_mapper: Any, conn: Connection, target: PrintJob) -> None:
    take_position(conn, JOB_CHAIN)
    prev = _previous(target, conn, "print_job")
    target.prev_hash = prev
    target.hash = job_hash(target, prev)
    _remember(target, "print_job", target.hash)


@event.listens_for(Engine, "before_execute", retval=True)
def _seal_core_insert(conn: Connection, clause: Any, multiparams: Any, params: Any,
                      _options: Any) -> tuple[Any, Any, Any]:
    """The same seal for rows inserted with Core statements (a fast path writes the register
    step so): each row's values get their hashes before the statement runs. Every ticket-event
    insert, the ORM's too, then gets its stored form (event_lag.lag_rows)."""
    table = getattr(clause, "table", None)
    name = getattr(table, "name", None)
    if not isinstance(clause, Insert) or name not in ("ticket_event", "print_job"):
        return clause, multiparams, params
    rows = list(multiparams) if multiparams else [params]
    if all(r.get("hash") or r.get("seal") is not None for r in rows):  # by the mapper hook
        if name == "print_job":
            return clause, multiparams, params
        return _stored(conn, clause, multiparams, params, list(map(dict, rows)))
    sealed: list[dict[str, Any]] = []
    prev: str | None = None  # a job chains to the row before it, an event to the counter's head
    for r in map(dict, rows):
        if name == "ticket_event":
            no = conn.execute(_NUMBER, {"i": r.get("ticket_id")}).scalar()
            r["seal"] = seal_event_values(conn, {"note": "", "data": {}, **r}, str(no or ""))
        else:
            take_position(conn, JOB_CHAIN)
            prev = _last_hash(conn, name) if prev is None else prev
            r["prev_hash"], r["hash"] = prev, job_hash({"detail": {}, **r}, prev)
            prev = r["hash"]
        sealed.append(r)
    if name == "ticket_event":
        return _stored(conn, clause, multiparams, params, sealed)
    if multiparams:
        return clause, sealed, params
    return clause, multiparams, sealed[0]


def _stored(conn: Connection, clause: Any, multiparams: Any, params: Any,
            rows: list[dict[str, Any]]) -> tuple[Any, Any, Any]:
    rows = lag_rows(rows, conn.dialect.name)
    if multiparams:
        return clause, rows, params
    return clause, multiparams, rows[0]


def heads(conn: Connection) -> dict[str, list[Any]]:
    """Where the ticket-event and print-job chains stand: {table: [rows counted, last hash]},
    written into the duty-log entries of handovers and sign-offs."""
    row = conn.execute(text("SELECT last, head FROM counter WHERE name = :n"),
                       {"n": EVENT_CHAIN}).first()
    out: dict[str, list[Any]] = {
        "ticket_event": [int(row[0]), str(row[1] or GENESIS)] if row else [0, GENESIS]}
    n = conn.execute(text("SELECT last FROM counter WHERE name = :n"), {"n": JOB_CHAIN}).scalar()
    out["print_job"] = [int(n or 0), _last_hash(conn, "print_job")]
    return out


def backfill(conn: Connection) -> None:
    """Chain the rows an older book already holds (migration 0006), in id order, and set the
    counters to their number. The events get 0006's full prev_hash and hash columns, which
    migration 0009 turns into seals and the counter's head."""
    from .types import load_json

    prev, n = GENESIS, 0
    numbers = dict(conn.execute(text("SELECT id, ticket_no FROM ticket")).all())
    rows = conn.execute(text("SELECT id, ticket_id, seq, at, recorded_at, action, \"by\", note, "
                             "data FROM ticket_event ORDER BY id")).mappings().all()
    for r in rows:
        row = dict(r)
        row["at"], row["recorded_at"] = _when(row["at"]), _when(row["recorded_at"])
        row["data"] = load_json(row["data"])
        h = event_hash(row, str(numbers.get(row["ticket_id"], "")), prev)
        conn.execute(text("UPDATE ticket_event SET prev_hash = :p, hash = :h WHERE id = :i"),
                     {"p": prev, "h": h, "i": row["id"]})
        prev, n = h, n + 1
    _set_counter(conn, EVENT_CHAIN, n)
    prev, n = GENESIS, 0
    cols = ", ".join(("id", "detail") + JOB_FIXED)
    for r in conn.execute(text(f"SELECT {cols} FROM print_job ORDER BY id")).mappings().all():
        row = dict(r)
        row["requested_at"] = _when(row["requested_at"])
        h = job_hash(row, prev)
        conn.execute(text("UPDATE print_job SET prev_hash = :p, hash = :h WHERE id = :i"),
                     {"p": prev, "h": h, "i": row["id"]})
        prev, n = h, n + 1
    _set_counter(conn, JOB_CHAIN, n)


def _when(value: Any) -> datetime:
    from .types import UTCDateTime

    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    out = UTCDateTime().process_result_value(value, None)
    assert out is not None
    return out


def _set_counter(conn: Connection, chain: str, n: int) -> None:
    if not n:
        return
    conn.execute(text("INSERT INTO counter(name, last) VALUES (:n, :v) "
                      "ON CONFLICT(name) DO UPDATE SET last = :v"), {"n": chain, "v": n})
