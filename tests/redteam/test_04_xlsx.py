"""Red-team category 4 (XLSX-specific), and the Excel parts of F4, F5, F16, F19, F23, F30.

Each case is written from its reproduction in the 2026-11 red-team report.
Workbooks are read back with openpyxl and, where LibreOffice is installed,
converted with it: a workbook socforst writes must open in both. Without
LibreOffice those checks are skipped, unless ``SOCFORST_REQUIRE_LIBREOFFICE=1``
(CI sets it): then they fail.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import stat
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest

import socforst
from socforst import Dataset, LoadError, Report, RowError, Team, TeamMember
from socforst.sources import xlsx
from socforst.sources.xlsx import XlsxExporter, XlsxSource

REQUIRE = "SOCFORST_REQUIRE_LIBREOFFICE"
TEAM = Team("t1", "Team 1")
MEMBERS_HEADER = ["member_id", "team_id", "employed_from"]


def member(**changes: Any) -> TeamMember:
    values: dict[str, Any] = {
        "member_id": "m1",
        "team_id": "t1",
        "name": "Anna Andersson",
        "employed_from": dt.date(2016, 1, 4),
    }
    values.update(changes)
    return TeamMember(**values)


def unchecked_member(**changes: Any) -> TeamMember:
    """A member built without its validators: data that reached the model some other way."""
    with attrs.validators.disabled():
        return member(**changes)


def sheet_file(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """A workbook written with openpyxl, one sheet per entry, cells as given."""
    workbook = openpyxl.Workbook()
    default = workbook.active
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for number, cells in enumerate(rows, start=1):
            for column, value in enumerate(cells, start=1):
                if value is not None:
                    sheet.cell(row=number, column=column, value=value)
    if default is not None:
        workbook.remove(default)
    workbook.save(path)
    return path


def members_file(path: Path, rows: list[list[Any]], title: str = "members") -> Path:
    return sheet_file(path, {"teams": [["team_id", "name"], ["t1", "Team 1"]], title: rows})


def errors_of(path: Path) -> list[RowError]:
    with pytest.raises(LoadError) as caught:
        XlsxSource(path).read()
    found = [error for error in caught.value.exceptions if isinstance(error, RowError)]
    assert len(caught.value.exceptions) == len(found)
    return found


def where(errors: list[RowError]) -> list[tuple[str, int | None, str | None]]:
    return sorted(((e.table, e.row, e.column) for e in errors), key=str)


def rewrite_part(path: Path, name: str, change: Callable[[bytes], bytes]) -> None:
    """Replace one part of the zip archive at *path* with *change* of its bytes."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[name] = change(parts[name])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)


def sheet_part(path: Path, title: str) -> str:
    """The name of the zip part that holds the sheet *title*."""
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return str(getattr(workbook[title], "_worksheet_path"))  # noqa: B009 - private to openpyxl
    finally:
        workbook.close()


# ---------------------------------------------------------------- LibreOffice


