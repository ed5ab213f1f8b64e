"""Keyed pseudonymisation (socforst.privacy).

The expected pseudonyms are computed here with ``hmac`` and ``hashlib``
directly, from the 12-digit form of each number written out by hand: a second
implementation of the rule "``p`` + the first 24 hex digits of HMAC-SHA256 of
the normal form under the key".

The check digits of the numbers in the century table were worked out by hand
(SKV 704: weights 2, 1, 2, ... from the left over YYMMDDNNN, digits of the
products summed), for instance 261123-123?: 4+6+2+1+4+3+2+2+6 = 30, so 0.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import hmac
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import socforst
from socforst import (
    Assignment,
    Dataset,
    LoadError,
    RowError,
    SocforstError,
    Team,
    TeamMember,
    privacy,
)
from socforst._pin import contains_pin
from socforst.ids import is_personal_identity_number, validate_id
from socforst.privacy import (
    KEY_VARIABLE,
    PseudonymizationError,
    PseudonymKeyError,
    main,
    normalize_personal_identity_number,
    pseudonymize,
    pseudonymize_csv_folder,
    pseudonymize_dataset,
)
from socforst.sources.rows import UnknownColumnWarning

KEY = b"a test key of more than sixteen bytes"
OTHER_KEY = b"another test key, also long enough"
# Two valid personal identity numbers (Luhn check digits: see tests/test_ids.py),
# and a coordination number (day 18 + 60 = 78).
PIN = "811218-9876"
PIN_12 = "198112189876"
SECOND_PIN = "701063-2391"
SECOND_PIN_12 = "197010632391"


def expected_pseudonym(normal_form: str, key: bytes = KEY) -> str:
    """The pseudonym worked out with the standard library, independently of socforst."""
    digest = hmac.new(key, normal_form.encode("utf-8"), hashlib.sha256).digest()
    return "p" + base64.b32encode(digest).decode("ascii").lower()[:20]


# -- One value ------------------------------------------------------------------


def test_a_personal_identity_number_is_pseudonymised_as_the_hmac_of_its_12_digit_form() -> None:
    """The pseudonym is ``p`` and 20 base32 characters of the HMAC-SHA256 of ``YYYYMMDDNNNC``."""
    assert expected_pseudonym(PIN_12) == pseudonymize(PIN, KEY)
    assert expected_pseudonym(SECOND_PIN_12) == pseudonymize(SECOND_PIN, KEY)


def test_the_forms_of_one_number_give_one_pseudonym() -> None:
    """With or without century, with or without the sign: one person, one pseudonym."""
    forms = ["811218-9876", "8112189876", "19811218-9876", "198112189876", " 811218-9876 "]
    assert {expected_pseudonym(PIN_12)} == {pseudonymize(form, KEY) for form in forms}


def test_a_plus_sign_means_a_person_of_100_or_more() -> None:
    """``811218+9876`` is born in 1881 (as of 2026), so it is not ``811218-9876``."""
    assert "188112189876" == normalize_personal_identity_number(
        "811218+9876", today=dt.date(2026, 11, 23)
    )
    assert pseudonymize("811218+9876", KEY) != pseudonymize(PIN, KEY)


@pytest.mark.parametrize(
    ("number", "today", "expected"),
    [
        # '-': 0-99 years old in today's year.
        ("270101-1237", dt.date(2026, 11, 23), "192701011237"),  # 99 in 2026
        ("270101-1237", dt.date(2027, 1, 1), "202701011237"),  # a newborn in 2027
        ("261123-1230", dt.date(2026, 11, 23), "202611231230"),  # born today
        ("201218-9870", dt.date(2026, 11, 23), "202012189870"),
        ("2012189870", dt.date(2026, 11, 23), "202012189870"),  # no sign reads as '-'
        # '+': 100 or more in today's year.
        ("270101+1237", dt.date(2027, 1, 1), "192701011237"),  # turns 100 in 2027
        ("260101+1238", dt.date(2026, 11, 23), "192601011238"),
        ("811218+9876", dt.date(2026, 11, 23), "188112189876"),
        # 12 digits: the century is given and the date does not matter.
        ("18811218-9876", dt.date(2026, 11, 23), "188112189876"),
    ],
)
def test_the_century_of_a_10_digit_number_follows_its_sign(
    number: str, today: dt.date, expected: str
) -> None:
    """Worked out by hand from SKV 704: the sign changes in the year of the 100th birthday."""
    assert expected == normalize_personal_identity_number(number, today=today)


def test_the_numbers_in_the_century_table_are_valid() -> None:
    """The table above uses valid numbers only, or it would test nothing."""
    for number in ["270101-1237", "261123-1230", "201218-9870", "260101+1238"]:
        assert is_personal_identity_number(number)


def test_a_coordination_number_is_normalised_like_a_personal_identity_number() -> None:
    """A samordningsnummer (day + 60) gets the century the same way."""
    assert "197010632391" == normalize_personal_identity_number("7010632391")
    assert expected_pseudonym("197010632391") == pseudonymize("19701063-2391", KEY)


def test_normalising_something_else_is_an_error_that_does_not_repeat_it() -> None:
    """Only valid numbers have a normal form."""
    with pytest.raises(socforst.ValidationError) as caught:
        normalize_personal_identity_number("811218-9875")
    assert "9875" not in str(caught.value)


def test_an_id_that_is_not_a_number_is_hashed_as_it_is() -> None:
    """Ids of a city's own systems are pseudonymised verbatim (surrounding spaces aside)."""
    assert expected_pseudonym("m1") == pseudonymize("m1", KEY)
    assert expected_pseudonym("m1") == pseudonymize(" m1 ", KEY)


