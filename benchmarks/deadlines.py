"""Time the preassessment deadline of many reports four ways, under both readings of 2 §.

One run, the same synthetic reports (received 2015-2026 uniformly, about 70 %
decided 0-30 days after receipt, a fixed seed), the preassessment deadline
(14 days) and its status as of the last day of the span, under both readings
of Lag (1930:173) 2 §: strict days and roll-forward.

- *columnar*: ``RuleBook.evaluate_columns`` on ``datetime64[D]`` arrays.
- *per-object*: ``RuleBook.deadlines(report, context=...)`` and
  ``Deadline.status`` over ``Report`` objects built before timing (the build is
  timed on its own line, with the cyclic GC paused); ``RuleBook.evaluate`` too.
- *plain Python* (reference): a loop over ``datetime.date`` with a set of
  non-working days (weekends, and the ``holidays`` categories ``public`` +
  ``de_facto``) and a while-loop roll-forward.
- *numpy* (reference): a table of the due date of every day in the span
  (``np.busday_offset`` for the roll-forward), ``take``, a vectorised status.
- *object floor* (no socforst code): what any per-object path must at least do,
  written as lean as Python allows: read the four fields from each ``Report``,
  look up the due day in a dict, build one ten-field named tuple with
  ``tuple.__new__`` and call its ``status`` method. Its ratio to the plain loop
  is the lowest a per-object path can reach on the machine.

The rule book holds the preassessment rule alone, so that each report owes one
deadline. Every timed method returns its due dates and statuses; all of them must
agree row by row, under both readings, before a figure is printed (``evaluate``
on the rows that start by the as-of day, the ones it keeps). The targets
of the issue are printed as ratios: columnar / numpy <= 2x, per-object / plain
Python <= 3x. The timed runs keep the cyclic GC on, as a caller has it.

Run ``python benchmarks/deadlines.py`` (``--quick`` for 100,000 reports and one
repeat). The figures are printed, never asserted: speed is measured here, not
in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, TypeVar

import holidays
import numpy as np
import numpy.typing as npt
from holidays.countries.sweden import Sweden

from socforst import PreassessmentOutcome, Report, RuleBook
from socforst.rules import PreassessmentDeadline

DateArray = npt.NDArray[np.datetime64]
StatusArray = npt.NDArray[np.str_]
Result = tuple[DateArray, StatusArray]
T = TypeVar("T")

FIRST_DAY = dt.date(2015, 1, 1)
LAST_DAY = dt.date(2026, 12, 31)
AS_OF = LAST_DAY  # every report has come in by then, so every method has every row
DAYS = 14
DUE_SOON_DAYS = 3
DECIDED_SHARE = 0.7
MAX_LAG_DAYS = 30
SEED = 20250701
DISTRICTS = ("farsta", "bromma", "jarva", "skarholmen")
STATUSES = ("met", "late", "overdue", "due_soon", "open")
STATUS_NAMES: StatusArray = np.array(STATUSES, dtype="<U8")
READINGS = (("strict", False), ("roll-forward", True))
EVALUATE = "socforst evaluate()"
FLOOR = "object floor (no socforst)"


def make_columns(n: int, seed: int = SEED) -> tuple[DateArray, DateArray, npt.NDArray[np.int64]]:
    """Start days, decision days (``NaT`` where undecided) and seconds of the day of receipt."""
    rng = np.random.default_rng(seed)
    span = (LAST_DAY - FIRST_DAY).days + 1
    start = np.datetime64(FIRST_DAY, "D") + rng.integers(0, span, n)
    decided = rng.random(n) < DECIDED_SHARE
    lag = rng.integers(0, MAX_LAG_DAYS + 1, n)
    met = np.where(decided, start + lag, np.datetime64("NaT", "D"))
    seconds = rng.integers(0, 24 * 3600, n)
    return start, met, seconds


def build_reports(
    received: Sequence[dt.datetime], decided: Sequence[dt.date | None]
) -> list[Report]:
    """The reports as ``Report`` objects, from values already in Python types."""
    outcomes = (PreassessmentOutcome.OPENED, PreassessmentOutcome.NOT_OPENED)
    return [
        Report(
            report_id=f"r{i}",
            district=DISTRICTS[i % 4],
            received_at=at,
            preassessment_decided_on=on,
            preassessment_outcome=None if on is None else outcomes[i % 2],
        )
        for i, (at, on) in enumerate(zip(received, decided, strict=True))
    ]


def named_holidays(first_year: int, last_year: int) -> list[dt.date]:
    """The days 2 § names besides weekends: ``holidays`` categories public + de_facto."""
    return sorted(
        Sweden(
            years=range(first_year, last_year + 1),
            categories=(holidays.PUBLIC, holidays.DE_FACTO),
            language="en_US",
            include_sundays=False,
        )
    )


def non_working_days(first_year: int, last_year: int) -> frozenset[dt.date]:
    """Saturdays, Sundays and the named holidays of the years, as one set."""
    day, last = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
    weekends = set()
    while day <= last:
        if day.weekday() >= 5:
            weekends.add(day)
        day += dt.timedelta(days=1)
    return frozenset(weekends.union(named_holidays(first_year, last_year)))


def columnar(book: RuleBook, start: DateArray, met: DateArray, as_of: dt.date) -> Result:
    """The columnar path of socforst."""
    return book.evaluate_columns("preassessment", start, met, as_of)


def per_object(
    book: RuleBook, reports: Sequence[Report], as_of: dt.date
) -> tuple[list[dt.date], list[str]]:
    """The per-object path of socforst: each report's deadlines, and each one's status."""
    ctx = book.context()
    dues: list[dt.date] = []
    statuses: list[str] = []
    for r in reports:
        for d in book.deadlines(r, context=ctx):
            dues.append(d.due_on)
            statuses.append(d.status(as_of))
    return dues, statuses


def plain_python(
    starts: Sequence[dt.date],
    mets: Sequence[dt.date | None],
    as_of: dt.date,
    non_working: frozenset[dt.date] | None,
) -> tuple[list[dt.date], list[str]]:
    """Reference: a loop over ``datetime.date``; *non_working* is ``None`` for strict days."""
    days = dt.timedelta(days=DAYS)
    one_day = dt.timedelta(days=1)
    dues: list[dt.date] = []
    statuses: list[str] = []
    for start, met in zip(starts, mets, strict=True):
        due = start + days
        if non_working is not None:
            while due in non_working:
                due += one_day
        if met is not None and met <= as_of:
            status = "met" if met <= due else "late"
        else:
            left = (due - as_of).days
            status = "overdue" if left < 0 else "due_soon" if left <= DUE_SOON_DAYS else "open"
        dues.append(due)
        statuses.append(status)
    return dues, statuses


class _FloorDeadline(NamedTuple):
    """The leanest deadline object: the ten fields of ``Deadline`` and its status rule."""

    kind: str
    subject_id: str
    district: str
    starts_on: dt.date
    due_on: dt.date
    met_on: dt.date | None
    reference: str
    exceptional_reason: str | None
    member_id: str | None
    due_soon_days: int

    def status(self, as_of: dt.date) -> str:
        met_on = self.met_on
        if met_on is not None and met_on <= as_of:
            return "met" if met_on <= self.due_on else "late"
        left = (self.due_on - as_of).days
        if left < 0:
            return "overdue"
        return "due_soon" if left <= self.due_soon_days else "open"


def object_floor(
    reports: Sequence[Report], as_of: dt.date, non_working: frozenset[dt.date] | None
) -> tuple[list[dt.date], list[str]]:
    """No socforst code: fields read, a dict lookup, one tuple and one status call a report."""
    due_of: dict[dt.date, dt.date] = {}
    days = dt.timedelta(days=DAYS)
    one_day = dt.timedelta(days=1)
    new = tuple.__new__
    dues: list[dt.date] = []
    statuses: list[str] = []
    for r in reports:
        start = r.received_on
        due = due_of.get(start)
        if due is None:
            due = start + days
            if non_working is not None:
                while due in non_working:
                    due += one_day
            due_of[start] = due
        d = new(
            _FloorDeadline,
            (
                "preassessment",
                r.report_id,
                r.district,
                start,
                due,
                r.preassessment_decided_on,
                "ref",
                None,
                None,
                DUE_SOON_DAYS,
            ),
        )
        dues.append(d.due_on)
        statuses.append(d.status(as_of))
    return dues, statuses


def numpy_reference(
    start: DateArray, met: DateArray, as_of: dt.date, holiday_days: DateArray | None
) -> Result:
    """Reference: a table of the due date of every day in the span, ``take``, vector status."""
    first = start.min()
    span = int((start.max() - first).astype(np.int64)) + 1
    table = first + np.arange(span) + np.timedelta64(DAYS, "D")
    if holiday_days is not None:
        table = np.busday_offset(
            table, 0, roll="forward", weekmask="1111100", holidays=holiday_days
        )
    due = table.take((start - first).astype(np.int64))
    day = np.datetime64(as_of, "D")
    left = (due - day).astype(np.int64)
    code = np.full(start.shape, 4, dtype=np.int8)
    code[left <= DUE_SOON_DAYS] = 3
    code[left < 0] = 2
    done = ~np.isnat(met) & (met <= day)
    code[done] = 1
    code[done & (met <= due)] = 0
    return due, STATUS_NAMES.take(code)


def lists_to_arrays(result: tuple[Sequence[dt.date], Sequence[str]]) -> Result:
    """Due dates and statuses from Python lists, as arrays to compare."""
    dues, statuses = result
    return np.array(dues, dtype="datetime64[D]"), np.array(statuses, dtype="<U8")


def evaluated_to_arrays(result: Sequence[Any]) -> Result:
    """Due dates and statuses of ``EvaluatedDeadline``s, as arrays to compare."""
    return lists_to_arrays(([e.due_on for e in result], [e.status for e in result]))


def timed(
    func: Callable[[], T], finish: Callable[[T], Result], repeat: int
) -> tuple[float, Result]:
    """Median seconds of *repeat* runs of *func*, and its last result made into arrays."""
    times: list[float] = []
    result: Result | None = None
    for _ in range(repeat):
        result = None
        gc.collect()
        begin = time.perf_counter()
        value = func()
        times.append(time.perf_counter() - begin)
        result = finish(value)
        del value
    assert result is not None
    return statistics.median(times), result


def timed_build(
    received: Sequence[dt.datetime], decided: Sequence[dt.date | None], repeat: int
) -> tuple[float, list[Report]]:
    """Median seconds to build the reports, with the cyclic GC paused around the build."""
    times: list[float] = []
    reports: list[Report] = []
    for _ in range(repeat):
        reports = []
        gc.collect()
        gc.disable()
        try:
            begin = time.perf_counter()
            reports = build_reports(received, decided)
            times.append(time.perf_counter() - begin)
        finally:
            gc.enable()
    gc.collect()
    return statistics.median(times), reports


class Data(NamedTuple):
    """The same reports as columns, as Python lists and as objects, and the calendars."""

    start: DateArray
    met: DateArray
    starts: list[dt.date]
    mets: list[dt.date | None]
    reports: list[Report]
    non_working: frozenset[dt.date]
    holiday_days: DateArray


def measure(data: Data, roll: bool, repeat: int) -> list[tuple[str, float, Result]]:
    """Each method under one reading: its name, median seconds and result; the reference last."""
    book = RuleBook(rules=(PreassessmentDeadline(days=DAYS),), roll_forward=roll)
    start, met, reports = data.start, data.met, data.reports
    non_working = data.non_working if roll else None
    holiday_days = data.holiday_days if roll else None
    measured = [
        (
            "socforst evaluate_columns",
            timed(lambda: columnar(book, start, met, AS_OF), _same, repeat),
        ),
        (
            "numpy table + take (reference)",
            timed(lambda: numpy_reference(start, met, AS_OF, holiday_days), _same, repeat),
        ),
        (
            "socforst deadlines() + status()",
            timed(lambda: per_object(book, reports, AS_OF), lists_to_arrays, repeat),
        ),
        (
            EVALUATE,
            timed(lambda: book.evaluate(reports, AS_OF), evaluated_to_arrays, repeat),
        ),
        (
            FLOOR,
            timed(lambda: object_floor(reports, AS_OF, non_working), lists_to_arrays, repeat),
        ),
        (
            "plain Python date + set (reference)",
            timed(
                lambda: plain_python(data.starts, data.mets, AS_OF, non_working),
                lists_to_arrays,
                repeat,
            ),
        ),
    ]
    return [(name, seconds, result) for name, (seconds, result) in measured]


def _same(result: Result) -> Result:
    return result


def check_agree(
    name: str,
    reading: str,
    got: Result,
    expected: Result,
    start: DateArray,
    rows: npt.NDArray[np.bool_] | slice,
) -> None:
    """Raise AssertionError naming the first row where *got* differs from *expected*[*rows*]."""
    due, status = got
    due_ref, status_ref = expected[0][rows], expected[1][rows]
    start = start[rows]
    if due.shape != due_ref.shape or status.shape != status_ref.shape:
        raise AssertionError(f"{name} ({reading}): {due.shape[0]} rows against {due_ref.shape[0]}")
    wrong = np.flatnonzero((due != due_ref) | (status != status_ref))
    if wrong.size:
        i = int(wrong[0])
        raise AssertionError(
            f"{name} ({reading}) differs from the plain Python reference on {wrong.size} rows; "
            f"first row {i}: start {start[i]}, due {due[i]} against {due_ref[i]}, "
            f"status {status[i]} against {status_ref[i]}"
        )


def main() -> None:
    """Check that all methods agree, then print seconds, ns per report and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000, help="number of reports")
    parser.add_argument("--repeat", type=int, default=3, help="runs per method (median)")
    parser.add_argument("--quick", action="store_true", help="100,000 reports, one repeat")
    args = parser.parse_args()
    n, repeat = (100_000, 1) if args.quick else (args.n, args.repeat)

    start, met, seconds = make_columns(n)
    starts: list[dt.date] = start.tolist()
    mets: list[dt.date | None] = met.tolist()
    received = [
        dt.datetime.combine(day, dt.time(s // 3600, s // 60 % 60, s % 60))
        for day, s in zip(starts, seconds.tolist(), strict=True)
    ]
    years = (FIRST_DAY.year, LAST_DAY.year + 1)  # a due date may fall in the next year
    non_working = non_working_days(*years)
    holiday_days = np.array(named_holidays(*years), dtype="datetime64[D]")
    build_s, reports = timed_build(received, mets, repeat)
    del received

    data = Data(start, met, starts, mets, reports, non_working, holiday_days)
    rows: list[tuple[str, str, float]] = [("build Report objects (GC paused)", "-", build_s)]
    per_reading: dict[str, dict[str, float]] = {}
    results: dict[str, Result] = {}
    for reading, roll in READINGS:
        methods = measure(data, roll, repeat)
        expected = methods[-1][2]
        for name, _, result in methods:
            # evaluate() leaves out deadlines that start after as_of: not yet received.
            kept = start <= np.datetime64(AS_OF, "D") if name == EVALUATE else slice(None)
            check_agree(name, reading, result, expected, start, kept)
        results[reading] = expected
        per_reading[reading] = {name: seconds_ for name, seconds_, _ in methods}
        rows += [(name, reading, seconds_) for name, seconds_, _ in methods]

    moved = float(np.mean(results["strict"][0] != results["roll-forward"][0]))
    assert moved > 0, "the roll-forward reading moved no due date"
    print(
        f"{n:,} reports received {FIRST_DAY}..{LAST_DAY}, {np.mean(~np.isnat(met)):.1%} decided, "
        f"as of {AS_OF}; median of {repeat}; Python {platform.python_version()}, "
        f"numpy {np.__version__}, {os.cpu_count()} CPUs"
    )
    print(
        "all methods agree row by row (due dates and statuses, both readings); "
        f"roll-forward moves {moved:.1%} of due dates"
    )
    for reading, (_, status) in results.items():
        names, counts = np.unique(status, return_counts=True)
        shares = dict(zip(names.tolist(), (counts / n).tolist(), strict=True))
        print(f"  {reading:<12} " + "  ".join(f"{s} {shares.get(s, 0.0):.1%}" for s in STATUSES))
    print()
    print(f"{'method':<36} {'reading':<12} {'seconds':>8} {'ns/report':>10}")
    for name, reading, seconds_ in rows:
        print(f"{name:<36} {reading:<12} {seconds_:>8.3f} {seconds_ / n * 1e9:>10.0f}")
    print()
    print(f"{'ratio (target)':<36} {'strict':>12} {'roll-forward':>12}")
    ratios = (
        ("columnar / numpy (<= 2x)", "socforst evaluate_columns", "numpy table + take (reference)"),
        (
            "per-object / plain Python (<= 3x)",
            "socforst deadlines() + status()",
            "plain Python date + set (reference)",
        ),
        (
            "evaluate() / plain Python",
            EVALUATE,
            "plain Python date + set (reference)",
        ),
        (
            "object floor / plain Python",
            FLOOR,
            "plain Python date + set (reference)",
        ),
    )
    for label, ours, reference in ratios:
        cells = [per_reading[r][ours] / per_reading[r][reference] for r, _ in READINGS]
        print(f"{label:<36} " + " ".join(f"{c:>11.2f}x" for c in cells))


if __name__ == "__main__":
    main()
