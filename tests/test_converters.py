"""The one cattrs converter: plain data in the data formats' columns, and back."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import cattrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import socforst
from socforst import (
    Absence,
    Assignment,
    AssignmentPolicy,
    DateRange,
    District,
    DistrictRegistry,
    Request,
    Team,
    TeamMember,
)
from socforst.converters import converter, registry_from_rows
from tests import strategies as s

MODELS: list[tuple[type[Any], st.SearchStrategy[Any]]] = [
    (District, s.districts()),
    (Team, s.teams()),
    (TeamMember, s.team_members()),
    (Absence, s.absences()),
    (Request, s.requests()),
    (Assignment, s.assignments()),
    (AssignmentPolicy, s.policies()),
    (socforst.Report, s.reports()),
    (socforst.Investigation, s.investigations()),
    (socforst.Extension, s.extensions()),
    (socforst.Placement, s.placements()),
    (socforst.Review, s.reviews()),
    (socforst.Custody, s.custodies()),
    (socforst.Staffing, s.staffing()),
    (socforst.YearlyCost, s.yearly_costs()),
]


@pytest.mark.parametrize(("model", "strategy"), MODELS, ids=[m.__name__ for m, _ in MODELS])
def test_every_model_round_trips_through_plain_data(
    model: type[Any], strategy: st.SearchStrategy[Any]
) -> None:
    """structure(unstructure(x)) == x for every model, through JSON text as well."""

    @given(strategy)
    def round_trip(value: Any) -> None:
        plain = converter.unstructure(value)
        assert value == converter.structure(plain, model)
        assert value == converter.structure(json.loads(json.dumps(plain)), model)

    round_trip()


@given(s.date_ranges())
def test_a_date_range_unstructures_to_iso_strings(period: DateRange) -> None:
    """A range becomes {'start': ISO, 'end': ISO or None} and structures back."""
    plain = converter.unstructure(period)
    assert period.start.isoformat() == plain["start"]
    assert (None if period.end is None else period.end.isoformat()) == plain["end"]
    assert period == converter.structure(plain, DateRange)


def test_an_assignment_becomes_the_columns_of_assignments_csv() -> None:
    """The keys are the column names of DATA.md; dates ISO, enums their values."""
    assignment = Assignment(
        assignment_id="a1",
        member_id="m1",
        district="hagersten-alvsjo",
        start=dt.date(2025, 6, 16),
        end=dt.date(2025, 8, 31),
        extent=0.5,
        task="investigation",
        request_id="r7",
        status=socforst.AssignmentStatus.AGREED,
    )
    expected = {
        "assignment_id": "a1",
        "member_id": "m1",
        "district": "hagersten-alvsjo",
        "start": "2025-06-16",
        "end": "2025-08-31",
        "extent": 0.5,
        "task": "investigation",
        "request_id": "r7",
        "status": "agreed",
    }
    assert expected == converter.unstructure(assignment)


def test_competencies_unstructure_as_a_sorted_list() -> None:
    """A set has no order; its plain form is sorted so that output is stable."""
    member = TeamMember(
        member_id="m1",
        team_id="t1",
        employed_from=dt.date(2016, 1, 4),
        competencies=["lvu", "coaching", "investigation"],
    )
    assert converter.unstructure(member)["competencies"] == ["coaching", "investigation", "lvu"]


def test_the_stockholm_registry_round_trips() -> None:
    """The built-in registry survives unstructure and structure unchanged."""
    registry = socforst.stockholm()
    assert registry == converter.structure(converter.unstructure(registry), DistrictRegistry)


def test_a_bad_date_string_is_reported_for_its_field() -> None:
    """A malformed date fails with cattrs' grouped error, whose leaf is a socforst error."""
    row = {"member_id": "m1", "start": "2025-13-01", "end": "2025-12-31"}
    with pytest.raises(cattrs.ClassValidationError) as caught:
        converter.structure(row, Absence)
    messages = cattrs.transform_error(caught.value)
    assert len(messages) == 1
    assert "$.start" in messages[0]
    (leaf,) = caught.value.exceptions
    assert isinstance(leaf, socforst.SocforstError)


def test_unknown_keys_are_refused() -> None:
    """A misspelt column is an error, not silently dropped data."""
    row = {"member_id": "m1", "start": "2025-01-01", "end": "2025-01-31", "knd": "sick"}
    with pytest.raises(cattrs.ClassValidationError):
        converter.structure(row, Absence)


def test_a_municipality_registry_is_built_from_rows() -> None:
    """Rows of districts.csv make a registry whose crosswalk follows the successor column."""
    registry = registry_from_rows(
        [
            {
                "code": "norr",
                "name": "Norr",
                "valid_from": "2010-01-01",
                "valid_to": "2020-12-31",
                "successor": "centrum",
            },
            {
                "code": "syd",
                "name": "Syd",
                "valid_from": "2010-01-01",
                "valid_to": "2020-12-31",
                "successor": "centrum",
            },
            {"code": "centrum", "name": "Centrum", "valid_from": "2021-01-01"},
        ]
    )
    assert registry.current("norr", on=dt.date(2021, 1, 1)).code == "centrum"
    assert registry.current("norr", on=dt.date(2020, 12, 31)).code == "norr"
    with pytest.raises(socforst.RegistryError):
        registry_from_rows(
            [
                {
                    "code": "norr",
                    "name": "Norr",
                    "valid_from": "2010-01-01",
                    "valid_to": "2020-12-31",
                    "successor": "nowhere",
                }
            ]
        )


def test_a_report_row_reads_utc_as_stockholm_time() -> None:
    """received_at '2025-03-31T23:30Z' is 01:30 on 2025-04-01 in Stockholm (CEST, UTC+2)."""
    row = {"report_id": "r1", "district": "farsta", "received_at": "2025-03-31T23:30Z",
           "protection_assessed_at": "", "preassessment_decided_on": ""}  # fmt: skip
    report = converter.structure(row, socforst.Report)
    assert dt.date(2025, 4, 1) == report.received_on
    assert converter.unstructure(report)["received_at"] == "2025-04-01T01:30:00+02:00"
    assert report.protection_assessed_at is None


def test_a_date_where_a_datetime_is_expected_is_the_start_of_that_day() -> None:
    """A bare date in received_at means 00:00 Stockholm time that day."""
    row = {"report_id": "r1", "district": "farsta", "received_at": "2025-01-15"}
    report = converter.structure(row, socforst.Report)
    assert dt.datetime(2025, 1, 15, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))) == (
        report.received_at
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("year", 1800), ("team_cost_sek", -1.0), ("consultant_rate_sek", 0.0), ("hours_per_day", 0)],
)
def test_a_yearly_cost_refuses_impossible_figures(field: str, value: object) -> None:
    """A year outside 1900-2200, a negative cost, a zero rate or zero hours are refused by field."""
    fields: dict[str, object] = {"year": 2025, "team_cost_sek": 9e6, "consultant_rate_sek": 950.0}
    fields[field] = value
    with pytest.raises(socforst.ValidationError) as caught:
        socforst.YearlyCost(**fields)  # type: ignore[arg-type]
    assert field == caught.value.field


def test_staffing_refuses_negative_counts() -> None:
    """Vacancies cannot be below zero."""
    with pytest.raises(socforst.ValidationError) as caught:
        socforst.Staffing(district="jarva", on=dt.date(2024, 1, 1), vacancies=-2)
    assert "vacancies" == caught.value.field
