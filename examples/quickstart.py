"""The main job on built-in data: Stockholm's districts on a date, and a roster check.

Run it with no arguments for today's date, or give a date::

    python examples/quickstart.py 2019-05-01

It prints the districts that existed on that date (with the districts each one
took over), then checks a small plan of assignments and prints every conflict.
"""

from __future__ import annotations

import datetime as dt
import sys

import socforst
from socforst import Absence, Assignment, Roster, TeamMember


def print_districts(on: dt.date) -> None:
    """Print Stockholm's district administrations on *on*, and what each took over."""
    registry = socforst.stockholm()
    active = registry.active_on(on)
    print(f"Stockholm's {len(active)} district administrations on {on.isoformat()}:")
    for district in active:
        merged = ", ".join(p.name for p in registry.predecessors(district.code))
        note = f"  (formed from {merged})" if merged else ""
        print(f"  {district.code:<22} {district.name}{note}")


def example_roster() -> Roster:
    """A small plan with a few mistakes in it, as a planner might have drafted it."""
    d = dt.date
    members = [
        TeamMember(member_id="m1", team_id="t1", employed_from=d(2016, 1, 4), extent=1.0),
        TeamMember(member_id="m2", team_id="t1", employed_from=d(2021, 3, 1), extent=0.5),
    ]
    absences = [Absence("m2", d(2025, 7, 7), d(2025, 8, 1), "vacation")]
    assignments = [
        Assignment(assignment_id="a1", member_id="m1", district="jarva",
                   start=d(2025, 3, 3), end=d(2025, 6, 30), task="investigation"),
        Assignment(assignment_id="a2", member_id="m1", district="skarholmen",
                   start=d(2025, 6, 2), end=d(2025, 6, 13), extent=0.5, task="coaching"),
        Assignment(assignment_id="a3", member_id="m2", district="alvsjo",
                   start=d(2025, 6, 16), end=d(2025, 7, 18), extent=0.5),
        Assignment(assignment_id="a4", member_id="m2", district="farsta",
                   start=d(2025, 9, 1), end=d(2026, 1, 9), extent=0.5),
    ]  # fmt: skip
    return Roster(members=members, absences=absences, assignments=assignments)


def main(argv: list[str]) -> int:
    """Print the districts on the date given (or today), then check the example roster."""
    try:
        on = dt.date.fromisoformat(argv[1]) if len(argv) > 1 else dt.date.today()
    except ValueError:
        print(f"error: the date must be YYYY-MM-DD, got {argv[1]!r}", file=sys.stderr)
        return 2
    print_districts(on)
    print()
    conflicts = example_roster().conflicts()
    print(f"Checking an example roster: {len(conflicts)} conflicts")
    for conflict in conflicts:
        print(f"  - {conflict}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
