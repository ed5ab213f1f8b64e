"""The command line: each subcommand on small hand-made datasets, errors, progress, help."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

import socforst
from socforst import (
    Absence,
    Assignment,
    Dataset,
    Report,
    Request,
    Staffing,
    Team,
    TeamMember,
    YearlyCost,
    queries,
)
from socforst.cli import main, render
from socforst.demo import demo_dataset
from socforst.privacy import pseudonymize

d = dt.date
AS_OF = "2025-03-20"
PRE = "SoL (2001:453) 11 kap. 1 a §"
DEADLINE_HEADER = "kind,subject_id,district,starts_on,due_on,met_on,status,reference"
COMMANDS = (
    "districts",
    "deadlines",
    "compliance",
    "availability",
    "utilisation",
    "costs",
    "need",
    "plan",
    "export",
    "sources",
    "pseudonymize",
    "demo",
)


def _report(report_id: str, district: str, day: int, **more: object) -> Report:
    # Protection assessed at once: only the preassessment can be open.
    at = dt.datetime(2025, 3, day, 10, 0)
    return Report(
        report_id=report_id,
        district=district,
        received_at=at,
        protection_assessed_at=at,
        **more,  # type: ignore[arg-type]
    )


def small_city() -> Dataset:
    """A city whose answers on 2025-03-20 are worked out by hand in the tests.

    Preassessments (14 days from the day received, SoL 11 kap. 1 a §):

    - r1 farsta, received Mon 03-03, due Mon 03-17, not decided: overdue on 03-20.
    - r2 farsta, received Mon 03-17, due 03-31, not decided: open (11 days left).
    - r3 farsta, received Tue 03-04, due 03-18, decided 03-10: met.
    - r4 jarva, received Sun 03-09, due Sun 03-23 (3 days left): due soon; with
      the roll-forward of Lag (1930:173) 2 § due Mon 03-24 (4 days left): open.
    """
    return Dataset(
        teams=[Team("t1", "Team one", d(2016, 1, 4))],
        members=[
            TeamMember(member_id="m1", team_id="t1", employed_from=d(2020, 1, 1)),
            TeamMember(member_id="m2", team_id="t1", employed_from=d(2025, 3, 21), extent=0.5),
        ],
        absences=[Absence("m1", d(2025, 3, 24), d(2025, 3, 25), "vacation")],
        assignments=[
            Assignment(
                assignment_id="a1",
                member_id="m1",
                district="farsta",
                start=d(2025, 3, 19),
                end=d(2025, 3, 21),
                extent=0.5,
                status="active",
            )
        ],
        requests=[
            Request(
                request_id="q1",
                district="farsta",
                received_on=d(2025, 3, 1),
                start=d(2025, 4, 7),
                end=d(2025, 4, 11),
            ),
            Request(
                request_id="q2",
                district="jarva",
                received_on=d(2025, 3, 2),
                start=d(2025, 4, 7),
                end=d(2025, 4, 11),
                task="lvu",
            ),
        ],
        staffing=[
            Staffing(district="farsta", on=d(2025, 1, 1), positions=10, vacancies=1),
            Staffing(district="jarva", on=d(2025, 1, 1), positions=10, vacancies=3),
        ],
        costs=[YearlyCost(year=2025, team_cost_sek=10_000, consultant_rate_sek=1_000)],
        reports=[
            _report("r1", "farsta", 3, member_id="m1"),
            _report("r2", "farsta", 17),
            _report("r3", "farsta", 4, preassessment_decided_on=d(2025, 3, 10)),
            _report("r4", "jarva", 9),
        ],
    )


@pytest.fixture
def city(tmp_path: Path) -> str:
    """The small city written as a CSV folder; its source spec."""
    folder = tmp_path / "city"
    socforst.open_exporter(f"csv:{folder}").write_dataset(small_city())
    return f"csv:{folder}"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# -- deadlines ------------------------------------------------------------------------------


def test_deadlines_csv_has_exactly_the_deadline_output_columns_and_the_rows_by_hand(
    capsys: pytest.CaptureFixture[str], city: str
) -> None:
    """Overdue and due soon on 2025-03-20: r1 overdue, r4 due soon, by due date."""
    status, out, err = run(capsys, "deadlines", "--source", city, "--as-of", AS_OF, "-f", "csv")
    assert 0 == status
    assert "" == err
    expected = [
        DEADLINE_HEADER,
        f"preassessment,r1,farsta,2025-03-03,2025-03-17,,overdue,{PRE}",
        f"preassessment,r4,jarva,2025-03-09,2025-03-23,,due_soon,{PRE}",
    ]
    assert expected == out.splitlines()


def test_deadlines_with_the_roll_forward_reading_leave_the_sunday_due_date_open(
    capsys: pytest.CaptureFixture[str], city: str
) -> None:
    """r4's due date moves from Sunday 03-23 to Monday 03-24: four days left, not due soon."""
    argv = ("deadlines", "--source", city, "--as-of", AS_OF, "-f", "csv", "--roll-forward")
    _, out, _ = run(capsys, *argv)
    assert ["r1"] == [row["subject_id"] for row in csv_rows(out)]


