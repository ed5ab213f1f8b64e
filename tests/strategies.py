"""Hypothesis strategies for socforst's models.

Each ``@st.composite`` strategy returns valid instances of one model; each
``invalid_*`` strategy returns the keyword arguments of a model with exactly
one field broken, together with that field's name, so a test can check that
construction is refused with an error naming it. ``tests/test_strategies.py``
checks that the strategies themselves hold.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
from hypothesis import strategies as st

import socforst
from socforst import (
    Absence,
    AbsenceKind,
    Assignment,
    AssignmentPolicy,
    AssignmentStatus,
    CourtOutcome,
    Custody,
    DateRange,
    District,
    DistrictKind,
    Extension,
    Investigation,
    Placement,
    PlacementBasis,
    PreassessmentOutcome,
    Report,
    Request,
    RequestReason,
    Restriction,
    RestrictionKind,
    Review,
    ReviewTopic,
    Roster,
    Staffing,
    Team,
    TeamMember,
    YearlyCost,
)
from socforst.ids import contains_personal_identity_number

T = TypeVar("T")

EARLIEST = dt.date(2007, 1, 1)
LATEST = dt.date(2030, 12, 31)

ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"

# Extents that add up inexactly in binary floating point (0.1 + 0.2 != 0.3).
EXTENTS = (0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 1.0)

COMPETENCIES = ("investigation", "preassessment", "lvu", "coaching", "family_law")


def dates(min_value: dt.date = EARLIEST, max_value: dt.date = LATEST) -> st.SearchStrategy[dt.date]:
    """Calendar dates in the span socforst's data covers (2007 to 2030)."""
    return st.dates(min_value=min_value, max_value=max_value)


def ids() -> st.SearchStrategy[str]:
    """Opaque ids: 1-64 characters from ``A-Z a-z 0-9 . _ -``, never holding a personnummer."""
    return st.text(alphabet=ID_ALPHABET, min_size=1, max_size=64).filter(
        lambda value: not contains_personal_identity_number(value)
    )


def names() -> st.SearchStrategy[str]:
    """Names as data holds them: printable text, Swedish letters too, no outer spaces.

    A text cell cannot carry leading or trailing spaces, control characters or NUL
    through CSV, spreadsheets and PostgreSQL alike, so names never have them.
    """
    return (
        st.text(
            alphabet=st.characters(
                blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\x00"
            ),
            min_size=1,
            max_size=40,
        )
        .map(lambda text: " ".join(text.split()))
        .filter(bool)
    )


@st.composite
def date_ranges(
    draw: st.DrawFn,
    *,
    min_value: dt.date = EARLIEST,
    max_value: dt.date = LATEST,
    max_days: int = 400,
    allow_open: bool = True,
) -> DateRange:
    """Inclusive ranges of 1 to *max_days* days, or open ones when *allow_open*."""
    start = draw(dates(min_value, max_value))
    if allow_open and draw(st.booleans()):
        return DateRange(start, None)
    length = draw(st.integers(min_value=1, max_value=max_days))
    end = min(start + dt.timedelta(days=length - 1), dt.date.max)
    return DateRange(start, end)


@st.composite
def districts(draw: st.DrawFn) -> District:
    """A single district with a valid code, name, validity and optional successor code."""
    validity = draw(date_ranges(max_days=8000))
    code = draw(st.from_regex(r"[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,2}", fullmatch=True))
    successor = None
    if validity.end is not None and draw(st.booleans()):
        successor = draw(
            st.from_regex(r"[a-z0-9]{1,10}", fullmatch=True).filter(lambda c: c != code)
        )
    return District(
        code=code,
        name=draw(names()),
        valid_from=validity.start,
        valid_to=validity.end,
        successor=successor,
        kind=draw(st.sampled_from(DistrictKind)),
    )


def stockholm_codes() -> st.SearchStrategy[str]:
    """Codes of Stockholm's built-in registry, current and historical."""
    return st.sampled_from(socforst.stockholm().codes)


@st.composite
def teams(draw: st.DrawFn) -> Team:
    """A team with an id, a name and maybe a founding date."""
    return Team(
        team_id=draw(ids()),
        name=draw(names()),
        founded_on=draw(st.none() | dates()),
    )


