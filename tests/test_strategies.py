"""The strategies in ``tests/strategies.py`` produce what they promise.

A property test is only as good as its inputs: these tests check that valid
strategies give valid, varied instances and that every ``invalid_*`` strategy
gives input that the model refuses, with an error naming the broken field.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import socforst
from socforst import (
    Absence,
    Assignment,
    AssignmentStatus,
    DateRange,
    District,
    Request,
    Roster,
    Team,
    TeamMember,
)
from socforst.ids import validate_id
from tests import strategies as s


@given(s.ids())
def test_generated_ids_are_accepted_ids(value: str) -> None:
    """Every generated id passes the id check unchanged."""
    assert value == validate_id("id", value)


@given(s.date_ranges())
def test_generated_ranges_are_ordered(period: DateRange) -> None:
    """A generated range is open or ends on or after its start."""
    assert period.end is None or period.start <= period.end


@given(
    st.one_of(
        s.districts(),
        s.teams(),
        s.team_members(),
        s.absences(),
        s.requests(),
        s.assignments(),
        s.policies(),
        s.reports(),
        s.investigations(),
        s.extensions(),
        s.placements(),
        s.reviews(),
        s.custodies(),
    )
)
def test_valid_strategies_give_model_instances(value: object) -> None:
    """Each valid strategy gives an instance of one of the public models."""
    assert isinstance(
        value,
        District
        | Team
        | TeamMember
        | Absence
        | Request
        | Assignment
        | socforst.AssignmentPolicy
        | socforst.Report
        | socforst.Investigation
        | socforst.Extension
        | socforst.Placement
        | socforst.Review
        | socforst.Custody,
    )


@given(s.rosters())
def test_roster_assignments_belong_to_roster_members(roster: Roster) -> None:
    """Every assignment and absence of a generated roster names one of its members."""
    member_ids = {m.member_id for m in roster.members}
    assert {a.member_id for a in roster.assignments} <= member_ids
    assert {a.member_id for a in roster.absences} <= member_ids
    assert len({a.assignment_id for a in roster.assignments}) == len(roster.assignments)


def test_rosters_cover_both_clean_and_conflicting_cases() -> None:
    """The roster strategy yields rosters with capacity conflicts and rosters without."""
    seen: set[bool] = set()

    @given(s.rosters())
    def collect(roster: Roster) -> None:
        seen.add(any(c.kind is socforst.ConflictKind.CAPACITY for c in roster.conflicts()))

    collect()
    assert {True, False} == seen


@given(s.assignments())
def test_generated_assignments_use_every_status_field_validly(assignment: Assignment) -> None:
    """A generated assignment's status is a member of AssignmentStatus."""
    assert isinstance(assignment.status, AssignmentStatus)


def _assert_refused(model: type[Any], broken: s.Broken) -> None:
    kwargs, field = broken
    with pytest.raises(socforst.ValidationError) as caught:
        model(**kwargs)
    assert field == caught.value.field


@given(s.invalid_team_members())
def test_invalid_team_members_are_refused_naming_the_field(broken: s.Broken) -> None:
    """Each broken TeamMember field is refused by an error that names it."""
    _assert_refused(TeamMember, broken)


@given(s.invalid_assignments())
def test_invalid_assignments_are_refused_naming_the_field(broken: s.Broken) -> None:
    """Each broken Assignment field is refused by an error that names it."""
    _assert_refused(Assignment, broken)


@given(s.invalid_absences())
def test_invalid_absences_are_refused_naming_the_field(broken: s.Broken) -> None:
    """Each broken Absence field is refused by an error that names it."""
    _assert_refused(Absence, broken)


@given(s.invalid_requests())
def test_invalid_requests_are_refused_naming_the_field(broken: s.Broken) -> None:
    """Each broken Request field is refused by an error that names it."""
    _assert_refused(Request, broken)


@given(s.invalid_date_ranges())
def test_invalid_date_ranges_are_refused_naming_the_end(broken: s.Broken) -> None:
    """A range ending before it starts is refused by an error naming 'end'."""
    _assert_refused(DateRange, broken)