def test_deadlines_status_all_lists_every_preassessment_and_protection_assessment(
    capsys: pytest.CaptureFixture[str], city: str
) -> None:
    """Four reports: four protection assessments met the same day, four preassessments."""
    argv = ("deadlines", "--source", city, "--as-of", AS_OF, "-f", "csv", "--status", "all")
    _, out, _ = run(capsys, *argv)
    found = {(row["kind"], row["subject_id"]): row for row in csv_rows(out)}
    statuses = {key: row["status"] for key, row in found.items()}
    assert {
        ("protection_assessment", "r1"): "met",
        ("protection_assessment", "r2"): "met",
        ("protection_assessment", "r3"): "met",
        ("protection_assessment", "r4"): "met",
        ("preassessment", "r1"): "overdue",
        ("preassessment", "r2"): "open",
        ("preassessment", "r3"): "met",
        ("preassessment", "r4"): "due_soon",
    } == statuses
    assert "2025-03-10" == found["preassessment", "r3"]["met_on"]


def test_deadlines_filter_by_member_district_and_kind(
    capsys: pytest.CaptureFixture[str], city: str
) -> None:
    """m1 handled r1 only; jarva has r4 only; no protection assessment is overdue."""
    base = ("deadlines", "--source", city, "--as-of", AS_OF, "-f", "csv")
    _, out, _ = run(capsys, *base, "--member", "m1")
    assert ["r1"] == [row["subject_id"] for row in csv_rows(out)]
    _, out, _ = run(capsys, *base, "--district", "jarva")
    assert ["r4"] == [row["subject_id"] for row in csv_rows(out)]
    _, out, _ = run(capsys, *base, "--kind", "protection_assessment")
    assert [DEADLINE_HEADER] == out.splitlines()
    # Several kinds, comma-separated as --status takes statuses: all four reports owe
    # both, and every one of the eight deadlines is listed with --status all.
    _, out, _ = run(
        capsys, *base, "--kind", "protection_assessment, preassessment", "--status", "all"
    )
    listed = [(row["kind"], row["subject_id"]) for row in csv_rows(out)]
    assert 8 == len(listed)
    assert {"protection_assessment", "preassessment"} == {kind for kind, _ in listed}
    status, _, err = run(capsys, *base, "--kind", ",")
    assert 2 == status
    assert "comma-separated" in err


def test_deadlines_counted_by_district_and_by_member(
    capsys: pytest.CaptureFixture[str], city: str
) -> None:
    """One overdue in farsta, one due soon in jarva; r1 is m1's, r4 nobody's."""
    base = ("deadlines", "--source", city, "--as-of", AS_OF, "-f", "csv")
    _, out, _ = run(capsys, *base, "--by", "district")
    assert [
        "by,key,status,count",
        "district,farsta,overdue,1",
        "district,jarva,due_soon,1",
    ] == out.splitlines()
    _, out, _ = run(capsys, *base, "--by", "member")
    assert [
        "by,key,status,count",
        "member_id,m1,overdue,1",
        "member_id,,due_soon,1",
    ] == out.splitlines()


