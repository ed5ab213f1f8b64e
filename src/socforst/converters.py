"""The one cattrs converter between socforst's models and plain data.

Adapters turn rows into models, and models into rows, only through
:data:`converter`; the models never know a file format. Plain data here means
what JSON can hold: dates become ISO 8601 strings (``"2025-07-01"``), enums
their values, sets sorted lists, and every model a dict whose keys are the
column names of the data formats.

Example:
    >>> import datetime as dt
    >>> from socforst import Absence
    >>> from socforst.converters import converter
    >>> summer = Absence("m1", dt.date(2025, 7, 7), dt.date(2025, 8, 1), "vacation")
    >>> row = converter.unstructure(summer)
    >>> row
    {'member_id': 'm1', 'start': '2025-07-07', 'end': '2025-08-01', 'kind': 'vacation'}
    >>> converter.structure(row, Absence) == summer
    True
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import functools
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any, Optional

import cattrs

from socforst.dates import DateRange
from socforst.districts import District, DistrictRegistry
from socforst.errors import ParseError

__all__ = ["converter", "fast_converter", "make_converter", "registry_from_rows"]


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# Twelve years hold about 4,400 days: parsing each once shares one date object
# among all records of that day (32 bytes a record saved, and the parse).
_parse_date = functools.lru_cache(maxsize=1 << 16)(dt.date.fromisoformat)


FIRST_YEAR = 1953
"""The first year whose dates socforst reads: the legal calendar (Swedish holidays) starts then."""
LAST_YEAR = 2100
"""The last year whose dates socforst reads: the legal calendar ends then."""


def _in_calendar(day: dt.date) -> dt.date:
    # Lag (1930:173) 2 § needs the holidays of each year a deadline touches; a
    # date outside them would fail in a query far from its row, or overflow.
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ParseError(
            f"must be a date in {FIRST_YEAR}-{LAST_YEAR}, the years the legal calendar "
            f"covers, got the year {day.year}"
        )
    return day


def _structure_date(value: Any, _type: type[Any]) -> dt.date:
    # Errors name no field (cattrs adds the path of the failing key) and never quote
    # the value: the row reader adds it only when it cannot be personal data.
    if isinstance(value, dt.datetime):
        raise ParseError("expected a date, not a date and time")
    if isinstance(value, dt.date):
        return _in_calendar(value)
    if isinstance(value, str):
        if _ISO_DATE.fullmatch(value):
            try:
                day = _parse_date(value)
            except ValueError:
                pass
            else:
                return _in_calendar(day)
        raise ParseError("expected an ISO 8601 date YYYY-MM-DD")
    raise ParseError(f"expected an ISO 8601 date string, got {type(value).__name__}")


def _structure_optional_date(value: Any, _type: type[Any]) -> dt.date | None:
    # An empty cell is a missing value (data formats: "Empty cell = missing").
    if value is None or value == "":
        return None
    return _structure_date(value, dt.date)


def _structure_datetime(value: Any, _type: type[Any]) -> dt.datetime:
    # The model converts to Europe/Stockholm: naive values are local time there.
    if isinstance(value, dt.datetime):
        _in_calendar(value)
        return value
    if isinstance(value, dt.date):
        _in_calendar(value)
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            try:
                instant = dt.datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                _in_calendar(instant)
                return instant
        raise ParseError("expected an ISO 8601 date and time")
    raise ParseError(f"expected an ISO 8601 datetime string, got {type(value).__name__}")


def _structure_optional_datetime(value: Any, _type: type[Any]) -> dt.datetime | None:
    if value is None or value == "":
        return None
    return _structure_datetime(value, dt.datetime)


def _structure_frozenset_of_str(value: Any, _type: type[Any]) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ParseError(f"expected a list of words, got {type(value).__name__}")
    return frozenset(value)


# ---- numbers: the int and float hooks, for every format (F5, F33) ----
# Only ASCII digits, an optional sign and a decimal point: no exponent, no digit
# group separators (1_000, 1 000), no other scripts' digits (Arabic-Indic, full
# width), which int() and float() would otherwise read. A decimal comma (0,5) is
# not accepted yet: it is refused with a hint to write 0.5.
_NUMERAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_LONGEST_NUMERAL = 40
# Every number of the data formats (a count, a fraction, a SEK amount, a year) is
# below 10^9 in size, and at least 0.000001 unless it is 0: anything else is a
# mistake (a personnummer in a number column, 5e-324), not a value to compute with.
# A numeral has at most 9 digits before its decimal point, leading zeros counted:
# a personnummer such as 0501011234 is not a small number.
_NUMBER_LIMIT = 10**9
_INTEGER_DIGITS = 9
_SMALLEST_NUMBER = 1e-6


def _number_kind(value: object) -> str:
    # What a value that is not a number is, for a message; never the value itself.
    if isinstance(value, bool):
        return "a boolean (true or false)"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping of names to values"
    if isinstance(value, bytes | bytearray | memoryview):
        return "bytes"
    if isinstance(value, dt.date):
        return "a date"
    return f"a value of type {type(value).__name__}"


def _numeral(value: str) -> str:
    # Messages say what is wrong without the value: the row reader adds it, filtered.
    if len(value) > _LONGEST_NUMERAL:
        raise ParseError(f"must be a number of at most {_LONGEST_NUMERAL} characters")
    if not _NUMERAL.fullmatch(value):
        if re.fullmatch(r"[+-]?[0-9]+,[0-9]+", value):
            raise ParseError("must be a number with a decimal point (0.5), not a decimal comma")
        raise ParseError(
            "must be a number written with the digits 0-9, an optional sign and "
            "an optional decimal point"
        )
    if len(value.lstrip("+-").partition(".")[0]) > _INTEGER_DIGITS:
        raise ParseError(f"must have at most {_INTEGER_DIGITS} digits before the decimal point")
    return value


def _check_size(number: float | int | decimal.Decimal) -> None:
    if not (-_NUMBER_LIMIT < number < _NUMBER_LIMIT):
        raise ParseError("is too large: numbers in socforst's data are below 10^9 in size")
    if number and -_SMALLEST_NUMBER < number < _SMALLEST_NUMBER:
        raise ParseError("is too small: a number other than 0 must be at least 0.000001 in size")


def _structure_int(value: Any, _type: type[Any]) -> int:
    """A whole number from an int, a whole float or decimal, or a plain numeral."""
    if isinstance(value, bool):
        raise ParseError("must be a whole number, not a boolean (true or false)")
    if isinstance(value, int):
        _check_size(value)
        return value
    if isinstance(value, str):
        value = decimal.Decimal(_numeral(value))
    if isinstance(value, float | decimal.Decimal):
        if isinstance(value, float) and not math.isfinite(value):
            raise ParseError("must be a whole number, not infinite or NaN")
        if isinstance(value, decimal.Decimal) and not value.is_finite():
            raise ParseError("must be a whole number, not infinite or NaN")
        if value != int(value):
            raise ParseError("must be a whole number")
        _check_size(value)
        return int(value)
    raise ParseError(f"must be a whole number, not {_number_kind(value)}")


def _structure_float(value: Any, _type: type[Any]) -> float:
    """A number from an int, a float or decimal, or a plain numeral with a decimal point."""
    if isinstance(value, bool):
        raise ParseError("must be a number, not a boolean (true or false)")
    if isinstance(value, str):
        number = float(_numeral(value))  # at most 40 digits: always finite
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ParseError("must be a finite number, not infinite or NaN")
        number = value
    elif isinstance(value, int | decimal.Decimal):
        if isinstance(value, decimal.Decimal) and not value.is_finite():
            raise ParseError("must be a finite number, not infinite or NaN")
        _check_size(value)  # before float(), which overflows on a huge int
        number = float(value)
    else:
        raise ParseError(f"must be a number, not {_number_kind(value)}")
    _check_size(number)
    return number


def make_converter(*, detailed_validation: bool = True) -> cattrs.Converter:
    """A new converter configured as :data:`converter` is, for extending safely.

    Returns:
        A :class:`cattrs.Converter` with socforst's hooks: ISO dates, sorted sets,
        date ranges as ``{"start": ..., "end": ...}`` and a registry as a list
        of districts.
    """
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=detailed_validation)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_unstructure_hook(dt.datetime, dt.datetime.isoformat)
    conv.register_structure_hook(dt.datetime, _structure_datetime)
    conv.register_structure_hook_func(
        lambda type_: type_ == dt.datetime | None or type_ == Optional[dt.datetime],  # noqa: UP045
        _structure_optional_datetime,
    )
    # str-valued enums would otherwise pass through as members, which JSON and CSV
    # writers render inconsistently; plain data holds their values.
    conv.register_unstructure_hook(enum.StrEnum, lambda member: member.value)
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook_func(
        lambda type_: type_ == dt.date | None or type_ == Optional[dt.date],  # noqa: UP045
        _structure_optional_date,
    )
    conv.register_unstructure_hook_func(
        lambda type_: type_ == frozenset[str], lambda words: sorted(words)
    )
    conv.register_structure_hook_func(
        lambda type_: type_ == frozenset[str], _structure_frozenset_of_str
    )
    conv.register_unstructure_hook(
        DateRange,
        lambda r: {
            "start": r.start.isoformat(),
            "end": None if r.end is None else r.end.isoformat(),
        },
    )
    conv.register_unstructure_hook(
        DistrictRegistry, lambda registry: [conv.unstructure(d, District) for d in registry]
    )
    conv.register_structure_hook(
        DistrictRegistry,
        lambda rows, _type: DistrictRegistry(tuple(conv.structure(rows, list[District]))),
    )
    return conv


converter: cattrs.Converter = make_converter()
"""The converter every adapter uses; extend a copy from :func:`make_converter`."""

fast_converter: cattrs.Converter = make_converter(detailed_validation=False)
"""The same converter without cattrs' detailed validation, for bulk loads.

