"""The planner: hard rules, pinned assignments, the objective, reasons, determinism.

Expected plans and reasons below are worked out by hand from the small datasets
built in each test. The coverage test at the end compares the planner with an
exhaustive search written here, independently of the planner's code.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Sequence
from typing import TypeVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from socforst import (
    Absence,
    Assignment,
    AssignmentPolicy,
    Dataset,
    Request,
    Roster,
    Staffing,
    TeamMember,
    ValidationError,
)
from socforst.planning import Plan, PlanRow, Skipped, suggest

T = TypeVar("T")
D = dt.date
AS_OF = D(2025, 2, 10)
MARCH = (D(2025, 3, 3), D(2025, 3, 23))  # three weeks, Monday to Sunday


def member(
    member_id: str,
    *competencies: str,
    extent: float = 1.0,
    employed_from: dt.date = dt.date(2020, 1, 1),
    employed_to: dt.date | None = None,
) -> TeamMember:
    return TeamMember(
        member_id=member_id,
        team_id="t1",
        name="Anna Andersson",
        employed_from=employed_from,
        employed_to=employed_to,
        extent=extent,
        competencies=competencies,
    )


def request(
    request_id: str,
    district: str = "farsta",
    period: tuple[dt.date, dt.date] = MARCH,
    *,
    task: str | None = None,
    headcount: int = 1,
    extent: float = 1.0,
    received_on: dt.date = dt.date(2025, 2, 1),
) -> Request:
    return Request(
        request_id=request_id,
        district=district,
        received_on=received_on,
        start=period[0],
        end=period[1],
        headcount=headcount,
        extent=extent,
        task=task,
    )


def assignment(
    assignment_id: str,
    member_id: str,
    district: str,
    period: tuple[dt.date, dt.date],
    *,
    status: str = "agreed",
    extent: float = 1.0,
    request_id: str | None = None,
) -> Assignment:
    return Assignment(
        assignment_id=assignment_id,
        member_id=member_id,
        district=district,
        start=period[0],
        end=period[1],
        extent=extent,
        request_id=request_id,
        status=status,
    )


def plan_of(
    data: Dataset,
    *,
    requests: Sequence[Request] | None = None,
    policy: AssignmentPolicy = AssignmentPolicy(),  # noqa: B008 - frozen
    as_of: dt.date = AS_OF,
    need: dict[str, float] | None = None,
) -> Plan:
    """The plan with the tests' defaults: farsta more needed than bromma."""
    scores = {"farsta": 2.0, "bromma": 1.0} if need is None else need
    return suggest(data, requests, policy, as_of=as_of, need=scores)


def who(plan: Plan) -> list[tuple[str, str]]:
    """(request, member) of each suggestion."""
    return [(s.request_id, s.member_id) for s in plan.suggestions]


def the_reason(plan: Plan) -> str:
    """The one uncovered request's reason."""
    assert 1 == len(plan.uncovered)
    return plan.uncovered[0].reason


# ------------------------------------------------------------- each hard rule


def test_a_request_longer_than_the_policy_allows_is_uncovered_and_not_split() -> None:
    """Mar 1 + 5 months - 1 day = Jul 31: five months, one more than the policy's four."""
    data = Dataset(
        members=[member("m1")], requests=[request("r1", period=(D(2025, 3, 1), D(2025, 7, 31)))]
    )
    plan = plan_of(data)
    assert [] == who(plan)
    assert (
        "request lasts 5 months (2025-03-01..2025-07-31); the policy allows at most "
        "4 months (to 2025-06-30) and a request is not split"
    ) == the_reason(plan)
    # Without the obstacle: a policy of five months covers it.
    assert [("r1", "m1")] == who(plan_of(data, policy=AssignmentPolicy(max_months=5)))


def test_a_request_shorter_than_the_policy_allows_is_uncovered() -> None:
    """Three days against a minimum of five."""
    data = Dataset(
        members=[member("m1")], requests=[request("r1", period=(D(2025, 3, 3), D(2025, 3, 5)))]
    )
    plan = plan_of(data, policy=AssignmentPolicy(min_days=5))
    assert (
        "request lasts 3 days from 2025-03-03; the policy asks for at least 5 days"
        == the_reason(plan)
    )
    assert [("r1", "m1")] == who(plan_of(data))


def test_a_member_not_employed_on_every_day_is_not_suggested() -> None:
    """Employed to 2025-03-10: the days 2025-03-11..2025-03-23 are outside."""
    data = Dataset(members=[member("m1", employed_to=D(2025, 3, 10))], requests=[request("r1")])
    assert (
        "no member free full time for 3 weeks from 2025-03-03: "
        "m1 not employed 2025-03-11..2025-03-23" == the_reason(plan_of(data))
    )
    data = attrs.evolve(data, members=[member("m1", employed_to=D(2025, 3, 23))])
    assert [("r1", "m1")] == who(plan_of(data))


