"""A dataset as one Excel workbook (``.xlsx``), one sheet per table.

Each sheet is named as its table (``members``, ``reports``, ...) and has the
columns in its first row. A sheet whose name is close to a table's
(``Members``, ``members ``, ``member``) is an error suggesting the right name;
other sheets are ignored. Cells may hold text, numbers, dates or datetimes as
Excel stores them; the values then follow the same rules as the CSV files (see
:mod:`socforst.sources.rows`):

- a date cell in a date column is that date (Excel stores dates as datetimes
  at midnight); in a datetime column such as ``received_at`` a date or a
  datetime without an offset is Stockholm local time;
- a number in a text column (an id typed as ``1001``) is read as its text;
- text escaped as Office Open XML does it (``_x000D_`` for a carriage return)
  is unescaped;
- a cell that cannot be a value of its column is an error naming the cell: a
  TRUE/FALSE cell, a date in a text column, a number in a date column, an
  Excel error (``#DIV/0!``), a formula saved without its calculated value.
  A formula with a calculated value is read as that value, never evaluated.

Reading is bounded (F17, F18 of the 2026-11 red-team report): each row is read
only as far as the header's columns, from the cells the sheet holds, whatever
size the sheet declares; before anything is parsed, every XML part of the
workbook is checked: at most ``max_part_bytes`` unpacked, at
most ``max_ratio`` times its packed size, no document type
declaration (so no entity can expand or reach outside), and no run of more
than 512 KiB without markup or comment of more than 1 MiB (the XML parser
takes time growing with the square of such a run).

Row numbers in errors are the sheet's row numbers, the header being row 1.
Read with openpyxl, written with XlsxWriter (the ``xlsx`` extra:
``pip install socforst[xlsx]``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import io
import os
import re
import shutil
import tempfile
import typing
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import IO, Any, cast

import attrs
import openpyxl
import xlsxwriter  # type: ignore[import-untyped]
from openpyxl.utils.cell import get_column_letter
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser
from xlsxwriter.exceptions import FileSizeError as XlsxFileSizeError  # type: ignore[import-untyped]
from xlsxwriter.exceptions import XlsxFileError

from socforst._atomic import atomic_write_bytes, make_folder, parse_mode
from socforst.dataset import TABLES, Dataset
from socforst.districts import DistrictRegistry
from socforst.errors import LoadError, RowError, WriteError, redact, shown
from socforst.ids import case_number_columns
from socforst.rules.base import EvaluatedDeadline
from socforst.sources import DEADLINE_COLUMNS
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

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "DEFAULT_MAX_PART_BYTES",
    "DEFAULT_MAX_RATIO",
    "MAX_SHEET_ROWS",
    "MAX_TEXT_LENGTH",
    "XlsxExporter",
    "XlsxSource",
]

DEFAULT_MAX_PART_BYTES = 1 << 30
"""The largest XML part of a workbook that is read, in bytes unpacked (1 GiB).

The demo city's ``reports`` sheet (290,000 reports) is 113 MB unpacked."""

DEFAULT_MAX_RATIO = 100
"""How many times its packed size an XML part larger than 1 MiB may unpack to.

Sheets of real data unpack to about 10 times their packed size; a zip bomb
(a 209 KB workbook holding a 200 MB sheet) to about 1,000 times."""

MAX_TEXT_LENGTH = 32_767
"""The most characters (UTF-16 code units) an Excel cell holds."""

MAX_SHEET_ROWS = 1_048_576
"""The rows of an Excel sheet, the header row included."""

_DATE_FORMAT = "yyyy-mm-dd"
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 0 of the 1900 date system, after its leap bug
_RATIO_FLOOR = 1 << 20  # small parts (styles, rels) may compress well and cost nothing
_BLOCK = 1 << 19  # every 512 KiB of an XML part must hold a '<'
_READ = 8 * _BLOCK
_MAX_MARKUP = 1 << 20  # the longest comment, CDATA section or processing instruction
_SPECIAL = re.compile(rb"<[!?]")

