"""Category 13 of the 2026-11 red-team report: atomicity of multi-file writes (F3, F16 leftovers).

Every multi-file exporter of socforst's own (the CSV folder, the calendars
folder) is tested two ways:

- an injected failure at each file of the commit (``os.replace`` failing on
  the k-th file): every old file is byte-identical afterwards, no new file
  appears, and no temporary, backup or journal file is left;
- ``kill -9`` at every step of the commit (a forked child that pauses before
  its k-th rename, link or unlink and is killed there): each file is its old
  or its new version; the next write rolls an interrupted commit back to a
  whole set and removes what the kill left.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from socforst import Assignment, Dataset, Team, TeamMember
from socforst._atomic import recover_interrupted
from socforst.errors import WriteError
from socforst.privacy import pseudonymize_csv_folder
from socforst.sources.csv import CsvExporter
from socforst.sources.ics import IcsExporter

STAMP = dt.datetime(2025, 2, 1, 12, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or sys.platform == "win32", reason="needs fork and SIGKILL (POSIX)"
)


def member(member_id: str) -> TeamMember:
    return TeamMember(member_id=member_id, team_id="t1", employed_from=dt.date(2016, 1, 4))


def assignment(assignment_id: str, member_id: str, day: int) -> Assignment:
    return Assignment(
        assignment_id=assignment_id,
        member_id=member_id,
        district="farsta",
        start=dt.date(2025, 3, day),
        end=dt.date(2025, 3, day + 4),
    )


OLD = Dataset(
    teams=[Team("t1", "Team one")],
    members=[member("m1"), member("m2"), member("m3")],
    assignments=[assignment("a1", "m1", 3), assignment("a2", "m3", 10)],
)
"""The data before: three members, m3 with an assignment."""

NEW = Dataset(
    teams=[Team("t1", "Team one renamed")],
    members=[member("m1"), member("m2"), member("m4")],
    assignments=[assignment("a1", "m1", 5), assignment("a3", "m4", 12)],
)
"""The data after: m3 left (their calendar goes), m4 came, a1 moved."""


def files(folder: Path) -> dict[str, bytes]:
    """Every file of *folder* by name, hidden ones included."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.is_dir()}


def shown_files(contents: dict[str, bytes]) -> dict[str, bytes]:
    """*contents* without hidden files."""
    return {name: data for name, data in contents.items() if name[0] != "."}


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def csv_exporter(folder: Path) -> CsvExporter:
    return CsvExporter(folder)


def ics_exporter(folder: Path) -> IcsExporter:
    return IcsExporter(folder, stamped_at=STAMP)


class PseudonymisedFolder:
    """The pseudonymiser as an exporter: the dataset as a raw CSV extract, then its copy.

    The raw extract is written beside the target (a folder of its own); the
    pseudonymised copy in the target is the multi-file write under test.
    """

    key = "a-test-key-of-enough-variety-0123456789"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def write_dataset(self, dataset: Dataset) -> None:
        """Write *dataset* as a raw extract beside the target, then pseudonymise it into it."""
        raw = self.folder.with_name(self.folder.name + "-raw")
        CsvExporter(raw).write_dataset(dataset)
        pseudonymize_csv_folder(raw, self.folder, self.key)


EXPORTERS: dict[str, Callable[[Path], Any]] = {
    "csv": csv_exporter,
    "ics": ics_exporter,
    "pseudonymised": PseudonymisedFolder,
}


