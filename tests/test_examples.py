"""The example scripts run on built-in data and print what they promise."""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import itertools
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
from matplotlib.patches import Rectangle

import socforst
from socforst import (
    Absence,
    Assignment,
    Dataset,
    DateRange,
    OpenRangeError,
    SocforstError,
    TeamMember,
    UnknownRecordError,
    ValidationError,
    add_months,
    plots,
)
from socforst.queries import ComplianceRow

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / "quickstart.py"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )


def test_quickstart_lists_the_fourteen_districts_of_2019() -> None:
    """On 2019-05-01 the quickstart prints 14 districts, Älvsjö and Rinkeby-Kista among them."""
    result = _run("2019-05-01")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Stockholm's 14 district administrations on 2019-05-01:"
    listed = [line.split()[0] for line in lines[1:15]]
    assert listed == [
        "alvsjo", "bromma", "enskede-arsta-vantor", "farsta", "hagersten-liljeholmen",
        "hasselby-vallingby", "kungsholmen", "norrmalm", "ostermalm", "rinkeby-kista",
        "skarholmen", "skarpnack", "sodermalm", "spanga-tensta",
    ]  # fmt: skip


def test_quickstart_shows_what_each_merged_district_was_formed_from() -> None:
    """On 2024-01-01 Järva is shown as formed from Rinkeby-Kista and Spånga-Tensta."""
    result = _run("2024-01-01")
    assert result.returncode == 0, result.stderr
    assert "Stockholm's 11 district administrations on 2024-01-01:" in result.stdout
    assert "Järva  (formed from Rinkeby-Kista, Spånga-Tensta)" in result.stdout


def test_quickstart_finds_the_four_planted_conflicts() -> None:
    """The example roster has one conflict of each planted kind, found in one check."""
    result = _run("2024-01-01")
    conflicts = [line for line in result.stdout.splitlines() if line.startswith("  - ")]
    kinds = [line[4:].split(":")[0] for line in conflicts]
    assert kinds == ["capacity", "district", "absence", "policy"]


def test_quickstart_refuses_a_bad_date_with_one_line() -> None:
    """A malformed date is one clear line on stderr and exit status 2, no traceback."""
    result = _run("2024-13-01")
    assert result.returncode == 2
    assert result.stderr == "error: the date must be YYYY-MM-DD, got '2024-13-01'\n"


def test_preassessment_example_shows_the_midsummer_difference() -> None:
    """On 2025-06-17, r5 (received 2025-06-06) is due 06-20 strictly, 06-23 rolled past midsummer.

    Worked by hand: r2 received Fri 05-30 is due Fri 06-13 and r3 received Mon 06-02 is
    due Mon 06-16, both overdue; r4 received 06-04 is due Wed 06-18 (1 day left); r5 is
    due on midsummer eve, 3 days left strictly (due_soon) but 6 days rolled (open).
    """
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "preassessment_deadlines.py")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )
    assert 0 == result.returncode, result.stderr
    strict, rolled = result.stdout.split("Preassessments at risk")[1:]
    assert ["r2", "r3", "r4", "r5"] == [line.split()[0] for line in strict.splitlines()[1:]]
    assert ["r2", "r3", "r4"] == [line.split()[0] for line in rolled.splitlines()[1:]]
    assert "r5   received 2025-06-06  due 2025-06-20  due_soon" in strict


# -- the example scripts on the demo city ---------------------------------------------------
#
# Each runs in a subprocess with no arguments (the demo city, today) but --out, and is
# checked for what it promises: its sections, districts that exist on the day it
# printed, and figures that agree with each other (totals, shares, differences).

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _example(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=300,
    )
    assert 0 == result.returncode, result.stderr
    assert "" == result.stderr
    return result


def _districts_on(day: dt.date) -> set[str]:
    """Stockholm's district administrations on *day*, from the built-in registry."""
    return {district.code for district in socforst.stockholm().active_on(day)}


def _section(lines: list[str], title: str) -> list[str]:
    """The indented lines that follow the line starting with *title*, up to a blank line."""
    start = next(i for i, line in enumerate(lines) if line.startswith(title)) + 1
    found = []
    for line in lines[start:]:
        if not line.strip():
            break
        found.append(line)
    return found


