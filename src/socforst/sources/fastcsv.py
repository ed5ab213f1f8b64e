"""The fast way to read a CSV folder: the case tables as Arrow columns, checked on columns.

:meth:`CsvSource.read <socforst.sources.csv.CsvSource.read>` tries
:func:`read_fast` first. It reads each case table (``reports.csv``,
``investigations.csv``, ...) with ``pyarrow.csv``, every cell as text, and
applies every rule of the row-by-row way to whole columns: the value rules of
:func:`socforst.sources.rows.read_table` (cells stripped except free text, an
empty cell missing, ids, personal identity numbers, district codes, enums, ISO
dates in the calendar's years, instants made Stockholm time as
:func:`socforst.cases.to_stockholm` makes them), the checks of the record
types (a placement that ends before it starts) and those of
:func:`socforst.integrity.problems` (references between tables, orders of
dates across them). The team side, a few thousand rows, is read the row-by-row
way, table by table. The result is a :meth:`Dataset.from_arrow
<socforst.dataset.Dataset.from_arrow>` whose case tables are Arrow tables.

It never reports a problem and never warns. Whenever anything is not plainly
valid (a cell that fails a check, an unknown, repeated or nameless column, a
cell that socforst's export neutralised as a formula, a quoted field Python's
``csv`` module would refuse, an empty file, an encoding or delimiter it does not
read, a ``districts.csv`` with rows, the ``case_numbers`` option) it returns
``None``, and the row-by-row way reads the folder and reports every problem as
it always has: file, row and column, nothing personal shown. So both ways give
equal datasets, and only the row-by-row way speaks.

pyarrow and numpy are imported when a folder is read, not with this module.
"""

from __future__ import annotations

import calendar
import codecs
import datetime as dt
import enum
import functools
import itertools
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from socforst._pin import contains_pin
from socforst._validate import MAX_TEXT, check_optional_str
from socforst.converters import FIRST_YEAR, LAST_YEAR
from socforst.dataset import ID_COLUMNS, TABLES, Dataset
from socforst.dates import check_date, check_optional_date
from socforst.districts import stockholm
from socforst.ids import check_code, check_id, check_optional_id
from socforst.integrity import REFERENCES, problems
from socforst.sources.rows import gc_paused, required_columns

if TYPE_CHECKING:
    from socforst.sources.csv import CsvSource

__all__ = ["read_fast"]

_TEAM_TABLES = (
    "districts",
    "teams",
    "members",
    "absences",
    "requests",
    "assignments",
    "staffing",
    "costs",
)
_CASE_TABLES = (
    "reports",
    "investigations",
    "extensions",
    "placements",
    "reviews",
    "custodies",
    "restrictions",
)

_ENCODINGS = frozenset({"utf-8", "utf-8-sig", "cp1252", "iso8859-1", "iso8859-15", "ascii"})
"""The encodings read here (as :func:`codecs.lookup` names them): UTF-8 and single-byte ones."""

_BOM = codecs.BOM_UTF8
_TIME_ZONE = "Europe/Stockholm"

# What a column holds, as far as the checks go.
_ID = "id"
_CODE = "code"
_ENUM = "enum"
_DATE = "date"
_INSTANT = "instant"
_TEXT = "text"

# Dates whose record type checks them against another field (an end before its
# start, a report counting as received after it arrived): each is checked here.
_ORDERED_DATES = frozenset(
    {
        ("reports", "counts_as_received_on"),
        ("investigations", "closed_on"),
        ("placements", "ended_on"),
        ("custodies", "ended_on"),
        ("restrictions", "ended_on"),
    }
)
# Free text is kept as written (rows._FREE_TEXT); every other cell is stripped.
_FREE_TEXT = frozenset({"name", "exceptional_reason"})
_LVU_BASES = ("lvu_2", "lvu_3", "lvu_2_3")
# The custody's later events, none before the decision (integrity._CUSTODY_EVENTS).
_CUSTODY_EVENTS = (
    "enforced_on",
    "submitted_to_court_on",
    "court_decided_on",
    "care_applied_on",
    "court_extension_decided_on",
    "court_extension_until",
    "ended_on",
)

_PIN_DIGITS = 10
"""The fewest digits a personnummer has."""

_BLOCK_BYTES = 8 << 20
"""The bytes of a file pyarrow parses at a time (in parallel): few chunks to join."""

_SECOND = 1_000_000
_MINUTE = 60 * _SECOND
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR


class _DeferError(Exception):
    """Something is not plainly valid: the row-by-row way reads the folder and says what."""


def read_fast(source: CsvSource) -> Dataset | None:
    """The dataset of *source*'s folder read on columns, or ``None`` to read it row by row.

    ``None`` whenever anything is not plainly valid, or is a case this way does
    not handle: the row-by-row way (:meth:`CsvSource.read
    <socforst.sources.csv.CsvSource.read>`) then reads the folder and reports
    every problem. Never raises for bad data and never warns.

    Args:
        source: The CSV source: its folder, delimiter, encoding and options.

    Returns:
        A dataset equal to the one the row-by-row way reads, with the same
        ``Dataset.columns``; its case tables are Arrow
        tables. ``None`` to defer.
    """
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - a dependency
        return None
    try:
        return _Reader(source).read()
    except (_DeferError, pa.ArrowException, OSError, UnicodeError, ValueError, ArithmeticError):
        # A file pyarrow cannot parse, a cell that cannot be decoded: the row-by-row
        # way says what is wrong, with the file, row and column.
        return None


