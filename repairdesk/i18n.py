"""gettext with catalogs compiled from the .po files at first use.

The source strings are English; zh_CN is the default language. Compiled .mo
files are not committed: a wheel carries them, built from the .po files (setup.py,
with the .po's SHA-256 beside each); a checkout builds them into the user cache
directory the first time a language is used (and rebuilds them when the .po changes).
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


def _compiled(lang: str) -> Path | None:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.exists():
        return None
    data = po.read_bytes()
    full = hashlib.sha256(data).hexdigest()
    packaged = po.with_suffix(".mo")
    try:
        if (packaged.with_name(packaged.name + ".sha256").read_text().strip() == full
                and packaged.is_file()):
            return packaged
    except (OSError, UnicodeDecodeError):
        pass
    digest = full[:16]
    cache = Path(os.environ.get("REPAIRDESK_CACHE") or _cache_dir()) / "locale"
    mo = cache / f"{lang}-{digest}.mo"
    if not mo.exists():
        from io import BytesIO

        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        catalog = read_po(BytesIO(data), locale=lang)
        cache.mkdir(parents=True, exist_ok=True)
        tmp = mo.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            write_mo(fh, catalog)
        os.replace(tmp, mo)
    return mo


def _cache_dir() -> str:
    from platformdirs import user_cache_dir

    return user_cache_dir("repairdesk")


def set_language(lang: str) -> str:
    """Install the catalog for `lang`; returns the language actually in use."""
    global _translation, _lang
    lang = normalise(lang) or DEFAULT_LANG
    try:
        mo = _compiled(lang)
    except OSError:
        # No writable cache (read-only home, full disk): compile in memory rather than fail.
        _translation = _in_memory(lang)
    else:
        if mo is None:
            _translation = _gettext.NullTranslations()
        else:
            with mo.open("rb") as fh:
                _translation = _gettext.GNUTranslations(fh)
    _lang = lang
    return lang


def _in_memory(lang: str) -> _gettext.NullTranslations:
    from io import BytesIO

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    buf = BytesIO()
    write_mo(buf, read_po(BytesIO(po.read_bytes()), locale=lang))
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
