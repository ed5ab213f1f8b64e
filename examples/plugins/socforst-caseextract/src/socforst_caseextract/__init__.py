"""Read a case-system extract of reports (anmälningar) as a socforst dataset.

An example third-party plugin for socforst. The extract is one file, as a
case system exports it:

- Swedish column headers (``Ärende-ID;Stadsdel;Inkom;Klockslag;...``, see :data:`COLUMNS`);
- ``;`` between cells and Windows-1252 encoding;
- the district by its Swedish name (``Hägersten-Älvsjö``), not its code;
- dates in ISO form (``2025-04-14``) or in long Swedish form (``14 april 2025``);
- the preassessment's outcome in Swedish (``inleds``, ``inleds ej``, ``pågående utredning``).

The plugin translates each cell into the value rules of socforst's data
formats and hands the rows to :func:`socforst.sources.rows.read_table`, which
builds the :class:`socforst.Report` records and checks them. Every problem, the
plugin's and socforst's, is a :class:`socforst.RowError` naming the file, the
table ``reports``, the line of the file (the header is line 1) and the column
by its **Swedish name in the extract**; they are raised together as one
:class:`socforst.LoadError`.

socforst finds the plugin through the entry point ``caseextract`` in the group
``socforst.sources``; it calls :class:`CaseExtractSource` with the location and
the keyword options, and calls ``read()`` on what it gets. Nothing is inherited::

    data = socforst.open_source("caseextract:/data/anmalningar.csv").read()
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import os
import re
from collections.abc import Iterator, Mapping
from typing import Any

import socforst
from socforst.ids import is_personal_identity_number
from socforst.sources.rows import read_table

__all__ = ["COLUMNS", "OUTCOMES", "TIME_COLUMN", "CaseExtractSource", "swedish_date"]

TABLE = "reports"
"""The table of socforst's data formats that the extract fills."""

COLUMNS: Mapping[str, str] = {
    "Ärende-ID": "report_id",
    "Stadsdel": "district",
    "Inkom": "received_at",
    "Beslut förhandsbedömning": "preassessment_decided_on",
    "Utfall": "preassessment_outcome",
    "Handläggare": "member_id",
}
"""Each column of the extract and the column of ``reports`` it fills."""

TIME_COLUMN = "Klockslag"
"""The time of day the report came in (``23:30``); with ``Inkom`` it makes ``received_at``."""

OUTCOMES: Mapping[str, str] = {
    "inleds": "opened",
    "inleds ej": "not_opened",
    "pågående utredning": "already_open",
}
"""The outcome words of the extract (utfall) and socforst's outcome values."""

_SWEDISH = {mapped: swedish for swedish, mapped in COLUMNS.items()}
_KNOWN_HEADERS = {name.casefold(): name for name in (*COLUMNS, TIME_COLUMN)}

_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "januari",
            "februari",
            "mars",
            "april",
            "maj",
            "juni",
            "juli",
            "augusti",
            "september",
            "oktober",
            "november",
            "december",
        ),
        start=1,
    )
}
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_LONG_DATE = re.compile(r"(\d{1,2}) ([a-zåäö]+) (\d{4})")
_TIME = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")
# Values that cannot be personal data may be shown in a message: date-like
# text and lower-case words. A name ("Anna") or an identity number never is.
_SAFE = re.compile(r"[0-9]{1,4}(?:[ ./:-][0-9a-zåäö]{1,10}){0,2}|[a-zåäö ]{1,32}")


def _shown(text: str) -> str:
    if _SAFE.fullmatch(text) and not is_personal_identity_number(text):
        return repr(text)
    return f"a value of {len(text)} characters (not shown: it may be personal data)"


def swedish_date(text: str) -> dt.date:
    """A date written as ISO 8601 (``2025-04-14``) or in long Swedish form (``14 april 2025``).

    Month names are matched without regard to case and spaces.

    Args:
        text: The cell's text.

    Raises:
        ValueError: If the text is neither form, or names no real day; the
            message is a reason for a :class:`socforst.RowError`.

    Example:
        >>> swedish_date("1 Juli 2025")
        datetime.date(2025, 7, 1)
    """
    words = " ".join(text.split()).casefold()
    day: dt.date | None = None
    if match := _ISO_DATE.fullmatch(words):
        year, month, number = (int(part) for part in match.groups())
        day = _day(year, month, number)
    elif (match := _LONG_DATE.fullmatch(words)) and match[2] in _MONTHS:
        day = _day(int(match[3]), _MONTHS[match[2]], int(match[1]))
    if day is None:
        raise ValueError(f"expected a date such as 2025-04-14 or 14 april 2025, got {_shown(text)}")
    return day


