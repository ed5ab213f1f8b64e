"""The common questions of the people who run the team, each a function of a dataset.

- :func:`deadlines_on` and :func:`count_deadlines`: the deadlines that are
  overdue or due soon on a day, by district and by member.
- :func:`compliance`: per district and month, the share of preassessments
  (or investigations) decided in time under both readings of Lag (1930:173) 2 §,
  how many are still open, and whether the month is final.
- :func:`availability` and :func:`free_stretches`: who is free, how much, on
  which days, and the longest free stretches.
- :func:`utilisation` and :func:`district_days`: the assigned share of each
  member's and team's capacity per month, and the team's days per district
  and year.
- :func:`costs`: the team's cost per district and year against what the same
  days would have cost at the consultant rate.
- :func:`need_ranking`: the districts ordered by need, each factor shown with
  its weight.

Every query takes a :class:`~socforst.dataset.Dataset` from any source and
returns frozen attrs rows whose fields are plain values (``str``, ``int``,
``float``, ``bool``, ``datetime.date``, ``None``), in a deterministic order, so that
``attrs.asdict`` turns any of them into a table, a CSV row or a JSON object.
:func:`deadlines_on` returns the rule book's own
:class:`~socforst.rules.base.EvaluatedDeadline` rows (named tuples, not attrs
classes), whose ``_asdict()`` gives the deadline output columns.

Days of work (utilisation, district days, costs) are the working days of the
Swedish legal calendar (:func:`~socforst.calendar.swedish_calendar`): Monday to
Friday, except public holidays, midsummer eve, Christmas eve and New Year's eve.
Availability is given for every calendar day, because assignments and
absences are ranges of calendar days.

"Crosswalked" districts are the districts the recorded codes had become on a
given day (:meth:`DistrictRegistry.current
<socforst.districts.DistrictRegistry.current>`), so that a 2019 record for
``hagersten-liljeholmen`` counts under ``hagersten-alvsjo`` in 2024. A code that
cannot be crosswalked (not in the registry, or dissolved without a successor
by then, or not yet existing then) is kept as recorded.
"""

from __future__ import annotations

import datetime as dt
import math
import types
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from socforst.assignments import Assignment
from socforst.calendar import swedish_calendar
from socforst.cases import PreassessmentOutcome
from socforst.dataset import Dataset, UnknownRecordError
from socforst.dates import ONE_DAY, DateRange, add_months
from socforst.districts import DistrictRegistry, stockholm
from socforst.errors import (
    DistrictNotActiveError,
    OpenRangeError,
    UnknownDistrictError,
    ValidationError,
    shown,
)
from socforst.followup import Staffing, YearlyCost
from socforst.results import Result
from socforst.rules.base import DeadlineStatus, EvaluatedDeadline
from socforst.rules.book import RuleBook, warn_left_out
from socforst.team import Absence, TeamMember

__all__ = [
    "ALL_DISTRICTS",
    "COMPLIANCE_KINDS",
    "NEED_FACTORS",
    "NEED_WEIGHTS",
    "ComplianceRow",
    "CostComparison",
    "CostRow",
    "DeadlineCount",
    "DistrictDaysRow",
    "FreeDay",
    "FreeStretch",
    "NeedScore",
    "UtilisationRow",
    "availability",
    "compliance",
    "costs",
    "count_deadlines",
    "deadlines_on",
    "district_days",
    "free_stretches",
    "need_ranking",
    "utilisation",
]

COMPLIANCE_KINDS: tuple[str, ...] = ("preassessment", "investigation")
"""The deadline kinds :func:`compliance` measures."""

ALL_DISTRICTS = "all"
"""The ``district`` of the total row of each year in :func:`costs`."""

NEED_FACTORS: tuple[str, ...] = (
    "backlog_per_position",
    "vacancy_rate",
    "turnover",
    "consultants_per_position",
)
"""The factors of :func:`need_ranking`, in the order they are shown."""

NEED_WEIGHTS: Mapping[str, float] = types.MappingProxyType(
    {
        "backlog_per_position": 0.4,
        "vacancy_rate": 0.25,
        "turnover": 0.2,
        "consultants_per_position": 0.15,
    }
)
"""The default weight of each factor of :func:`need_ranking` (read-only; they sum to 1)."""

# Sums of extents such as 0.1 + 0.2 carry binary noise: results are rounded to
# six decimals (a millionth of a day), money to whole öre.
_DECIMALS = 6
_SEK_DECIMALS = 2
_TOLERANCE = 1e-9

_STATUS_ORDER = {status.value: index for index, status in enumerate(DeadlineStatus)}
_COUNT_BY = ("district", "member_id")
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_NAT = np.iinfo(np.int64).min  # numpy's NaT, as an int64


# -- shared checks and helpers ----------------------------------------------------------


def _check_day(name: str, value: object) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError(name, f"must be a date (datetime.date), got {type(value).__name__}")
    return value


def _check_closed(period: object, query: str) -> tuple[dt.date, dt.date]:
    if not isinstance(period, DateRange):
        raise ValidationError("period", f"must be a DateRange, got {type(period).__name__}")
    if period.end is None:
        raise OpenRangeError(f"{query} needs a period with an end, got the open range {period}")
    return period.start, period.end


def _check_team(dataset: Dataset, team_id: str | None) -> None:
    """Refuse a team id that neither the teams nor the members of *dataset* name."""
    if team_id is None:
        return
    known = {team.team_id for team in dataset.teams} | {m.team_id for m in dataset.members}
    if team_id not in known:
        raise UnknownRecordError("teams", team_id)


def _rounded(value: float, decimals: int = _DECIMALS) -> float:
    # "+ 0.0" turns a -0.0 left by rounding into 0.0.
    return round(value, decimals) + 0.0


class _Crosswalk:
    """Codes to the codes they had become on one day, memoised; see the module docstring."""

    def __init__(self, registry: DistrictRegistry, on: dt.date | None) -> None:
        self._registry = registry
        self._on = on
        self._memo: dict[str, str] = {}

    def __call__(self, code: str) -> str:
        if self._on is None:
            return code
        found = self._memo.get(code)
        if found is None:
            try:
                found = self._registry.current(code, on=self._on).code
            except (UnknownDistrictError, DistrictNotActiveError):
                found = code
            self._memo[code] = found
        return found


def _kind_book(kind: str, *, roll_forward: bool) -> RuleBook:
    """The Swedish rule book reduced to the rule of *kind*: the other rules are not needed."""
    book = RuleBook.swedish(roll_forward=roll_forward)
    return attrs.evolve(book, rules=(book.rule(kind),))


def _case_records(dataset: Dataset, kinds: Iterable[str]) -> list[object]:
    """The records that the preassessment and investigation rules read."""
    records: list[object] = []
    kinds = set(kinds)
    if "preassessment" in kinds:
        records += dataset.reports
    if "investigation" in kinds:
        records += dataset.investigations
        records += dataset.extensions
    return records


