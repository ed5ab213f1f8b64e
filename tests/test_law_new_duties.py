"""The new duties of issue 10 (second half), as cases worked out by hand.

Written before the code, from the design (SPEC10) and the statute texts, never
from the code's output. Each case counts its dates by hand, weekday by weekday.
The facts relied on:

- Lag (1930:173) 1 §: a period of months ends on the day with the same number,
  or the month's last day where there is none; a week ends on the same weekday.
  2 §: an action due on a Saturday, Sunday, public holiday, midsummer eve,
  Christmas eve or New Year's eve may be taken on the next weekday. Every new
  duty follows the book's reading: strict by default, rolled with
  ``RuleBook.swedish(roll_forward=True)``.
- SoL (2025:400) 22 kap. 13 § second paragraph (skyddat boende), in force from
  Tue 1 Jul 2025: reconsidered at least every six months.
- Custody transfer (vårdnadsöverflyttning): SoL (2001:453) 6 kap. 8 § / LVU
  (1990:52) 13 §: three years in the same family home, once, to 28 Feb 2021;
  three years then yearly from 1 Mar 2021 (SFS 2020:1260 / 2020:1259); two
  years then yearly from 1 Jul 2022 (SFS 2022:665 / 2022:664: SoL 6 kap. 8 §
  tredje stycket, LVU 13 c §); SoL (2025:400) 22 kap. 14 § from 1 Jul 2025.
- LVU 5 §: the court's care decision lapses unless care began within four weeks
  (28 days) of the day it vann laga kraft.
- LVU 13 §: care under 2 §, an övervägande at least every six months from the
  day care began (first paragraph); care under 3 §, a prövning within six
  months of the enforcement of the care decision, then of the last prövning
  (second paragraph). LVU 14 § third paragraph: restrictions of contact or
  whereabouts reconsidered at least every three months.
- Every review-like series: a period is met by the first review of its topic
  made after the period began; the next period starts at that review; a period
  due after the placement's (or restriction's) end owes nothing, and a review
  after the end does not count. As of a day D, facts dated after D (a review,
  an end, a start) have not happened.
- Deadlines are ``due_soon`` with 0 to 3 days left, ``open`` with more.
- Calendar (``holidays``, Sweden, public + de_facto): 2025 Christmas Day Thu 25
  Dec; 2027 Good Friday 26 Mar, Easter Monday 29 Mar, midsummer eve Fri 25 Jun,
  Midsummer Day Sat 26 Jun, Christmas Day Sat 25 Dec, Boxing Day Sun 26 Dec.
"""

from __future__ import annotations

import datetime as dt

import pytest

from socforst import Placement, Restriction, Review, RuleBook

D = dt.date

BOOK = RuleBook.swedish()
"""The default book: the new duties (all following the book) count strict days."""
ROLL = RuleBook.swedish(roll_forward=True)
"""The roll-forward reading of Lag (1930:173) 2 § for the duties that follow the book."""

# The citations, exactly as SPEC10 gives them.
SOL_OLD_1 = "SoL (2001:453) 6 kap. 8 § första stycket"
SOL_NEW_1 = "SoL (2025:400) 22 kap. 13 § första stycket"
HOUSING = "SoL (2025:400) 22 kap. 13 § andra stycket"
SOL_OLD_2 = "SoL (2001:453) 6 kap. 8 § andra stycket"
SOL_OLD_3 = "SoL (2001:453) 6 kap. 8 § tredje stycket"
SOL_NEW_14 = "SoL (2025:400) 22 kap. 14 §"
LVU_13_3 = "LVU (1990:52) 13 § tredje stycket"
LVU_13_C = "LVU (1990:52) 13 c §"
LVU_5 = "LVU (1990:52) 5 §"
LVU_13_1 = "LVU (1990:52) 13 § första stycket"
LVU_13_2 = "LVU (1990:52) 13 § andra stycket"
LVU_14_3 = "LVU (1990:52) 14 § tredje stycket"

Row = tuple[dt.date, dt.date, dt.date | None, str, str]


def rows(records: list[object], as_of: dt.date, kind: str, book: RuleBook = BOOK) -> list[Row]:
    """``(starts_on, due_on, met_on, status, reference)`` of each *kind* deadline on *as_of*."""
    return [
        (d.starts_on, d.due_on, d.met_on, d.status.value, d.reference)
        for d in book.evaluate(records, as_of)
        if d.kind == kind
    ]


def kinds(records: list[object], as_of: dt.date, book: RuleBook = BOOK) -> list[str]:
    """The kinds of every deadline on *as_of*, in the book's order."""
    return [d.kind for d in book.evaluate(records, as_of)]


def placement(basis: str, started_on: dt.date, **fields: object) -> Placement:
    """A placement ``p`` of Farsta with *basis* from *started_on*, with *fields*."""
    return Placement(
        placement_id="p",
        district="farsta",
        basis=basis,
        started_on=started_on,
        **fields,  # type: ignore[arg-type]
    )


def review(day: dt.date, topic: str = "care", placement_id: str = "p") -> Review:
    """A review of *placement_id* on *day* about *topic*."""
    return Review(placement_id=placement_id, reviewed_on=day, topic=topic)


def test_the_book_lists_the_new_kinds_in_the_specs_order() -> None:
    """SPEC10's table, in RuleBook.swedish() order."""
    assert (
        "protection_assessment",
        "preassessment",
        "investigation",
        "placement_review",
        "protected_housing_review",
        "custody_transfer_consideration",
        "lvu_court_submission",
        "lvu_care_application",
        "lvu_care_start",
        "lvu_review",
        "lvu_care_end_review",
        "lvu_restriction_review",
    ) == tuple(BOOK.kinds)


@pytest.mark.parametrize(
    "kind",
    [
        "protected_housing_review",
        "custody_transfer_consideration",
        "lvu_care_start",
        "lvu_review",
        "lvu_care_end_review",
        "lvu_restriction_review",
    ],
)
def test_each_new_duty_follows_the_books_reading(kind: str) -> None:
    """SPEC10: every new duty's 2 § reading is the book's (``roll_forward=None``)."""
    # lvu_care_start is the committee's own act, not a filing with a court: "book"
    # (the SPEC calls it unsettled), unlike LVU 7 § and 8 § which roll.
    assert BOOK.rule(kind).roll_forward is None  # type: ignore[attr-defined]


# ------------------------------------------- protected_housing_review (22 kap. 13 § 2nd para.)


def housing(started_on: dt.date, **fields: object) -> Placement:
    """A child granted skyddat boende (basis ``protected_housing``) from *started_on*."""
    return placement("protected_housing", started_on, **fields)


def test_protected_housing_started_under_the_old_act_is_owed_when_due_after_it() -> None:
    """Started Sat 15 Mar 2025: + 6 months = Mon 15 Sep 2025, after 1 Jul 2025: owed."""
    # As of Fri 1 Aug 2025: 30 days of August left + 15 = 45 days: open. The duty is the
    # one of 22 kap. 13 § second paragraph; no placement_review (basis sol only) and no
    # custody transfer (no family home).
    records: list[object] = [housing(D(2025, 3, 15))]
    assert ["protected_housing_review"] == kinds(records, D(2025, 8, 1))
    assert [(D(2025, 3, 15), D(2025, 9, 15), None, "open", HOUSING)] == rows(
        records, D(2025, 8, 1), "protected_housing_review"
    )


