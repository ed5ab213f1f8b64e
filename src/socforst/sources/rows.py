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
import difflib
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

from socforst.converters import FIRST_YEAR, LAST_YEAR, converter, fast_converter
from socforst.districts import DistrictRegistry, stockholm
from socforst.errors import (
    LoadError,
    ParseError,
    PersonalIdentityNumberError,
    RegistryError,
    RowError,
    SocforstError,
    UnknownDistrictError,
    ValidationError,
    redact,
    shown,
    shown_column,
)

__all__ = [
    "MAX_ERRORS",
    "UnknownColumnWarning",
    "UnlistedError",
    "close_table_name",
    "column_names",
    "columns_of",
    "finish_load",
    "gc_paused",
    "read_table",
    "registry_with",
    "required_columns",
    "row_builder",
    "shown",
    "to_row",
]

MAX_ERRORS = 1000
"""The errors of one load kept and listed; beyond them only a count is kept.

An extract whose every row is bad (dates written ``DD/MM/YYYY``) would
otherwise hold an error object per row: memory is bounded by this number."""
_LIST_FIELDS = frozenset({"competencies"})
# Free text is kept as written (a name may be padded); every other cell is stripped.
_FREE_TEXT = frozenset({"name", "exceptional_reason"})
_SHARED_FIELDS = frozenset(
    {"district", "team_id", "kind", "status", "basis", "reason", "task", "topic"}
)


_CASE_TABLES = frozenset(
    {
        "reports",
        "investigations",
        "extensions",
        "placements",
        "reviews",
        "custodies",
        "restrictions",
    }
)


class UnlistedError(RowError):
    """The problems of a load beyond :data:`MAX_ERRORS`: their count, not them.

    Attributes:
        count: How many problems are not listed.
    """

    def __init__(self, source: str, table: str, count: int) -> None:
        self.count = count
        super().__init__(source, table, None, None, f"and {count} more problems not listed")


class UnknownColumnWarning(UserWarning):
    """A source has a column the data formats do not define; it is ignored."""


def close_table_name(name: str, tables: Iterable[str], *, cutoff: float = 0.8) -> str | None:
    """The one of *tables* that *name* is a near miss of (``Members``, ``member``), if any.

    Every source refuses such a name instead of silently reading an empty
    table; each names the place (a file, a sheet, a key, a database table) in
    its own words. Case, outer blanks and blanks inside are ignored.
    """
    guess = name.casefold().strip().replace(" ", "")
    close = difflib.get_close_matches(guess, list(tables), n=1, cutoff=cutoff)
    return close[0] if close else None


def column_names(value: str | Iterable[str]) -> tuple[str, ...]:
    """Column names given as an option: a sequence, or text separated by commas.

    Sources take their ``case_numbers`` option through it, so that
    ``--source-option case_numbers=report_id,investigation_id`` works as the
    Python ``case_numbers=("report_id", "investigation_id")`` does.
    """
    if isinstance(value, str):
        return tuple(word.strip() for word in value.split(",") if word.strip())
    return tuple(value)


def columns_of(kind: type) -> tuple[str, ...]:
    """The columns of a record type: its field names, in order."""
    return tuple(field.name for field in attrs.fields(kind) if field.init)


