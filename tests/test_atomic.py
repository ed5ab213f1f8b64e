"""Atomic writes: modes, what a path points at, all-or-nothing sets, and leftovers of kills."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from socforst._atomic import (
    atomic_write,
    atomic_write_bytes,
    folder_mode,
    make_folder,
    parse_mode,
    recover_interrupted,
    staged_writes,
)
from socforst.errors import WriteError


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask, under which files were world-readable before F16."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def hidden(folder: Path) -> list[str]:
    """The hidden files a write may leave: temporary, backup and journal files."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_new_file_is_readable_by_its_owner_only_whatever_the_umask(
    tmp_path: Path, umask_022: None
) -> None:
    """F16: 0600, not the umask's 0644: the data is about children."""
    target = tmp_path / "deadlines.csv"
    with atomic_write(target) as handle:
        handle.write("kind\n")
    assert 0o600 == mode(target)
    assert "kind\n" == target.read_text()


def test_a_replaced_file_keeps_its_own_permissions(tmp_path: Path, umask_022: None) -> None:
    """A shared export stays as readable as its owner made it."""
    target = tmp_path / "team.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    with atomic_write_bytes(target) as handle:
        handle.write(b"new")
    assert 0o640 == mode(target)
    assert b"new" == target.read_bytes()


def test_a_mode_given_applies_to_new_and_replaced_files(tmp_path: Path, umask_022: None) -> None:
    """``mode=0o640`` gives exactly 0640, to a new file and to one that was 0600."""
    new, old = tmp_path / "new.csv", tmp_path / "old.csv"
    old.write_text("old")
    old.chmod(0o600)
    for target in (new, old):
        with atomic_write(target, mode=0o640) as handle:
            handle.write("x")
    assert (0o640, 0o640) == (mode(new), mode(old))


def test_staged_files_get_the_same_permissions(tmp_path: Path, umask_022: None) -> None:
    """A replaced 0644 file stays 0644; a new file of the set is 0600."""
    kept = tmp_path / "members.csv"
    kept.write_text("old")
    kept.chmod(0o644)
    new = tmp_path / "teams.csv"
    with staged_writes() as staged:
        for path in (kept, new):
            with staged.open(path) as handle:
                handle.write("x")
    assert (0o644, 0o600) == (mode(kept), mode(new))


def test_a_new_folder_is_0700_and_0750_for_files_of_0640(tmp_path: Path, umask_022: None) -> None:
    """Folders get x wherever their files get r: 0600 -> 0700, 0640 -> 0750, every level."""
    make_folder(tmp_path / "a" / "b")
    make_folder(tmp_path / "c", mode=0o640)
    assert (0o700, 0o700, 0o750) == (
        mode(tmp_path / "a"),
        mode(tmp_path / "a" / "b"),
        mode(tmp_path / "c"),
    )
    assert (0o700, 0o750, 0o755) == (folder_mode(None), folder_mode(0o640), folder_mode(0o644))


@pytest.mark.parametrize(
    ("given", "expected"),
    [(None, None), (0o640, 0o640), ("640", 0o640), ("0640", 0o640), ("0o600", 0o600), (0, 0)],
)
def test_a_mode_is_an_int_or_octal_text(given: object, expected: int | None) -> None:
    """The command line's ``--mode 640`` and the API's ``0o640`` mean the same."""
    assert expected == parse_mode(given)


@pytest.mark.parametrize("given", ["rw-r-----", "800", "0o1777", 0o1000, -1, True, 6.4])
def test_anything_else_is_not_a_mode(given: object) -> None:
    """Letters, digits 8-9, sticky/setuid bits and other types are refused."""
    with pytest.raises(ValueError, match="'mode'"):
        parse_mode(given)


def test_making_a_folder_where_a_file_is_names_the_path(tmp_path: Path) -> None:
    """F29: the message names the path asked for and says what is wrong."""
    (tmp_path / "out").write_text("x")
    with pytest.raises(WriteError, match="out: it is a file, not a folder"):
        make_folder(tmp_path / "out")


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    """An exception in the block: the old bytes stay, no hidden file is left."""
    target = tmp_path / "assignments.csv"
    target.write_text("old")

    def write_half() -> None:
        with atomic_write(target) as handle:
            handle.write("half")
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_half()
    assert "old" == target.read_text()
    assert ["assignments.csv"] == sorted(p.name for p in tmp_path.iterdir())


def test_a_set_of_files_can_remove_one_and_write_bytes(tmp_path: Path) -> None:
    """``remove`` and ``open_bytes`` take part in the commit like ``open``."""
    (tmp_path / "gone.ics").write_text("old calendar")
    with staged_writes() as staged:
        with staged.open_bytes(tmp_path / "new.ics") as handle:
            handle.write(b"BEGIN:VCALENDAR\r\n")
        staged.remove(tmp_path / "gone.ics")
        assert (tmp_path / "gone.ics").exists()  # nothing happens before the commit
    assert ["new.ics"] == sorted(os.listdir(tmp_path))
    assert b"BEGIN:VCALENDAR\r\n" == (tmp_path / "new.ics").read_bytes()


def failing_nth(monkeypatch: pytest.MonkeyPatch, name: str, nth: int) -> Callable[..., Any]:
    """Make the *nth* call of ``os.<name>`` fail with EBUSY; the others work."""
    real: Callable[..., Any] = getattr(os, name)
    calls = 0

    def fail(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == nth:
            raise OSError(16, "Device or resource busy")
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, fail)
    return real


