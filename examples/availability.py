"""Who is free in March, and for how long at a stretch?

Run it with no arguments for the demo city and the coming March (this year's
until it is over, then next year's), or name a source and a day::

    python examples/availability.py
    python examples/availability.py --source csv:extract/ --as-of 2025-01-15

For every member employed in March it prints the days free full time, the days
partly free and the days with no time left (fully booked, away, or not
employed), then the longest stretches free full time and at least half time.
Days are calendar days, as an assignment's are.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from collections.abc import Sequence

import socforst
from socforst import DateRange
from socforst.queries import availability, free_stretches

SHOWN = 10  # the most stretches listed


def coming_march(as_of: dt.date) -> DateRange:
    """March of *as_of*'s year if it is not over by then, else March of the next year."""
    year = as_of.year if as_of.month <= 3 else as_of.year + 1
    return DateRange(dt.date(year, 3, 1), dt.date(year, 3, 31))


def main(argv: Sequence[str] | None = None) -> int:
    """Print who is free in the coming March and the longest free stretches."""
    parser = argparse.ArgumentParser(description="Who is free in March.")
    parser.add_argument("--source", default="demo", metavar="SPEC", help="default: demo")
    parser.add_argument(
        "--as-of", type=dt.date.fromisoformat, default=dt.date.today(), metavar="YYYY-MM-DD"
    )
    args = parser.parse_args(argv)
    march = coming_march(args.as_of)
    try:
        dataset = socforst.open_source(args.source).read()
        days = availability(dataset, march)
        full = free_stretches(dataset, march, min_extent=1.0)
        half = free_stretches(dataset, march, min_extent=0.5)
    except socforst.SocforstError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    extents = {member.member_id: member.extent for member in dataset.members}
    free: Counter[str] = Counter()
    partly: Counter[str] = Counter()
    none: Counter[str] = Counter()
    for day in days:
        if day.free_extent <= 0:
            none[day.member_id] += 1
        elif day.free_extent >= extents[day.member_id] - 1e-9:
            free[day.member_id] += 1
        else:
            partly[day.member_id] += 1
    members = sorted({day.member_id for day in days})
    print(f"Who is free in {march.start:%B %Y} ({args.source}, as of {args.as_of.isoformat()}):")
    header = f"{'member':<8} {'extent':>6} {'free':>5} {'partly':>7} {'no time':>8}"
    print(f"  {header}  (days of {march.days})")
    for member_id in members:
        print(
            f"  {member_id:<8} {extents[member_id]:>6.2f} {free[member_id]:>5} "
            f"{partly[member_id]:>7} {none[member_id]:>8}"
        )
    if not members:
        print("  nobody is employed then")
    for title, stretches in (("full time", full), ("at least half time", half)):
        print()
        print(f"Longest stretches free {title}:")
        for stretch in stretches[:SHOWN]:
            print(
                f"  {stretch.member_id:<8} {stretch.start}..{stretch.end}  {stretch.days:>2} days"
            )
        if not stretches:
            print("  none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
