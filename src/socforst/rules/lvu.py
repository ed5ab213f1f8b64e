"""Deadlines of the Care of Young Persons Act, LVU (1990:52).

References:
    - Lag (1990:52) med särskilda bestämmelser om vård av unga, 5 §, 7 §,
      8 §, 13 § and 14 §, as published by Riksdagen (SFS 1990:52).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import cast

import attrs

from socforst.cases import (
    CourtOutcome,
    Custody,
    Placement,
    PlacementBasis,
    Restriction,
    ReviewTopic,
)
from socforst.rules.base import (
    Deadline,
    LegalReference,
    RuleContext,
    cite,
    due_and_reference,
)
from socforst.rules.sol import review_periods, walk_periods

__all__ = [
    "LvuCareApplicationDeadline",
    "LvuCareEndReviewDeadline",
    "LvuCareStartDeadline",
    "LvuCourtSubmissionDeadline",
    "LvuRestrictionReviewDeadline",
    "LvuReviewDeadline",
]


def _lvu(section: str) -> tuple[LegalReference, ...]:
    return (LegalReference(f"LVU (1990:52) {section}"),)


@attrs.frozen(kw_only=True)
class LvuCourtSubmissionDeadline:
    """An immediate custody decision goes to the administrative court within a week.

    Due 7 days after the day of the decision (Lag (1930:173) 1 §: a week ends
    on the same weekday), moved to the next working day by Lag (1930:173)
    2 § by default: the act covers a filing with a court, and none of its
    exceptions applies. Met by ``submitted_to_court_on``.

    A custody not submitted by the due day lapses (LVU 7 § third paragraph):
    the deadline then shows ``late`` (submitted after the due day) or
    ``overdue`` (not submitted), and no care application
    (:class:`LvuCareApplicationDeadline`) is owed.

    Args:
        days: Days from the decision to the due day.
        kind: The duty's name in the rule book.
        roll_forward: The rule's reading of Lag (1930:173) 2 §: ``True`` (the
            default) rolls, ``False`` counts strict days, ``None`` follows
            the book's reading.

    References:
        - LVU (1990:52) 7 §: "inom en vecka från den dag då beslutet fattades";
          "Om beslutet inte har underställts förvaltningsrätten inom
          föreskriven tid, upphör omhändertagandet" (SFS 1990:52, Riksdagen).
        - Lag (1930:173) 1 § and 2 § (the roll-forward reading; its second
          paragraph lists no exception for LVU).
    """

    days: int = 7
    kind: str = "lvu_court_submission"
    roll_forward: bool | None = True
    record_type: type = attrs.field(default=Custody, init=False, repr=False)
    references: tuple[LegalReference, ...] = attrs.field(default=_lvu("7 §"), repr=False)

    def due_from_start(self, starts_on: dt.date, context: RuleContext) -> dt.date:
        """One week after the decision, under the rule's reading of 2 §."""
        return context.legal_day(starts_on + dt.timedelta(days=self.days), self.roll_forward)

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

    Due 28 days after ``enforced_on``, moved to the next working day by Lag
    (1930:173) 2 § by default (a filing with a court, as under 7 §), or on
    ``court_extension_until`` where the court extended the time (a date not
    later than the four weeks moves nothing). Met by ``care_applied_on``.

    The duty exists only while a custody that the court confirmed stands
    ("Om förvaltningsrätten fastställer ..."). As of a day (facts dated after
    it have not happened yet), nothing is owed when:

    - the custody has not been carried out (no ``enforced_on``);
    - the court did not confirm it (``court_outcome`` ``lifted``);
    - it lapsed under 7 § third paragraph: submitted to the court after the
      week, or not submitted and the week has passed (the 7 § deadline then
      shows ``late`` or ``overdue``, which is how the list says it lapsed;
      where the data has no ``submitted_to_court_on`` column, an empty
      submission is unknown and no lapse is inferred);
    - it ended (``ended_on``) before the due day without care applied for
      by then.

    While the court's decision is unknown (``court_outcome`` empty, or decided
    after the day evaluated), the deadline is shown from enforcement as
    though the custody will be confirmed: the four weeks run from
    enforcement whatever the court decides, and an extract may not carry the
    court's decision at all.

    A court extension counts as of ``court_extension_decided_on``; one
    recorded without that day counts from the original due day.

    Args:
        days: Days from enforcement to the due day.
        kind: The duty's name in the rule book.
        roll_forward: The rule's reading of Lag (1930:173) 2 §: ``True`` (the
            default) rolls, ``False`` counts strict days, ``None`` follows
            the book's reading.
        submission: The 7 § rule whose due day decides whether the custody
            lapsed.

    References:
        - LVU (1990:52) 8 §: "Om förvaltningsrätten fastställer ett beslut om
          omedelbart omhändertagande, ska socialnämnden inom fyra veckor från
          den dag då omhändertagandet verkställdes ansöka ..."; "Förvaltningsrätten
          får medge förlängning av denna tid" (SFS 1990:52, Riksdagen).
        - LVU (1990:52) 7 § third paragraph and 9 § (the custody ends).
        - Lag (1930:173) 2 § (the roll-forward reading).
    """

    days: int = 28
    kind: str = "lvu_care_application"
    roll_forward: bool | None = True
    submission: LvuCourtSubmissionDeadline = attrs.field(
        factory=LvuCourtSubmissionDeadline, repr=False
    )
    record_type: type = attrs.field(default=Custody, init=False, repr=False)
    references: tuple[LegalReference, ...] = attrs.field(default=_lvu("8 §"), repr=False)

    def due_from_start(self, starts_on: dt.date, context: RuleContext) -> dt.date:
        """Four weeks after enforcement, without a court extension."""
        return context.legal_day(starts_on + dt.timedelta(days=self.days), self.roll_forward)

    def deadlines(self, record: object, context: RuleContext) -> tuple[Deadline, ...]:
        """The application for care a carried-out custody owes, while it stands."""
        record = cast(Custody, record)  # the book dispatches by type
        if record.enforced_on is None or _lapsed(record, self.submission, context):
            return ()
        known = context.known
        # An outcome recorded without a day counts always; with one, from that day.
        if record.court_outcome is CourtOutcome.LIFTED and (
            record.court_decided_on is None or known(record.court_decided_on) is not None
        ):
            return ()  # 8 §: only "om förvaltningsrätten fastställer" the custody
        due_on, reference = due_and_reference(self, record.enforced_on, context)
        until = record.court_extension_until
        if until is not None and until > due_on:
            # 8 §: the court may extend the time; an "extension" to an earlier day
            # would shorten it, which the section does not allow, so it moves nothing.
            # As of a day, the extension counts once decided; without a decision
            # day, from the original due day (socforst's reading).
            decided = record.court_extension_decided_on
            if known(due_on if decided is None else decided) is not None:
                due_on = until
        ended = known(record.ended_on)
        applied = record.care_applied_on
        if ended is not None and ended < due_on and (applied is None or applied > ended):
            return ()  # the custody ended before the due day: nothing more is owed
        return (
            Deadline(
                self.kind,
                record.custody_id,
                record.district,
                record.enforced_on,
                due_on,
                applied,
                reference,
                due_soon_days=context.due_soon_days,
            ),
        )


def _lapsed(record: Custody, submission: LvuCourtSubmissionDeadline, context: RuleContext) -> bool:
    """Whether the custody lapsed under LVU 7 § third paragraph, as of the context's day."""
    due_on, _ = due_and_reference(submission, record.decided_on, context)
    submitted = context.known(record.submitted_to_court_on)
    if submitted is not None:
        return submitted > due_on
    # Not submitted (by the day evaluated): lapsed once the week has passed. With
    # the whole history (no day), or without the column (unknown, not "not done"),
    # an unrecorded submission is not taken as a lapse.
    return (
        context.as_of is not None
        and context.as_of > due_on
        and ("custodies", "submitted_to_court_on") not in context.unknown_columns
    )


