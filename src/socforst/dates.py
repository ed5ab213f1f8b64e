"""Inclusive date ranges and month arithmetic as Swedish law counts it.

Everything in socforst that lasts a number of days (an assignment, an absence,
a district's existence, a member's employment) is an inclusive range of dates:
``DateRange(2025-01-01, 2025-01-01)`` is one day long. An open range has no end.

Months are counted as Lag (1930:173) om beräkning av lagstadgad tid, 1 §,
counts them: see :func:`add_months`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from typing import Any

import attrs

from socforst.errors import OpenRangeError, ValidationError

__all__ = ["ONE_DAY", "DateRange", "add_months", "check_date", "check_optional_date"]

ONE_DAY = dt.timedelta(days=1)
"""One calendar day, the step between the days of a :class:`DateRange`."""


def check_date(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An attrs validator: *value* is a calendar date, not a datetime.

    ``datetime`` is a subclass of ``date`` in Python; letting one through would
    make comparisons with dates fail later, far from the cause.

    Raises:
        ValidationError: If *value* is not a ``datetime.date``.
    """
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError(
            attribute.name, f"must be a date (datetime.date), got {type(value).__name__}"
        )


def check_optional_date(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An attrs validator: *value* is ``None`` or a calendar date."""
    if value is not None:
        check_date(instance, attribute, value)


def check_end_not_before_start(
    start_name: str, end_name: str, start: dt.date, end: dt.date | None
) -> None:
    """Refuse a range whose end comes before its start.

    Raises:
        ValidationError: Naming both fields and both dates.
    """
    if end is not None and end < start:
        raise ValidationError(
            end_name,
            f"({end.isoformat()}) is before {start_name!r} ({start.isoformat()})",
        )


def add_months(day: dt.date, months: int) -> dt.date:
    """Add a number of months to a date, as Lag (1930:173) 1 § counts them.

    The result has the same day number in the target month, or the target
    month's last day where that day number does not exist.

    Args:
        day: The date to count from.
        months: How many months to add; may be negative or zero.

    Returns:
        The date *months* months after *day*.

    References:
        - Lag (1930:173) om beräkning av lagstadgad tid, 1 §: a period of months
          ends on the day of the last month that has the same number as the day
          it started from, or, where that month has no such day, on its last day.

    Example:
        >>> import datetime as dt
        >>> from socforst import add_months
        >>> add_months(dt.date(2025, 10, 31), 4)
        datetime.date(2026, 2, 28)
        >>> add_months(dt.date(2023, 10, 31), 4)
        datetime.date(2024, 2, 29)
        >>> add_months(dt.date(2025, 1, 15), 4)
        datetime.date(2025, 5, 15)
    """
    if isinstance(months, bool) or not isinstance(months, int):
        raise TypeError(f"months must be an int, got {type(months).__name__}")
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise OverflowError(f"{day.isoformat()} + {months} months is outside the calendar")
    last_day = calendar.monthrange(year, month)[1]
    # 1 §: the same day number, or the month's last day where it does not exist.
    return dt.date(year, month, min(day.day, last_day))


def _check_range_end(instance: DateRange, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_optional_date(instance, attribute, value)
    check_end_not_before_start("start", "end", instance.start, instance.end)


@attrs.frozen
class DateRange:
    """An inclusive range of calendar days; ``end=None`` leaves it open.

    Args:
        start: The first day of the range.
        end: The last day of the range (inclusive), or ``None`` for an open range.

    Raises:
        ValidationError: If a bound is not a date, or *end* is before *start*.

    Example:
        >>> import datetime as dt
        >>> from socforst import DateRange
        >>> spring = DateRange(dt.date(2025, 1, 1), dt.date(2025, 4, 30))
        >>> spring.days
        120
        >>> dt.date(2025, 4, 30) in spring
        True
        >>> spring.intersection(DateRange(dt.date(2025, 4, 1), None))
        DateRange(start=datetime.date(2025, 4, 1), end=datetime.date(2025, 4, 30))
    """

    start: dt.date = attrs.field(validator=check_date)
    end: dt.date | None = attrs.field(default=None, validator=_check_range_end)

    @classmethod
    def single(cls, day: dt.date) -> DateRange:
        """The range of one day."""
        return cls(day, day)

    @property
    def is_open(self) -> bool:
        """Whether the range has no end."""
        return self.end is None

    @property
    def days(self) -> int:
        """The number of days in the range, both ends included.

        Raises:
            OpenRangeError: If the range is open.
        """
        return (self._closed_end("count the days of") - self.start).days + 1

    def __iter__(self) -> Iterator[dt.date]:
        """Iterate over the days of the range, in order.

        Raises:
            OpenRangeError: If the range is open.
        """
        day, end = self.start, self._closed_end("iterate over")
        while day <= end:
            yield day
            day += ONE_DAY

    def __contains__(self, item: object) -> bool:
        """Whether a date, or a whole range, lies within this range."""
        if isinstance(item, DateRange | dt.date) and not isinstance(item, dt.datetime):
            return self.contains(item)
        return False

    def contains(self, item: dt.date | DateRange) -> bool:
        """Whether a date, or every day of a range, lies within this range."""
        if isinstance(item, DateRange):
            if item.start < self.start:
                return False
            if self.end is None:
                return True
            return item.end is not None and item.end <= self.end
        return self.start <= item and (self.end is None or item <= self.end)

    def overlaps(self, other: DateRange) -> bool:
        """Whether the two ranges share at least one day."""
        return (other.end is None or self.start <= other.end) and (
            self.end is None or other.start <= self.end
        )

    def intersection(self, other: DateRange) -> DateRange | None:
        """The days the two ranges share, or ``None`` when they share none."""
        if not self.overlaps(other):
            return None
        start = max(self.start, other.start)
        ends = [end for end in (self.end, other.end) if end is not None]
        return DateRange(start, min(ends) if ends else None)

    def outside(self, other: DateRange) -> tuple[DateRange, ...]:
        """The parts of this range that are not in *other*, in order.

        Example:
            >>> import datetime as dt
            >>> from socforst import DateRange
            >>> june = DateRange(dt.date(2020, 6, 1), dt.date(2020, 6, 30))
            >>> middle = DateRange(dt.date(2020, 6, 3), dt.date(2020, 6, 28))
            >>> [str(part) for part in june.outside(middle)]
            ['2020-06-01..2020-06-02', '2020-06-29..2020-06-30']
        """
        common = self.intersection(other)
        if common is None:
            return (self,)
        parts: list[DateRange] = []
        if common.start > self.start:
            parts.append(DateRange(self.start, common.start - ONE_DAY))
        if common.end is not None and (self.end is None or common.end < self.end):
            parts.append(DateRange(common.end + ONE_DAY, self.end))
        return tuple(parts)

    def __str__(self) -> str:
        end = "" if self.end is None else self.end.isoformat()
        return f"{self.start.isoformat()}..{end}"

    def _closed_end(self, what: str) -> dt.date:
        if self.end is None:
            raise OpenRangeError(f"cannot {what} the open range {self}")
        return self.end
