"""Time the CSV, JSON, XLSX and SQLite exports of the demo city, against a hand-written loop.

One run, the demo city with its default span (``socforst.open_source("demo")``,
about 386,000 records in 14 tables):

- *socforst CSV / JSON / XLSX / SQLite*: ``socforst.open_exporter(SPEC).write_dataset(city)``,
  each a complete, atomic write (XLSX also checks every text fits a cell).
- *hand-written XlsxWriter loop* (reference): the same cells written with
  XlsxWriter in constant-memory mode, one ``write_*`` call per cell, dates as
  dates, nothing checked, written straight to the file.

Before any time is taken, the reference and socforst's XLSX are read back
with openpyxl on a small city (one year) and must hold the same cells. Then
the exports of the whole city are timed, interleaved, the median of three;
ratios are to the reference. Target: XLSX at most 1.5x the reference. A
second table times the XLSX export of 4,000 to 32,000 reports: it must grow
linearly (F19: it grew with the square before).

Run ``python benchmarks/export.py`` (``--quick``: one year, once).
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import enum
import gc
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import xlsxwriter  # type: ignore[import-untyped]

import socforst
from socforst import Dataset, Report
from socforst.demo import demo_dataset
from socforst.sources.rows import columns_of

REFERENCE = "hand-written XlsxWriter loop (reference)"


def hand_written_xlsx(dataset: Dataset, path: Path) -> None:
    """Reference: XlsxWriter in constant-memory mode, one call per cell, no checks."""
    with tempfile.TemporaryDirectory(dir=path.parent) as spool:
        workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "tmpdir": spool})
        day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        for table, records in dataset.tables():
            sheet = workbook.add_worksheet(table)
            columns = columns_of(socforst.dataset.TABLES[table])
            for index, name in enumerate(columns):
                sheet.write_string(0, index, name)
            for row, record in enumerate(records, start=1):
                for index, name in enumerate(columns):
                    value = getattr(record, name)
                    if value is None:
                        continue
                    if isinstance(value, str):
                        sheet.write_string(row, index, value)
                    elif isinstance(value, enum.Enum):
                        sheet.write_string(row, index, value.value)
                    elif isinstance(value, dt.datetime):
                        sheet.write_string(row, index, value.isoformat())
                    elif isinstance(value, dt.date):
                        sheet.write_datetime(row, index, value, day)
                    elif isinstance(value, frozenset):
                        sheet.write_string(row, index, "|".join(sorted(value)))
                    else:
                        sheet.write_number(row, index, value)
        workbook.close()


def cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's values as openpyxl reads them."""
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return {
            name: list(workbook[name].iter_rows(values_only=True)) for name in workbook.sheetnames
        }
    finally:
        workbook.close()


SCALING = (4_000, 8_000, 16_000, 32_000)


def scaled(n: int, path: Path, repeat: int) -> float:
    """The best of *repeat* XLSX exports of *n* reports (F19's reproduction)."""
    reports = [
        Report(report_id=f"r{i}", district="farsta", received_at=dt.datetime(2025, 1, 1, 10))
        for i in range(n)
    ]
    exporter = socforst.open_exporter(f"xlsx:{path}")
    return min(
        timed(lambda: exporter.write_dataset(Dataset(reports=reports))) for _ in range(repeat)
    )


def timed(write: Callable[[], Any]) -> float:
    """Seconds for one write, after a collection."""
    gc.collect()
    start = time.perf_counter()
    write()
    return time.perf_counter() - start


def main() -> None:
    """Print seconds and the ratios to the reference."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeat = 1 if args.quick else args.repeat

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small = demo_dataset(end=dt.date(2016, 12, 31))
        hand_written_xlsx(small, folder / "reference.xlsx")
        socforst.open_exporter(f"xlsx:{folder / 'socforst.xlsx'}").write_dataset(small)
        assert cells(folder / "reference.xlsx") == cells(folder / "socforst.xlsx"), (
            "socforst's XLSX holds other cells than the reference"
        )

        start = time.perf_counter()
        city = small if args.quick else socforst.open_source("demo").read()
        built = time.perf_counter() - start
        records = sum(len(rows) for _, rows in city.tables())
        methods: dict[str, Callable[[], Any]] = {
            REFERENCE: lambda: hand_written_xlsx(city, folder / "reference.xlsx"),
            "socforst XLSX": lambda: socforst.open_exporter(
                f"xlsx:{folder / 'city.xlsx'}"
            ).write_dataset(city),
            "socforst CSV": lambda: socforst.open_exporter(
                f"csv:{folder / 'city-csv'}"
            ).write_dataset(city),
            "socforst JSON": lambda: socforst.open_exporter(
                f"json:{folder / 'city.json'}"
            ).write_dataset(city),
            "socforst SQLite": lambda: socforst.open_exporter(
                f"sqlite:{folder / 'city.db'}"
            ).write_dataset(city),
        }
        seconds: dict[str, list[float]] = {name: [] for name in methods}
        for _ in range(repeat):  # interleaved, so that a busy moment hits all alike
            for name, write in methods.items():
                seconds[name].append(timed(write))
        sizes = {
            "socforst XLSX": os.path.getsize(folder / "city.xlsx"),
            REFERENCE: os.path.getsize(folder / "reference.xlsx"),
        }

        scaling = [(n, scaled(n, folder / "scale.xlsx", repeat)) for n in SCALING]

    print(
        f"demo city: {records:,} records (built in {built:.1f} s); median of {repeat}; "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    base = statistics.median(seconds[REFERENCE])
    print(f"{'method':42} {'seconds':>8} {'ratio':>6} {'MB':>6}")
    for name in methods:
        median = statistics.median(seconds[name])
        size = f"{sizes[name] / 1e6:6.1f}" if name in sizes else ""
        print(f"{name:42} {median:8.2f} {median / base:5.2f}x {size}")
    print("target: socforst XLSX at most 1.5x the reference")
    print(f"{'reports':>8} {'XLSX seconds':>13} {'us/report':>10}")
    for n, best in scaling:
        print(f"{n:8,} {best:13.3f} {best / n * 1e6:10.1f}")


if __name__ == "__main__":
    main()
