"""Reading TOML configuration: where the default rules live, loading and merging files, and a
typed Reader that names the full key path in its errors.

The lowest layer of configuration: config.py, sla_config.py and printing/settings.py all build on
it, and it imports none of them.
"""

from __future__ import annotations

import math
import re
import tomllib
from datetime import time
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .i18n import _

# The default rules: data/*.toml at the top of the repository is the source; the build copies
# it into the package (setup.py), so an installed wheel has repairdesk/data/ and a checkout
# (editable install, tests) reads the repository's own files.
_PACKAGED = Path(__file__).resolve().parent / "data"
DATA_DIR = _PACKAGED if (_PACKAGED / "desk.toml").is_file() else \
    Path(__file__).resolve().parent.parent / "data"


def data_file(name: str) -> Path:
    return DATA_DIR / name


def load_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(_("Configuration file not found: {path}").format(path=path)) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            _("Configuration file {path} is not UTF-8 text (byte {pos}): save it as UTF-8.")
            .format(path=path, pos=exc.start)
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            _("Configuration file {path} is not valid TOML: {error}").format(path=path, error=exc)
        ) from None
    except OSError as exc:
        raise ConfigError(
            _("Cannot read configuration file {path}: {error}").format(
                path=path, error=exc.strerror
            )
        ) from None


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Deep merge: tables merge key by key, everything else is replaced."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


class Reader:
    """Typed access to a TOML table that reports the full key path on error."""

    def __init__(self, table: dict[str, Any], path: str) -> None:
        self.table = table
        self.path = path

    def _bad(self, key: str, problem: str) -> ConfigError:
        return ConfigError(
            _("Configuration key {key}: {problem}").format(key=f"{self.path}.{key}", problem=problem)
        )

    def get(self, key: str, kind: type, default: Any = None) -> Any:
        if key not in self.table:
            if default is None:
                raise self._bad(key, _("missing"))
            return default
        value = self.table[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self._bad(key, _("expected {kind}, got {value!r}").format(
                kind=kind.__name__, value=str(value)[:40]))
        if kind is float and not math.isfinite(value):
            raise self._bad(key, _("must be a finite number, got {value!r}").format(value=value))
        return value

    def str_list(self, key: str, default: list[str] | None = None) -> list[str]:
        value = self.get(key, list, default)
        if not all(isinstance(v, str) for v in value):
            raise self._bad(key, _("expected a list of strings"))
        return list(value)

    def hhmm(self, key: str, default: str | None = None) -> time:
        raw = self.get(key, str, default)
        m = re.fullmatch(r"([01]\d|2[0-3]):([0-5]\d)", raw)
        if not m:
            raise self._bad(key, _("expected a time HH:MM, got {value!r}").format(value=raw))
        return time(int(m.group(1)), int(m.group(2)))

    def positive(self, key: str, kind: type = int, default: Any = None) -> Any:
        value = self.get(key, kind, default)
        if value <= 0:
            raise self._bad(key, _("must be greater than zero"))
        return value

    def sub(self, key: str) -> Reader:
        return Reader(self.get(key, dict, {}), f"{self.path}.{key}")

    def bad(self, key: str, problem: str) -> ConfigError:
        return self._bad(key, problem)