def test_members_not_employed_at_all_then_are_named_together() -> None:
    """m1 starts in April, m2 left in February; beyond four such members only a count."""
    data = Dataset(
        members=[
            member("m1", employed_from=D(2025, 4, 1)),
            member("m2", employed_from=D(2020, 1, 1), employed_to=D(2025, 2, 28)),
        ],
        requests=[request("r1")],
    )
    assert (
        "no member free full time for 3 weeks from 2025-03-03: m1 and m2 not employed then"
        == the_reason(plan_of(data))
    )
    gone = [member(f"m{i}", employed_from=D(2025, 4, 1)) for i in range(5)]
    data = attrs.evolve(data, members=[*gone, member("m9", extent=0.5)])
    assert (
        "no member free full time for 3 weeks from 2025-03-03: "
        "m9 works at extent 0.5, less than the 1 asked; 5 members not employed then"
    ) == the_reason(plan_of(data))


def test_every_stretch_at_full_extent_is_named() -> None:
    """Two agreed assignments inside the request: two stretches, both at full extent."""
    data = Dataset(
        members=[member("m1")],
        assignments=[
            assignment("a1", "m1", "bromma", (D(2025, 3, 3), D(2025, 3, 5))),
            assignment("a2", "m1", "bromma", (D(2025, 3, 12), D(2025, 3, 12)), extent=0.25),
            assignment("a3", "m1", "bromma", (D(2025, 3, 20), D(2025, 3, 30))),
        ],
        requests=[request("r1")],
    )
    assert (
        "no member free full time for 3 weeks from 2025-03-03: m1 at full extent "
        "2025-03-03..2025-03-05, only 0.75 free 2025-03-12, at full extent 2025-03-20..2025-03-23 "
        "(taken by a1, a2, a3)"
    ) == the_reason(plan_of(data))


def test_a_member_at_full_extent_on_some_days_is_not_suggested() -> None:
    """An agreed half-time assignment 2025-03-10..2025-03-31 leaves 0.5 free on 2025-03-10..23."""
    data = Dataset(
        members=[member("m1")],
        assignments=[
            assignment("a1", "m1", "bromma", (D(2025, 3, 10), D(2025, 3, 31)), extent=0.5)
        ],
        requests=[request("r1")],
    )
    assert (
        "no member free full time for 3 weeks from 2025-03-03: "
        "m1 only 0.5 free 2025-03-10..2025-03-23 (taken by a1)"
    ) == the_reason(plan_of(data))
    # At half time the request fits beside the agreed assignment.
    data = attrs.evolve(data, requests=[request("r1", extent=0.5)])
    assert [("r1", "m1")] == who(plan_of(data))


def test_a_member_who_is_absent_on_some_day_is_not_suggested() -> None:
    """A vacation 2025-03-10..2025-03-14 inside the request."""
    data = Dataset(
        members=[member("m1")],
        absences=[Absence("m1", D(2025, 3, 10), D(2025, 3, 14), "vacation")],
        requests=[request("r1")],
    )
    assert (
        "no member free full time for 3 weeks from 2025-03-03: m1 absent 2025-03-10..2025-03-14"
        == the_reason(plan_of(data))
    )
    data = attrs.evolve(data, absences=[Absence("m1", D(2025, 3, 24), D(2025, 3, 28), "vacation")])
    assert [("r1", "m1")] == who(plan_of(data))


def test_a_member_without_the_competence_is_not_suggested() -> None:
    """The request's task is lvu; the only member does investigations."""
    data = Dataset(members=[member("m1", "investigation")], requests=[request("r1", task="lvu")])
    assert "no member has the competence lvu the request needs" == the_reason(plan_of(data))
    data = attrs.evolve(data, members=[member("m1", "investigation", "lvu")])
    assert [("r1", "m1")] == who(plan_of(data))


def test_a_part_time_member_cannot_take_a_full_time_request() -> None:
    """Extent 0.5 against 1 asked."""
    data = Dataset(members=[member("m1", extent=0.5)], requests=[request("r1")])
    assert (
        "no member free full time for 3 weeks from 2025-03-03: "
        "m1 works at extent 0.5, less than the 1 asked"
    ) == the_reason(plan_of(data))


def test_a_request_of_a_district_that_stops_existing_is_uncovered() -> None:
    """Älvsjö ended 2020-06-30; its successor Hägersten-Älvsjö started 2020-07-01."""
    data = Dataset(
        members=[member("m1")],
        requests=[
            request("r1", "alvsjo", (D(2020, 6, 15), D(2020, 7, 15)), received_on=D(2020, 5, 1))
        ],
    )
    plan = plan_of(data, as_of=D(2020, 6, 1))
    assert (
        "district alvsjo did not exist on 2020-07-01..2020-07-15 "
        "(its successor is hagersten-alvsjo)" == the_reason(plan)
    )
    data = attrs.evolve(
        data,
        requests=[
            request("r1", "alvsjo", (D(2020, 6, 15), D(2020, 6, 30)), received_on=D(2020, 5, 1))
        ],
    )
    assert [("r1", "m1")] == who(plan_of(data, as_of=D(2020, 6, 1)))


