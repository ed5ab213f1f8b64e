"""Time how fast the command line starts, against ``python -c "import attrs"``, as ratios.

One run, whole processes, alternated so that a busy moment hits all alike:

- *import attrs* (reference): ``python -c "import attrs"``, the floor of any
  process that uses socforst's models.
- ``socforst --help``: the parser built and the help printed.
- ``socforst districts``: the built-in registry listed (the demo city's
  districts), which needs no case data.
- ``import socforst``: ``python -c "import socforst"``, the public API, whose
  names are imported on first use.
- *bare interpreter*: ``python -c "pass"``, for scale, not a target.

Every process compiles its modules once into a fresh bytecode cache
(``PYTHONPYCACHEPREFIX``, a temporary folder), as an installed package has
them, whatever ``PYTHONDONTWRITEBYTECODE`` says; the round that fills it is not
counted. Before the times, each socforst process is run once with
``PYTHONPROFILEIMPORTTIME`` and the heavy packages it imported are printed:
none of numpy, pyarrow, matplotlib, openpyxl, sqlalchemy should be among them. Each
figure is the median wall time of 5 runs (``--runs``). Target of issue 11:
``socforst --help`` and ``socforst districts`` at most 2x the reference. Run
``python benchmarks/startup.py`` from the repository with the development
install. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
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

TARGET = 2.0
HEAVY = ("numpy", "pyarrow", "matplotlib", "openpyxl", "sqlalchemy")

ATTRS = 'python -c "import attrs" (reference)'
HELP = "socforst --help"
DISTRICTS = "socforst districts"
IMPORT = 'python -c "import socforst"'
BARE = 'python -c "pass" (for scale)'
TARGETED = (HELP, DISTRICTS)


def socforst_command() -> list[str]:
    """The ``socforst`` console script beside this interpreter, or ``python -m socforst``."""
    script = Path(sys.executable).with_name("socforst")
    if script.exists():
        return [str(script)]
    found = shutil.which("socforst")
    return [found] if found else [sys.executable, "-m", "socforst"]


def commands() -> dict[str, list[str]]:
    """Each timed command, by its label, in the order they alternate."""
    socforst = socforst_command()
    return {
        ATTRS: [sys.executable, "-c", "import attrs"],
        HELP: [*socforst, "--help"],
        DISTRICTS: [*socforst, "districts"],
        IMPORT: [sys.executable, "-c", "import socforst"],
        BARE: [sys.executable, "-c", "pass"],
    }


def environment(cache: str) -> dict[str, str]:
    """This process's environment with the bytecode cached in *cache*, and no default source."""
    env = dict(os.environ)
    env.pop("SOCFORST_SOURCE", None)  # so that the demo is the demo
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = cache
    return env


def run(command: Sequence[str], env: dict[str, str]) -> float:
    """Run *command* to its end, its output discarded; the wall time in seconds."""
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def imported(command: Sequence[str], env: dict[str, str]) -> set[str]:
    """The top-level packages *command* imports, from ``PYTHONPROFILEIMPORTTIME``'s lines."""
    done = subprocess.run(
        command,
        env={**env, "PYTHONPROFILEIMPORTTIME": "1"},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    found = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            found.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return found


def main() -> None:
    """Parse ``--runs`` and measure in a fresh bytecode cache."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (default: 5)")
    runs: int = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="socforst-startup-") as cache:
        measure(runs, environment(cache))


def measure(runs: int, env: dict[str, str]) -> None:
    """Check the imports, time the commands, print the medians and the ratios."""
    timed = commands()

    for label in (HELP, DISTRICTS, IMPORT):
        heavy = sorted(set(HEAVY) & imported(timed[label], env))
        print(f"{label}: imports {', '.join(heavy) if heavy else 'none of ' + ', '.join(HEAVY)}")

    for command in timed.values():  # one round not counted: it fills the bytecode cache
        run(command, env)
    times: dict[str, list[float]] = {label: [] for label in timed}
    for _ in range(runs):
        for label, command in timed.items():
            times[label].append(run(command, env))

    print(
        f"\nPython {platform.python_version()}, {os.cpu_count()} cores; "
        f"median of {runs} runs, alternated"
    )
    reference = statistics.median(times[ATTRS])
    print(f"{'command':40} {'ms':>7} {'ratio':>6}")
    for label, seconds in times.items():
        median = statistics.median(seconds)
        print(f"{label:40} {median * 1000:7.1f} {median / reference:6.2f}")
    worst = max(statistics.median(times[label]) / reference for label in TARGETED)
    verdict = "met" if worst <= TARGET else "NOT met"
    print(f"target: {' and '.join(TARGETED)} at most {TARGET:g}x the reference: {verdict}")


if __name__ == "__main__":
    main()
