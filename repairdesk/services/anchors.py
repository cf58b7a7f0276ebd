"""Anchors (核验码): the duty-log chain head, short enough to read aloud and write down.

The chain is unkeyed: whoever has the file can edit an entry and recompute every hash after it,
and plain `verify` then passes. An anchor kept outside the file — on the printed handover, in
the supervisor's notebook — pins the history up to its entry: `verify --anchor` proves the
entry is still there, still has that hash, and the chain from genesis up to it still holds.

An anchor is derived, never stored: the entry a sign-off or a handover writes into the duty
log is itself in the chain, so its anchor is that entry's seq and the start of its hash."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from sqlmodel import Session, col, select

from ..errors import ValidationError
from ..i18n import _
from ..store.tables import DutyLogEntry
from .dutylog import GENESIS, entry_hash

if TYPE_CHECKING:
    from .context import Desk

HEX = 16  # hash characters in an anchor: 64 bits, four groups of four
_SHAPE = re.compile(r"^A-?(\d{1,12})-?((?:[0-9A-F]{4}-?){3}[0-9A-F]{4})$")


@dataclass(frozen=True)
class Anchor:
    seq: int
    prefix: str  # lower-case hex, HEX characters

    def __str__(self) -> str:
        return format_anchor(self.seq, self.prefix)


def format_anchor(seq: int, hash_hex: str) -> str:
    """`A-000123-3F9C-2B1D-77AE-0C45`: the entry's seq and the first 16 hex of its hash."""
    h = hash_hex[:HEX].upper()
    return f"A-{seq:06d}-" + "-".join(h[i:i + 4] for i in range(0, HEX, 4))


def parse_anchor(text: str) -> Anchor:
    """An anchor as written down: case, spaces and the dashes between groups do not matter."""
    raw = re.sub(r"\s+", "", text or "").upper()
    m = _SHAPE.match(raw)
    if not m:
        raise ValidationError(_(
            "{text!r} is not an anchor; an anchor looks like A-000123-3F9C-2B1D-77AE-0C45."
        ).format(text=(text or "").strip()[:40]), "anchor")
    return Anchor(int(m.group(1)), m.group(2).replace("-", "").lower())


def read_anchor_lines(lines: Iterable[str]) -> list[Anchor]:
    """Anchors from a file: one a line; blank lines and `#` comments are skipped."""
    out = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(parse_anchor(line))
    return out


def _entry(session: Session, **where: object) -> DutyLogEntry | None:
    q = select(DutyLogEntry)
    for k, v in where.items():
        q = q.where(getattr(DutyLogEntry, k) == v)
    return session.exec(q.limit(1)).first()


def anchor_of(desk: "Desk", seq: int) -> str | None:
    """The anchor of duty-log entry `seq`, or None when there is no such entry."""
    with desk.store.read() as session:
        e = _entry(session, seq=seq)
    return format_anchor(e.seq, e.hash) if e is not None else None


def current_anchor(desk: "Desk") -> str | None:
    """The anchor of the chain head (the last entry), or None on an empty log."""
    with desk.store.read() as session:
        e = session.exec(select(DutyLogEntry).order_by(col(DutyLogEntry.seq).desc())
                         .limit(1)).first()
    return format_anchor(e.seq, e.hash) if e is not None else None


def entry_anchor(desk: "Desk", dedup_key: str) -> str | None:
    """The anchor of the entry a record wrote (found by its exactly-once key)."""
    with desk.store.read() as session:
        e = _entry(session, dedup_key=dedup_key)
    return format_anchor(e.seq, e.hash) if e is not None else None


def handover_anchor(desk: "Desk", handover_id: int) -> str | None:
    """The anchor a signed handover carries: its own duty-log entry."""
    return entry_anchor(desk, f"handover:{handover_id}")


def signoff_anchor(desk: "Desk", site: str, duty_day: str) -> str | None:
    """The anchor a sign-off carries: its own duty-log entry."""
    return entry_anchor(desk, f"signoff:{site}:{duty_day}")


@dataclass(frozen=True)
class AnchorFailure:
    anchor: Anchor
    reason: str

    def __str__(self) -> str:
        return _("anchor {anchor} fails: {reason}").format(anchor=self.anchor,
                                                          reason=self.reason)


def check_anchors(session: Session, anchors: list[Anchor]) -> AnchorFailure | None:
    """Walk the chain from genesis once, up to the furthest anchor: the first anchor (in the
    order given) whose entry is missing, has another hash, or sits behind a break."""
    if not anchors:
        return None
    wanted = {a.seq for a in anchors}
    top = max(wanted)
    seen: dict[int, str] = {}
    broken_at: int | None = None  # the first seq at which the chain does not hold
    prev, expected = GENESIS, 1
    rows = session.exec(select(DutyLogEntry).where(DutyLogEntry.seq <= top)
                        .order_by(col(DutyLogEntry.seq)))
    for e in rows:
        if e.seq != expected or e.prev_hash != prev or entry_hash(e, prev) != e.hash:
            broken_at = min(expected, e.seq)
            break
        if e.seq in wanted:
            seen[e.seq] = e.hash
        prev, expected = e.hash, expected + 1
    last = expected - 1
    for a in anchors:
        if a.seq in seen:
            if not seen[a.seq].startswith(a.prefix):
                return AnchorFailure(a, _(
                    "duty-log entry {seq} has another hash: the history up to it was "
                    "rewritten").format(seq=a.seq))
            continue
        if broken_at is not None:
            return AnchorFailure(a, _(
                "the duty-log chain does not hold at entry {at}, on the way to entry {seq}").format(
                at=broken_at, seq=a.seq))
        return AnchorFailure(a, _(
            "duty-log entry {seq} is missing: the log ends at entry {last}").format(
            seq=a.seq, last=last))
    return None