# -- deadlines ---------------------------------------------------------------------------


def _check_statuses(statuses: Iterable[str]) -> frozenset[DeadlineStatus]:
    values = (statuses,) if isinstance(statuses, str) else tuple(statuses)
    known = ", ".join(repr(status.value) for status in DeadlineStatus)
    if not values:
        raise ValidationError("statuses", f"must name at least one of {known}")
    wanted: set[DeadlineStatus] = set()
    for value in values:
        try:
            wanted.add(DeadlineStatus(value))
        except ValueError:
            raise ValidationError(
                "statuses", f"must be among {known}, got {shown(value)}"
            ) from None
    return frozenset(wanted)


def deadlines_on(
    dataset: Dataset,
    as_of: dt.date,
    *,
    book: RuleBook | None = None,
    statuses: Iterable[str] = ("overdue", "due_soon"),
    district: str | None = None,
    member_id: str | None = None,
) -> Result[EvaluatedDeadline]:
    """The deadlines of the dataset's cases as they stood on *as_of*, filtered.

    Every case record (reports, investigations with their extensions,
    placements with their reviews, custodies) is evaluated by *book* on
    *as_of* (:meth:`RuleBook.evaluate_dataset
    <socforst.rules.book.RuleBook.evaluate_dataset>`): events dated after
    *as_of* have not happened yet, and deadlines that start after it are left
    out. So are the duties whose completion column the dataset's source did
    not have (a column that is absent is unknown, not "not done"), with one
    :class:`~socforst.dataset.MissingColumnWarning` per table and column.

    Args:
        dataset: The data to ask.
        as_of: The day to evaluate on.
        book: The rules and the reading of Lag (1930:173) 2 §;
            ``RuleBook.swedish()`` (strict calendar days) by default.
        statuses: The statuses to keep (``met``, ``late``, ``overdue``,
            ``due_soon``, ``open``); a single string is one status.
        district: Keep only the deadlines of this district: those recorded
            under the code, and those whose recorded district had become it by
            *as_of* (``hagersten-alvsjo`` includes the older ``alvsjo`` records).
        member_id: Keep only the deadlines of records this team member handled
            (the deadline's ``member_id``, taken from its record).

    Returns:
        The deadlines, sorted by due date, kind and subject id.

    Raises:
        ValidationError: If a status is unknown; the message lists the statuses.
        UnknownDistrictError: If *district* is not in the dataset's registry.
        UnknownRecordError: If the dataset has members and *member_id* is
            none of them (without a members table, any id is accepted).
    """
    _check_day("as_of", as_of)
    wanted = _check_statuses(statuses)
    registry = dataset.registry
    if district is not None:
        registry.get(district)
    if member_id is not None and dataset.members:
        dataset.get("members", member_id)
    book = book if book is not None else RuleBook.swedish()
    crosswalk = _Crosswalk(registry, as_of)
    # The table path computes the bulk on columns; the rows become tuples on demand.
    import pyarrow as pa
    import pyarrow.compute as pc

    table = book.evaluate_table(dataset, as_of)
    table = table.filter(
        pc.is_in(pc.cast(table.column("status"), pa.string()), value_set=_arrow_set(wanted))
    )
    if member_id is not None:
        table = table.filter(pc.fill_null(pc.equal(table.column("member_id"), member_id), False))
    if district is not None:
        recorded = pc.cast(table.column("district"), pa.string())
        kept = [
            code
            for code in pc.unique(recorded).to_pylist()
            if code == district or crosswalk(code) == district
        ]
        table = table.filter(pc.is_in(recorded, value_set=pa.array(kept, pa.string())))
    order = pc.sort_indices(
        pa.table(
            {
                "due_on": table.column("due_on"),
                "kind": pc.cast(table.column("kind"), pa.string()),
                "subject_id": table.column("subject_id"),
            }
        ),
        sort_keys=[("due_on", "ascending"), ("kind", "ascending"), ("subject_id", "ascending")],
    )
    return Result.from_arrow("deadlines_on", EvaluatedDeadline, table.take(order))


def _arrow_set(statuses: Iterable[DeadlineStatus]) -> Any:
    import pyarrow as pa

    return pa.array(sorted(status.value for status in statuses), pa.string())


@attrs.frozen
class DeadlineCount:
    """How many deadlines of one status one district or member has (see :func:`count_deadlines`).

    Args:
        by: What is counted by: ``district`` or ``member_id``.
        key: The district code or member id; ``None`` for deadlines of
            records no team member handled.
        status: The deadlines' status.
        count: How many.
    """

    by: str
    key: str | None
    status: str
    count: int


def count_deadlines(
    deadlines: Iterable[EvaluatedDeadline],
    by: str = "district",
    *,
    crosswalk_on: dt.date | None = None,
    registry: DistrictRegistry | None = None,
) -> Result[DeadlineCount]:
    """Count deadlines by district or by member, and by status.

    Args:
        deadlines: Deadlines as :func:`deadlines_on` gives them.
        by: ``district`` or ``member_id``.
        crosswalk_on: If given (and *by* is ``district``), count each
            district under the district it had become on this day (see the
            module docstring); otherwise as recorded on each deadline.
        registry: The registry to crosswalk with: pass ``dataset.registry``
            when the dataset adds districts; Stockholm's built-in one by default.

    Returns:
        One row per key and status that occurs, sorted by key (``None`` last)
        and then by status in the order ``met``, ``late``, ``overdue``,
        ``due_soon``, ``open``.

    Raises:
        ValidationError: If *by* is neither ``district`` nor ``member_id``.

    Example:
        >>> import datetime as dt
        >>> from socforst import EvaluatedDeadline
        >>> from socforst.queries import count_deadlines
        >>> d = EvaluatedDeadline("preassessment", "r1", "farsta", dt.date(2025, 3, 3),
        ...                       dt.date(2025, 3, 17), None, "overdue", "SoL 11 kap. 1 a §")
        >>> counted = count_deadlines([d, d._replace(subject_id="r2")])
        >>> counted
        Result(count_deadlines: 1 row x 4 columns)
        >>> counted[0]
        DeadlineCount(by='district', key='farsta', status='overdue', count=2)
    """
    if by not in _COUNT_BY:
        raise ValidationError(
            "by", f"must be one of 'district', 'member_id', got {shown(by, code=True)}"
        )
    if crosswalk_on is not None:
        _check_day("crosswalk_on", crosswalk_on)
    crosswalk = _Crosswalk(registry if registry is not None else stockholm(), crosswalk_on)
    counts: dict[tuple[str | None, str], int] = defaultdict(int)
    for deadline in deadlines:
        key = crosswalk(deadline.district) if by == "district" else deadline.member_id
        counts[key, DeadlineStatus(deadline.status).value] += 1
    return Result.from_rows(
        "count_deadlines",
        DeadlineCount,
        [
            DeadlineCount(by, key, status, count)
            for (key, status), count in sorted(
                counts.items(),
                key=lambda item: (item[0][0] is None, item[0][0] or "", _STATUS_ORDER[item[0][1]]),
            )
        ],
    )


