"""The findings of the November 2026 legal audit (issue 10), as cases worked out by hand.

Each case cites the audit's finding (D1-D7) and counts its dates by
hand, weekday by weekday, from the statute and the Swedish calendar, never from
the code's output. The facts relied on:

- LVU (1990:52) 7 §: the custody goes to the administrative court "inom en vecka
  från den dag då beslutet fattades"; if it has not, "upphör omhändertagandet".
  8 §: "Om förvaltningsrätten fastställer" the custody, care is applied for
  within four weeks (28 days) of its enforcement; the court may extend the time.
- Lag (1930:173) 1 §: a week ends on the same weekday; 2 §: an action due on a
  Saturday, Sunday, public holiday, midsummer eve, Christmas eve or New Year's
  eve may be taken on the next weekday. It plainly covers filings with a court
  (LVU 7 § and 8 §), so those roll forward by default; the social committee's
  own duties are strict by default.
- SFS 2025:400 replaced SoL (2001:453) on Tue 1 Jul 2025; its transitional
  provisions keep the old act only for återkrav, ersättningskrav and appeals,
  so a duty done (or falling due) from that day is done under the new act.
- 2027: Good Friday 26 Mar, Easter Monday 29 Mar, midsummer eve Fri 25 Jun,
  Midsummer Day Sat 26 Jun, Christmas eve Fri 24 Dec, Christmas Day Sat 25 Dec,
  Boxing Day Sun 26 Dec; Mon 27 Dec 2027 is a working day.
"""

from __future__ import annotations

import datetime as dt

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from socforst import (
    CourtOutcome,
    Custody,
    Dataset,
    DeadlineStatus,
    Extension,
    Investigation,
    Placement,
    Report,
    Restriction,
    Review,
    RuleBook,
)
from socforst.converters import converter
from socforst.errors import RuleError, UnknownRuleError, ValidationError
from socforst.integrity import problems
from socforst.queries import compliance
from socforst.rules import ProtectionAssessmentDeadline
from tests import strategies as s

D = dt.date

MET = DeadlineStatus.MET
LATE = DeadlineStatus.LATE
OVERDUE = DeadlineStatus.OVERDUE
DUE_SOON = DeadlineStatus.DUE_SOON
OPEN = DeadlineStatus.OPEN

BOOK = RuleBook.swedish()
"""The default book: SoL duties strict, LVU filings with a court rolled."""

# Decided and enforced Mon 1 Mar 2027. 7 §: + 7 days = Mon 8 Mar, a working day.
# 8 §: + 28 days = Mon 29 Mar, Easter Monday -> Tue 30 Mar (rolled by default).
MARCH_1 = D(2027, 3, 1)
WEEK_DUE = D(2027, 3, 8)
CARE_DUE = D(2027, 3, 30)


def custody(**fields: object) -> Custody:
    """A custody of Järva decided and enforced Mon 1 Mar 2027, with *fields*."""
    values: dict[str, object] = {
        "custody_id": "c-1",
        "district": "jarva",
        "decided_on": MARCH_1,
        "enforced_on": MARCH_1,
    }
    values.update(fields)
    return Custody(**values)  # type: ignore[arg-type]


def stood(
    records: list[object], as_of: dt.date, book: RuleBook = BOOK
) -> list[tuple[str, dt.date, DeadlineStatus]]:
    """``(kind, due_on, status)`` of every deadline on *as_of*."""
    return [(d.kind, d.due_on, d.status) for d in book.evaluate(records, as_of)]


# ------------------------------------------------------------ D2: custodies end


def test_a_custody_never_submitted_lapses_and_owes_no_care_application() -> None:
    """The audit's D2 case: not submitted by Mon 8 Mar, so it lapsed; 8 § is not owed."""
    # As of Fri 30 Apr 2027: the week ended Mon 8 Mar, nothing submitted -> 7 § overdue
    # (LVU 7 § third paragraph: the custody lapsed); no 8 § row, not "overdue forever".
    assert [("lvu_court_submission", WEEK_DUE, OVERDUE)] == stood([custody()], D(2027, 4, 30))


def test_within_the_week_an_unsubmitted_custody_still_owes_both() -> None:
    """As of Fri 5 Mar the week still runs: 7 § due soon, 8 § open."""
    # Fri 5 Mar -> Mon 8 Mar: 3 days left, due_soon; 8 § due Tue 30 Mar: 25 days, open.
    expected = [
        ("lvu_court_submission", WEEK_DUE, DUE_SOON),
        ("lvu_care_application", CARE_DUE, OPEN),
    ]
    assert expected == stood([custody()], D(2027, 3, 5))


def test_the_day_after_the_week_an_unsubmitted_custody_has_lapsed() -> None:
    """As of Tue 9 Mar, the day after the week, the 8 § deadline is gone."""
    assert [("lvu_court_submission", WEEK_DUE, OVERDUE)] == stood([custody()], D(2027, 3, 9))


def test_a_custody_submitted_late_shows_late_and_owes_no_care_application() -> None:
    """Decided Fri 17 Dec 2027, submitted Tue 28 Dec: late, lapsed, no 8 §."""
    # 17 Dec + 7 = Fri 24 Dec, Christmas eve -> Sat 25, Sun 26 -> Mon 27 Dec (rolled).
    # Submitted Tue 28 Dec: a day late, so the custody lapsed (7 § third paragraph).
    late = custody(
        decided_on=D(2027, 12, 17),
        enforced_on=D(2027, 12, 17),
        submitted_to_court_on=D(2027, 12, 28),
    )
    assert [("lvu_court_submission", D(2027, 12, 27), LATE)] == stood([late], D(2028, 1, 5))


def test_a_confirmed_custody_owes_the_care_application() -> None:
    """Submitted Fri 5 Mar, confirmed Wed 10 Mar, no application: 8 § overdue on 30 Apr."""
    confirmed = custody(
        submitted_to_court_on=D(2027, 3, 5),
        court_decided_on=D(2027, 3, 10),
        court_outcome="confirmed",
    )
    # 8 §: Mon 29 Mar is Easter Monday -> Tue 30 Mar; not applied by Fri 30 Apr: overdue.
    expected = [
        ("lvu_court_submission", WEEK_DUE, MET),
        ("lvu_care_application", CARE_DUE, OVERDUE),
    ]
    assert expected == stood([confirmed], D(2027, 4, 30))


