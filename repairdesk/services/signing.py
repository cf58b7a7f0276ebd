"""Signing PINs and signatures.

A PIN is stored only as an argon2id hash (salted, slow). Five wrong PINs in a row lock that
person's signing for five minutes; the lockout goes into the duty log. A signature records
who, in which role, when, what it means, and the hash of what was signed, so `verify` can
tell when the signed record or the signature itself was changed outside the app."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from ..domain.enums import Role
from ..domain.text import clean_name
from ..domain.validation import NAME_MAX
from ..errors import NotFound, PermissionDenied, ValidationError
from ..i18n import N_, _
from ..store.tables import PinAttempt, Signature, Staff
from . import dutylog
from .desk import Desk

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=5)
# a new PIN's length: [signing] pin_min in the site's config.toml (default 6), at most PIN_MAX.
# Every 6-digit PIN is 10^6 guesses; see README "PINs" for what that costs offline.
PIN_MIN, PIN_MAX = 6, 12

# production: argon2-cffi's defaults (RFC 9106 low-memory profile); tests swap in cheap ones.
# argon2 (and cffi) load with the first PIN hashed or checked, not with the desk (issue 18).
_hasher: PasswordHasher | None = None


def use_hasher(hasher: PasswordHasher | None) -> None:
    """Replace the PIN hasher (tests use cheap parameters); None restores the slow default."""
    global _hasher
    if hasher is None:
        from argon2 import PasswordHasher

        hasher = PasswordHasher()
    _hasher = hasher


def _the_hasher() -> PasswordHasher:
    if _hasher is None:
        use_hasher(None)
    assert _hasher is not None
    return _hasher


class Meaning:
    HANDOVER_OUT = "handover_out"
    HANDOVER_IN = "handover_in"
    SIGNOFF = "signoff"
    SIGN_ON = "sign_on"


MEANING_LABELS = {
    Meaning.HANDOVER_OUT: N_("handing over"),
    Meaning.HANDOVER_IN: N_("taking over"),
    Meaning.SIGNOFF: N_("supervisor's review"),
    Meaning.SIGN_ON: N_("signing on"),
}


def meaning_label(meaning: str) -> str:
    return _(MEANING_LABELS.get(meaning, meaning))


@dataclass(frozen=True)
class Signer:
    """Someone whose PIN was just checked."""

    name: str
    role: str
    at: datetime


def normalise_pin(pin: str) -> str:
    """A PIN as typed, with full-width digits (１２３) made ASCII (NFKC); spaces around dropped."""
    return unicodedata.normalize("NFKC", pin or "").strip()


def pin_min(desk: Desk | None) -> int:
    """The shortest new PIN this site accepts ([signing] pin_min)."""
    return getattr(desk.config, "pin_min", PIN_MIN) if desk is not None else PIN_MIN


def hash_pin(pin: str, min_len: int = PIN_MIN) -> str:
    """The argon2id hash of a new PIN: ASCII digits only, min_len to PIN_MAX of them."""
    pin = normalise_pin(pin)
    if not (min_len <= len(pin) <= PIN_MAX) or not (pin.isascii() and pin.isdigit()):
        raise ValidationError(
            _("A PIN is {lo} to {hi} digits.").format(lo=min_len, hi=PIN_MAX), "pin")
    return _the_hasher().hash(pin)


def pin_fingerprint(pin_hash: str | None) -> str:
    """A short digest of a stored PIN hash, written in the roster's log entry when a PIN is
    set, so `verify` sees a hash swapped in outside the app (it tells nothing of the PIN)."""
    return hashlib.sha256(pin_hash.encode("utf-8")).hexdigest()[:16] if pin_hash else ""


def set_pin_hash(session: Session, name: str, hashed: str) -> Staff:
    """Store a new PIN hash inside the caller's transaction (the roster logs why)."""
    row = session.exec(select(Staff).where(Staff.name == clean_name(name))).first()
    if row is None:
        raise NotFound(_("No staff member named {name}.").format(name=name))
    row.pin_hash = hashed
    session.add(row)
    session.flush()
    return row


def set_pin_unchecked(desk: Desk, name: str, pin: str) -> None:
    """Set a PIN with nobody's approval: test fixtures and the demo book only. The desk and the
    CLI go through roster.reset_pin (a supervisor's PIN) or roster.change_own_pin (the old PIN)."""
    hashed = hash_pin(pin, pin_min(desk))
    with desk.store.write() as session:
        set_pin_hash(session, name, hashed)


def _locked_until(session: Session, name: str) -> datetime | None:
    """When the current lockout ends, replaying this person's attempts in order."""
    rows = session.exec(select(PinAttempt).where(PinAttempt.staff_name == name)
                        .order_by(col(PinAttempt.at), col(PinAttempt.id))).all()
    streak, until = 0, None
    for r in rows:
        if until is not None and r.at < until:
            continue  # attempts during a lockout are refused before they are checked
        if r.ok:
            streak = 0
        else:
            streak += 1
            if streak >= MAX_FAILURES:
                until, streak = r.at + LOCKOUT, 0
    return until


