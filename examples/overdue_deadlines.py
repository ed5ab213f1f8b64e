"""What is overdue, or due within three days, today: by district and by member.

Run it with no arguments for the demo city today, or name a source and a day::

    python examples/overdue_deadlines.py
    python examples/overdue_deadlines.py --source csv:extract/ --as-of 2025-06-17

It evaluates every statutory deadline of the children's cases (preassessments,
investigations, reviews of placements, the LVU court deadlines) on the day,
in strict calendar days, and prints how many are overdue and due soon per
district (under the districts as they were that day) and per team member,
then the ones due soonest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence

import socforst
from socforst.queries import count_deadlines, deadlines_on

SHOWN = 15  # the most deadlines listed one by one


def counts_table(counts: Sequence[socforst.queries.DeadlineCount], title: str) -> list[str]:
    """A table of overdue and due-soon counts per key, with a total line."""
    table: dict[str, dict[str, int]] = {}
    for count in counts:
        key = count.key if count.key is not None else "(no team member)"
        table.setdefault(key, {"overdue": 0, "due_soon": 0})[count.status] = count.count
    lines = [f"{title:<24} {'overdue':>8} {'due soon':>9}"]
    for key, row in table.items():
        lines.append(f"  {key:<22} {row['overdue']:>8} {row['due_soon']:>9}")
    overdue = sum(row["overdue"] for row in table.values())
    due_soon = sum(row["due_soon"] for row in table.values())
    lines.append(f"  {'total':<22} {overdue:>8} {due_soon:>9}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Print the deadlines overdue or due soon on --as-of, by district and by member."""
    parser = argparse.ArgumentParser(description="Deadlines overdue or due soon on a day.")
    parser.add_argument("--source", default="demo", metavar="SPEC", help="default: demo")
    parser.add_argument(
        "--as-of", type=dt.date.fromisoformat, default=dt.date.today(), metavar="YYYY-MM-DD"
    )
    args = parser.parse_args(argv)
    as_of: dt.date = args.as_of
    try:
        dataset = socforst.open_source(args.source).read()
        deadlines = deadlines_on(dataset, as_of)  # overdue and due_soon by default
    except socforst.SocforstError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    overdue = sum(d.status == "overdue" for d in deadlines)
    print(
        f"Deadlines on {as_of.isoformat()} in {args.source}: "
        f"{overdue} overdue, {len(deadlines) - overdue} due within 3 days"
    )
    print()
    by_district = count_deadlines(
        deadlines, "district", crosswalk_on=as_of, registry=dataset.registry
    )
    print("\n".join(counts_table(by_district, "By district")))
    print()
    by_member = count_deadlines(deadlines, "member_id")
    print("\n".join(counts_table(by_member, "By team member")))
    print()

    soonest = sorted(
        (d for d in deadlines if d.status == "due_soon"), key=lambda d: (d.due_on, d.subject_id)
    )
    print(f"Due soonest ({len(soonest)}):")
    for d in soonest[:SHOWN]:
        member = f"  member {d.member_id}" if d.member_id else ""
        print(f"  due {d.due_on}  {d.kind:<22} {d.subject_id:<14} {d.district}{member}")
    if len(soonest) > SHOWN:
        print(f"  ... and {len(soonest) - SHOWN} more")
    if not soonest:
        print("  none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