def _assert_png_with_content(path: Path) -> None:
    """The file is a PNG that matplotlib reads, and not a single flat colour."""
    import matplotlib.image

    assert path.is_file()
    assert PNG_SIGNATURE == path.read_bytes()[:8]
    pixels = matplotlib.image.imread(path)
    assert pixels.ndim == 3
    assert pixels.shape[0] > 100
    assert pixels.shape[1] > 100
    assert float(pixels.std()) > 0


def test_overdue_deadlines_counts_add_up_by_district_and_by_member() -> None:
    """The header's counts equal the totals of both tables, whose rows add up to them.

    Districts are today's (the counts are crosswalked to the day asked about), and the
    deadlines listed as due soonest fall due within three days of it, in order.
    """
    lines = _example("overdue_deadlines.py").stdout.splitlines()
    header = re.fullmatch(
        r"Deadlines on (\S+) in demo: (\d+) overdue, (\d+) due within 3 days", lines[0]
    )
    assert header is not None, lines[0]
    as_of = dt.date.fromisoformat(header[1])
    overdue, due_soon = int(header[2]), int(header[3])

    for title in ("By district", "By team member"):
        rows = [line.split() for line in _section(lines, title)]
        assert ["total", str(overdue), str(due_soon)] == rows[-1]
        assert overdue == sum(int(row[-2]) for row in rows[:-1])
        assert due_soon == sum(int(row[-1]) for row in rows[:-1])
    districts = {line.split()[0] for line in _section(lines, "By district")[:-1]}
    assert districts
    assert districts <= _districts_on(as_of)

    listed = _section(lines, "Due soonest")
    assert f"Due soonest ({due_soon}):" in lines
    dues = [dt.date.fromisoformat(line.split()[1]) for line in listed if line.startswith("  due ")]
    assert dues == sorted(dues)
    assert all(as_of <= due <= as_of + dt.timedelta(days=3) for due in dues)
    assert len(dues) == min(due_soon, 15)


def test_compliance_prints_both_readings_and_their_difference_and_saves_a_chart(
    tmp_path: Path,
) -> None:
    """Three tables of today's districts by month, whose differences are rolled less strict.

    Twelve consecutive months, each difference the roll-forward share minus the strict one
    (to the rounding of the printed figures), never negative, since rolling a due date
    forward never makes it earlier; the chart is written.
    """
    result = _example("compliance.py", "--out", str(tmp_path))
    lines = result.stdout.splitlines()
    header = re.fullmatch(
        r"Preassessments decided within 14 days, \S+ to \S+, in demo on (\S+)", lines[0]
    )
    assert header is not None, lines[0]
    as_of = dt.date.fromisoformat(header[1])

    def table(title: str) -> dict[str, list[float]]:
        rows = _section(lines, title)
        heading = rows[0].split()
        months = [
            dt.datetime.strptime(f"{m} {y}", "%b %y").date()
            for m, y in zip(heading[1:-1:2], heading[2:-1:2], strict=True)
        ]
        assert 12 == len(months)
        assert all(b == add_months(a, 1) for a, b in itertools.pairwise(months))
        assert months[-1] < as_of.replace(day=1)
        return {row.split()[0]: [float(cell) for cell in row.split()[1:]] for row in rows[1:]}

    strict = table("Share in time, strict calendar days")
    rolled = table("Share in time, roll-forward reading")
    difference = table("Difference, roll-forward minus strict")
    assert _districts_on(as_of) == set(strict) == set(rolled) == set(difference)
    for district, cells in strict.items():
        assert all(0 <= cell <= 100 for cell in cells + rolled[district])
        for s, r, d in zip(cells, rolled[district], difference[district], strict=True):
            assert abs((r - s) - d) <= 0.11, (district, s, r, d)
            assert d >= 0
    assert f"Saved the chart as {tmp_path / 'compliance.png'}" in lines
    _assert_png_with_content(tmp_path / "compliance.png")


