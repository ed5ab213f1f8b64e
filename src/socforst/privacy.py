"""Keyed pseudonymisation: identity numbers and ids turned into opaque pseudonyms.

socforst refuses Swedish personal identity numbers (personnummer) wherever it
expects an id. This module makes the ids socforst accepts: each value is
replaced by an HMAC-SHA256 of it under a secret key that the user keeps. The
same key gives the same value the same pseudonym in every file, so records
still link; without the key, nobody can recompute a pseudonym from a number.

The key is given as an argument or read from the environment variable
``SOCFORST_PSEUDONYM_KEY``. It must be at least 16 bytes and look random
(see :func:`key_from_environment`). socforst never stores it, writes it, or
shows it in a ``repr``, a log or an error message.

Three ways in:

- :func:`pseudonymize` for one value;
- :func:`pseudonymize_csv_folder` for a folder of CSV files that still holds
  identity numbers (the models refuse them, so this works on the raw rows,
  before any record is built);
- :func:`pseudonymize_dataset` for a :class:`~socforst.dataset.Dataset` that
  is already loaded.

Identity numbers are found in every spelling :mod:`socforst.ids` refuses
(``811218-9876``, ``19811218-9876``, ``811218 9876``, ``811218.9876``,
``811218_9876``, an en dash, no separator, ``+``), also inside a longer value
(``m-811218-9876``), and every spelling of one person's number gets one
pseudonym.

And a command, which reads the key from the environment only::

    SOCFORST_PSEUDONYM_KEY=... python -m socforst.privacy extract/ pseudonymised/

It is the same as ``socforst pseudonymize``, with the same options, messages
and exit statuses (0 done, 1 an error, 2 a usage error, 130 interrupted).
"""

from __future__ import annotations

import argparse
import base64
import bisect
import codecs
import contextlib
import contextvars
import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from socforst._atomic import make_folder, staged_writes
from socforst._pin import find_pins, is_pin
from socforst.dataset import TABLES, Dataset
from socforst.errors import (
    LoadError,
    RowError,
    SocforstError,
    ValidationError,
    redact,
    shown_column,
)
from socforst.sources.rows import UnknownColumnWarning, columns_of
from socforst.team import TeamMember

__all__ = [
    "ID_COLUMNS",
    "KEY_VARIABLE",
    "MARKER",
    "MIN_KEY_BYTES",
    "MIN_KEY_DISTINCT_BYTES",
    "PseudonymKeyError",
    "PseudonymizationError",
    "key_from_environment",
    "main",
    "normalize_personal_identity_number",
    "pseudonymize",
    "pseudonymize_csv_folder",
    "pseudonymize_dataset",
]

KEY_VARIABLE = "SOCFORST_PSEUDONYM_KEY"
"""The environment variable the key is read from when none is given."""

MIN_KEY_BYTES = 16
"""The shortest key accepted, in bytes (128 bits)."""

MARKER = ".socforst-pseudonyms.json"
"""The file :func:`pseudonymize_csv_folder` writes beside its copy: a key check
(an HMAC under the key of a fixed text, which tells whether two runs used one
key and nothing about the key), so that a later run with another key, or into
a folder it did not write, is refused rather than mixed."""

MIN_KEY_DISTINCT_BYTES = 8
"""The fewest different bytes a key may have.

``aaaaaaaaaaaaaaaa`` or sixteen spaces are 16 bytes but no secret. A random
key of 16 bytes or more has fewer all but never (the 43 characters of
``secrets.token_urlsafe(32)`` have about 31 different ones)."""

ID_COLUMNS: tuple[str, ...] = (
    "member_id",
    "report_id",
    "investigation_id",
    "placement_id",
    "custody_id",
    "restriction_id",
    "request_id",
    "assignment_id",
    "team_id",
)
"""The columns that hold ids, in every table that has them (``member_id`` in
``members``, ``absences``, ``assignments``, ``reports`` and ``investigations``, ...)."""

_PREFIX = "p"
_PSEUDONYM_CHARACTERS = 20  # 100 bits of base32: see pseudonymize
_MAX_ERRORS = 1000  # as socforst.sources.rows: the errors of one run listed, then a count
_EXIT_ERROR = 1
_EXIT_USAGE = 2
_EXIT_INTERRUPTED = 130
_MAX_ERROR_LINES = 20  # as the socforst command: the bad rows listed before "... and N more"
# What may pad a cell around an identity number: whitespace, and the NUL, zero-width
# space, word joiner and byte-order mark that fixed-width exports leave behind.
_PADDING = re.compile(r"^[\s\x00\u200b\u2060\ufeff]+|[\s\x00\u200b\u2060\ufeff]+$")
_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PLAIN_VARIABLE_NAME = re.compile(r"[A-Z][A-Z0-9_]{0,63}")
# Variables every system sets, whose value is no secret: --key-env PATH would make
# the search path the key. Compared in upper case (Windows names ignore case).
_SYSTEM_VARIABLES = frozenset(
    {
        "_",
        "APPDATA",
        "COLUMNS",
        "COMPUTERNAME",
        "COMSPEC",
        "DISPLAY",
        "EDITOR",
        "HOME",
        "HOMEDRIVE",
        "HOMEPATH",
        "HOSTNAME",
        "LANG",
        "LANGUAGE",
        "LD_LIBRARY_PATH",
        "LINES",
        "LOCALAPPDATA",
        "LOGNAME",
        "MAIL",
        "MANPATH",
        "OLDPWD",
        "OS",
        "PAGER",
        "PATH",
        "PATHEXT",
        "PROGRAMFILES",
        "PS1",
        "PWD",
        "PYTHONHOME",
        "PYTHONPATH",
        "SHELL",
        "SHLVL",
        "SSH_AUTH_SOCK",
        "SYSTEMROOT",
        "TEMP",
        "TERM",
        "TMP",
        "TMPDIR",
        "TZ",
        "USER",
        "USERNAME",
        "USERPROFILE",
        "VIRTUAL_ENV",
        "VISUAL",
        "WINDIR",
    }
)
_MAKE_A_KEY = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"