# Office Open XML (ECMA-376 Part 1, 22.9.2.19 ST_Xstring) escapes the characters
# XML cannot hold (and CR, which XML parsers turn into LF) as _xHHHH_, and a
# literal "_xHHHH_" by escaping its underscore. Excel reads and writes text so;
# XlsxWriter escapes on writing, this module unescapes on reading.
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
# What no cell can hold: lone surrogates (not text; UTF-8 cannot encode them)
# and the non-characters U+FFFE and U+FFFF (XML 1.0 cannot hold them).
_NOT_TEXT = re.compile("[\ud800-\udfff\ufffe\uffff]")
_EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)
_TABLE_NAMES = tuple(TABLES)


def _unescape(text: str) -> str:
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda match: chr(int(match.group(1), 16)), text)


def _byte_count(value: object) -> int:
    """*value* as a whole number of at least 1: an int, or digits (``--source-option``)."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,18}", value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"must be a whole number of at least 1, got {shown(value)}")
    return value


# ---------------------------------------------------------------- reading


class _CellError(Exception):
    """A cell that cannot be a value of its column; the reason names the cell."""


@cache
def _column_types(kind: type) -> Mapping[str, str]:
    """Each column of *kind* by what its cells must hold: date, datetime, number or text."""
    types: dict[str, str] = {}
    for name, hint in typing.get_type_hints(kind).items():
        arguments = [a for a in typing.get_args(hint) if a is not type(None)]
        base = arguments[0] if len(arguments) == 1 else hint
        if hint == frozenset[str]:
            types[name] = "text"
        elif base is dt.datetime:
            types[name] = "datetime"
        elif base is dt.date:
            types[name] = "date"
        elif base in (int, float):
            types[name] = "number"
        elif base is str:
            types[name] = "text"
        elif isinstance(base, type) and issubclass(base, enum.Enum):
            types[name] = "code"
    return types


class _CellParser(WorkSheetParser):
    """openpyxl's sheet parser, which also tells a formula saved without its value.

    With ``data_only`` openpyxl gives a formula's calculated value, and
    ``None`` when the file holds none (a workbook written by a script and never
    opened in a spreadsheet program): then the cell would read as empty.
    """

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            cell["data_type"] = "uncalculated"
        return cell


def _cell(cell: Mapping[str, Any], number: int, column_type: str | None) -> Any:
    """A cell as openpyxl parsed it, as the value its column's converter expects.

    Raises:
        _CellError: If the cell cannot be a value of its column.
    """
    value = cell["value"]
    data_type = cell["data_type"]
    where = f"cell {get_column_letter(cell['column'])}{number}"
    if data_type == "uncalculated":
        raise _CellError(
            f"{where} holds a formula saved without its calculated value (the workbook "
            "was written by a program that does not calculate); open and save it in "
            "Excel or LibreOffice, or write the value itself"
        )
    if data_type == "e":
        code = value if value in _EXCEL_ERRORS else "error value"
        raise _CellError(f"{where} holds the Excel error {code}, not a value")
    if isinstance(value, str):
        text = _unescape(value)
        if _NOT_TEXT.search(text):
            raise _CellError(
                f"{where} holds an escaped character that is not text (a lone surrogate "
                "or U+FFFE/U+FFFF)"
            )
        return text
    if isinstance(value, bool):
        raise _CellError(
            f"{where} is a TRUE/FALSE cell, which no column of the data formats holds; "
            "write the value itself"
        )
    if isinstance(value, dt.timedelta | dt.time):
        raise _CellError(f"{where} holds a time of day or a duration, not a value of this column")
    if isinstance(value, dt.datetime):
        if column_type == "text":
            raise _CellError(f"{where} holds a date where text is expected; format it as text")
        if column_type == "date" and value.time() == dt.time(0):
            # Excel has no date type: a date cell is a datetime at midnight.
            return value.date()
        return value
    if isinstance(value, int | float):
        if column_type in ("date", "datetime"):
            raise _CellError(
                f"{where} holds a number where a date is expected; format the cell as a "
                "date, or write the date as text YYYY-MM-DD"
            )
        if column_type in ("text", "code"):
            # As in a CSV file, an id or a word typed as a number is its text.
            if isinstance(value, float):
                return str(int(value)) if value.is_integer() else repr(value)
            return str(value)
    return value


def _header(cells: Iterable[Mapping[str, Any]]) -> list[str]:
    """Row 1's cells as column names, up to the last one that is not empty."""
    names: dict[int, str] = {}
    for cell in cells:
        value = cell["value"]
        if value is None:
            continue
        text = _unescape(value) if isinstance(value, str) else str(value)
        if text.strip():
            names[cell["column"]] = text.strip()
    width = max(names, default=0)
    return [names.get(column, "") for column in range(1, width + 1)]


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sheet_rows(
    rows: Iterator[tuple[int, list[dict[str, Any]]]],
    header: Sequence[str],
    types: Mapping[str, str],
    source: str,
    table: str,
    errors: list[RowError],
) -> Iterator[tuple[int, list[Any]]]:
    """Each non-blank row's cells in header order; a bad cell is an error in *errors*.

    Only the cells a row holds are looked at, and only up to the header's last
    column: a sheet that declares itself 16,384 columns wide costs nothing.
    """
    width = len(header)
    column_types = [types.get(name) for name in header]
    for number, cells in rows:
        values: list[Any] = [None] * width
        row_errors: list[RowError] = []
        for cell in cells:
            index = cell["column"] - 1
            if cell["value"] is None and cell["data_type"] != "uncalculated":
                continue  # a formatted cell without a value
            if index >= width:
                if not _is_blank(cell["value"]):
                    row_errors.append(
                        RowError(
                            source,
                            table,
                            number,
                            None,
                            f"has a value under column {index + 1}, which has no name in "
                            "the header; name the column or remove the value",
                        )
                    )
                continue
            try:
                values[index] = _cell(cell, number, column_types[index])
            except _CellError as error:
                column = header[index] or None
                row_errors.append(RowError(source, table, number, column, str(error)))
        if row_errors:
            errors += row_errors
        elif not all(_is_blank(value) for value in values):
            yield number, values


