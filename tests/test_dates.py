"""Inclusive date ranges and month counting under Lag (1930:173) 1 §."""

from __future__ import annotations

import calendar
import datetime as dt

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import socforst
from socforst import DateRange, add_months
from tests import strategies as s

D = dt.date

# Each case: (day, months, expected), worked out by hand from 1 §: the same day
# number in the target month, or that month's last day where it does not exist.
ADD_MONTHS_CASES = [
    # Oct 31 + 4 is February, which has no 31st: its last day. 2026 is not a leap year.
    (D(2025, 10, 31), 4, D(2026, 2, 28)),
    # 2025 is not a leap year either.
    (D(2024, 10, 31), 4, D(2025, 2, 28)),
    # 2024 is a leap year (divisible by 4, not by 100): February has 29 days.
    (D(2023, 10, 31), 4, D(2024, 2, 29)),
    # 1900 is divisible by 100 and not by 400: not a leap year.
    (D(1899, 10, 31), 4, D(1900, 2, 28)),
    # 2000 is divisible by 400: a leap year.
    (D(1999, 10, 31), 4, D(2000, 2, 29)),
    # The day number exists: kept. Jan 1 + 4 months = May 1.
    (D(2025, 1, 1), 4, D(2025, 5, 1)),
    (D(2025, 1, 15), 4, D(2025, 5, 15)),
    # Leap day + 12 months: 2025 has no Feb 29, so Feb 28.
    (D(2024, 2, 29), 12, D(2025, 2, 28)),
    # Leap day + 48 months: 2028 is a leap year, Feb 29 exists.
    (D(2024, 2, 29), 48, D(2028, 2, 29)),
    # Aug 31 + 1: September has 30 days.
    (D(2025, 8, 31), 1, D(2025, 9, 30)),
    # Jan 31 + 1 in a leap year and in a common year.
    (D(2024, 1, 31), 1, D(2024, 2, 29)),
    (D(2025, 1, 31), 1, D(2025, 2, 28)),
    # Across the year end: Dec 15 + 2 = Feb 15 of the next year.
    (D(2025, 12, 15), 2, D(2026, 2, 15)),
    # Six months, as for the review of care (övervägande): Aug 30 + 6 = Feb 28.
    (D(2025, 8, 30), 6, D(2026, 2, 28)),
    (D(2025, 6, 30), 6, D(2025, 12, 30)),
    # Backwards: Mar 31 - 1 = Feb 28 (2025), Mar 31 - 1 = Feb 29 (2024).
    (D(2025, 3, 31), -1, D(2025, 2, 28)),
    (D(2024, 3, 31), -1, D(2024, 2, 29)),
    # Backwards across the year: Jan 10 - 2 = Nov 10 of the year before.
    (D(2025, 1, 10), -2, D(2024, 11, 10)),
    # Zero months: the day itself.
    (D(2025, 5, 31), 0, D(2025, 5, 31)),
    # The 2025-07-01 change of law: an investigation opened 2025-06-30 is due 2025-10-30.
    (D(2025, 6, 30), 4, D(2025, 10, 30)),
    (D(2025, 7, 1), 4, D(2025, 11, 1)),
]


@pytest.mark.parametrize(("day", "months", "expected"), ADD_MONTHS_CASES)
def test_add_months_matches_hand_worked_dates(day: dt.date, months: int, expected: dt.date) -> None:
    """add_months gives the date worked out by hand from Lag (1930:173) 1 §."""
    assert expected == add_months(day, months)