@st.composite
def team_members(draw: st.DrawFn, member_id: str | None = None) -> TeamMember:
    """A member with an employment of at least a year (or open), an extent and competencies."""
    employment = draw(date_ranges(max_days=6000))
    if employment.end is not None and employment.days < 365:
        employment = DateRange(employment.start, employment.start + dt.timedelta(days=364))
    return TeamMember(
        member_id=member_id if member_id is not None else draw(ids()),
        team_id=draw(ids()),
        name=draw(st.none() | names()),
        employed_from=employment.start,
        employed_to=employment.end,
        extent=draw(st.sampled_from(EXTENTS)),
        competencies=draw(st.frozensets(st.sampled_from(COMPETENCIES), max_size=3)),
    )


@st.composite
def absences(draw: st.DrawFn, member_id: str | None = None) -> Absence:
    """An absence of 1 to 60 days."""
    period = draw(date_ranges(max_days=60, allow_open=False))
    assert period.end is not None
    return Absence(
        member_id=member_id if member_id is not None else draw(ids()),
        start=period.start,
        end=period.end,
        kind=draw(st.sampled_from(AbsenceKind)),
    )


@st.composite
def requests(draw: st.DrawFn) -> Request:
    """A request from a Stockholm district for 1 to 120 days."""
    period = draw(date_ranges(max_days=120, allow_open=False))
    assert period.end is not None
    return Request(
        request_id=draw(ids()),
        district=draw(stockholm_codes()),
        received_on=period.start - dt.timedelta(days=draw(st.integers(0, 60))),
        start=period.start,
        end=period.end,
        headcount=draw(st.integers(1, 5)),
        extent=draw(st.sampled_from(EXTENTS)),
        reason=draw(st.none() | st.sampled_from(RequestReason)),
        task=draw(st.none() | st.sampled_from(COMPETENCIES)),
    )


@st.composite
def assignments(
    draw: st.DrawFn,
    *,
    member_id: str | None = None,
    within: DateRange | None = None,
    max_days: int = 130,
) -> Assignment:
    """An assignment of 1 to *max_days* days, inside *within* if given.

    The district is any Stockholm code, so the district may not exist on every
    day: that is a conflict a roster must report, not an invalid assignment.
    """
    low, high = EARLIEST, LATEST
    if within is not None:
        low = within.start
        high = within.end if within.end is not None else LATEST
    period = draw(date_ranges(min_value=low, max_value=high, max_days=max_days, allow_open=False))
    assert period.end is not None
    end = min(period.end, high)
    return Assignment(
        assignment_id=draw(ids()),
        member_id=member_id if member_id is not None else draw(ids()),
        district=draw(stockholm_codes()),
        start=period.start,
        end=end,
        extent=draw(st.sampled_from(EXTENTS)),
        task=draw(st.none() | st.sampled_from(COMPETENCIES)),
        request_id=draw(st.none() | ids()),
        status=draw(st.sampled_from(AssignmentStatus)),
    )


def policies() -> st.SearchStrategy[AssignmentPolicy]:
    """Policies with a minimum of 1 to 10 days and a maximum of 1 to 12 months."""
    return st.builds(
        AssignmentPolicy,
        min_days=st.integers(1, 10),
        max_months=st.integers(1, 12),
    )


@st.composite
def rosters(draw: st.DrawFn, *, max_members: int = 3, max_assignments: int = 12) -> Roster:
    """A roster of a few members, their absences and assignments in a shared window.

    Assignments crowd a window of about a year so that they often overlap: many
    rosters have capacity conflicts and many have none. Some assignments fall
    partly outside employment or during absences, some are cancelled.
    """
    window_start = draw(dates(dt.date(2018, 1, 1), dt.date(2026, 1, 1)))
    window = DateRange(window_start, window_start + dt.timedelta(days=365))
    member_ids = draw(st.lists(ids(), min_size=1, max_size=max_members, unique=True))
    members = [draw(team_members(member_id=member_id)) for member_id in member_ids]
    the_absences = [
        draw(absences(member_id=draw(st.sampled_from(member_ids))))
        for _ in range(draw(st.integers(0, 4)))
    ]
    the_assignments = [
        draw(assignments(member_id=draw(st.sampled_from(member_ids)), within=window))
        for _ in range(draw(st.integers(0, max_assignments)))
    ]
    unique_ids = {a.assignment_id for a in the_assignments}
    if len(unique_ids) < len(the_assignments):
        the_assignments = list({a.assignment_id: a for a in the_assignments}.values())
    return Roster(
        members=members,
        absences=the_absences,
        assignments=the_assignments,
        policy=draw(policies()),
    )


# ---------------------------------------------------------------- invalid input

Broken = tuple[dict[str, Any], str]
"""Keyword arguments for a model with one field broken, and that field's name."""


