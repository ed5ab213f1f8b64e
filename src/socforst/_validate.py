"""attrs validators shared by the models; each error names the field."""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable
from typing import Any

import attrs

from socforst.errors import ValidationError, shown

__all__ = [
    "check_enum",
    "check_extent",
    "check_optional_str",
    "check_positive_int",
    "check_str",
    "check_words",
    "to_enum",
]


def check_enum(
    enum_type: type[enum.Enum],
) -> Callable[[object, attrs.Attribute[Any], object], None]:
    """A validator: the value is a member of *enum_type*."""

    def check(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, enum_type):
            allowed = ", ".join(repr(member.value) for member in enum_type)
            raise ValidationError(
                attribute.name, f"must be one of {allowed}, got {shown(value, code=True)}"
            )

    return check


def check_extent(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A validator: the value is a fraction of full time in (0, 1]."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(attribute.name, f"must be a number, got {type(value).__name__}")
    if not (math.isfinite(value) and 0 < value <= 1):
        raise ValidationError(
            attribute.name, f"must be a fraction of full time in (0, 1], got {shown(value)}"
        )


def check_positive_int(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A validator: the value is an int of at least 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(attribute.name, f"must be a whole number >= 1, got {shown(value)}")


def check_words(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A validator: the value is a frozenset of non-empty words without spaces or '|'."""
    if not isinstance(value, frozenset):
        raise ValidationError(attribute.name, f"must be a frozenset, got {type(value).__name__}")
    for word in value:
        if not isinstance(word, str) or not word or any(c.isspace() or c == "|" for c in word):
            raise ValidationError(
                attribute.name, f"must hold words without spaces or '|', got {shown(word)}"
            )


def to_enum(enum_type: type[enum.Enum], value: Any) -> Any:
    """Convert a string that is one of *enum_type*'s values into that member.

    Anything else is returned unchanged, for :func:`check_enum` to refuse with
    a message that names the field. Models wrap it in a named function per
    enum, which the attrs mypy plugin needs for a converter.
    """
    if isinstance(value, str) and not isinstance(value, enum_type):
        try:
            return enum_type(value)
        except ValueError:
            return value
    return value


# Characters no spreadsheet (XML 1.0), PostgreSQL text or UTF-8 file can hold:
# C0 controls other than tab, newline and carriage return, and lone surrogates
# (a JSON "\ud800" escape decodes to one).
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_TEXT = 32_767
"""The longest text a field may hold: what one spreadsheet cell holds (Excel, LibreOffice)."""


def check_str(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A validator: the value is a string that every format socforst writes can hold.

    Refused: a control character other than tab, newline and carriage return,
    a lone surrogate, and text longer than :data:`MAX_TEXT` characters. Text
    that a spreadsheet, a database or a UTF-8 file cannot hold would make an
    export fail or be cut, long after the load. The message names the type
    or the character's code point, never the value: a name is personal data.
    """
    if not isinstance(value, str):
        raise ValidationError(attribute.name, f"must be a string, got {type(value).__name__}")
    if len(value) > MAX_TEXT:
        raise ValidationError(
            attribute.name,
            f"must be at most {MAX_TEXT:,} characters (what a spreadsheet cell holds), "
            f"got {len(value):,}",
        )
    if not value.isascii() or not value.isprintable():
        bad = _UNWRITABLE.search(value)
        if bad is not None:
            raise ValidationError(
                attribute.name,
                f"holds a character no spreadsheet or database can store "
                f"(U+{ord(bad.group()):04X} at position {bad.start() + 1})",
            )


def check_optional_str(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A validator: the value is ``None`` or a string."""
    if value is not None:
        check_str(instance, attribute, value)