class PseudonymizationError(SocforstError, ValueError):
    """Data cannot be pseudonymised as asked (a missing folder, the same folder twice, ...)."""


class PseudonymKeyError(PseudonymizationError):
    """The pseudonymisation key is missing, too short or too plain to be a secret.

    The message says what is wrong with the key, never what the key is.
    """


# -- The key ----------------------------------------------------------------------


def _looks_like_path(key: str) -> bool:
    """Whether *key* is a file path, or a list of them, that exists (``$PATH``, ``$HOME``)."""
    for part in key.split(os.pathsep):
        if ("/" in part or os.sep in part) and os.path.exists(part):
            return True
    return False


def _key_bytes(key: bytes | str | None, where: str = "the key") -> bytes:
    """The key as bytes, from the argument or the environment; checked, never shown."""
    if key is None:
        return key_from_environment()
    if isinstance(key, str):
        if not key.strip():
            raise PseudonymKeyError(
                f"{where} is only whitespace: use random bytes, such as the output of: "
                + _MAKE_A_KEY
            )
        if key != key.strip():
            # "key" and "key\n" would give different pseudonyms: the same secret read
            # from a file and typed would no longer link the same people.
            raise PseudonymKeyError(
                f"{where} begins or ends with whitespace (a line break from a file?): "
                "remove it, so that the key gives the same pseudonyms wherever it is read"
            )
        if _looks_like_path(key):
            raise PseudonymKeyError(
                f"{where} is a file path, not a secret (does --key-env name a system "
                "variable such as PATH or HOME?): use random bytes, such as the output of: "
                + _MAKE_A_KEY
            )
        key = key.encode("utf-8")
    if not isinstance(key, bytes):
        raise PseudonymKeyError(f"the key must be bytes or str, not {type(key).__name__}")
    if len(key) < MIN_KEY_BYTES:
        raise PseudonymKeyError(
            f"{where} is too short ({len(key)} bytes): use at least {MIN_KEY_BYTES} random "
            f"bytes, such as the output of: {_MAKE_A_KEY}"
        )
    if not key.strip():
        raise PseudonymKeyError(
            f"{where} is only whitespace: use random bytes, such as the output of: " + _MAKE_A_KEY
        )
    distinct = len(set(key))
    if distinct < MIN_KEY_DISTINCT_BYTES:
        raise PseudonymKeyError(
            f"{where} has only {_plural(distinct, 'different byte')} in {len(key)}: too "
            f"plain to be a secret, anyone could guess it; use at least "
            f"{MIN_KEY_DISTINCT_BYTES} different ones, as random bytes have, such as the "
            f"output of: {_MAKE_A_KEY}"
        )
    return key


def _shown_variable(name: str) -> str:
    """The name of an environment variable for a message, unless it might be the key itself."""
    if _PLAIN_VARIABLE_NAME.fullmatch(name):
        return name
    return f"named by --key-env (a name of {len(name)} characters, not shown: it may be the key)"


def key_from_environment(variable: str = KEY_VARIABLE) -> bytes:
    """The pseudonymisation key held by the environment variable *variable*, checked.

    The checks, each an error that says what is wrong and never shows the key:

    - *variable* must be the name of an environment variable (not empty, not the
      key itself typed by mistake) and not one every system sets (``PATH``,
      ``HOME``, ``USER``, ...), whose value is no secret;
    - the variable must be set and not empty;
    - the key must be at least :data:`MIN_KEY_BYTES` bytes, have at least
      :data:`MIN_KEY_DISTINCT_BYTES` different bytes, not be only whitespace,
      not begin or end with whitespace (``key`` and ``key`` plus a line break
      would give different pseudonyms), and not be an existing file path.

    Args:
        variable: The variable's name (``SOCFORST_PSEUDONYM_KEY`` by default).

    Returns:
        The key as its UTF-8 bytes.

    Raises:
        PseudonymKeyError: If any check fails.
    """
    if not variable:
        raise PseudonymKeyError(
            "no environment variable named for the key (--key-env ''): name the variable "
            f"that holds the key, such as {KEY_VARIABLE}, never the key itself"
        )
    if not _VARIABLE_NAME.fullmatch(variable):
        raise PseudonymKeyError(
            f"the environment variable {_shown_variable(variable)} is not a variable name "
            "(letters, digits and _): give the name of the variable that holds the key, "
            "never the key itself"
        )
    if variable.upper() in _SYSTEM_VARIABLES or variable.upper().startswith("LC_"):
        raise PseudonymKeyError(
            f"{_shown_variable(variable)} is a system variable, not a secret: put the key in "
            f"a variable of its own, such as {KEY_VARIABLE}"
        )
    key = os.environ.get(variable)
    if not key:
        raise PseudonymKeyError(
            f"no pseudonymisation key: set the environment variable {_shown_variable(variable)} "
            f"(at least {MIN_KEY_BYTES} random bytes, kept in a secrets store)"
        )
    return _key_bytes(key, f"the key in {_shown_variable(variable)}")


