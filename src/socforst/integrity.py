"""What no single row shows: broken references between tables and impossible orders of dates.

A row can be well formed and still be wrong with the rest of its dataset: an
assignment of a member who is not in the members table, an extension of an
investigation that does not exist, a preassessment decided before the report
came in, two staffing rows for one district and day. Such rows do not fail on
their own; they skew every answer built on them. :func:`problems` finds all of
them at once, as :class:`~socforst.errors.RowError` s, so that a load reports
them together with the other bad rows.

References are checked only against tables that hold rows. Every file of a
dataset is optional: a dataset with assignments but no members file cannot say
which members exist, so its assignments' members are not checked. A table with
no rows (a file with a header only) is treated the same way: socforst's own
exports write every table, an empty one as a header, so that no stale file is
left behind, and an extract exported from a dataset without members must read
back. Once a table has rows, it is the whole table: a reference to a record it
does not hold is an error.

Messages never show an id or a name: they say which column holds the broken
reference ("names a member that is not in the members table") and leave the
user to look at the row. Dates and numbers are shown (through
:func:`socforst.errors.shown`): they cannot identify a person.

The orders checked here involve two fields that the record types do not check
on their own, or two records. Orders within one record that the record type
already refuses (an investigation closed before it was opened, a placement
ended before it started, an absence that ends before it starts) never reach
this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from socforst.districts import DistrictRegistry
from socforst.errors import RowError, shown

__all__ = ["REFERENCES", "Reference", "problems"]


@attrs.frozen
class Reference:
    """A column of one table that names a record of another.

    Args:
        table: The table that holds the column (``assignments``).
        column: The column (``member_id``).
        target: The table named (``members``).
        target_column: The target table's id column (``member_id``).
        noun: What a record of the target table is called in a message (``member``).
    """

    table: str
    column: str
    target: str
    target_column: str
    noun: str


REFERENCES: tuple[Reference, ...] = (
    Reference("members", "team_id", "teams", "team_id", "team"),
    Reference("absences", "member_id", "members", "member_id", "member"),
    Reference("assignments", "member_id", "members", "member_id", "member"),
    Reference("assignments", "request_id", "requests", "request_id", "request"),
    Reference("reports", "member_id", "members", "member_id", "member"),
    Reference("investigations", "report_id", "reports", "report_id", "report"),
    Reference("investigations", "member_id", "members", "member_id", "member"),
    Reference(
        "extensions", "investigation_id", "investigations", "investigation_id", "investigation"
    ),
    Reference("reviews", "placement_id", "placements", "placement_id", "placement"),
    Reference("restrictions", "placement_id", "placements", "placement_id", "placement"),
)
"""Every reference between tables that a load checks; an empty cell refers to nothing."""

# The custody's later events, each of which cannot come before the decision itself
# (LVU 6 §: the decision comes first; 7 § submission, 8 § application, 11 § enforcement follow).
_CUSTODY_EVENTS = (
    "enforced_on",
    "submitted_to_court_on",
    "court_decided_on",
    "care_applied_on",
    "court_extension_decided_on",
    "court_extension_until",
    "ended_on",
)

_MAX_TURNOVER = 1.0
"""Turnover is a fraction per year: above 1.0 (100 % a year) is a percentage written as is."""


@attrs.define
class _Places:
    """Where each record of each table came from: the source and the row as the user sees it.

    Mutable: it only collects the errors of one call.
    """

    places: Mapping[str, tuple[str, Sequence[int]]]
    found: list[RowError] = attrs.field(factory=list)

    def error(self, table: str, index: int, column: str | None, reason: str) -> None:
        place = self.places.get(table)
        if place is None:
            self.found.append(RowError(table, table, None, column, reason))
            return
        source, rows = place
        row = rows[index] if index < len(rows) else None
        self.found.append(RowError(source, table, row, column, reason))


def problems(
    tables: Mapping[str, Sequence[Any]],
    places: Mapping[str, tuple[str, Sequence[int]]],
    registry: DistrictRegistry | None = None,
) -> list[RowError]:
    """Every broken reference and impossible order of dates across the tables of one load.

    Args:
        tables: Each table the load had (a name of :data:`socforst.dataset.TABLES`)
            and its records. A table that is not a key was not in the source:
            references to it are not checked. A key with no records is an
            empty table: every reference to it is broken.
        places: Per table, the source it came from (a file, a database) and
            the row number of each record as the user sees it, in the order of
            the records. A table not in *places* is named as its own source,
            without row numbers.
        registry: If given, every ``district`` of every record must be one of
            its codes (a load checks this row by row already; records built in
            Python have not been).

    Returns:
        The problems, one :class:`~socforst.errors.RowError` each, table by
        table in the order of :data:`~socforst.dataset.TABLES` and row by row
        within a table; empty if there are none.

    Example:
        >>> import datetime as dt
        >>> from socforst import Absence, TeamMember
        >>> from socforst.integrity import problems
        >>> anna = TeamMember(member_id="m1", team_id="t1", employed_from=dt.date(2016, 1, 4))
        >>> away = Absence("m9", dt.date(2025, 3, 3), dt.date(2025, 3, 7))
        >>> for problem in problems({"members": [anna], "absences": [away]},
        ...                         {"absences": ("absences.csv", [2])}):
        ...     print(problem)
        absences.csv: absences, row 2, column 'member_id': names a member that is not \
