"""The Parquet folder: round trips, the schema written, what pandas and polars write, bad values.

A ``parquet:DIR`` folder holds one ``TABLE.parquet`` per table. The exporter
writes a fixed Arrow schema; the source reads what analysts' tools write and
reports bad values like every other source, with file, row and column.
"""

from __future__ import annotations

import datetime as dt
import decimal
import os
import stat
import tempfile
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings

import socforst
from socforst import Dataset, LoadError, Report, RowError, Team, TeamMember
from socforst.cases import STOCKHOLM
from socforst.dataset import TABLES
from socforst.errors import ExportError, WriteError
from socforst.rules.base import DeadlineStatus, EvaluatedDeadline
from socforst.sources import DEADLINE_COLUMNS
from socforst.sources.parquet import (
    ParquetExporter,
    ParquetSource,
    deadline_file_schema,
    table_schema,
)
from socforst.sources.rows import UnknownColumnWarning, columns_of
from tests.test_cli import run, small_city
from tests.test_sources import datasets, handworked_dataset

D = dt.date
PIN = "811218-9876"
"""A valid personnummer (Luhn worked by hand in tests/test_ids.py)."""
PIN_PARTS = ("811218", "9876", "8112189876")


# ---------------------------------------------------------------- helpers


def write_table(folder: Path, table: str, columns: dict[str, Any]) -> Path:
    """Write one Parquet file of *columns* (Arrow arrays or Python lists) into *folder*."""
    folder.mkdir(exist_ok=True)
    file = folder / f"{table}.parquet"
    pq.write_table(pa.table(columns), file)
    return file


def row_errors(folder: Path, **options: Any) -> list[RowError]:
    """The RowErrors of reading *folder*; the load must fail."""
    with pytest.raises(LoadError) as caught:
        ParquetSource(folder, **options).read()
    found = [error for error in caught.value.exceptions if isinstance(error, RowError)]
    assert len(caught.value.exceptions) == len(found)
    return found


def places(errors: list[RowError]) -> list[tuple[str, str, int | None, str | None]]:
    return [(Path(e.source).name, e.table, e.row, e.column) for e in errors]


def said(read: Callable[[], object]) -> str:
    """Everything a failed read says: the traceback with every sub-error, and the warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            read()
        except LoadError as error:
            text = "".join(traceback.format_exception(error))
        else:  # pragma: no cover - the tests using this expect a failure
            text = ""
    return text + "".join(str(w.message) for w in caught)


def member(member_id: str = "m1", **changes: Any) -> TeamMember:
    return TeamMember(member_id=member_id, team_id="t1", employed_from=D(2016, 1, 4), **changes)


REPORT = {
    "report_id": ["r1"],
    "district": ["farsta"],
    "received_at": pa.array([dt.datetime(2025, 3, 3, 10)], pa.timestamp("us")),
}
"""One good report as Parquet columns (a naive timestamp: Stockholm local time)."""


# ---------------------------------------------------------------- round trips


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(datasets())
def test_a_generated_dataset_comes_back_equal_through_a_parquet_folder(dataset: Dataset) -> None:
    """Writing a dataset as Parquet files and reading the folder gives the same dataset."""
    with tempfile.TemporaryDirectory() as folder:
        socforst.open_exporter(f"parquet:{folder}").write_dataset(dataset)
        actual = socforst.open_source(f"parquet:{folder}").read()
    assert dataset == actual


def test_a_handworked_dataset_comes_back_equal(tmp_path: Path) -> None:
    """Swedish letters, a UTC instant, competencies and empty fields survive a round trip."""
    expected = handworked_dataset()
    socforst.open_exporter(f"parquet:{tmp_path}").write_dataset(expected)
    actual = socforst.open_source(f"parquet:{tmp_path}").read()
    assert expected == actual
    assert "2025-04-01T01:30:00+02:00" == actual.reports[0].received_at.isoformat()


def test_the_demo_city_comes_back_equal(tmp_path: Path) -> None:
    """Two years of the demo city (every table, tens of thousands of reports) round-trips."""
    from socforst.demo import demo_dataset

    expected = demo_dataset(end=D(2017, 12, 31))
    socforst.open_exporter(f"parquet:{tmp_path}").write_dataset(expected)
    assert expected == socforst.open_source(f"parquet:{tmp_path}").read()


# ---------------------------------------------------------------- the schema written


def test_every_table_is_written_with_every_column_even_when_empty(tmp_path: Path) -> None:
    """An empty dataset: one file per table, each with its whole schema and no rows."""
    ParquetExporter(tmp_path).write_dataset(Dataset())
    assert sorted(f"{t}.parquet" for t in TABLES) == sorted(p.name for p in tmp_path.iterdir())
    for table in TABLES:
        written = pq.read_table(tmp_path / f"{table}.parquet")
        assert 0 == written.num_rows
        assert list(columns_of(TABLES[table])) == written.column_names
        assert table_schema(table).types == written.schema.types


def test_the_schema_has_dates_instants_codes_numbers_and_lists() -> None:
    """The Arrow types the data formats' columns get."""
    code = pa.dictionary(pa.int32(), pa.string())
    instant = pa.timestamp("us", tz="Europe/Stockholm")
    reports, members = table_schema("reports"), table_schema("members")
    expected = [
        ("report_id", pa.string(), False),
        ("district", code, False),
        ("received_at", instant, False),
        ("counts_as_received_on", pa.date32(), True),
        ("protection_assessed_at", instant, True),
        ("preassessment_decided_on", pa.date32(), True),
        ("preassessment_outcome", code, True),
        ("exceptional_reason", pa.string(), True),
        ("member_id", pa.string(), True),
    ]
    assert expected == [(f.name, f.type, f.nullable) for f in reports]
    assert pa.list_(pa.string()) == members.field("competencies").type
    assert pa.float64() == members.field("extent").type
    assert pa.int64() == table_schema("requests").field("headcount").type
    assert code == table_schema("requests").field("task").type
    assert code == table_schema("placements").field("basis").type
    assert code == table_schema("assignments").field("status").type