def test_the_uncovered_reason_lists_each_members_binding_rule() -> None:
    """The issue's example: m03 absent, m07 at full extent, m05 without lvu left out."""
    data = Dataset(
        members=[member("m03", "lvu"), member("m05", "investigation"), member("m07", "lvu")],
        absences=[Absence("m03", D(2025, 3, 10), D(2025, 3, 14), "sick")],
        assignments=[assignment("a17", "m07", "bromma", (D(2025, 2, 17), D(2025, 3, 20)))],
        requests=[request("r1", task="lvu")],
    )
    assert (
        "no member with lvu free full time for 3 weeks from 2025-03-03: "
        "m03 absent 2025-03-10..2025-03-14; "
        "m07 at full extent 2025-03-03..2025-03-20 (taken by a17)"
    ) == the_reason(plan_of(data))


def test_reasons_never_hold_a_members_name() -> None:
    """Every member here is named Anna Andersson; only ids reach the reasons."""
    data = Dataset(
        members=[member("m1", "lvu"), member("m2")],
        absences=[Absence("m2", D(2025, 3, 1), D(2025, 3, 31))],
        requests=[request("r1", task="lvu"), request("r2", "bromma")],
    )
    plan = plan_of(data)
    texts = [r for s in plan.suggestions for r in s.reasons] + [u.reason for u in plan.uncovered]
    assert texts
    assert not [t for t in texts if "Anna" in t or "Andersson" in t]


# ---------------------------------------------------------- pinned and skipped


def test_existing_assignments_are_kept_and_take_capacity() -> None:
    """m1 is on an agreed assignment in March, so the request goes to m2; nothing is moved."""
    existing = assignment("a1", "m1", "bromma", (D(2025, 3, 1), D(2025, 3, 31)))
    data = Dataset(
        members=[member("m1"), member("m2")], assignments=[existing], requests=[request("r1")]
    )
    plan = plan_of(data)
    assert [("r1", "m2")] == who(plan)
    assert existing not in plan.assignments


def test_a_cancelled_assignment_takes_no_capacity() -> None:
    """The same assignment, cancelled: m1 (the lower id) is free again."""
    cancelled = assignment(
        "a1", "m1", "bromma", (D(2025, 3, 1), D(2025, 3, 31)), status="cancelled"
    )
    data = Dataset(
        members=[member("m1"), member("m2")], assignments=[cancelled], requests=[request("r1")]
    )
    assert [("r1", "m1")] == who(plan_of(data))


def test_a_partly_covered_request_gets_only_the_remainder_from_another_member() -> None:
    """Headcount 3, one place agreed with m1: two more places, never m1 again."""
    data = Dataset(
        members=[member("m1"), member("m2"), member("m3")],
        assignments=[assignment("a1", "m1", "farsta", MARCH, extent=0.5, request_id="r1")],
        requests=[request("r1", headcount=3, extent=0.5)],
    )
    plan = plan_of(data)
    assert [("r1", "m2"), ("r1", "m3")] == who(plan)
    assert ["plan-r1-1", "plan-r1-2"] == [a.assignment_id for a in plan.assignments]


def test_a_place_no_second_member_can_take_is_uncovered_with_the_count() -> None:
    """Headcount 2 and one member: one suggestion, one place missing."""
    data = Dataset(members=[member("m1")], requests=[request("r1", headcount=2)])
    plan = plan_of(data)
    assert [("r1", "m1")] == who(plan)
    assert 1 == plan.uncovered[0].missing
    assert (
        "1 of 2 members found; no other member free full time for 3 weeks from 2025-03-03: "
        "m1 is on this request already"
    ) == the_reason(plan)


def test_suggested_ids_skip_the_ids_of_pinned_suggestions() -> None:
    """plan-r1-1 was agreed from an earlier plan; the second place is plan-r1-2."""
    agreed = assignment("plan-r1-1", "m1", "farsta", MARCH, request_id="r1")
    data = Dataset(
        members=[member("m1"), member("m2")],
        assignments=[agreed],
        requests=[request("r1", headcount=2)],
    )
    plan = plan_of(data)
    assert ["plan-r1-2"] == [a.assignment_id for a in plan.assignments]
    assert "m2" == plan.assignments[0].member_id


def test_covered_and_past_requests_are_skipped_with_a_reason() -> None:
    """Given explicitly: r1 is covered by a1, r2 ended before the plan's day."""
    r1, r2 = request("r1"), request("r2", period=(D(2025, 1, 1), D(2025, 1, 31)))
    data = Dataset(
        members=[member("m1")],
        assignments=[assignment("a1", "m1", "farsta", MARCH, request_id="r1")],
        requests=[r1, r2],
    )
    plan = plan_of(data, requests=[r1, r2])
    expected = (
        Skipped(request_id="r1", district="farsta", reason="covered already by a1"),
        Skipped(
            request_id="r2",
            district="farsta",
            reason="ended 2025-01-31, before the plan's day 2025-02-10",
        ),
    )
    assert expected == plan.skipped
    assert () == plan.suggestions
    # From the dataset: the covered request is not open, so only r2 is skipped.
    assert ("r2",) == tuple(s.request_id for s in plan_of(data).skipped)


