"""Which reports are about to miss the 14-day preassessment (förhandsbedömning)?

Run it with no arguments to evaluate a small built-in sample as of 2025-06-17,
or give a date::

    python examples/preassessment_deadlines.py 2025-06-18

It lists the preassessments that are overdue or due within three days, under
both readings of Lag (1930:173) 2 §: strict calendar days, and roll-forward
past weekends and holidays (here, midsummer eve 2025-06-20).
"""

from __future__ import annotations

import datetime as dt
import sys

import socforst
from socforst import Report


def sample_reports() -> list[Report]:
    """Eight reports to a district in May and June 2025, some decided, some not."""
    d = dt.date
    received = [
        ("r1", dt.datetime(2025, 5, 26, 9, 5), d(2025, 6, 4), None),
        ("r2", dt.datetime(2025, 5, 30, 14, 40), None, None),
        ("r3", dt.datetime(2025, 6, 2, 8, 15), None, None),
        ("r4", dt.datetime(2025, 6, 4, 23, 50), None, None),
        ("r5", dt.datetime(2025, 6, 6, 11, 0), None, None),
        ("r6", dt.datetime(2025, 6, 9, 10, 30), None, "already_open"),
        ("r7", dt.datetime(2025, 5, 20, 13, 0), d(2025, 6, 10), None),
        ("r8", dt.datetime(2025, 6, 12, 16, 45), None, None),
    ]
    return [
        Report(
            report_id=report_id,
            district="skarholmen",
            received_at=at,
            preassessment_decided_on=decided,
            preassessment_outcome=outcome,
        )
        for report_id, at, decided, outcome in received
    ]


def at_risk(book: socforst.RuleBook, reports: list[Report], as_of: dt.date) -> list[str]:
    """Lines for the preassessments that are overdue or due soon on *as_of*, by due date."""
    risky = [
        d
        for d in book.evaluate(reports, as_of)
        if d.kind == "preassessment" and d.status in {"overdue", "due_soon"}
    ]
    return [
        f"  {d.subject_id:<4} received {d.starts_on}  due {d.due_on}  {d.status.value}"
        for d in sorted(risky, key=lambda d: (d.due_on, d.subject_id))
    ]


def main(argv: list[str]) -> int:
    """Print the reports at risk under both readings of 2 §."""
    try:
        as_of = dt.date.fromisoformat(argv[1]) if len(argv) > 1 else dt.date(2025, 6, 17)
    except ValueError:
        print(f"error: the date must be YYYY-MM-DD, got {argv[1]!r}", file=sys.stderr)
        return 2
    reports = sample_reports()
    for title, book in [
        ("strict calendar days (the default)", socforst.RuleBook.swedish()),
        ("roll-forward under Lag (1930:173) 2 §", socforst.RuleBook.swedish(roll_forward=True)),
    ]:
        lines = at_risk(book, reports, as_of)
        print(f"Preassessments at risk on {as_of}, {title}: {len(lines)}")
        print("\n".join(lines) if lines else "  none")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
