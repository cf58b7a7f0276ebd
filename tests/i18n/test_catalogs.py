"""Every extracted string is translated in every catalog, and nothing stale is kept.

The check extracts the source into a temp dir with the same babel.cfg as scripts/i18n.py and
compares it with repairdesk/locale/*/LC_MESSAGES/repairdesk.po. Fix a failure with
`python scripts/i18n.py all`, then translate what `python scripts/i18n.py todo zh_CN` lists.
"""

from __future__ import annotations

import importlib.util
from io import BytesIO
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parents[2]


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("repairdesk_i18n_tool", ROOT / "scripts" / "i18n.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    return _tool()


def test_both_languages_have_a_catalog(tool):
    assert {"zh_CN", "en"} <= set(tool.languages())


def test_catalogs_are_complete_and_not_stale(tool):
    problems = tool.check()
    assert problems == [], "\n".join(problems[:40])


def _catalog_file(tmp_path: Path, lang: str, entries: dict[str, str], fuzzy: set[str] = frozenset()):
    catalog = Catalog(locale=lang)
    for msgid, msgstr in entries.items():
        catalog.add(msgid, msgstr, flags=("fuzzy",) if msgid in fuzzy else ())
    path = tmp_path / lang / "LC_MESSAGES" / "repairdesk.po"
    path.parent.mkdir(parents=True)
    buf = BytesIO()
    write_po(buf, catalog)
    path.write_bytes(buf.getvalue())


def test_the_check_catches_missing_stale_fuzzy_and_bad_placeholders(tool, tmp_path, monkeypatch):
    template = Catalog()
    for msgid in ("Quit", "Ticket {no} voided: {reason}", "Keys", "Theme"):
        template.add(msgid)
    _catalog_file(tmp_path, "zh_CN", {
        "Quit": "退出",
        "Ticket {no} voided: {reason}": "报修单 {number} 已作废：{reason}",
        "Keys": "按键",
        "Gone from the source": "旧的",
    }, fuzzy={"Keys"})
    monkeypatch.setattr(tool, "LOCALE_DIR", tmp_path)
    found = "\n".join(tool.problems("zh_CN", template))
    assert "untranslated: 'Theme'" in found
    assert "stale (no longer in the source): 'Gone from the source'" in found
    assert "fuzzy: 'Keys'" in found
    assert "placeholder ['number'] not in msgid" in found
    assert "'Quit'" not in found


def test_english_msgstr_never_contains_chinese(tool):
    """`--lang en` must show no Chinese: the en catalog rewrites msgids that quote Chinese terms."""
    from babel.messages.pofile import read_po

    catalog = read_po(BytesIO(tool.po_path("en").read_bytes()), locale="en")
    chinese = [m.id for m in catalog if m.id and any("\u4e00" <= ch <= "\u9fff" for ch in
               (m.string if isinstance(m.string, str) else "".join(m.string)))]
    assert chinese == []


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_translations_avoid_ambiguous_width_characters(tool, lang):
    """…, —, ·, →, ① and curly quotes are one or two cells wide depending on the terminal
    font (East Asian Width "A"), which breaks table and form alignment."""
    import unicodedata

    from babel.messages.pofile import read_po

    catalog = read_po(BytesIO(tool.po_path(lang).read_bytes()), locale=lang)
    bad = {m.id: [c for c in s if unicodedata.east_asian_width(c) == "A"]
           for m in catalog if m.id
           for s in ([m.string] if isinstance(m.string, str) else list(m.string))}
    assert {k: v for k, v in bad.items() if v} == {}


def test_language_works_without_a_writable_cache(tmp_path, monkeypatch):
    """A read-only cache directory must not stop the desk from starting in Chinese."""
    from repairdesk import i18n

    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("REPAIRDESK_CACHE", str(blocker))  # mkdir under a file: OSError
    assert i18n.set_language("zh_CN") == "zh_CN"
    assert i18n._("registered") == "已登记"
