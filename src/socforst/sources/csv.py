"""A dataset as a folder of CSV files, one per table (``members.csv``, ``reports.csv``, ...).

Read with the standard library's ``csv`` module. Case-system extracts often use
``;`` and Windows-1252; pass ``delimiter=";"`` and ``encoding="cp1252"``. The
default encoding, ``utf-8-sig``, reads UTF-8 with or without a byte-order mark.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, cast

import attrs

from socforst._atomic import atomic_write, make_folder, parse_mode, staged_writes
from socforst.dataset import TABLES, Dataset
from socforst.districts import DistrictRegistry
from socforst.errors import ExportError, LoadError, RowError, ValidationError, redact, shown
from socforst.ids import case_number_columns
from socforst.rules.base import EvaluatedDeadline
from socforst.sources import DEADLINE_COLUMNS
from socforst.sources.cells import first_unencodable, neutralised_row, text_columns
from socforst.sources.rows import (
    close_table_name,
    column_names,
    columns_of,
    finish_load,
    gc_paused,
    read_table,
    registry_with,
    to_row,
)

__all__ = ["CsvExporter", "CsvSource"]


def _check_delimiter(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or len(value) != 1 or value in '\r\n"' or value.isalnum():
        raise ValidationError(
            attribute.name,
            "must be one character that is not a letter, digit, quote or line break, such "
            "as ',' or ';' (on the command line: --source-option delimiter=';')",
        )


def _check_encoding(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    # Checked when the source is made, not when a file is opened: a folder with
    # no table file would otherwise never say that the encoding is wrong.
    if not isinstance(value, str) or not value:
        raise ValidationError(
            attribute.name, "must be the name of a text encoding such as 'cp1252'"
        )
    try:
        codecs.lookup(value)
    except LookupError:
        raise ValidationError(
            attribute.name,
            f"names no text encoding Python knows ({shown(value, code=True)}); use one such "
            "as 'utf-8-sig' (the default), 'utf-8' or 'cp1252' "
            "(on the command line: --source-option encoding=cp1252)",
        ) from None


@attrs.frozen
class CsvSource:
    """Read a dataset from a folder of CSV files; every file is optional.

    A file whose name is close to a table's (``member.csv``, ``Members.CSV``)
    is an error suggesting the right name, never silently skipped; a folder
    with no table file at all is an error too.

    Args:
        path: The folder.
        delimiter: The field separator: ``,`` or ``;``.
        encoding: The files' encoding (``utf-8-sig``, ``cp1252``, ...).
        case_numbers: Id columns that hold case numbers numbered by date,
            accepted although some pass a personnummer's check digit
            (see :func:`socforst.ids.case_number_columns`).

    Example:
        >>> import socforst
        >>> source = socforst.open_source("csv:my-extract")
        >>> source.path.name
        'my-extract'
    """

    path: Path = attrs.field(converter=Path)
    delimiter: str = attrs.field(default=",", validator=_check_delimiter)
    encoding: str = attrs.field(default="utf-8-sig", validator=_check_encoding)
    case_numbers: tuple[str, ...] = attrs.field(default=(), converter=column_names)

    def read(self) -> Dataset:
        """Read every table file found.

        Raises:
            LoadError: Listing every bad row of every file, and every broken
                reference between them; nothing is returned.
        """
        if not self.path.is_dir():
            reason = "does not exist" if not self.path.exists() else "is not a folder"
            raise LoadError(
                f"cannot read {redact(str(self.path))}",
                [RowError(str(self.path), "-", None, None, reason)],
            )
        # Plainly valid case tables are read and checked on columns; anything
        # else is read row by row below, which reports every problem.
        from socforst.sources.fastcsv import read_fast

        fast = read_fast(self)
        if fast is not None:
            return fast
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
            file = self.path / f"{table}.csv"
            if file.is_file():
                found = True
                numbers: list[int] = []
                records, problems, header = self._read_file(
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
                    + ", ".join(f"{t}.csv" for t in TABLES)
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
        """An error for each ``.csv`` file whose name is close to a table's but not one."""
        errors: list[RowError] = []
        names = [f"{table}.csv" for table in TABLES]
        try:
            entries = sorted(os.listdir(self.path))
        except OSError:
            return errors
        for entry in entries:
            if entry in names or not entry.lower().strip().endswith(".csv"):
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

    def _read_file(
        self,
        file: Path,
        table: str,
        kind: type,
        registry: DistrictRegistry | None,
        numbers: list[int],
        pending: set[str],
    ) -> tuple[list[Any], list[RowError], tuple[str, ...]]:
        source = str(file)
        problems: list[RowError] = []
        try:
            # Bytes the encoding cannot decode become lone surrogates, so that the
            # rows holding them are reported one by one and the other rows are
            # still checked (the file-level error hid every other error).
            with file.open(encoding=self.encoding, errors="surrogateescape", newline="") as handle:
                reader = csv.reader(handle, delimiter=self.delimiter, strict=True)
                try:
                    header = next(reader, None)
                except csv.Error as error:
                    return [], [RowError(source, table, 1, None, f"is not valid CSV ({error})")], ()
                if header is None:
                    return [], [], ()  # an empty file is an empty table
                if _undecoded(header):
                    return [], [self._decoding_error(source, table, 1, header, header)], ()
                # Streamed: one row's cells at a time, not the whole file's.
                rows = _numbered(reader, header, problems, source, table, self)
                records, errors = read_table(
                    source,
                    table,
                    kind,
                    header,
                    rows,
                    registry,
                    positional=True,
                    numbers=numbers,
                    restore_formulas=True,
                    failed_ids=pending if table == "districts" else None,
                    pending_codes=pending,
                )
        except OSError as error:
            return (
                [],
                [RowError(source, table, None, None, f"cannot be read: {error.strerror}")],
                (),
            )
        errors = sorted(problems + errors, key=lambda e: e.row or 0)
        return records, errors, tuple(header)

    def _decoding_error(
        self, source: str, table: str, row: int, header: Sequence[str], cells: Sequence[str]
    ) -> RowError:
        column = next(
            (name for name, cell in zip(header, cells, strict=False) if _undecoded([cell])), None
        )
        byte = next(ord(c) - 0xDC00 for c in "".join(cells) if "\udc80" <= c <= "\udcff")
        return RowError(
            source,
            table,
            row,
            column if column is not None and not _undecoded([column]) else None,
            f"is not {self.encoding} text (byte 0x{byte:02X} cannot be decoded); give the "
            "file's encoding, such as encoding='cp1252' (on the command line: "
            "--source-option encoding=cp1252)",
        )