def test_a_request_under_way_is_planned_from_the_plans_day() -> None:
    """Started 2025-03-03; planned on 2025-03-10, the suggestion starts 2025-03-10."""
    data = Dataset(members=[member("m1")], requests=[request("r1")])
    plan = plan_of(data, as_of=D(2025, 3, 10))
    assert (D(2025, 3, 10), D(2025, 3, 23)) == (plan.assignments[0].start, plan.assignments[0].end)
    assert (
        "starts 2025-03-10, not 2025-03-03: the plan does not start assignments in the past"
        in plan.suggestions[0].reasons
    )


def test_two_requests_with_the_same_id_are_refused() -> None:
    """Ids name the suggestions; a duplicate would make them ambiguous."""
    with pytest.raises(ValidationError, match="r1"):
        plan_of(Dataset(), requests=[request("r1"), request("r1", "bromma")])


# -------------------------------------------------------------- the objective


def test_the_most_needed_district_gets_the_scarce_member() -> None:
    """One member, two requests at the same time: the higher need score wins."""
    data = Dataset(
        members=[member("m1")],
        requests=[request("r1", "bromma", received_on=D(2025, 1, 1)), request("r2", "farsta")],
    )
    plan = plan_of(data, need={"farsta": 2.0, "bromma": 1.0})
    assert [("r2", "m1")] == who(plan)
    assert ["r1"] == [u.request_id for u in plan.uncovered]
    assert plan.suggestions[0].reasons[0] == (
        "farsta is ranked 1 of 2 districts by need (score 2.00); "
        "the most needed requests are covered first"
    )
    assert [("r1", "m1")] == who(plan_of(data, need={"farsta": 1.0, "bromma": 2.0}))


def test_a_district_without_a_need_score_comes_last() -> None:
    """Bromma has no score: farsta's request takes the member although it came later."""
    data = Dataset(
        members=[member("m1")],
        requests=[request("r1", "bromma", received_on=D(2025, 1, 1)), request("r2", "farsta")],
    )
    plan = plan_of(data, need={"farsta": 0.1})
    assert [("r2", "m1")] == who(plan)
    assert plan.uncovered[0].need is None


def test_equal_need_goes_to_the_request_received_first() -> None:
    """Both farsta: r2 was received on Jan 1, r1 on Feb 1."""
    data = Dataset(
        members=[member("m1")],
        requests=[request("r1"), request("r2", received_on=D(2025, 1, 1))],
    )
    assert [("r2", "m1")] == who(plan_of(data))


def test_a_member_who_knows_the_district_is_preferred() -> None:
    """m2 worked in bromma in January (14 days); m1 has the lower id and no history there."""
    data = Dataset(
        members=[member("m1"), member("m2")],
        assignments=[
            assignment("a1", "m2", "bromma", (D(2025, 1, 1), D(2025, 1, 14)), status="completed")
        ],
        requests=[request("r1", "bromma")],
    )
    plan = plan_of(data)
    assert [("r1", "m2")] == who(plan)
    reasons = plan.suggestions[0].reasons
    assert (
        "has worked in bromma before (1 assignment, 14 days, the latest ending 2025-01-14)"
        in reasons
    )
    assert (
        "has worked in bromma, m1, the next member free for it, has not; "
        "continuity comes before an even load (0 days assigned in 2025-03-03..2025-03-23)"
    ) in reasons


def test_the_most_recent_experience_of_the_district_comes_first() -> None:
    """m1 worked in bromma for 60 days in 2023, m2 for 10 days in 2024: m2 is more recent."""
    data = Dataset(
        members=[member("m1"), member("m2")],
        assignments=[
            assignment("a1", "m1", "bromma", (D(2023, 1, 1), D(2023, 3, 1)), status="completed"),
            assignment("a2", "m2", "bromma", (D(2024, 5, 1), D(2024, 5, 10)), status="completed"),
        ],
        requests=[request("r1", "bromma")],
    )
    plan = plan_of(data)
    assert [("r1", "m2")] == who(plan)
    assert (
        "has worked in bromma, more recently or for more days than m1, the next member free "
        "for it; continuity comes before an even load (0 days assigned in 2025-03-03..2025-03-23)"
    ) == plan.suggestions[0].reasons[-1]


def test_experience_of_a_merged_district_counts_for_its_successor() -> None:
    """m2 worked in Älvsjö in 2019; Älvsjö became Hägersten-Älvsjö on 2020-07-01."""
    data = Dataset(
        members=[member("m1"), member("m2")],
        assignments=[
            assignment("a1", "m2", "alvsjo", (D(2019, 4, 1), D(2019, 4, 30)), status="completed")
        ],
        requests=[request("r1", "hagersten-alvsjo")],
    )
    plan = plan_of(data, need={"hagersten-alvsjo": 1.0})
    assert [("r1", "m2")] == who(plan)
    assert (
        "has worked in hagersten-alvsjo before "
        "(1 assignment, 30 days, the latest ending 2019-04-30)" in plan.suggestions[0].reasons
    )