def _valid_member_kwargs() -> dict[str, Any]:
    return {
        "member_id": "m1",
        "team_id": "t1",
        "employed_from": dt.date(2016, 1, 4),
        "employed_to": dt.date(2020, 12, 31),
        "extent": 0.5,
        "competencies": frozenset({"lvu"}),
    }


def _valid_assignment_kwargs() -> dict[str, Any]:
    return {
        "assignment_id": "a1",
        "member_id": "m1",
        "district": "farsta",
        "start": dt.date(2025, 1, 1),
        "end": dt.date(2025, 4, 30),
        "extent": 1.0,
        "status": AssignmentStatus.AGREED,
    }


def invalid_ids() -> st.SearchStrategy[object]:
    """Values that are not acceptable ids, personal identity numbers among them."""
    return st.one_of(
        st.just(""),
        st.text(alphabet=ID_ALPHABET, min_size=65, max_size=80),
        st.text(min_size=1, max_size=20).filter(
            lambda value: any(c not in ID_ALPHABET for c in value)
        ),
        st.sampled_from(["811218-9876", "8112189876", "19811218-9876", "811278-9873"]),
        st.integers(),
        st.none(),
    )


def invalid_extents() -> st.SearchStrategy[object]:
    """Values outside (0, 1] or not numbers at all."""
    return st.one_of(
        st.floats(max_value=0.0),
        st.floats(min_value=1.0, exclude_min=True),
        st.sampled_from([math.nan, math.inf, -math.inf, True, "0.5", None]),
        st.integers(max_value=0),
        st.integers(min_value=2),
    )


def invalid_dates() -> st.SearchStrategy[object]:
    """Values that are not calendar dates: datetimes, strings, numbers."""
    return st.one_of(
        st.datetimes(),
        st.sampled_from(["2025-01-01", 20250101, None]),
    )


@st.composite
def invalid_date_ranges(draw: st.DrawFn) -> Broken:
    """``DateRange`` arguments whose end is before the start."""
    start = draw(dates())
    end = start - dt.timedelta(days=draw(st.integers(1, 1000)))
    return {"start": start, "end": end}, "end"


def _broken(
    valid: Callable[[], dict[str, Any]], fields: dict[str, st.SearchStrategy[object]]
) -> st.SearchStrategy[Broken]:
    @st.composite
    def build(draw: st.DrawFn) -> Broken:
        field = draw(st.sampled_from(sorted(fields)))
        kwargs = valid()
        kwargs[field] = draw(fields[field])
        return kwargs, field

    return build()


def invalid_team_members() -> st.SearchStrategy[Broken]:
    """``TeamMember`` arguments with one bad id, date, extent, competency set or end."""
    return _broken(
        _valid_member_kwargs,
        {
            "member_id": invalid_ids(),
            "team_id": invalid_ids(),
            "employed_from": invalid_dates(),
            "employed_to": st.dates(max_value=dt.date(2016, 1, 3)),
            "extent": invalid_extents(),
            "competencies": st.sampled_from(["lvu", frozenset({"two words"}), frozenset({""})]),
        },
    )


def invalid_assignments() -> st.SearchStrategy[Broken]:
    """``Assignment`` arguments with one bad id, district code, date, extent or status."""
    return _broken(
        _valid_assignment_kwargs,
        {
            "assignment_id": invalid_ids(),
            "member_id": invalid_ids(),
            "district": st.sampled_from(["Älvsjö", "Farsta", "far sta", "", "-x"]),
            "start": invalid_dates(),
            "end": st.dates(max_value=dt.date(2024, 12, 31)),
            "extent": invalid_extents(),
            "status": st.sampled_from(["done", "", 3]),
        },
    )


def invalid_absences() -> st.SearchStrategy[Broken]:
    """``Absence`` arguments with one bad field."""

    def valid() -> dict[str, Any]:
        return {"member_id": "m1", "start": dt.date(2025, 7, 1), "end": dt.date(2025, 7, 31)}

    return _broken(
        valid,
        {
            "member_id": invalid_ids(),
            "end": st.dates(max_value=dt.date(2025, 6, 30)),
            "kind": st.sampled_from(["holiday", "", 1]),
        },
    )


def invalid_requests() -> st.SearchStrategy[Broken]:
    """``Request`` arguments with one bad field."""

    def valid() -> dict[str, Any]:
        return {
            "request_id": "r1",
            "district": "jarva",
            "received_on": dt.date(2024, 1, 10),
            "start": dt.date(2024, 2, 1),
            "end": dt.date(2024, 3, 31),
        }

    return _broken(
        valid,
        {
            "request_id": invalid_ids(),
            "district": st.sampled_from(["Järva", "JARVA", ""]),
            "end": st.dates(max_value=dt.date(2024, 1, 31)),
            "headcount": st.one_of(st.integers(max_value=0), st.sampled_from([1.5, True, "2"])),
            "extent": invalid_extents(),
            "reason": st.sampled_from(["lazy", 0]),
        },
    )


