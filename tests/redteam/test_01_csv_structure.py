"""Category 1 of the red-team report: the structure and encoding of CSV extracts.

F5 (duplicate and nameless columns, misnamed files, a folder without tables),
F26 (delimiter and encoding options), F30 (every problem at once: a wrong
encoding, a bad districts row), F20 (an extract whose every row is bad) and the
read-back of socforst's own formula neutralisation (F13).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import socforst
from socforst import Dataset, LoadError, Team, TeamMember, ValidationError
from socforst.sources.csv import CsvSource
from socforst.sources.rows import MAX_ERRORS, UnknownColumnWarning

HIDDEN = "(not shown: it may be personal data)"


def load_errors(folder: Path, **options: str) -> list[socforst.RowError]:
    """The row errors of loading *folder*, which must fail."""
    with pytest.raises(LoadError) as info:
        socforst.open_source(f"csv:{folder}", **options).read()
    errors = [e for e in info.value.exceptions if isinstance(e, socforst.RowError)]
    assert len(info.value.exceptions) == len(errors)
    return errors


def test_a_column_written_twice_is_refused_naming_both_places(tmp_path: Path) -> None:
    """F5: member_id twice (m1 and m9): refused, never the last one silently."""
    (tmp_path / "members.csv").write_text(
        "member_id,team_id,member_id,employed_from\nm1,t1,m9,2016-01-04\n"
    )
    [error] = load_errors(tmp_path)
    assert (1, "member_id") == (error.row, error.column)
    assert "appears twice in the header (columns 1 and 3); keep one" == error.reason


def test_a_value_under_a_nameless_column_is_refused_with_the_other_rows_errors(
    tmp_path: Path,
) -> None:
    """F5, F30: a value under an empty header cell is an error; row 3's bad date still shows."""
    (tmp_path / "members.csv").write_text(
        "member_id,team_id,,employed_from\n"
        "m1,t1,Anna Andersson,2016-01-04\n"
        "m2,t1,,2016-13-01\n"
        "m3,t1,,2016-01-04\n"
    )
    errors = load_errors(tmp_path)
    assert [(2, None), (3, "employed_from")] == [(e.row, e.column) for e in errors]
    assert "under column 3, which has no name" in errors[0].reason
    assert all("Anna" not in str(e) for e in errors)


def test_an_empty_nameless_column_is_harmless(tmp_path: Path) -> None:
    """A trailing delimiter gives a nameless column; with nothing in it, the member loads."""
    (tmp_path / "members.csv").write_text("member_id,team_id,employed_from,\nm1,t1,2016-01-04,\n")
    (tmp_path / "teams.csv").write_text("team_id,name\nt1,Team\n")
    data = socforst.open_source(f"csv:{tmp_path}").read()
    assert ("m1",) == tuple(m.member_id for m in data.members)


@pytest.mark.parametrize("name", ["member.csv", "Members.CSV", "members .csv", "memebers.csv"])
def test_a_misnamed_table_file_is_an_error_suggesting_the_name(tmp_path: Path, name: str) -> None:
    """F5: a file close to members.csv is not silently ignored."""
    (tmp_path / name).write_text("member_id,team_id,employed_from\nm1,t1,2016-01-04\n")
    [error] = load_errors(tmp_path)
    assert error.source.endswith(name)
    assert "did you mean members.csv?" in error.reason


def test_a_folder_without_any_table_file_is_an_error(tmp_path: Path) -> None:
    """F5: a folder with no table file read as an empty dataset, exit 0; now it says so."""
    (tmp_path / "notes.txt").write_text("nothing here")
    [error] = load_errors(tmp_path)
    assert error.reason.startswith("holds none of the table files socforst reads (districts.csv")


def test_a_folder_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    """A typo in the folder's name is said as such."""
    [error] = load_errors(tmp_path / "missing")
    assert "does not exist" == error.reason


@pytest.mark.parametrize("delimiter", [";;", "", "a", '"', "\n"])
def test_an_impossible_delimiter_is_refused_when_the_source_is_opened(delimiter: str) -> None:
    """F26: delimiter ';;' or '' gave 'unexpected ValueError'; now one clear error."""
    with pytest.raises(socforst.SocforstError) as info:
        socforst.open_source("csv:anywhere", delimiter=delimiter)
    assert "delimiter' must be one character" in str(info.value)
    with pytest.raises(ValidationError) as direct:
        CsvSource(Path("anywhere"), delimiter=delimiter)
    assert "--source-option delimiter=';'" in str(direct.value)


