"""The rule engine on tables agrees with the per-object path, row for row.

``RuleBook.evaluate_table`` computes the bulk of the deadlines on columns and
the rest per object; ``RuleBook.evaluate_batches`` takes Arrow batches of rows.
Both are held equal to ``RuleBook.evaluate`` (the per-object path, itself
held to hand-worked cases) on random datasets, for every kind, status and
reading of Lag (1930:173) 2 §.
"""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

import socforst
from socforst import Dataset, MissingColumnWarning, Report, RuleBook
from socforst.cases import STOCKHOLM
from socforst.demo import demo_dataset
from socforst.ids import validate_id
from socforst.rules import InvestigationDeadline, PreassessmentDeadline
from socforst.rules.table import DEADLINE_COLUMNS, check_batch, deadline_schema
from tests import strategies as s
from tests.redteam.test_09_pin_sweep import numbers

BOOKS = {
    "strict": RuleBook.swedish(),
    "rolled": RuleBook.swedish(roll_forward=True),
    # A local target and other months: the columnar path must follow the rule's own fields.
    "local": RuleBook.swedish(readings={"lvu_court_submission": "strict"})
    .with_rule(PreassessmentDeadline(days=10, kind="preassessment_local", roll_forward=True))
    .with_rule(InvestigationDeadline(months=3, kind="investigation")),
}


def rows_of(table: pa.Table) -> list[tuple[Any, ...]]:
    return sorted(tuple(row[c] for c in DEADLINE_COLUMNS) for row in table.to_pylist())


def rows_of_objects(deadlines: Any) -> list[tuple[Any, ...]]:
    return sorted(
        (d.kind, d.subject_id, d.district, d.starts_on, d.due_on, d.met_on, d.status.value,
         d.reference, d.exceptional_reason, d.member_id)
        for d in deadlines
    )  # fmt: skip


@st.composite
def datasets_and_days(draw: st.DrawFn) -> tuple[Dataset, dt.date]:
    """Every case table, related rows linked, and a day near their dates."""
    reports = draw(st.lists(s.reports(), max_size=8, unique_by=lambda r: r.report_id))
    investigations = draw(
        st.lists(s.investigations(), max_size=6, unique_by=lambda i: i.investigation_id)
    )
    extensions = [e for i in investigations for e in draw(st.lists(s.extensions(i), max_size=3))]
    placements = draw(st.lists(s.placements(), max_size=4, unique_by=lambda p: p.placement_id))
    reviews = [r for p in placements for r in draw(st.lists(s.reviews(p), max_size=5))]
    restrictions = [
        x
        for p in placements
        if p.basis.is_lvu
        for x in draw(st.lists(s.restrictions(p), max_size=2, unique_by=lambda x: x.restriction_id))
    ]
    custodies = draw(st.lists(s.custodies(), max_size=4, unique_by=lambda c: c.custody_id))
    dataset = Dataset(
        reports=reports,
        investigations=investigations,
        extensions=extensions,
        placements=placements,
        reviews=reviews,
        custodies=custodies,
        restrictions=restrictions,
    )
    firsts = [r.received_on for r in reports] + [i.opened_on for i in investigations]
    firsts += [p.started_on for p in placements] + [c.decided_on for c in custodies]
    if not firsts:
        return dataset, draw(s.dates())
    anchor = draw(st.sampled_from(firsts))
    return dataset, anchor + dt.timedelta(days=draw(st.integers(-10, 400)))


@pytest.mark.parametrize("reading", sorted(BOOKS))
def test_the_table_path_equals_the_per_object_path(reading: str) -> None:
    """Every deadline of every kind, with its status, met day and citation, on both paths."""
    book = BOOKS[reading]

    @given(datasets_and_days())
    def check(case: tuple[Dataset, dt.date]) -> None:
        dataset, as_of = case
        table = book.evaluate_table(dataset, as_of)
        assert table.schema == deadline_schema()
        assert rows_of(table) == rows_of_objects(book.evaluate(dataset.case_records(), as_of))

    check()