def _undecoded(cells: Sequence[str]) -> bool:
    """Whether a cell holds a byte the encoding could not decode (a lone surrogate)."""
    return any(not cell.isascii() and _ESCAPED.search(cell) for cell in cells)


_ESCAPED = re.compile("[\udc80-\udcff]")


def _numbered(
    reader: Any,
    header: list[str],
    problems: list[RowError],
    source: str,
    table: str,
    owner: CsvSource,
) -> Iterator[tuple[int, list[str]]]:
    """Each row's cells with the line it starts on (the header is line 1).

    Rows that are not valid CSV, or have more cells than the header, are added
    to *problems* and skipped, so that the rows after them are still checked.
    """
    width = len(header)
    start = reader.line_num + 1
    while True:
        try:
            # One for loop for the good rows; a bad one ends it, and it is entered again.
            for cells in reader:
                joined = "".join(cells)
                if not joined.strip():
                    pass  # a blank line holds no record
                elif not joined.isascii() and _ESCAPED.search(joined):
                    problems.append(owner._decoding_error(source, table, start, header, cells))
                elif len(cells) > width:
                    reason = f"has {len(cells)} cells but the header has {width} columns"
                    problems.append(RowError(source, table, start, None, reason))
                else:
                    yield start, cells
                start = reader.line_num + 1
            return
        except csv.Error as error:
            problems.append(
                RowError(source, table, reader.line_num, None, f"is not valid CSV ({error})")
            )
            if reader.line_num < start:  # pragma: no cover - the reader did not move on
                return
            start = reader.line_num + 1


_MAX_PROBLEMS = 1000


