"""References and orders of dates across tables, absent columns, and ``socforst check``.

Every expected value here is worked out by hand from the records written in
the test: which row is wrong, in which column, and how many deadlines a
dataset owes.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from socforst import (
    Absence,
    Assignment,
    Custody,
    Dataset,
    DateRange,
    Extension,
    Investigation,
    MissingColumnWarning,
    Placement,
    Report,
    Request,
    Restriction,
    Review,
    RowError,
    RuleBook,
    Staffing,
    Team,
    TeamMember,
    UnknownRecordError,
    ValidationError,
    YearlyCost,
    queries,
    stockholm,
)
from socforst.cli import main
from socforst.demo import demo_dataset
from socforst.integrity import REFERENCES, problems
from socforst.rules.book import COMPLETION_COLUMNS

d = dt.date
AS_OF = d(2025, 3, 31)
# An id that is a name: it must never appear in a message.
NAME_ID = "anna.andersson"
ALL = ("met", "late", "overdue", "due_soon", "open")


def _where(errors: Sequence[RowError]) -> list[tuple[str, str, int | None, str | None]]:
    return [(e.source, e.table, e.row, e.column) for e in errors]


def _member(member_id: str = "m1", team_id: str = "t1") -> TeamMember:
    return TeamMember(member_id=member_id, team_id=team_id, employed_from=d(2016, 1, 4))


def _assignment(member_id: str = "m1", **more: Any) -> Assignment:
    return Assignment(
        assignment_id="a1",
        member_id=member_id,
        district="farsta",
        start=d(2025, 3, 3),
        end=d(2025, 3, 28),
        **more,
    )


def _report(report_id: str = "r1", **more: Any) -> Report:
    return Report(
        report_id=report_id,
        district="farsta",
        received_at=dt.datetime(2025, 3, 3, 10, 0),
        **more,
    )


def _investigation(**more: Any) -> Investigation:
    fields: dict[str, Any] = {
        "investigation_id": "i1",
        "district": "farsta",
        "opened_on": d(2025, 3, 10),
    }
    fields.update(more)
    return Investigation(**fields)


def _placement(placement_id: str = "p1", basis: str = "sol") -> Placement:
    return Placement(
        placement_id=placement_id, district="farsta", basis=basis, started_on=d(2024, 6, 3)
    )


# -- references ----------------------------------------------------------------------------


def test_every_kind_of_reference_to_a_missing_record_is_one_error_naming_row_and_column() -> None:
    """Each of the ten references, broken once, gives one error at its table, row and column."""
    tables: dict[str, Sequence[Any]] = {
        "teams": [Team("t1", "Förstärkningsteam 1")],
        "members": [_member("m1"), _member("m2", team_id="t9")],
        "absences": [Absence("m9", d(2025, 3, 3), d(2025, 3, 7))],
        "requests": [
            Request(
                request_id="q1",
                district="farsta",
                received_on=d(2025, 2, 1),
                start=d(2025, 3, 3),
                end=d(2025, 3, 28),
            )
        ],
        "assignments": [_assignment("m1", request_id="q9"), _assignment("m9")],
        "reports": [_report("r1", member_id="m9")],
        "investigations": [_investigation(report_id="r9", member_id="m9")],
        "extensions": [
            Extension(investigation_id="i9", decided_on=d(2025, 6, 1), until=d(2025, 8, 1))
        ],
        "placements": [_placement()],
        "reviews": [Review(placement_id="p9", reviewed_on=d(2024, 12, 1))],
        "restrictions": [
            Restriction(
                restriction_id="x1",
                placement_id="p9",
                district="farsta",
                kind="contact",
                decided_on=d(2024, 7, 1),
            )
        ],
    }
    places = {
        table: (f"{table}.csv", list(range(2, 2 + len(rows)))) for table, rows in tables.items()
    }

    found = problems(tables, places)

    assert [
        ("members.csv", "members", 3, "team_id"),
        ("absences.csv", "absences", 2, "member_id"),
        ("assignments.csv", "assignments", 2, "request_id"),
        ("assignments.csv", "assignments", 3, "member_id"),
        ("reports.csv", "reports", 2, "member_id"),
        ("investigations.csv", "investigations", 2, "report_id"),
        ("investigations.csv", "investigations", 2, "member_id"),
        ("extensions.csv", "extensions", 2, "investigation_id"),
        ("reviews.csv", "reviews", 2, "placement_id"),
        ("restrictions.csv", "restrictions", 2, "placement_id"),
    ] == _where(found)
    assert 10 == len(REFERENCES)
    assert "names a member that is not in the members table" == found[1].reason


def test_a_reference_message_never_shows_the_id() -> None:
    """An id may be a name: the message says what it names, not which one."""
    found = problems(
        {"members": [_member()], "assignments": [_assignment(NAME_ID)]},
        {"assignments": ("assignments.csv", [5])},
    )
    assert 1 == len(found)
    assert "anna" not in str(found[0]).lower()
    assert (
        "assignments.csv: assignments, row 5, column 'member_id': names a member that is "
        "not in the members table"
    ) == str(found[0])


def test_a_reference_to_a_table_the_load_did_not_have_is_not_checked() -> None:
    """Every file is optional: without a members table any member is accepted."""
    tables: dict[str, Sequence[Any]] = {
        "assignments": [_assignment("m9")],
        "absences": [Absence("m9", d(2025, 3, 3), d(2025, 3, 3))],
    }
    assert [] == problems(tables, {})


def test_an_empty_table_that_the_load_had_is_not_checked_against() -> None:
    """A members file with a header only is what an export of a dataset without members writes.

    It must read back, so its assignments' members are not checked, as with no file.
    """
    assert [] == problems({"members": [], "assignments": [_assignment("m1")]}, {})


def test_a_table_with_rows_is_the_whole_table() -> None:
    """Once members has a row, an assignment of any other member is an error."""
    found = problems({"members": [_member("m2")], "assignments": [_assignment("m1")]}, {})
    assert [("assignments", "assignments", None, "member_id")] == _where(found)


def test_an_empty_optional_reference_refers_to_nothing() -> None:
    """A report nobody handled and an assignment without a request are fine."""
    tables: dict[str, Sequence[Any]] = {
        "members": [],
        "requests": [],
        "reports": [],
        "assignments": [],
        "investigations": [_investigation()],
    }
    tables["reports"] = [_report()]
    assert [] == problems(tables, {})


def test_references_that_resolve_give_no_error() -> None:
    """A consistent little dataset has no problem."""
    tables: dict[str, Sequence[Any]] = {
        "teams": [Team("t1", "Förstärkningsteam 1")],
        "members": [_member()],
        "absences": [Absence("m1", d(2025, 4, 1), d(2025, 4, 4))],
        "assignments": [_assignment()],
        "reports": [_report(member_id="m1")],
        "investigations": [_investigation(report_id="r1", member_id="m1")],
        "extensions": [
            Extension(investigation_id="i1", decided_on=d(2025, 7, 1), until=d(2025, 9, 1))
        ],
        "placements": [_placement()],
        "reviews": [Review(placement_id="p1", reviewed_on=d(2024, 12, 1))],
    }
    assert [] == problems(tables, {})


# -- orders of dates -------------------------------------------------------------------------


def test_a_preassessment_decided_before_the_day_of_receipt_is_an_error_but_that_day_is_not() -> (
    None
):
    """Decided 2025-03-02 for a report of 2025-03-03 10:00 is impossible; 2025-03-03 is fine."""
    early = _report("r1", preassessment_decided_on=d(2025, 3, 2))
    same_day = _report("r2", preassessment_decided_on=d(2025, 3, 3))
    found = problems({"reports": [early, same_day]}, {"reports": ("r.csv", [2, 3])})
    assert [("r.csv", "reports", 2, "preassessment_decided_on")] == _where(found)
    assert "('2025-03-02') is before the day the report was received ('2025-03-03')" == (
        found[0].reason
    )


def test_a_protection_assessment_before_the_instant_of_receipt_is_an_error() -> None:
    """Assessed at 09:59 for a report received at 10:00 is impossible; at 10:00 it is not."""
    early = _report("r1", protection_assessed_at=dt.datetime(2025, 3, 3, 9, 59))
    at_once = _report("r2", protection_assessed_at=dt.datetime(2025, 3, 3, 10, 0))
    found = problems({"reports": [early, at_once]}, {"reports": ("r.csv", [2, 3])})
    assert [("r.csv", "reports", 2, "protection_assessed_at")] == _where(found)


def test_an_extension_until_before_its_decision_or_decided_before_the_opening_is_an_error() -> None:
    """Until 2025-05-31 decided 2025-06-01; decided 2025-03-09 for an opening of 2025-03-10."""
    investigation = _investigation()  # opened 2025-03-10
    tables: dict[str, Sequence[Any]] = {
        "investigations": [investigation],
        "extensions": [
            Extension(investigation_id="i1", decided_on=d(2025, 6, 1), until=d(2025, 5, 31)),
            Extension(investigation_id="i1", decided_on=d(2025, 3, 9), until=d(2025, 8, 1)),
            Extension(investigation_id="i1", decided_on=d(2025, 3, 10), until=d(2025, 3, 10)),
        ],
    }
    found = problems(tables, {"extensions": ("e.csv", [2, 3, 4])})
    assert [("e.csv", "extensions", 2, "until"), ("e.csv", "extensions", 3, "decided_on")] == (
        _where(found)
    )


def test_an_investigation_opened_before_its_report_was_received_is_an_error() -> None:
    """The report that led to an investigation comes before it."""
    found = problems(
        {
            "reports": [_report()],
            "investigations": [_investigation(opened_on=d(2025, 3, 2), report_id="r1")],
        },
        {},
    )
    assert [("investigations", "investigations", None, "opened_on")] == _where(found)


def test_a_review_before_the_placement_started_is_an_error() -> None:
    """Reviewed 2024-06-02 for a placement started 2024-06-03; the start day itself is fine."""
    tables: dict[str, Sequence[Any]] = {
        "placements": [_placement()],
        "reviews": [
            Review(placement_id="p1", reviewed_on=d(2024, 6, 2)),
            Review(placement_id="p1", reviewed_on=d(2024, 6, 3)),
        ],
    }
    found = problems(tables, {"reviews": ("v.csv", [2, 3])})
    assert [("v.csv", "reviews", 2, "reviewed_on")] == _where(found)


def test_every_custody_event_before_the_decision_is_an_error() -> None:
    """Enforced, submitted, care applied and the court's extension cannot precede the decision."""
    custody = Custody(
        custody_id="c1",
        district="farsta",
        decided_on=d(2025, 3, 10),
        enforced_on=d(2025, 3, 9),
        submitted_to_court_on=d(2025, 3, 8),
        care_applied_on=d(2025, 3, 7),
        court_extension_until=d(2025, 3, 6),
    )
    on_the_day = Custody(
        custody_id="c2",
        district="farsta",
        decided_on=d(2025, 3, 10),
        enforced_on=d(2025, 3, 10),
        submitted_to_court_on=d(2025, 3, 10),
        care_applied_on=d(2025, 3, 10),
    )
    found = problems({"custodies": [custody, on_the_day]}, {"custodies": ("c.csv", [2, 3])})
    assert {"enforced_on", "submitted_to_court_on", "care_applied_on", "court_extension_until"} == {
        e.column for e in found
    }
    assert {2} == {e.row for e in found}


