"""The Excel adapter: a dataset as one workbook, one sheet per table."""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from xlsxwriter.worksheet import Worksheet as XlsxWorksheet  # type: ignore[import-untyped]

import socforst
from socforst import (
    Dataset,
    DeadlineStatus,
    EvaluatedDeadline,
    LoadError,
    Report,
    RowError,
    Team,
    TeamMember,
)
from socforst.integrity import problems
from socforst.sources import DEADLINE_COLUMNS
from socforst.sources.xlsx import XlsxExporter, XlsxSource
from tests import strategies as s
from tests.test_sources import datasets as consistent_datasets


def texts() -> st.SearchStrategy[str]:
    """Text that survives any format: not empty, no whitespace around it (cells are stripped)."""
    # What a record holds: no control characters but tab, newline and carriage
    # return, no lone surrogates, no non-characters (the models refuse them).
    refused = [chr(c) for c in (*range(9), 11, 12, *range(14, 32))] + ["\ufffe", "\uffff"]
    alphabet = st.characters(blacklist_categories=["Cs"], blacklist_characters=refused)
    return st.text(alphabet, min_size=1, max_size=30).map(str.strip).filter(bool)


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    """A dataset whose references and orders of dates hold (a load checks them), every table.

    The tables of ``tests.test_sources.datasets``, with staffing and costs added.
    """
    dataset = draw(consistent_datasets())
    tables = {table: list(records) for table, records in dataset.tables()}
    tables["staffing"] = draw(st.lists(s.staffing(), max_size=3))
    tables["costs"] = draw(st.lists(s.yearly_costs(), max_size=3))
    assume(not problems(tables, {}))
    return Dataset(**tables)


def member(**changes: Any) -> TeamMember:
    values: dict[str, Any] = {
        "member_id": "m1",
        "team_id": "t1",
        "name": "Anna Andersson",
        "employed_from": dt.date(2016, 1, 4),
        "extent": 0.75,
    }
    values.update(changes)
    return TeamMember(**values)


TEAM = Team("t1", "Team 1")


def row_errors(error: LoadError) -> list[RowError]:
    found = [e for e in error.exceptions if isinstance(e, RowError)]
    assert len(found) == len(error.exceptions)
    return found


