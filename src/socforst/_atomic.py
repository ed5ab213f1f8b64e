"""Atomic file writes: write aside, then replace, so a failed write leaves the old file whole.

What a path points at decides how it is written (F2 of the 2026-11 red-team report):

- **a regular file, or nothing yet**: written to a temporary file beside it
  (``.NAME.XXXXXXXX.tmp``), flushed and synced, then moved over it in one
  ``os.replace``. A reader sees the old file or the new one, never half of one.
- **a symbolic link**: written *through*: the link is resolved and the file it
  points at is replaced atomically as above, so the link stays and points at
  the new content. A link owned by another user in a sticky, world-writable
  folder such as ``/tmp`` is refused (the rule of Linux's ``protected_symlinks``,
  which a rename would otherwise bypass).
- **a FIFO, a character device, ``/dev/stdout`` and ``/dev/fd/N``**: written as
  a stream: opened (for appending) and written directly, with no temporary
  file and no replacing. A stream cannot be atomic: a failure part-way leaves
  part of the output in it. In a multi-file write (:func:`staged_writes`) they
  are refused, since they cannot take part in an all-or-nothing commit.
- **a folder, a block device (a disk) or a socket**: refused with a
  :class:`~socforst.errors.WriteError` naming the path the user gave.

Permissions (F16): a new file is created ``0600`` (its owner alone may read
it: the data is about children) and a new folder ``0700``, unless the caller
passes a *mode*, which then applies to every file written, new or replaced.
Without a mode, a replaced file keeps its own.

A kill (``kill -9``, a power cut) can leave hidden files beside the targets:
``.NAME.XXXXXXXX.tmp`` (a temporary file not yet moved in place) and, during a
multi-file commit, ``.NAME.XXXXXXXX.socforst.bak`` (the old file kept aside) with a
journal ``.socforst-commit.XXXXXXXX.json``. Every file the user named is always
its old or its new version. The next write into the same folder rolls back an
interrupted commit from its journal (so the set is the old one again, whole)
and removes leftover ``.NAME.*.tmp`` files of the names it writes, once it
has put its own files in place, and every ``.*.socforst.bak`` of a finished
commit. A temporary file of a write
still running is recognised by its lock and never removed. Locks need
``fcntl`` (POSIX); elsewhere leftovers stay until removed by hand.
"""

from __future__ import annotations

import contextlib
import errno as errnos
import json
import os
import re
import secrets
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Literal

import attrs

from socforst.errors import WriteError, shown

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "NEW_FILE_MODE",
    "NEW_FOLDER_MODE",
    "StagedWrites",
    "atomic_write",
    "atomic_write_bytes",
    "folder_mode",
    "make_folder",
    "parse_mode",
    "recover_interrupted",
    "staged_writes",
]

NEW_FILE_MODE = 0o600
"""The permissions of a new file when the caller gives no mode: its owner's alone."""

NEW_FOLDER_MODE = 0o700
"""The permissions of a new folder when the caller gives no mode."""

_JOURNAL = re.compile(r"\.socforst-commit\.([a-z0-9_]{8})\.json")
_JOURNAL_TEMPORARY = re.compile(r"\.socforst-commit\.[a-z0-9_]{8}\.json\.[a-z0-9_]{8}\.tmp")
_NO_LIMIT = 2**63
_BACKUP = ".socforst.bak"
_BACKUP_NAME = re.compile(r"\..+\.([a-z0-9_]{8})\.socforst\.bak")
# /dev/stdout, /dev/fd/N, /proc/self/fd/N, /proc/PID/fd/N: another name of an open file.
_FD_ALIAS = re.compile(r"/(?:proc/[^/]+|dev)/fd/[0-9]+|/dev/std(?:in|out|err)")
_Kind = Literal["new", "file", "stream"]


