"""How busy is the team: the share of its capacity lent out, and the days per district.

Run it with no arguments for the demo city's last twelve months, or name a
source and a day::

    python examples/utilisation.py
    python examples/utilisation.py --source csv:extract/ --as-of 2025-06-30

It prints each team's assigned share of its capacity per month (capacity: the
working days its members were employed and not away, times their extent),
each member's share over the twelve months, and the team's days per district
per year for the last three years, counted under the districts as they were
on the day asked about.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import defaultdict
from collections.abc import Sequence

import socforst
from socforst import DateRange, add_months
from socforst.queries import district_days, utilisation


def main(argv: Sequence[str] | None = None) -> int:
    """Print utilisation per team and month, per member, and days per district and year."""
    parser = argparse.ArgumentParser(description="The team's utilisation.")
    parser.add_argument("--source", default="demo", metavar="SPEC", help="default: demo")
    parser.add_argument(
        "--as-of", type=dt.date.fromisoformat, default=dt.date.today(), metavar="YYYY-MM-DD"
    )
    args = parser.parse_args(argv)
    as_of: dt.date = args.as_of
    # The twelve months up to the day asked about: eleven whole ones and this one so far.
    period = DateRange(add_months(as_of.replace(day=1), -11), as_of)
    try:
        dataset = socforst.open_source(args.source).read()
        rows = utilisation(dataset, period)
        days = district_days(dataset, crosswalk_on=as_of)
    except socforst.SocforstError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    print(f"Utilisation {period} ({args.source}); shares of capacity in working days")
    print(f"  {'month':<8} {'team':<6} {'capacity':>9} {'assigned':>9} {'share':>7}")
    for row in rows:
        if row.level == "team":
            print(
                f"  {row.month:%Y-%m}  {row.team_id:<6} {row.capacity_days:>9.1f} "
                f"{row.assigned_days:>9.1f} {row.share:>7.1%}"
            )

    # Each member over the whole period: the sums of their monthly rows.
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in rows:
        if row.level == "member" and row.member_id is not None:
            total = sums[row.team_id, row.member_id]
            total[0] += row.capacity_days
            total[1] += row.assigned_days
    print()
    print("Per member over the twelve months:")
    print(f"  {'member':<8} {'team':<6} {'capacity':>9} {'assigned':>9} {'share':>7}")
    for (team_id, member_id), (capacity, assigned) in sorted(sums.items()):
        print(
            f"  {member_id:<8} {team_id:<6} {capacity:>9.1f} {assigned:>9.1f} "
            f"{assigned / capacity:>7.1%}"
        )

    years = list(range(as_of.year - 2, as_of.year + 1))
    table: dict[str, dict[int, float]] = defaultdict(dict)
    for day_row in days:
        if day_row.year in years:
            table[day_row.district][day_row.year] = day_row.days
    print()
    print(f"Team days per district and year (districts as on {as_of.isoformat()};")
    print(f"{as_of.year} counts the assignments planned for the rest of it too):")
    print(f"  {'district':<22}" + "".join(f"{year:>8}" for year in years))
    for district in sorted(table):
        cells = "".join(f"{table[district].get(year, 0.0):>8.1f}" for year in years)
        print(f"  {district:<22}{cells}")
    totals = "".join(f"{sum(t.get(year, 0.0) for t in table.values()):>8.1f}" for year in years)
    print(f"  {'total':<22}{totals}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
