r"""A dataset as one JSON document: an object with one array of row objects per table.

``{"members": [{"member_id": "m1", "team_id": "t1", "employed_from": "2016-01-04"}]}``.
Values are JSON strings as in the CSV files; number columns (``extent``,
``headcount``, ...) also take JSON numbers, and ``competencies`` a JSON array of
strings. ``null`` or a missing key is a missing value.

The document is checked before any value is used, and every problem is
reported at once (:class:`~socforst.errors.LoadError`):

- it is read only up to ``max_bytes`` bytes (:data:`DEFAULT_MAX_BYTES`, 256 MiB);
- a key twice in the document or in one row object is an error naming it;
- a key that looks like a table's name (``memebers``, ``Members``) is an error
  that suggests the name; any other unknown key is ignored with an
  :class:`UnknownTableWarning`;
- a row that is not an object, ``true``/``false`` anywhere, an array or object
  where one value belongs, a number where text belongs, and a lone surrogate
  escape (``"\ud800"``, which is not text) are errors naming the table, row and column.
"""

from __future__ import annotations

import codecs
import functools
import json
import os
import re
import stat
import types
import typing
import warnings
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, cast

import attrs

from socforst._atomic import atomic_write, make_folder, parse_mode
from socforst.converters import converter
from socforst.dataset import TABLES, Dataset
from socforst.districts import DistrictRegistry
from socforst.errors import ExportError, LoadError, RowError, ValidationError, shown_column
from socforst.ids import case_number_columns
from socforst.rules.base import EvaluatedDeadline
from socforst.sources import DEADLINE_COLUMNS
from socforst.sources.cells import first_unencodable
from socforst.sources.rows import (
    MAX_ERRORS,
    UnknownColumnWarning,
    UnlistedError,
    close_table_name,
    column_names,
    columns_of,
    finish_load,
    gc_paused,
    read_table,
    registry_with,
)

__all__ = ["DEFAULT_MAX_BYTES", "JsonExporter", "JsonSource", "UnknownTableWarning"]

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
"""The largest JSON document :class:`JsonSource` reads by default: 256 MiB.

The demo city's twelve years (386,000 records) take 105 MiB as JSON.
"""

# A \uD800-\uDFFF escape: how a lone surrogate gets into a str from a document
# that decodes (UTF decoders refuse surrogates written as bytes; an escape codec
# such as unicode_escape does not, hence the second pattern).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_TEXT_TYPES = frozenset({str, type(None)})


class UnknownTableWarning(UnknownColumnWarning):
    """A JSON document has a top-level key that is not a table; it is ignored.

    A kind of :class:`~socforst.sources.rows.UnknownColumnWarning`: a filter for
    ignored columns covers ignored keys too.
    """


class _RepeatedKeys(dict[str, Any]):
    """A JSON object in which some keys appear more than once (the last value kept)."""

    repeated: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """The ``object_pairs_hook``: a dict, remembering any key given twice."""
    made = dict(pairs)
    if len(made) == len(pairs):
        return made
    seen: set[str] = set()
    repeated: dict[str, None] = {}
    for key, _ in pairs:
        if key in seen:
            repeated[key] = None
        seen.add(key)
    found = _RepeatedKeys(made)
    found.repeated = tuple(repeated)
    return found


