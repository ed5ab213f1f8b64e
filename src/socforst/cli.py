"""The command line: ``socforst`` (or ``python -m socforst``), one subcommand per question.

A thin layer over the public API. Every query command reads a dataset from
``--source`` (the demo city by default, :mod:`socforst.demo`), asks one function
of :mod:`socforst.queries` or :mod:`socforst.planning`, and prints its rows as
an aligned table, CSV or JSON (``--format``), to standard output or, written
atomically, to a file (``--output``).

Commands:

- ``districts``: the district registry, on a day or its whole history.
- ``deadlines``: deadlines overdue or due soon on a day, or their counts.
- ``compliance``: per district and month, the share of deadlines met.
- ``availability``: who is free, how much, on which days; the free stretches.
- ``utilisation``: the assigned share of capacity per month; days per district.
- ``costs``: the team's cost against consultants, with the assumptions.
- ``need``: the districts ranked by need, each factor shown.
- ``plan``: suggested assignments for open requests, with their reasons.
- ``check``: every problem of a source's data, one a line; exit 1 if any.
- ``export``: write the source's dataset with an exporter.
- ``sources``: the names of the sources and exporters installed.
- ``pseudonymize``: copy a CSV folder with identity numbers pseudonymised.
- ``demo``: write the demo city with an exporter.

Errors are one line on standard error (``socforst: error: ...``) and exit
status 1; a usage error exits with 2, an interrupt with 130, a closed pipe
(``socforst deadlines | head``) quietly with 141. While a command reads and
evaluates, a progress line is shown on standard error, only if it is a terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import math
import os
import re
import shutil
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, NoReturn, TextIO

import attrs

from socforst.dates import ONE_DAY, DateRange, add_months
from socforst.errors import CalendarRangeError, LoadError, SocforstError, redact, shown

# Only what --help and the arguments need is imported here. The rest is imported where
# it is used: the modules of each command (queries, planning, rules, sources: numpy,
# pyarrow, holidays, cattrs) when it runs, and pathlib, csv, json, textwrap and traceback
# by the few functions that use them, so that `socforst --help`, `socforst
# districts` and a usage error start at once (benchmarks/startup.py).
if TYPE_CHECKING:
    from pathlib import Path

    from socforst import queries
    from socforst.dataset import Dataset
    from socforst.sources import Exporter, Source

__all__ = [
    "DEBUG_VARIABLE",
    "FORMATS",
    "MAX_ERROR_LINES",
    "SOURCE_VARIABLE",
    "AdapterRow",
    "CommandError",
    "PseudonymizedRow",
    "main",
    "render",
]

SOURCE_VARIABLE = "SOCFORST_SOURCE"
"""The environment variable that gives the default of ``--source`` (else ``demo``)."""

DEBUG_VARIABLE = "SOCFORST_DEBUG"
"""Set to ``1`` to see the traceback of an unexpected error instead of one line."""

FORMATS: tuple[str, ...] = ("table", "csv", "json")
"""The output formats of ``--format``."""

MAX_ERROR_LINES = 20
"""How many bad rows of a failed load are listed before "... and N more"."""

_PROG = "socforst"
_EXIT_ERROR = 1
_EXIT_USAGE = 2
_EXIT_INTERRUPTED = 130
_EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a program ended by a closed pipe
_STATUS_ALL = "all"
_NOTE_WIDTH = 100
# What the parser shows, copied from the modules that define it so that building the
# parser imports none of them; tests/test_lazy_imports.py holds each copy equal to its
# original (socforst.sources, socforst.rules.base, socforst.queries, socforst.privacy,
# socforst.assignments).
_DEADLINE_COLUMNS = (
    "kind",
    "subject_id",
    "district",
    "starts_on",
    "due_on",
    "met_on",
    "status",
    "reference",
)
_STATUSES = ("met", "justified", "late", "overdue", "due_soon", "open")
_COMPLIANCE_KINDS = ("preassessment", "investigation")
_NEED_WEIGHTS: Mapping[str, float] = {
    "backlog_per_position": 0.4,
    "vacancy_rate": 0.25,
    "turnover": 0.2,
    "consultants_per_position": 0.15,
}
_NEED_FACTORS = tuple(_NEED_WEIGHTS)
_KEY_VARIABLE = "SOCFORST_PSEUDONYM_KEY"
_POLICY_MIN_DAYS = 1
_POLICY_MAX_MONTHS = 4
_CASE_TABLES = (
    "reports",
    "investigations",
    "extensions",
    "placements",
    "reviews",
    "custodies",
    "restrictions",
)


class CommandError(SocforstError, ValueError):
    """A command cannot do what its options ask (an option a source does not take, ...)."""


@attrs.frozen
class AdapterRow:
    """One source or exporter name (``socforst sources``).

    Args:
        kind: ``source`` or ``exporter``.
        name: The name to use before the colon of a spec (``csv`` in ``csv:DIR``).
    """

    kind: str
    name: str


@attrs.frozen
class PseudonymizedRow:
    """One table file copied by ``socforst pseudonymize``.

    Args:
        table: The table (``members``, ``reports``, ...).
        replaced: How many values were replaced by pseudonyms.
    """

    table: str
    replaced: int


# -- rendering -------------------------------------------------------------------------


def _columns_of(row_type: type) -> tuple[str, ...]:
    if attrs.has(row_type):
        return tuple(field.name for field in attrs.fields(row_type))
    fields = getattr(row_type, "_fields", None)  # a NamedTuple
    if isinstance(fields, tuple) and all(isinstance(name, str) for name in fields):
        return fields
    raise TypeError(f"cannot render rows of {row_type.__name__}: not attrs, not a NamedTuple")


def _float_text(value: float) -> str:
    """A float for people: at most six decimals, no trailing zeros, no ``-0``."""
    if not math.isfinite(value):
        return str(value)
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _cell(value: object, *, for_people: bool) -> str:
    """A value as the text of a table or CSV cell; ``None`` is empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _float_text(value) if for_people else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list | frozenset):
        items = sorted(value) if isinstance(value, frozenset) else value
        separator = "; " if for_people else "|"
        return separator.join(_cell(item, for_people=for_people) for item in items)
    return str(value)


# Characters a terminal acts on instead of showing: C0 and C1 controls (ESC starts the
# ANSI sequences), DEL, the zero-width and bidirectional marks and line separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def _visible(text: str) -> str:
    r"""*text* with each control character written as an escape (ESC as ``\x1b``)."""

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _CONTROL.sub(escape, text)


