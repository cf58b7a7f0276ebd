"""Cleaning text before it is stored or shown: no control characters, no terminal escapes."""

from __future__ import annotations

import re
import unicodedata

# ESC-introduced sequences: CSI (ESC [ … final), OSC (ESC ] … BEL or ST), DCS/SOS/PM/APC
# (ESC P/X/^/_ … ST) and two-character escapes. The 8-bit C1 forms are removed with C1 below.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[@-Z\\-_]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|\x9d[^\x07\x9c]*(?:\x07|\x9c)?"
)
# Bidirectional overrides can make a line read differently from what is stored.
_BIDI = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069}


def _keep(ch: str, multiline: bool) -> bool:
    if ch == "\n":
        return multiline
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cs", "Co", "Cn"):
        return False
    return ord(ch) not in _BIDI


def clean_text(value: str | None, *, multiline: bool = False) -> str:
    """Remove escapes and control characters, fold whitespace, strip the ends."""
    if not value:
        return ""
    value = _ESCAPES.sub("", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if not multiline:
        value = value.replace("\n", " ")
    value = "".join(ch for ch in value if _keep(ch, multiline))
    if multiline:
        lines = [re.sub(r"[ \u3000]+", " ", line).strip() for line in value.split("\n")]
        value = "\n".join(lines)
        value = re.sub(r"\n{3,}", "\n\n", value)
    else:
        value = re.sub(r"\s+", " ", value)
    return value.strip()


def has_escape(value: str) -> bool:
    """True if `value` carries anything a terminal would interpret."""
    return any(unicodedata.category(ch) == "Cc" and ch != "\n" for ch in value) or any(
        ord(ch) in _BIDI for ch in value
    )