@attrs.frozen
class XlsxSource:
    """Read a dataset from an Excel workbook, one sheet per table; every sheet is optional.

    Args:
        path: The ``.xlsx`` file.
        max_part_bytes: The largest XML part read, unpacked, in bytes
            (:data:`DEFAULT_MAX_PART_BYTES`, 1 GiB); a larger one is refused.
            On the command line: ``--source-option max_part_bytes=4000000000``.
        max_ratio: How many times its packed size an XML part larger than 1 MiB
            may unpack to (:data:`DEFAULT_MAX_RATIO`); more is refused as a zip bomb.
        case_numbers: Id columns that hold case numbers numbered by date,
            accepted although some pass a personnummer's check digit
            (see :func:`socforst.ids.case_number_columns`).

    Example:
        >>> import socforst
        >>> source = socforst.open_source("xlsx:extract.xlsx")
        >>> source.path.name
        'extract.xlsx'
    """

    path: Path = attrs.field(converter=Path)
    max_part_bytes: int = attrs.field(
        default=DEFAULT_MAX_PART_BYTES, converter=_byte_count, kw_only=True
    )
    max_ratio: int = attrs.field(default=DEFAULT_MAX_RATIO, converter=_byte_count, kw_only=True)
    case_numbers: tuple[str, ...] = attrs.field(default=(), converter=column_names, kw_only=True)

    def read(self) -> Dataset:
        """Read every sheet named as a table.

        Raises:
            LoadError: Listing every bad row of every sheet, every misnamed sheet
                and every broken reference between tables, or one error if the
                file cannot be read, is not an ``.xlsx`` workbook or is refused
                by the limits; nothing is returned.
        """
        source = str(self.path)
        with contextlib.ExitStack() as stack:
            try:
                handle = stack.enter_context(self.path.open("rb"))
            except OSError as error:
                raise self._fail(f"cannot be read: {error.strerror}") from error
            try:
                with zipfile.ZipFile(handle) as archive:
                    problem = self._part_problem(archive)
                handle.seek(0)
                with warnings.catch_warnings():
                    # Workbooks written by other programs than Excel often lack a
                    # default style; openpyxl applies its own, harmless for values.
                    warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
                    workbook = None if problem else _load(handle)
            except OSError as error:
                raise self._fail(f"cannot be read: {error.strerror}") from error
            except Exception as error:  # zipfile and openpyxl raise many kinds for a broken file
                raise self._fail(
                    f"is not a valid .xlsx workbook ({type(error).__name__})"
                ) from error
            if problem or workbook is None:
                raise self._fail(problem or "is not a valid .xlsx workbook")
            stack.callback(workbook.close)
            with gc_paused(), case_number_columns(self.case_numbers):
                return cast(Dataset, self._read_sheets(source, workbook))
        raise AssertionError("unreachable")  # pragma: no cover

    def _fail(self, reason: str) -> LoadError:
        source = str(self.path)
        return LoadError(
            f"cannot read {redact(source)}", [RowError(source, "-", None, None, reason)]
        )

    def _part_problem(self, archive: zipfile.ZipFile) -> str | None:
        """What makes the workbook's XML too costly to parse, or ``None``."""
        for info in archive.infolist():
            name = info.filename
            if not name.lower().endswith((".xml", ".rels")) or name.startswith("customXml/"):
                continue  # pictures, embedded files: openpyxl does not parse them
            part = f"its part {name}" if re.fullmatch(r"[\w./\[\]-]{1,100}", name) else "a part"
            if info.file_size > self.max_part_bytes:
                return (
                    f"is refused: {part} is {info.file_size:,} bytes unpacked, more than "
                    f"max_part_bytes ({self.max_part_bytes:,}); give a larger limit, such "
                    f"as --source-option max_part_bytes={2 * info.file_size}, to read it"
                )
            if info.file_size > _RATIO_FLOOR and info.file_size > self.max_ratio * max(
                info.compress_size, 1
            ):
                ratio = info.file_size // max(info.compress_size, 1)
                return (
                    f"is refused: {part} unpacks to {ratio:,} "
                    f"times its packed size, more than max_ratio ({self.max_ratio}); it looks "
                    "like a zip bomb, not a spreadsheet"
                )
            with archive.open(info) as stream:
                markup = _markup_problem(stream)
            if markup:
                return f"is refused: {part} {markup}"
        return None

    def _read_sheets(self, source: str, workbook: Any) -> Any:
        tables: dict[str, list[Any]] = {}
        places: dict[str, tuple[str, list[int]]] = {}
        columns: dict[str, tuple[str, ...]] = {}
        errors = _misnamed_sheets(source, workbook.sheetnames)
        registry: DistrictRegistry | None = None
        found = False
        for table, kind in TABLES.items():  # districts first: the others name them
            if table in workbook.sheetnames:
                found = True
                numbers: list[int] = []
                records, problems, header = _read_sheet(
                    source, table, kind, workbook, registry, numbers
                )
                tables[table] = records
                places[table] = (source, numbers)
                columns[table] = header
                errors += problems
            if table == "districts":
                registry, problems = registry_with(source, tables.get(table, ()))
                errors += problems
        if not found and not errors:
            errors.append(
                RowError(
                    source,
                    "-",
                    None,
                    None,
                    "holds none of the sheets socforst reads (" + ", ".join(TABLES) + ")",
                )
            )
        return finish_load(
            source, tables, errors, places=places, columns=columns, registry=registry
        )


