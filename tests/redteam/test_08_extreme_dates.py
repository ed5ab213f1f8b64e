"""Red-team category 8: extreme dates in data and in ``--as-of`` (F22, F28).

The legal calendar covers the years of the ``holidays`` package for Sweden,
1953-2100. A day outside them given on the command line is a usage error
(exit 2) naming the option, before anything is read; a date of the data that
a computation cannot handle is one line and exit 1, never an ``OverflowError``
or a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from socforst import queries
from socforst.calendar import swedish_calendar
from socforst.cli import main
from socforst.errors import CalendarRangeError

FIRST_YEAR, LAST_YEAR = 1953, 2100  # Sweden in the holidays package, worked out from its docs

QUERIES = (
    "districts",
    "deadlines",
    "compliance",
    "availability",
    "utilisation",
    "costs",
    "need",
    "plan",
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def extract(tmp_path: Path) -> str:
    """A small CSV extract: one member, one assignment in 2025."""
    folder = tmp_path / "extract"
    folder.mkdir()
    (folder / "members.csv").write_text(
        "member_id,team_id,employed_from\nm1,t1,2016-01-04\n", encoding="utf-8"
    )
    (folder / "assignments.csv").write_text(
        "assignment_id,member_id,district,start,end\na1,m1,farsta,2025-01-01,2025-02-01\n",
        encoding="utf-8",
    )
    return f"csv:{folder}"


# -- CLI part: --as-of, --from, --to ---------------------------------------------------------


def test_the_years_the_cli_accepts_are_those_of_the_legal_calendar() -> None:
    """The bounds come from the calendar, not a second constant."""
    years = swedish_calendar().years
    assert (FIRST_YEAR, LAST_YEAR) == (years[0], years[-1])


@pytest.mark.parametrize("command", QUERIES)
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1952-12-31", "2101-01-01"])
def test_an_as_of_outside_the_calendar_is_a_usage_error_naming_the_option(
    capsys: pytest.CaptureFixture[str], extract: str, command: str, day: str
) -> None:
    """F22: compliance, availability and utilisation crashed with OverflowError at 9999-12-31."""
    status, out, err = run(capsys, command, "--source", extract, "--as-of", day)
    assert (2, "") == (status, out)
    last = err.splitlines()[-1]
    assert f"argument --as-of: {day} is outside the years the legal calendar covers" in last
    assert f"({FIRST_YEAR}-{LAST_YEAR})" in last
    assert "OverflowError" not in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (("compliance", "--from", "1900-01"), "--from"),
        (("compliance", "--to", "9999-12"), "--to"),
        (("availability", "--from", "9999-12-31"), "--from"),
        (("availability", "--to", "0001-01-01"), "--to"),
        (("utilisation", "--from", "1952-12-31"), "--from"),
        (("utilisation", "--districts", "--to", "2101-01-01"), "--to"),
        (("districts", "--on", "9999-12-31"), "--on"),
    ],
)
def test_from_and_to_outside_the_calendar_are_usage_errors_naming_the_option(
    capsys: pytest.CaptureFixture[str], extract: str, argv: tuple[str, ...], option: str
) -> None:
    """F22: the period's options are checked like --as-of."""
    status, out, err = run(capsys, *argv, "--source", extract)
    assert (2, "") == (status, out)
    assert f"argument {option}: " in err.splitlines()[-1]
    assert "outside the years the legal calendar covers" in err


@pytest.mark.parametrize("command", ["compliance", "availability", "utilisation", "need", "plan"])
@pytest.mark.parametrize("day", [f"{FIRST_YEAR}-01-01", f"{LAST_YEAR}-12-31"])
def test_the_first_and_last_day_of_the_calendar_are_answered(
    capsys: pytest.CaptureFixture[str], extract: str, command: str, day: str
) -> None:
    """The bounds themselves work; availability's four weeks may run into 2101 (no calendar)."""
    status, out, err = run(capsys, command, "--source", extract, "--as-of", day, "-f", "csv")
    assert 0 == status, err
    assert "error" not in err
    assert "," in out.splitlines()[0]  # the CSV header, and the rows if any


def test_availability_four_weeks_from_the_last_covered_day(
    capsys: pytest.CaptureFixture[str], extract: str
) -> None:
    """2100-12-31 plus 27 days is 2101-01-27: 28 days for m1, all free (no assignment then)."""
    argv = ("availability", "--source", extract, "--as-of", "2100-12-31", "-f", "csv")
    status, out, _ = run(capsys, *argv)
    assert 0 == status
    lines = out.splitlines()
    assert 29 == len(lines)
    assert "m1,2100-12-31,1.0" == lines[1]
    assert "m1,2101-01-27,1.0" == lines[-1]


