"""Time and weigh loading reports into a dataset, against a hand-written loop, as ratios.

One run, the same synthetic ``reports.csv`` (received 2015-2026, 70 % decided):

- *socforst CSV*: ``socforst.open_source("csv:DIR").read()``: every value
  checked, every bad row reported, districts checked against the registry.
- *socforst SQLite*: ``socforst.open_source("sqlite:FILE").read()`` of the same
  reports (when the SQL adapter and SQLAlchemy are installed).
- *hand-written* (reference): ``csv.reader`` and ``Report(...)`` built directly
  from each row's cells, no error reporting.

Memory is what stays allocated after the load (``tracemalloc``), per report.
Targets: at most 1.5x the reference's time, at most 250 bytes a report.
Run ``python benchmarks/load.py`` (``--n`` reports, default 1,000,000;
``--quick`` for 100,000). Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import os
import platform
import random
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import socforst
from socforst import Report

CODES = ["farsta", "bromma", "jarva", "skarholmen", "sodermalm", "kungsholmen", "spanga-tensta"]


def write_reports(folder: Path, n: int, seed: int = 1) -> None:
    """Write *n* synthetic reports to ``folder/reports.csv``."""
    rng = random.Random(seed)
    first = dt.datetime(2015, 1, 1)
    minutes = 60 * 24 * (dt.date(2026, 12, 31) - first.date()).days
    with (folder / "reports.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "report_id",
                "district",
                "received_at",
                "preassessment_decided_on",
                "preassessment_outcome",
            ]
        )
        for i in range(n):
            at = first + dt.timedelta(minutes=rng.randrange(minutes))
            decided = ""
            if rng.random() < 0.7:
                decided = (at.date() + dt.timedelta(days=rng.randrange(31))).isoformat()
            code = rng.choice(CODES)
            if at.date() >= dt.date(2023, 7, 1) and code == "spanga-tensta":
                code = "jarva"
            writer.writerow(
                [
                    f"r{i}",
                    code,
                    at.isoformat(timespec="minutes"),
                    decided,
                    "opened" if decided else "",
                ]
            )


def hand_written(folder: Path) -> list[Report]:
    """Reference: ``csv.reader`` and a constructor call per row, nothing else."""
    reports = []
    with (folder / "reports.csv").open(newline="", encoding="utf-8") as handle:
        rows = csv.reader(handle)
        next(rows)
        for report_id, district, received_at, decided, outcome in rows:
            reports.append(
                Report(
                    report_id=report_id,
                    district=district,
                    received_at=dt.datetime.fromisoformat(received_at),
                    preassessment_decided_on=dt.date.fromisoformat(decided) if decided else None,
                    preassessment_outcome=outcome or None,
                )
            )
    return reports


def socforst_csv(folder: Path) -> tuple[Report, ...]:
    """Socforst's CSV source."""
    return socforst.open_source(f"csv:{folder}").read().reports


def socforst_sqlite(database: Path) -> tuple[Report, ...]:
    """Socforst's SQLite source."""
    return socforst.open_source(f"sqlite:{database}").read().reports


def timed(load: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds for one load, after a collection, and what it loaded."""
    gc.collect()
    start = time.perf_counter()
    result = load()
    return time.perf_counter() - start, result


def weighed(load: Callable[[], Any], n: int) -> float:
    """Bytes a record that stay allocated after a load (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    result = load()
    gc.collect()
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del result
    return held / n


def main() -> None:
    """Print seconds, bytes a report, and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n, repeat = (100_000, 1) if args.quick else (args.n, args.repeat)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_reports(folder, n)
        methods: dict[str, Callable[[], Any]] = {
            "hand-written csv loop (reference)": lambda: hand_written(folder),
            "socforst CSV source": lambda: socforst_csv(folder),
        }
        database = folder / "reports.db"
        try:
            data = socforst.open_source(f"csv:{folder}").read()
            socforst.open_exporter(f"sqlite:{database}").write_dataset(data)
            del data
            methods["socforst SQLite source"] = lambda: socforst_sqlite(database)
        except (socforst.SocforstError, ImportError) as error:
            print(f"SQLite skipped: {error}")

        reference = hand_written(folder)
        for name, load in methods.items():
            loaded = list(load())
            assert loaded == reference, f"{name} loaded something else"
        del reference, loaded

        seconds: dict[str, list[float]] = {name: [] for name in methods}
        for _ in range(repeat):  # interleaved, so that a busy moment hits all alike
            for name, load in methods.items():
                elapsed, result = timed(load)
                seconds[name].append(elapsed)
                del result
        memory = {name: weighed(load, n) for name, load in methods.items()}

    print(
        f"{n:,} reports; median of {repeat}; Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs"
    )
    reference_name = "hand-written csv loop (reference)"
    base = statistics.median(seconds[reference_name])
    print(f"{'method':36} {'seconds':>8} {'us/report':>10} {'ratio':>6} {'bytes/report':>13}")
    for name in methods:
        median = statistics.median(seconds[name])
        print(
            f"{name:36} {median:8.2f} {median / n * 1e6:10.2f} {median / base:5.2f}x "
            f"{memory[name]:13.0f}"
        )
    print("targets: at most 1.5x the reference's time, at most 250 bytes a report")


if __name__ == "__main__":
    main()
