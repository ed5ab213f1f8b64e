"""The rule engine on tables: every deadline of a dataset as one Apache Arrow table.

:meth:`RuleBook.evaluate_table <socforst.rules.book.RuleBook.evaluate_table>`
and :meth:`RuleBook.evaluate_batches
<socforst.rules.book.RuleBook.evaluate_batches>` are built here. The bulk of a
city's deadlines (the protection assessments and preassessments of its
reports, the four months of its investigations with their extensions) is
computed on columns: a due day per calendar day, looked up by index; statuses
as vectorised comparisons; extensions chained in rounds (the first extension
of every investigation at once, then the second, ...), not case by case. The
other duties (placements, custodies, restrictions: thousands of rows, not
hundreds of thousands) and rules socforst does not know (plugins, a cut-off
time) run on the per-object path and join the same table. A property test holds
the two paths equal on random data, for every kind, status and reading.

pyarrow is imported here and by nothing that ``import socforst`` loads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from socforst.cases import Investigation, PreassessmentOutcome, Report
from socforst.rules.base import EvaluatedDeadline, LegalReference, RuleContext
from socforst.rules.sol import (
    InvestigationDeadline,
    PreassessmentDeadline,
    ProtectionAssessmentDeadline,
)

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "DEADLINE_COLUMNS",
    "deadline_schema",
    "investigation_table",
    "report_table",
]

DEADLINE_COLUMNS = (
    "kind",
    "subject_id",
    "district",
    "starts_on",
    "due_on",
    "met_on",
    "status",
    "reference",
    "exceptional_reason",
    "member_id",
)
"""The columns of a deadline table, those of :class:`~socforst.rules.base.EvaluatedDeadline`.

