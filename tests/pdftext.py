"""Text of a PDF for assertions.

pypdf reads the CID-keyed CFF fonts fpdf2 embeds (Noto Sans SC, the font that comes with the
install) with a NUL before every character; poppler's pdftotext and PDF viewers read the same
file as plain text, so the NULs are pypdf's, not the document's, and are dropped here."""

from __future__ import annotations

from pathlib import Path


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages).replace("\x00", "")
