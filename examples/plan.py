"""Who should go where: the planner's suggestions for the open requests, and why.

Run it with no arguments for the demo city today, or name a source and a day::

    python examples/plan.py
    python examples/plan.py --source csv:extract/ --as-of 2025-03-01

The planner takes the districts' requests that no assignment covers yet, keeps
every hard rule (the length of an assignment, each member's extent, absences,
employment and competence, the district existing), covers the most needed
districts first, sends members back to districts they know, and evens out the
load. It prints each suggestion with its reasons, then each request it cannot
cover with the rule that stops it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import textwrap
from collections.abc import Sequence

import socforst
from socforst.planning import suggest


def wrapped(text: str, indent: str = "      ") -> str:
    """A long sentence wrapped for a terminal."""
    return textwrap.fill(text, 92, initial_indent=indent, subsequent_indent=indent + "  ")


def main(argv: Sequence[str] | None = None) -> int:
    """Print the plan for the open requests on --as-of."""
    parser = argparse.ArgumentParser(description="Suggestions for the open requests.")
    parser.add_argument("--source", default="demo", metavar="SPEC", help="default: demo")
    parser.add_argument(
        "--as-of", type=dt.date.fromisoformat, default=dt.date.today(), metavar="YYYY-MM-DD"
    )
    args = parser.parse_args(argv)
    try:
        dataset = socforst.open_source(args.source).read()
        plan = suggest(dataset, as_of=args.as_of)
    except socforst.SocforstError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    print(
        f"Plan on {plan.as_of.isoformat()} ({args.source}): {len(plan.suggestions)} suggested, "
        f"{len(plan.uncovered)} uncovered, {len(plan.skipped)} skipped"
    )
    print()
    print("Suggestions:")
    for suggestion in plan.suggestions:
        a = suggestion.assignment
        task = f", {a.task}" if a.task else ""
        print(
            f"  {suggestion.request_id}: {a.member_id} to {a.district} "
            f"{a.start}..{a.end} at extent {a.extent:g}{task}"
        )
        for reason in suggestion.reasons:
            print(wrapped(f"- {reason}"))
    if not plan.suggestions:
        print("  none")
    print()
    print("Uncovered requests:")
    for uncovered in plan.uncovered:
        print(
            f"  {uncovered.request_id}: {uncovered.district} {uncovered.start}..{uncovered.end} "
            f"at extent {uncovered.extent:g}, {uncovered.missing} missing"
        )
        print(wrapped(f"- {uncovered.reason}"))
    if not plan.uncovered:
        print("  none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
