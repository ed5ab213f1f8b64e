"""Upsert assignments into a database, one transaction each, racing another process.

Run by ``tests/test_sql.py`` as ``python _sql_writer_child.py URL PREFIX COUNT BATCH``:
it prints ``ready``, waits for a line on its standard input (so that two
children start together), then writes COUNT assignments with ids ``PREFIX-0``
... through ``SqlExporter.write_assignments``, BATCH to a transaction, so that
its transactions interleave with those of a sibling process writing other ids.
"""

from __future__ import annotations

import datetime as dt
import sys

from socforst import Assignment
from socforst.sources.sql import SqlExporter


def main() -> None:
    """Write the assignments, then exit 0; any error ends the process with a traceback."""
    url, prefix, count, batch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    exporter = SqlExporter(url)
    start = dt.date(2025, 3, 3)
    assignments = [
        Assignment(
            assignment_id=f"{prefix}-{number}",
            member_id=f"{prefix}-member",
            district="bromma",
            start=start + dt.timedelta(days=number),
            end=start + dt.timedelta(days=number + 20),
            extent=0.5,
        )
        for number in range(count)
    ]
    print("ready", flush=True)
    sys.stdin.readline()
    for first in range(0, count, batch):
        exporter.write_assignments(assignments[first : first + batch])


if __name__ == "__main__":
    main()
