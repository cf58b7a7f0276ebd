"""Catalogs (issue 16): a compiled catalog is never taken from a writable cache. A planted
.mo that turns a failing check into "verified" is not read; a packaged .mo is used only when
its sidecar names the SHA-256 of the .po beside it."""

from __future__ import annotations

import hashlib
import shutil
from io import BytesIO

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from repairdesk import i18n

FAILED = "Verification FAILED: {n} problem(s)."
REAL = "Verified: {n} duty-log entries and {s} signatures match."


def _mo(pairs: dict[str, str]) -> bytes:
    catalog = Catalog(locale="zh_CN")
    for msgid, msgstr in pairs.items():
        catalog.add(msgid, msgstr)
    buf = BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _restore_language():
    yield
    i18n._memo.clear()
    i18n.set_language("zh_CN")


def test_a_catalog_planted_in_the_cache_is_not_used(tmp_path, monkeypatch):
    po = (i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "repairdesk.po").read_bytes()
    digest = hashlib.sha256(po).hexdigest()[:16]
    planted = {REAL: "核验通过（伪造）", "registered": "核验通过"}
    cache = tmp_path / "cache"
    for where in (cache / "locale", tmp_path / "xdg" / "repairdesk" / "locale"):
        where.mkdir(parents=True)
        (where / f"zh_CN-{digest}.mo").write_bytes(_mo(planted))  # the old cache's own name
    monkeypatch.setenv("REPAIRDESK_CACHE", str(cache))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    i18n._memo.clear()
    assert i18n.set_language("zh_CN") == "zh_CN"
    assert i18n._("registered") == "已登记"
    assert "伪造" not in i18n._(REAL)
    assert not list(cache.rglob("*.mo.sha256"))  # nothing new written there either


def test_a_packaged_catalog_counts_only_with_the_po_s_digest(tmp_path, monkeypatch):
    lc = tmp_path / "zh_CN" / "LC_MESSAGES"
    lc.mkdir(parents=True)
    src = i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "repairdesk.po"
    shutil.copy(src, lc / "repairdesk.po")
    (lc / "repairdesk.mo").write_bytes(_mo({"registered": "核验通过"}))
    (lc / "repairdesk.mo.sha256").write_text("0" * 64 + "\n")  # built from another .po
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n._memo.clear()
    i18n.set_language("zh_CN")
    assert i18n._("registered") == "已登记"

    (lc / "repairdesk.mo.sha256").write_text(hashlib.sha256(src.read_bytes()).hexdigest())
    i18n._memo.clear()
    i18n.set_language("zh_CN")
    assert i18n._("registered") == "核验通过"  # the build's own .mo is the package's code


def test_language_without_any_cache_directory(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("REPAIRDESK_CACHE", str(blocker))
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    i18n._memo.clear()
    assert i18n.set_language("zh_CN") == "zh_CN"
    assert i18n._("registered") == "已登记"
