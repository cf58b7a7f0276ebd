"""The [printing] section: data/printing.toml overridden by the site's config.toml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from ..config_reader import Reader, data_file, load_toml, merge
from ..i18n import _

# name as CUPS spells the media → portrait size in millimetres
PAPER_MM: dict[str, tuple[float, float]] = {
    "A3": (297, 420), "A4": (210, 297), "A5": (148, 210), "A6": (105, 148), "B5": (176, 250),
    "Letter": (215.9, 279.4), "Legal": (215.9, 355.6),
}
_BY_UPPER = {k.upper(): k for k in PAPER_MM}


class Backend(StrEnum):
    FOLDER = "folder"
    CUPS = "cups"


class Format(StrEnum):
    PDF = "pdf"
    TEXT = "text"


@dataclass(frozen=True)
class Paper:
    """A paper size: its CUPS media name and its size in millimetres (portrait)."""

    name: str
    width_mm: float
    height_mm: float

    @property
    def cups_media(self) -> str:
        if self.name in PAPER_MM:
            return self.name
        return f"Custom.{self.width_mm:g}x{self.height_mm:g}mm"


@dataclass(frozen=True)
class PrintSettings:
    backend: Backend
    printer: str
    folder: Path
    format: Format
    paper: Paper
    text_width: int
    font: str
    wait_seconds: float
    auto_on_dispatch: bool
    copies_free: tuple[str, ...]
    copies_paid: tuple[str, ...]


def default_folder() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("repairdesk")) / "print"


def _choice(r: Reader, key: str, kind: type[StrEnum], default: str) -> Any:
    raw = r.get(key, str, default)
    try:
        return kind(raw.strip().lower())
    except ValueError:
        raise r.bad(key, _("must be one of: {allowed}").format(
            allowed=", ".join(m.value for m in kind))) from None


def _paper(r: Reader) -> Paper:
    raw = r.get("paper", str, "A5").strip()
    if raw.upper() in _BY_UPPER:
        name = _BY_UPPER[raw.upper()]
        return Paper(name, *PAPER_MM[name])
    m = re.fullmatch(r"(\d{2,3}(?:\.\d)?)\s*[xX×]\s*(\d{2,3}(?:\.\d)?)", raw)
    if not m or not (70 <= float(m.group(1)) <= 500 and 70 <= float(m.group(2)) <= 500):
        raise r.bad("paper", _("expected A3, A4, A5, A6, B5, letter, legal or WIDTHxHEIGHT in "
                               "millimetres (70-500), got {value!r}").format(value=raw))
    return Paper(raw, float(m.group(1)), float(m.group(2)))


def _copies(r: Reader, key: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in r.str_list(key))
    if not names:
        raise r.bad(key, _("at least one copy is needed"))
    if any(not n or len(n) > 12 for n in names):
        raise r.bad(key, _("each copy needs a name of 1-12 characters"))
    if len(set(names)) != len(names):
        raise r.bad(key, _("copy names must differ"))
    return names


def parse_printing(table: dict[str, Any]) -> PrintSettings:
    """Defaults from data/printing.toml merged with `table`; a bad key is named in the error."""
    r = Reader(merge(load_toml(data_file("printing.toml")), table or {}), "printing")
    printer = r.get("printer", str, "").strip()
    backend_raw = r.get("backend", str, "auto").strip().lower()
    if backend_raw == "auto":
        backend = Backend.CUPS if printer else Backend.FOLDER
    else:
        backend = _choice(r, "backend", Backend, "auto")
    if backend is Backend.CUPS and not printer:
        raise r.bad("printer", _("the cups backend needs a printer name"))
    if printer and not re.fullmatch(r"[A-Za-z0-9_.@-]{1,127}", printer):
        raise r.bad("printer", _("use letters, digits, -, _, . or @"))
    folder = r.get("folder", str, "").strip()
    width = r.positive("text_width", int, 80)
    if not 40 <= width <= 240:
        raise r.bad("text_width", _("must be between 40 and 240"))
    wait = r.positive("wait_seconds", float, 30.0)
    return PrintSettings(
        backend=backend,
        printer=printer,
        folder=Path(folder).expanduser() if folder else default_folder(),
        format=_choice(r, "format", Format, "pdf"),
        paper=_paper(r),
        text_width=width,
        font=r.get("font", str, "").strip(),
        wait_seconds=min(wait, 600.0),
        auto_on_dispatch=r.get("auto_on_dispatch", bool, True),
        copies_free=_copies(r, "copies_free"),
        copies_paid=_copies(r, "copies_paid"),
    )


class _HasRaw(Protocol):
    """A loaded configuration (repairdesk.config.Config); named by shape so this module stays
    below config.py, which checks [printing] with parse_printing when it loads."""

    @property
    def raw(self) -> dict[str, Any]: ...


_CACHE: dict[int, tuple[_HasRaw, PrintSettings]] = {}


def print_settings(config: _HasRaw) -> PrintSettings:
    """The checked [printing] settings of a loaded configuration (parsed once per config)."""
    hit = _CACHE.get(id(config))
    if hit is not None and hit[0] is config:
        return hit[1]
    parsed = parse_printing(config.raw.get("printing", {}))
    if len(_CACHE) > 16:
        _CACHE.clear()
    _CACHE[id(config)] = (config, parsed)
    return parsed