def _byte_count(value: object) -> int:
    """*value* as a number of bytes: an int, or digits (from ``--source-option``)."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,18}", value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(
            "max_bytes",
            "must be a whole number of bytes of at least 1, such as 1000000000 "
            "(on the command line: --source-option max_bytes=1000000000)",
        )
    return value


def _check_encoding(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    # Checked when the source is made: the command line then says so before any work.
    try:
        codecs.lookup(value)
    except (LookupError, TypeError):
        raise ValidationError(
            attribute.name,
            "names no text encoding Python knows; use one such as 'utf-8-sig' (the "
            "default), 'utf-8' or 'utf-16' (on the command line: --source-option "
            "encoding=utf-16)",
        ) from None


def _kind_of(value: object) -> str:
    """What a JSON value is, for a message (never the value itself)."""
    if isinstance(value, bool):
        return "a boolean (true or false)"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _has_lone_surrogate(text: str) -> bool:
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


@functools.cache
def _column_kinds(kind: type) -> dict[str, str]:
    """Each column of *kind*: ``"number"``, ``"words"`` (a list) or ``"text"``."""
    kinds: dict[str, str] = {}
    for field in attrs.fields(attrs.resolve_types(kind)):
        if not field.init:
            continue
        base = field.type
        if typing.get_origin(base) in (typing.Union, types.UnionType):
            members = [arg for arg in typing.get_args(base) if arg is not type(None)]
            base = members[0] if len(members) == 1 else base
        if base in (int, float):
            kinds[field.name] = "number"
        elif typing.get_origin(base) in (frozenset, list, tuple, set):
            kinds[field.name] = "words"
        else:
            kinds[field.name] = "text"
    return kinds


def _cell_problem(value: object, column_kind: str) -> str | None:
    """Why a JSON value cannot stand in a column of *column_kind*, or ``None``."""
    if value.__class__ in _TEXT_TYPES:
        return None
    if column_kind == "number":
        return None  # the number hook says what is wrong with true, arrays, ...
    if column_kind == "words" and isinstance(value, list):
        if all(isinstance(word, str) for word in value):
            return None
        return "must be an array of strings (or one string of words separated by '|')"
    if column_kind == "words":
        return f"must be an array of strings, not {_kind_of(value)}"
    return f"must be a JSON string, not {_kind_of(value)}"


def _surrogate_problem(value: object) -> bool:
    if isinstance(value, str):
        return _has_lone_surrogate(value)
    if isinstance(value, list):
        return any(isinstance(word, str) and _has_lone_surrogate(word) for word in value)
    return False


@attrs.frozen
class JsonSource:
    """Read a dataset from one JSON document.

    Args:
        path: The ``.json`` file.
        encoding: Its encoding; the default, ``utf-8-sig``, reads UTF-8 with or
            without a byte-order mark.
        max_bytes: The largest document read, in bytes (:data:`DEFAULT_MAX_BYTES`,
            256 MiB); a larger one is an error, not a slow death by memory. From
            the command line: ``--source-option max_bytes=1000000000``.
        case_numbers: Columns that hold case numbers, whose ids are not checked
            for personal identity numbers (see :func:`socforst.ids.case_number_columns`);
            a sequence or one comma-separated string.

    Example:
        >>> import socforst
        >>> source = socforst.open_source("json:extract.json", max_bytes="1000000")
        >>> source.max_bytes
        1000000
    """

    path: Path = attrs.field(converter=Path)
    encoding: str = attrs.field(default="utf-8-sig", validator=_check_encoding)
    max_bytes: int = attrs.field(default=DEFAULT_MAX_BYTES, converter=_byte_count)
    case_numbers: tuple[str, ...] = attrs.field(default=(), converter=column_names)

    def read(self) -> Dataset:
        """Read every table in the document.

        Raises:
            LoadError: Listing every bad row, and every broken reference between
                tables; nothing is returned.
        """
        # A parse makes millions of objects, none in cycles.
        with gc_paused(), case_number_columns(self.case_numbers):
            document, surrogates = self._document()
            return self._dataset(document, surrogates)

    def _fail(self, line: int | None, reason: str) -> LoadError:
        source = str(self.path)
        return LoadError(f"cannot read {source}", [RowError(source, "-", line, None, reason)])

    def _text(self) -> str:
        """The document's text, read only up to ``max_bytes``."""
        limit = (
            f"is larger than max_bytes ({self.max_bytes:,} bytes); to read it, give a "
            "larger limit, such as --source-option max_bytes=1000000000"
        )
        try:
            with self.path.open("rb") as handle:
                facts = os.fstat(handle.fileno())
                if stat.S_ISREG(facts.st_mode) and facts.st_size > self.max_bytes:
                    raise self._fail(None, limit)
                # Devices and pipes say no size: read one byte more than the limit.
                data = handle.read(self.max_bytes + 1)
        except MemoryError:
            raise self._fail(None, limit + "; there is not enough memory") from None
        except OSError as error:
            raise self._fail(None, f"cannot be read: {error.strerror}") from error
        if len(data) > self.max_bytes:
            raise self._fail(None, limit)
        try:
            return data.decode(self.encoding)
        except UnicodeDecodeError:
            raise self._fail(
                None, f"is not {self.encoding} text; give the right encoding"
            ) from None

    def _document(self) -> tuple[dict[str, Any], bool]:
        """The parsed document, and whether it may hold a lone surrogate."""
        text = self._text()
        try:
            document = json.loads(text, object_pairs_hook=_object)
        except json.JSONDecodeError as error:
            if text.startswith("\ufeff"):
                reason = "starts with a byte-order mark that its encoding does not expect"
            else:
                reason = f"is not valid JSON: {error.msg}"
            raise self._fail(error.lineno, reason) from error
        except (ValueError, RecursionError) as error:
            # Nesting too deep to parse, or an integer beyond Python's digit limit.
            raise self._fail(None, f"is not a readable JSON document ({error})") from error
        if not isinstance(document, dict):
            raise self._fail(None, "must be a JSON object of tables")
        surrogates = _SURROGATE_ESCAPE.search(text) is not None or (
            not text.isascii() and _SURROGATE.search(text) is not None  # a codec made one
        )
        return document, surrogates

    def _dataset(self, document: dict[str, Any], surrogates: bool) -> Dataset:
        source = str(self.path)
        errors = _top_level_problems(source, document)
        if not errors and not any(table in document for table in TABLES):
            errors.append(
                RowError(
                    source,
                    "-",
                    None,
                    None,
                    "holds none of the tables socforst reads (" + ", ".join(TABLES) + ")",
                )
            )
        tables: dict[str, Any] = {}
        places: dict[str, tuple[str, list[int]]] = {}
        columns: dict[str, list[str]] = {}
        registry = None
        for table, kind in TABLES.items():  # districts come first: the others name them
            if table != "districts" and registry is None:
                registry, problems = registry_with(source, tables.get("districts", ()))
                errors += problems
            rows = document.pop(table, None)  # let go of each table's objects once read
            if rows is None:
                continue
            if not isinstance(rows, list):
                reason = "must be an array of objects"
                errors.append(RowError(source, table, None, None, reason))
                continue
            if not rows:
                # No object names a column: which columns the extract has is not known.
                tables[table] = []
                places[table] = (source, [])
                continue
            records, numbers, header, problems = _read_array(
                source, table, kind, rows, registry, surrogates
            )
            tables[table] = records
            places[table] = (source, numbers)
            columns[table] = header
            errors += problems
        return cast(
            Dataset,
            finish_load(source, tables, errors, places=places, columns=columns, registry=registry),
        )