def test_a_request_received_after_its_last_day_is_an_error() -> None:
    """Received 2025-03-29 for help until 2025-03-28; received on the last day is fine."""

    def request(request_id: str, received_on: dt.date) -> Request:
        return Request(
            request_id=request_id,
            district="farsta",
            received_on=received_on,
            start=d(2025, 3, 3),
            end=d(2025, 3, 28),
        )

    found = problems(
        {"requests": [request("q1", d(2025, 3, 29)), request("q2", d(2025, 3, 28))]},
        {"requests": ("q.csv", [2, 3])},
    )
    assert [("q.csv", "requests", 2, "received_on")] == _where(found)


def test_staffing_vacancies_above_positions_and_turnover_above_one_are_errors() -> None:
    """12 vacancies of 10 positions, turnover 50 (a percentage); 10 of 10 and 1.0 are possible."""
    rows = [
        Staffing(district="farsta", on=d(2025, 1, 1), positions=10, vacancies=12),
        Staffing(district="farsta", on=d(2025, 2, 1), positions=10, vacancies=10, turnover=1.0),
        Staffing(district="farsta", on=d(2025, 3, 1), turnover=50),
    ]
    found = problems({"staffing": rows}, {"staffing": ("s.csv", [2, 3, 4])})
    assert [("s.csv", "staffing", 2, "vacancies"), ("s.csv", "staffing", 4, "turnover")] == (
        _where(found)
    )
    assert "fraction per year" in found[1].reason


