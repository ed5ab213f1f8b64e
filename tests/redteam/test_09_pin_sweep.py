"""Category 9 of the red-team report: personal identity numbers in every column of every format.

F7, F9, F10 and F11: a personnummer (or samordningsnummer) written in any of the
spellings extracts use, placed in any column of any table, in a CSV folder, a
JSON document, an Excel workbook, a SQLite database or a Parquet folder, must
never come back in a message, a warning or an error; where an id is expected it
must be refused.

The numbers are made up here from a random date and serial with a correct Luhn
check digit, computed by a second implementation (from the right, subtracting
9), independent of socforst's own.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import socforst
from socforst.dataset import ID_COLUMNS, TABLES
from socforst.sources.rows import columns_of

# One valid row per table, as text cells; each test puts a number into one column.
VALID: dict[str, dict[str, str]] = {
    "districts": {"code": "nyby", "name": "Nyby", "valid_from": "2016-01-01", "kind": "district"},
    "teams": {"team_id": "t1", "name": "Team", "founded_on": "2016-01-01"},
    "members": {
        "member_id": "m1",
        "team_id": "t1",
        "name": "Anna",
        "employed_from": "2016-01-04",
        "extent": "1",
        "competencies": "lvu",
    },
    "absences": {"member_id": "m1", "start": "2025-01-01", "end": "2025-01-02", "kind": "sick"},
    "requests": {
        "request_id": "q1",
        "district": "farsta",
        "received_on": "2025-01-01",
        "start": "2025-02-01",
        "end": "2025-02-28",
        "headcount": "1",
        "extent": "1",
        "reason": "peak",
        "task": "investigation",
    },
    "assignments": {
        "assignment_id": "a1",
        "member_id": "m1",
        "district": "farsta",
        "start": "2025-02-03",
        "end": "2025-02-28",
        "extent": "1",
        "task": "investigation",
        "request_id": "q1",
        "status": "agreed",
    },
    "staffing": {
        "district": "farsta",
        "on": "2025-01-01",
        "positions": "10",
        "vacancies": "1",
        "consultants": "1",
        "turnover": "0.2",
    },
    "costs": {
        "year": "2025",
        "team_cost_sek": "1000000",
        "consultant_rate_sek": "1200",
        "hours_per_day": "8",
    },
    "reports": {
        "report_id": "r1",
        "district": "farsta",
        "received_at": "2025-03-03T10:00",
        "protection_assessed_at": "2025-03-03T11:00",
        "preassessment_decided_on": "2025-03-10",
        "preassessment_outcome": "opened",
        "member_id": "m1",
    },
    "investigations": {
        "investigation_id": "i1",
        "district": "farsta",
        "opened_on": "2025-03-10",
        "report_id": "r1",
        "member_id": "m1",
    },
    "extensions": {"investigation_id": "i1", "decided_on": "2025-07-01", "until": "2025-09-10"},
    "placements": {
        "placement_id": "p1",
        "district": "farsta",
        "basis": "lvu_2",
        "started_on": "2025-01-10",
        "care_enforced_on": "2025-01-10",
        "care_decision_final_on": "2025-01-20",
        "family_home_from": "2025-01-10",
    },
    "reviews": {"placement_id": "p1", "reviewed_on": "2025-06-01", "topic": "care"},
    "custodies": {"custody_id": "c1", "district": "farsta", "decided_on": "2025-01-10"},
    "restrictions": {
        "restriction_id": "x1",
        "placement_id": "p1",
        "district": "farsta",
        "kind": "contact",
        "decided_on": "2025-02-01",
    },
}

CELLS = [(table, column) for table in TABLES for column in columns_of(TABLES[table])]
FORMATS = ["csv", "json", "xlsx", "sqlite", "parquet"]


def luhn_digit(nine: str) -> int:
    """The check digit for nine digits, counted from the right (a second implementation)."""
    total = 0
    for index, char in enumerate(reversed(nine)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


@st.composite
def numbers(draw: st.DrawFn) -> tuple[str, str]:
    """A made-up personnummer or samordningsnummer: (its ten digits, a spelling of it)."""
    day = draw(st.dates(dt.date(1930, 1, 1), dt.date(2024, 12, 31)))
    coordination = draw(st.booleans())
    serial = draw(st.integers(0, 999))
    date_part = f"{day:%y%m}{day.day + (60 if coordination else 0):02d}"
    nine = f"{date_part}{serial:03d}"
    ten = nine + str(luhn_digit(nine))
    century = f"{day.year // 100}"
    separator = draw(st.sampled_from(["-", "+", " ", ".", "_", "\u2013", ""]))
    spelling = draw(
        st.sampled_from(
            [
                f"{ten[:6]}{separator}{ten[6:]}",
                f"{century}{ten[:6]}{separator}{ten[6:]}",
                f"m-{ten[:6]}{separator}{ten[6:]}",
                f"{ten[:6]}{separator}{ten[6:]}\x00",
            ]
        )
    )
    return ten, spelling


def leaks(ten: str, text: str) -> bool:
    """Whether *text* holds the number: its date part, at most one character, its serial."""
    pattern = re.escape(ten[:6]) + r"\D?" + re.escape(ten[6:])
    return re.search(pattern, text) is not None


def write(fmt: str, folder: Path, table: str, row: dict[str, str]) -> str:
    """Write one table with one row in *fmt*; return the source spec."""
    header = list(row)
    if fmt == "csv":
        import csv

        with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerow([row[c] for c in header])
        return f"csv:{folder}"
    if fmt == "json":
        path = folder / "data.json"
        path.write_text(json.dumps({table: [row]}), encoding="utf-8")
        return f"json:{path}"
    if fmt == "xlsx":
        openpyxl = pytest.importorskip("openpyxl")
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = table
        sheet.append(header)
        # Excel cannot hold a NUL: the nearest a workbook gets is the number without it.
        sheet.append([row[c].replace("\x00", "") for c in header])
        path = folder / "data.xlsx"
        workbook.save(path)
        return f"xlsx:{path}"
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.table({c: [row[c]] for c in header}), folder / f"{table}.parquet")
        return f"parquet:{folder}"
    path = folder / "data.db"
    with sqlite3.connect(path) as connection:
        columns = ", ".join(f'"{c}" TEXT' for c in header)
        connection.execute(f'CREATE TABLE "{table}" ({columns})')
        marks = ", ".join("?" for _ in header)
        connection.execute(f'INSERT INTO "{table}" VALUES ({marks})', [row[c] for c in header])
    connection.close()
    return f"sqlite:{path}"


def everything_said(spec: str) -> tuple[list[str], Any]:
    """Every message a load produces: warnings, the error and its rows; and the dataset."""
    said: list[str] = []
    dataset = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            dataset = socforst.open_source(spec).read()
        except socforst.LoadError as error:
            said.append(str(error))
            said += [str(e) for e in error.exceptions]
            said += [repr(e) for e in error.exceptions]
    said += [str(w.message) for w in caught]
    return said, dataset


@settings(
    max_examples=120,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    number=numbers(),
    cell=st.sampled_from(CELLS),
    fmt=st.sampled_from(FORMATS),
)
def test_no_message_of_a_load_shows_a_personnummer_put_in_any_column(
    tmp_path_factory: pytest.TempPathFactory,
    number: tuple[str, str],
    cell: tuple[str, str],
    fmt: str,
) -> None:
    """A number in any spelling, in any column of any table and format, is never said back."""
    ten, spelling = number
    table, column = cell
    folder = tmp_path_factory.mktemp(fmt)
    row = {**VALID[table], column: spelling}
    said, dataset = everything_said(write(fmt, folder, table, row))
    assert [] == [text for text in said if leaks(ten, text)]
    if column == ID_COLUMNS.get(table) or column.endswith("_id"):
        # An id holding a number is refused, never loaded.
        assert dataset is None


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_number_as_a_header_cell_is_not_said_back(tmp_path: Path, fmt: str) -> None:
    """F8: an extract without a header row has a person's number and name as column names."""
    ten = "8112189876"
    row = {"811218-9876": "m2", "team_id": "t1", "Anna Andersson": "Bo Berg"}
    row["employed_from"] = "2016-01-04"
    said, _ = everything_said(write(fmt, tmp_path, "members", row))
    assert said, "the load must say that columns are missing or unknown"
    assert [] == [text for text in said if leaks(ten, text) or "Anna Andersson" in text]