@pytest.fixture(scope="module")
def libreoffice() -> str:
    """The LibreOffice program, or a skip (a failure when REQUIRE is set) without it."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None:
        if os.environ.get(REQUIRE) == "1":
            pytest.fail(f"LibreOffice is not installed and {REQUIRE}=1")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc)")
    return program


def libreoffice_sheets(program: str, workbook: Path, folder: Path) -> dict[str, list[list[str]]]:
    """Every sheet of *workbook* as LibreOffice reads it, converted to CSV rows."""
    folder.mkdir()
    profile = folder / "profile"
    # Field 12, -1: every sheet to its own NAME-SHEET.csv (LibreOffice 7.2 and later).
    options = "44,34,76,1,,0,false,true,false,false,false,-1"
    completed = subprocess.run(
        [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            f"csv:Text - txt - csv (StarCalc):{options}",
            "--outdir",
            str(folder),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    prefix = f"{workbook.stem}-"
    sheets = {}
    for file in folder.glob(f"{prefix}*.csv"):
        with file.open(newline="", encoding="utf-8") as handle:
            sheets[file.stem.removeprefix(prefix)] = list(csv.reader(handle))
    assert sheets, f"LibreOffice converted nothing: {completed.stdout} {completed.stderr}"
    return sheets


# ---------------------------------------------------------------- F4, F23: writing


HOSTILE_NAMES = [
    '=HYPERLINK("http://x",A1)',
    "+1",
    "a\rb",
    "literal _x0041_ here",
    "tab\tand\nnewline",
    " padded ",
    "emoji \U0001f600 and Åsa Öberg",
    "x" * 32_767,
]


def test_a_workbook_with_hostile_text_opens_in_socforst_openpyxl_and_libreoffice(
    tmp_path: Path, libreoffice: str
) -> None:
    """F4: what socforst writes opens again everywhere, every text whole and as text.

    Formula-looking text, a carriage return, a literal ``_x0041_``, outer spaces,
    a character outside the BMP and a cell of exactly 32,767 characters.
    LibreOffice reads every one of them back exactly.
    """
    path = tmp_path / "hostile.xlsx"
    members = [member(member_id=f"m{i}", name=name) for i, name in enumerate(HOSTILE_NAMES)]
    XlsxExporter(path).write_dataset(Dataset(teams=[TEAM], members=members))

    assert HOSTILE_NAMES == [m.name for m in XlsxSource(path).read().members]
    sheet = openpyxl.load_workbook(path)["members"]
    assert ["s"] * len(HOSTILE_NAMES) == [
        sheet.cell(row=r, column=3).data_type for r in range(2, 10)
    ]
    office = libreoffice_sheets(libreoffice, path, tmp_path / "lo")
    assert HOSTILE_NAMES == [row[2] for row in office["members"][1:]]
    assert ["2016-01-04"] * len(HOSTILE_NAMES) == [row[3] for row in office["members"][1:]]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("A\ud800", "lone surrogate"),
        ("A" * 40_000 + "END", "40,003 characters"),
        ("\U0001f600" * 20_000, "40,000 characters"),
    ],
    ids=["lone-surrogate", "40003-characters", "20000-emoji-are-40000-utf16-units"],
)
def test_text_no_cell_holds_is_an_error_naming_the_cell_and_the_old_workbook_stays(
    tmp_path: Path, libreoffice: str, name: str, reason: str
) -> None:
    """F4 (a), (b), F23: a lone surrogate or text over 32,767 characters is refused, not cut.

    The error names the table, the sheet's row and the column; the old workbook
    is left whole (it still opens in socforst and LibreOffice), nothing else is
    left beside it. Excel counts UTF-16 units: 20,000 emoji are 40,000 of them.
    """
    path = tmp_path / "data.xlsx"
    XlsxExporter(path).write_dataset(Dataset(teams=[TEAM], members=[member()]))
    before = path.read_bytes()
    bad = unchecked_member(member_id="m2", name=name)

    with pytest.raises(RowError) as caught:
        XlsxExporter(path).write_dataset(Dataset(teams=[TEAM], members=[member(), bad]))

    error = caught.value
    assert ("members", 3, "name") == (error.table, error.row, error.column)
    assert reason in error.reason
    assert "\U0001f600" not in str(error)
    assert "AAAA" not in str(error)
    assert before == path.read_bytes()
    assert ["data.xlsx"] == os.listdir(tmp_path)
    assert (member(),) == XlsxSource(path).read().members
    assert "m1" == libreoffice_sheets(libreoffice, path, tmp_path / "lo")["members"][1][0]


def test_an_escaped_lone_surrogate_in_a_cell_is_an_error_naming_the_cell(tmp_path: Path) -> None:
    """F23: ``_xD800_`` unescapes to a lone surrogate, which is not text: refused at load."""
    path = members_file(
        tmp_path / "data.xlsx", [[*MEMBERS_HEADER, "name"], ["m1", "t1", "2016-01-04", "A_xD800_"]]
    )

    [error] = errors_of(path)

    assert ("members", 2, "name") == (error.table, error.row, error.column)
    assert "cell D2" in error.reason
    assert "lone surrogate" in error.reason


def test_a_table_longer_than_a_sheet_is_an_error_not_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sheet holds 1,048,576 rows: more records are refused (shown with a 3-row sheet)."""
    monkeypatch.setattr(xlsx, "MAX_SHEET_ROWS", 3)
    path = tmp_path / "data.xlsx"
    members = [member(member_id=f"m{i}") for i in range(3)]

    with pytest.raises(RowError) as caught:
        XlsxExporter(path).write_dataset(Dataset(teams=[TEAM], members=members))

    assert ("members", None) == (caught.value.table, caught.value.row)
    assert "has 3 records" in caught.value.reason
    assert [] == os.listdir(tmp_path)