def test_availability_accounts_for_every_day_of_march() -> None:
    """Each member's free, partly free and busy days make the 31 days of the coming March.

    The stretches lie in March, have the length their dates give, and come longest first.
    """
    lines = _example("availability.py").stdout.splitlines()
    header = re.fullmatch(r"Who is free in March (\d{4}) \(demo, as of (\S+)\):", lines[0])
    assert header is not None, lines[0]
    year, as_of = int(header[1]), dt.date.fromisoformat(header[2])
    assert (as_of.year if as_of.month <= 3 else as_of.year + 1) == year

    members = _section(lines, "Who is free in")[1:]
    assert members
    for line in members:
        _member_id, extent, free, partly, busy = line.split()
        assert 0 < float(extent) <= 1
        assert 31 == int(free) + int(partly) + int(busy), line
    for title in ("Longest stretches free full time", "Longest stretches free at least half time"):
        lengths = []
        for line in _section(lines, title):
            if line.strip() == "none":
                continue
            _, span, days, unit = line.split()
            first, last = (dt.date.fromisoformat(day) for day in span.split(".."))
            assert dt.date(year, 3, 1) <= first <= last <= dt.date(year, 3, 31)
            assert (last - first).days + 1 == int(days)
            assert "days" == unit
            lengths.append(int(days))
        assert lengths == sorted(lengths, reverse=True)


def test_utilisation_shares_are_assigned_over_capacity() -> None:
    """Each share printed is the assigned days over the capacity printed beside it.

    Twelve months up to today for each team, the member shares likewise; the district
    table's total adds up its rows.
    """
    lines = _example("utilisation.py").stdout.splitlines()
    header = re.fullmatch(r"Utilisation (\S+)\.\.(\S+) \(demo\); .*", lines[0])
    assert header is not None, lines[0]
    as_of = dt.date.fromisoformat(header[2])

    teams = [line.split() for line in _section(lines, "Utilisation")[1:]]
    months = sorted({row[0] for row in teams})
    assert 12 == len(months)
    assert f"{as_of:%Y-%m}" == months[-1]
    members = [line.split() for line in _section(lines, "Per member")[1:]]
    for row in teams + members:
        capacity, assigned, share = float(row[2]), float(row[3]), float(row[4].rstrip("%"))
        # Capacity and assigned days are printed to 0.05 of a day, the share to 0.05 %.
        assert abs(100 * assigned / capacity - share) <= 0.05 + 100 * 0.1 / capacity, row

    district_rows = [line.split() for line in _section(lines, "Team days per district")[2:]]
    assert "total" == district_rows[-1][0]
    for column in range(1, 4):
        column_sum = sum(float(row[column]) for row in district_rows[:-1])
        assert abs(column_sum - float(district_rows[-1][column])) <= 0.05 * len(district_rows)


def test_costs_savings_are_consultant_cost_minus_team_cost_with_assumptions() -> None:
    """Every year's saving is the consultant cost less the team's cost.

    Years 2016 to today; the districts of the last whole year add up to its total; the
    assumptions are printed.
    """
    lines = _example("costs.py").stdout.splitlines()
    header = re.fullmatch(
        r"The team against consultants, per year \(demo, as of (\S+)\):", lines[0]
    )
    assert header is not None, lines[0]
    as_of = dt.date.fromisoformat(header[1])

    def amounts(row: list[str]) -> tuple[float, int, int, int]:
        days, team, consultant, saving = row[-4:]
        return float(days), *(int(value.replace(",", "")) for value in (team, consultant, saving))  # type: ignore[return-value]

    years = [line.split() for line in _section(lines, "The team against consultants")[1:]]
    years = [row for row in years if row[0].isdigit()]
    assert [int(row[0]) for row in years] == list(range(2016, as_of.year + 1))
    assert "*" == years[-1][1]
    for row in years + [line.split() for line in _section(lines, "Per district in")[1:]]:
        _, team, consultant, saving = amounts(row)
        assert abs(consultant - team - saving) <= 1, row
    districts = [
        amounts(line.split()) for line in _section(lines, f"Per district in {as_of.year - 1}")[1:]
    ]
    whole_year = next(amounts(row) for row in years if row[0] == str(as_of.year - 1))
    assert abs(sum(d[0] for d in districts) - whole_year[0]) <= 0.05 * len(districts)
    assert abs(sum(d[1] for d in districts) - whole_year[1]) <= len(districts)
    assumptions = "\n".join(_section(lines, "Assumptions:"))
    assert "Rates used:" in assumptions
    assert "consultant_rate_sek" in assumptions