def _json_value(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_json_value(item) for item in value]
    if isinstance(value, frozenset):
        return [_json_value(item) for item in sorted(value)]
    return value


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _write_table(out: IO[str], columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    # A table is for a terminal: data must not move the cursor or recolour it.
    cells = [[_visible(_cell(value, for_people=True)) for value in row] for row in rows]
    widths = [len(name) for name in columns]
    for texts in cells:
        for index, text in enumerate(texts):
            widths[index] = max(widths[index], len(text))
    numeric = [
        bool(rows) and all(row[index] is None or _is_number(row[index]) for row in rows)
        for index in range(len(columns))
    ]

    def line(texts: Sequence[str]) -> str:  # one row of the table, padded
        parts = [
            text.rjust(width) if right else text.ljust(width)
            for text, width, right in zip(texts, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip() + "\n"

    out.write(line(columns))
    out.write(line(["-" * width for width in widths]))
    for texts in cells:
        out.write(line(texts))
    count = len(rows)
    out.write(f"({count} row{'' if count == 1 else 's'})\n")


def _write_csv(
    out: IO[str], columns: Sequence[str], rows: Sequence[Sequence[object]], *, raw: bool = False
) -> None:
    def text(value: object) -> str:
        cell = _cell(value, for_people=False)
        # Only text can be a formula: -5 and 2025-01-01 are a number and a date.
        if raw or not isinstance(value, str | tuple | list | frozenset):
            return cell
        from socforst.sources.cells import neutralise_formula

        return neutralise_formula(cell)

    import csv

    writer = csv.writer(out, lineterminator="\n")
    # Python 3.11's csv quotes a field only for the characters of the line
    # terminator, so a lone carriage return would go out bare and split the row.
    quoting_all = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    for row in rows:
        texts = [text(value) for value in row]
        (quoting_all if any("\r" in text for text in texts) else writer).writerow(texts)


def _write_json(out: IO[str], columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    import json

    objects = [
        {name: _json_value(value) for name, value in zip(columns, row, strict=True)} for row in rows
    ]
    json.dump(objects, out, ensure_ascii=False, indent=2)
    out.write("\n")


_WRITERS: Mapping[str, Callable[[IO[str], Sequence[str], Sequence[Sequence[object]]], None]] = {
    "table": _write_table,
    "csv": _write_csv,
    "json": _write_json,
}


def render(
    rows: Sequence[object],
    row_type: type,
    out: IO[str],
    *,
    format: str = "table",
    columns: Sequence[str] | None = None,
    raw: bool = False,
) -> None:
    r"""Write rows of one type as an aligned table, CSV or JSON.

    The rows are frozen attrs instances or named tuples whose fields are plain
    values (``str``, ``int``, ``float``, ``datetime.date``, ``None``, or tuples
    of those). In a table and in CSV, ``None`` is an empty cell, dates are ISO
    8601 and a tuple's items are joined (``; `` in a table, ``|`` in CSV, as
    in the data formats); a table shows floats with at most six decimals and
    aligns numbers right, CSV keeps every digit. JSON is a list of objects,
    dates as ISO 8601 strings and tuples as lists.

    A table is for a terminal: a control character in a cell is written as an
    escape (ESC as ``\x1b``), so that data cannot move the cursor or recolour
    the screen. In CSV, a text cell that a spreadsheet would run as a formula
    (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return)
    gets a ``'`` before it, unless *raw*
    (``socforst.sources.cells.neutralise_formula``).

    Args:
        rows: The rows, in the order to write them.
        row_type: Their class, which gives the columns even when there is no row.
        out: Where to write.
        format: ``table``, ``csv`` or ``json``.
        columns: The columns to write, in order; every field when ``None``.
        raw: In CSV, write text cells as they are, formulas included.

    Raises:
        CommandError: If *format* is unknown or a column is not a field.

    Example:
        >>> import io, attrs
        >>> from socforst.cli import render
        >>> @attrs.frozen
        ... class Row:
        ...     district: str
        ...     days: float
        >>> out = io.StringIO()
        >>> render([Row("farsta", 12.5), Row("jarva", 3.0)], Row, out)
        >>> print(out.getvalue(), end="")
        district  days
        --------  ----
        farsta    12.5
        jarva        3
        (2 rows)
    """
    writer = _WRITERS.get(format)
    if writer is None:
        raise CommandError(f"unknown format {format!r}; known: {', '.join(FORMATS)}")
    fields = _columns_of(row_type)
    chosen = tuple(fields if columns is None else columns)
    unknown = [name for name in chosen if name not in fields]
    if unknown:
        raise CommandError(f"{row_type.__name__} has no column {', '.join(map(repr, unknown))}")
    values = [tuple(getattr(row, name) for name in chosen) for row in rows]
    if format == "csv":
        _write_csv(out, chosen, values, raw=raw)
    else:
        writer(out, chosen, values)


# -- progress ------------------------------------------------------------------------------


class _Progress:
    """One line on standard error, rewritten in place, shown only on a terminal."""

    def __init__(self) -> None:
        stream = sys.stderr
        self._stream: TextIO | None = stream if _is_terminal(stream) else None
        self._width = 0

    def show(self, text: str) -> None:
        """Replace the line with *text*."""
        if self._stream is None:
            return
        # A line longer than the terminal would wrap, and \r could not rewrite it.
        text = _visible(redact(text))[: max(shutil.get_terminal_size().columns - 1, 20)]
        self._stream.write("\r" + text.ljust(self._width))
        self._stream.flush()
        self._width = len(text)

    def clear(self) -> None:
        """Remove the line, so that what follows starts on a clean line."""
        if self._stream is None or not self._width:
            return
        self._stream.write("\r" + " " * self._width + "\r")
        self._stream.flush()
        self._width = 0


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed, or not a file
        return False


# -- arguments -------------------------------------------------------------------------------


def _in_calendar(day: dt.date, shown_as: str) -> dt.date:
    """*day*, if the legal calendar covers its year (so that no computation overflows)."""
    from socforst.calendar import swedish_calendar

    years = swedish_calendar().years
    if day.year not in years:
        raise argparse.ArgumentTypeError(
            f"{shown_as} is outside the years the legal calendar covers ({years[0]}-{years[-1]})"
        )
    return day


def _date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {shown(text)}") from None
    return _in_calendar(day, day.isoformat())


def _month(text: str) -> dt.date:
    try:
        day = dt.datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a month YYYY-MM: {shown(text)}") from None
    return _in_calendar(day, f"{day:%Y-%m}")


def _statuses(text: str) -> tuple[str, ...]:
    values = tuple(part.strip() for part in text.split(",") if part.strip())
    known = list(_STATUSES)
    if values == (_STATUS_ALL,):
        return tuple(known)
    wrong = [value for value in values if value not in known]
    if not values or wrong:
        raise argparse.ArgumentTypeError(
            f"statuses are a comma-separated list of {', '.join(known)}, or {_STATUS_ALL}; "
            f"got {shown(text)}"
        )
    return values


def _kinds(text: str) -> tuple[str, ...]:
    values = tuple(part.strip() for part in text.split(",") if part.strip())
    if not values:
        raise argparse.ArgumentTypeError(
            f"kinds are a comma-separated list such as preassessment,investigation; "
            f"got {shown(text)}"
        )
    return values


def _path(text: str) -> Path:
    from pathlib import Path

    return Path(text)


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {shown(text)}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {shown(text)}")
    return value


def _positive_int(text: str) -> int:
    value = _non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {shown(text)}")
    return value


# A hundred years: more than the calendar's years hold, and no date arithmetic overflows.
_MAX_DAYS = 36_525
_MAX_MONTHS = 1_200


def _at_most(value: int, limit: int, text: str, unit: str) -> int:
    if value > limit:
        raise argparse.ArgumentTypeError(
            f"must be at most {limit:,} {unit} (a hundred years): {shown(text)}"
        )
    return value


def _days(text: str) -> int:
    return _at_most(_non_negative_int(text), _MAX_DAYS, text, "days")


def _positive_days(text: str) -> int:
    return _at_most(_positive_int(text), _MAX_DAYS, text, "days")


def _positive_months(text: str) -> int:
    return _at_most(_positive_int(text), _MAX_MONTHS, text, "months")


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {shown(text)}") from None
    if not (math.isfinite(value) and 0 < value <= 1):
        raise argparse.ArgumentTypeError(f"must be a number in (0, 1]: {shown(text)}")
    return value


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"not NAME=VALUE: {shown(text)}")
    return key.strip(), value.strip()


def _mode(text: str) -> int:
    try:
        value = int(text.strip(), 8)
    except ValueError:
        value = -1
    if not 0 <= value <= 0o777:
        raise argparse.ArgumentTypeError(
            f"not a file mode in octal, such as 600 or 640: {shown(text)}"
        )
    return value


def _weight(text: str) -> tuple[str, float]:
    name, value = _key_value(text)
    if name not in _NEED_FACTORS:
        raise argparse.ArgumentTypeError(
            f"unknown factor: {shown(name)}; the factors: {', '.join(_NEED_FACTORS)}"
        )
    try:
        weight = float(value)
    except ValueError:
        weight = math.nan
    if not (math.isfinite(weight) and weight >= 0):
        raise argparse.ArgumentTypeError(
            f"the weight of {name!r} must be a number, 0 or more: got {shown(value)}"
        )
    return name, weight


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors show no personal identity number."""

    def error(self, message: str) -> NoReturn:
        """Print the usage and *message*, masked, and exit with status 2."""
        self.print_usage(sys.stderr)
        self.exit(_EXIT_USAGE, f"{self.prog}: error: {_visible(redact(_one_line(message)))}\n")


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Keep the epilog's example lines as written."""


class _Version(argparse._VersionAction):
    """``--version``, with the version read from the package metadata only when asked for."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        """Print ``socforst VERSION`` and exit."""
        from socforst import __version__

        self.version = f"%(prog)s {__version__}"
        super().__call__(parser, namespace, values, option_string)


def _add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-f",
        "--format",
        choices=FORMATS,
        default="table",
        help="output format (default: table)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=_path,
        help="write to FILE (atomically: replaced only when complete) instead of standard output",
    )
    parser.add_argument(
        "--raw",
        action="store_true",
        help="with --format csv, keep cells that start with = + - @ as they are (default: "
        "a ' before them, so that a spreadsheet shows them as text and runs no formula)",
    )
    _add_mode(parser)


def _add_mode(parser: argparse.ArgumentParser) -> None:
    if "--mode" in parser._option_string_actions:  # a command that writes more than -o
        return
    parser.add_argument(
        "--mode",
        type=_mode,
        default=None,
        metavar="OCTAL",
        help="the permissions of the files written, such as 640 (default: a new file 600 "
        "and a new folder 700, readable by you only; a replaced file keeps its own)",
    )


def _add_target(parser: argparse.ArgumentParser) -> None:
    """The exporter spec of ``export`` and ``demo``, and how to write it."""
    parser.add_argument("target", metavar="SPEC", help="the exporter: csv:DIR, json:FILE, ...")
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an extract that is already there (never the source itself)",
    )
    parser.add_argument(
        "--raw",
        action="store_true",
        help="keep cells that start with = + - @ as they are in a CSV export (default: a ' "
        "before them, so that a spreadsheet shows them as text and runs no formula)",
    )
    _add_mode(parser)


def _add_source(parser: argparse.ArgumentParser, default_source: str) -> None:
    parser.add_argument(
        "-s",
        "--source",
        metavar="SPEC",
        default=default_source,
        help=(
            "where to read the data: demo, demo:SEED, csv:DIR, json:FILE, xlsx:FILE, "
            f"sqlite:FILE, a database URL, or a plugin's NAME:LOCATION (default: "
            f"${SOURCE_VARIABLE} if set, else demo; now {default_source})"
        ),
    )
    parser.add_argument(
        "--source-option",
        metavar="NAME=VALUE",
        type=_key_value,
        action="append",
        default=[],
        help=(
            "an option for the source, repeatable: delimiter=';', encoding=cp1252, "
            "or the demo city's start=YYYY-MM-DD and end=YYYY-MM-DD"
        ),
    )


def _add_common(parser: argparse.ArgumentParser, default_source: str) -> None:
    _add_source(parser, default_source)
    parser.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        type=_date,
        default=None,
        help="the day to answer for (default: today)",
    )
    _add_output(parser)


_Handler = Callable[["_Run"], int]


def _command(
    commands: Any,
    name: str,
    handler: _Handler,
    summary: str,
    example: str,
    *,
    details: str = "",
) -> argparse.ArgumentParser:
    epilog = "example:\n" + "\n".join(f"  {line}" for line in example.splitlines())
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=summary,
        description=summary + (f"\n\n{details}" if details else ""),
        epilog=epilog,
        formatter_class=_Formatter,
    )
    parser.set_defaults(handler=handler, command_parser=parser)
    return parser


def _parser() -> argparse.ArgumentParser:
    default_source = os.environ.get(SOURCE_VARIABLE) or "demo"
    parser = _Parser(
        prog=_PROG,
        description=(
            "Answers for the people who run a social-services reinforcement team "
            "(förstärkningsteam): deadlines, compliance, availability, utilisation, "
            "costs, need and a planner, from any data source (the demo city by default)."
        ),
        epilog=(
            "example:\n"
            "  socforst deadlines            # overdue and due soon today, in the demo city\n"
            "  socforst deadlines --help     # the options of one command"
        ),
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action=_Version)
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, title="commands"
    )

    sub = _command(
        commands,
        "districts",
        _districts,
        "List the districts that existed on a day, or the registry's whole history.",
        "socforst districts --on 2019-06-01",
    )
    _add_common(sub, default_source)
    sub.add_argument(
        "--on", metavar="YYYY-MM-DD", type=_date, help="the day (default: --as-of, today)"
    )
    sub.add_argument(
        "--all",
        action="store_true",
        help="every district that ever existed, and city-wide clients (socialjouren)",
    )

    sub = _command(
        commands,
        "deadlines",
        _deadlines,
        "List the statutory deadlines that are overdue or due soon on a day, or count them.",
        "socforst deadlines --district farsta --format csv --output deadlines.csv\n"
        "socforst deadlines --by district",
        details=(
            "With --format csv the columns are exactly those of the deadline output: "
            + ", ".join(_DEADLINE_COLUMNS)
            + "."
        ),
    )
    _add_common(sub, default_source)
    sub.add_argument(
        "--status",
        type=_statuses,
        default=("overdue", "due_soon"),
        metavar="S[,S...]",
        help="statuses to list: met, late, overdue, due_soon, open, or all "
        "(default: overdue,due_soon)",
    )
    sub.add_argument("--district", metavar="CODE", help="only this district (and its predecessors)")
    sub.add_argument("--member", metavar="ID", help="only records this team member handled")
    sub.add_argument(
        "--kind",
        type=_kinds,
        metavar="K[,K...]",
        help="only deadlines of these kinds, comma-separated (preassessment,investigation...)",
    )
    sub.add_argument(
        "--roll-forward",
        action="store_true",
        help="move due dates off weekends and holidays (Lag (1930:173) 2 §); "
        "default: strict calendar days",
    )
    sub.add_argument(
        "--due-soon-days",
        type=_days,
        default=3,
        metavar="N",
        help="days before the due date that count as due soon (default: 3)",
    )
    sub.add_argument(
        "--by",
        choices=("district", "member"),
        help="print counts per district or member and status instead of the deadlines",
    )
    sub.add_argument(
        "--crosswalk",
        action="store_true",
        help="with --by district, count under the districts as they were on --as-of",
    )

    sub = _command(
        commands,
        "compliance",
        _compliance,
        "Show per district and month the share of deadlines met, under both readings of 2 §.",
        "socforst compliance --from 2024-01 --to 2024-12 --crosswalk",
        details=(
            "Without --from and --to: the twelve months up to the month of --as-of.\n"
            "A month that is not final on --as-of (deadlines started in it still open,\n"
            "or more can still start in it) is marked: '*' after the month in the table,\n"
            "final=false in CSV and JSON: its counts and shares may still change."
        ),
    )
    _add_common(sub, default_source)
    sub.add_argument(
        "--kind",
        choices=_COMPLIANCE_KINDS,
        default="preassessment",
        help="preassessments within 14 days, or investigations within four months "
        "(default: preassessment)",
    )
    sub.add_argument(
        "--crosswalk",
        action="store_true",
        help="count under the districts as they were on --as-of",
    )
    sub.add_argument("--from", dest="first", metavar="YYYY-MM", type=_month, help="the first month")
    sub.add_argument("--to", dest="last", metavar="YYYY-MM", type=_month, help="the last month")

    sub = _command(
        commands,
        "availability",
        _availability,
        "Show how much of each member's extent is free on every day, or the free stretches.",
        "socforst availability --from 2025-03-03 --to 2025-03-30 --stretches --min-extent 0.5",
        details="Without --from and --to: four weeks from --as-of.",
    )
    _add_common(sub, default_source)
    _add_period(sub)
    sub.add_argument("--team", metavar="ID", help="only this team's members")
    sub.add_argument(
        "--stretches",
        action="store_true",
        help="list the runs of free days, longest first, instead of every day",
    )
    sub.add_argument(
        "--min-extent",
        type=_fraction,
        default=None,
        metavar="F",
        help="with --stretches, the free extent a day needs, in (0, 1] (default: 1)",
    )

    sub = _command(
        commands,
        "utilisation",
        _utilisation,
        "Show the assigned share of each member's and team's capacity per month.",
        "socforst utilisation --from 2025-01-01 --to 2025-06-30 --team t1\n"
        "socforst utilisation --districts --crosswalk",
        details="Without --from and --to: the month of --as-of.",
    )
    _add_common(sub, default_source)
    _add_period(sub)
    sub.add_argument("--team", metavar="ID", help="only this team and its members")
    sub.add_argument(
        "--districts",
        action="store_true",
        help="the team's days per district and year instead (years of --from..--to "
        "if given, else every year)",
    )
    sub.add_argument(
        "--crosswalk",
        action="store_true",
        help="with --districts, count under the districts as they were on --as-of",
    )

    sub = _command(
        commands,
        "costs",
        _costs,
        "Compare the team's cost per year and district with what consultants would have cost.",
        "socforst costs --crosswalk",
        details="The assumptions are printed first: on standard output in a table, "
        "on standard error with --format csv or json.",
    )
    _add_common(sub, default_source)
    sub.add_argument(
        "--crosswalk",
        action="store_true",
        help="count under the districts as they were on --as-of",
    )

    sub = _command(
        commands,
        "need",
        _need,
        "Rank the districts by their need of the team, each factor shown with its weight.",
        "socforst need --weight vacancy_rate=0.5 --weight turnover=0",
        details="Factors: " + ", ".join(_NEED_FACTORS) + ".",
    )
    _add_common(sub, default_source)
    sub.add_argument(
        "--weight",
        type=_weight,
        action="append",
        default=[],
        metavar="FACTOR=W",
        help="a factor's weight, repeatable (default weights: "
        + ", ".join(f"{name}={weight:g}" for name, weight in _NEED_WEIGHTS.items())
        + ")",
    )

    sub = _command(
        commands,
        "plan",
        _plan,
        "Suggest assignments for the open requests, each with its reasons.",
        "socforst plan --as-of 2025-03-01 --max-months 3",
    )
    _add_common(sub, default_source)
    sub.add_argument(
        "--min-days",
        type=_positive_days,
        default=None,
        metavar="N",
        help=f"the fewest days an assignment may have (default: {_POLICY_MIN_DAYS})",
    )
    sub.add_argument(
        "--max-months",
        type=_positive_months,
        default=None,
        metavar="N",
        help=f"the most months an assignment may span (default: {_POLICY_MAX_MONTHS})",
    )

    sub = _command(
        commands,
        "export",
        _export,
        "Write the dataset of --source with an exporter.",
        "socforst export --source csv:extract/ xlsx:extract.xlsx",
        details="An extract already at SPEC is replaced only with --force; the source itself "
        "never (nor a folder that holds it or that it holds).",
    )
    _add_target(sub)
    _add_source(sub, default_source)

    sub = _command(
        commands,
        "sources",
        _sources,
        "List the names of the sources and exporters installed.",
        "socforst sources",
    )
    _add_output(sub)

    sub = _command(
        commands,
        "check",
        _check,
        "Check the data of --source and print every problem, one a line.",
        "socforst check --source csv:extract/\nsocforst check --source csv:extract/ --limit 50",
        details=(
            "Prints every bad row of the load, every broken reference between tables, "
            "every impossible order of dates and every roster conflict (an assignment "
            "outside its member's employment or its district's existence, on an absence, "
            "beyond the member's extent or the policy). Exit status 1 when there is any "
            "problem, else 0 with one line saying how many records were checked."
        ),
    )
    _add_source(sub, default_source)
    sub.add_argument(
        "--limit",
        type=_positive_int,
        default=None,
        metavar="N",
        help="print at most N problems and a count of the rest (default: all)",
    )

    sub = _command(
        commands,
        "pseudonymize",
        _pseudonymize,
        "Copy a folder of CSV files with every identity number replaced by a pseudonym.",
        f"{_KEY_VARIABLE}=... socforst pseudonymize extract/ pseudonymised/",
        details=(
            "Each personal identity number, in any spelling and in any column, is replaced "
            "by a keyed pseudonym (see socforst.privacy), and the members' names are dropped; "
            "the copy is written all or nothing. The key is read from the environment "
            f"variable {_KEY_VARIABLE}, or the one --key-env names; never from the command "
            "line, where it would land in the shell history. The same as python -m "
            "socforst.privacy, with the same exit statuses."
        ),
    )
    sub.add_argument("folder", type=_path, metavar="SOURCE", help="the folder of CSV files to read")
    sub.add_argument("target", type=_path, metavar="TARGET", help="the folder to write")
    sub.add_argument(
        "--key-env",
        metavar="NAME",
        default=_KEY_VARIABLE,
        help=f"the environment variable that holds the key (default: {_KEY_VARIABLE})",
    )
    sub.add_argument(
        "--all-ids",
        action="store_true",
        help="replace every id in the id columns, not only the personal identity numbers",
    )
    sub.add_argument(
        "--case-numbers",
        metavar="COLUMN[,COLUMN]",
        action="append",
        help="id columns that hold case numbers numbered by date, left as they are",
    )
    sub.add_argument("--keep-names", action="store_true", help="keep members.csv's name column")
    sub.add_argument(
        "--force",
        action="store_true",
        help="replace a target written with another key, or not by this command",
    )
    sub.add_argument("--delimiter", default=",", help="the source files' separator (default: ,)")
    sub.add_argument(
        "--encoding", default="utf-8-sig", help="the source files' encoding (default: utf-8-sig)"
    )
    _add_output(sub)

    sub = _command(
        commands,
        "demo",
        _demo,
        "Write the demo city with an exporter, to see the data formats.",
        "socforst demo csv:demo-city/ --end 2025-12-31",
        details="An extract already at SPEC is replaced only with --force.",
    )
    _add_target(sub)
    sub.add_argument("--seed", type=int, default=None, metavar="N", help="the city's seed")
    sub.add_argument(
        "--start", type=_date, default=None, metavar="YYYY-MM-DD", help="the first day"
    )
    sub.add_argument(
        "--end",
        type=_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the last day (default: today)",
    )
    return parser


def _add_period(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from", dest="first", metavar="YYYY-MM-DD", type=_date, help="the first day"
    )
    parser.add_argument("--to", dest="last", metavar="YYYY-MM-DD", type=_date, help="the last day")


# -- running a command --------------------------------------------------------------------------


@attrs.define
class _Run:
    """What one run of a command shares: its options, the progress line and the output.

    Mutable: it remembers the dataset once read.
    """

    options: argparse.Namespace
    progress: _Progress = attrs.field(factory=_Progress)

    @property
    def as_of(self) -> dt.date:
        """The day asked about: ``--as-of``, or today."""
        day: dt.date | None = getattr(self.options, "as_of", None)
        return day if day is not None else dt.date.today()

    @property
    def format(self) -> str:
        """The output format."""
        return str(getattr(self.options, "format", "table"))

    def usage_error(self, message: str) -> None:
        """Stop with a usage error of the command (exit status 2)."""
        parser: argparse.ArgumentParser = self.options.command_parser
        parser.error(message)

    def dataset(self) -> Dataset:
        """Read the dataset of ``--source``, with ``--source-option``."""
        spec: str = self.options.source
        options = dict(self.options.source_option)
        source = _open_source(spec, options)
        self.progress.show(f"reading {spec}...")
        dataset = source.read()
        total = sum(dataset.counts().values())
        self.progress.show(f"read {total:,} records from {spec}")
        return dataset

    def period(self, default: Callable[[dt.date], tuple[dt.date, dt.date]]) -> DateRange:
        """``--from``..``--to``; a missing end from *default* (given the day asked about)."""
        first: dt.date | None = self.options.first
        last: dt.date | None = self.options.last
        default_first, default_last = default(first or self.as_of)
        first = first or default_first
        last = last or default_last
        if last < first:
            self.usage_error(f"--to ({last.isoformat()}) is before --from ({first.isoformat()})")
        return DateRange(first, last)

    def emit(
        self,
        rows: Sequence[object],
        row_type: type,
        *,
        columns: Sequence[str] | None = None,
        notes: Sequence[str] = (),
        after: Sequence[str] = (),
    ) -> None:
        """Write rows in ``--format`` to ``--output`` or standard output.

        *notes* come before the rows and *after* after them: in the output in
        a table, on standard error in CSV and JSON, so that the output stays
        machine-readable.
        """
        self.progress.clear()
        with self.output() as out:
            side = out if self.format == "table" else sys.stderr
            _write_notes(side, notes)
            if notes and side is out:
                out.write("\n")
            raw = bool(getattr(self.options, "raw", False))
            render(rows, row_type, out, format=self.format, columns=columns, raw=raw)
            if after and side is out:
                out.write("\n")
            _write_notes(side, after)

    def check_output(self) -> None:
        """Fail early, before any work, if ``--output`` cannot or must not be written.

        Raises:
            CommandError: If the folder is missing, the path is a folder, or
                it is what the command reads (the source's file, a file in its
                folder); if standard output is closed and no ``--output`` given.
        """
        if "output" not in vars(self.options):  # export, demo: they check their target
            return
        if self.options.raw and self.format != "csv":
            self.usage_error("--raw applies only with --format csv")
        path: Path | None = self.options.output
        if path is None:
            if sys.stdout is None:  # started with standard output closed (>&-)
                raise CommandError(
                    "standard output is closed, so there is nowhere to write the output; "
                    "give --output FILE"
                )
            return
        if not path.parent.is_dir():
            raise CommandError(f"cannot write {path}: the folder {path.parent} does not exist")
        if path.is_dir():
            raise CommandError(f"cannot write {path}: it is a folder")
        from socforst.sources.targets import same_location

        for source, spec in self.inputs():
            if same_location(source, path):
                raise CommandError(
                    f"cannot write {path}: it is also the source {spec}, or lies in its "
                    "folder; write the output to another place"
                )

    def inputs(self) -> list[tuple[Path, str]]:
        """The files and folders the command reads, each with how the user named it."""
        found: list[tuple[Path, str]] = []
        spec: str | None = getattr(self.options, "source", None)
        options = dict(getattr(self.options, "source_option", ()))
        if spec is not None and not _is_builtin_demo(spec, options):  # the demo city has no path
            from socforst.registry import location_of

            path = location_of(_open_source(spec, options))
            if path is not None:
                found.append((path, spec))
        folder: Path | None = getattr(self.options, "folder", None)  # pseudonymize's
        if folder is not None:
            found.append((folder, str(folder)))
        return found

    @contextlib.contextmanager
    def output(self) -> Iterator[IO[str]]:
        """``--output`` opened for an atomic write, or standard output."""
        path: Path | None = getattr(self.options, "output", None)
        if path is None:
            yield sys.stdout
            return
        self.check_output()
        from socforst._atomic import atomic_write

        with atomic_write(path, encoding="utf-8", newline="", mode=self.options.mode) as handle:
            yield handle


def _write_notes(out: IO[str] | None, notes: Sequence[str]) -> None:
    """Lines of text around the rows, long ones wrapped for a terminal."""
    if out is None or not notes:  # standard error closed, or nothing to say
        return
    import textwrap

    for note in map(_visible, notes):
        indent = " " * (len(note) - len(note.lstrip(" -")))
        out.write(
            textwrap.fill(note, width=_NOTE_WIDTH, subsequent_indent=indent, break_on_hyphens=False)
            + "\n"
        )


def _open_source(spec: str, options: Mapping[str, str]) -> Source:
    from socforst.registry import open_source

    # The registry names an option the source does not take, or a value it cannot use.
    return open_source(spec, **options)


_DEMO_SEED = re.compile(r"-?[0-9]+")


def _is_builtin_demo(spec: str, options: Mapping[str, str]) -> bool:
    """Whether *spec* is socforst's demo city as given, with no option: ``demo`` or ``demo:SEED``.

    Its registry is the built-in one whatever the seed, and it reads no file:
    ``districts`` lists the registry without building the city, and nothing is
    checked against the output's path. Anything else (an option, a malformed
    seed, a ``demo`` registered by a program) is opened, and checked, as before.
    """
    name, _, location = spec.partition(":")
    if name != "demo" or options:
        return False
    if location.strip() and not _DEMO_SEED.fullmatch(location.strip()):
        return False
    registry = sys.modules.get("socforst.registry")  # only a program can have replaced it
    replaced: Mapping[str, Mapping[str, object]] = getattr(registry, "_registered", {})
    return "demo" not in replaced.get("socforst.sources", {})


# -- the commands ---------------------------------------------------------------------------


def _districts(run: _Run) -> int:
    from socforst.districts import District, stockholm

    options = dict(run.options.source_option)
    if _is_builtin_demo(run.options.source, options):
        registry = stockholm()  # the demo city's: no need to build the city to list it
    else:
        registry = run.dataset().registry
    day: dt.date = run.options.on or run.as_of
    if run.options.all:
        found: Sequence[District] = sorted(registry, key=lambda d: (d.valid_from, d.code))
    else:
        found = registry.active_on(day)
    columns = ("code", "name", "valid_from", "valid_to", "successor", "kind")
    run.emit(found, District, columns=columns)
    return 0


def _deadlines(run: _Run) -> int:
    options = run.options
    if options.crosswalk and options.by != "district":
        # A crosswalk maps districts; members and single deadlines have nothing to map.
        run.usage_error("--crosswalk applies only with --by district")
    from socforst import queries
    from socforst.rules.base import EvaluatedDeadline
    from socforst.rules.book import RuleBook
    from socforst.sources import DEADLINE_COLUMNS

    book = RuleBook.swedish(roll_forward=options.roll_forward, due_soon_days=options.due_soon_days)
    if options.kind is not None:
        for kind in options.kind:
            book.rule(kind)  # UnknownRuleError lists the kinds there are
        # Only the rules asked for are evaluated: the others would be thrown away.
        book = attrs.evolve(book, rules=[r for r in book.rules if r.kind in options.kind])
    dataset = run.dataset()
    run.progress.show(f"evaluating the deadlines of {_case_count(dataset):,} case records...")
    found: Sequence[EvaluatedDeadline] = queries.deadlines_on(
        dataset,
        run.as_of,
        book=book,
        statuses=options.status,
        district=options.district,
        member_id=options.member,
    )
    if options.kind is not None:
        found = tuple(deadline for deadline in found if deadline.kind in options.kind)
    if options.by is not None:
        counts = queries.count_deadlines(
            found,
            "district" if options.by == "district" else "member_id",
            crosswalk_on=run.as_of if options.crosswalk else None,
            registry=dataset.registry,
        )
        run.emit(counts, queries.DeadlineCount)
        return 0
    columns = _columns_of(EvaluatedDeadline) if run.format == "json" else DEADLINE_COLUMNS
    run.emit(found, EvaluatedDeadline, columns=columns)
    return 0


def _case_count(dataset: Dataset) -> int:
    return sum(len(dataset.table(name)) for name in _CASE_TABLES)


def _twelve_months(last_month: dt.date) -> tuple[dt.date, dt.date]:
    return add_months(last_month.replace(day=1), -11), _month_end(last_month)


def _month_end(day: dt.date) -> dt.date:
    return add_months(day.replace(day=1), 1) - ONE_DAY


def _compliance(run: _Run) -> int:
    options = run.options
    first: dt.date | None = options.first
    last: dt.date | None = options.last
    if first is None and last is None:
        first, last = _twelve_months(run.as_of)
    elif first is None:
        assert last is not None
        first = _twelve_months(last)[0]
    elif last is None:
        last = run.as_of
    if last < first:
        run.usage_error(
            f"the months end ({last:%Y-%m}) before they start ({first:%Y-%m}); "
            "--to is the month of --as-of unless given"
        )
    period = DateRange(first.replace(day=1), _month_end(last))
    from socforst import queries

    dataset = run.dataset()
    run.progress.show(f"measuring {options.kind} deadlines...")
    rows = queries.compliance(
        dataset,
        kind=options.kind,
        as_of=run.as_of,
        crosswalk_on=run.as_of if options.crosswalk else None,
        period=period,
        open_months=True,
    )
    if run.format != "table":
        # CSV and JSON carry every field: `final` says which months are not complete.
        run.emit(rows, queries.ComplianceRow)
        return 0
    after = []
    if not all(row.final for row in rows):
        after.append(
            f"* not final on {run.as_of.isoformat()}: the month has deadlines still open, "
            "or more can start in it."
        )
    run.emit([_ComplianceLine.of(row) for row in rows], _ComplianceLine, after=after)
    return 0


@attrs.frozen(kw_only=True)
class _ComplianceLine:
    """A compliance row as the table shows it: ``2025-03*`` for a month not final.

    A ``final`` column of its own would widen a table that is wide already; the
    mark sits on the month, and a note after the table says what it means.
    """

    district: str
    month: str
    owed: int
    still_open: int
    met_strict: int
    met_roll_forward: int
    justified_strict: int
    justified_roll_forward: int
    late_strict: int
    late_roll_forward: int
    share_strict: float | None
    share_roll_forward: float | None
    difference: float | None

    @classmethod
    def of(cls, row: queries.ComplianceRow) -> _ComplianceLine:
        """The line of *row*."""
        return cls(
            district=row.district,
            month=f"{row.month:%Y-%m}" + ("" if row.final else "*"),
            owed=row.owed,
            still_open=row.still_open,
            met_strict=row.met_strict,
            met_roll_forward=row.met_roll_forward,
            justified_strict=row.justified_strict,
            justified_roll_forward=row.justified_roll_forward,
            late_strict=row.late_strict,
            late_roll_forward=row.late_roll_forward,
            share_strict=row.share_strict,
            share_roll_forward=row.share_roll_forward,
            difference=row.difference,
        )


def _four_weeks(first: dt.date) -> tuple[dt.date, dt.date]:
    return first, first + dt.timedelta(days=27)


def _one_month(first: dt.date) -> tuple[dt.date, dt.date]:
    return first.replace(day=1), _month_end(first)


def _availability(run: _Run) -> int:
    options = run.options
    min_extent: float | None = options.min_extent
    if min_extent is not None and not options.stretches:
        run.usage_error("--min-extent applies only with --stretches")
    period = run.period(_four_weeks)
    from socforst import queries

    dataset = run.dataset()
    if options.stretches:
        stretches = queries.free_stretches(
            dataset, period, team_id=options.team, min_extent=min_extent or 1.0
        )
        run.emit(stretches, queries.FreeStretch)
    else:
        days = queries.availability(dataset, period, team_id=options.team)
        run.emit(days, queries.FreeDay)
    return 0


def _utilisation(run: _Run) -> int:
    options = run.options
    if options.crosswalk and not options.districts:
        run.usage_error("--crosswalk applies only with --districts")
    if options.districts and options.team is not None:
        run.usage_error("--team does not apply to --districts, which counts every team's days")
    from socforst import queries

    if options.districts:
        dataset = run.dataset()
        rows: Sequence[queries.DistrictDaysRow] = queries.district_days(
            dataset, crosswalk_on=run.as_of if options.crosswalk else None
        )
        if options.first is not None or options.last is not None:
            period = run.period(lambda day: (dt.date.min, dt.date.max))
            assert period.end is not None
            rows = tuple(r for r in rows if period.start.year <= r.year <= period.end.year)
        run.emit(rows, queries.DistrictDaysRow)
        return 0
    period = run.period(_one_month)
    dataset = run.dataset()
    run.emit(queries.utilisation(dataset, period, team_id=options.team), queries.UtilisationRow)
    return 0


def _costs(run: _Run) -> int:
    from socforst import queries

    dataset = run.dataset()
    comparison = queries.costs(dataset, crosswalk_on=run.as_of if run.options.crosswalk else None)
    notes = ["Assumptions:", *(f"- {line}" for line in comparison.assumptions)]
    run.emit(comparison.rows, queries.CostRow, notes=notes)
    return 0


def _need(run: _Run) -> int:
    from socforst import queries

    weights = dict(run.options.weight)
    used = {**queries.NEED_WEIGHTS, **weights}
    if not any(used.values()):
        run.usage_error(
            "every weight is 0, so every district would score 0 and the ranking would say "
            "nothing; give at least one factor a weight above 0"
        )
    dataset = run.dataset()
    run.progress.show("ranking the districts...")
    scores = queries.need_ranking(dataset, run.as_of, weights=weights or None)
    notes = [
        f"Need on {run.as_of.isoformat()}; weights: "
        + ", ".join(f"{name} {used[name]:g}" for name in queries.NEED_FACTORS)
    ]
    columns = None
    if run.format == "table":
        # The explanation repeats the factors in words: too wide for a table.
        columns = [name for name in _columns_of(queries.NeedScore) if name != "explanation"]
    run.emit(scores, queries.NeedScore, columns=columns, notes=notes)
    return 0


def _plan(run: _Run) -> int:
    from socforst.assignments import AssignmentPolicy
    from socforst.planning import PlanRow, suggest

    options = run.options
    given = {"min_days": options.min_days, "max_months": options.max_months}
    policy = AssignmentPolicy(**{name: value for name, value in given.items() if value is not None})
    dataset = run.dataset()
    run.progress.show(f"planning {len(dataset.requests):,} requests...")
    plan = suggest(dataset, policy=policy, as_of=run.as_of)
    rows = plan.rows()
    notes = [
        f"Plan on {plan.as_of.isoformat()}: {len(plan.suggestions)} suggested, "
        f"{len(plan.uncovered)} uncovered, {len(plan.skipped)} skipped."
    ]
    if run.format != "table":
        run.emit(rows, PlanRow, notes=notes)
        return 0
    columns = [name for name in _columns_of(PlanRow) if name != "reasons"]
    after = ["Reasons:"]
    for row in rows:
        who = f"to {row.member_id}" if row.member_id is not None else "uncovered"
        after.append(f"{row.request_id} {who}:")
        after.extend(f"  - {reason}" for reason in row.reasons)
    run.emit(rows, PlanRow, columns=columns, notes=notes, after=after if rows else ())
    return 0


def _open_exporter(run: _Run, inputs: Sequence[tuple[Path, str]]) -> Exporter:
    """The exporter of ``SPEC`` with ``--mode`` and ``--raw``, checked before anything is written.

    Raises:
        CommandError: If the target is one of *inputs* (or holds one, or lies in
            one), or holds an extract and ``--force`` is not given.
    """
    from socforst.registry import adapter_options, location_of, open_exporter

    options = run.options
    target: str = options.target
    wanted: dict[str, object] = {}
    if options.mode is not None:
        wanted["mode"] = options.mode
    if options.raw:
        wanted["raw"] = True
    taken = adapter_options(target, exporter=True)
    why = {"raw": "only CSV exports neutralise formulas", "mode": "it sets no file modes"}
    for name in wanted:
        if name not in taken:
            adapter = target.partition(":")[0]
            raise CommandError(f"the exporter {adapter!r} does not take --{name}: {why[name]}")
    exporter = open_exporter(target, **wanted)
    _refuse_overwrite(location_of(exporter), f"the target {target}", inputs, force=options.force)
    return exporter


def _refuse_overwrite(
    target: Path | None, what: str, inputs: Sequence[tuple[Path, str]], *, force: bool
) -> None:
    """Refuse to write where a command reads, or, without *force*, over another extract."""
    if target is None:  # the demo city, a database on a server
        return
    from socforst.sources.targets import holds_extract, same_location

    for path, spec in inputs:
        if same_location(path, target):
            raise CommandError(
                f"{what} is also the source {spec} (or holds it, or lies inside it): "
                "write to another place; nothing was written"
            )
    if not force and holds_extract(target):
        raise CommandError(
            f"{what} already holds an extract: give --force to replace it; nothing was written"
        )


def _export(run: _Run) -> int:
    from socforst.registry import location_of

    target: str = run.options.target
    spec: str = run.options.source
    source_path = location_of(_open_source(spec, dict(run.options.source_option)))
    exporter = _open_exporter(run, [] if source_path is None else [(source_path, spec)])
    dataset = run.dataset()
    run.progress.show(f"writing {target}...")
    exporter.write_dataset(dataset)
    run.progress.clear()
    total = sum(dataset.counts().values())
    print(redact(f"wrote {total:,} records from {run.options.source} to {target}"))
    return 0


def _check(run: _Run) -> int:
    summary: str | None = None
    try:
        dataset = run.dataset()
    except LoadError as error:
        found = [str(problem) for problem in error.exceptions]
        summary = error.message  # counts the problems a long list leaves unlisted
    else:
        from socforst.assignments import ConflictKind
        from socforst.integrity import problems as integrity_problems

        run.progress.show("checking references, dates and the roster...")
        # Every file is optional: a team table with no rows may be absent from the source.
        tables = {
            name: records
            for name, records in dataset.tables()
            if records or name in dataset.columns
        }
        found = [str(problem) for problem in integrity_problems(tables, {}, dataset.registry)]
        # Unknown members are broken references, reported above when the members were read.
        found += [
            f"roster: {conflict}"
            for conflict in dataset.roster().conflicts()
            if conflict.kind is not ConflictKind.UNKNOWN_MEMBER
        ]
        _note_absent_columns(dataset)
    run.progress.clear()
    limit: int | None = run.options.limit
    listed = found if limit is None else found[:limit]
    for line in listed:
        print(_visible(_one_line(redact(line))))
    if len(found) > len(listed):
        print(f"... and {len(found) - len(listed)} more")
    if found:
        plural = "s" if len(found) != 1 else ""
        _say(f"error: {redact(summary or f'{len(found)} problem{plural} in {run.options.source}')}")
        return _EXIT_ERROR
    total = sum(dataset.counts().values())
    print(f"no problems found in {total:,} record{'s' if total != 1 else ''}")
    return 0


def _note_absent_columns(dataset: Dataset) -> None:
    """Say which deadlines the other commands will leave out for an absent column."""
    from socforst.dataset import TABLES
    from socforst.rules.book import RuleBook

    book = RuleBook.swedish()
    tables = {kind: name for name, kind in TABLES.items()}
    for kind, (table, column) in book.absent_completions(dataset).items():
        subject = tables.get(book.rule(kind).record_type)
        if subject is not None and dataset.table(subject):
            _say(
                f"note: {table} has no column {column!r}, so {kind} deadlines are left out "
                "(a column that is absent is unknown, not 'not done')"
            )


def _sources(run: _Run) -> int:
    from socforst.registry import exporter_names, source_names

    rows = [AdapterRow("source", name) for name in source_names()]
    rows += [AdapterRow("exporter", name) for name in exporter_names()]
    run.emit(rows, AdapterRow)
    return 0


def _pseudonymize(run: _Run) -> int:
    from socforst.privacy import key_from_environment, pseudonymize_csv_folder
    from socforst.sources.rows import UnknownColumnWarning

    options = run.options
    key = key_from_environment(options.key_env)
    case_numbers = [name.strip() for text in options.case_numbers or () for name in text.split(",")]
    run.progress.show(f"pseudonymising {options.folder}...")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnknownColumnWarning)
        counts = pseudonymize_csv_folder(
            options.folder,
            options.target,
            key,
            case_numbers=[name for name in case_numbers if name],
            delimiter=options.delimiter,
            encoding=options.encoding,
            all_ids=options.all_ids,
            keep_names=options.keep_names,
            overwrite=options.force,
        )
    run.progress.clear()
    for warning in caught:
        _say(f"note: {warning.message}")
    rows = [PseudonymizedRow(table, count) for table, count in counts.items()]
    run.emit(rows, PseudonymizedRow)
    return 0


def _demo(run: _Run) -> int:
    from socforst.demo import DEMO_SEED, DEMO_START, demo_dataset

    options = run.options
    seed: int = DEMO_SEED if options.seed is None else options.seed
    start: dt.date = DEMO_START if options.start is None else options.start
    end: dt.date = dt.date.today() if options.end is None else options.end
    exporter = _open_exporter(run, [])
    run.progress.show(f"building the demo city and writing {options.target}...")
    exporter.write_dataset(demo_dataset(seed=seed, start=start, end=end))
    run.progress.clear()
    print(
        redact(
            f"wrote the demo city (seed {seed}, {start.isoformat()} to {end.isoformat()}) "
            f"to {options.target}"
        )
    )
    return 0


# -- errors and the entry point -------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _say(message: str) -> None:
    """One line on standard error, after the program's name."""
    _error_line(f"{_PROG}: {_one_line(message)}")


def _error_line(text: str) -> None:
    """A line on standard error, masked: no identity number, no control character.

    Every message of the command line ends here, so a value that reached one
    some other way (a typed option, a file's name) is masked all the same.
    """
    stream = sys.stderr
    if stream is None:  # started with standard error closed: nowhere to say it
        return
    with contextlib.suppress(OSError, ValueError):
        stream.write(_visible(redact(text)) + "\n")


def _os_error_text(error: OSError) -> str:
    if error.strerror and error.filename is not None:
        return f"{error.filename}: {error.strerror}"
    return str(error) or type(error).__name__


def _report_load_error(error: LoadError) -> None:
    _say(f"error: {error.message}")
    members = error.exceptions
    for member in members[:MAX_ERROR_LINES]:
        _error_line(f"  {_one_line(str(member))}")
    if len(members) > MAX_ERROR_LINES:
        _error_line(f"  ... and {len(members) - MAX_ERROR_LINES} more")


def _type_name(error: BaseException) -> str:
    kind = type(error)
    if kind.__module__ == "builtins":
        return kind.__qualname__
    return f"{kind.__module__}.{kind.__qualname__}"


def _report_debug(error: BaseException) -> None:
    """The traceback of an unexpected error for a bug report, with no value from the data.

    Each frame's file, line and function, and each chained exception's type;
    a message only for socforst's own errors, which never quote personal data.
    Left out: the source lines, every other message and an exception's
    arguments, which may quote rows or a database's parameters.
    """
    import traceback

    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        if current.__cause__ is not None or current.__suppress_context__:
            current = current.__cause__
        else:
            current = current.__context__
    for position, link in enumerate(reversed(chain)):
        if position:
            _error_line("")
            _error_line(
                "The above exception was the direct cause of the following exception:"
                if link.__cause__ is not None
                else "During handling of the above exception, another exception occurred:"
            )
            _error_line("")
        _error_line("Traceback (most recent call last):")
        for frame in traceback.extract_tb(link.__traceback__):
            _error_line(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
        text = _type_name(link)
        if isinstance(link, SocforstError):
            text += f": {_one_line(str(link))}"
        if isinstance(link, BaseExceptionGroup):
            text += f" ({', '.join(_type_name(member) for member in link.exceptions)})"
        _error_line(text)


def _quiet_stdout() -> None:
    """Point standard output at the null device, so the final flush at exit cannot fail."""
    if sys.stdout is None:
        return
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
    with contextlib.suppress(OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``socforst`` command line.

    Args:
        argv: The arguments, without the program's name; ``sys.argv[1:]`` when ``None``.

    Returns:
        The exit status, 0 on success, 1 on an error (one line on standard
        error, or for a failed load the bad rows, never a traceback), 2 on a
        usage error, 130 on an interrupt, 141 when standard output was closed
        early (a pipe into ``head``).
    """
    try:
        try:
            options = _parser().parse_args(argv)
        except SystemExit as stop:  # --help, --version, usage errors
            return stop.code if isinstance(stop.code, int) else _EXIT_USAGE
        return _run(options)
    except KeyboardInterrupt:
        return _EXIT_INTERRUPTED
    except BrokenPipeError:
        _quiet_stdout()
        return _EXIT_BROKEN_PIPE


def _run(options: argparse.Namespace) -> int:
    run = _Run(options)
    handler: _Handler = options.handler
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            try:
                run.check_output()
                status = handler(run)
            finally:
                run.progress.clear()
                for warning in caught:
                    _say(f"warning: {warning.message}")
        if sys.stdout is not None:
            sys.stdout.flush()
        return status
    except SystemExit as stop:  # a usage error found after parsing
        return stop.code if isinstance(stop.code, int) else _EXIT_USAGE
    except LoadError as error:
        _report_load_error(error)
    except CalendarRangeError as error:
        _say(f"error: {error}: a date of the data or the options lies outside it")
    except SocforstError as error:
        _say(f"error: {error}")
    except BrokenPipeError:
        raise
    except OSError as error:
        _say(f"error: {_os_error_text(error)}")
    except OverflowError:
        # Date arithmetic beyond year 1 or 9999: the options are checked, so a date of the data.
        from socforst.calendar import swedish_calendar

        years = swedish_calendar().years
        _say(
            "error: a date of the data lies too far in the past or the future to compute "
            f"with; the legal calendar covers {years[0]}-{years[-1]}"
        )
    except Exception as error:
        hint = f"set {DEBUG_VARIABLE}=1 to see the traceback"
        if os.environ.get(DEBUG_VARIABLE):
            _report_debug(error)
            hint = "the traceback above shows no values from the data; please report it"
        # The message is left out: a library's own text may quote a value from the data.
        _say(f"error: unexpected {type(error).__name__} ({hint})")
    return _EXIT_ERROR