def _read_array(
    source: str,
    table: str,
    kind: type,
    rows: list[Any],
    registry: DistrictRegistry | None,
    surrogates: bool,
) -> tuple[list[Any], list[int], list[str], list[RowError]]:
    """One table's records, their row numbers, its columns, and its problems."""
    reader = _TableReader(source, table, kind, surrogates)
    header = reader.header(rows)
    numbers: list[int] = []
    cells = reader.rows(rows)
    records: list[Any] = []
    problems: list[RowError] = []
    if reader.objects:  # else no row is an object: each is reported below
        records, problems = read_table(
            source, table, kind, header, cells, registry, positional=True, numbers=numbers
        )
    for _ in cells:
        pass  # the rows read_table did not take (a column missing): their own problems
    return records, numbers, header, reader.merged(problems)


def _top_level_problems(source: str, document: dict[str, Any]) -> list[RowError]:
    """Keys given twice, keys that look like a misspelt table, and a warning for the rest."""
    problems = [
        RowError(
            source,
            key if key in TABLES else "-",
            None,
            None,
            f"the key {_key_shown(key)} appears more than once in the document; "
            "which one is meant cannot be known",
        )
        for key in getattr(document, "repeated", ())
    ]
    ignored: list[str] = []
    for key in document:
        if key in TABLES:
            continue
        close = close_table_name(key, TABLES, cutoff=0.75)
        if close:
            problems.append(
                RowError(
                    source,
                    "-",
                    None,
                    None,
                    f"the key {_key_shown(key)} is not a table; did you mean {close!r}?",
                )
            )
        else:
            ignored.append(key)
    if ignored:
        warnings.warn(
            f"{source}: ignoring keys that are not tables: "
            + ", ".join(_key_listed(key) for key in ignored),
            UnknownTableWarning,
            stacklevel=4,
        )
    return problems


