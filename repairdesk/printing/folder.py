"""The folder backend: work orders as files in a directory (the default without a printer),
to print from a PDF viewer or to be picked up by a print server."""

from __future__ import annotations

import os
from pathlib import Path

from ..files import FILE_MODE, private_dir
from ..i18n import N_, _
from .base import Document, PrinterStatus, PrintError


class FolderBackend:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.name = str(folder)

    def send(self, doc: Document) -> str:
        """Write the file whole or not at all (temporary file, then rename), owner-only
        whatever the umask: a work order carries the owner's name, room and phone tail."""
        target = self.folder / f"{doc.name}{doc.suffix}"
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            private_dir(self.folder)
            fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, FILE_MODE)
            with os.fdopen(fd, "wb") as fh:
                os.fchmod(fh.fileno(), FILE_MODE)  # O_CREAT's mode is masked by the umask
                fh.write(doc.data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except OSError as exc:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
            raise PrintError.kept(N_("Cannot write the work order to {path}: {error}"),
                                  path=target, error=exc.strerror or exc) from None
        return str(target)

    def status(self) -> PrinterStatus:
        folder = self.folder
        probe = folder if folder.exists() else next(
            (p for p in folder.parents if p.exists()), Path("/"))
        if probe.is_dir() and os.access(probe, os.W_OK | os.X_OK):
            return PrinterStatus(str(folder), True, _("Print folder {path}").format(path=folder),
                                 "folder")
        return PrinterStatus(str(folder), False,
                             _("Cannot write to the print folder {path}").format(path=folder),
                             "folder")
