"""Red-team category 7: dangling references and contradictory data (F6), and absent columns.

Each case is written from the report's reproduction: a hand-made CSV folder
that loaded silently at commit 044b0c8 and skewed the answers. Now each is
refused at load with one error naming the file, table, row and column (never
the id), listed by ``socforst check`` and failing every other command.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from socforst import LoadError, RowError, open_source
from socforst.cli import main

# An id that is a name: an unknown reference is described, never shown.
UNKNOWN = "bo.berg"

MEMBERS = ("member_id,team_id,employed_from", "m1,t1,2016-01-04")
TEAMS = ("team_id,name", "t1,Team 1")
REQUESTS = (
    "request_id,district,received_on,start,end",
    "q1,farsta,2025-02-01,2025-03-03,2025-03-28",
)
REPORTS = ("report_id,district,received_at", "r1,farsta,2025-03-03T10:00")
INVESTIGATIONS = ("investigation_id,district,opened_on", "i1,farsta,2025-03-10")
PLACEMENTS = ("placement_id,district,basis,started_on", "p1,farsta,sol,2024-06-03")

# F6, one case each of the report's list: the files, and the (file, row, column) refused.
CASES: dict[str, tuple[dict[str, tuple[str, ...]], tuple[str, int, str]]] = {
    "assignment of an unknown member": (
        {
            "members": MEMBERS,
            "assignments": (
                "assignment_id,member_id,district,start,end",
                f"a1,{UNKNOWN},farsta,2025-03-03,2025-03-28",
            ),
        },
        ("assignments", 2, "member_id"),
    ),
    "absence of an unknown member": (
        {
            "members": MEMBERS,
            "absences": ("member_id,start,end", f"{UNKNOWN},2025-03-03,2025-03-07"),
        },
        ("absences", 2, "member_id"),
    ),
    "assignment answering an unknown request": (
        {
            "requests": REQUESTS,
            "assignments": (
                "assignment_id,member_id,district,start,end,request_id",
                f"a1,m1,farsta,2025-03-03,2025-03-28,{UNKNOWN}",
            ),
        },
        ("assignments", 2, "request_id"),
    ),
    "investigation of an unknown report": (
        {
            "reports": REPORTS,
            "investigations": (
                "investigation_id,district,opened_on,report_id",
                f"i1,farsta,2025-03-10,{UNKNOWN}",
            ),
        },
        ("investigations", 2, "report_id"),
    ),
    "extension of an unknown investigation": (
        {
            "investigations": INVESTIGATIONS,
            "extensions": ("investigation_id,decided_on,until", f"{UNKNOWN},2025-06-01,2025-08-01"),
        },
        ("extensions", 2, "investigation_id"),
    ),
    "review of an unknown placement": (
        {
            "placements": PLACEMENTS,
            "reviews": ("placement_id,reviewed_on", f"{UNKNOWN},2024-12-01"),
        },
        ("reviews", 2, "placement_id"),
    ),
    "member of an unknown team": (
        {
            "teams": TEAMS,
            "members": ("member_id,team_id,employed_from", f"m1,{UNKNOWN},2016-01-04"),
        },
        ("members", 2, "team_id"),
    ),
    "preassessment decided before the report was received": (
        {
            "reports": (
                "report_id,district,received_at,preassessment_decided_on,preassessment_outcome",
                "r1,farsta,2025-03-03T10:00,2025-01-01,not_opened",
            )
        },
        ("reports", 2, "preassessment_decided_on"),
    ),
    "protection assessed before receipt": (
        {
            "reports": (
                "report_id,district,received_at,protection_assessed_at",
                "r1,farsta,2025-03-03T10:00,2025-03-03T09:00",
            )
        },
        ("reports", 2, "protection_assessed_at"),
    ),
    "extension until before its decision": (
        {
            "investigations": INVESTIGATIONS,
            "extensions": ("investigation_id,decided_on,until", "i1,2025-06-01,2025-05-01"),
        },
        ("extensions", 2, "until"),
    ),
    "review before the placement started": (
        {"placements": PLACEMENTS, "reviews": ("placement_id,reviewed_on", "p1,2024-06-01")},
        ("reviews", 2, "reviewed_on"),
    ),
    "custody care applied before the decision": (
        {
            "custodies": (
                "custody_id,district,decided_on,enforced_on,care_applied_on",
                "c1,farsta,2025-03-10,2025-03-10,2025-03-01",
            )
        },
        ("custodies", 2, "care_applied_on"),
    ),
    "custody enforced before the decision": (
        {
            "custodies": (
                "custody_id,district,decided_on,enforced_on",
                "c1,farsta,2025-03-10,2025-03-09",
            )
        },
        ("custodies", 2, "enforced_on"),
    ),
    "request received after its end": (
        {
            "requests": (
                "request_id,district,received_on,start,end",
                "q1,farsta,2025-04-01,2025-03-03,2025-03-28",
            )
        },
        ("requests", 2, "received_on"),
    ),
    "vacancies above positions": (
        {"staffing": ("district,on,positions,vacancies", "farsta,2025-01-01,10,12")},
        ("staffing", 2, "vacancies"),
    ),
    "turnover 50 (5,000 % a year)": (
        {"staffing": ("district,on,positions,turnover", "farsta,2025-01-01,10,50")},
        ("staffing", 2, "turnover"),
    ),
    "two cost rows for one year": (
        {
            "costs": (
                "year,team_cost_sek,consultant_rate_sek",
                "2025,9000000,1100",
                "2025,8000000,1000",
            )
        },
        ("costs", 3, "year"),
    ),
    "two staffing rows for one district and day": (
        {
            "staffing": (
                "district,on,positions",
                "farsta,2025-01-01,10",
                "farsta,2025-01-01,11",
            )
        },
        ("staffing", 3, "on"),
    ),
}


def _folder(root: Path, files: dict[str, tuple[str, ...]]) -> Path:
    folder = root / "k"
    folder.mkdir()
    for table, lines in files.items():
        (folder / f"{table}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("case", list(CASES))
def test_f6_a_contradiction_is_refused_at_load_naming_file_row_and_column(
    tmp_path: Path, case: str
) -> None:
    """F6: the load fails with exactly this one error; its message does not show the id."""
    files, (table, row, column) = CASES[case]
    folder = _folder(tmp_path, files)
    with pytest.raises(LoadError) as caught:
        open_source(f"csv:{folder}").read()
    errors = [e for e in caught.value.exceptions if isinstance(e, RowError)]
    assert len(caught.value.exceptions) == len(errors)
    found = [(e.source, e.table, e.row, e.column) for e in errors]
    assert [(str(folder / f"{table}.csv"), table, row, column)] == found
    assert "berg" not in str(caught.value.exceptions[0])


@pytest.mark.parametrize("case", list(CASES))
def test_f6_socforst_check_lists_the_contradiction_and_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str
) -> None:
    """F6: `socforst check` prints the one problem on one line; the compliance query fails too."""
    files, (table, row, column) = CASES[case]
    folder = _folder(tmp_path, files)
    assert 1 == main(["check", "--source", f"csv:{folder}"])
    out = capsys.readouterr().out.splitlines()
    assert 1 == len(out)
    assert out[0].startswith(f"{folder / table}.csv: {table}, row {row}, column '{column}': ")
    assert 1 == main(["compliance", "--source", f"csv:{folder}", "--as-of", "2025-03-31"])


def test_f6_the_reproduction_no_longer_counts_a_decision_before_the_report_as_met(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """F6: the report's command printed 100 % met; now it fails with the row named."""
    files, _ = CASES["preassessment decided before the report was received"]
    folder = _folder(tmp_path, files)
    argv = ["compliance", "--source", f"csv:{folder}", "--as-of", "2025-03-31"]
    status = main([*argv, "--from", "2025-03", "--to", "2025-03", "-f", "csv"])
    captured = capsys.readouterr()
    assert 1 == status
    assert "" == captured.out
    assert "reports, row 2, column 'preassessment_decided_on'" in captured.err


