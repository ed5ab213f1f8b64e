"""Opaque ids, and the refusal of personal identity numbers where one is expected.

An id in socforst is 1-64 characters from ``A-Z a-z 0-9 . _ -``. socforst works
on pseudonymous data: an id that is or contains a valid Swedish personal
identity number (personnummer, or a coordination number, samordningsnummer) in
any spelling (``811218-9876``, ``8112189876``, ``19811218-9876``, ``811218.9876``,
``811218_9876``, ``m-811218-9876``) is refused, and the error never repeats the
number.

Case numbers numbered by date (``YYMMDDNNNN``) pass the check digit about one
time in ten and are then refused too: a known false positive of the rule. A
column of such case numbers can be declared with :func:`case_number_columns`
(or a source's ``case_numbers`` option), and its ids are then accepted.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from socforst._pin import contains_pin, is_pin
from socforst.errors import InvalidIdError, PersonalIdentityNumberError, ValidationError, shown

__all__ = [
    "case_number_columns",
    "check_code",
    "check_id",
    "check_optional_id",
    "contains_personal_identity_number",
    "is_personal_identity_number",
    "validate_id",
]

_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CASE_NUMBER_COLUMNS: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar(
    "socforst_case_number_columns", default=frozenset()
)


@contextlib.contextmanager
def case_number_columns(columns: Iterable[str]) -> Iterator[None]:
    """Within the block, accept ids in *columns* that merely look like identity numbers.

    For an extract whose case ids are numbered by date (``2501150123``): about
    one in ten such numbers passes the Luhn check digit of a personnummer and
    would be refused. Declare the column (``report_id``, ``investigation_id``)
    only when you know it holds case numbers, never a person's number.

    Example:
        >>> import datetime as dt
        >>> from socforst import Report
        >>> from socforst.ids import case_number_columns
        >>> with case_number_columns(["report_id"]):
        ...     report = Report(
        ...         report_id="8112189876",
        ...         district="farsta",
        ...         received_at=dt.datetime(2025, 1, 2, 9),
        ...     )
        >>> report.report_id
        '8112189876'
    """
    token = _CASE_NUMBER_COLUMNS.set(_CASE_NUMBER_COLUMNS.get() | frozenset(columns))
    try:
        yield
    finally:
        _CASE_NUMBER_COLUMNS.reset(token)


def contains_personal_identity_number(value: str) -> bool:
    """Whether a personal or coordination number appears anywhere in *value*, in any spelling.

    Example:
        >>> from socforst.ids import contains_personal_identity_number
        >>> contains_personal_identity_number("m-811218 9876")
        True
        >>> contains_personal_identity_number("m-811218-9875")
        False
    """
    return contains_pin(value)


def is_personal_identity_number(value: str) -> bool:
    """Whether *value* is a valid Swedish personal or coordination number.

    Accepts 10 or 12 digits, with or without a separator before the last four
    (``-``, ``+``, a space, ``.``, ``_`` or a dash). Valid means a possible
    month, a possible day (a coordination number adds 60 to the day) and a
    correct Luhn check digit (Skatteverket, SKV 704).

    Example:
        >>> from socforst.ids import is_personal_identity_number
        >>> is_personal_identity_number("811218-9876")
        True
        >>> is_personal_identity_number("811218-9875")
        False
    """
    return is_pin(value)


def validate_id(field: str, value: object) -> str:
    """Check that *value* is an acceptable opaque id and return it.

    Args:
        field: The field's name, for the error message.
        value: The candidate id.

    Raises:
        PersonalIdentityNumberError: If *value* is or contains a personal identity
            number (unless *field* is declared with :func:`case_number_columns`).
        InvalidIdError: If *value* is not 1-64 characters from ``A-Z a-z 0-9 . _ -``.
    """
    if not isinstance(value, str):
        raise InvalidIdError(field, f"must be a string, got {type(value).__name__}")
    # Checked first: '+' and the length would otherwise hide why it is refused.
    if field not in _CASE_NUMBER_COLUMNS.get() and contains_pin(value):
        raise PersonalIdentityNumberError(field)
    if _ID.fullmatch(value) is None:
        # The value may be a name or other personal data: describe it, never repeat
        # it; the characters that are not allowed are named by their code points.
        bad = sorted({c for c in value if not re.fullmatch(r"[A-Za-z0-9._-]", c)})
        detail = f"{len(value)} characters"
        if bad:
            detail += ", including " + " ".join(f"U+{ord(c):04X}" for c in bad[:5])
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
    """An attrs validator for a district code: an ascii slug such as ``hagersten-alvsjo``.

    A slug that contains a personal identity number is refused: ``811218-9876``
    is a well-formed slug, and a code is shown by every command.
    """
    if not isinstance(value, str) or _CODE.fullmatch(value) is None:
        raise ValidationError(
            attribute.name,
            "must be a lower-case ascii slug such as 'hagersten-alvsjo', "
            f"got {shown(value, code=True)}",
        )
    if contains_pin(value):
        raise PersonalIdentityNumberError(attribute.name)
