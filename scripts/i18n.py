#!/usr/bin/env python3
"""The Babel workflow for repairdesk's catalogs, with the same options every time.

    python scripts/i18n.py extract          # source -> repairdesk/locale/repairdesk.pot
    python scripts/i18n.py update           # .pot -> every .po (new strings empty, gone ones dropped)
    python scripts/i18n.py init LANG        # start a new language (e.g. ja) from the .pot
    python scripts/i18n.py compile          # .po -> .mo next to them (optional: the app compiles
                                            #   into the user cache at first use anyway)
    python scripts/i18n.py check            # fail if any catalog is incomplete or stale
    python scripts/i18n.py todo LANG        # untranslated msgids as JSON, to hand to a translator
    python scripts/i18n.py fill LANG FILE   # merge a JSON {msgid: msgstr} back into LANG's .po
    python scripts/i18n.py all              # extract + update + check

English is the source language: `update` fills the en catalog's empty entries with the msgid
itself (ambiguous-width characters like … — · → made ASCII), so en is complete by
construction and may be polished by hand.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import unicodedata
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "repairdesk" / "locale"
DOMAIN = "repairdesk"
POT = LOCALE_DIR / f"{DOMAIN}.pot"
SOURCE_LANG = "en"
# Catches {name}, {name!r}, {name:>4} and positional {} / {0}; {{ }} are literal braces.
_FIELD = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


# Characters of ambiguous East Asian width (one or two cells depending on the terminal font)
# that English msgids like to use; the en catalog gets plain ASCII instead so tables line up.
_PLAIN = str.maketrans({"…": "...", "—": "-", "–": "-", "·": "|", "→": "->", "←": "<-",
                        "“": '"', "”": '"', "‘": "'", "’": "'", "×": "x", "°": " deg"})


def plain(text: str) -> str:
    """English text without ambiguous-width characters."""
    return text.translate(_PLAIN)


def pybabel(*args: str) -> None:
    """Run one pybabel command in-process (no PATH lookup, same interpreter as the app).

    It runs from the project root so that locations in the catalogs are relative paths."""
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        CommandLineInterface().run(["pybabel", "-q", *args])
    finally:
        os.chdir(here)


def languages() -> list[str]:
    """The languages that have a catalog, e.g. ['en', 'zh_CN']."""
    return sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract(output: Path = POT) -> Path:
    """Scan repairdesk/ for translatable strings into a .pot template."""
    pybabel(
        "extract", "-F", str(ROOT / "babel.cfg"), "-o", str(output),
        "--add-location=file", "--sort-output", "--no-wrap",
        "-c", "TRANSLATORS:", "--project=repairdesk", "--copyright-holder=repairdesk",
        "--omit-header" if output != POT else "--version=0.1",
        "repairdesk",
    )
    return output


def _load(path: Path, lang: str | None = None) -> Catalog:
    return read_po(BytesIO(path.read_bytes()), locale=lang)


def _save(catalog: Catalog, path: Path) -> None:
    buf = BytesIO()
    write_po(buf, catalog, width=0, sort_output=True, include_previous=False)
    path.write_bytes(buf.getvalue())


def update() -> None:
    """Merge the .pot into every .po; obsolete entries are dropped, nothing is fuzzy-matched."""
    pybabel("update", "-i", str(POT), "-d", str(LOCALE_DIR), "-D", DOMAIN,
            "--no-fuzzy-matching", "--ignore-obsolete", "--no-wrap")
    src = po_path(SOURCE_LANG)
    if src.exists():
        catalog = _load(src, SOURCE_LANG)
        for msg in catalog:
            if not msg.id:
                continue
            if isinstance(msg.id, (list, tuple)):
                if not any(msg.string):
                    msg.string = tuple(plain(i) for i in msg.id)
            elif not msg.string:
                msg.string = plain(msg.id)
        _save(catalog, src)


def init(lang: str) -> None:
    """Create the catalog of a new language from the .pot."""
    pybabel("init", "-i", str(POT), "-d", str(LOCALE_DIR), "-D", DOMAIN, "-l", lang,
            "--no-wrap")


def compile_all() -> None:
    """Compile every .po to a .mo beside it (gitignored); the app also does this on demand."""
    pybabel("compile", "-d", str(LOCALE_DIR), "-D", DOMAIN, "--statistics")


def _fields(text: str) -> list[str]:
    return sorted(f.split("!")[0].split(":")[0] for f in _FIELD.findall(text))


def problems(lang: str, template: Catalog) -> list[str]:
    """Everything wrong with one catalog against a freshly extracted template."""
    path = po_path(lang)
    if not path.exists():
        return [f"{lang}: no catalog at {path}"]
    catalog = _load(path, lang)
    out: list[str] = []
    wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    for msg in catalog:
        if not msg.id:
            continue
        key = msg.id if isinstance(msg.id, str) else msg.id[0]
        if key not in wanted:
            out.append(f"{lang}: stale (no longer in the source): {key!r}")
        elif msg.fuzzy:
            out.append(f"{lang}: fuzzy: {key!r}")
    for msg in catalog.obsolete.values():
        out.append(f"{lang}: obsolete entry kept: {msg.id!r}")
    for tmpl in template:
        if not tmpl.id:
            continue
        key = tmpl.id if isinstance(tmpl.id, str) else tmpl.id[0]
        msg = catalog.get(tmpl.id)
        strings = [] if msg is None else (
            [msg.string] if isinstance(msg.string, str) else list(msg.string))
        if msg is None or not strings or not all(strings):
            out.append(f"{lang}: untranslated: {key!r}")
            continue
        # A translated placeholder that does not exist in the msgid crashes .format() at runtime.
        ids = [tmpl.id] if isinstance(tmpl.id, str) else list(tmpl.id)
        allowed = set().union(*(_fields(i) for i in ids))
        for s in strings:
            extra = set(_fields(s)) - allowed
            if extra:
                out.append(f"{lang}: placeholder {sorted(extra)} not in msgid: {key!r}")
            wobbly = sorted({c for c in s if unicodedata.east_asian_width(c) == "A"})
            if wobbly:
                out.append(f"{lang}: ambiguous-width {wobbly} in translation of {key!r}")
    return out


def check() -> list[str]:
    """Extract into a temp dir and compare with every catalog; [] means all complete."""
    with tempfile.TemporaryDirectory() as tmp:
        pot = extract(Path(tmp) / "check.pot")
        template = _load(pot)
    out: list[str] = []
    for lang in languages():
        out.extend(problems(lang, template))
    return out


def todo(lang: str) -> dict[str, str]:
    """Untranslated (or fuzzy) msgids of one catalog."""
    catalog = _load(po_path(lang), lang)
    out: dict[str, str] = {}
    for msg in catalog:
        if not msg.id:
            continue
        key = msg.id if isinstance(msg.id, str) else msg.id[0]
        strings = [msg.string] if isinstance(msg.string, str) else list(msg.string)
        if msg.fuzzy or not all(strings):
            out[key] = ""
    return out


def fill(lang: str, translations: dict[str, str | list[str]]) -> int:
    """Write translations into LANG's .po; plural entries take a list (one per plural form)."""
    path = po_path(lang)
    catalog = _load(path, lang)
    n = 0
    for msg in catalog:
        if not msg.id:
            continue
        key = msg.id if isinstance(msg.id, str) else msg.id[0]
        if key not in translations or not translations[key]:
            continue
        value = translations[key]
        if isinstance(msg.id, str):
            msg.string = value if isinstance(value, str) else value[0]
        else:
            forms = [value] if isinstance(value, str) else list(value)
            need = catalog.num_plurals
            msg.string = tuple((forms + [forms[-1]] * need)[:need])
        msg.flags.discard("fuzzy")
        n += 1
    _save(catalog, path)
    return n


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "all"
    if cmd == "extract":
        extract()
    elif cmd == "update":
        update()
    elif cmd == "init":
        init(argv[1])
    elif cmd == "compile":
        compile_all()
    elif cmd == "todo":
        json.dump(todo(argv[1]), sys.stdout, ensure_ascii=False, indent=1)
        print()
    elif cmd == "fill":
        data = json.loads(Path(argv[2]).read_text(encoding="utf-8"))
        print(f"{fill(argv[1], data)} entries written")
    elif cmd in ("check", "all"):
        if cmd == "all":
            extract()
            update()
        found = check()
        for line in found:
            print(line)
        print(f"{len(found)} problem(s) in {', '.join(languages())}")
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