def _load(handle: IO[bytes]) -> Any:
    # External links are not followed, nor their parts parsed.
    return openpyxl.load_workbook(handle, read_only=True, data_only=True, keep_links=False)


def _misnamed_sheets(source: str, names: Sequence[str]) -> list[RowError]:
    """An error for each sheet whose name is close to a table's but is not one."""
    errors: list[RowError] = []
    for name in names:
        if name in TABLES:
            continue
        close = close_table_name(name, _TABLE_NAMES)
        if close:
            # A name this close to a table's is a table's name, not personal data.
            errors.append(
                RowError(
                    source,
                    "-",
                    None,
                    None,
                    f"sheet {name!r} is not read: did you mean {close!r}? (sheets are "
                    "named exactly as the tables, in lower case)",
                )
            )
    return errors


def _read_sheet(
    source: str,
    table: str,
    kind: type,
    workbook: Any,
    registry: DistrictRegistry | None,
    numbers: list[int],
) -> tuple[list[Any], list[RowError], tuple[str, ...]]:
    sheet = workbook[table]
    path = getattr(sheet, "_worksheet_path", None)
    if path is None:
        return [], [RowError(source, table, None, None, "is a chart sheet, not a table")], ()
    errors: list[RowError] = []
    try:
        # openpyxl's own row iteration pads every row to the size the sheet
        # declares (F17); its parser gives the cells the sheet holds.
        with workbook._archive.open(path) as stream, warnings.catch_warnings():
            # A date cell out of Excel's range: openpyxl warns and makes it #VALUE!.
            warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
            parser = _CellParser(
                stream,
                workbook.shared_strings,
                data_only=True,
                epoch=workbook.epoch,
                date_formats=workbook._date_formats,
                timedelta_formats=workbook._timedelta_formats,
            )
            rows = cast(Iterator[tuple[int, list[dict[str, Any]]]], parser.parse())
            first = next(rows, None)
            if first is None:
                return [], [], ()  # an empty sheet is an empty table
            header: list[str] = []
            if first[0] == 1:
                header = _header(first[1])
            else:
                rows = _chain(first, rows)
            cells = _sheet_rows(rows, header, _column_types(kind), source, table, errors)
            records, problems = read_table(
                source, table, kind, header, cells, registry, positional=True, numbers=numbers
            )
    except Exception as error:  # a broken sheet: the XML parser and openpyxl raise many kinds
        return (
            [],
            [RowError(source, table, None, None, f"is not a valid sheet ({type(error).__name__})")],
            (),
        )
    problems = sorted(errors + problems, key=lambda e: e.row or 0)
    return records, problems, tuple(header)


