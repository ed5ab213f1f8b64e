"""A dataset: all the records of one city, as one value the queries work on.

A dataset holds one tuple per table of the data formats (``members``,
``reports``, ...); every table may be empty. Sources read datasets, exporters
write them; the domain never sees a file.

A dataset read from a source also knows which columns each of its case tables
had (``Dataset.columns``): a column that is absent is unknown, not "not
done", so the deadlines whose completion it records are left out of the
evaluation, with a :class:`MissingColumnWarning`.
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from socforst.assignments import Assignment, AssignmentPolicy, Request, Roster
from socforst.cases import (
    Custody,
    Extension,
    Investigation,
    Placement,
    Report,
    Restriction,
    Review,
)
from socforst.districts import District, DistrictRegistry, stockholm
from socforst.errors import SocforstError, ValidationError, shown
from socforst.followup import Staffing, YearlyCost
from socforst.team import Absence, Team, TeamMember

__all__ = [
    "CASE_TABLES",
    "ID_COLUMNS",
    "TABLES",
    "ArrowRecords",
    "Dataset",
    "MissingColumnWarning",
    "UnknownRecordError",
]

TABLES: Mapping[str, type] = {
    "districts": District,
    "teams": Team,
    "members": TeamMember,
    "absences": Absence,
    "requests": Request,
    "assignments": Assignment,
    "staffing": Staffing,
    "costs": YearlyCost,
    "reports": Report,
    "investigations": Investigation,
    "extensions": Extension,
    "placements": Placement,
    "reviews": Review,
    "custodies": Custody,
    "restrictions": Restriction,
}
"""Each table of the data formats (the file name without ``.csv``) and its record type."""

CASE_TABLES = (
    "reports",
    "investigations",
    "extensions",
    "placements",
    "reviews",
    "custodies",
    "restrictions",
)
"""The tables of the case side, which a dataset may hold as Arrow tables."""

ID_COLUMNS: Mapping[str, str] = {
    "districts": "code",
    "teams": "team_id",
    "members": "member_id",
    "requests": "request_id",
    "assignments": "assignment_id",
    "reports": "report_id",
    "investigations": "investigation_id",
    "placements": "placement_id",
    "custodies": "custody_id",
    "restrictions": "restriction_id",
}
"""The tables whose rows have their own id, and the id's column."""


class UnknownRecordError(SocforstError, LookupError):
    """A dataset has no record with this id in this table (or no such table).

    The message does not show the id (an id may be a name or other personal
    data), only a description of it (:func:`socforst.errors.shown`).

    Attributes:
        table: The table looked in.
        record_id: The id looked for; ``None`` when the table itself is unknown.
    """

    def __init__(self, table: str, record_id: str | None) -> None:
        self.table = table
        self.record_id = record_id
        where = repr(table) if table in TABLES else shown(table)
        if record_id is None:
            message = f"no table {where}; the tables are: {', '.join(TABLES)}"
        else:
            message = f"table {where} has no record with the id asked for: {shown(record_id)}"
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0])


class MissingColumnWarning(UserWarning):
    """A case table has no column for the completion of a duty, so its deadlines are left out.

    A column that is absent is unknown, not "not done": without
    ``protection_assessed_at`` nobody can tell whether a report's protection
    assessment was made. The warning names the table, the column and how
    many deadlines were left out; it is given once per table and column in
    each evaluation.

    Attributes:
        table: The case table (``reports``).
        column: The absent column (``protection_assessed_at``).
        left_out: How many deadlines were left out for its absence.
        table_absent: Whether the whole table was absent (``reviews``, whose
            rows are the completions of the placements' reviews).
    """

    def __init__(
        self, table: str, column: str, left_out: int, *, table_absent: bool = False
    ) -> None:
        self.table = table
        self.column = column
        self.left_out = left_out
        self.table_absent = table_absent
        noun = "deadline was" if left_out == 1 else "deadlines were"
        what = (
            f"the source has no table {table!r} (so no column {column!r})"
            if table_absent
            else f"table {table!r} has no column {column!r}"
        )
        super().__init__(
            f"{what}, so {left_out} {noun} left out: a column that is absent is "
            "unknown, not 'not done'"
        )


class ArrowRecords(Sequence[Any]):
    """The records of a case table kept as an Apache Arrow table, built on first use.

    What :meth:`Dataset.from_arrow` puts in a case table's field: it has the
    table's length at once, and builds the records (without their validators,
    :func:`socforst.arrow.from_arrow`) only when some code iterates, indexes
    or compares them. :meth:`Dataset.arrow` gives the table without building
    anything. It equals the tuple of its records.
    """

    __slots__ = ("_records", "name", "table")

    def __init__(self, name: str, table: Any) -> None:
        self.name = name
        self.table = table
        self._records: tuple[Any, ...] | None = None

    @property
    def records(self) -> tuple[Any, ...]:
        """The records, built once."""
        if self._records is None:
            from socforst.arrow import from_arrow

            self._records = from_arrow(self.name, self.table)
        return self._records

    def __len__(self) -> int:
        return int(self.table.num_rows)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.records)

    def __getitem__(self, index: Any) -> Any:
        return self.records[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ArrowRecords):
            return self.records == other.records
        if isinstance(other, tuple):
            return self.records == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.records)

    def __repr__(self) -> str:
        return f"ArrowRecords({self.name}: {len(self)} rows)"