def write_sheet(path: Path, title: str, rows: list[list[Any]]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for number, cells in enumerate(rows, start=1):
        for column, value in enumerate(cells, start=1):
            if value is not None:
                sheet.cell(row=number, column=column, value=value)
    workbook.save(path)


@settings(
    max_examples=25,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
@given(dataset=datasets())
def test_a_dataset_written_to_a_workbook_reads_back_equal(tmp_path: Path, dataset: Dataset) -> None:
    """Every table, with dates, instants, numbers, lists and enums, survives the round trip."""
    path = tmp_path / "data.xlsx"
    XlsxExporter(path).write_dataset(dataset)
    assert dataset == XlsxSource(path).read()


def test_the_workbook_is_real_excel_with_dates_as_dates_and_instants_as_iso_text(
    tmp_path: Path,
) -> None:
    """The openpyxl package sees the header, a date cell as a date, an instant with its offset."""
    path = tmp_path / "data.xlsx"
    report = Report(
        report_id="r1",
        district="farsta",
        received_at=dt.datetime(2025, 3, 30, 2, 30, tzinfo=dt.UTC),
    )
    XlsxExporter(path).write_dataset(Dataset(teams=[TEAM], members=[member()], reports=[report]))

    workbook = openpyxl.load_workbook(path)
    members = workbook["members"]
    header = [cell.value for cell in members[1]]
    assert ["member_id", "team_id", "name", "employed_from"] == header[:4]
    assert dt.datetime(2016, 1, 4) == members["D2"].value
    assert members["D2"].is_date
    assert 0.75 == members["F2"].value
    assert "2025-03-30T04:30:00+02:00" == workbook["reports"]["C2"].value
    assert set(socforst.dataset.TABLES) == set(workbook.sheetnames)


def test_text_that_looks_like_a_formula_or_holds_control_characters_stays_text(
    tmp_path: Path,
) -> None:
    """A name starting with '=' is not a formula; a carriage return, '_x0041_', spaces survive."""
    path = tmp_path / "data.xlsx"
    names = ["=1+1", "a\rb\r\nc", "literal _x0041_ here", "tab\tand\nnewline", " padded "]
    members = [member(member_id=f"m{i}", name=name) for i, name in enumerate(names)]
    XlsxExporter(path).write_dataset(Dataset(teams=[TEAM], members=members))

    assert "s" == openpyxl.load_workbook(path)["members"]["C2"].data_type
    assert names == [m.name for m in XlsxSource(path).read().members]


def test_a_bad_date_and_a_bad_extent_are_reported_together_with_sheet_row_numbers(
    tmp_path: Path,
) -> None:
    """Row 3 has an impossible date, row 5 (after a blank row) an extent above 1."""
    path = tmp_path / "data.xlsx"
    write_sheet(
        path,
        "members",
        [
            ["member_id", "team_id", "employed_from", "extent"],
            ["m1", "t1", dt.date(2016, 1, 4), 1],
            ["m2", "t1", "2016-13-01", 1],
            [None, None, None, None],
            ["m3", "t1", dt.date(2017, 2, 1), 1.5],
        ],
    )
    with pytest.raises(LoadError) as caught:
        XlsxSource(path).read()

    found = sorted((e.table, e.row, e.column) for e in row_errors(caught.value))
    assert [("members", 3, "employed_from"), ("members", 5, "extent")] == found
    assert all(e.source == str(path) for e in row_errors(caught.value))


def test_cells_as_excel_gives_them_are_read_by_their_column(tmp_path: Path) -> None:
    """A numeric id is text, a date cell a date, a date in a datetime column Stockholm midnight.

    An empty column between the table's columns is skipped; other sheets are ignored.
    """
    path = tmp_path / "data.xlsx"
    workbook = openpyxl.Workbook()
    members = workbook.active
    assert members is not None
    members.title = "members"
    members.append(["member_id", "team_id", None, "employed_from", "extent"])
    members.append([1001, "t1", None, dt.date(2016, 1, 4), 1])
    reports = workbook.create_sheet("reports")
    reports.append(["report_id", "district", "received_at"])
    reports.append(["r1", "farsta", dt.date(2025, 3, 3)])
    reports.append(["r2", "farsta", dt.datetime(2025, 3, 3, 14, 15)])
    workbook.create_sheet("notes").append(["whatever", 1])
    workbook.save(path)

    dataset = XlsxSource(path).read()

    assert member(member_id="1001", name=None, extent=1.0) == dataset.members[0]
    assert "2025-03-03T00:00:00+01:00" == dataset.reports[0].received_at.isoformat()
    assert "2025-03-03T14:15:00+01:00" == dataset.reports[1].received_at.isoformat()


def test_a_value_under_no_header_is_an_error(tmp_path: Path) -> None:
    """A value in a column without a name cannot be placed: its row is reported."""
    path = tmp_path / "data.xlsx"
    write_sheet(
        path,
        "teams",
        [["team_id", "name"], ["t1", "Team 1"], ["t2", "Team 2", "stray"]],
    )
    with pytest.raises(LoadError) as caught:
        XlsxSource(path).read()

    [error] = row_errors(caught.value)
    assert (3, None) == (error.row, error.column)
    assert "column 3" in error.reason


def test_a_datetime_in_a_date_column_is_an_error(tmp_path: Path) -> None:
    """A time of day where a date is expected is refused, not cut off."""
    path = tmp_path / "data.xlsx"
    write_sheet(
        path,
        "members",
        [["member_id", "team_id", "employed_from"], ["m1", "t1", dt.datetime(2016, 1, 4, 9)]],
    )
    with pytest.raises(LoadError) as caught:
        XlsxSource(path).read()

    [error] = row_errors(caught.value)
    assert (2, "employed_from") == (error.row, error.column)


def test_a_file_that_is_not_a_workbook_gives_one_load_error(tmp_path: Path) -> None:
    """Random bytes are not an .xlsx workbook: one error says so."""
    path = tmp_path / "data.xlsx"
    path.write_bytes(random.Random(5545).randbytes(2048))

    with pytest.raises(LoadError) as caught:
        XlsxSource(path).read()

    [error] = row_errors(caught.value)
    assert "is not a valid .xlsx workbook" in error.reason


def test_a_missing_file_gives_one_load_error(tmp_path: Path) -> None:
    """A path that does not exist cannot be read."""
    with pytest.raises(LoadError) as caught:
        XlsxSource(tmp_path / "nowhere.xlsx").read()

    [error] = row_errors(caught.value)
    assert error.reason.startswith("cannot be read")


@pytest.mark.parametrize("failing", ["sheet", "interrupt", "fsync"])
def test_a_failed_write_leaves_the_old_workbook_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """A write failing mid-way leaves the old file whole and nothing else behind.

    It fails while XlsxWriter assembles the third sheet, is interrupted (Ctrl-C)
    while rows are written, or fails after the bytes are written but before
    they are synced. Neither a temporary file nor XlsxWriter's spool folder is
    left beside the workbook.
    """
    path = tmp_path / "data.xlsx"
    XlsxExporter(path).write_dataset(Dataset(teams=[TEAM], members=[member()]))
    before = path.read_bytes()
    error: type[BaseException] = OSError
    if failing == "sheet":
        assemble = XlsxWorksheet._assemble_xml_file
        calls = []

        def fail_on_the_third_sheet(self: XlsxWorksheet) -> Any:
            calls.append(self)
            if len(calls) == 3:
                raise OSError("disk full")
            return assemble(self)

        monkeypatch.setattr(XlsxWorksheet, "_assemble_xml_file", fail_on_the_third_sheet)
    elif failing == "interrupt":
        write = XlsxWorksheet.write_string
        strings = []

        def interrupt_on_the_tenth_string(self: XlsxWorksheet, *args: Any) -> Any:
            strings.append(args)
            if len(strings) == 10:
                raise KeyboardInterrupt
            return write(self, *args)

        monkeypatch.setattr(XlsxWorksheet, "write_string", interrupt_on_the_tenth_string)
        error = KeyboardInterrupt
    else:

        def fail(_descriptor: int) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(error):
        XlsxExporter(path).write_dataset(
            Dataset(teams=[TEAM], members=[member(), member(member_id="m2")])
        )

    assert before == path.read_bytes()
    assert ["data.xlsx"] == os.listdir(tmp_path)


def test_deadlines_are_written_to_a_deadlines_sheet_with_the_output_columns(
    tmp_path: Path,
) -> None:
    """The sheet has exactly the deadline columns; dates are dates, an empty met_on is empty."""
    path = tmp_path / "deadlines.xlsx"
    deadline = EvaluatedDeadline(
        kind="preassessment",
        subject_id="r1",
        district="farsta",
        starts_on=dt.date(2025, 3, 3),
        due_on=dt.date(2025, 3, 17),
        met_on=None,
        status=DeadlineStatus.OPEN,
        reference="SoL (2001:453) 11 kap. 1 a §",
    )
    XlsxExporter(path).write_deadlines([deadline])

    workbook = openpyxl.load_workbook(path)
    assert ["deadlines"] == workbook.sheetnames
    rows = list(workbook["deadlines"].iter_rows(values_only=True))
    assert list(DEADLINE_COLUMNS) == list(rows[0])
    assert (
        "preassessment",
        "r1",
        "farsta",
        dt.datetime(2025, 3, 3),
        dt.datetime(2025, 3, 17),
        None,
        "open",
        "SoL (2001:453) 11 kap. 1 a §",
    ) == rows[1]


def test_the_adapters_are_found_by_name(tmp_path: Path) -> None:
    """``xlsx:FILE`` names the source and the exporter through the entry points."""
    path = tmp_path / "data.xlsx"
    exporter = socforst.open_exporter(f"xlsx:{path}")
    exporter.write_dataset(Dataset(teams=[TEAM], members=[member()]))

    source = socforst.open_source(f"xlsx:{path}")

    assert isinstance(source, XlsxSource)
    assert isinstance(exporter, XlsxExporter)
    assert (member(),) == source.read().members
