"""Opaque ids, and the refusal of personal identity numbers where one is expected.

An id in socforst is 1-64 characters from ``A-Z a-z 0-9 . _ -``. socforst works
on pseudonymous data: an id that is a valid Swedish personal identity number
(personnummer, or a coordination number, samordningsnummer) is refused, and the
error never repeats the number.
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from socforst.errors import InvalidIdError, PersonalIdentityNumberError, ValidationError

__all__ = [
    "check_code",
    "check_id",
    "check_optional_id",
    "is_personal_identity_number",
    "validate_id",
]

_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# YYYYMMDD-NNNC or YYMMDD-NNNC; the separator is '-' (or '+' from the age of 100).
_PIN = re.compile(r"(?:(?P<century>\d{2}))?(?P<date>\d{6})[-+]?(?P<serial>\d{4})")


def _luhn_ok(digits: str) -> bool:
    # Skatteverket SKV 704: weights 2,1,2,1,... from the left over YYMMDDNNN,
    # digits of the products summed; the check digit makes the total end in 0.
    total = 0
    for position, char in enumerate(digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    return total % 10 == 0


def is_personal_identity_number(value: str) -> bool:
    """Whether *value* is a valid Swedish personal or coordination number.

    Accepts 10 or 12 digits, with or without a ``-`` or ``+`` before the last
    four. Valid means a possible month, a possible day (a coordination number
    adds 60 to the day) and a correct Luhn check digit (Skatteverket, SKV 704).

    Example:
        >>> from socforst.ids import is_personal_identity_number
        >>> is_personal_identity_number("811218-9876")
        True
        >>> is_personal_identity_number("811218-9875")
        False
    """
    match = _PIN.fullmatch(value.strip())
    if match is None:
        return False
    century, date, serial = match.group("century", "date", "serial")
    if century is not None and century not in {"18", "19", "20"}:
        return False
    month, day = int(date[2:4]), int(date[4:6])
    if not 1 <= month <= 12:
        return False
    if not (1 <= day <= 31 or 61 <= day <= 91):
        return False
    return _luhn_ok(date + serial)


def validate_id(field: str, value: object) -> str:
    """Check that *value* is an acceptable opaque id and return it.

    Args:
        field: The field's name, for the error message.
        value: The candidate id.

    Raises:
        PersonalIdentityNumberError: If *value* is a personal identity number.
        InvalidIdError: If *value* is not 1-64 characters from ``A-Z a-z 0-9 . _ -``.
    """
    if not isinstance(value, str):
        raise InvalidIdError(field, f"must be a string, got {type(value).__name__}")
    # Checked first: '+' and the length would otherwise hide why it is refused.
    if is_personal_identity_number(value):
        raise PersonalIdentityNumberError(field)
    if _ID.fullmatch(value) is None:
        # The value may be a name or other personal data: describe it, never repeat it.
        bad = sorted({c for c in value if not re.fullmatch(r"[A-Za-z0-9._-]", c)})
        detail = f"{len(value)} characters"
        if bad:
            detail += ", including " + " ".join(repr(c) for c in bad[:5])
        raise InvalidIdError(
            field, f"must be 1-64 characters from A-Z a-z 0-9 . _ - (got {detail})"
        )
    return value


def check_id(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An attrs validator for an opaque id field."""
    validate_id(attribute.name, value)


def check_optional_id(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An attrs validator for an id field that may be ``None``."""
    if value is not None:
        check_id(instance, attribute, value)


def check_code(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An attrs validator for a district code: an ascii slug such as ``hagersten-alvsjo``."""
    if not isinstance(value, str) or _CODE.fullmatch(value) is None:
        shown = repr(value) if isinstance(value, str) and len(value) <= 64 else "the value"
        raise ValidationError(
            attribute.name,
            f"must be a lower-case ascii slug such as 'hagersten-alvsjo', got {shown}",
        )
