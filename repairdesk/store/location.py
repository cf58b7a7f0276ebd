"""Where the record book lives: --db, else $REPAIRDESK_DB, else the user data directory.

Below db.py and migrate.py alike (both need the URL), importing neither.
"""

from __future__ import annotations

import os
from pathlib import Path


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("repairdesk")) / "repairdesk.sqlite3"


def resolve_url(db: str | None) -> str:
    """--db (a path or an SQLAlchemy URL), else $REPAIRDESK_DB, else the user data directory."""
    value = db or os.environ.get("REPAIRDESK_DB") or str(default_db_path())
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"
