"""How many preassessments were decided within 14 days, per district and month?

Run it with no arguments for the demo city's last twelve whole months, or name a
source, a day and a folder for the chart::

    python examples/compliance.py
    python examples/compliance.py --source csv:extract/ --as-of 2025-06-30 --out charts/

This is what the city's inspectors measured in 2013-2014. It prints three tables,
districts by month, under the districts as they were on the day asked about:
the share decided in time counting strict calendar days, the share under the
roll-forward reading of Lag (1930:173) 2 § (a deadline on a weekend or holiday
moves to the next working day), and the difference in percentage points. It
saves the chart of both readings as ``compliance.png`` in ``--out``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import socforst
from socforst import DateRange, add_months
from socforst.queries import ComplianceRow, compliance

# The last month shown ended at least this long before the day asked about, so
# that all its deadlines (14 days, rolled past a holiday) are settled.
SETTLED = dt.timedelta(days=21)


def twelve_months(as_of: dt.date) -> DateRange:
    """The twelve whole months whose deadlines are all settled on *as_of*."""
    last = (as_of - SETTLED).replace(day=1) - dt.timedelta(days=1)
    return DateRange(add_months(last.replace(day=1), -11), last)


def table(
    rows: Sequence[ComplianceRow],
    months: Sequence[dt.date],
    value: Callable[[int, int, int], float],
    signed: bool = False,
) -> list[str]:
    """Districts by month and the twelve months together; ``-`` where nothing was owed.

    *value* gives a cell's number from the deadlines owed, met strictly and
    met rolled forward.
    """
    form = "{:+.1f}" if signed else "{:.1f}"
    cells = {
        (row.district, row.month): value(row.owed, row.met_strict, row.met_roll_forward)
        for row in rows
    }
    lines = [
        f"  {'district':<22}" + "".join(f"{month:%b %y}".rjust(7) for month in months) + "    all"
    ]
    for district in sorted({row.district for row in rows}):
        own = [row for row in rows if row.district == district]
        line = "".join(
            (form.format(cells[district, m]) if (district, m) in cells else "-").rjust(7)
            for m in months
        )
        whole = value(
            sum(row.owed for row in own),
            sum(row.met_strict for row in own),
            sum(row.met_roll_forward for row in own),
        )
        lines.append(f"  {district:<22}{line}{form.format(whole).rjust(7)}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Print the preassessment compliance tables and save the chart."""
    parser = argparse.ArgumentParser(description="Preassessments decided within 14 days.")
    parser.add_argument("--source", default="demo", metavar="SPEC", help="default: demo")
    parser.add_argument(
        "--as-of", type=dt.date.fromisoformat, default=dt.date.today(), metavar="YYYY-MM-DD"
    )
    parser.add_argument("--out", type=Path, default=Path(), metavar="DIR", help="default: .")
    args = parser.parse_args(argv)
    as_of: dt.date = args.as_of
    if not args.out.is_dir():
        print(f"error: --out {args.out} is not a folder", file=sys.stderr)
        return 2
    period = twelve_months(as_of)
    try:
        from socforst import plots

        dataset = socforst.open_source(args.source).read()
        rows = compliance(
            dataset, kind="preassessment", as_of=as_of, crosswalk_on=as_of, period=period
        )
        chart = plots.save(
            plots.compliance_chart(rows, reading="both", kind="preassessment"),
            args.out / "compliance.png",
        )
    except socforst.SocforstError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    months = sorted({row.month for row in rows})
    owed = sum(row.owed for row in rows)
    strict = sum(row.met_strict for row in rows)
    rolled = sum(row.met_roll_forward for row in rows)
    print(
        f"Preassessments decided within 14 days, {period.start:%Y-%m} to {period.end:%Y-%m}, "
        f"in {args.source} on {as_of.isoformat()}"
    )
    if not owed:
        print("  no preassessments were owed in these months")
        return 0
    print(
        f"All districts: {owed} owed; {strict / owed:.1%} in time in strict calendar days, "
        f"{rolled / owed:.1%} rolled forward past weekends and holidays"
    )
    print()
    print("Share in time, strict calendar days (%):")
    print("\n".join(table(rows, months, lambda owed, met, _: 100 * met / owed)))
    print()
    print("Share in time, roll-forward reading of Lag (1930:173) 2 § (%):")
    print("\n".join(table(rows, months, lambda owed, _, met: 100 * met / owed)))
    print()
    print("Difference, roll-forward minus strict (percentage points):")
    difference = table(
        rows, months, lambda owed, strict, rolled: 100 * (rolled - strict) / owed, signed=True
    )
    print("\n".join(difference))
    print()
    print(f"Saved the chart as {chart}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
