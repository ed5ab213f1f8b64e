"""Deadlines of the Social Services Act: SoL (2001:453) and, from 2025-07-01, SoL (2025:400).

Each rule carries its provision in both versions of the law, with the days
each was in force; a deadline cites the one in force on the day the duty was
done or, if it was not done by the due day, on the due day
(:func:`~socforst.rules.base.cite`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import cast

import attrs

from socforst.cases import (
    Investigation,
    Placement,
    PlacementBasis,
    PreassessmentOutcome,
    Report,
    ReviewTopic,
)
from socforst.dates import add_months
from socforst.errors import RuleError
from socforst.rules.base import (
    Deadline,
    LegalReference,
    RuleContext,
    cite,
    due_and_reference,
    make_deadline,
)

__all__ = [
    "NEW_SOL_FROM",
    "OLD_SOL_TO",
    "CustodyTransferDeadline",
    "InvestigationDeadline",
    "PlacementReviewDeadline",
    "PreassessmentDeadline",
    "ProtectionAssessmentDeadline",
    "protected_housing_review",
    "review_periods",
]

OLD_SOL_TO = dt.date(2025, 6, 30)
"""The last day the Social Services Act of 2001 (SFS 2001-453) was in force."""
NEW_SOL_FROM = dt.date(2025, 7, 1)
"""The first day the Social Services Act of 2025 (SFS 2025-400) was in force."""


_ALREADY_OPEN = PreassessmentOutcome.ALREADY_OPEN  # bound once: enum lookups are slow


def _sol(old: str, new: str) -> tuple[LegalReference, ...]:
    return (
        LegalReference(f"SoL (2001:453) {old}", valid_to=OLD_SOL_TO),
        LegalReference(f"SoL (2025:400) {new}", valid_from=NEW_SOL_FROM),
    )


@attrs.frozen(kw_only=True)
class ProtectionAssessmentDeadline:
    """The immediate protection assessment (skyddsbedömning) of a report.

    Due the day the report was received ("genast"). With a *cutoff* time, a
    report received at or after it is due the next day, as the preparatory
    works allow for reports that come in late in the day. The duty is
    immediate, so Lag (1930:173) 2 § does not apply: the due day never rolls
    forward. Met by ``protection_assessed_at``.

    A report that records ``counts_as_received_on`` (förvaltningslagen 22 §:
    post, or the post box emptied in the morning) is due on that day, and a
    *cutoff* does not apply to it: the time of day is that of the
    registration, not of the day it counts as received. As of a day before
    the report was registered (``received_at``), nothing is owed yet.

    Args:
        cutoff: The local time from which a report is due the next day, or
            ``None`` (the default) for always the same day.
        kind: The duty's name in the rule book.

    References:
        - SoL (2001:453) 11 kap. 1 a § första stycket, to 2025-06-30 (as quoted
          by Socialstyrelsen's Kunskapsguiden).
        - SoL (2025:400) 20 kap. 1 §, from 2025-07-01 (SFS 2025:400, Riksdagen).
        - Prop. 2012/13:10 p. 60 (a report late in the day: the next day).
        - Förvaltningslagen (2017:900) 22 § (the day a document counts as received).
    """

    cutoff: dt.time | None = None
    kind: str = "protection_assessment"
    record_type: type = attrs.field(default=Report, init=False, repr=False)
    references: tuple[LegalReference, ...] = attrs.field(
        default=_sol("11 kap. 1 a §", "20 kap. 1 §"), repr=False
    )

    def due_from_start(self, starts_on: dt.date, context: RuleContext) -> dt.date:
        """Due the same day: "genast", with no roll-forward.

        Raises:
            RuleError: With a *cutoff*, where the due day depends on the time
                of receipt, not on the day alone.
        """
        if self.cutoff is not None:
            raise RuleError(
                f"rule {self.kind!r} has a cut-off at {self.cutoff.isoformat()}, so its due day "
                "depends on the time of receipt; use evaluate() with the reports"
            )
        return starts_on

    def deadlines(self, record: object, context: RuleContext) -> tuple[Deadline, ...]:
        """The protection assessment a report owes."""
        record = cast(Report, record)  # the book dispatches by type
        as_of = context.as_of
        if as_of is not None and record.received_at.date() > as_of:
            return ()  # not registered yet: as of that day the report is unknown
        # FL (2017:900) 22 §: a posted report counts as received the working day before.
        received_on = record.legally_received_on
        due_on = received_on
        if (
            self.cutoff is not None
            and record.counts_as_received_on is None
            and record.received_at.timetz().replace(tzinfo=None) >= self.cutoff
        ):
            # Prop. 2012/13:10 p. 60: a report received late in the day, the next day.
            due_on = received_on + dt.timedelta(days=1)
        done = record.protection_assessed_at
        done_on = None if done is None else done.date()
        return (
            make_deadline(
                Deadline,
                (
                    self.kind,
                    record.report_id,
                    record.district,
                    received_on,
                    due_on,
                    done_on,
                    cite(self.references, received_on, due_on, done_on, context.as_of),
                    None,
                    record.member_id,
                    context.due_soon_days,
                ),
            ),
        )


@attrs.frozen(kw_only=True)
class PreassessmentDeadline:
    """The preassessment (förhandsbedömning): whether to open an investigation.

    The day the report was received is day 0; the decision is due on day
    *days* (14 by law). None is owed when an investigation of the child is
    already open (outcome ``already_open``). A recorded exceptional reason
    (synnerliga skäl) does not move the due date; it travels with the
    deadline, and a decision after the due date with one is ``justified``
    rather than ``late`` (the statute allows it for synnerliga skäl; socforst
    cannot judge the reason). Met by ``preassessment_decided_on``.

    Day 0 is the day the report came in: ``counts_as_received_on`` where it
    is recorded (förvaltningslagen 22 §: post, or the post box emptied in the
    morning, counts as received on the previous working day), else the day
    of ``received_at``. As of a day before the report was registered
    (``received_at``), nothing is owed yet.

    A municipality's stricter local target is the same rule with fewer days
    and its own kind, for example
    ``PreassessmentDeadline(days=10, kind="preassessment_local")``.

    Args:
        days: Days from the day of receipt to the due day.
        kind: The duty's name in the rule book.
        roll_forward: The rule's own reading of Lag (1930:173) 2 §, or ``None``
            (the default) for the book's reading.
        references: The provisions cited.

    References:
        - SoL (2001:453) 11 kap. 1 a §, to 2025-06-30: "inom fjorton dagar efter
          det att anmälan har kommit in", longer only for synnerliga skäl (as
          quoted by Socialstyrelsen's Kunskapsguiden).
        - SoL (2025:400) 20 kap. 2 §, from 2025-07-01 (SFS 2025:400, Riksdagen).
        - Lag (1930:173) 2 § for the roll-forward reading.
        - Förvaltningslagen (2017:900) 22 § (the day a document counts as received).
    """

    days: int = 14
    kind: str = "preassessment"
    roll_forward: bool | None = None
    record_type: type = attrs.field(default=Report, init=False, repr=False)
    references: tuple[LegalReference, ...] = attrs.field(
        default=_sol("11 kap. 1 a §", "20 kap. 2 §"), repr=False
    )

    def due_from_start(self, starts_on: dt.date, context: RuleContext) -> dt.date:
        """Day *days* counting the day of receipt as day 0, under the chosen reading of 2 §."""
        return context.legal_day(starts_on + dt.timedelta(days=self.days), self.roll_forward)

    def deadlines(self, record: object, context: RuleContext) -> tuple[Deadline, ...]:
        """The preassessment a report owes, unless an investigation was already open."""
        record = cast(Report, record)  # the book dispatches by type
        if record.preassessment_outcome is _ALREADY_OPEN:
            return ()
        as_of = context.as_of
        if as_of is not None and record.received_at.date() > as_of:
            return ()  # not registered yet: as of that day the report is unknown
        # FL (2017:900) 22 §: a posted report counts as received the working day before.
        counts = record.counts_as_received_on
        received_on = record.received_at.date() if counts is None else counts
        due_on, reference = due_and_reference(self, received_on, context)
        decided_on = record.preassessment_decided_on
        if decided_on is not None and decided_on <= due_on:
            # Done in time: the provision in force on the day of the decision.
            reference = cite(self.references, received_on, due_on, decided_on, context.as_of)
        # Positional: this is the hot path of a million-report evaluation.
        return (
            make_deadline(
                Deadline,
                (
                    self.kind,
                    record.report_id,
                    record.district,
                    received_on,
                    due_on,
                    decided_on,
                    reference,
                    record.exceptional_reason,
                    record.member_id,
                    context.due_soon_days,
                ),
            ),
        )


@attrs.frozen(kw_only=True)
class InvestigationDeadline:
    """The investigation (utredning) must be completed within four months.

    Due ``add_months(opened_on, months)`` (Lag (1930:173) 1 §), under the
    chosen reading of 2 §. An extension decided on or before the current due
    date moves it to the extension's ``until``; extensions chain, each judged
    against the due date the ones before it left. An extension decided after
    the due date moves nothing. Met by ``closed_on``.

    Args:
        months: Months from opening to the due day.
        kind: The duty's name in the rule book.
        roll_forward: The rule's own reading of Lag (1930:173) 2 §, or ``None``
            (the default) for the book's reading.
        references: The provisions cited.

    References:
        - SoL (2001:453) 11 kap. 2 §, to 2025-06-30 (as quoted by
          Socialstyrelsen's Kunskapsguiden and JO dnr 2565-2016; which stycke
          holds the four months is not settled from those sources, so none is
          cited).
        - SoL (2025:400) 20 kap. 3 §, from 2025-07-01 (SFS 2025:400, Riksdagen).
        - Lag (1930:173) 1 § (months) and 2 § (the roll-forward reading).
    """

    months: int = 4
    kind: str = "investigation"
    roll_forward: bool | None = None
    record_type: type = attrs.field(default=Investigation, init=False, repr=False)
    references: tuple[LegalReference, ...] = attrs.field(
        default=_sol("11 kap. 2 §", "20 kap. 3 §"), repr=False
    )

    def due_from_start(self, starts_on: dt.date, context: RuleContext) -> dt.date:
        """Four months on, without extensions, under the chosen reading of 2 §."""
        return context.legal_day(add_months(starts_on, self.months), self.roll_forward)

    def deadlines(self, record: object, context: RuleContext) -> tuple[Deadline, ...]:
        """The investigation's deadline, moved by extensions decided in time."""
        record = cast(Investigation, record)  # the book dispatches by type
        due_on, _ = due_and_reference(self, record.opened_on, context)
        for extension in context.extensions.get(record.investigation_id, ()):
            # socforst's reading, not statute text: to "förlänga utredningen för viss
            # tid" presupposes a time that has not yet run out, so only an extension
            # decided on or before the due day in force counts (no source says so
            # word for word; legal audit 2026-11, section 1).
            if extension.decided_on <= due_on and extension.until > due_on:
                due_on = extension.until
        reference = cite(self.references, record.opened_on, due_on, record.closed_on, context.as_of)
        return (
            make_deadline(
                Deadline,
                (
                    self.kind,
                    record.investigation_id,
                    record.district,
                    record.opened_on,
                    due_on,
                    record.closed_on,
                    reference,
                    None,
                    record.member_id,
                    context.due_soon_days,
                ),
            ),
        )


@attrs.frozen(kw_only=True)
class PlacementReviewDeadline:
    """Care outside the home must be reconsidered at least every six months.

    For a placement of the given *bases*, the first review is due six months
    after the start, and each next one six months after the review before it,
    for as long as the placement lasts: each period is one deadline, met by
    the first review of the care (topic ``care``) after the period began. A
    period that the placement does not outlive owes nothing. The period still
    running owes a deadline that is not met yet. A period due before the
    first of the rule's provisions came into force owes nothing either (see
    :func:`protected_housing_review`); the next one counts on from its due
    day.

    Args:
        months: Months between reviews.
        bases: The placement bases the rule covers.
        kind: The duty's name in the rule book.
        roll_forward: The rule's own reading of Lag (1930:173) 2 §, or ``None``
            (the default) for the book's reading.
        references: The provisions cited.

    References:
        - SoL (2001:453) 6 kap. 8 §, to 2025-06-30 (as quoted by
          Socialstyrelsen's Kunskapsguiden).
        - SoL (2025:400) 22 kap. 13 §, from 2025-07-01 (SFS 2025:400, Riksdagen).
    """

    months: int = 6
    bases: frozenset[PlacementBasis] = frozenset({PlacementBasis.SOL})
    kind: str = "placement_review"
    roll_forward: bool | None = None
    record_type: type = attrs.field(default=Placement, init=False, repr=False)
    references: tuple[LegalReference, ...] = attrs.field(
        default=_sol("6 kap. 8 § första stycket", "22 kap. 13 § första stycket"), repr=False
    )

    def deadlines(self, record: object, context: RuleContext) -> Iterator[Deadline]:
        """One deadline per review period of the placement."""
        assert isinstance(record, Placement)
        if record.basis not in self.bases:
            return
        yield from review_periods(
            self.kind,
            record,
            context,
            self.months,
            self.references,
            self.roll_forward,
        )


def protected_housing_review() -> PlacementReviewDeadline:
    """The review of skyddat boende granted to a child under SoL (2025:400), every six months.

    SoL (2025:400) 22 kap. 13 § second paragraph ("Detsamma gäller när ett
    barn har beviljats skyddat boende enligt denna lag") applies the six
    months of the first paragraph to a child granted skyddat boende, from
    2025-07-01. For placements with basis ``protected_housing``, as
    :class:`PlacementReviewDeadline`, kind ``protected_housing_review``. A
    period due before 2025-07-01 owes nothing (no provision was in force on
    its due day); the next period counts on from that day, six months at a
    time from the start, so a placement of 2024-05-01 without reviews owes
    its first review on 2025-11-01. Skyddat boende under lag (2024:79) om
    placering av barn i skyddat boende (its 5 kap. 3 §) is not covered.

    References:
        - SoL (2025:400) 22 kap. 13 § andra stycket (SFS 2025:400, Riksdagen).
    """
    return PlacementReviewDeadline(
        bases=frozenset({PlacementBasis.PROTECTED_HOUSING}),
        kind="protected_housing_review",
        references=(
            LegalReference("SoL (2025:400) 22 kap. 13 § andra stycket", valid_from=NEW_SOL_FROM),
        ),
    )


def _in_force_from(references: Sequence[LegalReference]) -> dt.date | None:
    """The first day any of *references* was in force, or ``None`` for "always"."""
    days = [reference.valid_from for reference in references]
    if not days or any(day is None for day in days):
        return None
    return min(day for day in days if day is not None)


def review_periods(
    kind: str,
    placement: Placement,
    context: RuleContext,
    months: int,
    references: Sequence[LegalReference],
    roll_forward: bool | None = None,
    first_start: dt.date | None = None,
    topic: ReviewTopic = ReviewTopic.CARE,
) -> Iterator[Deadline]:
    """The review deadlines of a placement, period after period.

    Shared by the SoL and LVU review rules: each period starts at the placement
    or at the review before, and is due *months* later. A period ends at its
    first review on *topic*; if the placement ends before a period's due day,
    nothing more is owed. As of the context's day, an end dated after it has
    not happened yet, so the period running on that day stays owed. Each
    period cites the provision in force on the day of its review or, if none
    was made by the due day, on the due day
    (:func:`~socforst.rules.base.cite`). The first period starts on
    *first_start* if given (LVU 13 § second paragraph: the enforcement of the
    care decision), else on the placement's start. A period due before the
    first of *references* came into force owes nothing, and if no review
    ended it the next period starts on its due day.
    """
    reviews = sorted(
        r.reviewed_on for r in context.reviews.get(placement.placement_id, ()) if r.topic is topic
    )
    yield from walk_periods(
        kind,
        placement.placement_id,
        placement.district,
        placement.started_on if first_start is None else first_start,
        context.known(placement.ended_on),
        reviews,
        context,
        months,
        references,
        roll_forward,
    )


def walk_periods(
    kind: str,
    subject_id: str,
    district: str,
    first_start: dt.date,
    ended_on: dt.date | None,
    reviews: Sequence[dt.date],
    context: RuleContext,
    months: int,
    references: Sequence[LegalReference],
    roll_forward: bool | None = None,
) -> Iterator[Deadline]:
    """Periods of *months* from *first_start*, each ended by the first review in it.

    *ended_on* is the end as known on the context's day (an end after it has
    not happened); *reviews* are the days of the reviews that count, sorted.
    See :func:`review_periods`.
    """
    owed_from = _in_force_from(references)
    period_start = first_start
    index = 0
    while True:
        # "minst en gång var sjätte (tredje) månad": Lag (1930:173) 1 §.
        counted = add_months(period_start, months)
        due_on = context.legal_day(counted, roll_forward)
        if ended_on is not None and ended_on < due_on:
            return
        while index < len(reviews) and reviews[index] <= period_start:
            index += 1
        met_on = reviews[index] if index < len(reviews) else None
        if met_on is not None and ended_on is not None and met_on > ended_on:
            met_on = None
        if owed_from is not None and due_on < owed_from:
            # No provision was in force on the due day: nothing owed for this period.
            # The clock runs on from the review, or from the day the period ended.
            period_start = met_on if met_on is not None and met_on <= counted else counted
            continue
        yield Deadline(
            kind=kind,
            subject_id=subject_id,
            district=district,
            starts_on=period_start,
            due_on=due_on,
            met_on=met_on,
            reference=cite(references, period_start, due_on, met_on, context.as_of),
            due_soon_days=context.due_soon_days,
        )
        if met_on is None:
            return
        period_start = met_on


TRANSFER_YEARLY_FROM = dt.date(2021, 3, 1)
"""The first day the transfer of custody had to be considered yearly (SFS 2020:1260, 2020:1259)."""
TRANSFER_TWO_YEARS_FROM = dt.date(2022, 7, 1)
"""The first day it was due after two years, not three (SFS 2022:665, 2022:664)."""


@attrs.frozen(kw_only=True)
class CustodyTransferDeadline:
    """Whether to apply for a transfer of custody, after two years in the same family home.

    For a placement with ``family_home_from`` (any basis but
    ``protected_housing``), the committee considers whether there is reason
    to apply for a transfer of custody (föräldrabalken 6 kap. 8 §) when the
    child has been in the same family home for two years, counted from the
    day that placement was carried out, and then yearly. Met by a review
    with the topic ``custody_transfer`` made after the period began.

    The law over time:

    - to 2021-02-28: after three years, once (SoL (2001:453) 6 kap. 8 §
      second paragraph; LVU 13 § third paragraph);
    - 2021-03-01 to 2022-06-30: after three years, then yearly (SFS 2020:1260,
      SFS 2020:1259);
    - from 2022-07-01: after two years, then yearly (SoL (2001:453) 6 kap.
      8 § third paragraph, SFS 2022:665; LVU 13 c §, SFS 2022:664; from
      2025-07-01 SoL (2025:400) 22 kap. 14 §).

    socforst's reading where the statute is silent (no transitional
    provision found): the first consideration is due on the day the child
    has been in the home for the years the law in force that day requires,
    and where two years had passed before 2022-07-01 but three had not, on
    2022-07-01, when the two-year rule came into force with its condition
    met. "Därefter ... årligen" is read as within twelve months of the
    previous consideration; a yearly period due before 2021-03-01 owes
    nothing, and the next counts on from its due day. A consideration made
    before the two years counts for the first period.

    Args:
        first_months: Months to the first consideration under the present law.
        kind: The duty's name in the rule book.
        roll_forward: The rule's own reading of Lag (1930:173) 2 §, or ``None``
            (the default) for the book's reading.
        references: The provisions cited for placements under SoL.
        lvu_references: The provisions cited for placements under LVU.

    References:
        - SoL (2025:400) 22 kap. 14 §: "När ett barn har varit placerat i samma
          familjehem under två år från det att placeringen verkställdes, ska
          socialnämnden särskilt överväga om det finns skäl att ansöka om
          överflyttning av vårdnaden ... Därefter ska frågan övervägas
          årligen." (SFS 2025:400, Riksdagen).
        - LVU (1990:52) 13 c § (SFS 2022:664, 2024:1175; Riksdagen).
        - SoL (2001:453) 6 kap. 8 § as amended by SFS 2020:1260 and SFS 2022:665
          (lagar.nj.se); prop. 2021/22:178, bet. 2021/22:SoU33.
    """

    kind: str = "custody_transfer_consideration"
    roll_forward: bool | None = None
    record_type: type = attrs.field(default=Placement, init=False, repr=False)
    references: tuple[LegalReference, ...] = attrs.field(
        default=(
            LegalReference(
                "SoL (2001:453) 6 kap. 8 § andra stycket",
                valid_to=TRANSFER_TWO_YEARS_FROM - dt.timedelta(days=1),
            ),
            LegalReference(
                "SoL (2001:453) 6 kap. 8 § tredje stycket",
                valid_from=TRANSFER_TWO_YEARS_FROM,
                valid_to=OLD_SOL_TO,
            ),
            LegalReference("SoL (2025:400) 22 kap. 14 §", valid_from=NEW_SOL_FROM),
        ),
        repr=False,
    )
    lvu_references: tuple[LegalReference, ...] = attrs.field(
        default=(
            LegalReference(
                "LVU (1990:52) 13 § tredje stycket",
                valid_to=TRANSFER_TWO_YEARS_FROM - dt.timedelta(days=1),
            ),
            LegalReference("LVU (1990:52) 13 c §", valid_from=TRANSFER_TWO_YEARS_FROM),
        ),
        repr=False,
    )

    def first_due(self, family_home_from: dt.date) -> dt.date:
        """The first consideration's due day in calendar days (before any reading of 2 §)."""
        two_years = add_months(family_home_from, 24)
        if two_years >= TRANSFER_TWO_YEARS_FROM:
            return two_years
        three_years = add_months(family_home_from, 36)
        if three_years < TRANSFER_TWO_YEARS_FROM:
            return three_years
        return TRANSFER_TWO_YEARS_FROM  # two years had passed when the two-year rule came

    def deadlines(self, record: object, context: RuleContext) -> Iterator[Deadline]:
        """The first consideration, then one per year for as long as the placement lasts."""
        assert isinstance(record, Placement)
        start = record.family_home_from
        if start is None or record.basis is PlacementBasis.PROTECTED_HOUSING:
            return
        if context.as_of is not None and record.started_on > context.as_of:
            return  # not placed yet: as of that day the placement is unknown
        references = self.lvu_references if record.basis.is_lvu else self.references
        ended_on = context.known(record.ended_on)
        reviews = sorted(
            r.reviewed_on
            for r in context.reviews.get(record.placement_id, ())
            if r.topic is ReviewTopic.CUSTODY_TRANSFER
        )
        period_start = start
        counted = self.first_due(start)
        index = 0
        while True:
            due_on = context.legal_day(counted, self.roll_forward)
            if ended_on is not None and ended_on < due_on:
                return
            while index < len(reviews) and reviews[index] <= period_start:
                index += 1
            met_on = reviews[index] if index < len(reviews) else None
            if met_on is not None and ended_on is not None and met_on > ended_on:
                met_on = None
            if period_start != start and due_on < TRANSFER_YEARLY_FROM:
                # No yearly duty before 2021-03-01: nothing owed; the year runs on.
                period_start = met_on if met_on is not None and met_on <= counted else counted
                counted = add_months(period_start, 12)
                continue
            yield Deadline(
                kind=self.kind,
                subject_id=record.placement_id,
                district=record.district,
                starts_on=period_start,
                due_on=due_on,
                met_on=met_on,
                reference=cite(references, period_start, due_on, met_on, context.as_of),
                due_soon_days=context.due_soon_days,
            )
            if met_on is None:
                return
            period_start = met_on
            counted = add_months(met_on, 12)
