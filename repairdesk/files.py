"""Files the desk writes for people (exports, printed PDFs, handover prints, backups): owner-only
whatever the umask (they carry owners' names, rooms and, on paper, phone tails), never a
half-written file under the final name, and never silently over an existing file."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import RepairdeskError
from .i18n import _

FILE_MODE = 0o600
DIR_MODE = 0o700


class TargetExists(RepairdeskError):
    """The file is there already and the command was not told to replace it."""


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) owner-only; an existing folder is left as it is."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True)
        os.chmod(path, DIR_MODE)
    return path


def write_private(path: Path, data: bytes, *, replace: bool = False) -> Path:
    """Write `data` to `path` as 0600. Refuses an existing file unless `replace`; the bytes go
    to a temporary name first and are renamed into place when complete."""
    path = Path(path)
    if path.exists() and not replace:
        raise TargetExists(_("{path} already exists: add --force to replace it.").format(
            path=path))
    if path.is_dir():
        raise TargetExists(_("{path} is a folder, not a file.").format(path=path))
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(partial, FILE_MODE)  # O_CREAT's mode is masked by the umask; this is not
        if not replace:
            # the final name must still be free: link() fails where rename() would overwrite
            try:
                os.link(partial, path)
            except FileExistsError:
                raise
            except OSError:  # no hard links here (FAT, some network shares)
                if path.exists():
                    raise FileExistsError(path) from None
                os.replace(partial, path)
            else:
                os.unlink(partial)
        else:
            os.replace(partial, path)
    except FileExistsError:
        _discard(partial)
        raise TargetExists(_("{path} already exists: add --force to replace it.").format(
            path=path)) from None
    except OSError as exc:
        _discard(partial)
        raise RepairdeskError(_("Cannot write {path}: {error}").format(
            path=path, error=exc.strerror or exc)) from None
    return path


def _discard(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
