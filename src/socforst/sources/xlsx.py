"""A dataset as one Excel workbook (``.xlsx``), one sheet per table.

Each sheet is named as its table (``members``, ``reports``, ...) and has the
columns in its first row; other sheets are ignored. Cells may hold text,
numbers, dates or datetimes as Excel stores them; the values then follow the
same rules as the CSV files (see :mod:`socforst.sources.rows`):

- a date cell in a date column is that date (Excel stores dates as datetimes
  at midnight); in a datetime column such as ``received_at`` a date or a
  datetime without an offset is Stockholm local time;
- a number in a text column (an id typed as ``1001``) is read as its text;
- text escaped as Office Open XML does it (``_x000D_`` for a carriage return)
  is unescaped.

Row numbers in errors are the sheet's row numbers, the header being row 1.
Read and written with openpyxl (the ``xlsx`` extra: ``pip install socforst[xlsx]``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import typing
import warnings
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from socforst._atomic import atomic_write_bytes
from socforst.dataset import TABLES, Dataset
from socforst.districts import DistrictRegistry
from socforst.errors import LoadError, RowError
from socforst.rules.base import EvaluatedDeadline
from socforst.sources import DEADLINE_COLUMNS
from socforst.sources.rows import columns_of, read_table, registry_with, to_row

__all__ = ["XlsxExporter", "XlsxSource"]

_DATE_FORMAT = "yyyy-mm-dd"

# Office Open XML (ECMA-376 Part 1, 22.9.2.19 ST_Xstring) escapes the characters
# XML cannot hold (and CR, which XML parsers turn into LF) as _xHHHH_, and a
# literal "_xHHHH_" by escaping its underscore. Excel reads and writes text so.
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_TO_ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


def _escape(text: str) -> str:
    return _TO_ESCAPE.sub(lambda match: f"_x{ord(match.group()):04X}_", text)


def _unescape(text: str) -> str:
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda match: chr(int(match.group(1), 16)), text)


@cache
def _column_types(kind: type) -> Mapping[str, str]:
    """Each column of *kind* that needs a cell converted: ``date`` or ``text``."""
    types: dict[str, str] = {}
    for name, hint in typing.get_type_hints(kind).items():
        if hint in (dt.date, dt.date | None):
            types[name] = "date"
        elif hint in (str, str | None, frozenset[str]):
            types[name] = "text"
    return types


def _cell_value(value: Any, column_type: str | None) -> Any:
    """A cell as openpyxl gives it, as the value the converter expects."""
    if isinstance(value, str):
        return _unescape(value)
    if column_type == "date" and isinstance(value, dt.datetime) and value.time() == dt.time(0):
        # Excel has no date type: a date cell is a datetime at midnight.
        return value.date()
    if column_type == "text" and not isinstance(value, bool):
        # As in a CSV file, an id or a word typed as a number is its text.
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else repr(value)
    return value


@attrs.frozen
class XlsxSource:
    """Read a dataset from an Excel workbook, one sheet per table; every sheet is optional.

    Args:
        path: The ``.xlsx`` file.

    Example:
        >>> import socforst
        >>> source = socforst.open_source("xlsx:extract.xlsx")
        >>> source.path.name
        'extract.xlsx'
    """

    path: Path = attrs.field(converter=Path)

    def read(self) -> Dataset:
        """Read every sheet named as a table.

        Raises:
            LoadError: Listing every bad row of every sheet, or one error if the
                file cannot be read or is not an ``.xlsx`` workbook; nothing is returned.
        """
        source = str(self.path)
        try:
            sheets = self._sheets()
        except OSError as error:
            raise LoadError(
                f"cannot read {source}",
                [RowError(source, "-", None, None, f"cannot be read: {error.strerror}")],
            ) from error
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise LoadError(
                f"cannot read {source}",
                [
                    RowError(
                        source,
                        "-",
                        None,
                        None,
                        f"is not a valid .xlsx workbook ({type(error).__name__})",
                    )
                ],
            ) from error
        tables: dict[str, list[Any]] = {}
        errors: list[RowError] = []
        registry = None
        for table, kind in TABLES.items():  # districts first: the others name them
            if table in sheets:
                header, rows = sheets[table]
                records, problems = self._read_sheet(source, table, kind, header, rows, registry)
                tables[table] = records
                errors += problems
            if table == "districts":
                registry, problems = registry_with(source, tables.get(table, ()))
                errors += problems
        if errors:
            raise LoadError(f"{len(errors)} problems reading {source}", errors)
        return Dataset(**tables)

    def _sheets(self) -> dict[str, tuple[list[str], list[tuple[int, tuple[Any, ...]]]]]:
        """The header and the numbered non-blank rows of each sheet named as a table."""
        sheets: dict[str, tuple[list[str], list[tuple[int, tuple[Any, ...]]]]] = {}
        with warnings.catch_warnings():
            # Workbooks written by other programs than Excel often lack a default
            # style; openpyxl applies its own, which is harmless when reading values.
            warnings.filterwarnings(
                "ignore",
                message="Workbook contains no default style",
                category=UserWarning,
                module="openpyxl",
            )
            with self.path.open("rb") as handle:
                workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
                try:
                    for table in TABLES:
                        if table not in workbook.sheetnames:
                            continue
                        sheets[table] = _rows_of(workbook[table].iter_rows(values_only=True))
                finally:
                    workbook.close()
        return sheets

    @staticmethod
    def _read_sheet(
        source: str,
        table: str,
        kind: type,
        header: list[str],
        rows: list[tuple[int, tuple[Any, ...]]],
        registry: DistrictRegistry | None = None,
    ) -> tuple[list[Any], list[RowError]]:
        types = _column_types(kind)
        numbered: list[tuple[int, Mapping[str, Any]]] = []
        errors: list[RowError] = []
        for number, cells in rows:
            row: dict[str, Any] = {}
            for index, value in enumerate(cells):
                name = header[index] if index < len(header) else ""
                if not name and _is_blank(value):
                    continue  # an empty column between or after the table's columns
                if not name:
                    errors.append(
                        RowError(
                            source,
                            table,
                            number,
                            None,
                            f"has a value in column {index + 1}, which has no header",
                        )
                    )
                    break
                row[name] = _cell_value(value, types.get(name))
            else:
                numbered.append((number, row))
        if errors:
            return [], errors
        return read_table(source, table, kind, header, numbered, registry)


def _rows_of(
    rows: Iterable[tuple[Any, ...]],
) -> tuple[list[str], list[tuple[int, tuple[Any, ...]]]]:
    """The header, and each non-blank row with its sheet row number (the header is row 1)."""
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return [], []  # an empty sheet is an empty table
    header = ["" if cell is None else _unescape(str(cell)).strip() for cell in first]
    while header and not header[-1]:
        header.pop()  # formatted but empty cells after the last column
    numbered: list[tuple[int, tuple[Any, ...]]] = []
    for number, cells in enumerate(iterator, start=2):
        if all(_is_blank(cell) for cell in cells):
            continue  # a blank row holds no record
        last = len(cells)
        while last and cells[last - 1] is None:
            last -= 1
        numbered.append((number, tuple(cells[:last])))
    return header, numbered


def _is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _excel_cell(value: Any, text: str) -> Any:
    """A record's value as a cell: dates as Excel dates, numbers as numbers, else text.

    A datetime is written as ISO 8601 text with its offset: Excel's datetimes
    have no time zone, so only text keeps the exact instant.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return text
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return _escape(text)


