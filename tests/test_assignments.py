"""Requests, assignments, the assignment policy and the roster check."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from hypothesis import given

import socforst
from socforst import (
    Absence,
    Assignment,
    AssignmentPolicy,
    AssignmentStatus,
    ConflictKind,
    DateRange,
    Request,
    Roster,
    TeamMember,
    add_months,
)
from tests import strategies as s

D = dt.date


# ------------------------------------------------------------------- the policy

# (start, end, allowed), worked out by hand: the inclusive end may be at most the
# day before the date four months later (Lag (1930:173) 1 § for the months).
POLICY_CASES = [
    # Jan 1 + 4 months = May 1, so the last allowed day is Apr 30.
    (D(2025, 1, 1), D(2025, 4, 30), True),
    (D(2025, 1, 1), D(2025, 5, 1), False),
    # One day is the shortest assignment, and allowed.
    (D(2025, 1, 1), D(2025, 1, 1), True),
    # Oct 31 + 4 months = Feb 28 (2025 is not a leap year): last day Feb 27.
    (D(2024, 10, 31), D(2025, 2, 27), True),
    (D(2024, 10, 31), D(2025, 2, 28), False),
    # Oct 31 + 4 months = Feb 29 (2024 is a leap year): last day Feb 28.
    (D(2023, 10, 31), D(2024, 2, 28), True),
    (D(2023, 10, 31), D(2024, 2, 29), False),
    # Nov 30 + 4 months = Mar 30: last day Mar 29.
    (D(2025, 11, 30), D(2026, 3, 29), True),
    (D(2025, 11, 30), D(2026, 3, 30), False),
    # Across midsummer and the 2025-07-01 change of law: Jun 15 + 4 = Oct 15.
    (D(2025, 6, 15), D(2025, 10, 14), True),
    (D(2025, 6, 15), D(2025, 10, 15), False),
]


@pytest.mark.parametrize(("start", "end", "allowed"), POLICY_CASES)
def test_the_default_policy_allows_one_day_to_four_months(
    start: dt.date, end: dt.date, allowed: bool
) -> None:
    """The default policy's answers match the hand-worked bounds."""
    assert allowed == AssignmentPolicy().allows(DateRange(start, end))


def test_the_default_policy_refuses_an_open_range_and_says_why() -> None:
    """An assignment must end: an open range is refused with a reason."""
    reason = AssignmentPolicy().refusal(DateRange(D(2025, 1, 1)))
    assert reason is not None
    assert "no end" in reason


def test_a_configured_policy_uses_its_own_bounds() -> None:
    """At least 5 days and at most 2 months: Jan 1..Feb 28 is allowed, Jan 1..Mar 1 not."""
    policy = AssignmentPolicy(min_days=5, max_months=2)
    assert not policy.allows(DateRange(D(2025, 1, 1), D(2025, 1, 4)))
    assert policy.allows(DateRange(D(2025, 1, 1), D(2025, 1, 5)))
    assert policy.allows(DateRange(D(2025, 1, 1), D(2025, 2, 28)))
    assert not policy.allows(DateRange(D(2025, 1, 1), D(2025, 3, 1)))
    assert (
        policy.refusal(DateRange(D(2025, 1, 1), D(2025, 1, 2)))
        == "lasts 2 days, fewer than the minimum 5"
    )


@pytest.mark.parametrize("bad", [0, -1, True, 1.5])
def test_a_policy_with_nonsense_bounds_is_refused(bad: object) -> None:
    """Bounds below one day or one month, or not whole numbers, are refused by field."""
    with pytest.raises(socforst.ValidationError) as caught:
        AssignmentPolicy(min_days=bad)  # type: ignore[arg-type]
    assert caught.value.field == "min_days"
    with pytest.raises(socforst.ValidationError) as caught:
        AssignmentPolicy(max_months=bad)  # type: ignore[arg-type]
    assert caught.value.field == "max_months"


@given(s.date_ranges(max_days=200), s.policies())
def test_the_policy_allows_exactly_the_ranges_within_its_bounds(
    period: DateRange, policy: AssignmentPolicy
) -> None:
    """Allowed: min_days <= days and end <= add_months(start, n) - 1; refused: one broken."""
    within = (
        period.end is not None
        and policy.min_days <= (period.end - period.start).days + 1
        and period.end <= add_months(period.start, policy.max_months) - dt.timedelta(days=1)
    )
    assert within == policy.allows(period)


@given(s.date_ranges(max_days=200))
def test_the_default_policy_allows_exactly_one_day_to_four_months(period: DateRange) -> None:
    """The default: 1 <= days and end <= add_months(start, 4) - 1 day, and nothing else."""
    within = (
        period.end is not None
        and (period.end - period.start).days + 1 >= 1
        and period.end <= add_months(period.start, 4) - dt.timedelta(days=1)
    )
    assert within == AssignmentPolicy().allows(period)