def test_deadlines_json_is_a_list_of_objects_with_iso_dates_and_null_for_missing(
    capsys: pytest.CaptureFixture[str], city: str
) -> None:
    """JSON keeps every field of the evaluated deadline, member_id included."""
    _, out, _ = run(capsys, "deadlines", "--source", city, "--as-of", AS_OF, "-f", "json")
    assert [
        {
            "kind": "preassessment",
            "subject_id": "r1",
            "district": "farsta",
            "starts_on": "2025-03-03",
            "due_on": "2025-03-17",
            "met_on": None,
            "status": "overdue",
            "reference": PRE,
            "exceptional_reason": None,
            "member_id": "m1",
        },
        {
            "kind": "preassessment",
            "subject_id": "r4",
            "district": "jarva",
            "starts_on": "2025-03-09",
            "due_on": "2025-03-23",
            "met_on": None,
            "status": "due_soon",
            "reference": PRE,
            "exceptional_reason": None,
            "member_id": None,
        },
    ] == json.loads(out)


def test_deadlines_on_a_short_demo_city_keep_to_their_statuses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every deadline listed is overdue (due before the day) or due within three days."""
    as_of = d(2025, 2, 28)
    argv = (
        "deadlines",
        "--source",
        "demo",
        "--source-option",
        "start=2025-01-01",
        "--source-option",
        "end=2025-02-28",
        "--as-of",
        as_of.isoformat(),
        "-f",
        "json",
    )
    status, out, _ = run(capsys, *argv)
    assert 0 == status
    rows = json.loads(out)
    assert rows
    for row in rows:
        due = d.fromisoformat(row["due_on"])
        assert row["met_on"] is None
        if row["status"] == "overdue":
            assert due < as_of
        else:
            assert "due_soon" == row["status"]
            assert 0 <= (due - as_of).days <= 3
    city = demo_dataset(start=d(2025, 1, 1), end=as_of)
    assert len(queries.deadlines_on(city, as_of)) == len(rows)


# -- the other queries --------------------------------------------------------------------------


def test_compliance_counts_the_settled_preassessments_of_the_month(
    capsys: pytest.CaptureFixture[str], city: str
) -> None:
    """On 03-20, farsta owes r1 (late) and r3 (met); r2 and r4 are not yet due under both."""
    argv = ("compliance", "--source", city, "--as-of", AS_OF, "--from", "2025-03", "-f", "csv")
    _, out, _ = run(capsys, *argv)
    assert [
        "district,month,final,owed,still_open,met_strict,met_roll_forward,justified_strict,"
        "justified_roll_forward,late_strict,late_roll_forward,share_strict,share_roll_forward,"
        "difference",
        "farsta,2025-03-01,false,2,1,1,1,0,0,1,1,0.5,0.5,0.0",
        "jarva,2025-03-01,false,0,1,0,0,0,0,0,0,,,",
    ] == out.splitlines()


def test_free_stretches_as_an_aligned_table(capsys: pytest.CaptureFixture[str], city: str) -> None:
    """m1: half free 19-21 (a1), free 22-23, absent 24-25; m2: half time from the 21st."""
    argv = ("availability", "--source", city, "--from", "2025-03-19", "--to", "2025-03-25")
    _, out, _ = run(capsys, *argv, "--stretches", "--min-extent", "0.5")
    assert (
        "member_id  start       end         days\n"
        "---------  ----------  ----------  ----\n"
        "m1         2025-03-19  2025-03-23     5\n"
        "m2         2025-03-21  2025-03-25     5\n"
        "(2 rows)\n"
    ) == out
    _, out, _ = run(capsys, *argv, "--stretches", "-f", "csv")
    assert ["member_id,start,end,days", "m1,2025-03-22,2025-03-23,2"] == out.splitlines()


def test_availability_gives_the_free_extent_of_every_member_and_day(
    capsys: pytest.CaptureFixture[str], city: str
) -> None:
    """Free extent: the extent less assignments, 0 when absent or not employed."""
    argv = ("availability", "--source", city, "--from", "2025-03-19", "--to", "2025-03-25")
    _, out, _ = run(capsys, *argv, "-f", "csv")
    free = {(row["member_id"], row["day"]): float(row["free_extent"]) for row in csv_rows(out)}
    m1 = [0.5, 0.5, 0.5, 1.0, 1.0, 0.0, 0.0]
    m2 = [0.0, 0.0, 0.5, 0.5, 0.5, 0.5, 0.5]
    days = [f"2025-03-{day}" for day in range(19, 26)]
    expected = {("m1", day): v for day, v in zip(days, m1, strict=True)}
    expected |= {("m2", day): v for day, v in zip(days, m2, strict=True)}
    assert expected == free


def test_utilisation_of_a_working_week_per_member_and_team(
    capsys: pytest.CaptureFixture[str], city: str
) -> None:
    """Mon 17 to Fri 21 March: m1 5 days, 1.5 assigned; m2 one half day; team 1.5 of 5.5."""
    argv = ("utilisation", "--source", city, "--from", "2025-03-17", "--to", "2025-03-21")
    _, out, _ = run(capsys, *argv, "-f", "json")
    shares = [(r["level"], r["member_id"], r["capacity_days"], r["share"]) for r in json.loads(out)]
    assert [
        ("member", "m1", 5.0, 0.3),
        ("member", "m2", 0.5, 0.0),
        ("team", None, 5.5, 0.272727),
    ] == shares


def test_utilisation_per_district_counts_working_days_times_extent(
    capsys: pytest.CaptureFixture[str], city: str
) -> None:
    """a1: three working days at half time in farsta."""
    _, out, _ = run(capsys, "utilisation", "--source", city, "--districts", "-f", "csv")
    assert ["district,year,days", "farsta,2025,1.5"] == out.splitlines()


def test_costs_print_the_assumptions_first_on_stderr_for_csv(
    capsys: pytest.CaptureFixture[str], city: str
) -> None:
    """1.5 days at 8 h and 1,000 SEK: 12,000 SEK of consultants against the team's 10,000."""
    status, out, err = run(capsys, "costs", "--source", city, "-f", "csv")
    assert 0 == status
    assert [
        "year,district,team_days,share_of_days,team_cost_sek,consultant_cost_sek,saving_sek",
        "2025,farsta,1.5,1.0,10000.0,12000.0,2000.0",
        "2025,all,1.5,1.0,10000.0,12000.0,2000.0",
    ] == out.splitlines()
    assert err.startswith("Assumptions:")
    assert "1000 SEK an hour" in err