@attrs.frozen(kw_only=True)
class LvuCareStartDeadline:
    """Care under a court's care decision must begin within four weeks of its legal force.

    For a placement under LVU with ``care_decision_final_on`` (the day the
    court's care decision vann laga kraft), due 28 days later (four weeks:
    Lag (1930:173) 1 §), under the book's reading of 2 §: beginning the care
    is the committee's own act (LVU 11 §), not a filing with a court, and
    whether 2 § covers it is not settled. Met by ``started_on``, the day care
    began (LVU 10 §; care that began on a custody before the decision had
    legal force is met at once). Done after the due day, the status is
    ``late``: the decision had lapsed before care began (5 §: "upphör att
    gälla").

    socforst includes the duty because it is a statutory time limit the
    committee keeps when it carries out the care, with the same consequence
    as LVU 7 § (the decision lapses), and an inspector checks it. Its limit:
    a decision that lapsed without care ever beginning has no placement, so
    it is not seen; as of a day before ``started_on`` the placement is not
    known yet, so nothing is owed (like a report not yet registered).

    Args:
        days: Days from legal force to the due day.
        kind: The duty's name in the rule book.
        roll_forward: The rule's own reading of Lag (1930:173) 2 §, or ``None``
            (the default) for the book's reading.

    References:
        - LVU (1990:52) 5 §: "Rättens beslut om vård upphör att gälla, om
          vården inte har påbörjats inom fyra veckor från den dag då beslutet
          vann laga kraft." (SFS 1990:52, Riksdagen).
        - LVU (1990:52) 10 § and 11 § (when care begins; who carries it out).
    """

    days: int = 28
    kind: str = "lvu_care_start"
    roll_forward: bool | None = None
    record_type: type = attrs.field(default=Placement, init=False, repr=False)
    references: tuple[LegalReference, ...] = attrs.field(default=_lvu("5 §"), repr=False)

    def due_from_start(self, starts_on: dt.date, context: RuleContext) -> dt.date:
        """Four weeks after the decision gained legal force, under the rule's reading of 2 §."""
        return context.legal_day(starts_on + dt.timedelta(days=self.days), self.roll_forward)

    def deadlines(self, record: object, context: RuleContext) -> tuple[Deadline, ...]:
        """The beginning of care a care decision under LVU owes."""
        record = cast(Placement, record)  # the book dispatches by type
        final_on = record.care_decision_final_on
        if final_on is None or not record.basis.is_lvu:
            return ()
        as_of = context.as_of
        if as_of is not None and record.started_on > as_of:
            return ()  # not placed yet: as of that day the placement is unknown
        due_on, _ = due_and_reference(self, final_on, context)
        began = record.started_on
        return (
            Deadline(
                self.kind,
                record.placement_id,
                record.district,
                final_on,
                due_on,
                began,
                cite(self.references, final_on, due_on, began, as_of),
                due_soon_days=context.due_soon_days,
            ),
        )


