"""The overdue and due-soon deadlines of a CSV folder, hand-written in polars.

The reference of ``benchmarks/main_job.py``: what an analyst would write to
answer ``socforst deadlines --source csv:DIR --format csv`` for the two duties
every city tracks, under strict calendar days (Lag (1930:173) 2 § not applied):

- *preassessment* (SoL 20 kap. 2 §, before 2025-07-01 11 kap. 1 a §): starts on
  ``counts_as_received_on`` or else the Stockholm day of ``received_at``, due 14
  days later; not owed when the outcome is ``already_open``; a report registered
  after the as-of day is not known.
- *investigation* (SoL 20 kap. 3 §, before 11 kap. 2 §): due four months after
  ``opened_on`` (Lag (1930:173) 1 §: the same day number, or the month's last
  day); extensions taken in order of decision, each moving the due day to its
  ``until`` if decided on or before the due day then in force and later than it.

A fact dated after the as-of day has not happened. The provision cited is the one
in force on the due day. Rows are sorted by due day, kind and subject, as socforst
sorts them. Run ``python benchmarks/polars_deadlines.py DIR --as-of YYYY-MM-DD``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import polars as pl

NEW_SOL = dt.date(2025, 7, 1)
DUE_SOON_DAYS = 3
COLUMNS = ["kind", "subject_id", "district", "starts_on", "due_on", "met_on", "status", "reference"]
REFERENCES = {  # the provision in force on the due day: before 2025-07-01, then from it
    "preassessment": ("SoL (2001:453) 11 kap. 1 a §", "SoL (2025:400) 20 kap. 2 §"),
    "investigation": ("SoL (2001:453) 11 kap. 2 §", "SoL (2025:400) 20 kap. 3 §"),
}


def scan(folder: Path, name: str, dates: list[str]) -> pl.LazyFrame:
    """One CSV file of the folder, every column text but *dates*."""
    frame = pl.scan_csv(folder / f"{name}.csv", infer_schema=False)
    return frame.with_columns(pl.col(dates).str.to_date("%Y-%m-%d"))


def local_day(column: str) -> pl.Expr:
    """The Europe/Stockholm day of an ISO instant; one without an offset is local already."""
    text = pl.col(column)
    aware = [
        text.str.to_datetime(f"%Y-%m-%dT{time}%#z", time_zone="Europe/Stockholm", strict=False)
        for time in ("%H:%M:%S", "%H:%M")
    ]
    return pl.coalesce(*(a.dt.date() for a in aware), text.str.slice(0, 10).str.to_date())


def done_by(column: str, as_of: dt.date) -> pl.Expr:
    """*column* where it had happened by *as_of*; a later day has not happened yet."""
    return pl.when(pl.col(column) <= as_of).then(pl.col(column))


def owed(frame: pl.LazyFrame, kind: str, as_of: dt.date) -> pl.LazyFrame:
    """The rows of *kind* not done by *as_of* that are overdue or due soon, with the provision."""
    left = (pl.col("due_on") - pl.lit(as_of)).dt.total_days()
    old, new = REFERENCES[kind]
    return (
        frame.filter(pl.col("met_on").is_null(), left <= DUE_SOON_DAYS)
        .with_columns(
            kind=pl.lit(kind),
            status=pl.when(left < 0).then(pl.lit("overdue")).otherwise(pl.lit("due_soon")),
            reference=pl.when(pl.col("due_on") < NEW_SOL).then(pl.lit(old)).otherwise(pl.lit(new)),
        )
        .select(COLUMNS)
    )


def deadlines(folder: Path, as_of: dt.date) -> pl.DataFrame:
    """The overdue and due-soon preassessments and investigations of *folder* on *as_of*."""
    reports = (
        scan(folder, "reports", ["counts_as_received_on", "preassessment_decided_on"])
        .with_columns(registered=local_day("received_at"))
        .filter(pl.col("registered") <= as_of)  # registered after as_of: not known yet
        .filter(pl.col("preassessment_outcome").ne_missing("already_open"))  # none owed
        .select(
            subject_id="report_id",
            district="district",
            starts_on=pl.coalesce("counts_as_received_on", "registered"),  # FL 22 §
            met_on=done_by("preassessment_decided_on", as_of),
        )
        .with_columns(due_on=pl.col("starts_on") + pl.duration(days=14))
    )
    investigations = (
        scan(folder, "investigations", ["opened_on", "closed_on"])
        .filter(pl.col("opened_on") <= as_of)
        .select(
            subject_id="investigation_id",
            district="district",
            starts_on="opened_on",
            due_on=pl.col("opened_on").dt.offset_by("4mo"),  # Lag (1930:173) 1 §
            met_on=done_by("closed_on", as_of),
        )
    )
    extensions = (
        scan(folder, "extensions", ["decided_on", "until"])
        .filter(pl.col("decided_on") <= as_of)
        .sort("investigation_id", "decided_on", "until")
        .with_columns(step=pl.int_range(pl.len()).over("investigation_id"))
        .select(subject_id="investigation_id", step="step", decided_on="decided_on", until="until")
        .collect()
    )
    for step in range(extensions["step"].n_unique()):  # the chain, link by link, in order
        link = extensions.lazy().filter(pl.col("step") == step).drop("step")
        moves = (pl.col("decided_on") <= pl.col("due_on")) & (pl.col("until") > pl.col("due_on"))
        investigations = (
            investigations.join(link, on="subject_id", how="left")
            .with_columns(due_on=pl.when(moves).then("until").otherwise("due_on"))
            .drop("decided_on", "until")
        )
    found = pl.concat(
        [owed(reports, "preassessment", as_of), owed(investigations, "investigation", as_of)]
    )
    return found.sort("due_on", "kind", "subject_id").collect()


def main() -> None:
    """Print the deadlines as CSV with the columns of socforst's deadline output."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path, help="a folder of socforst CSV files")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, required=True, metavar="YYYY-MM-DD")
    args = parser.parse_args()
    deadlines(args.folder, args.as_of).write_csv(sys.stdout)


if __name__ == "__main__":
    main()
