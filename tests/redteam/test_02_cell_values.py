"""Red-team category 2: cell values in CSV, JSON, XLSX and SQLite (F5, F32, F33).

The same value is tried in every format, as the report did (65 values x 4
formats): a cell is written into a one-table extract by hand (the real file
format, written with the standard library, openpyxl or sqlite3), the extract is
read with socforst, and the outcome is compared with what the data formats say
by hand.
"""

from __future__ import annotations

import csv
import decimal
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cattrs
import openpyxl
import pytest

from socforst import LoadError, Request, RowError, open_source
from socforst.converters import converter

# ====================================================================== numbers (F5, F32, F33)
#
# A number cell holds ASCII digits with an optional sign and decimal point, or a
# number of the format (JSON, a numeric spreadsheet cell, a SQLite REAL); it is
# below 10^9 in size and, unless 0, at least 0.000001 (docs/adapters.md, "Numbers").

PIN_DIGITS = "8112189876"
"""The digits of the made-up personnummer 811218-9876 (valid Luhn)."""

REQUEST = {
    "request_id": "q1",
    "district": "farsta",
    "received_on": "2025-02-01",
    "start": "2025-03-03",
    "end": "2025-03-28",
}
STAFFING = {"district": "farsta", "on": "2025-01-01"}

Writer = Callable[[Path, str, dict[str, Any]], str]
"""Writes one table with one row into a new extract under a folder; returns its spec."""


