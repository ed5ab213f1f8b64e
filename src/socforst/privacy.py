"""Keyed pseudonymisation: identity numbers and ids turned into opaque pseudonyms.

socforst refuses Swedish personal identity numbers (personnummer) wherever it
expects an id. This module makes the ids socforst accepts: each value is
replaced by an HMAC-SHA256 of it under a secret key that the user keeps. The
same key gives the same value the same pseudonym in every file, so records
still link; without the key, nobody can recompute a pseudonym from a number.

The key is given as an argument or read from the environment variable
``SOCFORST_PSEUDONYM_KEY``. It must be at least 16 bytes. socforst never
stores it, writes it, or shows it in a ``repr``, a log or an error message.

Three ways in:

- :func:`pseudonymize` for one value;
- :func:`pseudonymize_csv_folder` for a folder of CSV files that still holds
  identity numbers (the models refuse them, so this works on the raw rows,
  before any record is built);
- :func:`pseudonymize_dataset` for a :class:`~socforst.dataset.Dataset` that
  is already loaded.

And a command, which reads the key from the environment only::

    SOCFORST_PSEUDONYM_KEY=... python -m socforst.privacy extract/ pseudonymised/
"""

from __future__ import annotations

import argparse
import codecs
import csv
import datetime as dt
import hashlib
import hmac
import os
import re
import sys
import warnings
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from socforst._atomic import atomic_write
from socforst.dataset import TABLES, Dataset
from socforst.errors import RowError, SocforstError, ValidationError
from socforst.ids import is_personal_identity_number
from socforst.sources.rows import UnknownColumnWarning, columns_of
from socforst.team import TeamMember

