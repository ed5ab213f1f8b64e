"""The common queries against small datasets whose answers were worked out by hand.

Each test builds its own few records; the comments show the arithmetic. The
calendar facts relied on (Lag (1930:173) 2 §: weekends, public holidays,
midsummer eve, Christmas eve and New Year's eve are not working days):

- 2019: Mon 30 Dec, Tue 31 Dec New Year's eve.
- 2020: Wed 1 Jan New Year's Day; midsummer eve Fri 19 Jun.
- 2024: Easter: Good Friday 29 Mar, Easter Monday 1 Apr.
- 2025: Good Friday 18 Apr, Easter Sunday 20 Apr, Easter Monday 21 Apr,
  May Day Thu 1 May, Ascension Thu 29 May, National Day Fri 6 Jun,
  midsummer eve Fri 20 Jun.
- April 2025 has 30 days, 8 of them weekend days (5-6, 12-13, 19-20, 26-27)
  and 2 weekday holidays (18, 21): 20 working days. May 2025 has 31 days,
  9 weekend days (3-4, 10-11, 17-18, 24-25, 31) and 2 weekday holidays
  (1, 29): 20 working days.

District codes (districts.py): ``hagersten-liljeholmen`` and ``alvsjo`` became
``hagersten-alvsjo`` on 2020-07-01; ``rinkeby-kista`` and ``spanga-tensta``
became ``jarva`` on 2023-07-01; 11 districts exist from 2023-07-01.
"""

from __future__ import annotations

import datetime as dt
import json

import attrs
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from socforst import (
    Absence,
    Assignment,
    ConflictKind,
    Dataset,
    DateRange,
    DeadlineStatus,
    EvaluatedDeadline,
    Extension,
    Investigation,
    OpenRangeError,
    Report,
    Roster,
    RuleBook,
    Staffing,
    Team,
    TeamMember,
    UnknownDistrictError,
    UnknownRecordError,
    ValidationError,
    YearlyCost,
    swedish_calendar,
)
from socforst.queries import (
    ALL_DISTRICTS,
    NEED_FACTORS,
    NEED_WEIGHTS,
    ComplianceRow,
    CostRow,
    DeadlineCount,
    DistrictDaysRow,
    FreeDay,
    FreeStretch,
    UtilisationRow,
    availability,
    compliance,
    costs,
    count_deadlines,
    deadlines_on,
    district_days,
    free_stretches,
    need_ranking,
    utilisation,
)
from tests.strategies import assignments as assignment_strategy
from tests.strategies import investigations as investigation_strategy
from tests.strategies import reports as report_strategy
from tests.strategies import rosters

D = dt.date


def report(
    report_id: str,
    district: str,
    received_on: dt.date,
    decided_on: dt.date | None = None,
    *,
    member_id: str | None = None,
    outcome: str | None = None,
) -> Report:
    """A report received at 10:00, its protection assessment made at once (so it is met)."""
    received_at = dt.datetime.combine(received_on, dt.time(10, 0))
    return Report(
        report_id=report_id,
        district=district,
        received_at=received_at,
        protection_assessed_at=received_at,
        preassessment_decided_on=decided_on,
        preassessment_outcome=outcome if outcome else ("opened" if decided_on else None),
        member_id=member_id,
    )


def member(
    member_id: str,
    team_id: str,
    employed_from: dt.date,
    employed_to: dt.date | None = None,
    extent: float = 1.0,
) -> TeamMember:
    return TeamMember(
        member_id=member_id,
        team_id=team_id,
        employed_from=employed_from,
        employed_to=employed_to,
        extent=extent,
    )


