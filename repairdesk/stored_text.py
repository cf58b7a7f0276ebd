"""Messages kept in the book — a print job's error — are stored as a message id and its
parameters (JSON), and shown in the language of whoever reads them: a job that failed on an
English desk reads in Chinese on the next one. Rows written before hold plain text in the
language they were written in; they are shown as written."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .i18n import _

_MARK = '{"msgid":'


@dataclass(frozen=True)
class StoredMessage:
    msgid: str  # the English message id, as marked with N_()
    params: dict[str, str] = field(default_factory=dict)

    def dump(self) -> str:
        """What goes into the book."""
        return json.dumps({"msgid": self.msgid, "params": self.params}, ensure_ascii=False)

    def text(self) -> str:
        """The message in the language now in use."""
        try:
            return _(self.msgid).format(**self.params)
        except (KeyError, IndexError, ValueError):  # a catalog that lost a placeholder
            return self.msgid.format(**self.params)


def message(msgid: str, **params: Any) -> StoredMessage:
    """A message to keep: parameters become one-line text (they may hold a printer's own
    words, which stay as the printer wrote them)."""
    from .domain.text import clean_text

    return StoredMessage(msgid, {k: clean_text(str(v)) for k, v in params.items()})


def load(value: str) -> StoredMessage | None:
    """The kept message in `value`, or None for plain text (rows written before)."""
    if not value.startswith(_MARK):
        return None
    try:
        data = json.loads(value)
        return StoredMessage(str(data["msgid"]),
                             {str(k): str(v) for k, v in dict(data.get("params", {})).items()})
    except (ValueError, KeyError, TypeError):
        return None


def render(value: str) -> str:
    """A stored message as the reader reads it: kept messages in the language now in use,
    plain text (older rows) as written."""
    stored = load(value)
    return stored.text() if stored is not None else value