def parse_mode(value: object) -> int | None:
    """A file mode option: ``None``, an int (``0o640``) or octal text (``"640"``, ``"0o640"``).

    Meant as an attrs converter, so that ``open_exporter("csv:DIR", mode="640")``
    and ``mode=0o640`` mean the same.

    Raises:
        ValueError: If *value* is not a permission mode from 0 to 0o777.

    Example:
        >>> from socforst._atomic import parse_mode
        >>> oct(parse_mode("640"))
        '0o640'
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"'mode' must be a permission mode such as 0o640, got {shown(value)}")
    if isinstance(value, str):
        text = value.strip().lower().removeprefix("0o")
        if not re.fullmatch(r"[0-7]{1,4}", text):
            raise ValueError("'mode' must be octal digits such as 640 or 0o640")
        value = int(text, 8)
    if not isinstance(value, int) or not 0 <= value <= 0o777:
        raise ValueError("'mode' must be a permission mode from 0 to 0o777, such as 0o640")
    return value


def folder_mode(mode: int | None) -> int:
    """The mode of a new folder for files of *mode*: x added wherever it has r.

    Example:
        >>> from socforst._atomic import folder_mode
        >>> oct(folder_mode(0o640)), oct(folder_mode(None))
        ('0o750', '0o700')
    """
    if mode is None:
        return NEW_FOLDER_MODE
    return mode | ((mode & 0o444) >> 2)


def make_folder(path: Path, *, mode: int | None = None) -> None:
    """Create the folder *path* and any missing parents, ``0700`` (see ``folder_mode``).

    An existing folder is left as it is.

    Raises:
        WriteError: If *path*, or a parent, is something other than a folder,
            or cannot be created.
    """
    given = Path(path)
    missing: list[Path] = []
    folder = Path(os.path.abspath(given))
    while not folder.is_dir():
        if folder.exists() or folder.is_symlink():
            raise WriteError(given, _not_a_folder(given, folder))
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=NEW_FOLDER_MODE)
            # mkdir's mode is masked by the umask; chmod gives exactly the mode asked for.
            os.chmod(folder, folder_mode(mode))
        except FileExistsError:
            if not folder.is_dir():
                raise WriteError(given, _not_a_folder(given, folder)) from None
        except OSError as error:
            raise _write_error(given, error) from error


def _not_a_folder(given: Path, folder: Path) -> str:
    if folder == Path(os.path.abspath(given)):
        return "it is a file, not a folder"
    return f"{folder} is a file, not a folder"


def _write_error(given: Path, error: OSError) -> WriteError:
    """*error*, from a step on a temporary or backup file, as the user's path and the reason."""
    if isinstance(error, WriteError):
        return error
    reason = error.strerror or str(error) or type(error).__name__
    if error.errno == errnos.EISDIR:
        reason = "it is a folder"
    elif error.errno == errnos.ENOSPC:
        reason = "no space left on the device"
    return WriteError(given, reason, error.errno)


@attrs.frozen
class _Target:
    """Where a write goes: the path the user gave, the file to replace, and how."""

    given: Path
    real: Path
    kind: _Kind
    mode: int | None = None  # an existing file's permissions


def _is_fd_alias(path: str) -> bool:
    """Whether *path*, or a link it leads through, is another name of an open file descriptor."""
    current = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on links followed
        folder = os.path.realpath(os.path.dirname(current))
        if _FD_ALIAS.fullmatch(current) or _FD_ALIAS.fullmatch(
            os.path.join(folder, os.path.basename(current))
        ):
            return True
        try:
            link = os.readlink(current)
        except OSError:
            return False
        current = os.path.normpath(os.path.join(os.path.dirname(current), link))
    return False


def _check_link(given: Path, link: Path, link_stat: os.stat_result) -> None:
    """Refuse a link another user could have planted in a shared folder (``protected_symlinks``)."""
    if not hasattr(os, "geteuid"):  # pragma: no cover - Windows
        return
    try:
        folder = os.stat(link.parent)
    except OSError as error:
        raise _write_error(given, error) from error
    shared = folder.st_mode & stat.S_ISVTX and folder.st_mode & stat.S_IWOTH
    if shared and link_stat.st_uid not in (os.geteuid(), folder.st_uid):
        raise WriteError(
            given,
            f"it is a symbolic link owned by another user in the shared folder {link.parent}; "
            "socforst does not follow it",
        )


