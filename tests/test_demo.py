"""The demo city: deterministic, plausible, and valid by the library's own rules.

The checks are independent of the generator: district lives come from the
table in the domain notes, month arithmetic and capacity are recomputed by hand
here, and counts are compared with the documented weights and shares.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from socforst import (
    AssignmentStatus,
    Dataset,
    PreassessmentOutcome,
    RuleBook,
    SocforstError,
    ValidationError,
    add_months,
    open_source,
)
from socforst.cases import STOCKHOLM
from socforst.demo import (
    DEMO_SEED,
    PLAN_DAYS,
    REPORT_WEIGHTS,
    DemoSource,
    demo_dataset,
    late_share,
    write_demo,
)
from socforst.sources import Source

SHORT_END = dt.date(2017, 12, 31)

# The district table of the domain notes, written out by hand: code -> (first, last day).
_LAST_OF_14 = dt.date(2020, 6, 30)
_LAST_OF_13 = dt.date(2023, 6, 30)
LIVES: dict[str, tuple[dt.date, dt.date | None]] = {
    **{
        code: (dt.date(2007, 1, 1), None)
        for code in (
            "bromma",
            "enskede-arsta-vantor",
            "farsta",
            "hasselby-vallingby",
            "kungsholmen",
            "skarpnack",
            "skarholmen",
            "sodermalm",
            "socialjouren",
        )
    },
    "hagersten-liljeholmen": (dt.date(2007, 1, 1), _LAST_OF_14),
    "alvsjo": (dt.date(2007, 1, 1), _LAST_OF_14),
    "norrmalm": (dt.date(2007, 1, 1), _LAST_OF_13),
    "ostermalm": (dt.date(2007, 1, 1), _LAST_OF_13),
    "rinkeby-kista": (dt.date(2007, 1, 1), _LAST_OF_13),
    "spanga-tensta": (dt.date(2007, 1, 1), _LAST_OF_13),
    "hagersten-alvsjo": (dt.date(2020, 7, 1), None),
    "jarva": (dt.date(2023, 7, 1), None),
    "norra-innerstaden": (dt.date(2023, 7, 1), None),
}
FOURTEEN = {code for code, (_, last) in LIVES.items() if last is None or last >= _LAST_OF_14}
FOURTEEN -= {"socialjouren", "hagersten-alvsjo", "jarva", "norra-innerstaden"}
THIRTEEN = (FOURTEEN - {"hagersten-liljeholmen", "alvsjo"}) | {"hagersten-alvsjo"}
ELEVEN = (THIRTEEN - {"norrmalm", "ostermalm", "rinkeby-kista", "spanga-tensta"}) | {
    "jarva",
    "norra-innerstaden",
}
COMPETENCIES = {"investigation", "preassessment", "lvu", "coaching", "family_law"}


@pytest.fixture(scope="module")
def short() -> Dataset:
    """Two years of the default city, 2016-2017: one team, about 50,000 reports."""
    return demo_dataset(end=SHORT_END)


@pytest.fixture(scope="module")
def city() -> Dataset:
    """The default demo city, from 2016-01-01 to today, as ``open_source("demo")`` reads it."""
    return open_source("demo").read()


def _lives_through(code: str, first: dt.date, last: dt.date) -> bool:
    born, died = LIVES[code]
    return born <= first and (died is None or last <= died)


def _dated(dataset: Dataset) -> Iterator[tuple[str, str, dt.date, dt.date]]:
    """Every record with a district: (table, district, first day, last day it must exist)."""
    for report in dataset.reports:
        yield "reports", report.district, report.received_on, report.received_on
    for investigation in dataset.investigations:
        day = investigation.opened_on
        yield "investigations", investigation.district, day, day
    for placement in dataset.placements:
        yield "placements", placement.district, placement.started_on, placement.started_on
    for custody in dataset.custodies:
        yield "custodies", custody.district, custody.decided_on, custody.decided_on
    for row in dataset.staffing:
        yield "staffing", row.district, row.on, row.on
    for request in dataset.requests:
        yield "requests", request.district, request.received_on, request.end
    for assignment in dataset.assignments:
        yield "assignments", assignment.district, assignment.start, assignment.end


def _last_allowed_day(start: dt.date) -> dt.date:
    """Four months on, by Lag (1930:173) 1 § (same day number or the month's last), less a day."""
    month = start.month + 4
    year = start.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day) - dt.timedelta(days=1)


