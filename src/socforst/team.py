"""The reinforcement team (förstärkningsteam): teams, members and absences."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, cast

import attrs

from socforst._validate import (
    check_enum,
    check_extent,
    check_optional_str,
    check_str,
    check_words,
    to_enum,
)
from socforst.dates import DateRange, check_date, check_end_not_before_start, check_optional_date
from socforst.ids import check_id

__all__ = ["Absence", "AbsenceKind", "Team", "TeamMember", "to_frozenset"]


def to_frozenset(value: object) -> object:
    """An attrs converter: any iterable but a string becomes a frozenset.

    A string is left alone so that the validator refuses it, instead of
    quietly splitting ``"lvu"`` into ``{"l", "v", "u"}``.
    """
    if isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
        return value
    return frozenset(value)  # type: ignore[call-overload,unused-ignore]


@attrs.frozen
class Team:
    """A central reinforcement team.

    Args:
        team_id: The team's opaque id.
        name: The team's name (``Förstärkningsteam 1``).
        founded_on: The day the team started work, if known.
    """

    team_id: str = attrs.field(validator=check_id)
    name: str = attrs.field(validator=check_str)
    founded_on: dt.date | None = attrs.field(default=None, validator=check_optional_date)


def _check_employed_to(instance: TeamMember, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_optional_date(instance, attribute, value)
    check_end_not_before_start(
        "employed_from", "employed_to", instance.employed_from, instance.employed_to
    )


@attrs.frozen(kw_only=True)
class TeamMember:
    """An experienced social worker (socialsekreterare) employed in a team.

    The name is personal data: it is optional, and it is never shown in the
    ``repr`` nor in any error message. Refer to members by ``member_id``.

    Args:
        member_id: The member's opaque id (never a personal identity number).
        team_id: The id of the member's team.
        name: The member's name, if the data holds it; kept out of ``repr``.
        employed_from: The first day of employment in the team.
        employed_to: The last day of employment, or ``None`` while employed.
        extent: The extent of employment (sysselsättningsgrad) in (0, 1];
            0.5 is half time.
        competencies: What the member can be lent for (``investigation``,
            ``preassessment``, ``lvu``, ``coaching``, ``family_law``, or a
            city's own words).

    Example:
        >>> import datetime as dt
        >>> from socforst import TeamMember
        >>> member = TeamMember(member_id="m1", team_id="t1", name="Anna Andersson",
        ...                     employed_from=dt.date(2016, 1, 4), extent=0.75)
        >>> "Anna" in repr(member)
        False
        >>> member.is_employed_on(dt.date(2026, 11, 23))
        True
    """

    member_id: str = attrs.field(validator=check_id)
    team_id: str = attrs.field(validator=check_id)
    name: str | None = attrs.field(
        default=None,
        repr=False,
        validator=check_optional_str,
    )
    employed_from: dt.date = attrs.field(validator=check_date)
    employed_to: dt.date | None = attrs.field(default=None, validator=_check_employed_to)
    extent: float = attrs.field(default=1.0, validator=check_extent)
    competencies: frozenset[str] = attrs.field(
        default=frozenset(), converter=to_frozenset, validator=check_words
    )

    @property
    def employment(self) -> DateRange:
        """The days of employment, as a range (open while employed)."""
        return DateRange(self.employed_from, self.employed_to)

    def is_employed_on(self, day: dt.date) -> bool:
        """Whether the member is employed in the team on *day*."""
        return day in self.employment

    def has_competence(self, task: str | None) -> bool:
        """Whether the member can take *task*; any member can take no particular task."""
        return task is None or task in self.competencies


class AbsenceKind(enum.StrEnum):
    """Why a member is away (frånvaro)."""

    VACATION = "vacation"
    SICK = "sick"
    TRAINING = "training"
    OTHER = "other"


def _to_absence_kind(value: AbsenceKind | str) -> AbsenceKind:
    # Typed for callers; a value that is no member passes through for the validator.
    return cast(AbsenceKind, to_enum(AbsenceKind, value))


def _check_absence_end(instance: Absence, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_date(instance, attribute, value)
    check_end_not_before_start("start", "end", instance.start, instance.end)


@attrs.frozen
class Absence:
    """A period in which a member is not available: vacation, sickness, training.

    Args:
        member_id: The absent member's id.
        start: The first day away.
        end: The last day away (inclusive).
        kind: Why the member is away.
    """

    member_id: str = attrs.field(validator=check_id)
    start: dt.date = attrs.field(validator=check_date)
    end: dt.date = attrs.field(validator=_check_absence_end)
    kind: AbsenceKind = attrs.field(
        default=AbsenceKind.OTHER, converter=_to_absence_kind, validator=check_enum(AbsenceKind)
    )

    @property
    def period(self) -> DateRange:
        """The days of the absence, as a range."""
        return DateRange(self.start, self.end)
