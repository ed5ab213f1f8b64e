"""From rows of text cells to records, reporting every bad row at once.

Every adapter that reads tables of text (CSV files, spreadsheet sheets, JSON
arrays of objects) hands its rows to :func:`read_table`, which applies the
value rules of the data formats and structures records with the one converter:

- an empty cell is a missing value (the field's default, or an error if required);
- lists are ``|``-separated (``competencies``);
- unknown columns are ignored with an :class:`UnknownColumnWarning`;
- a missing required column is one error for the whole table.

Errors never repeat a value that could be personal data: a value is shown only
when it looks like a date, a number or a lower-case code word.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
import gc
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, cast

import attrs
import cattrs
from cattrs.errors import AttributeValidationNote

from socforst.converters import converter, fast_converter
from socforst.districts import DistrictRegistry, stockholm
from socforst.errors import (
    ParseError,
    PersonalIdentityNumberError,
    RegistryError,
    RowError,
    SocforstError,
    UnknownDistrictError,
    ValidationError,
)

__all__ = [
    "UnknownColumnWarning",
    "columns_of",
    "gc_paused",
    "read_table",
    "registry_with",
    "required_columns",
    "row_builder",
    "to_row",
]

_SAFE = re.compile(r"[0-9:.+ TZ-]{1,32}|[a-z0-9_-]{1,32}")
_LIST_FIELDS = frozenset({"competencies"})
# Free text is kept as written (a name may be padded); every other cell is stripped.
_FREE_TEXT = frozenset({"name", "exceptional_reason"})
_SHARED_FIELDS = frozenset({"district", "team_id", "kind", "status", "basis", "reason", "task"})


class UnknownColumnWarning(UserWarning):
    """A source has a column the data formats do not define; it is ignored."""


def columns_of(kind: type) -> tuple[str, ...]:
    """The columns of a record type: its field names, in order."""
    return tuple(field.name for field in attrs.fields(kind) if field.init)


def required_columns(kind: type) -> tuple[str, ...]:
    """The columns a table of *kind* must have: the fields without a default."""
    return tuple(
        field.name for field in attrs.fields(kind) if field.init and field.default is attrs.NOTHING
    )


def shown(value: object) -> str:
    """The value quoted if it cannot be personal data, else a neutral phrase."""
    text = str(value)
    if _SAFE.fullmatch(text) and not _looks_like_pin(text):
        return repr(text)
    return f"a value of {len(text)} characters (not shown: it may be personal data)"


def _looks_like_pin(text: str) -> bool:
    from socforst.ids import is_personal_identity_number

    return is_personal_identity_number(text)


def _cells(row: Mapping[str, Any], columns: frozenset[str]) -> dict[str, Any]:
    cells: dict[str, Any] = {}
    for name, value in row.items():
        if name not in columns or value is None:
            continue
        if type(value) is str:
            if name in _FREE_TEXT:
                if not value.strip():
                    continue  # a blank cell is a missing value
            else:
                value = value.strip()
                if not value:
                    continue  # an empty cell is a missing value
            if name in _LIST_FIELDS:
                value = [word.strip() for word in value.split("|") if word.strip()]
            elif name in _SHARED_FIELDS:
                value = sys.intern(value)  # a few codes, repeated on every row
        cells[name] = value
    return cells


def _hide(message: str, value: object) -> str:
    """*message* without any part of *value* that could be personal data."""
    if shown(value).startswith("'"):
        return message
    text = str(value)
    # Messages may quote a value whole or cut: hide every quoted part of it.
    for quoted in re.findall(r"'([^']*)'", message):
        if quoted and (quoted in text or text in quoted):
            message = message.replace(f"'{quoted}'", "the value")
    return message.replace(text, "the value")


def _enum_of(kind: type | None, column: str | None) -> type[enum.Enum] | None:
    if kind is None or column is None:
        return None
    field = _field_types(kind).get(column)
    for candidate in (field, *getattr(field, "__args__", ())):
        if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
            return candidate
    return None


@functools.cache
def _field_types(kind: type) -> dict[str, Any]:
    return {
        name: field.type for name, field in attrs.fields_dict(attrs.resolve_types(kind)).items()
    }


def _reason(
    error: BaseException, value: object, has_value: bool, enum_type: type[enum.Enum] | None = None
) -> str:
    got = f", got {shown(value)}" if has_value else ""
    if isinstance(error, PersonalIdentityNumberError):
        return error.reason
    if enum_type is not None and not isinstance(error, SocforstError):
        allowed = ", ".join(repr(member.value) for member in enum_type)
        return f"must be one of {allowed}{got}"
    if isinstance(error, ParseError):
        return f"{error}{got}"
    if isinstance(error, ValidationError):
        return _hide(error.reason, value) if has_value else error.reason
    if isinstance(error, SocforstError):
        return _hide(str(error), value) if has_value else str(error)
    if isinstance(error, KeyError):
        return "is required"
    if isinstance(error, ValueError | TypeError):
        return f"is not in the expected form{got}"
    return f"could not be read ({type(error).__name__}){got}"


def _row_errors(
    error: BaseException, cells: Mapping[str, Any], source: str, table: str, row: int
) -> list[RowError]:
    if isinstance(error, cattrs.BaseValidationError):
        found: list[RowError] = []
        for inner in error.exceptions:
            column = None
            for note in getattr(inner, "__notes__", []):
                if isinstance(note, AttributeValidationNote):
                    column = note.name
            if isinstance(inner, cattrs.BaseValidationError):
                found += _row_errors(inner, cells, source, table, row)
                continue
            if column is None and isinstance(inner, ValidationError):
                column = inner.field
            has_value = column is not None and column in cells
            value = cells.get(column) if column is not None else None
            reason = _reason(inner, value, has_value, _enum_of(_kind(table), column))
            found.append(RowError(source, table, row, column, reason))
        return found
    if isinstance(error, ValidationError):
        column = error.field if error.field in cells or error.field in _all_fields(table) else None
        value = cells.get(error.field)
        return [RowError(source, table, row, column, _reason(error, value, error.field in cells))]
    return [RowError(source, table, row, None, _reason(error, None, False))]


def _kind(table: str) -> type | None:
    from socforst.dataset import TABLES

    return TABLES.get(table)


def _all_fields(table: str) -> frozenset[str]:
    from socforst.dataset import TABLES

    kind = TABLES.get(table)
    return frozenset(columns_of(kind)) if kind is not None else frozenset()


_DATE_TYPES = (dt.date, dt.date | None)
_DATETIME_TYPES = (dt.datetime, dt.datetime | None)
_ISO_DATE_START = re.compile(r"\d{4}-\d{2}-\d{2}")  # what the datetime hook asks first
_DATE_CACHE_SIZE = 1 << 14  # 44 years of days; bounded, since builders are cached


def _cached_date(text: str, cache: dict[str, Any], hook: Any, kind: Any) -> Any:
    """The date *hook* makes of *text*, each text parsed once (at most 16,384 kept)."""
    day = cache.get(text)
    if day is None:
        day = hook(text, kind)
        if len(cache) < _DATE_CACHE_SIZE:
            cache[text] = day
    return day


class _UnbuiltRowError(Exception):
    """A row the made builder leaves to the detailed way (short, or a required cell empty)."""


@functools.lru_cache(maxsize=64)
def row_builder(kind: type, header: tuple[str, ...]) -> Callable[[Sequence[Any]], Any]:
    """A function that builds a *kind* record from one row's cells in *header* order.

    It applies the same value rules as the mapping path (an empty cell is a
    missing value, cells are stripped except free text, lists are ``|``-separated,
    codes are shared) and the same structuring hooks of :data:`~socforst.converters.fast_converter`,
    without a dict per row and cattrs' dispatch: the source text is made once
    per record type and header, as cattrs makes its own structuring functions.
    It raises on any row it cannot build (a short row, an empty required cell,
    a bad value); :func:`read_table` then takes the detailed way for that row.
    """
    types = _field_types(kind)
    required = set(required_columns(kind))
    columns = set(columns_of(kind))
    last: dict[str, int] = {}
    for index, name in enumerate(header):
        name = name.strip()
        if name in columns:
            last[name] = index  # a repeated column: the last one counts, as in a dict
    namespace: dict[str, Any] = {
        "_kind": kind,
        "_UnbuiltRowError": _UnbuiltRowError,
        "_intern": sys.intern,
        "_date": _cached_date,
        "_fromiso": dt.datetime.fromisoformat,
        "_isodate": _ISO_DATE_START.match,
    }
    lines = [
        "def build(cells):",
        f"    if len(cells) != {len(header)}:",
        "        raise _UnbuiltRowError",
        "    kw = {}",
    ]
    for name, index in sorted(last.items(), key=lambda item: item[1]):
        field_type = types[name]
        namespace[f"_t_{name}"] = field_type
        namespace[f"_h_{name}"] = fast_converter.get_structure_hook(field_type)
        plain_text = field_type is str or field_type == str | None  # the hook would be str()
        members = _enum_of(kind, name)
        # Shortcuts that give what the hook gives, or raise where it raises:
        if members is not None:
            # An enum from its value: a dict lookup instead of the hook's Enum(value).
            namespace[f"_m_{name}"] = {member.value: member for member in members}
            value = f"_m_{name}[v]"
        elif field_type in _DATE_TYPES:
            # Twelve years hold about 4,400 days: each text of a day is parsed once.
            namespace[f"_c_{name}"] = {}
            value = f"_date(v, _c_{name}, _h_{name}, _t_{name})"
        elif field_type in _DATETIME_TYPES:
            value = f"(_fromiso(v) if _isodate(v) else _h_{name}(v, _t_{name}))"
        elif name in _LIST_FIELDS:
            value = f"_h_{name}([w.strip() for w in v.split('|') if w.strip()], _t_{name})"
        elif name in _SHARED_FIELDS:
            value = "_intern(v)" if plain_text else f"_h_{name}(_intern(v), _t_{name})"
        else:
            value = "v" if plain_text else f"_h_{name}(v, _t_{name})"
        test = "v.strip()" if name in _FREE_TEXT else "(v := v.strip())"
        lines += [
            f"    v = cells[{index}]",
            "    if v is not None:",
            "        if v.__class__ is str:",
            f"            if {test}:",
            f"                kw[{name!r}] = {value}",
        ]
        if name in required:
            lines += ["            else:", "                raise _UnbuiltRowError"]
        lines += ["        else:", f"            kw[{name!r}] = _h_{name}(v, _t_{name})"]
        if name in required:
            lines += ["    else:", "        raise _UnbuiltRowError"]
    if required - set(last):
        lines.append("    raise _UnbuiltRowError  # a required column is missing")
    lines.append("    return _kind(**kw)")
    exec(compile("\n".join(lines), f"<socforst row builder {kind.__name__}>", "exec"), namespace)
    return cast(Callable[[Sequence[Any]], Any], namespace["build"])


def read_table(
    source: str,
    table: str,
    kind: type,
    header: Iterable[str],
    rows: Iterable[tuple[int, Mapping[str, Any]]] | Iterable[tuple[int, Sequence[Any]]],
    registry: DistrictRegistry | None = None,
    *,
    positional: bool = False,
) -> tuple[list[Any], list[RowError]]:
    """Structure rows into records of *kind*, collecting an error for every bad row.

    Args:
        source: The file or database, for the messages.
        table: The table's name, for the messages.
        kind: The record type.
        header: The columns the source has.
        rows: Each row's number as the user sees it, and its cells by column
            (or, with *positional*, its cells in the order of *header*).
        registry: The districts a ``district`` column may name (unknown codes are
            errors); Stockholm's built-in registry by default.
        positional: Whether each row is a sequence of cells in header order
            rather than a mapping. Such rows are structured by a function
            made for the header (:func:`row_builder`); a row it cannot build
            goes the detailed way, so the records and errors are the same.

    Returns:
        The records, and the errors; a caller that gets errors must not use the records.
    """
    header = [name.strip() for name in header]
    known = frozenset(columns_of(kind))
    unknown = [name for name in header if name and name not in known]
    if unknown:
        warnings.warn(
            f"{source}: {table}: ignoring unknown columns {', '.join(map(repr, unknown))}",
            UnknownColumnWarning,
            stacklevel=3,
        )
    missing = [name for name in required_columns(kind) if name not in header]
    if missing:
        return [], [
            RowError(source, table, None, name, "required column is missing") for name in missing
        ]
    records: list[Any] = []
    errors: list[RowError] = []
    seen_ids: dict[Any, int] = {}
    from socforst.dataset import ID_COLUMNS

    id_column = ID_COLUMNS.get(table)
    structure = fast_converter.structure
    names_district = "district" in known and table != "districts"
    if registry is None:
        registry = stockholm()
    required = required_columns(kind)
    codes = frozenset(registry.codes)  # a set lookup a row, not a method call
    build = row_builder(kind, tuple(header)) if positional else None
    with gc_paused():
        for number, row in rows:
            record: Any = None
            if build is not None:
                try:
                    record = build(cast(Sequence[Any], row))
                except Exception:
                    # The detailed way below says which cells are wrong.
                    row = dict(zip(header, cast(Sequence[Any], row), strict=False))
            if record is None:
                cells = _cells(cast(Mapping[str, Any], row), known)
                missing_cells = [name for name in required if name not in cells]
                if missing_cells:
                    errors += [
                        RowError(source, table, number, name, "is required but empty")
                        for name in missing_cells
                    ]
                    continue
                try:
                    record = structure(cells, kind)
                except Exception:
                    # Again with detailed validation, to say which fields are wrong.
                    try:
                        record = converter.structure(cells, kind)
                    except Exception as error:  # every failure becomes a RowError
                        errors += _row_errors(error, cells, source, table, number)
                        continue
            if id_column is not None:
                key = getattr(record, id_column)
                if key in seen_ids:
                    errors.append(
                        RowError(
                            source,
                            table,
                            number,
                            id_column,
                            f"repeats the id of row {seen_ids[key]}",
                        )
                    )
                    continue
                seen_ids[key] = number
            if names_district and record.district not in codes:
                try:
                    registry.get(record.district)
                except UnknownDistrictError as unknown:
                    errors.append(RowError(source, table, number, "district", str(unknown)))
                    continue
            records.append(record)
    return records, errors


def to_row(record: object) -> dict[str, str]:
    """A record as text cells of the data formats: ISO dates, ``|`` lists, empty for missing."""
    plain = converter.unstructure(record)
    cells: dict[str, str] = {}
    for name in columns_of(type(record)):
        value = plain.get(name)
        if value is None:
            cells[name] = ""
        elif isinstance(value, list):
            cells[name] = "|".join(str(v) for v in value)
        elif isinstance(value, bool):
            cells[name] = "true" if value else "false"
        else:
            cells[name] = str(value)
    return cells


def registry_with(source: str, districts: Iterable[Any]) -> tuple[DistrictRegistry, list[RowError]]:
    """Stockholm's registry with a dataset's districts added, or the error saying why not."""
    districts = list(districts)
    if not districts:
        return stockholm(), []
    try:
        return stockholm().updated(districts), []
    except RegistryError as error:
        return stockholm(), [RowError(source, "districts", None, None, str(error))]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a bulk load, and restore it after.

    Building a million records is dominated by the collector's passes over the
    new objects (MEASURED.md); none of them form cycles, so pausing is safe.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