# -- Identity numbers and pseudonyms ----------------------------------------------


def _strip_padding(text: str) -> str:
    return _PADDING.sub("", text)


def _normal_form(number: str, today: dt.date) -> str:
    """The 12 digits of *number*, one valid identity number in any spelling _pin finds."""
    # Unicode digits (full-width, Arabic-Indic) count as the digits they are.
    digits = "".join(str(int(char)) for char in number if char.isdecimal())
    if len(digits) == 12:
        return digits
    year = today.year
    # SKV 704: '-' (or any other separator, or none) until the year the person turns
    # 100, '+' from that year on.
    latest = year - 100 if "+" in number else year
    yy = int(digits[:2])
    born = latest - (latest - yy) % 100
    return f"{born // 100:02d}{digits}"


def normalize_personal_identity_number(value: str, *, today: dt.date | None = None) -> str:
    """One form for every way of writing one personal identity number: 12 digits, no sign.

    ``811218-9876``, ``8112189876``, ``19811218-9876``, ``811218 9876``,
    ``811218.9876``, ``811218_9876`` and the same with an en dash (U+2013) are one
    person, ``198112189876``: every spelling :mod:`socforst.ids` refuses has
    this one form. Surrounding whitespace, NUL and zero-width characters are
    ignored. A 10-digit number has no century, so it is inferred from the
    sign, as Skatteverket writes the numbers (SKV 704):

    - ``+``: the person is 100 years old or more (the sign changes in the year
      of the 100th birthday), so the birth year is the latest year ending in
      ``YY`` that is at least 100 years before *today*'s year;
    - any other separator, or none: the person is 0-99 years old, so the birth
      year is the latest year ending in ``YY`` that is not after *today*'s year.

    The inference depends on the date: a number written ``270101-...`` in 2026
    is from 1927, the same text in 2027 from 2027 (in 2027 the person born in
    1927 is written with ``+``). Prefer the 12-digit form in data kept for long.
    A coordination number (samordningsnummer, day + 60) is normalised the same way.

    Args:
        value: A valid personal identity or coordination number.
        today: The date the number's sign refers to; today when ``None``.

    Raises:
        ValidationError: If *value* is not a valid personal identity number
            (the message does not repeat it).

    Example:
        >>> import datetime as dt
        >>> from socforst.privacy import normalize_personal_identity_number
        >>> normalize_personal_identity_number("811218-9876")
        '198112189876'
        >>> normalize_personal_identity_number("811218 9876")
        '198112189876'
        >>> normalize_personal_identity_number("811218+9876", today=dt.date(2026, 11, 23))
        '188112189876'
        >>> normalize_personal_identity_number("201218-9870", today=dt.date(2026, 11, 23))
        '202012189870'
    """
    text = _strip_padding(value) if isinstance(value, str) else ""
    if not is_pin(text):
        raise ValidationError("value", "is not a valid Swedish personal identity number")
    return _normal_form(text, today or dt.date.today())


def _replace_pins(text: str, replacement: Callable[[str], str]) -> str:
    """*text* with each identity number in it replaced by ``replacement(number)``."""
    spans = list(find_pins(text))
    if not spans:
        return text
    parts: list[str] = []
    last = 0
    for start, end in spans:
        parts += [text[last:start], replacement(text[start:end])]
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _digest(canonical: str, key: bytes) -> str:
    mac = hmac.new(key, canonical.encode("utf-8"), hashlib.sha256).digest()
    return _PREFIX + base64.b32encode(mac).decode("ascii").lower()[:_PSEUDONYM_CHARACTERS]


def _canonical(value: str, today: dt.date) -> str:
    """The text hashed for a whole value: numbers in it written in their 12-digit form."""
    text = _strip_padding(value)
    if not text:
        raise ValidationError("value", "is empty: there is nothing to pseudonymise")
    if is_pin(text):
        return _normal_form(text, today)
    return _replace_pins(text, lambda number: _normal_form(number, today))