def test_the_demo_city_gives_the_same_deadlines_on_both_paths() -> None:
    """Two years of the demo city: over 90,000 deadlines, equal as multisets, every kind."""
    dataset = demo_dataset(end=dt.date(2017, 12, 31))
    book = RuleBook.swedish()
    as_of = dt.date(2017, 12, 31)
    table = book.evaluate_table(dataset, as_of)
    assert table.num_rows > 90_000
    assert rows_of(table) == rows_of_objects(book.evaluate_dataset(dataset, as_of))


def test_a_hand_worked_investigation_chain_on_the_table_path() -> None:
    """Opened Fri 31 Oct 2025: due Sat 28 Feb 2026 (1 §); extended twice, once too late.

    Extension 1, decided Mon 16 Feb, until Tue 31 Mar: counts (decided before 28 Feb).
    Extension 2, decided Wed 1 Apr, until Thu 30 Apr: too late (31 Mar had passed).
    Closed Mon 30 Mar: met, citing the act in force that day, SoL (2025:400) 20 kap. 3 §.
    """
    investigation = socforst.Investigation(
        investigation_id="i1", district="farsta", opened_on=dt.date(2025, 10, 31),
        closed_on=dt.date(2026, 3, 30),
    )  # fmt: skip
    extensions = [
        socforst.Extension(
            investigation_id="i1", decided_on=dt.date(2026, 2, 16), until=dt.date(2026, 3, 31)
        ),
        socforst.Extension(
            investigation_id="i1", decided_on=dt.date(2026, 4, 1), until=dt.date(2026, 4, 30)
        ),
    ]
    table = RuleBook.swedish().evaluate_table(
        Dataset(investigations=[investigation], extensions=extensions), dt.date(2026, 5, 1)
    )
    assert [
        ("investigation", "i1", "farsta", dt.date(2025, 10, 31), dt.date(2026, 3, 31),
         dt.date(2026, 3, 30), "met", "SoL (2025:400) 20 kap. 3 §", None, None)
    ] == rows_of(table)  # fmt: skip


def test_an_absent_completion_column_is_left_out_with_a_warning() -> None:
    """Without protection_assessed_at, the protection assessments are unknown: left out."""
    report = Report(report_id="r1", district="farsta", received_at=dt.datetime(2025, 3, 3, 10))
    header = {"report_id", "district", "received_at", "preassessment_decided_on"}
    dataset = Dataset(reports=[report], columns={"reports": header})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = RuleBook.swedish().evaluate_table(dataset, dt.date(2025, 3, 31))
    assert ["preassessment"] == table.column("kind").to_pylist()
    (warning,) = [w.message for w in caught if isinstance(w.message, MissingColumnWarning)]
    assert ("reports", "protection_assessed_at", 1) == (
        warning.table,
        warning.column,
        warning.left_out,
    )


def _report_batch(reports: list[Report], *, naive: bool) -> pa.RecordBatch:
    """The reports as an Arrow batch, instants with a time zone or as naive local times."""

    def instant(value: dt.datetime | None) -> dt.datetime | None:
        if value is None:
            return None
        return value.astimezone(STOCKHOLM).replace(tzinfo=None) if naive else value

    kind = pa.timestamp("us") if naive else pa.timestamp("us", tz="UTC")
    return pa.record_batch(
        {
            "report_id": pa.array([r.report_id for r in reports], pa.string()),
            "district": pa.array([r.district for r in reports]).dictionary_encode(),
            "received_at": pa.array([instant(r.received_at) for r in reports], kind),
            "counts_as_received_on": pa.array(
                [r.counts_as_received_on for r in reports], pa.date32()
            ),
            "protection_assessed_at": pa.array(
                [instant(r.protection_assessed_at) for r in reports], kind
            ),
            "preassessment_decided_on": pa.array(
                [r.preassessment_decided_on for r in reports], pa.date32()
            ),
            "preassessment_outcome": pa.array(
                [
                    None if r.preassessment_outcome is None else str(r.preassessment_outcome)
                    for r in reports
                ],
                pa.string(),
            ),
            "exceptional_reason": pa.array([r.exceptional_reason for r in reports], pa.string()),
            "member_id": pa.array([r.member_id for r in reports], pa.string()),
        }
    )


