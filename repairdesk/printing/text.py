"""Plain text for dot-matrix printers: fixed width, GB18030, a form feed after each copy.

A Chinese dot-matrix printer in text mode prints every double-byte character two columns
wide and every ASCII byte one column wide, so the width that lines columns up on paper is the
character's GB18030 byte count (1 or 2), not the terminal's idea of it: '…' or '·' take two
columns on paper where a terminal gives them one.
"""

from __future__ import annotations

from dataclasses import fields, replace

from ..domain.text import for_output
from .sheet import Sheet

ENCODING = "gb18030"
# Characters outside GBK print as garbage on most dot-matrix fonts: use their GBK look-alikes.
_GBK_FRIENDLY = str.maketrans({"¥": "￥", "\u00a0": " ", "\u2009": " ", "\u202f": " "})


def char_width(ch: str) -> int:
    return 1 if ord(ch) < 0x80 else 2


def text_width(text: str) -> int:
    """Columns `text` takes on the paper."""
    return sum(char_width(ch) for ch in text)


def pad(text: str, width: int) -> str:
    """`text` cut to `width` columns and padded with spaces to exactly `width`."""
    out, used = [], 0
    for ch in text:
        w = char_width(ch)
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out) + " " * (width - used)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns; Chinese breaks anywhere, words of Latin letters
    and digits are kept whole when they fit."""
    lines: list[str] = []
    for para in text.split("\n"):
        line, used = "", 0
        tokens: list[str] = []
        for ch in para:
            if ord(ch) < 0x80 and ch != " " and tokens and ord(tokens[-1][-1]) < 0x80 \
                    and tokens[-1][-1] != " ":
                tokens[-1] += ch
            else:
                tokens.append(ch)
        for tok in tokens:
            w = text_width(tok)
            if used + w > width and line:
                lines.append(line.rstrip())
                line, used = "", 0
                if tok == " ":
                    continue
            while w > width:  # a token longer than a line: cut it
                head = pad(tok, width).rstrip()
                lines.append(head)
                tok = tok[len(head):]
                w = text_width(tok)
            line += tok
            used += w
        lines.append(line.rstrip())
    return lines


def _right(left: str, right: str, width: int) -> str:
    gap = width - text_width(left) - text_width(right)
    if gap < 1:
        return left + "\n" + " " * max(0, width - text_width(right)) + right
    return left + " " * gap + right


def _copy(sheet: Sheet, copy_name: str, width: int) -> list[str]:
    s = sheet
    lines = [_right(s.heading, f"【{copy_name}】", width)]
    # spaced out like the printed forms (派 工 单); a Latin title stays as it is
    title = " ".join(s.title) if all(ord(ch) >= 0x80 for ch in s.title) else s.title
    lines.append(" " * max(0, (width - text_width(title)) // 2) + title)
    lines.append(_right(f"{s.number_label}：{s.number}", s.mark, width))
    lines.append("=" * width)
    half = width // 2
    cells = [f"{label}：{value}" for label, value in s.rows]
    for i in range(0, len(cells), 2):
        pair = cells[i:i + 2]
        if len(pair) == 2 and text_width(pair[0]) < half and text_width(pair[1]) <= width - half:
            lines.append((pad(pair[0], half) + pair[1]).rstrip())
        else:
            for cell in pair:
                lines.extend(wrap(cell, width))
    lines.append("-" * width)
    lines.append(f"{s.body_label}：")
    lines.extend("  " + ln for ln in wrap(s.body, width - 2))
    lines.append("-" * width)
    for label in s.fill_in:
        lines.extend([f"{label}：", "", ""])
    if s.fill_in:
        lines.append("-" * width)
    if s.materials_label:
        lines.append(f"{s.materials_label}：")
        if s.materials_note:
            lines.append("  " + s.materials_note)
        for m in s.materials:
            lines.extend("  " + ln for ln in wrap(m, width - 2))
        if not s.materials:  # for the technician to fill in (name, spec, quantity, price)
            lines.extend(["  " + "_" * (width - 4)] * 2)
        lines.append("-" * width)
    if s.evaluation:
        label, *options, sign = s.evaluation
        left = f"{label}：" + "  ".join(f"□{o}" for o in options)
        right = f"{sign}："
        lines.append("")
        if text_width(left) + text_width(right) + 6 <= width:
            lines.append(left + "  " + right + "_" * (width - text_width(left) - 2
                                                      - text_width(right)))
        else:
            lines.append(left)
            lines.append(right + "_" * max(4, half - text_width(right)))
    for label in s.signatures:
        left = f"{label}："
        right = f"{s.time_label}："
        lines.append("")
        lines.append(pad(left + "_" * max(4, half - 2 - text_width(left)), half)
                     + right + "_" * max(4, width - half - text_width(right)))
    lines.append("")
    lines.append(_right("", s.footer, width))
    return [ln.rstrip() for ln in "\n".join(lines).split("\n")]


def printable(text: str) -> str:
    """`text` in characters a GBK dot-matrix font has: look-alikes where there is one, '?'
    for the rest (an emoji from a WeChat report would print as garbage)."""
    out = []
    for ch in for_output(text).translate(_GBK_FRIENDLY):  # no ESC/BEL reaches the printer
        try:
            ch.encode("gbk")
        except UnicodeEncodeError:
            ch = "?"
        out.append(ch)
    return "".join(out)


def _gbk(sheet: Sheet) -> Sheet:
    changes: dict[str, object] = {}
    for f in fields(sheet):
        value = getattr(sheet, f.name)
        if f.name == "rows":
            changes[f.name] = tuple((printable(k), printable(v)) for k, v in value)
        elif isinstance(value, tuple):
            changes[f.name] = tuple(printable(v) for v in value)
        else:
            changes[f.name] = printable(value)
    return replace(sheet, **changes)


def render_text(sheet: Sheet, copies: tuple[str, ...], width: int = 80) -> str:
    """The text of all copies; each copy ends with a form feed (the printer ejects it)."""
    friendly = _gbk(sheet)
    return "".join("\n".join(_copy(friendly, printable(name), width)) + "\n\f"
                   for name in copies)


def encode_for_printer(text: str) -> bytes:
    """GB18030 bytes with CR LF line ends (a printer in raw mode does not add the CR)."""
    return text.replace("\n", "\r\n").encode(ENCODING)
