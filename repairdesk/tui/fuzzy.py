"""Command-palette matching that a Chinese desk can type: by the Chinese name, the English
name, or the pinyin of the Chinese name (initials `pg` or full `paigong` find 派工).

Clerks type on an English keyboard with the IME off most of the time; pinyin initials are
the quickest way to reach an action without switching input method.
"""

from __future__ import annotations

from functools import lru_cache


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


@lru_cache(maxsize=2048)
def readings(name: str) -> tuple[tuple[str, str], ...]:
    """(initials, full pinyin) readings of a name, e.g. 派工 -> (('pg', 'paigong'),).

    The phrase-aware reading comes first (重复 -> chongfu); the character-by-character
    reading is added when it differs, since a clerk may spell either. Rare heteronyms are
    left out on purpose: they make unrelated actions match. Letters and digits pass through
    lowercased; punctuation and spaces are dropped.
    """
    out: list[tuple[str, str]] = []
    for syllables in (_syllables(name, phrase=True), _syllables(name, phrase=False)):
        if syllables:
            out.append(("".join(s[0] for s in syllables), "".join(syllables)))
    return tuple(dict.fromkeys(out))


def _syllables(name: str, phrase: bool) -> list[str]:
    # imported here: pypinyin's dictionaries cost ~0.2 s, paid when the palette first matches,
    # not before the desk's first frame
    from pypinyin import Style, pinyin

    if phrase:
        raw = pinyin(name, style=Style.NORMAL, errors=lambda text: list(text))
        items = [r[0] for r in raw]
    else:
        items = [pinyin(ch, style=Style.NORMAL)[0][0] if _is_han(ch) else ch for ch in name]
    return [item.lower() for item in items if item and item.isalnum()]


def _subsequence_score(query: str, text: str) -> float | None:
    """0..1 for query letters appearing in order in text; tighter runs score higher."""
    pos = -1
    first = -1
    for ch in query:
        pos = text.find(ch, pos + 1)
        if pos < 0:
            return None
        if first < 0:
            first = pos
    span = pos - first + 1
    return len(query) / span if span else 0.0


def _score_text(query: str, text: str) -> float | None:
    """Plain text: exact 1.0, prefix 0.9, word prefix 0.85, substring 0.8, word initials 0.75,
    letters in order < 0.6."""
    if not text:
        return None
    if text == query:
        return 1.0
    if text.startswith(query):
        return 0.9
    if any(word.startswith(query) for word in text.split()):
        return 0.85
    words = text.replace("-", " ").split()
    if len(words) > 1 and "".join(w[0] for w in words).startswith(query):
        return 0.75
    at = text.find(query)
    if at >= 0:
        return 0.8 - min(at, 20) * 0.005
    sub = _subsequence_score(query, text)
    return None if sub is None else 0.3 + 0.3 * sub


def _score_pinyin(query: str, name: str) -> float | None:
    q = "".join(ch for ch in query if ch.isalnum())
    if not q or not q.isascii():
        return None
    best: float | None = None
    for initials, full in readings(name):
        for score in (
            0.88 if initials == q else None,
            0.86 if full == q else None,
            0.84 if initials.startswith(q) else None,
            0.82 if full.startswith(q) else None,
            0.7 if q in initials else None,
            0.65 if q in full else None,
        ):
            if score is not None and (best is None or score > best):
                best = score
    return best


def matches(query: str, *names: str) -> float | None:
    """How well `query` finds an action known by `names` (Chinese and English); None: no match.

    Scores are 0..1, higher is better, comparable across actions. An empty query matches all.
    """
    q = query.strip().lower()
    if not q:
        return 1.0
    best: float | None = None
    for name in names:
        if not name:
            continue
        low = name.lower()
        candidates = [_score_text(q, low), _score_text(q.replace(" ", ""), low.replace(" ", ""))]
        if any(_is_han(ch) for ch in name):
            candidates.append(_score_pinyin(q, name))
        for score in candidates:
            if score is not None and (best is None or score > best):
                best = score
    return best