def _chain(
    first: tuple[int, list[dict[str, Any]]], rest: Iterator[tuple[int, list[dict[str, Any]]]]
) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    yield first
    yield from rest


def _markup_problem(stream: IO[bytes]) -> str | None:
    """Why an XML part's markup would make the parser slow or unsafe, or ``None``.

    Python's XML parser (expat before 2.6) parses a token again from its start
    each time more of the file arrives, so a token of n bytes costs n**2/16384:
    a 200 MB comment takes hours. Every tag is bounded by the next ``<`` (a tag
    cannot hold one), so every 512 KiB must hold a ``<``; comments, CDATA
    sections and processing instructions, which may hold ``<``, are measured to
    their ends. A document type declaration is refused outright: spreadsheets
    never use one, and entities are how XML bombs and external references work.
    """
    carry = b""
    closing: bytes | None = None  # the end of the comment, CDATA section or PI we are in
    inside = 0  # its bytes so far
    first = True
    while True:
        chunk = stream.read(_READ)
        if first:
            if chunk.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
                return "is not UTF-8 XML (Excel and LibreOffice write UTF-8)"
            first = False
        for start in range(0, len(chunk) - _BLOCK + 1, _BLOCK):
            if chunk.find(b"<", start, start + _BLOCK) < 0:
                return (
                    f"holds {_BLOCK // 1024} KiB or more of text without markup, which no "
                    "spreadsheet cell holds"
                )
        data = carry + chunk
        carry = b""
        at = 0
        while True:
            if closing is not None:
                end = data.find(closing, at)
                if end < 0:
                    keep = max(len(data) - len(closing) + 1, at)
                    inside += keep - at
                    carry = data[keep:]
                    break
                inside += end - at
                at = end + len(closing)
                closing = None
                if inside > _MAX_MARKUP:
                    break
                continue
            found = _SPECIAL.search(data, at)
            if found is None:
                carry = data[-1:] if data.endswith(b"<") else b""
                break
            start = found.start()
            if len(data) - start < 9 and chunk:
                carry = data[start:]  # too few bytes to tell what it is
                break
            if data.startswith(b"<!--", start):
                closing, at = b"-->", start + 4
            elif data.startswith(b"<![CDATA[", start):
                closing, at = b"]]>", start + 9
            elif data.startswith(b"<?", start):
                closing, at = b"?>", start + 2
            else:
                return (
                    "holds a document type declaration (<!DOCTYPE or <!ENTITY), which "
                    "spreadsheets do not use"
                )
            inside = 0
        if inside > _MAX_MARKUP:
            return (
                f"holds a comment, CDATA section or processing instruction of more than "
                f"{_MAX_MARKUP // (1 << 20)} MiB, which spreadsheets do not write"
            )
        if not chunk:
            return None


