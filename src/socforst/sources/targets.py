"""Where a write would land: the same place as a source, or over an existing extract (F1).

The command line refuses to write over its own source (``-o`` onto the file it
reads, ``export``/``demo`` into the folder it reads) and, without ``--force``,
over another extract. These two questions are answered here, on paths alone,
before anything is written.
"""

from __future__ import annotations

import os
from pathlib import Path

from socforst.dataset import TABLES

__all__ = ["TABLE_SUFFIXES", "holds_extract", "same_location"]

TABLE_SUFFIXES = (".csv", ".json", ".xlsx", ".db", ".sqlite", ".sqlite3", ".parquet")
"""The suffixes of the files a folder extract, or a single-file extract, has."""


def _resolved(path: Path) -> Path:
    """*path* absolute, with ``..`` and every symbolic link resolved (as far as it exists)."""
    return Path(os.path.realpath(os.path.abspath(os.path.expanduser(path))))


def _same_file(first: Path, second: Path) -> bool:
    try:
        return os.path.samefile(first, second)
    except OSError:  # one of them does not exist
        return _resolved(first) == _resolved(second)


def _within(inner: Path, outer: Path) -> bool:
    """Whether *inner* lies inside the folder *outer* (or is it)."""
    inner, outer = _resolved(inner), _resolved(outer)
    if inner == outer or outer in inner.parents:
        return True
    # A hard-linked or bind-mounted folder: compare the folders themselves.
    for folder in (inner, *inner.parents):
        if folder.exists() and outer.exists() and _same_file(folder, outer):
            return True
    return False


def same_location(source_path: str | os.PathLike[str], target_path: str | os.PathLike[str]) -> bool:
    """Whether writing *target_path* would write where *source_path* is read.

    True when both name the same file or folder (after resolving symbolic
    links, ``./a/../a``, ``~``, and hard links through ``os.path.samefile``
    when both exist), when the target lies inside the source folder, or when
    the source lies inside the target folder (an export into a folder would
    replace its table files).

    Example:
        >>> from socforst.sources.targets import same_location
        >>> same_location("extract", "./extract/../extract"), same_location("a", "b")
        (True, False)
        >>> same_location("extract", "extract/members.csv")
        True
    """
    source, target = Path(source_path), Path(target_path)
    if _same_file(source, target):
        return True
    return _within(target, source) or _within(source, target)


def holds_extract(path: str | os.PathLike[str]) -> bool:
    """Whether *path* holds data that a write would replace: ask for ``--force`` first.

    True for any existing file other than a FIFO or a device (a JSON document,
    a workbook, a database, a report written before), and for a folder holding
    any table file (``members.csv``, ``reports.json``, ..., see
    :data:`socforst.dataset.TABLES`) or any ``*.ics`` calendar. False for a
    path that does not exist, an empty folder or one with other files only,
    and for streams (``/dev/stdout``, a FIFO), which hold nothing to lose.

    Example:
        >>> import tempfile, pathlib
        >>> from socforst.sources.targets import holds_extract
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> holds_extract(folder), holds_extract(folder / "new")
        (False, False)
        >>> _ = (folder / "members.csv").write_text("member_id")
        >>> holds_extract(folder), holds_extract(folder / "members.csv")
        (True, True)
    """
    location = Path(path)
    try:
        if location.is_file():
            return True
        if not location.is_dir():
            return False  # missing, a FIFO, a device
        with os.scandir(location) as entries:
            for entry in entries:
                stem, suffix = os.path.splitext(entry.name)
                table_file = stem in TABLES and suffix.lower() in TABLE_SUFFIXES
                if (table_file or suffix.lower() == ".ics") and entry.is_file():
                    return True
    except OSError:
        return False
    return False