def test_two_staffing_rows_for_one_district_and_day_name_the_first_row() -> None:
    """The second row of farsta on 2025-01-01 is an error; another day or district is not."""
    rows = [
        Staffing(district="farsta", on=d(2025, 1, 1), positions=10),
        Staffing(district="farsta", on=d(2025, 2, 1), positions=10),
        Staffing(district="bromma", on=d(2025, 1, 1), positions=10),
        Staffing(district="farsta", on=d(2025, 1, 1), positions=11),
    ]
    found = problems({"staffing": rows}, {"staffing": ("s.csv", [2, 3, 4, 5])})
    assert [("s.csv", "staffing", 5, "on")] == _where(found)
    assert "repeats the district and day of row 2" == found[0].reason


def test_two_cost_rows_for_one_year_are_an_error() -> None:
    """2025 twice: the second row is refused."""
    rows = [
        YearlyCost(year=2025, team_cost_sek=9e6, consultant_rate_sek=1100),
        YearlyCost(year=2024, team_cost_sek=9e6, consultant_rate_sek=1100),
        YearlyCost(year=2025, team_cost_sek=8e6, consultant_rate_sek=1000),
    ]
    found = problems({"costs": rows}, {"costs": ("k.csv", [2, 3, 4])})
    assert [("k.csv", "costs", 4, "year")] == _where(found)
    assert "('2025') repeats the year of row 2" == found[0].reason