__all__ = [
    "ID_COLUMNS",
    "KEY_VARIABLE",
    "MIN_KEY_BYTES",
    "PseudonymKeyError",
    "PseudonymizationError",
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

ID_COLUMNS: tuple[str, ...] = (
    "member_id",
    "report_id",
    "investigation_id",
    "placement_id",
    "custody_id",
    "request_id",
    "assignment_id",
    "team_id",
)
"""The columns that hold ids, in every table that has them (``member_id`` in
``members``, ``absences``, ``assignments``, ``reports`` and ``investigations``, ...)."""

_PREFIX = "p"
_HEX_DIGITS = 24  # 96 bits: see pseudonymize
# YYYYMMDD-NNNC or YYMMDD-NNNC, as socforst.ids reads them.
_PIN = re.compile(r"(?P<century>\d{2})?(?P<date>\d{6})(?P<sign>[-+])?(?P<serial>\d{4})")


class PseudonymizationError(SocforstError, ValueError):
    """Data cannot be pseudonymised as asked (a missing folder, the same folder twice, ...)."""


class PseudonymKeyError(PseudonymizationError):
    """The pseudonymisation key is missing or too short.

    The message says what is wrong with the key, never what the key is.
    """


def _key_bytes(key: bytes | str | None) -> bytes:
    """The key as bytes, from the argument or the environment; checked, never shown."""
    if key is None:
        key = os.environ.get(KEY_VARIABLE)
        if not key:
            raise PseudonymKeyError(
                f"no pseudonymisation key: set the environment variable {KEY_VARIABLE} "
                f"(at least {MIN_KEY_BYTES} bytes, kept in a secrets store), or in Python pass key="
            )
        where = f"the key in {KEY_VARIABLE}"
    else:
        where = "the key"
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, bytes):
        raise PseudonymKeyError(f"the key must be bytes or str, not {type(key).__name__}")
    if len(key) < MIN_KEY_BYTES:
        raise PseudonymKeyError(
            f"{where} is too short ({len(key)} bytes): use at least {MIN_KEY_BYTES} random "
            "bytes, such as the output of: "
            "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    return key


def normalize_personal_identity_number(value: str, *, today: dt.date | None = None) -> str:
    """One form for every way of writing one personal identity number: 12 digits, no sign.

    ``811218-9876``, ``8112189876``, ``19811218-9876`` and ``198112189876`` are
    one person, ``198112189876``. A 10-digit number has no century, so it is
    inferred from the sign, as Skatteverket writes the numbers (SKV 704):

    - ``-`` or no sign: the person is 0-99 years old, so the birth year is the
      latest year ending in ``YY`` that is not after *today*'s year;
    - ``+``: the person is 100 years old or more (the sign changes in the year
      of the 100th birthday), so the birth year is the latest year ending in
      ``YY`` that is at least 100 years before *today*'s year.

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
        >>> normalize_personal_identity_number("811218+9876", today=dt.date(2026, 11, 23))
        '188112189876'
        >>> normalize_personal_identity_number("201218-9870", today=dt.date(2026, 11, 23))
        '202012189870'
    """
    text = value.strip()
    match = _PIN.fullmatch(text)
    if match is None or not is_personal_identity_number(text):
        raise ValidationError("value", "is not a valid Swedish personal identity number")
    century, date, sign, serial = match.group("century", "date", "sign", "serial")
    if century is None:
        year = (today or dt.date.today()).year
        # SKV 704: '-' until the year the person turns 100, '+' from that year on.
        latest = year - 100 if sign == "+" else year
        yy = int(date[:2])
        born = latest - (latest - yy) % 100
        century = f"{born // 100:02d}"
    return century + date + serial


def _digest(canonical: str, key: bytes) -> str:
    mac = hmac.new(key, canonical.encode("utf-8"), hashlib.sha256)
    return _PREFIX + mac.hexdigest()[:_HEX_DIGITS]


def _canonical(value: str, today: dt.date) -> str:
    text = value.strip()
    if not text:
        raise ValidationError("value", "is empty: there is nothing to pseudonymise")
    if is_personal_identity_number(text):
        return normalize_personal_identity_number(text, today=today)
    return text


def pseudonymize(value: str, key: bytes | str | None = None) -> str:
    """The keyed pseudonym of *value*: an opaque id that socforst accepts.

    The pseudonym is ``p`` followed by the first 24 hex digits (96 bits) of the
    HMAC-SHA256 of the value under *key*. A personal identity number is first
    written in one form (see :func:`normalize_personal_identity_number`), so
    ``811218-9876``, ``8112189876`` and ``19811218-9876`` get one pseudonym. Any
    other value is hashed as it is, after stripping surrounding whitespace.

    96 bits are plenty: among *n* distinct values, the chance that two share a
    pseudonym is at most about n²/2⁹⁷; for every person in Sweden (n ≈ 10⁷) that
    is below 10⁻¹⁵. Shorter ids are easier to read in reports; 64 hex digits
    would add nothing a team could notice.

    The pseudonym is the same for the same key and value on every run and
    machine; without the key it cannot be recomputed, even though the valid
    identity numbers are few enough to try them all.

    Args:
        value: A personal identity number, or any other id.
        key: The secret key (at least 16 bytes; a ``str`` counts as its UTF-8
            bytes). When ``None``, the environment variable
            ``SOCFORST_PSEUDONYM_KEY`` holds it.

    Returns:
        ``p`` and 24 lower-case hex digits.

    Raises:
        PseudonymKeyError: If there is no key, or it is shorter than 16 bytes.
        ValidationError: If *value* is empty.

    Example:
        >>> from socforst.privacy import pseudonymize
        >>> key = b"for this example only: keep real keys in a secrets store"
        >>> pseudonymize("811218-9876", key)
        'pc828558f666bec4aa72ae6c7'
        >>> pseudonymize("19811218-9876", key) == pseudonymize("8112189876", key)
        True
    """
    return _digest(_canonical(value, dt.date.today()), _key_bytes(key))


# -- A folder of CSV files ----------------------------------------------------


def _check_delimiter(delimiter: str) -> None:
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise PseudonymizationError(f"the delimiter must be one character, got {delimiter!r}")


def _read_rows(
    file: Path, table: str, delimiter: str, encoding: str
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and each non-blank row with the line it starts on."""
    source = str(file)
    try:
        with file.open(encoding=encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter, strict=True)
            header = [name.strip() for name in next(reader, [])]
            rows: list[tuple[int, list[str]]] = []
            start = reader.line_num + 1
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    if len(cells) > len(header):
                        raise RowError(
                            source,
                            table,
                            start,
                            None,
                            f"has {len(cells)} cells but the header has {len(header)} columns",
                        )
                    rows.append((start, cells + [""] * (len(header) - len(cells))))
                start = reader.line_num + 1
    except csv.Error as error:
        raise RowError(
            source, table, reader.line_num, None, f"is not valid CSV ({error})"
        ) from None
    except UnicodeDecodeError as error:
        raise RowError(
            source,
            table,
            None,
            None,
            f"is not {encoding} text (byte {error.start}); give the right encoding, "
            "such as encoding='cp1252'",
        ) from None
    except OSError as error:
        raise RowError(source, table, None, None, f"cannot be read: {error.strerror}") from None
    return header, rows


def pseudonymize_csv_folder(
    source: Path | str,
    target: Path | str,
    key: bytes | str | None = None,
    *,
    columns: Iterable[str] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8-sig",
    all_ids: bool = False,
    keep_names: bool = False,
) -> dict[str, int]:
    """Copy a folder of CSV files, with identity numbers in id columns replaced by pseudonyms.

    socforst refuses to load data with identity numbers in it, so this works on
    the raw rows. It reads each table file of the data formats
    (``members.csv``, ``assignments.csv``, ...) in *source*, and in every id
    column (:data:`ID_COLUMNS`, or *columns*) replaces each value that is a
    valid personal identity number, or with *all_ids* each non-empty value, by
    its :func:`pseudonymize` pseudonym. One key gives one value one pseudonym
    in every table, so an assignment's ``member_id`` still names its member.

    What else it does, to keep personal data out of the copy:

    - the ``name`` column of ``members.csv`` is dropped, unless *keep_names*;
    - columns that the data formats do not define are dropped, with an
      :class:`~socforst.sources.rows.UnknownColumnWarning` naming them
      (socforst would ignore them anyway, and they may hold anything);
    - files that are not table files (``notes.csv``, ``deadlines.csv``) are not
      copied.

    Free-text columns (``task``, ``reason``, ...) are copied as they are: keep
    personal data out of them. The copy is written in UTF-8 with ``,`` between
    cells, so ``socforst.open_source("csv:TARGET")`` reads it with the default
    options. Each file is written atomically; a table file already in *target*
    that *source* lacks is left as it is.

    Args:
        source: The folder to read.
        target: The folder to write; created if missing; not *source*.
        key: The secret key, as for :func:`pseudonymize`; from the environment
            variable ``SOCFORST_PSEUDONYM_KEY`` when ``None``.
        columns: The id columns to pseudonymise, instead of :data:`ID_COLUMNS`.
        delimiter: The field separator of the source files (``,`` or ``;``).
        encoding: The source files' encoding (``utf-8-sig``, ``cp1252``, ...).
        all_ids: Replace every non-empty value in the id columns, not only the
            identity numbers: the ids of a city's own systems can be personal
            data too.
        keep_names: Keep the ``name`` column of ``members.csv``.

    Returns:
        For each table file read, the number of values replaced.

    Raises:
        PseudonymKeyError: If there is no key, or it is too short; checked
            before anything is read.
        PseudonymizationError: If *source* is not a folder, *target* is
            *source*, or the delimiter is not one character.
        RowError: If a file cannot be read (the wrong encoding, bad CSV, a row
            longer than the header).

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
    except LookupError:
        raise PseudonymizationError(f"unknown encoding {encoding!r}") from None
    source, target = Path(source), Path(target)
    if not source.is_dir():
        raise PseudonymizationError(f"{source} is not a folder")
    if target.exists() and target.resolve() == source.resolve():
        raise PseudonymizationError(
            f"the target folder must differ from the source folder ({source}): "
            "the source is read, never overwritten"
        )
    id_columns = frozenset(ID_COLUMNS if columns is None else columns)
    today = dt.date.today()
    pseudonyms: dict[str, str] = {}

    def replace(value: str) -> str | None:
        text = value.strip()
        if not text or not (all_ids or is_personal_identity_number(text)):
            return None
        canonical = _canonical(text, today)
        if canonical not in pseudonyms:
            pseudonyms[canonical] = _digest(canonical, secret)
        return pseudonyms[canonical]

    results: list[tuple[str, list[str], list[list[str]]]] = []
    counts: dict[str, int] = {}
    for table, kind in TABLES.items():
        file = source / f"{table}.csv"
        if not file.is_file():
            continue
        header, rows = _read_rows(file, table, delimiter, encoding)
        known = set(columns_of(kind))
        if table == "members" and not keep_names:
            known.discard("name")
        unknown = [name for name in header if name and name not in columns_of(kind)]
        if unknown:
            warnings.warn(
                f"{file}: not copying unknown columns {', '.join(map(repr, unknown))}",
                UnknownColumnWarning,
                stacklevel=2,
            )
        kept = [index for index, name in enumerate(header) if name in known]
        replaced = 0
        out: list[list[str]] = []
        for _line, cells in rows:
            row: list[str] = []
            for index in kept:
                cell = cells[index]
                if header[index] in id_columns:
                    pseudonym = replace(cell)
                    if pseudonym is not None:
                        cell = pseudonym
                        replaced += 1
                row.append(cell)
            out.append(row)
        results.append((table, [header[index] for index in kept], out))
        counts[table] = replaced
    # Every file is read before any is written: a bad file leaves the target untouched.
    target.mkdir(parents=True, exist_ok=True)
    for table, out_header, out_rows in results:
        with atomic_write(target / f"{table}.csv", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            if out_header:
                writer.writerow(out_header)
            writer.writerows(out_rows)
    return counts


# -- A loaded dataset ----------------------------------------------------------


def pseudonymize_dataset(
    dataset: Dataset, key: bytes | str | None = None, *, keep_names: bool = False
) -> Dataset:
    """A copy of *dataset* with every id replaced by its pseudonym, and without names.

    Every value of an id field (:data:`ID_COLUMNS`) in every table is replaced
    by its :func:`pseudonymize` pseudonym; one value gets one pseudonym in every
    table, so an assignment's ``member_id`` still names its member. Members'
    names are dropped (set to ``None``) unless *keep_names*. District codes are
    not ids and stay as they are.

    Args:
        dataset: The loaded dataset.
        key: The secret key, as for :func:`pseudonymize`.
        keep_names: Keep the members' names.

    Returns:
        The pseudonymised dataset; *dataset* itself is unchanged.

    Raises:
        PseudonymKeyError: If there is no key, or it is too short.

    Example:
        >>> import datetime as dt
        >>> from socforst import Dataset, TeamMember
        >>> from socforst.privacy import pseudonymize_dataset
        >>> data = Dataset(members=[TeamMember(member_id="m1", team_id="t1", name="Anna",
        ...                                    employed_from=dt.date(2016, 1, 4))])
        >>> key = b"for this example only: keep real keys in a secrets store"
        >>> member = pseudonymize_dataset(data, key).members[0]
        >>> member.member_id, member.team_id, member.name
        ('pe44bdda24246316a99e5256b', 'p1f0fdd32958749d747125e0d', None)
    """
    secret = _key_bytes(key)
    today = dt.date.today()
    pseudonyms: dict[str, str] = {}

    def pseudonym(value: str) -> str:
        if value not in pseudonyms:
            pseudonyms[value] = _digest(_canonical(value, today), secret)
        return pseudonyms[value]

    tables: dict[str, tuple[Any, ...]] = {}
    for table, records in dataset.tables():
        kind = TABLES[table]
        fields = [name for name in columns_of(kind) if name in ID_COLUMNS]
        drop_name = kind is TeamMember and not keep_names
        if not fields and not drop_name:
            tables[table] = records
            continue
        changed: list[Any] = []
        for record in records:
            changes: dict[str, Any] = {
                name: pseudonym(value)
                for name in fields
                if (value := getattr(record, name)) is not None
            }
            if drop_name:
                changes["name"] = None
            changed.append(attrs.evolve(record, **changes))
        tables[table] = tuple(changed)
    return Dataset(**tables)


# -- The command -----------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        # One line, no usage block: the error is what the user needs to see.
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m socforst.privacy",
        description=(
            "Copy a folder of socforst CSV files with the personal identity numbers in "
            "its id columns replaced by keyed pseudonyms, and the members' names dropped."
        ),
        epilog=(
            f"The key is read from the environment variable {KEY_VARIABLE} only (at least "
            f"{MIN_KEY_BYTES} bytes). It is never taken on the command line, where it would "
            "land in the shell history and the process list. Keep it in a secrets store, "
            "apart from the data; the same key gives the same pseudonyms on every run."
        ),
    )
    parser.add_argument("source", type=Path, help="the folder of CSV files to read")
    parser.add_argument("target", type=Path, help="the folder to write (not the source)")
    parser.add_argument(
        "--all-ids",
        action="store_true",
        help="replace every id in the id columns, not only the personal identity numbers",
    )
    parser.add_argument(
        "--keep-names", action="store_true", help="keep the name column of members.csv"
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
    return " ".join(text.split())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command: pseudonymise a CSV folder, print the counts.

    Args:
        argv: The arguments, without the program name; ``sys.argv[1:]`` when ``None``.

    Returns:
        0 on success, 2 on an error (one line on standard error, no traceback).
    """
    parser = _parser()
    options = parser.parse_args(argv)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnknownColumnWarning)
        try:
            counts = pseudonymize_csv_folder(
                options.source,
                options.target,
                delimiter=options.delimiter,
                encoding=options.encoding,
                all_ids=options.all_ids,
                keep_names=options.keep_names,
            )
        except (SocforstError, OSError) as error:
            print(f"{parser.prog}: error: {_one_line(str(error))}", file=sys.stderr)
            return 2
    for warning in caught:
        print(f"{parser.prog}: note: {_one_line(str(warning.message))}", file=sys.stderr)
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