def test_polars_reads_the_files_with_the_expected_dtypes(tmp_path: Path) -> None:
    """Dates as Date, instants as Stockholm Datetime, codes as Categorical, lists as List."""
    pl = pytest.importorskip("polars")
    ParquetExporter(tmp_path).write_dataset(handworked_dataset())
    reports = pl.read_parquet(tmp_path / "reports.parquet")
    assert pl.Datetime("us", "Europe/Stockholm") == reports.schema["received_at"]
    assert pl.Date == reports.schema["preassessment_decided_on"]
    assert pl.Categorical == reports.schema["district"]
    assert pl.String == reports.schema["report_id"]
    members = pl.read_parquet(tmp_path / "members.parquet")
    assert pl.List(pl.String) == members.schema["competencies"]
    assert pl.Float64 == members.schema["extent"]
    assert ["coaching", "lvu", "språk"] == members["competencies"][0].to_list()
    assert pl.Int64 == pl.read_parquet(tmp_path / "requests.parquet").schema["headcount"]
    instant = reports["received_at"][0]
    assert dt.datetime(2025, 4, 1, 1, 30) == instant.replace(tzinfo=None)  # Stockholm time


def test_files_are_owner_only_unless_a_mode_is_given(tmp_path: Path) -> None:
    """0600 files in a new 0700 folder by default; mode='640' gives 0640 in a 0750 folder."""
    private, shared = tmp_path / "private", tmp_path / "shared"
    old = os.umask(0o022)
    try:
        ParquetExporter(private).write_dataset(small_city())
        socforst.open_exporter(f"parquet:{shared}", mode="640").write_dataset(small_city())
    finally:
        os.umask(old)

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    assert (0o700, {0o600}) == (mode(private), {mode(p) for p in private.iterdir()})
    assert (0o750, {0o640}) == (mode(shared), {mode(p) for p in shared.iterdir()})