def test_need_ranks_todays_districts_by_a_falling_score_with_the_default_weights() -> None:
    """Ranks 1 to 11, one per district of today, with scores never rising.

    The documented default weights are printed, and the top district's score is explained
    factor by factor.
    """
    lines = _example("need.py").stdout.splitlines()
    header = re.fullmatch(r"Districts by need on (\S+) \(demo\)", lines[0])
    assert header is not None, lines[0]
    as_of = dt.date.fromisoformat(header[1])
    assert (
        "Weights: backlog_per_position 0.4, vacancy_rate 0.25, turnover 0.2, "
        "consultants_per_position 0.15" == lines[1]
    )
    rows = [line.split() for line in _section(lines, "  rank")]
    assert [str(rank) for rank in range(1, len(rows) + 1)] == [row[0] for row in rows]
    assert _districts_on(as_of) == {row[1] for row in rows}
    scores = [float(row[2]) for row in rows]
    assert scores == sorted(scores, reverse=True)
    explained = _section(lines, f"How the score of {rows[0][1]} adds up")
    assert 5 == len(explained)
    assert all(line.startswith("  - ") for line in explained)


def test_plan_lists_as_many_suggestions_and_uncovered_requests_as_it_counts() -> None:
    """Each suggestion and each uncovered request is listed with at least one reason.

    As many as the first line counts; no suggestion starts before the day of the plan.
    """
    lines = _example("plan.py").stdout.splitlines()
    header = re.fullmatch(
        r"Plan on (\S+) \(demo\): (\d+) suggested, (\d+) uncovered, \d+ skipped", lines[0]
    )
    assert header is not None, lines[0]
    as_of = dt.date.fromisoformat(header[1])
    for title, count, entry in (
        ("Suggestions:", int(header[2]), r"  (\S+): (\S+) to (\S+) (\S+)\.\.(\S+) at extent .*"),
        ("Uncovered requests:", int(header[3]), r"  (\S+): (\S+) (\S+)\.\.(\S+) at extent .*"),
    ):
        section = _section(lines, title)
        entries = [i for i, line in enumerate(section) if re.fullmatch(entry, line)]
        assert count == len(entries)
        for i in entries:
            assert section[i + 1].startswith("      - ")
        if title == "Suggestions:":
            for i in entries:
                match = re.fullmatch(entry, section[i])
                assert match is not None
                assert dt.date.fromisoformat(match[4]) >= as_of
                assert match[3] in _districts_on(as_of) | {"socialjouren"}


def test_gantt_saves_a_chart_of_the_last_six_months(tmp_path: Path) -> None:
    """The chart of the six months up to today is a PNG with content.

    The districts listed are those of the last day.
    """
    lines = _example("gantt.py", "--out", str(tmp_path)).stdout.splitlines()
    header = re.fullmatch(r"Assignments (\S+)\.\.(\S+) \(demo\):", lines[0])
    assert header is not None, lines[0]
    first, last = (dt.date.fromisoformat(day) for day in header.groups())
    assert first == add_months(last, -6) + dt.timedelta(days=1)
    counts = re.fullmatch(r"  (\d+) assignments of (\d+) members", lines[1])
    assert counts is not None
    assert int(counts[1]) > 0
    assert int(counts[2]) > 0
    districts = {line.split()[0] for line in _section(lines, "  calendar days per district")}
    assert districts
    assert districts <= _districts_on(last) | {"socialjouren"}
    assert f"Saved the chart as {tmp_path / 'assignments.png'}" in lines
    _assert_png_with_content(tmp_path / "assignments.png")


def test_an_example_given_a_missing_folder_says_so_in_one_line(tmp_path: Path) -> None:
    """``--out`` naming no folder is one line on stderr and exit status 2, before any work."""
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "gantt.py"), "--out", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )
    assert 2 == result.returncode
    assert f"error: --out {tmp_path / 'nowhere'} is not a folder\n" == result.stderr


# -- socforst.plots on a small city built by hand ---------------------------------------------

MARCH = DateRange(dt.date(2025, 3, 1), dt.date(2025, 3, 31))