def versions(kind: str, tmp_path: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The folder's files after writing OLD, and after writing NEW, each into an empty folder."""
    old, new = tmp_path / "old-version", tmp_path / "new-version"
    EXPORTERS[kind](old).write_dataset(OLD)
    EXPORTERS[kind](new).write_dataset(NEW)
    return files(old), files(new)


def fail_replace_at(monkeypatch: pytest.MonkeyPatch, nth: int) -> None:
    """``os.replace`` fails on its *nth* call (EBUSY: a file open in Excel on Windows)."""
    real = os.replace
    calls = 0

    def replace(source: Any, target: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == nth:
            raise OSError(16, "Device or resource busy")
        real(source, target)

    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize("nth", range(1, 15))
def test_a_csv_export_failing_at_the_kth_file_leaves_every_old_file_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nth: int
) -> None:
    """F3: os.replace fails on the k-th of the 14 table files; the folder is as it was, bytewise."""
    folder = tmp_path / "extract"
    CsvExporter(folder).write_dataset(OLD)
    before = files(folder)

    fail_replace_at(monkeypatch, nth)
    with pytest.raises(WriteError, match="no file of the set was changed") as caught:
        CsvExporter(folder).write_dataset(NEW)
    monkeypatch.undo()

    assert before == files(folder)
    assert str(folder) in str(caught.value)
    assert ".tmp" not in str(caught.value)


@pytest.mark.parametrize("nth", range(1, 4))
def test_an_ics_export_failing_at_the_kth_calendar_leaves_every_old_calendar_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nth: int
) -> None:
    """F3 for the calendars: m3.ics (to be removed) stays, m4.ics (new) does not appear."""
    folder = tmp_path / "calendars"
    ics_exporter(folder).write_dataset(OLD)
    before = files(folder)

    fail_replace_at(monkeypatch, nth)
    with pytest.raises(WriteError, match="no file of the set was changed"):
        ics_exporter(folder).write_dataset(NEW)
    monkeypatch.undo()

    assert before == files(folder)


def test_an_ics_export_whose_removal_of_a_former_calendar_fails_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F36 + F3: removing m3.ics is part of the commit; when it fails, m1, m2 are old again."""
    folder = tmp_path / "calendars"
    ics_exporter(folder).write_dataset(OLD)
    before = files(folder)
    real = os.unlink

    def unlink(path: Any, *args: Any, **kwargs: Any) -> None:
        if Path(path).name == "m3.ics":
            raise PermissionError(13, "Permission denied")
        real(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", unlink)
    with pytest.raises(WriteError, match=r"m3\.ics: Permission denied; no file of the set"):
        ics_exporter(folder).write_dataset(NEW)
    monkeypatch.undo()
    assert before == files(folder)


def test_a_folder_in_the_place_of_a_table_file_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    """F3's reproduction: reports.csv is a folder; the error names it, no file changes (F29)."""
    folder = tmp_path / "ex"
    CsvExporter(folder).write_dataset(OLD)
    (folder / "reports.csv").unlink()
    (folder / "reports.csv").mkdir()
    before = {name: data for name, data in files(folder).items() if name != "reports.csv"}

    with pytest.raises(WriteError) as caught:
        CsvExporter(folder).write_dataset(NEW)

    assert f"cannot write {folder / 'reports.csv'}: it is a folder" == str(caught.value)
    assert before == {name: data for name, data in files(folder).items() if name != "reports.csv"}
    assert [] == hidden(folder)


# ---------------------------------------------------------------- kill -9

_STEPS = ("replace", "rename", "link", "unlink")


def run_killed_at(kind: str, folder: Path, step: int) -> bool:
    """Write NEW over OLD in a forked child that is killed just before its *step*-th change.

    The changes counted are the renames, links and unlinks the commit makes.
    Returns whether the child was killed (False: it finished before that step).
    """
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(reader)
            count = 0

            def pausing(real: Callable[..., Any]) -> Callable[..., Any]:
                def call(*args: Any, **kwargs: Any) -> Any:
                    nonlocal count
                    count += 1
                    if count == step:
                        os.write(writer, b"p")
                        time.sleep(600)  # killed here
                    return real(*args, **kwargs)

                return call

            for name in _STEPS:
                setattr(os, name, pausing(getattr(os, name)))
            EXPORTERS[kind](folder).write_dataset(NEW)
            os.write(writer, b"d")
        finally:
            os._exit(0)
    os.close(writer)
    try:
        said = os.read(reader, 1)
        if said == b"p":
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(reader)
    return said == b"p" and os.WIFSIGNALED(status)