def _target(path: Path, *, streams: bool) -> _Target:
    """What *path* points at, and how to write it; refuse what cannot be written."""
    given = Path(path)
    absolute = Path(os.path.abspath(given))
    if _is_fd_alias(str(absolute)):
        if not streams:
            raise WriteError(given, "it is a stream; a multi-file write needs regular files")
        return _Target(given, absolute, "stream")
    try:
        link = os.lstat(absolute)
    except FileNotFoundError:
        link = None
    except OSError as error:
        raise _write_error(given, error) from error
    real = absolute
    if link is not None and stat.S_ISLNK(link.st_mode):
        _check_link(given, absolute, link)
        real = Path(os.path.realpath(absolute))
    try:
        status = os.stat(real)
    except FileNotFoundError:
        if not real.parent.is_dir():
            raise WriteError(given, f"the folder {real.parent} does not exist") from None
        return _Target(given, real, "new")
    except OSError as error:
        raise _write_error(given, error) from error
    kind = status.st_mode
    if stat.S_ISREG(kind):
        return _Target(given, real, "file", stat.S_IMODE(kind))
    if stat.S_ISDIR(kind):
        raise WriteError(given, "it is a folder", errnos.EISDIR)
    if stat.S_ISFIFO(kind) or stat.S_ISCHR(kind):
        if not streams:
            raise WriteError(
                given, "it is a FIFO or a device; a multi-file write needs regular files"
            )
        return _Target(given, real, "stream")
    if stat.S_ISBLK(kind):
        raise WriteError(given, "it is a block device (a disk); socforst does not write to it")
    raise WriteError(given, "it is a socket or another special file, not a regular file")


def _final_mode(target: _Target, mode: int | None) -> int:
    if mode is not None:
        return mode
    return target.mode if target.mode is not None else NEW_FILE_MODE


def _lock(descriptor: int) -> None:
    """Mark a temporary file as in use, so that no other write removes it as a leftover."""
    if fcntl is not None:
        with contextlib.suppress(OSError):  # a filesystem without locks: never removed
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)


@attrs.define
class _Temporary:
    """A temporary file beside a target, locked while it exists (mutable: closed once)."""

    name: Path
    lock: int
    created_ns: int

    def close(self) -> None:
        if self.lock >= 0:
            with contextlib.suppress(OSError):
                os.close(self.lock)
            self.lock = -1

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self.name)
        self.close()


def _create_beside(target: _Target, mode: int) -> tuple[int, _Temporary]:
    """A new locked temporary file beside *target*'s real file: its descriptor and record."""
    try:
        descriptor, name = tempfile.mkstemp(
            dir=target.real.parent, prefix=f".{target.real.name}.", suffix=".tmp"
        )
    except OSError as error:
        reason = _write_error(target.given, error).reason
        raise WriteError(
            target.given,
            f"cannot create a file in the folder {target.real.parent} ({reason})",
            error.errno,
        ) from error
    temporary = _Temporary(Path(name), -1, 0)
    try:
        temporary.lock = os.dup(descriptor)
        _lock(temporary.lock)
        os.chmod(name, mode)
        temporary.created_ns = os.fstat(descriptor).st_mtime_ns
    except BaseException as error:
        os.close(descriptor)
        temporary.discard()
        if isinstance(error, OSError):
            raise _write_error(target.given, error) from error
        raise
    return descriptor, temporary


@contextlib.contextmanager
def _filled(target: _Target, handle: IO[Any]) -> Iterator[IO[Any]]:
    """Yield *handle*; then flush and sync it. OSErrors of the writing name the user's path."""
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        if error.filename is None or error.filename == getattr(handle, "name", None):
            raise _write_error(target.given, error) from error
        raise


