"""Atomic file writes: write aside, then replace, so a failed write leaves the old file whole."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = ["StagedWrites", "atomic_write", "atomic_write_bytes", "staged_writes"]


def _final_mode(path: Path) -> int:
    """The permissions *path* should end with: its own if it exists, else the umask's."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)  # the only portable way to read it is to set it
        os.umask(umask)
        return 0o666 & ~umask


def _beside(path: Path, mode: str, **options: Any) -> IO[Any]:
    """A temporary file in *path*'s folder, kept on close, named ``.NAME.*.tmp``.

    ``tempfile`` creates it readable by its owner alone; it is given the
    permissions the file it replaces has, or a new file would get, so that a
    write keeps a shared export readable as before.
    """
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed by the caller
        mode, dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False, **options
    )
    try:
        os.chmod(handle.name, _final_mode(path))
    except BaseException:
        handle.close()
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
        raise
    return handle


@contextlib.contextmanager
def _replacing(handle: IO[Any], path: Path) -> Iterator[IO[Any]]:
    """Yield *handle*; on success sync it and move it over *path*, else remove it."""
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
        raise


@contextlib.contextmanager
def atomic_write(
    path: Path, *, encoding: str = "utf-8", newline: str | None = None
) -> Iterator[IO[str]]:
    """Open a temporary file beside *path* for writing; on success it replaces *path*.

    The temporary file is flushed and synced before ``os.replace``, which is
    atomic on POSIX and Windows: a reader sees the old file or the new one,
    never half of one. If the block raises, or the process dies, the old file
    is untouched (a leftover temporary file starts with ``.`` and ends in
    ``.tmp``).
    """
    path = Path(path)
    with _replacing(_beside(path, "w", encoding=encoding, newline=newline), path) as handle:
        yield handle


@contextlib.contextmanager
def atomic_write_bytes(path: Path) -> Iterator[IO[bytes]]:
    """The binary counterpart of :func:`atomic_write` (for workbooks)."""
    path = Path(path)
    with _replacing(_beside(path, "wb"), path) as handle:
        yield handle


class StagedWrites:
    """Files written aside and put in place together, only if every one was written.

    Use :func:`staged_writes`. A failure while writing any file leaves every old
    file whole; the replacing itself is one ``os.replace`` per file, done only
    after all are written and synced, so the window for a mixed set is a few
    renames long.
    """

    def __init__(self) -> None:
        self._staged: list[tuple[str, Path]] = []

    @contextlib.contextmanager
    def open(
        self, path: Path, *, encoding: str = "utf-8", newline: str | None = None
    ) -> Iterator[IO[str]]:
        """Open a temporary file that will replace *path* when the whole set is written."""
        path = Path(path)
        handle = _beside(path, "w", encoding=encoding, newline=newline)
        self._staged.append((handle.name, path))
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())

    def commit(self) -> None:
        """Put every staged file in place."""
        for temporary, path in self._staged:
            os.replace(temporary, path)
        self._staged.clear()

    def abort(self) -> None:
        """Remove every staged file, leaving the old files as they were."""
        for temporary, _ in self._staged:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        self._staged.clear()


@contextlib.contextmanager
def staged_writes() -> Iterator[StagedWrites]:
    """Write several files so that a failure part-way leaves all old files whole."""
    staged = StagedWrites()
    try:
        yield staged
    except BaseException:
        staged.abort()
        raise
    staged.commit()
