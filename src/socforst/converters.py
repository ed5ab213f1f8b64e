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
import enum
import functools
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


def _structure_date(value: Any, _type: type[Any]) -> dt.date:
    # Errors name no field (cattrs adds the path of the failing key) and never quote
    # the value: the row reader adds it only when it cannot be personal data.
    if isinstance(value, dt.datetime):
        raise ParseError("expected a date, not a date and time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if _ISO_DATE.fullmatch(value):
            try:
                return _parse_date(value)
            except ValueError:
                pass
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
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            try:
                return dt.datetime.fromisoformat(value)
            except ValueError:
                pass
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
