"""Ticket numbers: BX-YYYYMMDD-NNNN by default; the period is whatever the format leaves once
the sequence is blanked out, so a yearly or monthly format gets a yearly or monthly sequence."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import date

from ..errors import ConfigError
from ..i18n import _

DEFAULT_FORMAT = "{prefix}-{date:%Y%m%d}-{seq:04d}"
MAX_LENGTH = 40


@dataclass(frozen=True)
class NumberFormat:
    prefix: str = "BX"
    pattern: str = DEFAULT_FORMAT

    def __post_init__(self) -> None:
        try:
            fields = list(string.Formatter().parse(self.pattern))
        except ValueError:
            fields = []
        names = {f for _lit, f, _spec, _conv in fields if f}
        if "seq" not in names or not names <= {"prefix", "date", "seq", "site"}:
            raise ConfigError(
                _("Ticket number format must contain {{seq}} and only {{prefix}}, {{date}}, "
                  "{{site}}: {pattern}").format(pattern=self.pattern[:80])
            )
        # a width like {seq:>99999999999} would build a string of that size on every number
        wide = any(f != "date" and re.search(r"\d{3,}", spec or "")
                   for _lit, f, spec, _conv in fields if f)
        try:
            sample = None if wide else self.format(date(2026, 11, 22), 9999, "XX")
        except (ValueError, TypeError, KeyError, IndexError, OverflowError):
            sample = None
        if sample is None or len(sample) > MAX_LENGTH:
            raise ConfigError(
                _("Configuration key numbering.format: {pattern} does not make a ticket number "
                  "of at most {n} characters (e.g. {default}).").format(
                      pattern=self.pattern[:80], n=MAX_LENGTH, default=DEFAULT_FORMAT))

    def period_key(self, day: date, site: str = "") -> str:
        """The counter that this day's numbers share (e.g. 'BX-20261122-#')."""
        blank = re.sub(r"\{seq[^}]*\}", "#", self.pattern)
        return blank.format(prefix=self.prefix, date=day, site=site)

    def format(self, day: date, seq: int, site: str = "") -> str:
        return self.pattern.format(prefix=self.prefix, date=day, seq=seq, site=site)

    def parse_seq(self, ticket_no: str, day: date, site: str = "") -> int | None:
        """The sequence number inside `ticket_no` for this period, or None."""
        head, _sep, tail = self.period_key(day, site).partition("#")
        if ticket_no.startswith(head) and ticket_no.endswith(tail):
            middle = ticket_no[len(head): len(ticket_no) - len(tail) if tail else None]
            return int(middle) if middle.isdigit() else None
        return None


def find_gaps(seqs: list[int]) -> list[int]:
    """Numbers missing between the first and the last of `seqs`."""
    if not seqs:
        return []
    have = set(seqs)
    return [n for n in range(min(seqs), max(seqs) + 1) if n not in have]
