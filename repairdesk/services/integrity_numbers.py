"""`verify`'s ticket numbers (services/integrity.py): gap-free from 1 up to their counter — a
deleted ticket leaves a hole, a deleted last ticket leaves the counter ahead of the book.

The numbers are fed one by one as verify reads the tickets, chunk by chunk; what is kept of a
counter's numbers is one byte a number up to the counter (or up to the book's ticket count, if
the counter is higher: the first hole is never beyond it), not the numbers themselves."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.numbering import NumberFormat
from ..i18n import _


@dataclass
class _Counter:
    """What one counter's tickets say: the highest number and its ticket, the first ticket
    (how wide its numbers are), and which numbers from 1 up to `limit` are there."""

    limit: int
    seen: bytearray = field(init=False)
    top: int = -1
    top_no: str = ""
    first: int | None = None
    first_no: str = ""

    def __post_init__(self) -> None:
        self.seen = bytearray(self.limit + 1)

    def add(self, n: int, ticket_no: str) -> None:
        if n >= self.top:  # the last ticket given a number wins, as in a dict by number
            self.top, self.top_no = n, ticket_no
        if self.first is None:
            self.first = n
        if n == self.first:
            self.first_no = ticket_no
        if 1 <= n <= self.limit:
            self.seen[n] = 1

    def hole(self, last: int) -> int | None:
        """The first number from 1 up to `last` no ticket has."""
        at = self.seen.find(0, 1, min(last, self.limit) + 1)
        if at >= 0:
            return at
        return self.limit + 1 if last > self.limit else None


class Numbering:
    """The numbers of a book's tickets against their counters, fed in ticket id order."""

    def __init__(self, fmt: NumberFormat, counters: dict[str, int], tickets: int) -> None:
        self.fmt, self.counters, self.tickets = fmt, counters, tickets
        self.issued: dict[str, _Counter] = {}

    def add(self, ticket_no: str) -> None:
        from .reports import split_number

        split = split_number(self.fmt, ticket_no)
        if split is None:
            return
        period, n = split
        numbers = self.issued.get(period)
        if numbers is None:
            # no more than the book's tickets can be from 1 up: the first hole is below that
            limit = max(0, min(self.counters.get(period, 0), self.tickets + 1))
            numbers = self.issued[period] = _Counter(limit)
        numbers.add(n, ticket_no)

    def problem(self) -> str | None:
        """The first number beyond its counter or missing below it, a counter by name."""
        for period in sorted(self.issued):
            numbers = self.issued[period]
            last = self.counters.get(period, 0)
            if numbers.top > last:
                return _("ticket {no} is numbered beyond its counter ({last})").format(
                    no=numbers.top_no, last=last)
            n = numbers.hole(last)
            if n is not None:
                head, _hash, tail = period.partition("#")
                width = len(numbers.first_no) - len(head) - len(tail)
                return _("ticket {no} is missing: the counter issued it").format(
                    no=f"{head}{n:0{width}d}{tail}")
        for period in sorted(set(self.counters) - set(self.issued)):
            if not period.startswith("#") and "#" in period and self.counters[period] > 0:
                return _("the {n} tickets counted by {counter} are missing").format(
                    n=self.counters[period], counter=period)
        return None
