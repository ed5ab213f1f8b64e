"""One type for every query's answer: rows by attribute, and a table for pandas, polars and DuckDB.

A :class:`Result` is a sequence of rows (frozen attrs rows or named tuples, as
the queries always gave) that is also an Apache Arrow table:
``result.to_arrow()``, ``result.to_pandas()``, ``result.to_polars()``, and the
Arrow PyCapsule stream protocol, so that ``polars.DataFrame(result)``,
``pyarrow.table(result)`` and DuckDB read it without a copy through Python
objects. In a notebook it shows as an HTML table; its ``repr`` is one short
line, never the rows. It compares equal to a tuple of the same rows, so code
written for the tuples the queries returned keeps working.

The rows and the table are each built once, on first use, from the other.

Example:
    >>> import datetime as dt
    >>> import socforst
    >>> from socforst import queries
    >>> city = socforst.open_source("demo").read()
    >>> found = queries.deadlines_on(city, dt.date(2025, 3, 3), district="farsta")
    >>> found
    Result(deadlines_on: 15 rows x 10 columns)
    >>> found[0].kind, found.to_arrow().num_rows
    ('investigation', 15)
"""

from __future__ import annotations

import datetime as dt
import enum
import html
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

import attrs

if TYPE_CHECKING:
    from collections.abc import Sequence as _RowSequence

    import pyarrow as pa

__all__ = ["Result", "arrow_schema"]

R = TypeVar("R")

if not TYPE_CHECKING:

    class _RowSequence(Generic[R]):
        """At run time not a ``collections.abc.Sequence`` (see :class:`Result`); to mypy one."""


_HTML_ROWS = 20
"""How many rows a notebook shows before saying how many more there are."""


def _arrow_type(annotation: Any) -> Any:
    """The Arrow type of a row field's annotation (str, int, float, bool, date, optional)."""
    import pyarrow as pa

    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _arrow_type(inner)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return pa.string()
    if annotation is bool:
        return pa.bool_()
    if annotation is int:
        return pa.int64()
    if annotation is float:
        return pa.float64()
    if annotation is dt.date:
        return pa.date32()
    return pa.string()


def arrow_schema(row_type: type) -> pa.Schema:
    """The Arrow schema of an attrs row class or a named tuple, from its annotations.

    ``str`` and enums are strings, ``int`` ``int64``, ``float`` ``float64``,
    ``bool`` booleans, ``datetime.date`` ``date32``; ``X | None`` is nullable.
    """
    import pyarrow as pa

    hints = typing.get_type_hints(row_type)
    if attrs.has(row_type):
        names = [field.name for field in attrs.fields(row_type)]
    else:
        names = list(row_type._fields)  # type: ignore[attr-defined]
    return pa.schema([pa.field(name, _arrow_type(hints.get(name, str))) for name in names])


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


