"""A dataset as a folder of Parquet files, one per table (``members.parquet``, ``reports.parquet``).

Parquet is the columnar file format that pandas, polars, DuckDB and Spark all
read and write: the format analysts move a city's extract between tools in.
Read and written with pyarrow; every file is optional, as in a CSV folder.

The exporter writes one file per table with a fixed Arrow schema taken from the
record classes (:func:`table_schema`): dates ``date32``, instants
``timestamp[us, tz=Europe/Stockholm]``, codes dictionary-encoded strings,
numbers ``int64`` and ``float64``, competencies ``list<string>``, and every
column present even when all its values are missing. The source reads what
pandas, polars and DuckDB write (strings of any Arrow layout, dates or
timestamps, integers or floats), and refuses, with the file, row and column,
anything it would have to guess: an id stored as a number (its leading zeros
are lost, and with them the check for a personnummer), a time of day in a date
column, binary data, a boolean. Values then go the same way as every other
source's (:func:`socforst.sources.rows.read_table`), so a bad value is reported
as in a CSV file, with every other problem of the load and nothing personal shown.

pyarrow is imported by the methods that read and write, not with this module.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import attrs

from socforst import cases
from socforst._atomic import atomic_write_bytes, make_folder, parse_mode, staged_writes
from socforst.arrow import (
    _DATE,
    _FLOAT,
    _INSTANT,
    _INT,
    _MICROSECOND,
    _TEXT,
    _UTC_EPOCH,
    _WORDS,
    Column,
    columns,
)
from socforst.arrow import table_schema as arrow_table_schema
from socforst.converters import FIRST_YEAR, LAST_YEAR
from socforst.dataset import TABLES, Dataset
from socforst.districts import DistrictRegistry
from socforst.errors import ExportError, LoadError, RowError, redact, shown
from socforst.ids import case_number_columns
from socforst.rules.base import EvaluatedDeadline
from socforst.sources import DEADLINE_COLUMNS
from socforst.sources.cells import first_unencodable
from socforst.sources.rows import (
    MAX_ERRORS,
    UnlistedError,
    close_table_name,
    column_names,
    columns_of,
    finish_load,
    gc_paused,
    read_table,
    registry_with,
)

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["SUFFIX", "ParquetExporter", "ParquetSource", "deadline_file_schema", "table_schema"]

SUFFIX = ".parquet"
"""Every table file's suffix, as in ``reports.parquet``."""


_BATCH_ROWS = 65_536
"""Rows converted to Python values at a time: a load holds one batch of cells, not a file."""

_ROW_GROUP_ROWS = 131_072
"""Rows in each row group written: a reader decodes one at a time (DuckDB writes 122,880)."""


_PANDAS_INDEX = re.compile(r"__index_level_\d+__")


def table_schema(table: str) -> pa.Schema:
    """The Arrow schema of a table as :class:`ParquetExporter` writes it.

    :func:`socforst.arrow.table_schema`: one field per column of the table's
    record type, in the order of the data formats: dates ``date32``;
    ``received_at`` and ``protection_assessed_at``
    ``timestamp[us, tz=Europe/Stockholm]``; enum columns, ``district``,
    ``task`` and ``reason`` dictionary-encoded strings; whole numbers
    ``int64``, other numbers ``float64``; ``competencies`` ``list<string>``;
    other text ``string``. A field is nullable where the column may be empty.

    Raises:
        KeyError: If *table* is no table of the data formats.

    Example:
        >>> from socforst.sources.parquet import table_schema
        >>> schema = table_schema("members")
        >>> str(schema.field("employed_from").type), str(schema.field("competencies").type)
        ('date32[day]', 'list<item: string>')
    """
    return arrow_table_schema(table)


def deadline_file_schema() -> pa.Schema:
    """The Arrow schema of ``deadlines.parquet``: the eight columns of the deadline output.

    ``kind``, ``district``, ``status`` and ``reference`` are dictionary-encoded;
    ``starts_on``, ``due_on`` and ``met_on`` are ``date32``, ``met_on`` null
    where the duty was not done by the day evaluated on. It is
    :func:`socforst.rules.table.deadline_schema` without ``exceptional_reason``
    (free text, which may name a person) and ``member_id``: what the data
    formats publish, not what ``RuleBook.evaluate_table`` returns.
    """
    import pyarrow as pa

    from socforst.rules.table import deadline_schema

    return pa.schema([field for field in deadline_schema() if field.name in DEADLINE_COLUMNS])


