"""The whole exception hierarchy of socforst, under one root.

Every error socforst raises is a :class:`SocforstError` and also the builtin
exception that fits it, so callers can catch either::

    try:
        registry.get("alvsj")
    except LookupError:  # or socforst.UnknownDistrictError, or socforst.SocforstError
        ...

Messages never contain a person's identity: where a value could be personal
data (a name, an identity number), the message names the field but not the value.
Every message that quotes a value of the user's data goes through one filter,
:func:`shown`, which works on the raw value (never on its ``repr``) and quotes
it only when it cannot be personal data: a number, a date or time, or one of
socforst's own code words. As a last line, :func:`redact` masks any personal
identity number, in any spelling, that reached a message some other way;
:class:`RowError` and the command line apply it to every message.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Sequence

from socforst._pin import contains_pin, mask_pins

__all__ = [
    "CalendarRangeError",
    "DistrictNotActiveError",
    "ExportError",
    "InvalidIdError",
    "LoadError",
    "OpenRangeError",
    "ParseError",
    "PersonalIdentityNumberError",
    "PluginError",
    "RegistryError",
    "RowError",
    "RuleError",
    "SocforstError",
    "UnknownDistrictError",
    "UnknownRuleError",
    "ValidationError",
    "WriteError",
    "redact",
    "shown",
    "shown_column",
]

# Numbers, dates, times and instants: digits with date and number punctuation,
# at most 32 characters, and no run of more than 8 digits (YYYYMMDD is 8; a
# longer run may be an identity or telephone number).
_NUMERIC = re.compile(r"[0-9:.,+ TZ/-]{1,32}|[-+]?[0-9]+(?:\.[0-9]+)?[eE][-+]?[0-9]{1,3}")
_LONG_DIGIT_RUN = re.compile(r"[0-9]{9}")
# The shape of an identity number, whether or not its check digit is right: a
# mistyped number is as personal as a valid one.
_PIN_SHAPED = re.compile(r"(?<![0-9])[0-9]{6}[^0-9]?[0-9]{4}(?![0-9])")
_WORD = re.compile(r"[a-z][a-z0-9_-]{0,31}")
_PLAIN_WORDS = frozenset({"true", "false", "null", "none", "nan", "inf", "infinity", "yes", "no"})


@functools.cache
def _vocabulary() -> frozenset[str]:
    """The code words of socforst: enum values and the built-in district codes.

    Such a word cannot be personal data, so a message may repeat it. Imported
    late: the models import this module.
    """
    import enum

    from socforst import assignments, cases, team
    from socforst.districts import stockholm

    words = set(_PLAIN_WORDS)
    for module in (assignments, cases, team):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, enum.Enum):
                words.update(str(member.value) for member in value)
    words.update(stockholm().codes)
    return frozenset(words)


def _is_safe_text(text: str, code: bool) -> bool:
    if contains_pin(text) or _PIN_SHAPED.search(text):
        return False
    if _NUMERIC.fullmatch(text):
        return _LONG_DIGIT_RUN.search(text) is None
    if _WORD.fullmatch(text) is None or _LONG_DIGIT_RUN.search(text):
        return False
    return code or text in _vocabulary()


def shown(value: object, *, code: bool = False) -> str:
    """The one filter for a value quoted in a message: the value, or a description of it.

    The value is quoted (``'2025-13-01'``) only if it cannot be personal data:
    a number, a date or a time of at most 32 characters with no run of more
    than 8 digits, or one of socforst's own code words (an enum value, a
    built-in district code, ``true``). With *code*, for a column that holds
    codes (a district, a kind, a status), any lower-case ascii code word is
    quoted too (``'farst'``, so that a misspelt code can be seen). Anything
    else is described by its length alone, since it may be a name, an
    identity number or free text: capitals, spaces, other characters.
    The test is made on the raw value, never on its ``repr``, so an escaped
    character cannot smuggle a value past it.

    Example:
        >>> from socforst.errors import shown
        >>> shown("2025-02-30")
        "'2025-02-30'"
        >>> shown("Anna Andersson")
        'a value of 14 characters (not shown: it may be personal data)'
    """
    if isinstance(value, bool):
        return repr("true" if value else "false")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            return repr(str(value))
        text = str(value)
        if len(text) <= 32 and _LONG_DIGIT_RUN.search(text) is None:
            return repr(text)
        return f"a number of {len(text)} digits"
    if isinstance(value, dt.date):
        return repr(value.isoformat())
    if not isinstance(value, str):
        return f"a value of type {type(value).__name__}"
    if value and _is_safe_text(value, code):
        return repr(value)
    return f"a value of {len(value)} characters (not shown: it may be personal data)"


def redact(text: str) -> str:
    """*text* with every personal identity number in it, in any spelling, masked.

    The last line of defence for messages: values are filtered by :func:`shown`
    before they reach a message; this catches a number that came some other
    way (a file name, a typed option).

    Example:
        >>> from socforst.errors import redact
        >>> redact("no member 'm-811218-9876'")
        "no member 'm-<personnummer>'"
    """
    return mask_pins(text)


class SocforstError(Exception):
    """The root of every error raised by socforst."""


class ValidationError(SocforstError, ValueError):
    """A value given to a model is not acceptable.

    Attributes:
        field: The name of the field (the column name of the data formats).
        reason: What is wrong, without the field name.
    """

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = redact(reason)
        super().__init__(f"{field!r} {self.reason}")


class InvalidIdError(ValidationError):
    """An id is not 1-64 characters from ``A-Z a-z 0-9 . _ -``."""


class PersonalIdentityNumberError(InvalidIdError):
    """An id is a valid Swedish personal identity number (personnummer).

    socforst works on opaque ids only. Replace identity numbers with keyed
    pseudonyms (keyed hashing, the key kept by the user) before loading data.
    The number itself is never part of the message.
    """

    def __init__(self, field: str) -> None:
        super().__init__(
            field,
            "looks like a Swedish personal identity number (personnummer); socforst "
            "accepts only opaque ids: replace it with a pseudonym made by keyed hashing "
            "before loading (socforst.privacy.pseudonymize, or python -m socforst.privacy "
            "for a CSV folder)",
        )


class ParseError(SocforstError, ValueError):
    """A value in plain data (a CSV cell, a JSON value) is not in the expected form.

    The converter raises it inside cattrs' grouped errors, whose path names the
    field; the message says what was expected.
    """


class CalendarRangeError(SocforstError, ValueError):
    """A date lies outside the years the legal calendar covers.

    Attributes:
        year: The year asked for.
        first_year: The first year covered.
        last_year: The last year covered.
    """

    def __init__(self, year: int, first_year: int, last_year: int) -> None:
        self.year = year
        self.first_year = first_year
        self.last_year = last_year
        super().__init__(f"the Swedish legal calendar covers {first_year}-{last_year}, not {year}")


class OpenRangeError(SocforstError, ValueError):
    """An operation needs an end date but the date range is open."""


class RegistryError(SocforstError, ValueError):
    """The districts given to a registry do not make a consistent history."""


class UnknownDistrictError(SocforstError, LookupError):
    """No district has this code.

    Attributes:
        code: The code that was looked up.
        close_matches: Known codes that look like it, best first.
    """

    def __init__(self, code: str, close_matches: Sequence[str] = ()) -> None:
        self.code = code
        self.close_matches = tuple(close_matches)
        message = f"unknown district code {shown(code, code=True)}"
        if self.close_matches:
            message += "; did you mean " + ", ".join(repr(c) for c in self.close_matches) + "?"
        super().__init__(message)

    def __str__(self) -> str:
        # KeyError-style quoting of LookupError messages does not apply: keep it readable.
        return str(self.args[0])


class DistrictNotActiveError(SocforstError, LookupError):
    """A district code has no district on the date asked for.

    Raised when a code is resolved on a date before the district existed, or
    after it was dissolved without a successor.

    Attributes:
        code: The code that was resolved.
        on: The date asked for.
    """

    def __init__(self, code: str, on: dt.date, reason: str) -> None:
        self.code = code
        self.on = on
        super().__init__(
            f"district {shown(code, code=True)} has no district on {on.isoformat()}: {reason}"
        )


class UnknownRuleError(SocforstError, LookupError):
    """A rule book has no rule of this kind.

    Attributes:
        kind: The kind asked for.
        known: The kinds the rule book has.
    """

    def __init__(self, kind: str, known: Sequence[str]) -> None:
        self.kind = kind
        self.known = tuple(known)
        super().__init__(
            f"no deadline rule of kind {shown(kind)}; the rule book has: {', '.join(self.known)}"
        )

    def __str__(self) -> str:
        return str(self.args[0])


class RuleError(SocforstError, TypeError):
    """A rule, or a record given to a rule book, cannot be used as asked."""


class PluginError(SocforstError, ImportError):
    """An installed plugin could not be loaded or did not provide what it should.

    Attributes:
        plugin: The entry point's name and target, ``name = module:attr``.
    """

    def __init__(self, plugin: str, reason: str) -> None:
        self.plugin = plugin
        super().__init__(f"plugin {plugin!r}: {reason}")


class WriteError(SocforstError, OSError):
    """A file or folder cannot be written where the user asked.

    The message names the path the user gave (never a temporary file) and what
    is wrong: ``cannot write out/reports.csv: it is a folder``.

    Attributes:
        path: The path as the user gave it.
        reason: What is wrong.
    """

    def __init__(self, path: object, reason: str, errno: int | None = None) -> None:
        self.path = str(path)
        self.reason = redact(reason)
        super().__init__(f"cannot write {redact(self.path)}: {self.reason}")
        self.errno = errno

    def __str__(self) -> str:
        return str(self.args[0])


class RowError(SocforstError, ValueError):
    """One bad value, or one bad row, in a source: where it is and what was expected.

    Attributes:
        source: The file or database the row came from.
        table: The table (``members``, ``reports``, ...).
        row: The row number as the user sees it (for a CSV file, the line,
            counting the header as line 1), or ``None`` for the whole table.
        column: The column, or ``None`` for the whole row.
        reason: What is wrong; it shows the value only where it cannot be
            personal data.
    """

    def __init__(
        self, source: str, table: str, row: int | None, column: str | None, reason: str
    ) -> None:
        self.source = redact(source)
        self.table = table
        self.row = row
        self.column = column
        self.reason = redact(reason)
        where = f"{self.source}: {table}"
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {shown_column(column)}"
        super().__init__(f"{where}: {self.reason}")


def shown_column(name: str) -> str:
    """A column's name for a message: quoted if it is a plain column name, else described.

    A header cell is a value too: an extract without a header row has a
    person's identity number or name where the column names should be.
    """
    if re.fullmatch(r"[a-z][a-z0-9_]{0,63}", name) and not contains_pin(name):
        return repr(name)
    if not name:
        return "(empty)"
    return f"of {len(name)} characters (not shown: it may be personal data)"


class LoadError(SocforstError, ExceptionGroup[RowError]):
    """A load failed: every bad row of every table, at once.

    Its ``exceptions`` are :class:`RowError` s, each naming the source, table,
    row and column. Nothing is returned from a failed load.

    Example:
        >>> from socforst import LoadError, RowError
        >>> error = LoadError("1 problem", [RowError("m.csv", "members", 3, "extent", "bad")])
        >>> print(error.exceptions[0])
        m.csv: members, row 3, column 'extent': bad
    """

    def derive(self, excs: Sequence[RowError]) -> LoadError:  # type: ignore[override]
        """Keep the class when the group is split (``except*``)."""
        return LoadError(self.message, excs)


class ExportError(LoadError):
    """An export refused values it cannot write: every one at once; nothing was replaced.

    Its ``exceptions`` are :class:`RowError` s naming the file written, the
    table, the row and the column (a text that the file's encoding cannot
    hold, such as a lone surrogate). A :class:`LoadError` by shape, so that
    callers and the command line report both alike.
    """

    def derive(self, excs: Sequence[RowError]) -> ExportError:  # type: ignore[override]
        """Keep the class when the group is split (``except*``)."""
        return ExportError(self.message, excs)