# ---------------------------------------------------------------- F16: spool files, modes


def test_no_spool_file_is_left_in_the_system_temp_folder_nor_beside_the_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F16: XlsxWriter's temporary files go to a private folder beside the file, then away.

    The system temp folder (``tempfile.gettempdir()``) is pointed at an empty
    folder: it stays empty through a write and a failed write, and every
    temporary file XlsxWriter makes is inside the workbook's folder.
    """
    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    out = tmp_path / "out"
    made: list[str] = []
    mkstemp = tempfile.mkstemp

    def spy(*args: Any, **kwargs: Any) -> tuple[int, str]:
        descriptor, name = mkstemp(*args, **kwargs)
        made.append(name)
        return descriptor, name

    monkeypatch.setattr(tempfile, "mkstemp", spy)
    reports = [
        Report(report_id=f"r{i}", district="farsta", received_at=dt.datetime(2025, 1, 1, 10))
        for i in range(50)
    ]
    XlsxExporter(out / "data.xlsx").write_dataset(Dataset(reports=reports))
    bad = unchecked_member(name="A\ud800")
    with pytest.raises(RowError):
        XlsxExporter(out / "data.xlsx").write_dataset(Dataset(teams=[TEAM], members=[bad]))

    assert [] == os.listdir(system_temp)
    assert ["data.xlsx"] == os.listdir(out)
    assert made
    assert all(Path(name).is_relative_to(out) for name in made)
    assert tempfile.gettempdir() == str(system_temp)


def test_a_spool_folder_left_by_a_killed_write_is_removed_by_the_next_one(tmp_path: Path) -> None:
    """F16: a kill leaves ``.NAME.XXXX.spool``; the next write removes it, not a live one.

    A live write holds a lock on its folder's ``lock`` file (here taken by this
    test, as another process would); a killed one holds none.
    """
    import fcntl

    path = tmp_path / "data.xlsx"
    stale = tmp_path / ".data.xlsx.stale123.spool"
    stale.mkdir()
    (stale / "lock").touch()
    (stale / "tmpabcd").write_text("<row>personal data</row>")
    live = tmp_path / ".data.xlsx.live4567.spool"
    live.mkdir()
    (live / "lock").touch()
    holder = os.open(live / "lock", os.O_WRONLY)
    fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        XlsxExporter(path).write_dataset(Dataset(teams=[TEAM], members=[member()]))
    finally:
        os.close(holder)

    assert sorted([".data.xlsx.live4567.spool", "data.xlsx"]) == sorted(os.listdir(tmp_path))


def test_a_new_workbook_is_readable_by_its_owner_alone_unless_a_mode_is_given(
    tmp_path: Path,
) -> None:
    """F16: a new workbook is 0600; ``mode="640"`` gives 0640."""
    XlsxExporter(tmp_path / "a.xlsx").write_dataset(Dataset(teams=[TEAM]))
    socforst.open_exporter(f"xlsx:{tmp_path / 'b.xlsx'}", mode="640").write_dataset(
        Dataset(teams=[TEAM])
    )

    assert 0o600 == stat.S_IMODE(os.stat(tmp_path / "a.xlsx").st_mode)
    assert 0o640 == stat.S_IMODE(os.stat(tmp_path / "b.xlsx").st_mode)


# ---------------------------------------------------------------- F17, F18: bounded reads


def test_one_formatted_cell_at_xfd1048576_costs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F17: the report's workbook loads its one member, looking at a handful of cells.

    The sheet declares itself A1:XFD1048576 (17 billion cells); only the cells
    it holds are looked at, and only up to the header's columns: the cells
    converted are counted instead of timed.
    """
    path = tmp_path / "far.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "members"
    sheet.append(MEMBERS_HEADER)
    sheet.append(["m1", "t1", "2016-01-04"])
    sheet["XFD1048576"].number_format = "0.00"
    workbook.save(path)
    converted: list[Any] = []
    convert = xlsx._cell

    def counted(cell: Any, number: int, column_type: str | None) -> Any:
        converted.append(cell)
        return convert(cell, number, column_type)

    monkeypatch.setattr(xlsx, "_cell", counted)

    dataset = XlsxSource(path).read()

    assert ["m1"] == [m.member_id for m in dataset.members]
    assert 3 == len(converted)