# ------------------------------------------------------------ models themselves


def test_from_weeks_makes_whole_weeks_of_seven_days() -> None:
    """Three weeks from Monday 2025-03-03 end on Sunday 2025-03-23."""
    assignment = Assignment.from_weeks(
        assignment_id="a1", member_id="m1", district="farsta", start=D(2025, 3, 3), weeks=3
    )
    assert D(2025, 3, 23) == assignment.end
    with pytest.raises(socforst.ValidationError):
        Assignment.from_weeks(
            assignment_id="a1", member_id="m1", district="farsta", start=D(2025, 3, 3), weeks=0
        )


def test_enum_fields_accept_their_string_values() -> None:
    """A status or reason given as its data value becomes the enum member."""
    assignment = Assignment(
        assignment_id="a1",
        member_id="m1",
        district="farsta",
        start=D(2025, 1, 1),
        end=D(2025, 1, 2),
        status="agreed",
    )
    assert AssignmentStatus.AGREED is assignment.status
    request = Request(
        request_id="r1",
        district="jarva",
        received_on=D(2024, 1, 1),
        start=D(2024, 2, 1),
        end=D(2024, 2, 29),
        reason="turnover",
    )
    assert socforst.RequestReason.TURNOVER is request.reason


def test_a_request_period_is_inclusive() -> None:
    """A request for February 2024 covers its 29 days."""
    request = Request(
        request_id="r1",
        district="jarva",
        received_on=D(2024, 1, 1),
        start=D(2024, 2, 1),
        end=D(2024, 2, 29),
    )
    assert request.period.days == 29


# ----------------------------------------------------------------- the roster

ANNA = TeamMember(
    member_id="m1",
    team_id="t1",
    name="Anna Andersson",
    employed_from=D(2016, 1, 1),
    employed_to=D(2025, 12, 31),
)
BO = TeamMember(
    member_id="m2", team_id="t1", name="Bo Berg", employed_from=D(2016, 1, 1), extent=0.3
)


def _assignment(
    assignment_id: str,
    member_id: str,
    district: str,
    start: dt.date,
    end: dt.date,
    extent: float = 1.0,
    status: str = "agreed",
) -> Assignment:
    return Assignment(
        assignment_id=assignment_id,
        member_id=member_id,
        district=district,
        start=start,
        end=end,
        extent=extent,
        status=status,
    )


def test_overlapping_assignments_over_extent_are_one_capacity_conflict() -> None:
    """0.5 + 0.75 of a full-time member on 2025-03-15..2025-03-31 is over capacity there only."""
    roster = Roster(
        members=[ANNA],
        assignments=[
            _assignment("a1", "m1", "farsta", D(2025, 3, 1), D(2025, 3, 31), 0.5),
            _assignment("a2", "m1", "bromma", D(2025, 3, 15), D(2025, 4, 15), 0.75),
        ],
    )
    (conflict,) = roster.conflicts()
    assert ConflictKind.CAPACITY is conflict.kind
    assert DateRange(D(2025, 3, 15), D(2025, 3, 31)) == conflict.days
    assert conflict.assignment_ids == ("a1", "a2")
    assert conflict.member_id == "m1"
    assert "1.25" in conflict.message


def test_back_to_back_assignments_do_not_conflict() -> None:
    """One assignment ending on the 31st and the next starting on the 1st share no day."""
    roster = Roster(
        members=[ANNA],
        assignments=[
            _assignment("a1", "m1", "farsta", D(2025, 3, 1), D(2025, 3, 31)),
            _assignment("a2", "m1", "bromma", D(2025, 4, 1), D(2025, 4, 30)),
        ],
    )
    assert roster.conflicts() == ()
    assert roster.is_valid()


def test_fractions_that_add_up_inexactly_still_fit_the_extent() -> None:
    """0.1 + 0.2 is 0.30000000000000004 in floating point, and still fits an extent of 0.3."""
    roster = Roster(
        members=[BO],
        assignments=[
            _assignment("a1", "m2", "farsta", D(2025, 3, 1), D(2025, 3, 31), 0.1),
            _assignment("a2", "m2", "farsta", D(2025, 3, 1), D(2025, 3, 31), 0.2),
        ],
    )
    assert roster.conflicts() == ()


def test_a_part_time_member_is_over_capacity_with_one_full_time_assignment() -> None:
    """A single full-time assignment exceeds a 0.3 extent on all its days."""
    roster = Roster(
        members=[BO],
        assignments=[_assignment("a1", "m2", "farsta", D(2025, 3, 1), D(2025, 3, 10))],
    )
    (conflict,) = roster.conflicts()
    assert ConflictKind.CAPACITY is conflict.kind
    assert DateRange(D(2025, 3, 1), D(2025, 3, 10)) == conflict.days