def test_costs_table_prints_the_assumptions_before_the_table(
    capsys: pytest.CaptureFixture[str], city: str
) -> None:
    """In a table the assumptions are part of the output, above the rows."""
    _, out, err = run(capsys, "costs", "--source", city)
    assert "" == err
    assert out.startswith("Assumptions:")
    assert out.index("Assumptions:") < out.index("consultant_cost_sek")


def test_need_ranks_by_weighted_factors_and_weights_can_be_changed(
    capsys: pytest.CaptureFixture[str], city: str
) -> None:
    """Farsta: 2 open per 10 positions, 10 % vacant; Järva: 1 per 10, 30 % vacant.

    Min-max over the two: farsta 0.4 x 1 = 0.4, jarva 0.25 x 1 = 0.25; with the
    vacancy weight set to 1, jarva 1.0 comes before farsta's 0.4.
    """
    base = ("need", "--source", city, "--as-of", AS_OF, "-f", "csv")
    _, out, _ = run(capsys, *base)
    top = [(r["rank"], r["district"], float(r["score"])) for r in csv_rows(out)[:2]]
    assert [("1", "farsta", 0.4), ("2", "jarva", 0.25)] == top
    _, out, _ = run(capsys, *base, "--weight", "vacancy_rate=1")
    top = [(r["rank"], r["district"], float(r["score"])) for r in csv_rows(out)[:2]]
    assert [("1", "jarva", 1.0), ("2", "farsta", 0.4)] == top