def test_f6_utilisation_no_longer_counts_the_days_of_an_unknown_member(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """F6: `utilisation --districts` counted an unknown member's assignment; now the load fails."""
    files, _ = CASES["assignment of an unknown member"]
    folder = _folder(tmp_path, files)
    argv = ["utilisation", "--source", f"csv:{folder}", "--districts"]
    assert 1 == main([*argv, "--from", "2025-03-01", "--to", "2025-03-31"])
    assert "names a member that is not in the members table" in capsys.readouterr().err


def test_f6_without_a_members_file_an_assignment_cannot_be_checked_and_loads(
    tmp_path: Path,
) -> None:
    """Every file is optional: with no members table the members are unknown, not missing."""
    files, _ = CASES["assignment of an unknown member"]
    folder = _folder(tmp_path, {"assignments": files["assignments"]})
    assert 1 == len(open_source(f"csv:{folder}").read().assignments)


def test_f6_check_shows_the_roster_conflicts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """F6: the roster check found employment conflicts that no command showed; check does."""
    folder = _folder(
        tmp_path,
        {
            "members": (
                "member_id,team_id,employed_from,employed_to",
                "m1,t1,2016-01-04,2025-03-14",
            ),
            "assignments": (
                "assignment_id,member_id,district,start,end",
                "a1,m1,farsta,2025-03-03,2025-03-28",
            ),
        },
    )
    assert 1 == main(["check", "--source", f"csv:{folder}"])
    out = capsys.readouterr().out.splitlines()
    assert 1 == len(out)
    assert out[0].startswith("roster: employment: assignment 'a1' has days 2025-03-15..2025-03-28")


# -- a column that is absent is unknown, not "not done" ------------------------------------------

HEADER = "report_id,district,received_at,preassessment_decided_on,preassessment_outcome"


def _reports_folder(root: Path, *, protection_column: bool) -> Path:
    """Twelve reports of 2025-03-03..14 at 10:00, the first eight decided five days later.

    By hand, as of 2025-03-31 in strict calendar days: 12 protection assessments
    due on the day of receipt; 12 preassessments due 14 days later (2025-03-17..28):
    8 met, 4 overdue.
    """
    lines = [HEADER + (",protection_assessed_at" if protection_column else "")]
    for day in range(3, 15):
        decided = f"2025-03-{day + 5:02d},not_opened" if day < 11 else ","
        lines.append(
            f"r{day},farsta,2025-03-{day:02d}T10:00,{decided}" + ("," if protection_column else "")
        )
    return _folder(root, {"reports": tuple(lines)})


def _deadlines(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> tuple[int, list[dict[str, str]], str]:
    argv = ["deadlines", "--source", f"csv:{folder}", "--as-of", "2025-03-31"]
    status = main([*argv, "--status", "all", "-f", "csv"])
    captured = capsys.readouterr()
    return status, list(csv.DictReader(io.StringIO(captured.out))), captured.err


def test_absent_protection_column_leaves_the_protection_assessments_out_with_one_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Issue 9: a folder that follows the docs got false overdue rows; now 8 met and 4 overdue."""
    status, rows, err = _deadlines(capsys, _reports_folder(tmp_path, protection_column=False))
    assert 0 == status
    assert {"preassessment"} == {row["kind"] for row in rows}
    assert [8, 4] == [sum(row["status"] == s for row in rows) for s in ("met", "overdue")]
    warnings = [line for line in err.splitlines() if "warning:" in line]
    assert 1 == len(warnings)
    assert "'reports'" in warnings[0]
    assert "'protection_assessed_at'" in warnings[0]
    assert "12 deadlines were left out" in warnings[0]


def test_a_present_protection_column_with_empty_cells_means_not_done(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The same reports with an empty protection_assessed_at column: 12 more overdue, no warning."""
    status, rows, err = _deadlines(capsys, _reports_folder(tmp_path, protection_column=True))
    assert 0 == status
    assert 24 == len(rows)
    assert 16 == sum(row["status"] == "overdue" for row in rows)
    assert "warning:" not in err