def test_a_case_column_the_source_did_not_have_stays_absent(tmp_path: Path) -> None:
    """An extract without protection_assessed_at, and without reviews, reads back the same.

    Written empty, the column would read back as "not done" and every
    protection assessment would be overdue; a stale reviews.parquet of an
    earlier export is removed, so the table stays absent too.
    """
    extract = tmp_path / "extract"
    extract.mkdir()
    (extract / "reports.csv").write_text(
        "report_id,district,received_at\nr1,farsta,2025-03-03T10:00\n", encoding="utf-8"
    )
    read = socforst.open_source(f"csv:{extract}").read()
    target = tmp_path / "target"
    ParquetExporter(target).write_dataset(Dataset(placements=[]))  # an earlier export
    assert (target / "reviews.parquet").exists()
    ParquetExporter(target).write_dataset(read)
    assert "protection_assessed_at" not in pq.read_schema(target / "reports.parquet").names
    assert not (target / "reviews.parquet").exists()
    assert (target / "members.parquet").exists()  # team tables are always written
    again = ParquetSource(target).read()
    assert read == again
    assert not again.has_column("reports", "protection_assessed_at")
    assert "reviews" not in again.columns


def test_deadlines_are_written_with_the_deadline_columns(tmp_path: Path) -> None:
    """deadlines.parquet: the deadline output's columns, dates as date32, codes encoded."""
    deadline = EvaluatedDeadline(
        kind="preassessment",
        subject_id="r1",
        district="farsta",
        starts_on=D(2025, 3, 3),
        due_on=D(2025, 3, 17),
        met_on=None,
        status=DeadlineStatus.OVERDUE,
        reference="SoL (2001:453) 11 kap. 1 a §",
        member_id="m1",
    )
    exporter = socforst.open_exporter(f"parquet:{tmp_path / 'out'}")
    exporter.write_deadlines([deadline])
    written = pq.read_table(tmp_path / "out" / "deadlines.parquet")
    assert list(DEADLINE_COLUMNS) == written.column_names
    assert deadline_file_schema().types == written.schema.types
    row = {
        "kind": "preassessment",
        "subject_id": "r1",
        "district": "farsta",
        "starts_on": D(2025, 3, 3),
        "due_on": D(2025, 3, 17),
        "met_on": None,
        "status": "overdue",
        "reference": "SoL (2001:453) 11 kap. 1 a §",
    }
    assert [row] == written.to_pylist()
    assert 0o600 == stat.S_IMODE((tmp_path / "out" / "deadlines.parquet").stat().st_mode)
    # An Arrow table of deadlines (as RuleBook.evaluate_table gives) is written the same way.
    table = pa.Table.from_pylist([{**row, "member_id": "m1"}])
    ParquetExporter(tmp_path / "arrow").write_deadlines(table)
    assert written == pq.read_table(tmp_path / "arrow" / "deadlines.parquet")


def test_an_arrow_table_of_deadlines_needs_the_deadline_columns(tmp_path: Path) -> None:
    """A table without 'status' and 'reference' is refused by name; nothing is written."""
    table = pa.table({"kind": ["preassessment"], "subject_id": ["r1"]})
    with pytest.raises(ValueError, match="no column 'district', "):
        ParquetExporter(tmp_path / "out").write_deadlines(table)
    assert not (tmp_path / "out").exists()


def test_loading_imports_pyarrow_only_when_a_parquet_folder_is_read() -> None:
    """`import socforst` and the adapter's module leave pyarrow unimported (a fast CLI start)."""
    import subprocess
    import sys

    code = "import sys, socforst, socforst.sources.parquet; print('pyarrow' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "False" == result.stdout.strip()


def test_text_utf8_cannot_hold_is_an_error_naming_table_row_and_column(tmp_path: Path) -> None:
    """A lone surrogate in a plugin rule's reference: an ExportError naming the cell, no file.

    Records refuse such text when they are made; deadlines are plain named tuples.
    """
    good = EvaluatedDeadline(
        "preassessment", "r1", "farsta", D(2025, 3, 3), D(2025, 3, 17), None,
        DeadlineStatus.OPEN, "SoL",
    )  # fmt: skip
    bad = good._replace(subject_id="r2", reference="Lag \ud800")
    with pytest.raises(ExportError) as caught:
        ParquetExporter(tmp_path / "out").write_deadlines([good, bad])
    [error] = caught.value.exceptions
    assert isinstance(error, RowError)
    assert ("deadlines.parquet", "deadlines", 2, "reference") == places([error])[0]
    assert "U+D800" in error.reason
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- all or nothing