def _defer_if(condition: Any) -> None:
    if bool(condition):
        raise _DeferError


@functools.cache
def _whitespace() -> str:
    """The characters :meth:`str.strip` strips (every one is below U+3001)."""
    return "".join(chr(code) for code in range(0x3001) if chr(code).isspace())


@attrs.frozen
class _Spec:
    """A column of a case table: what it holds, whether it is required, its codes or default."""

    name: str
    holds: str
    required: bool
    members: tuple[str, ...] = ()
    default: str | None = None


def _unwrapped(hint: Any) -> Any:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(members) == 1:
            return members[0]
    return hint


@functools.cache
def _specs(table: str) -> tuple[_Spec, ...]:
    """The columns of a case table, from its record type; a field it does not know defers."""
    specs = []
    for field in attrs.fields(attrs.resolve_types(TABLES[table])):
        if not field.init:
            continue
        base = _unwrapped(field.type)
        required = field.default is attrs.NOTHING
        if isinstance(base, type) and issubclass(base, enum.Enum):
            default = None
            if not required and field.default is not None:
                _defer_if(not isinstance(field.default, base))
                default = str(field.default.value)
            members = tuple(str(member.value) for member in base)
            specs.append(_Spec(field.name, _ENUM, required, members, default))
            continue
        if base is dt.datetime:
            holds = _INSTANT
        elif base is dt.date:
            _defer_if(
                field.validator not in (check_date, check_optional_date)
                and (table, field.name) not in _ORDERED_DATES
            )
            holds = _DATE
        elif base is str and field.validator in (check_id, check_optional_id):
            holds = _ID
        elif base is str and field.validator is check_code:
            holds = _CODE
        elif base is str and field.validator is check_optional_str:
            holds = _TEXT
        else:
            raise _DeferError  # a kind of column this way does not check
        _defer_if(not required and field.default is not None)
        specs.append(_Spec(field.name, holds, required))
    return tuple(specs)


@attrs.frozen
class _File:
    """A table file's text as UTF-8 bytes after the header line, and the header's names."""

    body: bytes
    names: tuple[str, ...]
    raw: tuple[str, ...]