# ---------------------------------------------------------------- writing


class _UnwritableError(Exception):
    """A value no Excel cell can hold."""


def _text(value: str) -> str:
    """*value* if a cell can hold it whole.

    Raises:
        _UnwritableError: If it is too long for a cell or holds what is not text.
    """
    if len(value) > MAX_TEXT_LENGTH // 2:
        units = len(value.encode("utf-16-le", "surrogatepass")) // 2
        if units > MAX_TEXT_LENGTH:
            raise _UnwritableError(
                f"is {units:,} characters long; an Excel cell holds at most "
                f"{MAX_TEXT_LENGTH:,} (write the data as CSV, JSON or SQLite, which hold it whole)"
            )
    if not value.isascii() and _NOT_TEXT.search(value):
        raise _UnwritableError(
            "holds a character that is not text (a lone surrogate, or U+FFFE/U+FFFF), "
            "which no workbook can hold"
        )
    return value


def _serial(day: dt.date) -> int:
    """A date as Excel's day number (1900 date system)."""
    return (day - _EXCEL_EPOCH).days


@cache
def _cell_kinds(kind: type) -> tuple[tuple[str, str], ...]:
    """Each column of *kind* in order, with how its values are written."""
    hints = typing.get_type_hints(kind)
    kinds: list[tuple[str, str]] = []
    for name in columns_of(kind):
        hint = hints[name]
        arguments = [a for a in typing.get_args(hint) if a is not type(None)]
        base = arguments[0] if len(arguments) == 1 else hint
        if hint == frozenset[str]:
            how = "words"
        elif base is dt.datetime:
            how = "datetime"
        elif base is dt.date:
            how = "date"
        elif base in (int, float):
            how = "number"
        elif base is str:
            how = "text"
        elif isinstance(base, type) and issubclass(base, enum.Enum):
            how = "code"
        else:
            how = "other"  # as the data formats write it (to_row)
        kinds.append((name, how))
    return tuple(kinds)