# -- query part: a date of the data that cannot be computed with ------------------------------


@pytest.mark.parametrize("year", ["1900", "0001", "9999"])
@pytest.mark.parametrize("command", [("costs",), ("compliance",), ("utilisation", "--districts")])
def test_an_assignment_outside_the_calendar_is_one_clear_error_not_a_crash(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, year: str, command: tuple[str, ...]
) -> None:
    """F28: `costs` on an assignment in 1900 said only "covers 1953-2100, not 1900".

    Refused at load (with the column named) or when computed (naming the
    calendar's years): exit 1, "socforst: error:" first, no traceback, no
    OverflowError.
    """
    folder = tmp_path / "y2"
    folder.mkdir()
    (folder / "assignments.csv").write_text(
        f"assignment_id,member_id,district,start,end\na1,m1,farsta,{year}-01-01,{year}-02-01\n",
        encoding="utf-8",
    )
    (folder / "members.csv").write_text(
        "member_id,team_id,employed_from\nm1,t1,0001-01-01\n", encoding="utf-8"
    )
    status, out, err = run(capsys, *command, "--source", f"csv:{folder}", "--as-of", "2025-03-01")
    assert (1, "") == (status, out)
    assert err.startswith("socforst: error:")
    assert "Traceback" not in err
    assert "OverflowError" not in err
    assert "unexpected" not in err
    assert "1953" in err or "column 'start'" in err or "column 'end'" in err


def test_an_overflow_in_a_query_is_one_line_naming_the_calendar(
    capsys: pytest.CaptureFixture[str], extract: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F22: an OverflowError from date arithmetic on the data becomes one line, exit 1."""

    def overflowing(*args: object, **kwargs: object) -> None:
        raise OverflowError("date value out of range")

    monkeypatch.setattr(queries, "compliance", overflowing)
    status, out, err = run(capsys, "compliance", "--source", extract, "--as-of", "2025-03-01")
    assert (1, "") == (status, out)
    assert [
        "socforst: error: a date of the data lies too far in the past or the future to "
        f"compute with; the legal calendar covers {FIRST_YEAR}-{LAST_YEAR}"
    ] == err.splitlines()


def test_a_calendar_range_error_from_the_data_is_one_line_saying_where_to_look(
    capsys: pytest.CaptureFixture[str], extract: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F28: the calendar's own error, with what lies outside it, exit 1."""

    def outside(*args: object, **kwargs: object) -> None:
        raise CalendarRangeError(1900, FIRST_YEAR, LAST_YEAR)

    monkeypatch.setattr(queries, "costs", outside)
    status, out, err = run(capsys, "costs", "--source", extract)
    assert (1, "") == (status, out)
    assert [
        "socforst: error: the Swedish legal calendar covers 1953-2100, not 1900: a date of "
        "the data or the options lies outside it"
    ] == err.splitlines()


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (("plan", "--min-days", "36526"), "--min-days"),
        (("plan", "--max-months", "1201"), "--max-months"),
        (("deadlines", "--due-soon-days", "99999999999"), "--due-soon-days"),
    ],
)
def test_a_number_of_days_or_months_beyond_a_century_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], extract: str, argv: tuple[str, ...], option: str
) -> None:
    """F22: `plan --min-days 99999999999` overflowed the date arithmetic; now exit 2."""
    status, out, err = run(capsys, *argv, "--source", extract)
    assert (2, "") == (status, out)
    assert f"argument {option}: must be at most" in err.splitlines()[-1]


def test_a_century_of_days_and_months_is_still_answered(
    capsys: pytest.CaptureFixture[str], extract: str
) -> None:
    """The limits themselves are accepted: no request to plan, nothing due, exit 0."""
    argv = ("plan", "--source", extract, "--as-of", "2025-03-01", "-f", "csv")
    status, out, _ = run(capsys, *argv, "--min-days", "36525", "--max-months", "1200")
    assert 0 == status
    assert out.startswith("request_id,")
    argv = ("deadlines", "--source", extract, "--as-of", "2025-03-01", "-f", "csv")
    status, out, _ = run(capsys, *argv, "--due-soon-days", "36525")
    assert 0 == status
    assert ["kind,subject_id,district,starts_on,due_on,met_on,status,reference"] == out.splitlines()
