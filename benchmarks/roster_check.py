"""Time ``Roster.conflicts()`` against two references in the same run, as ratios.

- *pairwise*: compares every pair of a member's assignments (what the roster
  check must not do), then sums the extents of overlapping ones day by day.
- *day table*: a plain dict from (member, day) to load, filled day by day.

Run ``python benchmarks/roster_check.py`` (``--quick`` for a short run). The
figures are printed, never asserted: speed is measured here, not in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable

from socforst import Assignment, Roster, TeamMember


def make_roster(n_assignments: int, n_members: int, seed: int = 1) -> Roster:
    """Four synthetic years: members full time, assignments of 1 to 60 days, some overlapping."""
    rng = random.Random(seed)
    members = [
        TeamMember(member_id=f"m{i}", team_id="t1", employed_from=dt.date(2016, 1, 1))
        for i in range(n_members)
    ]
    assignments = []
    start0 = dt.date(2025, 1, 1)
    for i in range(n_assignments):
        start = start0 + dt.timedelta(days=rng.randrange(365 * 4))
        length = rng.randint(1, 60)
        assignments.append(
            Assignment(
                assignment_id=f"a{i}",
                member_id=f"m{rng.randrange(n_members)}",
                district=rng.choice(["farsta", "bromma", "jarva", "skarholmen"]),
                start=start,
                end=start + dt.timedelta(days=length - 1),
                extent=rng.choice([0.25, 0.5]),
            )
        )
    return Roster(members=members, assignments=assignments)


def pairwise_reference(roster: Roster) -> int:
    """Over-capacity (member, day) count by comparing every pair of a member's assignments."""
    extent = {m.member_id: m.extent for m in roster.members}
    by_member: dict[str, list[Assignment]] = defaultdict(list)
    for a in roster.assignments:
        by_member[a.member_id].append(a)
    over: set[tuple[str, dt.date]] = set()
    for member_id, items in by_member.items():
        for i, a in enumerate(items):
            load: dict[dt.date, float] = defaultdict(float)
            for b in items[i:]:
                if a.start <= b.end and b.start <= a.end:
                    for day in a.period.intersection(b.period) or ():
                        load[day] += b.extent if b is not a else 0.0
            for day in a.period:
                if a.extent + load[day] > extent[member_id] + 1e-9:
                    over.add((member_id, day))
    return len(over)


def day_table_reference(roster: Roster) -> int:
    """Over-capacity (member, day) count from a dict filled day by day."""
    extent = {m.member_id: m.extent for m in roster.members}
    load: dict[tuple[str, dt.date], float] = defaultdict(float)
    for a in roster.assignments:
        day = a.start
        while day <= a.end:
            load[a.member_id, day] += a.extent
            day += dt.timedelta(days=1)
    return sum(1 for (m, _), total in load.items() if total > extent[m] + 1e-9)


def socforst_count(roster: Roster) -> int:
    """Over-capacity (member, day) count from socforst's capacity conflicts."""
    return sum(c.days.days for c in roster.conflicts() if c.kind == "capacity" and c.days)


def best_of(func: Callable[[Roster], int], roster: Roster, repeat: int) -> tuple[float, int]:
    """Median seconds of *repeat* runs, with the GC paused as in a bulk job, and the result."""
    times, result = [], 0
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            result = func(roster)
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return statistics.median(times), result


def main() -> None:
    """Print a table of seconds and ratios for growing rosters."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, one repeat")
    args = parser.parse_args()
    sizes = [500, 2000] if args.quick else [1000, 4000, 16000]
    repeat = 1 if args.quick else 3
    print(f"{'assignments':>11} {'socforst s':>11} {'day table':>10} {'pairwise':>10} "
          f"{'vs table':>9} {'vs pairwise':>11}")  # fmt: skip
    for n in sizes:
        roster = make_roster(n, n_members=14)
        ours, ours_result = best_of(socforst_count, roster, repeat)
        table, table_result = best_of(day_table_reference, roster, repeat)
        pairs, pairs_result = best_of(pairwise_reference, roster, repeat)
        assert ours_result == table_result == pairs_result, "the three disagree"
        print(f"{n:>11} {ours:>11.4f} {table:>10.4f} {pairs:>10.4f} "
              f"{ours / table:>8.2f}x {ours / pairs:>10.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