def test_protected_housing_next_period_counts_from_the_review() -> None:
    """Reviewed Wed 10 Sep 2025: met; the next is due Tue 10 Mar 2026."""
    # 10 Sep 2025 + 6 months = 10 Mar 2026 (a Tuesday); as of Wed 1 Oct 2025, open.
    records: list[object] = [housing(D(2025, 3, 15)), review(D(2025, 9, 10))]
    assert [
        (D(2025, 3, 15), D(2025, 9, 15), D(2025, 9, 10), "met", HOUSING),
        (D(2025, 9, 10), D(2026, 3, 10), None, "open", HOUSING),
    ] == rows(records, D(2025, 10, 1), "protected_housing_review")


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(D(2025, 6, 30), "open"), (D(2025, 12, 1), "overdue")],
    ids=["last_day_of_the_old_act", "after_the_next_due_day"],
)
def test_protected_housing_period_due_before_the_act_owes_nothing(
    as_of: dt.date, status: str
) -> None:
    """Started Wed 20 Nov 2024: period 1 due Tue 20 May 2025, before 1 Jul 2025: nothing owed."""
    # SPEC10: no provision was in force on its due day, so period 1 is not listed. With no
    # review to end it, the clock counts on from its due day (the lead's reading, stated
    # in the rule's docstring and in SPEC10's update for the custody-transfer years; the
    # SPEC's table line alone does not say): Tue 20 May 2025 + 6 months = Thu 20 Nov 2025.
    # Mon 30 Jun 2025: 143 days left, open. Mon 1 Dec 2025: not reviewed, overdue.
    assert [(D(2025, 5, 20), D(2025, 11, 20), None, status, HOUSING)] == rows(
        [housing(D(2024, 11, 20))], as_of, "protected_housing_review"
    )


def test_protected_housing_walk_goes_on_past_a_period_that_owed_nothing() -> None:
    """Reviewed Mon 19 May 2025 (period 1 owed nothing); period 2 due Wed 19 Nov 2025 is owed."""
    # "Same walk": period 1 (20 Nov 2024 to Tue 20 May 2025) ends at the review of
    # 19 May but owes nothing; period 2 runs from 19 May, + 6 months = Wed 19 Nov 2025,
    # after 1 Jul 2025: owed; not reviewed, so overdue on Mon 1 Dec 2025.
    records: list[object] = [housing(D(2024, 11, 20)), review(D(2025, 5, 19))]
    assert [(D(2025, 5, 19), D(2025, 11, 19), None, "overdue", HOUSING)] == rows(
        records, D(2025, 12, 1), "protected_housing_review"
    )


def test_protected_housing_review_before_the_act_meets_a_period_due_after_it() -> None:
    """Reviews Mon 19 May and Wed 25 Jun 2025: period 2 (due 19 Nov) met on 25 Jun."""
    # Period 2 is owed (due after 1 Jul 2025) and met by the review of Wed 25 Jun.
    # The rule has a single provision, in force from 1 Jul 2025; a review done the week
    # before cannot cite a provision "in force on the day done", so it cites the one it
    # has (socforst's own reading; a crash here would be a bug: valid data). Period 3:
    # 25 Jun + 6 months = Thu 25 Dec 2025 (Christmas Day, strict book: not moved).
    records: list[object] = [
        housing(D(2024, 11, 20)),
        review(D(2025, 5, 19)),
        review(D(2025, 6, 25)),
    ]
    assert [
        (D(2025, 5, 19), D(2025, 11, 19), D(2025, 6, 25), "met", HOUSING),
        (D(2025, 6, 25), D(2025, 12, 25), None, "open", HOUSING),
    ] == rows(records, D(2025, 7, 10), "protected_housing_review")


def test_protected_housing_review_after_an_unowed_due_day_meets_the_next_period() -> None:
    """Started Wed 20 Nov 2024, reviewed only Tue 10 Jun 2025, after period 1's due day."""
    # Period 1 (due Tue 20 May 2025) owes nothing; the review of 10 Jun came after its due
    # day, so the clock counts on from 20 May (the lead's reading, as above): period 2
    # from 20 May, due Thu 20 Nov 2025, met by the review of 10 Jun. That review was done
    # before 22 kap. 13 § came into force: cited by the provision of its due day. Period
    # 3: 10 Jun + 6 months = Wed 10 Dec 2025, open on Thu 10 Jul 2025.
    records: list[object] = [housing(D(2024, 11, 20)), review(D(2025, 6, 10))]
    assert [
        (D(2025, 5, 20), D(2025, 11, 20), D(2025, 6, 10), "met", HOUSING),
        (D(2025, 6, 10), D(2025, 12, 10), None, "open", HOUSING),
    ] == rows(records, D(2025, 7, 10), "protected_housing_review")


@pytest.mark.parametrize(
    ("book", "first"),
    [
        # Strict: Sun 31 Aug 2025 + 6 months: February 2026 has no 31st, so Sat 28 Feb
        # 2026 (1930:173 1 §). Reviewed Mon 2 Mar: late.
        (BOOK, (D(2025, 8, 31), D(2026, 2, 28), D(2026, 3, 2), "late", HOUSING)),
        # Rolled: Sat 28 Feb, Sun 1 Mar -> Mon 2 Mar 2026. Reviewed that day: met.
        (ROLL, (D(2025, 8, 31), D(2026, 3, 2), D(2026, 3, 2), "met", HOUSING)),
    ],
    ids=["strict", "roll_forward"],
)
def test_protected_housing_month_end(book: RuleBook, first: Row) -> None:
    """Started Sun 31 Aug 2025: due Sat 28 Feb 2026 (strict) or Mon 2 Mar 2026 (rolled)."""
    # Either way the next period runs from the review: Mon 2 Mar + 6 months = Wed 2 Sep
    # 2026, a working day; open as of Tue 10 Mar 2026.
    records: list[object] = [housing(D(2025, 8, 31)), review(D(2026, 3, 2))]
    assert [first, (D(2026, 3, 2), D(2026, 9, 2), None, "open", HOUSING)] == rows(
        records, D(2026, 3, 10), "protected_housing_review", book
    )


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # Thu 19 Feb 2026: the end of Fri 20 Feb has not happened; due Sat 28 Feb,
        # 9 days left: open.
        (D(2026, 2, 19), [(D(2025, 8, 31), D(2026, 2, 28), None, "open", HOUSING)]),
        # Tue 10 Mar 2026: ended Fri 20 Feb, before the due day Sat 28 Feb: nothing owed.
        (D(2026, 3, 10), []),
    ],
    ids=["before_the_end", "after_the_end"],
)
def test_protected_housing_ended_before_its_due_day(as_of: dt.date, expected: list[Row]) -> None:
    """Started Sun 31 Aug 2025, ended Fri 20 Feb 2026, before the due day Sat 28 Feb."""
    records: list[object] = [housing(D(2025, 8, 31), ended_on=D(2026, 2, 20))]
    assert expected == rows(records, as_of, "protected_housing_review")


def test_protected_housing_review_dated_after_the_day_has_not_happened() -> None:
    """Reviewed Wed 25 Feb 2026: as of Tue 24 Feb not yet; as of 25 Feb met."""
    records: list[object] = [housing(D(2025, 8, 31)), review(D(2026, 2, 25))]
    # Tue 24 Feb: due Sat 28 Feb, 4 days left: open (due_soon is 0-3 days).
    assert [(D(2025, 8, 31), D(2026, 2, 28), None, "open", HOUSING)] == rows(
        records, D(2026, 2, 24), "protected_housing_review"
    )
    # Wed 25 Feb: met; next period 25 Feb + 6 months = Tue 25 Aug 2026.
    assert [
        (D(2025, 8, 31), D(2026, 2, 28), D(2026, 2, 25), "met", HOUSING),
        (D(2026, 2, 25), D(2026, 8, 25), None, "open", HOUSING),
    ] == rows(records, D(2026, 2, 25), "protected_housing_review")


