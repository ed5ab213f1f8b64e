"""Time the main job as a user runs it: the overdue and due-soon deadlines, against polars.

One run. The demo city is exported once to a temporary CSV folder
(``socforst export --source-option end=END csv:DIR``, about 290,000 reports
up to END, today by default), and the deadlines are asked for as of END.
Whole processes are timed, alternated so that a busy moment hits all alike:

- *socforst, CSV*: ``socforst deadlines --source csv:DIR --format csv --as-of END``,
  the issue's headline command: the folder read and checked, every rule
  evaluated, the overdue and due-soon deadlines written as CSV.
- *socforst, demo*: ``socforst deadlines --format csv --as-of END
  --source-option end=END``: the built-in demo city of the same day, generated
  in the process instead of read.
- *polars script* (reference): ``python benchmarks/polars_deadlines.py DIR
  --as-of END``, a hand-written script that reads the same files and lists the
  same deadlines of the two duties it knows, preassessments and investigations
  with their extensions, under strict days.
- *interpreter floor*: ``python -c "import attrs"``, what any Python process costs.

Before any figure is printed, the outputs must agree: the polars script's rows
must equal the rows of each socforst run of the kinds the script knows
(``preassessment``, ``investigation``) and the statuses it lists (``overdue``,
``due_soon``). socforst also lists the other duties (placement reviews, LVU,
custody transfer), which are counted and left out of the comparison; it is
timed doing that extra work, as a user runs it. If the rows differ, the first
differing rows are printed and the script exits with status 1: two programs
that compute different things cannot be compared.

Each figure is the median wall time of 3 runs (``--quick``: 1). Targets of
issue 11: socforst at most 1.5x the polars script, for both commands. Run
``python benchmarks/main_job.py`` from the repository with the ``bench`` extra
installed (``--end YYYY-MM-DD`` fixes the demo's last day). Figures are printed,
never asserted.
"""

from __future__ import annotations

import argparse
import collections
import csv
import datetime as dt
import io
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
POLARS_SCRIPT = HERE / "polars_deadlines.py"
SHARED_KINDS = frozenset({"preassessment", "investigation"})
SHARED_STATUSES = frozenset({"overdue", "due_soon"})
TARGET = 1.5

SOCFORST_CSV = "socforst deadlines --source csv:DIR"
SOCFORST_DEMO = "socforst deadlines (built-in demo)"
POLARS = "polars script (reference)"
FLOOR = 'python -c "import attrs" (floor)'

Row = tuple[str, ...]


def socforst_command() -> list[str]:
    """The ``socforst`` console script beside this interpreter, or ``python -m socforst``."""
    script = Path(sys.executable).with_name("socforst")
    if script.exists():
        return [str(script)]
    found = shutil.which("socforst")
    return [found] if found else [sys.executable, "-m", "socforst"]


def environment() -> dict[str, str]:
    """This process's environment without a default source, so that the demo is the demo."""
    env = dict(os.environ)
    env.pop("SOCFORST_SOURCE", None)
    return env


def run(command: Sequence[str]) -> tuple[float, str]:
    """Wall seconds of one whole process, and its standard output; fail loudly if it fails."""
    begin = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=environment(), check=False)
    seconds = time.perf_counter() - begin
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return seconds, done.stdout


def rows_of(text: str) -> tuple[Row, list[Row]]:
    """The header and rows of a CSV output."""
    header, *rows = csv.reader(io.StringIO(text))
    return tuple(header), [tuple(row) for row in rows]


