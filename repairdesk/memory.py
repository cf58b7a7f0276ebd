"""Handing memory the desk has freed back to the system (issue 18).

glibc's malloc keeps freed heap pages for reuse, in one arena per thread that allocated them:
after the board is read in a worker (SQLAlchemy rows, decoded event data, the previous board's
records, dropped when the new one is shown) the process holds several MB it no longer uses,
and the RSS the clerk's machine sees only grows. malloc_trim(0) (glibc >= 2.8: every arena)
returns the free pages; it takes about a millisecond, so it runs in a worker thread after a
board is shown. Elsewhere (musl, macOS, Windows: no malloc_trim) this is a no-op.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        import ctypes

        libc = ctypes.CDLL(None)
    except (OSError, ImportError, TypeError):
        return None
    trim = getattr(libc, "malloc_trim", None)
    if trim is None:
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim  # type: ignore[no-any-return]


def release_freed() -> bool:
    """Return freed heap memory to the system where the C library can (glibc); True if it
    did, False where there is no such call."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
