"""Messages kept in the book — a print job's error, an SLA notice in the duty log — are
stored as a message id and its parameters (JSON), and shown in the language of whoever reads
them: a job that failed on an English desk reads in Chinese on the next one. A parameter may
itself be a message (a clock's name, a role). Rows written before hold plain text in the
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
    params: dict[str, "str | StoredMessage"] = field(default_factory=dict)

    def to_obj(self) -> dict[str, Any]:
        return {"msgid": self.msgid,
                "params": {k: v.to_obj() if isinstance(v, StoredMessage) else v
                           for k, v in self.params.items()}}

    def dump(self) -> str:
        """What goes into the book."""
        return json.dumps(self.to_obj(), ensure_ascii=False)

    def text(self) -> str:
        """The message in the language now in use."""
        params = {k: v.text() if isinstance(v, StoredMessage) else v
                  for k, v in self.params.items()}
        try:
            return _(self.msgid).format(**params)
        except (KeyError, IndexError, ValueError):  # a catalog that lost a placeholder
            return self.msgid.format(**params)


def message(msgid: str, **params: Any) -> StoredMessage:
    """A message to keep: parameters become one-line text (they may hold a printer's own
    words, which stay as the printer wrote them)."""
    from .domain.text import clean_text

    return StoredMessage(msgid, {k: v if isinstance(v, StoredMessage) else clean_text(str(v))
                                 for k, v in params.items()})


def from_obj(obj: Any) -> StoredMessage | None:
    """The message of a stored JSON object, or None when it is not one."""
    if not isinstance(obj, dict) or not isinstance(obj.get("msgid"), str):
        return None
    params: dict[str, str | StoredMessage] = {}
    for key, value in dict(obj.get("params") or {}).items():
        nested = from_obj(value) if isinstance(value, dict) else None
        params[str(key)] = nested if nested is not None else str(value)
    return StoredMessage(obj["msgid"], params)


def load(value: str) -> StoredMessage | None:
    """The kept message in `value`, or None for plain text (rows written before)."""
    if not value.startswith(_MARK):
        return None
    try:
        return from_obj(json.loads(value))
    except (ValueError, TypeError):
        return None


def render(value: str) -> str:
    """A stored message as the reader reads it: kept messages in the language now in use,
    plain text (older rows) as written."""
    stored = load(value)
    return stored.text() if stored is not None else value