def test_a_district_the_registry_does_not_have_is_an_error_only_with_a_registry() -> None:
    """Records built in Python have not been checked against the registry by a load."""
    report = Report(report_id="r1", district="nyby", received_at=dt.datetime(2025, 3, 3, 10))
    assert [] == problems({"reports": [report]}, {})
    found = problems({"reports": [report]}, {}, stockholm())
    assert [("reports", "reports", None, "district")] == _where(found)


def test_problems_come_table_by_table_in_the_order_of_the_tables_and_row_by_row() -> None:
    """Reports before investigations; within a table, by row, whatever was checked first."""
    tables: dict[str, Sequence[Any]] = {
        "members": [_member("m9")],
        "investigations": [_investigation(member_id="m1", closed_on=None)],
        "reports": [
            _report("r1", member_id="m1"),
            _report("r2", preassessment_decided_on=d(2025, 1, 1)),
        ],
    }
    found = problems(tables, {"reports": ("r.csv", [3, 2]), "investigations": ("i.csv", [2])})
    assert [
        ("r.csv", "reports", 2, "preassessment_decided_on"),
        ("r.csv", "reports", 3, "member_id"),
        ("i.csv", "investigations", 2, "member_id"),
    ] == _where(found)


def test_the_demo_city_has_no_problem() -> None:
    """A generated city of two years is consistent: references resolve and dates are in order."""
    data = demo_dataset(seed=7, start=d(2024, 1, 1), end=d(2025, 12, 31))
    tables = dict(data.tables())
    assert [] == problems(tables, {}, data.registry)


# -- the dataset's columns and its lookups ---------------------------------------------------------