def test_without_a_recorded_court_decision_the_care_application_is_owed() -> None:
    """An extract without the court's decision: owed from enforcement, as before."""
    # Submitted in time Fri 5 Mar, outcome unknown: 8 § due Tue 30 Mar, overdue on 30 Apr.
    unknown = custody(submitted_to_court_on=D(2027, 3, 5))
    expected = [
        ("lvu_court_submission", WEEK_DUE, MET),
        ("lvu_care_application", CARE_DUE, OVERDUE),
    ]
    assert expected == stood([unknown], D(2027, 4, 30))


def test_a_custody_the_court_lifted_owes_no_care_application_from_that_day() -> None:
    """Lifted by the court Wed 10 Mar: as of Tue 9 Mar 8 § is open, from 10 Mar it is gone."""
    lifted = custody(
        submitted_to_court_on=D(2027, 3, 5),
        court_decided_on=D(2027, 3, 10),
        court_outcome=CourtOutcome.LIFTED,
        ended_on=D(2027, 3, 10),
    )
    # Tue 9 Mar: the court has not decided yet; 8 § due Tue 30 Mar, 21 days: open.
    before = [
        ("lvu_court_submission", WEEK_DUE, MET),
        ("lvu_care_application", CARE_DUE, OPEN),
    ]
    assert before == stood([lifted], D(2027, 3, 9))
    # Wed 10 Mar and later: "Om förvaltningsrätten fastställer" did not happen.
    after = [("lvu_court_submission", WEEK_DUE, MET)]
    assert after == stood([lifted], D(2027, 3, 10))
    assert after == stood([lifted], D(2027, 4, 30))


def test_a_lifted_outcome_without_a_day_counts_on_every_day() -> None:
    """Lifted with no decision day recorded: no 8 § deadline on any day."""
    lifted = custody(submitted_to_court_on=D(2027, 3, 5), court_outcome="lifted")
    # Fri 5 Mar: 7 § met that day; no 8 § even before the (unknown) court day.
    assert [("lvu_court_submission", WEEK_DUE, MET)] == stood([lifted], D(2027, 3, 5))


def test_a_custody_that_ended_before_the_due_day_owes_nothing_more() -> None:
    """Confirmed, then lifted by the board Fri 19 Mar (LVU 9 §): 8 § open on 18 Mar, gone after."""
    ended = custody(
        submitted_to_court_on=D(2027, 3, 5),
        court_decided_on=D(2027, 3, 10),
        court_outcome="confirmed",
        ended_on=D(2027, 3, 19),
    )
    # Thu 18 Mar: the end has not happened; due Tue 30 Mar, 12 days left: open.
    assert ("lvu_care_application", CARE_DUE, OPEN) == stood([ended], D(2027, 3, 18))[1]
    # Fri 19 Mar and later: ended before the due day, no application made: nothing owed.
    assert ["lvu_court_submission"] == [k for k, _, _ in stood([ended], D(2027, 3, 19))]
    assert ["lvu_court_submission"] == [k for k, _, _ in stood([ended], D(2027, 4, 30))]


def test_a_care_application_made_before_the_end_stays_met() -> None:
    """Applied Mon 22 Mar, custody ended Wed 24 Mar: the 8 § deadline was met."""
    applied = custody(
        submitted_to_court_on=D(2027, 3, 5),
        court_decided_on=D(2027, 3, 10),
        court_outcome="confirmed",
        care_applied_on=D(2027, 3, 22),
        ended_on=D(2027, 3, 24),
    )
    assert ("lvu_care_application", CARE_DUE, MET) == stood([applied], D(2027, 4, 30))[1]


def test_a_custody_that_ended_on_the_due_day_still_owed_it() -> None:
    """Ended Tue 30 Mar, the due day itself, without an application: it stood that day."""
    ended = custody(submitted_to_court_on=D(2027, 3, 5), ended_on=CARE_DUE)
    assert ("lvu_care_application", CARE_DUE, OVERDUE) == stood([ended], D(2027, 4, 30))[1]


def test_a_court_extension_counts_from_the_day_the_court_decided_it() -> None:
    """Extended on Mon 5 Apr to Fri 30 Apr: overdue on Thu 1 Apr, open again from 5 Apr."""
    extended = custody(
        submitted_to_court_on=D(2027, 3, 3),
        court_decided_on=D(2027, 3, 8),
        court_outcome="confirmed",
        court_extension_decided_on=D(2027, 4, 5),
        court_extension_until=D(2027, 4, 30),
        care_applied_on=D(2027, 4, 29),
    )
    # Thu 1 Apr: the court has not extended yet; due Tue 30 Mar passed: overdue.
    assert ("lvu_care_application", CARE_DUE, OVERDUE) == stood([extended], D(2027, 4, 1))[1]
    # Mon 5 Apr: due Fri 30 Apr, 25 days left: open.
    assert ("lvu_care_application", D(2027, 4, 30), OPEN) == stood([extended], D(2027, 4, 5))[1]
    # Mon 3 May: applied Thu 29 Apr, within the extension: met.
    assert ("lvu_care_application", D(2027, 4, 30), MET) == stood([extended], D(2027, 5, 3))[1]


def test_a_court_extension_without_its_day_counts_from_the_original_due_day() -> None:
    """No decision day: the extension to Fri 30 Apr counts from Tue 30 Mar."""
    extended = custody(submitted_to_court_on=D(2027, 3, 3), court_extension_until=D(2027, 4, 30))
    # Mon 29 Mar (Easter Monday): not yet counted, due Tue 30 Mar, 1 day left: due_soon.
    assert ("lvu_care_application", CARE_DUE, DUE_SOON) == stood([extended], D(2027, 3, 29))[1]
    # Tue 30 Mar, the original due day: counted, due Fri 30 Apr, 31 days: open.
    assert ("lvu_care_application", D(2027, 4, 30), OPEN) == stood([extended], CARE_DUE)[1]


def test_without_a_submission_column_no_lapse_is_inferred() -> None:
    """An empty submission where the column is absent is unknown: 8 § stays owed."""
    # As of Fri 30 Apr, the week long passed; the column is unknown, so no lapse.
    found = BOOK.evaluate(
        [custody()], D(2027, 4, 30), unknown_columns=[("custodies", "submitted_to_court_on")]
    )
    assert [("lvu_care_application", CARE_DUE, OVERDUE)] == [
        (d.kind, d.due_on, d.status) for d in found if d.kind == "lvu_care_application"
    ]


def test_a_custody_ending_before_its_decision_is_refused() -> None:
    """``ended_on`` before ``decided_on`` is a validation error that names both."""
    with pytest.raises(ValueError, match="ended_on"):
        custody(ended_on=D(2027, 2, 28))


