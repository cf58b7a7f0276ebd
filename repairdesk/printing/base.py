"""What every backend takes and gives: a rendered document in, where it went out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..errors import RepairdeskError


class PrintError(RepairdeskError):
    """The printer or the folder refused the job; the message says why, in one line."""


@dataclass(frozen=True)
class Document:
    """A rendered print job: PDF bytes, or GB18030 text for a printer in raw mode."""

    data: bytes
    raw: bool          # text for a dot-matrix printer: send as is, no filters
    name: str          # file name stem and CUPS job title, e.g. BX-20261122-0001-job7
    suffix: str        # ".pdf" or ".txt"
    pages: int         # one per copy
    media: str = ""    # CUPS media name for PDFs (A5 …)


@dataclass(frozen=True)
class PrinterStatus:
    """What the print-queue panel shows about the printer."""

    name: str
    ok: bool
    text: str
    backend: str


class Backend(Protocol):
    name: str

    def send(self, doc: Document) -> str:
        """Print `doc`; return where it went (CUPS request id, file path). PrintError if not."""

    def status(self) -> PrinterStatus:
        """The printer's state, cheaply (called every few seconds)."""