def test_protected_housing_is_not_met_by_a_custody_transfer_review() -> None:
    """A custody_transfer review of Tue 10 Feb 2026 is not the care review: overdue."""
    # Due Sat 28 Feb 2026 (strict); as of Tue 10 Mar no care review: overdue.
    records: list[object] = [
        housing(D(2025, 8, 31)),
        review(D(2026, 2, 10), topic="custody_transfer"),
    ]
    assert [(D(2025, 8, 31), D(2026, 2, 28), None, "overdue", HOUSING)] == rows(
        records, D(2026, 3, 10), "protected_housing_review"
    )


# ----------------------------------------------- placement_review (SoL, first paragraph)


def test_placement_review_cites_the_first_paragraph_of_each_act() -> None:
    """Started Fri 10 Jan 2025, reviewed Fri 27 Jun 2025 (old act); next due Sat 27 Dec 2025."""
    # Period 1: 10 Jan + 6 months = Thu 10 Jul 2025; reviewed 27 Jun, under SoL (2001:453).
    # Period 2: 27 Jun + 6 months = Sat 27 Dec 2025 (strict); open on 1 Aug, cites the
    # act in force on its due day, SoL (2025:400).
    records: list[object] = [placement("sol", D(2025, 1, 10)), review(D(2025, 6, 27))]
    assert [
        (D(2025, 1, 10), D(2025, 7, 10), D(2025, 6, 27), "met", SOL_OLD_1),
        (D(2025, 6, 27), D(2025, 12, 27), None, "open", SOL_NEW_1),
    ] == rows(records, D(2025, 8, 1), "placement_review")


def test_placement_review_missed_under_the_old_act_cites_it() -> None:
    """Started Tue 15 Oct 2024: due Tue 15 Apr 2025, not reviewed: overdue, the old act."""
    records: list[object] = [placement("sol", D(2024, 10, 15))]
    assert [(D(2024, 10, 15), D(2025, 4, 15), None, "overdue", SOL_OLD_1)] == rows(
        records, D(2025, 5, 1), "placement_review"
    )


def test_placement_review_late_across_the_change_cites_the_due_days_act() -> None:
    """Due Tue 15 Apr 2025, reviewed Thu 3 Jul 2025: late, cites the old act; next the new."""
    # Late: cited by its due day, 15 Apr 2025, SoL (2001:453). Next: 3 Jul + 6 months =
    # Sat 3 Jan 2026, open on Fri 1 Aug 2025, SoL (2025:400).
    records: list[object] = [placement("sol", D(2024, 10, 15)), review(D(2025, 7, 3))]
    assert [
        (D(2024, 10, 15), D(2025, 4, 15), D(2025, 7, 3), "late", SOL_OLD_1),
        (D(2025, 7, 3), D(2026, 1, 3), None, "open", SOL_NEW_1),
    ] == rows(records, D(2025, 8, 1), "placement_review")


@pytest.mark.parametrize("topic", ["custody_transfer", "restrictions"])
def test_placement_review_is_not_met_by_a_review_of_another_topic(topic: str) -> None:
    """Started Mon 12 Jan 2026: due Sun 12 Jul 2026 (strict); a non-care review of 15 Jun."""
    # Only a care review meets it; as of Mon 20 Jul 2026: overdue, SoL (2025:400).
    records: list[object] = [placement("sol", D(2026, 1, 12)), review(D(2026, 6, 15), topic)]
    assert [(D(2026, 1, 12), D(2026, 7, 12), None, "overdue", SOL_NEW_1)] == rows(
        records, D(2026, 7, 20), "placement_review"
    )


# ------------------------------------------------- custody_transfer_consideration


def family(basis: str, family_home_from: dt.date, **fields: object) -> Placement:
    """A placement ``p`` in a family home from *family_home_from* (started that day by default)."""
    fields.setdefault("started_on", family_home_from)
    return Placement(
        placement_id="p",
        district="farsta",
        basis=basis,
        family_home_from=family_home_from,
        **fields,  # type: ignore[arg-type]
    )


def considered(day: dt.date) -> Review:
    """A review of ``p`` on *day* that considered a transfer of custody."""
    return review(day, topic="custody_transfer")


CT = "custody_transfer_consideration"


def test_custody_transfer_three_years_once_before_2021() -> None:
    """SoL placement in a family home from Mon 29 Feb 2016: due Thu 28 Feb 2019."""
    # Two years: 28 Feb 2018, before 1 Jul 2022, so not the two-year rule. Three years:
    # February 2019 has no 29th -> Thu 28 Feb 2019, before 1 Jul 2022: due then. The law
    # of that day: SoL (2001:453) 6 kap. 8 § andra stycket. Not considered: overdue on
    # Tue 5 Mar 2019.
    records: list[object] = [family("sol", D(2016, 2, 29))]
    assert [(D(2016, 2, 29), D(2019, 2, 28), None, "overdue", SOL_OLD_2)] == rows(
        records, D(2019, 3, 5), CT
    )


def test_custody_transfer_yearly_periods_due_before_2021_owe_nothing() -> None:
    """LVU placement from Mon 29 Feb 2016, considered Wed 20 Feb 2019: next due Sun 20 Feb 2022."""
    # First: due Thu 28 Feb 2019 (three years, as above), met on 20 Feb 2019 under LVU
    # 13 § third paragraph. SPEC10 (lead's update): a yearly period due before 1 Mar 2021
    # owes nothing, and the next counts on from its due day. 20 Feb 2019 + 12 months =
    # Thu 20 Feb 2020: nothing; + 12 = Sat 20 Feb 2021, still before 1 Mar 2021: nothing;
    # + 12 = Sun 20 Feb 2022 (strict): owed, the period from Sat 20 Feb 2021. Open on Thu
    # 1 Apr 2021, cited by its due day: LVU 13 § third paragraph (as amended by SFS
    # 2020:1259; 13 c § came only on 1 Jul 2022).
    records: list[object] = [family("lvu_2", D(2016, 2, 29)), considered(D(2019, 2, 20))]
    assert [
        (D(2016, 2, 29), D(2019, 2, 28), D(2019, 2, 20), "met", LVU_13_3),
        (D(2021, 2, 20), D(2022, 2, 20), None, "open", LVU_13_3),
    ] == rows(records, D(2021, 4, 1), CT)
    # Sat 1 Jun 2019: only the first consideration; no yearly duty yet, and the next owed
    # period starts in 2021.
    assert [(D(2016, 2, 29), D(2019, 2, 28), D(2019, 2, 20), "met", LVU_13_3)] == rows(
        records, D(2019, 6, 1), CT
    )


def test_custody_transfer_the_leads_example_of_the_yearly_periods() -> None:
    """SPEC10's example: first consideration Fri 10 May 2019 -> 2020 not owed -> due 10 May 2021."""
    # Family home from Mon 13 Jun 2016: three years -> Thu 13 Jun 2019 (two years, 13 Jun
    # 2018, and three are both before 1 Jul 2022). Considered Fri 10 May 2019: met.
    # 10 May 2019 + 12 months = Sun 10 May 2020, before 1 Mar 2021: owes nothing; from
    # it, + 12 months = Mon 10 May 2021: owed. Not considered: overdue on Tue 1 Jun 2021.
    records: list[object] = [family("lvu_3", D(2016, 6, 13)), considered(D(2019, 5, 10))]
    assert [
        (D(2016, 6, 13), D(2019, 6, 13), D(2019, 5, 10), "met", LVU_13_3),
        (D(2020, 5, 10), D(2021, 5, 10), None, "overdue", LVU_13_3),
    ] == rows(records, D(2021, 6, 1), CT)