class _Reader:
    """One fast read of a folder; any problem raises :class:`_DeferError`."""

    def __init__(self, source: CsvSource) -> None:
        self.source = source
        self.delimiter = source.delimiter
        _defer_if(
            source.case_numbers
            or not source.path.is_dir()
            or not self.delimiter.isascii()
            or set(TABLES) != set(_TEAM_TABLES) | set(_CASE_TABLES)
        )
        self.encoding = codecs.lookup(source.encoding).name
        _defer_if(self.encoding not in _ENCODINGS)

    def read(self) -> Dataset:
        source = self.source
        _defer_if(source._misnamed_files())
        files = {t: source.path / f"{t}.csv" for t in TABLES}
        present = [t for t, file in files.items() if file.is_file()]
        _defer_if(not present)
        registry = stockholm()
        team: dict[str, list[Any]] = {}
        places: dict[str, tuple[str, list[int]]] = {}
        with gc_paused():
            for table in _TEAM_TABLES:
                if table in present:
                    team[table], places[table] = self._team_table(files[table], table, registry)
        # A districts.csv with rows makes a registry of its own: the row-by-row way reads it.
        _defer_if(team.get("districts"))
        _defer_if(problems(team, places, registry))
        case: dict[str, _Columns] = {}
        columns: dict[str, frozenset[str]] = {}
        codes = frozenset(registry.codes)
        for table in _CASE_TABLES:
            if table in present:
                text = self._file(files[table], table)
                columns[table] = frozenset(text.names)
                case[table] = self._case_table(table, text, codes)
        _check_across(case, team)
        return Dataset.from_arrow(
            {name: columns.table() for name, columns in case.items()},
            columns=columns,
            **team,
        )

    # ---------------------------------------------------------------- files

    def _file(self, file: Path, table: str) -> _File:
        """The file's text as UTF-8 and its header, if plainly readable and known."""
        data = file.read_bytes()
        if self.encoding == "utf-8-sig" and data.startswith(_BOM):
            data = data[len(_BOM) :]  # as the codec does: one mark, at the start
        _defer_if(not data or b"\x00" in data)
        # UTF-8 is checked by pyarrow, every cell being read as text: a byte
        # sequence Python's codec refuses (as the row-by-row way would) defers.
        if self.encoding not in ("utf-8", "utf-8-sig") and not data.isascii():
            data = data.decode(self.encoding).encode("utf-8")
        ends = [at for at in (data.find(b"\n"), data.find(b"\r")) if at >= 0]
        end = min(ends) if ends else len(data)
        header = data[:end].decode("utf-8")
        _defer_if('"' in header)
        raw = header.split(self.delimiter)
        names = tuple(name.strip() for name in raw)
        known = {field.name for field in attrs.fields(TABLES[table]) if field.init}
        _defer_if(
            not all(names)
            or len(set(names)) != len(names)
            or not set(names) <= known
            or not set(required_columns(TABLES[table])) <= set(names)
        )
        return _File(data[end:], names, tuple(raw))

    def _team_table(self, file: Path, table: str, registry: Any) -> tuple[list[Any], Any]:
        """A team-side table read the row-by-row way; any problem defers."""
        self._file(file, table)  # the header must be known: no warning, nothing to report
        numbers: list[int] = []
        records, errors, _header = self.source._read_file(
            file, table, TABLES[table], registry, numbers, set()
        )
        _defer_if(errors)
        return records, (str(file), numbers)

    def _parsed(self, text: _File) -> Any:
        """The rows of a case table file, every cell as text (empty cells ``""``)."""
        import pyarrow as pa
        import pyarrow.csv as pv

        quoted = b'"' in text.body
        if quoted:
            self._check_quotes(text.body)
        raw = text.raw
        if not text.body.strip(b"\r\n"):
            return {name: _texts([]) for name in text.names}  # a header and nothing else
        parsed = pv.read_csv(
            pa.py_buffer(text.body),
            read_options=pv.ReadOptions(
                column_names=list(raw), encoding="utf8", block_size=_BLOCK_BYTES
            ),
            parse_options=pv.ParseOptions(delimiter=self.delimiter, newlines_in_values=quoted),
            convert_options=pv.ConvertOptions(
                column_types=dict.fromkeys(raw, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        return {
            name: parsed.column(index).combine_chunks() for index, name in enumerate(text.names)
        }

    def _check_quotes(self, body: bytes) -> None:
        """Defer unless every quoted field is one Python's ``csv`` reads (``strict=True``).

        pyarrow reads ``"a"b`` as ``ab`` and an unclosed quote to the end of
        the file; the row-by-row way refuses both. A field is quoted when its
        first character is ``"``; a doubled quote inside it is one quote; the
        closing quote is followed by the delimiter, a line break or the end.
        With every quote in such a field, the quotes alternate opening and
        closing (a doubled one closes and opens again at once), which is what
        is checked here, on all of them at once; a quote inside an unquoted
        field defers.
        """
        import numpy as np

        data = np.frombuffer(body, dtype=np.uint8)
        quotes = np.flatnonzero(data == ord('"'))
        _defer_if(len(quotes) % 2)
        opening, closing = quotes[0::2], quotes[1::2]
        ends = np.array([ord(self.delimiter), ord("\r"), ord("\n")], dtype=np.uint8)
        doubled = closing[:-1] + 1 == opening[1:]  # a closing quote right before the next
        before = data[np.maximum(opening - 1, 0)]
        starts_field = (opening == 0) | np.isin(before, ends)
        _defer_if(not np.all(starts_field | np.concatenate(([False], doubled))))
        after = data[np.minimum(closing + 1, len(data) - 1)]
        ends_field = (closing == len(data) - 1) | np.isin(after, ends)
        _defer_if(not np.all(ends_field | np.concatenate((doubled, [False]))))

    # ---------------------------------------------------------------- cells

    def _case_table(self, table: str, text: _File, codes: frozenset[str]) -> _Columns:
        """The columns of a case table in its schema's types, every cell checked."""
        import numpy as np
        import pyarrow as pa

        cells = self._parsed(text)
        rows = len(cells[text.names[0]])
        schema = _schema(table)
        columns = _Columns(table, rows)
        for spec in _specs(table):
            raw = cells.get(spec.name)
            if raw is None:  # an absent column: every cell empty
                if spec.default is not None:
                    zeros = _arrow(np.zeros(rows, np.int32), pa.int32())
                    array = pa.DictionaryArray.from_arrays(zeros, _texts([spec.default]))
                else:
                    array = pa.nulls(rows, schema.field(spec.name).type)
                columns.add_empty(spec.name, array)
            else:
                _column(spec, raw, codes, columns, schema.field(spec.name).type)
        _check_records(columns)
        return columns


# -------------------------------------------------------------------- columns


@functools.cache
def _schema(table: str) -> Any:
    from socforst.sources.parquet import table_schema

    return table_schema(table)


class _Columns:
    """A case table being read: its Arrow columns, and their days or instants as numbers.

    Args:
        name: The table (``reports``).
        rows: Its number of rows.
    """

    def __init__(self, name: str, rows: int) -> None:
        self.name = name
        self.rows = rows
        self.arrays: dict[str, Any] = {}
        self.numbers: dict[str, Any] = {}  # days or microseconds since 1970, 0 where empty
        self.given: dict[str, Any] = {}  # where a date or instant is given
        self.local_days: dict[str, Any] = {}  # the Stockholm day of each instant
        self.sorted_ids: Any = None  # the ids as fixed-width numpy bytes, if in increasing order

    def add(self, name: str, array: Any) -> None:
        """Add the column *name*."""
        self.arrays[name] = array

    def add_empty(self, name: str, array: Any) -> None:
        """Add the column *name*, absent from the file: nothing given in it."""
        import numpy as np

        self.arrays[name] = array
        self.given[name] = np.zeros(self.rows, bool)
        self.numbers[name] = self.local_days[name] = np.zeros(self.rows, np.int64)

    def table(self) -> Any:
        """The columns as one Arrow table of the table's schema."""
        import pyarrow as pa

        schema = _schema(self.name)
        return pa.Table.from_arrays([self.arrays[name] for name in schema.names], schema=schema)


def _column(spec: _Spec, raw: Any, codes: frozenset[str], columns: _Columns, kind: Any) -> None:
    """Add a column of text cells as *kind*, every cell checked; anything not plain defers."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    stripped, cells = _stripped(raw)
    given = cells.lengths > 0  # an empty (or blank) cell is a missing value
    _defer_if(spec.required and not given.all())
    if spec.holds == _TEXT:
        value = raw if spec.name in _FREE_TEXT else stripped
        # A cell socforst's export neutralised as a formula ('=1+1) is restored row by row.
        _defer_if(pc.any(pc.starts_with(stripped, "'")).as_py())
        _defer_if(not (cells if value is stripped else _Cells(value)).writable())
        _defer_if((pc.max(pc.utf8_length(value)).as_py() or 0) > MAX_TEXT)
        text = _or_null(value, given)
        columns.add(spec.name, text.dictionary_encode() if pa.types.is_dictionary(kind) else text)
    elif spec.holds == _ID:
        _defer_if((cells.lengths > _LONGEST_ID).any() or not cells.only(_ID_CHARACTERS))
        candidates = stripped.take(_arrow(cells.pin_rows(), pa.int64())).to_pylist()
        _defer_if(any(contains_pin(value) for value in candidates))
        columns.add(spec.name, _or_null(stripped, given))
    elif spec.holds in (_CODE, _ENUM):
        allowed = codes if spec.holds == _CODE else frozenset(spec.members)
        columns.add(spec.name, _codes(stripped, allowed, spec))
    elif spec.holds == _DATE:
        days = np.zeros(len(given), np.int64)
        for rows, length, matrix in cells.groups(given):
            _defer_if(length != _DATE_LENGTH)
            _check_layout(matrix, length)
            days[rows] = _days(matrix)
        columns.numbers[spec.name] = days
        columns.given[spec.name] = given
        columns.local_days[spec.name] = days
        array = _arrow(days.astype(np.int32), pa.date32(), given)
        columns.add(spec.name, array)
    else:
        _instants(spec.name, cells, given, columns)


def _stripped(raw: Any) -> tuple[Any, _Cells]:
    """The cells stripped as :meth:`str.strip` strips them, and their bytes."""
    import numpy as np
    import pyarrow.compute as pc

    cells = _Cells(raw)
    starts = cells.starts[cells.lengths > 0]
    if not len(starts) or cells.only(_VISIBLE):
        return raw, cells  # no blank and nothing beyond ASCII: nothing to strip
    ends = starts + cells.lengths[cells.lengths > 0] - 1
    if not _edge_bytes()[np.concatenate((cells.data[starts], cells.data[ends]))].any():
        return raw, cells  # no value starts or ends with a byte of a blank: nothing to strip
    stripped = pc.utf8_trim(raw, characters=_whitespace())
    return stripped, _Cells(stripped)


@functools.cache
def _edge_bytes() -> Any:
    """A table of 256 booleans: the bytes that may start or end a blank (any not ASCII)."""
    import numpy as np

    edges = np.zeros(256, bool)
    edges[[ord(c) for c in _whitespace() if c.isascii()]] = True
    edges[0x80:] = True
    return edges


def _or_null(array: Any, given: Any) -> Any:
    """*array* with a null where nothing is *given*."""
    import pyarrow as pa

    if given.all():
        return array
    _, offsets, data = array.buffers()
    return pa.Array.from_buffers(
        array.type, len(array), [_validity(given, array.offset), offsets, data], offset=array.offset
    )


def _codes(stripped: Any, allowed: frozenset[str], spec: _Spec) -> Any:
    """A column of codes, dictionary-encoded; an unknown code defers, an empty cell is missing."""
    import numpy as np
    import pyarrow as pa

    encoded = stripped.dictionary_encode()
    words = encoded.dictionary.to_pylist()
    _defer_if(any(word not in allowed for word in words if word))
    if "" not in words:
        return encoded
    kept = [word for word in words if word]
    if spec.default is not None and spec.default not in kept:
        kept.append(spec.default)
    fill = kept.index(spec.default) if spec.default is not None else -1
    remap = np.array([kept.index(word) if word else fill for word in words], dtype=np.int32)
    indices = remap[_numpy(encoded.indices)]
    return pa.DictionaryArray.from_arrays(_arrow(indices, pa.int32(), indices >= 0), _texts(kept))


# Arrays are made from their buffers: pa.array() imports pandas where it is
# installed (to ask whether its argument is a Series), a quarter of a second.


def _validity(given: Any, offset: int = 0) -> Any:
    """An Arrow validity bitmap of *given* (a numpy bool array), for an array at *offset*."""
    import numpy as np
    import pyarrow as pa

    if offset:
        given = np.concatenate((np.zeros(offset, bool), given))
    return pa.py_buffer(np.packbits(given, bitorder="little"))


def _arrow(values: Any, kind: Any, given: Any = None) -> Any:
    """A numpy array of fixed-width numbers as an Arrow array of *kind*, null where not *given*."""
    import numpy as np
    import pyarrow as pa

    values = np.ascontiguousarray(values)
    validity = None if given is None or given.all() else _validity(given)
    return pa.Array.from_buffers(kind, len(values), [validity, pa.py_buffer(values)])


def _texts(words: Sequence[str | None]) -> Any:
    """An Arrow string array of a few words (``None`` is null)."""
    import numpy as np
    import pyarrow as pa

    encoded = [(word or "").encode() for word in words]
    offsets = np.cumsum([0, *map(len, encoded)], dtype=np.int32)
    given = np.array([word is not None for word in words], bool)
    validity = None if given.all() else _validity(given)
    data = pa.py_buffer(b"".join(encoded))
    return pa.Array.from_buffers(pa.string(), len(words), [validity, pa.py_buffer(offsets), data])


def _numpy(array: Any) -> Any:
    """The values of an Arrow array of numbers or booleans as numpy (a null's slot as it is).

    Read from the buffers: ``Array.to_numpy`` imports pandas where it is installed.
    """
    import numpy as np
    import pyarrow as pa

    data = array.buffers()[1]
    if pa.types.is_boolean(array.type):
        bits = np.unpackbits(np.frombuffer(data, np.uint8), bitorder="little")
        return bits[array.offset : array.offset + len(array)].astype(bool)
    kind = {32: np.int32, 64: np.int64}[array.type.bit_width]
    return np.frombuffer(data, kind)[array.offset : array.offset + len(array)]


def _valid(array: Any) -> Any:
    """Where an Arrow array is not null, as numpy booleans."""
    import numpy as np

    validity = array.buffers()[0]
    if validity is None:
        return np.full(len(array), array.null_count == 0)
    bits = np.unpackbits(np.frombuffer(validity, np.uint8), bitorder="little")
    return bits[array.offset : array.offset + len(array)].astype(bool)


class _Cells:
    """The bytes of a string array's values, for checks on all of them at once (numpy).

    Args:
        array: An Arrow string array without nulls.
    """

    def __init__(self, array: Any) -> None:
        import numpy as np
        import pyarrow as pa

        width = np.int64 if pa.types.is_large_string(array.type) else np.int32
        _, offsets, data = array.buffers()
        bounds = np.frombuffer(offsets, width)[array.offset : array.offset + len(array) + 1]
        bounds = bounds.astype(np.int64)
        self.data: Any = (
            np.frombuffer(data, np.uint8) if data is not None else np.zeros(0, np.uint8)
        )
        self.first = int(bounds[0]) if len(bounds) else 0
        self.last = int(bounds[-1]) if len(bounds) else 0
        self.starts: Any = bounds[:-1]
        self.lengths: Any = np.diff(bounds)
        self._text: bytes | None = None

    @property
    def text(self) -> bytes:
        """The values' bytes, one after another (for the byte searches of :class:`bytes`)."""
        if self._text is None:
            self._text = self.data[self.first : self.last].tobytes()
        return self._text

    def only(self, allowed: bytes) -> bool:
        """Whether every byte of every value is one of *allowed*."""
        return not self.text.translate(None, allowed)

    def writable(self) -> bool:
        """Whether no value holds what :func:`socforst._validate.check_str` refuses.

        That is a control character other than tab, line feed and carriage
        return, or U+FFFE or U+FFFF (UTF-8 ``EF BF BE`` and ``EF BF BF``).
        """
        text = self.text
        return (
            self.only(_NOT_CONTROLS) and b"\xef\xbf\xbe" not in text and b"\xef\xbf\xbf" not in text
        )

    def pin_rows(self) -> Any:
        """The rows whose value may hold a personnummer: where ``socforst._pin`` finds a candidate.

        A candidate (``_pin._ANY_PIN``, in an ASCII value) is a run of exactly
        10 or 12 digits, or a run of exactly 6 or 8 digits, one separator
        (``-+ ._``) and a run of exactly 4 digits; runs end at a value's end.
        """
        import numpy as np

        data = self.data[self.first : self.last]
        if len(self.text) - len(self.text.translate(None, b"0123456789")) < _PIN_DIGITS:
            return np.zeros(0, np.int64)
        starts = self.starts[self.lengths > 0] - self.first
        opens = np.zeros(len(data) + 1, bool)  # where a value starts (and the end)
        opens[starts] = True
        opens[-1] = True
        digit = (data >= ord("0")) & (data <= ord("9"))
        before = np.concatenate(([False], digit[:-1])) & ~opens[:-1]
        after = np.concatenate((digit[1:], [False])) & ~opens[1:]
        first = np.flatnonzero(digit & ~before)
        last = np.flatnonzero(digit & ~after) + 1  # one past each run
        length = last - first
        found = np.isin(length, (10, 12))
        # A run of 6 or 8, a separator in the same value, and a run of exactly 4 right after it.
        pairs = np.isin(length[:-1], (6, 8)) & (first[1:] == last[:-1] + 1) & (length[1:] == 4)
        pairs &= ~opens[last[:-1]] & ~opens[np.minimum(last[:-1] + 1, len(data))]
        pairs &= np.isin(data[np.minimum(last[:-1], len(data) - 1)], list(b"-+ ._"))
        at = np.concatenate((first[found], first[:-1][pairs])) + self.first
        return np.unique(np.searchsorted(self.starts, at, side="right") - 1)

    def groups(self, given: Any) -> Iterator[tuple[Any, int, Any]]:
        """The given values by length: their rows, the length, and their bytes, a row each.

        Values of one length in a column where the others are empty lie one
        after another: their bytes are then a view, not a copy.
        """
        import numpy as np

        lengths = self.lengths[given]
        if not len(lengths):
            return
        _defer_if(lengths.max() > _LONGEST_INSTANT)
        found = np.flatnonzero(np.bincount(lengths))
        for length in found.tolist():
            if len(found) == 1:
                rows = np.flatnonzero(given)
                start = int(self.starts[rows[0]])
                matrix = self.data[start : start + len(rows) * length].reshape(-1, length)
            else:
                rows = np.flatnonzero(given & (self.lengths == length))
                matrix = self.data[self.starts[rows][:, None] + np.arange(length)]
            yield rows, length, matrix


_LONGEST_ID = 64
_DATE_LENGTH = 10
_LONGEST_INSTANT = 32
_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# The instants read here, by their length: where the time ends (10: no time) and
# so how long the zone is (0, 1 for Z, 6 for +hh:mm). Each length is one form.
_TIME_ENDS = {10: 10, 16: 16, 17: 16, 22: 16, 19: 19, 20: 19, 25: 19}
_TIME_ENDS |= {23: 23, 24: 23, 29: 23, 26: 26, 27: 26, 32: 26}


_ID_CHARACTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"
"""The characters of an id (socforst.ids)."""
_VISIBLE = bytes(range(0x21, 0x7F))
"""The ASCII characters that are not blanks or control characters."""
_NOT_CONTROLS = bytes(c for c in range(256) if c >= 0x20 or chr(c) in "\t\n\r")
"""Every byte but the control characters that no spreadsheet or database holds."""


@functools.cache
def _layout(length: int) -> tuple[Any, Any, int]:
    """What a date or instant of *length* characters holds, for :func:`_check_layout`.

    Returns the lowest and highest byte allowed at each position (``0``-``9``
    for a digit, the character itself for ``-``, ``:``, ``.`` and ``Z``; any
    byte where ``T`` or a space, ``+`` or ``-`` may stand, which are checked
    apart), and where the time ends (10: a date alone).
    """
    import numpy as np

    end = _TIME_ENDS[length]
    form = "dddd-dd-dd" + ("?dd:dd" if end > 10 else "") + (":dd" if end >= 19 else "")
    form += (".ddd" if end >= 23 else "") + ("ddd" if end == 26 else "")
    form += {0: "", 1: "Z", 6: "?dd:dd"}[length - end]
    low = np.array([ord("0") if c == "d" else 0 if c == "?" else ord(c) for c in form], np.uint8)
    high = np.array([ord("9") if c == "d" else 255 if c == "?" else ord(c) for c in form], np.uint8)
    return low, high, end


def _check_layout(matrix: Any, length: int) -> int:
    """Defer unless every row of *matrix* is a date or instant of *length*; where its time ends."""
    _defer_if(length not in _TIME_ENDS)
    low, high, end = _layout(length)
    _defer_if(not ((matrix >= low) & (matrix <= high)).all())
    if end > _DATE_LENGTH:
        _one_of(matrix[:, 10], "T ")
    if length - end == 6:
        _one_of(matrix[:, end], "+-")
    return end


def _one_of(column: Any, characters: str) -> None:
    """Defer unless every byte of *column* is one of *characters*."""
    found = column == ord(characters[0])
    for character in characters[1:]:
        found |= column == ord(character)
    _defer_if(not found.all())


def _number(matrix: Any, first: int, last: int) -> Any:
    """The number the digits (checked) in columns *first* to *last* write, on every row."""
    import numpy as np

    value = matrix[:, first].astype(np.int64) - ord("0")
    for column in range(first + 1, last + 1):
        value = value * 10 + matrix[:, column] - ord("0")
    return value


@functools.cache
def _months() -> tuple[Any, Any]:
    """Per month of the calendar's years (from January of FIRST_YEAR): its first day, its days."""
    import numpy as np

    firsts = np.arange(f"{FIRST_YEAR}-01", f"{LAST_YEAR + 1}-02", dtype="datetime64[M]").astype(
        "datetime64[D]"
    )
    days = firsts.astype(np.int64)
    return days[:-1], np.diff(days)


def _days(matrix: Any) -> Any:
    """Days since 1970-01-01 of the ``YYYY-MM-DD`` (checked) each row starts with; else defer."""
    year, month, day = _number(matrix, 0, 3), _number(matrix, 5, 6), _number(matrix, 8, 9)
    _defer_if(((year < FIRST_YEAR) | (year > LAST_YEAR) | (month < 1) | (month > 12)).any())
    firsts, lengths = _months()
    index = (year - FIRST_YEAR) * 12 + month - 1
    _defer_if(((day < 1) | (day > lengths[index])).any())
    return firsts[index] + day - 1


def _instants(name: str, cells: _Cells, given: Any, columns: _Columns) -> None:
    """Add instants as ``timestamp[us, Europe/Stockholm]``, as :func:`socforst.cases.to_stockholm`.

    Read: a date, or a date, ``T`` or a space, and a time to the minute,
    second, millisecond or microsecond, naive or with ``Z`` or ``+hh:mm``
    (the row-by-row way reads more spellings with ``datetime.fromisoformat``;
    they defer). A naive time is Stockholm wall time, read as
    :class:`zoneinfo.ZoneInfo` reads a wall time of ``fold=0`` (PEP 495):
    where the clock goes back, the earlier of the two readings; in the hour
    skipped in spring, with the offset before the change (02:30 is 03:30
    summer time). The offsets are Stockholm's of :data:`socforst.cases.STOCKHOLM`.
    """
    import numpy as np
    import pyarrow as pa

    wall = np.zeros(len(given), np.int64)  # microseconds since 1970 on the clock read
    offset = np.zeros(len(given), np.int64)  # the offset written, if any
    aware = np.zeros(len(given), bool)
    for rows, length, matrix in cells.groups(given):
        end = _check_layout(matrix, length)
        micros = _days(matrix) * _DAY
        if end > _DATE_LENGTH:
            hours, minutes = _number(matrix, 11, 12), _number(matrix, 14, 15)
            seconds = _number(matrix, 17, 18) if end >= 19 else 0
            _defer_if((hours > 23).any() or (minutes > 59).any() or np.any(seconds > 59))
            micros += (hours * 3600 + minutes * 60 + seconds) * _SECOND
        if end >= 23:
            micros += _number(matrix, 20, end - 1) * 10 ** (26 - end)
        if length - end == 6:
            zone_hours = _number(matrix, end + 1, end + 2)
            zone_minutes = _number(matrix, end + 4, end + 5)
            _defer_if((zone_hours > 23).any() or (zone_minutes > 59).any())
            sign = np.where(matrix[:, end] == ord("-"), -1, 1)
            offset[rows] = sign * (zone_hours * _HOUR + zone_minutes * _MINUTE)
        aware[rows] = length > end
        wall[rows] = micros
    instants = wall - offset
    if given.any():
        zone = _zone(int(wall[given].min()), int(wall[given].max()))
        naive = ~aware
        if naive.any():
            # zoneinfo: the offset after the last change whose fold-0 wall time is not later.
            found = np.searchsorted(zone.walls, wall[naive], side="right")
            instants[naive] = wall[naive] - zone.offsets[found]
        local = instants + zone.offsets[np.searchsorted(zone.changes, instants, side="right")]
    else:
        local = instants
    columns.numbers[name] = np.where(given, instants, 0)
    columns.given[name] = given
    columns.local_days[name] = np.where(given, np.floor_divide(local, _DAY), 0)
    array = _arrow(instants, pa.timestamp("us", tz=_TIME_ZONE), given)
    columns.add(name, array)


@attrs.frozen
class _Zone:
    """Stockholm's changes of offset over some years, in microseconds, for numpy look-ups.

    Args:
        changes: The UTC instants of the changes, in order.
        walls: Each change's wall time as ``fold=0`` reads it: the instant plus
            the larger of the offsets before and after it.
        offsets: The offset before the first change, then the offset after each.
    """

    changes: Any
    walls: Any
    offsets: Any


def _zone(first: int, last: int) -> _Zone:
    """Stockholm's offsets for the years of the wall times *first* to *last* (microseconds), ±1."""
    import numpy as np

    years = range(_year(first) - 1, _year(last) + 2)
    found = [change for year in years for change in _changes(year)]
    start = _offset(calendar.timegm((years[0], 1, 1, 0, 0, 0)))
    return _Zone(
        changes=np.array([at for at, _, _ in found], np.int64) * _SECOND,
        walls=np.array([at + max(before, after) for at, before, after in found], np.int64)
        * _SECOND,
        offsets=np.array([start] + [after for _, _, after in found], np.int64) * _SECOND,
    )


def _year(micros: int) -> int:
    return (dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=micros)).year


def _offset(second: int) -> int:
    """Stockholm's offset from UTC at a second since 1970, in seconds."""
    from socforst.cases import STOCKHOLM

    offset = dt.datetime.fromtimestamp(second, STOCKHOLM).utcoffset()
    assert offset is not None
    return int(offset.total_seconds())


@functools.cache
def _changes(year: int) -> tuple[tuple[int, int, int], ...]:
    """Stockholm's changes of offset in *year*: when (UTC seconds), the offsets before and after.

    The offset is looked at twice a month; where it differs, the second it
    changes is found by halving (no zone changes twice within a fortnight).
    """
    points = [
        calendar.timegm((year, month, day, 0, 0, 0)) for month in range(1, 13) for day in (1, 15)
    ]
    points.append(calendar.timegm((year + 1, 1, 1, 0, 0, 0)))
    found = []
    for low, high in itertools.pairwise(points):
        before, after = _offset(low), _offset(high)
        if before == after:
            continue
        while high - low > 1:
            middle = (low + high) // 2
            if _offset(middle) == before:
                low = middle
            else:
                high = middle
        found.append((high, before, _offset(high)))
    return tuple(found)


# -------------------------------------------------------------------- checks


def _before(columns: _Columns, later: str, earlier: str) -> Any:
    """Where the day *later* is given and before the day *earlier* (given) on the same row."""
    numbers = columns.numbers
    both = columns.given[later] & columns.given[earlier]
    return both & (numbers[later] < numbers[earlier])


def _check_records(columns: _Columns) -> None:
    """What each record type checks across its fields, and the uniqueness of ids."""
    import numpy as np

    table = columns.name
    key = ID_COLUMNS.get(table)
    if key is not None:
        ids = columns.arrays[key]
        columns.sorted_ids = _sorted(ids)
        if columns.sorted_ids is None:  # else strictly increasing: unique
            _defer_if(len(ids.dictionary_encode().dictionary) != len(ids))
    if table == "reports":
        # FL 22 §: a report counts as received earlier than it arrived, never later.
        counted = columns.given["counts_as_received_on"]
        received = columns.local_days["received_at"]
        counts = columns.numbers["counts_as_received_on"]
        _defer_if((counted & (counts > received)).any())
        legally = np.where(counted, counts, received)
        columns.numbers["legally_received_on"] = legally
        columns.given["legally_received_on"] = np.ones(columns.rows, bool)
        columns.local_days["legally_received_on"] = legally
        # integrity: neither duty can be done before the report came in.
        assessed = columns.given["protection_assessed_at"]
        # Instants compare as instants: in the hour the clock goes back, 02:15+01:00
        # (01:15Z) is after 02:45+02:00 (00:45Z), whatever the wall clock says.
        instants = columns.numbers
        before = instants["protection_assessed_at"] < instants["received_at"]
        _defer_if((~counted & assessed & before).any())
        _defer_if(
            (assessed & counted & (columns.local_days["protection_assessed_at"] < counts)).any()
        )
        _defer_if(_before(columns, "preassessment_decided_on", "legally_received_on").any())
    elif table == "extensions":
        _defer_if(_before(columns, "until", "decided_on").any())
    elif table == "investigations":
        _defer_if(_before(columns, "closed_on", "opened_on").any())
    elif table in ("placements", "restrictions"):
        start = "started_on" if table == "placements" else "decided_on"
        _defer_if(_before(columns, "ended_on", start).any())
    elif table == "custodies":
        for event in _CUSTODY_EVENTS:  # LVU 6 §: the decision comes first
            _defer_if(_before(columns, event, "decided_on").any())


def _plain(array: Any) -> Any:
    """A dictionary-encoded array as plain strings; any other as it is."""
    import pyarrow as pa

    if pa.types.is_dictionary(array.type):
        return array.dictionary_decode()
    return array


def _sorted(ids: Any) -> Any:
    """The ids as numpy bytes of one width if all have that width and increase strictly, else None.

    Extracts list their records by id more often than not: then the ids are
    unique without a hash table, and found by halving.
    """
    import numpy as np

    cells = _Cells(ids)
    if not len(ids) or cells.lengths.min() != cells.lengths.max() or ids.null_count:
        return None
    width = int(cells.lengths[0])
    matrix = cells.data[cells.first : cells.last].reshape(-1, width)
    differ = matrix[1:] != matrix[:-1]
    first = differ.argmax(axis=1)
    pairs = np.arange(len(first))
    rising = differ[pairs, first] & (matrix[1:][pairs, first] > matrix[:-1][pairs, first])
    if not rising.all():
        return None
    return np.ascontiguousarray(matrix).view(f"S{width}").ravel()


def _searched(names: Any, ordered: Any) -> Any:
    """For each name, its row in *ordered* (from :func:`_sorted`), or -1 (also where null)."""
    import numpy as np

    width = ordered.dtype.itemsize
    cells = _Cells(names)
    found = np.full(len(names), -1, np.int64)
    rows = np.flatnonzero(cells.lengths == width)
    if not len(rows):
        return found
    keys = cells.data[cells.starts[rows][:, None] + np.arange(width)].view(f"S{width}").ravel()
    at = np.minimum(np.searchsorted(ordered, keys), len(ordered) - 1)
    hit = ordered[at] == keys
    found[rows[hit]] = at[hit]
    return found


def _check_across(case: Mapping[str, _Columns], team: Mapping[str, Sequence[Any]]) -> None:
    """The references between tables (integrity.REFERENCES) and the orders of dates across them."""
    import numpy as np
    import pyarrow.compute as pc

    def values(table: str, column: str) -> Any:
        if table in case:
            return case[table].arrays[column]
        return _texts([getattr(r, column) for r in team.get(table, ())])

    rows: dict[tuple[str, str], Any] = {}  # per reference, the row each record names, or -1
    for reference in REFERENCES:
        if reference.table not in case and reference.target not in case:
            continue  # between team tables: integrity.problems checked it
        names, targets = (
            values(reference.table, reference.column),
            values(reference.target, reference.target_column),
        )
        if not len(names) or not len(targets):
            continue  # nothing refers, or no rows to refer to: not checked
        named = _valid(names)
        ordered = case[reference.target].sorted_ids if reference.target in case else None
        if ordered is not None:
            found = _searched(names, ordered)
        else:
            index = pc.index_in(names, value_set=targets)
            found = np.where(_valid(index), _numpy(index), -1)
        _defer_if((named & (found < 0)).any())
        rows[reference.table, reference.target] = found
    orders = (
        ("investigations", "opened_on", "reports", "legally_received_on"),
        ("extensions", "decided_on", "investigations", "opened_on"),
        ("reviews", "reviewed_on", "placements", "started_on"),
        ("restrictions", "decided_on", "placements", "started_on"),
    )
    for table, column, target, start in orders:
        found = rows.get((table, target))
        if found is None:
            continue
        named = found >= 0
        day = case[table].numbers[column]
        starts = case[target].numbers[start][np.maximum(found, 0)]
        _defer_if((named & (day < starts)).any())
    found = rows.get(("restrictions", "placements"))
    if found is not None:
        # LVU 14 §: restrictions of contact or whereabouts are for care under LVU.
        bases = pc.is_in(_plain(case["placements"].arrays["basis"]), _texts(_LVU_BASES))
        lvu = _numpy(bases)[np.maximum(found, 0)]
        _defer_if(((found >= 0) & ~lvu).any())