# ---------------------------------------------------------------- case records

STOCKHOLM_ZONE = dt.timezone(dt.timedelta(hours=1))


@st.composite
def instants(
    draw: st.DrawFn, min_value: dt.date = EARLIEST, max_value: dt.date = LATEST
) -> dt.datetime:
    """A moment as data brings it: naive local, UTC, or another fixed offset."""
    day = draw(dates(min_value, max_value))
    moment = dt.datetime.combine(day, draw(st.times()))
    zone = draw(
        st.sampled_from([None, dt.UTC, dt.timezone(dt.timedelta(hours=-5)), STOCKHOLM_ZONE])
    )
    return moment if zone is None else moment.replace(tzinfo=zone)


@st.composite
def reports(draw: st.DrawFn) -> Report:
    """A report received 2015-2026, assessed and decided or not, some late, some already open.

    Some count as received on an earlier day (förvaltningslagen 22 §: posted).
    """
    received = draw(instants(dt.date(2015, 1, 1), dt.date(2026, 12, 31)))
    report = Report(
        report_id=draw(ids()),
        district=draw(stockholm_codes()),
        received_at=received,
        member_id=draw(st.none() | ids()),
    )
    decided = None
    if draw(st.booleans()):
        decided = report.received_on + dt.timedelta(days=draw(st.integers(0, 40)))
    assessed = None
    if draw(st.booleans()):
        # Hours of elapsed time, counted in UTC: wall-clock arithmetic in Stockholm
        # time can land in the hour skipped in spring, which names no instant.
        hours = dt.timedelta(hours=draw(st.integers(0, 60)))
        assessed = (report.received_at.astimezone(dt.UTC) + hours).astimezone(STOCKHOLM_ZONE)
    # FL (2017:900) 22 §: a posted report may count as received up to four days earlier
    # (the previous working day, across Easter), never later.
    counts_as = draw(
        st.none() | st.integers(0, 4).map(lambda n: report.received_on - dt.timedelta(days=n))
    )
    return attrs.evolve(
        report,
        counts_as_received_on=counts_as,
        protection_assessed_at=assessed,
        preassessment_decided_on=decided,
        preassessment_outcome=draw(st.none() | st.sampled_from(PreassessmentOutcome)),
        exceptional_reason=draw(st.none() | st.sampled_from(["synnerliga skäl", "tolk saknades"])),
    )


@st.composite
def investigations(draw: st.DrawFn) -> Investigation:
    """An investigation opened 2015-2026, closed within eight months or still open."""
    opened = draw(dates(dt.date(2015, 1, 1), dt.date(2026, 12, 31)))
    closed = draw(st.none() | st.integers(0, 240).map(lambda n: opened + dt.timedelta(days=n)))
    return Investigation(
        investigation_id=draw(ids()),
        district=draw(stockholm_codes()),
        opened_on=opened,
        report_id=draw(st.none() | ids()),
        closed_on=closed,
        member_id=draw(st.none() | ids()),
    )


@st.composite
def extensions(draw: st.DrawFn, investigation: Investigation | None = None) -> Extension:
    """An extension decided around four months after the opening, until some weeks later."""
    opened = investigation.opened_on if investigation else draw(dates())
    decided = opened + dt.timedelta(days=draw(st.integers(90, 150)))
    return Extension(
        investigation_id=investigation.investigation_id if investigation else draw(ids()),
        decided_on=decided,
        until=decided + dt.timedelta(days=draw(st.integers(1, 90))),
        reason=draw(st.none() | st.just("särskilda skäl")),
    )