# -- reading -----------------------------------------------------------------------------------


@attrs.frozen
class ParquetSource:
    """Read a dataset from a folder of Parquet files; every file is optional.

    Each ``TABLE.parquet`` found is read with pyarrow, in batches, and its rows
    are checked like a CSV file's: every bad value is reported at once with
    the file, the row (counting the data rows from 1) and the column, never
    the value where it may be personal. Columns are matched by name; their
    order is free, unknown ones are ignored with a warning (the unnamed index
    column pandas writes, ``__index_level_0__``, silently), and which columns
    a case table had is kept (``Dataset.columns``): a column that is absent is
    unknown, not "not done".

    What each column takes, besides text in the form of the data formats
    (ISO dates, ``|``-separated competencies):

    - dates: ``date32``, ``date64``, or a timestamp without a time zone at
      midnight (pandas has no date type); any other time of day is an error;
    - ``received_at``, ``protection_assessed_at``: a timestamp of any unit,
      with a time zone or without one (then it is Stockholm local time), or a
      date (the start of that day);
    - numbers: integers, floats (``NaN`` is a missing value, as pandas
      writes one), decimals;
    - ``competencies``: a list of strings;
    - text, ids and codes: strings of any layout (``string``,
      ``large_string``, ``string_view``, dictionary-encoded). An id stored as a
      number is refused: its leading zeros are lost, and a personnummer
      without its leading zero no longer looks like one.

    A file that is not Parquet, or is damaged, and a ``TABLE.parquet`` folder
    (a partitioned dataset) are errors naming the file; a file whose name is
    close to a table's (``member.parquet``, ``Reports.parquet``) is an error
    suggesting the right name.

    Args:
        path: The folder.
        case_numbers: Id columns that hold case numbers numbered by date,
            accepted although some pass a personnummer's check digit
            (see :func:`socforst.ids.case_number_columns`).

    Example:
        >>> import socforst
        >>> source = socforst.open_source("parquet:my-extract")
        >>> source.path.name
        'my-extract'
    """

    path: Path = attrs.field(converter=Path)
    case_numbers: tuple[str, ...] = attrs.field(default=(), converter=column_names)

    def read(self) -> Dataset:
        """Read every table file found.

        Raises:
            LoadError: Listing every bad value of every file, and every broken
                reference between them; nothing is returned.
        """
        if not self.path.is_dir():
            reason = "does not exist" if not self.path.exists() else "is not a folder"
            raise LoadError(
                f"cannot read {redact(str(self.path))}",
                [RowError(str(self.path), "-", None, None, reason)],
            )
        with gc_paused(), case_number_columns(self.case_numbers):
            return self._read_tables()

    def _read_tables(self) -> Dataset:
        tables: dict[str, list[Any]] = {}
        places: dict[str, tuple[str, list[int]]] = {}
        columns: dict[str, tuple[str, ...]] = {}
        errors: list[RowError] = self._misnamed_files()
        registry = None
        found = False
        pending: set[str] = set()  # codes of districts rows that failed
        for table, kind in TABLES.items():  # districts come first: the others name them
            file = self.path / f"{table}{SUFFIX}"
            if file.is_dir():
                found = True
                errors.append(
                    RowError(
                        str(file),
                        table,
                        None,
                        None,
                        "is a folder (a partitioned dataset), not a file: socforst reads one "
                        "Parquet file per table; write the table as one file",
                    )
                )
            elif file.is_file():
                found = True
                numbers: list[int] = []
                records, problems, header = _read_file(
                    file, table, kind, registry, numbers, pending
                )
                tables[table] = records
                places[table] = (str(file), numbers)
                columns[table] = header
                errors += problems
            if table == "districts":
                registry, problems = registry_with(str(file), tables.get(table, ()))
                errors += problems
        if not found and not errors:
            errors.append(
                RowError(
                    str(self.path),
                    "-",
                    None,
                    None,
                    "holds none of the table files socforst reads ("
                    + ", ".join(f"{t}{SUFFIX}" for t in TABLES)
                    + ")",
                )
            )
        return cast(
            Dataset,
            finish_load(
                str(self.path), tables, errors, places=places, columns=columns, registry=registry
            ),
        )

    def _misnamed_files(self) -> list[RowError]:
        """An error for each ``.parquet`` file whose name is close to a table's but not one."""
        errors: list[RowError] = []
        names = [f"{table}{SUFFIX}" for table in TABLES]
        try:
            entries = sorted(os.listdir(self.path))
        except OSError:
            return errors
        for entry in entries:
            if entry in names or not entry.lower().strip().endswith(SUFFIX):
                continue
            close = close_table_name(entry, names)
            if close:
                errors.append(
                    RowError(
                        str(self.path / entry),
                        "-",
                        None,
                        None,
                        f"is not a table file socforst reads; did you mean {close}? "
                        "(file names are lower-case, as in the data formats)",
                    )
                )
        return errors


