"""Finding a font with Chinese glyphs for the PDF renderer.

PDF viewers and printers have no Chinese font of their own that we can count on, so the
renderer embeds one, in this order: the configured file (printing.font); the system's —
Debian/Ubuntu packages (fonts-noto-cjk, fonts-wqy-zenhei …), then whatever fontconfig offers
for zh-cn, then the standard Chinese fonts of Windows and macOS; last the font that comes with
the install (Noto Sans SC, SIL Open Font License 1.1, from the pinned Python package
pylopdf-fonts-zh-cn), so a desk PC with no Chinese font at all still prints. A font is taken
only if it really has the glyphs (单号, 派工单).
"""

from __future__ import annotations

from typing import Any

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import RepairdeskError
from ..i18n import _

# (file, index in a font collection, Debian package); Noto's collection holds JP, KR, SC, TC…
KNOWN_FONTS: tuple[tuple[str, int, str], ...] = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2, "fonts-noto-cjk"),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2, "fonts-noto-cjk"),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0, "fonts-wqy-zenhei"),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0, "fonts-wqy-microhei"),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0, "fonts-arphic-uming"),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0, "fonts-droid-fallback"),
)
# The Chinese fonts Windows and macOS ship with (SimSun/NSimSun is in every Windows install).
WINDOWS_FONTS = os.path.join(os.environ.get("WINDIR", r"C:\Windows"), "Fonts")
OTHER_OS_FONTS: tuple[tuple[str, int, str], ...] = (
    (os.path.join(WINDOWS_FONTS, "msyh.ttc"), 0, "Windows: Microsoft YaHei"),
    (os.path.join(WINDOWS_FONTS, "simhei.ttf"), 0, "Windows: SimHei"),
    (os.path.join(WINDOWS_FONTS, "simsun.ttc"), 0, "Windows: SimSun"),
    ("/System/Library/Fonts/PingFang.ttc", 0, "macOS: PingFang"),
    ("/System/Library/Fonts/STHeiti Light.ttc", 0, "macOS: Heiti"),
    ("/System/Library/Fonts/Supplemental/Songti.ttc", 0, "macOS: Songti"),
    ("/Library/Fonts/Arial Unicode.ttf", 0, "macOS: Arial Unicode"),
)
PROBE = "单号派工BX-0123456789"
# Latin letters and digits (the 单号, times, money) are set in a Latin font when there is one:
# CJK fonts' Latin glyphs do not always survive a CUPS filter chain as text (wqy-zenhei's turn
# into Type 3 shapes through pdftocairo), and a Latin face reads better anyway.
KNOWN_LATIN: tuple[tuple[str, str], ...] = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "fonts-dejavu-core"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "fonts-liberation"),
    ("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf", "fonts-liberation2"),
)
LATIN_PROBE = "BX-0123456789¥*"


class FontMissing(RepairdeskError):
    """No usable Chinese font: the message names the package to install."""


@dataclass(frozen=True)
class FontFile:
    path: Path
    index: int = 0


@lru_cache(maxsize=16)
def glyphs(path: str, index: int = 0) -> frozenset[int]:
    """The code points a font has glyphs for (empty if it cannot be read)."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        font = TTFont(path, fontNumber=index, lazy=True)
        cmap = font.getBestCmap() or {}
        font.close()
    except (OSError, TTLibError, ValueError, KeyError, AssertionError):
        return frozenset()
    return frozenset(cmap)


def _covers(path: str, index: int, probe: str) -> bool:
    have = glyphs(path, index)
    return all(ord(ch) in have for ch in probe)


def has_chinese(path: str, index: int = 0) -> bool:
    """True if the font (number `index` of a collection) has glyphs for the probe text."""
    return _covers(path, index, PROBE)


def find_latin_font(known: tuple[tuple[str, str], ...] = KNOWN_LATIN) -> FontFile | None:
    """A Latin face for letters and digits, or None (the CJK font then sets everything)."""
    for file, _package in known:
        if Path(file).is_file() and _covers(file, 0, LATIN_PROBE):
            return FontFile(Path(file))
    return None


def _fontconfig() -> FontFile | None:
    if shutil.which("fc-match") is None:
        return None
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}|%{index}", ":lang=zh-cn"],
                             capture_output=True, text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    file, _sep, index = out.strip().partition("|")
    if not file or not Path(file).is_file():
        return None
    return FontFile(Path(file), int(index) if index.isdigit() else 0)


def find_cjk_font(configured: str = "", *,
                  known: tuple[tuple[str, int, str], ...] | None = None,
                  fontconfig: bool = True, bundled: bool = True) -> FontFile:
    """The font to embed; FontMissing with the package to install when there is none.
    `known`, `fontconfig` (also the Windows/macOS files) and `bundled` narrow the search
    (tests of a machine without fonts)."""
    if configured:
        path = Path(configured).expanduser()
        if not path.is_file():
            raise FontMissing(_("Configuration key printing.font: no font file {path}.").format(
                path=path))
        if not has_chinese(str(path), 0):
            raise FontMissing(_("Configuration key printing.font: {path} has no Chinese "
                                "glyphs.").format(path=path))
        return FontFile(path)
    for file, index, _package in KNOWN_FONTS if known is None else known:
        if Path(file).is_file() and has_chinese(file, index):
            return FontFile(Path(file), index)
    found = _fontconfig() if fontconfig else None
    if found is not None and has_chinese(str(found.path), found.index):
        return found
    for file, index, _package in OTHER_OS_FONTS if fontconfig else ():
        if Path(file).is_file() and has_chinese(file, index):
            return FontFile(Path(file), index)
    if bundled:
        own = bundled_font()
        if own is not None:
            return own
    raise FontMissing(_("No Chinese font for printing PDF work orders: install the package "
                        "fonts-noto-cjk or fonts-wqy-zenhei (apt-get install fonts-wqy-zenhei), "
                        "or set printing.font to a font file."))


def bundled_font() -> FontFile | None:
    """Noto Sans SC from the pinned dependency pylopdf-fonts-zh-cn, if it is installed and
    readable (None otherwise: a site may have removed it and configured its own)."""
    try:
        import pylopdf_fonts_zh_cn
    except ImportError:
        return None
    path = pylopdf_fonts_zh_cn.sans_path()
    if path.is_file() and has_chinese(str(path), 0):
        return FontFile(path)
    return None


def describe(font: FontFile) -> str:
    """Where the font came from, for `repairdesk doctor`."""
    try:
        import pylopdf_fonts_zh_cn

        if font.path == pylopdf_fonts_zh_cn.sans_path():
            return "Noto Sans SC (pylopdf-fonts-zh-cn)"
    except ImportError:
        pass
    return str(font.path) + (f" #{font.index}" if font.index else "")


def use_fonts(pdf: Any, family: str, font: FontFile, latin: FontFile | None = None) -> None:
    """Register the fonts of a PDF under `family`: the Latin face first with the Chinese font
    as its fallback (wqy-zenhei's own Latin glyphs come out of CUPS as Type 3 shapes), or the
    Chinese font alone. Every PDF the desk makes (work orders, handovers, reports) uses this."""
    if latin is None:
        pdf.add_font(family, "", str(font.path), collection_font_number=font.index)
    else:
        pdf.add_font(family, "", str(latin.path), collection_font_number=latin.index)
        pdf.add_font("cjk", "", str(font.path), collection_font_number=font.index)
        pdf.set_fallback_fonts(["cjk"], exact_match=False)
    pdf.set_lang("zh-CN")
