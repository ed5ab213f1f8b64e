"""The records of a child's case that start and stop the statutory clocks.

A :class:`Report` (anmälan) starts the protection assessment and the
preassessment; an :class:`Investigation` (utredning) has four months, which an
:class:`Extension` may lengthen; a :class:`Placement` outside the home is
reviewed (:class:`Review`) every six months, and a family-home placement is
considered for a transfer of custody after two years; an immediate custody
under LVU (:class:`Custody`) must go to court within a week and care be applied
for within four weeks; a :class:`Restriction` of contact or whereabouts under
LVU 14 § is reconsidered every three months. The fields are the columns of the
data formats.

Instants are kept in Europe/Stockholm time: a naive datetime is read as
Stockholm local time, an aware one is converted to it, and a bare date means
the start of that day. So a report received at 2025-03-31T23:30Z was received
on 2025-04-01 in Stockholm.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, cast

import attrs
import pendulum

from socforst._validate import check_enum, check_optional_str, to_enum
from socforst.dates import check_date, check_end_not_before_start, check_optional_date
from socforst.errors import ValidationError
from socforst.ids import check_code, check_id, check_optional_id

__all__ = [
    "STOCKHOLM",
    "CourtOutcome",
    "Custody",
    "Extension",
    "Investigation",
    "Placement",
    "PlacementBasis",
    "PreassessmentOutcome",
    "Report",
    "Restriction",
    "RestrictionKind",
    "Review",
    "ReviewTopic",
    "to_stockholm",
]

STOCKHOLM = pendulum.timezone("Europe/Stockholm")
"""The time zone in which reports are received and days are counted."""


def to_stockholm(value: Any) -> Any:
    """Convert an instant to an aware datetime in Europe/Stockholm time.

    A naive datetime is Stockholm local time (at a clock change, the earlier
    of two readings); an aware one is converted; a date is the start of that
    day. Anything else is returned unchanged for the validator to refuse.

    Example:
        >>> import datetime as dt
        >>> from socforst.cases import to_stockholm
        >>> to_stockholm(dt.datetime(2025, 3, 31, 23, 30, tzinfo=dt.timezone.utc)).isoformat()
        '2025-04-01T01:30:00+02:00'
    """
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
            # Through UTC and back: a wall time that does not exist (in the hour
            # skipped in spring) becomes the instant it names, 02:30 -> 03:30 CEST.
            return value.replace(tzinfo=STOCKHOLM).astimezone(dt.UTC).astimezone(STOCKHOLM)
        return value.astimezone(STOCKHOLM)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=STOCKHOLM)
    return value


def _to_optional_stockholm(value: Any) -> Any:
    return None if value is None else to_stockholm(value)


def _check_instant(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, dt.datetime):
        raise ValidationError(
            attribute.name, f"must be a datetime or a date, got {type(value).__name__}"
        )


def _check_optional_instant(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _check_instant(instance, attribute, value)


class PreassessmentOutcome(enum.StrEnum):
    """What the preassessment (förhandsbedömning) decided."""

    OPENED = "opened"
    """An investigation was opened."""
    NOT_OPENED = "not_opened"
    """No investigation was opened."""
    ALREADY_OPEN = "already_open"
    """An investigation of the child was already open, so no preassessment is owed."""


def _to_outcome(value: PreassessmentOutcome | str | None) -> PreassessmentOutcome | None:
    return cast(PreassessmentOutcome | None, to_enum(PreassessmentOutcome, value))


class PlacementBasis(enum.StrEnum):
    """The legal basis of a placement outside the home."""

    SOL = "sol"
    """Voluntary care under the Social Services Act (SoL)."""
    LVU_2 = "lvu_2"
    """Compulsory care under LVU 2 § (the home environment)."""
    LVU_3 = "lvu_3"
    """Compulsory care under LVU 3 § (the young person's own behaviour)."""
    LVU_2_3 = "lvu_2_3"
    """Compulsory care under both LVU 2 § and 3 §, which owes both duties of LVU 13 §."""
    PROTECTED_HOUSING = "protected_housing"
    """Skyddat boende granted to a child with a guardian under the 2025 SoL, 22 kap. 5 §."""

    @property
    def is_lvu(self) -> bool:
        """Whether the care is compulsory care under LVU."""
        return self in _LVU_BASES


_LVU_BASES = frozenset({PlacementBasis.LVU_2, PlacementBasis.LVU_3, PlacementBasis.LVU_2_3})


class ReviewTopic(enum.StrEnum):
    """What a review of a placement considered."""

    CARE = "care"
    """The care itself, the default (an övervägande, or for care under LVU 3 § a prövning)."""
    CUSTODY_TRANSFER = "custody_transfer"
    """Whether to apply for a transfer of custody (föräldrabalken 6 kap. 8 §)."""
    RESTRICTIONS = "restrictions"
    """Whether restrictions under LVU 14 § second paragraph are still needed."""


def _to_topic(value: ReviewTopic | str | None) -> ReviewTopic:
    if value is None:
        return ReviewTopic.CARE
    return cast(ReviewTopic, to_enum(ReviewTopic, value))


class RestrictionKind(enum.StrEnum):
    """The kind of a restriction under LVU 14 § second paragraph."""

    CONTACT = "contact"
    """How contact (umgänge) with a guardian or parent is exercised (point 1)."""
    RESIDENCE = "residence"
    """The young person's whereabouts are not disclosed to a parent or guardian (point 2)."""


def _to_restriction_kind(value: RestrictionKind | str) -> RestrictionKind:
    return cast(RestrictionKind, to_enum(RestrictionKind, value))


class CourtOutcome(enum.StrEnum):
    """What the administrative court decided on an immediate custody (LVU 7 §)."""

    CONFIRMED = "confirmed"
    """The court confirmed the custody (fastställde beslutet), so LVU 8 § applies."""
    LIFTED = "lifted"
    """The court did not confirm it; the custody ended, and LVU 8 § owes nothing."""


def _to_court_outcome(value: CourtOutcome | str | None) -> CourtOutcome | None:
    return cast(CourtOutcome | None, to_enum(CourtOutcome, value))


def _to_basis(value: PlacementBasis | str) -> PlacementBasis:
    return cast(PlacementBasis, to_enum(PlacementBasis, value))


def _check_counts_as_received_on(
    instance: Report, attribute: attrs.Attribute[Any], value: Any
) -> None:
    check_optional_date(instance, attribute, value)
    # FL 22 §: a posted report counts as received earlier, never later, than it arrived.
    registered = instance.received_at.date()
    if value is not None and value > registered:
        raise ValidationError(
            "counts_as_received_on",
            f"({value.isoformat()}) is after the day of 'received_at' ({registered.isoformat()})",
        )


@attrs.frozen(kw_only=True)
class Report:
    """A report of concern about a child (anmälan om barn som far illa).

    A report has come in on the day it reaches the authority
    (förvaltningslagen (2017:900) 22 § first paragraph): an e-mail or a web
    form on the day it arrives, weekends included. One that arrives by post,
    or lies in the post box when the box is emptied the first time on a day,
    counts as received on the previous working day (22 § second and third
    paragraphs): record that day as *counts_as_received_on*, and the
    protection assessment and the preassessment count from it, while
    *received_at* stays the instant the report was registered.

    Args:
        report_id: The report's opaque id.
        district: The code of the district that received it.
        received_at: When it reached the authority and was registered; kept
            in Europe/Stockholm time.
        counts_as_received_on: The day it counts as received under
            förvaltningslagen 22 § (post, or the post box emptied in the
            morning: the previous working day), if that is not the day of
            *received_at*; it may not be after that day.
        protection_assessed_at: When the protection assessment was made, if it was.
        preassessment_decided_on: The day of the preassessment decision, if made.
        preassessment_outcome: What the preassessment decided.
        exceptional_reason: The exceptional reason (synnerliga skäl) recorded
            for a late decision; it does not move the due date, and makes a
            decision after it ``justified`` rather than ``late``.
        member_id: The team member who handled it, if one did.

    References:
        - Förvaltningslagen (2017:900) 22 § (as quoted by jpinfonet.se and
          Skatteverket's rättslig vägledning).

    Example:
        >>> import datetime as dt
        >>> from socforst import Report
        >>> posted = Report(report_id="r1", district="farsta",
        ...                 received_at=dt.datetime(2027, 9, 13, 8, 15),
        ...                 counts_as_received_on=dt.date(2027, 9, 10))
        >>> posted.received_on, posted.legally_received_on
        (datetime.date(2027, 9, 13), datetime.date(2027, 9, 10))
    """

    report_id: str = attrs.field(validator=check_id)
    district: str = attrs.field(validator=check_code)
    received_at: dt.datetime = attrs.field(converter=to_stockholm, validator=_check_instant)
    counts_as_received_on: dt.date | None = attrs.field(
        default=None, validator=_check_counts_as_received_on
    )
    protection_assessed_at: dt.datetime | None = attrs.field(
        default=None, converter=_to_optional_stockholm, validator=_check_optional_instant
    )
    preassessment_decided_on: dt.date | None = attrs.field(
        default=None, validator=check_optional_date
    )
    preassessment_outcome: PreassessmentOutcome | None = attrs.field(
        default=None,
        converter=_to_outcome,
        validator=attrs.validators.optional(check_enum(PreassessmentOutcome)),
    )
    exceptional_reason: str | None = attrs.field(default=None, validator=check_optional_str)
    member_id: str | None = attrs.field(default=None, validator=check_optional_id)

    @property
    def received_on(self) -> dt.date:
        """The day the report was registered as received (of *received_at*), in Stockholm."""
        return self.received_at.date()

    @property
    def legally_received_on(self) -> dt.date:
        """The day the report counts as received, from which its clocks count.

        *counts_as_received_on* if recorded (förvaltningslagen 22 §), else
        :attr:`received_on`.
        """
        counts = self.counts_as_received_on
        return self.received_at.date() if counts is None else counts


def _check_closed_on(instance: Investigation, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_optional_date(instance, attribute, value)
    check_end_not_before_start("opened_on", "closed_on", instance.opened_on, value)


@attrs.frozen(kw_only=True)
class Investigation:
    """A child investigation (barnavårdsutredning).

    The four months run "från det att den inleddes" (SoL (2025:400) 20 kap.
    3 §): from the committee's decision to open the investigation, which for
    one opened on a report is the day of the preassessment decision. An
    investigation opened on an application, without a report, has the same
    four months.

    Args:
        investigation_id: The investigation's opaque id.
        district: The code of the district that opened it.
        opened_on: The day of the decision to open the investigation.
        report_id: The report that led to it, if any.
        closed_on: The day it was completed (the investigation concluded), if
            it has been.
        member_id: The team member who handled it, if one did.

    References:
        - SoL (2025:400) 20 kap. 3 §; SoL (2001:453) 11 kap. 2 § to 2025-06-30.
    """

    investigation_id: str = attrs.field(validator=check_id)
    district: str = attrs.field(validator=check_code)
    opened_on: dt.date = attrs.field(validator=check_date)
    report_id: str | None = attrs.field(default=None, validator=check_optional_id)
    closed_on: dt.date | None = attrs.field(default=None, validator=_check_closed_on)
    member_id: str | None = attrs.field(default=None, validator=check_optional_id)


@attrs.frozen(kw_only=True)
class Extension:
    """A decision to extend an investigation for a set time (särskilda skäl).

    The statute lets the committee "besluta att förlänga utredningen för viss
    tid" (SoL (2025:400) 20 kap. 3 §). That an extension counts only if
    decided on or before the due day in force is socforst's reading, not
    statute text: to extend a time presupposes one that has not run out, and
    no source found says otherwise (legal audit 2026-11, section 1). The new
    last day is fixed by the committee, not by law, so Lag (1930:173) 2 §
    does not move it.

    Args:
        investigation_id: The investigation extended.
        decided_on: The day of the decision; by socforst's reading it counts
            only if made on or before the due day it extends.
        until: The new last day.
        reason: The special reason recorded.
    """

    investigation_id: str = attrs.field(validator=check_id)
    decided_on: dt.date = attrs.field(validator=check_date)
    until: dt.date = attrs.field(validator=check_date)
    reason: str | None = attrs.field(default=None, validator=check_optional_str)


def _check_ended_on(instance: Placement, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_optional_date(instance, attribute, value)
    check_end_not_before_start("started_on", "ended_on", instance.started_on, value)


@attrs.frozen(kw_only=True)
class Placement:
    """A placement of a child outside the home (vård utanför hemmet).

    Under LVU, care counts as begun when the young person was placed outside
    the home on an immediate custody or a care decision (LVU 10 §): that is
    *started_on*. For care under 3 § the first prövning of whether the care
    shall end counts from the day the care decision (vårdbeslutet) was
    enforced, *care_enforced_on*, which comes later when the care followed an
    immediate custody.

    Args:
        placement_id: The placement's opaque id.
        district: The code of the responsible district.
        basis: ``sol``, ``lvu_2``, ``lvu_3``, ``lvu_2_3`` (care under both
            LVU 2 § and 3 §) or ``protected_housing`` (skyddat boende under
            SoL).
        started_on: The first day of the placement outside the home (for LVU
            care, the day care began under LVU 10 §).
        care_enforced_on: The day the care decision was enforced (LVU 13 §
            second paragraph: "dagen för verkställighet av vårdbeslutet"),
            if it is not *started_on*; read for care under 3 § only.
        care_decision_final_on: The day the court's care decision gained
            legal force (vann laga kraft), if known: care must begin within
            four weeks of it (LVU 5 §).
        family_home_from: The day the placement in the child's present
            family home was carried out (verkställdes), if the child is in a
            family home: a transfer of custody is considered after two years
            there (SoL (2025:400) 22 kap. 14 §, LVU 13 c §). Empty: not in a
            family home, or not known.
        ended_on: The last day, if it has ended.

    References:
        - LVU (1990:52) 5 §, 10 §, 13 § and 13 c § (SFS 1990:52, Riksdagen).
        - SoL (2025:400) 22 kap. 13 § and 14 § (SFS 2025:400, Riksdagen).
    """

    placement_id: str = attrs.field(validator=check_id)
    district: str = attrs.field(validator=check_code)
    basis: PlacementBasis = attrs.field(converter=_to_basis, validator=check_enum(PlacementBasis))
    started_on: dt.date = attrs.field(validator=check_date)
    care_enforced_on: dt.date | None = attrs.field(default=None, validator=check_optional_date)
    care_decision_final_on: dt.date | None = attrs.field(
        default=None, validator=check_optional_date
    )
    family_home_from: dt.date | None = attrs.field(default=None, validator=check_optional_date)
    ended_on: dt.date | None = attrs.field(default=None, validator=_check_ended_on)


@attrs.frozen(kw_only=True)
class Review:
    """A review of a placement, on one topic.

    The topic ``care`` (the default) is the review of the care itself: under
    SoL (22 kap. 13 §; 6 kap. 8 § to 2025-06-30) and for care under LVU 2 §
    (13 § first paragraph) the committee considers (överväger) whether the
    care is still needed; for care under LVU 3 § (13 § second paragraph) it
    decides (prövar) whether the care shall end. ``custody_transfer`` is the
    consideration of whether to apply for a transfer of custody (SoL (2025:400)
    22 kap. 14 §, LVU 13 c §); ``restrictions`` the reconsideration of the
    placement's restrictions under LVU 14 § (every :class:`Restriction` of the
    placement in force that day). One decision on several topics is one row
    per topic.

    Args:
        placement_id: The placement reviewed.
        reviewed_on: The day of the review.
        topic: What was considered: ``care``, ``custody_transfer`` or
            ``restrictions``.
    """

    placement_id: str = attrs.field(validator=check_id)
    reviewed_on: dt.date = attrs.field(validator=check_date)
    topic: ReviewTopic = attrs.field(
        default=ReviewTopic.CARE, converter=_to_topic, validator=check_enum(ReviewTopic)
    )


def _check_restriction_ended_on(
    instance: Restriction, attribute: attrs.Attribute[Any], value: Any
) -> None:
    check_optional_date(instance, attribute, value)
    check_end_not_before_start("decided_on", "ended_on", instance.decided_on, value)


@attrs.frozen(kw_only=True)
class Restriction:
    """A restriction under LVU 14 § second paragraph, reconsidered every three months.

    The committee may decide how the young person's contact (umgänge) with a
    guardian or parent is exercised (point 1), or that the young person's
    whereabouts are not disclosed to them (point 2); it must consider at
    least every three months whether the decision is still needed (14 §
    third paragraph). The reconsiderations are :class:`Review` rows of the
    placement with the topic ``restrictions``.

    Args:
        restriction_id: The decision's opaque id.
        placement_id: The LVU placement it belongs to.
        district: The code of the deciding district.
        kind: ``contact`` or ``residence``.
        decided_on: The day of the decision.
        ended_on: The day it ended (was lifted, or the care ended), if it has.

    References:
        - LVU (1990:52) 14 § (SFS 1990:52, Riksdagen).
    """

    restriction_id: str = attrs.field(validator=check_id)
    placement_id: str = attrs.field(validator=check_id)
    district: str = attrs.field(validator=check_code)
    kind: RestrictionKind = attrs.field(
        converter=_to_restriction_kind, validator=check_enum(RestrictionKind)
    )
    decided_on: dt.date = attrs.field(validator=check_date)
    ended_on: dt.date | None = attrs.field(default=None, validator=_check_restriction_ended_on)


def _check_custody_ended_on(instance: Custody, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_optional_date(instance, attribute, value)
    check_end_not_before_start("decided_on", "ended_on", instance.decided_on, value)


@attrs.frozen(kw_only=True)
class Custody:
    """An immediate custody decision under LVU 6 § (omedelbart omhändertagande).

    The decision goes to the administrative court within a week (LVU 7 §); if
    it does not, the custody lapses. Once the court has confirmed it, care is
    applied for within four weeks of the day it was carried out (LVU 8 §),
    unless the court extends that time.

    Args:
        custody_id: The decision's opaque id.
        district: The code of the deciding district.
        decided_on: The day of the decision.
        enforced_on: The day it was carried out, if it was.
        submitted_to_court_on: The day it was submitted to the administrative
            court (LVU 7 §), if it was.
        court_decided_on: The day the court decided on the custody, if it has
            (as of an earlier day, the decision has not happened yet).
        court_outcome: What the court decided: ``confirmed`` or ``lifted``;
            empty while unknown (an extract may not carry it).
        care_applied_on: The day care was applied for (LVU 8 §), if it was.
        court_extension_decided_on: The day the court extended the time for
            the application, if it did and the day is known.
        court_extension_until: The last day of a time for the application that
            the court extended, if it did. It counts from
            *court_extension_decided_on*; recorded without that day, from the
            original due day (socforst's reading: the court is taken to have
            decided by then).
        ended_on: The day the custody was lifted or lapsed, if it has ended:
            nothing is owed under LVU 8 § after it.

    References:
        - LVU (1990:52) 7 §, 8 § and 9 § (SFS 1990:52, Riksdagen).
    """

    custody_id: str = attrs.field(validator=check_id)
    district: str = attrs.field(validator=check_code)
    decided_on: dt.date = attrs.field(validator=check_date)
    enforced_on: dt.date | None = attrs.field(default=None, validator=check_optional_date)
    submitted_to_court_on: dt.date | None = attrs.field(default=None, validator=check_optional_date)
    court_decided_on: dt.date | None = attrs.field(default=None, validator=check_optional_date)
    court_outcome: CourtOutcome | None = attrs.field(
        default=None,
        converter=_to_court_outcome,
        validator=attrs.validators.optional(check_enum(CourtOutcome)),
    )
    care_applied_on: dt.date | None = attrs.field(default=None, validator=check_optional_date)
    court_extension_decided_on: dt.date | None = attrs.field(
        default=None, validator=check_optional_date
    )
    court_extension_until: dt.date | None = attrs.field(default=None, validator=check_optional_date)
    ended_on: dt.date | None = attrs.field(default=None, validator=_check_custody_ended_on)