def test_load_is_evened_out_when_nobody_knows_the_district() -> None:
    """Three one-week requests, two members: m1 (tie, lower id), m2 (0 < 7 days), m1 (7 = 7)."""
    weeks = [
        (D(2025, 3, 3) + dt.timedelta(weeks=i), D(2025, 3, 9) + dt.timedelta(weeks=i))
        for i in range(3)
    ]
    data = Dataset(
        members=[member("m1"), member("m2")],
        requests=[
            request(f"r{i + 1}", period=p, received_on=D(2025, 2, 1 + i))
            for i, p in enumerate(weeks)
        ],
    )
    plan = plan_of(data)
    assert [("r1", "m1"), ("r2", "m2"), ("r3", "m1")] == who(plan)
    first, second, third = (s.reasons[-1] for s in plan.suggestions)
    assert (
        "tied with m2 on continuity and load (0 days assigned in 2025-03-03..2025-03-23); "
        "the lower id decides" == first
    )
    assert (
        "lowest load of the 2 members free for it: 0 days assigned in 2025-03-03..2025-03-23"
        == second
    )
    assert (
        "tied with m2 on continuity and load (7 days assigned in 2025-03-03..2025-03-23); "
        "the lower id decides" == third
    )


def test_existing_load_in_the_horizon_counts() -> None:
    """m1 has an agreed half-time week in the horizon (3.5 days): m2 takes the request."""
    data = Dataset(
        members=[member("m1"), member("m2")],
        assignments=[
            assignment("a1", "m1", "bromma", (D(2025, 3, 17), D(2025, 3, 23)), extent=0.5)
        ],
        requests=[request("r1", extent=0.5)],
    )
    plan = plan_of(data)
    assert [("r1", "m2")] == who(plan)
    assert (
        "lowest load of the 2 members free for it: 0 days assigned in 2025-03-03..2025-03-23"
        == plan.suggestions[0].reasons[-1]
    )


def test_an_earlier_suggestion_moves_to_free_the_only_competent_member() -> None:
    """Farsta (more needed) first takes m1; bromma needs lvu, which only m1 has: r2 moves to m2."""
    data = Dataset(
        members=[member("m1", "lvu"), member("m2")],
        requests=[request("r1", "bromma", task="lvu"), request("r2", "farsta")],
    )
    plan = plan_of(data)
    assert [("r1", "m1"), ("r2", "m2")] == who(plan)
    assert () == plan.uncovered
    by_request = {s.request_id: s.reasons for s in plan.suggestions}
    assert "r2 moved from m1 to m2 to free m1 for this request" == by_request["r1"][-1]
    assert "m1 was suggested first; moved to m2 so that m1 could take r1" == by_request["r2"][-1]


def test_a_chain_of_two_moves_frees_the_only_member_with_the_competence() -> None:
    """Only m1 has family_law; lvu is m1's and m2's, coaching m2's and m3's (hand-worked).

    Farsta (lvu) takes m1 (tie with m2, lower id); bromma (coaching) takes m2
    (tie with m3). Jarva needs family_law: farsta must move to m2, which first
    hands bromma to m3.
    """
    data = Dataset(
        members=[
            member("m1", "family_law", "lvu"),
            member("m2", "lvu", "coaching"),
            member("m3", "coaching"),
        ],
        requests=[
            request("r1", "farsta", task="lvu"),
            request("r2", "bromma", task="coaching"),
            request("r3", "jarva", task="family_law"),
        ],
    )
    plan = plan_of(data, need={"farsta": 3.0, "bromma": 2.0, "jarva": 1.0})
    assert [("r1", "m2"), ("r2", "m3"), ("r3", "m1")] == who(plan)
    reasons = {s.request_id: s.reasons for s in plan.suggestions}
    assert (
        "r1 moved from m1 to m2 to free m1 for this request",
        "r2 moved from m2 to m3 to free m2",
    ) == reasons["r3"][-2:]
    assert "m2 was suggested first; moved to m3 so that m2 could take r1" == reasons["r2"][-1]
    assert "m1 was suggested first; moved to m2 so that m1 could take r3" == reasons["r1"][-1]


def test_the_default_need_comes_from_the_need_ranking() -> None:
    """Without need=, the scores are queries.need_ranking's: bromma, short of staff, wins."""
    queries = pytest.importorskip("socforst.queries")
    data = Dataset(
        members=[member("m1")],
        # r1 (farsta) would win every tie-break: only the need can give m1 to r2.
        requests=[request("r1", "farsta"), request("r2", "bromma")],
        staffing=[
            Staffing(district="bromma", on=D(2025, 1, 1), positions=10.0, vacancies=5.0,
                     consultants=3.0, turnover=0.5),
            Staffing(district="farsta", on=D(2025, 1, 1), positions=10.0, vacancies=0.0,
                     consultants=0.0, turnover=0.0),
        ],
    )  # fmt: skip
    scores = {s.district: s.score for s in queries.need_ranking(data, AS_OF)}
    assert scores["bromma"] > scores["farsta"]
    plan = suggest(data, as_of=AS_OF)
    assert [("r2", "m1")] == who(plan)
    assert plan.suggestions[0].need == scores["bromma"]