in the members table
    """
    out = _Places(places)
    _references(tables, out)
    _report_orders(tables, out)
    _investigation_orders(tables, out)
    _extension_orders(tables, out)
    _review_orders(tables, out)
    _custody_orders(tables, out)
    _restriction_orders(tables, out)
    _request_orders(tables, out)
    _staffing(tables, out)
    _costs(tables, out)
    if registry is not None:
        _districts(tables, registry, out)
    return sorted(out.found, key=_order)


def _order(error: RowError) -> tuple[int, int]:
    # Imported late: the dataset module imports the models, as this one's callers do.
    from socforst.dataset import TABLES

    tables = list(TABLES)
    position = tables.index(error.table) if error.table in tables else len(tables)
    return (position, -1 if error.row is None else error.row)


def _ids(records: Sequence[Any], column: str) -> set[Any]:
    return {getattr(record, column) for record in records}


def _references(tables: Mapping[str, Sequence[Any]], out: _Places) -> None:
    known: dict[str, set[Any]] = {}
    for reference in REFERENCES:
        records = tables.get(reference.table)
        targets = tables.get(reference.target)
        if not records or not targets:
            # Nothing refers, or the target table was not loaded or has no rows (an
            # export writes every table): nothing to check against.
            continue
        ids = known.get(reference.target)
        if ids is None:
            ids = known[reference.target] = _ids(targets, reference.target_column)
        for index, record in enumerate(records):
            value = getattr(record, reference.column, None)
            if value is not None and value not in ids:
                out.error(
                    reference.table,
                    index,
                    reference.column,
                    f"names a {reference.noun} that is not in the {reference.target} table",
                )


def _by_id(records: Sequence[Any], column: str) -> dict[Any, Any]:
    return {getattr(record, column): record for record in records}


def _report_orders(tables: Mapping[str, Sequence[Any]], out: _Places) -> None:
    for index, report in enumerate(tables.get("reports", ())):
        received_at: dt.datetime = report.received_at
        # SoL 11 kap. 1 a § (20 kap. 1-2 §§ from 2025-07-01): both duties start when
        # the report is received; neither can be done before it. The day it counts as
        # received (FL 2017:900 22 §, post) may be earlier than its registration.
        received_on: dt.date = report.legally_received_on
        assessed = report.protection_assessed_at
        if report.counts_as_received_on is None:
            # As instants: two aware times of one zone compare by their wall clocks in
            # Python (PEP 495), which in the hour the clock goes back puts 02:15+01:00
            # (01:15Z) before 02:45+02:00 (00:45Z).
            if assessed is not None and assessed.astimezone(dt.UTC) < received_at.astimezone(
                dt.UTC
            ):
                out.error(
                    "reports",
                    index,
                    "protection_assessed_at",
                    f"({shown(assessed.isoformat())}) is before the report was received "
                    f"({shown(received_at.isoformat())})",
                )
        elif assessed is not None and assessed.date() < received_on:
            out.error(
                "reports",
                index,
                "protection_assessed_at",
                f"({shown(assessed.isoformat())}) is before the day the report counts as "
                f"received ({shown(received_on)})",
            )
        decided = report.preassessment_decided_on
        if decided is not None and decided < received_on:
            out.error(
                "reports",
                index,
                "preassessment_decided_on",
                f"({shown(decided)}) is before the day the report was received "
                f"({shown(received_on)})",
            )


def _investigation_orders(tables: Mapping[str, Sequence[Any]], out: _Places) -> None:
    reports = _by_id(tables.get("reports", ()), "report_id")
    if not reports:
        return
    for index, investigation in enumerate(tables.get("investigations", ())):
        report = reports.get(investigation.report_id)
        if report is not None and investigation.opened_on < report.legally_received_on:
            out.error(
                "investigations",
                index,
                "opened_on",
                f"({shown(investigation.opened_on)}) is before the day the report that led "
                f"to it was received ({shown(report.legally_received_on)})",
            )


def _extension_orders(tables: Mapping[str, Sequence[Any]], out: _Places) -> None:
    investigations = _by_id(tables.get("investigations", ()), "investigation_id")
    for index, extension in enumerate(tables.get("extensions", ())):
        if extension.until < extension.decided_on:
            out.error(
                "extensions",
                index,
                "until",
                f"({shown(extension.until)}) is before the day of the decision "
                f"({shown(extension.decided_on)})",
            )
        investigation = investigations.get(extension.investigation_id)
        if investigation is not None and extension.decided_on < investigation.opened_on:
            out.error(
                "extensions",
                index,
                "decided_on",
                f"({shown(extension.decided_on)}) is before the investigation was opened "
                f"({shown(investigation.opened_on)})",
            )


def _review_orders(tables: Mapping[str, Sequence[Any]], out: _Places) -> None:
    placements = _by_id(tables.get("placements", ()), "placement_id")
    for index, review in enumerate(tables.get("reviews", ())):
        placement = placements.get(review.placement_id)
        if placement is not None and review.reviewed_on < placement.started_on:
            out.error(
                "reviews",
                index,
                "reviewed_on",
                f"({shown(review.reviewed_on)}) is before the placement started "
                f"({shown(placement.started_on)})",
            )


def _restriction_orders(tables: Mapping[str, Sequence[Any]], out: _Places) -> None:
    placements = _by_id(tables.get("placements", ()), "placement_id")
    for index, restriction in enumerate(tables.get("restrictions", ())):
        placement = placements.get(restriction.placement_id)
        if placement is None:
            continue  # reported as a reference to no placement
        if not placement.basis.is_lvu:
            # LVU 14 §: the committee may restrict contact or whereabouts only in care under LVU.
            out.error(
                "restrictions",
                index,
                "placement_id",
                f"names a placement with basis {shown(placement.basis.value, code=True)}, "
                "but LVU 14 § restrictions apply to care under LVU (lvu_2, lvu_3, lvu_2_3)",
            )
        elif restriction.decided_on < placement.started_on:
            out.error(
                "restrictions",
                index,
                "decided_on",
                f"({shown(restriction.decided_on)}) is before the placement started "
                f"({shown(placement.started_on)})",
            )


def _custody_orders(tables: Mapping[str, Sequence[Any]], out: _Places) -> None:
    for index, custody in enumerate(tables.get("custodies", ())):
        for column in _CUSTODY_EVENTS:
            day = getattr(custody, column, None)
            if day is not None and day < custody.decided_on:
                out.error(
                    "custodies",
                    index,
                    column,
                    f"({shown(day)}) is before the custody decision ({shown(custody.decided_on)})",
                )


def _request_orders(tables: Mapping[str, Sequence[Any]], out: _Places) -> None:
    for index, request in enumerate(tables.get("requests", ())):
        if request.received_on > request.end:
            out.error(
                "requests",
                index,
                "received_on",
                f"({shown(request.received_on)}) is after the last day help was wanted "
                f"({shown(request.end)})",
            )


def _staffing(tables: Mapping[str, Sequence[Any]], out: _Places) -> None:
    first: dict[tuple[str, dt.date], int] = {}
    places = out.places.get("staffing")
    for index, row in enumerate(tables.get("staffing", ())):
        positions, vacancies = row.positions, row.vacancies
        if positions is not None and vacancies is not None and vacancies > positions:
            out.error(
                "staffing",
                index,
                "vacancies",
                f"({shown(vacancies)}) are more than the positions ({shown(positions)})",
            )
        if row.turnover is not None and row.turnover > _MAX_TURNOVER:
            out.error(
                "staffing",
                index,
                "turnover",
                f"({shown(row.turnover)}) is above 1, that is 100 % a year; turnover is a "
                "fraction per year (write 0.25 for 25 %)",
            )
        key = (row.district, row.on)
        if key in first:
            out.error(
                "staffing",
                index,
                "on",
                f"repeats the district and day of {_row_name(places, first[key])}",
            )
        else:
            first[key] = index


def _costs(tables: Mapping[str, Sequence[Any]], out: _Places) -> None:
    first: dict[int, int] = {}
    places = out.places.get("costs")
    for index, row in enumerate(tables.get("costs", ())):
        if row.year in first:
            out.error(
                "costs",
                index,
                "year",
                f"({shown(row.year)}) repeats the year of {_row_name(places, first[row.year])}",
            )
        else:
            first[row.year] = index


def _row_name(place: tuple[str, Sequence[int]] | None, index: int) -> str:
    if place is not None and index < len(place[1]):
        return f"row {place[1][index]}"
    return f"record {index + 1}"


def _districts(
    tables: Mapping[str, Sequence[Any]], registry: DistrictRegistry, out: _Places
) -> None:
    codes = frozenset(registry.codes)
    for table, records in tables.items():
        if table == "districts":
            continue
        for index, record in enumerate(records):
            code = getattr(record, "district", None)
            if isinstance(code, str) and code not in codes:
                out.error(table, index, "district", f"names an unknown district {shown(code)}")
