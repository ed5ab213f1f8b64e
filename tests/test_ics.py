"""The iCalendar exporter: one calendar of assignments per member (RFC 5545)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import icalendar
import pytest

import socforst
from socforst import (
    Assignment,
    AssignmentStatus,
    Dataset,
    DeadlineStatus,
    EvaluatedDeadline,
    TeamMember,
)
from socforst.sources.ics import PRODID, IcsExporter

STAMP = dt.datetime(2025, 2, 1, 12, 0, tzinfo=dt.UTC)


def member(member_id: str, name: str) -> TeamMember:
    return TeamMember(
        member_id=member_id, team_id="t1", name=name, employed_from=dt.date(2016, 1, 4)
    )


def dataset() -> Dataset:
    """Anna has two live assignments and a cancelled one; Bo has one; Cecilia none."""
    return Dataset(
        members=[
            member("m1", "Anna Andersson"),
            member("m2", "Bo Berg"),
            member("m3", "Cecilia Carlsson"),
        ],
        assignments=[
            Assignment(
                assignment_id="a1",
                member_id="m1",
                district="farsta",
                start=dt.date(2025, 3, 3),
                end=dt.date(2025, 3, 23),
                task="investigation",
                status=AssignmentStatus.AGREED,
            ),
            Assignment(
                assignment_id="a2",
                member_id="m1",
                district="farsta",
                start=dt.date(2025, 4, 1),
                end=dt.date(2025, 4, 30),
                status=AssignmentStatus.CANCELLED,
            ),
            Assignment(
                assignment_id="a3",
                member_id="m1",
                district="hagersten-alvsjo",
                start=dt.date(2025, 12, 1),
                end=dt.date(2025, 12, 31),
                extent=0.5,
            ),
            Assignment(
                assignment_id="a4",
                member_id="m2",
                district="socialjouren",
                start=dt.date(2024, 2, 29),
                end=dt.date(2024, 2, 29),
                task="preassessment",
            ),
        ],
    )


def events(path: Path) -> dict[str, icalendar.Component]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def when(event: icalendar.Component, name: str) -> dt.date:
    """The decoded value of a date or date-time property."""
    value = event.decoded(name)
    assert isinstance(value, dt.date)
    return value


def test_an_assignment_is_an_all_day_event_ending_the_day_after_its_last_day(
    tmp_path: Path,
) -> None:
    """2025-03-03..2025-03-23 gives DTSTART 20250303 and DTEND 20250324, both VALUE=DATE."""
    IcsExporter(tmp_path, stamped_at=STAMP).write_dataset(dataset())

    raw = (tmp_path / "m1.ics").read_bytes()
    event = events(tmp_path / "m1.ics")["a1@socforst"]

    assert dt.date(2025, 3, 3) == when(event, "DTSTART")
    assert dt.date(2025, 3, 24) == when(event, "DTEND")
    assert b"DTSTART;VALUE=DATE:20250303\r\n" in raw
    assert b"DTEND;VALUE=DATE:20250324\r\n" in raw
    assert "Farsta: investigation" == str(event["SUMMARY"])
    assert STAMP == when(event, "DTSTAMP")


def test_one_day_assignments_and_year_ends_are_counted_by_hand(tmp_path: Path) -> None:
    """A leap day ends on 1 March; a December assignment ends on 1 January next year."""
    IcsExporter(tmp_path, stamped_at=STAMP).write_dataset(dataset())

    leap_day = events(tmp_path / "m2.ics")["a4@socforst"]
    december = events(tmp_path / "m1.ics")["a3@socforst"]

    assert (dt.date(2024, 2, 29), dt.date(2024, 3, 1)) == (
        when(leap_day, "DTSTART"),
        when(leap_day, "DTEND"),
    )
    assert "Socialjouren: preassessment" == str(leap_day["SUMMARY"])
    assert (dt.date(2025, 12, 1), dt.date(2026, 1, 1)) == (
        when(december, "DTSTART"),
        when(december, "DTEND"),
    )
    assert "Hägersten-Älvsjö" == str(december["SUMMARY"])


def test_each_member_has_one_calendar_without_cancelled_assignments(tmp_path: Path) -> None:
    """One file per member, an empty calendar for a member without assignments."""
    IcsExporter(tmp_path, stamped_at=STAMP).write_dataset(dataset())

    assert ["m1.ics", "m2.ics", "m3.ics"] == sorted(os.listdir(tmp_path))
    assert {"a1@socforst", "a3@socforst"} == set(events(tmp_path / "m1.ics"))
    assert {"a4@socforst"} == set(events(tmp_path / "m2.ics"))
    assert {} == events(tmp_path / "m3.ics")


def test_the_calendars_declare_version_and_product(tmp_path: Path) -> None:
    """VERSION 2.0 and PRODID are required properties of a calendar (RFC 5545, 3.6)."""
    IcsExporter(tmp_path, stamped_at=STAMP).write_dataset(dataset())

    for name in ("m1.ics", "m3.ics"):
        calendar = icalendar.Calendar.from_ical((tmp_path / name).read_bytes())
        assert ("2.0", PRODID) == (str(calendar["VERSION"]), str(calendar["PRODID"]))


def test_no_calendar_holds_a_members_name(tmp_path: Path) -> None:
    """Names are personal data: not in any file, in any part of it."""
    IcsExporter(tmp_path).write_dataset(dataset())

    for path in tmp_path.iterdir():
        raw = path.read_bytes()
        for name in (b"Anna", b"Andersson", b"Bo Berg", b"Cecilia", b"Carlsson"):
            assert name not in raw


def test_uids_are_stable_and_identical_data_gives_identical_files(tmp_path: Path) -> None:
    """Two exports give the same UIDs; with a fixed DTSTAMP the same bytes."""
    first, second, later = tmp_path / "first", tmp_path / "second", tmp_path / "later"
    IcsExporter(first, stamped_at=STAMP).write_dataset(dataset())
    IcsExporter(second, stamped_at=STAMP).write_dataset(dataset())
    IcsExporter(later).write_dataset(dataset())

    for name in ("m1.ics", "m2.ics", "m3.ics"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
        assert set(events(first / name)) == set(events(later / name))


def test_deadlines_are_all_day_events_on_their_due_dates(tmp_path: Path) -> None:
    """A preassessment due 2025-03-17 is an event on that day naming kind, subject and status."""
    deadline = EvaluatedDeadline(
        kind="preassessment",
        subject_id="r1",
        district="farsta",
        starts_on=dt.date(2025, 3, 3),
        due_on=dt.date(2025, 3, 17),
        met_on=None,
        status=DeadlineStatus.OVERDUE,
        reference="SoL (2001:453) 11 kap. 1 a §",
    )
    IcsExporter(tmp_path, stamped_at=STAMP).write_deadlines([deadline])

    [event] = events(tmp_path / "deadlines.ics").values()
    assert dt.date(2025, 3, 17) == when(event, "DTSTART")
    assert dt.date(2025, 3, 18) == when(event, "DTEND")
    assert "preassessment r1: overdue" == str(event["SUMMARY"])
    assert "preassessment.r1.2025-03-03@socforst" == str(event["UID"])


def test_a_failed_write_leaves_the_old_calendar_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write failing after its bytes are written leaves the old file and no temporary file."""
    IcsExporter(tmp_path, stamped_at=STAMP).write_dataset(dataset())
    before = (tmp_path / "m1.ics").read_bytes()

    def fail(_descriptor: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError, match="disk full"):
        IcsExporter(tmp_path).write_dataset(Dataset(members=[member("m1", "Anna")]))

    assert before == (tmp_path / "m1.ics").read_bytes()
    assert ["m1.ics", "m2.ics", "m3.ics"] == sorted(os.listdir(tmp_path))


