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
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
import icalendar

from socforst._atomic import atomic_write_bytes, make_folder, parse_mode, staged_writes
from socforst.assignments import Assignment
from socforst.dataset import Dataset
from socforst.districts import DistrictRegistry
from socforst.errors import ExportError, RowError, UnknownDistrictError, ValidationError
from socforst.rules.base import EvaluatedDeadline
from socforst.sources.cells import first_unencodable

__all__ = ["DEADLINES_FILE", "PRODID", "IcsExporter", "calendar_file_name"]

PRODID = "-//socforst//socforst//EN"
"""The product identifier of the calendars written (RFC 5545, 3.7.3)."""

DEADLINES_FILE = "deadlines.ics"
"""The file :meth:`IcsExporter.write_deadlines` writes; no member's calendar may take its name."""

_ONE_DAY = dt.timedelta(days=1)
# Names Windows gives to devices, with any extension: a file named so cannot be made there.
_DEVICE_NAMES = re.compile(r"(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?")
# How much of a file is read to see whether socforst wrote it: the calendar's own lines.
_HEADER_BYTES = 65536


def _check_stamp(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (not isinstance(value, dt.datetime) or value.tzinfo is None):
        raise ValidationError(
            attribute.name, f"must be an aware datetime or None, got {type(value).__name__}"
        )


def calendar_file_name(member_id: str) -> str:
    """The file of a member's calendar, ``<member_id>.ics``, if the id makes a safe name.

    Ids are 1-64 characters from ``A-Z a-z 0-9 . _ -``; of those, the ones that
    would make an odd file are refused rather than renamed, so that a
    subscription's address stays the member's id:

    - an id starting with ``.`` (``.``, ``..``, ``.x``): a hidden file, or
      ``...ics`` next to the folder's own ``.`` and ``..``;
    - ``deadlines``: the file of :meth:`IcsExporter.write_deadlines`;
    - a device name of Windows (``con``, ``nul``, ``com1``, ...), which cannot
      be a file there.

    Raises:
        ValueError: Saying why the id cannot name a file.

    Example:
        >>> from socforst.sources.ics import calendar_file_name
        >>> calendar_file_name("m1")
        'm1.ics'
    """
    if member_id.startswith("."):
        raise ValueError(
            "cannot name a calendar file: an id starting with '.' would make a hidden file"
        )
    if member_id.lower() == DEADLINES_FILE.removesuffix(".ics"):
        raise ValueError(f"cannot name a calendar file: {DEADLINES_FILE} holds the deadlines")
    if _DEVICE_NAMES.fullmatch(member_id):
        raise ValueError("cannot name a calendar file: it is a device name on Windows")
    return f"{member_id}.ics"


@attrs.frozen
class IcsExporter:
    """Write each member's assignments as an iCalendar file in a folder: all files, or none.

    An assignment from 2025-03-03 to 2025-03-23 becomes an all-day event with
    ``DTSTART;VALUE=DATE:20250303`` and ``DTEND;VALUE=DATE:20250324``: in
    RFC 5545 (3.6.1) the end of an event is exclusive, while an assignment's
    ``end`` is its last day. An assignment ending on 9999-12-31, whose next
    day no date can hold, gets ``DURATION:P<days>D`` instead of ``DTEND``
    (RFC 5545, 3.8.2.5). Each event's ``UID`` is ``<assignment_id>@socforst``,
    so a calendar that subscribes to the file updates the event instead of
    adding a copy.

    Every member of the dataset gets a file, an empty calendar if they have no
    assignment, so that an assignment cancelled since the last export
    disappears from the calendars that subscribe. The calendar of a member no
    longer in the dataset is removed: a ``*.ics`` file of the folder that
    socforst wrote as a member's calendar (its ``PRODID`` is :data:`PRODID` and
    its ``X-WR-CALNAME`` is ``socforst <file name>``); any other file is left
    alone. All files are written aside and put in place (or removed) together,
    or none is (:func:`socforst._atomic.staged_writes`). Assignments of members
    the dataset does not have are not written.

    Args:
        path: The folder; it is created (``0700``) if missing.
        stamped_at: The ``DTSTAMP`` of every event (an aware datetime); the
            time of writing if ``None``. Fix it to write identical files
            from identical data.
        mode: The permissions of every file written (``0o640`` or ``"640"``);
            a new file is ``0600`` and a replaced one keeps its own if ``None``.

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
    mode: int | None = attrs.field(default=None, converter=parse_mode, kw_only=True)

    def write_dataset(self, dataset: Dataset) -> None:
        """Write ``<member_id>.ics`` for every member, and remove the calendars of former members.

        Raises:
            ExportError: Naming the table, row and column of every member id
                that cannot name a file (see :func:`calendar_file_name`) and
                every text that cannot be written; nothing is written.
            WriteError: If a file cannot be written or put in place; no file
                is changed.
        """
        registry = dataset.registry
        stamp = self._stamp()
        problems: list[RowError] = []
        names = self._file_names(dataset, problems)
        by_member: dict[str, list[tuple[int, Assignment]]] = defaultdict(list)
        for row, assignment in enumerate(dataset.assignments, start=1):
            if assignment.takes_capacity:
                by_member[assignment.member_id].append((row, assignment))
        calendars: list[tuple[str, icalendar.Calendar]] = []
        for member in dataset.members:
            calendar = _calendar(f"socforst {member.member_id}")
            assigned = sorted(
                by_member[member.member_id], key=lambda p: (p[1].start, p[1].assignment_id)
            )
            for row, assignment in assigned:
                texts = {
                    "task": assignment.task or "",
                    "district": _district_name(registry, assignment.district),
                }
                problems += _unwritable(self._where("assignments"), "assignments", row, texts)
                calendar.add_component(_assignment_event(assignment, registry, stamp))
            if member.member_id in names:
                calendars.append((names[member.member_id], calendar))
        if problems:
            raise _refused(self.path, problems)
        make_folder(self.path, mode=self.mode)
        former = self._former_calendars(set(names.values()))
        with staged_writes(mode=self.mode) as staged:
            for name, calendar in calendars:
                with staged.open_bytes(self.path / name) as handle:
                    # to_ical() folds lines and ends them with CRLF (RFC 5545, 3.1).
                    handle.write(calendar.to_ical())
            for name in former:
                staged.remove(self.path / name)

    def write_deadlines(self, deadlines: Iterable[EvaluatedDeadline]) -> None:
        """Write ``deadlines.ics``: one all-day event on the due date of each deadline.

        Each event's summary names the kind, the subject and the status, and its
        ``UID`` is made of the kind, the subject and the day the deadline starts,
        so it stays the same from one export to the next.

        Raises:
            ExportError: For a text that cannot be written; nothing is written.
            WriteError: If the file cannot be written.
        """
        stamp = self._stamp()
        calendar = _calendar("socforst deadlines")
        problems: list[RowError] = []
        for row, deadline in enumerate(deadlines, start=1):
            texts = {
                column: str(getattr(deadline, column))
                for column in ("kind", "subject_id", "district", "reference")
            }
            problems += _unwritable(self._where("deadlines"), "deadlines", row, texts)
            calendar.add_component(_deadline_event(deadline, stamp))
        if problems:
            raise _refused(self.path / DEADLINES_FILE, problems)
        make_folder(self.path, mode=self.mode)
        with atomic_write_bytes(self.path / DEADLINES_FILE, mode=self.mode) as handle:
            handle.write(calendar.to_ical())

    def _stamp(self) -> dt.datetime:
        stamp = self.stamped_at or dt.datetime.now(dt.UTC)
        return stamp.astimezone(dt.UTC).replace(microsecond=0)

    def _where(self, table: str) -> str:
        return str(self.path / (DEADLINES_FILE if table == "deadlines" else "*.ics"))

    def _file_names(self, dataset: Dataset, problems: list[RowError]) -> dict[str, str]:
        """Each member's calendar file; the ids that cannot name one go to *problems*."""
        names: dict[str, str] = {}
        rows_by_folded: dict[str, int] = {}
        for row, member in enumerate(dataset.members, start=1):
            try:
                name = calendar_file_name(member.member_id)
            except ValueError as error:
                problems.append(
                    RowError(self._where("members"), "members", row, "member_id", str(error))
                )
                continue
            # Windows and macOS ignore case in file names: M1.ics and m1.ics are one file.
            folded = name.casefold()
            if folded in rows_by_folded:
                problems.append(
                    RowError(
                        self._where("members"),
                        "members",
                        row,
                        "member_id",
                        "cannot name a calendar file: it differs only in case from the id "
                        f"of row {rows_by_folded[folded]}, and many file systems ignore case",
                    )
                )
                continue
            rows_by_folded[folded] = row
            names[member.member_id] = name
        return names

    def _former_calendars(self, current: set[str]) -> list[str]:
        """The member calendars socforst wrote into the folder for members no longer there."""
        former = []
        try:
            with os.scandir(self.path) as entries:
                found = sorted(
                    entry.name
                    for entry in entries
                    if entry.name.endswith(".ics") and entry.is_file(follow_symlinks=False)
                )
        except OSError:
            return []
        for name in found:
            if name not in current and name != DEADLINES_FILE and _written_by_us(self.path / name):
                former.append(name)
        return former


def _written_by_us(file: Path) -> bool:
    """Whether *file* is a member's calendar that socforst wrote (by its PRODID and name)."""
    try:
        with open(file, "rb") as handle:
            head = handle.read(_HEADER_BYTES)
    except OSError:
        return False
    text = head.decode("utf-8", errors="replace")
    text = re.sub(r"\r?\n[ \t]", "", text)  # unfold lines (RFC 5545, 3.1)
    text = text.split("BEGIN:VEVENT", 1)[0]
    lines = set(text.splitlines())
    stem = file.name.removesuffix(".ics")
    return f"PRODID:{PRODID}" in lines and f"X-WR-CALNAME:socforst {stem}" in lines


def _unwritable(where: str, table: str, row: int, texts: dict[str, str]) -> list[RowError]:
    """An error for each of *texts* (by column) that UTF-8 cannot hold: a lone surrogate."""
    problems = []
    for column, text in texts.items():
        position = first_unencodable(text, "utf-8")
        if position is not None:
            what = "its district's name holds" if column == "district" else "holds"
            problems.append(
                RowError(
                    where,
                    table,
                    row,
                    column,
                    f"{what} a character (U+{ord(text[position]):04X}, character "
                    f"{position + 1}) that UTF-8 cannot encode",
                )
            )
    return problems


def _refused(target: Path, problems: Sequence[RowError]) -> ExportError:
    return ExportError(
        f"cannot write {target}: {_count(len(problems), 'problem')}; nothing was written",
        problems,
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


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


def _all_day(event: icalendar.Event, first: dt.date, last: dt.date) -> None:
    """Make *event* last the days *first* to *last*, both included."""
    event.add("dtstart", first)
    if last < dt.date.max:
        # DTEND is exclusive (RFC 5545, 3.6.1): the day after the last day.
        event.add("dtend", last + _ONE_DAY)
    else:
        # No date follows 9999-12-31: a duration says the same (RFC 5545, 3.8.2.5).
        event.add("duration", (last - first) + _ONE_DAY)


def _assignment_event(
    assignment: Assignment, registry: DistrictRegistry, stamp: dt.datetime
) -> icalendar.Event:
    district = _district_name(registry, assignment.district)
    summary = district if assignment.task is None else f"{district}: {assignment.task}"
    event = icalendar.Event()
    event.add("uid", f"{assignment.assignment_id}@socforst")
    event.add("dtstamp", stamp)
    _all_day(event, assignment.start, assignment.end)
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
    _all_day(event, deadline.due_on, deadline.due_on)
    event.add("summary", f"{deadline.kind} {deadline.subject_id}: {deadline.status}")
    event.add(
        "description",
        f"District {deadline.district}; from {deadline.starts_on.isoformat()}; "
        f"{deadline.reference}",
    )
    # A due date is a reminder, not time taken.
    event.add("transp", "TRANSPARENT")
    return event