@attrs.frozen(kw_only=True)
class LvuReviewDeadline:
    """Care under LVU 2 §: the övervägande at least every six months (13 § first paragraph).

    Like :class:`~socforst.rules.sol.PlacementReviewDeadline`, one deadline per
    period, for placements with basis ``lvu_2`` or ``lvu_2_3``: the committee
    considers (överväger) whether care is still needed and how it should be
    directed and shaped. The first övervägande is due when the care has gone
    on six months, counted from ``started_on``, the day care began (LVU 10 §:
    the young person was placed outside the home on a custody or a care
    decision); each next period starts at the review of the care (topic
    ``care``) that met the one before.

    Care under 3 § owes the prövning of :class:`LvuCareEndReviewDeadline`
    instead; care under both (``lvu_2_3``) owes both.

    Args:
        months: Months between reviews.
        bases: The placement bases the rule covers.
        kind: The duty's name in the rule book.
        roll_forward: The rule's own reading of Lag (1930:173) 2 §, or ``None``
            (the default) for the book's reading.

    References:
        - LVU (1990:52) 13 § first paragraph: "Har den unge beretts vård med
          stöd av 2 §, ska socialnämnden minst en gång var sjätte månad
          överväga om vård enligt lagen fortfarande behövs och hur vården bör
          inriktas och utformas." (SFS 1990:52, Riksdagen).
        - LVU (1990:52) 10 § (when care counts as begun).
    """

    months: int = 6
    bases: frozenset[PlacementBasis] = frozenset({PlacementBasis.LVU_2, PlacementBasis.LVU_2_3})
    kind: str = "lvu_review"
    roll_forward: bool | None = None
    record_type: type = attrs.field(default=Placement, init=False, repr=False)
    references: tuple[LegalReference, ...] = attrs.field(
        default=_lvu("13 § första stycket"), repr=False
    )

    def deadlines(self, record: object, context: RuleContext) -> Iterator[Deadline]:
        """One deadline per period of care under LVU 2 §."""
        assert isinstance(record, Placement)
        if record.basis not in self.bases:
            return
        yield from review_periods(
            self.kind, record, context, self.months, self.references, self.roll_forward
        )


