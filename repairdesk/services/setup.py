"""The first night on an empty book: the site's name and code, the first supervisor, then the
roster (services/roster.py) and a clerk signing on (services/shifts.py).

The site's name and code go into the site's config.toml, the documented place for [site]
keys: each desk PC names its own estate there, and the code keeps estates apart in a shared
book. The file is rewritten with tomlkit, so the other keys and the comments in it stay."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from sqlmodel import col, select

from ..config import Config, default_config_path, load_config, merge, parse_config
from ..domain.enums import Role
from ..domain.text import clean_text
from ..errors import ConfigError, PermissionDenied, RepairdeskError, ValidationError
from ..i18n import _
from ..store.tables import Staff, Ticket
from .desk import Desk
from .roster import ROSTER_ROLES, NewPerson, check_person, roster_open, write_person
from .staff import StaffMember, member

SITE_NAME_MAX = 60


def needs_setup(desk: Desk) -> bool:
    """An empty book: no active supervisor or manager and no ticket yet. (A book with tickets
    but no roster, e.g. one filled from the CLI or a benchmark, is not offered the setup.)"""
    with desk.store.read() as session:
        return _needs_setup(session)


def _needs_setup(session: object) -> bool:
    boss = session.exec(select(Staff.id).where(  # type: ignore[attr-defined]
        col(Staff.role).in_([r.value for r in ROSTER_ROLES]),
        Staff.active == True).limit(1)).first()  # noqa: E712
    if boss is not None:
        return False
    return session.exec(select(Ticket.id).limit(1)).first() is None  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------- the site
def site_config_path(desk: Desk) -> Path:
    """The site file the desk reads: the one it loaded, else $REPAIRDESK_CONFIG, else
    config.toml in the user config directory."""
    if desk.config.source is not None:
        return desk.config.source
    if os.environ.get("REPAIRDESK_CONFIG"):
        return Path(os.environ["REPAIRDESK_CONFIG"])
    return default_config_path()


def configured_site(desk: Desk) -> tuple[str, str]:
    """The site's name and code when the site has set them, else blanks (the shipped example
    estate is not offered as this site's name)."""
    from ..config import data_file, load_toml

    shipped = load_toml(data_file("desk.toml")).get("site", {})
    name, code = desk.config.site_name, desk.config.site_code
    return ("" if name == shipped.get("name") else name,
            "" if code == shipped.get("code") else code)


def check_site(desk: Desk, name: str, code: str) -> tuple[str, str]:
    """The site's name and code by the configuration's own rules (one message, naming the
    field)."""
    name, code = clean_text(name), clean_text(code)
    if not name:
        raise ValidationError(_("The site's name is required."), "site_name")
    if len(name) > SITE_NAME_MAX:
        raise ValidationError(_("The site's name is too long (at most {n} characters).").format(
            n=SITE_NAME_MAX), "site_name")
    if not code:
        raise ValidationError(_("The site code is required."), "site_code")
    try:
        parse_config(merge(desk.config.raw, {"site": {"name": name, "code": code}}))
    except ConfigError as exc:
        raise ValidationError(str(exc), "site_code") from None
    return name, code


def save_site(desk: Desk, name: str, code: str) -> Config:
    """Write [site] name and code into the site's config.toml (created owner-only when missing;
    every other key and comment kept), then reload the desk's configuration from it."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    name, code = check_site(desk, name, code)
    path = site_config_path(desk)
    try:
        doc = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() \
            else tomlkit.document()
    except (OSError, UnicodeDecodeError, TOMLKitError) as exc:
        raise ConfigError(_("Cannot read configuration file {path}: {error}").format(
            path=path, error=exc)) from None
    site = doc.get("site")
    if site is None:
        site = tomlkit.table()
        doc["site"] = site
    elif not isinstance(site, dict):
        raise ConfigError(_("Configuration key {key}: {problem}").format(
            key="site", problem=_("expected a table")))
    site["name"] = name
    site["code"] = code
    _write_atomically(path, tomlkit.dumps(doc))
    desk.config = load_config(path)
    return desk.config


def _write_atomically(path: Path, text: str) -> None:
    """Replace the file in one step (a power cut leaves the old or the new file, never half of
    one); a new file and its folder are the owner's only, an existing file keeps its mode."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".toml")
    except OSError as exc:
        raise ConfigError(_("Cannot write configuration file {path}: {error}").format(
            path=path, error=exc.strerror)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))
        load_config(tmp)  # the whole file as the desk will read it: refuse a bad one now
        os.replace(tmp, path)
    except OSError as exc:
        os.unlink(tmp)
        raise ConfigError(_("Cannot write configuration file {path}: {error}").format(
            path=path, error=exc.strerror)) from None
    except RepairdeskError:
        os.unlink(tmp)
        raise


# ---------------------------------------------------------------------------- the supervisor
def create_first_supervisor(desk: Desk, name: str, phone: str, pin: str,
                            pin_again: str) -> StaffMember:
    """The book's first supervisor, without a PIN check (there is nobody to check it); the
    entry is chained into the duty log. Refused once the book has a supervisor or manager."""
    checked = check_person(desk, NewPerson(name, Role.SUPERVISOR, phone, pin, pin_again))
    if checked.pin_hash is None:  # check_person requires it for a supervisor
        raise ValidationError(_("A PIN is required."), "pin")
    with desk.store.write() as session:
        if not _needs_setup(session) or not roster_open(session):
            raise PermissionDenied(_("This book already has its supervisor: roster changes "
                                     "need a supervisor's name and PIN."))
        text = _("{name} opened the book for {site} ({code}) as its first supervisor "
                 "(empty book: no PIN check).").format(
            name=checked.name, site=desk.config.site_name, code=desk.config.site_code)
        return member(write_person(session, desk, checked, checked.name, text))