def test_an_unknown_court_outcome_is_refused() -> None:
    """Only ``confirmed`` and ``lifted`` are outcomes."""
    with pytest.raises(ValueError, match="court_outcome"):
        custody(court_outcome="upheld")


# --------------------------------------------------- D3: Lag (1930:173) 2 § per rule


def test_by_default_a_monday_filing_after_christmas_is_in_time() -> None:
    """The audit's D3 case: decided Fri 17 Dec 2027, submitted Mon 27 Dec: met by default."""
    # + 7 = Fri 24 Dec, Christmas eve; Sat 25, Sun 26 -> Mon 27 Dec. Submitted that day.
    filed = custody(
        decided_on=D(2027, 12, 17), enforced_on=None, submitted_to_court_on=D(2027, 12, 27)
    )
    assert [("lvu_court_submission", D(2027, 12, 27), MET)] == stood([filed], D(2028, 1, 5))


def test_a_strict_reading_of_the_court_submission_can_be_chosen() -> None:
    """With ``readings={"lvu_court_submission": "strict"}`` the same filing is late."""
    strict = RuleBook.swedish(readings={"lvu_court_submission": "strict"})
    filed = custody(
        decided_on=D(2027, 12, 17), enforced_on=None, submitted_to_court_on=D(2027, 12, 27)
    )
    # Strict: due Fri 24 Dec, submitted Mon 27 Dec: late.
    assert [("lvu_court_submission", D(2027, 12, 24), LATE)] == stood(
        [filed], D(2028, 1, 5), strict
    )


def test_the_lapse_follows_the_reading_chosen_for_the_court_submission() -> None:
    """Enforced Fri 17 Dec 2027, submitted Mon 27 Dec: 8 § owed by default, lapsed if strict."""
    filed = custody(
        decided_on=D(2027, 12, 17),
        enforced_on=D(2027, 12, 17),
        submitted_to_court_on=D(2027, 12, 27),
    )
    # Default: in time, so 8 § is owed: 17 Dec + 28 = Fri 14 Jan 2028, a working day.
    assert ("lvu_care_application", D(2028, 1, 14), OPEN) == stood([filed], D(2028, 1, 5))[1]
    # Strict 7 §: late on Mon 27 Dec, the custody lapsed: no 8 § row.
    strict = RuleBook.swedish(readings={"lvu_court_submission": "strict"})
    assert ["lvu_court_submission"] == [k for k, _, _ in stood([filed], D(2028, 1, 5), strict)]


def test_the_care_application_rolls_by_default_in_the_strict_book() -> None:
    """Enforced Mon 1 Mar 2027: + 28 = Easter Monday 29 Mar -> Tue 30 Mar, even in a strict book."""
    (_, care) = BOOK.deadlines(custody())
    assert CARE_DUE == care.due_on
    # Following the book's (strict) reading instead: Mon 29 Mar.
    book = RuleBook.swedish(readings={"lvu_care_application": "book"})
    assert D(2027, 3, 29) == book.deadlines(custody())[1].due_on


def test_the_sol_duties_keep_the_books_reading() -> None:
    """Received Fri 11 Jun 2027: + 14 = Fri 25 Jun, midsummer eve. Strict by default."""
    report = Report(report_id="r-1", district="farsta", received_at=dt.datetime(2027, 6, 11, 10))
    # Strict: Fri 25 Jun. Rolled: Sat 26 (Midsummer Day), Sun 27 -> Mon 28 Jun.
    assert D(2027, 6, 25) == BOOK.deadlines(report)[1].due_on
    assert D(2027, 6, 28) == RuleBook.swedish(roll_forward=True).deadlines(report)[1].due_on
    one = RuleBook.swedish(readings={"preassessment": "roll_forward"})
    assert D(2027, 6, 28) == one.deadlines(report)[1].due_on


def test_each_rules_default_reading_is_stated_on_the_rule() -> None:
    """LVU 7 § and 8 § roll; the SoL duties and the reviews follow the book (``None``)."""
    readings = {
        kind: getattr(BOOK.rule(kind), "roll_forward", "never")
        for kind in BOOK.kinds
        if kind != "protection_assessment"
    }
    expected = {
        "preassessment": None,
        "investigation": None,
        "placement_review": None,
        "lvu_court_submission": True,
        "lvu_care_application": True,
        "protected_housing_review": None,
        "custody_transfer_consideration": None,
        "lvu_care_start": None,
        "lvu_review": None,
        "lvu_care_end_review": None,
        "lvu_restriction_review": None,
    }
    assert expected == readings


def test_bad_readings_are_refused() -> None:
    """An unknown reading, a rule without one, and an unknown kind each raise."""
    with pytest.raises(RuleError, match="unknown reading 'lenient'"):
        RuleBook.swedish(readings={"preassessment": "lenient"})
    with pytest.raises(RuleError, match="no reading"):
        RuleBook.swedish(readings={"protection_assessment": "strict"})
    with pytest.raises(UnknownRuleError):
        RuleBook.swedish(readings={"lvu": "strict"})


def test_the_columnar_path_rolls_the_court_submission_by_default() -> None:
    """evaluate_columns gives Mon 27 Dec for a decision of Fri 17 Dec 2027, met that day."""
    start = np.array(["2027-12-17"], dtype="datetime64[D]")
    met = np.array(["2027-12-27"], dtype="datetime64[D]")
    due, status = BOOK.evaluate_columns("lvu_court_submission", start, met, D(2028, 1, 5))
    assert (["2027-12-27"], ["met"]) == (due.astype(str).tolist(), status.tolist())


# ---------------------------------------------------------- D1: as-of is honest


def test_a_placement_end_after_the_day_has_not_happened() -> None:
    """The audit's D1 case: started Sun 10 Jan 2027, ended Mon 5 Jul; as of Tue 1 Jun."""
    # 10 Jan + 6 months = Sat 10 Jul (strict). As of 1 Jun the end (5 Jul) had not
    # happened: the review is owed, 39 days left: open.
    placement = Placement(
        placement_id="p",
        district="farsta",
        basis="sol",
        started_on=D(2027, 1, 10),
        ended_on=D(2027, 7, 5),
    )
    assert [("placement_review", D(2027, 7, 10), OPEN)] == stood([placement], D(2027, 6, 1))
    # As of Tue 6 Jul the placement ended before the due day: nothing owed.
    assert [] == stood([placement], D(2027, 7, 6))