def assignment(
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


# ---------------------------------------------------------------- deadlines


def deadline_dataset() -> Dataset:
    """Reports evaluated on Wednesday 2025-06-18.

    - r1 farsta, received Mon 06-02, undecided: due 06-16, overdue.
    - r2 hagersten-alvsjo, received Thu 06-05: due 06-19, one day left: due_soon;
      its decision of 06-19 comes after the day asked about.
    - r3 alvsjo, received 2019-03-01, never decided: due 2019-03-15, overdue;
      alvsjo is part of hagersten-alvsjo since 2020-07-01.
    - r4 farsta, received 06-01, decided 06-10: met.
    - r5 farsta, received 06-10: due 06-24, six days left: open.
    - r6 farsta, received 06-20: after the day asked about, not there yet.
    - r7 bromma, received 06-02, already_open: owes no preassessment.
    """
    return Dataset(
        members=[member("m1", "t1", D(2020, 1, 1)), member("m2", "t1", D(2020, 1, 1))],
        reports=[
            report("r1", "farsta", D(2025, 6, 2), member_id="m1"),
            report("r2", "hagersten-alvsjo", D(2025, 6, 5), D(2025, 6, 19), member_id="m2"),
            report("r3", "alvsjo", D(2019, 3, 1)),
            report("r4", "farsta", D(2025, 6, 1), D(2025, 6, 10), member_id="m1"),
            report("r5", "farsta", D(2025, 6, 10), member_id="m1"),
            report("r6", "farsta", D(2025, 6, 20), member_id="m1"),
            report("r7", "bromma", D(2025, 6, 2), D(2025, 6, 2), outcome="already_open"),
        ],
    )


AS_OF = D(2025, 6, 18)


def test_overdue_and_due_soon_deadlines_are_listed_by_due_date() -> None:
    """By default only overdue and due-soon deadlines, sorted by due date."""
    found = deadlines_on(deadline_dataset(), AS_OF)
    expected = [
        ("r3", D(2019, 3, 15), DeadlineStatus.OVERDUE),
        ("r1", D(2025, 6, 16), DeadlineStatus.OVERDUE),
        ("r2", D(2025, 6, 19), DeadlineStatus.DUE_SOON),
    ]
    assert expected == [(d.subject_id, d.due_on, d.status) for d in found]
    assert {"preassessment"} == {d.kind for d in found}
    # The decision of r2 is dated after the day asked about: it had not happened.
    assert None is found[2].met_on


def test_statuses_choose_what_is_listed() -> None:
    """Asking for met and open deadlines lists those instead."""
    found = deadlines_on(deadline_dataset(), AS_OF, statuses=("met", "open"))
    # Met: the protection assessments of r1-r5 (each made at once) and r7, and
    # the preassessment of r4. Open: the preassessment of r5 (due 06-24).
    pairs = [(d.kind, d.subject_id, d.status.value) for d in found]
    assert ("preassessment", "r4", "met") in pairs
    assert ("preassessment", "r5", "open") in pairs
    assert 8 == len(pairs)
    assert [] == [p for p in pairs if p[1] == "r6"]


def test_a_district_includes_the_records_of_its_predecessors() -> None:
    """hagersten-alvsjo on 2025-06-18 includes alvsjo's records; alvsjo only its own."""
    dataset = deadline_dataset()
    assert ["r3", "r2"] == [
        d.subject_id for d in deadlines_on(dataset, AS_OF, district="hagersten-alvsjo")
    ]
    assert ["r3"] == [d.subject_id for d in deadlines_on(dataset, AS_OF, district="alvsjo")]
    assert ["r1"] == [d.subject_id for d in deadlines_on(dataset, AS_OF, district="farsta")]


def test_a_member_sees_the_deadlines_of_the_records_they_handle() -> None:
    """member_id filters on the deadline's member, taken from its report."""
    assert ["r1"] == [d.subject_id for d in deadlines_on(deadline_dataset(), AS_OF, member_id="m1")]


def test_the_roll_forward_book_moves_a_due_date_off_midsummer_eve() -> None:
    """A report received Fri 06-06 is due Fri 06-20 (midsummer eve) or Mon 06-23."""
    dataset = Dataset(reports=[report("r1", "farsta", D(2025, 6, 6))])
    strict = deadlines_on(dataset, AS_OF)
    # 06-20 is two days after 06-18: due soon.
    assert [(D(2025, 6, 20), DeadlineStatus.DUE_SOON)] == [(d.due_on, d.status) for d in strict]
    rolled = deadlines_on(dataset, AS_OF, book=RuleBook.swedish(roll_forward=True))
    # Five days left to Monday 06-23: open, not listed.
    assert () == rolled


def test_deadlines_are_counted_by_district_and_by_member() -> None:
    """Counts by key and status; deadlines without a member are counted under None, last."""
    found = deadlines_on(deadline_dataset(), AS_OF)
    assert (
        DeadlineCount("district", "alvsjo", "overdue", 1),
        DeadlineCount("district", "farsta", "overdue", 1),
        DeadlineCount("district", "hagersten-alvsjo", "due_soon", 1),
    ) == count_deadlines(found)
    assert (
        DeadlineCount("member_id", "m1", "overdue", 1),
        DeadlineCount("member_id", "m2", "due_soon", 1),
        DeadlineCount("member_id", None, "overdue", 1),
    ) == count_deadlines(found, by="member_id")


def test_counts_by_district_can_be_crosswalked() -> None:
    """On 2025-06-18, alvsjo's overdue r3 counts under hagersten-alvsjo beside r2."""
    found = deadlines_on(deadline_dataset(), AS_OF)
    assert (
        DeadlineCount("district", "farsta", "overdue", 1),
        DeadlineCount("district", "hagersten-alvsjo", "overdue", 1),
        DeadlineCount("district", "hagersten-alvsjo", "due_soon", 1),
    ) == count_deadlines(found, crosswalk_on=AS_OF)


def test_counts_of_one_key_follow_the_order_of_statuses() -> None:
    """met, late, overdue, due_soon, open: the order of DeadlineStatus."""
    found = deadlines_on(
        deadline_dataset(), AS_OF, statuses=("open", "met", "overdue"), district="farsta"
    )
    # farsta: met = protection assessments of r1, r4, r5 and the preassessment of r4;
    # overdue = r1; open = r5.
    assert (
        DeadlineCount("district", "farsta", "met", 4),
        DeadlineCount("district", "farsta", "overdue", 1),
        DeadlineCount("district", "farsta", "open", 1),
    ) == count_deadlines(found)


def test_bad_deadline_questions_are_refused_with_clear_errors() -> None:
    """Unknown status, district, member and count key each raise a named error."""
    dataset = deadline_dataset()
    with pytest.raises(
        ValidationError, match=r"'overdue', 'due_soon'.*got a value of 5 characters"
    ):
        deadlines_on(dataset, AS_OF, statuses=("late!",))
    with pytest.raises(ValidationError, match="at least one"):
        deadlines_on(dataset, AS_OF, statuses=())
    with pytest.raises(UnknownDistrictError, match="'alvsjoo'"):
        deadlines_on(dataset, AS_OF, district="alvsjoo")
    with pytest.raises(UnknownRecordError, match="no record with the id asked for"):
        deadlines_on(dataset, AS_OF, member_id="m9")
    with pytest.raises(ValidationError, match="'district', 'member_id'"):
        count_deadlines([], by="team")
    with pytest.raises(ValidationError, match="as_of"):
        deadlines_on(dataset, dt.datetime(2025, 6, 18, 12, 0))


# ---------------------------------------------------------------- compliance


def test_easter_monday_is_met_under_roll_forward_and_late_under_strict_days() -> None:
    """Farsta's April 2025 reports, measured on 2025-05-31.

    - received Tue 04-01: due Tue 04-15, decided 04-10: met under both readings.
    - received Mon 04-07: day 14 is Easter Monday 04-21; under roll-forward the
      next working day, Tue 04-22. Decided 04-22: late strict, met roll-forward.
    - received Mon 04-14: due Mon 04-28, never decided: missed under both.
    - received Fri 04-25: due Fri 05-09, decided Mon 05-12: late under both.
    - received Tue 05-20: due Tue 06-03, after 05-31 and undecided: not owed yet,
      so May has no row.

    owed 4; met strict 1 (share 1/4 = 0.25), met roll-forward 2 (2/4 = 0.5);
    difference 0.25. None has a reason, so none is justified: late strict 3 (b, c, d),
    late roll-forward 2 (c, d).
    """
    dataset = Dataset(
        reports=[
            report("a", "farsta", D(2025, 4, 1), D(2025, 4, 10)),
            report("b", "farsta", D(2025, 4, 7), D(2025, 4, 22)),
            report("c", "farsta", D(2025, 4, 14)),
            report("d", "farsta", D(2025, 4, 25), D(2025, 5, 12)),
            report("e", "farsta", D(2025, 5, 20)),
        ]
    )
    assert (
        ComplianceRow(
            district="farsta",
            month=D(2025, 4, 1),
            owed=4,
            met_strict=1,
            met_roll_forward=2,
            justified_strict=0,
            justified_roll_forward=0,
            late_strict=3,
            late_roll_forward=2,
            share_strict=0.25,
            share_roll_forward=0.5,
            difference=0.25,
        ),
    ) == compliance(dataset, as_of=D(2025, 5, 31))


def test_a_deadline_still_running_under_roll_forward_is_not_owed_yet() -> None:
    """Received Sat 05-10: strict due Sat 05-24, roll-forward due Mon 05-26.

    Undecided on Sun 05-25, it is not settled under both readings: not owed.
    On 05-26 (end of day) it is owed and missed under both.
    """
    dataset = Dataset(reports=[report("a", "bromma", D(2025, 5, 10))])
    assert () == compliance(dataset, as_of=D(2025, 5, 25))
    (row,) = compliance(dataset, as_of=D(2025, 5, 26))
    assert (1, 0, 0) == (row.owed, row.met_strict, row.met_roll_forward)


def test_a_decision_after_the_day_asked_about_has_not_happened() -> None:
    """Received 04-01, decided 04-10; asked on 04-09 the report is not owed (due 04-15)."""
    dataset = Dataset(reports=[report("a", "farsta", D(2025, 4, 1), D(2025, 4, 10))])
    assert () == compliance(dataset, as_of=D(2025, 4, 9))
    (row,) = compliance(dataset, as_of=D(2025, 4, 10))
    assert (1, 1, 1) == (row.owed, row.met_strict, row.met_roll_forward)


def test_compliance_crosswalks_old_districts_to_their_successors() -> None:
    """Two March 2019 reports, counted under hagersten-alvsjo on 2024-01-01.

    - hagersten-liljeholmen, received Fri 03-01, decided 03-08 (due 03-15): met.
    - alvsjo, received Mon 03-04, decided 03-25 (due Mon 03-18): late under both.

    Crosswalked: one row, owed 2, met 1 under both readings (0.5). Without
    the crosswalk: one row per recorded district.
    """
    dataset = Dataset(
        reports=[
            report("a", "hagersten-liljeholmen", D(2019, 3, 1), D(2019, 3, 8)),
            report("b", "alvsjo", D(2019, 3, 4), D(2019, 3, 25)),
        ]
    )
    as_of = D(2024, 1, 1)
    crosswalked = compliance(dataset, as_of=as_of, crosswalk_on=as_of)
    assert [("hagersten-alvsjo", D(2019, 3, 1), True, 2, 0, 1, 1, 0, 0, 1, 1, 0.5, 0.5, 0.0)] == [
        attrs.astuple(row) for row in crosswalked
    ]
    recorded = compliance(dataset, as_of=as_of)
    assert [("alvsjo", 1, 0), ("hagersten-liljeholmen", 1, 1)] == [
        (row.district, row.owed, row.met_strict) for row in recorded
    ]


def investigation_dataset() -> Dataset:
    """Bromma investigations, measured on 2025-09-01.

    - i1 opened 2024-10-31: four months is 2025-02-28 (Fri; Feb has no 31st),
      closed 03-03: late under both.
    - i2 opened 2025-01-15: due Thu 05-15, closed 05-15: met under both.
    - i3 opened 2025-02-06: due Fri 06-06, National Day; roll-forward Mon 06-09.
      Closed 06-09: late strict, met roll-forward.
    - i4 opened 2025-02-10: due Tue 06-10, extended on 06-01 (in time) until
      07-31, closed 07-20: met under both.
    - i5 opened 2025-06-01: due 10-01, open on 09-01: not owed.
    """
    return Dataset(
        investigations=[
            Investigation(
                investigation_id="i1",
                district="bromma",
                opened_on=D(2024, 10, 31),
                closed_on=D(2025, 3, 3),
            ),
            Investigation(
                investigation_id="i2",
                district="bromma",
                opened_on=D(2025, 1, 15),
                closed_on=D(2025, 5, 15),
            ),
            Investigation(
                investigation_id="i3",
                district="bromma",
                opened_on=D(2025, 2, 6),
                closed_on=D(2025, 6, 9),
            ),
            Investigation(
                investigation_id="i4",
                district="bromma",
                opened_on=D(2025, 2, 10),
                closed_on=D(2025, 7, 20),
            ),
            Investigation(investigation_id="i5", district="bromma", opened_on=D(2025, 6, 1)),
        ],
        extensions=[
            Extension(investigation_id="i4", decided_on=D(2025, 6, 1), until=D(2025, 7, 31))
        ],
    )


def test_investigations_within_four_months_per_month_opened() -> None:
    """October 2024: 0 of 1; January 2025: 1 of 1; February 2025: 1 or 2 of 2."""
    rows = compliance(investigation_dataset(), kind="investigation", as_of=D(2025, 9, 1))
    assert [
        ("bromma", D(2024, 10, 1), True, 1, 0, 0, 0, 0, 0, 1, 1, 0.0, 0.0, 0.0),
        ("bromma", D(2025, 1, 1), True, 1, 0, 1, 1, 0, 0, 0, 0, 1.0, 1.0, 0.0),
        ("bromma", D(2025, 2, 1), True, 2, 0, 1, 2, 0, 0, 1, 0, 0.5, 1.0, 0.5),
    ] == [attrs.astuple(row) for row in rows]


def test_a_period_keeps_the_deadlines_that_started_in_it() -> None:
    """Only February 2025's investigations."""
    rows = compliance(
        investigation_dataset(),
        kind="investigation",
        as_of=D(2025, 9, 1),
        period=DateRange(D(2025, 2, 1), D(2025, 2, 28)),
    )
    assert [D(2025, 2, 1)] == [row.month for row in rows]


@given(
    st.lists(report_strategy(), max_size=12, unique_by=lambda r: r.report_id),
    st.dates(D(2015, 1, 1), D(2027, 6, 30)),
)
def test_preassessment_compliance_agrees_with_evaluating_report_by_report(
    reports: list[Report], as_of: dt.date
) -> None:
    """The query's columnar path gives what RuleBook.evaluate gives, report by report.

    The expected rows are computed here from evaluate() under both readings,
    with the query's definition of owed: met by as_of, or both due dates passed.
    """

    def preassessments(roll_forward: bool) -> dict[str, EvaluatedDeadline]:
        book = RuleBook.swedish(roll_forward=roll_forward)
        return {d.subject_id: d for d in book.evaluate(reports, as_of) if d.kind == "preassessment"}

    strict, rolled = preassessments(False), preassessments(True)
    tally: dict[tuple[str, dt.date], list[int]] = {}
    for subject_id, s in strict.items():
        r = rolled[subject_id]
        if s.met_on is None and max(s.due_on, r.due_on) > as_of:
            continue
        counts = tally.setdefault(
            (s.district, D(s.starts_on.year, s.starts_on.month, 1)), [0, 0, 0]
        )
        counts[0] += 1
        counts[1] += s.status == "met"
        counts[2] += r.status == "met"
    expected = [(district, month, *counts) for (district, month), counts in sorted(tally.items())]
    actual = [
        (row.district, row.month, row.owed, row.met_strict, row.met_roll_forward)
        for row in compliance(Dataset(reports=reports), as_of=as_of)
    ]
    assert expected == actual


def test_an_unknown_kind_is_refused_with_the_kinds_listed() -> None:
    """Only preassessment and investigation are measured."""
    with pytest.raises(ValidationError, match=r"'preassessment', 'investigation'.*'protection'"):
        compliance(Dataset(), kind="protection", as_of=D(2025, 1, 1))


# ---------------------------------------------------------------- availability


def availability_dataset() -> Dataset:
    """Four members around 2025-03-01..2025-03-10.

    - m1 (t1), full time: a1 farsta 03-03..03-09 at 0.5, a2 bromma 03-05..03-06
      at 0.25, a3 cancelled 03-01..03-10 at 1 (takes nothing); away 03-08..03-09.
    - m2 (t1), half time, employed until 03-04.
    - m3 (t2), full time, employed from 03-06, assigned 03-09..03-10 at 1.
    - m4 (t1), employed until 2024-12-31: not in the period at all.
    """
    return Dataset(
        teams=[Team("t1", "Team 1"), Team("t2", "Team 2")],
        members=[
            member("m1", "t1", D(2020, 1, 1)),
            member("m2", "t1", D(2024, 1, 1), D(2025, 3, 4), extent=0.5),
            member("m3", "t2", D(2025, 3, 6)),
            member("m4", "t1", D(2020, 1, 1), D(2024, 12, 31)),
        ],
        absences=[Absence("m1", D(2025, 3, 8), D(2025, 3, 9), "vacation")],
        assignments=[
            assignment("a1", "m1", "farsta", D(2025, 3, 3), D(2025, 3, 9), 0.5),
            assignment("a2", "m1", "bromma", D(2025, 3, 5), D(2025, 3, 6), 0.25),
            assignment("a3", "m1", "farsta", D(2025, 3, 1), D(2025, 3, 10), 1.0, "cancelled"),
            assignment("a4", "m3", "jarva", D(2025, 3, 9), D(2025, 3, 10)),
        ],
    )


MARCH = DateRange(D(2025, 3, 1), D(2025, 3, 10))


def test_free_extent_on_every_day_with_absences_partial_extents_and_employment() -> None:
    """Extent minus assignments, 0 when away or not employed."""
    free = {
        "m1": [
            1.0,  # 03-01: nothing (a3 is cancelled)
            1.0,  # 03-02
            0.5,  # 03-03: 1 - 0.5 (a1)
            0.5,  # 03-04
            0.25,  # 03-05: 1 - 0.5 - 0.25 (a1, a2)
            0.25,  # 03-06
            0.5,  # 03-07: a1 only
            0.0,  # 03-08: away
            0.0,  # 03-09: away
            1.0,  # 03-10
        ],
        # half time until 03-04, then no longer employed
        "m2": [0.5, 0.5, 0.5, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        # employed from 03-06; assigned full time 03-09..03-10
        "m3": [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0],
    }
    expected = [
        FreeDay(member_id, D(2025, 3, day + 1), value)
        for member_id, values in free.items()
        for day, value in enumerate(values)
    ]
    assert expected == list(availability(availability_dataset(), MARCH))


def test_availability_of_one_team() -> None:
    """Team t2 has only m3."""
    rows = availability(availability_dataset(), MARCH, team_id="t2")
    assert {"m3"} == {row.member_id for row in rows}
    assert 10 == len(rows)


def test_free_stretches_longest_first() -> None:
    """Free full time: m3 03-06..03-08 (3 days), m1 03-01..03-02 (2), m1 03-10 (1)."""
    assert (
        FreeStretch("m3", D(2025, 3, 6), D(2025, 3, 8), 3),
        FreeStretch("m1", D(2025, 3, 1), D(2025, 3, 2), 2),
        FreeStretch("m1", D(2025, 3, 10), D(2025, 3, 10), 1),
    ) == free_stretches(availability_dataset(), MARCH)


def test_free_stretches_at_half_time() -> None:
    """At least 0.5 free: m1 03-01..03-04 and 03-07 and 03-10, m2 03-01..03-04, m3 as before.

    Ties of length are ordered by member and start.
    """
    assert (
        FreeStretch("m1", D(2025, 3, 1), D(2025, 3, 4), 4),
        FreeStretch("m2", D(2025, 3, 1), D(2025, 3, 4), 4),
        FreeStretch("m3", D(2025, 3, 6), D(2025, 3, 8), 3),
        FreeStretch("m1", D(2025, 3, 7), D(2025, 3, 7), 1),
        FreeStretch("m1", D(2025, 3, 10), D(2025, 3, 10), 1),
    ) == free_stretches(availability_dataset(), MARCH, min_extent=0.5)


def test_an_over_booked_day_shows_a_negative_free_extent() -> None:
    """Two assignments at 0.75 on one day leave 1 - 1.5 = -0.5: a conflict made visible."""
    dataset = Dataset(
        members=[member("m1", "t1", D(2020, 1, 1))],
        assignments=[
            assignment("a1", "m1", "farsta", D(2025, 3, 3), D(2025, 3, 3), 0.75),
            assignment("a2", "m1", "bromma", D(2025, 3, 3), D(2025, 3, 3), 0.75),
        ],
    )
    assert (FreeDay("m1", D(2025, 3, 3), -0.5),) == availability(
        dataset, DateRange.single(D(2025, 3, 3))
    )


def test_bad_availability_questions_are_refused() -> None:
    """An open period, an unknown team and a bad min_extent."""
    dataset = availability_dataset()
    with pytest.raises(OpenRangeError):
        availability(dataset, DateRange(D(2025, 3, 1)))
    with pytest.raises(UnknownRecordError, match=r"'teams' has no record with the id asked for"):
        availability(dataset, MARCH, team_id="t9")
    for bad in (0, 1.5, True, float("nan")):
        with pytest.raises(ValidationError, match="min_extent"):
            free_stretches(dataset, MARCH, min_extent=bad)


def test_a_team_named_only_by_its_members_is_known() -> None:
    """Without a teams table, the members' team ids are the teams."""
    dataset = Dataset(members=[member("m1", "t7", D(2020, 1, 1))])
    assert 1 == len(availability(dataset, DateRange.single(D(2025, 3, 3)), team_id="t7"))


@given(rosters(max_members=2, max_assignments=8))
def test_no_member_has_negative_free_extent_without_capacity_conflicts(roster: Roster) -> None:
    """A roster without capacity conflicts never leaves a negative free extent.

    And each free extent is the member's extent minus the live assignments
    covering the day, computed here by brute force.
    """
    assume(not any(c.kind is ConflictKind.CAPACITY for c in roster.conflicts()))
    dataset = Dataset(
        members=roster.members, absences=roster.absences, assignments=roster.assignments
    )
    live = [a for a in roster.assignments if a.status != "cancelled"]
    starts = [a.start for a in live] or [D(2025, 1, 1)]
    period = DateRange(min(starts), min(starts) + dt.timedelta(days=120))
    members = {m.member_id: m for m in roster.members}
    for row in availability(dataset, period):
        assert row.free_extent >= 0
        person = members[row.member_id]
        away = any(
            a.start <= row.day <= a.end for a in roster.absences if a.member_id == person.member_id
        )
        if away or not person.is_employed_on(row.day):
            assert 0.0 == row.free_extent
        else:
            taken = sum(
                a.extent
                for a in live
                if a.member_id == person.member_id and a.start <= row.day <= a.end
            )
            assert person.extent - taken == pytest.approx(row.free_extent, abs=1e-6)


# ---------------------------------------------------------------- utilisation


def utilisation_dataset() -> Dataset:
    """April and May 2025.

    - m1 (t1), full time; away Mon 04-14..Thu 04-17 (4 working days); assigned
      at 1 from Tue 04-22 to Fri 05-16.
    - m2 (t1), half time, employed until Fri 05-09; assigned at 0.5 from Tue
      04-01 to Fri 04-11.
    - m3 (t2), full time, employed until 04-30, never assigned.
    - m4 (t1), a cancelled assignment in May: it takes nothing.
    """
    return Dataset(
        members=[
            member("m1", "t1", D(2020, 1, 1)),
            member("m2", "t1", D(2020, 1, 1), D(2025, 5, 9), extent=0.5),
            member("m3", "t2", D(2020, 1, 1), D(2025, 4, 30)),
        ],
        absences=[Absence("m1", D(2025, 4, 14), D(2025, 4, 17), "sick")],
        assignments=[
            assignment("a1", "m1", "farsta", D(2025, 4, 22), D(2025, 5, 16)),
            assignment("a2", "m2", "bromma", D(2025, 4, 1), D(2025, 4, 11), 0.5),
            assignment("a3", "m1", "bromma", D(2025, 5, 19), D(2025, 5, 23), 1.0, "cancelled"),
        ],
    )


SPRING = DateRange(D(2025, 4, 1), D(2025, 5, 31))


def test_utilisation_per_member_and_team_per_month() -> None:
    """Working days of the legal calendar, weighted by extent.

    April (20 working days):
    - m1: capacity 20 - 4 away = 16; assigned Tue 04-22..Wed 04-30: 22, 23,
      24, 25, 28, 29, 30 = 7; share 7/16 = 0.4375.
    - m2: capacity 20 x 0.5 = 10; assigned 04-01..04-11: 1-4, 7-11 = 9 days
      x 0.5 = 4.5; share 0.45.
    - t1: 26 capacity, 11.5 assigned: 11.5/26 = 0.442308.
    - m3: capacity 20, nothing assigned: share 0; t2 the same.
    May (20 working days):
    - m1: capacity 20; assigned Fri 05-02..Fri 05-16 (05-01 is May Day): 2,
      5-9, 12-16 = 11; share 0.55.
    - m2: employed to Fri 05-09: 2, 5-9 = 6 days x 0.5 = 3; nothing assigned.
    - t1: 23 capacity, 11 assigned: 11/23 = 0.478261.
    - m3 is no longer employed: no rows.
    """
    april, may = D(2025, 4, 1), D(2025, 5, 1)
    expected = [
        UtilisationRow(
            level="member", team_id="t1", member_id="m1", month=april,
            capacity_days=16.0, assigned_days=7.0, share=0.4375,
        ),
        UtilisationRow(
            level="member", team_id="t1", member_id="m2", month=april,
            capacity_days=10.0, assigned_days=4.5, share=0.45,
        ),
        UtilisationRow(
            level="team", team_id="t1", member_id=None, month=april,
            capacity_days=26.0, assigned_days=11.5, share=0.442308,
        ),
        UtilisationRow(
            level="member", team_id="t2", member_id="m3", month=april,
            capacity_days=20.0, assigned_days=0.0, share=0.0,
        ),
        UtilisationRow(
            level="team", team_id="t2", member_id=None, month=april,
            capacity_days=20.0, assigned_days=0.0, share=0.0,
        ),
        UtilisationRow(
            level="member", team_id="t1", member_id="m1", month=may,
            capacity_days=20.0, assigned_days=11.0, share=0.55,
        ),
        UtilisationRow(
            level="member", team_id="t1", member_id="m2", month=may,
            capacity_days=3.0, assigned_days=0.0, share=0.0,
        ),
        UtilisationRow(
            level="team", team_id="t1", member_id=None, month=may,
            capacity_days=23.0, assigned_days=11.0, share=0.478261,
        ),
    ]  # fmt: skip
    assert expected == list(utilisation(utilisation_dataset(), SPRING))


def test_utilisation_of_one_team_and_part_of_a_month() -> None:
    """Team t1 in 04-22..04-30 (7 working days): m1 7 of 7, m2 0 of 3.5."""
    rows = utilisation(
        utilisation_dataset(), DateRange(D(2025, 4, 22), D(2025, 4, 30)), team_id="t1"
    )
    assert [("m1", 7.0, 7.0, 1.0), ("m2", 3.5, 0.0, 0.0), (None, 10.5, 7.0, 0.666667)] == [
        (r.member_id, r.capacity_days, r.assigned_days, r.share) for r in rows
    ]


def test_a_month_without_capacity_has_no_row() -> None:
    """A member away for all of a month's working days has no row for it."""
    dataset = Dataset(
        members=[member("m1", "t1", D(2020, 1, 1))],
        absences=[Absence("m1", D(2025, 7, 1), D(2025, 7, 31), "vacation")],
    )
    assert () == utilisation(dataset, DateRange(D(2025, 7, 1), D(2025, 7, 31)))


# ---------------------------------------------------------------- district days


def district_days_dataset() -> Dataset:
    """Assignments around two new years and the 2020 merger.

    - a1 alvsjo 2019-12-30..2020-01-03 at 1: working days Mon 12-30 (2019),
      Thu 01-02 and Fri 01-03 (2020); 12-31 and 01-01 are not working days.
    - a2 hagersten-liljeholmen 2020-06-24..06-30 at 0.5: Wed 24, Thu 25, Fri 26,
      Mon 29, Tue 30 = 5 days x 0.5 = 2.5.
    - a3 hagersten-alvsjo 2020-07-06..07-10 at 1: 5 days.
    - a4 farsta, cancelled: nothing.
    """
    return Dataset(
        assignments=[
            assignment("a1", "m1", "alvsjo", D(2019, 12, 30), D(2020, 1, 3)),
            assignment("a2", "m2", "hagersten-liljeholmen", D(2020, 6, 24), D(2020, 6, 30), 0.5),
            assignment("a3", "m1", "hagersten-alvsjo", D(2020, 7, 6), D(2020, 7, 10)),
            assignment("a4", "m1", "farsta", D(2020, 3, 2), D(2020, 3, 6), 1.0, "cancelled"),
        ]
    )


def test_district_days_per_year_as_recorded() -> None:
    """Each recorded district and year apart."""
    assert (
        DistrictDaysRow("alvsjo", 2019, 1.0),
        DistrictDaysRow("alvsjo", 2020, 2.0),
        DistrictDaysRow("hagersten-alvsjo", 2020, 5.0),
        DistrictDaysRow("hagersten-liljeholmen", 2020, 2.5),
    ) == district_days(district_days_dataset())


def test_district_days_crosswalked_to_today() -> None:
    """On 2024-01-01 all three are hagersten-alvsjo: 1 in 2019, 2 + 2.5 + 5 = 9.5 in 2020."""
    assert (
        DistrictDaysRow("hagersten-alvsjo", 2019, 1.0),
        DistrictDaysRow("hagersten-alvsjo", 2020, 9.5),
    ) == district_days(district_days_dataset(), crosswalk_on=D(2024, 1, 1))


@given(st.lists(assignment_strategy(within=DateRange(D(2016, 1, 1), D(2026, 12, 31))), max_size=6))
def test_district_days_add_up_to_every_assignment_day(items: list[Assignment]) -> None:
    """The rows sum to the extent-weighted working days of the live assignments.

    The working days are counted here by numpy's busday_count with the legal
    calendar's holidays, not by the query's own loop; the crosswalk only moves
    days between districts, never between years.
    """
    calendar = swedish_calendar()
    holidays = sorted(day for year in range(2015, 2028) for day in calendar.holidays(year))
    expected = sum(
        a.extent * int(np.busday_count(a.start, a.end + dt.timedelta(days=1), holidays=holidays))
        for a in items
        if a.status != "cancelled"
    )
    dataset = Dataset(assignments=items)
    recorded = district_days(dataset)
    assert expected == pytest.approx(sum(row.days for row in recorded), abs=1e-6)
    crosswalked = district_days(dataset, crosswalk_on=D(2026, 1, 1))
    for year in {row.year for row in recorded}:
        assert sum(r.days for r in recorded if r.year == year) == pytest.approx(
            sum(r.days for r in crosswalked if r.year == year), abs=1e-6
        )


# ---------------------------------------------------------------- costs


def cost_dataset() -> Dataset:
    """Two years of costs, three years of assignments.

    - 2024: team cost 100 000 SEK, 1 000 SEK an hour, 8 hours: 8 000 SEK a day.
      farsta Mon 03-04..Fri 03-15 at 1 = 10 days; bromma the same at 0.5 = 5.
    - 2025: team cost 500 000, 900 an hour, 7.5 hours; no assignments.
    - 2023: farsta Tue 05-02..Fri 05-05 (05-01 is May Day) = 4 days; no costs row.
    """
    return Dataset(
        costs=[
            YearlyCost(year=2024, team_cost_sek=100_000.0, consultant_rate_sek=1000.0),
            YearlyCost(
                year=2025, team_cost_sek=500_000.0, consultant_rate_sek=900.0, hours_per_day=7.5
            ),
        ],
        assignments=[
            assignment("a1", "m1", "farsta", D(2024, 3, 4), D(2024, 3, 15)),
            assignment("a2", "m2", "bromma", D(2024, 3, 4), D(2024, 3, 15), 0.5),
            assignment("a3", "m1", "farsta", D(2023, 5, 2), D(2023, 5, 5)),
        ],
    )


def test_costs_split_the_team_cost_by_days_against_the_consultant_rate() -> None:
    """2024: 15 days in all.

    - bromma: 5 days, share 1/3, team 100 000 / 3 = 33 333.33, consultant
      5 x 8 000 = 40 000, saving 6 666.67.
    - farsta: 10 days, share 2/3, team 66 666.67, consultant 80 000, saving 13 333.33.
    - all: 15 days, team 100 000, consultant 120 000, saving 20 000.
    2025: no days: the total row alone, saving -500 000.
    """
    comparison = costs(cost_dataset())
    assert (
        CostRow(
            year=2024, district="bromma", team_days=5.0, share_of_days=0.333333,
            team_cost_sek=33_333.33, consultant_cost_sek=40_000.0, saving_sek=6_666.67,
        ),
        CostRow(
            year=2024, district="farsta", team_days=10.0, share_of_days=0.666667,
            team_cost_sek=66_666.67, consultant_cost_sek=80_000.0, saving_sek=13_333.33,
        ),
        CostRow(
            year=2024, district=ALL_DISTRICTS, team_days=15.0, share_of_days=1.0,
            team_cost_sek=100_000.0, consultant_cost_sek=120_000.0, saving_sek=20_000.0,
        ),
        CostRow(
            year=2025, district=ALL_DISTRICTS, team_days=0.0, share_of_days=0.0,
            team_cost_sek=500_000.0, consultant_cost_sek=0.0, saving_sek=-500_000.0,
        ),
    ) == comparison.rows  # fmt: skip


def test_costs_name_their_assumptions_and_the_years_skipped() -> None:
    """2023 has days but no costs row: skipped, and said so."""
    comparison = costs(cost_dataset())
    assert (2023,) == comparison.skipped_years
    text = " ".join(comparison.assumptions)
    for words in (
        "working days",
        "extent",
        "split",
        "hours per day",
        "2024: 1000 SEK an hour, 8 hours a day",
        "2025: 900 SEK an hour, 7.5 hours a day",
        "left out: 2023",
        "as recorded",
    ):
        assert words in text
    crosswalked = costs(cost_dataset(), crosswalk_on=D(2024, 1, 1))
    assert "2024-01-01" in " ".join(crosswalked.assumptions)


def test_two_costs_rows_for_one_year_are_refused() -> None:
    """Which of them to use would be a guess."""
    dataset = Dataset(
        costs=[
            YearlyCost(year=2024, team_cost_sek=1.0, consultant_rate_sek=1.0),
            YearlyCost(year=2024, team_cost_sek=2.0, consultant_rate_sek=1.0),
        ]
    )
    with pytest.raises(ValidationError, match="2024"):
        costs(dataset)


# ---------------------------------------------------------------- need ranking


def need_dataset() -> Dataset:
    """Backlogs and staffing on Wednesday 2025-06-18.

    Backlog (preassessments and investigations not done on the day):
    - farsta: 10 undecided reports (3 decided ones do not count) -> 10.
    - bromma: 2 undecided reports; one already_open report owes nothing -> 2.
    - jarva: 5 undecided reports, and 3 open investigations opened in
      rinkeby-kista in May 2023, which is jarva since 2023-07-01 -> 8.
    - sodermalm: 10 undecided reports -> 10.
    - skarholmen: 3 undecided reports but no staffing at all.
    - a farsta report received 06-20, after the day: not counted.

    Staffing (latest on or before the day; farsta's 2024 and July 2025
    snapshots are not the latest / not yet):
    - farsta 20 positions, 2 vacancies, 1 consultant, turnover 0.10
      -> 10/20 = 0.5, 0.1, 0.05.
    - bromma 10, 3, 0, 0.30 -> 0.2, 0.3, 0.0.
    - jarva 40, 4, 4, 0.20 -> 0.2, 0.1, 0.1.
    - sodermalm 50, 5, 0, 0.10 -> 0.2, 0.1, 0.0: at the minimum of every factor.
    """
    received = D(2025, 6, 10)
    reports = [report(f"f{i}", "farsta", received) for i in range(10)]
    reports += [report(f"fd{i}", "farsta", received, D(2025, 6, 12)) for i in range(3)]
    reports += [report("late", "farsta", D(2025, 6, 20))]
    reports += [report(f"b{i}", "bromma", received) for i in range(2)]
    reports += [report("bo", "bromma", received, received, outcome="already_open")]
    reports += [report(f"j{i}", "jarva", received) for i in range(5)]
    reports += [report(f"s{i}", "sodermalm", received) for i in range(10)]
    reports += [report(f"k{i}", "skarholmen", received) for i in range(3)]
    return Dataset(
        reports=reports,
        investigations=[
            Investigation(
                investigation_id=f"i{i}", district="rinkeby-kista", opened_on=D(2023, 5, 2)
            )
            for i in range(3)
        ],
        staffing=[
            Staffing(district="farsta", on=D(2024, 1, 1), positions=5, vacancies=5),
            Staffing(
                district="farsta", on=D(2025, 1, 1), positions=20, vacancies=2, consultants=1,
                turnover=0.10,
            ),
            Staffing(district="farsta", on=D(2025, 7, 1), positions=100, vacancies=0),
            Staffing(
                district="bromma", on=D(2025, 1, 1), positions=10, vacancies=3, consultants=0,
                turnover=0.30,
            ),
            Staffing(
                district="jarva", on=D(2025, 3, 1), positions=40, vacancies=4, consultants=4,
                turnover=0.20,
            ),
            Staffing(
                district="sodermalm", on=D(2025, 1, 1), positions=50, vacancies=5, consultants=0,
                turnover=0.10,
            ),
        ],
    )  # fmt: skip


def test_districts_are_ranked_by_weighted_normalised_factors() -> None:
    """Min-max normalised factors, default weights 0.4, 0.25, 0.2, 0.15.

    backlog_per_position 0.2..0.5: farsta 1, others 0.
    vacancy_rate 0.1..0.3: bromma 1, others 0.
    turnover 0.1..0.3: bromma 1, jarva 0.5, others 0.
    consultants_per_position 0..0.1: jarva 1, farsta 0.5, others 0.

    farsta 0.4 + 0.15 x 0.5 = 0.475; bromma 0.25 + 0.2 = 0.45;
    jarva 0.2 x 0.5 + 0.15 = 0.25; sodermalm 0, first of the ties at 0 because
    it has staffing data; then the seven districts without any, by code.
    """
    ranking = need_ranking(need_dataset(), AS_OF)
    assert 11 == len(ranking)
    assert [(1, "farsta"), (2, "bromma"), (3, "jarva"), (4, "sodermalm")] == [
        (n.rank, n.district) for n in ranking[:4]
    ]
    assert [0.475, 0.45, 0.25, 0.0] == pytest.approx([n.score for n in ranking[:4]])
    assert [
        "enskede-arsta-vantor",
        "hagersten-alvsjo",
        "hasselby-vallingby",
        "kungsholmen",
        "norra-innerstaden",
        "skarholmen",
        "skarpnack",
    ] == [n.district for n in ranking[4:]]
    farsta, bromma, jarva = ranking[:3]
    assert (10, 20.0, D(2025, 1, 1)) == (farsta.backlog, farsta.positions, farsta.staffing_on)
    assert (0.5, 0.1, 0.1, 0.05) == pytest.approx(
        (
            farsta.backlog_per_position,
            farsta.vacancy_rate,
            farsta.turnover,
            farsta.consultants_per_position,
        )
    )
    assert 8 == jarva.backlog
    assert (0.2, 0.3, 0.3, 0.0) == pytest.approx(
        (bromma.backlog_per_position, bromma.vacancy_rate, bromma.turnover,
         bromma.consultants_per_position)
    )  # fmt: skip


def test_each_factor_is_explained_with_its_weight() -> None:
    """The explanation shows value, normalised value, weight and product; or what is missing."""
    ranking = {n.district: n for n in need_ranking(need_dataset(), AS_OF)}
    farsta = ranking["farsta"].explanation
    assert "staffing of 2025-01-01" in farsta
    assert "backlog_per_position 0.5 -> 1.00 x 0.4 = 0.400" in farsta
    assert "consultants_per_position 0.05 -> 0.50 x 0.15 = 0.075" in farsta
    skarholmen = ranking["skarholmen"]
    assert skarholmen.explanation.startswith("no staffing data")
    assert (3, None, 0.0, 0.0) == (
        skarholmen.backlog,
        skarholmen.positions,
        skarholmen.score,
        skarholmen.backlog_per_position,
    )


def test_weights_change_the_order() -> None:
    """Backlog weighted 0.1 instead of 0.4: farsta 0.1 + 0.075 = 0.175 drops to third."""
    ranking = need_ranking(need_dataset(), AS_OF, weights={"backlog_per_position": 0.1})
    assert ["bromma", "jarva", "farsta"] == [n.district for n in ranking[:3]]
    assert [0.45, 0.25, 0.175] == pytest.approx([n.score for n in ranking[:3]])
    assert "x 0.1 =" in ranking[2].explanation


@given(
    st.lists(report_strategy(), max_size=10, unique_by=lambda r: r.report_id),
    st.lists(investigation_strategy(), max_size=6, unique_by=lambda i: i.investigation_id),
    st.dates(D(2016, 1, 1), D(2026, 12, 31)),
)
def test_the_backlog_is_what_deadlines_on_lists_as_not_done(
    reports: list[Report], investigations: list[Investigation], as_of: dt.date
) -> None:
    """Each district's backlog counts its open, due-soon and overdue deadlines of both kinds."""
    dataset = Dataset(reports=reports, investigations=investigations)
    for need in need_ranking(dataset, as_of):
        listed = deadlines_on(
            dataset, as_of, statuses=("open", "due_soon", "overdue"), district=need.district
        )
        assert len([d for d in listed if d.kind in ("preassessment", "investigation")]) == (
            need.backlog
        )


def test_default_weights_sum_to_one_and_name_every_factor() -> None:
    """NEED_WEIGHTS covers NEED_FACTORS and cannot be changed in place."""
    assert set(NEED_FACTORS) == set(NEED_WEIGHTS)
    assert 1.0 == pytest.approx(sum(NEED_WEIGHTS.values()))
    with pytest.raises(TypeError):
        NEED_WEIGHTS["turnover"] = 1.0  # type: ignore[index]


def test_bad_weights_are_refused_with_the_known_factors_listed() -> None:
    """Unknown names, negative and non-numeric weights."""
    dataset = need_dataset()
    with pytest.raises(ValidationError, match=r"'backlog'.*backlog_per_position, vacancy_rate"):
        need_ranking(dataset, AS_OF, weights={"backlog": 1.0})
    for bad in (-0.1, True, float("inf")):
        with pytest.raises(ValidationError, match="'turnover'"):
            need_ranking(dataset, AS_OF, weights={"turnover": bad})


def test_need_ranking_before_the_2020_merger_lists_fourteen_districts() -> None:
    """On 2019-06-01 the 14 districts of the time are ranked, all tied at 0."""
    ranking = need_ranking(Dataset(), D(2019, 6, 1))
    assert 14 == len(ranking)
    assert "alvsjo" == ranking[0].district
    assert [r.district for r in ranking] == sorted(r.district for r in ranking)


# ---------------------------------------------------------------- rows


def test_every_row_is_plain_values_for_tables_csv_and_json() -> None:
    """attrs.asdict of any row dumps to JSON with dates as ISO strings."""
    rows: list[object] = [
        *count_deadlines(deadlines_on(deadline_dataset(), AS_OF)),
        *compliance(investigation_dataset(), kind="investigation", as_of=D(2025, 9, 1)),
        *availability(availability_dataset(), MARCH),
        *free_stretches(availability_dataset(), MARCH),
        *utilisation(utilisation_dataset(), SPRING),
        *district_days(district_days_dataset()),
        *costs(cost_dataset()).rows,
        *need_ranking(need_dataset(), AS_OF),
    ]
    for row in rows:
        fields = attrs.asdict(row)  # type: ignore[arg-type]
        for value in fields.values():
            assert value is None or type(value) in (str, int, float, bool, dt.date)
        json.dumps(fields, default=dt.date.isoformat)