def test_a_value_far_beyond_the_header_is_an_error_naming_its_column(tmp_path: Path) -> None:
    """F17, F5: a value at XFD2 is under no header: an error, not read and not ignored."""
    path = members_file(tmp_path / "far.xlsx", [MEMBERS_HEADER, ["m1", "t1", "2016-01-04"]])
    workbook = openpyxl.load_workbook(path)
    workbook["members"]["XFD2"] = "stray"
    workbook.save(path)

    [error] = errors_of(path)

    assert ("members", 2, None) == (error.table, error.row, error.column)
    assert "column 16384" in error.reason


def test_a_200_mb_comment_in_a_sheet_is_refused_before_parsing(tmp_path: Path) -> None:
    """F18: the report's 209 KB workbook whose sheet XML holds a 200 MB comment.

    It unpacks to about 1,000 times its packed size: refused as a zip bomb
    before any XML is parsed (it took over 120 s).
    """
    path = members_file(tmp_path / "bomb.xlsx", [MEMBERS_HEADER, ["m1", "t1", "2016-01-04"]])
    part = sheet_part(path, "members")
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name != part:
                archive.writestr(name, data)
                continue
            head, tail = data.split(b"<sheetData>", 1)
            with archive.open(name, "w") as stream:
                stream.write(head + b"<!--")
                block = b"a" * (1 << 20)
                for _ in range(200):
                    stream.write(block)
                stream.write(b"--><sheetData>" + tail)
    assert os.path.getsize(path) < 400_000

    [error] = errors_of(path)

    assert "times its packed size" in error.reason
    assert "max_ratio" in error.reason