# ------------------------------------------------------------------ the output


def test_a_suggestion_is_a_planned_assignment_for_the_request() -> None:
    """Id, status, district, days, extent, task and request are the request's."""
    data = Dataset(members=[member("m1", "lvu")], requests=[request("r1", task="lvu", extent=0.5)])
    expected = Assignment(
        assignment_id="plan-r1-1",
        member_id="m1",
        district="farsta",
        start=D(2025, 3, 3),
        end=D(2025, 3, 23),
        extent=0.5,
        task="lvu",
        request_id="r1",
        status="planned",
    )
    plan = plan_of(data)
    assert (expected,) == plan.assignments
    assert (
        "farsta is ranked 1 of 2 districts by need (score 2.00); "
        "the most needed requests are covered first",
        "has the competence lvu the request needs",
        "employed, not absent and free at extent 0.5 on every day 2025-03-03..2025-03-23",
        "no member free for it has worked in farsta before",
        "the only member free for it (0 days assigned in 2025-03-03..2025-03-23)",
    ) == plan.suggestions[0].reasons


def test_rows_are_flat_plain_values_in_date_order() -> None:
    """One suggested and one uncovered row, by first day; every field a plain value."""
    data = Dataset(
        members=[member("m1")],
        requests=[request("r1", "bromma", (D(2025, 3, 1), D(2025, 3, 20))), request("r2")],
    )
    rows = plan_of(data).rows()
    assert [("r1", "uncovered", None), ("r2", "suggested", "m1")] == [
        (r.request_id, r.outcome, r.member_id) for r in rows
    ]
    plain = (str, int, float, dt.date, type(None))
    for row in rows:
        assert isinstance(row, PlanRow)
        for value in attrs.asdict(row).values():
            assert isinstance(value, plain) or (
                isinstance(value, tuple) and all(isinstance(v, plain) for v in value)
            )


# ------------------------------------------------------------------ determinism


def _busy_dataset() -> Dataset:
    members = [
        member("m1", "lvu"),
        member("m2", "lvu", extent=0.5),
        member("m3"),
        member("m4", "investigation"),
    ]
    requests = [
        request("r1", "bromma", task="lvu", extent=0.5),
        request("r2", "farsta", (D(2025, 3, 10), D(2025, 4, 10)), headcount=2),
        request("r3", "jarva", (D(2025, 3, 17), D(2025, 3, 30)), task="investigation"),
        request("r4", "bromma", (D(2025, 3, 1), D(2025, 3, 14))),
        request("r5", "farsta", (D(2025, 4, 1), D(2025, 4, 20)), received_on=D(2025, 1, 3)),
    ]
    return Dataset(
        members=members,
        absences=[Absence("m3", D(2025, 3, 20), D(2025, 3, 24))],
        assignments=[
            assignment("a1", "m4", "bromma", (D(2024, 1, 1), D(2024, 2, 1)), status="completed"),
            assignment("a2", "m1", "farsta", (D(2025, 4, 5), D(2025, 4, 30)), extent=0.5),
        ],
        requests=requests,
    )


def test_the_same_input_gives_the_same_plan() -> None:
    """Two runs are equal."""
    need = {"farsta": 2.0, "bromma": 2.0, "jarva": 1.0}
    assert plan_of(_busy_dataset(), need=need) == plan_of(_busy_dataset(), need=need)


@pytest.mark.parametrize("seed", range(5))
def test_the_order_of_the_input_does_not_change_the_plan(seed: int) -> None:
    """Members, absences, assignments, requests and need shuffled: the same plan."""
    need = {"farsta": 2.0, "bromma": 2.0, "jarva": 1.0}
    data = _busy_dataset()
    rng = random.Random(seed)

    def shuffled(items: Sequence[T]) -> list[T]:
        copy = list(items)
        rng.shuffle(copy)
        return copy

    mixed = Dataset(
        members=shuffled(data.members),
        absences=shuffled(data.absences),
        assignments=shuffled(data.assignments),
        requests=shuffled(data.requests),
    )
    mixed_need = dict(shuffled(list(need.items())))
    assert plan_of(data, need=need) == plan_of(mixed, need=mixed_need)


# ------------------------------------------------ random instances, properties

# A month across Stockholm's 2023-07-01 reorganisation: norrmalm ends on
# 2023-06-30, jarva starts on 2023-07-01 (worked out from the district table).
WINDOW = (D(2023, 6, 15), D(2023, 7, 14))
VALIDITY = {
    "bromma": (D(2007, 1, 1), D(9999, 12, 31)),
    "farsta": (D(2007, 1, 1), D(9999, 12, 31)),
    "norrmalm": (D(2007, 1, 1), D(2023, 6, 30)),
    "jarva": (D(2023, 7, 1), D(9999, 12, 31)),
}
PLAN_DAY = D(2023, 6, 1)


@attrs.frozen
class Instance:
    """A random planning problem: its data, need scores and policy."""

    data: Dataset
    need: dict[str, float]
    policy: AssignmentPolicy


def _day(rng: random.Random, low: int = 0, high: int = 29) -> dt.date:
    return WINDOW[0] + dt.timedelta(days=rng.randint(low, high))