def test_different_keys_give_different_pseudonyms() -> None:
    """Without the key, the pseudonym cannot be recomputed."""
    assert pseudonymize(PIN, KEY) != pseudonymize(PIN, OTHER_KEY)
    assert expected_pseudonym(PIN_12, OTHER_KEY) == pseudonymize(PIN, OTHER_KEY)


def test_a_str_key_is_its_utf8_bytes() -> None:
    """``"nyckel-för-test-1234"`` and its UTF-8 encoding are one key."""
    key = "nyckel-för-test-1234"
    assert expected_pseudonym(PIN_12, key.encode("utf-8")) == pseudonymize(PIN, key)


def test_the_pseudonym_is_an_id_socforst_accepts() -> None:
    """It passes ``validate_id`` and is not itself an identity number."""
    pseudonym = pseudonymize(PIN, KEY)
    assert pseudonym == validate_id("member_id", pseudonym)
    assert 21 == len(pseudonym)
    assert (
        pseudonym
        == TeamMember(
            member_id=pseudonym, team_id="t1", employed_from=dt.date(2016, 1, 4)
        ).member_id
    )


def has_content(text: str) -> bool:
    """Whether *text* is more than padding (blanks, NUL, zero-width spaces) to pseudonymize."""
    return privacy._strip_padding(text) != ""


@given(st.text(min_size=1).filter(has_content))
def test_every_pseudonym_is_a_valid_id(value: str) -> None:
    """Whatever the value, the pseudonym is an acceptable opaque id."""
    assert validate_id("member_id", pseudonymize(value, KEY)).startswith("p")


@given(st.text(min_size=1).filter(has_content), st.integers(0, 9999))
def test_no_pseudonym_holds_or_makes_an_identity_number(value: str, serial: int) -> None:
    """Base32 has no 0, 1, 8 or 9: no month, so no number inside or with digits after it."""
    pseudonym = pseudonymize(value, KEY)
    assert set(pseudonym[1:]) <= set("abcdefghijklmnopqrstuvwxyz234567")
    for text in (pseudonym, f"{pseudonym}-{serial:04d}", f"{pseudonym}{serial:04d}"):
        assert not contains_pin(text)


def test_an_empty_value_has_no_pseudonym() -> None:
    """An empty cell is a missing value, not an id."""
    with pytest.raises(socforst.ValidationError):
        pseudonymize("  ", KEY)


# -- The key ----------------------------------------------------------------------


def test_the_key_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """``key=None`` reads ``SOCFORST_PSEUDONYM_KEY``."""
    monkeypatch.setenv(KEY_VARIABLE, KEY.decode("ascii"))
    assert expected_pseudonym(PIN_12) == pseudonymize(PIN)


def test_a_missing_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """The error names the environment variable; it is a SocforstError and a ValueError."""
    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    with pytest.raises(PseudonymKeyError) as caught:
        pseudonymize(PIN)
    assert KEY_VARIABLE in str(caught.value)
    assert isinstance(caught.value, SocforstError)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("key", [b"short-secret", "short-secret", "x" * 15])
