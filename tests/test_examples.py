"""The example scripts run on built-in data and print what they promise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / "quickstart.py"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )


def test_quickstart_lists_the_fourteen_districts_of_2019() -> None:
    """On 2019-05-01 the quickstart prints 14 districts, Älvsjö and Rinkeby-Kista among them."""
    result = _run("2019-05-01")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Stockholm's 14 district administrations on 2019-05-01:"
    listed = [line.split()[0] for line in lines[1:15]]
    assert listed == [
        "alvsjo", "bromma", "enskede-arsta-vantor", "farsta", "hagersten-liljeholmen",
        "hasselby-vallingby", "kungsholmen", "norrmalm", "ostermalm", "rinkeby-kista",
        "skarholmen", "skarpnack", "sodermalm", "spanga-tensta",
    ]  # fmt: skip


def test_quickstart_shows_what_each_merged_district_was_formed_from() -> None:
    """On 2024-01-01 Järva is shown as formed from Rinkeby-Kista and Spånga-Tensta."""
    result = _run("2024-01-01")
    assert result.returncode == 0, result.stderr
    assert "Stockholm's 11 district administrations on 2024-01-01:" in result.stdout
    assert "Järva  (formed from Rinkeby-Kista, Spånga-Tensta)" in result.stdout


def test_quickstart_finds_the_four_planted_conflicts() -> None:
    """The example roster has one conflict of each planted kind, found in one check."""
    result = _run("2024-01-01")
    conflicts = [line for line in result.stdout.splitlines() if line.startswith("  - ")]
    kinds = [line[4:].split(":")[0] for line in conflicts]
    assert kinds == ["capacity", "district", "absence", "policy"]


def test_quickstart_refuses_a_bad_date_with_one_line() -> None:
    """A malformed date is one clear line on stderr and exit status 2, no traceback."""
    result = _run("2024-13-01")
    assert result.returncode == 2
    assert result.stderr == "error: the date must be YYYY-MM-DD, got '2024-13-01'\n"


def test_preassessment_example_shows_the_midsummer_difference() -> None:
    """On 2025-06-17, r5 (received 2025-06-06) is due 06-20 strictly, 06-23 rolled past midsummer.

    Worked by hand: r2 received Fri 05-30 is due Fri 06-13 and r3 received Mon 06-02 is
    due Mon 06-16, both overdue; r4 received 06-04 is due Wed 06-18 (1 day left); r5 is
    due on midsummer eve, 3 days left strictly (due_soon) but 6 days rolled (open).
    """
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "preassessment_deadlines.py")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )
    assert 0 == result.returncode, result.stderr
    strict, rolled = result.stdout.split("Preassessments at risk")[1:]
    assert ["r2", "r3", "r4", "r5"] == [line.split()[0] for line in strict.splitlines()[1:]]
    assert ["r2", "r3", "r4"] == [line.split()[0] for line in rolled.splitlines()[1:]]
    assert "r5   received 2025-06-06  due 2025-06-20  due_soon" in strict
