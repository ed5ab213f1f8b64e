"""Requests from districts, assignments (uppdrag), their bounds, and the roster check.

A district asks for help with a :class:`Request`; the team answers with
:class:`Assignment` s, each lending one member to one district for an inclusive
range of days at an extent. An :class:`AssignmentPolicy` bounds their length
(one day up to four months by default). A :class:`Roster` checks a whole plan
and lists every conflict at once.
"""

from __future__ import annotations

import datetime as dt
import enum
import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, cast

import attrs

from socforst._validate import (
    check_enum,
    check_extent,
    check_optional_str,
    check_positive_int,
    to_enum,
)
from socforst.dates import (
    ONE_DAY,
    DateRange,
    add_months,
    check_date,
    check_end_not_before_start,
)
from socforst.districts import DistrictRegistry, stockholm
from socforst.errors import UnknownDistrictError, ValidationError, shown
from socforst.ids import check_code, check_id, check_optional_id
from socforst.team import Absence, TeamMember

__all__ = [
    "Assignment",
    "AssignmentPolicy",
    "AssignmentStatus",
    "Conflict",
    "ConflictKind",
    "Request",
    "RequestReason",
    "Roster",
]

# Extents are fractions such as 0.1 + 0.2: compare their sums with a tolerance.
_TOLERANCE = 1e-9


class RequestReason(enum.StrEnum):
    """Why a district asks for help."""

    VACANCY = "vacancy"
    TURNOVER = "turnover"
    PEAK = "peak"
    INTRODUCTION = "introduction"
    OTHER = "other"


def _to_request_reason(value: RequestReason | str | None) -> RequestReason | None:
    # Typed for callers; a value that is no member passes through for the validator.
    return cast(RequestReason | None, to_enum(RequestReason, value))


class AssignmentStatus(enum.StrEnum):
    """Where an assignment stands; only ``cancelled`` ones take no capacity."""

    PLANNED = "planned"
    AGREED = "agreed"
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


def _to_assignment_status(value: AssignmentStatus | str) -> AssignmentStatus:
    # Typed for callers; a value that is no member passes through for the validator.
    return cast(AssignmentStatus, to_enum(AssignmentStatus, value))


