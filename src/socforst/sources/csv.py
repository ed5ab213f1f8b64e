"""A dataset as a folder of CSV files, one per table (``members.csv``, ``reports.csv``, ...).

Read with the standard library's ``csv`` module. Case-system extracts often use
``;`` and Windows-1252; pass ``delimiter=";"`` and ``encoding="cp1252"``. The
default encoding, ``utf-8-sig``, reads UTF-8 with or without a byte-order mark.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import attrs

from socforst._atomic import atomic_write, staged_writes
from socforst.dataset import TABLES, Dataset
from socforst.districts import DistrictRegistry
from socforst.errors import LoadError, RowError
from socforst.rules.base import EvaluatedDeadline
from socforst.sources import DEADLINE_COLUMNS
from socforst.sources.rows import columns_of, gc_paused, read_table, registry_with, to_row

__all__ = ["CsvExporter", "CsvSource"]


def _check_delimiter(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or len(value) != 1:
        raise ValueError(f"{attribute.name!r} must be one character, got {value!r}")


@attrs.frozen
class CsvSource:
    """Read a dataset from a folder of CSV files; every file is optional.

    Args:
        path: The folder.
        delimiter: The field separator: ``,`` or ``;``.
        encoding: The files' encoding (``utf-8-sig``, ``cp1252``, ...).

    Example:
        >>> import socforst
        >>> source = socforst.open_source("csv:my-extract")
        >>> source.path.name
        'my-extract'
    """

    path: Path = attrs.field(converter=Path)
    delimiter: str = attrs.field(default=",", validator=_check_delimiter)
    encoding: str = "utf-8-sig"

    def read(self) -> Dataset:
        """Read every table file found.

        Raises:
            LoadError: Listing every bad row of every file; nothing is returned.
        """
        if not self.path.is_dir():
            raise LoadError(
                f"cannot read {self.path}",
                [RowError(str(self.path), "-", None, None, "is not a folder")],
            )
        with gc_paused():
            return self._read_tables()

    def _read_tables(self) -> Dataset:
        tables: dict[str, list[Any]] = {}
        errors: list[RowError] = []
        registry = None
        for table, kind in TABLES.items():  # districts come first: the others name them
            file = self.path / f"{table}.csv"
            if file.is_file():
                records, problems = self._read_file(file, table, kind, registry)
                tables[table] = records
                errors += problems
            if table == "districts":
                registry, problems = registry_with(str(file), tables.get(table, ()))
                errors += problems
        if errors:
            raise LoadError(f"{len(errors)} problems reading {self.path}", errors)
        return Dataset(**tables)

    def _read_file(
        self, file: Path, table: str, kind: type, registry: DistrictRegistry | None
    ) -> tuple[list[Any], list[RowError]]:
        source = str(file)
        problems: list[RowError] = []
        try:
            with file.open(encoding=self.encoding, newline="") as handle:
                reader = csv.reader(handle, delimiter=self.delimiter, strict=True)
                try:
                    header = next(reader, None)
                except csv.Error as error:
                    return [], [RowError(source, table, 1, None, f"is not valid CSV ({error})")]
                if header is None:
                    return [], []  # an empty file is an empty table
                # Streamed: one row's cells at a time, not the whole file's.
                rows = _numbered(reader, header, problems, source, table)
                records, errors = read_table(
                    source, table, kind, header, rows, registry, positional=True
                )
        except UnicodeDecodeError:
            return [], [
                RowError(
                    source,
                    table,
                    None,
                    None,
                    f"is not {self.encoding} text; give the right encoding, such as "
                    "encoding='cp1252'",
                )
            ]
        except OSError as error:
            return [], [RowError(source, table, None, None, f"cannot be read: {error.strerror}")]
        errors = sorted(problems + errors, key=lambda e: e.row or 0)
        return records, errors


def _numbered(
    reader: Any, header: list[str], problems: list[RowError], source: str, table: str
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
                if not "".join(cells).strip():
                    pass  # a blank line holds no record
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


@attrs.frozen
class CsvExporter:
    """Write a dataset, or deadlines, as CSV files in a folder, each file atomically.

    Every file is written beside its final name, and only when all are written
    do they replace the old ones, so a failed or interrupted write leaves the
    old files whole. Every table is written (empty ones as a header), so no
    stale file is left behind.

    Args:
        path: The folder; it is created if missing.
        delimiter: The field separator.
        encoding: The files' encoding.
    """

    path: Path = attrs.field(converter=Path)
    delimiter: str = attrs.field(default=",", validator=_check_delimiter)
    encoding: str = "utf-8"

    def write_dataset(self, dataset: Dataset) -> None:
        """Write one CSV file per table; all are written aside before any replaces its old file."""
        self.path.mkdir(parents=True, exist_ok=True)
        with staged_writes() as staged:
            for table, records in dataset.tables():
                columns = columns_of(TABLES[table])
                with staged.open(
                    self.path / f"{table}.csv", encoding=self.encoding, newline=""
                ) as handle:
                    self._write_rows(handle, columns, (to_row(r) for r in records))

    def write_deadlines(self, deadlines: Iterable[EvaluatedDeadline]) -> None:
        """Write ``deadlines.csv`` with exactly the columns of the deadline output."""
        self.path.mkdir(parents=True, exist_ok=True)
        self._write("deadlines.csv", DEADLINE_COLUMNS, (_deadline_row(d) for d in deadlines))

    def _write(self, name: str, columns: Iterable[str], rows: Iterable[Mapping[str, str]]) -> None:
        with atomic_write(self.path / name, encoding=self.encoding, newline="") as handle:
            self._write_rows(handle, columns, rows)

    def _write_rows(
        self, handle: IO[str], columns: Iterable[str], rows: Iterable[Mapping[str, str]]
    ) -> None:
        columns = list(columns)
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
        for row in rows:
            if any("\r" in value for value in row.values()):
                quoting_all.writerow(row)
            else:
                writer.writerow(row)


def _deadline_row(deadline: EvaluatedDeadline) -> dict[str, str]:
    def text(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)

    return {column: text(getattr(deadline, column)) for column in DEADLINE_COLUMNS}