def test_a_failure_putting_any_file_in_place_leaves_the_old_extract_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """os.replace fails at the k-th file: every old file has its old bytes, nothing is left."""
    folder = tmp_path / "extract"
    ParquetExporter(folder).write_dataset(small_city())
    old = {p.name: p.read_bytes() for p in folder.iterdir()}
    new = Dataset(teams=[Team("t9", "Another team")])
    real = os.replace
    for nth in (1, 2, 8, len(TABLES)):
        calls = 0

        def replace(source: Any, target: Any, nth: int = nth) -> None:
            nonlocal calls
            calls += 1
            if calls == nth:
                raise OSError(16, "Device or resource busy")
            real(source, target)

        monkeypatch.setattr(os, "replace", replace)
        with pytest.raises(WriteError):
            ParquetExporter(folder).write_dataset(new)
        monkeypatch.setattr(os, "replace", real)
        assert old == {p.name: p.read_bytes() for p in folder.iterdir()}, nth
    assert small_city() == ParquetSource(folder).read()


def test_a_failure_while_writing_a_file_replaces_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Parquet writer fails on the fifth table: the old files stay, no temporary is left."""
    folder = tmp_path / "extract"
    ParquetExporter(folder).write_dataset(small_city())
    old = {p.name: p.read_bytes() for p in folder.iterdir()}
    real = pq.write_table
    calls = 0

    def failing(*args: Any, **kwargs: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 5:
            raise OSError(28, "No space left on device")
        real(*args, **kwargs)

    monkeypatch.setattr(pq, "write_table", failing)
    with pytest.raises(WriteError, match="no space left"):
        ParquetExporter(folder).write_dataset(Dataset())
    assert old == {p.name: p.read_bytes() for p in folder.iterdir()}


# ---------------------------------------------------------------- what other tools write


def test_what_polars_writes_is_read(tmp_path: Path) -> None:
    """Strings, Date, naive and UTC Datetime, Categorical, List(String), Int32 and Float32."""
    pl = pytest.importorskip("polars")
    pl.DataFrame(
        {
            "member_id": ["m1"],
            "team_id": pl.Series(["t1"], dtype=pl.Categorical),
            "employed_from": [D(2016, 1, 4)],
            "extent": pl.Series([0.5], dtype=pl.Float32),
            "competencies": [["lvu", "coaching"]],
        }
    ).write_parquet(tmp_path / "members.parquet")
    pl.DataFrame(
        {
            "report_id": ["r1", "r2"],
            "district": ["farsta", "farsta"],
            "received_at": [dt.datetime(2025, 3, 31, 23, 30), dt.datetime(2025, 3, 3, 10)],
            "protection_assessed_at": pl.Series(
                [dt.datetime(2025, 3, 31, 23, 45), None], dtype=pl.Datetime("ns", "UTC")
            ),
        }
    ).write_parquet(tmp_path / "reports.parquet")
    pl.DataFrame({"team_id": ["t1"], "name": ["Söder"]}).write_parquet(tmp_path / "teams.parquet")
    data = ParquetSource(tmp_path).read()
    assert member(extent=0.5, competencies=frozenset({"lvu", "coaching"})) == data.members[0]
    first = data.reports[0]
    # Naive: Stockholm local time; with a time zone: that instant, in Stockholm time.
    assert "2025-03-31T23:30:00+02:00" == first.received_at.isoformat()
    assert first.protection_assessed_at is not None
    assert "2025-04-01T01:45:00+02:00" == first.protection_assessed_at.isoformat()
    assert data.reports[1].protection_assessed_at is None


def test_what_pandas_writes_is_read(tmp_path: Path) -> None:
    """Dates as midnight timestamps, NaN as missing, and the index column pandas adds ignored."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "member_id": ["m0", "m1", "m2"],
            "team_id": ["t1", "t1", "t1"],
            "employed_from": pd.to_datetime(["2016-01-04", "2016-01-04", "2017-02-01"]),
            "employed_to": pd.to_datetime([None, "2020-12-31", None]),
            "extent": [1.0, float("nan"), 0.5],
        }
    )
    frame.index = pd.Index([7, 3, 5])  # as after a sort: pandas writes the index as a column
    frame = frame[frame["member_id"] != "m0"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no UnknownColumnWarning for __index_level_0__
        frame.to_parquet(tmp_path / "members.parquet")
        pd.DataFrame({"team_id": ["t1"], "name": ["T"]}).to_parquet(tmp_path / "teams.parquet")
        data = ParquetSource(tmp_path).read()
    assert "__index_level_0__" in pq.read_schema(tmp_path / "members.parquet").names
    expected = (
        member(employed_to=D(2020, 12, 31)),  # NaN: the default extent, 1
        TeamMember(member_id="m2", team_id="t1", employed_from=D(2017, 2, 1), extent=0.5),
    )
    assert expected == data.members


def test_other_arrow_layouts_are_read(tmp_path: Path) -> None:
    """large_string, string_view, dictionary strings, date64, ns timestamps, int32, decimal."""
    write_table(
        tmp_path,
        "requests",
        {
            "request_id": pa.array(["q1"], pa.large_string()),
            "district": pa.array(["farsta"], pa.string()).dictionary_encode(),
            "received_on": pa.array([D(2025, 1, 1)], pa.date64()),
            "start": pa.array([dt.datetime(2025, 2, 1)], pa.timestamp("ns")),
            "end": pa.array(["2025-02-28"], pa.string_view()),
            "headcount": pa.array([2], pa.int32()),
            "extent": pa.array([decimal.Decimal("0.50")], pa.decimal128(4, 2)),
            "task": pa.array(["lvu"], pa.large_string()).dictionary_encode(),
        },
    )
    [request] = ParquetSource(tmp_path).read().requests
    assert (D(2025, 1, 1), D(2025, 2, 1), D(2025, 2, 28)) == (
        request.received_on,
        request.start,
        request.end,
    )
    assert (2, 0.5, "lvu") == (request.headcount, request.extent, request.task)


def test_a_date_where_an_instant_belongs_is_the_start_of_that_day(tmp_path: Path) -> None:
    """DATA.md: a date where a datetime is expected means the start of that day."""
    write_table(tmp_path, "reports", {**REPORT, "received_at": pa.array([D(2025, 3, 3)])})
    [report] = ParquetSource(tmp_path).read().reports
    assert dt.datetime(2025, 3, 3, tzinfo=STOCKHOLM) == report.received_at


def test_iso_text_in_every_column_is_read_as_in_a_csv_file(tmp_path: Path) -> None:
    """A Parquet file of text columns (as DuckDB writes from a CSV read as text) reads too."""
    write_table(
        tmp_path,
        "members",
        {
            "member_id": ["m1"],
            "team_id": ["t1"],
            "employed_from": ["2016-01-04"],
            "extent": ["0.5"],
            "competencies": ["lvu|coaching"],
        },
    )
    write_table(tmp_path, "teams", {"team_id": ["t1"], "name": ["T"]})
    expected = member(extent=0.5, competencies=frozenset({"lvu", "coaching"}))
    assert (expected,) == ParquetSource(tmp_path).read().members


# ---------------------------------------------------------------- bad input


def test_a_personnummer_in_report_id_is_refused_and_never_shown(tmp_path: Path) -> None:
    """Row 2's report_id is a personnummer: refused, with file, row and column; never said."""
    write_table(
        tmp_path,
        "reports",
        {
            "report_id": ["r1", PIN],
            "district": ["farsta"] * 2,
            "received_at": pa.array([dt.datetime(2025, 3, 3, 10)] * 2, pa.timestamp("us")),
        },
    )
    errors = row_errors(tmp_path)
    assert [("reports.parquet", "reports", 2, "report_id")] == places(errors)
    assert "personnummer" in errors[0].reason or "identity number" in errors[0].reason
    text = said(ParquetSource(tmp_path).read)
    assert [] == [part for part in PIN_PARTS if part in text]


def test_a_personnummer_in_a_case_number_column_is_accepted_when_declared(tmp_path: Path) -> None:
    """case_numbers=report_id: ids numbered by date that pass the check digit are accepted."""
    write_table(tmp_path, "reports", {**REPORT, "report_id": ["8112189876"]})
    source = socforst.open_source(f"parquet:{tmp_path}", case_numbers="report_id")
    assert "8112189876" == source.read().reports[0].report_id


def test_every_bad_value_is_reported_at_once_with_file_row_and_column(tmp_path: Path) -> None:
    """A bad date text, an unknown district and a time in a date column, in three rows."""
    write_table(
        tmp_path,
        "investigations",
        {
            "investigation_id": ["i1", "i2", "i3", "i4"],
            "district": ["farsta", "narnia", "farsta", "farsta"],
            "opened_on": ["2025-03-10", "2025-03-10", "2025-13-01", "2025-03-10"],
            "closed_on": pa.array(
                [None, None, None, dt.datetime(2025, 4, 1, 13, 5)], pa.timestamp("ms")
            ),
        },
    )
    errors = row_errors(tmp_path)
    assert [
        ("investigations.parquet", "investigations", 2, "district"),
        ("investigations.parquet", "investigations", 3, "opened_on"),
        ("investigations.parquet", "investigations", 4, "closed_on"),
    ] == places(errors)
    assert "'narnia'" in errors[0].reason
    assert "'2025-13-01'" in errors[1].reason
    assert "2025-04-01T13:05:00" in errors[2].reason
    assert "only at midnight" in errors[2].reason


def test_a_timestamp_at_midnight_is_a_date_and_one_with_a_time_zone_is_refused(
    tmp_path: Path,
) -> None:
    """Naive midnight: that date. A time zone in a date column: refused for the column."""
    write_table(tmp_path, "teams", {"team_id": ["t1"], "name": ["T"]})
    write_table(
        tmp_path,
        "members",
        {
            "member_id": ["m1"],
            "team_id": ["t1"],
            "employed_from": pa.array([dt.datetime(2016, 1, 4)], pa.timestamp("ns")),
        },
    )
    assert (member(),) == ParquetSource(tmp_path).read().members
    write_table(
        tmp_path,
        "members",
        {
            "member_id": ["m1"],
            "team_id": ["t1"],
            "employed_from": pa.array([dt.datetime(2016, 1, 4)], pa.timestamp("us", tz="UTC")),
        },
    )
    [error] = row_errors(tmp_path)
    assert [("members.parquet", "members", None, "employed_from")] == places([error])
    assert "time zone (UTC)" in error.reason


def test_an_id_stored_as_a_number_is_refused_for_its_column(tmp_path: Path) -> None:
    """Integer ids lose leading zeros (and a personnummer with them): one error, with the fix."""
    write_table(tmp_path, "reports", {**REPORT, "report_id": pa.array([501011234], pa.int64())})
    [error] = row_errors(tmp_path)
    assert [("reports.parquet", "reports", None, "report_id")] == places([error])
    assert "stored as int64" in error.reason
    assert "leading zeros" in error.reason
    assert "501011234" not in said(ParquetSource(tmp_path).read)


@pytest.mark.parametrize(
    ("column", "values", "expected"),
    [
        ("exceptional_reason", pa.array([b"\x81\x82"]), "binary data"),
        ("member_id", pa.array([True]), "booleans"),
        ("preassessment_decided_on", pa.array([20250310]), "int64"),
        ("received_at", pa.array([1.5]), "double"),
    ],
)
def test_a_column_of_a_type_no_column_takes_is_refused_by_name(
    tmp_path: Path, column: str, values: Any, expected: str
) -> None:
    """Binary data, booleans, numbers for dates: one error naming the column and its type."""
    write_table(tmp_path, "reports", {**REPORT, column: values})
    errors = row_errors(tmp_path)
    assert [("reports.parquet", "reports", None, column)] == places(errors)
    assert expected in errors[0].reason


def test_a_refused_optional_column_does_not_hide_the_other_rows_errors(tmp_path: Path) -> None:
    """A binary exceptional_reason column and a bad district on row 2: both reported."""
    write_table(
        tmp_path,
        "reports",
        {
            "report_id": ["r1", "r2"],
            "district": ["farsta", "narnia"],
            "received_at": pa.array([dt.datetime(2025, 3, 3, 10)] * 2, pa.timestamp("us")),
            "exceptional_reason": pa.array([b"a", b"b"]),
        },
    )
    expected = [
        ("reports.parquet", "reports", None, "exceptional_reason"),
        ("reports.parquet", "reports", 2, "district"),
    ]
    assert expected == places(row_errors(tmp_path))


def test_dates_outside_the_legal_calendar_are_refused_even_beyond_python_dates(
    tmp_path: Path,
) -> None:
    """1900 and a day in year 20000 (which no Python date holds): each row refused, not a crash."""
    days = pa.array([(D(1900, 1, 1) - D(1970, 1, 1)).days, 6_600_000], pa.int32()).view(pa.date32())
    write_table(
        tmp_path,
        "investigations",
        {"investigation_id": ["i1", "i2"], "district": ["farsta"] * 2, "opened_on": days},
    )
    errors = row_errors(tmp_path)
    assert [("investigations", 1, "opened_on"), ("investigations", 2, "opened_on")] == [
        (e.table, e.row, e.column) for e in errors
    ]
    assert "got the year 1900" in errors[0].reason
    assert "after 9999" in errors[1].reason


def test_text_that_is_not_utf8_is_an_error_for_its_column(tmp_path: Path) -> None:
    """Bytes written as a string column without being UTF-8: the column named, no crash."""
    not_text = pa.array([b"r\xff1"], pa.binary()).view(pa.string())
    write_table(tmp_path, "reports", {**REPORT, "report_id": not_text})
    [error] = row_errors(tmp_path)
    assert [("reports.parquet", "reports", None, "report_id")] == places([error])
    assert "not UTF-8" in error.reason


def test_many_bad_rows_are_listed_up_to_the_limit_and_counted(tmp_path: Path) -> None:
    """1,200 times of day in a date column: 1,000 listed, the rest counted."""
    count = 1200
    write_table(
        tmp_path,
        "investigations",
        {
            "investigation_id": [f"i{n}" for n in range(count)],
            "district": ["farsta"] * count,
            "opened_on": pa.array([dt.datetime(2025, 3, 10, 9)] * count, pa.timestamp("us")),
        },
    )
    errors = row_errors(tmp_path)
    assert 1001 == len(errors)
    assert "and 200 more problems not listed" in errors[-1].reason


def test_unknown_columns_are_warned_and_absent_ones_recorded(tmp_path: Path) -> None:
    """An unknown column: a warning. protection_assessed_at absent: unknown, not 'not done'."""
    write_table(tmp_path, "reports", {**REPORT, "handläggare": ["Anna Andersson"]})
    with pytest.warns(UnknownColumnWarning, match="ignoring 1 unknown column"):
        data = ParquetSource(tmp_path).read()
    assert not data.has_column("reports", "protection_assessed_at")
    assert data.has_column("reports", "received_at")


def test_a_missing_required_column_and_a_column_twice_are_errors(tmp_path: Path) -> None:
    """No received_at: one error for the table. district twice: one error naming it."""
    write_table(tmp_path, "reports", {"report_id": ["r1"], "district": ["farsta"]})
    assert [("reports.parquet", "reports", None, "received_at")] == places(row_errors(tmp_path))
    table = pa.Table.from_arrays(
        [pa.array(["r1"]), pa.array(["farsta"]), pa.array(["farsta"]), REPORT["received_at"]],
        names=["report_id", "district", "district", "received_at"],
    )
    pq.write_table(table, tmp_path / "reports.parquet")
    [error] = row_errors(tmp_path)
    assert "district" == error.column
    assert "appears twice" in error.reason


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"report_id,district\nr1,farsta\n", "is not a Parquet file"),
        (b"", "is empty (0 bytes)"),
        (b"PAR1" + b"\x00" * 100 + b"PAR1", "is not a Parquet file, or is damaged"),
    ],
)
def test_a_file_that_is_not_parquet_is_an_error_naming_it(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    """CSV text renamed, an empty file, a damaged footer: a LoadError naming the file."""
    (tmp_path / "reports.parquet").write_bytes(content)
    [error] = row_errors(tmp_path)
    assert ("reports.parquet", "reports", None, None) == places([error])[0]
    assert expected in error.reason


def test_a_partitioned_dataset_folder_is_an_error_saying_so(tmp_path: Path) -> None:
    """reports.parquet/ as Spark writes it: socforst reads one file per table."""
    write_table(tmp_path / "reports.parquet", "part-0", REPORT)
    [error] = row_errors(tmp_path)
    assert "is a folder" in error.reason


@pytest.mark.parametrize(
    ("name", "suggested"), [("Reports.parquet", "reports.parquet"), ("member.parquet", "members")]
)
def test_a_misspelt_file_name_is_an_error_suggesting_the_right_one(
    tmp_path: Path, name: str, suggested: str
) -> None:
    """A near miss of a table's file name is never silently skipped."""
    pq.write_table(pa.table({"x": [1]}), tmp_path / name)
    errors = row_errors(tmp_path)
    assert any(suggested in error.reason and name in error.source for error in errors)


def test_a_folder_without_table_files_or_missing_is_an_error(tmp_path: Path) -> None:
    """A folder of CSV files read as Parquet names the files it looked for."""
    (tmp_path / "reports.csv").write_text("report_id\n", encoding="utf-8")
    [error] = row_errors(tmp_path)
    assert "holds none of the table files" in error.reason
    assert "reports.parquet" in error.reason
    [error] = row_errors(tmp_path / "missing")
    assert "does not exist" == error.reason


# ---------------------------------------------------------------- the command line


def test_export_and_deadlines_through_a_parquet_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`socforst export parquet:DIR`, then `socforst deadlines --source parquet:DIR`."""
    city = tmp_path / "city"
    socforst.open_exporter(f"csv:{city}").write_dataset(small_city())
    target = tmp_path / "parquet"
    status, out, _ = run(capsys, "export", f"parquet:{target}", "--source", f"csv:{city}")
    assert 0 == status
    assert "to parquet:" in out
    assert small_city() == socforst.open_source(f"parquet:{target}").read()
    argv = ("deadlines", "--as-of", "2025-03-20", "-f", "csv")
    _, from_csv, _ = run(capsys, *argv, "--source", f"csv:{city}")
    status, from_parquet, err = run(capsys, *argv, "--source", f"parquet:{target}")
    assert (0, "") == (status, err)
    assert from_csv == from_parquet
    assert 3 == len(from_parquet.splitlines())


def test_a_bad_parquet_source_is_one_error_per_problem_on_the_command_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A personnummer in report_id: exit 1, the place named, the number never printed."""
    write_table(tmp_path, "reports", {**REPORT, "report_id": [PIN]})
    status, out, err = run(capsys, "deadlines", "--source", f"parquet:{tmp_path}")
    assert (1, "") == (status, out)
    assert "reports.parquet: reports, row 1, column 'report_id'" in err
    assert [] == [part for part in PIN_PARTS if part in err]


def test_an_export_over_a_parquet_extract_needs_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An existing Parquet extract is replaced only with --force; without it nothing changes."""
    city = tmp_path / "city"
    socforst.open_exporter(f"csv:{city}").write_dataset(small_city())
    target = tmp_path / "extract"
    ParquetExporter(target).write_dataset(Dataset(teams=[Team("t9", "Another team")]))
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    argv = ("export", f"parquet:{target}", "--source", f"csv:{city}")
    status, _, err = run(capsys, *argv)
    assert 1 == status
    assert "already holds an extract" in err
    assert before == {p.name: p.read_bytes() for p in target.iterdir()}
    assert 0 == run(capsys, *argv, "--force")[0]
    assert small_city() == ParquetSource(target).read()


def test_the_parquet_adapters_are_found_by_name() -> None:
    """The entry points resolve: open_source and open_exporter give the Parquet adapters."""
    assert isinstance(socforst.open_source("parquet:x"), ParquetSource)
    assert isinstance(socforst.open_exporter("parquet:x"), ParquetExporter)
    assert "parquet" in socforst.registry.source_names()
    assert "parquet" in socforst.registry.exporter_names()


def test_a_report_keeps_its_instant_through_a_summer_time_change(tmp_path: Path) -> None:
    """02:30 on the night clocks go back happens twice: each instant comes back as itself."""
    first = dt.datetime(2025, 10, 26, 0, 30, tzinfo=dt.UTC)  # 02:30 CEST
    second = dt.datetime(2025, 10, 26, 1, 30, tzinfo=dt.UTC)  # 02:30 CET
    expected = Dataset(
        reports=[
            Report(report_id="r1", district="farsta", received_at=first),
            Report(report_id="r2", district="farsta", received_at=second),
        ]
    )
    ParquetExporter(tmp_path).write_dataset(expected)
    actual = ParquetSource(tmp_path).read()
    assert [first, second] == [r.received_at.astimezone(dt.UTC) for r in actual.reports]
