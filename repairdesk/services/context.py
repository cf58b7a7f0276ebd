"""The context every use case needs: the store, the configuration and the clock. Kept apart
from desk.py (which opens it) so the modules desk.py calls while opening can name the type
without an import circle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..clock import Clock
from ..config import Config
from ..store.db import Store


@dataclass
class Desk:
    store: Store
    config: Config
    clock: Clock

    def now(self) -> datetime:
        return self.clock.now()

    def local_today(self) -> date:
        return self.clock.now().astimezone(self.config.tz).date()

    def close(self) -> None:
        self.store.dispose()
