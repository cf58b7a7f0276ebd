"""One exception family; each carries a message already translated for the user."""

from __future__ import annotations

from typing import Any, Self


class RepairdeskError(Exception):
    """Base: `str(err)` is one line for the user, in the user's language."""

    exit_code = 1
    stored: Any = None  # the message as kept in the book (stored_text.py), when made by kept()

    @classmethod
    def kept(cls, msgid: str, **params: Any) -> Self:
        """An error whose message may be kept in the book (a print job's error): its id and
        parameters go there, each reader sees it in their language."""
        from .stored_text import message

        stored = message(msgid, **params)
        err = cls(stored.text())
        err.stored = stored
        return err

    def __init__(self, message: str) -> None:
        # messages echo user input: keep them one line, free of terminal escapes, and short
        from .domain.text import clean_text

        message = clean_text(message)
        if len(message) > 300:
            message = message[:299] + "…"
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(RepairdeskError):
    """Bad input from the user: a field fails its rule."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class IllegalTransition(RepairdeskError):
    """A lifecycle step that the ticket's current state does not allow."""


class NotFound(RepairdeskError):
    """A ticket, staff member or record that does not exist."""


class ConfigError(RepairdeskError):
    """A rules or configuration file that cannot be used."""


class StoreError(RepairdeskError):
    """The database cannot be opened, is too new, is read-only, is full, or is busy."""


class PermissionDenied(RepairdeskError):
    """The person lacks the role or the PIN for this action."""