class _Problems:
    """The problems found in one file before its rows reach the row reader (mutable: collected).

    At most :data:`~socforst.sources.rows.MAX_ERRORS` are kept; the rest are counted.
    """

    def __init__(self, source: str, table: str) -> None:
        self.source = source
        self.table = table
        self.listed: list[RowError] = []
        self.unlisted = 0

    def add(self, row: int | None, column: str | None, reason: str) -> None:
        if len(self.listed) < MAX_ERRORS:
            self.listed.append(RowError(self.source, self.table, row, column, reason))
        else:
            self.unlisted += 1

    def merged(self, found: list[RowError], refused: frozenset[str]) -> list[RowError]:
        """These problems and the row reader's, in row order, at most MAX_ERRORS listed.

        A required column refused here as a whole is not given to the row
        reader: its complaint "required column is missing" would mislead, and is
        dropped (an optional one is read as empty, which the reader accepts).
        """
        unlisted = self.unlisted + sum(e.count for e in found if isinstance(e, UnlistedError))
        listed = [
            e
            for e in found
            if not isinstance(e, UnlistedError) and not (e.column in refused and e.row is None)
        ]
        listed += self.listed
        listed.sort(key=lambda e: e.row or 0)
        unlisted += len(listed[MAX_ERRORS:])
        del listed[MAX_ERRORS:]
        if unlisted:
            listed.append(UnlistedError(self.source, self.table, unlisted))
        return listed


Converter = Callable[[Any], tuple[list[Any], list[tuple[int, str]]]]
"""Turns one batch of a column into Python cells, and the cells it refuses (index, reason)."""


