"""The tables of the data formats as Apache Arrow tables, and back to records.

One schema per table (:func:`table_schema`): dates ``date32``; ``received_at``
and ``protection_assessed_at`` ``timestamp[us, tz=Europe/Stockholm]``; enum
columns, ``district``, ``task`` and ``reason`` dictionary-encoded strings;
whole numbers ``int64``, other numbers ``float64``; ``competencies``
``list<string>``; other text ``string``. The Parquet exporter writes it, a
:meth:`Dataset.from_arrow <socforst.dataset.Dataset.from_arrow>` holds its case
tables in it, and :func:`from_arrow` builds the records of a table that has
been validated already (without running each record's validators again).

pyarrow is imported by the functions, not by this module.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import types
import typing
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from socforst.cases import to_stockholm

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["TIME_ZONE", "from_arrow", "table_schema", "to_arrow"]

TIME_ZONE = "Europe/Stockholm"
"""The time zone of the instants (``received_at``, ``protection_assessed_at``)."""

_CODE_COLUMNS = frozenset({"district", "task", "reason"})
"""Text columns of a few values repeated on every row, beyond the enums: dictionary-encoded."""

_TEXT = "text"
_DATE = "date"
_INSTANT = "instant"
_INT = "int"
_FLOAT = "float"
_WORDS = "words"
_UTC_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)


@attrs.frozen
class Column:
    """A column of a record type: what it holds, whether it is a code, whether it may be empty.

    Args:
        name: The column's name, the record's field.
        holds: ``text``, ``date``, ``instant``, ``int``, ``float`` or ``words``.
        code: Whether the text is one of a few codes (dictionary-encoded).
        nullable: Whether the column may be empty.
        kind: The field's type inside ``X | None`` (an enum class, ``str``, ...).
    """

    name: str
    holds: str
    code: bool
    nullable: bool
    kind: Any = attrs.field(eq=False, repr=False)


def _unwrapped(hint: Any) -> tuple[Any, bool]:
    """The type inside ``X | None``, and whether ``None`` is allowed."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(members) == 1:
            return members[0], len(members) < len(typing.get_args(hint))
    return hint, False


@functools.cache
def columns(kind: type) -> tuple[Column, ...]:
    """The columns of the record type *kind*, in the order of its fields."""
    found = []
    for field in attrs.fields(attrs.resolve_types(kind)):
        if not field.init:
            continue
        base, nullable = _unwrapped(field.type)
        code = False
        if base is dt.datetime:
            holds = _INSTANT
        elif base is dt.date:
            holds = _DATE
        elif base is int:
            holds = _INT
        elif base is float:
            holds = _FLOAT
        elif typing.get_origin(base) in (frozenset, set, tuple, list):
            holds = _WORDS
        else:
            holds = _TEXT
            code = (isinstance(base, type) and issubclass(base, enum.Enum)) or (
                field.name in _CODE_COLUMNS
            )
        found.append(Column(field.name, holds, code, nullable, base))
    return tuple(found)


def arrow_type(column: Column) -> Any:
    """The Arrow type of a column (see the module)."""
    import pyarrow as pa

    if column.holds == _TEXT:
        return pa.dictionary(pa.int32(), pa.string()) if column.code else pa.string()
    return {
        _DATE: pa.date32(),
        _INSTANT: pa.timestamp("us", tz=TIME_ZONE),
        _INT: pa.int64(),
        _FLOAT: pa.float64(),
        _WORDS: pa.list_(pa.string()),
    }[column.holds]


def table_schema(table: str) -> pa.Schema:
    """The Arrow schema of a table of the data formats (``reports``, ``members``, ...).

    One field per column of the table's record type, in the order of the data
    formats; a field is nullable where the column may be empty.

    Raises:
        KeyError: If *table* is no table of the data formats.

    Example:
        >>> from socforst.arrow import table_schema
        >>> schema = table_schema("members")
        >>> str(schema.field("employed_from").type), str(schema.field("competencies").type)
        ('date32[day]', 'list<item: string>')
    """
    import pyarrow as pa

    from socforst.dataset import TABLES

    return pa.schema(
        [
            pa.field(column.name, arrow_type(column), nullable=column.nullable)
            for column in columns(TABLES[table])
        ]
    )


