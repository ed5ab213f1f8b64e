"""What every deadline rule shares: legal references, deadlines and their status."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple, Protocol, runtime_checkable

import attrs

from socforst.calendar import LegalCalendar
from socforst.cases import Extension, Review
from socforst.errors import ValidationError

__all__ = [
    "ColumnarRule",
    "Deadline",
    "DeadlineStatus",
    "EvaluatedDeadline",
    "LegalReference",
    "Rule",
    "RuleContext",
    "cite",
    "due_and_reference",
    "make_deadline",
    "reference_on",
]


@attrs.frozen
class LegalReference:
    """A statute's chapter and section, with the days it was in force.

    Args:
        text: The citation as users write it: ``SoL (2025:400) 20 kap. 2 §``.
        valid_from: The first day in force, or ``None`` for "since before any data".
        valid_to: The last day in force, or ``None`` while in force.
    """

    text: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def in_force_on(self, day: dt.date) -> bool:
        """Whether the provision was in force on *day*."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


def reference_on(references: Sequence[LegalReference], day: dt.date) -> str:
    """The citation of the provision in force on *day*.

    Raises:
        ValidationError: If no provision in *references* was in force on *day*.
    """
    for reference in references:
        if reference.in_force_on(day):
            return reference.text
    raise ValidationError(
        "starts_on", f"({day.isoformat()}) has no provision in force among the rule's references"
    )


class DeadlineStatus(enum.StrEnum):
    """Where a deadline stands on a date (see :meth:`Deadline.status`)."""

    MET = "met"
    """Done on or before the due date."""
    JUSTIFIED = "justified"
    """Done after the due date, with a recorded exceptional reason (synnerliga skäl)."""
    LATE = "late"
    """Done after the due date, without a recorded reason."""
    OVERDUE = "overdue"
    """Not done, and the due date has passed."""
    DUE_SOON = "due_soon"
    """Not done, with 0 to ``due_soon_days`` days left."""
    OPEN = "open"
    """Not done, with more days left."""


# Enum attribute lookups cost about 100 ns each on Python 3.11: bind them once.
_MET = DeadlineStatus.MET
_JUSTIFIED = DeadlineStatus.JUSTIFIED
_LATE = DeadlineStatus.LATE
_OVERDUE = DeadlineStatus.OVERDUE
_DUE_SOON = DeadlineStatus.DUE_SOON
_OPEN = DeadlineStatus.OPEN


class Deadline(NamedTuple):
    """One statutory deadline of one record.

    A named tuple, not an attrs class: a million reports give a million
    deadlines, and a tuple is built about four times faster than a frozen
    attrs instance (measured in ``benchmarks/deadlines.py``). It is just as
    immutable; note that it compares equal to a plain tuple of the same values.

    Args:
        kind: The duty (``preassessment``, ``investigation``, ...).
        subject_id: The id of the record it is about.
        district: The district code of that record.
        starts_on: The day the clock started.
        due_on: The last day the duty may be done on.
        met_on: The day it was done, if it was (in the record's whole history).
        reference: The statute and section in force on the day the duty was
            done or, if it was not done by *due_on*, on *due_on* (see
            :func:`cite`), as the record stood on the day the rule was
            applied on (its whole history without one).
        exceptional_reason: A recorded exceptional reason; it never moves
            *due_on*, and makes a deadline done after it ``justified``.
        member_id: The team member who handled the record, if one did.
        due_soon_days: How many days before *due_on* a deadline is ``due_soon``.
    """

    kind: str
    subject_id: str
    district: str
    starts_on: dt.date
    due_on: dt.date
    met_on: dt.date | None
    reference: str
    exceptional_reason: str | None = None
    member_id: str | None = None
    due_soon_days: int = 3

    def status(self, as_of: dt.date) -> DeadlineStatus:
        """The status on *as_of*; an event dated after *as_of* has not happened yet.

        Done after the due date, a deadline that carries an exceptional reason
        is ``justified``, not ``late``: the statute lets a preassessment be
        decided later for synnerliga skäl. socforst cannot judge the reason;
        the status lets a reviewer find and check it.

        Example:
            >>> import datetime as dt
            >>> from socforst import Deadline
            >>> d = Deadline(kind="preassessment", subject_id="r1", district="farsta",
            ...              starts_on=dt.date(2025, 3, 3), due_on=dt.date(2025, 3, 17),
            ...              met_on=dt.date(2025, 3, 18), reference="SoL (2001:453) 11 kap. 1 a §")
            >>> [d.status(dt.date(2025, 3, day)).value for day in (10, 14, 17, 18)]
            ['open', 'due_soon', 'due_soon', 'late']
        """
        met_on = self.met_on
        if met_on is not None and met_on <= as_of:
            if met_on <= self.due_on:
                return _MET
            return _JUSTIFIED if self.exceptional_reason else _LATE
        left = (self.due_on - as_of).days
        if left < 0:
            return _OVERDUE
        if left <= self.due_soon_days:
            return _DUE_SOON
        return _OPEN

    def as_of(self, day: dt.date) -> EvaluatedDeadline:
        """This deadline as it stood on *day*: its status, and ``met_on`` only if by then."""
        met_on = self.met_on
        return EvaluatedDeadline(
            self.kind,
            self.subject_id,
            self.district,
            self.starts_on,
            self.due_on,
            met_on if met_on is not None and met_on <= day else None,
            self.status(day),
            self.reference,
            self.exceptional_reason,
            self.member_id,
        )