def _check_export_encoding(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    try:
        codecs.lookup(value)
    except (LookupError, TypeError):
        raise ValueError(
            f"{attribute.name!r} must be a text encoding such as 'utf-8' or 'cp1252' "
            "(on the command line: --target-option encoding=cp1252)"
        ) from None


def _to_bool(value: object) -> bool:
    """A flag option: a bool, or ``true``/``false`` (``yes``/``no``, ``1``/``0``) as text."""
    if isinstance(value, bool):
        return value
    words = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
    if isinstance(value, str) and value.strip().lower() in words:
        return words[value.strip().lower()]
    raise ValueError("'raw' must be true or false")


@attrs.frozen
class CsvExporter:
    """Write a dataset, or deadlines, as CSV files in a folder: all files, or none.

    Every file is written beside its final name, and only when all are written
    do they replace the old ones, together: if putting any of them in place
    fails, the ones already replaced get their old content back (see
    :func:`socforst._atomic.staged_writes`), so a failed or interrupted write
    leaves the old files whole. Every table is written (empty ones as a
    header), so no stale file is left behind.

    Text cells that a spreadsheet would run as a formula (starting with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return) get a leading ``'``
    (:func:`socforst.sources.cells.neutralise_formula`); numbers and dates are
    never changed. ``raw=True`` writes every cell as it is, for programs.

    New files are ``0600`` and a new folder ``0700`` (the data is about
    children); a replaced file keeps its own mode; *mode* sets one for all.

    Args:
        path: The folder; it is created if missing.
        delimiter: The field separator.
        encoding: The files' encoding.
        raw: Write text cells as they are, without neutralising formulas.
        mode: The permissions of every file written (``0o640`` or ``"640"``).

    Raises:
        ValueError: If *delimiter*, *encoding* or *mode* is not valid.

    Example:
        >>> import socforst
        >>> exporter = socforst.open_exporter("csv:copy", mode="640")
        >>> oct(exporter.mode), exporter.raw
        ('0o640', False)
    """

    path: Path = attrs.field(converter=Path)
    delimiter: str = attrs.field(default=",", validator=_check_delimiter)
    encoding: str = attrs.field(default="utf-8", validator=_check_export_encoding)
    raw: bool = attrs.field(default=False, converter=_to_bool, kw_only=True)
    mode: int | None = attrs.field(default=None, converter=parse_mode, kw_only=True)

    def write_dataset(self, dataset: Dataset) -> None:
        """Write one CSV file per table; all are written aside before any replaces its old file.

        Raises:
            ExportError: Listing every cell that the encoding cannot hold (by
                table, row and column, never the value); no file is replaced.
            WriteError: If a file cannot be written or put in place; no file is
                replaced.
        """
        make_folder(self.path, mode=self.mode)
        problems: list[RowError] = []
        with staged_writes(mode=self.mode) as staged:
            for table, records in dataset.tables():
                kind = TABLES[table]
                file = self.path / f"{table}.csv"
                with staged.open(file, encoding=self.encoding, newline="") as handle:
                    rows = (to_row(r) for r in records)
                    problems += self._write_rows(
                        handle, file, table, columns_of(kind), text_columns(kind), rows
                    )
            if problems:
                raise _unencodable(self.path, self.encoding, problems)

    def write_deadlines(self, deadlines: Iterable[EvaluatedDeadline]) -> None:
        """Write ``deadlines.csv`` with exactly the columns of the deadline output.

        Raises:
            ExportError: As :meth:`write_dataset`.
            WriteError: As :meth:`write_dataset`.
        """
        make_folder(self.path, mode=self.mode)
        file = self.path / "deadlines.csv"
        texts = text_columns(EvaluatedDeadline)
        with atomic_write(file, encoding=self.encoding, newline="", mode=self.mode) as handle:
            rows = (_deadline_row(d) for d in deadlines)
            problems = self._write_rows(handle, file, "deadlines", DEADLINE_COLUMNS, texts, rows)
            if problems:
                raise _unencodable(file, self.encoding, problems)

    def _write_rows(
        self,
        handle: IO[str],
        file: Path,
        table: str,
        columns: Iterable[str],
        texts: frozenset[str],
        rows: Iterable[Mapping[str, str]],
    ) -> list[RowError]:
        """Write the header and *rows*; the cells the encoding cannot hold, as errors."""
        columns = list(columns)
        neutralised = frozenset() if self.raw else texts & frozenset(columns)
        writer = csv.DictWriter(
            handle, fieldnames=columns, delimiter=self.delimiter, lineterminator="\n"
        )
        # Python 3.11's csv quotes a field only for the characters of the line
        # terminator, so a lone carriage return would go out bare and split the row.
        quoting_all = csv.DictWriter(
            handle,
            fieldnames=columns,
            delimiter=self.delimiter,
            lineterminator="\n",
            quoting=csv.QUOTE_ALL,
        )
        writer.writeheader()
        problems: list[RowError] = []
        for line, row in enumerate(rows, start=2):  # the header is line 1
            if neutralised:
                row = neutralised_row(row, neutralised)
            try:
                if any("\r" in value for value in row.values()):
                    quoting_all.writerow(row)
                else:
                    writer.writerow(row)
            except UnicodeEncodeError:
                if len(problems) < _MAX_PROBLEMS:
                    problems += _unencodable_cells(file, table, line, row, self.encoding)
                else:
                    problems.append(problems[-1])  # counted, not described again
        return problems


def _unencodable_cells(
    file: Path, table: str, line: int, row: Mapping[str, str], encoding: str
) -> list[RowError]:
    """One error per cell of *row* that *encoding* cannot hold; the value is not shown."""
    problems = []
    for column, value in row.items():
        position = first_unencodable(value, encoding)
        if position is not None:
            character = value[position]
            what = "a lone surrogate" if "\ud800" <= character <= "\udfff" else "a character"
            problems.append(
                RowError(
                    str(file),
                    table,
                    line,
                    column,
                    f"holds {what} (U+{ord(character):04X}, character {position + 1}) "
                    f"that {encoding} cannot encode",
                )
            )
    return problems


def _unencodable(target: Path, encoding: str, problems: list[RowError]) -> ExportError:
    described = problems[:_MAX_PROBLEMS]
    count = len(problems)
    values = "1 value" if count == 1 else f"{count} values"
    message = f"cannot write {target}: {values} cannot be encoded in {encoding}"
    if len(problems) > len(described):
        message += f" (the first {len(described)} are listed)"
    return ExportError(message + "; no file was replaced", described)


def _deadline_row(deadline: EvaluatedDeadline) -> dict[str, str]:
    def text(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)

    return {column: text(getattr(deadline, column)) for column in DEADLINE_COLUMNS}