@attrs.define(eq=False, repr=False)
class Result(_RowSequence[R]):
    """The answer of a query: a sequence of rows, and the same as an Arrow table.

    Build one with :meth:`from_rows` or :meth:`from_arrow`. Rows are
    reached by index or by iteration, and their values by attribute
    (``result[0].district``). It is deliberately not registered as a
    ``collections.abc.Sequence``: dataframe libraries would then read it as a
    list of row objects (one column of objects) instead of through its Arrow
    stream (``__arrow_c_stream__``), which keeps every column and type.

    Args:
        name: What was asked (``compliance``), for the ``repr`` and notebooks.
        row_type: The rows' class: a frozen attrs class or a named tuple.
        notes: Sentences a reader needs with the figures (assumptions, months
            not final), shown in notebooks.
    """

    name: str
    row_type: type
    notes: tuple[str, ...] = ()
    _rows: tuple[R, ...] | None = attrs.field(default=None, alias="_rows")
    _table: Any = attrs.field(default=None, alias="_table")

    @classmethod
    def from_rows(
        cls, name: str, row_type: type[R], rows: Sequence[R], notes: Sequence[str] = ()
    ) -> Result[R]:
        """A result of rows already made; the table is built when first asked for."""
        return cls(name, row_type, tuple(notes), _rows=tuple(rows))

    @classmethod
    def from_arrow(
        cls, name: str, row_type: type[R], table: pa.Table, notes: Sequence[str] = ()
    ) -> Result[R]:
        """A result of an Arrow table whose columns are *row_type*'s fields, in order.

        The rows are built when first asked for; a column that holds an
        enum's values (``status``) becomes that enum if the field says so.
        """
        return cls(name, row_type, tuple(notes), _table=table)

    # -- rows --------------------------------------------------------------------------------

    @property
    def rows(self) -> tuple[R, ...]:
        """The rows, built from the table on first use."""
        if self._rows is None:
            self._rows = tuple(self._build_rows())
        return self._rows

    def _build_rows(self) -> Iterator[R]:
        hints = typing.get_type_hints(self.row_type)
        names = list(self.columns)
        converters = {}
        for name in names:
            hint = hints.get(name)
            kinds = [hint, *typing.get_args(hint)] if hint is not None else []
            for kind in kinds:
                if isinstance(kind, type) and issubclass(kind, enum.Enum):
                    converters[name] = kind
        for record in self._table.to_pylist():
            for name, convert in converters.items():
                value = record[name]
                if value is not None:
                    record[name] = convert(value)
            yield self.row_type(**record)

    def __len__(self) -> int:
        return len(self._rows) if self._rows is not None else int(self._table.num_rows)

    def __iter__(self) -> Iterator[R]:
        return iter(self.rows)

    @overload
    def __getitem__(self, index: int) -> R: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[R, ...]: ...

    def __getitem__(self, index: int | slice) -> R | tuple[R, ...]:
        return self.rows[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Result):
            return self.rows == other.rows
        if isinstance(other, tuple | list):
            return self.rows == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    # -- the table ---------------------------------------------------------------------------

    @property
    def columns(self) -> tuple[str, ...]:
        """The column names, the rows' field names in order."""
        if self._table is not None:
            return tuple(self._table.column_names)
        if attrs.has(self.row_type):
            return tuple(field.name for field in attrs.fields(self.row_type))
        return tuple(self.row_type._fields)  # type: ignore[attr-defined]

    def to_arrow(self) -> pa.Table:
        """The result as an Apache Arrow table (built once)."""
        if self._table is None:
            import pyarrow as pa

            schema = arrow_schema(self.row_type)
            names = schema.names
            if attrs.has(self.row_type):
                values = [[_plain(getattr(row, n)) for row in self.rows] for n in names]
            else:
                values = [[_plain(v) for v in column] for column in zip(*self.rows, strict=True)]
                if not values:
                    values = [[] for _ in names]
            self._table = pa.table(
                [pa.array(v, field.type) for v, field in zip(values, schema, strict=True)],
                schema=schema,
            )
        return self._table

    def to_pandas(self, **options: Any) -> Any:
        """The result as a pandas DataFrame (pandas must be installed).

        *options* go to ``pyarrow.Table.to_pandas``: ``types_mapper=pandas.ArrowDtype``
        keeps days as ``date32[pyarrow]`` instead of ``object`` columns of dates.
        """
        return self.to_arrow().to_pandas(**options)

    def to_polars(self) -> Any:
        """The result as a polars DataFrame (polars must be installed)."""
        import polars

        return polars.from_arrow(self.to_arrow())

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """The Arrow PyCapsule stream protocol: ``polars.DataFrame(result)`` just works."""
        return self.to_arrow().__arrow_c_stream__(requested_schema)

    # -- how it shows ------------------------------------------------------------------------

    def __repr__(self) -> str:
        rows = len(self)
        noun = "row" if rows == 1 else "rows"
        return f"Result({self.name}: {rows} {noun} x {len(self.columns)} columns)"

    def _repr_html_(self) -> str:
        """An HTML table of the first rows, for notebooks; every value escaped."""
        shown = self.rows[:_HTML_ROWS]
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = []
        for row in shown:
            values = self._values(row)
            cells = "".join(
                f"<td>{html.escape('' if v is None else str(_plain(v)))}</td>" for v in values
            )
            body.append(f"<tr>{cells}</tr>")
        more = len(self) - len(shown)
        caption = html.escape(f"{self.name}: {len(self)} rows")
        notes = "".join(f"<p>{html.escape(note)}</p>" for note in self.notes)
        tail = f"<p>… {more} more rows</p>" if more > 0 else ""
        return (
            f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>{tail}{notes}"
        )

    def as_dicts(self) -> list[Mapping[str, Any]]:
        """The rows as dicts of plain values (enums as their values)."""
        return [
            {c: _plain(v) for c, v in zip(self.columns, self._values(row), strict=True)}
            for row in self.rows
        ]

    def _values(self, row: Any) -> list[Any]:
        if attrs.has(self.row_type):
            return [getattr(row, c) for c in self.columns]
        return list(typing.cast("tuple[Any, ...]", row))