def _city() -> Dataset:
    """Three members of two teams and their assignments around March 2025.

    Shown in March: a1 (cut at 03-01), a2 and a3 (m2 at half time twice, overlapping on
    03-10..03-14), a6 (team t2). Not shown: a4 (cancelled) and a5 (in April).
    """
    d = dt.date

    def member(member_id: str, team_id: str) -> TeamMember:
        return TeamMember(member_id=member_id, team_id=team_id, employed_from=d(2020, 1, 1))

    def assignment(
        assignment_id: str, member_id: str, district: str, start: dt.date, end: dt.date, **kw: Any
    ) -> Assignment:
        return Assignment(
            assignment_id=assignment_id, member_id=member_id, district=district,
            start=start, end=end, **kw,
        )  # fmt: skip

    return Dataset(
        members=[member("m1", "t1"), member("m2", "t1"), member("m3", "t2")],
        absences=[Absence("m1", d(2025, 3, 24), d(2025, 3, 28), "vacation")],
        assignments=[
            assignment("a1", "m1", "farsta", d(2025, 2, 17), d(2025, 3, 7)),
            assignment("a2", "m2", "jarva", d(2025, 3, 3), d(2025, 3, 14), extent=0.5),
            assignment("a3", "m2", "bromma", d(2025, 3, 10), d(2025, 3, 21), extent=0.5),
            assignment("a4", "m1", "bromma", d(2025, 3, 17), d(2025, 3, 21), status="cancelled"),
            assignment("a5", "m1", "farsta", d(2025, 4, 1), d(2025, 4, 10)),
            assignment("a6", "m3", "sodermalm", d(2025, 3, 3), d(2025, 3, 7)),
        ],
    )


def _bars(figure: Figure, prefix: str) -> dict[str, Rectangle]:
    """The bars of the figure's axes whose gid starts with *prefix*, by the rest of the gid."""
    found: dict[str, Rectangle] = {}
    for patch in figure.axes[0].patches:
        gid = patch.get_gid()
        if isinstance(patch, Rectangle) and gid is not None and gid.startswith(prefix):
            found[gid.removeprefix(prefix)] = patch
    return found


def _legend(figure: Figure) -> list[str]:
    legend = figure.axes[0].get_legend()
    assert legend is not None
    return [text.get_text() for text in legend.get_texts()]


def _day(number: float) -> dt.date:
    """The day whose start is *number* on matplotlib's axis (days since its 1970 epoch)."""
    assert number == int(number)
    return dt.date(1970, 1, 1) + dt.timedelta(days=int(number))


def _data(line: Line2D, axis: str) -> list[float]:
    values = line.get_xdata() if axis == "x" else line.get_ydata()
    return [float(value) for value in np.asarray(values, dtype=float)]


def test_the_gantt_chart_has_one_bar_per_assignment_shown_and_a_row_per_member() -> None:
    """March 2025 shows a1, a2, a3 and a6, not the cancelled a4 nor the April a5.

    Rows m1, m2, m3 top to bottom; the legend lists the four districts and the absences.
    """
    figure = plots.assignment_gantt(_city(), MARCH)
    assert {"a1", "a2", "a3", "a6"} == set(_bars(figure, "assignment:"))
    assert ["m1"] == list(_bars(figure, "absence:"))
    assert ["bromma", "farsta", "jarva", "sodermalm", "absent"] == _legend(figure)
    axes = figure.axes[0]
    assert ["m1", "m2", "m3"] == [label.get_text() for label in axes.get_yticklabels()]
    assert axes.get_ylim()[0] > axes.get_ylim()[1]  # the first member at the top


def test_a_gantt_bar_spans_the_days_of_its_assignment_cut_at_the_period() -> None:
    """a1 runs 2025-02-17..03-07: its bar starts on 03-01 and ends at the end of 03-07.

    The absence of m1 covers 03-24 to the end of 03-28.
    """
    figure = plots.assignment_gantt(_city(), MARCH)
    a1 = _bars(figure, "assignment:")["a1"]
    assert dt.date(2025, 3, 1) == _day(a1.get_x())
    assert dt.date(2025, 3, 8) == _day(a1.get_x() + a1.get_width())
    absence = _bars(figure, "absence:")["m1"]
    assert dt.date(2025, 3, 24) == _day(absence.get_x())
    assert dt.date(2025, 3, 29) == _day(absence.get_x() + absence.get_width())