def pseudonymize(value: str, key: bytes | str | None = None) -> str:
    """The keyed pseudonym of *value*: an opaque id that socforst accepts.

    The pseudonym is ``p`` followed by the first 20 characters (100 bits) of
    the lower-case base32 (RFC 4648: ``a-z`` and ``2-7``) of the HMAC-SHA256 of
    the value under *key*. A personal identity number is first written in one
    form (see :func:`normalize_personal_identity_number`), so ``811218-9876``,
    ``8112189876``, ``811218.9876`` and ``19811218-9876`` get one pseudonym; so
    is a number inside a longer value (``m-811218-9876`` is hashed as
    ``m-198112189876``). Any other value is hashed as it is, after stripping
    surrounding whitespace.

    Base32 has no digits 0, 1, 8 or 9, so a pseudonym can never hold, nor form
    with the digits around it, something that reads as an identity number (the
    month would need a 0 or a 1): socforst never refuses its own pseudonyms.
    100 bits are plenty: among *n* distinct values, the chance that two share a
    pseudonym is at most about n²/2¹⁰¹; for every person in Sweden (n ≈ 10⁷)
    that is below 10⁻¹⁶.

    The pseudonym is the same for the same key and value on every run and
    machine; without the key it cannot be recomputed, even though the valid
    identity numbers are few enough to try them all.

    Args:
        value: A personal identity number, or any other id.
        key: The secret key (at least 16 bytes with at least 8 different ones;
            a ``str`` counts as its UTF-8 bytes). When ``None``, the
            environment variable ``SOCFORST_PSEUDONYM_KEY`` holds it.

    Returns:
        ``p`` and 20 characters from ``a-z 2-7``.

    Raises:
        PseudonymKeyError: If there is no key, or it is too short or too plain.
        ValidationError: If *value* is empty.

    Example:
        >>> from socforst.privacy import pseudonymize
        >>> key = b"for this example only: keep real keys in a secrets store"
        >>> pseudonymize("811218-9876", key)
        'pzaufld3gnpwevjzk43d3'
        >>> pseudonymize("19811218-9876", key) == pseudonymize("811218 9876", key)
        True
    """
    return _digest(_canonical(value, dt.date.today()), _key_bytes(key))


# -- A folder of CSV files ----------------------------------------------------


def _check_delimiter(delimiter: str) -> None:
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        length = len(delimiter) if isinstance(delimiter, str) else 0
        raise PseudonymizationError(
            f"the delimiter must be one character, such as ',' or ';', got {length} characters"
        )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@attrs.define
class _Problems:
    """The errors of one run, the first ones kept and the rest counted.

    Mutable: it collects as the files are read.
    """

    errors: list[RowError] = attrs.field(factory=list)
    count: int = 0

    def add(self, error: RowError) -> None:
        self.count += 1
        if len(self.errors) < _MAX_ERRORS:
            self.errors.append(error)


# Undecodable bytes found while decoding one file: the codec error handler below
# records their offsets here (a context variable, so that threads do not mix).
_BAD_BYTES: contextvars.ContextVar[list[int]] = contextvars.ContextVar("socforst_bad_bytes")
_ERROR_HANDLER = "socforst-privacy-record"
_LINE_END = re.compile(rb"\r\n|\r|\n")


class _EnoughBadBytesError(Exception):
    """Raised by the codec error handler to stop decoding: enough bad bytes are known."""