def check_agree(name: str, socforst_out: str, polars_out: str) -> collections.Counter[str]:
    """Exit with status 1 if the shared rows differ; else the socforst rows left out, by kind."""
    header, ours = rows_of(socforst_out)
    polars_header, theirs = rows_of(polars_out)
    if header != polars_header:
        sys.exit(f"{name}: columns {header} against the polars script's {polars_header}")
    kind, status = header.index("kind"), header.index("status")
    shared = [r for r in ours if r[kind] in SHARED_KINDS and r[status] in SHARED_STATUSES]
    left_out = collections.Counter(r[kind] for r in ours if r[kind] not in SHARED_KINDS)
    if shared != theirs:
        print(f"{name} and the polars script disagree:", file=sys.stderr)
        print(
            f"  {len(shared)} rows against {len(theirs)}; columns {','.join(header)}",
            file=sys.stderr,
        )
        shown = 0
        for index in range(max(len(shared), len(theirs))):
            mine = shared[index] if index < len(shared) else None
            other = theirs[index] if index < len(theirs) else None
            if mine != other:
                print(f"  row {index + 1}: socforst {mine}", file=sys.stderr)
                print(f"  row {index + 1}: polars   {other}", file=sys.stderr)
                shown += 1
                if shown == 5:
                    break
        sys.exit(1)
    return left_out


def main() -> None:
    """Export the city, check that the outputs agree, then print wall times and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="runs per command (median)")
    parser.add_argument("--quick", action="store_true", help="one run per command")
    parser.add_argument(
        "--end",
        type=dt.date.fromisoformat,
        default=dt.date.today(),
        metavar="YYYY-MM-DD",
        help="the demo city's last day, and the as-of day (default: today)",
    )
    args = parser.parse_args()
    repeat = 1 if args.quick else args.repeat
    day = args.end.isoformat()
    socforst = socforst_command()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "city"
        export_s, _ = run([*socforst, "export", "--source-option", f"end={day}", f"csv:{folder}"])
        reports = sum(1 for _ in (folder / "reports.csv").open(encoding="utf-8")) - 1
        commands = {
            SOCFORST_CSV: [
                *socforst,
                "deadlines",
                "--source",
                f"csv:{folder}",
                "--format",
                "csv",
                "--as-of",
                day,
            ],
            SOCFORST_DEMO: [
                *socforst,
                "deadlines",
                "--format",
                "csv",
                "--as-of",
                day,
                "--source-option",
                f"end={day}",
            ],
            POLARS: [sys.executable, str(POLARS_SCRIPT), str(folder), "--as-of", day],
            FLOOR: [sys.executable, "-c", "import attrs"],
        }

        # One untimed run each: the outputs are checked, and the files are in the page cache.
        outputs = {name: run(command)[1] for name, command in commands.items()}
        left_out = check_agree(SOCFORST_CSV, outputs[SOCFORST_CSV], outputs[POLARS])
        check_agree(SOCFORST_DEMO, outputs[SOCFORST_DEMO], outputs[POLARS])
        compared = len(rows_of(outputs[POLARS])[1])

        seconds: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(repeat):
            for name, command in commands.items():
                seconds[name].append(run(command)[0])

    median = {name: statistics.median(times) for name, times in seconds.items()}
    polars_version = subprocess.run(
        [sys.executable, "-c", "import polars; print(polars.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(
        f"demo city to {day} exported as CSV ({reports:,} reports) in {export_s:.1f} s; "
        f"as of {day}; median of {repeat}; Python {platform.python_version()}, "
        f"polars {polars_version}, {os.cpu_count()} CPUs"
    )
    others = ", ".join(f"{kind} {count}" for kind, count in sorted(left_out.items()))
    print(
        f"outputs agree: {compared} overdue and due-soon preassessments and investigations, "
        f"row by row, for both socforst commands (socforst also listed: {others or 'nothing'})"
    )
    print()
    print(f"{'command':46} {'seconds':>8} {'ratio':>7}")
    for name in commands:
        print(f"{name:46} {median[name]:8.2f} {median[name] / median[POLARS]:6.2f}x")
    print()
    floor = median[FLOOR]
    label = f"ratio to the polars script (target <= {TARGET}x)"
    print(f"{label:46} {'whole':>8} {'above floor':>12}")
    for name in (SOCFORST_CSV, SOCFORST_DEMO):
        whole = median[name] / median[POLARS]
        above = (median[name] - floor) / (median[POLARS] - floor)
        print(f"{name:46} {whole:7.2f}x {above:11.2f}x")


if __name__ == "__main__":
    main()