def _key_listed(key: str) -> str:
    shown = shown_column(key)
    return shown if shown.startswith("'") else f"a key {shown}"


def _key_shown(key: str) -> str:
    """A top-level key for a message: a table's name in another case or spacing is shown."""
    if key.strip().lower() in TABLES:
        return repr(key)
    return shown_column(key)


@attrs.define
class _TableReader:
    """One table's array of row objects as positional rows, its JSON-level problems aside.

    Mutable: it collects the problems it finds while :func:`read_table` consumes its rows.
    """

    source: str
    table: str
    kind: type
    surrogates: bool
    columns: Sequence[str] = ()
    needs_strip: bool = False
    objects: bool = False
    problems: list[RowError] = attrs.Factory(list)
    unlisted: int = 0

    def header(self, rows: list[Any]) -> list[str]:
        """The union of the row objects' keys (each object names its own)."""
        keys: set[str] = set()
        objects = [row for row in rows if isinstance(row, dict)]
        self.objects = bool(objects)
        keys.update(*objects)
        self.columns = sorted({key.strip() for key in keys})
        self.needs_strip = any(key != key.strip() for key in keys)
        return list(self.columns)

    def _problem(self, row: int, column: str | None, reason: str) -> None:
        # Kept up to MAX_ERRORS, then only counted: every row of a huge array may be bad.
        if len(self.problems) < MAX_ERRORS:
            self.problems.append(RowError(self.source, self.table, row, column, reason))
        else:
            self.unlisted += 1

    def merged(self, problems: list[RowError]) -> list[RowError]:
        """This table's problems and :func:`read_table`'s, in row order, at most MAX_ERRORS."""
        unlisted = self.unlisted + sum(e.count for e in problems if isinstance(e, UnlistedError))
        listed = [e for e in problems if not isinstance(e, UnlistedError)] + self.problems
        listed.sort(key=lambda e: e.row or 0)
        unlisted += len(listed[MAX_ERRORS:])
        del listed[MAX_ERRORS:]
        if unlisted:
            listed.append(UnlistedError(self.source, self.table, unlisted))
        return listed

    def rows(self, rows: list[Any]) -> Iterator[tuple[int, list[Any]]]:
        """Each good row's cells in header order; the array lets go of each object read."""
        kinds = _column_kinds(self.kind)
        checked = [
            (index, name, kinds[name])
            for index, name in enumerate(self.columns)
            if name in kinds and kinds[name] != "number"
        ]
        every = [
            (index, name, kinds[name]) for index, name in enumerate(self.columns) if name in kinds
        ]
        positions = [position for position, _, _ in checked]
        get_cells = self.columns
        for index in range(len(rows)):
            row = rows[index]
            rows[index] = None
            number = index + 1
            if not isinstance(row, dict):
                self._problem(
                    number,
                    None,
                    f"must be a JSON object of column names and values, not {_kind_of(row)}",
                )
                continue
            repeated = getattr(row, "repeated", ())
            if self.needs_strip:
                row, more = _stripped(row)
                repeated += more
            if repeated:
                for key in repeated:
                    self._problem(number, key.strip(), "appears more than once in the row object")
                continue
            cells = list(map(row.get, get_cells))
            bad = False
            # One test in C for the usual row: every text cell a string or null.
            if not _TEXT_TYPES.issuperset(map(type, map(cells.__getitem__, positions))):
                for position, name, column_kind in checked:
                    reason = _cell_problem(cells[position], column_kind)
                    if reason is not None:
                        self._problem(number, name, reason)
                        bad = True
            if self.surrogates:
                for position, name, _ in every:
                    if _surrogate_problem(cells[position]):
                        self._problem(
                            number,
                            name,
                            "holds a lone surrogate escape (a \\ud800-\\udfff escape without "
                            "its pair), which is not text",
                        )
                        bad = True
            if not bad:
                yield number, cells


