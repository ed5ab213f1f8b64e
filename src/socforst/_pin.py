"""Finding Swedish personal identity numbers in any spelling, whole or inside longer text.

A personnummer (or a samordningsnummer, which adds 60 to the day) is
``[CC]YYMMDD`` + a separator + ``NNNC``, where ``C`` is a Luhn check digit over
``YYMMDDNNN`` (Skatteverket, SKV 704). Extracts write the separator as ``-``
(``+`` from the age of 100), and in practice also as a space, a dot, an
underscore, an en dash or nothing at all; a fixed-width export may add a NUL,
a zero-width space or a no-break space. Every one of those spellings is found
here, also inside a longer value (``m-811218-9876``), so that such a number is
refused as an id, replaced by the pseudonymiser and never printed.

This module imports nothing from socforst: the message filter of
:mod:`socforst.errors` and the id checks of :mod:`socforst.ids` both use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["SEPARATORS", "contains_pin", "find_pins", "is_pin", "mask_pins"]

SEPARATORS = "-+ ._\u2010\u2011\u2012\u2013\u2014\u2212\u00a0\u202f\u200b"
"""What may stand between the date and the serial: ASCII ``- + space . _``,
the Unicode dashes and minus, and the no-break and zero-width spaces."""

# Digits not glued to other digits on either side; an optional century, the
# date, at most one separator (or none) and the serial with its check digit.
_ANY_PIN = re.compile(
    r"(?<!\d)(?P<century>\d{2})?(?P<date>\d{6})["
    + re.escape(SEPARATORS)
    + r"]?(?P<serial>\d{4})(?!\d)"
)
# Every spelling holds the date part as six digits in a row: without them, no number.
_SIX_DIGITS = re.compile(r"\d{6}")
# Unicode digits other than ASCII ones (Arabic-Indic, full-width) are read as digits too.
_NON_ASCII_DIGIT = re.compile(r"[^\x00-\x7f]")


def _luhn_ok(digits: str) -> bool:
    # Skatteverket SKV 704: weights 2,1,2,1,... from the left over YYMMDDNNN,
    # digits of the products summed; the check digit makes the total end in 0.
    total = 0
    for position, char in enumerate(digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    return total % 10 == 0


def _valid(century: str | None, date: str, serial: str) -> bool:
    if century is not None and century not in {"18", "19", "20"}:
        return False
    month, day = int(date[2:4]), int(date[4:6])
    if not 1 <= month <= 12:
        return False
    if not (1 <= day <= 31 or 61 <= day <= 91):
        return False
    return _luhn_ok(date + serial)


def _ascii_digits(text: str) -> str:
    """*text* with every Unicode decimal digit written as its ASCII digit."""
    if not _NON_ASCII_DIGIT.search(text):
        return text
    return "".join(str(int(c)) if c.isdecimal() and not c.isascii() else c for c in text)


def find_pins(text: str) -> Iterator[tuple[int, int]]:
    """The spans of *text* that are valid personal or coordination numbers.

    Each span is ``(start, end)`` in *text*. A 12-digit form is tried before
    the 10-digit form inside it, so that ``19811218-9876`` is one span.
    """
    text = _ascii_digits(text)
    position = 0
    while True:
        match = _ANY_PIN.search(text, position)
        if match is None:
            return
        century, date, serial = match.group("century", "date", "serial")
        if _valid(century, date, serial):
            yield match.start(), match.end()
            position = match.end()
        elif century is not None and _valid(None, date, serial):
            yield match.start("date"), match.end()
            position = match.end()
        else:
            # Not a number here; a shorter one may start one digit later.
            position = match.start() + 1


def is_pin(text: str) -> bool:
    """Whether *text*, stripped, is exactly one personal or coordination number."""
    text = text.strip().strip("\x00")
    if _SIX_DIGITS.search(text) is None:
        return False
    return any(start == 0 and end == len(_ascii_digits(text)) for start, end in find_pins(text))


def contains_pin(text: str) -> bool:
    """Whether a personal or coordination number appears anywhere in *text*."""
    if _SIX_DIGITS.search(text) is None:  # the common case, decided in C
        return False
    if text.isascii() and _ANY_PIN.search(text) is None:  # no candidate at all, in C too
        return False
    return next(find_pins(text), None) is not None


def mask_pins(text: str) -> str:
    """*text* with every personal or coordination number replaced by ``<personnummer>``."""
    spans = list(find_pins(text))
    if not spans:
        return text
    parts: list[str] = []
    last = 0
    for start, end in spans:
        parts += [text[last:start], "<personnummer>"]
        last = end
    parts.append(text[last:])
    return "".join(parts)