def test_an_unknown_encoding_is_refused_even_for_a_folder_without_tables(tmp_path: Path) -> None:
    """F26: encoding 'latin9x' was only noticed if a table file existed."""
    with pytest.raises(socforst.SocforstError) as info:
        socforst.open_source(f"csv:{tmp_path}", encoding="latin9x")
    assert "encoding' names no text encoding Python knows" in str(info.value)
    with pytest.raises(ValidationError) as direct:
        CsvSource(tmp_path, encoding="latin9x")
    assert "'encoding' names no text encoding Python knows ('latin9x')" in str(direct.value)


def test_a_wrong_encoding_is_reported_per_row_with_the_other_errors(tmp_path: Path) -> None:
    """F30: cp1252 read as UTF-8 names line and column, and row 3's bad date is not hidden."""
    (tmp_path / "members.csv").write_bytes(
        b"member_id,team_id,name,employed_from\n"
        b"m1,t1,\xc5sa,2016-01-04\n"
        b"m2,t1,Bo,2016-02-30\n"
        b"m3,t1,\xd6rjan,2016-01-04\n"
    )
    errors = load_errors(tmp_path)
    assert [(2, "name"), (3, "employed_from"), (4, "name")] == [(e.row, e.column) for e in errors]
    assert "byte 0xC5 cannot be decoded" in errors[0].reason
    assert "--source-option encoding=cp1252" in errors[0].reason


def test_one_bad_districts_row_is_one_error_not_one_per_record_naming_it(tmp_path: Path) -> None:
    """F30: a bad valid_from in districts.csv did not also flag every request naming 'nyby'."""
    (tmp_path / "districts.csv").write_text("code,name,valid_from\nnyby,Nyby,2016-13-01\n")
    (tmp_path / "requests.csv").write_text(
        "request_id,district,received_on,start,end\n"
        "q1,nyby,2025-01-01,2025-02-01,2025-02-28\n"
        "q2,nyby,2025-01-01,2025-02-01,2025-02-28\n"
    )
    errors = load_errors(tmp_path)
    assert [("districts", 2, "valid_from")] == [(e.table, e.row, e.column) for e in errors]


def test_an_extract_whose_every_row_is_bad_lists_a_thousand_and_counts_the_rest(
    tmp_path: Path,
) -> None:
    """F20: 2,500 rows with day-first dates: 1,000 errors listed, then the count of the rest."""
    lines = ["report_id,district,received_at"]
    lines += [f"r{i},farsta,{1 + i % 28:02d}/01/2024 10:00" for i in range(2500)]
    (tmp_path / "reports.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(LoadError) as info:
        socforst.open_source(f"csv:{tmp_path}").read()
    assert str(info.value).startswith("2500 problems reading")
    errors = load_errors(tmp_path)
    assert MAX_ERRORS + 1 == len(errors)
    assert "and 1500 more problems not listed" == errors[-1].reason
    assert [2, 3, 4] == [e.row for e in errors[:3]]


def test_a_header_made_of_data_is_warned_about_without_the_data(tmp_path: Path) -> None:
    """F8: an extract with no header row: the unknown 'columns' are described, not quoted."""
    (tmp_path / "members.csv").write_text(
        "811218-9876,t1,Anna Andersson,2016-01-04\nm2,t1,Bo Berg,2016-01-04\n"
    )
    with pytest.warns(UnknownColumnWarning) as caught, pytest.raises(LoadError) as info:
        socforst.open_source(f"csv:{tmp_path}").read()
    said = [str(w.message) for w in caught] + [str(e) for e in info.value.exceptions]
    assert [] == [s for s in said if "9876" in s or "Anna" in s]
    assert f"column 3 (of 14 characters {HIDDEN})" in str(caught[0].message)


def test_text_neutralised_against_formulas_reads_back_as_it_was(tmp_path: Path) -> None:
    """F13: the CSV export puts ' before =, +, -, @; reading the folder takes it off again."""
    names = ["=HYPERLINK(1)", "@SUM(1+1)", "-5", "'=1", "O'Brien"]
    members = [
        TeamMember(member_id=f"m{i}", team_id="t1", name=n, employed_from=dt.date(2016, 1, 4))
        for i, n in enumerate(names)
    ]
    expected = Dataset(teams=[Team(team_id="t1", name="+Team")], members=members)
    socforst.open_exporter(f"csv:{tmp_path}").write_dataset(expected)
    text = (tmp_path / "members.csv").read_text()
    assert "'=HYPERLINK(1)" in text
    assert "''=1" in text
    assert ",O'Brien," in text
    assert expected == socforst.open_source(f"csv:{tmp_path}").read()
