"""The rule book: the deadline rules in force, applied to records one by one or by column."""

from __future__ import annotations

import datetime as dt
import types
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from socforst.calendar import LegalCalendar, swedish_calendar
from socforst.cases import Extension, Investigation, Report, Review
from socforst.dataset import CASE_TABLES, TABLES, Dataset, MissingColumnWarning
from socforst.errors import PluginError, RuleError, UnknownRuleError, ValidationError, shown
from socforst.rules.base import (
    ColumnarRule,
    Deadline,
    DeadlineStatus,
    EvaluatedDeadline,
    Rule,
    RuleContext,
    cite,
)
from socforst.rules.lvu import (
    LvuCareApplicationDeadline,
    LvuCareEndReviewDeadline,
    LvuCareStartDeadline,
    LvuCourtSubmissionDeadline,
    LvuRestrictionReviewDeadline,
    LvuReviewDeadline,
)
from socforst.rules.sol import (
    CustodyTransferDeadline,
    InvestigationDeadline,
    PlacementReviewDeadline,
    PreassessmentDeadline,
    ProtectionAssessmentDeadline,
    protected_housing_review,
)

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["COMPLETION_COLUMNS", "PLUGIN_GROUP", "RuleBook", "completion_columns", "warn_left_out"]

PLUGIN_GROUP = "socforst.rules"
"""The entry-point group in which installed packages offer deadline rules."""

COMPLETION_COLUMNS: Mapping[str, tuple[tuple[str, str], ...]] = types.MappingProxyType(
    {
        "protection_assessment": (("reports", "protection_assessed_at"),),
        "preassessment": (("reports", "preassessment_decided_on"),),
        "investigation": (("investigations", "closed_on"),),
        "placement_review": (("reviews", "reviewed_on"),),
        "protected_housing_review": (("reviews", "reviewed_on"),),
        "custody_transfer_consideration": (("reviews", "topic"),),
        "lvu_court_submission": (("custodies", "submitted_to_court_on"),),
        "lvu_care_application": (("custodies", "care_applied_on"),),
        "lvu_care_start": (("placements", "started_on"),),
        "lvu_review": (("reviews", "reviewed_on"),),
        "lvu_care_end_review": (("reviews", "reviewed_on"),),
        "lvu_restriction_review": (("reviews", "topic"),),
    }
)
"""Each duty's kind and the ``(table, column)`` s that record its completion.

A column that is absent is unknown, not "not done" (the data formats, case
side): when a dataset's source had no such column (:meth:`Dataset.has_column
<socforst.dataset.Dataset.has_column>`), the duty is not evaluated for the
dataset, and :meth:`RuleBook.evaluate_dataset` gives one
:class:`~socforst.dataset.MissingColumnWarning` per table and column. The
placements' reviews are done by rows of ``reviews``: without that table, no
review of a placement is known; without its ``topic`` column every review is
one of the care, so the considerations of a transfer of custody and of LVU
14 § restrictions cannot be known. A rule of another kind (a plugin's) may say
which columns complete it with a ``completion_columns`` attribute of the same
form; a built-in rule under another kind (``PreassessmentDeadline(kind=
"preassessment_local")``) keeps the columns of its class.
"""

DateArray = npt.NDArray[np.datetime64]
StatusArray = npt.NDArray[np.str_]
TextArray = npt.NDArray[np.str_]