def test_need_table_shows_the_weights_and_each_factor(
    capsys: pytest.CaptureFixture[str], city: str
) -> None:
    """The weights head the table; each factor is a column."""
    _, out, _ = run(capsys, "need", "--source", city, "--as-of", AS_OF, "--weight", "turnover=0")
    lines = out.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("rank"))
    weights = " ".join(lines[:start])
    assert f"Need on {AS_OF}; weights:" in weights
    assert "backlog_per_position 0.4," in weights
    assert "turnover 0," in weights
    header = lines[start].split()
    for factor in queries.NEED_FACTORS:
        assert factor in header


def test_plan_suggests_a_free_member_and_names_the_missing_competence(
    capsys: pytest.CaptureFixture[str], city: str
) -> None:
    """q1 (full time, no task) goes to m1 (m2 is half time); nobody has lvu for q2."""
    _, out, _ = run(capsys, "plan", "--source", city, "--as-of", AS_OF, "-f", "json")
    rows = {row["request_id"]: row for row in json.loads(out)}
    assert ("suggested", "m1") == (rows["q1"]["outcome"], rows["q1"]["member_id"])
    assert ("uncovered", None) == (rows["q2"]["outcome"], rows["q2"]["member_id"])
    assert any("lvu" in reason for reason in rows["q2"]["reasons"])


def test_plan_table_lists_the_reasons_under_the_rows(
    capsys: pytest.CaptureFixture[str], city: str
) -> None:
    """The summary line, the table without reasons, then each row's reasons."""
    _, out, _ = run(capsys, "plan", "--source", city, "--as-of", AS_OF)
    assert out.startswith(f"Plan on {AS_OF}: 1 suggested, 1 uncovered, 0 skipped.")
    reasons = out[out.index("Reasons:") :]
    assert "q1 to m1:" in reasons
    assert "q2 uncovered:" in reasons


def test_districts_on_a_day_before_the_2020_merger(
    capsys: pytest.CaptureFixture[str], city: str
) -> None:
    """Stockholm had 14 districts in 2019; Älvsjö ended 2020-06-30 into Hägersten-Älvsjö."""
    _, out, _ = run(capsys, "districts", "--source", city, "--on", "2019-06-01", "-f", "csv")
    rows = {row["code"]: row for row in csv_rows(out)}
    assert 14 == len(rows)
    alvsjo = rows["alvsjo"]
    assert ("2020-06-30", "hagersten-alvsjo") == (alvsjo["valid_to"], alvsjo["successor"])
    assert "jarva" not in rows


# -- other commands ----------------------------------------------------------------------------


def test_sources_lists_the_built_in_adapters(capsys: pytest.CaptureFixture[str]) -> None:
    """The CSV and demo sources read; the CSV and iCalendar exporters write."""
    _, out, _ = run(capsys, "sources", "-f", "json")
    found = {(row["kind"], row["name"]) for row in json.loads(out)}
    assert {("source", "csv"), ("source", "demo"), ("exporter", "csv"), ("exporter", "ics")} <= (
        found
    )


def test_export_writes_the_dataset_that_reads_back_the_same(
    capsys: pytest.CaptureFixture[str], city: str, tmp_path: Path
) -> None:
    """CSV in, JSON out: the JSON source reads the small city back."""
    target = tmp_path / "city.json"
    status, out, _ = run(capsys, "export", f"json:{target}", "--source", city)
    assert 0 == status
    assert "to json:" in out
    assert small_city() == socforst.open_source(f"json:{target}").read()


