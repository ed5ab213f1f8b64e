"""Write a big members.csv slowly through ``atomic_write`` until killed.

Run by ``tests/test_sources.py`` as ``python _writer_child.py TARGET``: it writes
lines with a flush after each, sleeping between them, so the parent can kill it
with SIGKILL while the temporary file is half written.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from socforst._atomic import atomic_write


def main() -> None:
    """Write rows for about a quarter of an hour, unless killed first."""
    target = Path(sys.argv[1])
    with atomic_write(target, newline="") as handle:
        handle.write("member_id,team_id,employed_from\n")
        for number in range(1_000_000):
            handle.write(f"m{number},t1,2016-01-04\n")
            handle.flush()
            time.sleep(0.001)


if __name__ == "__main__":
    main()