@pytest.mark.parametrize(
    ("step", "nth"), [("replace", 1), ("replace", 2), ("replace", 3), ("unlink", 1), ("unlink", 2)]
)
def test_a_commit_failing_at_any_file_restores_every_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str, nth: int
) -> None:
    """F3: two old files, one new, one removed; a replace, the removal or the journal's fails.

    Every old file has its old bytes again, the new file is not there, and no
    temporary, backup or journal file is left; the error names the file.
    """
    names = ["a.csv", "b.csv", "c.csv"]
    for name in [*names[:2], "gone.csv"]:
        (tmp_path / name).write_text(f"old {name}")

    def write_set() -> None:
        with staged_writes() as staged:
            for name in names:
                with staged.open(tmp_path / name) as handle:
                    handle.write(f"new {name}")
            staged.remove(tmp_path / "gone.csv")

    failing_nth(monkeypatch, step, nth)
    with pytest.raises(WriteError) as caught:
        write_set()
    monkeypatch.undo()
    assert ["a.csv", "b.csv", "gone.csv"] == sorted(os.listdir(tmp_path))
    assert ["old a.csv", "old b.csv", "old gone.csv"] == [
        (tmp_path / name).read_text() for name in ("a.csv", "b.csv", "gone.csv")
    ]
    assert "no file of the set was changed" in str(caught.value)
    assert ".tmp" not in str(caught.value)
    assert ".bak" not in str(caught.value)


def test_without_hard_links_the_old_files_are_copied_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file system without hard links (FAT, some shares): a copy is the backup; all commits."""
    (tmp_path / "a.csv").write_text("old a")
    monkeypatch.setattr(
        os, "link", lambda *_args, **_kwargs: (_ for _ in ()).throw(OSError(1, "no"))
    )
    with staged_writes() as staged:
        for name in ("a.csv", "b.csv"):
            with staged.open(tmp_path / name) as handle:
                handle.write(f"new {name}")
    assert ["new a.csv", "new b.csv"] == [(tmp_path / n).read_text() for n in ("a.csv", "b.csv")]
    assert [] == hidden(tmp_path)


def test_an_interrupted_commit_is_rolled_back_from_its_journal(tmp_path: Path) -> None:
    """The state a kill leaves after one of two files was replaced is undone by the next write.

    Built by hand as the commit leaves it: a journal, a.csv replaced (its old
    content kept as a backup), b.csv not yet, its temporary file still there,
    and c.csv, new, already moved in place.
    """
    (tmp_path / "a.csv").write_text("new a")
    (tmp_path / ".a.csv.abcd1234.socforst.bak").write_text("old a")
    (tmp_path / "b.csv").write_text("old b")
    (tmp_path / ".b.csv.abcd1234.socforst.bak").write_text("old b")  # linked, not yet replaced
    (tmp_path / ".b.csv.tmpxyz12.tmp").write_text("new b")
    (tmp_path / "c.csv").write_text("new c")
    journal = {
        "socforst_commit": 1,
        "files": [
            {
                "name": "a.csv",
                "temporary": ".a.csv.tmpxyz00.tmp",
                "backup": ".a.csv.abcd1234.socforst.bak",
            },
            {
                "name": "b.csv",
                "temporary": ".b.csv.tmpxyz12.tmp",
                "backup": ".b.csv.abcd1234.socforst.bak",
            },
            {"name": "c.csv", "temporary": ".c.csv.tmpxyz34.tmp", "backup": None},
        ],
    }
    (tmp_path / ".socforst-commit.abcd1234.json").write_text(json.dumps(journal))

    assert recover_interrupted(tmp_path)
    assert ["a.csv", "b.csv"] == sorted(os.listdir(tmp_path))
    assert ("old a", "old b") == (
        (tmp_path / "a.csv").read_text(),
        (tmp_path / "b.csv").read_text(),
    )


def test_a_journal_naming_a_file_outside_its_folder_is_ignored(tmp_path: Path) -> None:
    """A journal is data on disk: a name with a slash is never followed."""
    (tmp_path / "outside").write_text("keep")
    folder = tmp_path / "f"
    folder.mkdir()
    journal = {"files": [{"name": "../outside", "temporary": "x", "backup": None}]}
    (folder / ".socforst-commit.abcd1234.json").write_text(json.dumps(journal))
    assert not recover_interrupted(folder)
    assert "keep" == (tmp_path / "outside").read_text()


def test_leftovers_of_a_killed_write_are_removed_by_the_next_write(tmp_path: Path) -> None:
    """A stale ``.NAME.*.tmp`` and a finished commit's backup go; other files stay."""
    target = tmp_path / "members.csv"
    (tmp_path / ".members.csv.k1ll3d00.tmp").write_text("half")
    (tmp_path / ".members.csv.k1ll3d00.socforst.bak").write_text("old")
    (tmp_path / ".teams.csv.k1ll3d00.tmp").write_text("other name")
    (tmp_path / ".members.csv.notours.txt").write_text("not ours")
    os.utime(tmp_path / ".members.csv.k1ll3d00.tmp", (1, 1))
    os.utime(tmp_path / ".members.csv.k1ll3d00.socforst.bak", (1, 1))
    with atomic_write(target) as handle:
        handle.write("new")
    assert [".members.csv.notours.txt", ".teams.csv.k1ll3d00.tmp"] == hidden(tmp_path)


def test_the_temporary_file_of_a_write_still_running_is_not_removed(tmp_path: Path) -> None:
    """Two writes of one file at once: the first's temporary file is locked and survives.

    The second write finishes while the first is still writing; the first then
    completes, and its content is the one that stays.
    """
    target = tmp_path / "members.csv"
    with atomic_write(target) as first:
        first.write("first")
        first.flush()
        [running] = hidden(tmp_path)
        os.utime(tmp_path / running, (1, 1))  # older than the second write
        with atomic_write(target) as second:
            second.write("second")
        assert [running] == hidden(tmp_path)
        assert "second" == target.read_text()
    assert "first" == target.read_text()
    assert [] == hidden(tmp_path)
