"""The terminal desk (Textual).

Importing any part of it routes Textual's own English (command palette, footer, key panel,
notifications) through our catalogs, so no screen can forget to; see textual_i18n.py.
"""

from __future__ import annotations

from .textual_i18n import install as _install_textual_i18n

_install_textual_i18n()