The deadline output of the data formats, then the exceptional reason recorded
(free text: leave it out of what you publish) and the team member."""

_STATUSES = np.array(["met", "justified", "late", "overdue", "due_soon", "open"])
_MET, _JUSTIFIED, _LATE, _OVERDUE, _DUE_SOON, _OPEN = range(6)
_EPOCH = dt.date(1970, 1, 1).toordinal()
_NAT = np.datetime64("NaT", "D")

Days = npt.NDArray[np.datetime64]


def deadline_schema() -> pa.Schema:
    """The Arrow schema of a deadline table.

    Codes (``kind``, ``district``, ``status``, ``reference``) are dictionary
    encoded; days are ``date32``; ``met_on`` is null where the duty was not
    done by the day evaluated on, ``exceptional_reason`` where none was
    recorded (only preassessments record one), ``member_id`` where no team
    member handled the record.
    """
    import pyarrow as pa

    code = pa.dictionary(pa.int32(), pa.string())
    return pa.schema(
        [
            pa.field("kind", code, nullable=False),
            pa.field("subject_id", pa.string(), nullable=False),
            pa.field("district", code, nullable=False),
            pa.field("starts_on", pa.date32(), nullable=False),
            pa.field("due_on", pa.date32(), nullable=False),
            pa.field("met_on", pa.date32()),
            pa.field("status", code, nullable=False),
            pa.field("reference", code, nullable=False),
            pa.field("exceptional_reason", pa.string()),
            pa.field("member_id", pa.string()),
        ]
    )


# -- the columns a rule reads ------------------------------------------------------------------


def report_table(reports: Iterable[Report]) -> pa.Table:
    """The columns the report rules read, from :class:`~socforst.cases.Report` records.

    ``registered_on`` is the Stockholm day of ``received_at``; ``received_on``
    the day the report counts as received (``counts_as_received_on`` where
    recorded, förvaltningslagen 22 §); ``protection_assessed_on`` the
    Stockholm day of ``protection_assessed_at``.
    """
    import pyarrow as pa

    ids: list[str] = []
    districts: list[str] = []
    registered: list[dt.date] = []
    received: list[dt.date] = []
    assessed: list[dt.date | None] = []
    decided: list[dt.date | None] = []
    already_open: list[bool] = []
    reasons: list[str | None] = []
    members: list[str | None] = []
    already = PreassessmentOutcome.ALREADY_OPEN
    for r in reports:
        ids.append(r.report_id)
        districts.append(r.district)
        day = r.received_at.date()
        registered.append(day)
        counts = r.counts_as_received_on
        received.append(day if counts is None else counts)
        at = r.protection_assessed_at
        assessed.append(None if at is None else at.date())
        decided.append(r.preassessment_decided_on)
        already_open.append(r.preassessment_outcome is already)
        reasons.append(r.exceptional_reason)
        members.append(r.member_id)
    return pa.table(
        {
            "report_id": pa.array(ids, pa.string()),
            "district": pa.array(districts, pa.string()),
            "registered_on": pa.array(registered, pa.date32()),
            "received_on": pa.array(received, pa.date32()),
            "protection_assessed_on": pa.array(assessed, pa.date32()),
            "preassessment_decided_on": pa.array(decided, pa.date32()),
            "already_open": pa.array(already_open, pa.bool_()),
            "exceptional_reason": pa.array(reasons, pa.string()),
            "member_id": pa.array(members, pa.string()),
        }
    )


_PIN_CANDIDATE = (
    r"(^|[^0-9])([0-9]{10}|[0-9]{12}|[0-9]{6}[-+ ._][0-9]{4}|[0-9]{8}[-+ ._][0-9]{4})([^0-9]|$)"
)
"""Where a personal identity number may stand in an id of ``A-Z a-z 0-9 . _ -`` (RE2)."""


def _row_list(mask: Any) -> str:
    """The 1-based rows where *mask* holds: the first five, then how many more."""
    rows = np.flatnonzero(np.asarray(mask, dtype=bool)) + 1
    listed = ", ".join(str(r) for r in rows[:5].tolist())
    more = len(rows) - 5
    return listed + (f" and {more} more" if more > 0 else "")


def check_batch(table: pa.Table, ids: Sequence[str], required: Sequence[str]) -> None:
    """The checks a source makes at the edge, on the columns of one batch, vectorised.

    Required columns must have no empty cell; id columns must be opaque ids
    (1-64 characters from ``A-Z a-z 0-9 . _ -``) and never hold a personal
    identity number; ``district`` must be a code of Stockholm's registry. A
    message names the column and the batch's rows (1-based), never a value.

    Raises:
        ValidationError: For the first column that fails.
        PersonalIdentityNumberError: If an id column holds a personal identity number.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from socforst._pin import contains_pin
    from socforst.districts import stockholm
    from socforst.errors import PersonalIdentityNumberError, ValidationError

    names = set(table.column_names)
    for name in required:
        if name in names and table.column(name).null_count:
            missing = pc.is_null(table.column(name)).to_numpy(zero_copy_only=False)
            raise ValidationError(name, f"is empty in rows {_row_list(missing)} of the batch")
    for name in ids:
        if name not in names:
            continue
        values = pc.cast(table.column(name), pa.string())
        allowed = pc.match_substring_regex(values, r"^[A-Za-z0-9._-]{1,64}$")
        # Only cells that could hold a number go through the detector, which knows every
        # spelling: an id of the allowed characters with a run of exactly 10 or 12
        # digits, or of 6 or 8 digits, one separator and 4 digits; and any cell that is
        # not such an id (it may spell a number in a way the id characters cannot).
        suspects = pc.or_(
            pc.fill_null(pc.invert(allowed), False),
            pc.fill_null(pc.match_substring_regex(values, _PIN_CANDIDATE), False),
        )
        if pc.any(suspects).as_py() and any(
            value is not None and contains_pin(value)
            for value in pc.filter(values, suspects).to_pylist()
        ):
            raise PersonalIdentityNumberError(name)
        bad = pc.invert(pc.fill_null(allowed, True))
        if pc.any(bad).as_py():
            raise ValidationError(
                name,
                "must be 1-64 characters from A-Z a-z 0-9 . _ - "
                f"(rows {_row_list(bad.to_numpy(zero_copy_only=False))} of the batch)",
            )
    if "district" in names:
        codes = pa.array(sorted(d.code for d in stockholm()), pa.string())
        districts = pc.cast(table.column("district"), pa.string())
        unknown = pc.invert(pc.fill_null(pc.is_in(districts, value_set=codes), True))
        if pc.any(unknown).as_py():
            raise ValidationError(
                "district",
                "is not a district code of the registry "
                f"(rows {_row_list(unknown.to_numpy(zero_copy_only=False))} of the batch)",
            )


