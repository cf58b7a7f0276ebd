"""What `verify` keeps of the ticket-event and print-job chains it walks (issue 18, book size):
not every recomputed hash, only how many there are and those at the positions the duty log's
handover and sign-off entries stored a head at (integrity_signed.check_references compares
them), read before the walk."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from sqlmodel import Session

from . import dutylog


class Held:
    """A chain's hashes as check_references reads them (a list's length and items), without
    keeping them all: how many the chain holds, and the hashes at the positions the duty log's
    stored heads name (`positions`: n of each head [n, hash], read before the chain is walked,
    anchored_positions)."""

    def __init__(self, positions: Iterable[int] = ()) -> None:
        wanted = set(positions)
        self._keep = {n for n in wanted if n > 0}
        # a head of -k reads the chain's list from its end, as a list would
        self._tail: deque[str] = deque(maxlen=max((1 - n for n in wanted if n < 0), default=0))
        self._at: dict[int, str] = {}
        self._n = 0

    def add(self, value: str) -> None:
        self._n += 1
        if self._n in self._keep:
            self._at[self._n] = value
        self._tail.append(value)

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, index: int) -> str:
        i = index + self._n if index < 0 else index
        if not 0 <= i < self._n:
            raise IndexError("chain position out of range")
        if i + 1 in self._at:
            return self._at[i + 1]
        back = self._n - i
        if back <= len(self._tail):
            return self._tail[-back]
        raise KeyError(f"chain position {index} was not kept (anchored_positions)")


def anchored_positions(session: Session) -> dict[str, set[int]]:
    """The positions of each chain the duty log's entries stored a head at ({table: {n}}): what
    check_references compares: the only hashes the chains' walks need to keep."""
    out: dict[str, set[int]] = {}
    for data in (e.data for chunk in dutylog.entries_in_chunks(session) for e in chunk):
        try:
            for table, head in (data.get("heads") or {}).items():
                if isinstance(head, list) and len(head) == 2:
                    out.setdefault(table, set()).add(int(head[0]))
        except (AttributeError, TypeError, ValueError, OverflowError):
            continue  # check_references meets it as it always did
    return out