def values_of(records: Sequence[Any], column: Column) -> list[Any]:
    """The values of *column* in *records*, as Arrow takes them (enums as their values)."""
    values = [getattr(record, column.name) for record in records]
    if column.holds == _TEXT and column.code:
        return [getattr(value, "value", value) for value in values]
    if column.holds == _WORDS:
        return [None if value is None else sorted(value) for value in values]
    if column.holds == _INSTANT:
        # Microseconds since the epoch: about four times as fast as pyarrow's own
        # conversion of aware datetimes, which asks each one's offset.
        return [None if v is None else (v - _UTC_EPOCH) // _MICROSECOND for v in values]
    return values


def to_arrow(table: str, records: Sequence[Any]) -> pa.Table:
    """The records of *table* as an Arrow table of :func:`table_schema`."""
    import pyarrow as pa

    from socforst.dataset import TABLES

    schema = table_schema(table)
    arrays = []
    for column, field in zip(columns(TABLES[table]), schema, strict=True):
        values = values_of(records, column)
        if column.holds == _INSTANT:
            arrays.append(pa.array(values, pa.int64()).cast(field.type))
        elif pa.types.is_dictionary(field.type):
            arrays.append(pa.array(values, pa.string()).dictionary_encode())
        else:
            arrays.append(pa.array(values, field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _python_values(array: Any, column: Column) -> list[Any]:
    """An Arrow column as Python values, by the fastest route for its type."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_dictionary(array.type):
        words = array.dictionary.to_pylist()
        if isinstance(column.kind, type) and issubclass(column.kind, enum.Enum):
            words = [column.kind(word) for word in words]
        indices = pc.fill_null(array.indices, -1).to_numpy(zero_copy_only=False)
        words.append(None)  # index -1: empty
        return [words[i] for i in indices.tolist()]
    if column.holds == _DATE:
        days = pc.cast(array, pa.date32()).to_numpy(zero_copy_only=False)
        return list(np.asarray(days, dtype="datetime64[D]").astype(object))
    if column.holds == _INSTANT:
        micros = pc.cast(pc.cast(array, pa.timestamp("us", tz="UTC")), pa.int64())
        epoch, one = _UTC_EPOCH, _MICROSECOND
        return [None if m is None else to_stockholm(epoch + one * m) for m in micros.to_pylist()]
    found: list[Any] = array.to_pylist()
    if column.holds == _WORDS:
        return [frozenset() if v is None else frozenset(v) for v in found]
    if isinstance(column.kind, type) and issubclass(column.kind, enum.Enum):
        convert = column.kind
        return [None if v is None else convert(v) for v in found]
    return found


def from_arrow(table: str, data: pa.Table) -> tuple[Any, ...]:
    """The records of an Arrow table of *table*, built without their validators.

    The table must hold valid values in :func:`table_schema`'s columns (an
    absent optional column is empty): a source that has validated them on
    columns builds its records here, and the records equal those the record
    class itself would build (its converters run; its validators do not).
    Codes become their enums, instants Stockholm time.

    Raises:
        KeyError: If *table* is no table of the data formats.
    """
    from socforst.dataset import TABLES

    kind = TABLES[table]
    present = set(data.column_names)
    rows = data.num_rows
    names = []
    values: list[list[Any]] = []
    for column in columns(kind):
        if column.name not in present:
            continue  # the field's default: empty
        names.append(column.name)
        values.append(_python_values(data.column(column.name), column))
    with attrs.validators.disabled():
        if not names:
            return tuple(kind() for _ in range(rows))
        return tuple(
            kind(**dict(zip(names, row, strict=True))) for row in zip(*values, strict=True)
        )