def _days(first: dt.date, last: dt.date) -> Iterable[dt.date]:
    for offset in range((last - first).days + 1):
        yield first + dt.timedelta(days=offset)


# ---------------------------------------------------------------------------
# Determinism


def test_the_same_seed_and_dates_give_the_same_city() -> None:
    """Two builds from the same seed and dates are equal, table by table."""
    end = dt.date(2016, 12, 31)
    first, second = demo_dataset(end=end), demo_dataset(end=end)
    for (name, records), (_, again) in zip(first.tables(), second.tables(), strict=True):
        assert records == again, name
    assert first == second


def test_another_seed_gives_another_city() -> None:
    """A different seed changes the members, the requests and the reports."""
    end = dt.date(2016, 6, 30)
    ours, theirs = demo_dataset(end=end), demo_dataset(seed=DEMO_SEED + 1, end=end)
    assert ours.members != theirs.members
    assert ours.requests != theirs.requests
    assert ours.reports != theirs.reports


def test_a_window_keeps_the_reports_of_its_days() -> None:
    """A report keeps its id, district and time whatever window holds its day."""
    wide = demo_dataset(end=dt.date(2017, 6, 30))
    narrow = demo_dataset(start=dt.date(2017, 3, 10), end=dt.date(2017, 4, 30))
    expected = [
        (r.report_id, r.district, r.received_at)
        for r in wide.reports
        if dt.date(2017, 3, 10) <= r.received_on <= dt.date(2017, 4, 30)
    ]
    assert expected == [(r.report_id, r.district, r.received_at) for r in narrow.reports]
    assert wide.members[:5] == narrow.members[:5]


# ---------------------------------------------------------------------------
# Validity


def test_every_record_is_what_its_init_would_have_built(short: Dataset) -> None:
    """Records built without validators equal the same records built through ``__init__``.

    ``attrs.evolve`` with no changes calls the class with every field, so
    validators and converters run (a naive or non-Stockholm time would change).
    """
    for name, records in short.tables():
        for record in records:
            assert attrs.evolve(record) == record, name
    assert all(report.received_at.tzinfo is STOCKHOLM for report in short.reports)