@contextlib.contextmanager
def _folder_locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on *folder* (one commit at a time in it), where locks exist."""
    descriptor = -1
    if fcntl is not None:
        with contextlib.suppress(OSError):
            descriptor = os.open(folder, os.O_RDONLY)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
    try:
        yield
    finally:
        if descriptor >= 0:
            os.close(descriptor)  # releases the lock


def _sync_folder(folder: Path) -> None:
    """Make the renames in *folder* durable (POSIX); a no-op where folders cannot be synced."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _stream(target: _Target, binary: bool, **options: Any) -> IO[Any]:
    flags = os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(target.given, flags)
    except OSError as error:
        raise _write_error(target.given, error) from error
    return open(descriptor, "wb" if binary else "w", **options)


@contextlib.contextmanager
def _atomic(path: Path, binary: bool, mode: int | None, **options: Any) -> Iterator[IO[Any]]:
    target = _target(path, streams=True)
    if target.kind == "stream":
        handle = _stream(target, binary, **options)
        try:
            with handle:
                yield handle
        except OSError as error:
            if error.filename is None:
                raise _write_error(target.given, error) from error
            raise
        return
    descriptor, temporary = _create_beside(target, _final_mode(target, mode))
    try:
        handle = open(descriptor, "wb" if binary else "w", **options)  # noqa: SIM115
        with _filled(target, handle) as filled:
            yield filled
        folder = target.real.parent
        with _folder_locked(folder):
            recover_interrupted(folder)
            try:
                os.replace(temporary.name, target.real)
            except OSError as error:
                raise _write_error(target.given, error) from error
        _sync_folder(folder)
    except BaseException:
        temporary.discard()
        raise
    temporary.close()
    _remove_leftovers(target.real, temporary.created_ns)


@contextlib.contextmanager
def atomic_write(
    path: Path, *, encoding: str = "utf-8", newline: str | None = None, mode: int | None = None
) -> Iterator[IO[str]]:
    """Open *path* for writing text so that it is replaced whole, or not at all.

    A regular file (or a new one, or one a symbolic link points at) is written
    to a temporary file beside it, which is flushed and synced and then moved
    over it with ``os.replace``, atomic on POSIX and Windows: a reader sees the
    old file or the new one, never half of one. If the block raises, or the
    process dies, the old file is untouched. A FIFO, a character device or
    ``/dev/stdout`` is written as a stream. See the module's docstring.

    Args:
        path: The file.
        encoding: The text encoding.
        newline: As for the builtin ``open``.
        mode: The file's permissions; ``None`` gives a new file ``0600`` and
            keeps a replaced file's own.

    Raises:
        WriteError: If *path* cannot be written (a folder, a missing folder, a
            full disk, ...); the message names *path*, never a temporary file.
    """
    with _atomic(path, False, mode, encoding=encoding, newline=newline) as handle:
        yield handle


@contextlib.contextmanager
def atomic_write_bytes(path: Path, *, mode: int | None = None) -> Iterator[IO[bytes]]:
    """The binary counterpart of :func:`atomic_write` (for workbooks)."""
    with _atomic(path, True, mode) as handle:
        yield handle


# ---------------------------------------------------------------- several files


@attrs.define
class _Staged:
    """One file of a set: its target and its temporary file (``None`` for a removal)."""

    target: _Target
    temporary: _Temporary | None
    backup: Path | None = None
    had_old: bool = False
    done: bool = False