def test_an_lvu_placement_end_after_the_day_has_not_happened() -> None:
    """The same for care under LVU 2 §: the 13 § review running on 1 Jun stays owed."""
    placement = Placement(
        placement_id="p",
        district="farsta",
        basis="lvu_2",
        started_on=D(2027, 1, 10),
        ended_on=D(2027, 7, 5),
    )
    assert [("lvu_review", D(2027, 7, 10), OPEN)] == stood([placement], D(2027, 6, 1))


def test_a_review_after_a_future_end_is_not_taken_as_done() -> None:
    """Ended Thu 1 Jul 2027, reviewed Fri 2 Jul: owed on 30 Jun, nothing owed once it ended."""
    # Started Sun 10 Jan -> due Sat 10 Jul. As of Wed 30 Jun the end has not happened:
    # owed, 10 days left, open. As of Sat 3 Jul it ended (1 Jul) before the due day:
    # nothing owed, and the review after the end does not count.
    placement = Placement(
        placement_id="p",
        district="farsta",
        basis="sol",
        started_on=D(2027, 1, 10),
        ended_on=D(2027, 7, 1),
    )
    review = Review(placement_id="p", reviewed_on=D(2027, 7, 2))
    assert [("placement_review", D(2027, 7, 10), OPEN)] == stood(
        [placement, review], D(2027, 6, 30)
    )
    assert [] == stood([placement, review], D(2027, 7, 3))


def _truncated(record: object, as_of: dt.date) -> object | None:
    """*record* as known on *as_of*: every fact dated after it set to None, or the record gone."""
    if isinstance(record, Review):
        return record if record.reviewed_on <= as_of else None
    if isinstance(record, Extension):
        return record if record.decided_on <= as_of else None

    def known(day: dt.date | None) -> dt.date | None:
        return day if day is not None and day <= as_of else None

    if isinstance(record, Placement):
        if record.started_on > as_of:
            return None
        return attrs.evolve(
            record,
            care_enforced_on=known(record.care_enforced_on),
            care_decision_final_on=known(record.care_decision_final_on),
            family_home_from=known(record.family_home_from),
            ended_on=known(record.ended_on),
        )
    if isinstance(record, Restriction):
        if record.decided_on > as_of:
            return None
        return attrs.evolve(record, ended_on=known(record.ended_on))
    if isinstance(record, Report):
        if record.received_on > as_of:
            return None
        assessed = record.protection_assessed_at
        return attrs.evolve(
            record,
            protection_assessed_at=None
            if assessed is None or assessed.date() > as_of
            else assessed,
            preassessment_decided_on=known(record.preassessment_decided_on),
        )
    if isinstance(record, Investigation):
        if record.opened_on > as_of:
            return None
        return attrs.evolve(record, closed_on=known(record.closed_on))
    assert isinstance(record, Custody)
    if record.decided_on > as_of:
        return None
    court_known = record.court_decided_on is None or record.court_decided_on <= as_of
    extension_known = (
        record.court_extension_decided_on is None or record.court_extension_decided_on <= as_of
    )
    return attrs.evolve(
        record,
        enforced_on=known(record.enforced_on),
        submitted_to_court_on=known(record.submitted_to_court_on),
        court_decided_on=known(record.court_decided_on),
        court_outcome=record.court_outcome if court_known else None,
        care_applied_on=known(record.care_applied_on),
        # An extension without its day is dated by the original due day, which the
        # rule itself honours: it stays as it is.
        court_extension_decided_on=known(record.court_extension_decided_on),
        court_extension_until=record.court_extension_until if extension_known else None,
        ended_on=known(record.ended_on),
    )


@st.composite
def cases_and_a_day(draw: st.DrawFn) -> tuple[list[object], dt.date]:
    """Reports, investigations, extensions, placements, reviews, restrictions, custodies, a day."""
    records: list[object] = []
    records.extend(draw(st.lists(s.reports(), max_size=3)))
    for investigation in draw(st.lists(s.investigations(), max_size=3)):
        records.append(investigation)
        records.extend(draw(st.lists(s.extensions(investigation), max_size=2)))
    for placement in draw(st.lists(s.placements(), max_size=4)):
        records.append(placement)
        records.extend(draw(st.lists(s.reviews(placement), max_size=6)))
        if placement.basis.is_lvu:
            records.extend(draw(st.lists(s.restrictions(placement), max_size=2)))
    records.extend(draw(st.lists(s.custodies(), max_size=4)))
    firsts = [r.started_on for r in records if isinstance(r, Placement)]
    firsts += [r.decided_on for r in records if isinstance(r, Custody)]
    firsts += [r.received_on for r in records if isinstance(r, Report)]
    firsts += [r.opened_on for r in records if isinstance(r, Investigation)]
    if not firsts:
        return records, draw(s.dates())
    anchor = draw(st.sampled_from(firsts))
    return records, anchor + dt.timedelta(days=draw(st.integers(-20, 800)))


@pytest.mark.parametrize("roll_forward", [False, True])
def test_evaluating_on_a_day_equals_evaluating_what_was_known_that_day(
    roll_forward: bool,
) -> None:
    """``evaluate(records, D) == evaluate(records truncated to facts dated <= D, D)``."""
    book = RuleBook.swedish(roll_forward=roll_forward)

    @given(cases_and_a_day())
    def check(case: tuple[list[object], dt.date]) -> None:
        records, as_of = case
        known = [t for t in (_truncated(r, as_of) for r in records) if t is not None]
        assert book.evaluate(records, as_of) == book.evaluate(known, as_of)

    check()


# ------------------------------------------------------------ D6: justified delays

# Received Mon 6 Sep 2027 at 10:00: day 0; + 14 = Mon 20 Sep 2027, a working day, so
# both readings of 2 § agree.
SEPT_6 = dt.datetime(2027, 9, 6, 10)
SEPT_20 = D(2027, 9, 20)
REASON = "polisförhör kunde inte hållas förrän 2027-09-23"


def preassessed(report_id: str, decided_on: dt.date | None, reason: str | None = None) -> Report:
    """A report of Farsta received Mon 6 Sep 2027, assessed at once, decided as given."""
    return Report(
        report_id=report_id,
        district="farsta",
        received_at=SEPT_6,
        protection_assessed_at=SEPT_6,
        preassessment_decided_on=decided_on,
        preassessment_outcome=None if decided_on is None else "opened",
        exceptional_reason=reason,
    )


def test_a_late_decision_with_a_recorded_reason_is_justified() -> None:
    """The audit's D6 case: due Mon 20 Sep, decided Fri 24 Sep with synnerliga skäl."""
    record = preassessed("r", D(2027, 9, 24), REASON)
    (_, pre) = BOOK.evaluate([record], D(2027, 9, 30))
    assert (SEPT_20, D(2027, 9, 24), DeadlineStatus.JUSTIFIED) == (
        pre.due_on,
        pre.met_on,
        pre.status,
    )