def _read_file(
    file: Path,
    table: str,
    kind: type,
    registry: DistrictRegistry | None,
    numbers: list[int],
    pending: set[str],
) -> tuple[list[Any], list[RowError], tuple[str, ...]]:
    """One table file's records, its problems, and its columns."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    source = str(file)
    problems = _Problems(source, table)
    try:
        handle = file.open("rb")
    except OSError as error:
        reason = f"cannot be read: {error.strerror}"
        return [], [RowError(source, table, None, None, reason)], ()
    with handle:
        try:
            parquet = pq.ParquetFile(handle)
            schema = parquet.schema_arrow
        except (pa.ArrowException, OSError, ValueError) as error:
            # Arrow's own text is not repeated: a damaged file's may quote its bytes.
            what = "is empty (0 bytes)" if _size(handle) == 0 else "is not a Parquet file"
            reason = f"{what}, or is damaged ({type(error).__name__}); socforst reads Parquet files"
            return [], [RowError(source, table, None, None, reason)], ()
        ignored = _pandas_index_columns(schema)
        header = [name for name in schema.names if name not in ignored]
        indices = [index for index, name in enumerate(schema.names) if name not in ignored]
        fields = {column.name: column for column in columns(kind)}
        converters: list[Converter | None] = []
        refused: set[str] = set()
        for index, name in zip(indices, header, strict=True):
            arrow_type = schema.field(index).type
            column = fields.get(name.strip())
            if column is None:
                converters.append(_present if not name.strip() else None)
                continue
            reader = _reader(column, arrow_type)
            if isinstance(reader, str):
                problems.add(None, column.name, reader)
                refused.add(column.name)
                converters.append(None)
            else:
                converters.append(reader)
        required = {c.name for c in columns(kind) if c.name in refused and not c.nullable}
        # A refused required column is left out, so that its complaint is the one above.
        read_header = [name for name in header if name.strip() not in required]
        kept = [
            (index, convert)
            for index, name, convert in zip(indices, header, converters, strict=True)
            if name.strip() not in required
        ]
        rows = _rows(parquet, kept, read_header, problems)
        try:
            records, found = read_table(
                source,
                table,
                kind,
                read_header,
                rows,
                registry,
                positional=True,
                numbers=numbers,
                failed_ids=pending if table == "districts" else None,
                pending_codes=pending,
            )
        except _UnreadableColumnError as error:
            reason = (
                f"holds values that cannot be read ({error.kind}), such as text that is not "
                "UTF-8; the file may be damaged"
            )
            return [], [RowError(source, table, None, error.column, reason)], tuple(header)
        except (pa.ArrowException, OSError) as error:
            reason = f"is damaged: its data cannot be read ({type(error).__name__})"
            return [], [RowError(source, table, None, None, reason)], tuple(header)
    return records, problems.merged(found, frozenset(refused)), tuple(header)


def _size(handle: Any) -> int:
    try:
        return os.fstat(handle.fileno()).st_size
    except OSError:  # pragma: no cover - a descriptor just opened
        return -1


def _pandas_index_columns(schema: Any) -> frozenset[str]:
    """The unnamed index columns pandas wrote (``__index_level_0__``): not data, ignored."""
    metadata = schema.metadata or {}
    try:
        described = json.loads(metadata[b"pandas"])
        names = described["index_columns"]
    except (KeyError, ValueError, TypeError):
        return frozenset()
    if not isinstance(names, list):
        return frozenset()
    return frozenset(
        name for name in names if isinstance(name, str) and _PANDAS_INDEX.fullmatch(name)
    )


def _rows(
    parquet: Any,
    columns: Sequence[tuple[int, Converter | None]],
    header: Sequence[str],
    problems: _Problems,
) -> Iterator[tuple[int, Sequence[Any]]]:
    """Each good row's cells in header order, numbered from 1; one batch converted at a time.

    A row with a cell refused here (a time of day in a date column, a year
    outside the legal calendar) is added to *problems* and not given to the
    row reader, so that it is not reported twice.

    Raises:
        _UnreadableColumnError: If a column's values cannot be turned into Python values.
    """
    number = 0
    for batch in parquet.iter_batches(batch_size=_BATCH_ROWS):
        size = batch.num_rows
        cells: list[Sequence[Any]] = []
        bad: set[int] = set()
        for (index, convert), name in zip(columns, header, strict=True):
            if convert is None:
                cells.append(_NONE_ROWS[:size] if size <= len(_NONE_ROWS) else [None] * size)
                continue
            try:
                values, refused = convert(batch.column(index))
            except (ValueError, OverflowError, ArithmeticError) as error:
                raise _UnreadableColumnError(name.strip(), type(error).__name__) from None
            for offset, reason in refused:
                problems.add(number + offset + 1, name.strip(), reason)
                bad.add(offset)
            cells.append(values)
        rows: Iterable[Sequence[Any]] = zip(*cells, strict=True) if cells else [()] * size
        for offset, row in enumerate(rows):
            if offset not in bad:
                yield number + offset + 1, row
        number += size


class _UnreadableColumnError(Exception):
    """A column whose values pyarrow cannot turn into Python values (text that is not UTF-8)."""

    def __init__(self, column: str, kind: str) -> None:
        super().__init__(column)
        self.column = column
        self.kind = kind


_NONE_ROWS: list[None] = [None] * _BATCH_ROWS


def _reader(column: Column, arrow_type: Any) -> Converter | str:
    """How a file's column of *arrow_type* is read into *column*, or why it cannot be."""
    import pyarrow as pa

    value_type = arrow_type.value_type if pa.types.is_dictionary(arrow_type) else arrow_type
    if pa.types.is_null(value_type):
        return _nulls
    if _is_string(value_type):
        return _strings
    holds = column.holds
    if holds == _DATE:
        if pa.types.is_date(value_type):
            return _dates
        if pa.types.is_timestamp(value_type):
            if value_type.tz is not None:
                return (
                    f"holds timestamps with a time zone ({_tz_name(value_type.tz)}), not dates: a "
                    "timestamp is read as a date only at midnight (00:00) and without a time "
                    "zone; store the column as dates (date32)"
                )
            return _dates
    elif holds == _INSTANT:
        if pa.types.is_date(value_type) or pa.types.is_timestamp(value_type):
            return _instants
    elif holds in (_INT, _FLOAT):
        if (
            pa.types.is_integer(value_type)
            or pa.types.is_floating(value_type)
            or pa.types.is_decimal(value_type)
        ):
            return _numbers
    elif holds == _WORDS and _is_list(value_type):
        item = value_type.value_type
        if pa.types.is_dictionary(item):
            item = item.value_type
        if _is_string(item) or pa.types.is_null(item):
            return _words
        return (
            f"is stored as a list of {_type_name(item)} in the Parquet file, but holds words: "
            "store it as a list of strings, or as text with the words separated by '|'"
        )
    hint = _ID_HINT if holds == _TEXT and pa.types.is_integer(value_type) else ""
    return (
        f"is stored as {_type_name(value_type)} in the Parquet file, but holds {_WHAT[holds]}{hint}"
    )