def test_cancelled_assignments_take_no_capacity() -> None:
    """A cancelled assignment overlapping another is no conflict."""
    roster = Roster(
        members=[ANNA],
        assignments=[
            _assignment("a1", "m1", "farsta", D(2025, 3, 1), D(2025, 3, 31)),
            _assignment("a2", "m1", "bromma", D(2025, 3, 1), D(2025, 3, 31), status="cancelled"),
        ],
    )
    assert roster.conflicts() == ()


def test_every_kind_of_conflict_is_listed_at_once() -> None:
    """One roster with one fault of each kind yields all of them in one call, each explained."""
    roster = Roster(
        members=[ANNA, BO],
        absences=[Absence("m1", D(2024, 7, 1), D(2024, 7, 31), "vacation")],
        assignments=[
            # During the vacation: 2024-07-20..2024-07-31 are absent days.
            _assignment("absent", "m1", "farsta", D(2024, 7, 20), D(2024, 8, 15)),
            # Past Anna's employment, which ends 2025-12-31.
            _assignment("late", "m1", "farsta", D(2025, 12, 1), D(2026, 1, 31)),
            # Älvsjö ended on 2020-06-30.
            _assignment("merged", "m2", "alvsjo", D(2020, 6, 15), D(2020, 7, 15), 0.3),
            # Järva began on 2023-07-01.
            _assignment("early", "m2", "jarva", D(2023, 6, 1), D(2023, 7, 31), 0.3),
            # A typo in the code.
            _assignment("typo", "m2", "alvsj", D(2019, 1, 1), D(2019, 1, 31), 0.3),
            # Nobody by that id.
            _assignment("ghost", "m9", "farsta", D(2019, 1, 1), D(2019, 1, 31)),
            # Jan 1 to May 1 is a day more than four months.
            _assignment("long", "m2", "farsta", D(2025, 1, 1), D(2025, 5, 1), 0.3),
        ],
    )
    by_id = defaultdict(list)
    for conflict in roster.conflicts():
        by_id[conflict.assignment_ids].append((conflict.kind, conflict.days))
    expected = {
        ("absent",): [(ConflictKind.ABSENCE, DateRange(D(2024, 7, 20), D(2024, 7, 31)))],
        ("late",): [(ConflictKind.EMPLOYMENT, DateRange(D(2026, 1, 1), D(2026, 1, 31)))],
        ("merged",): [(ConflictKind.DISTRICT, DateRange(D(2020, 7, 1), D(2020, 7, 15)))],
        ("early",): [(ConflictKind.DISTRICT, DateRange(D(2023, 6, 1), D(2023, 6, 30)))],
        ("typo",): [(ConflictKind.UNKNOWN_DISTRICT, DateRange(D(2019, 1, 1), D(2019, 1, 31)))],
        ("ghost",): [(ConflictKind.UNKNOWN_MEMBER, DateRange(D(2019, 1, 1), D(2019, 1, 31)))],
        ("long",): [(ConflictKind.POLICY, DateRange(D(2025, 1, 1), D(2025, 5, 1)))],
    }
    assert expected == dict(by_id)


def test_conflict_messages_say_why_and_never_name_people() -> None:
    """Messages carry ids, dates and the reason, never a member's name."""
    roster = Roster(
        members=[ANNA],
        absences=[Absence("m1", D(2024, 7, 1), D(2024, 7, 31), "sick")],
        assignments=[
            _assignment("a1", "m1", "alvsj", D(2024, 7, 20), D(2024, 8, 15)),
            _assignment("a2", "m1", "alvsjo", D(2020, 6, 15), D(2020, 7, 15)),
        ],
    )
    messages = [str(conflict) for conflict in roster.conflicts()]
    assert messages == [
        "district: assignment 'a2' is with 'alvsjo', which did not exist on "
        "2020-07-01..2020-07-15 (its successor is 'hagersten-alvsjo')",
        "absence: assignment 'a1' has days 2024-07-20..2024-07-31 on which member 'm1' is "
        "away (sick 2024-07-01..2024-07-31)",
        "unknown_district: assignment 'a1': unknown district code 'alvsj'; did you mean 'alvsjo'?",
    ]
    assert not any("Anna" in message or "Andersson" in message for message in messages)
    assert "Anna" not in repr(roster)


def test_duplicate_ids_are_conflicts() -> None:
    """Two assignments with one id, or two members with one id, are reported."""
    twice = _assignment("a1", "m1", "farsta", D(2025, 3, 1), D(2025, 3, 2), 0.5)
    roster = Roster(members=[ANNA, ANNA], assignments=[twice, twice])
    kinds = [conflict.kind for conflict in roster.conflicts()]
    assert kinds == [ConflictKind.DUPLICATE_ID, ConflictKind.DUPLICATE_ID]