def _record_bad_bytes(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = _BAD_BYTES.get()
    bad.append(error.start)
    if len(bad) >= _MAX_ERRORS:
        # A file of another encoding (or no text at all) has bad bytes everywhere:
        # a bounded number of them says enough, in bounded time and memory.
        raise _EnoughBadBytesError
    return "\ufffd", error.end


codecs.register_error(_ERROR_HANDLER, _record_bad_bytes)


def _decoded(data: bytes, encoding: str, file: Path, table: str, problems: _Problems) -> str | None:
    """The text of a file; each line with bytes that are not *encoding* is one error."""
    token = _BAD_BYTES.set([])
    try:
        text: str | None = data.decode(encoding, errors=_ERROR_HANDLER)
    except _EnoughBadBytesError:
        text = None
    finally:
        bad = _BAD_BYTES.get()
        _BAD_BYTES.reset(token)
    if not bad:
        return text
    # Line n (from 1) starts at starts[n - 1]; LF, CR LF and CR end a line, as for csv.
    starts = [0] + [match.end() for match in _LINE_END.finditer(data, 0, bad[-1] + 1)]
    lines: dict[int, int] = {}
    for offset in bad:
        lines.setdefault(bisect.bisect_right(starts, offset), offset)
    stopped = len(bad) >= _MAX_ERRORS
    for line, offset in lines.items():
        reason = (
            f"is not {encoding} text (byte {offset} of the file); give the right "
            "encoding, such as encoding='cp1252'"
        )
        if stopped and line == max(lines):
            reason += f" (the file was read no further: {len(bad)} bad bytes are enough)"
        problems.add(RowError(str(file), table, line, None, reason))
    return None


def _read_rows(
    file: Path, table: str, delimiter: str, encoding: str, problems: _Problems
) -> tuple[list[str], list[list[str]]]:
    """The header and each non-blank row; every problem of the file is added to *problems*."""
    source = str(file)
    try:
        data = file.read_bytes()
    except OSError as error:
        problems.add(RowError(source, table, None, None, f"cannot be read: {error.strerror}"))
        return [], []
    text = _decoded(data, encoding, file, table, problems)
    if text is None:
        return [], []  # its rows would be misread: the errors above say why
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [name.strip() for name in next(reader, [])]
    except csv.Error as error:
        problems.add(RowError(source, table, 1, None, f"is not valid CSV ({error})"))
        return [], []
    rows: list[list[str]] = []
    start = reader.line_num + 1
    while True:
        try:
            # One loop for the good rows; a bad one ends it, and it is entered again.
            for cells in reader:
                if not any(cell.strip() for cell in cells):
                    pass  # a blank line holds no record
                elif len(cells) > len(header):
                    problems.add(
                        RowError(
                            source,
                            table,
                            start,
                            None,
                            f"has {len(cells)} cells but the header has {len(header)} columns",
                        )
                    )
                else:
                    rows.append(cells + [""] * (len(header) - len(cells)))
                start = reader.line_num + 1
            return header, rows
        except csv.Error as error:
            problems.add(
                RowError(source, table, reader.line_num, None, f"is not valid CSV ({error})")
            )
            if reader.line_num < start:  # pragma: no cover - the reader did not move on
                return header, rows
            start = reader.line_num + 1


def _known_columns() -> frozenset[str]:
    return frozenset(name for kind in TABLES.values() for name in columns_of(kind))


def _check_column_names(option: str, names: Iterable[str]) -> frozenset[str]:
    if isinstance(names, str):
        names = [names]  # one column, not its characters
    chosen = frozenset(names)
    unknown = sorted(chosen - _known_columns())
    if unknown:
        raise PseudonymizationError(
            f"{option} names columns the data formats do not have: "
            + ", ".join(shown_column(name) for name in unknown)
        )
    return chosen


def _described_columns(header: list[str], indexes: list[int]) -> str:
    """The columns at *indexes* for a message: plain names quoted, other cells described."""
    parts = []
    for index in indexes:
        name = header[index]
        described = shown_column(name)
        parts.append(described if described.startswith("'") else f"column {index + 1} {described}")
    return ", ".join(parts)


def _key_check(secret: bytes) -> str:
    """A value that tells whether two runs used one key, and nothing about the key.

    An HMAC under the key of a text no cell can hold (it starts with a NUL,
    which padding stripping removes from every value hashed).
    """
    return _digest("\x00socforst pseudonymisation key check", secret)


def _written_key_check(target: Path) -> str | None:
    """The key check of the run that wrote *target*; ``None`` if none did, or it is unreadable."""
    try:
        marker = json.loads((target / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    check = marker.get("key_check") if isinstance(marker, dict) else None
    return check if isinstance(check, str) else None


def _same_folder(first: Path, second: Path) -> bool:
    if not (first.exists() and second.exists()):
        return False
    try:
        return first.resolve() == second.resolve() or os.path.samefile(first, second)
    except OSError:
        return False


def _check_target(
    source: Path, target: Path, tables: Iterable[str], key_check: str, overwrite: bool
) -> list[str]:
    """Refuse a target whose files would mix with this run's; the tables to remove with it.

    Nothing is written here: every refusal leaves *target* as it was.
    """
    if _same_folder(source, target):
        raise PseudonymizationError(
            redact(
                f"the target folder must differ from the source folder ({source}): "
                "the source is read, never overwritten"
            )
        )
    if (target.exists() or target.is_symlink()) and not target.is_dir():
        raise PseudonymizationError(redact(f"the target {target} is not a folder"))
    if not target.is_dir():
        return []
    present = [table for table in TABLES if os.path.lexists(target / f"{table}.csv")]
    if not present:
        return []
    written = _written_key_check(target)
    if written is None and not overwrite:
        raise PseudonymizationError(
            redact(
                f"the target folder {target} holds table files that socforst pseudonymize did "
                "not write (an extract, perhaps with identity numbers): choose an empty folder, "
                "or replace them with overwrite=True (--force)"
            )
        )
    if written is not None and written != key_check and not overwrite:
        raise PseudonymizationError(
            redact(
                f"the target folder {target} was written with another key: its pseudonyms "
                "would not link with this run's, and the two must not mix in one folder; "
                "choose an empty folder, or replace every table file in it with "
                "overwrite=True (--force)"
            )
        )
    if not overwrite:
        return []  # the same key: the tables the source lacks still link
    done = set(tables)
    return [table for table in present if table not in done]


def _missing_folders(target: Path) -> list[Path]:
    """The folders ``make_folder`` will create for *target*, the outermost first."""
    missing: list[Path] = []
    folder = Path(os.path.abspath(target))
    while not os.path.lexists(folder) and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    return list(reversed(missing))


def pseudonymize_csv_folder(
    source: Path | str,
    target: Path | str,
    key: bytes | str | None = None,
    *,
    columns: Iterable[str] | None = None,
    case_numbers: Iterable[str] = (),
    delimiter: str = ",",
    encoding: str = "utf-8-sig",
    all_ids: bool = False,
    keep_names: bool = False,
    overwrite: bool = False,
) -> dict[str, int]:
    """Copy a folder of CSV files with every personal identity number replaced by a pseudonym.

    socforst refuses to load data with identity numbers in it, so this works on
    the raw rows. It reads each table file of the data formats
    (``members.csv``, ``assignments.csv``, ...) in *source* and writes a copy
    to *target* in which:

    - in an id column (:data:`ID_COLUMNS`, or *columns*), a value that is a
      personal identity number, padded or not, becomes its :func:`pseudonym
      <pseudonymize>`; with *all_ids*, every non-empty value does;
    - in every copied column (ids, ``district``, ``task``, dates, ...), each
      identity number inside a longer value is replaced by its pseudonym in
      place: ``m-811218-9876`` becomes ``m-p`` and 20 characters, still an id,
      and a number in a district column becomes a pseudonym (which then fails
      to load as a district code, rather than showing the number);
    - the ``name`` column of ``members.csv`` is dropped, unless *keep_names*;
    - columns that the data formats do not define are dropped, with an
      :class:`~socforst.sources.rows.UnknownColumnWarning` that names the plain
      ones and describes the others by position (a header cell may be a
      person's number, in an extract without a header row);
    - files that are not table files (``notes.csv``, ``deadlines.csv``) are not
      copied.

    Every spelling of one person's number (``811218-9876``, ``8112189876``,
    ``19811218-9876``, ``811218 9876``, ``811218.9876``, ``811218_9876``, an en
    dash, ``+``) gets one pseudonym in every table, so an assignment's
    ``member_id`` still names its member.

    Case numbers numbered by date (``YYMMDDNNNN``) pass the check digit of an
    identity number about one time in ten. Name such columns in
    *case_numbers* (``report_id``, ``investigation_id``) and their values are
    left as they are (with *all_ids*, hashed as written); never name a column
    that may hold a person's number. The copy then loads with the source
    option of the same name.

    The copy is UTF-8 with ``,`` between cells, so
    ``socforst.open_source("csv:TARGET")`` reads it with the default options.
    It is written all or nothing: every file is read first, every problem
    reported at once, then every file is written aside and put in place only
    when all are written; a failure part-way leaves *target* as it was, and
    no temporary file behind. A new *target* folder is readable by its owner
    only.

    Two keys never mix in one target. Beside the copy, the file :data:`MARKER`
    holds a check of the key. A later run into a target that holds table files
    is refused, unless *overwrite*, when the target was written with another
    key, or not by this function at all (an extract, perhaps the raw one).
    With the same key, the copy replaces the tables it has and leaves the
    others, whose pseudonyms still link; with *overwrite*, every table file
    the source lacks is removed in the same all-or-nothing step.

    Args:
        source: The folder to read.
        target: The folder to write; created if missing; not *source*.
        key: The secret key, as for :func:`pseudonymize`; from the environment
            variable ``SOCFORST_PSEUDONYM_KEY`` when ``None``.
        columns: The id columns, instead of :data:`ID_COLUMNS`.
        case_numbers: Id columns that hold case numbers, not people's numbers.
        delimiter: The field separator of the source files (``,`` or ``;``).
        encoding: The source files' encoding (``utf-8-sig``, ``cp1252``, ...).
        all_ids: Replace every non-empty value in the id columns, not only the
            identity numbers: the ids of a city's own systems can be personal
            data too.
        keep_names: Keep the ``name`` column of ``members.csv``.
        overwrite: Replace a target written with another key, or not written
            by this function, and remove its table files the source lacks.

    Returns:
        For each table file read, the number of values (cells) changed.

    Raises:
        PseudonymKeyError: If there is no key, or it is too short or too
            plain; checked before anything is read.
        PseudonymizationError: If *source* is not a folder; if *target* is
            *source* or not a folder, or holds table files written with
            another key or not by this function (without *overwrite*); if a
            column option names an unknown column or a case-number column
            that is not an id column, the delimiter is not one character, or
            the encoding is unknown.
        LoadError: Listing every file that cannot be read and every bad row
            (the wrong encoding, bad CSV, a row longer than the header, a
            column named twice in a header); nothing is written.
        WriteError: If the target cannot be written; it is left as it was.

    Example:
        >>> from pathlib import Path
        >>> from socforst.privacy import pseudonymize_csv_folder
        >>> counts = pseudonymize_csv_folder(  # doctest: +SKIP
        ...     Path("extract"), Path("pseudonymised"), delimiter=";", encoding="cp1252"
        ... )
        >>> counts  # doctest: +SKIP
        {'members': 12, 'assignments': 40}
    """
    secret = _key_bytes(key)
    _check_delimiter(delimiter)
    try:
        codecs.lookup(encoding)
    except (LookupError, TypeError):
        raise PseudonymizationError(
            "unknown encoding: give one Python knows, such as utf-8-sig or cp1252"
        ) from None
    id_columns = _check_column_names("columns", ID_COLUMNS if columns is None else columns)
    case_columns = _check_column_names("case_numbers", case_numbers)
    if case_columns - id_columns:
        raise PseudonymizationError(
            "case_numbers names columns that are not id columns: "
            + ", ".join(shown_column(name) for name in sorted(case_columns - id_columns))
            + "; only ids can be case numbers"
        )
    source, target = Path(source), Path(target)
    if not source.is_dir():
        raise PseudonymizationError(redact(f"{source} is not a folder"))
    today = dt.date.today()
    pseudonyms: dict[str, str] = {}

    def pseudonym_of(canonical: str) -> str:
        if canonical not in pseudonyms:
            pseudonyms[canonical] = _digest(canonical, secret)
        return pseudonyms[canonical]

    def number_pseudonym(number: str) -> str:
        return pseudonym_of(_normal_form(number, today))

    def copied(cell: str, column: str) -> str:
        """The cell as it goes into the copy."""
        if column in case_columns:
            text = _strip_padding(cell)
            return pseudonym_of(text) if all_ids and text else cell
        if column in id_columns:
            text = _strip_padding(cell)
            if all_ids and text:
                return pseudonym_of(_canonical(text, today))
            if is_pin(text):
                return number_pseudonym(text)
        return _replace_pins(cell, number_pseudonym)

    problems = _Problems()
    results: list[tuple[str, list[str], list[list[str]]]] = []
    counts: dict[str, int] = {}
    for table, kind in TABLES.items():
        file = source / f"{table}.csv"
        if not file.is_file():
            continue
        before = problems.count
        header, rows = _read_rows(file, table, delimiter, encoding, problems)
        defined = columns_of(kind)
        known = set(defined)
        if table == "members" and not keep_names:
            known.discard("name")
        seen: set[str] = set()
        for name in header:
            if name in known and name in seen:
                problems.add(
                    RowError(str(file), table, 1, name, "appears more than once in the header")
                )
            seen.add(name)
        unknown = [
            index
            for index, name in enumerate(header)
            if name not in defined and (name or any(row[index].strip() for row in rows))
        ]
        if unknown:
            warnings.warn(
                f"{redact(str(file))}: not copying "
                f"{_plural(len(unknown), 'unknown column')}: {_described_columns(header, unknown)}",
                UnknownColumnWarning,
                stacklevel=2,
            )
        if problems.count > before:
            continue
        kept = [index for index, name in enumerate(header) if name in known]
        changed = 0
        out: list[list[str]] = []
        for cells in rows:
            row: list[str] = []
            for index in kept:
                cell = copied(cells[index], header[index])
                changed += cell != cells[index]
                row.append(cell)
            out.append(row)
        results.append((table, [header[index] for index in kept], out))
        counts[table] = changed
    if problems.count:
        listed = "" if problems.count == len(problems.errors) else f" (the first {_MAX_ERRORS})"
        raise LoadError(
            redact(
                f"{_plural(problems.count, 'problem')}{listed} reading {source}; nothing written"
            ),
            problems.errors,
        )
    key_check = _key_check(secret)
    stale = _check_target(source, target, counts, key_check, overwrite)
    created = _missing_folders(target)
    try:
        make_folder(target)
        with staged_writes() as staged:
            for table, out_header, out_rows in results:
                with staged.open(target / f"{table}.csv", encoding="utf-8", newline="") as handle:
                    writer = csv.writer(handle, lineterminator="\n")
                    if out_header:
                        writer.writerow(out_header)
                    writer.writerows(out_rows)
            for table in stale:
                staged.remove(target / f"{table}.csv")
            with staged.open(target / MARKER, encoding="utf-8", newline="") as handle:
                json.dump({"socforst_pseudonyms": 1, "key_check": key_check}, handle)
                handle.write("\n")
    except BaseException:
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if still empty: nothing of the user's is removed
        raise
    return counts


# -- A loaded dataset ----------------------------------------------------------


def pseudonymize_dataset(
    dataset: Dataset,
    key: bytes | str | None = None,
    *,
    keep_names: bool = False,
    case_numbers: Iterable[str] = (),
) -> Dataset:
    """A copy of *dataset* with every id replaced by its pseudonym, and without names.

    Every value of an id field (:data:`ID_COLUMNS`) in every table is replaced
    by its :func:`pseudonymize` pseudonym; one value gets one pseudonym in every
    table, so an assignment's ``member_id`` still names its member. Members'
    names are dropped (set to ``None``) unless *keep_names*. Any personal
    identity number in another text field (a ``task``, a kept name, an
    ``exceptional_reason``) is replaced by its pseudonym in place. District
    codes are not ids and stay as they are.

    Args:
        dataset: The loaded dataset.
        key: The secret key, as for :func:`pseudonymize`.
        keep_names: Keep the members' names.
        case_numbers: Id fields that hold case numbers (loaded under
            :func:`~socforst.ids.case_number_columns`): their values are hashed
            as written, not read as identity numbers first.

    Returns:
        The pseudonymised dataset; *dataset* itself is unchanged.

    Raises:
        PseudonymKeyError: If there is no key, or it is too short or too plain.

    Example:
        >>> import datetime as dt
        >>> from socforst import Dataset, TeamMember
        >>> from socforst.privacy import pseudonymize_dataset
        >>> data = Dataset(members=[TeamMember(member_id="m1", team_id="t1", name="Anna",
        ...                                    employed_from=dt.date(2016, 1, 4))])
        >>> key = b"for this example only: keep real keys in a secrets store"
        >>> member = pseudonymize_dataset(data, key).members[0]
        >>> member.member_id, member.team_id, member.name
        ('p4rf53isciyywvgpfevvv', 'pd4h52muvq5e5oryslygz', None)
    """
    secret = _key_bytes(key)
    case_columns = _check_column_names("case_numbers", case_numbers)
    today = dt.date.today()
    pseudonyms: dict[tuple[bool, str], str] = {}

    def pseudonym(value: str, as_written: bool) -> str:
        if (as_written, value) not in pseudonyms:
            canonical = _strip_padding(value) if as_written else _canonical(value, today)
            pseudonyms[as_written, value] = _digest(canonical, secret)
        return pseudonyms[as_written, value]

    def in_text(value: str) -> str:
        return _replace_pins(value, lambda number: pseudonym(number, False))

    tables: dict[str, Any] = {}
    for table, records in dataset.tables():
        kind = TABLES[table]
        names = columns_of(kind)
        fields = [name for name in names if name in ID_COLUMNS]
        texts = [name for name in names if name not in ID_COLUMNS]
        drop_name = kind is TeamMember and not keep_names
        changed: list[Any] = []
        for record in records:
            changes: dict[str, Any] = {
                name: pseudonym(value, name in case_columns)
                for name in fields
                if (value := getattr(record, name)) is not None
            }
            for name in texts:
                value = getattr(record, name)
                if isinstance(value, str) and (replaced := in_text(value)) != value:
                    changes[name] = replaced
                elif isinstance(value, frozenset) and any(isinstance(v, str) for v in value):
                    words = frozenset(in_text(v) if isinstance(v, str) else v for v in value)
                    if words != value:
                        changes[name] = words
            if drop_name:
                changes["name"] = None
            changed.append(attrs.evolve(record, **changes) if changes else record)
        tables[table] = tuple(changed)
    # evolve keeps what is not a table, such as the columns the source had.
    return attrs.evolve(dataset, **tables)


# -- The command -----------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        # One line, no usage block: the error is what the user needs to see.
        self.exit(_EXIT_USAGE, f"{self.prog}: error: {redact(message)} (see --help)\n")


def _column_list(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m socforst.privacy",
        description=(
            "Copy a folder of socforst CSV files with every personal identity number "
            "(in any spelling, in any column) replaced by a keyed pseudonym, and the "
            "members' names dropped. The same as: socforst pseudonymize."
        ),
        epilog=(
            f"The key is read from the environment variable {KEY_VARIABLE} (or the one "
            f"--key-env names) only: at least {MIN_KEY_BYTES} random bytes. It is never "
            "taken on the command line, where it would land in the shell history and the "
            "process list. Keep it in a secrets store, apart from the data; the same key "
            "gives the same pseudonyms on every run. Exit status: 0 done, 1 an error, "
            "2 a usage error, 130 interrupted."
        ),
    )
    parser.add_argument("source", type=Path, help="the folder of CSV files to read")
    parser.add_argument("target", type=Path, help="the folder to write (not the source)")
    parser.add_argument(
        "--key-env",
        metavar="NAME",
        default=KEY_VARIABLE,
        help=f"the environment variable that holds the key (default: {KEY_VARIABLE})",
    )
    parser.add_argument(
        "--all-ids",
        action="store_true",
        help="replace every id in the id columns, not only the personal identity numbers",
    )
    parser.add_argument(
        "--case-numbers",
        metavar="COLUMN[,COLUMN]",
        type=_column_list,
        action="extend",
        default=[],
        help="id columns that hold case numbers numbered by date, left as they are",
    )
    parser.add_argument(
        "--keep-names", action="store_true", help="keep the name column of members.csv"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace a target written with another key, or not by this command",
    )
    parser.add_argument(
        "--delimiter", default=",", help="the source files' field separator (default ',')"
    )
    parser.add_argument(
        "--encoding",
        default="utf-8-sig",
        help="the source files' encoding, such as cp1252 (default utf-8-sig)",
    )
    return parser


def _one_line(text: str) -> str:
    return " ".join(redact(text).split())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command: pseudonymise a CSV folder, print the counts.

    The exit statuses are those of ``socforst pseudonymize``.

    Args:
        argv: The arguments, without the program name; ``sys.argv[1:]`` when ``None``.

    Returns:
        0 on success; 1 on an error (one line on standard error, or for bad
        rows one line and the rows, never a traceback); 2 on a usage error (an
        unknown option, a missing folder argument), also for ``--help``'s 0;
        130 when interrupted.
    """
    parser = _parser()
    try:
        try:
            options = parser.parse_args(argv)
        except SystemExit as stop:
            return stop.code if isinstance(stop.code, int) else _EXIT_USAGE
        return _run(parser.prog, options)
    except KeyboardInterrupt:
        return _EXIT_INTERRUPTED


def _run(prog: str, options: argparse.Namespace) -> int:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnknownColumnWarning)
        try:
            counts = pseudonymize_csv_folder(
                options.source,
                options.target,
                key_from_environment(options.key_env),
                case_numbers=options.case_numbers,
                delimiter=options.delimiter,
                encoding=options.encoding,
                all_ids=options.all_ids,
                keep_names=options.keep_names,
                overwrite=options.force,
            )
        except LoadError as error:
            print(f"{prog}: error: {_one_line(error.message)}", file=sys.stderr)
            for member in error.exceptions[:_MAX_ERROR_LINES]:
                print(f"  {_one_line(str(member))}", file=sys.stderr)
            if len(error.exceptions) > _MAX_ERROR_LINES:
                print(f"  ... and {len(error.exceptions) - _MAX_ERROR_LINES} more", file=sys.stderr)
            return _EXIT_ERROR
        except SocforstError as error:
            print(f"{prog}: error: {_one_line(str(error))}", file=sys.stderr)
            return _EXIT_ERROR
        except OSError as error:
            text = f"{error.filename}: {error.strerror}" if error.strerror else type(error).__name__
            print(f"{prog}: error: {_one_line(text)}", file=sys.stderr)
            return _EXIT_ERROR
        finally:
            for warning in caught:
                print(f"{prog}: note: {_one_line(str(warning.message))}", file=sys.stderr)
    for line in _report(counts):
        print(line)
    return 0


def _report(counts: dict[str, int]) -> Iterator[str]:
    if not counts:
        yield "no table files found; nothing written"
        return
    width = max(len(table) for table in counts)
    for table, count in counts.items():
        yield f"{table:<{width}}  {count} replaced"


if __name__ == "__main__":
    sys.exit(main())