# -- compliance --------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ComplianceRow:
    """Deadlines of one kind started in one district and month, and how many were met.

    Args:
        district: The district code (crosswalked if asked).
        month: The first day of the month the deadlines started in (the
            report received, the investigation opened).
        final: Whether the row can no longer change as deadlines fall due:
            every deadline started in the month had been done, or had its
            due date under both readings (the later, roll-forward one), by
            the day asked about, and no deadline can still start in the
            month (see :func:`compliance`). A row that is not final is still
            filling up. :func:`compliance` always sets it; the default
            describes a settled month, for rows built by hand.
        owed: Deadlines that were settled by the day asked about: done by
            then, or due by then under both readings.
        still_open: Deadlines started in the month by the day asked about
            that were not settled then: not done, and the roll-forward due
            date still ahead. The same number under both readings (see
            :func:`compliance`); ``owed + still_open`` is every deadline
            started in the month that was known then. 0 by default, as for
            ``final``.
        met_strict: Of the owed, met on or before the due date in strict calendar days.
        met_roll_forward: Met on or before the due date under the roll-forward
            reading of Lag (1930:173) 2 §.
        justified_strict: Done after the strict due date with a recorded
            exceptional reason (synnerliga skäl): status ``justified``.
        justified_roll_forward: The same under the roll-forward reading.
        late_strict: The rest, in strict days: done after the due date
            without a recorded reason, or not done by it
            (``owed = met + justified + late`` under each reading).
        late_roll_forward: The same under the roll-forward reading.
        share_strict: ``met_strict / owed``; ``None`` when nothing is owed yet.
        share_roll_forward: ``met_roll_forward / owed``; ``None`` when nothing is owed yet.
        difference: ``share_roll_forward - share_strict`` (never negative in
            practice: the roll-forward due date is never earlier); ``None``
            when nothing is owed yet.
    """

    district: str
    month: dt.date
    final: bool = True
    owed: int
    still_open: int = 0
    met_strict: int
    met_roll_forward: int
    justified_strict: int
    justified_roll_forward: int
    late_strict: int
    late_roll_forward: int
    share_strict: float | None
    share_roll_forward: float | None
    difference: float | None