@attrs.frozen
class XlsxExporter:
    """Write a dataset, or deadlines, as an Excel workbook, atomically.

    The workbook is written beside its final name and then replaces it, so a
    failed or interrupted write leaves the old file whole. Every table is
    written as a sheet (empty ones as a header).

    Args:
        path: The ``.xlsx`` file; its folder is created if missing.

    Example:
        >>> import socforst
        >>> exporter = socforst.open_exporter("xlsx:plan.xlsx")
        >>> exporter.path.name
        'plan.xlsx'
    """

    path: Path = attrs.field(converter=Path)

    def write_dataset(self, dataset: Dataset) -> None:
        """Write one sheet per table, replacing the whole workbook."""
        sheets: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]] = {}
        for table, records in dataset.tables():
            columns = columns_of(TABLES[table])
            sheets[table] = (columns, [_record_cells(record, columns) for record in records])
        self._write(sheets)

    def write_deadlines(self, deadlines: Iterable[EvaluatedDeadline]) -> None:
        """Write a workbook with one ``deadlines`` sheet of the deadline output's columns."""
        rows = (
            [
                _excel_cell(getattr(deadline, column), str(getattr(deadline, column)))
                for column in DEADLINE_COLUMNS
            ]
            for deadline in deadlines
        )
        self._write({"deadlines": (DEADLINE_COLUMNS, rows)})

    def _write(self, sheets: Mapping[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]) -> None:
        workbook = openpyxl.Workbook()
        default = workbook.active
        for name, (columns, rows) in sheets.items():
            sheet = workbook.create_sheet(name)
            sheet.append(list(columns))
            for cells in rows:
                _append(sheet, cells)
        if default is not None:
            workbook.remove(default)
        # Serialise in memory first: openpyxl leaves its zip archive open when a
        # save fails, and the archive would then write to a closed file when collected.
        buffer = io.BytesIO()
        workbook.save(buffer)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write_bytes(self.path) as handle:
            handle.write(buffer.getbuffer())


def _record_cells(record: object, columns: Sequence[str]) -> list[Any]:
    texts = to_row(record)
    return [_excel_cell(getattr(record, column), texts[column]) for column in columns]


def _append(sheet: Worksheet, cells: Sequence[Any]) -> None:
    sheet.append(list(cells))
    row = sheet.max_row
    for index, value in enumerate(cells, start=1):
        cell = sheet.cell(row=row, column=index)
        if isinstance(value, str):
            # Text is text: never a formula, even when it starts with "=".
            cell.data_type = "s"
        elif isinstance(value, dt.date):
            cell.number_format = _DATE_FORMAT
