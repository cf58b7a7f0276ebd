"""Field rules for the intake form and the CLI. Each failure names the field in one line."""

from __future__ import annotations

import re
from datetime import datetime

from ..errors import ValidationError
from ..i18n import _
from .text import clean_text

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^(0\d{2,3})?[2-9]\d{6,7}$")
CONTENT_MAX = 500
NAME_MAX = 40
LOCATION_MAX = 80


def normalise_phone(raw: str | None) -> str:
    """Digits only (spaces, dashes and a +86 prefix removed); '' when none given."""
    value = clean_text(raw)
    if not value:
        return ""
    digits = re.sub(r"[\s\-()（）]", "", value)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    ext = ""
    if "转" in digits or "," in digits:
        digits, _sep, ext = re.split(r"(转|,)", digits, maxsplit=1)
        if not ext.isdigit() or len(ext) > 6:
            raise ValidationError(_("Phone extension must be digits."), "phone")
    if not (MOBILE.match(digits) or LANDLINE.match(digits)):
        raise ValidationError(
            _("Phone must be a mainland mobile (11 digits starting with 1) or a landline number."),
            "phone",
        )
    return digits + (f"-{ext}" if ext else "")


def mask_phone(phone: str | None) -> str:
    """138****5678 for mobiles; 0755****5678 for landlines; the last four stay visible."""
    if not phone:
        return ""
    main = phone.split("-")[0]
    if MOBILE.match(main):
        return f"{main[:3]}****{main[-4:]}"
    if len(main) > 7 and main.startswith("0"):
        area = 4 if main[1] in "3456789" else 3
        return f"{main[:area]}****{main[-4:]}"
    return f"****{main[-4:]}" if len(main) > 4 else "****"


def validate_room(raw: str | None, pattern: str) -> str:
    value = clean_text(raw).replace(" ", "")
    value = value.replace("－", "-").replace("—", "-")
    if not value:
        raise ValidationError(_("Room is required (e.g. 3-2-1501)."), "room")
    if not re.fullmatch(pattern, value):
        raise ValidationError(
            _("Room {room} does not match building-unit-room (e.g. 3-2-1501).").format(room=value),
            "room",
        )
    return value


def validate_location(raw: str | None) -> str:
    value = clean_text(raw)
    if not value:
        raise ValidationError(_("Location is required for a public-area job."), "room")
    if len(value) > LOCATION_MAX:
        raise ValidationError(
            _("Location is too long (at most {n} characters).").format(n=LOCATION_MAX), "room"
        )
    return value


def validate_caller(raw: str | None) -> str:
    value = clean_text(raw)
    if not value:
        raise ValidationError(_("Caller is required (at least a surname)."), "caller")
    if len(value) > NAME_MAX:
        raise ValidationError(
            _("Caller name is too long (at most {n} characters).").format(n=NAME_MAX), "caller"
        )
    return value


def validate_content(raw: str | None) -> str:
    value = clean_text(raw, multiline=True)
    if not value:
        raise ValidationError(_("Content is required: describe the fault."), "content")
    if len(value) > CONTENT_MAX:
        raise ValidationError(
            _("Content is too long: {n} characters, at most {max}.").format(
                n=len(value), max=CONTENT_MAX
            ),
            "content",
        )
    return value


def validate_reason(raw: str | None, field: str = "reason") -> str:
    value = clean_text(raw, multiline=True)
    if not value:
        raise ValidationError(_("A reason is required for this step."), field)
    if len(value) > CONTENT_MAX:
        raise ValidationError(
            _("Text is too long: {n} characters, at most {max}.").format(
                n=len(value), max=CONTENT_MAX
            ),
            field,
        )
    return value


def validate_note(raw: str | None) -> str:
    value = clean_text(raw, multiline=True)
    if len(value) > CONTENT_MAX:
        raise ValidationError(
            _("Text is too long: {n} characters, at most {max}.").format(
                n=len(value), max=CONTENT_MAX
            ),
            "note",
        )
    return value


def validate_future(when: datetime, now: datetime, field: str = "appointment") -> datetime:
    if when <= now:
        raise ValidationError(_("The appointment time must be in the future."), field)
    return when


def validate_choice(value: str | None, allowed: list[str], field: str, label: str) -> str:
    value = clean_text(value)
    if value not in allowed:
        raise ValidationError(
            _("{label} must be one of: {allowed}.").format(label=label, allowed=", ".join(allowed)),
            field,
        )
    return value
