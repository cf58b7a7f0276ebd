"""The shape of a `repairdesk doctor` line: a check's status, what was found and what to do
(services/doctor.py runs them; doctor_site.py has the machine's checks)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..domain.text import clean_text
from ..i18n import N_, _


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


LABELS: dict[str, str] = {
    "config": N_("Configuration"),
    "book": N_("Book"),
    "backup": N_("Last backup"),
    "permissions": N_("File permissions"),
    "disk": N_("Free disk space"),
    "timezone": N_("Time zone"),
    "fonts": N_("Fonts"),
    "printer": N_("Printer"),
}


@dataclass(frozen=True)
class Check:
    """One line of the report: `name` is the stable key (JSON), `advice` what to do."""

    name: str
    status: Status
    detail: str
    advice: str = ""

    def __post_init__(self) -> None:
        # one line each, free of terminal escapes: details carry paths and drivers' messages
        object.__setattr__(self, "detail", clean_text(self.detail))
        object.__setattr__(self, "advice", clean_text(self.advice))

    @property
    def label(self) -> str:
        return _(LABELS.get(self.name, self.name))


@dataclass(frozen=True)
class Target:
    """What the checks look at: the book's URL and the configuration (None if it does not load)."""

    url: str
    config: Any
    now: datetime

    @property
    def db_file(self) -> Path | None:
        """The SQLite file behind the URL; None for a server database."""
        if not self.url.startswith("sqlite:///"):
            return None
        return Path(self.url.removeprefix("sqlite:///"))


def _ok(name: str, detail: str) -> Check:
    return Check(name, Status.OK, detail)


def _warn(name: str, detail: str, advice: str = "") -> Check:
    return Check(name, Status.WARN, detail, advice)


def _fail(name: str, detail: str, advice: str = "") -> Check:
    return Check(name, Status.FAIL, detail, advice)


def _size(n: float) -> str:
    if n < 1024:
        return f"{n:.0f} B"
    exp = min(3, int(math.log(n, 1024)))
    return f"{n / 1024 ** exp:.1f} {('KB', 'MB', 'GB')[exp - 1]}"


def _existing_dir(path: Path) -> Path:
    """The path itself if it is a folder, else its nearest existing parent."""
    return next((p for p in (path, *path.parents) if p.is_dir()), Path("/"))


def hide_password(url: str) -> str:
    """The URL as it may be shown: the password replaced by ***."""
    if url.startswith("sqlite"):
        return url
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unreadable URL is shown by its scheme only
        return url.split("://", 1)[0] + "://…"


def _no_config(name: str) -> Check:
    return _warn(name, _("not checked: the configuration does not load"),
                 _("fix the configuration first (see its line)"))


# ---------------------------------------------------------------- configuration