def write_csv(folder: Path, table: str, row: dict[str, Any]) -> str:
    """A CSV folder with ``TABLE.csv``: a header line and one row (line 2)."""
    extract = folder / "csv"
    extract.mkdir()
    with (extract / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(row)
        writer.writerow(row.values())
    return f"csv:{extract}"


def write_json(folder: Path, table: str, row: dict[str, Any]) -> str:
    """A JSON document with one row object (row 1)."""
    path = folder / "data.json"
    path.write_text(json.dumps({table: [row]}), encoding="utf-8")
    return f"json:{path}"


def write_xlsx(folder: Path, table: str, row: dict[str, Any]) -> str:
    """A workbook with a sheet named for the table: a header row and one row (row 2)."""
    path = folder / "data.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = table
    sheet.append(list(row))
    sheet.append(list(row.values()))
    workbook.save(path)
    return f"xlsx:{path}"


def write_sqlite(folder: Path, table: str, row: dict[str, Any]) -> str:
    """A SQLite database with the table, columns without a declared type (values kept as given)."""
    path = folder / "data.db"
    columns = ", ".join(f'"{name}"' for name in row)
    marks = ", ".join("?" for _ in row)
    with sqlite3.connect(path) as connection:
        connection.execute(f"CREATE TABLE {table} ({columns})")
        connection.execute(f"INSERT INTO {table} VALUES ({marks})", list(row.values()))
    connection.close()
    return f"sqlite:{path}"


FORMATS: dict[str, tuple[Writer, int]] = {
    "csv": (write_csv, 2),
    "json": (write_json, 1),
    "xlsx": (write_xlsx, 2),
    "sqlite": (write_sqlite, 1),
}
"""Each format's writer and the row number its errors give the one row."""


def read_errors(spec: str) -> list[RowError]:
    """The RowErrors of the LoadError that reading *spec* raises."""
    with pytest.raises(LoadError) as caught:
        open_source(spec).read()
    errors = [error for error in caught.value.exceptions if isinstance(error, RowError)]
    assert len(caught.value.exceptions) == len(errors)
    return errors


# Text cells that int() or float() read and the data formats do not (F33, F5).
REFUSED_TEXT = [
    ("extent", "\u0661"),  # ARABIC-INDIC DIGIT ONE: float() reads 1.0
    ("headcount", "\u0663"),  # ARABIC-INDIC DIGIT THREE: int() reads 3
    ("headcount", "1_000"),  # int() reads 1000
    ("headcount", "\uff13"),  # FULLWIDTH DIGIT THREE
    ("extent", "0,5"),  # a decimal comma: not accepted yet
    ("extent", "5e-1"),  # exponent notation
    ("extent", "nan"),
    ("extent", "inf"),
    ("headcount", "2.5"),  # a fraction in a whole-number column
    ("headcount", "1 000"),
    ("headcount", "100000000000000000000000"),  # 10^23
]


@pytest.mark.parametrize("format_name", list(FORMATS))
@pytest.mark.parametrize(("column", "text"), REFUSED_TEXT)
def test_f33_an_odd_numeral_is_refused_in_every_format(
    tmp_path: Path, format_name: str, column: str, text: str
) -> None:
    """F33: Arabic-Indic digits loaded as extent 1.0 and headcount 3, ``1_000`` as 1000."""
    write, row = FORMATS[format_name]
    errors = read_errors(write(tmp_path, "requests", {**REQUEST, column: text}))
    assert [("requests", row, column)] == [(e.table, e.row, e.column) for e in errors]


@pytest.mark.parametrize("format_name", ["json", "xlsx", "sqlite"])
@pytest.mark.parametrize(
    ("column", "number", "reason"),
    [
        ("extent", 5e-324, "is too small"),
        ("headcount", 10**23, "is too large"),
        ("headcount", 2.5, "must be a whole number"),
    ],
)
def test_f33_an_absurd_number_of_the_format_is_refused_with_a_reason(
    tmp_path: Path, format_name: str, column: str, number: float, reason: str
) -> None:
    """F33: extent 5e-324 (subnormal) and headcount 10^23 loaded; now they are refused.

    SQLite holds 10^23 as a REAL, as its integers are 64-bit.
    """
    if format_name == "sqlite" and isinstance(number, int):
        number = float(number)
    write, row = FORMATS[format_name]
    errors = read_errors(write(tmp_path, "requests", {**REQUEST, column: number}))
    assert [("requests", row, column)] == [(e.table, e.row, e.column) for e in errors]
    assert reason in errors[0].reason


@pytest.mark.parametrize("format_name", list(FORMATS))
@pytest.mark.parametrize(
    ("cells", "headcount", "extent"),
    [
        ({"headcount": "2", "extent": "0.5"}, 2, 0.5),
        ({"headcount": "+2", "extent": ".5"}, 2, 0.5),
        ({"headcount": "2.0", "extent": "1"}, 2, 1.0),
        ({"headcount": "002", "extent": "0.250"}, 2, 0.25),
    ],
)
def test_plain_numerals_are_read_as_written(
    tmp_path: Path, format_name: str, cells: dict[str, str], headcount: int, extent: float
) -> None:
    """ASCII digits with a sign and a decimal point are numbers; ``2.0`` is a whole number."""
    write, _ = FORMATS[format_name]
    request = open_source(write(tmp_path, "requests", {**REQUEST, **cells})).read().requests[0]
    assert (headcount, extent) == (request.headcount, request.extent)
    assert int is type(request.headcount)


@pytest.mark.parametrize("format_name", list(FORMATS))
def test_a_personnummer_in_a_number_column_is_refused_without_showing_it(
    tmp_path: Path, format_name: str
) -> None:
    """Ten digits are no count of positions: refused, and the message hides them."""
    write, row = FORMATS[format_name]
    errors = read_errors(write(tmp_path, "staffing", {**STAFFING, "positions": PIN_DIGITS}))
    assert [("staffing", row, "positions")] == [(e.table, e.row, e.column) for e in errors]
    for part in (PIN_DIGITS, "811218", "9876"):
        assert part not in str(errors[0])


@pytest.mark.parametrize("format_name", ["json", "xlsx"])
def test_f5_a_boolean_in_a_number_column_is_refused_not_one(
    tmp_path: Path, format_name: str
) -> None:
    """F5: JSON ``true`` loaded as headcount 1; a TRUE cell is no number either.

    SQLite has no booleans (it stores 1), so it is not among the formats here.
    """
    write, row = FORMATS[format_name]
    errors = read_errors(write(tmp_path, "requests", {**REQUEST, "headcount": True}))
    assert [("requests", row, "headcount")] == [(e.table, e.row, e.column) for e in errors]


def test_f32_a_number_message_says_got_once(tmp_path: Path) -> None:
    """F32: messages said "got" twice; the number hooks leave "got" to the row reader."""
    errors = read_errors(write_json(tmp_path, "requests", {**REQUEST, "extent": "0,5"}))
    assert 1 == str(errors[0]).count("got")
    assert "decimal comma" in errors[0].reason


# ====================================================================== dates (F22, F28)
#
# A date or an instant outside 1953-2100, the years the legal calendar of
# Lag (1930:173) covers (the Swedish holidays), is refused at load with its
# column named: before, it loaded and a query failed later without saying
# where, or an instant with an offset in year 9999 overflowed.

OUT_OF_RANGE_DATES = ["0001-01-01", "1900-02-28", "1952-12-31", "2101-01-01", "9999-12-31"]


@pytest.mark.parametrize("format_name", list(FORMATS))
@pytest.mark.parametrize("text", OUT_OF_RANGE_DATES)
def test_f28_a_date_outside_the_legal_calendar_is_refused_at_load_naming_the_column(
    tmp_path: Path, format_name: str, text: str
) -> None:
    """A request received in year 1, 1900 or 9999 is refused in 'received_on', not later."""
    write, row_number = FORMATS[format_name]
    spec = write(tmp_path, "requests", {**REQUEST, "received_on": text})
    errors = read_errors(spec)
    year = int(text[:4])
    expected = [
        (
            row_number,
            "received_on",
            "must be a date in 1953-2100, the years the legal calendar covers, "
            f"got the year {year}",
        )
    ]
    assert expected == [(e.row, e.column, e.reason) for e in errors]


@pytest.mark.parametrize(
    "text", ["9999-12-31T23:00+01:00", "0001-01-01T00:30+01:00", "2101-01-01T10:00", "1900-01-01"]
)
def test_f22_an_instant_outside_the_legal_calendar_is_refused_without_overflow(
    tmp_path: Path, text: str
) -> None:
    """An offset instant in year 9999 gave 'could not be read (OverflowError)' with no column."""
    spec = write_csv(
        tmp_path, "reports", {"report_id": "r1", "district": "farsta", "received_at": text}
    )
    [error] = read_errors(spec)
    assert (2, "received_at") == (error.row, error.column)
    assert error.reason.startswith("must be a date in 1953-2100")


@pytest.mark.parametrize("text", ["1953-01-01", "2100-12-31"])
def test_the_first_and_last_days_of_the_legal_calendar_load(tmp_path: Path, text: str) -> None:
    """The bounds themselves are inside: 1953-01-01 and 2100-12-31 are read as dates."""
    spec = write_csv(tmp_path, "absences", {"member_id": "m1", "start": text, "end": text})
    [absence] = open_source(spec).read().absences
    assert text == absence.start.isoformat()


@pytest.mark.parametrize(
    ("headcount", "extent", "expected"),
    [
        (decimal.Decimal("2"), decimal.Decimal("0.5"), (2, 0.5)),
        (decimal.Decimal("2.000"), decimal.Decimal("1"), (2, 1.0)),
        (decimal.Decimal("2.5"), decimal.Decimal("0.5"), None),
        (decimal.Decimal("2"), decimal.Decimal("NaN"), None),
        (decimal.Decimal("1E+23"), decimal.Decimal("0.5"), None),
    ],
)
def test_a_database_decimal_is_read_as_the_number_it_is(
    headcount: decimal.Decimal, extent: decimal.Decimal, expected: tuple[int, float] | None
) -> None:
    """A NUMERIC column (PostgreSQL gives Decimal) follows the same rules as a numeral."""
    row = {**REQUEST, "headcount": headcount, "extent": extent}
    if expected is None:
        with pytest.raises(cattrs.BaseValidationError):
            converter.structure(row, Request)
    else:
        request = converter.structure(row, Request)
        assert expected == (request.headcount, request.extent)
