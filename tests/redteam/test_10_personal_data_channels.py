"""Red-team category 10: other personal-data channels (F14, F15).

The command line echoed identity numbers and names typed as option values and
in file names, and ``SOCFORST_DEBUG=1`` printed whole rows (SQL parameters).
Now every line on standard error is masked, values in messages go through
:func:`socforst.errors.shown`, and the debug traceback lists frames and types
only. Every identity number here is made up.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sqlite3
import sys
import warnings
from pathlib import Path

import pytest

import socforst
from socforst import queries
from socforst.cli import main
from socforst.demo import demo_dataset

# Made-up personal identity numbers in the spellings the report tried (F10, F11).
PINS = (
    "811218-9876",
    "8112189876",
    "19811218-9876",
    "198112189876",
    "811218+9876",
    "811218 9876",
    "811218.9876",
    "811218_9876",
    "811218\u20139876",
    "701063-2391",
)
NAME = "Anna Andersson"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def digits(pin: str) -> str:
    """The ten digits after the century: the part of a number that identifies the person."""
    only = re.sub(r"\D", "", pin)
    return only[-10:]


def assert_nothing_personal(text: str, pin: str = "811218-9876") -> None:
    """Neither the number (in any spelling: its last ten digits, its halves joined) nor the name."""
    flat = re.sub(r"\D", "", text)
    assert digits(pin) not in flat
    assert pin not in text
    assert "Anna" not in text
    assert "Andersson" not in text


@pytest.fixture
def extract(tmp_path: Path) -> str:
    """A small CSV extract with one team, member, assignment and staffing row."""
    folder = tmp_path / "extract"
    folder.mkdir()
    files = {
        "teams.csv": "team_id,name,founded_on\nt1,Team one,2016-01-04\n",
        "members.csv": "member_id,team_id,employed_from\nm1,t1,2016-01-04\n",
        "assignments.csv": (
            "assignment_id,member_id,district,start,end\na1,m1,farsta,2025-01-01,2025-02-01\n"
        ),
        "staffing.csv": "district,on,positions,vacancies\nfarsta,2025-01-01,10,1\n",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return f"csv:{folder}"


# -- CLI echo (F15) ------------------------------------------------------------------------------


@pytest.mark.parametrize("pin", PINS)
@pytest.mark.parametrize(
    "argv",
    [
        ("deadlines", "--member", "{value}"),
        ("deadlines", "--district", "{value}"),
        ("deadlines", "--kind", "{value}"),
        ("deadlines", "--status", "{value}"),
        ("deadlines", "--as-of", "{value}"),
        ("deadlines", "--format", "{value}"),
        ("availability", "--team", "{value}"),
        ("availability", "--from", "{value}"),
        ("availability", "--stretches", "--min-extent", "{value}"),
        ("utilisation", "--team", "{value}"),
        ("compliance", "--from", "{value}"),
        ("need", "--weight", "{value}=1"),
        ("deadlines", "{value}"),
        ("{value}",),
    ],
)
def test_a_number_typed_as_an_option_value_is_never_echoed(
    capsys: pytest.CaptureFixture[str], extract: str, argv: tuple[str, ...], pin: str
) -> None:
    """F15: `--member PNR` printed "no record with id 'PNR'"; now described, exit 1 or 2."""
    typed = [part.format(value=pin) for part in argv]
    status, out, err = run(capsys, *typed, "--source", extract)
    assert status in (1, 2)
    assert err
    assert_nothing_personal(out + err, pin)


@pytest.mark.parametrize(
    "argv",
    [
        ("deadlines", "--member", NAME),
        ("availability", "--team", NAME),
        ("deadlines", "--district", NAME),
        ("deadlines", "--kind", NAME),
        ("deadlines", "--status", NAME),
        ("need", "--weight", f"{NAME}=1"),
        ("need", "--weight", f"turnover={NAME}"),
        ("deadlines", "--as-of", NAME),
    ],
)
def test_a_name_typed_as_an_option_value_is_never_echoed(
    capsys: pytest.CaptureFixture[str], extract: str, argv: tuple[str, ...]
) -> None:
    """F15: `--team "Anna Andersson"` printed the name back; now its length only."""
    status, out, err = run(capsys, *argv, "--source", extract)
    assert status in (1, 2)
    assert "14 characters" in err
    assert_nothing_personal(out + err)


@pytest.mark.parametrize("pin", ["811218-9876", "811218 9876", "19811218.9876"])
def test_a_number_in_a_source_or_output_path_is_masked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pin: str
) -> None:
    """F15: every error line repeated the source path; the number in it is masked."""
    folder = tmp_path / f"case-{pin}"
    status, _, err = run(capsys, "deadlines", "--source", f"csv:{folder}")
    assert 1 == status
    assert "<personnummer>" in err
    assert_nothing_personal(err, pin)
    status, _, err = run(capsys, "deadlines", "-o", str(folder / "out.csv"))
    assert 1 == status
    assert "<personnummer>" in err
    assert_nothing_personal(err, pin)


def test_a_number_in_an_export_target_is_masked_in_the_summary_line(
    capsys: pytest.CaptureFixture[str], extract: str, tmp_path: Path
) -> None:
    """The line `wrote N records from SOURCE to TARGET` is a message too."""
    target = tmp_path / "811218-9876"
    status, out, err = run(capsys, "export", "--source", extract, f"csv:{target}")
    assert (0, "") == (status, err)
    assert out.startswith("wrote 4 records from ")
    assert_nothing_personal(out)
    assert (target / "members.csv").is_file()


class ResourceWarningLike(UserWarning):
    """A warning of some library's own class."""