def _hash_matches(stored: str | None, pin: str) -> bool:
    if not stored:
        return False
    from argon2.exceptions import Argon2Error

    try:
        return _the_hasher().verify(stored, normalise_pin(pin))
    except (Argon2Error, ValueError):
        return False


def _signer_row(session: Session, name: str, roles: tuple[Role, ...] | None) -> Staff:
    """The person about to sign: on the roster, active, of a role that may sign this, with a
    PIN (one clear line for each refusal, none of which costs a PIN attempt)."""
    row = session.exec(select(Staff).where(Staff.name == name)).first()
    if row is None:
        raise NotFound(_("No staff member named {name}.").format(name=name))
    if not row.active:
        raise PermissionDenied(_("{name} is not active.").format(name=row.name))
    if roles is not None and Role(row.role) not in roles:
        raise PermissionDenied(_("{name} is a {role} and may not sign this.").format(
            name=row.name, role=Role(row.role).label))
    if not row.pin_hash:
        raise PermissionDenied(
            _("{name} has no signing PIN yet (repairdesk staff set-pin).").format(
                name=row.name))
    return row


def _refuse_locked(desk: Desk, session: Session, name: str, now: datetime) -> None:
    until = _locked_until(session, name)
    if until is not None and now < until:
        raise PermissionDenied(_("Signing is locked for {name} until {at}.").format(
            name=name, at=until.astimezone(desk.config.tz).strftime("%H:%M")))


def authenticate(desk: Desk, name: str, pin: str, roles: tuple[Role, ...] | None = None) -> Signer:
    """Check a PIN, recording the attempt in its own transaction, so a wrong attempt stays
    recorded even though the action it was for is refused. Raises PermissionDenied on a wrong
    PIN or a lockout.

    The slow argon2 verification runs between a read transaction (the hash, the lockout) and
    a short write (the attempt row, re-checking the lockout): no other desk waits on it."""
    name = clean_name(name)
    if not name:
        raise ValidationError(_("Who is signing? Give a name."), "name")
    if len(name) > NAME_MAX:
        raise NotFound(_("No staff member by that name (the name is {n} characters long).")
                       .format(n=len(name)))
    if not (pin or "").strip():
        # an Enter on an empty PIN field is a slip, not a guess: it costs no attempt
        raise ValidationError(_("A PIN is required."), "pin")
    now = desk.now()
    with desk.store.read() as session:
        row = _signer_row(session, name, roles)
        _refuse_locked(desk, session, row.name, now)
        name, stored_hash = row.name, row.pin_hash
    ok = _hash_matches(stored_hash, pin)
    wrong = locked_now = False
    with desk.store.write() as session:
        row = _signer_row(session, name, roles)  # changed meanwhile: deactivated, new PIN
        if row.pin_hash != stored_hash:
            ok = _hash_matches(row.pin_hash, pin)  # rare: a PIN reset between the two
        # wrong PINs typed on another desk meanwhile may have locked this person
        _refuse_locked(desk, session, row.name, now)
        session.add(PinAttempt(staff_name=row.name, at=now, ok=ok))
        session.flush()
        if not ok:
            wrong = True
            until = _locked_until(session, row.name)
            locked_now = until is not None and now < until
            text = (_("Signing locked for {name} for 5 minutes after {n} wrong PINs.")
                    if locked_now else _("Wrong PIN entered for {name}."))
            dutylog.append(session, site=desk.config.site_code, at=now,
                           kind=dutylog.LogKind.LOCKOUT if locked_now else dutylog.LogKind.PIN,
                           author=row.name, text=text.format(name=row.name, n=MAX_FAILURES),
                           data={"locked": locked_now})
        role = row.role
    if wrong:
        if locked_now:
            raise PermissionDenied(_("Wrong PIN for {name}: signing is locked for 5 minutes.")
                                   .format(name=name))
        raise PermissionDenied(_("Wrong PIN for {name}.").format(name=name))
    return Signer(name, role, now)


def content_hash(content: dict) -> str:
    """The hash of a record's content as signed (canonical JSON)."""
    from ..store.types import dump_json

    # the same serialisation the store uses, so the hash survives a round trip through the book
    return hashlib.sha256(dump_json(content).encode("utf-8")).hexdigest()


def signature_hash(subject: str, meaning: str, name: str, role: str, at: datetime,
                   signed_hash: str) -> str:
    body = [subject, meaning, name, role, at.isoformat(), signed_hash]
    return hashlib.sha256(json.dumps(body, ensure_ascii=False).encode("utf-8")).hexdigest()


def add_signature(session: Session, signer: Signer, subject: str, meaning: str,
                  signed_hash: str) -> Signature:
    """Write one signature inside the caller's transaction."""
    sig = Signature(subject=subject, meaning=meaning, name=signer.name, role=signer.role,
                    at=signer.at, content_hash=signed_hash,
                    hash=signature_hash(subject, meaning, signer.name, signer.role, signer.at,
                                        signed_hash))
    session.add(sig)
    session.flush()
    return sig


def signatures_of(session: Session, subject: str) -> list[Signature]:
    return list(session.exec(select(Signature).where(Signature.subject == subject)
                             .order_by(col(Signature.id))))