def _stripped(row: dict[str, Any]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """*row* with its keys stripped, and the keys that then appear twice."""
    stripped: dict[str, Any] = {}
    repeated: list[str] = []
    for key, value in row.items():
        name = key.strip()
        if name in stripped:
            repeated.append(name)
        stripped[name] = value
    return stripped, tuple(repeated)


@attrs.frozen
class JsonExporter:
    """Write a dataset, or deadlines, as one JSON document, atomically.

    Text that the encoding cannot hold (a lone surrogate, or a character outside
    a legacy encoding) is refused: every such cell is named by table, row and
    column, and the old file is left whole.

    Args:
        path: The ``.json`` file; a dataset and deadlines need different files.
        encoding: Its encoding.
        mode: The new file's permissions (``0o640`` or ``"640"``); by default a
            new file is readable by its owner only (``0600``: the data is about
            children) and a replaced file keeps its own mode.
    """

    path: Path = attrs.field(converter=Path)
    encoding: str = "utf-8"
    mode: int | None = attrs.field(default=None, converter=parse_mode, kw_only=True)

    def write_dataset(self, dataset: Dataset) -> None:
        """Write every table as an array of objects.

        Raises:
            ExportError: Listing every text cell the encoding cannot hold (by
                table, row and column, never the value); the old file is kept.
            WriteError: If the file cannot be written or put in place.
        """
        # A table the dataset has no records of is left out (every table is optional,
        # and an empty one cannot be told from an absent one when references are
        # checked); a dataset with no records at all is written with every table, empty.
        tables = [(t, records) for t, records in dataset.tables() if records]
        document: dict[str, list[dict[str, Any]]] = {}
        for table, records in tables or dataset.tables():
            rows = [converter.unstructure(record) for record in records]
            # A case-table column its source did not have stays absent: unknown, not
            # "not done". Dataset.columns names the case tables its source had.
            absent = [
                c
                for c in columns_of(TABLES[table])
                if table in dataset.columns and not dataset.has_column(table, c)
            ]
            for row in rows if absent else ():
                for column in absent:
                    del row[column]
            document[table] = rows
        self._write(document)

    def write_deadlines(self, deadlines: Iterable[EvaluatedDeadline]) -> None:
        """Write ``{"deadlines": [...]}`` with the columns of the deadline output.

        Raises:
            ExportError: As :meth:`write_dataset`.
            WriteError: As :meth:`write_dataset`.
        """
        rows = [
            {column: _plain(getattr(d, column)) for column in DEADLINE_COLUMNS} for d in deadlines
        ]
        self._write({"deadlines": rows})

    def _write(self, document: dict[str, list[dict[str, Any]]]) -> None:
        make_folder(self.path.parent, mode=self.mode)
        try:
            with atomic_write(self.path, encoding=self.encoding, mode=self.mode) as handle:
                json.dump(document, handle, ensure_ascii=False, indent=1)
                handle.write("\n")
        except UnicodeEncodeError as error:
            # The temporary file is gone and the old file whole: say where the text is.
            raise self._unencodable(document) from error

    def _unencodable(self, document: dict[str, list[dict[str, Any]]]) -> ExportError:
        target = str(self.path)
        problems: list[RowError] = []
        count = 0
        for table, rows in document.items():
            for number, row in enumerate(rows, start=1):
                for column, value in row.items():
                    for word in value if isinstance(value, list) else [value]:
                        position = (
                            first_unencodable(word, self.encoding)
                            if isinstance(word, str)
                            else None
                        )
                        if position is None:
                            continue
                        count += 1
                        if len(problems) < MAX_ERRORS:
                            character = word[position]
                            what = (
                                "a lone surrogate"
                                if "\ud800" <= character <= "\udfff"
                                else "a character"
                            )
                            reason = (
                                f"holds {what} (U+{ord(character):04X}, character "
                                f"{position + 1}) that {self.encoding} cannot encode"
                            )
                            problems.append(RowError(target, table, number, column, reason))
                        break  # one problem a cell
        if count > len(problems):
            problems.append(UnlistedError(target, "-", count - len(problems)))
        values = "1 value" if count == 1 else f"{count} values"
        return ExportError(
            f"cannot write {target}: {values} cannot be encoded in {self.encoding}",
            problems
            or [RowError(target, "-", None, None, f"cannot be encoded in {self.encoding}")],
        )


def _plain(value: object) -> object:
    if value is None or isinstance(value, int | float):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