class StagedWrites:
    """Files written aside and put in place together: all of them, or none.

    Use :func:`staged_writes`. Each file is written to a temporary file beside
    its target; :meth:`commit` then puts them all in place. While it does, each
    old file is kept aside as a backup (a hard link, ``.NAME.XXXXXXXX.socforst.bak``)
    until every new file is in place; if any step fails, every file already
    replaced gets its old content back, every new file is removed, every
    temporary file is removed, and one :class:`~socforst.errors.WriteError`
    naming the file that failed is raised. A journal in each folder
    (``.socforst-commit.XXXXXXXX.json``) lets the next write roll back a commit
    that a kill interrupted.

    Mutable: it collects the files of one write.
    """

    def __init__(self, *, mode: int | None = None) -> None:
        self.mode = mode
        self._staged: list[_Staged] = []

    def _add(self, path: Path) -> _Target:
        target = _target(path, streams=False)
        if any(staged.target.real == target.real for staged in self._staged):
            raise ValueError(f"{target.given} is written twice in one set of files")
        return target

    @contextlib.contextmanager
    def open(
        self, path: Path, *, encoding: str = "utf-8", newline: str | None = None
    ) -> Iterator[IO[str]]:
        """Open a temporary file that will replace *path* when the whole set is written.

        Raises:
            WriteError: If *path* is a folder, a stream, or cannot be written.
        """
        with self._open(path, False, encoding=encoding, newline=newline) as handle:
            yield handle

    @contextlib.contextmanager
    def open_bytes(self, path: Path) -> Iterator[IO[bytes]]:
        """The binary counterpart of :meth:`open`."""
        with self._open(path, True) as handle:
            yield handle

    @contextlib.contextmanager
    def _open(self, path: Path, binary: bool, **options: Any) -> Iterator[IO[Any]]:
        target = self._add(path)
        descriptor, temporary = _create_beside(target, _final_mode(target, self.mode))
        self._staged.append(_Staged(target, temporary))
        handle = open(descriptor, "wb" if binary else "w", **options)  # noqa: SIM115
        with _filled(target, handle) as filled:
            yield filled

    def remove(self, path: Path) -> None:
        """Remove the file *path* with the commit (and restore it if the commit fails).

        A path that does not exist (any more) at commit time is left alone.
        """
        self._staged.append(_Staged(self._add(path), None))

    def commit(self) -> None:
        """Put every staged file in place, or, on any failure, none of them.

        Raises:
            WriteError: Naming the file that could not be put in place; every
                old file is as it was, and no temporary file is left.
        """
        staged, self._staged = self._staged, []
        if not staged:
            return
        folders = sorted({entry.target.real.parent for entry in staged})
        journals: list[_Temporary] = []
        failed: _Staged | None = None
        try:
            with contextlib.ExitStack() as locks:
                for folder in folders:
                    locks.enter_context(_folder_locked(folder))
                    recover_interrupted(folder)
                token = _token(folders, staged)
                for entry in staged:
                    entry.had_old = os.path.lexists(entry.target.real)
                    if entry.had_old:
                        name = entry.target.real.name
                        entry.backup = entry.target.real.with_name(f".{name}.{token}{_BACKUP}")
                for folder in folders:
                    journals.append(_write_journal(folder, token, staged))
                for entry in staged:
                    failed = entry
                    _put_in_place(entry)
                    entry.done = True
                failed = None
                for folder in folders:
                    _sync_folder(folder)
                failed = staged[0]
                for journal in journals:  # the commit point: from here on, the new set stays
                    os.unlink(journal.name)
                    journal.close()  # its lock: one descriptor a commit otherwise leaks
                failed = None
                for folder in folders:
                    _sync_folder(folder)
        except BaseException as error:
            problems = _roll_back(staged, journals)
            if isinstance(error, OSError):
                given = failed.target.given if failed is not None else staged[0].target.given
                reason = _write_error(given, error).reason
                reason += "; no file of the set was changed"
                if problems:
                    reason = (
                        f"{reason} except {len(problems)} that could not be restored "
                        f"({', '.join(problems)}): their old content is kept beside them "
                        "and is restored by the next write into the folder"
                    )
                raise WriteError(given, reason, error.errno) from error
            raise
        for entry in staged:
            if entry.backup is not None:
                with contextlib.suppress(OSError):
                    os.unlink(entry.backup)
            if entry.temporary is not None:
                entry.temporary.close()
        created = [e.temporary.created_ns for e in staged if e.temporary is not None]
        before_ns = min(created) if created else time.time_ns()
        for entry in staged:
            _remove_leftovers(entry.target.real, before_ns)

    def abort(self) -> None:
        """Remove every staged file, leaving the old files as they were."""
        for entry in self._staged:
            if entry.temporary is not None:
                entry.temporary.discard()
        self._staged.clear()