REPORT_HEADER = frozenset(
    {"report_id", "district", "received_at", "preassessment_decided_on", "preassessment_outcome"}
)


def test_a_dataset_without_columns_knows_every_column() -> None:
    """Records built in Python: nothing is absent."""
    assert Dataset().has_column("reports", "protection_assessed_at")


def test_a_dataset_with_columns_knows_only_those_and_a_table_it_does_not_name_was_absent() -> None:
    """The header of reports, and no reviews table."""
    data = Dataset(columns={"reports": REPORT_HEADER})
    assert data.has_column("reports", "preassessment_decided_on")
    assert not data.has_column("reports", "protection_assessed_at")
    assert not data.has_column("reviews", "reviewed_on")


def test_columns_are_not_part_of_equality_and_the_dataset_stays_hashable() -> None:
    """Two datasets with the same records are equal, whatever their sources' headers."""
    with_header = Dataset(reports=[_report()], columns={"reports": REPORT_HEADER})
    without = Dataset(reports=[_report()])
    assert with_header == without
    assert hash(with_header) == hash(without)


@pytest.mark.parametrize(
    "columns",
    [{"reprots": {"report_id"}}, {"reports": "report_id"}, ["reports"]],
)
def test_columns_of_an_unknown_table_or_not_a_set_of_names_are_refused(columns: Any) -> None:
    """A misspelt table, a string for a set, a list for a mapping."""
    with pytest.raises(ValidationError) as caught:
        Dataset(columns=columns)
    assert "columns" == caught.value.field


def test_an_unknown_record_error_does_not_quote_the_id() -> None:
    """F12: Dataset.get with a name or an identity number for an id shows neither."""
    data = Dataset(members=[_member()])
    for record_id in (NAME_ID, "811218-9876"):
        with pytest.raises(UnknownRecordError) as caught:
            data.get("members", record_id)
        message = str(caught.value)
        assert "anna" not in message
        assert "9876" not in message
        assert "table 'members' has no record with the id asked for" in message
        assert record_id == caught.value.record_id


def test_an_unknown_table_lists_the_tables() -> None:
    """A misspelt table name is shown only through the filter, and the tables are listed."""
    with pytest.raises(UnknownRecordError) as caught:
        Dataset().table("membres")
    assert "no table a value of 7 characters" in str(caught.value)
    assert "members, absences" in str(caught.value)


# -- absent completion columns ------------------------------------------------------------


def _twelve_reports(*, decisions: bool = True) -> list[Report]:
    """Reports of 2025-03-03..14 at 10:00; the first eight decided five days later, four not.

    By hand, as of 2025-03-31 (strict calendar days): each protection assessment is due
    the day of receipt; each preassessment 14 days later, 2025-03-17..28, so all are
    settled: eight met, four overdue. Without *decisions*, as read from a source
    without the column, no report has a decision day.
    """
    return [
        Report(
            report_id=f"r{day}",
            district="farsta",
            received_at=dt.datetime(2025, 3, day, 10, 0),
            preassessment_decided_on=d(2025, 3, day + 5) if day < 11 and decisions else None,
            preassessment_outcome="not_opened" if day < 11 else None,
        )
        for day in range(3, 15)
    ]