def test_a_late_decision_without_a_reason_is_late() -> None:
    """The same decision of Fri 24 Sep without a reason: late."""
    (_, pre) = BOOK.evaluate([preassessed("r", D(2027, 9, 24))], D(2027, 9, 30))
    assert LATE == pre.status


def test_a_reason_does_not_excuse_an_undecided_preassessment() -> None:
    """Not decided by Thu 30 Sep, a reason recorded: still overdue (the due day never moves)."""
    (_, pre) = BOOK.evaluate([preassessed("r", None, REASON)], D(2027, 9, 30))
    assert (SEPT_20, OVERDUE) == (pre.due_on, pre.status)


def test_before_the_late_decision_it_is_overdue() -> None:
    """As of Thu 23 Sep the decision of Fri 24 Sep has not happened: overdue, not justified."""
    (_, pre) = BOOK.evaluate([preassessed("r", D(2027, 9, 24), REASON)], D(2027, 9, 23))
    assert (None, OVERDUE) == (pre.met_on, pre.status)


def test_a_decision_in_time_with_a_reason_is_met() -> None:
    """Decided Fri 17 Sep, before the due day: met, whatever reason is recorded."""
    (_, pre) = BOOK.evaluate([preassessed("r", D(2027, 9, 17), REASON)], D(2027, 9, 30))
    assert MET == pre.status


def test_the_columnar_path_takes_the_reasons() -> None:
    """Reports of Mon 6 Sep decided 17, 24 and 24 Sep; the second with a reason, the third not."""
    start = np.array(["2027-09-06"] * 3, dtype="datetime64[D]")
    met = np.array(["2027-09-17", "2027-09-24", "2027-09-24"], dtype="datetime64[D]")
    as_of = D(2027, 9, 30)
    for reason in (
        np.array([False, True, False]),
        np.array([REASON, REASON, None], dtype=object),
        [None, REASON, ""],
    ):
        due, status = BOOK.evaluate_columns("preassessment", start, met, as_of, reason)
        assert ["met", "justified", "late"] == status.tolist()
        assert ["2027-09-20"] * 3 == due.astype(str).tolist()
    # Without the reasons, no row has one: the second is late, as before.
    _, status = BOOK.evaluate_columns("preassessment", start, met, as_of)
    assert ["met", "late", "late"] == status.tolist()


def test_bad_reason_columns_are_refused() -> None:
    """A reason column of numbers, or of another length, is a ValidationError."""
    start = np.array(["2027-09-06"], dtype="datetime64[D]")
    met = np.array(["NaT"], dtype="datetime64[D]")
    with pytest.raises(ValueError, match="reason"):
        BOOK.evaluate_columns("preassessment", start, met, D(2027, 9, 30), np.array([1.5]))
    with pytest.raises(ValueError, match="reason"):
        BOOK.evaluate_columns("preassessment", start, met, D(2027, 9, 30), [True, False])


def test_compliance_counts_met_justified_and_late_apart() -> None:
    """September 2027 in Farsta: one met, one justified, one late, one never decided."""
    # All received Mon 6 Sep, due Mon 20 Sep under both readings; as of Thu 30 Sep all
    # are settled. a met (17 Sep); b justified (24 Sep, reason); c late (24 Sep, no
    # reason); d not decided: late. owed 4; met 1 (0.25); justified 1; late 2.
    dataset = Dataset(
        reports=[
            preassessed("a", D(2027, 9, 17)),
            preassessed("b", D(2027, 9, 24), REASON),
            preassessed("c", D(2027, 9, 24)),
            preassessed("d", None),
        ]
    )
    (row,) = compliance(dataset, as_of=D(2027, 9, 30))
    # Not final on Thu 30 Sep: a posted report found on Fri 1 Oct still counts as received
    # on 30 Sep (FL 22 §), so September can gain deadlines; none is still open.
    assert ("farsta", D(2027, 9, 1), False, 4, 0, 1, 1, 1, 1, 2, 2, 0.25, 0.25, 0.0) == (
        attrs.astuple(row)
    )


# ------------------------------------------------- D4: the provision cited

OLD_PRE = "SoL (2001:453) 11 kap. 1 a §"
NEW_PRE = "SoL (2025:400) 20 kap. 2 §"
OLD_INV = "SoL (2001:453) 11 kap. 2 §"
NEW_INV = "SoL (2025:400) 20 kap. 3 §"
OLD_REV = "SoL (2001:453) 6 kap. 8 § första stycket"
NEW_REV = "SoL (2025:400) 22 kap. 13 § första stycket"

# Received Mon 30 Jun 2025 at 15:00, the last day of SoL (2001:453): day 0; + 14 =
# Mon 14 Jul 2025, a working day, so both readings agree.
JUNE_30 = dt.datetime(2025, 6, 30, 15)


def decided(decided_on: dt.date | None, received_at: dt.datetime = JUNE_30) -> Report:
    """A report of Farsta, assessed at once, decided as given."""
    return Report(
        report_id="r",
        district="farsta",
        received_at=received_at,
        protection_assessed_at=received_at,
        preassessment_decided_on=decided_on,
    )


def cited(records: list[object], as_of: dt.date) -> list[tuple[str, str, DeadlineStatus]]:
    """``(kind, reference, status)`` of every deadline on *as_of*."""
    return [(d.kind, d.reference, d.status) for d in BOOK.evaluate(records, as_of)]


def test_a_preassessment_decided_after_the_change_cites_the_new_act() -> None:
    """Received Mon 30 Jun 2025, decided Thu 10 Jul (due Mon 14 Jul): SoL (2025:400) 20:2."""
    (_, pre) = BOOK.evaluate([decided(D(2025, 7, 10))], D(2025, 7, 31))
    assert (D(2025, 7, 14), MET, NEW_PRE) == (pre.due_on, pre.status, pre.reference)


def test_a_preassessment_decided_on_the_last_day_of_the_old_act_cites_it() -> None:
    """Received and decided Mon 30 Jun 2025: done under SoL (2001:453) 11 kap. 1 a §."""
    (_, pre) = BOOK.evaluate([decided(D(2025, 6, 30))], D(2025, 7, 31))
    assert (MET, OLD_PRE) == (pre.status, pre.reference)