@pytest.mark.parametrize("naive", [False, True])
def test_batches_of_reports_give_the_deadlines_of_the_per_object_path(naive: bool) -> None:
    """Arrow batches with instants in UTC, or naive Stockholm time, agree with the objects."""
    book = RuleBook.swedish(roll_forward=True)

    @given(st.lists(s.reports(), max_size=12), s.dates())
    def check(reports: list[Report], as_of: dt.date) -> None:
        batches = [_report_batch(reports[:6], naive=naive), _report_batch(reports[6:], naive=naive)]
        out = list(book.evaluate_batches(batches, as_of))
        table = pa.Table.from_batches(out, schema=deadline_schema())
        assert rows_of(table) == rows_of_objects(book.evaluate(reports, as_of))

    check()


def test_batches_refuse_a_rule_without_a_columnar_path() -> None:
    """A protection assessment with a cut-off time needs the records' times: refused."""
    book = RuleBook.swedish().with_rule(
        socforst.rules.ProtectionAssessmentDeadline(cutoff=dt.time(16))
    )
    with pytest.raises(socforst.RuleError, match="protection_assessment"):
        list(book.evaluate_batches([], dt.date(2025, 1, 1)))


def test_a_batch_without_a_required_column_is_refused_by_name() -> None:
    """A batch of reports without received_at cannot start a clock: the column is named."""
    batch = pa.record_batch({"report_id": ["r1"], "district": ["farsta"]})
    with pytest.raises(socforst.ValidationError, match="received_at"):
        list(RuleBook.swedish().evaluate_batches([batch], dt.date(2025, 1, 1)))


def test_the_table_goes_into_pandas_with_dates_and_categories() -> None:
    """to_pandas gives categorical codes and dates, not one column of objects."""
    pandas = pytest.importorskip("pandas")
    report = Report(report_id="r1", district="farsta", received_at=dt.datetime(2025, 6, 6, 9))
    frame = RuleBook.swedish().evaluate_table(Dataset(reports=[report]), dt.date(2025, 6, 9))
    df = frame.to_pandas()
    assert list(df.columns) == list(DEADLINE_COLUMNS)
    assert isinstance(df["kind"].dtype, pandas.CategoricalDtype)


def test_the_table_goes_into_polars_with_dates() -> None:
    """polars.from_arrow keeps the days as dates and the codes as categories or strings."""
    polars = pytest.importorskip("polars")
    report = Report(report_id="r1", district="farsta", received_at=dt.datetime(2025, 6, 6, 9))
    frame = polars.from_arrow(
        RuleBook.swedish().evaluate_table(Dataset(reports=[report]), dt.date(2025, 6, 9))
    )
    assert polars.Date == frame.schema["due_on"]
    assert [dt.date(2025, 6, 6), dt.date(2025, 6, 20)] == frame["due_on"].to_list()


def test_a_dataset_held_as_arrow_gives_the_same_table_without_building_records() -> None:
    """Dataset.from_arrow: evaluate_table reads the Arrow tables; no report is built."""
    dataset = demo_dataset(end=dt.date(2016, 12, 31))
    case = ("reports", "investigations", "extensions", "placements", "reviews", "custodies",
            "restrictions")  # fmt: skip
    team: dict[str, Any] = {name: rows for name, rows in dataset.tables() if name not in case}
    held = Dataset.from_arrow({name: dataset.arrow(name) for name in case}, **team)
    book = RuleBook.swedish()
    table = book.evaluate_table(held, dt.date(2016, 12, 31))
    reports = held.reports
    assert isinstance(reports, socforst.dataset.ArrowRecords)
    assert reports._records is None  # not built: the rules read the columns
    assert rows_of(table) == rows_of(book.evaluate_table(dataset, dt.date(2016, 12, 31)))
    assert held == dataset  # built on demand, the records are the same