def test_add_months_refuses_a_non_integer_count() -> None:
    """A fractional or boolean month count is a TypeError, not a silent rounding."""
    with pytest.raises(TypeError):
        add_months(D(2025, 1, 1), 1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        add_months(D(2025, 1, 1), True)


def test_add_months_past_the_calendar_raises_overflow() -> None:
    """Counting past year 9999 is an OverflowError, like date arithmetic's."""
    with pytest.raises(OverflowError):
        add_months(D(9999, 12, 1), 1)


@given(s.dates(D(1901, 1, 1), D(2099, 12, 31)), st.integers(-240, 240))
def test_add_months_keeps_the_day_number_when_it_exists(day: dt.date, months: int) -> None:
    """The result has the start's day number, or the target month's last day if it is shorter."""
    result = add_months(day, months)
    last = calendar.monthrange(result.year, result.month)[1]
    if day.day <= last:
        assert day.day == result.day
    else:
        assert last == result.day


@given(s.dates(D(1901, 1, 1), D(2099, 12, 31)), st.integers(-240, 240))
def test_add_months_lands_in_the_target_month_never_beyond(day: dt.date, months: int) -> None:
    """The result lies exactly *months* calendar months on: never spilling into the next."""
    result = add_months(day, months)
    assert months == (result.year * 12 + result.month) - (day.year * 12 + day.month)


@given(
    s.dates(D(1901, 1, 1), D(2099, 12, 31)),
    s.dates(D(1901, 1, 1), D(2099, 12, 31)),
    st.integers(-240, 240),
)
def test_add_months_is_monotone_in_the_day(a: dt.date, b: dt.date, months: int) -> None:
    """A later start never gives an earlier result."""
    early, late = sorted((a, b))
    assert add_months(early, months) <= add_months(late, months)


@given(s.dates(D(1901, 1, 1), D(2099, 12, 31)), st.integers(-240, 240))
def test_add_months_agrees_with_pendulum(day: dt.date, months: int) -> None:
    """A second implementation, pendulum's month arithmetic, gives the same date."""
    other = pendulum.date(day.year, day.month, day.day).add(months=months)
    assert D(other.year, other.month, other.day) == add_months(day, months)


def test_a_range_of_one_day_has_one_day() -> None:
    """Both ends are included: a range from a day to itself is one day long."""
    assert DateRange(D(2025, 1, 1), D(2025, 1, 1)).days == 1
    assert DateRange.single(D(2025, 1, 1)).days == 1


def test_a_leap_year_range_counts_its_leap_day() -> None:
    """2024-02-01..2024-03-01 has 29 + 1 = 30 days."""
    assert DateRange(D(2024, 2, 1), D(2024, 3, 1)).days == 30


def test_iterating_a_range_yields_each_day_in_order() -> None:
    """Iteration runs from start to end, both included, across a month end."""
    expected = [D(2025, 1, 30), D(2025, 1, 31), D(2025, 2, 1)]
    assert expected == list(DateRange(D(2025, 1, 30), D(2025, 2, 1)))


def test_an_open_range_has_no_length_and_cannot_be_iterated() -> None:
    """Counting or listing the days of an open range is an OpenRangeError."""
    open_range = DateRange(D(2025, 1, 1))
    assert open_range.is_open
    with pytest.raises(socforst.OpenRangeError):
        _ = open_range.days
    with pytest.raises(socforst.OpenRangeError):
        list(open_range)


def test_an_end_before_the_start_is_refused_naming_both() -> None:
    """The error names both fields and both dates."""
    with pytest.raises(socforst.ValidationError) as caught:
        DateRange(D(2025, 2, 1), D(2025, 1, 1))
    assert str(caught.value) == "'end' (2025-01-01) is before 'start' (2025-02-01)"


def test_a_datetime_is_not_a_date() -> None:
    """A datetime, a subclass of date, is refused where a date is expected."""
    with pytest.raises(socforst.ValidationError):
        DateRange(dt.datetime(2025, 1, 1, 12, 0), None)


def test_contains_and_overlaps_at_the_edges() -> None:
    """Both ends count as inside; ranges touching only end to start do not overlap."""
    january = DateRange(D(2025, 1, 1), D(2025, 1, 31))
    february = DateRange(D(2025, 2, 1), D(2025, 2, 28))
    assert D(2025, 1, 1) in january
    assert D(2025, 1, 31) in january
    assert D(2025, 2, 1) not in january
    assert not january.overlaps(february)
    assert january.overlaps(DateRange(D(2025, 1, 31), None))
    assert DateRange(D(2025, 1, 10), D(2025, 1, 20)) in january
    assert not january.contains(DateRange(D(2025, 1, 10), None))
    assert DateRange(D(2025, 1, 10), None) in DateRange(D(2024, 1, 1), None)
    assert "2025-01-05" not in january


def test_intersection_of_an_open_and_a_closed_range() -> None:
    """An open range cut by a closed one ends where the closed one does."""
    expected = DateRange(D(2025, 4, 1), D(2025, 4, 30))
    actual = DateRange(D(2025, 1, 1), D(2025, 4, 30)).intersection(DateRange(D(2025, 4, 1)))
    assert expected == actual
    assert DateRange(D(2025, 4, 1)) == DateRange(D(2025, 4, 1)).intersection(
        DateRange(D(2020, 1, 1))
    )


def test_outside_splits_around_the_other_range() -> None:
    """The days outside another range come before and after it, in order."""
    june = DateRange(D(2020, 6, 1), D(2020, 6, 30))
    expected = (
        DateRange(D(2020, 6, 1), D(2020, 6, 2)),
        DateRange(D(2020, 6, 29), D(2020, 6, 30)),
    )
    assert expected == june.outside(DateRange(D(2020, 6, 3), D(2020, 6, 28)))
    assert june.outside(DateRange(D(2020, 1, 1))) == ()
    assert (DateRange(D(2020, 7, 1)),) == DateRange(D(2020, 6, 1)).outside(june)


def _days(period: DateRange, horizon: dt.date) -> set[dt.date]:
    """Brute force: the days of a range, an open one cut at *horizon*."""
    end = period.end if period.end is not None else horizon
    return {period.start + dt.timedelta(days=i) for i in range((end - period.start).days + 1)}


small_ranges = s.date_ranges(min_value=D(2025, 1, 1), max_value=D(2025, 3, 1), max_days=40)
HORIZON = D(2025, 6, 1)


@given(small_ranges, small_ranges)
def test_range_operations_agree_with_sets_of_days(a: DateRange, b: DateRange) -> None:
    """overlaps, intersection, contains and outside agree with brute-force sets of days."""
    days_a, days_b = _days(a, HORIZON), _days(b, HORIZON)
    common = days_a & days_b
    assert bool(common) == a.overlaps(b)
    intersection = a.intersection(b)
    assert common == (set() if intersection is None else _days(intersection, HORIZON))
    assert (days_b <= days_a and (a.end is None or b.end is not None)) == a.contains(b)
    outside: set[dt.date] = set()
    for part in a.outside(b):
        outside |= _days(part, HORIZON)
    assert days_a - days_b == outside


@given(s.date_ranges(allow_open=False))
def test_days_counts_what_iteration_yields(period: DateRange) -> None:
    """The length in days equals the number of days iterated."""
    assert len(list(period)) == period.days
