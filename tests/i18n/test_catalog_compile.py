"""The quick .po compiler (repairdesk/catalog_compile.py) gives the catalogs Babel gives: the
same translations, plural forms and charset for both languages, fuzzy and untranslated entries
left out; what it does not read falls back to Babel."""

from __future__ import annotations

import gettext
from io import BytesIO

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from repairdesk import i18n
from repairdesk.catalog_compile import compile_mo


def _babel(po: bytes, lang: str) -> gettext.GNUTranslations:
    buf = BytesIO()
    write_mo(buf, read_po(BytesIO(po), locale=lang))
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def _quick(po: bytes) -> gettext.GNUTranslations:
    return gettext.GNUTranslations(BytesIO(compile_mo(po.decode("utf-8"))))


def _messages(t: gettext.GNUTranslations) -> dict:
    return {k: v for k, v in t._catalog.items() if k != ""}  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_our_catalogs_compile_as_babel_compiles_them(lang):
    po = (i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "repairdesk.po").read_bytes()
    quick, babel = _quick(po), _babel(po, lang)
    assert len(_messages(quick)) > 500
    assert _messages(quick) == _messages(babel)
    assert [quick.plural(n) for n in range(4)] == [babel.plural(n) for n in range(4)]
    assert quick._charset == babel._charset  # type: ignore[attr-defined]


SAMPLE = r'''msgid ""
msgstr ""
"Plural-Forms: nplurals=2; plural=(n != 1);\n"
"Content-Type: text/plain; charset=utf-8\n"

#: a.py
#, python-brace-format
msgid "Say \"{x}\"\n"
"on two lines"
msgstr "说\t“{x}”\n"
"两行"

#, fuzzy
msgid "Guessed"
msgstr "猜的"

msgid "Untranslated"
msgstr ""

msgid "{n} ticket"
msgid_plural "{n} tickets"
msgstr[0] "{n} 单"
msgstr[1] ""
'''


def test_escapes_continuations_fuzzy_plural_and_empty_forms():
    po = SAMPLE.encode()
    quick, babel = _quick(po), _babel(po, "en")
    assert _messages(quick) == _messages(babel)
    assert quick.gettext('Say "{x}"\non two lines') == "说\t“{x}”\n两行"
    assert quick.gettext("Guessed") == "Guessed"
    assert quick.ngettext("{n} ticket", "{n} tickets", 2) == "{n} tickets"


@pytest.mark.parametrize("extra", ['msgctxt "menu"\nmsgid "Open"\nmsgstr "打开"\n',
                                   '#~ msgid "Old"\n#~ msgstr "旧"\n',
                                   'msgid "Bell\\a"\nmsgstr "铃"\n'])
def test_what_it_does_not_read_is_refused_so_babel_reads_it(extra):
    with pytest.raises(ValueError):
        compile_mo(SAMPLE + "\n" + extra)
    t = i18n._in_memory("en", (SAMPLE + "\n" + extra).encode())  # Babel's, the same words
    assert t.gettext("Untranslated") == "Untranslated"
