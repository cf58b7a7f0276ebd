"""Full-text search over all tickets: number, room/place, caller, phone and content.

SQLite's FTS5 `trigram` tokenizer cannot match a 2-character Chinese word (漏水), and
`unicode61` makes a whole run of Chinese one token. So we tokenize ourselves and hand FTS5
space-separated tokens:

- a run of Chinese (CJK) characters gives one token per position: the bigram starting there,
  and the last character alone (停电跳闸 -> 停电 电跳 跳闸 闸);
- a run of letters/digits is one lower-cased word (BX-20261122-0012 -> bx 20261122 0012);
- a phone number is findable by the full number or its last four digits only (domain.md,
  Privacy): it is indexed as one opaque token of its last four digits (`ß` and six base-36
  characters of a hash: no query makes a token starting with `ß`, so neither a prefix search
  `138…` nor a word reaches it and the masked digits cannot be recovered by narrowing). Four
  digits look for that token; a full number looks for it too and keeps the hits whose own
  phone is that number (one row read per ticket sharing the last four: about one in 10,000).
  The full number used to be a token of its own, a 20-character hash unique to nearly every
  ticket: a fifth of the index (format 3: an SQLite book's index until the rebuild on its next
  upgrade, `legacy_index`; on PostgreSQL the vectors written before, which a phone query
  also looks for).

A query is tokenized the same way and searched as one phrase; a Chinese run ending the query
gives only its bigrams (or a prefix for a single character) and the last word is a prefix, so
漏水 is one posting-list lookup and 漏水严重 a phrase of three bigrams: both answer in
milliseconds over a million tickets, with an exact total count.

On PostgreSQL the same tokens are a tsvector per ticket with a GIN index (search_pg.py).

The SQLite index is a contentless FTS5 table (rowid = ticket.id, `content=''`): it keeps the
posting lists only, never a second copy of the text (issue 18, book size), since the text is
the ticket row's own columns. It is kept in the same transaction as the ticket insert or
amendment (services/intake.py, ticket_steps.py); an amendment first takes the ticket's old
tokens out with FTS5's 'delete' command, which needs the old values (`before`). Without an
index (a book opened without its schema step) a search falls back to LIKE / ILIKE.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from . import search_pg

TABLE = "ticket_search"
# CJK unified ideographs (+ extension A and compatibility ideographs)
_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9A-Za-z]+")
_CJK0 = "\u3400"


def _is_cjk(run: str) -> bool:
    return run[0] >= _CJK0


@lru_cache(maxsize=65536)
def doc_tokens(text: str) -> str:
    """Space-separated index tokens of one field's text (cached: phrases repeat a lot)."""
    out: list[str] = []
    for m in _RUN.finditer(text):
        run = m.group()
        if _is_cjk(run):
            out.extend(run[i:i + 2] for i in range(len(run)))
        else:
            out.append(run.lower())
    return " ".join(out)


# meta 'search_format' (a rebuild on upgrade): 2 = phones as opaque tokens, 3 = contentless,
# 4 = a phone as one token of its last four digits (the full number checked on the row)
FORMAT = "4"
PHONE_TAIL = 4
TAIL_MARK = "\u00df"  # ß: a letter to FTS5 (a token character) that no query token holds
TAIL_WIDTH = 6  # base-36 characters: the 10,000 tails get 10,000 different tokens (tested)
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


@lru_cache(maxsize=16384)
def tail_token(tail: str) -> str:
    """The index token of a phone's last four digits: `ß` and six base-36 characters of a
    hash, so the token neither spells the digits nor is reachable by any query's prefix."""
    import hashlib

    value = int.from_bytes(hashlib.blake2b(f"phone:{tail}".encode(), digest_size=8).digest(),
                           "big")
    out = []
    for _ in range(TAIL_WIDTH):
        value, digit = divmod(value, 36)
        out.append(_B36[digit])
    return TAIL_MARK + "".join(out)


def phone_token(digits: str) -> str:
    """Format 3's opaque token of a full phone number or of its last four digits (an SQLite
    book's until its rebuild, PostgreSQL's vectors written before): letters and digits only,
    no prefix of it says anything."""
    import hashlib

    return "ph" + hashlib.blake2b(f"phone:{digits}".encode(), digest_size=10).hexdigest()


def _phone_digits(phone: str) -> str:
    main = phone.split("-")[0]  # stored as digits, "-ext" after an extension
    return "".join(ch for ch in main if ch.isdigit())