def test_overlapping_absences_each_report_their_days() -> None:
    """An assignment during two overlapping absences meets both, each with its own days."""
    roster = Roster(
        members=[ANNA],
        absences=[
            Absence("m1", D(2025, 3, 1), D(2025, 3, 20), "sick"),
            Absence("m1", D(2025, 3, 10), D(2025, 3, 12), "training"),
        ],
        assignments=[_assignment("a1", "m1", "farsta", D(2025, 3, 11), D(2025, 4, 11))],
    )
    days = sorted(str(c.days) for c in roster.conflicts())
    assert days == ["2025-03-11..2025-03-12", "2025-03-11..2025-03-20"]


# ------------------------------------------------------------ brute-force oracle


def _live(roster: Roster) -> list[Assignment]:
    return [a for a in roster.assignments if a.status is not AssignmentStatus.CANCELLED]


def _over_capacity_days(roster: Roster) -> set[tuple[str, dt.date]]:
    """Brute force: every (member, day) whose assignments add up to more than the extent."""
    extent = {m.member_id: m.extent for m in roster.members}
    load: dict[tuple[str, dt.date], float] = defaultdict(float)
    for assignment in _live(roster):
        for day in assignment.period:
            load[assignment.member_id, day] += assignment.extent
    return {key for key, total in load.items() if total > extent[key[0]] + 1e-9}


def _reported_days(roster: Roster, kind: ConflictKind) -> set[tuple[str, dt.date]]:
    found: set[tuple[str, dt.date]] = set()
    for conflict in roster.conflicts():
        if conflict.kind is kind:
            assert conflict.member_id is not None
            assert conflict.days is not None
            found |= {(conflict.member_id, day) for day in conflict.days}
    return found


@given(s.rosters())
def test_a_roster_without_conflicts_never_has_a_member_over_extent(roster: Roster) -> None:
    """Checked day by day by brute force: no conflicts means no day over any member's extent."""
    if not roster.conflicts():
        assert set() == _over_capacity_days(roster)


@given(s.rosters())
def test_capacity_conflicts_cover_exactly_the_days_over_extent(roster: Roster) -> None:
    """The sweep reports precisely the (member, day) pairs the brute-force oracle finds."""
    assert _over_capacity_days(roster) == _reported_days(roster, ConflictKind.CAPACITY)


@given(s.rosters())
def test_absence_conflicts_cover_exactly_the_absent_assigned_days(roster: Roster) -> None:
    """Brute force over every assignment and absence pair: the same (assignment, day) set."""
    expected: set[tuple[str, dt.date]] = set()
    for assignment in _live(roster):
        for absence in roster.absences:
            if absence.member_id == assignment.member_id:
                for day in assignment.period:
                    if absence.start <= day <= absence.end:
                        expected.add((assignment.assignment_id, day))
    actual: set[tuple[str, dt.date]] = set()
    for conflict in roster.conflicts():
        if conflict.kind is ConflictKind.ABSENCE:
            assert conflict.days is not None
            actual |= {(conflict.assignment_ids[0], day) for day in conflict.days}
    assert expected == actual


@given(s.rosters())
def test_employment_and_district_conflicts_cover_exactly_the_bad_days(roster: Roster) -> None:
    """Day by day: days outside employment, and days the district did not exist, are reported."""
    members = {m.member_id: m for m in roster.members}
    registry = socforst.stockholm()
    employment: set[tuple[str, dt.date]] = set()
    district: set[tuple[str, dt.date]] = set()
    for assignment in _live(roster):
        member = members[assignment.member_id]
        where = registry.get(assignment.district)
        for day in assignment.period:
            if not (member.employed_from <= day and (member.employed_to or day) >= day):
                employment.add((assignment.assignment_id, day))
            if not (where.valid_from <= day and (where.valid_to or day) >= day):
                district.add((assignment.assignment_id, day))
    reported: dict[ConflictKind, set[tuple[str, dt.date]]] = defaultdict(set)
    for conflict in roster.conflicts():
        if conflict.days is not None and conflict.assignment_ids:
            reported[conflict.kind] |= {(conflict.assignment_ids[0], d) for d in conflict.days}
    assert employment == reported[ConflictKind.EMPLOYMENT]
    assert district == reported[ConflictKind.DISTRICT]


@given(s.rosters())
def test_policy_conflicts_are_the_assignments_the_policy_refuses(roster: Roster) -> None:
    """Exactly the live assignments whose range the policy refuses have a policy conflict."""
    expected = {a.assignment_id for a in _live(roster) if not roster.policy.allows(a.period)}
    actual = {c.assignment_ids[0] for c in roster.conflicts() if c.kind is ConflictKind.POLICY}
    assert expected == actual
