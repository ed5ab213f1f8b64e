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
import csv
import datetime as dt
import json
import math
import os
import shutil
import sys
import textwrap
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, TextIO

import attrs

from socforst import __version__, queries
from socforst._atomic import atomic_write
from socforst.assignments import AssignmentPolicy
from socforst.dataset import Dataset
from socforst.dates import ONE_DAY, DateRange, add_months
from socforst.districts import District
from socforst.errors import LoadError, SocforstError
from socforst.planning import PlanRow, suggest
from socforst.privacy import (
    KEY_VARIABLE,
    MIN_KEY_BYTES,
    PseudonymKeyError,
    pseudonymize_csv_folder,
)
from socforst.registry import exporter_names, open_exporter, open_source, source_names
from socforst.rules.base import DeadlineStatus, EvaluatedDeadline
from socforst.rules.book import RuleBook
from socforst.sources import DEADLINE_COLUMNS, Source
from socforst.sources.rows import UnknownColumnWarning

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
_CASE_TABLES = ("reports", "investigations", "extensions", "placements", "reviews", "custodies")


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
    cells = [[_cell(value, for_people=True) for value in row] for row in rows]
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


def _write_csv(out: IO[str], columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    # Python 3.11's csv quotes a field only for the characters of the line
    # terminator, so a lone carriage return would go out bare and split the row.
    quoting_all = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    for row in rows:
        texts = [_cell(value, for_people=False) for value in row]
        (quoting_all if any("\r" in text for text in texts) else writer).writerow(texts)


def _write_json(out: IO[str], columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
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
) -> None:
    """Write rows of one type as an aligned table, CSV or JSON.

    The rows are frozen attrs instances or named tuples whose fields are plain
    values (``str``, ``int``, ``float``, ``datetime.date``, ``None``, or tuples
    of those). In a table and in CSV, ``None`` is an empty cell, dates are ISO
    8601 and a tuple's items are joined (``; `` in a table, ``|`` in CSV, as
    in the data formats); a table shows floats with at most six decimals and
    aligns numbers right, CSV keeps every digit. JSON is a list of objects,
    dates as ISO 8601 strings and tuples as lists.

    Args:
        rows: The rows, in the order to write them.
        row_type: Their class, which gives the columns even when there is no row.
        out: Where to write.
        format: ``table``, ``csv`` or ``json``.
        columns: The columns to write, in order; every field when ``None``.

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
        text = text[: max(shutil.get_terminal_size().columns - 1, 20)]
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


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _month(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a month YYYY-MM: {text!r}") from None


def _statuses(text: str) -> tuple[str, ...]:
    values = tuple(part.strip() for part in text.split(",") if part.strip())
    known = [status.value for status in DeadlineStatus]
    if values == (_STATUS_ALL,):
        return tuple(known)
    wrong = [value for value in values if value not in known]
    if not values or wrong:
        raise argparse.ArgumentTypeError(
            f"statuses are a comma-separated list of {', '.join(known)}, or {_STATUS_ALL}; "
            f"got {text!r}"
        )
    return values


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {text!r}")
    return value


def _positive_int(text: str) -> int:
    value = _non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {text!r}")
    return value


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (math.isfinite(value) and 0 < value <= 1):
        raise argparse.ArgumentTypeError(f"must be a number in (0, 1]: {text!r}")
    return value


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"not NAME=VALUE: {text!r}")
    return key.strip(), value.strip()


def _weight(text: str) -> tuple[str, float]:
    name, value = _key_value(text)
    try:
        return name, float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"the weight of {name!r} is not a number: {text!r}"
        ) from None


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Keep the epilog's example lines as written."""


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
        type=Path,
        help="write to FILE (atomically: replaced only when complete) instead of standard output",
    )


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
    parser = argparse.ArgumentParser(
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
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
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
            + ", ".join(DEADLINE_COLUMNS)
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
        "--kind", metavar="KIND", help="only deadlines of this kind (investigation...)"
    )
    sub.add_argument(
        "--roll-forward",
        action="store_true",
        help="move due dates off weekends and holidays (Lag (1930:173) 2 §); "
        "default: strict calendar days",
    )
    sub.add_argument(
        "--due-soon-days",
        type=_non_negative_int,
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
        details="Without --from and --to: the twelve months up to the month of --as-of.",
    )
    _add_common(sub, default_source)
    sub.add_argument(
        "--kind",
        choices=queries.COMPLIANCE_KINDS,
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
        default=1.0,
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
        details="Factors: " + ", ".join(queries.NEED_FACTORS) + ".",
    )
    _add_common(sub, default_source)
    sub.add_argument(
        "--weight",
        type=_weight,
        action="append",
        default=[],
        metavar="FACTOR=W",
        help="a factor's weight, repeatable (default weights: "
        + ", ".join(f"{name}={weight:g}" for name, weight in queries.NEED_WEIGHTS.items())
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
        type=_positive_int,
        default=AssignmentPolicy().min_days,
        metavar="N",
        help=f"the fewest days an assignment may have (default: {AssignmentPolicy().min_days})",
    )
    sub.add_argument(
        "--max-months",
        type=_positive_int,
        default=AssignmentPolicy().max_months,
        metavar="N",
        help=f"the most months an assignment may span (default: {AssignmentPolicy().max_months})",
    )

    sub = _command(
        commands,
        "export",
        _export,
        "Write the dataset of --source with an exporter.",
        "socforst export --source csv:extract/ xlsx:extract.xlsx",
    )
    sub.add_argument("target", metavar="SPEC", help="the exporter: csv:DIR, json:FILE, ...")
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
        "pseudonymize",
        _pseudonymize,
        "Copy a folder of CSV files with identity numbers in id columns pseudonymised.",
        f"{KEY_VARIABLE}=... socforst pseudonymize extract/ pseudonymised/",
        details=(
            "Each identity number in an id column is replaced by a keyed pseudonym (see "
            "socforst.privacy), and the members' names are dropped. The key is read from "
            f"the environment variable {KEY_VARIABLE}, or the one --key-env names; never "
            "from the command line, where it would land in the shell history."
        ),
    )
    sub.add_argument("folder", type=Path, metavar="SOURCE", help="the folder of CSV files to read")
    sub.add_argument("target", type=Path, metavar="TARGET", help="the folder to write")
    sub.add_argument(
        "--key-env",
        metavar="NAME",
        default=KEY_VARIABLE,
        help=f"the environment variable that holds the key (default: {KEY_VARIABLE})",
    )
    sub.add_argument(
        "--all-ids",
        action="store_true",
        help="replace every id in the id columns, not only the personal identity numbers",
    )
    sub.add_argument("--keep-names", action="store_true", help="keep members.csv's name column")
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
    )
    sub.add_argument("target", metavar="SPEC", help="the exporter: csv:DIR, json:FILE, ...")
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
            render(rows, row_type, out, format=self.format, columns=columns)
            if after and side is out:
                out.write("\n")
            _write_notes(side, after)

    def check_output(self) -> None:
        """Fail early, before any work, if ``--output`` cannot be written."""
        path: Path | None = getattr(self.options, "output", None)
        if path is None:
            return
        if not path.parent.is_dir():
            raise CommandError(f"cannot write {path}: the folder {path.parent} does not exist")
        if path.is_dir():
            raise CommandError(f"cannot write {path}: it is a folder")

    @contextlib.contextmanager
    def output(self) -> Iterator[IO[str]]:
        """``--output`` opened for an atomic write, or standard output."""
        path: Path | None = getattr(self.options, "output", None)
        if path is None:
            yield sys.stdout
            return
        self.check_output()
        with atomic_write(path, encoding="utf-8", newline="") as handle:
            yield handle