@pytest.mark.parametrize("reading", ["strict", "rolled"])
def test_arrow_held_datasets_agree_with_the_per_object_path(reading: str) -> None:
    """The property of the table path, for datasets whose case tables are held as Arrow."""
    book = BOOKS[reading]
    case = ("reports", "investigations", "extensions", "placements", "reviews", "custodies",
            "restrictions")  # fmt: skip

    @given(datasets_and_days())
    def check(generated: tuple[Dataset, dt.date]) -> None:
        dataset, as_of = generated
        held = Dataset.from_arrow({name: dataset.arrow(name) for name in case})
        assert held == dataset
        assert rows_of(book.evaluate_table(held, as_of)) == rows_of_objects(
            book.evaluate(dataset.case_records(), as_of)
        )

    check()


def _one_report_batch(**columns: Any) -> pa.RecordBatch:
    values: dict[str, Any] = {
        "report_id": ["r1", "r2"],
        "district": ["farsta", "farsta"],
        "received_at": pa.array(
            [dt.datetime(2025, 3, 3, 9), dt.datetime(2025, 3, 4, 9)], pa.timestamp("us")
        ),
    }
    values.update(columns)
    return pa.record_batch(values)


@pytest.mark.parametrize(
    ("columns", "error", "words"),
    [
        # A personnummer where an opaque id is expected: refused, and never repeated.
        ({"report_id": ["r1", "19121212-1212"]}, socforst.PersonalIdentityNumberError,
         "report_id"),
        ({"member_id": ["m1", "121212-1212"]}, socforst.PersonalIdentityNumberError,
         "member_id"),
        # An empty required cell: named by column and row, not silently dropped.
        ({"received_at": pa.array([dt.datetime(2025, 3, 3, 9), None], pa.timestamp("us"))},
         socforst.ValidationError, "'received_at' is empty in rows 2"),
        ({"district": ["farsta", "nowhere"]}, socforst.ValidationError, "district"),
        ({"report_id": ["r1", "Anna Andersson"]}, socforst.ValidationError, "rows 2"),
        ({"received_at": ["2025-03-03", "2025-03-04"]}, socforst.ValidationError,
         "'received_at' must be a column of dates"),
    ],
)  # fmt: skip
def test_a_batch_is_checked_at_the_edge_like_a_source(
    columns: dict[str, Any], error: type[Exception], words: str
) -> None:
    """evaluate_batches refuses what a source refuses, and shows no value of the batch."""
    batch = _one_report_batch(**columns)
    with pytest.raises(error) as raised:
        list(RuleBook.swedish().evaluate_batches([batch], dt.date(2025, 4, 1)))
    message = str(raised.value)
    assert words in message
    for value in ("1212", "Anna", "nowhere"):
        assert value not in message


@given(st.one_of(numbers().map(lambda pair: pair[1]), s.ids(), st.text(max_size=30)))
def test_the_batch_check_refuses_exactly_the_ids_the_record_check_refuses_as_a_number(
    value: str,
) -> None:
    """The vectorised prefilter misses no personnummer that validate_id finds, in any spelling."""
    expected_pin = False
    try:
        validate_id("report_id", value)
    except socforst.PersonalIdentityNumberError:
        expected_pin = True
    except socforst.InvalidIdError:
        pass
    batch = _one_report_batch(report_id=["r1", value])
    try:
        check_batch(pa.Table.from_batches([batch]), ("report_id",), ("report_id",))
    except socforst.PersonalIdentityNumberError:
        assert expected_pin
    except socforst.ValidationError:
        assert not expected_pin
    else:
        assert not expected_pin
