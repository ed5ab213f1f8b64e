"""Which district needs the team most, and why?

Run it with no arguments for the demo city today, or name a source, a day and
other weights::

    python examples/need.py
    python examples/need.py --as-of 2025-03-01 --weight turnover=0.5 --weight vacancy_rate=0

It ranks the districts by four factors, each normalised across the districts
to 0..1 and weighted: the open and overdue preassessments and investigations
per social worker position, the vacancy rate, the staff turnover and the
consultants per position. It prints the weights, the ranking with each factor's
value, and how the score of the most needed district adds up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import textwrap
from collections.abc import Sequence

import socforst
from socforst.queries import NEED_FACTORS, NEED_WEIGHTS, need_ranking

SHORT = {  # column headers
    "backlog_per_position": "backlog/pos",
    "vacancy_rate": "vacancies",
    "turnover": "turnover",
    "consultants_per_position": "consult/pos",
}


def weight(text: str) -> tuple[str, float]:
    """``NAME=VALUE`` as a factor name and a number."""
    name, _, value = text.partition("=")
    try:
        return name.strip(), float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected NAME=NUMBER, got {text!r}") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Print the need ranking on --as-of with its factors and weights."""
    parser = argparse.ArgumentParser(description="Districts by need.")
    parser.add_argument("--source", default="demo", metavar="SPEC", help="default: demo")
    parser.add_argument(
        "--as-of", type=dt.date.fromisoformat, default=dt.date.today(), metavar="YYYY-MM-DD"
    )
    parser.add_argument(
        "--weight",
        type=weight,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=f"a factor's weight, repeatable; factors: {', '.join(NEED_FACTORS)}",
    )
    args = parser.parse_args(argv)
    weights = dict(NEED_WEIGHTS) | dict(args.weight)
    try:
        dataset = socforst.open_source(args.source).read()
        scores = need_ranking(dataset, args.as_of, weights=weights)
    except socforst.SocforstError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    print(f"Districts by need on {args.as_of.isoformat()} ({args.source})")
    print("Weights: " + ", ".join(f"{name} {weights[name]:g}" for name in NEED_FACTORS))
    print()
    factors = "".join(f"{SHORT[name]:>12}" for name in NEED_FACTORS)
    print(f"  {'rank':>4}  {'district':<22} {'score':>6} {'backlog':>8} {'positions':>9}{factors}")
    for score in scores:
        positions = f"{score.positions:g}" if score.positions is not None else "-"
        values = "".join(f"{getattr(score, name):>12.3f}" for name in NEED_FACTORS)
        print(
            f"  {score.rank:>4}  {score.district:<22} {score.score:>6.3f} {score.backlog:>8} "
            f"{positions:>9}{values}"
        )
    if scores:
        top = scores[0]
        print()
        print(f"How the score of {top.district} adds up (value -> normalised x weight):")
        for part in top.explanation.split("; "):
            print(textwrap.fill(part, 88, initial_indent="  - ", subsequent_indent="    "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