def test_concurrent_half_time_assignments_are_stacked_half_a_row_each() -> None:
    """a2 and a3 of m2 (row 1) overlap on 03-10..03-14: each is half the row's height.

    That is 0.4 of the 0.8 a row has, and the two do not overlap; a full-time bar (a1 of
    m1, row 0) fills its row. The y axis runs downwards: the stack starts at the row's
    larger y.
    """
    bars = _bars(plots.assignment_gantt(_city(), MARCH), "assignment:")
    a2, a3, a1 = bars["a2"], bars["a3"], bars["a1"]
    edges = sorted(
        edge for bar in (a2, a3) for edge in (bar.get_y(), bar.get_y() + bar.get_height())
    )
    # Row 1 spans 0.6..1.4: one bar on 1.0..1.4 (the bottom on screen), the other above it.
    assert pytest.approx([0.6, 1.0, 1.0, 1.4]) == edges
    assert pytest.approx((1.0, 1.4)) == (a2.get_y(), a2.get_y() + a2.get_height())
    assert pytest.approx((-0.4, 0.8)) == (a1.get_y(), a1.get_height())


def test_the_gantt_chart_of_one_team_shows_its_members_only() -> None:
    """Team t2 is m3 alone, with a6 in Södermalm."""
    figure = plots.assignment_gantt(_city(), MARCH, team_id="t2")
    assert ["a6"] == list(_bars(figure, "assignment:"))
    assert ["m3"] == [label.get_text() for label in figure.axes[0].get_yticklabels()]
    assert ["sodermalm", "absent"] == _legend(figure)


def test_the_gantt_chart_colours_by_the_crosswalked_district_when_asked() -> None:
    """An assignment to Älvsjö in 2020 is Hägersten-Älvsjö's on 2024-01-01."""
    data = Dataset(
        members=[TeamMember(member_id="m1", team_id="t1", employed_from=dt.date(2016, 1, 4))],
        assignments=[
            Assignment(assignment_id="a1", member_id="m1", district="alvsjo",
                       start=dt.date(2020, 3, 2), end=dt.date(2020, 3, 13)),
        ],
    )  # fmt: skip
    march = DateRange(dt.date(2020, 3, 1), dt.date(2020, 3, 31))
    assert ["alvsjo", "absent"] == _legend(plots.assignment_gantt(data, march))
    crosswalked = plots.assignment_gantt(data, march, crosswalk_on=dt.date(2024, 1, 1))
    assert ["hagersten-alvsjo", "absent"] == _legend(crosswalked)


def test_the_gantt_chart_refuses_an_open_period_and_an_unknown_team() -> None:
    """An open range has no end to draw to; a team no member is in is a lookup error."""
    with pytest.raises(OpenRangeError):
        plots.assignment_gantt(_city(), DateRange(dt.date(2025, 3, 1)))
    with pytest.raises(UnknownRecordError):
        plots.assignment_gantt(_city(), MARCH, team_id="t9")


def _compliance_rows() -> list[ComplianceRow]:
    """Farsta and Järva over three months, given out of order."""

    def row(district: str, month: int, owed: int, strict: int, rolled: int) -> ComplianceRow:
        return ComplianceRow(
            district=district, month=dt.date(2025, month, 1), owed=owed, met_strict=strict,
            met_roll_forward=rolled, justified_strict=0, justified_roll_forward=0,
            late_strict=owed - strict, late_roll_forward=owed - rolled,
            share_strict=strict / owed, share_roll_forward=rolled / owed,
            difference=(rolled - strict) / owed,
        )  # fmt: skip

    return [
        row("jarva", 2, 20, 15, 16),
        row("farsta", 3, 10, 9, 10),
        row("farsta", 1, 10, 8, 9),
        row("jarva", 1, 20, 14, 14),
        row("farsta", 2, 20, 17, 18),
        row("jarva", 3, 20, 18, 19),
    ]


def _lines(figure: Figure) -> dict[str, Line2D]:
    return {str(line.get_gid()): line for line in figure.axes[0].get_lines() if line.get_gid()}