@pytest.mark.parametrize(
    ("book", "second"),
    [
        # Strict: Fri 28 Feb 2020 + 12 months = Sun 28 Feb 2021, before 1 Mar 2021: owes
        # nothing; the next from 28 Feb 2021: Mon 28 Feb 2022, open on Wed 10 Mar 2021.
        (BOOK, (D(2021, 2, 28), D(2022, 2, 28), None, "open", LVU_13_3)),
        # Rolled: Sun 28 Feb 2021 -> Mon 1 Mar 2021, the day the yearly duty came into
        # force: not "due before 2021-03-01", so owed (as protected_housing_review compares
        # the rolled due day with the day its provision came into force). Not considered
        # by Wed 10 Mar 2021: overdue.
        (ROLL, (D(2020, 2, 28), D(2021, 3, 1), None, "overdue", LVU_13_3)),
    ],
    ids=["strict", "roll_forward"],
)
def test_custody_transfer_yearly_period_rolled_onto_1_march_2021(
    book: RuleBook, second: Row
) -> None:
    """From Mon 6 Mar 2017: first due Fri 6 Mar 2020, considered Fri 28 Feb 2020."""
    # Three years: Fri 6 Mar 2020 (a working day, same under both readings); met 28 Feb.
    records: list[object] = [family("lvu_2", D(2017, 3, 6)), considered(D(2020, 2, 28))]
    assert [
        (D(2017, 3, 6), D(2020, 3, 6), D(2020, 2, 28), "met", LVU_13_3),
        second,
    ] == rows(records, D(2021, 3, 10), CT, book)


def test_custody_transfer_consideration_in_2020_next_due_a_year_later() -> None:
    """From Mon 12 Jun 2017, considered Wed 10 Jun 2020: the next is due Thu 10 Jun 2021."""
    # First: 12 Jun 2017 + 36 months = Fri 12 Jun 2020 (two years, 12 Jun 2019, is before
    # 1 Jul 2022; three years is too). Met 10 Jun 2020. Next: + 12 months = Thu 10 Jun
    # 2021, after 1 Mar 2021, so not moved. Open as of Wed 10 Mar 2021 (92 days).
    records: list[object] = [family("lvu_2", D(2017, 6, 12)), considered(D(2020, 6, 10))]
    assert [
        (D(2017, 6, 12), D(2020, 6, 12), D(2020, 6, 10), "met", LVU_13_3),
        (D(2020, 6, 10), D(2021, 6, 10), None, "open", LVU_13_3),
    ] == rows(records, D(2021, 3, 10), CT)


def test_custody_transfer_three_years_then_yearly_2021_to_2022() -> None:
    """LVU 3 § care from Mon 20 Nov 2017, family home from Mon 14 May 2018."""
    # Counted from the family home, not from the placement. Two years: 14 May 2020, before
    # 1 Jul 2022; three years: Fri 14 May 2021, before 1 Jul 2022: due then (SFS 2020:1259).
    # Considered Mon 10 May 2021: met (LVU 13 § third paragraph). Yearly: + 12 months =
    # Tue 10 May 2022; considered Mon 2 May 2022: met, same provision. Next: Tue 2 May
    # 2023; not considered by Thu 1 Jun 2023: overdue, cited by its due day: 13 c §.
    records: list[object] = [
        family("lvu_3", D(2018, 5, 14), started_on=D(2017, 11, 20)),
        considered(D(2021, 5, 10)),
        considered(D(2022, 5, 2)),
    ]
    assert [
        (D(2018, 5, 14), D(2021, 5, 14), D(2021, 5, 10), "met", LVU_13_3),
        (D(2021, 5, 10), D(2022, 5, 10), D(2022, 5, 2), "met", LVU_13_3),
        (D(2022, 5, 2), D(2023, 5, 2), None, "overdue", LVU_13_C),
    ] == rows(records, D(2023, 6, 1), CT)


def test_custody_transfer_two_years_passed_before_july_2022_three_after() -> None:
    """From Tue 10 Mar 2020: two years on 10 Mar 2022, three on 10 Mar 2023 -> Fri 1 Jul 2022."""
    # SPEC10's reading: two years passed under the three-year rule, three years would
    # pass under the two-year rule; the two-year rule came into force on Fri 1 Jul 2022
    # with the condition already met: due that day. Overdue on Mon 4 Jul 2022, 13 c §.
    records: list[object] = [family("lvu_3", D(2020, 3, 10))]
    assert [(D(2020, 3, 10), D(2022, 7, 1), None, "overdue", LVU_13_C)] == rows(
        records, D(2022, 7, 4), CT
    )


def test_custody_transfer_three_years_ending_the_last_day_of_the_old_rule() -> None:
    """From Sun 30 Jun 2019: three years end Thu 30 Jun 2022, under the three-year rule."""
    # Two years: 30 Jun 2021, before 1 Jul 2022. Three years: Thu 30 Jun 2022, still
    # before 1 Jul 2022: due then. Considered Wed 29 Jun 2022 (13 § third paragraph).
    # Next: 29 Jun 2023 (Thu), open on Fri 15 Jul 2022, cited by its due day: 13 c §.
    records: list[object] = [family("lvu_2", D(2019, 6, 30)), considered(D(2022, 6, 29))]
    assert [
        (D(2019, 6, 30), D(2022, 6, 30), D(2022, 6, 29), "met", LVU_13_3),
        (D(2022, 6, 29), D(2023, 6, 29), None, "open", LVU_13_C),
    ] == rows(records, D(2022, 7, 15), CT)


def test_custody_transfer_two_years_from_july_2022_under_the_old_sol() -> None:
    """SoL placement from Wed 20 Jan 2021: two years end Fri 20 Jan 2023, after 1 Jul 2022."""
    # Two years: Fri 20 Jan 2023, on or after 1 Jul 2022: due then (not three years, Sat
    # 20 Jan 2024). Considered Thu 15 Dec 2022: SoL (2001:453) 6 kap. 8 § tredje stycket.
    # Yearly from the consideration: Fri 15 Dec 2023; overdue on Wed 10 Jan 2024.
    records: list[object] = [family("sol", D(2021, 1, 20)), considered(D(2022, 12, 15))]
    assert [
        (D(2021, 1, 20), D(2023, 1, 20), D(2022, 12, 15), "met", SOL_OLD_3),
        (D(2022, 12, 15), D(2023, 12, 15), None, "overdue", SOL_OLD_3),
    ] == rows(records, D(2024, 1, 10), CT)


@pytest.mark.parametrize(
    ("basis", "reference"),
    [("sol", SOL_NEW_14), ("lvu_2_3", LVU_13_C)],
    ids=["sol", "lvu_2_3"],
)
def test_custody_transfer_two_years_under_the_new_sol(basis: str, reference: str) -> None:
    """From Mon 18 Sep 2023: due Thu 18 Sep 2025; considered Mon 1 Sep 2025; next Tue 1 Sep 2026."""
    # SoL placements cite SoL (2025:400) 22 kap. 14 §; LVU placements LVU 13 c §.
    records: list[object] = [family(basis, D(2023, 9, 18)), considered(D(2025, 9, 1))]
    assert [
        (D(2023, 9, 18), D(2025, 9, 18), D(2025, 9, 1), "met", reference),
        (D(2025, 9, 1), D(2026, 9, 1), None, "open", reference),
    ] == rows(records, D(2025, 10, 1), CT)


def test_custody_transfer_late_across_the_sol_change() -> None:
    """From Mon 5 Jun 2023: due Thu 5 Jun 2025 (old SoL); considered Wed 2 Jul 2025: late."""
    # Late: cited by its due day, SoL (2001:453) 6 kap. 8 § tredje stycket. Next: 2 Jul
    # 2025 + 12 months = Thu 2 Jul 2026, open on Fri 1 Aug 2025, SoL (2025:400) 22 kap. 14 §.
    records: list[object] = [family("sol", D(2023, 6, 5)), considered(D(2025, 7, 2))]
    assert [
        (D(2023, 6, 5), D(2025, 6, 5), D(2025, 7, 2), "late", SOL_OLD_3),
        (D(2025, 7, 2), D(2026, 7, 2), None, "open", SOL_NEW_14),
    ] == rows(records, D(2025, 8, 1), CT)