def test_the_exporter_is_found_by_name(tmp_path: Path) -> None:
    """``ics:FOLDER`` names the exporter through the entry points."""
    exporter = socforst.open_exporter(f"ics:{tmp_path / 'calendars'}")

    assert isinstance(exporter, IcsExporter)
    exporter.write_dataset(dataset())
    assert (tmp_path / "calendars" / "m1.ics").is_file()


@pytest.mark.parametrize("stamp", [dt.datetime(2025, 1, 1), "2025-01-01"])
def test_a_stamp_must_be_an_aware_datetime(stamp: Any) -> None:
    """A naive stamp would be ambiguous in a calendar that others read."""
    with pytest.raises(ValueError, match="stamped_at"):
        IcsExporter("calendars", stamped_at=stamp)


def test_a_deadline_on_the_last_date_gets_a_one_day_duration(tmp_path: Path) -> None:
    """F22: due 9999-12-31 has no next day for DTEND; DURATION:P1D says the same (RFC 5545)."""
    deadline = EvaluatedDeadline(
        kind="preassessment",
        subject_id="r1",
        district="farsta",
        starts_on=dt.date(9999, 12, 17),
        due_on=dt.date(9999, 12, 31),
        met_on=None,
        status=DeadlineStatus.DUE_SOON,
        reference="SoL (2001:453) 11 kap. 1 a §",
    )
    IcsExporter(tmp_path, stamped_at=STAMP).write_deadlines([deadline])

    [event] = events(tmp_path / "deadlines.ics").values()
    assert dt.date(9999, 12, 31) == when(event, "DTSTART")
    assert dt.timedelta(days=1) == event.decoded("DURATION")


def test_a_calendar_that_socforst_did_not_write_is_never_removed(tmp_path: Path) -> None:
    """Only files with socforst's PRODID and a member calendar's name go when the member leaves."""
    (tmp_path / "m9.ics").write_bytes(
        b"BEGIN:VCALENDAR\r\nPRODID:-//someone else//EN\r\nX-WR-CALNAME:socforst m9\r\n"
    )
    IcsExporter(tmp_path, stamped_at=STAMP).write_dataset(dataset())

    assert ["m1.ics", "m2.ics", "m3.ics", "m9.ics"] == sorted(os.listdir(tmp_path))


@pytest.mark.parametrize(("given", "expected"), [(None, None), (0o640, 0o640), ("600", 0o600)])
def test_the_mode_option_is_an_int_or_octal_text(given: object, expected: int | None) -> None:
    """``open_exporter("ics:DIR", mode="600")`` as the command line passes it."""
    assert expected == IcsExporter("calendars", mode=given).mode
