"""Full-text search on PostgreSQL (issue 18): the tokens of SQLite's index (store/search.py:
bigrams of Chinese runs, words, a phone's opaque token) kept as one tsvector per ticket in
`ticket_search` (ticket_id, body) with a GIN index, and a query is the same phrase as a
tsquery (`'马桶' <-> '桶堵' <-> '堵塞'`), so both databases find exactly the same tickets.

The vector is written as a tsvector literal (each token at its position), never through a
text-search parser, so no server locale or dictionary changes a token. It also holds the
ticket's estate as one lexeme (`site=XF`, at a position no phrase reaches): a search within one
estate of a company's book (many estates on one server) is a single GIN intersection, not a
filter over every estate's hits.

A ticket indexed before format 4 keeps format 3's two phone tokens (its vector is written
again only when the ticket is amended), so a phone query looks for those too: nothing is
rebuilt on upgrade.

Parsing lives in search.py, which calls in here: this module imports nothing of it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import text

TABLE = "ticket_search"
_SITE_AT = 16383  # tsvector's last position: no phrase of real tokens reaches the estate


def _lex(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def site_lexeme(site: str) -> str:
    return _lex("site=" + site)


def vector(body: str, site: str) -> str:
    """The tsvector literal of a ticket's index body (search.doc_body) and its estate."""
    parts = [f"{_lex(tok)}:{min(i, _SITE_AT - 1)}" for i, tok in enumerate(body.split(), 1)]
    parts.append(f"{site_lexeme(site)}:{_SITE_AT}")
    return " ".join(parts)


def tsquery(tokens: list[str], prefix: bool, phone_token: str | Sequence[str] | None,
            site: str | None = None) -> str:
    """The tsquery literal of search.query_tokens' phrase (the last token a prefix), or'ed
    with a phone's opaque token(s), and'ed with the estate."""
    lexes = [_lex(t) for t in tokens]
    if prefix:
        lexes[-1] += ":*"
    query = " <-> ".join(lexes)
    phones = [phone_token] if isinstance(phone_token, str) else list(phone_token or ())
    for token in phones:
        query = f"( {query} ) | {_lex(token)}"
    return _within(query, site)


def _within(query: str, site: str | None) -> str:
    return query if site is None else f"( {query} ) & {site_lexeme(site)}"


# ---------------------------------------------------------------- schema and upkeep

_CREATE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (ticket_id bigint PRIMARY KEY REFERENCES ticket(id), "
    "body tsvector NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_body ON {TABLE} USING gin (body)",
)
_UPSERT = text(f"INSERT INTO {TABLE} (ticket_id, body) VALUES (:i, CAST(:v AS tsvector)) "
               "ON CONFLICT (ticket_id) DO UPDATE SET body = excluded.body")


def has_index(conn: Any) -> bool:
    """Whether the book has the table (asked once per connection)."""
    info = conn.info
    if info.get(TABLE):
        return True
    found = conn.execute(text("SELECT to_regclass(:t) IS NOT NULL"), {"t": TABLE}).scalar()
    if found:
        info[TABLE] = True
    return bool(found)


def install(conn: Any, bodies: Any = None) -> bool:
    """Create the table and its index; True if it was not there before (then fill it from
    `bodies`: a callable giving (ticket_id, site, body) for every ticket)."""
    if has_index(conn):
        return False
    for stmt in _CREATE:
        conn.execute(text(stmt))
    conn.info[TABLE] = True
    if bodies is not None:
        fill(conn, bodies())
    return True


def fill(conn: Any, rows: Iterable[tuple[int, str, str]], batch: int = 5000) -> int:
    """(Re)index many tickets: (ticket_id, site, body) rows."""
    n, chunk = 0, []
    for tid, site, body in rows:
        chunk.append({"i": tid, "v": vector(body, site)})
        if len(chunk) >= batch:
            conn.execute(_UPSERT, chunk)
            n, chunk = n + len(chunk), []
    if chunk:
        conn.execute(_UPSERT, chunk)
    return n + len(chunk)


def index(conn: Any, ticket_id: int, body: str, site: str) -> None:
    """(Re)index one ticket inside the caller's write transaction."""
    conn.execute(_UPSERT, {"i": ticket_id, "v": vector(body, site)})


# ---------------------------------------------------------------- searching

# every hit once (a GIN bitmap scan), then the newest `n` with the count of all: one statement
SEARCH_SQL = (f"WITH h AS MATERIALIZED (SELECT ticket_id FROM {TABLE} "
              "WHERE body @@ CAST(:q AS tsquery)) "
              "SELECT ticket_id, count(*) OVER () FROM h ORDER BY ticket_id DESC LIMIT :n")
_SEARCH = text(SEARCH_SQL)


# a full phone number: the hits of the phrase (or of format 3's token of the number), and
# those of its last four whose own phone is that number (search.py)
_SEARCH_PHONE = text(
    f"WITH h AS MATERIALIZED (SELECT ticket_id FROM {TABLE} WHERE body @@ CAST(:q AS tsquery) "
    f"UNION SELECT s.ticket_id FROM {TABLE} s JOIN ticket t ON t.id = s.ticket_id "
    "WHERE s.body @@ CAST(:tail AS tsquery) AND (t.phone = :phone OR t.phone LIKE :ext)) "
    "SELECT ticket_id, count(*) OVER () FROM h ORDER BY ticket_id DESC LIMIT :n")


def search(conn: Any, query: str, limit: int,
           phone: tuple[str, str, str | None] | None = None) -> tuple[list[int], int]:
    """Ticket ids matching a tsquery literal, newest first, and the exact total; `phone`:
    (token of a number's last four, the number, its estate) whose hits must be that number."""
    if phone is None:
        rows = conn.execute(_SEARCH, {"q": query, "n": limit}).fetchall()
    else:
        tail, number, site = phone
        rows = conn.execute(_SEARCH_PHONE, {
            "q": query, "tail": _within(_lex(tail), site), "phone": number,
            "ext": number + "-%", "n": limit}).fetchall()
    return [int(r[0]) for r in rows], int(rows[0][1]) if rows else 0
