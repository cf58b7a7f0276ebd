"""Reading a room the way callers say it: `3栋2单元1501`, `3幢2单元1501`, `3号楼2单元1501` and
`3-2-1501` are one room, written `3-2-1501` (building-unit-room). The spoken forms are
configurable patterns ([intake] room_forms); a text that is neither a room nor clearly a public
place ([intake] public_place_words) is left for the clerk to decide: never silently public, whose
3-day clock and statistics would be wrong."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from ..i18n import _

ROOM_GROUPS = ("b", "u", "r")  # each spoken form names building, unit and room


class Place(StrEnum):
    ROOM = "room"  # a room this site knows how to read: in-home
    PUBLIC = "public"  # names a public place (corridor, lift, garage…)
    UNSURE = "unsure"  # neither: the clerk must say which


@dataclass(frozen=True)
class PlaceReading:
    kind: Place
    room: str = ""  # the room as written in the book (3-2-1501) when kind is ROOM
    word: str = ""  # the public-place word found when kind is PUBLIC


def _fold(text: str) -> str:
    """Full-width digits and dashes to ASCII, spaces out (callers' text from any IME)."""
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"[‐‑‒–—―－﹣−]", "-", text)
    return re.sub(r"\s+", "", text)


def normalise_room(text: str, forms: Sequence[str], canonical: str) -> str | None:
    """The room as written in the book (`3-2-1501`), or None when `text` is no room.

    `canonical` is the book's own pattern (already a room); `forms` are the spoken ways, each
    a regular expression with the named groups b (building), u (unit) and r (room). Leading
    zeros of building and unit are dropped (`03栋` is building 3); the room stays as said.
    """
    folded = _fold(text)
    if not folded:
        return None
    if re.fullmatch(canonical, folded):
        return folded
    for form in forms:
        m = re.fullmatch(form, folded)
        if m is None:
            continue
        b, u, r = (m.group(g) for g in ROOM_GROUPS)
        room = f"{int(b)}-{int(u)}-{r}" if b.isdigit() and u.isdigit() else f"{b}-{u}-{r}"
        if re.fullmatch(canonical, room):
            return room
    return None


def read_place(text: str, forms: Sequence[str], canonical: str,
               public_words: Sequence[str]) -> PlaceReading:
    """Room, public place, or unsure: what the intake form and `ticket add` make of the text."""
    room = normalise_room(text, forms, canonical)
    if room is not None:
        return PlaceReading(Place.ROOM, room=room)
    folded = _fold(text)
    for word in public_words:
        if word and word in folded:
            return PlaceReading(Place.PUBLIC, word=word)
    return PlaceReading(Place.UNSURE)


def check_form(form: str) -> str | None:
    """What is wrong with a configured room form, or None (config.py names the key)."""
    try:
        compiled = re.compile(form)
    except re.error as exc:
        return str(exc)
    missing = [g for g in ROOM_GROUPS if g not in compiled.groupindex]
    if missing:
        return _("needs the named groups (?P<b>…), (?P<u>…) and (?P<r>…)")
    return None