@pytest.mark.parametrize("kind", ["csv", "ics", "pseudonymised"])
def test_a_kill_at_any_step_of_a_commit_leaves_each_file_old_or_new_and_the_next_write_cleans_up(
    tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kill -9 before each rename/link/unlink of the commit, one run per step.

    Right after the kill every file is its old or its new version (or absent
    where it was absent before / is removed after). The next write rolls an
    interrupted commit back from its journal, so the set is whole (all old or
    all new), and leaves no temporary, backup or journal file.
    """
    # A kill keeps what the kernel was given; syncing to the disk is what a power cut needs.
    monkeypatch.setattr(os, "fsync", lambda _descriptor: None)
    old, new = versions(kind, tmp_path)
    killed_steps = 0
    for step in range(1, 200):
        folder = tmp_path / f"{kind}-{step}"
        EXPORTERS[kind](folder).write_dataset(OLD)
        if not run_killed_at(kind, folder, step):
            assert new == files(folder)  # the child finished: the new set, nothing else
            break
        killed_steps += 1
        after_kill = {name: data for name, data in files(folder).items() if name[0] != "."}
        for name, data in after_kill.items():
            assert data in (old.get(name), new.get(name)), (step, name)
        assert set(after_kill) <= set(old) | set(new)

        recover_interrupted(folder)
        visible = {name: data for name, data in files(folder).items() if name[0] != "."}
        # The pseudonymiser's marker of its key is hidden and the same in both.
        assert visible in (shown_files(old), shown_files(new)), step

        EXPORTERS[kind](folder).write_dataset(NEW)  # the next write
        assert new == files(folder), step
    # Every step of the commit was tried: links, replaces, removals, the journal.
    assert killed_steps >= (10 if kind == "ics" else 30)


@pytest.mark.parametrize("nth", range(1, 15))
def test_a_pseudonymised_copy_failing_at_the_kth_file_leaves_the_earlier_copy_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nth: int
) -> None:
    """F3: os.replace fails at the k-th file of the copy: every old file stays, nothing is left.

    The raw extract is written first (its own folder, before the failure is armed).
    """
    old, _ = versions("pseudonymised", tmp_path)
    target = tmp_path / "copy"
    PseudonymisedFolder(target).write_dataset(OLD)
    raw = tmp_path / "raw-new"
    CsvExporter(raw).write_dataset(NEW)
    fail_replace_at(monkeypatch, nth)
    with pytest.raises(WriteError):
        pseudonymize_csv_folder(raw, target, PseudonymisedFolder.key)
    assert old == files(target)


def test_a_single_file_write_killed_before_its_rename_is_cleaned_by_the_next(
    tmp_path: Path,
) -> None:
    """deadlines.csv killed before its one rename: old bytes stay; the next write leaves no .tmp."""
    folder = tmp_path / "out"
    exporter = CsvExporter(folder)
    exporter.write_deadlines([])
    old = (folder / "deadlines.csv").read_bytes()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(reader)
            real = os.replace

            def paused(*args: Any) -> None:
                os.write(writer, b"p")
                time.sleep(600)
                real(*args)

            os.replace = paused  # type: ignore[assignment]
            exporter.write_deadlines([])
        finally:
            os._exit(0)
    os.close(writer)
    assert b"p" == os.read(reader, 1)
    os.close(reader)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)

    assert old == (folder / "deadlines.csv").read_bytes()
    [leftover] = hidden(folder)
    assert leftover.startswith(".deadlines.csv.")
    assert leftover.endswith(".tmp")
    exporter.write_deadlines([])
    assert [] == hidden(folder)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts /proc/self/fd (Linux)")
def test_a_commit_leaves_no_descriptor_open(tmp_path: Path) -> None:
    """Each commit's journal lock is closed: 50 commits leave the open descriptors as they were.

    Before, one descriptor leaked per commit; a long-running process would reach
    'Too many open files'.
    """
    from socforst._atomic import staged_writes

    before = len(os.listdir("/proc/self/fd"))
    for number in range(50):
        with staged_writes() as staged, staged.open(tmp_path / "a.csv") as handle:
            handle.write(f"{number}\n")
    assert before == len(os.listdir("/proc/self/fd"))