About twice as fast; a row it fails on is structured again with :data:`converter`
to say which fields are wrong.
"""


def registry_from_rows(rows: Iterable[Mapping[str, Any]]) -> DistrictRegistry:
    """A district registry built from plain rows, for a municipality other than Stockholm.

    Args:
        rows: Mappings with the keys of ``districts.csv``: ``code``, ``name``,
            ``valid_from``, and optionally ``valid_to``, ``successor`` and ``kind``.

    Raises:
        cattrs.BaseValidationError: If a row does not structure; its members name the row.
        RegistryError: If the rows do not make a consistent history.

    Example:
        >>> import datetime as dt
        >>> from socforst.converters import registry_from_rows
        >>> registry = registry_from_rows([
        ...     {"code": "norr", "name": "Norr", "valid_from": "2010-01-01",
        ...      "valid_to": "2020-12-31", "successor": "centrum"},
        ...     {"code": "syd", "name": "Syd", "valid_from": "2010-01-01",
        ...      "valid_to": "2020-12-31", "successor": "centrum"},
        ...     {"code": "centrum", "name": "Centrum", "valid_from": "2021-01-01"},
        ... ])
        >>> registry.current("syd", on=dt.date(2021, 1, 1)).name
        'Centrum'
    """
    return converter.structure(list(rows), DistrictRegistry)