_WHAT = {
    _TEXT: "text (an id, a code or a name): store it as a string column",
    _DATE: "dates: store it as dates (date32), or as ISO text YYYY-MM-DD",
    _INSTANT: "dates and times: store it as timestamps, or as ISO 8601 text",
    _INT: "whole numbers: store it as integers",
    _FLOAT: "numbers: store it as floats or integers",
    _WORDS: "words: store it as a list of strings, or as text with the words separated by '|'",
}

_ID_HINT = (
    "; an id stored as a number loses its leading zeros, and a personnummer without them "
    "is no longer recognised and refused (in polars: pl.col(name).cast(pl.String))"
)


def _is_string(arrow_type: Any) -> bool:
    import pyarrow as pa

    return bool(
        pa.types.is_string(arrow_type)
        or pa.types.is_large_string(arrow_type)
        or _type_test("is_string_view")(arrow_type)
    )


def _is_list(arrow_type: Any) -> bool:
    import pyarrow as pa

    return bool(
        pa.types.is_list(arrow_type)
        or pa.types.is_large_list(arrow_type)
        or pa.types.is_fixed_size_list(arrow_type)
        or _type_test("is_list_view")(arrow_type)
        or _type_test("is_large_list_view")(arrow_type)
    )


def _type_test(name: str) -> Callable[[Any], bool]:
    """``pyarrow.types.<name>``, or a test that is always false on a pyarrow without that type."""
    import pyarrow as pa

    test: Callable[[Any], bool] = getattr(pa.types, name, lambda _type: False)
    return test


def _type_name(arrow_type: Any) -> str:
    """An Arrow type for a message; a nested type by its kind alone (its field names are data)."""
    import pyarrow as pa

    if pa.types.is_struct(arrow_type):
        return "a struct"
    if pa.types.is_map(arrow_type):
        return "a map"
    if pa.types.is_union(arrow_type):
        return "a union"
    if _is_list(arrow_type):
        return "a list"
    if pa.types.is_boolean(arrow_type):
        return "booleans (true or false)"
    if pa.types.is_binary(arrow_type) or pa.types.is_large_binary(arrow_type):
        return "binary data"
    text = str(arrow_type)
    if re.fullmatch(r"[a-z0-9_\[\](), ]{1,40}", text):
        return text
    return "a type socforst does not read"


def _tz_name(zone: str) -> str:
    return zone if re.fullmatch(r"[A-Za-z0-9_+:/-]{1,40}", zone) else "a time zone"


def _decoded(array: Any) -> Any:
    import pyarrow as pa

    return array.dictionary_decode() if pa.types.is_dictionary(array.type) else array


def _nulls(array: Any) -> tuple[list[Any], list[tuple[int, str]]]:
    return [None] * len(array), []


def _present(array: Any) -> tuple[list[Any], list[tuple[int, str]]]:
    """A column without a name: whether each cell holds a value (the row reader refuses one)."""
    return ["x" if valid else None for valid in array.is_valid().to_pylist()], []


def _strings(array: Any) -> tuple[list[Any], list[tuple[int, str]]]:
    return _decoded(array).to_pylist(), []


def _numbers(array: Any) -> tuple[list[Any], list[tuple[int, str]]]:
    import pyarrow as pa
    import pyarrow.compute as pc

    array = _decoded(array)
    if pa.types.is_floating(array.type):
        # NaN is how pandas writes a missing number: a missing value, as an empty cell is.
        array = pc.if_else(pc.is_nan(array), pa.scalar(None, array.type), array)
    return array.to_pylist(), []


def _words(array: Any) -> tuple[list[Any], list[tuple[int, str]]]:
    cells: list[Any] = []
    for value in _decoded(array).to_pylist():
        if value is None:
            cells.append(None)
        else:
            cells.append([word.strip() for word in value if word is not None and word.strip()])
    return cells, []