def random_instance(rng: random.Random, *, max_requests: int = 6, max_members: int = 4) -> Instance:
    """A small random dataset whose existing assignments form a roster without conflicts."""
    members = []
    for i in range(rng.randint(min(2, max_members), max_members)):
        # Most members are employed throughout; some start or leave in the window.
        start = WINDOW[0] - dt.timedelta(days=60) if rng.random() < 0.8 else _day(rng, -5, 15)
        end = None if rng.random() < 0.85 else _day(rng, 15, 40)
        members.append(
            TeamMember(
                member_id=f"m{i}",
                team_id="t1",
                employed_from=start,
                employed_to=end,
                extent=rng.choice([0.5, 1.0, 1.0, 1.0]),
                competencies=[c for c in ("lvu", "investigation") if rng.random() < 0.6],
            )
        )
    absences = []
    for _ in range(rng.randint(0, 2)):
        start = _day(rng)
        absences.append(
            Absence(
                rng.choice(members).member_id, start, start + dt.timedelta(days=rng.randint(0, 5))
            )
        )
    districts = list(VALIDITY)
    policy = AssignmentPolicy(max_months=rng.choice([1, 4]), min_days=rng.choice([1, 1, 1, 3]))
    assignments: list[Assignment] = []
    for i in range(rng.randint(0, 3)):
        holder = rng.choice(members)
        start = max(_day(rng), holder.employed_from)
        end = min(
            start + dt.timedelta(days=rng.randint(0, 12)), holder.employed_to or D(2030, 1, 1)
        )
        district = rng.choice(["bromma", "farsta"])
        candidate = Assignment(
            assignment_id=f"a{i}",
            member_id=holder.member_id,
            district=district,
            start=start,
            end=max(start, end),
            extent=rng.choice([0.5, 1.0]),
            status=rng.choice(["agreed", "active", "planned", "completed", "cancelled"]),
        )
        trial = Roster(
            members=members, absences=absences, assignments=[*assignments, candidate], policy=policy
        )
        if trial.is_valid():
            assignments.append(candidate)
    requests = []
    for i in range(rng.randint(1, max_requests)):
        start = _day(rng)
        length = rng.choice([1, 3, 7, 10, 14, 14, 20, 20, 40])
        requests.append(
            Request(
                request_id=f"r{i}",
                # The districts that end or start in the window are asked for less.
                district=rng.choice(["bromma", "farsta", "bromma", "farsta", "norrmalm", "jarva"]),
                received_on=D(2023, 5, rng.randint(1, 3)),
                start=start,
                end=start + dt.timedelta(days=length - 1),
                headcount=1 if rng.random() < 0.8 else 2,
                extent=rng.choice([0.5, 1.0]),
                task=rng.choice([None, None, None, "lvu", "investigation"]),
            )
        )
    need = {code: float(rng.randint(1, 3)) for code in districts}
    data = Dataset(members=members, absences=absences, assignments=assignments, requests=requests)
    return Instance(data, need, policy)


def _plan(instance: Instance) -> Plan:
    return suggest(instance.data, policy=instance.policy, as_of=PLAN_DAY, need=instance.need)


@given(st.randoms(use_true_random=False))
def test_the_plan_and_the_existing_assignments_form_a_roster_without_conflicts(
    rng: random.Random,
) -> None:
    """Whatever the instance, adding the suggestions to the pinned assignments adds no conflict."""
    instance = random_instance(rng)
    data, plan = instance.data, _plan(instance)
    roster = Roster(
        members=data.members,
        absences=data.absences,
        assignments=data.assignments + plan.assignments,
        policy=instance.policy,
        registry=data.registry,
    )
    assert () == roster.conflicts()


@given(st.randoms(use_true_random=False))
def test_every_place_asked_for_is_suggested_or_uncovered(rng: random.Random) -> None:
    """Suggestions plus missing places make up every place of every request."""
    instance = random_instance(rng)
    plan = _plan(instance)
    for r in instance.data.requests:
        suggested = sum(1 for s in plan.suggestions if s.request_id == r.request_id)
        missing = sum(u.missing for u in plan.uncovered if u.request_id == r.request_id)
        assert r.headcount == suggested + missing
        assert (
            len({s.member_id for s in plan.suggestions if s.request_id == r.request_id})
            == suggested
        )


# ----------------------------------------------- against an exhaustive search


def _last_allowed_day(start: dt.date, months: int) -> dt.date:
    """The day before the same day number *months* later (the month's end where it lacks one)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day) - dt.timedelta(days=1)


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def _statically_feasible(instance: Instance, r: Request, m: TeamMember) -> bool:
    """Every rule but capacity, day by day, written without the planner's code."""
    policy = instance.policy
    if len(_days(r.start, r.end)) < policy.min_days or r.end > _last_allowed_day(
        r.start, policy.max_months
    ):
        return False
    if r.task is not None and r.task not in m.competencies:
        return False
    if m.extent < r.extent:
        return False
    away = {
        d
        for a in instance.data.absences
        if a.member_id == m.member_id
        for d in _days(a.start, a.end)
    }
    first, last = VALIDITY[r.district]
    for day in _days(r.start, r.end):
        if day < m.employed_from or (m.employed_to is not None and day > m.employed_to):
            return False
        if day in away or not first <= day <= last:
            return False
    return True