def test_the_compliance_chart_draws_both_readings_of_each_district_by_month() -> None:
    """Both readings: a solid and a dashed line per district, in one colour.

    The shares are in month order; the 100 % line is drawn; the legend names the
    districts and the readings.
    """
    figure = plots.compliance_chart(_compliance_rows(), reading="both")
    lines = _lines(figure)
    assert {
        "farsta:strict", "farsta:roll_forward", "jarva:strict", "jarva:roll_forward", "target",
    } == set(lines)  # fmt: skip
    farsta = lines["farsta:strict"]
    assert [dt.date(2025, m, 1) for m in (1, 2, 3)] == [_day(x) for x in _data(farsta, "x")]
    assert pytest.approx([0.8, 0.85, 0.9]) == _data(farsta, "y")
    assert pytest.approx([0.7, 0.8, 0.95]) == _data(lines["jarva:roll_forward"], "y")
    assert "-" == farsta.get_linestyle()
    assert "--" == lines["farsta:roll_forward"].get_linestyle()
    assert farsta.get_color() == lines["farsta:roll_forward"].get_color()
    assert farsta.get_color() != lines["jarva:strict"].get_color()
    assert [1.0, 1.0] == _data(lines["target"], "y")
    assert [
        "farsta", "jarva", "strict calendar days", "roll-forward (Lag (1930:173) 2 §)",
    ] == _legend(figure)  # fmt: skip
    assert figure.axes[0].get_title().startswith("Preassessments decided within 14 days")


def test_the_compliance_chart_of_one_reading_has_one_line_per_district() -> None:
    """With the strict reading alone: a line per district, a legend of districts only.

    The title names investigations when the rows measure them.
    """
    figure = plots.compliance_chart(_compliance_rows(), reading="strict", kind="investigation")
    assert {"farsta:strict", "jarva:strict", "target"} == set(_lines(figure))
    assert ["farsta", "jarva"] == _legend(figure)
    assert figure.axes[0].get_title().startswith("Investigations completed within four months")


@pytest.mark.parametrize(
    ("options", "field"),
    [({"reading": "lenient"}, "reading"), ({"kind": "lvu"}, "kind")],
)
def test_the_compliance_chart_refuses_unknown_readings_and_kinds(
    options: dict[str, str], field: str
) -> None:
    """The error names the field, and lists the values it takes."""
    with pytest.raises(ValidationError) as caught:
        plots.compliance_chart(_compliance_rows(), **options)
    assert field == caught.value.field


def test_the_compliance_chart_refuses_two_rows_for_one_district_and_month() -> None:
    """Two rows for Farsta in January would draw a line back on itself."""
    rows = _compliance_rows()
    with pytest.raises(ValidationError, match="farsta"):
        plots.compliance_chart([*rows, rows[2]])


def test_save_writes_a_png_with_content_and_replaces_an_old_file(tmp_path: Path) -> None:
    """The file is a PNG that is not one flat colour, replacing what was there.

    No temporary file is left behind.
    """
    path = tmp_path / "chart.png"
    path.write_bytes(b"old")
    assert path == plots.save(plots.compliance_chart(_compliance_rows()), path)
    _assert_png_with_content(path)
    assert [path] == list(tmp_path.iterdir())


def test_save_writes_the_format_of_the_suffix_and_refuses_an_unknown_one(tmp_path: Path) -> None:
    """``.svg`` gives SVG text; ``.xyz`` is refused before anything is written."""
    figure = plots.assignment_gantt(_city(), MARCH)
    plots.save(figure, tmp_path / "gantt.svg")
    assert b"<svg" in (tmp_path / "gantt.svg").read_bytes()[:1000]
    with pytest.raises(ValidationError, match="xyz"):
        plots.save(figure, tmp_path / "gantt.xyz")
    assert [tmp_path / "gantt.svg"] == list(tmp_path.iterdir())


def test_without_matplotlib_the_module_imports_and_a_plot_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``import socforst.plots`` needs no matplotlib; a plot then names the extra.

    It raises PlotDependencyError, an ImportError and a SocforstError, whose message says
    how to install matplotlib.
    """
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now fails
    monkeypatch.delitem(sys.modules, "socforst.plots")
    monkeypatch.delattr(socforst, "plots")  # the import below sets it again; restore ours
    fresh = importlib.import_module("socforst.plots")
    calls: list[Callable[[], object]] = [
        functools.partial(fresh.assignment_gantt, _city(), MARCH),
        functools.partial(fresh.compliance_chart, _compliance_rows()),
    ]
    for call in calls:
        with pytest.raises(fresh.PlotDependencyError) as caught:
            call()
        assert isinstance(caught.value, ImportError)
        assert isinstance(caught.value, SocforstError)
        assert "pip install 'socforst[plot]'" in str(caught.value)