def _write_notes(out: IO[str], notes: Sequence[str]) -> None:
    """Lines of text around the rows, long ones wrapped for a terminal."""
    for note in notes:
        indent = " " * (len(note) - len(note.lstrip(" -")))
        out.write(
            textwrap.fill(note, width=_NOTE_WIDTH, subsequent_indent=indent, break_on_hyphens=False)
            + "\n"
        )


def _open_source(spec: str, options: Mapping[str, str]) -> Source:
    try:
        return open_source(spec, **options)
    except TypeError as error:
        # An option the adapter's factory does not take.
        names = ", ".join(repr(name) for name in options)
        raise CommandError(
            f"the source {spec!r} does not take the options given ({names}): {error}"
        ) from error


# -- the commands ---------------------------------------------------------------------------


def _districts(run: _Run) -> int:
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
    book = RuleBook.swedish(roll_forward=options.roll_forward, due_soon_days=options.due_soon_days)
    if options.kind is not None:
        book.rule(options.kind)  # UnknownRuleError lists the kinds there are
    dataset = run.dataset()
    run.progress.show(f"evaluating the deadlines of {_case_count(dataset):,} case records...")
    found = queries.deadlines_on(
        dataset,
        run.as_of,
        book=book,
        statuses=options.status,
        district=options.district,
        member_id=options.member,
    )
    if options.kind is not None:
        found = tuple(deadline for deadline in found if deadline.kind == options.kind)
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
    dataset = run.dataset()
    run.progress.show(f"measuring {options.kind} deadlines...")
    rows = queries.compliance(
        dataset,
        kind=options.kind,
        as_of=run.as_of,
        crosswalk_on=run.as_of if options.crosswalk else None,
        period=period,
    )
    run.emit(rows, queries.ComplianceRow)
    return 0


def _four_weeks(first: dt.date) -> tuple[dt.date, dt.date]:
    return first, first + dt.timedelta(days=27)


def _one_month(first: dt.date) -> tuple[dt.date, dt.date]:
    return first.replace(day=1), _month_end(first)