@pytest.mark.parametrize("fixture", ["short", "city"])
def test_every_record_lies_in_a_district_that_existed_on_its_days(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    """Each record's district existed on its date (requests and assignments: every day)."""
    dataset: Dataset = request.getfixturevalue(fixture)
    wrong = [
        (table, code, first, last)
        for table, code, first, last in _dated(dataset)
        if not _lives_through(code, first, last)
    ]
    assert [] == wrong[:5]
    assert dataset.districts == ()  # the built-in registry applies


def test_the_roster_of_the_default_city_has_no_conflicts(city: Dataset) -> None:
    """The library's own roster check finds nothing in the demo city."""
    assert () == city.roster().conflicts()


@pytest.mark.parametrize("fixture", ["short", "city"])
def test_no_member_is_lent_beyond_their_extent_while_away_or_not_employed(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    """A second, day-by-day check of capacity, absences and employment."""
    dataset: Dataset = request.getfixturevalue(fixture)
    members = {member.member_id: member for member in dataset.members}
    away = {
        (absence.member_id, day)
        for absence in dataset.absences
        for day in _days(absence.start, absence.end)
    }
    load: dict[tuple[str, dt.date], float] = defaultdict(float)
    for assignment in dataset.assignments:
        if assignment.status is AssignmentStatus.CANCELLED:
            continue
        member = members[assignment.member_id]
        for day in _days(assignment.start, assignment.end):
            assert member.employed_from <= day
            assert member.employed_to is None or day <= member.employed_to
            assert (member.member_id, day) not in away
            load[(member.member_id, day)] += assignment.extent
    assert all(total <= members[m].extent + 1e-9 for (m, _), total in load.items())


@pytest.mark.parametrize("fixture", ["short", "city"])
def test_assignments_last_one_day_to_four_months_and_fit_their_request(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    """Every assignment is within AssignmentPolicy()'s bounds, its member and its request."""
    dataset: Dataset = request.getfixturevalue(fixture)
    members = {member.member_id: member for member in dataset.members}
    requests = {r.request_id: r for r in dataset.requests}
    for assignment in dataset.assignments:
        assert assignment.start <= assignment.end <= _last_allowed_day(assignment.start)
        member = members[assignment.member_id]
        assert assignment.extent <= member.extent
        assert assignment.task in member.competencies
        asked = requests[assignment.request_id or ""]
        assert (asked.district, asked.start, asked.end, asked.task) == (
            assignment.district,
            assignment.start,
            assignment.end,
            assignment.task,
        )
        assert assignment.extent <= asked.extent


# ---------------------------------------------------------------------------
# The window


def _dates_of(dataset: Dataset) -> Iterator[tuple[str, dt.date]]:
    """Every date at which something was received, decided or done."""
    for report in dataset.reports:
        yield "received", report.received_on
        if report.protection_assessed_at is not None:
            yield "assessed", report.protection_assessed_at.date()
        if report.preassessment_decided_on is not None:
            yield "decided", report.preassessment_decided_on
    for investigation in dataset.investigations:
        yield "opened", investigation.opened_on
        if investigation.closed_on is not None:
            yield "closed", investigation.closed_on
    for extension in dataset.extensions:
        yield "extended", extension.decided_on
    for placement in dataset.placements:
        yield "placed", placement.started_on
        if placement.ended_on is not None:
            yield "placement ended", placement.ended_on
    for review in dataset.reviews:
        yield "reviewed", review.reviewed_on
    for custody in dataset.custodies:
        for day in (
            custody.decided_on,
            custody.enforced_on,
            custody.submitted_to_court_on,
            custody.court_decided_on,
            custody.care_applied_on,
            custody.court_extension_decided_on,
            custody.ended_on,
        ):
            if day is not None:
                yield "custody", day
    for request in dataset.requests:
        yield "request", request.received_on
    for row in dataset.staffing:
        yield "staffing", row.on
    for member in dataset.members:
        yield "employed", member.employed_from
        if member.employed_to is not None:
            yield "left", member.employed_to
    for absence in dataset.absences:
        if absence.kind == "sick":
            yield "sick", absence.start


def test_nothing_happens_after_end(city: Dataset) -> None:
    """Nothing in the default city is received, decided or done after today."""
    today = dt.date.today()
    late = [(what, day) for what, day in _dates_of(city) if day > today]
    assert [] == late[:5]
    assert max(cost.year for cost in city.costs) == today.year
    # Plans reach past today, but no further than the documented horizon.
    assert all(a.end <= today + dt.timedelta(days=PLAN_DAYS) for a in city.assignments)


def test_a_window_holds_only_its_days() -> None:
    """With start and end, nothing happens outside them; open cases stay open at end."""
    start, end = dt.date(2019, 3, 1), dt.date(2019, 9, 30)
    dataset = demo_dataset(start=start, end=end)
    outside = [(what, day) for what, day in _dates_of(dataset) if day > end]
    assert [] == outside[:5]
    assert min(r.received_on for r in dataset.reports) == start
    assert min(q.received_on for q in dataset.requests) >= start
    assert {cost.year for cost in dataset.costs} == {2019}
    assert all(
        member.employed_to is None or member.employed_to >= start for member in dataset.members
    )
    assert any(i.closed_on is None for i in dataset.investigations)


# ---------------------------------------------------------------------------
# Districts and reports


def test_reports_come_from_14_13_and_11_districts_in_2019_2021_and_2024(city: Dataset) -> None:
    """The districts with reports in a year are those of the domain notes' table."""
    by_year: dict[int, set[str]] = defaultdict(set)
    for report in city.reports:
        by_year[report.received_on.year].add(report.district)
    assert FOURTEEN == by_year[2019]
    assert THIRTEEN == by_year[2021]
    assert ELEVEN == by_year[2024]
    assert (14, 13, 11) == (len(by_year[2019]), len(by_year[2021]), len(by_year[2024]))
    assert "socialjouren" not in set().union(*by_year.values())


@pytest.mark.parametrize(("year", "codes"), [(2017, FOURTEEN), (2024, ELEVEN)])
def test_reports_are_shared_in_proportion_to_district_weights(
    year: int, codes: set[str], city: Dataset
) -> None:
    """Each district's share of a year's reports matches its weight.

    The day factors are the same for every district, so given the year's total
    N the counts are multinomial with p = weight / sum of weights: each lies
    within 5 standard deviations sqrt(N p (1 - p)) of N p, a bound a fair draw
    breaks with probability below 1e-6 per district. The weights of the merged
    districts are the sums of their predecessors', worked out here by hand.
    """
    weights = dict(REPORT_WEIGHTS)
    assert 2000 + 700 == weights["hagersten-alvsjo"]
    assert 2600 + 1900 == weights["jarva"]
    assert 1000 + 900 == weights["norra-innerstaden"]
    counts = Counter(r.district for r in city.reports if r.received_on.year == year)
    total = sum(counts.values())
    weight_sum = sum(weights[code] for code in codes)
    for code in codes:
        p = weights[code] / weight_sum
        assert abs(counts[code] - total * p) <= 5 * math.sqrt(total * p * (1 - p)), code


def test_a_year_holds_tens_of_thousands_of_reports(city: Dataset) -> None:
    """About 24,200 reports in 2016 (the sum of the weights), 2 % more each year."""
    counts = Counter(r.received_on.year for r in city.reports)
    assert 24_200 == sum(REPORT_WEIGHTS[code] for code in FOURTEEN)
    for year in (2016, 2020, 2025):
        expected = 24_200 * (1 + 0.02 * (year - 2016))
        assert abs(counts[year] - expected) <= 0.03 * expected, year


def test_preassessments_are_late_in_a_share_within_the_documented_bounds(short: Dataset) -> None:
    """The share of decisions later than day 14 lies within what the documented shares allow.

    late_share is 0.16 (2016) and 0.144 (2017) times a strain of 0.7 to 1.5,
    halved for a report handled by the team: so any mix lies within
    [0.144 * 0.7 / 2, 0.16 * 1.5] = [0.050, 0.240].
    """
    assert (0.16, 0.144) == (late_share(2016), late_share(2017))
    owed = [
        r
        for r in short.reports
        if r.preassessment_decided_on is not None
        and r.preassessment_outcome is not PreassessmentOutcome.ALREADY_OPEN
    ]
    late = [r for r in owed if (r.preassessment_decided_on - r.received_on).days > 14]  # type: ignore[operator]
    share = len(late) / len(owed)
    assert 0.144 * 0.7 / 2 <= share <= 0.16 * 1.5
    with_reason = [r for r in short.reports if r.exceptional_reason is not None]
    assert with_reason
    assert {r.report_id for r in with_reason} <= {r.report_id for r in late}


def test_preassessments_are_late_less_often_after_2020(city: Dataset) -> None:
    """Lateness falls from 2016 to 2021, as the team was meant to make it."""

    def share(year: int) -> float:
        owed = [
            r
            for r in city.reports
            if r.received_on.year == year
            and r.preassessment_decided_on is not None
            and r.preassessment_outcome is not PreassessmentOutcome.ALREADY_OPEN
        ]
        late = [r for r in owed if (r.preassessment_decided_on - r.received_on).days > 14]  # type: ignore[operator]
        return len(late) / len(owed)

    assert share(2016) > share(2018) > share(2022)


def test_every_deadline_kind_of_the_rule_book_appears(short: Dataset) -> None:
    """The case records owe every kind of the Swedish rule book, met, late and overdue."""
    book = RuleBook.swedish()
    evaluated = book.evaluate(short.case_records(), SHORT_END)
    # Skyddat boende under SoL is reviewed only from 2025-07-01 (SoL (2025:400) 22 kap. 13 §).
    assert set(book.kinds) - {"protected_housing_review"} == {d.kind for d in evaluated}
    statuses = {(d.kind, str(d.status)) for d in evaluated}
    for kind in ("preassessment", "investigation"):
        assert {(kind, "met"), (kind, "late"), (kind, "overdue")} <= statuses


def test_the_whole_city_owes_skyddat_boende_reviews_and_every_new_topic(city: Dataset) -> None:
    """From 2025-07-01 some placements are skyddat boende; reviews come on all three topics."""
    protected = [p for p in city.placements if str(p.basis) == "protected_housing"]
    assert protected
    assert all(p.started_on >= dt.date(2025, 7, 1) for p in protected)
    assert {"care", "custody_transfer", "restrictions"} == {str(r.topic) for r in city.reviews}
    placements = {p.placement_id: p for p in city.placements}
    assert city.restrictions
    assert all(placements[x.placement_id].basis.is_lvu for x in city.restrictions)


def test_reports_and_investigations_name_members_lent_to_their_district(city: Dataset) -> None:
    """A handling member was lent (not cancelled) to the case's district on its first day."""
    lent: set[tuple[str, str, dt.date]] = set()
    for a in city.assignments:
        if a.status is not AssignmentStatus.CANCELLED:
            lent.update((a.member_id, a.district, day) for day in _days(a.start, a.end))
    handled = [r for r in city.reports if r.member_id is not None]
    assert handled
    assert all((r.member_id, r.district, r.received_on) in lent for r in handled)
    investigated = [i for i in city.investigations if i.member_id is not None]
    assert investigated
    assert all((i.member_id, i.district, i.opened_on) in lent for i in investigated)


def test_an_investigation_follows_each_opened_decision(short: Dataset) -> None:
    """Opened reports lead to one investigation each, opened on the decision day."""
    opened = {
        r.report_id: r
        for r in short.reports
        if r.preassessment_outcome is PreassessmentOutcome.OPENED
    }
    assert {i.report_id for i in short.investigations} == set(opened)
    # A third of the 80 % that owe a preassessment, less the few not decided yet.
    assert 0.25 <= len(opened) / len(short.reports) <= 0.80 / 3
    for investigation in short.investigations:
        report = opened[investigation.report_id or ""]
        assert investigation.opened_on == report.preassessment_decided_on
    ids = {i.investigation_id for i in short.investigations}
    assert short.extensions
    assert all(e.investigation_id in ids for e in short.extensions)
    placed = {p.placement_id for p in short.placements}
    assert all(r.placement_id in placed for r in short.reviews)
    # protected_housing only from 2025-07-01, when SoL (2025:400) made it a basis of review.
    assert {"sol", "lvu_2", "lvu_3", "lvu_2_3"} == {str(p.basis) for p in short.placements}


# ---------------------------------------------------------------------------
# The team


def test_two_teams_of_about_seven_members(city: Dataset) -> None:
    """Team t1 from 2016-01-01 and t2 from 2021, each with five to seven members at a time."""
    assert [("t1", dt.date(2016, 1, 1)), ("t2", dt.date(2021, 9, 1))] == [
        (team.team_id, team.founded_on) for team in city.teams
    ]
    for day in (dt.date(2017, 6, 1), dt.date(2023, 2, 1), dt.date(2025, 10, 1)):
        for team in city.teams:
            if team.founded_on is not None and team.founded_on <= day:
                employed = [
                    m for m in city.members if m.team_id == team.team_id and m.is_employed_on(day)
                ]
                assert 5 <= len(employed) <= 7, (team.team_id, day)
    for member in city.members:
        assert re.fullmatch(r"m\d{2,}", member.member_id)
        assert member.extent in (1.0, 0.8, 0.5)
        assert "investigation" in member.competencies
        assert member.competencies <= COMPETENCIES
    assert any(member.employed_to is not None for member in city.members)


def test_every_member_has_a_summer_vacation_each_year(city: Dataset) -> None:
    """Four or five weeks from a Monday in late June or July, for every summer employed."""
    vacations = defaultdict(list)
    for absence in city.absences:
        if absence.kind == "vacation" and absence.start.month in (6, 7):
            vacations[absence.member_id].append(absence)
    for member in city.members:
        for year in range(2016, dt.date.today().year):
            summer = (dt.date(year, 6, 1), dt.date(year, 8, 31))
            if member.employed_from <= summer[0] and (
                member.employed_to is None or member.employed_to >= summer[1]
            ):
                found = [a for a in vacations[member.member_id] if a.start.year == year]
                assert len(found) == 1, (member.member_id, year)
                assert found[0].start.weekday() == 0
                assert (found[0].end - found[0].start).days + 1 in (28, 35)


def test_a_members_absences_do_not_overlap(city: Dataset) -> None:
    """One reason to be away at a time, within the employment."""
    by_member = defaultdict(list)
    members = {m.member_id: m for m in city.members}
    for absence in city.absences:
        by_member[absence.member_id].append(absence)
        member = members[absence.member_id]
        assert member.employed_from <= absence.start
        assert member.employed_to is None or absence.end <= member.employed_to
    for absences in by_member.values():
        absences.sort(key=lambda a: a.start)
        for before, after in itertools.pairwise(absences):
            assert before.end < after.start
    assert {"vacation", "sick", "training"} == {str(a.kind) for a in city.absences}


def test_requests_come_at_the_scale_of_the_team_and_most_are_covered(city: Dataset) -> None:
    """About 150 requests a year with one team, 300 with two; most get an assignment."""
    per_year = Counter(r.received_on.year for r in city.requests)
    for year in (2017, 2018, 2019):
        assert 100 <= per_year[year] <= 200, year
    for year in (2023, 2024, 2025):
        assert 240 <= per_year[year] <= 360, year
    live = {a.request_id for a in city.assignments if a.status is not AssignmentStatus.CANCELLED}
    past = [r for r in city.requests if r.received_on.year < dt.date.today().year]
    assert 0.65 <= sum(r.request_id in live for r in past) / len(past) <= 0.95
    assert {"vacancy", "turnover", "peak", "introduction"} == {str(r.reason) for r in city.requests}
    assert {r.task for r in city.requests} == COMPETENCIES
    assert "socialjouren" in {r.district for r in city.requests}


def test_assignment_statuses_follow_the_day_of_the_extract(city: Dataset) -> None:
    """Past ones completed, running ones active, later ones agreed or planned; some cancelled."""
    today = dt.date.today()
    statuses = Counter(str(a.status) for a in city.assignments)
    assert statuses["cancelled"] > 0
    for a in city.assignments:
        if a.status is AssignmentStatus.CANCELLED:
            continue
        if a.end < today:
            assert a.status is AssignmentStatus.COMPLETED
        elif a.start <= today:
            assert a.status is AssignmentStatus.ACTIVE
        else:
            assert a.status in (AssignmentStatus.AGREED, AssignmentStatus.PLANNED)
    live = {a.request_id for a in city.assignments if a.status is not AssignmentStatus.CANCELLED}
    waiting = [r for r in city.requests if r.start > today and r.request_id not in live]
    assert waiting  # a planner has work


# ---------------------------------------------------------------------------
# Follow-up figures


def test_consultants_fall_about_70_percent_from_2016_to_2021(city: Dataset) -> None:
    """The city's consultants, summed over districts, fall by 60-80 % (the documents: 70 %)."""
    totals: dict[dt.date, float] = defaultdict(float)
    for row in city.staffing:
        totals[row.on] += row.consultants or 0.0
    fall = 1 - totals[dt.date(2021, 4, 1)] / totals[dt.date(2016, 10, 1)]
    assert 0.6 <= fall <= 0.8
    assert all(row.on.day == 1 and row.on.month in (1, 4, 7, 10) for row in city.staffing)
    for row in city.staffing:
        assert row.positions is not None
        assert row.vacancies is not None
        assert 0 <= row.vacancies <= row.positions
        assert row.turnover is not None
        assert 0 < row.turnover < 1


def test_costs_come_once_a_year_at_a_plausible_consultant_rate(city: Dataset) -> None:
    """One row per year; a consultant costs 1,000-1,300 SEK an hour, 8 hours a day."""
    years = [cost.year for cost in city.costs]
    assert list(range(2016, dt.date.today().year + 1)) == years
    for cost in city.costs:
        assert 980 <= cost.consultant_rate_sek <= 1_310
        assert 8.0 == cost.hours_per_day
        assert cost.team_cost_sek > 0


# ---------------------------------------------------------------------------
# The source and the exporter


def test_open_source_demo_reads_the_demo_city() -> None:
    """``open_source("demo")`` is a Source; options and a seed in the location are passed on."""
    source = open_source("demo")
    assert isinstance(source, DemoSource)
    assert isinstance(source, Source)
    assert DEMO_SEED == source.seed
    end = dt.date(2016, 2, 29)
    assert demo_dataset(seed=7, end=end) == open_source("demo:7", end="2016-02-29").read()
    assert demo_dataset(seed=7, end=end) == open_source("demo", seed=7, end=end).read()


@pytest.mark.parametrize(
    ("location", "options"),
    [
        ("seven", {}),
        ("--7", {}),
        ("7", {"seed": 8}),
        ("", {"end": "31 December"}),
        ("", {"seed": "7"}),
    ],
)
def test_a_bad_location_or_option_is_one_clear_error(location: str, options: Any) -> None:
    """A location that is no whole number, two seeds, or a bad date: a ValidationError."""
    with pytest.raises(ValidationError) as raised:
        DemoSource(location, **options)
    assert isinstance(raised.value, SocforstError)


def test_dates_out_of_order_or_before_the_city_are_refused() -> None:
    """The city starts on 2016-01-01; end must not come before start."""
    with pytest.raises(ValidationError, match="2016-01-01"):
        demo_dataset(start=dt.date(2015, 12, 31), end=dt.date(2016, 1, 31))
    with pytest.raises(ValidationError, match="'end'"):
        demo_dataset(start=dt.date(2017, 1, 1), end=dt.date(2016, 12, 31))
    with pytest.raises(ValidationError, match="'seed'"):
        demo_dataset(seed=1.5, end=dt.date(2016, 1, 31))  # type: ignore[arg-type]


def test_write_demo_writes_csv_that_reads_back_equal(tmp_path: Path) -> None:
    """The demo city written as CSV files reads back as the same dataset."""
    end = dt.date(2016, 12, 31)
    write_demo(f"csv:{tmp_path}", end=end)
    assert (tmp_path / "reports.csv").is_file()
    expected = demo_dataset(end=end)
    read = open_source(f"csv:{tmp_path}").read()
    assert expected.counts() == read.counts()
    assert all(count > 0 for table, count in read.counts().items() if table != "districts")
    assert expected == read


def test_every_placement_that_has_ended_had_its_owed_reviews(city: Dataset) -> None:
    """A placement never ends with a review owed and undone, so none stays overdue for years.

    Worked from the rule: a period is owed when the placement lasts to its due day
    (six months after the start or the last review); a review on or before the end
    meets it. The check walks the periods by hand with ``add_months``, strict days.
    """
    reviews: dict[str, list[dt.date]] = {}
    for review in city.reviews:
        reviews.setdefault(review.placement_id, []).append(review.reviewed_on)
    unreviewed = []
    for placement in city.placements:
        if placement.ended_on is None:
            continue
        start = placement.started_on
        done = sorted(reviews.get(placement.placement_id, []))
        while add_months(start, 6) <= placement.ended_on:
            if not done:
                unreviewed.append(placement.placement_id)
                break
            start = done.pop(0)
    assert [] == unreviewed