@st.composite
def placements(draw: st.DrawFn) -> Placement:
    """A placement under SoL or LVU, ended within three years or still running."""
    started = draw(dates(dt.date(2015, 1, 1), dt.date(2026, 12, 31)))
    ended = draw(st.none() | st.integers(0, 1100).map(lambda n: started + dt.timedelta(days=n)))
    # LVU 13 § second paragraph: care under 3 § may be enforced some weeks after the
    # placement began on an immediate custody.
    enforced = draw(st.none() | st.integers(0, 90).map(lambda n: started + dt.timedelta(days=n)))
    # LVU 5 §: the care decision gains legal force some weeks before or after care began.
    final = draw(st.none() | st.integers(-60, 40).map(lambda n: started + dt.timedelta(days=n)))
    # The present family home: from the start, or a move some months into the placement
    # (before 2022-07-01 too, where the three-year and transition rules apply).
    family_home = draw(
        st.none() | st.integers(-30, 900).map(lambda n: started + dt.timedelta(days=n))
    )
    if family_home is not None and ended is not None and family_home > ended:
        family_home = None
    return Placement(
        placement_id=draw(ids()),
        district=draw(stockholm_codes()),
        basis=draw(st.sampled_from(PlacementBasis)),
        started_on=started,
        care_enforced_on=enforced,
        care_decision_final_on=final,
        family_home_from=family_home,
        ended_on=ended,
    )


@st.composite
def reviews(draw: st.DrawFn, placement: Placement | None = None) -> Review:
    """A review some months into a placement."""
    started = placement.started_on if placement else draw(dates())
    return Review(
        placement_id=placement.placement_id if placement else draw(ids()),
        reviewed_on=started + dt.timedelta(days=draw(st.integers(0, 1200))),
        topic=draw(st.sampled_from(ReviewTopic)),
    )


@st.composite
def restrictions(draw: st.DrawFn, placement: Placement | None = None) -> Restriction:
    """A restriction under LVU 14 § of a placement, decided some time into it, ended or not."""
    started = placement.started_on if placement else draw(dates())
    decided = started + dt.timedelta(days=draw(st.integers(0, 400)))
    ended = draw(st.none() | st.integers(0, 500).map(lambda n: decided + dt.timedelta(days=n)))
    return Restriction(
        restriction_id=draw(ids()),
        placement_id=placement.placement_id if placement else draw(ids()),
        district=placement.district if placement else draw(stockholm_codes()),
        kind=draw(st.sampled_from(RestrictionKind)),
        decided_on=decided,
        ended_on=ended,
    )


@st.composite
def custodies(draw: st.DrawFn) -> Custody:
    """An immediate custody under LVU 6 §, enforced, submitted and applied for or not.

    The court's decision, an extension of the time for the application and the
    end are each present or not, independently.
    """
    decided = draw(dates(dt.date(2015, 1, 1), dt.date(2026, 12, 31)))

    def later(low: int, high: int) -> st.SearchStrategy[dt.date | None]:
        return st.none() | st.integers(low, high).map(lambda n: decided + dt.timedelta(days=n))

    court_decided = draw(later(3, 20))
    extension_until = draw(later(30, 60))
    return Custody(
        custody_id=draw(ids()),
        district=draw(stockholm_codes()),
        decided_on=decided,
        enforced_on=draw(later(0, 3)),
        submitted_to_court_on=draw(later(0, 12)),
        court_decided_on=court_decided,
        court_outcome=draw(st.none() | st.sampled_from(CourtOutcome)),
        care_applied_on=draw(later(0, 40)),
        court_extension_decided_on=None if extension_until is None else draw(later(10, 35)),
        court_extension_until=extension_until,
        ended_on=draw(later(0, 90)),
    )


# ------------------------------------------------------------- follow-up figures


@st.composite
def staffing(draw: st.DrawFn) -> Staffing:
    """A district's staffing on a day: counts, maybe missing, and a turnover fraction."""
    count = st.none() | st.integers(0, 200).map(float)
    return Staffing(
        district=draw(stockholm_codes()),
        on=draw(dates()),
        positions=draw(count),
        vacancies=draw(count),
        consultants=draw(count),
        turnover=draw(st.none() | st.sampled_from([0.0, 0.1, 0.25, 0.3, 0.55])),
    )


@st.composite
def yearly_costs(draw: st.DrawFn) -> YearlyCost:
    """A year's team cost and consultant rate."""
    return YearlyCost(
        year=draw(st.integers(2015, 2030)),
        team_cost_sek=float(draw(st.integers(0, 20_000_000))),
        consultant_rate_sek=float(draw(st.integers(500, 1500))),
        hours_per_day=draw(st.sampled_from([7.5, 8.0])),
    )


def added_districts() -> st.SearchStrategy[District]:
    """Districts a dataset may add to Stockholm's: new codes, no successor.

    A loaded dataset's districts must make a consistent history with the built-in
    registry, which a random successor would not.
    """
    built_in = frozenset(socforst.stockholm().codes)
    return (
        districts()
        .filter(lambda d: d.code not in built_in)
        .map(lambda d: attrs.evolve(d, successor=None))
    )
