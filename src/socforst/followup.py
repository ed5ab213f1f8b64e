"""Follow-up figures: districts' staffing snapshots and the team's yearly costs.

These are the measures the city's documents follow the team by: vacancies,
consultants and staff turnover per district, and what the team cost against
the consultants it replaces.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import attrs

from socforst.dates import check_date
from socforst.errors import ValidationError, shown
from socforst.ids import check_code

__all__ = ["Staffing", "YearlyCost"]


def _check_count(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(attribute.name, f"must be a number, got {type(value).__name__}")
    if value < 0:
        raise ValidationError(attribute.name, f"must not be negative, got {shown(value)}")


def _check_amount(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        raise ValidationError(attribute.name, "is required")
    _check_count(_instance, attribute, value)


def _check_positive(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    _check_count(_instance, attribute, value)
    if value is None or value <= 0:
        raise ValidationError(attribute.name, f"must be a number above 0, got {shown(value)}")


def _check_year(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
        raise ValidationError(attribute.name, f"must be a year such as 2025, got {shown(value)}")


@attrs.frozen(kw_only=True)
class Staffing:
    """A district's staffing on a day (a row of ``staffing.csv``).

    Args:
        district: The district's code.
        on: The day the figures describe.
        positions: Social worker positions (tjänster), if known.
        vacancies: Positions not filled, if known.
        consultants: External consultants (socionomkonsulter) working there.
        turnover: Staff turnover (personalrörlighet) as a fraction per year.
    """

    district: str = attrs.field(validator=check_code)
    on: dt.date = attrs.field(validator=check_date)
    positions: float | None = attrs.field(default=None, validator=_check_count)
    vacancies: float | None = attrs.field(default=None, validator=_check_count)
    consultants: float | None = attrs.field(default=None, validator=_check_count)
    turnover: float | None = attrs.field(default=None, validator=_check_count)


@attrs.frozen(kw_only=True)
class YearlyCost:
    """What the team cost in a year, and the consultant rate to compare with (``costs.csv``).

    Args:
        year: The calendar year.
        team_cost_sek: Salaries and overhead of the team, in SEK.
        consultant_rate_sek: A consultant's price per hour, in SEK.
        hours_per_day: Working hours in a day of an assignment.
    """

    year: int = attrs.field(validator=_check_year)
    team_cost_sek: float = attrs.field(validator=_check_amount)
    consultant_rate_sek: float = attrs.field(validator=_check_positive)
    hours_per_day: float = attrs.field(default=8.0, validator=_check_positive)
