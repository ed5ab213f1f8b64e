"""Deadlines of the Care of Young Persons Act, LVU (1990:52).

References:
    - Lag (1990:52) med särskilda bestämmelser om vård av unga, 7 §, 8 § and
      13 §, as published by Riksdagen (SFS 1990:52).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import cast

import attrs

from socforst.cases import Custody, Placement, PlacementBasis
from socforst.rules.base import (
    Deadline,
    LegalReference,
    RuleContext,
    due_and_reference,
    reference_on,
)
from socforst.rules.sol import review_periods

__all__ = ["LvuCareApplicationDeadline", "LvuCourtSubmissionDeadline", "LvuReviewDeadline"]


def _lvu(section: str) -> tuple[LegalReference, ...]:
    return (LegalReference(f"LVU (1990:52) {section}"),)


@attrs.frozen(kw_only=True)
class LvuCourtSubmissionDeadline:
    """An immediate custody decision goes to the administrative court within a week.

    Due 7 days after the day of the decision, under the chosen reading of
    Lag (1930:173) 2 §. Met by ``submitted_to_court_on``.

    Args:
        days: Days from the decision to the due day.
        kind: The duty's name in the rule book.

    References:
        - LVU (1990:52) 7 §: "inom en vecka från den dag då beslutet fattades"
          (SFS 1990:52, Riksdagen).
    """

    days: int = 7
    kind: str = "lvu_court_submission"
    record_type: type = attrs.field(default=Custody, init=False, repr=False)
    references: tuple[LegalReference, ...] = attrs.field(default=_lvu("7 §"), repr=False)

    def due_from_start(self, starts_on: dt.date, context: RuleContext) -> dt.date:
        """One week after the decision, under the chosen reading of 2 §."""
        return context.legal_day(starts_on + dt.timedelta(days=self.days))

    def deadlines(self, record: object, context: RuleContext) -> tuple[Deadline, ...]:
        """The submission a custody decision owes."""
        record = cast(Custody, record)  # the book dispatches by type
        due_on, reference = due_and_reference(self, record.decided_on, context)
        return (
            Deadline(
                self.kind,
                record.custody_id,
                record.district,
                record.decided_on,
                due_on,
                record.submitted_to_court_on,
                reference,
                due_soon_days=context.due_soon_days,
            ),
        )


@attrs.frozen(kw_only=True)
class LvuCareApplicationDeadline:
    """Care must be applied for within four weeks of the custody being carried out.

    Due 28 days after ``enforced_on``, under the chosen reading of Lag
    (1930:173) 2 §, or on ``court_extension_until`` where the court extended
    the time (a date not later than the four weeks moves nothing). No deadline
    until the custody has been carried out. Met by ``care_applied_on``.

    Args:
        days: Days from enforcement to the due day.
        kind: The duty's name in the rule book.

    References:
        - LVU (1990:52) 8 §: "inom fyra veckor från den dag då beslutet om
          omedelbart omhändertagande verkställdes"; the court may extend the
          time (SFS 1990:52, Riksdagen).
    """

    days: int = 28
    kind: str = "lvu_care_application"
    record_type: type = attrs.field(default=Custody, init=False, repr=False)
    references: tuple[LegalReference, ...] = attrs.field(default=_lvu("8 §"), repr=False)

    def due_from_start(self, starts_on: dt.date, context: RuleContext) -> dt.date:
        """Four weeks after enforcement, without a court extension."""
        return context.legal_day(starts_on + dt.timedelta(days=self.days))

    def deadlines(self, record: object, context: RuleContext) -> tuple[Deadline, ...]:
        """The application for care a carried-out custody owes."""
        record = cast(Custody, record)  # the book dispatches by type
        if record.enforced_on is None:
            return ()
        due_on, reference = due_and_reference(self, record.enforced_on, context)
        if record.court_extension_until is not None and record.court_extension_until > due_on:
            # 8 §: the court may extend the time; an "extension" to an earlier day
            # would shorten it, which the section does not allow, so it moves nothing.
            due_on = record.court_extension_until
        return (
            Deadline(
                self.kind,
                record.custody_id,
                record.district,
                record.enforced_on,
                due_on,
                record.care_applied_on,
                reference,
                due_soon_days=context.due_soon_days,
            ),
        )


@attrs.frozen(kw_only=True)
class LvuReviewDeadline:
    """Compulsory care is reconsidered (2 §) or reviewed (3 §) every six months.

    Like :class:`~socforst.rules.sol.PlacementReviewDeadline`, one deadline per
    period, for placements with basis ``lvu_2`` or ``lvu_3``.

    Args:
        months: Months between reviews.
        bases: The placement bases the rule covers.
        kind: The duty's name in the rule book.

    References:
        - LVU (1990:52) 13 §: care under 2 § "överväga minst en gång var sjätte
          månad", care under 3 § "pröva minst en gång var sjätte månad"
          (SFS 1990:52, Riksdagen).
    """

    months: int = 6
    bases: frozenset[PlacementBasis] = frozenset({PlacementBasis.LVU_2, PlacementBasis.LVU_3})
    kind: str = "lvu_review"
    record_type: type = attrs.field(default=Placement, init=False, repr=False)
    references: tuple[LegalReference, ...] = attrs.field(default=_lvu("13 §"), repr=False)

    def deadlines(self, record: object, context: RuleContext) -> Iterator[Deadline]:
        """One deadline per review period of a placement under LVU."""
        assert isinstance(record, Placement)
        if record.basis not in self.bases:
            return
        yield from review_periods(
            self.kind, record, context, self.months, lambda day: reference_on(self.references, day)
        )