def test_as_of_a_day_before_the_decision_the_due_day_is_cited() -> None:
    """As of Sat 5 Jul 2025 the decision of 10 Jul has not happened: cite the due day, 14 Jul."""
    # Not done by 5 Jul: the law in force on the due day Mon 14 Jul 2025 is SoL (2025:400);
    # 9 days left, so open.
    (_, pre) = BOOK.evaluate([decided(D(2025, 7, 10))], D(2025, 7, 5))
    assert (None, OPEN, NEW_PRE) == (pre.met_on, pre.status, pre.reference)


def test_on_the_last_day_of_the_old_act_an_undecided_report_cites_its_due_day() -> None:
    """As of Mon 30 Jun 2025, a report of that day not yet decided is due 14 Jul: the new act."""
    (_, pre) = BOOK.evaluate([decided(D(2025, 7, 10))], D(2025, 6, 30))
    assert (OPEN, NEW_PRE) == (pre.status, pre.reference)


def test_a_decision_made_late_after_the_change_cites_the_act_of_its_due_day() -> None:
    """Received Mon 16 Jun 2025, due Mon 30 Jun, decided Wed 2 Jul: late, under the old act."""
    # Mon 16 Jun + 14 = Mon 30 Jun 2025 (strict; a working day anyway). Not done by the due
    # day, so the provision in force on the due day is cited: SoL (2001:453) 11 kap. 1 a §.
    record = decided(D(2025, 7, 2), received_at=dt.datetime(2025, 6, 16, 9))
    (_, pre) = BOOK.evaluate([record], D(2025, 7, 31))
    assert (D(2025, 6, 30), LATE, OLD_PRE) == (pre.due_on, pre.status, pre.reference)


def test_a_protection_assessment_made_the_next_day_cites_its_due_day() -> None:
    """Received Mon 30 Jun 2025, assessed Tue 1 Jul at 08:00: late under SoL (2001:453)."""
    # "genast": due Mon 30 Jun; done after it, so the act of the due day is cited.
    record = attrs.evolve(decided(None), protection_assessed_at=dt.datetime(2025, 7, 1, 8))
    (protection, _) = BOOK.evaluate([record], D(2025, 7, 31))
    assert (LATE, "SoL (2001:453) 11 kap. 1 a §") == (protection.status, protection.reference)


def test_an_investigation_cites_the_act_of_its_closing_or_its_due_day() -> None:
    """Opened Mon 3 Mar 2025, due Thu 3 Jul: closed Fri 27 Jun, Wed 2 Jul, or not at all."""

    # 1930:173 1 §: Mon 3 Mar 2025 + 4 months = Thu 3 Jul 2025, a working day.
    def investigation(closed_on: dt.date | None) -> Investigation:
        return Investigation(
            investigation_id="u", district="farsta", opened_on=D(2025, 3, 3), closed_on=closed_on
        )

    found = [
        (d.due_on, d.reference)
        for closed_on in (D(2025, 6, 27), D(2025, 7, 2), None)
        for d in BOOK.evaluate([investigation(closed_on)], D(2025, 7, 31))
    ]
    assert [
        (D(2025, 7, 3), OLD_INV),  # closed under the old act
        (D(2025, 7, 3), NEW_INV),  # closed Wed 2 Jul, under the new one
        (D(2025, 7, 3), NEW_INV),  # never closed: the act of Thu 3 Jul
    ] == found


def test_an_extended_investigation_cites_the_act_of_its_extended_due_day() -> None:
    """Opened Wed 15 Jan 2025, due Thu 15 May; extended on 10 May until Tue 15 Jul; open."""
    # Extended in time (10 May <= 15 May) to Tue 15 Jul 2025: not closed by then, so the
    # act in force on 15 Jul, SoL (2025:400) 20 kap. 3 §, although it opened under the old.
    records: list[object] = [
        Investigation(investigation_id="u", district="farsta", opened_on=D(2025, 1, 15)),
        Extension(investigation_id="u", decided_on=D(2025, 5, 10), until=D(2025, 7, 15)),
    ]
    (inv,) = BOOK.evaluate(records, D(2025, 7, 31))
    assert (D(2025, 7, 15), OVERDUE, NEW_INV) == (inv.due_on, inv.status, inv.reference)


def test_a_review_period_running_over_the_change_cites_the_new_act() -> None:
    """The audit's D4 case: placed Tue 31 Dec 2024, reviewed Mon 30 Jun and Mon 29 Dec 2025."""
    # Period 1: Tue 31 Dec 2024 + 6 months: June has no 31st, so its last day, Mon 30 Jun
    # 2025 (1930:173 1 §); reviewed that day, under the old act.
    # Period 2: from Mon 30 Jun 2025, due Tue 30 Dec 2025; reviewed Mon 29 Dec: the new act.
    # Period 3: from Mon 29 Dec 2025, due Mon 29 Jun 2026, open on Mon 5 Jan 2026.
    records: list[object] = [
        Placement(placement_id="p", district="farsta", basis="sol", started_on=D(2024, 12, 31)),
        Review(placement_id="p", reviewed_on=D(2025, 6, 30)),
        Review(placement_id="p", reviewed_on=D(2025, 12, 29)),
    ]
    found = [(d.starts_on, d.due_on, d.reference) for d in BOOK.evaluate(records, D(2026, 1, 5))]
    assert [
        (D(2024, 12, 31), D(2025, 6, 30), OLD_REV),
        (D(2025, 6, 30), D(2025, 12, 30), NEW_REV),
        (D(2025, 12, 29), D(2026, 6, 29), NEW_REV),
    ] == found


def test_a_review_period_not_yet_met_cites_the_act_of_its_due_day() -> None:
    """The same placement as of Mon 1 Dec 2025: period 2 (due Tue 30 Dec 2025) is open."""
    records: list[object] = [
        Placement(placement_id="p", district="farsta", basis="sol", started_on=D(2024, 12, 31)),
        Review(placement_id="p", reviewed_on=D(2025, 6, 30)),
        Review(placement_id="p", reviewed_on=D(2025, 12, 29)),
    ]
    assert [
        ("placement_review", OLD_REV, MET),
        ("placement_review", NEW_REV, OPEN),
    ] == cited(records, D(2025, 12, 1))


