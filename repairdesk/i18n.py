"""gettext with catalogs compiled from the .po files.

The source strings are English; zh_CN is the default language. Compiled .mo files are not
committed: a wheel carries them, built from the .po files (setup.py, with the .po's SHA-256
beside each), and one is used only when it was built from the .po beside it. Otherwise (a
checkout, a .po edited since the build) the .po is compiled in memory at start-up (~40 ms):
no compiled catalog is ever read from a writable cache, where anyone able to write the user's
cache directory could make `verify` print a false "verified".
"""

from __future__ import annotations

import gettext as _gettext
import hashlib
import os
from pathlib import Path

DOMAIN = "repairdesk"
LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LANG = "zh_CN"
SUPPORTED = ("zh_CN", "en")

_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_lang = "en"


def normalise(lang: str | None) -> str | None:
    """Map 'zh', 'zh_CN.UTF-8', 'en_US' … onto a supported language, or None."""
    if not lang:
        return None
    code = lang.split(".")[0].split("@")[0].replace("-", "_")
    if code in SUPPORTED:
        return code
    base = code.split("_")[0].lower()
    if base == "zh":
        return "zh_CN"
    if base == "en":
        return "en"
    return None


def detect(explicit: str | None = None, configured: str | None = None) -> str:
    """--lang, then config, then the environment's locale, then zh_CN."""
    for candidate in (explicit, configured, os.environ.get("REPAIRDESK_LANG")):
        found = normalise(candidate)
        if found:
            return found
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value and value not in ("C", "POSIX", "C.UTF-8"):
            found = normalise(value)
            if found:
                return found
    return DEFAULT_LANG


_memo: dict[tuple[str, str], _gettext.NullTranslations] = {}


def _load(lang: str) -> _gettext.NullTranslations:
    """The catalog for `lang`: the packaged .mo when its sidecar names this .po's SHA-256,
    else the .po compiled in memory (kept for this process)."""
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    try:
        data = po.read_bytes()
    except OSError:
        return _gettext.NullTranslations()
    full = hashlib.sha256(data).hexdigest()
    memo = _memo.get((lang, full))
    if memo is not None:
        return memo
    packaged = po.with_suffix(".mo")
    translation: _gettext.NullTranslations | None = None
    try:
        if packaged.with_name(packaged.name + ".sha256").read_text().strip() == full:
            with packaged.open("rb") as fh:
                translation = _gettext.GNUTranslations(fh)
    except (OSError, UnicodeDecodeError):
        translation = None
    if translation is None:
        translation = _in_memory(lang, data)
    _memo[(lang, full)] = translation
    return translation


def set_language(lang: str) -> str:
    """Install the catalog for `lang`; returns the language actually in use."""
    global _translation, _lang
    lang = normalise(lang) or DEFAULT_LANG
    _translation = _load(lang)
    _lang = lang
    return lang


def _in_memory(lang: str, po: bytes) -> _gettext.NullTranslations:
    from io import BytesIO

    from .catalog_compile import compile_mo

    try:  # a few ms; Babel's parser (below) took ~50 ms of every start (issue 18)
        return _gettext.GNUTranslations(BytesIO(compile_mo(po.decode("utf-8"))))
    except (ValueError, UnicodeDecodeError):
        pass
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    buf = BytesIO()
    write_mo(buf, read_po(BytesIO(po), locale=lang))
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


def current_language() -> str:
    return _lang


def babel_locale() -> str:
    return "zh_Hans_CN" if _lang == "zh_CN" else "en_US"


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction; translate it later, where it is shown."""
    return message