@pytest.mark.parametrize(
    ("book", "first"),
    [
        # Strict: Thu 29 Feb 2024 + 24 months: February 2026 has no 29th -> Sat 28 Feb 2026.
        # Considered Mon 2 Mar: late.
        (BOOK, (D(2024, 2, 29), D(2026, 2, 28), D(2026, 3, 2), "late", LVU_13_C)),
        # Rolled: Sat 28 Feb, Sun 1 Mar -> Mon 2 Mar 2026: met.
        (ROLL, (D(2024, 2, 29), D(2026, 3, 2), D(2026, 3, 2), "met", LVU_13_C)),
    ],
    ids=["strict", "roll_forward"],
)
def test_custody_transfer_from_a_leap_day(book: RuleBook, first: Row) -> None:
    """Family home from Thu 29 Feb 2024; next from the consideration: Tue 2 Mar 2027."""
    records: list[object] = [family("lvu_2", D(2024, 2, 29)), considered(D(2026, 3, 2))]
    assert [first, (D(2026, 3, 2), D(2027, 3, 2), None, "open", LVU_13_C)] == rows(
        records, D(2026, 3, 5), CT, book
    )


@pytest.mark.parametrize("topic", ["care", "restrictions"])
def test_custody_transfer_is_not_met_by_a_review_of_another_topic(topic: str) -> None:
    """From Mon 18 Sep 2023, due Thu 18 Sep 2025; a non-custody review of 1 Sep 2025."""
    # Only a custody_transfer review counts; overdue on Wed 1 Oct 2025.
    records: list[object] = [family("sol", D(2023, 9, 18)), review(D(2025, 9, 1), topic)]
    assert [(D(2023, 9, 18), D(2025, 9, 18), None, "overdue", SOL_NEW_14)] == rows(
        records, D(2025, 10, 1), CT
    )


def test_custody_transfer_consideration_before_the_family_home_does_not_count() -> None:
    """Placed Tue 10 Jan 2023, family home from Mon 18 Sep 2023; considered Thu 1 Jun 2023."""
    # The period starts at the family home (18 Sep 2023); a consideration before it is
    # not "after the period start". Due Thu 18 Sep 2025, overdue on Wed 1 Oct 2025.
    records: list[object] = [
        family("sol", D(2023, 9, 18), started_on=D(2023, 1, 10)),
        considered(D(2023, 6, 1)),
    ]
    assert [(D(2023, 9, 18), D(2025, 9, 18), None, "overdue", SOL_NEW_14)] == rows(
        records, D(2025, 10, 1), CT
    )


@pytest.mark.parametrize(
    ("ended_on", "expected"),
    [
        # Ended Wed 17 Sep 2025, the day before the due day: nothing owed.
        (D(2025, 9, 17), []),
        # Ended Thu 18 Sep 2025, the due day itself: it stood that day, not considered.
        (D(2025, 9, 18), [(D(2023, 9, 18), D(2025, 9, 18), None, "overdue", SOL_NEW_14)]),
    ],
    ids=["day_before_due", "on_due_day"],
)
def test_custody_transfer_of_an_ended_placement(ended_on: dt.date, expected: list[Row]) -> None:
    """From Mon 18 Sep 2023, due Thu 18 Sep 2025; evaluated on Wed 1 Oct 2025."""
    records: list[object] = [family("sol", D(2023, 9, 18), ended_on=ended_on)]
    assert expected == rows(records, D(2025, 10, 1), CT)


def test_custody_transfer_consideration_after_the_end_does_not_count() -> None:
    """Ended Sat 20 Sep 2025 (after the due day Thu 18 Sep), considered Thu 25 Sep: overdue."""
    records: list[object] = [
        family("sol", D(2023, 9, 18), ended_on=D(2025, 9, 20)),
        considered(D(2025, 9, 25)),
    ]
    assert [(D(2023, 9, 18), D(2025, 9, 18), None, "overdue", SOL_NEW_14)] == rows(
        records, D(2025, 10, 1), CT
    )


def test_custody_transfer_needs_a_family_home() -> None:
    """A SoL placement of Wed 1 Jan 2020 without family_home_from owes no consideration."""
    assert [] == rows([placement("sol", D(2020, 1, 1))], D(2025, 10, 1), CT)


def test_custody_transfer_is_not_owed_for_protected_housing() -> None:
    """Skyddat boende with a family_home_from of Mon 18 Sep 2023: no consideration."""
    # SPEC10: any basis but protected_housing (the child lives with a guardian).
    records: list[object] = [family("protected_housing", D(2023, 9, 18))]
    assert [] == rows(records, D(2025, 10, 1), CT)


def test_custody_transfer_consideration_dated_after_the_day_has_not_happened() -> None:
    """Considered Wed 10 Sep 2025: as of Tue 9 Sep not yet (open), from 10 Sep met."""
    records: list[object] = [family("sol", D(2023, 9, 18)), considered(D(2025, 9, 10))]
    # Tue 9 Sep: due Thu 18 Sep, 9 days left: open.
    assert [(D(2023, 9, 18), D(2025, 9, 18), None, "open", SOL_NEW_14)] == rows(
        records, D(2025, 9, 9), CT
    )
    # Wed 10 Sep: met; next 10 Sep 2026 (Thu).
    assert [
        (D(2023, 9, 18), D(2025, 9, 18), D(2025, 9, 10), "met", SOL_NEW_14),
        (D(2025, 9, 10), D(2026, 9, 10), None, "open", SOL_NEW_14),
    ] == rows(records, D(2025, 9, 10), CT)


def test_custody_transfer_end_dated_after_the_day_has_not_happened() -> None:
    """Ended Wed 17 Sep 2025: as of Tue 16 Sep the period is owed, from 17 Sep it is not."""
    records: list[object] = [family("sol", D(2023, 9, 18), ended_on=D(2025, 9, 17))]
    # Tue 16 Sep: due Thu 18 Sep, 2 days left: due_soon.
    assert [(D(2023, 9, 18), D(2025, 9, 18), None, "due_soon", SOL_NEW_14)] == rows(
        records, D(2025, 9, 16), CT
    )
    assert [] == rows(records, D(2025, 9, 17), CT)


def test_custody_transfer_family_home_dated_after_the_day_has_not_happened() -> None:
    """Placed Fri 1 Sep 2023, family home from Mon 18 Sep: as of Sun 17 Sep nothing."""
    records: list[object] = [family("sol", D(2023, 9, 18), started_on=D(2023, 9, 1))]
    assert [] == rows(records, D(2023, 9, 17), CT)


# --------------------------------------------------------------- lvu_care_start (LVU 5 §)

FINAL = D(2027, 3, 1)
"""The care decision vann laga kraft Mon 1 Mar 2027: + 28 days = Mon 29 Mar, Easter Monday."""


