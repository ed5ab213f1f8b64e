"""Time reading the demo city's CSV: the fast way (columns), row by row, and polars.read_csv.

One run. The demo city is exported once to a temporary CSV folder (about
290,000 reports up to END, today by default). Each load runs in a fresh
process (numpy, pyarrow, socforst's modules or polars imported before the
clock starts), the methods alternated, and each figure is the median of 3
(``--quick``: 1):

- *fast*: ``socforst.open_source("csv:DIR").read()``, which reads the case
  tables with ``pyarrow.csv`` and checks them on columns
  (:mod:`socforst.sources.fastcsv`); the dataset holds them as Arrow tables.
- *row by row*: the same read with the fast way switched off: every row a
  validated record (the way every read went before).
- *polars dates*: ``polars.read_csv(FILE, try_parse_dates=True)``, nothing checked.
- *polars text*: ``polars.read_csv(FILE)``, every column as read.

On ``reports.csv`` alone (a folder holding only it), then on the whole folder
(every table; polars reads only the reports). Before any figure is printed, the
fast read must equal the row-by-row read, record by record, with the same
columns known; if not, the script exits with status 1.

Targets of issue 11: loading reports at most 3x ``polars.read_csv`` with its
dates parsed. Run ``python benchmarks/load_fast.py`` from the repository with
the ``bench`` extra installed. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

FAST = "fast"
SLOW = "row by row"
POLARS_DATES = "polars dates"
POLARS_TEXT = "polars text"
TARGET = 3.0


def load(method: str, folder: Path) -> float:
    """Seconds for one load by *method* in this process, its modules imported before."""
    import numpy  # noqa: F401
    import pyarrow.compute
    import pyarrow.csv  # noqa: F401

    import socforst
    from socforst.sources import fastcsv

    if method in (POLARS_DATES, POLARS_TEXT):
        import polars as pl
    file = folder / "reports.csv"
    source = socforst.open_source(f"csv:{folder}")  # socforst's modules imported, as polars'
    begin = time.perf_counter()
    if method == FAST:
        data = source.read()
        if not data.is_arrow("reports"):
            sys.exit("the fast way declined the folder")
    elif method == SLOW:
        with mock.patch.object(fastcsv, "read_fast", return_value=None):
            source.read()
    elif method == POLARS_DATES:
        pl.read_csv(file, try_parse_dates=True)
    else:
        pl.read_csv(file)
    return time.perf_counter() - begin


def timed(method: str, folder: Path) -> float:
    """Seconds for one load by *method* in a fresh process."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", method, str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"{method} failed ({done.returncode}):\n{done.stderr}")
    return float(done.stdout)


def check_equal(folder: Path) -> int:
    """Exit with status 1 unless the fast read equals the row-by-row read; the reports read."""
    import socforst
    from socforst.sources import fastcsv

    fast = socforst.open_source(f"csv:{folder}").read()
    with mock.patch.object(fastcsv, "read_fast", return_value=None):
        slow = socforst.open_source(f"csv:{folder}").read()
    if not fast.is_arrow("reports"):
        sys.exit(f"{folder}: the fast way declined the folder")
    for name, records in slow.tables():
        if records != tuple(getattr(fast, name)):
            sys.exit(f"{folder}: the fast and row-by-row reads differ in table {name!r}")
    if dict(slow.columns) != dict(fast.columns):
        sys.exit(f"{folder}: the fast and row-by-row reads know different columns")
    return len(fast.reports)


def weighed(folder: Path) -> float:
    """Bytes a report that the fast read holds: pyarrow's pool and numpy's (tracemalloc)."""
    import gc
    import tracemalloc

    import pyarrow as pa

    import socforst

    socforst.open_source(f"csv:{folder}").read()  # modules and caches loaded
    gc.collect()
    before = pa.total_allocated_bytes()
    tracemalloc.start()
    data = socforst.open_source(f"csv:{folder}").read()
    gc.collect()
    held: int = pa.total_allocated_bytes() - before + tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return held / max(len(data.reports), 1)


def measure(folder: Path, methods: list[str], repeat: int) -> dict[str, float]:
    """The median seconds of each method, alternated."""
    seconds: dict[str, list[float]] = {method: [] for method in methods}
    for _ in range(repeat):
        for method in methods:
            seconds[method].append(timed(method, folder))
    return {method: statistics.median(times) for method, times in seconds.items()}


def report(title: str, median: dict[str, float]) -> None:
    """Print the seconds and the ratios to the fast read and to polars with dates."""
    print(title)
    print(f"  {'method':16} {'seconds':>8} {'x fast':>8} {'x polars dates':>15}")
    for method, seconds in median.items():
        print(
            f"  {method:16} {seconds:8.3f} {seconds / median[FAST]:7.2f}x "
            f"{seconds / median[POLARS_DATES]:14.2f}x"
        )


def main() -> None:
    """Export the city, check that the reads agree, then print seconds and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="runs per method (median)")
    parser.add_argument("--quick", action="store_true", help="one run per method")
    parser.add_argument(
        "--end",
        type=dt.date.fromisoformat,
        default=dt.date.today(),
        metavar="YYYY-MM-DD",
        help="the demo city's last day (default: today)",
    )
    parser.add_argument("--child", nargs=2, metavar=("METHOD", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(load(args.child[0], Path(args.child[1])))
        return
    repeat = 1 if args.quick else args.repeat

    import socforst
    from socforst.demo import demo_dataset

    with tempfile.TemporaryDirectory() as tmp:
        city = Path(tmp) / "city"
        begin = time.perf_counter()
        socforst.open_exporter(f"csv:{city}").write_dataset(demo_dataset(end=args.end))
        exported = time.perf_counter() - begin
        alone = Path(tmp) / "reports"
        alone.mkdir()
        shutil.copy(city / "reports.csv", alone / "reports.csv")
        reports = check_equal(alone)
        check_equal(city)
        size = (alone / "reports.csv").stat().st_size
        every = [FAST, SLOW, POLARS_DATES, POLARS_TEXT]
        on_reports = measure(alone, every, repeat)
        on_city = measure(city, every, repeat)
        held = weighed(alone)

    import polars
    import pyarrow

    print(
        f"demo city to {args.end} exported as CSV in {exported:.1f} s: {reports:,} reports "
        f"({size / 1e6:.1f} MB); median of {repeat}, fresh processes, alternated; Python "
        f"{platform.python_version()}, pyarrow {pyarrow.__version__}, polars "
        f"{polars.__version__}, {os.cpu_count()} CPUs"
    )
    print("the fast and row-by-row reads agree, record by record, with the same columns known")
    print()
    report("reports.csv alone", on_reports)
    print()
    report("the whole folder (polars reads reports.csv only)", on_city)
    print()
    ratio = on_reports[FAST] / on_reports[POLARS_DATES]
    print(f"fast read of reports.csv: {ratio:.2f}x polars with dates (target <= {TARGET}x)")
    print(f"fast read of reports.csv: {held:.0f} bytes a report held (Arrow and numpy)")


if __name__ == "__main__":
    main()