def _availability(run: _Run) -> int:
    options = run.options
    period = run.period(_four_weeks)
    dataset = run.dataset()
    if options.stretches:
        stretches = queries.free_stretches(
            dataset, period, team_id=options.team, min_extent=options.min_extent
        )
        run.emit(stretches, queries.FreeStretch)
    else:
        days = queries.availability(dataset, period, team_id=options.team)
        run.emit(days, queries.FreeDay)
    return 0


def _utilisation(run: _Run) -> int:
    options = run.options
    if options.districts:
        if options.team is not None:
            run.usage_error("--team does not apply to --districts, which counts every team's days")
        dataset = run.dataset()
        rows = queries.district_days(dataset, crosswalk_on=run.as_of if options.crosswalk else None)
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
    dataset = run.dataset()
    comparison = queries.costs(dataset, crosswalk_on=run.as_of if run.options.crosswalk else None)
    notes = ["Assumptions:", *(f"- {line}" for line in comparison.assumptions)]
    run.emit(comparison.rows, queries.CostRow, notes=notes)
    return 0


def _need(run: _Run) -> int:
    weights = dict(run.options.weight)
    dataset = run.dataset()
    run.progress.show("ranking the districts...")
    scores = queries.need_ranking(dataset, run.as_of, weights=weights or None)
    used = {**queries.NEED_WEIGHTS, **weights}
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
    options = run.options
    policy = AssignmentPolicy(min_days=options.min_days, max_months=options.max_months)
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


def _export(run: _Run) -> int:
    target: str = run.options.target
    exporter = open_exporter(target)
    dataset = run.dataset()
    run.progress.show(f"writing {target}...")
    exporter.write_dataset(dataset)
    run.progress.clear()
    total = sum(dataset.counts().values())
    print(f"wrote {total:,} records from {run.options.source} to {target}")
    return 0


def _sources(run: _Run) -> int:
    rows = [AdapterRow("source", name) for name in source_names()]
    rows += [AdapterRow("exporter", name) for name in exporter_names()]
    run.emit(rows, AdapterRow)
    return 0


def _pseudonymize(run: _Run) -> int:
    options = run.options
    variable: str = options.key_env
    key = os.environ.get(variable)
    if not key:
        raise PseudonymKeyError(
            f"no pseudonymisation key: set the environment variable {variable} (at least "
            f"{MIN_KEY_BYTES} bytes, kept in a secrets store), or name another with --key-env"
        )
    run.progress.show(f"pseudonymising {options.folder}...")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnknownColumnWarning)
        counts = pseudonymize_csv_folder(
            options.folder,
            options.target,
            key,
            delimiter=options.delimiter,
            encoding=options.encoding,
            all_ids=options.all_ids,
            keep_names=options.keep_names,
        )
    run.progress.clear()
    for warning in caught:
        _say(f"note: {warning.message}")
    rows = [PseudonymizedRow(table, count) for table, count in counts.items()]
    run.emit(rows, PseudonymizedRow)
    return 0


def _demo(run: _Run) -> int:
    from socforst.demo import DEMO_SEED, DEMO_START, write_demo

    options = run.options
    seed: int = DEMO_SEED if options.seed is None else options.seed
    start: dt.date = DEMO_START if options.start is None else options.start
    end: dt.date = dt.date.today() if options.end is None else options.end
    run.progress.show(f"building the demo city and writing {options.target}...")
    write_demo(options.target, seed=seed, start=start, end=end)
    run.progress.clear()
    print(
        f"wrote the demo city (seed {seed}, {start.isoformat()} to {end.isoformat()}) "
        f"to {options.target}"
    )
    return 0


# -- errors and the entry point -------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _say(message: str) -> None:
    sys.stderr.write(f"{_PROG}: {_one_line(message)}\n")


def _os_error_text(error: OSError) -> str:
    if error.strerror and error.filename is not None:
        return f"{error.filename}: {error.strerror}"
    return str(error) or type(error).__name__


def _report_load_error(error: LoadError) -> None:
    _say(f"error: {error.message}")
    members = error.exceptions
    for member in members[:MAX_ERROR_LINES]:
        sys.stderr.write(f"  {_one_line(str(member))}\n")
    if len(members) > MAX_ERROR_LINES:
        sys.stderr.write(f"  ... and {len(members) - MAX_ERROR_LINES} more\n")


def _quiet_stdout() -> None:
    """Point standard output at the null device, so the final flush at exit cannot fail."""
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
        sys.stdout.flush()
        return status
    except SystemExit as stop:  # a usage error found after parsing
        return stop.code if isinstance(stop.code, int) else _EXIT_USAGE
    except LoadError as error:
        _report_load_error(error)
    except SocforstError as error:
        _say(f"error: {error}")
    except BrokenPipeError:
        raise
    except OSError as error:
        _say(f"error: {_os_error_text(error)}")
    except Exception as error:
        if os.environ.get(DEBUG_VARIABLE):
            raise
        # The message is left out: a library's own text may quote a value from the data.
        _say(
            f"error: unexpected {type(error).__name__} "
            f"(set {DEBUG_VARIABLE}=1 to see the traceback)"
        )
    return _EXIT_ERROR