def care(basis: str, started_on: dt.date, **fields: object) -> Placement:
    """An LVU placement ``p`` of Järva from *started_on*, with *fields*."""
    return Placement(
        placement_id="p",
        district="jarva",
        basis=basis,
        started_on=started_on,
        **fields,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("basis", ["lvu_2", "lvu_3", "lvu_2_3"])
def test_lvu_care_start_met_by_the_day_care_began(basis: str) -> None:
    """Final Mon 1 Mar 2027, care began Mon 15 Mar: due Mon 29 Mar (strict): met."""
    # Four weeks = 28 days (1930:173 1 §): Mon 29 Mar 2027, Easter Monday; the strict
    # book keeps it. Care began 15 Mar: met. As of Thu 1 Apr 2027.
    records: list[object] = [care(basis, D(2027, 3, 15), care_decision_final_on=FINAL)]
    assert [(FINAL, D(2027, 3, 29), D(2027, 3, 15), "met", LVU_5)] == rows(
        records, D(2027, 4, 1), "lvu_care_start"
    )


def test_lvu_care_start_met_when_care_began_during_the_custody() -> None:
    """Placed Sun 10 Jan 2027 on a custody; care decision final Mon 1 Mar: met on 10 Jan."""
    # The young person was already placed when the decision became final: care had begun.
    records: list[object] = [care("lvu_3", D(2027, 1, 10), care_decision_final_on=FINAL)]
    assert [(FINAL, D(2027, 3, 29), D(2027, 1, 10), "met", LVU_5)] == rows(
        records, D(2027, 4, 1), "lvu_care_start"
    )


@pytest.mark.parametrize(
    ("book", "expected"),
    [
        # Strict: due Easter Monday 29 Mar; began Tue 30 Mar: late (the decision lapsed).
        (BOOK, (FINAL, D(2027, 3, 29), D(2027, 3, 30), "late", LVU_5)),
        # Rolled: Easter Monday -> Tue 30 Mar; began that day: met.
        (ROLL, (FINAL, D(2027, 3, 30), D(2027, 3, 30), "met", LVU_5)),
    ],
    ids=["strict", "roll_forward"],
)
def test_lvu_care_start_at_easter(book: RuleBook, expected: Row) -> None:
    """Final Mon 1 Mar 2027, care began Tue 30 Mar: late strict, met rolled."""
    records: list[object] = [care("lvu_2", D(2027, 3, 30), care_decision_final_on=FINAL)]
    assert [expected] == rows(records, D(2027, 4, 1), "lvu_care_start", book)


@pytest.mark.parametrize(
    ("book", "expected"),
    [
        # Strict: Fri 28 May 2027 + 28 = Fri 25 Jun, midsummer eve; began Mon 28 Jun: late.
        (BOOK, (D(2027, 5, 28), D(2027, 6, 25), D(2027, 6, 28), "late", LVU_5)),
        # Rolled: Fri 25 Jun (midsummer eve), Sat 26 (Midsummer Day), Sun 27 -> Mon 28 Jun.
        (ROLL, (D(2027, 5, 28), D(2027, 6, 28), D(2027, 6, 28), "met", LVU_5)),
    ],
    ids=["strict", "roll_forward"],
)
def test_lvu_care_start_at_midsummer(book: RuleBook, expected: Row) -> None:
    """Final Fri 28 May 2027, care began Mon 28 Jun: late strict, met rolled."""
    records: list[object] = [care("lvu_2_3", D(2027, 6, 28), care_decision_final_on=D(2027, 5, 28))]
    assert [expected] == rows(records, D(2027, 7, 1), "lvu_care_start", book)


@pytest.mark.parametrize(
    ("book", "due"),
    [(BOOK, D(2027, 3, 29)), (ROLL, D(2027, 3, 30))],
    ids=["strict", "roll_forward"],
)
def test_lvu_care_start_late_under_both_readings(book: RuleBook, due: dt.date) -> None:
    """Final Mon 1 Mar 2027, care began Mon 5 Apr: late either way (29 or 30 Mar)."""
    records: list[object] = [care("lvu_2", D(2027, 4, 5), care_decision_final_on=FINAL)]
    assert [(FINAL, due, D(2027, 4, 5), "late", LVU_5)] == rows(
        records, D(2027, 4, 10), "lvu_care_start", book
    )


def test_lvu_care_start_before_care_began_nothing_is_owed() -> None:
    """Care began Mon 5 Apr 2027: as of Sun 4 Apr the placement is unknown; from 5 Apr late."""
    # SPEC10's known limit: as of a day before started_on nothing is owed, although the
    # four weeks ran out on Mon 29 Mar. No other deadline either: the placement is unknown.
    records: list[object] = [care("lvu_2", D(2027, 4, 5), care_decision_final_on=FINAL)]
    assert () == BOOK.evaluate(records, D(2027, 4, 4))
    assert [(FINAL, D(2027, 3, 29), D(2027, 4, 5), "late", LVU_5)] == rows(
        records, D(2027, 4, 5), "lvu_care_start"
    )


def test_lvu_care_start_before_the_decision_became_final_nothing_is_owed() -> None:
    """Placed Sun 10 Jan 2027 on a custody, decision final Mon 1 Mar: as of Sat 27 Feb nothing."""
    # The clock starts on 1 Mar, after the day evaluated on: no LVU 5 § row yet.
    records: list[object] = [care("lvu_3", D(2027, 1, 10), care_decision_final_on=FINAL)]
    assert [] == rows(records, D(2027, 2, 27), "lvu_care_start")


def test_lvu_care_start_only_for_lvu_bases() -> None:
    """A SoL placement with a care_decision_final_on owes no LVU 5 § deadline."""
    records: list[object] = [care("sol", D(2027, 4, 5), care_decision_final_on=FINAL)]
    assert [] == rows(records, D(2027, 4, 10), "lvu_care_start")


def test_lvu_care_start_needs_the_day_the_decision_became_final() -> None:
    """An LVU placement without care_decision_final_on owes no LVU 5 § deadline."""
    assert [] == rows([care("lvu_2", D(2027, 4, 5))], D(2027, 4, 10), "lvu_care_start")


def test_lvu_care_start_can_be_read_with_its_own_reading() -> None:
    """``readings={"lvu_care_start": "roll_forward"}``: Easter Monday -> Tue 30 Mar, met."""
    book = RuleBook.swedish(readings={"lvu_care_start": "roll_forward"})
    records: list[object] = [care("lvu_2", D(2027, 3, 30), care_decision_final_on=FINAL)]
    assert [(FINAL, D(2027, 3, 30), D(2027, 3, 30), "met", LVU_5)] == rows(
        records, D(2027, 4, 1), "lvu_care_start", book
    )


# ------------------------------------- lvu_review (13 § 1st para.) and lvu_care_end_review (2nd)

# Placed on a custody Sun 10 Jan 2027 (care under 2 § counts from here: 10 §), the care
# decision enforced Sat 20 Feb 2027 (care under 3 § counts from here: 13 § 2nd para.).
PLACED = D(2027, 1, 10)
ENFORCED = D(2027, 2, 20)
END_REVIEW = "lvu_care_end_review"


def lvu(basis: str, care_enforced_on: dt.date | None = ENFORCED, **fields: object) -> Placement:
    """An LVU placement ``p`` from Sun 10 Jan 2027, the care decision enforced as given."""
    return care(basis, PLACED, care_enforced_on=care_enforced_on, **fields)


def test_care_under_2_section_owes_only_the_overvagande() -> None:
    """lvu_2: from Sun 10 Jan 2027 + 6 months = Sat 10 Jul 2027; the enforcement is not read."""
    records: list[object] = [lvu("lvu_2")]
    assert ["lvu_review"] == kinds(records, D(2027, 3, 1))
    assert [(PLACED, D(2027, 7, 10), None, "open", LVU_13_1)] == rows(
        records, D(2027, 3, 1), "lvu_review"
    )


def test_care_under_3_section_owes_only_the_provning() -> None:
    """lvu_3: from the enforcement Sat 20 Feb 2027 + 6 months = Fri 20 Aug 2027."""
    records: list[object] = [lvu("lvu_3")]
    assert [END_REVIEW] == kinds(records, D(2027, 3, 1))
    assert [(ENFORCED, D(2027, 8, 20), None, "open", LVU_13_2)] == rows(
        records, D(2027, 3, 1), END_REVIEW
    )


def test_care_under_both_sections_owes_both_series() -> None:
    """lvu_2_3: the övervägande due Sat 10 Jul 2027 and the prövning due Fri 20 Aug 2027."""
    records: list[object] = [lvu("lvu_2_3")]
    assert ["lvu_review", END_REVIEW] == kinds(records, D(2027, 3, 1))
    assert [(PLACED, D(2027, 7, 10), None, "open", LVU_13_1)] == rows(
        records, D(2027, 3, 1), "lvu_review"
    )
    assert [(ENFORCED, D(2027, 8, 20), None, "open", LVU_13_2)] == rows(
        records, D(2027, 3, 1), END_REVIEW
    )


def test_one_care_review_meets_both_series() -> None:
    """lvu_2_3 reviewed Mon 5 Jul 2027: both met; both next due Wed 5 Jan 2028."""
    # 5 Jul 2027 + 6 months = Wed 5 Jan 2028 for each series. As of Tue 20 Jul 2027.
    records: list[object] = [lvu("lvu_2_3"), review(D(2027, 7, 5))]
    assert [
        (PLACED, D(2027, 7, 10), D(2027, 7, 5), "met", LVU_13_1),
        (D(2027, 7, 5), D(2028, 1, 5), None, "open", LVU_13_1),
    ] == rows(records, D(2027, 7, 20), "lvu_review")
    assert [
        (ENFORCED, D(2027, 8, 20), D(2027, 7, 5), "met", LVU_13_2),
        (D(2027, 7, 5), D(2028, 1, 5), None, "open", LVU_13_2),
    ] == rows(records, D(2027, 7, 20), END_REVIEW)


def test_a_review_during_the_custody_meets_the_overvagande_but_not_the_provning() -> None:
    """lvu_2_3 reviewed Mon 1 Feb 2027, before the enforcement of Sat 20 Feb."""
    # Övervägande: the period from 10 Jan is met on 1 Feb; the next, 1 Feb + 6 months =
    # Sun 1 Aug 2027 (strict), overdue on Wed 1 Sep. Prövning: its first period starts
    # 20 Feb, after the review: due Fri 20 Aug, overdue on 1 Sep.
    records: list[object] = [lvu("lvu_2_3"), review(D(2027, 2, 1))]
    assert [
        (PLACED, D(2027, 7, 10), D(2027, 2, 1), "met", LVU_13_1),
        (D(2027, 2, 1), D(2027, 8, 1), None, "overdue", LVU_13_1),
    ] == rows(records, D(2027, 9, 1), "lvu_review")
    assert [(ENFORCED, D(2027, 8, 20), None, "overdue", LVU_13_2)] == rows(
        records, D(2027, 9, 1), END_REVIEW
    )


@pytest.mark.parametrize("basis", ["lvu_3", "lvu_2_3"])
def test_without_the_enforcement_the_provning_counts_from_the_start(basis: str) -> None:
    """care_enforced_on empty: the prövning from Sun 10 Jan 2027, due Sat 10 Jul 2027."""
    records: list[object] = [lvu(basis, None)]
    assert [(PLACED, D(2027, 7, 10), None, "open", LVU_13_2)] == rows(
        records, D(2027, 3, 1), END_REVIEW
    )


def test_before_the_enforcement_the_provning_counts_from_the_start() -> None:
    """As of Mon 15 Feb 2027 the enforcement of Sat 20 Feb has not happened: due Sat 10 Jul."""
    records: list[object] = [lvu("lvu_3")]
    assert [(PLACED, D(2027, 7, 10), None, "open", LVU_13_2)] == rows(
        records, D(2027, 2, 15), END_REVIEW
    )
    # Sat 20 Feb: the enforcement has happened: due Fri 20 Aug.
    assert [(ENFORCED, D(2027, 8, 20), None, "open", LVU_13_2)] == rows(
        records, ENFORCED, END_REVIEW
    )


@pytest.mark.parametrize("topic", ["custody_transfer", "restrictions"])
def test_lvu_reviews_are_not_met_by_a_review_of_another_topic(topic: str) -> None:
    """lvu_2_3 with only a non-care review of Tue 1 Jun 2027: both overdue on Wed 25 Aug."""
    records: list[object] = [lvu("lvu_2_3"), review(D(2027, 6, 1), topic)]
    assert [(PLACED, D(2027, 7, 10), None, "overdue", LVU_13_1)] == rows(
        records, D(2027, 8, 25), "lvu_review"
    )
    assert [(ENFORCED, D(2027, 8, 20), None, "overdue", LVU_13_2)] == rows(
        records, D(2027, 8, 25), END_REVIEW
    )


@pytest.mark.parametrize(
    ("book", "due"),
    [
        # Strict: Fri 25 Jun 2027 + 6 months = Sat 25 Dec 2027 (Christmas Day).
        (BOOK, D(2027, 12, 25)),
        # Rolled: Sat 25 Dec, Sun 26 Dec -> Mon 27 Dec 2027.
        (ROLL, D(2027, 12, 27)),
    ],
    ids=["strict", "roll_forward"],
)
def test_provning_due_at_christmas(book: RuleBook, due: dt.date) -> None:
    """lvu_3 enforced Fri 25 Jun 2027: due Sat 25 Dec (strict) or Mon 27 Dec (rolled)."""
    # As of Wed 1 Dec 2027: 24 or 26 days left: open.
    records: list[object] = [lvu("lvu_3", D(2027, 6, 25))]
    assert [(D(2027, 6, 25), due, None, "open", LVU_13_2)] == rows(
        records, D(2027, 12, 1), END_REVIEW, book
    )


def test_lvu_review_dated_after_the_day_has_not_happened() -> None:
    """lvu_2 reviewed Mon 5 Jul 2027: as of Sun 4 Jul not yet (due Sat 10 Jul, 6 days: open)."""
    records: list[object] = [lvu("lvu_2"), review(D(2027, 7, 5))]
    assert [(PLACED, D(2027, 7, 10), None, "open", LVU_13_1)] == rows(
        records, D(2027, 7, 4), "lvu_review"
    )


@pytest.mark.parametrize(
    ("as_of", "overvagande", "provning"),
    [
        # Thu 8 Jul 2027: the end of Fri 9 Jul has not happened. Övervägande due Sat 10
        # Jul, 2 days: due_soon. Prövning due Fri 20 Aug, 43 days: open.
        (
            D(2027, 7, 8),
            [(PLACED, D(2027, 7, 10), None, "due_soon", LVU_13_1)],
            [(ENFORCED, D(2027, 8, 20), None, "open", LVU_13_2)],
        ),
        # Wed 1 Sep 2027: ended Fri 9 Jul, before both due days: nothing owed.
        (D(2027, 9, 1), [], []),
    ],
    ids=["before_the_end", "after_the_end"],
)
def test_lvu_placement_ended_before_both_due_days(
    as_of: dt.date, overvagande: list[Row], provning: list[Row]
) -> None:
    """lvu_2_3 ended Fri 9 Jul 2027, the day before the first övervägande was due."""
    records: list[object] = [lvu("lvu_2_3", ended_on=D(2027, 7, 9))]
    assert overvagande == rows(records, as_of, "lvu_review")
    assert provning == rows(records, as_of, END_REVIEW)


# ------------------------------------------------ lvu_restriction_review (LVU 14 § 3rd para.)

DECIDED = D(2027, 3, 1)
"""A restriction decided Mon 1 Mar 2027: + 3 months = Tue 1 Jun 2027."""
RR = "lvu_restriction_review"


def restriction(
    restriction_id: str = "r-1",
    decided_on: dt.date = DECIDED,
    kind: str = "contact",
    **fields: object,
) -> Restriction:
    """A restriction of placement ``p`` of Järva, with *fields*."""
    return Restriction(
        restriction_id=restriction_id,
        placement_id="p",
        district="jarva",
        kind=kind,
        decided_on=decided_on,
        **fields,  # type: ignore[arg-type]
    )


def reconsidered(day: dt.date, placement_id: str = "p") -> Review:
    """A review of *placement_id* on *day* that reconsidered its restrictions."""
    return review(day, topic="restrictions", placement_id=placement_id)


def test_restriction_due_three_months_after_the_decision() -> None:
    """Decided Mon 1 Mar 2027: due Tue 1 Jun 2027; open on Sat 1 May (31 days)."""
    (found,) = BOOK.evaluate([restriction()], D(2027, 5, 1))
    assert (RR, "r-1", DECIDED, D(2027, 6, 1), None, "open", LVU_14_3) == (
        found.kind,
        found.subject_id,
        found.starts_on,
        found.due_on,
        found.met_on,
        found.status.value,
        found.reference,
    )


def test_restriction_next_period_counts_from_the_reconsideration() -> None:
    """Reconsidered Thu 20 May 2027: met; next due Fri 20 Aug 2027."""
    records: list[object] = [restriction(), reconsidered(D(2027, 5, 20))]
    assert [
        (DECIDED, D(2027, 6, 1), D(2027, 5, 20), "met", LVU_14_3),
        (D(2027, 5, 20), D(2027, 8, 20), None, "open", LVU_14_3),
    ] == rows(records, D(2027, 6, 1), RR)


@pytest.mark.parametrize("topic", ["care", "custody_transfer"])
def test_restriction_is_not_met_by_a_review_of_another_topic(topic: str) -> None:
    """Only a ``restrictions`` review of Thu 20 May counts: overdue on Thu 10 Jun 2027."""
    records: list[object] = [restriction(), review(D(2027, 5, 20), topic)]
    assert [(DECIDED, D(2027, 6, 1), None, "overdue", LVU_14_3)] == rows(
        records, D(2027, 6, 10), RR
    )


def test_restriction_is_not_met_by_a_review_of_another_placement() -> None:
    """A ``restrictions`` review of placement ``q`` on Thu 20 May: ``p``'s is overdue."""
    records: list[object] = [restriction(), reconsidered(D(2027, 5, 20), placement_id="q")]
    assert [(DECIDED, D(2027, 6, 1), None, "overdue", LVU_14_3)] == rows(
        records, D(2027, 6, 10), RR
    )


def test_two_restrictions_of_one_placement_are_met_by_one_review() -> None:
    """Contact (1 Mar, due Tue 1 Jun) and residence (Mon 12 Apr, due Mon 12 Jul): one review."""
    # One restrictions review of Thu 20 May covers every restriction in force: both met;
    # both next periods from 20 May, due Fri 20 Aug 2027.
    records: list[object] = [
        restriction("r-1", DECIDED, "contact"),
        restriction("r-2", D(2027, 4, 12), "residence"),
        reconsidered(D(2027, 5, 20)),
    ]
    found = [
        (d.subject_id, d.starts_on, d.due_on, d.met_on, d.status.value)
        for d in BOOK.evaluate(records, D(2027, 6, 1))
        if d.kind == RR
    ]
    assert [
        ("r-1", DECIDED, D(2027, 6, 1), D(2027, 5, 20), "met"),
        ("r-1", D(2027, 5, 20), D(2027, 8, 20), None, "open"),
        ("r-2", D(2027, 4, 12), D(2027, 7, 12), D(2027, 5, 20), "met"),
        ("r-2", D(2027, 5, 20), D(2027, 8, 20), None, "open"),
    ] == found


@pytest.mark.parametrize(
    ("ended_on", "expected"),
    [
        # Ended Mon 31 May, the day before the due day: nothing owed.
        (D(2027, 5, 31), []),
        # Ended Tue 1 Jun, the due day itself: owed, not reconsidered: overdue.
        (D(2027, 6, 1), [(DECIDED, D(2027, 6, 1), None, "overdue", LVU_14_3)]),
    ],
    ids=["day_before_due", "on_due_day"],
)
def test_restriction_that_ended(ended_on: dt.date, expected: list[Row]) -> None:
    """Decided Mon 1 Mar 2027, due Tue 1 Jun; evaluated on Thu 10 Jun 2027."""
    assert expected == rows([restriction(ended_on=ended_on)], D(2027, 6, 10), RR)


def test_restriction_reconsidered_after_its_end_does_not_count() -> None:
    """Ended Tue 15 Jun (after the due day Tue 1 Jun), reconsidered Sun 20 Jun: overdue."""
    records: list[object] = [restriction(ended_on=D(2027, 6, 15)), reconsidered(D(2027, 6, 20))]
    assert [(DECIDED, D(2027, 6, 1), None, "overdue", LVU_14_3)] == rows(records, D(2027, 7, 1), RR)


def test_restriction_review_dated_after_the_day_has_not_happened() -> None:
    """Reconsidered Thu 20 May: as of Wed 19 May not yet; due Tue 1 Jun, 13 days: open."""
    records: list[object] = [restriction(), reconsidered(D(2027, 5, 20))]
    assert [(DECIDED, D(2027, 6, 1), None, "open", LVU_14_3)] == rows(records, D(2027, 5, 19), RR)


def test_restriction_end_dated_after_the_day_has_not_happened() -> None:
    """Ended Mon 31 May: as of Sun 30 May still owed (due Tue 1 Jun, 2 days: due_soon)."""
    records: list[object] = [restriction(ended_on=D(2027, 5, 31))]
    assert [(DECIDED, D(2027, 6, 1), None, "due_soon", LVU_14_3)] == rows(
        records, D(2027, 5, 30), RR
    )


def test_restriction_decided_after_the_day_owes_nothing() -> None:
    """Decided Mon 1 Mar 2027: as of Sun 28 Feb it has not been decided."""
    assert [] == rows([restriction()], D(2027, 2, 28), RR)


@pytest.mark.parametrize(
    ("book", "first"),
    [
        # Strict: Thu 25 Mar + 3 months = Fri 25 Jun 2027, midsummer eve; reconsidered
        # Mon 28 Jun: late.
        (BOOK, (D(2027, 3, 25), D(2027, 6, 25), D(2027, 6, 28), "late", LVU_14_3)),
        # Rolled: Fri 25 (midsummer eve), Sat 26 (Midsummer Day), Sun 27 -> Mon 28 Jun: met.
        (ROLL, (D(2027, 3, 25), D(2027, 6, 28), D(2027, 6, 28), "met", LVU_14_3)),
    ],
    ids=["strict", "roll_forward"],
)
def test_restriction_at_midsummer(book: RuleBook, first: Row) -> None:
    """Decided Thu 25 Mar 2027; next from Mon 28 Jun: Tue 28 Sep 2027."""
    records: list[object] = [restriction(decided_on=D(2027, 3, 25)), reconsidered(D(2027, 6, 28))]
    assert [first, (D(2027, 6, 28), D(2027, 9, 28), None, "open", LVU_14_3)] == rows(
        records, D(2027, 7, 1), RR, book
    )


def test_restriction_month_ends() -> None:
    """Decided Tue 31 Aug 2027: due Tue 30 Nov; reconsidered then, next due Tue 29 Feb 2028."""
    # 31 Aug + 3 months: November has no 31st -> Tue 30 Nov 2027. 30 Nov + 3 months:
    # February 2028 has no 30th -> its last day, Tue 29 Feb 2028 (a leap year).
    records: list[object] = [restriction(decided_on=D(2027, 8, 31)), reconsidered(D(2027, 11, 30))]
    assert [
        (D(2027, 8, 31), D(2027, 11, 30), D(2027, 11, 30), "met", LVU_14_3),
        (D(2027, 11, 30), D(2028, 2, 29), None, "open", LVU_14_3),
    ] == rows(records, D(2027, 12, 1), RR)
