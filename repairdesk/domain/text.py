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
    # Cf: invisible format characters — zero-width space/joiners, LRM/RLM and the bidi
    # controls, the BOM, soft hyphen — make one name look like another, or a name look empty
    return unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")


def clean_text(value: str | None, *, multiline: bool = False) -> str:
    """Remove escapes and control characters, fold whitespace, strip the ends."""
    if not value:
        return ""
    value = _ESCAPES.sub("", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    value = value.replace("\u2028", "\n").replace("\u2029", "\n")  # line/paragraph separators
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
    """True if `value` carries anything a terminal would interpret, or an invisible
    format character."""
    return any(unicodedata.category(ch) in ("Cc", "Cf") and ch != "\n" for ch in value) or any(
        ord(ch) in _BIDI for ch in value
    )


def clean_name(value: str | None) -> str:
    """A person's name as stored and compared: cleaned as text, then NFKC, so full-width
    letters and digits, compatibility forms and invisible characters cannot make a second,
    identical-looking 吴主管 (the roster's names are unique in this form)."""
    return clean_text(unicodedata.normalize("NFKC", clean_text(value)))


def for_output(value: str) -> str:
    """Text on its way to a terminal or a printer, whatever its age: escapes, control
    characters (but new lines and tabs) and invisible format characters removed, nothing else
    changed. Stored text is cleaned on entry already; this holds for records written before."""
    if not value:
        return ""
    value = _ESCAPES.sub("", value)
    return "".join(ch for ch in value if ch in "\n\t\f" or
                   unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))