def _day(year: int, month: int, number: int) -> dt.date | None:
    try:
        return dt.date(year, month, number)
    except ValueError:
        return None  # 2025-02-30, 31 april: reported by the caller with the text


def _time(text: str) -> str:
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"expected a time of day such as 23:30, got {_shown(text)}")
    return f"{int(match[1]):02d}:{match[2]}"


def _outcome(text: str) -> str:
    word = " ".join(text.split()).casefold()
    if word not in OUTCOMES:
        expected = ", ".join(repr(word) for word in OUTCOMES)
        raise ValueError(f"expected one of {expected}, got {_shown(text)}")
    return OUTCOMES[word]


class CaseExtractSource:
    """Read one case-system extract of reports; the factory of the ``caseextract`` entry point.

    socforst calls it as ``CaseExtractSource(location, **options)``, where the
    location is what follows ``caseextract:`` in the spec.

    Args:
        location: The extract file.
        encoding: The file's encoding; case systems export Windows-1252.
        delimiter: The cell separator.
        registry: The districts whose names the extract uses; by default
            Stockholm's (:func:`socforst.stockholm`), every name the city has had.

    Raises:
        ValueError: If *delimiter* is not one character.
    """

    __slots__ = ("_by_name", "delimiter", "encoding", "path")

    def __init__(
        self,
        location: str | os.PathLike[str],
        *,
        encoding: str = "cp1252",
        delimiter: str = ";",
        registry: socforst.DistrictRegistry | None = None,
    ) -> None:
        if len(delimiter) != 1:
            raise ValueError(f"'delimiter' must be one character, got {delimiter!r}")
        self.path = os.fspath(location)
        self.encoding = encoding
        self.delimiter = delimiter
        districts = registry if registry is not None else socforst.stockholm()
        # Names are matched case-insensitively: "JÄRVA" and "Järva" are one district.
        self._by_name = {district.name.casefold(): district for district in districts}

    def __repr__(self) -> str:
        return f"CaseExtractSource({self.path!r}, encoding={self.encoding!r})"

    def read(self) -> socforst.Dataset:
        """Read the extract's reports.

        Returns:
            A dataset with the reports; its other tables are empty.

        Raises:
            LoadError: Listing every bad row of the extract at once; nothing is returned.
        """
        try:
            with open(self.path, encoding=self.encoding, newline="") as handle:
                reader = csv.reader(handle, delimiter=self.delimiter, strict=True)
                header = [_header_name(name) for name in next(reader, [])]
                rows = list(_numbered(reader))
        except UnicodeDecodeError as error:
            raise self._fail(
                None,
                f"is not {self.encoding} text (byte {error.start}); "
                "give the right encoding, such as encoding='utf-8'",
            ) from error
        except OSError as error:
            raise self._fail(None, f"cannot be read: {error.strerror}") from error
        except _BadLineError as error:
            raise self._fail(error.line, error.reason) from error
        if self._looks_like_utf8(header):
            raise self._fail(1, f"is UTF-8 text, not {self.encoding}; give encoding='utf-8'")

        problems: list[socforst.RowError] = []
        translated: list[tuple[int, dict[str, str]]] = []
        untranslated: set[tuple[int, str]] = set()
        for line, cells in rows:
            if len(cells) > len(header):
                reason = f"has {len(cells)} cells but the header has {len(header)} columns"
                problems.append(socforst.RowError(self.path, TABLE, line, None, reason))
                continue
            row, bad = self._translate(dict(zip(header, cells, strict=False)))
            for column, swedish, reason in bad:
                problems.append(socforst.RowError(self.path, TABLE, line, swedish, reason))
                untranslated.add((line, column))
            translated.append((line, row))

        # Klockslag is part of received_at; other unknown headers pass through, and
        # read_table warns that it ignores them.
        columns = [COLUMNS.get(name, name) for name in header if name != TIME_COLUMN]
        records, checked = read_table(self.path, TABLE, socforst.Report, columns, translated)
        for found in checked:
            # A cell the plugin could not translate was left out of the row, so
            # read_table finds it empty: the plugin's own error says more.
            if (found.row, found.column) in untranslated:
                continue
            problems.append(_in_swedish(found))
        if problems:
            # Stable: within a line, the plugin's errors come before read_table's.
            problems.sort(key=lambda problem: problem.row or 0)
            raise socforst.LoadError(f"{len(problems)} problems reading {self.path}", problems)
        return socforst.Dataset(reports=records)

    def _looks_like_utf8(self, header: list[str]) -> bool:
        """Whether the header is a UTF-8 file read in the wrong encoding ("Ã„rende-ID").

        Windows-1252 can decode any bytes, so a UTF-8 extract would otherwise load as
        nonsense column names and "required column is missing".
        """
        for name in header:
            if name in _KNOWN_HEADERS.values():
                continue
            try:
                if _header_name(name.encode(self.encoding).decode("utf-8")) in COLUMNS:
                    return True
            except UnicodeError:
                continue
        return False

    def _translate(
        self, cells: Mapping[str, str]
    ) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
        """A row in the value rules of the data formats, and the cells that would not translate.

        Each bad cell is given as (the column of ``reports``, the Swedish column, the reason).
        """
        row: dict[str, str] = {}
        bad: list[tuple[str, str, str]] = []
        for swedish, column in COLUMNS.items():
            text = cells.get(swedish, "").strip()
            if not text:
                continue  # an empty cell is a missing value; read_table knows which are required
            try:
                row[column] = self._value(column, text)
            except ValueError as error:
                bad.append((column, swedish, str(error)))
        time = cells.get(TIME_COLUMN, "").strip()
        if "received_at" in row and time:
            # Without a time, the date alone means the start of that day (data formats).
            # A bad time keeps the date, so that read_table still checks the other cells.
            try:
                row["received_at"] += "T" + _time(time)
            except ValueError as error:
                bad.append(("received_at", TIME_COLUMN, str(error)))
        return row, bad

    def _value(self, column: str, text: str) -> str:
        """The text of one cell as the data formats write it (ISO dates, codes, outcome values)."""
        if column == "district":
            return self._district(text)
        if column in ("received_at", "preassessment_decided_on"):
            return swedish_date(text).isoformat()
        if column == "preassessment_outcome":
            return _outcome(text)
        return text  # ids: read_table checks them (and refuses identity numbers)

    def _district(self, name: str) -> str:
        key = " ".join(name.split()).casefold()
        district = self._by_name.get(key)
        if district is None:
            close = difflib.get_close_matches(key, self._by_name, n=3, cutoff=0.75)
            hint = ", ".join(repr(self._by_name[match].name) for match in close)
            hint = f"; did you mean {hint}?" if hint else ""
            raise ValueError(f"is not the name of a district, got {_shown(name)}{hint}")
        return district.code

    def _fail(self, line: int | None, reason: str) -> socforst.LoadError:
        return socforst.LoadError(
            f"cannot read {self.path}", [socforst.RowError(self.path, TABLE, line, None, reason)]
        )


def _header_name(name: str) -> str:
    """A header cell as the plugin names the column: the extract's spelling of a known one."""
    name = name.strip()
    return _KNOWN_HEADERS.get(name.casefold(), name)


def _in_swedish(error: socforst.RowError) -> socforst.RowError:
    """read_table's error, naming the column as the extract does."""
    column = _SWEDISH.get(error.column, error.column) if error.column else None
    return socforst.RowError(error.source, error.table, error.row, column, error.reason)


class _BadLineError(Exception):
    def __init__(self, line: int, reason: str) -> None:
        self.line = line
        self.reason = reason


def _numbered(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Each row of a ``csv.reader`` with the line it starts on (the header is line 1)."""
    start = reader.line_num + 1
    while True:
        try:
            cells: list[str] = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _BadLineError(reader.line_num, f"is not valid CSV ({error})") from None
        if any(cell.strip() for cell in cells):  # a blank line holds no report
            yield start, cells
        start = reader.line_num + 1
