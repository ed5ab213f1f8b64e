"""Every query's answer is a Result: rows by attribute, and a table for pandas and polars.

The issue's complaint: ``pd.DataFrame(rows)`` gave one object column, and a
roster's repr ran to half a million characters. Here a result goes into
pandas, polars and pyarrow with typed columns, prints as one short line,
shows escaped HTML in a notebook, and still equals the tuple of its rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pyarrow as pa
import pytest

import socforst
from socforst import Dataset, Report, RuleBook
from socforst.demo import demo_dataset
from socforst.queries import ComplianceRow, compliance, deadlines_on, need_ranking
from socforst.results import Result, arrow_schema
from socforst.rules.base import DeadlineStatus, EvaluatedDeadline

D = dt.date


def march() -> Dataset:
    """Three Farsta reports of March 2025: decided in time, late, and not at all."""
    return Dataset(
        reports=[
            Report(report_id="a", district="farsta", received_at=dt.datetime(2025, 3, 3, 9),
                   preassessment_decided_on=D(2025, 3, 12)),
            Report(report_id="b", district="farsta", received_at=dt.datetime(2025, 3, 10, 9),
                   preassessment_decided_on=D(2025, 3, 28)),
            Report(report_id="c", district="farsta", received_at=dt.datetime(2025, 3, 17, 9)),
        ]
    )  # fmt: skip


def test_a_result_is_the_sequence_of_its_rows() -> None:
    """len, index, slice, iteration and equality with a tuple, as the tuples had."""
    rows = compliance(march(), as_of=D(2025, 5, 1))
    assert isinstance(rows, Result)
    assert 1 == len(rows)
    (row,) = rows
    assert rows[0] == row == rows[-1]
    assert (row,) == rows[0:1] == tuple(rows)
    assert rows == (row,)
    assert (row,) == rows
    assert rows == [row]
    # Worked by hand: a met (12 Mar <= 17 Mar), b late (28 Mar > 24 Mar), c never decided.
    assert (3, 1, 2) == (row.owed, row.met_strict, row.late_strict)
    assert () == compliance(Dataset(), as_of=D(2025, 5, 1))


def test_the_table_has_a_typed_column_per_field() -> None:
    """Dates are date32, counts int64, shares float64 (null when nothing is owed), bools bool."""
    table = compliance(march(), as_of=D(2025, 5, 1)).to_arrow()
    assert [f.name for f in attrs.fields(ComplianceRow)] == table.column_names
    types = dict(zip(table.column_names, table.schema.types, strict=True))
    assert pa.date32() == types["month"]
    assert pa.bool_() == types["final"]
    assert pa.int64() == types["owed"]
    assert pa.float64() == types["share_strict"]
    assert pa.string() == types["district"]
    assert [1 / 3] == table.column("share_strict").to_pylist()


def test_pandas_gets_real_columns_not_one_object_column() -> None:
    """to_pandas: one column per field, numbers as numbers."""
    pytest.importorskip("pandas")
    frame = compliance(march(), as_of=D(2025, 5, 1)).to_pandas()
    assert [f.name for f in attrs.fields(ComplianceRow)] == list(frame.columns)
    assert "int64" == str(frame["owed"].dtype)
    assert 3 == int(frame["owed"].iloc[0])
    pandas = pytest.importorskip("pandas")
    if hasattr(pandas.DataFrame, "from_arrow"):  # pandas 3 reads the Arrow stream itself
        assert frame.equals(pandas.DataFrame.from_arrow(compliance(march(), as_of=D(2025, 5, 1))))


def test_polars_reads_a_result_through_the_arrow_stream_protocol() -> None:
    """polars.DataFrame(result) and pyarrow.table(result) read it without a detour."""
    polars = pytest.importorskip("polars")
    result = compliance(march(), as_of=D(2025, 5, 1))
    frame = polars.DataFrame(result)
    assert (1, len(attrs.fields(ComplianceRow))) == frame.shape
    assert polars.Date == frame.schema["month"]
    assert 3 == pa.table(result).column("owed")[0].as_py()
    assert frame.equals(result.to_polars())


def test_deadlines_come_back_as_rows_with_their_status_enum() -> None:
    """A result built from an Arrow table gives EvaluatedDeadline rows with DeadlineStatus."""
    found = deadlines_on(march(), D(2025, 4, 1), statuses=("overdue",))
    # c, received Mon 17 Mar, due Mon 31 Mar, undecided on 1 Apr: overdue. No report
    # records a protection assessment, so each one's (due the day it came) is overdue too.
    assert [
        ("protection_assessment", "a", D(2025, 3, 3)),
        ("protection_assessment", "b", D(2025, 3, 10)),
        ("protection_assessment", "c", D(2025, 3, 17)),
        ("preassessment", "c", D(2025, 3, 31)),
    ] == [(d.kind, d.subject_id, d.due_on) for d in found]
    again = Result.from_arrow("again", EvaluatedDeadline, found.to_arrow())
    assert found == again
    assert DeadlineStatus.OVERDUE is again[0].status


def test_the_repr_is_one_short_line_even_for_a_city() -> None:
    """The demo city's deadlines and roster print in under 120 characters."""
    city = socforst.open_source("demo").read()
    found = deadlines_on(city, D(2025, 3, 3))
    assert len(found) > 100
    assert f"Result(deadlines_on: {len(found)} rows x 10 columns)" == repr(found)
    assert len(repr(city.roster())) < 120
    assert len(repr(need_ranking(city, as_of=D(2025, 3, 3)))) < 120


def test_the_notebook_view_escapes_every_value_and_says_how_many_more() -> None:
    """_repr_html_ shows the first 20 rows, escapes markup, and counts the rest."""

    @attrs.frozen
    class Row:
        text: str
        number: int

    rows = [Row("<script>alert(1)</script>", n) for n in range(25)]
    shown = Result.from_rows("markup", Row, rows, notes=["a & b"])._repr_html_()
    assert "<script>" not in shown
    assert "&lt;script&gt;" in shown
    assert 20 == shown.count("<tr><td>")
    assert "5 more rows" in shown
    assert "a &amp; b" in shown


def test_the_schema_follows_the_row_annotations() -> None:
    """arrow_schema reads str, int, float, bool, date, enums and optionals."""

    @attrs.frozen
    class Row:
        name: str
        count: int
        share: float | None
        final: bool
        on: dt.date
        status: DeadlineStatus

    schema = arrow_schema(Row)
    expected: list[Any] = [pa.string(), pa.int64(), pa.float64(), pa.bool_(), pa.date32(),
                           pa.string()]  # fmt: skip
    assert expected == schema.types


def test_a_rule_books_deadline_rows_and_the_table_path_agree_through_results() -> None:
    """deadlines_on (table path) equals filtering RuleBook.evaluate (object path) by hand."""
    city = demo_dataset(end=D(2016, 6, 30))
    book = RuleBook.swedish()
    found = deadlines_on(city, D(2016, 6, 30), book=book)
    by_hand = sorted(
        (d for d in book.evaluate_dataset(city, D(2016, 6, 30))
         if d.status.value in ("overdue", "due_soon")),
        key=lambda d: (d.due_on, d.kind, d.subject_id),
    )  # fmt: skip
    assert tuple(by_hand) == found