def test_the_columnar_path_cites_as_the_object_path() -> None:
    """Reports of Mon 30 Jun 2025 decided 30 Jun, 10 Jul, never; one of Mon 16 Jun decided 2 Jul."""
    start = np.array(["2025-06-30", "2025-06-30", "2025-06-30", "2025-06-16"], "datetime64[D]")
    met = np.array(["2025-06-30", "2025-07-10", "NaT", "2025-07-02"], "datetime64[D]")
    as_of = D(2025, 7, 31)
    due, status = BOOK.evaluate_columns("preassessment", start, met, as_of)
    assert ["met", "met", "overdue", "late"] == status.tolist()
    assert [OLD_PRE, NEW_PRE, NEW_PRE, OLD_PRE] == BOOK.cite_columns(
        "preassessment", start, due, met, as_of
    ).tolist()
    # As of Sat 5 Jul 2025 the decision of 10 Jul has not happened: the due day's act.
    due, _ = BOOK.evaluate_columns("preassessment", start, met, D(2025, 7, 5))
    assert [OLD_PRE, NEW_PRE, NEW_PRE, OLD_PRE] == BOOK.cite_columns(
        "preassessment", start, due, met, D(2025, 7, 5)
    ).tolist()


def test_columns_of_different_lengths_cannot_be_cited() -> None:
    """A due column shorter than the start column is a ValidationError naming the arrays."""
    start = np.array(["2025-06-30", "2025-06-30"], "datetime64[D]")
    with pytest.raises(ValueError, match="'due' and 'met'"):
        BOOK.cite_columns("preassessment", start, start[:1], start, D(2025, 7, 31))


# ------------------------------------- D7: the day a report counts as received

# Förvaltningslagen (2017:900) 22 §: a posted report, or one lying in the post box when it
# is first emptied on a day, counts as received on the previous working day. The post box
# emptied at 08:15 on Mon 13 Sep 2027 holds a report that counts as received Fri 10 Sep.
POSTED_AT = dt.datetime(2027, 9, 13, 8, 15)
POSTED_COUNTS = D(2027, 9, 10)


def posted(**fields: object) -> Report:
    """A report of Farsta registered Mon 13 Sep 2027 08:15 that counts as received Fri 10 Sep."""
    values: dict[str, object] = {
        "report_id": "r",
        "district": "farsta",
        "received_at": POSTED_AT,
        "counts_as_received_on": POSTED_COUNTS,
    }
    values.update(fields)
    return Report(**values)  # type: ignore[arg-type]


def test_a_report_in_the_monday_post_box_counts_from_the_friday() -> None:
    """The audit's C9: Fri 10 Sep + 14 = Fri 24 Sep 2027, not Mon 13 Sep + 14 = Mon 27 Sep."""
    (protection, pre) = BOOK.deadlines(posted())
    assert (POSTED_COUNTS, D(2027, 9, 24)) == (pre.starts_on, pre.due_on)
    # "genast" from the day it counts as received: Fri 10 Sep.
    assert (POSTED_COUNTS, POSTED_COUNTS) == (protection.starts_on, protection.due_on)


def test_without_the_day_the_same_report_counts_from_its_registration() -> None:
    """Registered Mon 13 Sep 2027 with no day recorded: Mon 13 Sep + 14 = Mon 27 Sep."""
    (_, pre) = BOOK.deadlines(posted(counts_as_received_on=None))
    assert (D(2027, 9, 13), D(2027, 9, 27)) == (pre.starts_on, pre.due_on)


def test_a_decision_on_the_monday_after_is_late_for_a_posted_report() -> None:
    """Decided Mon 27 Sep 2027: late, the 14 days ran out on Fri 24 Sep (both readings)."""
    record = posted(preassessment_decided_on=D(2027, 9, 27))
    for book in (BOOK, RuleBook.swedish(roll_forward=True)):
        (_, pre) = book.evaluate([record], D(2027, 9, 30))
        assert (D(2027, 9, 24), LATE) == (pre.due_on, pre.status)


def test_a_report_in_the_post_box_after_easter_counts_from_maundy_thursday() -> None:
    """Emptied Tue 30 Mar 2027: counts as Thu 25 Mar; + 14 = Thu 8 Apr 2027, not Tue 13 Apr."""
    # Good Friday 26 Mar to Easter Monday 29 Mar are no working days: the previous working
    # day is Thu 25 Mar. Registered Tue 30 Mar, the count would give Tue 13 Apr.
    record = posted(received_at=dt.datetime(2027, 3, 30, 8), counts_as_received_on=D(2027, 3, 25))
    (_, pre) = BOOK.deadlines(record)
    assert D(2027, 4, 8) == pre.due_on


def test_the_protection_assessment_of_a_posted_report_is_due_the_day_it_counts() -> None:
    """Assessed Mon 13 Sep 2027 09:00 for a report that counts as received Fri 10 Sep: late."""
    record = posted(protection_assessed_at=dt.datetime(2027, 9, 13, 9))
    (protection, _) = BOOK.evaluate([record], D(2027, 9, 13))
    assert (POSTED_COUNTS, D(2027, 9, 13), LATE) == (
        protection.due_on,
        protection.met_on,
        protection.status,
    )


def test_a_cutoff_does_not_move_a_posted_report() -> None:
    """With a 16:00 cut-off, registered Mon 13 Sep at 17:00, counting Fri 10 Sep: due 10 Sep."""
    # The time of day is the registration's, not the Friday's: the cut-off does not apply.
    rule = ProtectionAssessmentDeadline(cutoff=dt.time(16))
    book = RuleBook.swedish().with_rule(rule)
    record = posted(received_at=dt.datetime(2027, 9, 13, 17))
    (protection, _) = book.deadlines(record)
    assert POSTED_COUNTS == protection.due_on
    # Not posted, the same instant is due the next day, Tue 14 Sep.
    (protection, _) = book.deadlines(posted(received_at=dt.datetime(2027, 9, 13, 17),
                                            counts_as_received_on=None))  # fmt: skip
    assert D(2027, 9, 14) == protection.due_on


def test_before_it_was_registered_a_posted_report_owes_nothing() -> None:
    """As of Sat 11 Sep 2027 the report registered Mon 13 Sep is unknown: no deadline."""
    assert [] == stood([posted()], D(2027, 9, 11))
    # On Mon 13 Sep: the protection assessment is overdue (due Fri 10 Sep), the
    # preassessment open (due Fri 24 Sep, 11 days left).
    assert [
        ("protection_assessment", POSTED_COUNTS, OVERDUE),
        ("preassessment", D(2027, 9, 24), OPEN),
    ] == stood([posted()], D(2027, 9, 13))


