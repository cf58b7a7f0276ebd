"""A .po file compiled to .mo bytes without Babel, for the catalogs a checkout compiles in
memory at every start (i18n.py): Babel's parser took ~50 ms and its import ~40 ms of a start-up
whose floor is ~200 ms (issue 18).

It reads the subset of the PO format our catalogs use (msgid, msgid_plural, msgstr[n],
continuation lines, the fuzzy flag, comments) and writes what Babel's write_mo writes: the
fuzzy and untranslated entries left out, an empty plural form replaced by its msgid, entries
sorted. Anything else (msgctxt, obsolete #~ entries, an unknown escape) raises ValueError and
the caller falls back to Babel. tests/i18n/test_catalog_compile.py holds the two to the same
catalogs.
"""

from __future__ import annotations

import re
import struct

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"'}
_ESCAPE = re.compile(r"\\(.)")
_KEYWORD = re.compile(r'(msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def _unquote(text: str) -> str:
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"not a PO string: {text[:40]!r}")
    body = text[1:-1]
    if "\\" not in body:
        return body

    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in _ESCAPES:
            raise ValueError(f"unknown escape \\{m.group(1)}")
        return _ESCAPES[m.group(1)]

    return _ESCAPE.sub(sub, body)


Entry = tuple[str, str | None, dict[int, str], bool]  # msgid, msgid_plural, msgstr[n], fuzzy


def parse_po(text: str) -> list[Entry]:
    entries: list[Entry] = []
    fields: dict[str, str] = {}
    strs: dict[int, str] = {}
    fuzzy = False
    current: tuple[str, int] | None = None  # the field a continuation line extends

    def flush() -> None:
        nonlocal fields, strs, fuzzy, current
        if "msgid" in fields:
            entries.append((fields["msgid"], fields.get("msgid_plural"), strs, fuzzy))
        elif strs or fields:
            raise ValueError("msgstr without msgid")
        fields, strs, fuzzy, current = {}, {}, False, None

    for raw in text.split("\n"):  # not splitlines: U+2028 may sit inside a string
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#"):
            if line.startswith("#~"):
                raise ValueError("obsolete entries")
            if current is not None and current[0] in ("msgstr", "msgid_plural"):
                flush()  # a comment after msgstr begins the next entry
            if line.startswith("#,") and "fuzzy" in (f.strip() for f in line[2:].split(",")):
                fuzzy = True
            continue
        if line.startswith('"'):
            if current is None:
                raise ValueError("a string outside any entry")
            key, index = current
            if key == "msgstr":
                strs[index] += _unquote(line)
            else:
                fields[key] += _unquote(line)
            continue
        m = _KEYWORD.match(line)
        if m is None:
            raise ValueError(f"unknown line: {line[:40]!r}")
        keyword, index, value = m.group(1), m.group(2), _unquote(m.group(3))
        if keyword == "msgid" and (strs or "msgid" in fields):
            flush()
        if keyword.startswith("msgstr"):
            n = int(index) if index is not None else 0
            if n in strs:
                raise ValueError("msgstr given twice")
            strs[n] = value
            current = ("msgstr", n)
        else:
            if keyword in fields:
                raise ValueError(f"{keyword} given twice")
            fields[keyword] = value
            current = (keyword, 0)
    flush()
    return entries


def compile_mo(text: str) -> bytes:
    """The .mo file Babel's write_mo would write for this .po text."""
    pairs: list[tuple[bytes, bytes]] = []
    for index, (msgid, plural, strs, fuzzy) in enumerate(parse_po(text)):
        header = index == 0 and msgid == ""
        if plural is None:
            string = strs.get(0, "")
            if not header and (not string or fuzzy):
                continue
            pairs.append((msgid.encode(), string.encode()))
        else:
            forms = [strs[i] for i in sorted(strs)]
            if not forms or fuzzy:  # Babel keeps a tuple of empty forms (it is truthy)
                continue
            ids = (msgid, plural)
            values = [s or ids[min(i, 1)] for i, s in enumerate(forms)]
            pairs.append(("\0".join(ids).encode(), "\0".join(values).encode()))
    pairs.sort()
    keystart = 7 * 4 + 16 * len(pairs)
    ids_blob, strs_blob = bytearray(), bytearray()
    koffsets: list[int] = []
    voffsets: list[int] = []
    for key, value in pairs:
        koffsets += [len(key), len(ids_blob)]
        voffsets += [len(value), len(strs_blob)]
        ids_blob += key + b"\0"
        strs_blob += value + b"\0"
    valuestart = keystart + len(ids_blob)
    offsets = ([x + keystart if i % 2 else x for i, x in enumerate(koffsets)]
               + [x + valuestart if i % 2 else x for i, x in enumerate(voffsets)])
    head = struct.pack("Iiiiiii", 0x950412DE, 0, len(pairs), 7 * 4, 7 * 4 + 8 * len(pairs),
                       0, 0)
    return head + struct.pack(f"{len(offsets)}i", *offsets) + bytes(ids_blob) + bytes(strs_blob)