def compliance(
    dataset: Dataset,
    *,
    kind: str = "preassessment",
    as_of: dt.date,
    crosswalk_on: dt.date | None = None,
    period: DateRange | None = None,
    open_months: bool = False,
) -> Result[ComplianceRow]:
    """Per district and month, the share of deadlines met, under both readings of 2 §.

    This is what the city's inspectors measured in 2013-2014: of the reports
    received in a month, how many preassessments were decided within the 14
    days; or, with ``kind="investigation"``, how many investigations were
    completed within four months (with extensions decided in time).

    Each deadline is evaluated on *as_of* twice: in strict calendar days and
    with the roll-forward of Lag (1930:173) 2 § (``RuleBook.swedish(roll_forward=...)``).
    A deadline is *owed* if it was met by *as_of*, or if it was due on or
    before *as_of* under both readings (its later, roll-forward due date has
    passed): so every deadline counted is settled under both readings, and
    both shares are of the same deadlines. It is *met* under a reading if it
    was done on or before that reading's due date, *justified* if done after
    it with a recorded exceptional reason (synnerliga skäl, status
    ``justified``), and *late* otherwise (done after it without a reason, or
    not done). *as_of* is read as its end: a decision dated *as_of* counts,
    and so does a deadline due that day and not done.

    The other deadlines started by *as_of* are *still open*: not done by
    *as_of*, with the roll-forward due date after it. This is one number for
    both readings: a deadline not done whose strict due date has passed but
    whose roll-forward due date has not (a due day on a weekend or a holiday)
    is already overdue in strict days, but it is still open in the row, and
    counted as owed (late under both readings, if still not done) once the
    roll-forward due date has passed too. A report registered after *as_of*
    is not known on *as_of* and is in neither count.

    Rows are grouped by the month the deadline started in. A row is *final*
    when it can no longer change as deadlines fall due or new ones start:

    - nothing is still open (every deadline started in the month had been
      done, or had its roll-forward due date, by *as_of*), and
    - the month is over (its last day, or the last day of *period* if that
      comes first): for investigations on that day; for preassessments on
      the first working day after it, since a report that arrives by post
      or lies in the post box that day counts as received on the previous
      working day (förvaltningslagen (2017:900) 22 §) and is known only once
      registered.

    The last month or two before *as_of* are usually not final: they count
    the deadlines settled so far, mostly early decisions. A final row can
    still change in one way: a deadline counted ``late`` for want of a
    decision, decided after *as_of* with a recorded exceptional reason,
    becomes ``justified``.

    Args:
        dataset: The data to ask.
        kind: ``preassessment`` or ``investigation``.
        as_of: The day to measure on; decisions dated after it have not happened.
        crosswalk_on: If given, count each district under the district it
            had become on this day (see the module docstring).
        period: If given, only deadlines that started in this range.
        open_months: Also give the rows of the district months whose
            deadlines are all still open (``owed`` 0, the shares and
            ``difference`` ``None``, never final), so that a month with
            nothing settled yet shows. ``socforst compliance`` gives them.

    Returns:
        One row per district and month with at least one owed deadline
        (with *open_months*, at least one deadline started by *as_of*),
        sorted by district and month.

    When the dataset's source had no column for the completion of *kind*
    (``preassessment_decided_on`` of reports, ``closed_on`` of
    investigations), nothing can be measured: there are no rows, and one
    :class:`~socforst.dataset.MissingColumnWarning` says how many deadlines
    (started by *as_of*, in *period*) were left out.

    Raises:
        ValidationError: If *kind* is not one of :data:`COMPLIANCE_KINDS`, or
            a date argument is not a date.

    References:
        - SoL (2001:453) 11 kap. 1 a § and 2 §; SoL (2025:400) 20 kap. 2 and 3 §§.
        - Lag (1930:173) om beräkning av lagstadgad tid, 2 § (the two readings).
        - Förvaltningslagen (2017:900) 22 § (when a month's reports are all in).
    """
    if kind not in COMPLIANCE_KINDS:
        known = ", ".join(repr(k) for k in COMPLIANCE_KINDS)
        raise ValidationError("kind", f"must be one of {known}, got {kind!r}")
    _check_day("as_of", as_of)
    if crosswalk_on is not None:
        _check_day("crosswalk_on", crosswalk_on)
    if period is not None and not isinstance(period, DateRange):
        raise ValidationError("period", f"must be a DateRange, got {type(period).__name__}")

    absent = _kind_book(kind, roll_forward=False).absent_completions(dataset).get(kind)
    if absent is not None:
        # A column that is absent is unknown, not "not done": nothing can be measured.
        _warn_unmeasured(dataset, kind, absent, as_of, period)
        return Result.from_rows("compliance", ComplianceRow, ())
    started = (
        _started_preassessments(dataset, as_of, period)
        if kind == "preassessment"
        else _started_by_objects(dataset, kind, as_of, period)
    )
    crosswalk = _Crosswalk(dataset.registry, crosswalk_on)
    # [owed, met, justified] under the strict reading, [met, justified] rolled forward,
    # and the still open, per (district, month)
    tally: dict[tuple[str, dt.date], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for district, month, strict_status, rolled_status, settled in started:
        counts = tally[crosswalk(district), month]
        if not settled:
            counts[5] += 1
            continue
        counts[0] += 1
        counts[1] += strict_status == _MET_VALUE
        counts[2] += strict_status == _JUSTIFIED_VALUE
        counts[3] += rolled_status == _MET_VALUE
        counts[4] += rolled_status == _JUSTIFIED_VALUE
    rows = []
    for (district, month), counts in sorted(tally.items()):
        owed, met_strict, justified_strict, met_rolled, justified_rolled, still_open = counts
        if not owed and not open_months:
            continue
        share_strict = met_strict / owed if owed else None
        share_rolled = met_rolled / owed if owed else None
        rows.append(
            ComplianceRow(
                district=district,
                month=month,
                final=not still_open and _month_over(kind, _last_day(month, period), as_of),
                owed=owed,
                still_open=still_open,
                met_strict=met_strict,
                met_roll_forward=met_rolled,
                justified_strict=justified_strict,
                justified_roll_forward=justified_rolled,
                late_strict=owed - met_strict - justified_strict,
                late_roll_forward=owed - met_rolled - justified_rolled,
                share_strict=share_strict,
                share_roll_forward=share_rolled,
                difference=(
                    None
                    if share_strict is None or share_rolled is None
                    else share_rolled - share_strict
                ),
            )
        )
    return Result.from_rows("compliance", ComplianceRow, rows)


def _last_day(month: dt.date, period: DateRange | None) -> dt.date:
    """The last day a deadline of a row of *month* can start: the month's, or *period*'s."""
    last = add_months(month, 1) - ONE_DAY
    if period is not None and period.end is not None and period.end < last:
        return period.end
    return last


def _month_over(kind: str, last: dt.date, as_of: dt.date) -> bool:
    """Whether on *as_of* every deadline of *kind* that starts by *last* is known."""
    if kind != "preassessment":
        # An investigation starts on the day it is opened, known by the end of that day.
        return as_of >= last
    # FL (2017:900) 22 §: a report that arrives by post, or lies in the post box when it
    # is first emptied on a day, counts as received on the previous working day. Until
    # the first working day after *last* has come, a report registered later can still
    # count as received by *last*; from that day on, it counts from that day or later.
    calendar = swedish_calendar()
    day = last + ONE_DAY
    while day <= as_of:
        if calendar.is_working_day(day):
            return True
        day += ONE_DAY
    return False


def _warn_unmeasured(
    dataset: Dataset,
    kind: str,
    absent: tuple[str, str],
    as_of: dt.date,
    period: DateRange | None,
) -> None:
    """Warn that the deadlines of *kind* were left out for want of the column *absent*."""
    records = _case_records(dataset, [kind])
    count = sum(
        1
        for deadline in _kind_book(kind, roll_forward=False).evaluate(records, as_of)
        if period is None or period.contains(deadline.starts_on)
    )
    warn_left_out(dataset, {absent: count})


_Started = tuple[str, dt.date, str, str, bool]
"""A deadline started by *as_of*: its district as recorded, its month, its status
strict and rolled, and whether it is settled under both readings (done, or due under both)."""

_MET_VALUE = DeadlineStatus.MET.value
_JUSTIFIED_VALUE = DeadlineStatus.JUSTIFIED.value


def _started_by_objects(
    dataset: Dataset, kind: str, as_of: dt.date, period: DateRange | None
) -> Iterator[_Started]:
    """The deadlines of *kind* started by *as_of*, one record at a time (``RuleBook.evaluate``)."""
    records = _case_records(dataset, [kind])
    strict = _kind_book(kind, roll_forward=False).evaluate(records, as_of)
    rolled = _kind_book(kind, roll_forward=True).evaluate(records, as_of)
    # Both books hold the one rule of *kind*, which gives each record the same
    # deadline (or none) under either reading: the two lists pair up in order.
    for s, r in zip(strict, rolled, strict=True):
        if period is not None and not period.contains(s.starts_on):
            continue
        settled = s.met_on is not None or max(s.due_on, r.due_on) <= as_of
        yield (s.district, s.starts_on.replace(day=1), s.status.value, r.status.value, settled)


def _day_array(days: Iterable[dt.date | None]) -> npt.NDArray[np.datetime64]:
    # Through ordinals: numpy converts a list of dates element by element, slowly.
    ordinals = np.fromiter(
        (_NAT if day is None else day.toordinal() - _EPOCH_ORDINAL for day in days),
        dtype=np.int64,
    )
    return ordinals.view("datetime64[D]")


def _started_preassessments(
    dataset: Dataset, as_of: dt.date, period: DateRange | None
) -> Iterator[_Started]:
    """The preassessments started by *as_of*, through the rule book's columnar path.

    The preassessment's due day follows from the day of receipt alone, so
    ``RuleBook.evaluate_columns`` gives the answers of ``evaluate`` without an
    object per report: a sixth of the time on a quarter of a million reports.
    """
    # SoL 11 kap. 1 a § / 20 kap. 2 §: none is owed when an investigation was already open.
    reports = [
        report
        for report in dataset.reports
        if report.preassessment_outcome is not PreassessmentOutcome.ALREADY_OPEN
    ]
    if not reports:
        return
    # FL (2017:900) 22 §: the clock counts from the day a report counts as received; a
    # report registered after the day is not known yet (as the per-object path has it).
    start = _day_array(report.legally_received_on for report in reports)
    registered = _day_array(report.received_on for report in reports)
    met = _day_array(report.preassessment_decided_on for report in reports)
    day = np.datetime64(as_of, "D")
    # SoL 20 kap. 2 §: a later decision is lawful for synnerliga skäl; a recorded
    # reason makes it justified, as the per-object path has it.
    reason = np.fromiter(
        (bool(report.exceptional_reason) for report in reports), dtype=np.bool_, count=len(reports)
    )
    due_s, status_s = _kind_book("preassessment", roll_forward=False).evaluate_columns(
        "preassessment", start, met, day, reason
    )
    due_r, status_r = _kind_book("preassessment", roll_forward=True).evaluate_columns(
        "preassessment", start, met, day, reason
    )
    done = ~np.isnat(met) & (met <= day)
    settled = (done | (np.maximum(due_s, due_r) <= day)).tolist()
    keep = registered <= day
    if period is not None:
        keep &= start >= np.datetime64(period.start, "D")
        if period.end is not None:
            keep &= start <= np.datetime64(period.end, "D")
    months = start.astype("datetime64[M]").astype(np.int64).tolist()
    strict_statuses = status_s.tolist()
    rolled_statuses = status_r.tolist()
    first_days: dict[int, dt.date] = {}
    for index in np.flatnonzero(keep).tolist():
        month = months[index]
        first = first_days.get(month)
        if first is None:
            first = first_days[month] = dt.date(1970 + month // 12, month % 12 + 1, 1)
        yield (
            reports[index].district,
            first,
            strict_statuses[index],
            rolled_statuses[index],
            settled[index],
        )


# -- availability and utilisation ----------------------------------------------------------


@attrs.frozen
class FreeDay:
    """How much of one member's extent is free on one day (see :func:`availability`).

    Args:
        member_id: The member.
        day: The calendar day.
        free_extent: The member's extent minus the assignments that day; 0
            on days of absence and outside employment; negative where the
            roster books the member beyond their extent (a conflict).
    """

    member_id: str
    day: dt.date
    free_extent: float


@attrs.frozen
class FreeStretch:
    """Consecutive days on which a member is free (see :func:`free_stretches`).

    Args:
        member_id: The member.
        start: The first free day.
        end: The last free day (inclusive).
        days: The number of days, both ends included.
    """

    member_id: str
    start: dt.date
    end: dt.date
    days: int


@attrs.frozen
class _MemberDays:
    """One member's days in a period: free to work at all, and the load assigned."""

    member: TeamMember
    present: list[bool]  # employed and not absent
    load: list[float]  # sum of extents of assignments taking capacity


def _member_days(
    dataset: Dataset, start: dt.date, end: dt.date, team_id: str | None
) -> list[_MemberDays]:
    """The members employed at some time in start..end (of *team_id*), sorted by id."""
    period = DateRange(start, end)
    members = sorted(
        (
            member
            for member in dataset.members
            if member.employment.overlaps(period) and (team_id is None or member.team_id == team_id)
        ),
        key=lambda member: member.member_id,
    )
    wanted = {member.member_id for member in members}
    absences: dict[str, list[Absence]] = defaultdict(list)
    for absence in dataset.absences:
        if absence.member_id in wanted:
            absences[absence.member_id].append(absence)
    assignments: dict[str, list[Assignment]] = defaultdict(list)
    for assignment in dataset.assignments:
        if assignment.member_id in wanted and assignment.takes_capacity:
            assignments[assignment.member_id].append(assignment)

    size = (end - start).days + 1

    def indices(first: dt.date, last: dt.date | None) -> range:
        low = max(first, start)
        high = end if last is None else min(last, end)
        return range((low - start).days, (high - start).days + 1)

    found = []
    for member in members:
        present = [False] * size
        for index in indices(member.employed_from, member.employed_to):
            present[index] = True
        for absence in absences[member.member_id]:
            for index in indices(absence.start, absence.end):
                present[index] = False
        load = [0.0] * size
        for assignment in assignments[member.member_id]:
            for index in indices(assignment.start, assignment.end):
                load[index] += assignment.extent
        found.append(_MemberDays(member, present, load))
    return found


def availability(
    dataset: Dataset, period: DateRange, *, team_id: str | None = None
) -> Result[FreeDay]:
    """How much of each member's extent is free on every day of *period*.

    For every member employed on at least one day of *period* (of *team_id*
    if given) and every calendar day of *period*, weekends included (an
    assignment is a range of calendar days): the member's extent minus the
    extents of the assignments covering the day that are not cancelled
    (:attr:`Assignment.takes_capacity <socforst.assignments.Assignment.takes_capacity>`).
    On a day of absence or outside the member's employment the free extent is
    0. Where the roster books a member beyond their extent the free extent is
    negative: :meth:`Roster.conflicts <socforst.assignments.Roster.conflicts>`
    reports those days. Extents are rounded to six decimals.

    Args:
        dataset: The data to ask.
        period: The days asked about; it must have an end.
        team_id: Only the members of this team.

    Returns:
        One row per member and day, sorted by member id and day.

    Raises:
        OpenRangeError: If *period* has no end.
        UnknownRecordError: If *team_id* is neither in the teams nor named by
            any member.
    """
    start, end = _check_closed(period, "availability")
    _check_team(dataset, team_id)
    rows = []
    for days in _member_days(dataset, start, end, team_id):
        extent = days.member.extent
        member_id = days.member.member_id
        day = start
        for present, load in zip(days.present, days.load, strict=True):
            free = _rounded(extent - load) if present else 0.0
            rows.append(FreeDay(member_id, day, free))
            day += ONE_DAY
    return Result.from_rows("availability", FreeDay, rows)


def free_stretches(
    dataset: Dataset,
    period: DateRange,
    *,
    team_id: str | None = None,
    min_extent: float = 1.0,
) -> Result[FreeStretch]:
    """The longest runs of days on which members are free, from :func:`availability`.

    A stretch is a maximal run of consecutive calendar days of *period* on
    which a member's free extent is at least *min_extent*. Weekends count
    like other days, as they do in an assignment's range; a stretch is cut
    at the ends of *period*.

    Args:
        dataset: The data to ask.
        period: The days asked about; it must have an end.
        team_id: Only the members of this team.
        min_extent: The free extent a day needs, in (0, 1]: 1 finds members
            free full time, 0.5 also those with half their time free.

    Returns:
        The stretches, longest first, then by member id and start.

    Raises:
        ValidationError: If *min_extent* is not a number in (0, 1].
        OpenRangeError: If *period* has no end.
        UnknownRecordError: If *team_id* is unknown.
    """
    if (
        isinstance(min_extent, bool)
        or not isinstance(min_extent, int | float)
        or not (math.isfinite(min_extent) and 0 < min_extent <= 1)
    ):
        raise ValidationError("min_extent", f"must be a number in (0, 1], got {shown(min_extent)}")
    stretches: list[FreeStretch] = []
    run: tuple[str, dt.date, dt.date] | None = None  # member, first day, last day
    for row in availability(dataset, period, team_id=team_id):
        free = row.free_extent >= min_extent - _TOLERANCE
        if run is not None and free and run[0] == row.member_id and run[2] + ONE_DAY == row.day:
            run = (run[0], run[1], row.day)
            continue
        if run is not None:
            stretches.append(FreeStretch(run[0], run[1], run[2], (run[2] - run[1]).days + 1))
            run = None
        if free:
            run = (row.member_id, row.day, row.day)
    if run is not None:
        stretches.append(FreeStretch(run[0], run[1], run[2], (run[2] - run[1]).days + 1))
    stretches.sort(key=lambda s: (-s.days, s.member_id, s.start))
    return Result.from_rows("free_stretches", FreeStretch, stretches)


@attrs.frozen(kw_only=True)
class UtilisationRow:
    """The assigned share of one member's, or one team's, capacity in one month.

    Args:
        level: ``member`` for a member's row, ``team`` for the team's total.
        team_id: The team.
        member_id: The member; ``None`` on a team row.
        month: The first day of the month.
        capacity_days: The working days of the month (within the period)
            on which the member was employed and not absent, each weighted by
            the member's extent.
        assigned_days: The assignments' extents summed over the same days.
        share: ``assigned_days / capacity_days``; above 1 where the roster
            books beyond the extent.
    """

    level: str
    team_id: str
    member_id: str | None
    month: dt.date
    capacity_days: float
    assigned_days: float
    share: float


def utilisation(
    dataset: Dataset, period: DateRange, *, team_id: str | None = None
) -> Result[UtilisationRow]:
    """The assigned share of each member's and each team's capacity, per month of *period*.

    Days are the working days of the legal calendar (weekdays that are not
    public holidays, midsummer eve, Christmas eve or New Year's eve): the team
    does not work weekends and holidays. A member's capacity in a month is
    the sum, over the working days of the month that lie in *period* and on
    which the member is employed and not absent, of the member's extent; the
    assigned days are the sum over the same days of the extents of the
    assignments that are not cancelled (assignment days on which the member
    is absent are conflicts and are not counted). A team's row sums its
    members' rows. Rows whose capacity is 0 are left out. Days are rounded
    to six decimals.

    Args:
        dataset: The data to ask.
        period: The days asked about; it must have an end. A month cut by
            the period counts only its days in the period.
        team_id: Only this team and its members.

    Returns:
        Rows sorted by month and team; in each, the members' rows by member
        id and then the team's row.

    Raises:
        OpenRangeError: If *period* has no end.
        UnknownRecordError: If *team_id* is unknown.
        CalendarRangeError: If *period* lies outside the years the legal calendar covers.
    """
    start, end = _check_closed(period, "utilisation")
    _check_team(dataset, team_id)
    calendar = swedish_calendar()
    working = [calendar.is_working_day(day) for day in DateRange(start, end)]
    months = [day.replace(day=1) for day in DateRange(start, end)]

    rows: list[UtilisationRow] = []
    # (month, team) -> [capacity, assigned]
    teams: dict[tuple[dt.date, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for days in _member_days(dataset, start, end, team_id):
        member = days.member
        per_month: dict[dt.date, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for index, present in enumerate(days.present):
            if present and working[index]:
                sums = per_month[months[index]]
                sums[0] += member.extent
                sums[1] += days.load[index]
        for month, (capacity, assigned) in per_month.items():
            rows.append(
                _utilisation_row(
                    "member", member.team_id, member.member_id, month, capacity, assigned
                )
            )
            team = teams[month, member.team_id]
            team[0] += capacity
            team[1] += assigned
    for (month, team_id_), (capacity, assigned) in teams.items():
        rows.append(_utilisation_row("team", team_id_, None, month, capacity, assigned))
    rows.sort(key=lambda r: (r.month, r.team_id, r.level == "team", r.member_id or ""))
    return Result.from_rows("utilisation", UtilisationRow, rows)


def _utilisation_row(
    level: str,
    team_id: str,
    member_id: str | None,
    month: dt.date,
    capacity: float,
    assigned: float,
) -> UtilisationRow:
    return UtilisationRow(
        level=level,
        team_id=team_id,
        member_id=member_id,
        month=month,
        capacity_days=_rounded(capacity),
        assigned_days=_rounded(assigned),
        share=_rounded(assigned / capacity),
    )


# -- district days and costs ------------------------------------------------------------------


@attrs.frozen
class DistrictDaysRow:
    """The team's days with one district in one year (see :func:`district_days`).

    Args:
        district: The district code (crosswalked if asked).
        year: The calendar year.
        days: Working days of assignments, each weighted by the assignment's extent.
    """

    district: str
    year: int
    days: float


def _days_by_district_and_year(
    dataset: Dataset, crosswalk_on: dt.date | None
) -> dict[tuple[str, int], float]:
    if crosswalk_on is not None:
        _check_day("crosswalk_on", crosswalk_on)
    calendar = swedish_calendar()
    crosswalk = _Crosswalk(dataset.registry, crosswalk_on)
    days: dict[tuple[str, int], float] = defaultdict(float)
    for assignment in dataset.assignments:
        if not assignment.takes_capacity:
            continue
        district = crosswalk(assignment.district)
        for day in assignment.period:
            if calendar.is_working_day(day):
                days[district, day.year] += assignment.extent
    return days


def district_days(
    dataset: Dataset, *, crosswalk_on: dt.date | None = None
) -> Result[DistrictDaysRow]:
    """The team's days per district and year: working days of assignments, weighted by extent.

    Every assignment that is not cancelled counts its working days (of the
    legal calendar, see :func:`utilisation`) times its extent, in the year of
    each day: a half-time assignment of ten working days is five days.
    Absences during an assignment are not subtracted (they are roster conflicts).
    Days are rounded to six decimals.

    Args:
        dataset: The data to ask.
        crosswalk_on: If given, count each district under the district it had
            become on this day (see the module docstring).

    Returns:
        One row per district and year with days, sorted by year and district.

    Raises:
        CalendarRangeError: If an assignment lies outside the years the legal
            calendar covers.
    """
    days = _days_by_district_and_year(dataset, crosswalk_on)
    return Result.from_rows(
        "district_days",
        DistrictDaysRow,
        [
            DistrictDaysRow(district, year, _rounded(value))
            for (district, year), value in sorted(
                days.items(), key=lambda item: (item[0][1], item[0][0])
            )
        ],
    )


@attrs.frozen(kw_only=True)
class CostRow:
    """The team's cost for one district, or all of them, in a year, against consultants.

    Args:
        year: The calendar year.
        district: The district code (crosswalked if asked), or ``all`` for
            the year's total.
        team_days: Working days of assignments there, weighted by extent.
        share_of_days: ``team_days`` over the team's days of the year (1 on
            the total row, 0 if the team had no days that year).
        team_cost_sek: The team's cost of the year times ``share_of_days``;
            the whole cost on the total row.
        consultant_cost_sek: ``team_days * hours_per_day * consultant_rate_sek``.
        saving_sek: ``consultant_cost_sek - team_cost_sek``; negative where the
            team cost more than consultants would have.
    """

    year: int
    district: str
    team_days: float
    share_of_days: float
    team_cost_sek: float
    consultant_cost_sek: float
    saving_sek: float


@attrs.frozen
class CostComparison:
    """What :func:`costs` found, and the assumptions behind it, to print beside the rows.

    Args:
        rows: Per year, one row per district and then the year's total row.
        assumptions: The assumptions, in words, one sentence each.
        skipped_years: Years with assignment days but no ``costs.csv`` row,
            which are left out of *rows*.
    """

    rows: tuple[CostRow, ...]
    assumptions: tuple[str, ...]
    skipped_years: tuple[int, ...] = ()


def costs(dataset: Dataset, *, crosswalk_on: dt.date | None = None) -> CostComparison:
    """Per year and district: the team's cost share against what consultants would have cost.

    For every year with a ``costs.csv`` row (:class:`~socforst.followup.YearlyCost`):

    - team days per district: the working days of the legal calendar of every
      assignment that is not cancelled, weighted by extent (as :func:`district_days`);
    - the district's share of the year's team days, and the same share of the
      year's ``team_cost_sek``: the team's cost is split by days;
    - the consultant cost of the same days: days times ``hours_per_day`` times
      ``consultant_rate_sek`` of that year;
    - the saving: consultant cost minus the team's cost share.

    Each year ends with a total row (district :data:`ALL_DISTRICTS`); a year
    with a costs row but no assignment days has only its total row, whose
    saving is minus the team's cost. Years with assignment days but no costs
    row are skipped, and named in ``skipped_years`` and in the assumptions.
    Amounts are rounded to whole öre, days to six decimals.

    Args:
        dataset: The data to ask.
        crosswalk_on: If given, count each district under the district it had
            become on this day (see the module docstring).

    Returns:
        The rows, sorted by year and district with each year's total last,
        and the assumptions in words.

    Raises:
        ValidationError: If two costs rows have the same year.
        CalendarRangeError: If an assignment lies outside the years the legal
            calendar covers.
    """
    by_year: dict[int, YearlyCost] = {}
    for cost in dataset.costs:
        if cost.year in by_year:
            raise ValidationError("year", f"appears in more than one costs row: {cost.year}")
        by_year[cost.year] = cost
    days = _days_by_district_and_year(dataset, crosswalk_on)
    per_year: dict[int, dict[str, float]] = defaultdict(dict)
    for (district, year), value in days.items():
        per_year[year][district] = value
    skipped = tuple(sorted(year for year in per_year if year not in by_year))

    rows: list[CostRow] = []
    for year in sorted(by_year):
        cost = by_year[year]
        districts = per_year.get(year, {})
        total_days = math.fsum(districts.values())
        day_cost = cost.hours_per_day * cost.consultant_rate_sek
        for district in sorted(districts):
            team_days = districts[district]
            share = team_days / total_days
            team_cost = cost.team_cost_sek * share
            consultant = team_days * day_cost
            rows.append(_cost_row(year, district, team_days, share, team_cost, consultant))
        consultant = total_days * day_cost
        rows.append(
            _cost_row(
                year,
                ALL_DISTRICTS,
                total_days,
                1.0 if total_days > 0 else 0.0,
                cost.team_cost_sek,
                consultant,
            )
        )
    return CostComparison(
        rows=tuple(rows),
        assumptions=_cost_assumptions(by_year, skipped, crosswalk_on),
        skipped_years=skipped,
    )


def _cost_row(
    year: int, district: str, days: float, share: float, team_cost: float, consultant: float
) -> CostRow:
    return CostRow(
        year=year,
        district=district,
        team_days=_rounded(days),
        share_of_days=_rounded(share),
        team_cost_sek=_rounded(team_cost, _SEK_DECIMALS),
        consultant_cost_sek=_rounded(consultant, _SEK_DECIMALS),
        saving_sek=_rounded(consultant - team_cost, _SEK_DECIMALS),
    )


def _cost_assumptions(
    by_year: Mapping[int, YearlyCost], skipped: Sequence[int], crosswalk_on: dt.date | None
) -> tuple[str, ...]:
    said = [
        "Team days are the working days of the Swedish legal calendar (Monday to Friday, "
        "except public holidays, midsummer eve, Christmas eve and New Year's eve) of every "
        "assignment that is not cancelled, each weighted by the assignment's extent; "
        "absences during assignments are not subtracted.",
        "The team's cost of a year (team_cost_sek in costs.csv) is split between the "
        "districts in proportion to their team days that year.",
        "A consultant would have worked the same days: consultant cost = team days "
        "times hours per day times consultant_rate_sek of that year's costs row.",
        "The saving is the consultant cost minus the team's cost share.",
    ]
    if by_year:
        said.append(
            "Rates used: "
            + "; ".join(
                f"{year}: {by_year[year].consultant_rate_sek:g} SEK an hour, "
                f"{by_year[year].hours_per_day:g} hours a day"
                for year in sorted(by_year)
            )
            + "."
        )
    else:
        said.append("The dataset has no costs rows: no year can be compared.")
    if crosswalk_on is not None:
        said.append(
            f"Districts are counted as the districts they had become on {crosswalk_on.isoformat()}."
        )
    else:
        said.append("Districts are counted as recorded on each assignment.")
    if skipped:
        years = ", ".join(str(year) for year in skipped)
        said.append(f"Years with assignment days but no costs row are left out: {years}.")
    return tuple(said)


# -- need ranking -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class NeedScore:
    """How much one district needs the team on a day (see :func:`need_ranking`).

    Args:
        rank: 1 for the most needed district.
        district: The district code.
        score: The sum over the factors of weight times normalised value.
        backlog: Preassessments and investigations not done on the day
            (``open``, ``due_soon`` or ``overdue``).
        positions: Social worker positions in the staffing snapshot used,
            ``None`` without one.
        staffing_on: The day of the staffing snapshot used, ``None`` without one.
        backlog_per_position: ``backlog / positions``; 0 if unknown.
        vacancy_rate: ``vacancies / positions``; 0 if unknown.
        turnover: Staff turnover as a fraction per year; 0 if unknown.
        consultants_per_position: ``consultants / positions``; 0 if unknown.
        explanation: Each factor's value, normalised value and weight, and
            what was missing.
    """

    rank: int
    district: str
    score: float
    backlog: int
    positions: float | None
    staffing_on: dt.date | None
    backlog_per_position: float
    vacancy_rate: float
    turnover: float
    consultants_per_position: float
    explanation: str


def _check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    merged = dict(NEED_WEIGHTS)
    if weights is None:
        return merged
    known = ", ".join(NEED_FACTORS)
    for name, weight in weights.items():
        if name not in NEED_WEIGHTS:
            raise ValidationError("weights", f"has an unknown factor {name!r}; known: {known}")
        if (
            isinstance(weight, bool)
            or not isinstance(weight, int | float)
            or not math.isfinite(weight)
            or weight < 0
        ):
            raise ValidationError("weights", f"must be numbers >= 0, got {weight!r} for {name!r}")
        merged[name] = float(weight)
    return merged


def _latest_staffing(staffing: Iterable[Staffing], as_of: dt.date) -> dict[str, Staffing]:
    latest: dict[str, Staffing] = {}
    for snapshot in staffing:
        if snapshot.on > as_of:
            continue
        found = latest.get(snapshot.district)
        if found is None or snapshot.on > found.on:
            latest[snapshot.district] = snapshot
    return latest


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator


def _normalised(values: Mapping[str, float | None]) -> dict[str, float]:
    """Min-max over the known values; all equal gives 0; unknown gives 0."""
    known = [value for value in values.values() if value is not None]
    low, high = (min(known), max(known)) if known else (0.0, 0.0)
    spread = high - low
    return {
        code: (value - low) / spread if value is not None and spread > _TOLERANCE else 0.0
        for code, value in values.items()
    }


def _backlog(dataset: Dataset, as_of: dt.date, crosswalk: _Crosswalk) -> dict[str, int]:
    """Preassessments and investigations owed and not done on *as_of*, per district.

    Whether a deadline is done does not depend on its due date (nor on the
    reading of 2 §, nor on extensions): a report received by *as_of* owes a
    preassessment not decided by then, unless an investigation was already
    open; an investigation opened by then is not done until it is closed.
    Without a ``preassessment_decided_on`` (or ``closed_on``) column, whether
    a report (or an investigation) is done is unknown: those are left out,
    with a :class:`~socforst.dataset.MissingColumnWarning`.
    """
    backlog: dict[str, int] = defaultdict(int)
    # A column that is absent is unknown, not "not done": such records are left out.
    left_out: dict[tuple[str, str], int] = defaultdict(int)
    decisions_known = dataset.has_column("reports", "preassessment_decided_on")
    for report in dataset.reports:
        if (
            report.preassessment_outcome is not PreassessmentOutcome.ALREADY_OPEN
            and report.received_on <= as_of
            and (report.preassessment_decided_on is None or report.preassessment_decided_on > as_of)
        ):
            if decisions_known:
                backlog[crosswalk(report.district)] += 1
            else:
                left_out["reports", "preassessment_decided_on"] += 1
    closings_known = dataset.has_column("investigations", "closed_on")
    for investigation in dataset.investigations:
        if investigation.opened_on <= as_of and (
            investigation.closed_on is None or investigation.closed_on > as_of
        ):
            if closings_known:
                backlog[crosswalk(investigation.district)] += 1
            else:
                left_out["investigations", "closed_on"] += 1
    warn_left_out(dataset, left_out)
    return backlog


def need_ranking(
    dataset: Dataset, as_of: dt.date, *, weights: Mapping[str, float] | None = None
) -> Result[NeedScore]:
    """The districts active on *as_of*, most in need of the team first.

    Four factors (:data:`NEED_FACTORS`) are computed per district:

    - ``backlog_per_position``: the preassessments and investigations owed
      and not done on *as_of*, whether ``open``, ``due_soon`` or ``overdue``
      (as :func:`deadlines_on` lists them), counted under the district each
      record's district had become by *as_of*, per social worker position;
    - ``vacancy_rate``: vacancies per position;
    - ``turnover``: staff turnover, a fraction per year;
    - ``consultants_per_position``: consultants per position.

    The staffing figures come from the district's latest snapshot dated on or
    before *as_of*, recorded under the district's own code (a predecessor's
    snapshots describe another district). Each factor is normalised across
    the districts to 0..1 by min-max (all equal: 0), and the score is the sum
    of weight times normalised value. A factor that cannot be computed (no
    snapshot, no positions, a figure missing) is 0 for that district and is
    left out of the others' min-max; the explanation says what was missing,
    and says ``no staffing data`` for a district without a snapshot. Ties are
    broken by having staffing data (those without come last) and then by code.

    Args:
        dataset: The data to ask.
        as_of: The day to rank on.
        weights: Weights by factor name, replacing those of :data:`NEED_WEIGHTS`
            they name (the others keep their default); 0 leaves a factor out.

    Returns:
        One score per district active on *as_of* (city-wide clients such as
        socialjouren are not districts and are not ranked), sorted by rank.

    Raises:
        ValidationError: If a weight names an unknown factor (the message
            lists the known ones) or is not a number >= 0.
    """
    _check_day("as_of", as_of)
    weight = _check_weights(weights)
    registry = dataset.registry
    districts = [district.code for district in registry.active_on(as_of)]

    backlog = _backlog(dataset, as_of, _Crosswalk(registry, as_of))

    latest = _latest_staffing(dataset.staffing, as_of)
    raw: dict[str, dict[str, float | None]] = {}
    for code in districts:
        snapshot = latest.get(code)
        positions = snapshot.positions if snapshot is not None else None
        raw[code] = {
            "backlog_per_position": _ratio(float(backlog[code]), positions),
            "vacancy_rate": _ratio(snapshot.vacancies if snapshot else None, positions),
            "turnover": snapshot.turnover if snapshot is not None else None,
            "consultants_per_position": _ratio(
                snapshot.consultants if snapshot else None, positions
            ),
        }
    normal = {
        factor: _normalised({code: raw[code][factor] for code in districts})
        for factor in NEED_FACTORS
    }

    unranked = []
    for code in districts:
        snapshot = latest.get(code)
        parts = []
        for factor in NEED_FACTORS:
            value = raw[code][factor]
            if value is None:
                parts.append(f"{factor} unknown -> 0 x {weight[factor]:g}")
            else:
                norm = normal[factor][code]
                parts.append(
                    f"{factor} {value:.3g} -> {norm:.2f} x {weight[factor]:g} "
                    f"= {norm * weight[factor]:.3f}"
                )
        head = "no staffing data" if snapshot is None else f"staffing of {snapshot.on.isoformat()}"
        score = _rounded(
            math.fsum(weight[factor] * normal[factor][code] for factor in NEED_FACTORS), 9
        )
        unranked.append(
            NeedScore(
                rank=0,  # set once all are sorted
                district=code,
                score=score,
                backlog=backlog[code],
                positions=snapshot.positions if snapshot is not None else None,
                staffing_on=snapshot.on if snapshot is not None else None,
                backlog_per_position=raw[code]["backlog_per_position"] or 0.0,
                vacancy_rate=raw[code]["vacancy_rate"] or 0.0,
                turnover=raw[code]["turnover"] or 0.0,
                consultants_per_position=raw[code]["consultants_per_position"] or 0.0,
                explanation=f"{head}; " + "; ".join(parts),
            )
        )
    unranked.sort(key=lambda need: (-need.score, need.staffing_on is None, need.district))
    return Result.from_rows(
        "need_ranking",
        NeedScore,
        [attrs.evolve(need, rank=rank) for rank, need in enumerate(unranked, start=1)],
    )
