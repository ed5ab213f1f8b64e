"""Who was where in the last six months: a Gantt chart of the assignments.

Run it with no arguments for the demo city, or name a source, a day, a team and
a folder::

    python examples/gantt.py
    python examples/gantt.py --source csv:extract/ --as-of 2025-06-30 --team t1 --out charts/

It saves ``assignments.png`` in ``--out``: one row per member (by id), one bar
per assignment coloured by district (as the districts were on the last day), as
high as its extent, absences hatched in grey. It prints what the chart shows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import socforst
from socforst import ONE_DAY, DateRange, add_months


def district_on(registry: socforst.DistrictRegistry, code: str, day: dt.date) -> str:
    """The district *code* had become on *day*; the code itself if the registry cannot say."""
    try:
        return registry.current(code, on=day).code
    except (socforst.UnknownDistrictError, socforst.DistrictNotActiveError):
        return code


def main(argv: Sequence[str] | None = None) -> int:
    """Save the Gantt chart of the six months up to --as-of and print a summary."""
    parser = argparse.ArgumentParser(description="A Gantt chart of the last six months.")
    parser.add_argument("--source", default="demo", metavar="SPEC", help="default: demo")
    parser.add_argument(
        "--as-of", type=dt.date.fromisoformat, default=dt.date.today(), metavar="YYYY-MM-DD"
    )
    parser.add_argument("--team", metavar="TEAM_ID", help="only this team's members")
    parser.add_argument("--out", type=Path, default=Path(), metavar="DIR", help="default: .")
    args = parser.parse_args(argv)
    as_of: dt.date = args.as_of
    if not args.out.is_dir():
        print(f"error: --out {args.out} is not a folder", file=sys.stderr)
        return 2
    period = DateRange(add_months(as_of, -6) + ONE_DAY, as_of)
    try:
        from socforst import plots

        dataset = socforst.open_source(args.source).read()
        figure = plots.assignment_gantt(dataset, period, team_id=args.team, crosswalk_on=as_of)
        path = plots.save(figure, args.out / "assignments.png")
    except socforst.SocforstError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    members = {m.member_id: m.team_id for m in dataset.members}
    shown = [
        a
        for a in dataset.assignments
        if a.takes_capacity
        and a.period.overlaps(period)
        and (args.team is None or members.get(a.member_id) == args.team)
    ]
    registry = dataset.registry
    days: Counter[str] = Counter()
    for a in shown:
        district = district_on(registry, a.district, as_of)
        overlap = a.period.intersection(period)
        days[district] += overlap.days if overlap is not None else 0
    team = f", team {args.team}" if args.team else ""
    print(f"Assignments {period} ({args.source}{team}):")
    print(f"  {len(shown)} assignments of {len({a.member_id for a in shown})} members")
    print("  calendar days per district (districts as on the last day):")
    for district, count in sorted(days.items(), key=lambda item: (-item[1], item[0])):
        print(f"    {district:<22} {count:>5}")
    print()
    print(f"Saved the chart as {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