def _check_end(instance: Request | Assignment, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_date(instance, attribute, value)
    check_end_not_before_start("start", "end", instance.start, instance.end)


@attrs.frozen(kw_only=True)
class Request:
    """A district's request for help (förfrågan, beställning).

    Args:
        request_id: The request's opaque id.
        district: The asking district's code.
        received_on: The day the team received the request.
        start: The first day help is wanted.
        end: The last day help is wanted (inclusive).
        headcount: How many members are asked for.
        extent: At what extent each of them, in (0, 1].
        reason: Why help is needed, if given.
        task: What the help is for (``investigation``, ``preassessment``, ...).
    """

    request_id: str = attrs.field(validator=check_id)
    district: str = attrs.field(validator=check_code)
    received_on: dt.date = attrs.field(validator=check_date)
    start: dt.date = attrs.field(validator=check_date)
    end: dt.date = attrs.field(validator=_check_end)
    headcount: int = attrs.field(default=1, validator=check_positive_int)
    extent: float = attrs.field(default=1.0, validator=check_extent)
    reason: RequestReason | None = attrs.field(
        default=None,
        converter=_to_request_reason,
        validator=attrs.validators.optional(check_enum(RequestReason)),
    )
    task: str | None = attrs.field(default=None, validator=check_optional_str)

    @property
    def period(self) -> DateRange:
        """The days help is wanted, as a range."""
        return DateRange(self.start, self.end)


@attrs.frozen(kw_only=True)
class Assignment:
    """One member lent to one client for an inclusive range of days (uppdrag).

    Args:
        assignment_id: The assignment's opaque id.
        member_id: The lent member's id.
        district: The client's district code (or ``socialjouren``).
        start: The first day of the assignment.
        end: The last day of the assignment (inclusive).
        extent: The share of full time the assignment takes, in (0, 1].
        task: What the member does there (``investigation``, ``coaching``, ...).
        request_id: The request it answers, if any.
        status: Where it stands; a cancelled assignment takes no capacity.

    Example:
        >>> import datetime as dt
        >>> from socforst import Assignment
        >>> a = Assignment.from_weeks(assignment_id="a1", member_id="m1",
        ...                           district="farsta", start=dt.date(2025, 3, 3), weeks=3)
        >>> str(a.period), a.period.days
        ('2025-03-03..2025-03-23', 21)
    """

    assignment_id: str = attrs.field(validator=check_id)
    member_id: str = attrs.field(validator=check_id)
    district: str = attrs.field(validator=check_code)
    start: dt.date = attrs.field(validator=check_date)
    end: dt.date = attrs.field(validator=_check_end)
    extent: float = attrs.field(default=1.0, validator=check_extent)
    task: str | None = attrs.field(default=None, validator=check_optional_str)
    request_id: str | None = attrs.field(default=None, validator=check_optional_id)
    status: AssignmentStatus = attrs.field(
        default=AssignmentStatus.PLANNED,
        converter=_to_assignment_status,
        validator=check_enum(AssignmentStatus),
    )

    @classmethod
    def from_weeks(
        cls,
        *,
        assignment_id: str,
        member_id: str,
        district: str,
        start: dt.date,
        weeks: int,
        extent: float = 1.0,
        task: str | None = None,
        request_id: str | None = None,
        status: AssignmentStatus = AssignmentStatus.PLANNED,
    ) -> Assignment:
        """An assignment of a whole number of weeks from *start* (7 days a week).

        Raises:
            ValidationError: If *weeks* is not a whole number >= 1.
        """
        if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks < 1:
            raise ValidationError("weeks", f"must be a whole number >= 1, got {shown(weeks)}")
        return cls(
            assignment_id=assignment_id,
            member_id=member_id,
            district=district,
            start=start,
            end=start + dt.timedelta(weeks=weeks) - ONE_DAY,
            extent=extent,
            task=task,
            request_id=request_id,
            status=status,
        )

    @property
    def period(self) -> DateRange:
        """The days of the assignment, as a range."""
        return DateRange(self.start, self.end)

    @property
    def takes_capacity(self) -> bool:
        """Whether the assignment uses its member's time (it is not cancelled)."""
        return self.status is not AssignmentStatus.CANCELLED


@attrs.frozen
class AssignmentPolicy:
    """How long an assignment may be: by default one day up to four months.

    The longest assignment starting on a day ends the day before the date
    four months later, counted as Lag (1930:173) 1 § counts months: an
    assignment from 2025-01-01 may last to 2025-04-30, not to 2025-05-01.

    Args:
        min_days: The fewest days an assignment may have (inclusive count).
        max_months: The most months an assignment may span.

    Example:
        >>> import datetime as dt
        >>> from socforst import AssignmentPolicy, DateRange
        >>> policy = AssignmentPolicy()
        >>> policy.allows(DateRange(dt.date(2025, 1, 1), dt.date(2025, 4, 30)))
        True
        >>> policy.allows(DateRange(dt.date(2025, 1, 1), dt.date(2025, 5, 1)))
        False
        >>> policy.refusal(DateRange(dt.date(2025, 1, 1), dt.date(2025, 5, 1)))
        'ends 2025-05-01, after 2025-04-30, the last day of 4 months from 2025-01-01'
    """

    min_days: int = attrs.field(default=1, validator=check_positive_int)
    max_months: int = attrs.field(default=4, validator=check_positive_int)

    def latest_end(self, start: dt.date) -> dt.date:
        """The last day an assignment starting on *start* may end on."""
        return add_months(start, self.max_months) - ONE_DAY

    def refusal(self, period: DateRange) -> str | None:
        """Why the policy refuses *period*, or ``None`` if it allows it."""
        if period.end is None:
            return f"has no end; an assignment lasts at most {self.max_months} months"
        if period.days < self.min_days:
            return f"lasts {period.days} days, fewer than the minimum {self.min_days}"
        latest = self.latest_end(period.start)
        if period.end > latest:
            return (
                f"ends {period.end.isoformat()}, after {latest.isoformat()}, the last day "
                f"of {self.max_months} months from {period.start.isoformat()}"
            )
        return None

    def allows(self, period: DateRange) -> bool:
        """Whether an assignment may cover exactly the days of *period*."""
        return self.refusal(period) is None


class ConflictKind(enum.StrEnum):
    """What is wrong in a roster."""

    DUPLICATE_ID = "duplicate_id"
    """Two assignments, or two members, share an id."""
    POLICY = "policy"
    """An assignment is shorter or longer than the policy allows."""
    UNKNOWN_MEMBER = "unknown_member"
    """An assignment names a member the roster does not have."""
    EMPLOYMENT = "employment"
    """An assignment has days outside its member's employment."""
    ABSENCE = "absence"
    """An assignment has days on which its member is absent."""
    UNKNOWN_DISTRICT = "unknown_district"
    """An assignment names a district code the registry does not have."""
    DISTRICT = "district"
    """An assignment has days on which its district did not exist."""
    CAPACITY = "capacity"
    """On some days a member's assignments add up to more than the member's extent."""


@attrs.frozen(kw_only=True)
class Conflict:
    """One thing wrong in a roster: what, who, which days and why.

    Args:
        kind: What kind of conflict it is.
        message: A sentence saying what and why (ids and dates, never names).
        assignment_ids: The assignments involved, sorted.
        member_id: The member involved, if one is.
        days: The days the conflict concerns, if it concerns days.
    """

    kind: ConflictKind
    message: str
    assignment_ids: tuple[str, ...] = ()
    member_id: str | None = None
    days: DateRange | None = None

    def __str__(self) -> str:
        return f"{self.kind.value}: {self.message}"


def _members(items: Iterable[TeamMember]) -> tuple[TeamMember, ...]:
    return tuple(items)


def _absences(items: Iterable[Absence]) -> tuple[Absence, ...]:
    return tuple(items)


def _assignments(items: Iterable[Assignment]) -> tuple[Assignment, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True)
class Roster:
    """A plan to check: members, their absences and assignments, under a policy.

    :meth:`conflicts` lists every conflict at once. It sorts and sweeps the
    assignments of each member in time order, so it never compares every pair
    of assignments: checking n assignments takes O(n log n) time plus the
    conflicts found.

    Args:
        members: The team members.
        absences: The members' absences.
        assignments: The assignments to check; cancelled ones are ignored.
        policy: The bounds on an assignment's length.
        registry: The districts; Stockholm's by default.

    Example:
        >>> import datetime as dt
        >>> from socforst import Assignment, Roster, TeamMember
        >>> anna = TeamMember(member_id="m1", team_id="t1", employed_from=dt.date(2016, 1, 1))
        >>> roster = Roster(members=[anna], assignments=[
        ...     Assignment(assignment_id="a1", member_id="m1", district="alvsjo",
        ...                start=dt.date(2020, 6, 15), end=dt.date(2020, 7, 15)),
        ... ])
        >>> for conflict in roster.conflicts():
        ...     print(conflict)
        district: assignment 'a1' is with 'alvsjo', which did not exist on \
2020-07-01..2020-07-15 (its successor is 'hagersten-alvsjo')
    """

    members: tuple[TeamMember, ...] = attrs.field(converter=_members)
    absences: tuple[Absence, ...] = attrs.field(default=(), converter=_absences)
    assignments: tuple[Assignment, ...] = attrs.field(default=(), converter=_assignments)
    policy: AssignmentPolicy = attrs.field(factory=AssignmentPolicy)
    registry: DistrictRegistry = attrs.field(factory=stockholm, repr=False)

    def __repr__(self) -> str:
        # One short line: a city's roster holds thousands of records.
        return (
            f"Roster(members={len(self.members)}, absences={len(self.absences)}, "
            f"assignments={len(self.assignments)}, policy={self.policy!r})"
        )

    def conflicts(self) -> tuple[Conflict, ...]:
        """Every conflict in the roster, sorted by member, first day and kind."""
        found: list[Conflict] = []
        found += _duplicates(self.members, self.assignments)
        members = {member.member_id: member for member in self.members}
        live = [a for a in self.assignments if a.takes_capacity]
        for assignment in live:
            found += _single_assignment_conflicts(assignment, members, self.policy, self.registry)

        by_member: dict[str, list[Assignment]] = defaultdict(list)
        for assignment in live:
            if assignment.member_id in members:
                by_member[assignment.member_id].append(assignment)
        absences: dict[str, list[Absence]] = defaultdict(list)
        for absence in self.absences:
            absences[absence.member_id].append(absence)
        for member_id, assigned in by_member.items():
            found += _absence_conflicts(assigned, absences.get(member_id, []))
            found += _capacity_conflicts(members[member_id], assigned)

        return tuple(sorted(found, key=_conflict_order))

    def is_valid(self) -> bool:
        """Whether the roster has no conflict at all."""
        return not self.conflicts()


def _conflict_order(conflict: Conflict) -> tuple[str, dt.date, str, tuple[str, ...]]:
    first = conflict.days.start if conflict.days is not None else dt.date.min
    return (conflict.member_id or "", first, conflict.kind.value, conflict.assignment_ids)


def _duplicates(members: Sequence[TeamMember], assignments: Sequence[Assignment]) -> list[Conflict]:
    found: list[Conflict] = []
    seen: set[str] = set()
    for member in members:
        if member.member_id in seen:
            found.append(
                Conflict(
                    kind=ConflictKind.DUPLICATE_ID,
                    member_id=member.member_id,
                    message=f"member id {member.member_id!r} appears more than once",
                )
            )
        seen.add(member.member_id)
    counts: dict[str, int] = defaultdict(int)
    for assignment in assignments:
        counts[assignment.assignment_id] += 1
    for assignment_id, count in counts.items():
        if count > 1:
            found.append(
                Conflict(
                    kind=ConflictKind.DUPLICATE_ID,
                    assignment_ids=(assignment_id,),
                    message=f"assignment id {assignment_id!r} appears {count} times",
                )
            )
    return found


def _single_assignment_conflicts(
    assignment: Assignment,
    members: dict[str, TeamMember],
    policy: AssignmentPolicy,
    registry: DistrictRegistry,
) -> list[Conflict]:
    found: list[Conflict] = []
    ids = (assignment.assignment_id,)
    period = assignment.period
    label = f"assignment {assignment.assignment_id!r}"

    refusal = policy.refusal(period)
    if refusal is not None:
        found.append(
            Conflict(
                kind=ConflictKind.POLICY,
                assignment_ids=ids,
                member_id=assignment.member_id,
                days=period,
                message=f"{label} ({period}) {refusal}",
            )
        )

    member = members.get(assignment.member_id)
    if member is None:
        found.append(
            Conflict(
                kind=ConflictKind.UNKNOWN_MEMBER,
                assignment_ids=ids,
                member_id=assignment.member_id,
                days=period,
                message=f"{label} names member {assignment.member_id!r}, who is not in the roster",
            )
        )
    else:
        for part in period.outside(member.employment):
            found.append(
                Conflict(
                    kind=ConflictKind.EMPLOYMENT,
                    assignment_ids=ids,
                    member_id=member.member_id,
                    days=part,
                    message=(
                        f"{label} has days {part} outside the employment of member "
                        f"{member.member_id!r} ({member.employment})"
                    ),
                )
            )

    try:
        district = registry.get(assignment.district)
    except UnknownDistrictError as error:
        found.append(
            Conflict(
                kind=ConflictKind.UNKNOWN_DISTRICT,
                assignment_ids=ids,
                member_id=assignment.member_id,
                days=period,
                message=f"{label}: {error}",
            )
        )
    else:
        for part in period.outside(district.validity):
            if part.start < district.valid_from:
                why = f"it existed from {district.valid_from.isoformat()}"
            elif district.successor is not None:
                why = f"its successor is {district.successor!r}"
            else:
                why = "it had been dissolved"
            found.append(
                Conflict(
                    kind=ConflictKind.DISTRICT,
                    assignment_ids=ids,
                    member_id=assignment.member_id,
                    days=part,
                    message=(
                        f"{label} is with {district.code!r}, which did not exist on {part} ({why})"
                    ),
                )
            )
    return found


def _absence_conflicts(
    assignments: Iterable[Assignment], absences: Iterable[Absence]
) -> list[Conflict]:
    """Every (assignment, absence) pair of one member that shares a day.

    A sweep over both lists in order of start: each item meets only the items
    of the other list still running when it starts, and items that have ended
    are dropped from a heap keyed by their end.
    """
    events: list[tuple[dt.date, int, int]] = []
    assignment_list = list(assignments)
    absence_list = list(absences)
    for index, assignment in enumerate(assignment_list):
        events.append((assignment.start, 0, index))
    for index, absence in enumerate(absence_list):
        events.append((absence.start, 1, index))
    events.sort()

    running: tuple[list[tuple[dt.date, int]], list[tuple[dt.date, int]]] = ([], [])
    found: list[Conflict] = []
    for start, side, index in events:
        other = running[1 - side]
        while other and other[0][0] < start:
            heapq.heappop(other)
        for _, other_index in other:
            assignment_index, absence_index = (
                (index, other_index) if side == 0 else (other_index, index)
            )
            found.append(
                _absence_conflict(assignment_list[assignment_index], absence_list[absence_index])
            )
        end = assignment_list[index].end if side == 0 else absence_list[index].end
        heapq.heappush(running[side], (end, index))
    return found


def _absence_conflict(assignment: Assignment, absence: Absence) -> Conflict:
    days = assignment.period.intersection(absence.period)
    assert days is not None  # the sweep pairs only overlapping items
    return Conflict(
        kind=ConflictKind.ABSENCE,
        assignment_ids=(assignment.assignment_id,),
        member_id=assignment.member_id,
        days=days,
        message=(
            f"assignment {assignment.assignment_id!r} has days {days} on which member "
            f"{assignment.member_id!r} is away ({absence.kind.value} {absence.period})"
        ),
    )


def _capacity_conflicts(member: TeamMember, assignments: Sequence[Assignment]) -> list[Conflict]:
    """The stretches of days on which *member* is assigned more than their extent.

    A sweep over the days on which an assignment starts or ends: between two
    such days the load is constant, so each stretch is checked once.
    """
    changes: dict[dt.date, list[tuple[float, str]]] = defaultdict(list)
    for assignment in assignments:
        changes[assignment.start].append((assignment.extent, assignment.assignment_id))
        changes[assignment.end + ONE_DAY].append((-assignment.extent, assignment.assignment_id))

    found: list[Conflict] = []
    running: dict[str, float] = {}
    stretch: tuple[dt.date, float, set[str]] | None = None  # first day, peak load, ids
    days = sorted(changes)
    for day, next_day in zip(days, [*days[1:], None], strict=True):
        for extent, assignment_id in changes[day]:
            if extent > 0:
                running[assignment_id] = running.get(assignment_id, 0.0) + extent
            else:
                running[assignment_id] -= -extent
                if running[assignment_id] <= _TOLERANCE:
                    del running[assignment_id]
        load = sum(running.values())
        if load > member.extent + _TOLERANCE:
            if stretch is None:
                stretch = (day, load, set(running))
            else:
                stretch = (stretch[0], max(stretch[1], load), stretch[2] | set(running))
        elif stretch is not None:
            found.append(_capacity_conflict(member, stretch, day - ONE_DAY))
            stretch = None
        if next_day is None and stretch is not None:  # pragma: no cover - loads end at 0
            found.append(_capacity_conflict(member, stretch, day))
    return found


def _capacity_conflict(
    member: TeamMember, stretch: tuple[dt.date, float, set[str]], last_day: dt.date
) -> Conflict:
    first_day, peak, ids = stretch
    days = DateRange(first_day, last_day)
    return Conflict(
        kind=ConflictKind.CAPACITY,
        assignment_ids=tuple(sorted(ids)),
        member_id=member.member_id,
        days=days,
        message=(
            f"member {member.member_id!r} is assigned up to {peak:g} of their extent "
            f"{member.extent:g} on {days} (assignments {', '.join(sorted(ids))})"
        ),
    )