def _token(folders: list[Path], staged: list[_Staged]) -> str:
    """Eight random characters naming a commit, unused in every folder."""
    while True:
        token = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789_") for _ in range(8))
        names = [folder / f".socforst-commit.{token}.json" for folder in folders]
        names += [
            e.target.real.with_name(f".{e.target.real.name}.{token}{_BACKUP}") for e in staged
        ]
        if not any(os.path.lexists(name) for name in names):
            return token


def _write_journal(folder: Path, token: str, staged: list[_Staged]) -> _Temporary:
    """Write and sync the journal of a commit into *folder*; it is locked while it exists."""
    entries = [
        {
            "name": entry.target.real.name,
            "temporary": None if entry.temporary is None else entry.temporary.name.name,
            "backup": None if entry.backup is None else entry.backup.name,
        }
        for entry in staged
        if entry.target.real.parent == folder
    ]
    final = folder / f".socforst-commit.{token}.json"
    descriptor, name = tempfile.mkstemp(dir=folder, prefix=f"{final.name}.", suffix=".tmp")
    journal = _Temporary(Path(name), -1, 0)
    try:
        journal.lock = os.dup(descriptor)
        _lock(journal.lock)
        with open(descriptor, "w", encoding="utf-8") as handle:
            json.dump({"socforst_commit": 1, "files": entries}, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.rename(name, final)
    except BaseException:
        journal.discard()
        raise
    journal.name = final
    _sync_folder(folder)
    return journal


def _put_in_place(entry: _Staged) -> None:
    real = entry.target.real
    if entry.backup is not None:
        try:
            os.link(real, entry.backup)
        except FileNotFoundError:
            entry.backup = None  # gone since: nothing to keep
            entry.had_old = False
        except FileExistsError:
            raise
        except OSError:  # no hard links here (FAT, some network shares): a copy
            shutil.copy2(real, entry.backup, follow_symlinks=False)
    if entry.temporary is None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(real)
    else:
        os.replace(entry.temporary.name, real)


def _restore(backup: Path, real: Path) -> None:
    """Put the old file kept as *backup* back at *real*."""
    try:
        if os.path.samefile(backup, real):
            # Still one file under two names (the replace never happened): a rename
            # of a name onto another of the same file does nothing, so unlink.
            os.unlink(backup)
            return
    except FileNotFoundError:
        pass
    os.replace(backup, real)


def _roll_back(staged: list[_Staged], journals: list[_Temporary]) -> list[str]:
    """Undo a failed commit; the names of the files that could not be restored."""
    problems: list[str] = []
    for entry in reversed(staged):
        if entry.temporary is not None:
            entry.temporary.discard()
        try:
            if entry.backup is not None and os.path.lexists(entry.backup):
                _restore(entry.backup, entry.target.real)
            elif entry.done and entry.temporary is not None and not entry.had_old:
                os.unlink(entry.target.real)
        except OSError:
            problems.append(str(entry.target.given))
    for journal in journals:
        if problems:
            journal.close()  # kept: the next write into the folder finishes the roll back
        else:
            journal.discard()
    for folder in {entry.target.real.parent for entry in staged}:
        _sync_folder(folder)
    return problems


def recover_interrupted(folder: Path) -> bool:
    """Roll back every commit into *folder* that a kill interrupted; whether there was one.

    Called by every write into a folder, under its lock, before it puts its own
    files in place. A journal whose commit is still running is locked and left
    alone (where locks exist).
    """
    try:
        names = os.listdir(folder)
    except OSError:
        return False
    recovered = False
    for name in names:
        if _JOURNAL.fullmatch(name) and _recover(folder / name):
            recovered = True
        elif _JOURNAL_TEMPORARY.fullmatch(name) and fcntl is not None:
            with contextlib.suppress(OSError):
                # A journal being written is locked; any other was left by a kill.
                _remove_if_stale(folder / name, _NO_LIMIT)
    for name in names:
        backup = _BACKUP_NAME.fullmatch(name)
        journal = backup and folder / f".socforst-commit.{backup.group(1)}.json"
        if journal and fcntl is not None and not journal.exists():
            # Its commit finished (or was rolled back): the old file is not needed.
            with contextlib.suppress(OSError):
                _remove_if_stale(folder / name, _NO_LIMIT)
    return recovered


def _recover(journal: Path) -> bool:
    folder = journal.parent
    try:
        descriptor = os.open(journal, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        if fcntl is not None:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False  # a commit still running, or no locks here: left alone
        with open(descriptor, encoding="utf-8", closefd=False) as handle:
            try:
                files = json.load(handle)["files"]
            except (ValueError, KeyError, TypeError):
                return False
        for entry in files:
            names = [entry.get(key) for key in ("name", "temporary", "backup")]
            if not all(
                n is None or (isinstance(n, str) and n == os.path.basename(n)) for n in names
            ):
                return False
            name, temporary, backup = names
            real = folder / name
            if backup is not None and os.path.lexists(folder / backup):
                _restore(folder / backup, real)
            elif backup is None and temporary is not None:
                if os.path.lexists(folder / temporary):
                    os.unlink(folder / temporary)
                else:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(real)  # a new file, already moved in place
            if temporary is not None:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(folder / temporary)
        _sync_folder(folder)
        os.unlink(journal)
        _sync_folder(folder)
        return True
    except OSError:
        return False
    finally:
        os.close(descriptor)


def _remove_leftovers(real: Path, before_ns: int) -> None:
    """Remove the ``.NAME.*.tmp`` files that killed writes left beside *real*.

    Only regular files of this user, older than the current write, whose lock
    can be taken (no write still running holds it).
    """
    if fcntl is None or not hasattr(os, "geteuid"):  # pragma: no cover - Windows
        return
    folder = real.parent
    pattern = re.compile(re.escape(f".{real.name}.") + r"[a-z0-9_]{8}\.tmp")
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if pattern.fullmatch(name):
            with contextlib.suppress(OSError):
                _remove_if_stale(folder / name, before_ns)


def _remove_if_stale(path: Path, before_ns: int) -> None:
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
    try:
        status = os.fstat(descriptor)
        if (
            not stat.S_ISREG(status.st_mode)
            or status.st_uid != os.geteuid()
            or status.st_mtime_ns > before_ns
        ):
            return
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if in use
        again = os.lstat(path)
        if (again.st_dev, again.st_ino) == (status.st_dev, status.st_ino):
            os.unlink(path)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def staged_writes(*, mode: int | None = None) -> Iterator[StagedWrites]:
    """Write several files so that either all replace their old files or none does.

    A failure while writing any of them, or while putting them in place, leaves
    every old file as it was and no temporary file behind (see
    :class:`StagedWrites`).

    Args:
        mode: The permissions of every file; ``None`` gives a new file ``0600``
            and keeps a replaced file's own.

    Example:
        >>> import tempfile, pathlib
        >>> from socforst._atomic import staged_writes
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> with staged_writes() as staged:
        ...     for name in ("a.csv", "b.csv"):
        ...         with staged.open(folder / name) as handle:
        ...             _ = handle.write("x")
        >>> sorted(p.name for p in folder.iterdir())
        ['a.csv', 'b.csv']
    """
    staged = StagedWrites(mode=mode)
    try:
        yield staged
        staged.commit()
    except BaseException:
        staged.abort()
        raise