class _Sheets:
    """The cells of a workbook being written with XlsxWriter in constant-memory mode.

    Rows are written one after another and go to a temporary file of
    XlsxWriter's in *spool*, a private folder the caller removes.
    """

    def __init__(self, output: IO[bytes], spool: Path, target: str) -> None:
        self.target = target
        self.workbook = xlsxwriter.Workbook(
            output,
            {
                "constant_memory": True,
                "tmpdir": str(spool),
                # Text is text: never a formula, a number or a link.
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self.date = self.workbook.add_format({"num_format": _DATE_FORMAT})
        self.serials: dict[dt.date, int] = {}

    def add(self, table: str, columns: Sequence[str], count: int | None) -> Any:
        """A new sheet with its header row written."""
        if count is not None and count >= MAX_SHEET_ROWS:
            raise RowError(
                self.target,
                table,
                None,
                None,
                f"has {count:,} records; an Excel sheet holds at most {MAX_SHEET_ROWS - 1:,} "
                "below its header (write the data as CSV, JSON or SQLite)",
            )
        sheet = self.workbook.add_worksheet(table)
        for index, name in enumerate(columns):
            sheet.write_string(0, index, name)
        return sheet

    def write_records(self, table: str, records: Sequence[object]) -> None:
        """One row per record, below the header."""
        if not records:
            self.add(table, columns_of(TABLES[table]), 0)
            return
        kinds = _cell_kinds(cast(type, type(records[0])))
        sheet = self.add(table, [name for name, _ in kinds], len(records))
        write_string = sheet.write_string
        write_number = sheet.write_number
        date = self.date
        serials = self.serials
        for row, record in enumerate(records, start=1):
            for index, (name, how) in enumerate(kinds):
                value = getattr(record, name)
                if value is None:
                    continue
                try:
                    if how == "text":
                        if value.isascii() and len(value) <= MAX_TEXT_LENGTH:
                            write_string(row, index, value)
                        else:
                            write_string(row, index, _text(value))
                    elif how == "date":
                        serial = serials.get(value)
                        if serial is None:
                            serial = serials[value] = _serial(value)
                        write_number(row, index, serial, date)
                    elif how == "code":
                        write_string(row, index, value.value)
                    elif how == "datetime":
                        # Excel's datetimes have no time zone: only ISO 8601 text with
                        # its offset keeps the exact instant.
                        write_string(row, index, value.isoformat())
                    elif how == "number":
                        write_number(row, index, value)
                    elif how == "words":
                        write_string(row, index, _text("|".join(sorted(value))))
                    else:
                        write_string(row, index, _text(to_row(record)[name]))
                except _UnwritableError as error:
                    raise RowError(self.target, table, row + 1, name, str(error)) from None

    def write_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Plain rows of values: dates as dates, numbers as numbers, the rest as text."""
        sheet = self.add(table, columns, None)
        for row, values in enumerate(rows, start=1):
            if row >= MAX_SHEET_ROWS:
                self.add(table, columns, row)  # raises: the sheet is full
            for index, value in enumerate(values):
                if value is None:
                    continue
                try:
                    if isinstance(value, dt.datetime):
                        sheet.write_string(row, index, value.isoformat())
                    elif isinstance(value, dt.date):
                        sheet.write_number(row, index, _serial(value), self.date)
                    elif isinstance(value, int | float) and not isinstance(value, bool):
                        sheet.write_number(row, index, value)
                    elif isinstance(value, enum.Enum):
                        sheet.write_string(row, index, _text(str(value.value)))
                    else:
                        sheet.write_string(row, index, _text(str(value)))
                except _UnwritableError as error:
                    raise RowError(
                        self.target, table, row + 1, columns[index], str(error)
                    ) from None

    def close(self) -> None:
        """Assemble the workbook into the output."""
        self.workbook.close()

    def abandon(self) -> None:
        """Close XlsxWriter's temporary files after a failure, without writing."""
        self.workbook.fileclosed = True
        for sheet in self.workbook.worksheets():
            with contextlib.suppress(Exception):
                sheet._opt_close()
            # The file the failed sheet was being assembled into.
            handle = getattr(sheet, "fh", None)
            if handle is not None and hasattr(handle, "close"):
                with contextlib.suppress(Exception):
                    handle.close()


@contextlib.contextmanager
def _spool_folder(target: Path) -> Iterator[Path]:
    """A private folder for XlsxWriter's temporary files, removed when done.

    It is made beside the target (``.NAME.XXXXXXXX.spool``, mode 0700), never
    in the system's temporary folder, and removed however the write ends; one
    left by a killed write is removed by the next write of the same target.
    """
    real = Path(os.path.realpath(target))
    folder = real.parent
    try:
        spool = Path(tempfile.mkdtemp(dir=folder, prefix=f".{real.name}.", suffix=".spool"))
    except OSError:
        # A target that is a stream (/dev/stdout) has no folder of its own to use.
        spool = Path(tempfile.mkdtemp(prefix="socforst-xlsx.", suffix=".spool"))
    lock = None
    try:
        if fcntl is not None:
            lock = os.open(spool / "lock", os.O_CREAT | os.O_WRONLY, 0o600)
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        _remove_stale_spools(spool.parent, real.name, spool)
        yield spool
    finally:
        if lock is not None:
            os.close(lock)
        shutil.rmtree(spool, ignore_errors=True)


def _remove_stale_spools(folder: Path, name: str, own: Path) -> None:
    """Remove spool folders of *name* that killed writes left (their lock is free)."""
    if fcntl is None:  # pragma: no cover - Windows
        return
    pattern = re.compile(re.escape(f".{name}.") + r"[a-z0-9_]+\.spool")
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name == own.name or not pattern.fullmatch(entry.name):
                continue
            if not entry.is_dir(follow_symlinks=False) or entry.stat().st_uid != os.geteuid():
                continue
            try:
                lock = os.open(Path(entry.path) / "lock", os.O_WRONLY)
            except OSError:
                continue
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a write still running holds it
            finally:
                os.close(lock)
            shutil.rmtree(entry.path, ignore_errors=True)


def _spool_error(path: Path, error: BaseException) -> WriteError:
    """A failure of XlsxWriter's temporary files or zip archive, naming the user's path."""
    if isinstance(error, XlsxFileSizeError):
        return WriteError(path, "the workbook would be larger than 4 GB, more than a zip holds")
    cause = error.args[0] if isinstance(error, XlsxFileError) and error.args else error
    if isinstance(cause, OSError):
        reason = cause.strerror or str(cause)
        return WriteError(path, f"its temporary files cannot be written: {reason}", cause.errno)
    return WriteError(path, f"its temporary files cannot be written: {cause}")


@attrs.frozen
class XlsxExporter:
    """Write a dataset, or deadlines, as an Excel workbook, atomically.

    The workbook is written beside its final name and then replaces it, so a
    failed or interrupted write leaves the old file whole. Every table is
    written as a sheet (empty ones as a header). Text is written as text, never
    as a formula; a value no cell can hold (text over 32,767 characters, a lone
    surrogate) is an error naming its table, row and column, and nothing is
    written. Rows are streamed to a private temporary folder beside the file
    (XlsxWriter's constant-memory mode), removed however the write ends.

    Args:
        path: The ``.xlsx`` file; its folder is created if missing.
        mode: The file's permissions (``0o640`` or ``"640"``); by default a new
            file is readable by its owner alone and a replaced one keeps its own.

    Example:
        >>> import socforst
        >>> exporter = socforst.open_exporter("xlsx:plan.xlsx")
        >>> exporter.path.name
        'plan.xlsx'
    """

    path: Path = attrs.field(converter=Path)
    mode: int | None = attrs.field(default=None, converter=parse_mode, kw_only=True)

    def write_dataset(self, dataset: Dataset) -> None:
        """Write one sheet per table, replacing the whole workbook.

        Raises:
            RowError: If a value cannot be held by a cell, naming its table, row
                (as in the sheet) and column; the old workbook is left whole.
            WriteError: If the file cannot be written.
        """

        def fill(sheets: _Sheets) -> None:
            for table, records in dataset.tables():
                sheets.write_records(table, records)

        self._write(fill)

    def write_deadlines(self, deadlines: Iterable[EvaluatedDeadline]) -> None:
        """Write a workbook with one ``deadlines`` sheet of the deadline output's columns."""
        rows = ([getattr(d, column) for column in DEADLINE_COLUMNS] for d in deadlines)
        self._write(lambda sheets: sheets.write_rows("deadlines", DEADLINE_COLUMNS, rows))

    def _write(self, fill: Callable[[_Sheets], None]) -> None:
        make_folder(self.path.parent, mode=self.mode)
        # The zip archive is assembled in memory (its packed size, about a tenth
        # of the sheets' XML), so that a failure leaves no archive half-written
        # to a file that is then removed.
        buffer = io.BytesIO()
        with _spool_folder(self.path) as spool:
            sheets = _Sheets(buffer, spool, str(self.path))
            try:
                fill(sheets)
                sheets.close()
            except BaseException as error:
                sheets.abandon()
                if isinstance(error, OSError | XlsxFileError):
                    raise _spool_error(self.path, error) from error
                raise
        with atomic_write_bytes(self.path, mode=self.mode) as handle:
            handle.write(buffer.getbuffer())
