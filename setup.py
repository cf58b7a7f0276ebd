"""Build step the declarative pyproject.toml cannot express: the default rules in data/*.toml
(kept at the top of the repository, where a site's administrator reads them) are copied into
the package, and the gettext catalogs are compiled, so a wheel works without the checkout.

An editable install reads data/ and the .po files from the checkout instead (see
repairdesk/config.py and repairdesk/i18n.py)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithRules(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "repairdesk"
        data = target / "data"
        data.mkdir(parents=True, exist_ok=True)
        for toml in sorted((HERE / "data").glob("*.toml")):
            shutil.copy2(toml, data / toml.name)
        self._compile_catalogs(target / "locale")

    @staticmethod
    def _compile_catalogs(locale: Path) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(locale.glob("*/LC_MESSAGES/repairdesk.po")):
            raw = po.read_bytes()
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=po.parent.parent.name)
            mo = po.with_suffix(".mo")
            with mo.open("wb") as fh:
                write_mo(fh, catalog)
            # repairdesk/i18n.py uses the packaged .mo only when it was built from this .po
            mo.with_name(mo.name + ".sha256").write_text(hashlib.sha256(raw).hexdigest() + "\n")


setup(cmdclass={"build_py": BuildWithRules})