@attrs.frozen(kw_only=True)
class LvuCareEndReviewDeadline:
    """Care under LVU 3 §: the prövning of whether care shall end, within every six months.

    For placements with basis ``lvu_3`` or ``lvu_2_3`` (13 § second
    paragraph): the committee decides (prövar) whether the care shall end
    within six months of the day the care decision was enforced,
    ``care_enforced_on`` (``started_on`` where it is empty), and then within
    six months of the last prövning. Met by a review of the care (topic
    ``care``). As of a day before ``care_enforced_on``, that day has not
    come, and the first period counts from ``started_on``.

    Args:
        months: Months between prövningar.
        bases: The placement bases the rule covers.
        kind: The duty's name in the rule book.
        roll_forward: The rule's own reading of Lag (1930:173) 2 §, or ``None``
            (the default) for the book's reading.

    References:
        - LVU (1990:52) 13 § second paragraph: "Har den unge beretts vård med
          stöd av 3 §, ska socialnämnden inom sex månader från dagen för
          verkställighet av vårdbeslutet pröva om vård med stöd av lagen ska
          upphöra. Denna fråga ska därefter prövas fortlöpande inom sex
          månader från senaste prövning." (SFS 1990:52 as amended by SFS
          2022:664, Riksdagen).
    """

    months: int = 6
    bases: frozenset[PlacementBasis] = frozenset({PlacementBasis.LVU_3, PlacementBasis.LVU_2_3})
    kind: str = "lvu_care_end_review"
    roll_forward: bool | None = None
    record_type: type = attrs.field(default=Placement, init=False, repr=False)
    references: tuple[LegalReference, ...] = attrs.field(
        default=_lvu("13 § andra stycket"), repr=False
    )

    def deadlines(self, record: object, context: RuleContext) -> Iterator[Deadline]:
        """One deadline per period of care under LVU 3 §."""
        assert isinstance(record, Placement)
        if record.basis not in self.bases:
            return
        # From the day the care decision was enforced, if known by the day evaluated
        # on (empty: the placement's start).
        yield from review_periods(
            self.kind,
            record,
            context,
            self.months,
            self.references,
            self.roll_forward,
            context.known(record.care_enforced_on),
        )


@attrs.frozen(kw_only=True)
class LvuRestrictionReviewDeadline:
    """A restriction of contact or whereabouts is reconsidered at least every three months.

    For each :class:`~socforst.cases.Restriction`, the first reconsideration
    is due three months after ``decided_on`` and each next one three months
    after the one before, while the restriction lasts (``ended_on``). Met by a
    review of the restriction's placement with the topic ``restrictions``:
    one such review reconsiders every restriction of the placement in force.

    Args:
        months: Months between reconsiderations.
        kind: The duty's name in the rule book.
        roll_forward: The rule's own reading of Lag (1930:173) 2 §, or ``None``
            (the default) for the book's reading.

    References:
        - LVU (1990:52) 14 § third paragraph: "Socialnämnden ska minst en gång
          var tredje månad överväga om ett sådant beslut som avses i andra
          stycket fortfarande behövs." (SFS 1990:52, Riksdagen).
    """

    months: int = 3
    kind: str = "lvu_restriction_review"
    roll_forward: bool | None = None
    record_type: type = attrs.field(default=Restriction, init=False, repr=False)
    references: tuple[LegalReference, ...] = attrs.field(
        default=_lvu("14 § tredje stycket"), repr=False
    )

    def deadlines(self, record: object, context: RuleContext) -> Iterator[Deadline]:
        """One deadline per three-month period of the restriction."""
        assert isinstance(record, Restriction)
        reviews = sorted(
            r.reviewed_on
            for r in context.reviews.get(record.placement_id, ())
            if r.topic is ReviewTopic.RESTRICTIONS
        )
        yield from walk_periods(
            self.kind,
            record.restriction_id,
            record.district,
            record.decided_on,
            context.known(record.ended_on),
            reviews,
            context,
            self.months,
            self.references,
            self.roll_forward,
        )