def test_demo_writes_the_demo_city_with_an_exporter(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A month of the demo city, as CSV files, holds what demo_dataset builds."""
    folder = tmp_path / "demo"
    argv = ("demo", f"csv:{folder}", "--start", "2025-01-01", "--end", "2025-01-31")
    status, _, _ = run(capsys, *argv)
    assert 0 == status
    written = socforst.open_source(f"csv:{folder}").read().counts()
    assert demo_dataset(start=d(2025, 1, 1), end=d(2025, 1, 31)).counts() == written


def _write_pin_folder(folder: Path) -> None:
    folder.mkdir()
    (folder / "members.csv").write_text(
        "member_id,team_id,name,employed_from\n811218-9876,t1,Anna,2020-01-01\n", encoding="utf-8"
    )


def test_pseudonymize_replaces_identity_numbers_with_the_keyed_pseudonym(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key comes from the variable --key-env names; names are dropped."""
    key = "a key for this test only, 32 bytes"
    monkeypatch.setenv("TEST_KEY", key)
    _write_pin_folder(tmp_path / "in")
    argv = ("pseudonymize", str(tmp_path / "in"), str(tmp_path / "out"), "--key-env", "TEST_KEY")
    status, out, _ = run(capsys, *argv, "-f", "csv")
    assert 0 == status
    assert "members,1" in out.splitlines()
    rows = csv_rows((tmp_path / "out" / "members.csv").read_text(encoding="utf-8"))
    assert [{"member_id": pseudonymize("811218-9876", key), "team_id": "t1"}] == [
        {name: row[name] for name in ("member_id", "team_id")} for row in rows
    ]
    assert "name" not in rows[0]


def test_pseudonymize_without_a_key_is_one_line_naming_the_variable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No key, no copy, no traceback."""
    monkeypatch.delenv("SOCFORST_PSEUDONYM_KEY", raising=False)
    _write_pin_folder(tmp_path / "in")
    status, _, err = run(capsys, "pseudonymize", str(tmp_path / "in"), str(tmp_path / "out"))
    assert 1 == status
    assert 1 == len(err.splitlines())
    assert "SOCFORST_PSEUDONYM_KEY" in err
    assert not (tmp_path / "out").exists()


# -- output -------------------------------------------------------------------------------------


def test_output_file_holds_what_stdout_would_and_no_temporary_file_is_left(
    capsys: pytest.CaptureFixture[str], city: str, tmp_path: Path
) -> None:
    """--output writes the same bytes atomically."""
    argv = ("deadlines", "--source", city, "--as-of", AS_OF, "-f", "csv")
    _, printed, _ = run(capsys, *argv)
    target = tmp_path / "out" / "deadlines.csv"
    target.parent.mkdir()
    status, out, _ = run(capsys, *argv, "--output", str(target))
    assert (0, "") == (status, out)
    assert printed == target.read_text(encoding="utf-8")
    assert ["deadlines.csv"] == [p.name for p in target.parent.iterdir()]


def test_source_from_the_environment_variable(
    capsys: pytest.CaptureFixture[str], city: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SOCFORST_SOURCE replaces the default demo source."""
    monkeypatch.setenv("SOCFORST_SOURCE", city)
    _, out, _ = run(capsys, "deadlines", "--as-of", AS_OF, "-f", "csv")
    assert ["r1", "r4"] == [row["subject_id"] for row in csv_rows(out)]


def test_render_writes_tuples_joined_and_none_empty() -> None:
    """Tuples join with '; ' in a table and '|' in CSV; None is an empty cell."""

    @attrs.frozen
    class Row:
        name: str
        tags: tuple[str, ...]
        note: str | None

    rows = [Row("a", ("x", "y"), None)]
    table, text = io.StringIO(), io.StringIO()
    render(rows, Row, table)
    render(rows, Row, text, format="csv")
    assert "name  tags  note\n----  ----  ----\na     x; y\n(1 row)\n" == table.getvalue()
    assert "name,tags,note\na,x|y,\n" == text.getvalue()


# -- errors --------------------------------------------------------------------------------------


def test_an_unknown_source_is_one_line_naming_the_known_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Exit status 1, no traceback."""
    status, out, err = run(capsys, "deadlines", "--source", "nosuch:x")
    assert (1, "") == (status, out)
    assert 1 == len(err.splitlines())
    assert err.startswith("socforst: error: no source named 'nosuch'")
    assert "csv" in err
    assert "demo" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ("deadlines", "--as-of", "2025-13-01"),
        ("compliance", "--from", "2025-3-x"),
        ("deadlines", "--status", "late,soon"),
        ("deadlines", "--format", "xml"),
        ("need", "--weight", "turnover"),
        ("availability", "--from", "2025-02-01", "--to", "2025-01-01"),
        ("utilisation", "--districts", "--team", "t1"),
        ("nosuchcommand",),
        (),
    ],
)
def test_usage_errors_exit_with_2(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    """The argument parser reports them with the usage; nothing is read."""
    status, out, err = run(capsys, *argv)
    assert (2, "") == (status, out)
    assert "error:" in err
    assert "Traceback" not in err


def test_a_bad_csv_lists_its_bad_rows_and_columns_up_to_twenty(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """25 bad extents: the load's message, 20 rows named by row and column, '... and 5 more'."""
    folder = tmp_path / "bad"
    folder.mkdir()
    lines = ["member_id,team_id,employed_from,extent"]
    lines += [f"m{n},t1,2020-01-01,lots" for n in range(25)]
    (folder / "members.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, out, err = run(capsys, "deadlines", "--source", f"csv:{folder}")
    assert (1, "") == (status, out)
    err_lines = err.splitlines()
    assert err_lines[0].startswith("socforst: error:")
    assert 22 == len(err_lines)
    assert "members, row 2, column 'extent'" in err_lines[1]
    assert "  ... and 5 more" == err_lines[-1]
    assert "Traceback" not in err


def test_an_option_the_source_does_not_take_is_one_line(
    capsys: pytest.CaptureFixture[str], city: str
) -> None:
    """CsvSource has no option 'colour'."""
    status, _, err = run(capsys, "deadlines", "--source", city, "--source-option", "colour=red")
    assert 1 == status
    assert 1 == len(err.splitlines())
    assert "'colour'" in err


def test_an_unknown_deadline_kind_lists_the_kinds(
    capsys: pytest.CaptureFixture[str], city: str
) -> None:
    """The rule book names the kinds it has."""
    status, _, err = run(capsys, "deadlines", "--source", city, "--kind", "nosuch")
    assert 1 == status
    assert "preassessment" in err


def test_an_output_in_a_missing_folder_fails_before_reading(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The source does not exist either: the output is checked first."""
    argv = ("deadlines", "--source", f"csv:{tmp_path / 'none'}", "-o", str(tmp_path / "x" / "o"))
    status, _, err = run(capsys, *argv)
    assert 1 == status
    assert "does not exist" in err


def test_unknown_columns_are_warned_about_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A column the formats do not define is ignored, with a warning on stderr."""
    folder = tmp_path / "extra"
    folder.mkdir()
    (folder / "teams.csv").write_text("team_id,name,colour\nt1,One,red\n", encoding="utf-8")
    status, out, err = run(capsys, "sources", "-f", "csv")  # reads nothing: no warning
    assert "" == err
    status, out, err = run(capsys, "deadlines", "--source", f"csv:{folder}", "-f", "csv")
    assert (0, [DEADLINE_HEADER]) == (status, out.splitlines())
    assert err.startswith("socforst: warning:")
    assert "colour" in err


def test_an_interrupt_exits_130_quietly(
    capsys: pytest.CaptureFixture[str], city: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C during the work: no traceback, status 130."""

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(queries, "deadlines_on", interrupted)
    status, out, err = run(capsys, "deadlines", "--source", city)
    assert (130, "", "") == (status, out, err)


def test_an_unexpected_error_is_one_line_unless_debugging(
    capsys: pytest.CaptureFixture[str], city: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug shows as one line naming SOCFORST_DEBUG, which brings the traceback's frames back.

    The frames name file, line and function; the message, which may quote
    personal data, stays out even then (F14).
    """

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("Anna Andersson")  # a message that may quote personal data

    monkeypatch.setattr(queries, "deadlines_on", broken)
    status, _, err = run(capsys, "deadlines", "--source", city)
    assert 1 == status
    assert "unexpected ZeroDivisionError" in err
    assert "Anna" not in err
    assert 1 == len(err.strip().splitlines())
    assert "SOCFORST_DEBUG" in err
    monkeypatch.setenv("SOCFORST_DEBUG", "1")
    status, _, err = run(capsys, "deadlines", "--source", city)
    assert 1 == status
    lines = err.splitlines()
    assert "Traceback (most recent call last):" == lines[0]
    assert f'File "{__file__}"' in err
    assert ", in broken" in err
    assert "ZeroDivisionError" == lines[-2]
    assert lines[-1].startswith("socforst: error: unexpected ZeroDivisionError")
    assert "Anna" not in err


# -- progress ----------------------------------------------------------------------------------


def test_progress_is_silent_when_stderr_is_not_a_terminal(
    capsys: pytest.CaptureFixture[str], city: str
) -> None:
    """Piped (as under pytest), nothing but the output."""
    _, _, err = run(capsys, "deadlines", "--source", city, "--as-of", AS_OF)
    assert "" == err


def test_progress_shows_on_a_terminal_and_is_cleared(
    capsys: pytest.CaptureFixture[str], city: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal, the phases appear on one line rewritten in place, then it is wiped."""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "500")
    argv = ("deadlines", "--source", city, "--as-of", AS_OF, "-f", "csv")
    _, out, err = run(capsys, *argv)
    assert f"reading {city}..." in err
    assert "evaluating the deadlines of 4 case records..." in err
    assert err.startswith("\r")
    assert err.endswith("\r")
    assert "\n" not in err
    assert out.startswith(DEADLINE_HEADER)
    # On a narrow terminal each state of the line fits in it, so \r can rewrite it.
    monkeypatch.setenv("COLUMNS", "30")
    _, _, err = run(capsys, *argv)
    assert err.split("\r")[1:-1]
    assert all(len(state) <= 29 for state in err.split("\r"))


# -- help and the installed commands ---------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """--help exits 0 and shows a description and an example."""
    status, out, _ = run(capsys, command, "--help")
    assert 0 == status
    assert f"usage: socforst {command}" in out
    assert "example:\n  socforst" in out or "example:\n  SOCFORST_PSEUDONYM_KEY" in out


def test_the_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    """One line per command."""
    status, out, _ = run(capsys, "--help")
    assert 0 == status
    for command in COMMANDS:
        assert f"    {command}" in out


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SOCFORST_SOURCE", None)
    return env


def test_python_dash_m_socforst_runs(tmp_path: Path) -> None:
    """The module entry point has the same help."""
    done = subprocess.run(
        [sys.executable, "-m", "socforst", "--help"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env=_environment(),
    )
    assert 0 == done.returncode
    assert "usage: socforst" in done.stdout


def test_the_socforst_console_script_runs(tmp_path: Path) -> None:
    """The script installed beside the interpreter lists the sources."""
    script = shutil.which("socforst", path=str(Path(sys.executable).parent))
    assert script is not None, "the socforst script is not installed beside the interpreter"
    done = subprocess.run(
        [script, "sources", "-f", "csv"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env=_environment(),
    )
    assert 0 == done.returncode
    assert "source,csv" in done.stdout.splitlines()


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """As with `socforst sources | head -0`: status 141, nothing on stderr."""
    with subprocess.Popen(
        [sys.executable, "-m", "socforst", "sources"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=_environment(),
    ) as child:
        assert child.stdout is not None
        assert child.stderr is not None
        child.stdout.close()  # before the child writes anything
        err = child.stderr.read()
        status = child.wait()
    assert (141, b"") == (status, err)