def required_columns(kind: type) -> tuple[str, ...]:
    """The columns a table of *kind* must have: the fields without a default."""
    return tuple(
        field.name for field in attrs.fields(kind) if field.init and field.default is attrs.NOTHING
    )


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
    # Every message a validator or hook makes already shows values through the one
    # filter (socforst.errors.shown); only the cell itself is added here, filtered too.
    got = f", got {shown(value)}" if has_value else ""
    if isinstance(error, PersonalIdentityNumberError):
        return error.reason
    if enum_type is not None and not isinstance(error, SocforstError):
        allowed = ", ".join(repr(member.value) for member in enum_type)
        code = f", got {shown(value, code=True)}" if has_value else ""
        return f"must be one of {allowed}{code}"
    if isinstance(error, ParseError):
        text = str(error)
        return text if ", got " in text else f"{text}{got}"
    if isinstance(error, ValidationError):
        return error.reason
    if isinstance(error, SocforstError):
        return str(error)
    if isinstance(error, OverflowError):
        return f"is outside the dates socforst can compute with{got}"
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
def row_builder(
    kind: type, header: tuple[str, ...], restore_formulas: bool = False
) -> Callable[[Sequence[Any]], Any]:
    """A function that builds a *kind* record from one row's cells in *header* order.

    It applies the same value rules as the mapping path (an empty cell is a
    missing value, cells are stripped except free text, lists are ``|``-separated,
    codes are shared) and the same structuring hooks of :data:`~socforst.converters.fast_converter`,
    without a dict per row and cattrs' dispatch: the source text is made once
    per record type and header, as cattrs makes its own structuring functions.
    It raises on any row it cannot build (a short row, an empty required cell,
    a bad value); :func:`read_table` then takes the detailed way for that row.
    With *restore_formulas*, a text cell that socforst's CSV export neutralised
    (``'=1+1``) is read back as it was (:func:`~socforst.sources.cells.restore_formula`).
    """
    from socforst.sources.cells import restore_formula, text_columns

    texts = text_columns(kind) if restore_formulas else frozenset()
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
        "_restore": restore_formula,
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
            # The hook checks the year against the legal calendar; the shortcut
            # compares the text's year, which ISO 8601 puts first.
            value = (
                f"(_fromiso(v) if _isodate(v) and '{FIRST_YEAR:04d}' <= v[:4] <= '{LAST_YEAR:04d}'"
                f" else _h_{name}(v, _t_{name}))"
            )
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
        ]
        if name in texts:
            lines.append('                if v[0] == "\'": v = _restore(v)')
        lines += [
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
    numbers: list[int] | None = None,
    restore_formulas: bool = False,
    failed_ids: set[str] | None = None,
    pending_codes: Iterable[str] = (),
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
        numbers: A list to which the row number of each record is appended, in
            the order of the records (for :func:`finish_load`'s messages).
        restore_formulas: Whether text cells neutralised against formula
            injection by socforst's CSV export (``'=1+1``) are read back as
            they were (CSV sources).
        failed_ids: A set to which the id cell of every row that failed is
            added (for ``districts``: the codes its bad rows were to add).
        pending_codes: District codes of rows that failed in ``districts``: a
            record naming one is not reported again as naming an unknown
            district, since the one cause is reported already.

    Returns:
        The records, and the errors; a caller that gets errors must not use the records.
    """
    header = [name.strip() for name in header]
    known = frozenset(columns_of(kind))
    problems = header_problems(source, table, kind, header)
    if problems:
        return [], problems
    unknown = [(index, name) for index, name in enumerate(header) if name and name not in known]
    if unknown:
        # Header cells are values too: an extract without a header row has a
        # person's number or name here. Each is shown only through the filter.
        described = ", ".join(
            f"column {index + 1} ({shown_column(name)})" for index, name in unknown[:10]
        )
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        warnings.warn(
            f"{redact(source)}: {table}: ignoring {len(unknown)} unknown "
            f"column{'s' if len(unknown) != 1 else ''}: {described}{more}",
            UnknownColumnWarning,
            stacklevel=3,
        )
    missing = [name for name in required_columns(kind) if name not in header]
    if missing:
        return [], [
            RowError(source, table, None, name, "required column is missing") for name in missing
        ]
    # Columns with no name must hold nothing: a value there would be lost.
    nameless = [index for index, name in enumerate(header) if not name]
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
    codes = frozenset(registry.codes) | frozenset(pending_codes)  # a set lookup a row
    build = row_builder(kind, tuple(header), restore_formulas) if positional else None
    if restore_formulas:
        from socforst.sources.cells import restore_formula, text_columns

        texts = text_columns(kind)
    seen = 0  # errors found, also those beyond MAX_ERRORS that are counted, not kept
    listed = 0  # errors in the list after the last tally
    with gc_paused():
        for number, row in rows:
            if len(errors) != listed:
                listed, seen = _tally(errors, listed, seen)
            record: Any = None
            if nameless:
                stray = _nameless_value(row, nameless, positional)
                if stray is not None:
                    errors.append(
                        RowError(
                            source,
                            table,
                            number,
                            None,
                            f"has a value under column {stray + 1}, which has no name in "
                            "the header; name the column or remove the value",
                        )
                    )
                    continue
            if build is not None:
                try:
                    record = build(cast(Sequence[Any], row))
                except Exception:
                    # The detailed way below says which cells are wrong.
                    row = dict(zip(header, cast(Sequence[Any], row), strict=False))
            if record is None:
                cells = _cells(cast(Mapping[str, Any], row), known)
                if restore_formulas:
                    for name in texts & cells.keys():
                        if isinstance(cells[name], str):
                            cells[name] = restore_formula(cells[name])
                        elif isinstance(cells[name], list):
                            cells[name] = [restore_formula(w) for w in cells[name]]
                missing_cells = [name for name in required if name not in cells]
                if missing_cells:
                    errors += [
                        RowError(source, table, number, name, "is required but empty")
                        for name in missing_cells
                    ]
                    _note_failed(failed_ids, cells, id_column)
                    continue
                try:
                    record = structure(cells, kind)
                except Exception:
                    # Again with detailed validation, to say which fields are wrong.
                    try:
                        record = converter.structure(cells, kind)
                    except Exception as error:  # every failure becomes a RowError
                        errors += _row_errors(error, cells, source, table, number)
                        del error
                        _note_failed(failed_ids, cells, id_column)
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
            if numbers is not None:
                numbers.append(number)
    listed, seen = _tally(errors, listed, seen)
    if seen > len(errors):
        errors.append(UnlistedError(source, table, seen - len(errors)))
    return records, errors


def finish_load(
    source: str,
    tables: Mapping[str, Sequence[Any]],
    errors: Sequence[RowError],
    *,
    places: Mapping[str, tuple[str, Sequence[int]]] | None = None,
    columns: Mapping[str, Iterable[str]] | None = None,
    registry: DistrictRegistry | None = None,
) -> Any:
    """The dataset of a load, or one :class:`~socforst.errors.LoadError` with every problem found.

    Every source ends its load here, so that every format is checked the same
    way: the row errors the source found, then the references between tables
    and the orders of dates across them (:func:`socforst.integrity.problems`),
    all reported at once. A table with bad rows is left out of the checks
    across tables, so that one cause is not reported again by every record
    that names a row that failed. At most :data:`MAX_ERRORS` are listed, with
    a count of the rest.

    Args:
        source: The file, folder or database, for the message.
        tables: The records of each table read.
        errors: The row errors the source found.
        places: For each table, its file (or source) and each record's row number.
        columns: For each case table, the columns its source had: a duty whose
            completion column is absent is unknown, not "not done" (DATA.md).
        registry: The districts of the load (Stockholm's with the dataset's own).

    Raises:
        ~socforst.errors.LoadError: If there is any problem; nothing is returned then.
    """
    from socforst.dataset import Dataset
    from socforst.integrity import problems

    found = list(errors)
    # A table with bad rows is left out of the checks across tables: the records
    # its bad rows were to hold are missing, and every reference to them would
    # repeat the one cause already reported.
    failed = {error.table for error in errors}
    checked = {table: records for table, records in tables.items() if table not in failed}
    found += problems(checked, places or {}, None if "districts" in failed else registry)
    if found:
        listed = [e for e in found if not isinstance(e, UnlistedError)][:MAX_ERRORS]
        total = sum(e.count if isinstance(e, UnlistedError) else 1 for e in found)
        if total > len(listed):
            listed.append(UnlistedError(source, "-", total - len(listed)))
        plural = "s" if total != 1 else ""
        raise LoadError(f"{total} problem{plural} reading {redact(source)}", listed)
    known = {
        table: frozenset(name.strip() for name in names)
        for table, names in (columns or {}).items()
        if table in _CASE_TABLES
    }
    return Dataset(**tables, columns=known)


def _note_failed(failed_ids: set[str] | None, cells: Mapping[str, Any], column: str | None) -> None:
    if failed_ids is not None and column is not None and isinstance(cells.get(column), str):
        failed_ids.add(cells[column])


def header_problems(source: str, table: str, kind: type, header: Sequence[str]) -> list[RowError]:
    """What is wrong with a table's header as a whole: a known column written twice.

    A column twice would leave socforst to choose one of two values in every row;
    it refuses instead, naming the column and where both are. Unknown columns
    written twice are ignored like other unknown columns.
    """
    known = frozenset(columns_of(kind))
    first: dict[str, int] = {}
    problems: list[RowError] = []
    for index, name in enumerate(name.strip() for name in header):
        if name not in known:
            continue
        if name in first:
            problems.append(
                RowError(
                    source,
                    table,
                    1,
                    name,
                    f"appears twice in the header (columns {first[name] + 1} and {index + 1}); "
                    "keep one",
                )
            )
        else:
            first[name] = index
    return problems


def _nameless_value(
    row: Mapping[str, Any] | Sequence[Any], nameless: Sequence[int], positional: bool
) -> int | None:
    """The first column without a header name that holds a value in *row*, if any."""
    if positional:
        cells = cast(Sequence[Any], row)
        for index in nameless:
            if index < len(cells) and _has_value(cells[index]):
                return index
        return None
    value = cast(Mapping[str, Any], row).get("")
    return nameless[0] if _has_value(value) else None


def _has_value(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _tally(errors: list[RowError], listed: int, seen: int) -> tuple[int, int]:
    """Count the errors added since the last tally and keep at most MAX_ERRORS of all.

    Returns the new length of *errors* and the number of errors found so far.
    A failed row also leaves exception objects with tracebacks, which form
    cycles that only the cyclic collector frees; with it paused for a bulk
    load, an extract whose every row is bad grew by about 7.5 KB a row (F20).
    A young-generation pass every 256 errors frees them; the records already
    built move to an older generation once, so the passes cost little.
    """
    added = len(errors) - listed
    if (seen + added) // 256 != seen // 256:
        gc.collect(0)
    del errors[MAX_ERRORS:]
    return len(errors), seen + added


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