def test_a_short_key_is_refused_without_showing_it(key: bytes | str) -> None:
    """Fewer than 16 bytes is too short; the message gives the length, never the key."""
    with pytest.raises(PseudonymKeyError) as caught:
        pseudonymize(PIN, key)
    shown = key.decode() if isinstance(key, bytes) else key
    for text in (str(caught.value), repr(caught.value), repr(caught.value.args)):
        assert shown not in text
    assert "16" in str(caught.value)


def test_a_short_key_in_the_environment_is_refused_without_showing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same goes for the environment variable."""
    monkeypatch.setenv(KEY_VARIABLE, "secret-value")
    with pytest.raises(PseudonymKeyError) as caught:
        pseudonymize(PIN)
    assert "secret-value" not in str(caught.value)
    assert "secret-value" not in repr(caught.value)
    assert KEY_VARIABLE in str(caught.value)


# -- A folder of CSV files ----------------------------------------------------------


def row_errors(error: LoadError) -> list[RowError]:
    """The members of a LoadError, each checked to be a RowError."""
    members = [member for member in error.exceptions if isinstance(member, RowError)]
    assert len(error.exceptions) == len(members)
    return members


def write_csv(
    path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8"
) -> None:
    """Write *rows* (the header first) as a CSV file."""
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter, lineterminator="\n").writerows(rows)


def read_csv(path: Path) -> list[list[str]]:
    """The rows of a CSV file, the header first."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def extract(tmp_path: Path) -> Path:
    """A folder whose members and assignments name members by personal identity number."""
    folder = tmp_path / "extract"
    folder.mkdir()
    write_csv(folder / "teams.csv", [["team_id", "name"], ["t1", "Förstärkningsteam 1"]])
    write_csv(
        folder / "members.csv",
        [
            ["member_id", "team_id", "name", "employed_from"],
            [PIN, "t1", "Anna Andersson", "2016-01-04"],
            [SECOND_PIN_12, "t1", "Bo Berg", "2018-08-20"],
        ],
    )
    write_csv(
        folder / "assignments.csv",
        [
            ["assignment_id", "member_id", "district", "start", "end"],
            # The same people, written in other forms.
            ["a1", "19811218-9876", "farsta", "2025-03-03", "2025-03-28"],
            ["a2", "7010632391", "bromma", "2025-04-07", "2025-05-02"],
        ],
    )
    return folder


def test_a_folder_with_personal_identity_numbers_does_not_load(extract: Path) -> None:
    """The premise: socforst refuses the source as it is."""
    with pytest.raises(LoadError):
        socforst.open_source(f"csv:{extract}").read()


def test_a_pseudonymised_folder_loads_and_assignments_still_name_their_members(
    extract: Path, tmp_path: Path
) -> None:
    """Every form of a number gets one pseudonym, so the tables still link."""
    target = tmp_path / "pseudonymised"
    counts = pseudonymize_csv_folder(extract, target, KEY)
    assert {"teams": 0, "members": 2, "assignments": 2} == counts
    data = socforst.open_source(f"csv:{target}").read()
    member_ids = {member.member_id for member in data.members}
    assert {expected_pseudonym(PIN_12), expected_pseudonym(SECOND_PIN_12)} == member_ids
    assert [expected_pseudonym(PIN_12), expected_pseudonym(SECOND_PIN_12)] == [
        assignment.member_id for assignment in data.assignments
    ]
    assert all(assignment.member_id in member_ids for assignment in data.assignments)
    # Ids that are not identity numbers stay as they are.
    assert ["a1", "a2"] == [assignment.assignment_id for assignment in data.assignments]
    assert {"t1"} == {member.team_id for member in data.members}


def test_the_name_column_is_dropped(extract: Path, tmp_path: Path) -> None:
    """A name is personal data: it does not reach the copy."""
    target = tmp_path / "pseudonymised"
    pseudonymize_csv_folder(extract, target, KEY)
    header = read_csv(target / "members.csv")[0]
    assert ["member_id", "team_id", "employed_from"] == header
    assert "Anna" not in (target / "members.csv").read_text(encoding="utf-8")
    assert [None, None] == [m.name for m in socforst.open_source(f"csv:{target}").read().members]
    # The team's name is not a person's.
    assert ["team_id", "name"] == read_csv(target / "teams.csv")[0]


def test_keep_names_keeps_the_name_column(extract: Path, tmp_path: Path) -> None:
    """Asked to, the names stay."""
    target = tmp_path / "pseudonymised"
    pseudonymize_csv_folder(extract, target, KEY, keep_names=True)
    members = socforst.open_source(f"csv:{target}").read().members
    assert ["Anna Andersson", "Bo Berg"] == [member.name for member in members]