def phone_tokens(phone: str, legacy: bool = False) -> list[str]:
    digits = _phone_digits(phone)
    if not legacy:
        return [tail_token(digits[-PHONE_TAIL:])] if len(digits) >= PHONE_TAIL else []
    if not digits:
        return []
    out = [phone_token(digits)]
    if len(digits) > PHONE_TAIL:
        out.append(phone_token(digits[-PHONE_TAIL:]))
    return out


def doc_body(ticket_no: str, room: str, caller: str, phone: str, content: str, *,
             legacy: bool = False) -> str:
    """The indexed text of one ticket (`legacy`: phones as format 3 wrote them)."""
    return " ".join(p for p in (doc_tokens(ticket_no), doc_tokens(room), doc_tokens(caller),
                                *phone_tokens(phone, legacy), doc_tokens(content)) if p)


def _phone_query(query: str) -> str | None:
    """The digits of a query that may be a phone number (its last four, or a full number of
    at least seven digits), else None."""
    digits = "".join(ch for ch in query if ch.isdigit())
    if not digits or re.sub(r"[\s\-+()]", "", query) != digits:
        return None
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]  # +86 138…
    return digits if len(digits) == PHONE_TAIL or len(digits) >= 7 else None


def query_tokens(query: str) -> tuple[list[str], bool, str | None] | None:
    """What the clerk typed as index tokens searched as one phrase, whether its last token is
    a prefix, and the digits of a phone number it may be; None if nothing searchable."""
    runs = _RUN.findall(query)
    if not runs:
        return None
    toks: list[str] = []
    prefix = False
    for idx, run in enumerate(runs):
        last = idx == len(runs) - 1
        if _is_cjk(run):
            if not last:
                toks.extend(run[i:i + 2] for i in range(len(run)))
            elif len(run) == 1:
                toks.append(run)
                prefix = True
            else:
                toks.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            toks.append(run.lower())
            prefix = last
    return toks, prefix, _phone_query(query)


def _phrase(toks: list[str], prefix: bool) -> str:
    # tokens hold only letters, digits and CJK: no quotes to escape
    return '"' + " ".join(toks) + '"' + ("*" if prefix else "")


def match_expr(query: str, legacy: bool = False) -> str | None:
    """The FTS5 MATCH expression for what the clerk typed, or None if nothing searchable. A
    full phone number's part finds every phone ending in its last four: `phone_check`."""
    parsed = query_tokens(query)
    if parsed is None:
        return None
    toks, prefix, phone = parsed
    expr = _phrase(toks, prefix)
    if phone is not None:
        token = phone_token(phone) if legacy else tail_token(phone[-PHONE_TAIL:])
        expr += f' OR "{token}"'
    return expr


def phone_check(query: str, legacy: bool = False) -> tuple[str, str, str] | None:
    """A full phone number in the current format: the MATCH of the phrase alone (its hits need
    no check), the MATCH of the number's last four, and the number those hits' own phone must
    be (`phone = n OR phone LIKE 'n-%'`, an extension after it). None for anything else."""
    parsed = query_tokens(query)
    if legacy or parsed is None or parsed[2] is None or len(parsed[2]) == PHONE_TAIL:
        return None
    toks, prefix, phone = parsed
    return _phrase(toks, prefix), f'"{tail_token(phone[-PHONE_TAIL:])}"', phone


# ---------------------------------------------------------------- schema and upkeep


def _exec(conn: Any, sql: str, params: Sequence[Any] | None = None) -> Any:
    """Run raw SQL on an SQLAlchemy Connection or a DB-API (sqlite3) connection."""
    if hasattr(conn, "exec_driver_sql"):
        return conn.exec_driver_sql(sql, tuple(params) if params is not None else ())
    return conn.execute(sql, tuple(params) if params is not None else ())