def _rules(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(rules)


def _check_rules(
    _instance: object, _attribute: attrs.Attribute[Any], rules: tuple[Any, ...]
) -> None:
    seen: set[str] = set()
    for rule in rules:
        if isinstance(rule, type):
            raise RuleError(f"{rule.__name__} is a rule class; give an instance: {rule.__name__}()")
        if not isinstance(rule, Rule):
            raise RuleError(
                f"{type(rule).__name__} is not a deadline rule: it needs 'kind', "
                "'record_type', 'references' and 'deadlines(record, context)'"
            )
        if rule.kind in seen:
            raise RuleError(f"two rules have the kind {rule.kind!r}; use with_rule to replace one")
        seen.add(rule.kind)


def _check_window(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(attribute.name, f"must be a whole number >= 0, got {shown(value)}")


@attrs.frozen(kw_only=True)
class RuleBook:
    """The deadline rules to apply, and the reading of Lag (1930:173) 2 § to apply them under.

    A rule book is immutable; :meth:`with_rule` and :meth:`without` give new
    ones. Make two books to compare the two readings of 2 § in one run.

    Args:
        rules: The rules, each with its own kind.
        roll_forward: The reading of Lag (1930:173) 2 § for the rules that
            follow the book (the social committee's own SoL duties): ``False``
            (the default; whether 2 § applies to them is unsettled) counts
            strict calendar days; ``True`` moves a due date that falls on a
            Saturday, Sunday, public holiday, midsummer eve, Christmas eve or
            New Year's eve to the next working day. A rule with its own
            reading (the LVU filings with a court roll forward) keeps it.
        due_soon_days: How many days before the due date a deadline that is
            not done counts as ``due_soon``.
        calendar: The legal calendar; the shared Swedish one by default.

    Example:
        >>> import datetime as dt
        >>> import socforst
        >>> book = socforst.RuleBook.swedish()
        >>> report = socforst.Report(report_id="r1", district="farsta",
        ...                          received_at=dt.datetime(2025, 6, 6, 9, 30))
        >>> for d in book.deadlines(report):
        ...     print(d.kind, d.due_on, d.reference)
        protection_assessment 2025-06-06 SoL (2001:453) 11 kap. 1 a §
        preassessment 2025-06-20 SoL (2001:453) 11 kap. 1 a §
        >>> rolled = socforst.RuleBook.swedish(roll_forward=True)
        >>> str(rolled.deadlines(report)[1].due_on)  # midsummer eve rolls to Monday
        '2025-06-23'
    """

    rules: tuple[Rule, ...] = attrs.field(converter=_rules, validator=_check_rules)
    roll_forward: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    due_soon_days: int = attrs.field(default=3, validator=_check_window)
    calendar: LegalCalendar = attrs.field(factory=swedish_calendar, repr=False, eq=False)
    _by_type: Mapping[type, tuple[Rule, ...]] = attrs.field(init=False, repr=False, eq=False)
    _plain: RuleContext = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        by_type: dict[type, list[Rule]] = defaultdict(list)
        for rule in self.rules:
            by_type[rule.record_type].append(rule)
        object.__setattr__(self, "_by_type", {k: tuple(v) for k, v in by_type.items()})
        # The context of records without extensions or reviews, kept so that its
        # memo of due days serves every call of deadlines().
        object.__setattr__(self, "_plain", self.context())

    @classmethod
    def swedish(
        cls,
        *,
        roll_forward: bool = False,
        due_soon_days: int = 3,
        plugins: bool = False,
        readings: Mapping[str, str] | None = None,
    ) -> RuleBook:
        """The statutory deadlines of SoL and LVU for a child's case.

        Each rule has its own default reading of Lag (1930:173) 2 §: the
        filings with a court (``lvu_court_submission``, LVU 7 §, and
        ``lvu_care_application``, LVU 8 §) roll forward, since the act plainly
        covers them; the social committee's own duties follow *roll_forward*
        (strict by default, the question being unsettled); the protection
        assessment never rolls ("genast").

        Args:
            roll_forward: The reading of 2 § for the committee's own duties
                (see the class).
            due_soon_days: The ``due_soon`` window in days.
            plugins: Whether to add the rules of installed plugins
                (entry-point group ``socforst.rules``).
            readings: Per kind, a reading that overrides the rule's default:
                ``"strict"``, ``"roll_forward"`` or ``"book"`` (follow
                *roll_forward*).

        Raises:
            PluginError: If *plugins* and an installed rule plugin fails to load.
            UnknownRuleError: If *readings* names a kind the book does not have.
            RuleError: If *readings* names a rule that has no reading of 2 §,
                or gives an unknown reading.

        Example:
            >>> import socforst
            >>> book = socforst.RuleBook.swedish(readings={"lvu_court_submission": "strict"})
            >>> book.rule("lvu_court_submission").roll_forward
            False
            >>> book.rule("preassessment").roll_forward is None  # follows the book
            True
        """
        submission = LvuCourtSubmissionDeadline()
        book = cls(
            rules=(
                ProtectionAssessmentDeadline(),
                PreassessmentDeadline(),
                InvestigationDeadline(),
                PlacementReviewDeadline(),
                protected_housing_review(),
                CustodyTransferDeadline(),
                submission,
                LvuCareApplicationDeadline(submission=submission),
                LvuCareStartDeadline(),
                LvuReviewDeadline(),
                LvuCareEndReviewDeadline(),
                LvuRestrictionReviewDeadline(),
            ),
            roll_forward=roll_forward,
            due_soon_days=due_soon_days,
        )
        for kind, reading in (readings or {}).items():
            book = book.with_rule_reading(kind, reading)
        return book.with_plugins() if plugins else book

    def with_rule_reading(self, kind: str, reading: str) -> RuleBook:
        """A new book in which the rule of *kind* reads Lag (1930:173) 2 § as given.

        Args:
            kind: The rule's kind; the rule must have a ``roll_forward`` field.
            reading: ``"strict"``, ``"roll_forward"`` or ``"book"`` (the book's reading).

        Raises:
            UnknownRuleError: If the book has no rule of *kind*.
            RuleError: If the rule has no reading of 2 §, or *reading* is unknown.
        """
        if reading not in _READINGS:
            raise RuleError(
                f"unknown reading {reading!r} for {kind!r}; use one of: {', '.join(_READINGS)}"
            )
        rule = self.rule(kind)
        fields = attrs.fields_dict(type(rule)) if attrs.has(type(rule)) else {}  # type: ignore[arg-type]
        if "roll_forward" not in fields:
            raise RuleError(f"rule {kind!r} has no reading of Lag (1930:173) 2 § to choose")
        changed = attrs.evolve(rule, roll_forward=_READINGS[reading])  # type: ignore[misc]
        book = self.with_rule(changed)
        # The care application judges a lapse by the 7 § rule: keep the two in step.
        for other in book.rules:
            if (
                isinstance(other, LvuCareApplicationDeadline)
                and isinstance(changed, LvuCourtSubmissionDeadline)
                and other.submission == rule
            ):
                book = book.with_rule(attrs.evolve(other, submission=changed))
        return book

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of the rules, in order."""
        return tuple(rule.kind for rule in self.rules)

    def rule(self, kind: str) -> Rule:
        """The rule of this kind.

        Raises:
            UnknownRuleError: If the book has no such rule; it lists the kinds it has.
        """
        for rule in self.rules:
            if rule.kind == kind:
                return rule
        raise UnknownRuleError(kind, self.kinds)

    def with_rule(self, rule: Rule) -> RuleBook:
        """A new book with *rule* added, replacing the rule of the same kind if any.

        Example:
            >>> import socforst
            >>> from socforst.rules import PreassessmentDeadline
            >>> book = socforst.RuleBook.swedish().with_rule(
            ...     PreassessmentDeadline(days=10, kind="preassessment_local"))
            >>> book.kinds[-1]
            'preassessment_local'
        """
        rules = [r for r in self.rules if r.kind != rule.kind]
        position = next((i for i, r in enumerate(self.rules) if r.kind == rule.kind), len(rules))
        rules.insert(position, rule)
        return attrs.evolve(self, rules=rules)

    def without(self, kind: str) -> RuleBook:
        """A new book without the rule of this kind.

        Raises:
            UnknownRuleError: If the book has no such rule.
        """
        self.rule(kind)
        return attrs.evolve(self, rules=[r for r in self.rules if r.kind != kind])

    def with_reading(self, *, roll_forward: bool) -> RuleBook:
        """The same rules under the other (or the same) reading of Lag (1930:173) 2 §."""
        return attrs.evolve(self, roll_forward=roll_forward)

    def with_plugins(self, group: str = PLUGIN_GROUP) -> RuleBook:
        """A new book with the rules of installed plugins added (or replacing by kind).

        An entry point in *group* names a rule, or a callable returning a rule
        or an iterable of rules.

        Raises:
            PluginError: Naming the plugin that failed to load or gave no rule.
        """
        book = self
        for point in sorted(entry_points(group=group), key=lambda p: p.name):
            label = f"{point.name} = {point.value}"
            try:
                loaded = point.load()
            except Exception as error:
                raise PluginError(label, f"failed to load: {error}") from error
            for rule in _plugin_rules(label, loaded):
                book = book.with_rule(rule)
        return book

    def context(
        self,
        *,
        extensions: Iterable[Extension] = (),
        reviews: Iterable[Review] = (),
        as_of: dt.date | None = None,
        unknown_columns: Iterable[tuple[str, str]] = (),
    ) -> RuleContext:
        """The context rules are applied in: the calendar, the reading, related records.

        Args:
            extensions: Extensions of investigations.
            reviews: Reviews of placements.
            as_of: If given, extensions decided and reviews made after it are
                left out, and so are a record's own facts dated after it (a
                placement's or custody's end, a court's decision): they had
                not happened yet.
            unknown_columns: The ``(table, column)`` s the data had no column
                for (see :class:`~socforst.rules.base.RuleContext`).
        """
        by_investigation: dict[str, list[Extension]] = defaultdict(list)
        for extension in extensions:
            if as_of is None or extension.decided_on <= as_of:
                by_investigation[extension.investigation_id].append(extension)
        for chain in by_investigation.values():
            chain.sort(key=lambda e: (e.decided_on, e.until))
        by_placement: dict[str, list[Review]] = defaultdict(list)
        for review in reviews:
            if as_of is None or review.reviewed_on <= as_of:
                by_placement[review.placement_id].append(review)
        return RuleContext(
            calendar=self.calendar,
            roll_forward=self.roll_forward,
            due_soon_days=self.due_soon_days,
            extensions=by_investigation,
            reviews=by_placement,
            as_of=as_of,
            unknown_columns=frozenset(unknown_columns),
        )

    def deadlines(
        self,
        record: object,
        *,
        extensions: Iterable[Extension] = (),
        reviews: Iterable[Review] = (),
        as_of: dt.date | None = None,
        context: RuleContext | None = None,
    ) -> tuple[Deadline, ...]:
        """The deadlines one record owes under every rule for its type.

        Args:
            record: A ``Report``, ``Investigation``, ``Placement`` or ``Custody``
                (or a record type a plugin rule reads).
            extensions: The extensions of an investigation.
            reviews: The reviews of a placement.
            as_of: Leave out extensions, reviews and the record's own facts
                dated after this day.
            context: A prepared context, instead of *extensions*, *reviews* and *as_of*.

        Raises:
            RuleError: If no rule reads records of this type.
        """
        rules = self._by_type.get(type(record))
        if rules is None:
            raise RuleError(self._no_rule_for(record))
        if context is None:
            if extensions or reviews or as_of is not None:
                context = self.context(extensions=extensions, reviews=reviews, as_of=as_of)
            else:
                context = self._plain
        if len(rules) == 1:
            found = rules[0].deadlines(record, context)
            return found if type(found) is tuple else tuple(found)
        every: tuple[Deadline, ...] = ()
        for rule in rules:
            every += tuple(rule.deadlines(record, context))
        return every

    def evaluate(
        self,
        records: Iterable[object],
        as_of: dt.date,
        *,
        unknown_columns: Iterable[tuple[str, str]] = (),
    ) -> tuple[EvaluatedDeadline, ...]:
        """Every deadline of many records, as it stood on *as_of*.

        Extensions and reviews among *records* are matched to their
        investigations and placements; those dated after *as_of* are left out,
        and so are deadlines that start after *as_of*: the report had not come
        in yet.

        Args:
            records: Records of any supported types, mixed.
            as_of: The day to evaluate on.
            unknown_columns: The ``(table, column)`` s the data had no column
                for: an empty value there is unknown, not "not done".

        Returns:
            The deadlines with their status and ``met_on`` as of that day, in
            the order of the records and, per record, of the rules.

        Raises:
            RuleError: If a record has a type that no rule reads.
        """
        subjects: list[object] = []
        extensions: list[Extension] = []
        reviews: list[Review] = []
        for record in records:
            if isinstance(record, Extension):
                extensions.append(record)
            elif isinstance(record, Review):
                reviews.append(record)
            else:
                subjects.append(record)
        context = self.context(
            extensions=extensions, reviews=reviews, as_of=as_of, unknown_columns=unknown_columns
        )
        by_type = self._by_type
        out: list[EvaluatedDeadline] = []
        for record in subjects:
            rules = by_type.get(type(record))
            if rules is None:
                raise RuleError(self._no_rule_for(record))
            for rule in rules:
                for deadline in rule.deadlines(record, context):
                    if deadline.starts_on <= as_of:
                        out.append(deadline.as_of(as_of))
        return tuple(out)

    def absent_completions(self, dataset: Dataset) -> dict[str, tuple[str, str]]:
        """The kinds of this book's rules that *dataset* cannot evaluate, and the column it lacks.

        A kind is listed when its source had no column that records the
        duty's completion (see :data:`COMPLETION_COLUMNS`).
        """
        absent: dict[str, tuple[str, str]] = {}
        for rule in self.rules:
            for table, column in completion_columns(rule):
                if not dataset.has_column(table, column):
                    absent[rule.kind] = (table, column)
                    break
        return absent

    def _unknown_columns(self, dataset: Dataset) -> list[tuple[str, str]]:
        """The completion columns of this book's rules that *dataset*'s source did not have."""
        return [
            where
            for rule in self.rules
            for where in completion_columns(rule)
            if not dataset.has_column(*where)
        ]

    def evaluate_dataset(self, dataset: Dataset, as_of: dt.date) -> tuple[EvaluatedDeadline, ...]:
        """Every deadline of a dataset's case records on *as_of*, except those it cannot know.

        As :meth:`evaluate` on ``dataset.case_records()``, but a duty whose
        completion column the dataset's source did not have (say, reports
        without ``protection_assessed_at``) is left out rather than shown as
        not done, with one :class:`~socforst.dataset.MissingColumnWarning` per
        table and column that names how many deadlines were left out.

        Args:
            dataset: The data to evaluate.
            as_of: The day to evaluate on.

        Returns:
            The deadlines, as :meth:`evaluate` gives them, without the left-out kinds.

        Example:
            >>> import datetime as dt, warnings
            >>> import socforst
            >>> report = socforst.Report(report_id="r1", district="farsta",
            ...                          received_at=dt.datetime(2025, 3, 3, 10))
            >>> header = {"report_id", "district", "received_at", "preassessment_decided_on"}
            >>> data = socforst.Dataset(reports=[report], columns={"reports": header})
            >>> with warnings.catch_warnings(record=True) as caught:
            ...     warnings.simplefilter("always")
            ...     found = socforst.RuleBook.swedish().evaluate_dataset(data, dt.date(2025, 3, 31))
            >>> [(d.kind, d.status.value) for d in found]
            [('preassessment', 'overdue')]
            >>> print(caught[0].message)
            table 'reports' has no column 'protection_assessed_at', so 1 deadline was left out: \
a column that is absent is unknown, not 'not done'
        """
        absent = self.absent_completions(dataset)
        unknown = self._unknown_columns(dataset)
        evaluated = self.evaluate(dataset.case_records(), as_of, unknown_columns=unknown)
        if not absent:
            return evaluated
        kept: list[EvaluatedDeadline] = []
        left_out: dict[tuple[str, str], int] = defaultdict(int)
        for deadline in evaluated:
            where = absent.get(deadline.kind)
            if where is None:
                kept.append(deadline)
            else:
                left_out[where] += 1
        warn_left_out(dataset, left_out)
        return tuple(kept)

    def evaluate_table(self, dataset: Dataset, as_of: dt.date) -> pa.Table:
        """Every deadline of a dataset on *as_of*, as one Apache Arrow table.

        The same deadlines as :meth:`evaluate_dataset`, as a table of
        :func:`~socforst.rules.table.deadline_schema` (``kind, subject_id,
        district, starts_on, due_on, met_on, status, reference, member_id``:
        codes dictionary-encoded, days ``date32``, ``met_on`` null where the
        duty was not done by *as_of*), in the book's order of rules and, per
        rule, the order of the records. It goes straight into pandas
        (``.to_pandas()``), polars (``polars.from_arrow``), DuckDB or a
        Parquet file.

        The reports' protection assessments (without a cut-off) and
        preassessments, and the investigations with their extensions, are
        computed on columns (see :mod:`socforst.rules.table`); every other
        rule runs on the per-object path and joins the table. A duty whose
        completion column the dataset's source did not have is left out with
        a :class:`~socforst.dataset.MissingColumnWarning`, as in
        :meth:`evaluate_dataset`.

        Example:
            >>> import datetime as dt
            >>> import socforst
            >>> report = socforst.Report(report_id="r1", district="farsta",
            ...                          received_at=dt.datetime(2025, 6, 6, 9, 30))
            >>> table = socforst.RuleBook.swedish().evaluate_table(
            ...     socforst.Dataset(reports=[report]), dt.date(2025, 6, 23))
            >>> for row in table.to_pylist():
            ...     print(row["kind"], row["due_on"], row["status"])
            protection_assessment 2025-06-06 overdue
            preassessment 2025-06-20 overdue
        """
        from socforst.rules import table as columns

        absent = self.absent_completions(dataset)
        context = self.context(
            extensions=dataset.extensions,
            reviews=dataset.reviews,
            as_of=as_of,
            unknown_columns=self._unknown_columns(dataset),
        )
        reports: pa.Table | None = None
        investigations: pa.Table | None = None
        parts: list[pa.Table] = []
        left_out: dict[tuple[str, str], int] = defaultdict(int)
        for rule in self.rules:
            if type(rule) is PreassessmentDeadline or (
                type(rule) is ProtectionAssessmentDeadline and rule.cutoff is None
            ):
                if reports is None:
                    # A table held as Arrow is read as it is: no record is built.
                    reports = (
                        # Validated when the dataset was made: not checked again.
                        columns.reports_from_arrow(dataset.arrow("reports"), check=False)
                        if dataset.is_arrow("reports")
                        else columns.report_table(dataset.reports)
                    )
                part = columns.report_deadlines(rule, reports, context, as_of)
            elif type(rule) is InvestigationDeadline:
                if investigations is None:
                    investigations = (
                        columns.investigations_from_arrow(
                            dataset.arrow("investigations"), check=False
                        )
                        if dataset.is_arrow("investigations")
                        else columns.investigation_table(dataset.investigations)
                    )
                part = columns.investigation_deadlines(
                    rule, investigations, dataset.extensions, context, as_of
                )
            else:
                # Only the tables of the rule's records are built into records.
                records = [
                    record
                    for name in CASE_TABLES
                    if TABLES[name] is rule.record_type
                    for record in dataset.table(name)
                ]
                part = columns.from_evaluated(
                    [
                        deadline.as_of(as_of)
                        for record in records
                        for deadline in rule.deadlines(record, context)
                        if deadline.starts_on <= as_of
                    ]
                )
            where = absent.get(rule.kind)
            if where is not None:
                left_out[where] += part.num_rows
                continue
            parts.append(part)
        if left_out:
            warn_left_out(dataset, left_out)
        return columns.concat(parts)

    def evaluate_batches(
        self,
        batches: Iterable[pa.RecordBatch | pa.Table],
        as_of: dt.date,
        *,
        table: str = "reports",
        extensions: Iterable[Extension] = (),
    ) -> Iterator[pa.RecordBatch]:
        """The deadlines of case rows that arrive in Arrow batches, one batch at a time.

        Each batch of ``reports`` (or ``investigations``) rows, with the
        columns of the data formats, gives the record batches of its
        deadlines (the schema of :meth:`evaluate_table`) before the next
        batch is read, so memory stays that of one batch: this runs inside
        DuckDB, ``polars.map_batches`` or Spark's ``mapInArrow``. Instants
        (``received_at``) may be timestamps with a time zone or naive
        Stockholm local time. The built-in report rules (without a cut-off)
        and the investigation rule are evaluated; *extensions* extend the
        investigations of any batch.

        Args:
            batches: Arrow record batches (or tables) of one table's rows.
            as_of: The day to evaluate on.
            table: ``reports`` or ``investigations``.
            extensions: Extensions of the investigations.

        Each batch is checked at the edge, on its columns, as a source checks
        its rows (:func:`socforst.rules.table.check_batch`): no empty required
        cell, ids that are opaque ids and never a personal identity number,
        districts of Stockholm's registry. A message names the column and the
        batch's rows, never a value.

        Raises:
            RuleError: If *table* is another table, or the book has a rule for
                its rows that has no columnar path (a cut-off time, a plugin).
            ValidationError: If a batch lacks a required column, has a column
                of the wrong type or a value that fails a check.
            PersonalIdentityNumberError: If an id column holds a personal
                identity number.
        """
        from socforst.rules import table as columns

        if table not in ("reports", "investigations"):
            raise RuleError(
                f"evaluate_batches reads 'reports' or 'investigations', not {shown(table)}"
            )
        record_type = Report if table == "reports" else Investigation
        rules = self._by_type.get(record_type, ())
        for rule in rules:
            columnar = (
                type(rule) is PreassessmentDeadline
                or (type(rule) is ProtectionAssessmentDeadline and rule.cutoff is None)
                or type(rule) is InvestigationDeadline
            )
            if not columnar:
                raise RuleError(
                    f"rule {rule.kind!r} has no columnar path for batches; "
                    "use evaluate_table() with a dataset"
                )
        kept = tuple(extensions)
        context = self.context(as_of=as_of)

        def evaluate(batch: pa.RecordBatch | pa.Table) -> pa.Table:
            parts = []
            if table == "reports":
                rows = columns.reports_from_arrow(batch)
                for rule in rules:
                    assert isinstance(rule, PreassessmentDeadline | ProtectionAssessmentDeadline)
                    parts.append(columns.report_deadlines(rule, rows, context, as_of))
            else:
                rows = columns.investigations_from_arrow(batch)
                for rule in rules:
                    assert isinstance(rule, InvestigationDeadline)
                    parts.append(columns.investigation_deadlines(rule, rows, kept, context, as_of))
            return columns.concat(parts)

        return columns.batches_of(evaluate, batches)

    def evaluate_columns(
        self,
        kind: str,
        start: npt.ArrayLike,
        met: npt.ArrayLike,
        as_of: dt.date | np.datetime64,
        reason: npt.ArrayLike | Sequence[str | None] | None = None,
    ) -> tuple[DateArray, StatusArray]:
        """Due dates and statuses for columns of start and met dates, without objects.

        The columnar path for the kinds whose due date follows from the start
        day alone: ``protection_assessment`` (by date), ``preassessment``,
        ``investigation`` (without extensions), ``lvu_court_submission`` and
        ``lvu_care_application`` (without a court extension). It gives the same
        answers as ``Deadline.status`` on the per-object path: the due date of
        every day in the span of *start* is computed once by the rule itself, and
        looked up by index. Rows are kept in order, including any that start
        after *as_of* (``evaluate`` leaves those out).

        Args:
            kind: The rule's kind.
            start: The start days, a ``datetime64`` array of any unit; finer
                units (pandas' ``datetime64[ns]``) are cut to the day, which
                copies once. Give local Stockholm days, not UTC instants.
            met: The days the duty was done, ``NaT`` where it was not.
            as_of: The day to evaluate on; later *met* days have not happened yet.
            reason: Where an exceptional reason is recorded (synnerliga skäl),
                as booleans, or as the reasons themselves (an empty string or
                ``None`` is none): a row done after its due date with a reason
                is ``justified``, as ``Deadline.status`` has it. Without it, no
                row has a reason; give it for preassessments that record one.

        Returns:
            ``(due, status)``: ``datetime64[D]`` due dates and the statuses as
            strings (``met``, ``justified``, ``late``, ``overdue``,
            ``due_soon``, ``open``).

        Raises:
            UnknownRuleError: If the book has no rule of *kind*.
            RuleError: If the rule's due date does not follow from the start alone.
            ValidationError: If the arrays are not dates (or *reason* not
                booleans or reasons), differ in length, or *start* has missing days.

        Example:
            >>> import numpy as np
            >>> import socforst
            >>> book = socforst.RuleBook.swedish()
            >>> start = np.array(["2025-06-06", "2025-06-20"], dtype="datetime64[D]")
            >>> met = np.array(["2025-06-19", "NaT"], dtype="datetime64[D]")
            >>> as_of = np.datetime64("2025-07-01")
            >>> due, status = book.evaluate_columns("preassessment", start, met, as_of)
            >>> due.astype(str).tolist(), status.tolist()
            (['2025-06-20', '2025-07-04'], ['met', 'due_soon'])
        """
        rule = self.rule(kind)
        if not isinstance(rule, ColumnarRule):
            raise RuleError(
                f"rule {kind!r} has no columnar path: its due date does not follow from "
                "the start day alone; use evaluate() with the records"
            )
        starts = _as_days("start", start)
        mets = _as_days("met", met)
        if starts.shape != mets.shape or starts.ndim != 1:
            raise ValidationError(
                "met",
                f"must be a 1-D array as long as 'start' ({starts.shape} against {mets.shape})",
            )
        missing = int(np.isnat(starts).sum())
        if missing:
            raise ValidationError(
                "start", f"has {missing} missing days (NaT); a deadline needs a start"
            )
        reasons = None if reason is None else _as_reasons(reason, starts.shape)
        day = np.array(as_of, dtype="datetime64[D]")
        if starts.size == 0:
            return starts.copy(), np.empty(0, dtype=_STATUS_NAMES.dtype)

        # Any rule of a date alone fits a table indexed by day: compute each day once.
        first = starts.min()
        offsets = (starts - first).astype(np.int64)
        span = int(offsets.max()) + 1
        first_day = first.astype(dt.date)
        one_day = dt.timedelta(days=1)
        context = self._plain
        # Through ordinals: numpy converts a list of dates element by element, slowly.
        table = np.fromiter(
            (
                rule.due_from_start(first_day + one_day * n, context).toordinal()
                for n in range(span)
            ),
            dtype=np.int64,
            count=span,
        )
        table -= _EPOCH_ORDINAL
        due = table.take(offsets).astype("datetime64[D]")

        # A status code per row, then one take from the names.
        left = (due - day).astype(np.int64)
        codes = np.full(starts.shape, _OPEN, dtype=np.int8)
        codes[left <= self.due_soon_days] = _DUE_SOON
        codes[left < 0] = _OVERDUE
        done = ~np.isnat(mets) & (mets <= day)
        codes[done] = np.where(mets[done] <= due[done], _MET, _LATE)
        if reasons is not None:
            # Done after the due date with a recorded reason: justified (Deadline.status).
            codes[(codes == _LATE) & reasons] = _JUSTIFIED
        return due, _STATUS_NAMES.take(codes)

    def cite_columns(
        self,
        kind: str,
        start: npt.ArrayLike,
        due: npt.ArrayLike,
        met: npt.ArrayLike,
        as_of: dt.date | np.datetime64,
    ) -> TextArray:
        """The provision each row cites, as ``Deadline.reference`` has it on the per-object path.

        A row cites the provision in force on its *met* day if it was done on
        or before both its *due* day and *as_of*, else the one in force on its
        *due* day (:func:`~socforst.rules.base.cite`). Give the *due* days that
        :meth:`evaluate_columns` returned.

        Args:
            kind: The rule's kind.
            start: The start days, as for :meth:`evaluate_columns`.
            due: The due days.
            met: The days the duty was done, ``NaT`` where it was not.
            as_of: The day evaluated on.

        Returns:
            The references as strings, one per row.

        Raises:
            UnknownRuleError: If the book has no rule of *kind*.
            ValidationError: If the arrays are not dates or differ in length.

        Example:
            >>> import numpy as np
            >>> import socforst
            >>> book = socforst.RuleBook.swedish()
            >>> start = np.array(["2025-06-30", "2025-06-30"], dtype="datetime64[D]")
            >>> met = np.array(["2025-06-30", "2025-07-10"], dtype="datetime64[D]")
            >>> as_of = np.datetime64("2025-08-01")
            >>> due, _ = book.evaluate_columns("preassessment", start, met, as_of)
            >>> book.cite_columns("preassessment", start, due, met, as_of).tolist()
            ['SoL (2001:453) 11 kap. 1 a §', 'SoL (2025:400) 20 kap. 2 §']
        """
        rule = self.rule(kind)
        starts = _as_days("start", start)
        dues = _as_days("due", due)
        mets = _as_days("met", met)
        if not (starts.shape == dues.shape == mets.shape) or starts.ndim != 1:
            raise ValidationError(
                "met",
                "'due' and 'met' must be 1-D arrays as long as 'start' "
                f"({starts.shape}, {dues.shape}, {mets.shape})",
            )
        day = np.array(as_of, dtype="datetime64[D]")
        done = ~np.isnat(mets) & (mets <= dues) & (mets <= day)
        # The day whose law governs: the day done in time (not before the start), else the due day.
        cited = np.where(done, np.maximum(mets, starts), dues)
        memo: dict[tuple[dt.date, dt.date], str] = {}
        texts: list[str] = []
        days = zip(starts.astype(dt.date).tolist(), cited.astype(dt.date).tolist(), strict=True)
        for pair in days:
            text = memo.get(pair)
            if text is None:
                text = memo[pair] = cite(rule.references, pair[0], pair[1], None)
            texts.append(text)
        return np.array(texts, dtype=np.str_)

    def _no_rule_for(self, record: object) -> str:
        if isinstance(record, Extension | Review):
            return (
                f"a {type(record).__name__} has no deadline of its own; pass it as "
                "extensions= or reviews=, or with the other records to evaluate()"
            )
        readable = sorted({t.__name__ for t in self._by_type})
        return f"no rule reads {type(record).__name__} records; rules read: {', '.join(readable)}"


_BUILT_IN_KINDS: Mapping[type, str] = {
    ProtectionAssessmentDeadline: "protection_assessment",
    PreassessmentDeadline: "preassessment",
    InvestigationDeadline: "investigation",
    PlacementReviewDeadline: "placement_review",
    CustodyTransferDeadline: "custody_transfer_consideration",
    LvuCourtSubmissionDeadline: "lvu_court_submission",
    LvuCareApplicationDeadline: "lvu_care_application",
    LvuCareStartDeadline: "lvu_care_start",
    LvuReviewDeadline: "lvu_review",
    LvuCareEndReviewDeadline: "lvu_care_end_review",
    LvuRestrictionReviewDeadline: "lvu_restriction_review",
}


def completion_columns(rule: Rule) -> tuple[tuple[str, str], ...]:
    """The ``(table, column)`` s that record the completion of *rule*'s duty.

    The rule's own ``completion_columns`` if it has them, else those of its
    kind in :data:`COMPLETION_COLUMNS`, else those of its built-in class;
    none for a rule that says nothing (it is always evaluated).
    """
    own = getattr(rule, "completion_columns", None)
    if own is not None:
        return tuple((str(table), str(column)) for table, column in own)
    found = COMPLETION_COLUMNS.get(rule.kind)
    if found is None:
        found = COMPLETION_COLUMNS.get(_BUILT_IN_KINDS.get(type(rule), ""), ())
    return found


def warn_left_out(dataset: Dataset, left_out: Mapping[tuple[str, str], int]) -> None:
    """A :class:`~socforst.dataset.MissingColumnWarning` per table and column that left some out.

    Args:
        dataset: The dataset evaluated (it says whether a whole table was absent).
        left_out: How many deadlines were left out, per absent ``(table, column)``.
    """
    for (table, column), count in sorted(left_out.items()):
        if count:
            warnings.warn(
                MissingColumnWarning(
                    table,
                    column,
                    count,
                    table_absent=bool(dataset.columns) and table not in dataset.columns,
                ),
                stacklevel=3,
            )


def _as_days(name: str, values: npt.ArrayLike) -> DateArray:
    array = np.asarray(values)
    if not np.issubdtype(array.dtype, np.datetime64):
        raise ValidationError(name, f"must be a datetime64 array, got dtype {array.dtype}")
    return array.astype("datetime64[D]", copy=False)


_READINGS: Mapping[str, bool | None] = types.MappingProxyType(
    {"strict": False, "roll_forward": True, "book": None}
)


def _as_reasons(
    values: npt.ArrayLike | Sequence[str | None], shape: tuple[int, ...]
) -> npt.NDArray[np.bool_]:
    array = np.asarray(values)
    if array.dtype == np.bool_:
        found = array
    elif array.dtype == object or np.issubdtype(array.dtype, np.str_):
        # A reason is recorded where the cell holds a non-empty string.
        found = np.fromiter(
            (isinstance(v, str) and v != "" for v in array.ravel().tolist()),
            dtype=np.bool_,
            count=array.size,
        ).reshape(array.shape)
    else:
        raise ValidationError(
            "reason", f"must be booleans or the reasons (strings), got dtype {array.dtype}"
        )
    if found.shape != shape:
        raise ValidationError(
            "reason", f"must be a 1-D array as long as 'start' ({shape} against {found.shape})"
        )
    return found


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_STATUS_NAMES = np.array([status.value for status in DeadlineStatus])
_CODE = {status: code for code, status in enumerate(DeadlineStatus)}
_MET, _JUSTIFIED, _LATE, _OVERDUE = (
    _CODE[DeadlineStatus.MET],
    _CODE[DeadlineStatus.JUSTIFIED],
    _CODE[DeadlineStatus.LATE],
    _CODE[DeadlineStatus.OVERDUE],
)
_DUE_SOON, _OPEN = _CODE[DeadlineStatus.DUE_SOON], _CODE[DeadlineStatus.OPEN]


def _plugin_rules(label: str, loaded: object) -> Sequence[Rule]:
    # A rule class also has the protocol's attributes (as descriptors): call it.
    if isinstance(loaded, Rule) and not isinstance(loaded, type):
        return (loaded,)
    if callable(loaded):
        try:
            produced = loaded()
        except Exception as error:
            raise PluginError(label, f"failed to make its rules: {error}") from error
        if isinstance(produced, Rule) and not isinstance(produced, type):
            return (produced,)
        if isinstance(produced, Iterable):
            rules = tuple(produced)
            if rules and all(isinstance(rule, Rule) for rule in rules):
                return rules
    raise PluginError(label, "gives no deadline rule (a rule, or a callable returning rules)")
