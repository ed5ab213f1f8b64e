"""Atomic writes keep the permissions a file has, or would have, not tempfile's 0600."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from socforst._atomic import atomic_write, atomic_write_bytes, staged_writes


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_the_permissions_the_umask_gives(tmp_path: Path, umask_022: None) -> None:
    # 0o666 without the umask's 0o022: readable by all, writable by the owner.
    target = tmp_path / "deadlines.csv"
    with atomic_write(target) as handle:
        handle.write("kind\n")
    assert 0o644 == mode(target)
    assert "kind\n" == target.read_text()


def test_a_replaced_file_keeps_its_own_permissions(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "team.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    with atomic_write_bytes(target) as handle:
        handle.write(b"new")
    assert 0o640 == mode(target)
    assert b"new" == target.read_bytes()


def test_staged_files_get_the_same_permissions(tmp_path: Path, umask_022: None) -> None:
    kept = tmp_path / "members.csv"
    kept.write_text("old")
    kept.chmod(0o600)
    new = tmp_path / "teams.csv"
    with staged_writes() as staged:
        for path in (kept, new):
            with staged.open(path) as handle:
                handle.write("x")
    assert (0o600, 0o644) == (mode(kept), mode(new))


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
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