def _as_tuple(values: Iterable[Any]) -> tuple[Any, ...]:
    if isinstance(values, ArrowRecords):
        return values  # type: ignore[return-value]  # a lazy tuple: built on first use
    return tuple(values)


def _as_columns(value: Any) -> Mapping[str, frozenset[str]]:
    # Typed Any: a source builds a dataset from a dict of tables and this mapping alike.
    if not isinstance(value, Mapping):
        raise ValidationError(
            "columns", f"must map table names to column names, got {type(value).__name__}"
        )
    columns: dict[str, frozenset[str]] = {}
    for table, names in value.items():
        if table not in TABLES:
            raise ValidationError("columns", f"names no table of the data formats: {shown(table)}")
        if isinstance(names, str):
            raise ValidationError("columns", f"must give a set of column names for {table!r}")
        columns[table] = frozenset(names)
    return types.MappingProxyType(columns)


def _holds(kind: type) -> Any:
    def check(_instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
        if isinstance(value, ArrowRecords):
            if value.name != attribute.name:
                raise TypeError(f"{attribute.name!r} was given the Arrow table of {value.name!r}")
            return  # validated on columns by whoever made it
        for record in value:
            if not isinstance(record, kind):
                raise TypeError(
                    f"{attribute.name!r} holds {kind.__name__} records, got {type(record).__name__}"
                )

    return check


@attrs.frozen(kw_only=True)
class Dataset:
    """All records of one city, one tuple per table; every table may be empty.

    Args:
        districts: Districts that add to or override the built-in registry.
        teams: The reinforcement teams.
        members: The teams' members.
        absences: The members' absences.
        requests: The districts' requests for help.
        assignments: The assignments that answer them.
        staffing: Districts' staffing snapshots.
        costs: The team's yearly costs and the consultant rate.
        reports: Reports of concern about children.
        investigations: Child investigations.
        extensions: Extensions of investigations.
        placements: Placements outside the home.
        reviews: Reviews of placements.
        custodies: Immediate custody decisions under LVU.
        restrictions: Restrictions of contact or whereabouts under LVU 14 §.
        columns: Per case table read from a source, the columns the source had
            (its header). Empty (the default, as for records built in Python)
            means every column is known. When it is given, a table it does not
            name was absent from the source, with all its columns. Deadlines
            whose completion column is absent are left out of the evaluation
            (see :data:`socforst.rules.book.COMPLETION_COLUMNS`). It is not part
            of equality: two datasets with the same records are equal.

    Example:
        >>> import datetime as dt
        >>> from socforst import Dataset, TeamMember
        >>> data = Dataset(members=[TeamMember(member_id="m1", team_id="t1",
        ...                                    employed_from=dt.date(2016, 1, 4))])
        >>> data.get("members", "m1").employed_from
        datetime.date(2016, 1, 4)
        >>> data.counts()["members"]
        1
    """

    districts: tuple[District, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_holds(District)
    )
    teams: tuple[Team, ...] = attrs.field(default=(), converter=_as_tuple, validator=_holds(Team))
    members: tuple[TeamMember, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_holds(TeamMember)
    )
    absences: tuple[Absence, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_holds(Absence)
    )
    requests: tuple[Request, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_holds(Request)
    )
    assignments: tuple[Assignment, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_holds(Assignment)
    )
    staffing: tuple[Staffing, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_holds(Staffing)
    )
    costs: tuple[YearlyCost, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_holds(YearlyCost)
    )
    reports: tuple[Report, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_holds(Report)
    )
    investigations: tuple[Investigation, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_holds(Investigation)
    )
    extensions: tuple[Extension, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_holds(Extension)
    )
    placements: tuple[Placement, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_holds(Placement)
    )
    reviews: tuple[Review, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_holds(Review)
    )
    custodies: tuple[Custody, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_holds(Custody)
    )
    restrictions: tuple[Restriction, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_holds(Restriction)
    )
    columns: Mapping[str, frozenset[str]] = attrs.field(
        factory=dict, converter=_as_columns, eq=False, repr=False
    )
    _index: dict[str, dict[str, Any]] = attrs.field(factory=dict, init=False, repr=False, eq=False)

    def __repr__(self) -> str:
        counts = ", ".join(f"{table}={count}" for table, count in self.counts().items() if count)
        return f"Dataset({counts})"

    @classmethod
    def from_arrow(
        cls,
        tables: Mapping[str, Any],
        *,
        columns: Mapping[str, Iterable[str]] | None = None,
        **records: Any,
    ) -> Dataset:
        """A dataset whose case tables are Apache Arrow tables, built into records on first use.

        *tables* maps case tables (``reports``, ``investigations``, ...) to
        Arrow tables in :func:`socforst.arrow.table_schema` (an optional
        column may be absent). Their values must be valid already: a source
        that validated them on columns makes a dataset here, and
        :meth:`RuleBook.evaluate_table <socforst.rules.book.RuleBook.evaluate_table>`
        reads the tables without building a record. The other tables are
        given as records (``members=...``), as to the class.

        Raises:
            UnknownRecordError: If *tables* names a table that is not a case table.

        Example:
            >>> import datetime as dt
            >>> import socforst
            >>> from socforst.arrow import to_arrow
            >>> report = socforst.Report(report_id="r1", district="farsta",
            ...                          received_at=dt.datetime(2025, 3, 3, 10))
            >>> data = socforst.Dataset.from_arrow({"reports": to_arrow("reports", [report])})
            >>> data.arrow("reports").num_rows, data.reports[0] == report
            (1, True)
        """
        fields: dict[str, Any] = dict(records)
        for name, table in tables.items():
            if name not in CASE_TABLES:
                raise UnknownRecordError(name, None)
            fields[name] = ArrowRecords(name, table)
        if columns is not None:
            fields["columns"] = columns
        return cls(**fields)

    def arrow(self, name: str) -> Any:
        """The table *name* as an Apache Arrow table (:func:`socforst.arrow.table_schema`).

        The table itself for a case table given as Arrow; otherwise built from
        the records.

        Raises:
            UnknownRecordError: If there is no such table.
        """
        records = self.table(name)
        if isinstance(records, ArrowRecords):
            return records.table
        from socforst.arrow import to_arrow

        return to_arrow(name, records)

    def is_arrow(self, name: str) -> bool:
        """Whether the table *name* is held as an Arrow table (see :meth:`from_arrow`)."""
        return isinstance(getattr(self, name, None), ArrowRecords)

    def table(self, name: str) -> tuple[Any, ...]:
        """The records of the table *name* (``members``, ``reports``, ...).

        Raises:
            UnknownRecordError: If there is no such table.
        """
        if name not in TABLES:
            raise UnknownRecordError(name, None)
        records: tuple[Any, ...] = getattr(self, name)
        return records

    def tables(self) -> Iterator[tuple[str, tuple[Any, ...]]]:
        """Each table's name and records, in the order of :data:`TABLES`."""
        for name in TABLES:
            yield name, getattr(self, name)

    def counts(self) -> dict[str, int]:
        """The number of records in each table."""
        return {name: len(records) for name, records in self.tables()}

    def get(self, table: str, record_id: str) -> Any:
        """The record of *table* with this id (the table's id column, see :data:`ID_COLUMNS`).

        Raises:
            UnknownRecordError: If the table has no such record, or no ids.
        """
        column = ID_COLUMNS.get(table)
        if column is None:
            raise UnknownRecordError(table, record_id)
        index = self._index.get(table)
        if index is None:
            index = {getattr(record, column): record for record in self.table(table)}
            self._index[table] = index
        try:
            return index[record_id]
        except KeyError:
            raise UnknownRecordError(table, record_id) from None

    def has_column(self, table: str, column: str) -> bool:
        """Whether the source of *table* had *column* (always, for a dataset without ``columns``).

        Example:
            >>> from socforst import Dataset
            >>> data = Dataset(columns={"reports": {"report_id", "district", "received_at"}})
            >>> data.has_column("reports", "protection_assessed_at")
            False
            >>> Dataset().has_column("reports", "protection_assessed_at")
            True
        """
        if not self.columns:
            return True
        return column in self.columns.get(table, frozenset())

    @property
    def registry(self) -> DistrictRegistry:
        """Stockholm's built-in districts, with this dataset's districts added or overriding."""
        if not self.districts:
            return stockholm()
        return stockholm().updated(self.districts)

    def roster(self, policy: AssignmentPolicy | None = None) -> Roster:
        """The members, absences and assignments as a roster to check (``Roster``)."""
        return Roster(
            members=self.members,
            absences=self.absences,
            assignments=self.assignments,
            policy=policy if policy is not None else AssignmentPolicy(),
            registry=self.registry,
        )

    def case_records(self) -> Iterator[object]:
        """Every record of the case side, for ``RuleBook.evaluate``."""
        for name in ("reports", "investigations", "extensions", "placements", "reviews"):
            yield from getattr(self, name)
        yield from self.custodies
        yield from self.restrictions
