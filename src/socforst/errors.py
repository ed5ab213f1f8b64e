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
    "OpenRangeError",
    "ParseError",
    "PersonalIdentityNumberError",
    "PluginError",
    "RegistryError",
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
            "before loading (see 'Privacy' in the docs)",
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
