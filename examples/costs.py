"""What did the team save against hiring consultants, year by year?

Run it with no arguments for the demo city, or name a source and a day::

    python examples/costs.py
    python examples/costs.py --source csv:extract/ --as-of 2025-12-31

For every year with a row in ``costs.csv`` up to the day asked about, it prints
the team's days, its cost, what consultants would have cost for the same days
and the saving, then the districts of the last whole year, then the
assumptions behind the figures. Districts are counted as they were on the day
asked about. Amounts are in kronor (SEK).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import textwrap
from collections.abc import Sequence

import socforst
from socforst.queries import ALL_DISTRICTS, CostRow, costs


def line(label: str, row: CostRow) -> str:
    """One row of the table: days, team cost, consultant cost and saving, in whole kronor."""
    return (
        f"  {label:<22} {row.team_days:>8.1f} {row.team_cost_sek:>14,.0f} "
        f"{row.consultant_cost_sek:>14,.0f} {row.saving_sek:>14,.0f}"
    )


HEADER = f"  {{:<22}} {'days':>8} {'team SEK':>14} {'consultant SEK':>14} {'saving SEK':>14}"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the savings per year and per district of the last whole year, with the assumptions."""
    parser = argparse.ArgumentParser(description="Savings against consultants per year.")
    parser.add_argument("--source", default="demo", metavar="SPEC", help="default: demo")
    parser.add_argument(
        "--as-of", type=dt.date.fromisoformat, default=dt.date.today(), metavar="YYYY-MM-DD"
    )
    args = parser.parse_args(argv)
    as_of: dt.date = args.as_of
    try:
        dataset = socforst.open_source(args.source).read()
        comparison = costs(dataset, crosswalk_on=as_of)
    except socforst.SocforstError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    rows = [row for row in comparison.rows if row.year <= as_of.year]
    totals = [row for row in rows if row.district == ALL_DISTRICTS]
    print(f"The team against consultants, per year ({args.source}, as of {as_of.isoformat()}):")
    print(HEADER.format("year"))
    for row in totals:
        print(line(f"{row.year}{' *' if row.year == as_of.year else ''}", row))
    if totals:
        saved = sum(row.saving_sek for row in totals)
        print(f"  saved in all: {saved:,.0f} SEK over {len(totals)} years")
    if any(row.year == as_of.year for row in totals):
        print(
            f"  * {as_of.year} is not over: its days include the assignments planned for\n"
            "    the rest of it, and its cost is what costs.csv says"
        )
    else:
        print("  no year with costs to compare")

    last_year = as_of.year - 1
    districts = [row for row in rows if row.year == last_year and row.district != ALL_DISTRICTS]
    if districts:
        print()
        print(f"Per district in {last_year}:")
        print(HEADER.format("district"))
        for row in districts:
            print(line(row.district, row))

    print()
    print("Assumptions:")
    for assumption in comparison.assumptions:
        print(textwrap.fill(assumption, 88, initial_indent="  - ", subsequent_indent="    "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