def reports_from_arrow(batch: pa.Table | pa.RecordBatch, *, check: bool = True) -> pa.Table:
    """The columns the report rules read, from Arrow columns named as in ``reports.csv``.

    ``received_at`` and ``protection_assessed_at`` may be timestamps with a
    time zone (converted to Stockholm time) or without one (Stockholm local
    time, as the data formats say), or dates (the start of the day);
    ``counts_as_received_on`` and ``preassessment_decided_on`` are dates.
    Absent optional columns are empty.

    Raises:
        ValidationError: If ``report_id``, ``district`` or ``received_at`` is
            absent or a column has a type that is not a day or an instant.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    table = batch if isinstance(batch, pa.Table) else pa.Table.from_batches([batch])
    names = set(table.column_names)
    for required in ("report_id", "district", "received_at"):
        if required not in names:
            from socforst.errors import ValidationError

            raise ValidationError(required, "is a required column of reports and is absent")
    rows = table.num_rows
    if check:
        check_batch(table, ("report_id", "member_id"), ("report_id", "district", "received_at"))

    def column(name: str) -> pa.ChunkedArray | None:
        return table.column(name) if name in names else None

    def local_days(name: str) -> pa.Array:
        values = column(name)
        if values is None:
            return pa.nulls(rows, pa.date32())
        kind = values.type
        if pa.types.is_timestamp(kind):
            if kind.tz is not None:
                values = pc.local_timestamp(pc.cast(values, pa.timestamp("us", "Europe/Stockholm")))
            return pc.cast(values, pa.date32())
        return _as_date32(name, values)

    registered = local_days("received_at")
    counts = column("counts_as_received_on")
    received = (
        registered
        if counts is None
        else pc.coalesce(_as_date32("counts_as_received_on", counts), registered)
    )
    outcome = column("preassessment_outcome")
    reason = column("exceptional_reason")
    member = column("member_id")
    return pa.table(
        {
            "report_id": pc.cast(table.column("report_id"), pa.string()),
            "district": pc.cast(table.column("district"), pa.string()),
            "registered_on": registered,
            "received_on": received,
            "protection_assessed_on": local_days("protection_assessed_at"),
            "preassessment_decided_on": (
                pa.nulls(rows, pa.date32())
                if column("preassessment_decided_on") is None
                else _as_date32(
                    "preassessment_decided_on", table.column("preassessment_decided_on")
                )
            ),
            "already_open": (
                pa.array(np.zeros(rows, dtype=bool))
                if outcome is None
                else pc.fill_null(pc.equal(pc.cast(outcome, pa.string()), "already_open"), False)
            ),
            "exceptional_reason": (
                pa.nulls(rows, pa.string()) if reason is None else pc.cast(reason, pa.string())
            ),
            "member_id": (
                pa.nulls(rows, pa.string()) if member is None else pc.cast(member, pa.string())
            ),
        }
    )


def _as_date32(name: str, values: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = values.type
    if pa.types.is_date(kind):
        return pc.cast(values, pa.date32())
    if pa.types.is_null(kind):
        return pc.cast(values, pa.date32())
    from socforst.errors import ValidationError

    raise ValidationError(name, f"must be a column of dates, got Arrow type {kind}")


def investigation_table(investigations: Iterable[Investigation]) -> pa.Table:
    """The columns the investigation rule reads, from records."""
    import pyarrow as pa

    ids: list[str] = []
    districts: list[str] = []
    opened: list[dt.date] = []
    closed: list[dt.date | None] = []
    members: list[str | None] = []
    for i in investigations:
        ids.append(i.investigation_id)
        districts.append(i.district)
        opened.append(i.opened_on)
        closed.append(i.closed_on)
        members.append(i.member_id)
    return pa.table(
        {
            "investigation_id": pa.array(ids, pa.string()),
            "district": pa.array(districts, pa.string()),
            "opened_on": pa.array(opened, pa.date32()),
            "closed_on": pa.array(closed, pa.date32()),
            "member_id": pa.array(members, pa.string()),
        }
    )


def investigations_from_arrow(batch: pa.Table | pa.RecordBatch, *, check: bool = True) -> pa.Table:
    """The columns the investigation rule reads, from Arrow columns named as in the formats.

    Raises:
        ValidationError: If ``investigation_id``, ``district`` or ``opened_on``
            is absent, or a day column is not of a date type.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    table = batch if isinstance(batch, pa.Table) else pa.Table.from_batches([batch])
    names = set(table.column_names)
    for required in ("investigation_id", "district", "opened_on"):
        if required not in names:
            from socforst.errors import ValidationError

            raise ValidationError(required, "is a required column of investigations and is absent")
    rows = table.num_rows
    if check:
        check_batch(
            table,
            ("investigation_id", "report_id", "member_id"),
            ("investigation_id", "district", "opened_on"),
        )
    return pa.table(
        {
            "investigation_id": pc.cast(table.column("investigation_id"), pa.string()),
            "district": pc.cast(table.column("district"), pa.string()),
            "opened_on": _as_date32("opened_on", table.column("opened_on")),
            "closed_on": (
                _as_date32("closed_on", table.column("closed_on"))
                if "closed_on" in names
                else pa.nulls(rows, pa.date32())
            ),
            "member_id": (
                pc.cast(table.column("member_id"), pa.string())
                if "member_id" in names
                else pa.nulls(rows, pa.string())
            ),
        }
    )


