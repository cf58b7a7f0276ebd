"""A ticket event's action as a SQLite book stores it (issue 18, book size; migration 0013): a
small integer, its position in ACTIONS, instead of its name (a byte, or none for 0 and 1, in
place of some seven; the table holds seven rows a ticket). PostgreSQL keeps the name.

ACTIONS is fixed for ever: a code is never renumbered or reused, a new action is appended
(tests/store/test_action_codes.py pins the list). No database library here: the desk's first
board reads events with sqlite3 before SQLAlchemy is loaded (services/first_board.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# position = code; the two steps nearly every ticket has take 0 and 1 (no bytes in SQLite)
ACTIONS: tuple[str, ...] = (
    "register", "dispatch", "arrive", "complete", "return", "callback", "close", "accept",
    "amend", "rework", "reschedule", "pause", "resume", "follow_up", "void", "note", "assess",
    "owner_decision", "charge", "notify", "follow_up_check", "materials", "callback_no_answer",
)
CODES: dict[str, int] = {name: code for code, name in enumerate(ACTIONS)}


def code_of(name: str) -> int:
    """The stored code of an action's name; an action without a code is refused."""
    try:
        return CODES[str(name)]
    except KeyError:
        raise ValueError(f"ticket event action {name!r} has no stored code "
                         "(store/action_codes.ACTIONS)") from None


def name_of(stored: Any) -> str:
    """An action as a SQLite book gives it back: its code (an integer, or the text of one if
    another tool wrote it so), or a name written as text (by hand) kept as it is, so the
    chain names the row."""
    if isinstance(stored, int) and 0 <= stored < len(ACTIONS):
        return ACTIONS[stored]
    if isinstance(stored, str) and stored.isdigit() and int(stored) < len(ACTIONS):
        return ACTIONS[int(stored)]
    return str(stored)


def sql_action(dialect: str, name: str) -> str:
    """An action as a literal to compare the stored column with in raw SQL."""
    code = code_of(name)  # a name without a code is refused on either database
    return str(code) if dialect == "sqlite" else f"'{name}'"


def sql_actions(dialect: str, names: Iterable[str]) -> str:
    """Actions as the list of an IN (...) in raw SQL."""
    return ", ".join(sql_action(dialect, n) for n in names)