def exhaustive(instance: Instance) -> tuple[tuple[int, ...], int, int]:
    """The best coverage by need level (lexicographic), its place count, and the most places.

    Tries every way to give each open place a distinct member or none.
    """
    data = instance.data
    levels = sorted(set(instance.need.values()), reverse=True)
    live = [a for a in data.assignments if a.status != "cancelled"]
    load: dict[tuple[str, dt.date], float] = {}
    for a in live:
        for day in _days(a.start, a.end):
            load[a.member_id, day] = load.get((a.member_id, day), 0.0) + a.extent
    places: list[tuple[Request, list[TeamMember]]] = []
    for r in data.requests:
        already = sum(1 for a in live if a.request_id == r.request_id)
        able = [m for m in data.members if _statically_feasible(instance, r, m)]
        places += [(r, able)] * (r.headcount - already)
    places.sort(key=lambda p: -instance.need[p[0].district])
    level_of = [levels.index(instance.need[r.district]) for r, _ in places]
    best: list[tuple[int, ...]] = [tuple([0] * len(levels))]
    most = [0]
    used: dict[str, set[str]] = {r.request_id: set() for r in data.requests}

    def fits(r: Request, m: TeamMember) -> bool:
        return all(
            load.get((m.member_id, d), 0.0) + r.extent <= m.extent + 1e-9
            for d in _days(r.start, r.end)
        )

    def search(index: int, covered: list[int]) -> None:
        if index == len(places):
            vector = tuple(covered)
            best[0] = max(best[0], vector)
            most[0] = max(most[0], sum(covered))
            return
        r, candidates = places[index]
        for m in candidates:
            if m.member_id in used[r.request_id] or not fits(r, m):
                continue
            used[r.request_id].add(m.member_id)
            for d in _days(r.start, r.end):
                load[m.member_id, d] = load.get((m.member_id, d), 0.0) + r.extent
            covered[level_of[index]] += 1
            search(index + 1, covered)
            covered[level_of[index]] -= 1
            for d in _days(r.start, r.end):
                load[m.member_id, d] -= r.extent
            used[r.request_id].discard(m.member_id)
        search(index + 1, covered)

    search(0, [0] * len(levels))
    return best[0], sum(best[0]), most[0]


def _planner_vector(instance: Instance, plan: Plan) -> tuple[int, ...]:
    levels = sorted(set(instance.need.values()), reverse=True)
    covered = [0] * len(levels)
    for s in plan.suggestions:
        covered[levels.index(instance.need[s.assignment.district])] += 1
    return tuple(covered)


def test_coverage_is_within_five_percent_of_an_exhaustive_search() -> None:
    """On 300 seeded instances (up to 6 requests, 4 members), places covered against the optimum.

    The reference is the exhaustive search above, maximising the planner's own
    objective: places covered at the highest need level first, then the next
    (lexicographic). Coverage is counted in places (one member for one request);
    the test asserts the planner's total is at least 95 % of the optimum's total
    and that the planner never beats the optimum (it would have broken a rule).
    Every suggestion is also checked against the rules as written here.

    Observed when written (seeds 0-299; 1,238 places asked, 581 in the
    optimum): the planner covered 577 places, ratio 0.993, and reached the
    optimum's vector on 296 of 300 instances; the worst single instance had
    1 place of 2 (a same-level exchange: covering the request received later
    would have left room for a less needed one). With one move at most instead
    of a chain of two: 576 (0.991); the greedy alone, no moves: 566 (0.974).
    The optimum of places alone, need ignored, was 584.
    """
    planner_total = optimum_total = 0
    for seed in range(300):
        instance = random_instance(random.Random(seed))
        plan = _plan(instance)
        vector, optimum, _most = exhaustive(instance)
        mine = _planner_vector(instance, plan)
        assert mine <= vector, f"seed {seed}: the planner beat the optimum"
        for s in plan.suggestions:
            r = next(r for r in instance.data.requests if r.request_id == s.request_id)
            m = next(m for m in instance.data.members if m.member_id == s.member_id)
            assert _statically_feasible(instance, r, m), f"seed {seed}: {s.assignment}"
        planner_total += sum(mine)
        optimum_total += optimum
    assert planner_total >= 0.95 * optimum_total


def test_the_exhaustive_reference_finds_the_hand_worked_optimum() -> None:
    """Two overlapping requests, one member with lvu and one without: both are covered."""
    data = Dataset(
        members=[member("m1", "lvu"), member("m2")],
        requests=[request("r1", "bromma", task="lvu"), request("r2", "farsta")],
    )
    instance = Instance(
        data, {"farsta": 2.0, "bromma": 1.0, "norrmalm": 1.0, "jarva": 1.0}, AssignmentPolicy()
    )
    assert ((1, 1), 2, 2) == exhaustive(instance)