# -- vectorised rules --------------------------------------------------------------------------


def _days(values: Any) -> Days:
    """An Arrow date column as ``datetime64[D]``, null as NaT."""
    import pyarrow as pa

    array = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    ints = array.cast(pa.int32()).to_numpy(zero_copy_only=False)
    days = np.asarray(ints, dtype="float64")  # nulls come as NaN
    out = np.full(len(days), _NAT)
    known = ~np.isnan(days)
    out[known] = days[known].astype(np.int64).astype("datetime64[D]")
    return out


def due_days(
    due_from_start: Callable[[dt.date, RuleContext], dt.date],
    starts: Days,
    context: RuleContext,
) -> Days:
    """The due day of each start, computing each calendar day of the span once."""
    if starts.size == 0:
        return starts.copy()
    first = starts.min()
    offsets = (starts - first).astype(np.int64)
    span = int(offsets.max()) + 1
    first_day = first.astype(dt.date)
    one = dt.timedelta(days=1)
    table = np.fromiter(
        (due_from_start(first_day + one * n, context).toordinal() for n in range(span)),
        dtype=np.int64,
        count=span,
    )
    table -= _EPOCH
    due: Days = table.take(offsets).astype("datetime64[D]")
    return due


def statuses(
    due: Days, met: Days, as_of: np.datetime64, due_soon_days: int, reasons: Any = None
) -> tuple[npt.NDArray[np.int8], Days]:
    """Status codes as ``Deadline.status`` gives them, and ``met_on`` as of the day."""
    left = (due - as_of).astype(np.int64)
    codes = np.full(due.shape, _OPEN, dtype=np.int8)
    codes[left <= due_soon_days] = _DUE_SOON
    codes[left < 0] = _OVERDUE
    done = ~np.isnat(met) & (met <= as_of)
    codes[done] = np.where(met[done] <= due[done], _MET, _LATE)
    if reasons is not None:
        codes[(codes == _LATE) & reasons] = _JUSTIFIED
    return codes, np.where(done, met, _NAT)