def test_all_ids_replaces_every_id(extract: Path, tmp_path: Path) -> None:
    """With ``all_ids``, team and assignment ids are pseudonymised too, consistently."""
    target = tmp_path / "pseudonymised"
    counts = pseudonymize_csv_folder(extract, target, KEY, all_ids=True)
    assert {"teams": 1, "members": 4, "assignments": 4} == counts
    data = socforst.open_source(f"csv:{target}").read()
    assert [expected_pseudonym("t1")] == [team.team_id for team in data.teams]
    assert {expected_pseudonym("t1")} == {member.team_id for member in data.members}
    assert [expected_pseudonym("a1"), expected_pseudonym("a2")] == [
        assignment.assignment_id for assignment in data.assignments
    ]


def test_columns_chooses_the_id_columns_that_all_ids_replaces(
    extract: Path, tmp_path: Path
) -> None:
    """Only the columns asked for are hashed whole; identity numbers go everywhere."""
    target = tmp_path / "pseudonymised"
    counts = pseudonymize_csv_folder(extract, target, KEY, columns=["assignment_id"], all_ids=True)
    assert {"teams": 0, "members": 2, "assignments": 4} == counts
    assert ["t1", "t1"] == [row[1] for row in read_csv(target / "members.csv")[1:]]
    # member_id is no id column here, but a number in it is still no number in the copy.
    assert [expected_pseudonym(PIN_12), expected_pseudonym(SECOND_PIN_12)] == [
        row[0] for row in read_csv(target / "members.csv")[1:]
    ]
    assert [expected_pseudonym("a1"), expected_pseudonym("a2")] == [
        row[0] for row in read_csv(target / "assignments.csv")[1:]
    ]


def test_a_column_option_naming_an_unknown_column_is_refused(extract: Path, tmp_path: Path) -> None:
    """A misspelt column would leave the real one unreplaced: refused, nothing written."""
    target = tmp_path / "pseudonymised"
    with pytest.raises(PseudonymizationError, match="'memberid'"):
        pseudonymize_csv_folder(extract, target, KEY, columns=["memberid"])
    with pytest.raises(PseudonymizationError, match="not id columns"):
        pseudonymize_csv_folder(extract, target, KEY, case_numbers=["district"])
    assert not target.exists()


def test_unknown_columns_and_files_are_not_copied(extract: Path, tmp_path: Path) -> None:
    """A column socforst does not know may hold anything; it is dropped, with a warning."""
    write_csv(
        extract / "reports.csv",
        [
            ["report_id", "district", "received_at", "child_name"],
            ["r1", "farsta", "2025-03-03T09:00", "Cilla"],
        ],
    )
    write_csv(extract / "notes.csv", [["text"], ["Cilla"]])
    target = tmp_path / "pseudonymised"
    with pytest.warns(UnknownColumnWarning, match="child_name"):
        pseudonymize_csv_folder(extract, target, KEY)
    assert ["report_id", "district", "received_at"] == read_csv(target / "reports.csv")[0]
    assert not (target / "notes.csv").exists()


def test_a_semicolon_separated_cp1252_folder_is_read(tmp_path: Path) -> None:
    """Case-system extracts: ``;`` and Windows-1252 in, UTF-8 with ``,`` out."""
    source = tmp_path / "extract"
    source.mkdir()
    write_csv(
        source / "members.csv",
        [["member_id", "team_id", "name", "employed_from"], [PIN, "t1", "Åsa Öberg", "2016-01-04"]],
        delimiter=";",
        encoding="cp1252",
    )
    target = tmp_path / "pseudonymised"
    counts = pseudonymize_csv_folder(source, target, KEY, delimiter=";", encoding="cp1252")
    assert {"members": 1} == counts
    assert [expected_pseudonym(PIN_12)] == [
        member.member_id for member in socforst.open_source(f"csv:{target}").read().members
    ]


def test_the_target_must_not_be_the_source(extract: Path) -> None:
    """The source is never overwritten."""
    with pytest.raises(PseudonymizationError, match="differ"):
        pseudonymize_csv_folder(extract, extract / ".." / extract.name, KEY)
    assert PIN == read_csv(extract / "members.csv")[1][0]