def create_sql() -> str:
    # content='': no copy of the text; columnsize=0: we never rank, so no per-row token counts
    return (f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(body, content = '', "
            "tokenize = 'unicode61 remove_diacritics 0', columnsize = 0)")


def install(conn: Any, dialect: str) -> None:
    """Create the search index; called from the schema step (PostgreSQL: search_pg.py).
    An index of an older format (phones as plain digits) is rebuilt."""
    if dialect == "postgresql":
        search_pg.install(conn, lambda: _pg_bodies(conn))
        return
    if dialect != "sqlite":
        return
    has_meta = _exec(conn, "SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone()
    current = has_index(conn) and has_meta and (_exec(
        conn, "SELECT value FROM meta WHERE key = 'search_format'").fetchone() or [None])[0]
    if current == FORMAT:
        return
    _exec(conn, f"DROP TABLE IF EXISTS {TABLE}")  # an older format: made again, contentless
    _exec(conn, create_sql())
    # an older book upgraded in place: index what is already there
    if _exec(conn, "SELECT 1 FROM sqlite_master WHERE name = 'ticket'").fetchone() and \
            _exec(conn, "SELECT 1 FROM ticket LIMIT 1").fetchone():
        rebuild(conn)
    if has_meta:  # meta refuses a DELETE (db.GUARDED): the mark is written over
        _exec(conn, "INSERT INTO meta(key, value) VALUES ('search_format', ?) "
              "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (FORMAT,))
    info = getattr(conn, "info", None)
    if info is not None:
        info[_FORMAT_KEY] = FORMAT


_FORMAT_KEY = TABLE + ".format"


def legacy_index(conn: Any) -> bool:
    """Whether an SQLite book's index still has format 3's phone tokens (a book from before,
    until the rebuild that its next upgrade does in `install`): then a ticket is indexed and
    searched as format 3 did, so the book finds what it found and an amendment takes out the
    very tokens that went in. Asked once per connection (only `install` changes it)."""
    info = getattr(conn, "info", None)
    if info is not None and _FORMAT_KEY in info:
        return bool(info[_FORMAT_KEY] != FORMAT)
    if not _exec(conn, "SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
        return False  # a bare index (no book around it) is made by this code
    row = _exec(conn, "SELECT value FROM meta WHERE key = 'search_format'").fetchone()
    value = row[0] if row else None
    if info is not None:
        info[_FORMAT_KEY] = value
    return value != FORMAT


def has_index(conn: Any) -> bool:
    """Whether the book has the index (asked once per connection: the schema step makes it,
    and nothing takes it away while the connection is open)."""
    info = getattr(conn, "info", None)
    if info is not None and info.get(TABLE):
        return True
    row = _exec(conn, "SELECT 1 FROM sqlite_master WHERE name = ?", (TABLE,)).fetchone()
    if row is not None and info is not None:
        info[TABLE] = True
    return row is not None


def index_ticket(conn: Any, dialect: str, ticket_id: int, ticket_no: str, room: str,
                 caller: str, phone: str, content: str, *, new: bool = False,
                 before: tuple[str, str, str, str] | None = None, site: str = "") -> None:
    """Index one ticket inside the caller's write transaction: a `new` one, or one amended
    from `before` (its old room, caller, phone and content: what was indexed). PostgreSQL
    keeps its estate (`site`) in the index too."""
    if dialect == "postgresql":
        if search_pg.has_index(conn):
            search_pg.index(conn, ticket_id, doc_body(ticket_no, room, caller, phone, content),
                            site)
        return
    if dialect != "sqlite":
        return
    if not new and before is None:
        raise ValueError("reindexing a ticket needs the values it was indexed with")
    if not has_index(conn):
        return  # a book opened without its schema step: search falls back to LIKE
    legacy = legacy_index(conn)
    if before is not None:
        _exec(conn, f"INSERT INTO {TABLE}({TABLE}, rowid, body) VALUES ('delete', ?, ?)",
              (ticket_id, doc_body(ticket_no, *before, legacy=legacy)))
    _exec(conn, f"INSERT INTO {TABLE}(rowid, body) VALUES (?, ?)",
          (ticket_id, doc_body(ticket_no, room, caller, phone, content, legacy=legacy)))


def _pg_bodies(conn: Any) -> Iterable[tuple[int, str, str]]:
    """(id, site, body) of every ticket: filling PostgreSQL's index on an older book."""
    from sqlalchemy import text

    rows = conn.execute(text(
        "SELECT id, site, ticket_no, room, caller, phone, content FROM ticket")).fetchall()
    for tid, site, no, room, caller, phone, content in rows:
        yield tid, site, doc_body(no, room, caller, phone or "", content)


def bodies(rows: Iterable[Sequence[Any]]) -> Iterable[tuple[int, str]]:
    """(id, body) for rows of (id, ticket_no, room, caller, phone, content)."""
    for tid, no, room, caller, phone, content in rows:
        yield tid, doc_body(no, room, caller, phone or "", content)


def rebuild(conn: Any) -> int:
    """Build the index from the ticket table (an older book, or after a bulk load)."""
    _exec(conn, create_sql())
    _exec(conn, f"INSERT INTO {TABLE}({TABLE}) VALUES ('delete-all')")
    rows = _exec(conn, "SELECT id, ticket_no, room, caller, phone, content FROM ticket").fetchall()
    raw = getattr(conn, "connection", None)
    dbapi = getattr(raw, "dbapi_connection", None) or raw or conn
    dbapi.executemany(f"INSERT INTO {TABLE}(rowid, body) VALUES (?, ?)", bodies(rows))
    _exec(conn, f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")
    return len(rows)


# ---------------------------------------------------------------- searching


def search_ids(conn: Any, dialect: str, query: str, limit: int = 200,
               site: str | None = None) -> tuple[list[int], int]:
    """Ticket ids matching `query` (of one estate: `site`), newest registration first, and
    the exact total count."""
    if dialect == "postgresql" and search_pg.has_index(conn):
        parsed = query_tokens(query)
        if parsed is None:
            return [], 0
        toks, prefix, phone = parsed
        if phone is None:
            return search_pg.search(conn, search_pg.tsquery(toks, prefix, None, site), limit)
        tail = tail_token(phone[-PHONE_TAIL:])
        if len(phone) == PHONE_TAIL:  # format 3's token of the last four, or this one
            return search_pg.search(conn, search_pg.tsquery(
                toks, prefix, (phone_token(phone), tail), site), limit)
        return search_pg.search(conn, search_pg.tsquery(toks, prefix, phone_token(phone), site),
                                limit, (tail, phone, site))
    if dialect != "sqlite":
        return _search_like(conn, query, limit, site)
    if query_tokens(query) is None:
        return [], 0
    if not has_index(conn):
        return _search_like(conn, query, limit, site)
    legacy = legacy_index(conn)
    check = phone_check(query, legacy)
    if check is None:
        sql, params = _hits_sql(site, (match_expr(query, legacy),))
    else:  # the phrase's hits, and those of the last four whose phone is the number
        phrase, tail, number = check
        sql, params = _hits_sql(site, (phrase,))
        tail_sql, tail_params = _hits_sql(site, (tail,), "(t.phone = ? OR t.phone LIKE ?)")
        sql, params = f"{sql} UNION {tail_sql}", (*params, *tail_params, number, number + "-%")
    ids = [r[0] for r in _exec(conn, sql + " ORDER BY 1 DESC LIMIT ?",
                               (*params, limit)).fetchall()]
    if len(ids) < limit:
        return ids, len(ids)
    total = _exec(conn, f"SELECT count(*) FROM ({sql})", params).fetchone()[0]
    return ids, int(total)


def _hits_sql(site: str | None, params: tuple[Any, ...],
              row_check: str = "") -> tuple[str, tuple[Any, ...]]:
    """The ids matching one MATCH expression, of one estate, passing a check on the row."""
    if site is None and not row_check:
        return f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH ?", params
    sql = f"SELECT s.rowid FROM {TABLE} s JOIN ticket t ON t.id = s.rowid WHERE {TABLE} MATCH ?"
    if site is not None:
        sql, params = sql + " AND t.site = ?", (*params, site)
    return (sql + " AND " + row_check if row_check else sql), params


def _search_like(conn: Any, query: str, limit: int,
                 site: str | None = None) -> tuple[list[int], int]:
    """Substring search without the index (PostgreSQL: ILIKE; SQLite before the index)."""
    pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    op = "ILIKE" if _is_pg(conn) else "LIKE"
    cond = " OR ".join(f"{c} {op} :p ESCAPE '\\'" for c in
                       ("ticket_no", "room", "caller", "content"))
    params: dict[str, Any] = {"p": pattern}
    phone = _phone_query(query)
    if phone is not None:
        # the phone by its full number or its last four digits, never by a part
        if len(phone) == PHONE_TAIL:
            cond += " OR phone LIKE :tail OR phone LIKE :tail_ext"
            params["tail"], params["tail_ext"] = "%" + phone, "%" + phone + "-%"
        else:
            cond += " OR phone = :full"
            params["full"] = phone
    if site is not None:
        cond = f"site = :site AND ({cond})"
        params["site"] = site
    from sqlalchemy import text

    ids = [r[0] for r in conn.execute(
        text(f"SELECT id FROM ticket WHERE {cond} ORDER BY id DESC LIMIT :n"),
        dict(params, n=limit)).fetchall()]
    total = conn.execute(text(f"SELECT count(*) FROM ticket WHERE {cond}"),
                         params).scalar_one()
    return ids, int(total)


def _is_pg(conn: Any) -> bool:
    dialect = getattr(conn, "dialect", None)
    return getattr(dialect, "name", "") == "postgresql"