def _dates(array: Any) -> tuple[list[Any], list[tuple[int, str]]]:
    """Dates: ``date32``, ``date64``, or a timestamp without a time zone at midnight."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array, refused = _in_calendar(_decoded(array))
    if pa.types.is_timestamp(array.type):
        midnight = pc.floor_temporal(array, unit="day")
        timed = pc.fill_null(pc.not_equal(midnight, array), False)
        if pc.any(timed).as_py():
            where = pc.indices_nonzero(timed)
            # Shown to the microsecond: Python's datetime holds no nanoseconds.
            times = array.take(where).cast(pa.timestamp("us"), safe=False).to_pylist()
            for offset, value in zip(where.to_pylist(), times, strict=True):
                refused.append(
                    (
                        offset,
                        f"is a date and time ({shown(value)}), not a date: a timestamp is read "
                        "as a date only at midnight (00:00) and without a time zone",
                    )
                )
        array = pc.if_else(timed, pa.scalar(None, pa.date32()), pc.cast(midnight, pa.date32()))
    elif pa.types.is_date64(array.type):
        array = array.cast(pa.date32(), safe=False)  # milliseconds within a day: the day
    return _python(array), refused


def _instants(array: Any) -> tuple[list[Any], list[tuple[int, str]]]:
    """Instants: timestamps with or without a time zone (then Stockholm's), or dates."""
    import pyarrow as pa

    array, refused = _in_calendar(_decoded(array))
    if not pa.types.is_timestamp(array.type):
        return _python(array.cast(pa.date32(), safe=False)), refused  # the start of the day
    # Python's datetime holds microseconds: nanoseconds are cut, never rounded up a day.
    # Without its time zone a timestamp keeps its numbers: UTC for an aware one.
    if array.type.tz is None:
        # Stockholm local time (DATA.md), as the record converts it.
        return _python(array.cast(pa.timestamp("us"), safe=False)), refused
    # Aware: microseconds after the epoch, in UTC. The epoch plus a timedelta makes an
    # aware datetime in one step, about twice as fast as datetime.replace(tzinfo=...).
    micros = array.cast(pa.timestamp("us", tz=array.type.tz), safe=False).view(pa.int64())
    numbers = micros.fill_null(0).to_numpy(zero_copy_only=False).tolist()
    epoch, delta = _UTC_EPOCH, dt.timedelta
    if not micros.null_count:
        return [epoch + delta(0, 0, number) for number in numbers], refused
    valid = micros.is_valid().to_numpy(zero_copy_only=False).tolist()
    return [
        epoch + delta(0, 0, number) if present else None
        for number, present in zip(numbers, valid, strict=True)
    ], refused


def _python(array: Any) -> list[Any]:
    """``date32`` or naive microsecond timestamps as Python values, converted by numpy in C.

    Each day is made once and shared by the rows that hold it, as the CSV
    source's date cache does: a day is 32 bytes a row otherwise.
    """
    import pyarrow as pa

    if not pa.types.is_date32(array.type):
        values: list[Any] = array.to_numpy(zero_copy_only=False).astype(object).tolist()
        return values
    encoded = array.dictionary_encode()
    days: list[Any] = encoded.dictionary.to_numpy(zero_copy_only=False).astype(object).tolist()
    days.append(None)  # index -1: a missing value
    indices = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).tolist()
    return [days[index] for index in indices]


_EPOCH = dt.date(1970, 1, 1)
_PER_DAY = {"s": 86_400, "ms": 86_400_000, "us": 86_400_000_000, "ns": 86_400_000_000_000}
# Python's dates run from year 1 to 9999; a day's margin keeps a local time zone inside them.
_FIRST_DAY = (dt.date(1, 1, 2) - _EPOCH).days
_LAST_DAY = (dt.date(9999, 12, 30) - _EPOCH).days
_CALENDAR = f"must be a date in {FIRST_YEAR}-{LAST_YEAR}, the years the legal calendar covers"