make_deadline = tuple.__new__
"""Build a :class:`Deadline` from one tuple of its ten fields in order.

``make_deadline(Deadline, (...))`` skips the argument binding of
``Deadline(...)``: about 200 instead of 400 ns, which rules use in their hot path.
"""


class EvaluatedDeadline(NamedTuple):
    """A deadline on a given date: the columns of the deadline output.

    ``kind, subject_id, district, starts_on, due_on, met_on, status, reference``,
    where ``met_on`` is ``None`` when the duty was not done by that date. A
    named tuple for the same reason as :class:`Deadline`; ``_asdict()`` gives a row.
    """

    kind: str
    subject_id: str
    district: str
    starts_on: dt.date
    due_on: dt.date
    met_on: dt.date | None
    status: DeadlineStatus
    reference: str
    exceptional_reason: str | None = None
    member_id: str | None = None


@attrs.frozen(kw_only=True)
class RuleContext:
    """What a rule needs beyond its record.

    Args:
        calendar: The legal calendar for the roll-forward reading.
        roll_forward: Whether Lag (1930:173) 2 § moves a due date off a
            non-working day (the roll-forward reading) or not (strict days).
        due_soon_days: The window of ``due_soon``.
        extensions: Extensions of investigations, by investigation id, in order
            of decision.
        reviews: Reviews of placements, by placement id, in order of date.
        as_of: The day evaluated on, if any: a record's own dated facts after
            it (a placement's or custody's end, a court's decision) have not
            happened yet. ``None`` takes the record's whole history.
        unknown_columns: The ``(table, column)`` s the data had no column for:
            an empty value there is unknown, not "not done" (a custody of an
            extract without ``submitted_to_court_on`` is not taken to have
            lapsed).
    """

    calendar: LegalCalendar
    roll_forward: bool = False
    due_soon_days: int = 3
    extensions: Mapping[str, Sequence[Extension]] = attrs.field(factory=dict)
    reviews: Mapping[str, Sequence[Review]] = attrs.field(factory=dict)
    as_of: dt.date | None = None
    unknown_columns: frozenset[tuple[str, str]] = frozenset()
    # Memos by id(rule); _rules keeps each rule alive so that its id is not reused.
    _memos: dict[int, dict[dt.date, tuple[dt.date, str]]] = attrs.field(
        factory=dict, init=False, repr=False, eq=False
    )
    _rules: list[object] = attrs.field(factory=list, init=False, repr=False, eq=False)

    def legal_day(self, day: dt.date, roll_forward: bool | None = None) -> dt.date:
        """The due day under a reading of Lag (1930:173) 2 §.

        Args:
            day: The last day counted in calendar days.
            roll_forward: The rule's own reading, or ``None`` for the book's
                (the reading chosen for the social committee's own duties).
        """
        if roll_forward is None:
            roll_forward = self.roll_forward
        return self.calendar.roll_forward(day) if roll_forward else day

    def known(self, day: dt.date | None) -> dt.date | None:
        """*day* if it had happened by the context's ``as_of``, else ``None``."""
        if day is None or self.as_of is None or day <= self.as_of:
            return day
        return None

    def memo(self, rule: object) -> dict[dt.date, tuple[dt.date, str]]:
        """A cache from start day to (due day, reference) for *rule* in this context.

        A rule whose due day follows from the start day alone computes each
        day once per context: twelve years of reports hold only about 4,400
        distinct days.
        """
        memo = self._memos.get(id(rule))
        if memo is None:
            memo = self._memos[id(rule)] = {}
            self._rules.append(rule)
        return memo