def citations(
    references: Sequence[LegalReference], starts: Days, due: Days, met: Days, as_of: np.datetime64
) -> npt.NDArray[np.int64]:
    """The index in *references* of the provision each row cites (``rules.cite``, vectorised).

    The provision in force on the day done in time (not before the start),
    else on the due day; where none was in force that day, the due day's;
    then the start day's.

    Raises:
        ValidationError: If a row has no provision in force on any of them.
    """
    done = ~np.isnat(met) & (met <= due) & (met <= as_of)
    day = np.where(done, np.maximum(met, starts), due)
    chosen = np.full(starts.shape, -1, dtype=np.int64)
    for candidate in (day, due, starts):
        for index, reference in enumerate(references):
            free = chosen < 0
            if reference.valid_from is not None:
                free &= candidate >= np.datetime64(reference.valid_from, "D")
            if reference.valid_to is not None:
                free &= candidate <= np.datetime64(reference.valid_to, "D")
            chosen[free] = index  # the first provision in force wins
    if (chosen < 0).any():
        from socforst.errors import ValidationError

        raise ValidationError("starts_on", "has no provision in force among the rule's references")
    return chosen


def deadline_rows(
    kind: str,
    subject_id: Any,
    district: Any,
    starts: Days,
    due: Days,
    met_on: Days,
    codes: npt.NDArray[np.int8],
    references: Sequence[LegalReference],
    cited: npt.NDArray[np.int64],
    member_id: Any,
    reason: Any = None,
) -> pa.Table:
    """One rule's deadlines as a table of :func:`deadline_schema` (*reason* null if ``None``)."""
    import pyarrow as pa

    rows = len(starts)
    texts = pa.array([reference.text for reference in references], pa.string())
    schema = deadline_schema()
    return pa.table(
        [
            pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(rows, dtype=np.int32)), pa.array([kind], pa.string())
            ),
            subject_id,
            pc_dictionary(district),
            pa.array(starts, pa.date32()),
            pa.array(due, pa.date32()),
            pa.array(met_on, pa.date32()),
            pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)), pa.array(_STATUSES)),
            pa.DictionaryArray.from_arrays(pa.array(cited.astype(np.int32)), texts),
            pa.nulls(rows, pa.string()) if reason is None else reason,
            member_id,
        ],
        schema=schema,
    )