def _in_calendar(array: Any) -> tuple[Any, list[tuple[int, str]]]:
    """*array* with its days outside the legal calendar's years emptied, and those cells refused.

    Checked on the stored numbers first: a value no Python date can hold
    (year 20000) would otherwise make the conversion fail, and Arrow's year
    of it wraps around.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_date32(array.type):
        numbers, per_day = array.view(pa.int32()), 1
    elif pa.types.is_date64(array.type):
        numbers, per_day = array.view(pa.int64()), _PER_DAY["ms"]
    else:
        numbers, per_day = array.view(pa.int64()), _PER_DAY[array.type.unit]
    low, high = max(_FIRST_DAY * per_day, -(2**63)), min(_LAST_DAY * per_day, 2**63 - 1)
    wild = pc.fill_null(
        pc.or_(pc.less(numbers, pa.scalar(low)), pc.greater(numbers, pa.scalar(high))), False
    )
    if pc.any(wild).as_py():
        array = pc.if_else(wild, pa.scalar(None, array.type), array)
    years = pc.year(array)
    outside = pc.fill_null(pc.or_(pc.less(years, FIRST_YEAR), pc.greater(years, LAST_YEAR)), False)
    refused: list[tuple[int, str]] = []
    if pc.any(wild).as_py():
        refused += [
            (offset, f"{_CALENDAR}, got one {'before the year 1' if number < 0 else 'after 9999'}")
            for offset, number in zip(
                pc.indices_nonzero(wild).to_pylist(),
                numbers.filter(wild).to_pylist(),
                strict=True,
            )
        ]
    if pc.any(outside).as_py():
        refused += [
            (offset, f"{_CALENDAR}, got the year {year}")
            for offset, year in zip(
                pc.indices_nonzero(outside).to_pylist(),
                years.filter(outside).to_pylist(),
                strict=True,
            )
        ]
        array = pc.if_else(outside, pa.scalar(None, array.type), array)
    return array, refused


# -- writing -----------------------------------------------------------------------------------


def _is_case_table(table: str) -> bool:
    return TABLES[table].__module__ == cases.__name__


def _written_columns(dataset: Dataset, table: str) -> tuple[str, ...] | None:
    """The columns of *table* to write, or ``None`` when the table's source had no such table.

    A case-table column that the dataset's source did not have stays absent:
    written empty, it would read back as "not done" instead of unknown.
    """
    names = columns_of(TABLES[table])
    if not dataset.columns or not _is_case_table(table):
        return names
    if table not in dataset.columns:
        return None
    return tuple(name for name in names if dataset.has_column(table, name))


def _values(records: Sequence[Any], name: str, arrow_type: Any) -> list[Any]:
    """The values of the attribute *name* of *records*, as :func:`_arrow_array` takes them."""
    import pyarrow as pa

    values = [getattr(record, name) for record in records]
    if pa.types.is_dictionary(arrow_type):
        return [getattr(value, "value", value) for value in values]  # an enum: its value
    if pa.types.is_list(arrow_type):
        return [None if value is None else sorted(value) for value in values]
    if pa.types.is_timestamp(arrow_type):
        # Microseconds since the epoch: about four times as fast as pyarrow's own
        # conversion of aware datetimes, which asks each one's offset.
        return [None if value is None else (value - _UTC_EPOCH) // _MICROSECOND for value in values]
    return values


def _arrow_array(
    values: list[Any],
    arrow_type: Any,
    file: Path,
    table: str,
    column: str,
    problems: list[RowError],
) -> Any:
    """*values* as an Arrow array of *arrow_type*; text UTF-8 cannot hold is added to *problems*."""
    import pyarrow as pa

    if pa.types.is_timestamp(arrow_type):
        return pa.array(values, pa.int64()).cast(arrow_type)
    dictionary = pa.types.is_dictionary(arrow_type)
    try:
        array = pa.array(values, arrow_type.value_type if dictionary else arrow_type)
    except (UnicodeEncodeError, pa.ArrowInvalid):
        problems += _unencodable_cells(file, table, column, values)
        return None
    return array.dictionary_encode() if dictionary else array


def _unencodable_cells(file: Path, table: str, column: str, values: list[Any]) -> list[RowError]:
    """One error per cell of *values* that UTF-8 cannot hold (a lone surrogate); never the value."""
    found = []
    for row, value in enumerate(values, start=1):
        for text in value if isinstance(value, list) else [value]:
            if not isinstance(text, str):
                continue
            position = first_unencodable(text, "utf-8")
            if position is not None:
                found.append(
                    RowError(
                        str(file),
                        table,
                        row,
                        column,
                        f"holds a lone surrogate (U+{ord(text[position]):04X}, character "
                        f"{position + 1}) that UTF-8 cannot encode",
                    )
                )
                break
    return found


def _unencodable(target: Path, problems: list[RowError]) -> ExportError:
    described = problems[:MAX_ERRORS]
    values = "1 value" if len(problems) == 1 else f"{len(problems)} values"
    message = f"cannot write {target}: {values} cannot be encoded in UTF-8"
    if len(problems) > len(described):
        message += f" (the first {len(described)} are listed)"
    return ExportError(message + "; no file was replaced", described)


@attrs.frozen
class ParquetExporter:
    """Write a dataset, or deadlines, as Parquet files in a folder: all files, or none.

    One ``TABLE.parquet`` per table of the data formats, with the schema of
    :func:`table_schema`: every column present even when all its values are
    missing, so a reader sees the whole schema, and every table written (an
    empty one as its schema alone), so no stale file is left. Compressed with
    Snappy, which every Parquet reader knows.

    The one exception: a dataset read from a source keeps which columns its
    case tables had (``Dataset.columns``). A column the source did not have is
    left out, and a case table it did not have is not written (an earlier
    export's file of it is removed), so that what was unknown is read back as
    unknown, not as "not done".

    The files are written beside their final names and replace the old ones
    together (see :func:`socforst._atomic.staged_writes`): a failed or
    interrupted write leaves the old files whole. New files are ``0600`` and a
    new folder ``0700`` (the data is about children); a replaced file keeps
    its own mode; *mode* sets one for all.

    Args:
        path: The folder; it is created if missing.
        mode: The permissions of every file written (``0o640`` or ``"640"``).

    Raises:
        ValueError: If *mode* is not a permission mode.

    Example:
        >>> import socforst
        >>> exporter = socforst.open_exporter("parquet:copy", mode="640")
        >>> oct(exporter.mode)
        '0o640'
    """

    path: Path = attrs.field(converter=Path)
    mode: int | None = attrs.field(default=None, converter=parse_mode, kw_only=True)

    def write_dataset(self, dataset: Dataset) -> None:
        """Write one Parquet file per table; all are written aside before any replaces its old file.

        Raises:
            ExportError: Listing every text value UTF-8 cannot hold (a lone
                surrogate), by table, row and column, never the value; nothing
                is written.
            WriteError: If a file cannot be written or put in place; no file is
                replaced.
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        problems: list[RowError] = []
        files: list[tuple[Path, Any]] = []
        for table, records in dataset.tables():
            file = self.path / f"{table}{SUFFIX}"
            names = _written_columns(dataset, table)
            if names is None:
                files.append((file, None))
                continue
            schema = table_schema(table)
            fields = [schema.field(name) for name in names]
            arrays = [
                _arrow_array(
                    _values(records, field.name, field.type),
                    field.type,
                    file,
                    table,
                    field.name,
                    problems,
                )
                for field in fields
            ]
            if not problems:
                files.append((file, pa.Table.from_arrays(arrays, schema=pa.schema(fields))))
        if problems:
            raise _unencodable(self.path, problems)
        make_folder(self.path, mode=self.mode)
        with staged_writes(mode=self.mode) as staged:
            for file, arrow in files:
                if arrow is None:
                    staged.remove(file)
                else:
                    with staged.open_bytes(file) as handle:
                        pq.write_table(arrow, handle, row_group_size=_ROW_GROUP_ROWS)

    def write_deadlines(self, deadlines: Iterable[EvaluatedDeadline] | pa.Table) -> None:
        """Write ``deadlines.parquet`` with exactly the columns of the deadline output.

        Args:
            deadlines: Evaluated deadlines, or an Arrow table with (at least)
                the deadline output's columns, as ``RuleBook.evaluate_table``
                gives.

        Raises:
            ExportError: As :meth:`write_dataset`.
            ValueError: If an Arrow table lacks a column of the deadline output.
            WriteError: If the file cannot be written or put in place; the old
                one is left whole.
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        file = self.path / f"deadlines{SUFFIX}"
        schema = deadline_file_schema()
        if isinstance(deadlines, pa.Table):
            missing = [name for name in DEADLINE_COLUMNS if name not in deadlines.column_names]
            if missing:
                raise ValueError(
                    f"the deadline table has no column {', '.join(map(repr, missing))}; it "
                    f"needs the deadline output's columns: {', '.join(DEADLINE_COLUMNS)}"
                )
            arrow = deadlines.select(list(DEADLINE_COLUMNS)).cast(schema)
        else:
            rows = list(cast(Iterable[EvaluatedDeadline], deadlines))
            problems: list[RowError] = []
            arrays = [
                _arrow_array(
                    _values(rows, field.name, field.type),
                    field.type,
                    file,
                    "deadlines",
                    field.name,
                    problems,
                )
                for field in schema
            ]
            if problems:
                raise _unencodable(file, problems)
            arrow = pa.Table.from_arrays(arrays, schema=schema)
        make_folder(self.path, mode=self.mode)
        with atomic_write_bytes(file, mode=self.mode) as handle:
            pq.write_table(arrow, handle)
