"""Assignments as iCalendar files (RFC 5545), one calendar per team member.

Each member gets ``<member_id>.ics`` with their assignments that are not
cancelled, as all-day events a calendar program can subscribe to. The files
hold ids, districts and tasks, never a member's name. Deadlines can be written
as ``deadlines.ics``, one all-day event on each due date.

Written with the icalendar package (the ``ics`` extra: ``pip install socforst[ics]``).
There is no iCalendar source: a calendar holds too little to read a dataset back.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
import icalendar

from socforst._atomic import atomic_write
from socforst.assignments import Assignment
from socforst.dataset import Dataset
from socforst.districts import DistrictRegistry
from socforst.errors import UnknownDistrictError, ValidationError
from socforst.rules.base import EvaluatedDeadline

__all__ = ["PRODID", "IcsExporter"]

PRODID = "-//socforst//socforst//EN"
"""The product identifier of the calendars written (RFC 5545, 3.7.3)."""

_ONE_DAY = dt.timedelta(days=1)


def _check_stamp(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (not isinstance(value, dt.datetime) or value.tzinfo is None):
        raise ValidationError(attribute.name, f"must be an aware datetime or None, got {value!r}")


@attrs.frozen
class IcsExporter:
    """Write each member's assignments as an iCalendar file in a folder, each file atomically.

    An assignment from 2025-03-03 to 2025-03-23 becomes an all-day event with
    ``DTSTART;VALUE=DATE:20250303`` and ``DTEND;VALUE=DATE:20250324``: in
    RFC 5545 (3.6.1) the end of an event is exclusive, while an assignment's
    ``end`` is its last day. Each event's ``UID`` is ``<assignment_id>@socforst``,
    so a calendar that subscribes to the file updates the event instead of
    adding a copy.

    Every member of the dataset gets a file, an empty calendar if they have no
    assignment, so that an assignment cancelled since the last export
    disappears from the calendars that subscribe. Assignments of members the
    dataset does not have are not written.

    Args:
        path: The folder; it is created if missing.
        stamped_at: The ``DTSTAMP`` of every event (an aware datetime); the
            time of writing if ``None``. Fix it to write identical files
            from identical data.

    Raises:
        ValidationError: If *stamped_at* is not an aware datetime.

    Example:
        >>> import socforst
        >>> exporter = socforst.open_exporter("ics:calendars")
        >>> exporter.path.name
        'calendars'
    """

    path: Path = attrs.field(converter=Path)
    stamped_at: dt.datetime | None = attrs.field(default=None, validator=_check_stamp)

    def write_dataset(self, dataset: Dataset) -> None:
        """Write ``<member_id>.ics`` for every member, with their assignments not cancelled."""
        registry = dataset.registry
        stamp = self._stamp()
        by_member: dict[str, list[Assignment]] = defaultdict(list)
        for assignment in dataset.assignments:
            if assignment.takes_capacity:
                by_member[assignment.member_id].append(assignment)
        self.path.mkdir(parents=True, exist_ok=True)
        for member in dataset.members:
            calendar = _calendar(f"socforst {member.member_id}")
            assigned = sorted(by_member[member.member_id], key=lambda a: (a.start, a.assignment_id))
            for assignment in assigned:
                calendar.add_component(_assignment_event(assignment, registry, stamp))
            self._write(f"{member.member_id}.ics", calendar)

    def write_deadlines(self, deadlines: Iterable[EvaluatedDeadline]) -> None:
        """Write ``deadlines.ics``: one all-day event on the due date of each deadline.

        Each event's summary names the kind, the subject and the status, and its
        ``UID`` is made of the kind, the subject and the day the deadline starts,
        so it stays the same from one export to the next.
        """
        stamp = self._stamp()
        calendar = _calendar("socforst deadlines")
        for deadline in deadlines:
            calendar.add_component(_deadline_event(deadline, stamp))
        self.path.mkdir(parents=True, exist_ok=True)
        self._write("deadlines.ics", calendar)

    def _stamp(self) -> dt.datetime:
        stamp = self.stamped_at or dt.datetime.now(dt.UTC)
        return stamp.astimezone(dt.UTC).replace(microsecond=0)

    def _write(self, name: str, calendar: icalendar.Calendar) -> None:
        # to_ical() folds lines and ends them with CRLF (RFC 5545, 3.1): write them as they are.
        with atomic_write(self.path / name, encoding="utf-8", newline="") as handle:
            handle.write(calendar.to_ical().decode("utf-8"))


def _calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _district_name(registry: DistrictRegistry, code: str) -> str:
    try:
        return registry.get(code).name
    except UnknownDistrictError:
        return code  # a roster check reports the unknown code; the calendar shows it as is


def _assignment_event(
    assignment: Assignment, registry: DistrictRegistry, stamp: dt.datetime
) -> icalendar.Event:
    district = _district_name(registry, assignment.district)
    summary = district if assignment.task is None else f"{district}: {assignment.task}"
    event = icalendar.Event()
    event.add("uid", f"{assignment.assignment_id}@socforst")
    event.add("dtstamp", stamp)
    event.add("dtstart", assignment.start)
    # DTEND is exclusive (RFC 5545, 3.6.1): the day after the assignment's last day.
    event.add("dtend", assignment.end + _ONE_DAY)
    event.add("summary", summary)
    event.add(
        "description",
        f"Assignment {assignment.assignment_id}, district {assignment.district}, "
        f"extent {assignment.extent:g}, {assignment.status.value}",
    )
    return event


def _deadline_event(deadline: EvaluatedDeadline, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add(
        "uid", f"{deadline.kind}.{deadline.subject_id}.{deadline.starts_on.isoformat()}@socforst"
    )
    event.add("dtstamp", stamp)
    event.add("dtstart", deadline.due_on)
    event.add("dtend", deadline.due_on + _ONE_DAY)
    event.add("summary", f"{deadline.kind} {deadline.subject_id}: {deadline.status}")
    event.add(
        "description",
        f"District {deadline.district}; from {deadline.starts_on.isoformat()}; "
        f"{deadline.reference}",
    )
    # A due date is a reminder, not time taken.
    event.add("transp", "TRANSPARENT")
    return event