def test_a_missing_key_fails_before_anything_is_written(
    extract: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key is checked first."""
    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    target = tmp_path / "pseudonymised"
    with pytest.raises(PseudonymKeyError):
        pseudonymize_csv_folder(extract, target)
    assert not target.exists()


def test_a_bad_file_leaves_the_target_untouched(extract: Path, tmp_path: Path) -> None:
    """Every file is read before any is written; the error says where."""
    write_csv(extract / "reports.csv", [["report_id", "district"], ["r1", "farsta", "extra"]])
    target = tmp_path / "pseudonymised"
    with pytest.raises(LoadError) as caught:
        pseudonymize_csv_folder(extract, target, KEY)
    assert ["reports"] == [error.table for error in row_errors(caught.value)]
    assert [2] == [error.row for error in row_errors(caught.value)]
    assert not target.exists()


def test_a_wrong_encoding_is_an_error_that_names_it_and_the_line(tmp_path: Path) -> None:
    """cp1252 read as UTF-8 is reported with its line, not garbled."""
    source = tmp_path / "extract"
    source.mkdir()
    write_csv(
        source / "teams.csv",
        [["team_id", "name"], ["t1", "Team"], ["t2", "Söder"]],
        encoding="cp1252",
    )
    with pytest.raises(LoadError) as caught:
        pseudonymize_csv_folder(source, tmp_path / "out", KEY)
    (error,) = row_errors(caught.value)
    # 'team_id,name\nt1,Team\nt2,S' is 25 bytes: the 'ö' (0xF6) is byte 25, on line 3.
    assert (3, "teams") == (error.row, error.table)
    assert "byte 25" in str(error)
    assert "cp1252" in str(error)


def test_wrong_encoding_lines_are_counted_with_every_line_ending(tmp_path: Path) -> None:
    """CR LF, CR and LF all end a line, as the csv module counts them."""
    source = tmp_path / "extract"
    source.mkdir()
    (source / "teams.csv").write_bytes(b"team_id,name\r\nt1,a\r\nt2,\xf6\rt3,\xf6\n")
    with pytest.raises(LoadError) as caught:
        pseudonymize_csv_folder(source, tmp_path / "out", KEY)
    assert [3, 4] == [error.row for error in row_errors(caught.value)]


def test_a_file_of_bad_bytes_is_reported_in_bounded_size(tmp_path: Path) -> None:
    """3,000 lines each with a bad byte: the first 1,000 are listed, then reading stops."""
    source = tmp_path / "extract"
    source.mkdir()
    (source / "teams.csv").write_bytes(b"team_id,name\n" + b"t,\xff\n" * 3000)
    with pytest.raises(LoadError) as caught:
        pseudonymize_csv_folder(source, tmp_path / "out", KEY)
    errors = row_errors(caught.value)
    assert list(range(2, 1002)) == [error.row for error in errors]
    assert "read no further" in errors[-1].reason
    assert "read no further" not in errors[0].reason


# -- A loaded dataset -------------------------------------------------------------------


def test_a_dataset_is_pseudonymised_consistently_and_loses_its_names() -> None:
    """Every id in every table, one pseudonym per value; names dropped."""
    data = Dataset(
        teams=[Team(team_id="t1", name="Förstärkningsteam 1")],
        members=[
            TeamMember(member_id="m1", team_id="t1", name="Anna", employed_from=dt.date(2016, 1, 4))
        ],
        assignments=[
            Assignment(
                assignment_id="a1",
                member_id="m1",
                district="farsta",
                start=dt.date(2025, 3, 3),
                end=dt.date(2025, 3, 28),
            )
        ],
    )
    result = pseudonymize_dataset(data, KEY)
    member, assignment, team = result.members[0], result.assignments[0], result.teams[0]
    assert expected_pseudonym("m1") == member.member_id == assignment.member_id
    assert expected_pseudonym("t1") == member.team_id == team.team_id
    assert expected_pseudonym("a1") == assignment.assignment_id
    assert assignment.request_id is None
    assert member.name is None
    assert "Förstärkningsteam 1" == team.name
    assert "farsta" == assignment.district
    assert "Anna" == data.members[0].name  # the original is unchanged
    assert "Anna" == pseudonymize_dataset(data, KEY, keep_names=True).members[0].name


def test_a_number_in_a_free_text_field_of_a_dataset_is_replaced_in_place() -> None:
    """Loaded data refuses numbers in ids, not in a task: the task keeps its words."""
    data = Dataset(
        members=[
            TeamMember(
                member_id="m1",
                team_id="t1",
                name=f"Anna {PIN}",
                employed_from=dt.date(2016, 1, 4),
                competencies=["lvu", "811218.9876"],
            )
        ],
        assignments=[
            Assignment(
                assignment_id="a1",
                member_id="m1",
                district="farsta",
                start=dt.date(2025, 3, 3),
                end=dt.date(2025, 3, 28),
                task=f"ring om 19{PIN} i dag",
            )
        ],
        columns={"reports": ["report_id", "district", "received_at"]},
    )
    result = pseudonymize_dataset(data, KEY, keep_names=True)
    pseudonym = expected_pseudonym(PIN_12)
    assert f"ring om {pseudonym} i dag" == result.assignments[0].task
    assert f"Anna {pseudonym}" == result.members[0].name
    assert frozenset({"lvu", pseudonym}) == result.members[0].competencies
    assert data.columns == result.columns  # what is not a table is kept


# -- The command --------------------------------------------------------------------------


def run_command(*args: str, key: str | None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m socforst.privacy`` with or without the key in the environment."""
    env = {name: value for name, value in os.environ.items() if name != KEY_VARIABLE}
    if key is not None:
        env[KEY_VARIABLE] = key
    return subprocess.run(
        [sys.executable, "-m", "socforst.privacy", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_command_pseudonymises_a_folder(extract: Path, tmp_path: Path) -> None:
    """With the key in the environment, it writes the copy and prints the counts."""
    target = tmp_path / "pseudonymised"
    result = run_command(str(extract), str(target), key=KEY.decode("ascii"))
    assert 0 == result.returncode, result.stderr
    assert "members      2 replaced" in result.stdout
    assert [expected_pseudonym(PIN_12), expected_pseudonym(SECOND_PIN_12)] == [
        member.member_id for member in socforst.open_source(f"csv:{target}").read().members
    ]


def test_the_command_without_a_key_exits_1_with_one_line(extract: Path, tmp_path: Path) -> None:
    """No traceback: one line naming the environment variable (F31: 1, as socforst's)."""
    target = tmp_path / "pseudonymised"
    result = run_command(str(extract), str(target), key=None)
    assert 1 == result.returncode
    assert "" == result.stdout
    lines = result.stderr.splitlines()
    assert 1 == len(lines), result.stderr
    assert KEY_VARIABLE in lines[0]
    assert not target.exists()


def test_the_command_with_a_short_key_does_not_show_it(extract: Path, tmp_path: Path) -> None:
    """The key is neither printed nor accepted."""
    result = run_command(str(extract), str(tmp_path / "out"), key="tiny-secret")
    assert 1 == result.returncode
    assert 1 == len(result.stderr.splitlines())
    assert "tiny-secret" not in result.stderr + result.stdout


def test_the_command_help_says_where_the_key_comes_from(capsys: pytest.CaptureFixture[str]) -> None:
    """``--help`` explains why the key is not an option."""
    assert 0 == main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert KEY_VARIABLE in out
    assert "shell history" in out


def test_the_command_reports_bad_arguments_in_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A usage error is one line and exit status 2."""
    assert 2 == main(["only-one-folder"])
    assert 1 == len(capsys.readouterr().err.splitlines())


def test_the_command_reports_a_missing_source_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Errors from the data are one line too."""
    monkeypatch.setenv(KEY_VARIABLE, KEY.decode("ascii"))
    assert 1 == main([str(tmp_path / "missing"), str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert 1 == len(err.splitlines())
    assert "is not a folder" in err


def test_the_command_lists_every_bad_row_and_exits_1(
    extract: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Bad rows: one line saying how many, then one line each, as socforst's own commands."""
    write_csv(
        extract / "teams.csv",
        [["team_id", "name"], ["t1", "A", "x"], ["t2", "B"], ["t3", "C", "y"]],
    )
    monkeypatch.setenv(KEY_VARIABLE, KEY.decode("ascii"))
    assert 1 == main([str(extract), str(tmp_path / "out")])
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("python -m socforst.privacy: error: 2 problems reading")
    assert ["row 2", "row 4"] == [line.split(", ")[1].split(":")[0] for line in lines[1:]]
    assert not (tmp_path / "out").exists()


def test_the_command_notes_dropped_columns(
    extract: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Unknown columns are named on standard error, then the counts are printed."""
    write_csv(extract / "teams.csv", [["team_id", "name", "comment"], ["t1", "Team", "x"]])
    monkeypatch.setenv(KEY_VARIABLE, KEY.decode("ascii"))
    assert 0 == main([str(extract), str(tmp_path / "out"), "--all-ids"])
    captured = capsys.readouterr()
    assert "'comment'" in captured.err
    assert "teams" in captured.out