@runtime_checkable
class Rule(Protocol):
    """A statutory deadline rule: what a plugin provides (no base class needed).

    Any object with these three attributes and the ``deadlines`` method is a
    rule; attrs classes with ``kind``, ``record_type`` and ``references`` fields
    are the usual form.
    """

    @property
    def kind(self) -> str:
        """The duty's name, unique in a rule book."""
        ...

    @property
    def record_type(self) -> type:
        """The record class the rule reads."""
        ...

    @property
    def references(self) -> tuple[LegalReference, ...]:
        """The provisions cited, one per law version."""
        ...

    def deadlines(self, record: object, context: RuleContext) -> Iterable[Deadline]:
        """The deadlines that *record* owes under this rule (none, one or several)."""
        ...


@runtime_checkable
class ColumnarRule(Rule, Protocol):
    """A rule whose due date follows from its start day alone.

    Such rules also evaluate columns of dates (``RuleBook.evaluate_columns``).
    """

    def due_from_start(self, starts_on: dt.date, context: RuleContext) -> dt.date:
        """The due date of a deadline that starts on *starts_on*."""
        ...


def cite(
    references: Sequence[LegalReference],
    starts_on: dt.date,
    due_on: dt.date,
    met_on: dt.date | None,
    as_of: dt.date | None = None,
) -> str:
    """The provision to cite: in force the day the duty was done, or on *due_on* if not done by it.

    A duty is governed by the law in force when it was done; one not done by
    its due day (late, or still not done) by the law in force on that day.
    SoL (2025:400) has no transitional rule that keeps SoL (2001:453) for
    duties still running on 2025-07-01 (its points 5 and 6 keep it only for
    återkrav, ersättningskrav and appeals), so a preassessment of a report of
    2025-06-30 decided on 2025-07-10 cites SoL (2025:400) 20 kap. 2 §.

    Args:
        references: The rule's provisions, one per law version.
        starts_on: The day the clock started (cited only if no provision was
            in force on the other day, as for a rule whose texts end earlier).
        due_on: The due day.
        met_on: The day the duty was done, if it was.
        as_of: The day evaluated on: done on or before it counts as done.

    References:
        - SFS 2025:400, övergångsbestämmelser points 1, 2, 5 and 6 (Riksdagen).
    """
    day = due_on
    if met_on is not None and met_on <= due_on and (as_of is None or met_on <= as_of):
        day = max(met_on, starts_on)
    # Done before its provision came into force (a review in June 2025 of a period
    # due under a provision of 2025-07-01): the provision of the due day.
    for candidate in (day, due_on):
        for reference in references:
            if reference.in_force_on(candidate):
                return reference.text
    return reference_on(references, starts_on)


def due_and_reference(
    rule: ColumnarRule, starts_on: dt.date, context: RuleContext
) -> tuple[dt.date, str]:
    """The due day and the provision in force on it, for a deadline starting on *starts_on*.

    The provision is the one a deadline not done by its due day cites (see
    :func:`cite`). Computed once per rule, day and context (see
    :meth:`RuleContext.memo`).
    """
    memo = context._memos.get(id(rule))  # the memo() fast path, inlined: a hot loop
    if memo is not None:
        found = memo.get(starts_on)
        if found is not None:
            return found
    else:
        memo = context.memo(rule)
    due_on = rule.due_from_start(starts_on, context)
    found = (due_on, cite(rule.references, starts_on, due_on, None))
    memo[starts_on] = found
    return found