def _caught(call: Any) -> tuple[Any, list[MissingColumnWarning]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    found = [w.message for w in caught if isinstance(w.message, MissingColumnWarning)]
    return result, found


def test_without_protection_assessed_at_only_the_preassessments_are_listed_with_one_warning() -> (
    None
):
    """The reproduction: of 24 deadlines, 12 protection assessments are unknown, not overdue."""
    data = Dataset(reports=_twelve_reports(), columns={"reports": REPORT_HEADER})
    found, caught = _caught(lambda: queries.deadlines_on(data, AS_OF, statuses=ALL))

    assert {"preassessment"} == {deadline.kind for deadline in found}
    assert [8, 4] == [
        sum(deadline.status == status for deadline in found) for status in ("met", "overdue")
    ]
    assert 1 == len(caught)
    assert ("reports", "protection_assessed_at", 12) == (
        caught[0].table,
        caught[0].column,
        caught[0].left_out,
    )
    assert "'reports'" in str(caught[0])
    assert "'protection_assessed_at'" in str(caught[0])
    assert "12 deadlines were left out" in str(caught[0])


def test_the_same_reports_built_in_python_owe_every_deadline() -> None:
    """Without columns every column is known: 12 protection assessments and 4 more overdue."""
    data = Dataset(reports=_twelve_reports())
    found, caught = _caught(lambda: queries.deadlines_on(data, AS_OF, statuses=ALL))
    assert 24 == len(found)
    assert 16 == sum(deadline.status == "overdue" for deadline in found)
    assert [] == caught


def test_a_present_column_with_empty_cells_means_not_done() -> None:
    """The header has protection_assessed_at, the cells are empty: 12 overdue, no warning."""
    header = REPORT_HEADER | {"protection_assessed_at"}
    data = Dataset(reports=_twelve_reports(), columns={"reports": header})
    found, caught = _caught(lambda: queries.deadlines_on(data, AS_OF))
    assert 16 == len(found)  # 12 protection assessments and 4 preassessments, all overdue
    assert [] == caught


def test_compliance_without_the_decision_column_measures_nothing_and_says_so() -> None:
    """No preassessment_decided_on: no row, and the 12 preassessments of March left out."""
    header = REPORT_HEADER - {"preassessment_decided_on"}
    data = Dataset(reports=_twelve_reports(decisions=False), columns={"reports": header})
    march = DateRange(d(2025, 3, 1), d(2025, 3, 31))
    rows, caught = _caught(lambda: queries.compliance(data, as_of=AS_OF, period=march))
    assert () == rows
    assert [("reports", "preassessment_decided_on", 12)] == [
        (w.table, w.column, w.left_out) for w in caught
    ]


def test_compliance_with_the_decision_column_counts_by_hand() -> None:
    """12 owed in March, 8 met under both readings; no warning."""
    data = Dataset(reports=_twelve_reports(), columns={"reports": REPORT_HEADER})
    rows, caught = _caught(lambda: queries.compliance(data, as_of=AS_OF))
    assert [("farsta", d(2025, 3, 1), 12, 8, 8)] == [
        (r.district, r.month, r.owed, r.met_strict, r.met_roll_forward) for r in rows
    ]
    assert [] == caught


def test_investigations_without_closed_on_are_left_out_of_deadlines_and_compliance() -> None:
    """Two investigations opened 2024-10-01 and 2024-11-04, due 2025-02-01 and 2025-03-04."""
    investigations = [
        _investigation(investigation_id="i1", opened_on=d(2024, 10, 1)),
        _investigation(investigation_id="i2", opened_on=d(2024, 11, 4)),
    ]
    header = frozenset({"investigation_id", "district", "opened_on"})
    data = Dataset(investigations=investigations, columns={"investigations": header})
    found, caught = _caught(lambda: queries.deadlines_on(data, AS_OF, statuses=ALL))
    assert () == found
    assert [("investigations", "closed_on", 2)] == [(w.table, w.column, w.left_out) for w in caught]
    rows, caught = _caught(lambda: queries.compliance(data, kind="investigation", as_of=AS_OF))
    assert () == rows
    assert [2] == [w.left_out for w in caught]


def test_without_a_reviews_table_the_reviews_of_both_kinds_of_placement_are_one_warning() -> None:
    """A SoL and an LVU placement of 2024-06-03 each owe a review by 2024-12-03: 2 left out."""
    header = frozenset({"placement_id", "district", "basis", "started_on"})
    data = Dataset(
        placements=[_placement("p1", "sol"), _placement("p2", "lvu_2")],
        columns={"placements": header},
    )
    found, caught = _caught(lambda: queries.deadlines_on(data, AS_OF, statuses=ALL))
    assert () == found
    assert 1 == len(caught)
    assert ("reviews", "reviewed_on", 2, True) == (
        caught[0].table,
        caught[0].column,
        caught[0].left_out,
        caught[0].table_absent,
    )
    assert "no table 'reviews'" in str(caught[0])


def test_custodies_without_a_submission_column_keep_the_care_application() -> None:
    """Decided and enforced 2025-03-03: the court submission is unknown, the application is not."""
    custody = Custody(
        custody_id="c1", district="farsta", decided_on=d(2025, 3, 3), enforced_on=d(2025, 3, 3)
    )
    header = frozenset({"custody_id", "district", "decided_on", "enforced_on", "care_applied_on"})
    data = Dataset(custodies=[custody], columns={"custodies": header})
    found, caught = _caught(lambda: queries.deadlines_on(data, AS_OF, statuses=ALL))
    assert ["lvu_care_application"] == [deadline.kind for deadline in found]
    assert [("custodies", "submitted_to_court_on", 1)] == [
        (w.table, w.column, w.left_out) for w in caught
    ]


def test_the_need_backlog_leaves_out_reports_whose_decision_is_unknown() -> None:
    """Four reports undecided on 2025-03-31 are a backlog of 4; without the column, 12 unknown."""
    staffing = [Staffing(district="farsta", on=d(2025, 1, 1), positions=10)]
    known = Dataset(reports=_twelve_reports(), staffing=staffing)
    unknown = Dataset(
        reports=_twelve_reports(decisions=False),
        staffing=staffing,
        columns={"reports": REPORT_HEADER - {"preassessment_decided_on"}},
    )
    ranked, _ = _caught(lambda: queries.need_ranking(known, AS_OF))
    assert 4 == next(row.backlog for row in ranked if row.district == "farsta")
    ranked, caught = _caught(lambda: queries.need_ranking(unknown, AS_OF))
    assert 0 == next(row.backlog for row in ranked if row.district == "farsta")
    assert [("reports", "preassessment_decided_on", 12)] == [
        (w.table, w.column, w.left_out) for w in caught
    ]


def test_every_built_in_rule_has_its_completion_column() -> None:
    """The mapping covers every kind of the Swedish rule book."""
    assert set(RuleBook.swedish().kinds) <= set(COMPLETION_COLUMNS)


def test_a_built_in_rule_under_another_kind_keeps_the_completion_column_of_its_class() -> None:
    """A local 10-day preassessment target is also met by preassessment_decided_on."""
    from socforst.rules import PreassessmentDeadline

    book = RuleBook.swedish().with_rule(PreassessmentDeadline(days=10, kind="preassessment_local"))
    data = Dataset(columns={"reports": REPORT_HEADER - {"preassessment_decided_on"}})
    absent = book.absent_completions(data)
    assert ("reports", "preassessment_decided_on") == absent["preassessment_local"]


# -- socforst check ------------------------------------------------------------------------------


def _write(folder: Path, table: str, *lines: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{table}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    status = main(["check", *argv])
    captured = capsys.readouterr()
    return status, captured.out.splitlines(), captured.err


def test_check_of_a_clean_folder_says_how_many_records_it_checked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Two members and one assignment: 3 records, exit 0."""
    folder = tmp_path / "x"
    _write(
        folder, "members", "member_id,team_id,employed_from", "m1,t1,2016-01-04", "m2,t1,2016-01-04"
    )
    _write(
        folder,
        "assignments",
        "assignment_id,member_id,district,start,end",
        "a1,m1,farsta,2025-03-03,2025-03-28",
    )
    status, out, _ = _check(capsys, "--source", f"csv:{folder}")
    assert 0 == status
    assert ["no problems found in 3 records"] == out


def test_check_lists_every_bad_row_beyond_the_usual_twenty(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """25 absences of an unknown member: 25 lines, each naming its row; exit 1."""
    folder = tmp_path / "x"
    _write(folder, "members", "member_id,team_id,employed_from", "m1,t1,2016-01-04")
    _write(folder, "absences", "member_id,start,end", *[f"{NAME_ID},2025-03-03,2025-03-07"] * 25)
    status, out, err = _check(capsys, "--source", f"csv:{folder}")
    assert 1 == status
    assert 25 == len(out)
    assert [f"row {n}," in line for n, line in zip(range(2, 27), out, strict=True)] == [True] * 25
    assert all("names a member that is not in the members table" in line for line in out)
    assert "anna" not in "\n".join(out).lower() + err.lower()


def test_check_with_a_limit_counts_the_rest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Five problems, --limit 2: two lines and '... and 3 more'."""
    folder = tmp_path / "x"
    _write(folder, "members", "member_id,team_id,employed_from", "m1,t1,2016-01-04")
    _write(folder, "absences", "member_id,start,end", *["m9,2025-03-03,2025-03-07"] * 5)
    status, out, _ = _check(capsys, "--source", f"csv:{folder}", "--limit", "2")
    assert 1 == status
    assert 3 == len(out)
    assert "... and 3 more" == out[-1]


def test_check_shows_the_roster_conflicts_that_no_other_command_shows(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A half-time member on two full-time assignments, and one after her employment ended."""
    folder = tmp_path / "x"
    _write(
        folder,
        "members",
        "member_id,team_id,employed_from,employed_to,extent",
        "m1,t1,2016-01-04,2025-03-31,0.5",
    )
    _write(
        folder,
        "assignments",
        "assignment_id,member_id,district,start,end",
        "a1,m1,farsta,2025-03-03,2025-03-14",
        "a2,m1,bromma,2025-04-01,2025-04-11",
    )
    status, out, _ = _check(capsys, "--source", f"csv:{folder}")
    assert 1 == status
    kinds = sorted(line.split(":")[1].strip() for line in out)
    # a1 (1.0) and a2 (1.0) each exceed the extent 0.5; a2 lies after the employment.
    assert ["capacity", "capacity", "employment"] == kinds
    assert all(line.startswith("roster: ") for line in out)


def test_check_notes_the_deadlines_left_out_for_an_absent_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A clean reports file without protection_assessed_at: exit 0, and a note on stderr."""
    folder = tmp_path / "x"
    _write(
        folder,
        "reports",
        "report_id,district,received_at,preassessment_decided_on",
        "r1,farsta,2025-03-03T10:00,2025-03-05",
    )
    status, out, err = _check(capsys, "--source", f"csv:{folder}")
    assert 0 == status
    assert ["no problems found in 1 record"] == out
    assert "note: reports has no column 'protection_assessed_at'" in err


def test_an_assessment_is_compared_with_its_report_as_instants_in_the_autumn_hour() -> None:
    """Sun 26 Oct 2025, when 03:00 CEST became 02:00 CET, the wall hour 02-03 came twice.

    Received 02:45+02:00 (00:45Z), assessed 02:15+01:00 (01:15Z): half an hour later in
    time though earlier on the clock, so no problem. The other way round (received
    02:15+01:00, assessed 02:45+02:00) the assessment came half an hour before the
    report: refused. Python compares two aware times of one zone by their wall clocks
    (PEP 495), which got both wrong.
    """
    utc = dt.UTC
    after = Report(
        report_id="r1",
        district="farsta",
        received_at=dt.datetime(2025, 10, 26, 0, 45, tzinfo=utc),
        protection_assessed_at=dt.datetime(2025, 10, 26, 1, 15, tzinfo=utc),
    )
    before = Report(
        report_id="r2",
        district="farsta",
        received_at=dt.datetime(2025, 10, 26, 1, 15, tzinfo=utc),
        protection_assessed_at=dt.datetime(2025, 10, 26, 0, 45, tzinfo=utc),
    )
    # Kept in Stockholm time: the wall clocks say the opposite of the instants.
    assessed = after.protection_assessed_at
    assert assessed is not None
    assert (2, 2) == (assessed.hour, after.received_at.hour)
    assert assessed.minute < after.received_at.minute
    found = problems({"reports": [after, before]}, {"reports": ("reports.csv", [2, 3])})
    assert [("reports.csv", "reports", 3, "protection_assessed_at")] == _where(found)