def test_a_report_cannot_count_as_received_after_it_was_registered() -> None:
    """Counting as received Tue 14 Sep for a report registered Mon 13 Sep is refused."""
    with pytest.raises(ValidationError, match="'counts_as_received_on' \\(2027-09-14\\) is after"):
        posted(counts_as_received_on=D(2027, 9, 14))
    # The same day is allowed (a report registered on the day it counts as received).
    assert D(2027, 9, 13) == posted(counts_as_received_on=D(2027, 9, 13)).legally_received_on


def test_the_integrity_check_compares_decisions_with_the_day_a_report_counts() -> None:
    """Decided Fri 10 Sep for a report that counts as received that day: no error; Thu 9 Sep is."""
    in_order = posted(report_id="r1", preassessment_decided_on=D(2027, 9, 10))
    early = posted(report_id="r2", preassessment_decided_on=D(2027, 9, 9))
    found = problems({"reports": [in_order, early]}, {"reports": ("r.csv", [2, 3])})
    assert [("reports", 3, "preassessment_decided_on")] == [
        (e.table, e.row, e.column) for e in found
    ]
    assert "('2027-09-09') is before the day the report was received ('2027-09-10')" == (
        found[0].reason
    )


def test_compliance_counts_a_posted_report_in_the_month_it_counts_as_received() -> None:
    """Emptied Fri 1 Oct 2027, counting as Thu 30 Sep: a September report, due Thu 14 Oct."""
    # Decided Wed 13 Oct: met. As of Sat 30 Oct 2027 September is settled: 1 owed, 1 met.
    record = posted(
        received_at=dt.datetime(2027, 10, 1, 8),
        counts_as_received_on=D(2027, 9, 30),
        protection_assessed_at=dt.datetime(2027, 10, 1, 9),
        preassessment_decided_on=D(2027, 10, 13),
    )
    rows = compliance(Dataset(reports=[record]), as_of=D(2027, 10, 30))
    assert [(D(2027, 9, 1), 1, 1)] == [(r.month, r.owed, r.met_strict) for r in rows]


# -------------------------------------------- D5: LVU 13 §, övervägande and prövning

# LVU 13 § second paragraph (care under 3 §): "inom sex månader från dagen för
# verkställighet av vårdbeslutet pröva om vård med stöd av lagen ska upphöra"; first
# paragraph (care under 2 §): "minst en gång var sjätte månad överväga", from the day care
# began (10 §: placed outside the home). The audit's D5 case: placed on an immediate
# custody on Sun 10 Jan 2027, the care decision enforced on Sat 20 Feb 2027.
CUSTODY_DAY = D(2027, 1, 10)
ENFORCED = D(2027, 2, 20)


def lvu(basis: str, care_enforced_on: dt.date | None = ENFORCED) -> Placement:
    """A placement of Järva under LVU from Sun 10 Jan 2027, care enforced as given."""
    return Placement(
        placement_id="p",
        district="jarva",
        basis=basis,
        started_on=CUSTODY_DAY,
        care_enforced_on=care_enforced_on,
    )


def test_the_first_provning_of_3_section_care_counts_from_the_enforcement() -> None:
    """Enforced Sat 20 Feb 2027: + 6 months = Fri 20 Aug 2027, not Sat 10 Jul."""
    (review,) = BOOK.deadlines(lvu("lvu_3"))
    assert (ENFORCED, D(2027, 8, 20)) == (review.starts_on, review.due_on)


def test_without_the_enforcement_day_3_section_care_counts_from_the_start() -> None:
    """care_enforced_on empty: from Sun 10 Jan 2027, + 6 months = Sat 10 Jul 2027."""
    (review,) = BOOK.deadlines(lvu("lvu_3", None))
    assert (CUSTODY_DAY, D(2027, 7, 10)) == (review.starts_on, review.due_on)


def test_the_overvagande_of_2_section_care_counts_from_the_placement() -> None:
    """Care under 2 §: Sun 10 Jan + 6 months = Sat 10 Jul 2027 (rolled, Mon 12 Jul)."""
    # 13 § first paragraph counts from the day care began (10 §), not the enforcement.
    (strict,) = BOOK.deadlines(lvu("lvu_2"))
    (rolled,) = RuleBook.swedish(roll_forward=True).deadlines(lvu("lvu_2"))
    assert (CUSTODY_DAY, D(2027, 7, 10), D(2027, 7, 12)) == (
        strict.starts_on,
        strict.due_on,
        rolled.due_on,
    )


def test_a_review_during_the_custody_is_not_the_first_provning() -> None:
    """Reviewed Mon 1 Feb 2027, before the enforcement: the period from 20 Feb is overdue."""
    records: list[object] = [lvu("lvu_3"), Review(placement_id="p", reviewed_on=D(2027, 2, 1))]
    assert [("lvu_care_end_review", D(2027, 8, 20), OVERDUE)] == stood(records, D(2027, 9, 1))


def test_each_next_provning_counts_from_the_last_one() -> None:
    """Prövning Mon 16 Aug 2027 meets the first; the next is due Wed 16 Feb 2028."""
    records: list[object] = [lvu("lvu_3"), Review(placement_id="p", reviewed_on=D(2027, 8, 16))]
    assert [
        ("lvu_care_end_review", D(2027, 8, 20), MET),
        ("lvu_care_end_review", D(2028, 2, 16), OPEN),
    ] == stood(records, D(2027, 9, 1))


def test_before_the_enforcement_the_first_period_counts_from_the_start() -> None:
    """As of Mon 15 Feb 2027 the enforcement of 20 Feb has not happened: due Sat 10 Jul."""
    assert [("lvu_care_end_review", D(2027, 7, 10), OPEN)] == stood([lvu("lvu_3")], D(2027, 2, 15))


def test_an_enforcement_on_the_last_of_august_is_due_on_the_leap_day() -> None:
    """Enforced Tue 31 Aug 2027: February 2028 has no 31st, so Tue 29 Feb 2028 (1930:173 1 §)."""
    (review,) = BOOK.deadlines(lvu("lvu_3", D(2027, 8, 31)))
    assert D(2028, 2, 29) == review.due_on


def test_sol_placements_do_not_read_the_enforcement_day() -> None:
    """A SoL placement with a care_enforced_on still counts from its start: Sat 10 Jul 2027."""
    (review,) = BOOK.deadlines(lvu("sol"))
    assert ("placement_review", D(2027, 7, 10)) == (review.kind, review.due_on)


def test_the_enforcement_day_round_trips_through_the_converter() -> None:
    """Placement.care_enforced_on is written and read back as an ISO date."""
    placement = lvu("lvu_3")
    raw = converter.unstructure(placement)
    assert "2027-02-20" == raw["care_enforced_on"]
    assert placement == converter.structure(raw, Placement)
