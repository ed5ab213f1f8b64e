"""Category 15 of the red-team report: resources a hostile or broken extract may take.

F20: an extract whose every row is bad used about 7.5 KB a bad row, because the
cyclic garbage collector was paused for the whole load while each bad row left
exception objects with tracebacks (cycles). It must report the first 1,000
errors plus a count in bounded memory: at most twice what loading the same
file takes when it is clean. Memory is compared, not time: the peak of the
Python heap (tracemalloc) of the two loads in the same process.
"""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

import pytest

import socforst

ROWS = 5_000


def write_reports(folder: Path, day: str) -> None:
    """*ROWS* reports received at 10:00 on *day*, written as the report's reproduction does."""
    folder.mkdir()
    lines = ["report_id,district,received_at,preassessment_decided_on"]
    lines += [f"r{i},farsta,{day} 10:00,{day}" for i in range(ROWS)]
    (folder / "reports.csv").write_text("\n".join(lines) + "\n")


def peak_of_load(folder: Path) -> tuple[int, int]:
    """The peak of the Python heap while *folder* is loaded, in bytes, and the errors listed."""
    gc.collect()
    listed = 0
    tracemalloc.start()
    try:
        socforst.open_source(f"csv:{folder}").read()
    except socforst.LoadError as error:
        listed = len(error.exceptions)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak, listed


def test_an_extract_whose_every_row_is_bad_takes_at_most_twice_a_clean_loads_memory(
    tmp_path: Path,
) -> None:
    """F20: 5,000 day-first dates: the failed load peaks at no more than 2x the clean one."""
    write_reports(tmp_path / "clean", "2024-01-10")
    write_reports(tmp_path / "bad", "10/01/2024")
    clean, none_listed = peak_of_load(tmp_path / "clean")
    bad, listed = peak_of_load(tmp_path / "bad")
    assert (0, 1001) == (none_listed, listed)  # 1,000 errors and the count of the rest
    assert bad <= 2 * clean, f"bad {bad:,} B against clean {clean:,} B"


def test_the_collector_is_running_again_after_a_failed_load(tmp_path: Path) -> None:
    """The load pauses the cyclic collector for speed; a failure must not leave it paused."""
    write_reports(tmp_path / "bad", "10/01/2024")
    assert gc.isenabled()
    with pytest.raises(socforst.LoadError):
        socforst.open_source(f"csv:{tmp_path / 'bad'}").read()
    assert gc.isenabled()