def pc_dictionary(values: Any) -> Any:
    """A string column dictionary-encoded."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(values)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    return encoded.cast(pa.dictionary(pa.int32(), pa.string()))


def report_deadlines(
    rule: ProtectionAssessmentDeadline | PreassessmentDeadline,
    reports: pa.Table,
    context: RuleContext,
    as_of: dt.date,
) -> pa.Table:
    """The deadlines of a protection-assessment (without cut-off) or preassessment rule."""
    import pyarrow.compute as pc

    day = np.datetime64(as_of, "D")
    registered = _days(reports.column("registered_on"))
    keep = registered <= day  # a report registered after the day is not known yet
    if isinstance(rule, PreassessmentDeadline):
        already = reports.column("already_open").to_numpy(zero_copy_only=False)
        keep &= ~already.astype(bool)
        met_column = "preassessment_decided_on"
    else:
        met_column = "protection_assessed_on"
    index = np.flatnonzero(keep)
    chosen = reports.take(index)
    starts = _days(chosen.column("received_on"))
    met = _days(chosen.column(met_column))
    due = due_days(rule.due_from_start, starts, context)
    reasons = None
    reason_texts = None
    if isinstance(rule, PreassessmentDeadline):
        # A deadline carries the reason (as the per-object path does) for preassessments.
        reason_texts = chosen.column("exceptional_reason").combine_chunks()
        lengths = pc.fill_null(pc.utf8_length(reason_texts), 0)
        reasons = lengths.to_numpy(zero_copy_only=False) > 0
    codes, met_on = statuses(due, met, day, context.due_soon_days, reasons)
    cited = citations(rule.references, starts, due, met, day)
    return deadline_rows(
        rule.kind,
        chosen.column("report_id").combine_chunks(),
        chosen.column("district"),
        starts,
        due,
        met_on,
        codes,
        rule.references,
        cited,
        chosen.column("member_id").combine_chunks(),
        reason_texts,
    )


def investigation_deadlines(
    rule: InvestigationDeadline,
    investigations: pa.Table,
    extensions: Sequence[Any],
    context: RuleContext,
    as_of: dt.date,
) -> pa.Table:
    """The four months of each investigation, moved by the extensions decided in time.

    Extensions are chained in rounds: the first extension (in order of
    decision) of every investigation at once, then the second, and so on; an
    extension counts when decided on or before the due day the earlier ones
    left and it ends later (as the per-object rule has it).
    """
    day = np.datetime64(as_of, "D")
    starts_all = _days(investigations.column("opened_on"))
    index = np.flatnonzero(starts_all <= day)
    chosen = investigations.take(index)
    starts = starts_all[index]
    due = due_days(rule.due_from_start, starts, context)
    if extensions:
        position = {
            subject: n for n, subject in enumerate(chosen.column("investigation_id").to_pylist())
        }
        rows = [
            (position[e.investigation_id], e.decided_on, e.until)
            for e in extensions
            if e.investigation_id in position and e.decided_on <= as_of
        ]
        if rows:
            rows.sort()
            owner = np.array([r[0] for r in rows], dtype=np.int64)
            decided = np.array([r[1] for r in rows], dtype="datetime64[D]")
            until = np.array([r[2] for r in rows], dtype="datetime64[D]")
            # Rank within each investigation: the round the extension is judged in.
            first = np.r_[True, owner[1:] != owner[:-1]]
            starts_at = np.maximum.accumulate(np.where(first, np.arange(len(owner)), 0))
            rank = np.arange(len(owner)) - starts_at
            for round_ in range(int(rank.max()) + 1):
                this = rank == round_
                who = owner[this]
                counts = (decided[this] <= due[who]) & (until[this] > due[who])
                due[who[counts]] = until[this][counts]
    met = _days(chosen.column("closed_on"))
    codes, met_on = statuses(due, met, day, context.due_soon_days)
    cited = citations(rule.references, starts, due, met, day)
    return deadline_rows(
        rule.kind,
        chosen.column("investigation_id").combine_chunks(),
        chosen.column("district"),
        starts,
        due,
        met_on,
        codes,
        rule.references,
        cited,
        chosen.column("member_id").combine_chunks(),
    )


def from_evaluated(deadlines: Sequence[EvaluatedDeadline]) -> pa.Table:
    """Deadlines of the per-object path as a table of :func:`deadline_schema`."""
    import pyarrow as pa

    schema = deadline_schema()
    columns: dict[str, list[Any]] = {name: [] for name in DEADLINE_COLUMNS}
    for d in deadlines:
        columns["kind"].append(d.kind)
        columns["subject_id"].append(d.subject_id)
        columns["district"].append(d.district)
        columns["starts_on"].append(d.starts_on)
        columns["due_on"].append(d.due_on)
        columns["met_on"].append(d.met_on)
        columns["status"].append(d.status.value)
        columns["reference"].append(d.reference)
        columns["exceptional_reason"].append(d.exceptional_reason)
        columns["member_id"].append(d.member_id)
    arrays = []
    for field in schema:
        values = columns[field.name]
        if pa.types.is_dictionary(field.type):
            arrays.append(pa.array(values, pa.string()).dictionary_encode().cast(field.type))
        else:
            arrays.append(pa.array(values, field.type))
    return pa.table(arrays, schema=schema)


def concat(tables: Sequence[pa.Table]) -> pa.Table:
    """Deadline tables one after the other (each chunk keeps its own dictionaries)."""
    import pyarrow as pa

    if not tables:
        return deadline_schema().empty_table()
    return pa.concat_tables(tables)


def batches_of(
    evaluate: Callable[[pa.Table], pa.Table], batches: Iterable[pa.RecordBatch | pa.Table]
) -> Iterator[pa.RecordBatch]:
    """Each input batch evaluated on its own, as record batches of the deadline schema."""
    for batch in batches:
        yield from evaluate(batch).to_batches()
