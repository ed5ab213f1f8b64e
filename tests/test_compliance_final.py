"""Compliance: the still-open deadlines of a month, and whether the month is final.

DATA.md "Compliance output": a month is ``final`` only when every deadline started in it
has fallen due by the day asked about (or was done); a month that is not final is marked
so in every format. Each case is worked out by hand from the dates in its docstring.

Calendar facts relied on (Lag (1930:173) 2 §: Saturdays, Sundays, public holidays,
midsummer eve, Christmas eve and New Year's eve are not working days), all 2025:

- January: Wed 15, Mon 20, Wed 29, Thu 30, Fri 31; February: Sat 1, Sun 2, Mon 3, Fri 14.
- March: Mon 3, Tue 4, Fri 7, Sat 8, Mon 10, Wed 12, Mon 17, Thu 20, Mon 24, Mon 31;
  April: Tue 1, Thu 10, Tue 15.
- April: Mon 7; Good Friday 18, Easter Monday 21 (holidays), Tue 22.
- May: Fri 2, Fri 9, Fri 16, Sat 31; June: Mon 2, Sat 14, Sun 15, Mon 16.

The preassessment is due 14 days after the day the report is received (SoL (2001:453)
11 kap. 1 a §); under the roll-forward reading a due day that is not a working day
moves to the next working day. An investigation is due four months after it opened.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import socforst
from socforst import Dataset, DateRange, Investigation, Report, RuleBook
from socforst.demo import demo_dataset
from socforst.queries import ComplianceRow, compliance, deadlines_on
from tests.test_cli import csv_rows, run

D = dt.date
ALL_STATUSES = ("met", "justified", "late", "overdue", "due_soon", "open")


def report(
    report_id: str,
    district: str,
    received_on: dt.date,
    decided_on: dt.date | None = None,
    *,
    reason: str | None = None,
) -> Report:
    """A report received at 10:00, its protection assessment made at once."""
    received_at = dt.datetime.combine(received_on, dt.time(10, 0))
    return Report(
        report_id=report_id,
        district=district,
        received_at=received_at,
        protection_assessed_at=received_at,
        preassessment_decided_on=decided_on,
        preassessment_outcome="opened" if decided_on else None,
        exceptional_reason=reason,
    )


def counts(row: ComplianceRow) -> tuple[object, ...]:
    """(month, final, owed, still_open, met strict, met rolled, late strict, late rolled)."""
    return (
        row.month,
        row.final,
        row.owed,
        row.still_open,
        row.met_strict,
        row.met_roll_forward,
        row.late_strict,
        row.late_roll_forward,
    )


def march_reports() -> Dataset:
    """Three Farsta reports of March 2025, all due on Mondays (so the readings agree).

    - a: received Mon 03-03, due Mon 03-17, decided Wed 03-12: met.
    - b: received Mon 03-10, due Mon 03-24, never decided.
    - c: received Mon 03-17, due Mon 03-31, never decided.
    """
    return Dataset(
        reports=[
            report("a", "farsta", D(2025, 3, 3), D(2025, 3, 12)),
            report("b", "farsta", D(2025, 3, 10)),
            report("c", "farsta", D(2025, 3, 17)),
        ]
    )


# -- the query ----------------------------------------------------------------------------------


def test_reports_whose_due_dates_are_still_ahead_are_still_open_and_the_month_not_final() -> None:
    """On Thu 03-20: a is owed and met; b (due 03-24) and c (due 03-31) are still open.

    owed 1, still open 2, so March is not final; its share, 1 of 1, is only the early
    decision so far.
    """
    (row,) = compliance(march_reports(), as_of=D(2025, 3, 20))
    assert (D(2025, 3, 1), False, 1, 2, 1, 1, 0, 0) == counts(row)
    assert (1.0, 1.0, 0.0) == (row.share_strict, row.share_roll_forward, row.difference)


def test_a_month_whose_deadlines_are_all_settled_is_final_from_the_first_working_day_after() -> (
    None
):
    """On Mon 03-31 all three are settled: a met, b late (due 03-24), c late (due that day).

    Nothing is still open, but March is not over for reports: one that arrives by post on
    Tue 04-01 counts as received on Mon 03-31 (förvaltningslagen 22 §). So March is
    final on 04-01, the first working day after it, with the same counts: owed 3, met 1,
    late 2 under both readings.
    """
    (row,) = compliance(march_reports(), as_of=D(2025, 3, 31))
    assert (D(2025, 3, 1), False, 3, 0, 1, 1, 2, 2) == counts(row)
    (row,) = compliance(march_reports(), as_of=D(2025, 4, 1))
    assert (D(2025, 3, 1), True, 3, 0, 1, 1, 2, 2) == counts(row)


def test_a_saturday_due_date_is_still_open_until_the_roll_forward_due_date() -> None:
    """Farsta's May 2025, asked on Sun 06-15 and on Mon 06-16.

    - d: received Fri 05-02, due Fri 05-16, decided Fri 05-09: met.
    - e: received Sat 05-31, not decided. Strict due day Sat 06-14; rolled forward to
      Mon 06-16.

    On Sun 06-15 e is overdue in strict days but not yet due rolled forward, so it is
    not settled under both readings: still open (1), and May is not final although the
    month is over (first working day after it: Mon 06-02). owed 1 (d), met 1.
    On Mon 06-16 e is due under both and not done: owed 2, late 1 under both; final.
    """
    dataset = Dataset(
        reports=[
            report("d", "farsta", D(2025, 5, 2), D(2025, 5, 9)),
            report("e", "farsta", D(2025, 5, 31)),
        ]
    )
    sunday = D(2025, 6, 15)
    (row,) = compliance(dataset, as_of=sunday)
    assert (D(2025, 5, 1), False, 1, 1, 1, 1, 0, 0) == counts(row)
    # The one number covers both readings: e is overdue strictly, due soon rolled forward.
    strict = deadlines_on(dataset, sunday, statuses=ALL_STATUSES)
    rolled = deadlines_on(
        dataset, sunday, book=RuleBook.swedish(roll_forward=True), statuses=ALL_STATUSES
    )
    assert [(D(2025, 6, 14), "overdue")] == [
        (x.due_on, x.status) for x in strict if (x.kind, x.subject_id) == ("preassessment", "e")
    ]
    assert [(D(2025, 6, 16), "due_soon")] == [
        (x.due_on, x.status) for x in rolled if (x.kind, x.subject_id) == ("preassessment", "e")
    ]
    (row,) = compliance(dataset, as_of=D(2025, 6, 16))
    assert (D(2025, 5, 1), True, 2, 0, 1, 1, 1, 1) == counts(row)


def test_deadlines_done_early_do_not_make_a_young_month_final() -> None:
    """On Wed 03-12 both March reports are decided, but more reports can still come.

    - received Mon 03-03, decided Tue 03-04 (due 03-17): met.
    - received Mon 03-10, decided Wed 03-12 (due 03-24): met.

    owed 2, met 2, still open 0; March is not over, so not final.
    """
    dataset = Dataset(
        reports=[
            report("a", "farsta", D(2025, 3, 3), D(2025, 3, 4)),
            report("b", "farsta", D(2025, 3, 10), D(2025, 3, 12)),
        ]
    )
    (row,) = compliance(dataset, as_of=D(2025, 3, 12))
    assert (D(2025, 3, 1), False, 2, 0, 2, 2, 0, 0) == counts(row)


def test_a_month_with_nothing_owed_yet_is_a_row_only_with_open_months() -> None:
    """Järva, received Mon 06-02, not decided, due Mon 06-16; asked on Sun 06-15.

    Nothing is owed, one is still open. By default the month has no row (there is no
    share to give); with open_months it has one, owed 0, with no shares, not final.
    """
    dataset = Dataset(reports=[report("f", "jarva", D(2025, 6, 2))])
    assert () == compliance(dataset, as_of=D(2025, 6, 15))
    assert (
        ComplianceRow(
            district="jarva",
            month=D(2025, 6, 1),
            final=False,
            owed=0,
            still_open=1,
            met_strict=0,
            met_roll_forward=0,
            justified_strict=0,
            justified_roll_forward=0,
            late_strict=0,
            late_roll_forward=0,
            share_strict=None,
            share_roll_forward=None,
            difference=None,
        ),
    ) == compliance(dataset, as_of=D(2025, 6, 15), open_months=True)


def test_a_month_is_over_for_investigations_on_its_last_day_for_reports_the_next_working_day() -> (
    None
):
    """January 2025, everything done early, asked on Fri 01-31, Sat 02-01 and Mon 02-03.

    - investigations opened Wed 01-15 (closed Thu 01-30) and Fri 01-31 (closed that
      day), due in May: both met. No investigation can start in January after the end
      of 01-31: final on 01-31.
    - reports received Wed 01-15 (due Wed 01-29, decided Mon 01-20) and Fri 01-31 (due
      Fri 02-14, decided that day): met.
      A report that arrives by post on the first working day after January, Mon 02-03,
      counts as received on Fri 01-31: final only from 02-03.
    """
    dataset = Dataset(
        investigations=[
            Investigation(
                investigation_id="i1",
                district="bromma",
                opened_on=D(2025, 1, 15),
                closed_on=D(2025, 1, 30),
            ),
            Investigation(
                investigation_id="i2",
                district="bromma",
                opened_on=D(2025, 1, 31),
                closed_on=D(2025, 1, 31),
            ),
        ],
        reports=[
            report("a", "bromma", D(2025, 1, 15), D(2025, 1, 20)),
            report("b", "bromma", D(2025, 1, 31), D(2025, 1, 31)),
        ],
    )
    for day, investigations_final, reports_final in [
        (D(2025, 1, 31), True, False),
        (D(2025, 2, 1), True, False),
        (D(2025, 2, 3), True, True),
    ]:
        (investigations,) = compliance(dataset, kind="investigation", as_of=day)
        (reports,) = compliance(dataset, as_of=day)
        assert (D(2025, 1, 1), investigations_final, 2, 0, 2, 2, 0, 0) == counts(investigations)
        assert (D(2025, 1, 1), reports_final, 2, 0, 2, 2, 0, 0) == counts(reports)


def test_a_period_that_ends_within_a_month_ends_its_row_there() -> None:
    """The period 03-01..Fri 03-07 keeps the report of Mon 03-03 (decided Tue 03-04).

    The report of Mon 03-10 (never decided) lies outside it. The row is over on the first
    working day after 03-07, Mon 03-10: not final on Sat 03-08, final on 03-10.
    """
    dataset = Dataset(
        reports=[
            report("a", "farsta", D(2025, 3, 3), D(2025, 3, 4)),
            report("b", "farsta", D(2025, 3, 10)),
        ]
    )
    first_week = DateRange(D(2025, 3, 1), D(2025, 3, 7))
    (row,) = compliance(dataset, as_of=D(2025, 3, 8), period=first_week)
    assert (D(2025, 3, 1), False, 1, 0, 1, 1, 0, 0) == counts(row)
    (row,) = compliance(dataset, as_of=D(2025, 3, 10), period=first_week)
    assert (D(2025, 3, 1), True, 1, 0, 1, 1, 0, 0) == counts(row)


def test_a_late_deadline_of_a_final_month_becomes_justified_when_decided_with_a_reason() -> None:
    """Received Mon 03-03, due Mon 03-17; decided Thu 04-10 for synnerliga skäl.

    On Tue 04-01 it is not decided: late under both readings, and March is final. On
    Tue 04-15 the decision has happened: justified under both, March still final.
    """
    dataset = Dataset(
        reports=[report("a", "farsta", D(2025, 3, 3), D(2025, 4, 10), reason="synnerliga skäl")]
    )
    (row,) = compliance(dataset, as_of=D(2025, 4, 1))
    assert (True, 1, 1, 1, 0, 0) == (
        row.final,
        row.owed,
        row.late_strict,
        row.late_roll_forward,
        row.justified_strict,
        row.justified_roll_forward,
    )
    (row,) = compliance(dataset, as_of=D(2025, 4, 15))
    assert (True, 1, 0, 0, 1, 1) == (
        row.final,
        row.owed,
        row.late_strict,
        row.late_roll_forward,
        row.justified_strict,
        row.justified_roll_forward,
    )


@pytest.mark.parametrize("kind", ["preassessment", "investigation"])
def test_owed_and_still_open_count_every_deadline_of_the_kind_known_on_the_day(kind: str) -> None:
    """Owed + still open is every deadline of the kind listed on the day, month by month.

    In the demo city on 2025-05-05, the deadlines that deadlines_on lists in any status
    (for preassessments through the per-object path, against compliance's columnar one);
    a final row has nothing still open, and May 2025 is not final.
    """
    as_of = D(2025, 5, 5)
    city = demo_dataset(start=D(2024, 9, 1), end=as_of)
    period = DateRange(D(2024, 10, 1), D(2025, 5, 31))
    rows = compliance(city, kind=kind, as_of=as_of, period=period, open_months=True)
    listed: dict[tuple[str, dt.date], int] = {}
    for deadline in deadlines_on(city, as_of, statuses=ALL_STATUSES):
        if deadline.kind == kind and period.contains(deadline.starts_on):
            key = (deadline.district, deadline.starts_on.replace(day=1))
            listed[key] = listed.get(key, 0) + 1
    assert listed == {(row.district, row.month): row.owed + row.still_open for row in rows}
    assert all(row.still_open == 0 for row in rows if row.final)
    assert {row.month for row in rows if not row.final} >= {D(2025, 5, 1)}


# -- the command line ---------------------------------------------------------------------------


def cli_city() -> Dataset:
    """Reports of April to June 2025, asked about on Sun 2025-06-15.

    - Farsta, April: received Tue 04-01, due Tue 04-15, decided Thu 04-10: met. Received
      Mon 04-07, day 14 Easter Monday 04-21 (rolled: Tue 04-22), decided 04-22: late
      strict, met rolled. April is over and settled: final; owed 2, shares 0.5 and 1.
    - Farsta, May: d (met) and e (strict due Sat 06-14, rolled Mon 06-16, not decided),
      as in the Saturday test above: owed 1, still open 1, not final.
    - Järva, June: received Mon 06-02, due Mon 06-16, not decided: owed 0, still open 1,
      not final, no share.
    """
    return Dataset(
        reports=[
            report("a", "farsta", D(2025, 4, 1), D(2025, 4, 10)),
            report("b", "farsta", D(2025, 4, 7), D(2025, 4, 22)),
            report("d", "farsta", D(2025, 5, 2), D(2025, 5, 9)),
            report("e", "farsta", D(2025, 5, 31)),
            report("f", "jarva", D(2025, 6, 2)),
        ]
    )


@pytest.fixture
def source(tmp_path: Path) -> str:
    """The city of :func:`cli_city` as a CSV folder; its source spec."""
    folder = tmp_path / "city"
    socforst.open_exporter(f"csv:{folder}").write_dataset(cli_city())
    return f"csv:{folder}"


ARGV = ("compliance", "--as-of", "2025-06-15", "--from", "2025-04", "--to", "2025-06")


def test_the_table_marks_a_month_not_final_with_a_star_and_a_note(
    capsys: pytest.CaptureFixture[str], source: str
) -> None:
    """April is final; May and June are not: ``2025-05*`` and ``2025-06*``, and a note.

    Cells: district, month, owed, still_open, met strict and rolled, justified strict and
    rolled, late strict and rolled, shares strict and rolled, difference (empty for June,
    where nothing is owed).
    """
    status, out, err = run(capsys, *ARGV, "--source", source)
    assert (0, "") == (status, err)
    lines = out.splitlines()
    assert [
        "district",
        "month",
        "owed",
        "still_open",
        "met_strict",
        "met_roll_forward",
        "justified_strict",
        "justified_roll_forward",
        "late_strict",
        "late_roll_forward",
        "share_strict",
        "share_roll_forward",
        "difference",
    ] == lines[0].split()
    assert [
        ["farsta", "2025-04", "2", "0", "1", "2", "0", "0", "1", "0", "0.5", "1", "0.5"],
        ["farsta", "2025-05*", "1", "1", "1", "1", "0", "0", "0", "0", "1", "1", "0"],
        ["jarva", "2025-06*", "0", "1", "0", "0", "0", "0", "0", "0"],
    ] == [line.split() for line in lines[2:5]]
    assert [
        "(3 rows)",
        "",
        "* not final on 2025-06-15: the month has deadlines still open, or more can start in it.",
    ] == lines[5:]


def test_a_table_of_final_months_has_no_star_and_no_note(
    capsys: pytest.CaptureFixture[str], source: str
) -> None:
    """April alone: final, so neither a star nor the note."""
    argv = ("compliance", "--as-of", "2025-06-15", "--from", "2025-04", "--to", "2025-04")
    status, out, _ = run(capsys, *argv, "--source", source)
    assert 0 == status
    assert "*" not in out
    lines = out.splitlines()
    assert ["farsta", "2025-04"] == lines[2].split()[:2]
    assert "(1 row)" == lines[-1]


def test_csv_gives_final_and_still_open_for_every_month(
    capsys: pytest.CaptureFixture[str], source: str
) -> None:
    """CSV: every field of ComplianceRow, ``final`` as true/false.

    No share for June, whose one deadline is still open.
    """
    status, out, err = run(capsys, *ARGV, "--source", source, "-f", "csv")
    assert (0, "") == (status, err)
    assert [
        "district,month,final,owed,still_open,met_strict,met_roll_forward,justified_strict,"
        "justified_roll_forward,late_strict,late_roll_forward,share_strict,share_roll_forward,"
        "difference",
        "farsta,2025-04-01,true,2,0,1,2,0,0,1,0,0.5,1.0,0.5",
        "farsta,2025-05-01,false,1,1,1,1,0,0,0,0,1.0,1.0,0.0",
        "jarva,2025-06-01,false,0,1,0,0,0,0,0,0,,,",
    ] == out.splitlines()
    assert ["true", "false", "false"] == [row["final"] for row in csv_rows(out)]


def test_json_gives_final_and_null_shares_for_a_month_with_nothing_owed(
    capsys: pytest.CaptureFixture[str], source: str
) -> None:
    """JSON: ``final`` a boolean, the shares of June null."""
    status, out, err = run(capsys, *ARGV, "--source", source, "-f", "json")
    assert (0, "") == (status, err)
    found = json.loads(out)
    assert [
        ("farsta", "2025-04-01", True, 2, 0, 0.5, 1.0),
        ("farsta", "2025-05-01", False, 1, 1, 1.0, 1.0),
        ("jarva", "2025-06-01", False, 0, 1, None, None),
    ] == [
        (
            row["district"],
            row["month"],
            row["final"],
            row["owed"],
            row["still_open"],
            row["share_strict"],
            row["share_roll_forward"],
        )
        for row in found
    ]


# -- the chart ----------------------------------------------------------------------------------


def _gids(figure: object) -> set[str]:
    (axes,) = figure.axes  # type: ignore[attr-defined]
    return {artist.get_gid() for artist in axes.get_children() if artist.get_gid()}


def test_the_chart_shades_the_months_that_are_not_final() -> None:
    """On Thu 03-20 March is not final: the chart shades it and says so in its legend."""
    pytest.importorskip("matplotlib")
    from socforst.plots import compliance_chart

    figure = compliance_chart(compliance(march_reports(), as_of=D(2025, 3, 20)))
    assert "not-final" in _gids(figure)
    (axes,) = figure.axes
    legend = axes.get_legend()
    assert legend is not None
    assert "not final yet" in [t.get_text() for t in legend.get_texts()]
    # On Tue 04-01 March is final: nothing is shaded.
    figure = compliance_chart(compliance(march_reports(), as_of=D(2025, 4, 1)))
    assert "not-final" not in _gids(figure)