def noise(size: int) -> bytes:
    """*size* bytes that hardly compress: hex digits with a ``<`` every 100 bytes."""
    text = os.urandom(size // 2).hex().encode()
    return b"<".join(text[i : i + 99] for i in range(0, len(text), 99))


@pytest.mark.parametrize(
    ("markup", "reason"),
    [
        (b"<!-- " + noise(1_200_000) + b" -->", "comment, CDATA section or processing"),
        (b"<![CDATA[" + noise(1_200_000) + b"]]>", "comment, CDATA section or processing"),
        (b"<?pi " + noise(1_200_000) + b"?>", "comment, CDATA section or processing"),
        (b'<x a="' + os.urandom(600_000).hex().encode() + b'"/>', "without markup"),
    ],
    ids=["comment", "cdata-section", "processing-instruction", "huge-attribute"],
)
def test_a_huge_token_that_compresses_badly_is_refused(
    tmp_path: Path, markup: bytes, reason: str
) -> None:
    """F18: a token over 1 MiB is refused even when the zip ratio looks harmless.

    The XML parser reparses an unfinished token from its start each time more
    arrives: such tokens cost the square of their length.
    """
    path = members_file(tmp_path / "token.xlsx", [MEMBERS_HEADER, ["m1", "t1", "2016-01-04"]])
    rewrite_part(
        path,
        sheet_part(path, "members"),
        lambda data: data.replace(b"<sheetData>", markup + b"<sheetData>", 1),
    )

    [error] = errors_of(path)

    assert reason in error.reason


def test_a_part_larger_than_max_part_bytes_is_refused_and_the_limit_can_be_raised(
    tmp_path: Path,
) -> None:
    """F18: ``max_part_bytes`` bounds every XML part; a larger limit reads the file."""
    path = members_file(tmp_path / "data.xlsx", [MEMBERS_HEADER, ["m1", "t1", "2016-01-04"]])

    with pytest.raises(LoadError) as caught:
        socforst.open_source(f"xlsx:{path}", max_part_bytes="200").read()
    [error] = caught.value.exceptions

    assert isinstance(error, RowError)
    assert "max_part_bytes (200)" in error.reason
    assert ["m1"] == [m.member_id for m in XlsxSource(path, max_part_bytes=10**6).read().members]


@pytest.mark.parametrize(
    "doctype",
    [
        b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
    ],
    ids=["xxe", "billion-laughs"],
)
@pytest.mark.parametrize("part", ["sheet", "[Content_Types].xml", "xl/workbook.xml"])
def test_xxe_and_billion_laughs_stay_refused(tmp_path: Path, doctype: bytes, part: str) -> None:
    """Category 4: a DTD in any part is refused with a clear reason, before parsing."""
    path = members_file(tmp_path / "dtd.xlsx", [MEMBERS_HEADER, ["m1", "t1", "2016-01-04"]])
    name = sheet_part(path, "members") if part == "sheet" else part

    def with_doctype(data: bytes) -> bytes:
        if not data.startswith(b"<?xml"):
            return doctype + data
        declaration, rest = data.split(b"?>", 1)
        return declaration + b"?>" + doctype + rest

    rewrite_part(path, name, with_doctype)

    [error] = errors_of(path)

    assert "document type declaration" in error.reason
    assert "passwd" not in str(error)


# ---------------------------------------------------------------- F5, F30: silently wrong data


def test_a_column_twice_in_the_header_is_an_error_not_the_last_one_winning(tmp_path: Path) -> None:
    """F5: ``member_id,team_id,member_id`` = ``m1,t1,m9`` read member m9; now an error."""
    path = members_file(
        tmp_path / "twice.xlsx",
        [["member_id", "team_id", "member_id", "employed_from"], ["m1", "t1", "m9", "2016-01-04"]],
    )

    [error] = errors_of(path)

    assert ("members", "member_id") == (error.table, error.column)
    assert "twice" in error.reason


def test_a_value_under_an_empty_header_does_not_hide_the_other_errors_of_the_sheet(
    tmp_path: Path,
) -> None:
    """F30, F5: rows 2 and 4 have bad dates, row 3 a stray value: all three are reported.

    The stray value is once after the header's last column and once in a
    column without a name between named ones.
    """
    after = members_file(
        tmp_path / "after.xlsx",
        [
            MEMBERS_HEADER,
            ["m1", "t1", "2016-13-01"],
            ["m2", "t1", "2016-01-04", "stray"],
            ["m3", "t1", "2016-02-30"],
        ],
    )
    between = members_file(
        tmp_path / "between.xlsx",
        [
            ["member_id", None, "team_id", "employed_from"],
            ["m1", None, "t1", "2016-13-01"],
            ["m2", "stray", "t1", "2016-01-04"],
            ["m3", None, "t1", "2016-02-30"],
        ],
    )

    expected = [
        ("members", 2, "employed_from"),
        ("members", 3, None),
        ("members", 4, "employed_from"),
    ]
    assert expected == where(errors_of(after))
    assert expected == where(errors_of(between))


@pytest.mark.parametrize("title", ["Members", "members ", "member", "MEMBERS", "memebers"])
def test_a_misspelt_sheet_name_is_an_error_suggesting_the_right_one(
    tmp_path: Path, title: str
) -> None:
    """F5: sheet ``Members``, ``members `` or ``member`` was ignored (an empty table, exit 0)."""
    path = members_file(
        tmp_path / "misspelt.xlsx", [MEMBERS_HEADER, ["m1", "t1", "2016-01-04"]], title
    )

    [error] = errors_of(path)

    assert f"sheet {title!r} is not read: did you mean 'members'?" in error.reason


def test_a_workbook_without_any_table_sheet_is_an_error(tmp_path: Path) -> None:
    """F5: a workbook whose only sheet is ``Sheet1`` is not an empty dataset."""
    path = sheet_file(tmp_path / "none.xlsx", {"Sheet1": [MEMBERS_HEADER]})

    [error] = errors_of(path)

    assert "holds none of the sheets socforst reads" in error.reason


def test_a_formula_without_a_cached_value_is_an_error_naming_the_cell(tmp_path: Path) -> None:
    """F5: ``extent`` = ``=1/2`` written by a script (no calculated value) read as 1.0.

    A formula with a calculated value is read as that value.
    """
    path = members_file(
        tmp_path / "formula.xlsx",
        [[*MEMBERS_HEADER, "extent"], ["m1", "t1", "2016-01-04", "=1/2"]],
    )

    [error] = errors_of(path)

    assert ("members", 2, "extent") == (error.table, error.row, error.column)
    assert "cell D2" in error.reason
    assert "formula" in error.reason

    calculated = tmp_path / "calculated.xlsx"
    shutil.copy(path, calculated)
    rewrite_part(
        calculated,
        sheet_part(calculated, "members"),
        lambda data: data.replace(b"<v></v>", b"<v>0.5</v>").replace(b"<v />", b"<v>0.5</v>"),
    )
    assert [0.5] == [m.extent for m in XlsxSource(calculated).read().members]


@pytest.mark.parametrize("value", [True, False])
def test_a_true_or_false_cell_in_an_id_or_text_column_is_an_error_not_the_word(
    tmp_path: Path, value: bool
) -> None:
    """F5: a TRUE cell as ``member_id`` gave the id ``"True"``; in ``name`` too."""
    path = members_file(
        tmp_path / "bool.xlsx",
        [
            [*MEMBERS_HEADER, "name"],
            [value, "t1", "2016-01-04", "Anna"],
            ["m2", "t1", "2016-01-04", value],
        ],
    )

    errors = errors_of(path)

    assert [("members", 2, "member_id"), ("members", 3, "name")] == where(errors)
    assert all("TRUE/FALSE" in error.reason for error in errors)


def test_cells_of_the_wrong_type_are_errors_naming_the_cell(tmp_path: Path) -> None:
    """F5: a date in a text column, a number in a date column, an Excel error, a time.

    A number in a text column is its text, as in a CSV file (``1001``).
    """
    path = members_file(
        tmp_path / "types.xlsx",
        [
            [*MEMBERS_HEADER, "name", "extent"],
            [dt.datetime(2016, 1, 4), "t1", "2016-01-04", None, None],
            ["m2", "t1", 42375, None, None],
            ["m3", "t1", "2016-01-04", dt.time(9, 30), None],
            [1001, "t1", "2016-01-04", None, "#DIV/0!"],
        ],
    )
    workbook = openpyxl.load_workbook(path)
    workbook["members"]["E5"].data_type = "e"
    workbook.save(path)

    errors = errors_of(path)

    assert [
        ("members", 2, "member_id"),
        ("members", 3, "employed_from"),
        ("members", 4, "name"),
        ("members", 5, "extent"),
    ] == where(errors)
    reasons = [e.reason for e in sorted(errors, key=lambda e: e.row or 0)]
    assert "cell A2 holds a date where text is expected" in reasons[0]
    assert "cell C3 holds a number where a date is expected" in reasons[1]
    assert "cell D4 holds a time" in reasons[2]
    assert "cell E5 holds the Excel error #DIV/0!" in reasons[3]


# ---------------------------------------------------------------- F19: the demo city


@pytest.fixture
def month_of_the_city() -> Dataset:
    """One month of the demo city: every table the demo fills, a few hundred records."""
    from socforst.demo import demo_dataset

    return demo_dataset(start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31))


def test_the_demo_city_exports_and_opens_in_socforst_and_libreoffice(
    tmp_path: Path, libreoffice: str, month_of_the_city: Dataset
) -> None:
    """F19: an export of the demo city reads back equal, and LibreOffice sees every row.

    (The whole city, 386,000 records, is exported by ``benchmarks/export.py``.)
    """
    path = tmp_path / "city.xlsx"
    XlsxExporter(path).write_dataset(month_of_the_city)

    assert month_of_the_city == XlsxSource(path).read()
    office = libreoffice_sheets(libreoffice, path, tmp_path / "lo")
    for table, records in month_of_the_city.tables():
        assert len(records) + 1 == len(office[table]), table
    reports = {row[0]: row for row in office["reports"][1:]}
    first = month_of_the_city.reports[0]
    assert first.received_at.isoformat() == reports[first.report_id][2]