def test_a_warning_that_quotes_a_number_is_masked(
    capsys: pytest.CaptureFixture[str], extract: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Warnings are printed through the same mask as errors, whatever raised them."""

    def warning_query(*args: object, **kwargs: object) -> tuple[()]:
        warnings.warn(f"odd value 811218-9876 for {NAME}", UserWarning, stacklevel=2)
        warnings.warn("a value 19811218 9876 in a library", ResourceWarningLike, stacklevel=2)
        return ()

    monkeypatch.setattr(queries, "deadlines_on", warning_query)
    status, _, err = run(capsys, "deadlines", "--source", extract)
    assert 0 == status
    assert "socforst: warning: odd value <personnummer> for" in err
    assert "socforst: warning: a value <personnummer> in a library" in err
    assert_nothing_personal(err.replace(NAME, ""))


def test_a_source_path_with_a_number_is_masked_in_the_progress_line(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    extract: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The progress line on a terminal names the source: masked too."""
    folder = tmp_path / "811218-9876"
    shutil.copytree(extract.removeprefix("csv:"), folder)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "500")
    status, _, err = run(capsys, "deadlines", "--source", f"csv:{folder}")
    assert 0 == status
    assert "reading csv:" in err
    assert_nothing_personal(err)


# -- debug output (F14) ----------------------------------------------------------------------------


def test_debug_output_shows_frames_and_types_but_no_message_or_parameters(
    capsys: pytest.CaptureFixture[str], extract: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F14: a database error's parameters (a row of names) and the chained message stay out."""

    def failing_query(*args: object, **kwargs: object) -> None:
        try:
            raise sqlite3.IntegrityError(f"parameters: [('m01', '{NAME}', '811218-9876')]")
        except sqlite3.Error as error:
            raise RuntimeError(f"row of {NAME}, 811218-9876") from error

    monkeypatch.setattr(queries, "deadlines_on", failing_query)
    monkeypatch.setenv("SOCFORST_DEBUG", "1")
    status, out, err = run(capsys, "deadlines", "--source", extract)
    assert (1, "") == (status, out)
    lines = err.splitlines()
    assert "sqlite3.IntegrityError" in lines
    assert "RuntimeError" in lines
    assert "The above exception was the direct cause of the following exception:" in lines
    assert any(line.endswith(", in failing_query") for line in lines)
    assert lines[-1].startswith("socforst: error: unexpected RuntimeError")
    assert "parameters" not in err
    assert_nothing_personal(err)


def test_debug_output_keeps_socforst_messages_which_are_filtered(
    capsys: pytest.CaptureFixture[str], extract: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A SocforstError in the chain keeps its message (it shows no personal data)."""

    def failing_query(*args: object, **kwargs: object) -> None:
        try:
            raise socforst.ValidationError("member_id", "is not in the table 'members'")
        except socforst.ValidationError as error:
            raise KeyError(NAME) from error

    monkeypatch.setattr(queries, "deadlines_on", failing_query)
    monkeypatch.setenv("SOCFORST_DEBUG", "1")
    status, _, err = run(capsys, "deadlines", "--source", extract)
    assert 1 == status
    assert "socforst.errors.ValidationError: 'member_id' is not in the table 'members'" in err
    assert "KeyError" in err.splitlines()
    assert_nothing_personal(err)


def test_debug_export_to_a_database_of_an_older_layout_shows_no_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F14's reproduction: exporting names into a `members` table without a `name` column."""
    source = tmp_path / "x"
    source.mkdir()
    (source / "members.csv").write_text(
        f"member_id,team_id,name,employed_from\nm01,t1,{NAME},2016-01-01\n", encoding="utf-8"
    )
    database = tmp_path / "old.db"
    with sqlite3.connect(database) as connection:
        connection.execute(
            "create table members(row_number integer primary key, member_id text, "
            "team_id text, employed_from text)"
        )
    connection.close()
    monkeypatch.setenv("SOCFORST_DEBUG", "1")
    argv = ("export", "--source", f"csv:{source}", f"sqlite:{database}", "--force")
    status, out, err = run(capsys, *argv)
    assert (1, "") == (status, out)
    assert "parameters" not in err
    assert_nothing_personal(err)


@pytest.mark.parametrize("form", ["table", "csv", "json"])
def test_the_demo_citys_member_names_never_reach_a_query_or_an_error(
    capsys: pytest.CaptureFixture[str], form: str
) -> None:
    """Names are in members.csv only: no query output or message shows one."""
    window = ("--source-option", "start=2025-01-01", "--source-option", "end=2025-01-31")
    city = demo_dataset(start=dt.date(2025, 1, 1), end=dt.date(2025, 1, 31))
    names = {member.name for member in city.members if member.name}
    assert names
    for command in ("deadlines", "availability", "plan", "need"):
        _, out, err = run(capsys, command, *window, "--as-of", "2025-01-31", "-f", form)
        for name in names:
            assert name not in out + err
