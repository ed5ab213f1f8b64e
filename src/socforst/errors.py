"""The whole exception hierarchy of socforst, under one root.

Every error socforst raises is a :class:`SocforstError` and also the builtin
exception that fits it, so callers can catch either::

    try:
        registry.get("alvsj")
    except LookupError:  # or socforst.UnknownDistrictError, or socforst.SocforstError
        ...

Messages never contain a person's identity: where a value could be personal
data (a name, an identity number), the message names the field but not the value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

__all__ = [
    "CalendarRangeError",
    "DistrictNotActiveError",
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
]


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
        self.reason = reason
        super().__init__(f"{field!r} {reason}")


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
        message = f"unknown district code {code!r}"
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
        super().__init__(f"district {code!r} has no district on {on.isoformat()}: {reason}")


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
            f"no deadline rule of kind {kind!r}; the rule book has: {', '.join(self.known)}"
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
        self.source = source
        self.table = table
        self.row = row
        self.column = column
        self.reason = reason
        where = f"{source}: {table}"
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {reason}")


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
