"""Category 5 of the 2026-11 red-team report: SQLite files and SQL URLs.

Findings F5, F14, F21, F23, F26 and F27, each case from its reproduction.

Every case is a real SQLite file made with the ``sqlite3`` module (what a city's
own tools would write), read or written through socforst's public API. Each
asserts the exception's type, the place its message names, and that neither
the message nor the whole traceback (what ``SOCFORST_DEBUG=1`` prints) holds
the made-up personal identity number or name the test put in the data.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import traceback
import zipfile
from pathlib import Path

import pytest

import socforst
from socforst import Dataset, LoadError, RowError, Team, TeamMember
from socforst.cli import main
from socforst.errors import WriteError
from socforst.sources.sql import (
    DatabaseArgumentError,
    DatabaseWriteError,
    SqlExporter,
    SqlSource,
    sqlite_exporter,
    sqlite_source,
)
from socforst.testing import FailingDataset, InjectedWriteError

PIN = "811218-9876"
"""A made-up personnummer (valid check digit); it must never appear in a message."""
NAME = "Anna Andersson"
"""A made-up name; it must never appear in a message."""
SECRETS = (PIN, PIN.replace("-", ""), NAME)

GOOD = Dataset(
    teams=[Team("t1", "Förstärkningsteamet")],
    members=[
        TeamMember(member_id="m1", team_id="t1", employed_from=dt.date(2016, 1, 4), name=NAME),
        TeamMember(member_id="m2", team_id="t1", employed_from=dt.date(2017, 3, 1)),
    ],
)


def _everything_said(error: BaseException) -> str:
    """The message, every member's message, and the whole traceback as Python prints it."""
    text = "".join(traceback.format_exception(error))
    if isinstance(error, LoadError):
        text += "\n".join(str(member) for member in error.exceptions)
    return text + str(error)


def _assert_nothing_personal(error: BaseException) -> None:
    said = _everything_said(error)
    for secret in SECRETS:
        assert secret not in said


def _only_problem(error: LoadError) -> RowError:
    assert 1 == len(error.exceptions), [str(e) for e in error.exceptions]
    problem = error.exceptions[0]
    assert isinstance(problem, RowError)
    return problem


def _sql(path: Path, *statements: str, parameters: tuple[object, ...] = ()) -> None:
    connection = sqlite3.connect(path)
    try:
        for statement in statements:
            connection.execute(statement, parameters if "?" in statement else ())
        connection.commit()
    finally:
        connection.close()


def _members_table(path: Path) -> None:
    _sql(
        path,
        "CREATE TABLE teams (team_id TEXT, name TEXT)",
        "INSERT INTO teams VALUES ('t1', 'Team one')",
        "CREATE TABLE members_data (member_id TEXT, team_id TEXT, employed_from TEXT, name TEXT)",
        f"INSERT INTO members_data VALUES ('m1', 't1', '2016-01-04', '{NAME}')",
    )


# -- F21: files that are not databases -------------------------------------------------------


def _not_a_database(path: Path) -> None:
    path.write_text(f"not a database {PIN} {NAME}\n", encoding="utf-8")


def _random_bytes(path: Path) -> None:
    path.write_bytes(bytes((n * 7919 + 13) % 256 for n in range(4096)))


def _workbook_renamed(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("xl/workbook.xml", f"<workbook><name>{NAME}</name></workbook>")


def _truncated(path: Path) -> None:
    socforst.open_exporter(f"sqlite:{path}").write_dataset(GOOD)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_not_a_database, "is not a SQLite database (SQLITE_NOTADB)"),
        (_random_bytes, "is not a SQLite database (SQLITE_NOTADB)"),
        (_workbook_renamed, "is not a SQLite database (SQLITE_NOTADB)"),
        (_truncated, "damaged"),
    ],
    ids=["text", "random-bytes", "xlsx-renamed", "truncated"],
)
def test_a_file_that_is_not_a_whole_database_is_one_load_error_naming_it(
    tmp_path: Path, make: object, expected: str
) -> None:
    """F21: "not a database", random bytes, an .xlsx renamed .db, a truncated file: a LoadError."""
    path = tmp_path / "n.db"
    assert callable(make)
    make(path)

    with pytest.raises(LoadError) as caught:
        socforst.open_source(f"sqlite:{path}").read()

    problem = _only_problem(caught.value)
    assert str(path) == problem.source
    assert problem.reason.startswith("cannot be read: ")
    assert expected in problem.reason
    _assert_nothing_personal(caught.value)


def test_a_database_without_any_table_socforst_reads_is_an_error_not_an_empty_dataset(
    tmp_path: Path,
) -> None:
    """F5: an empty file (a valid empty SQLite database) or other tables only: an error."""
    path = tmp_path / "empty.db"
    path.write_bytes(b"")

    with pytest.raises(LoadError) as caught:
        sqlite_source(path).read()

    assert _only_problem(caught.value).reason.startswith("holds none of the tables socforst reads")


# -- F5: tables under other names, views, BLOBs ----------------------------------------------


@pytest.mark.parametrize("name", ["Members", "member", "memebers", "members "])
def test_a_table_named_almost_like_a_known_one_is_an_error_suggesting_it(
    tmp_path: Path, name: str
) -> None:
    """F5: SQL table ``Members`` (and other near names) was ignored; now an error saying which."""
    path = tmp_path / "team.db"
    _members_table(path)
    _sql(path, f'ALTER TABLE members_data RENAME TO "{name}"')

    with pytest.raises(LoadError) as caught:
        sqlite_source(path).read()

    problem = _only_problem(caught.value)
    assert f"the table {name!r} is not one socforst reads; did you mean 'members'?" in str(problem)
    _assert_nothing_personal(caught.value)


def test_another_table_with_a_name_unlike_any_known_one_is_left_alone(tmp_path: Path) -> None:
    """A city's own table (``staff``, ``members_data`` next to ``members``) is no error."""
    path = tmp_path / "team.db"
    _members_table(path)
    _sql(
        path,
        "CREATE TABLE members AS SELECT * FROM members_data",
        "CREATE TABLE staff (x TEXT)",
    )

    read = sqlite_source(path).read()

    assert ["m1"] == [m.member_id for m in read.members]


def test_a_view_named_as_a_table_is_read_as_that_table(tmp_path: Path) -> None:
    """F5: a VIEW ``members`` was silently an empty table; it is read as the table (documented)."""
    path = tmp_path / "team.db"
    _members_table(path)
    _sql(path, "CREATE VIEW members AS SELECT * FROM members_data")

    read = sqlite_source(path).read()

    assert (
        TeamMember(member_id="m1", team_id="t1", employed_from=dt.date(2016, 1, 4), name=NAME),
    ) == read.members


def test_a_blob_in_a_text_column_is_an_error_naming_table_row_and_column(tmp_path: Path) -> None:
    """F5: a BLOB in ``name`` was read as its ``repr``; now an error at row 2, column 'name'."""
    path = tmp_path / "team.db"
    _members_table(path)
    _sql(path, "ALTER TABLE members_data RENAME TO members")
    _sql(
        path,
        "INSERT INTO members VALUES ('m2', 't1', '2017-03-01', ?)",
        parameters=(f"\x00{PIN} {NAME}".encode(),),
    )

    with pytest.raises(LoadError) as caught:
        sqlite_source(path).read()

    problem = _only_problem(caught.value)
    assert ("members", 2, "name") == (problem.table, problem.row, problem.column)
    assert "binary data (a BLOB)" in problem.reason
    assert "b'" not in str(problem)
    _assert_nothing_personal(caught.value)


def test_a_blob_in_a_required_column_is_one_error_not_two(tmp_path: Path) -> None:
    """A BLOB ``member_id`` is reported once, as a BLOB, not also as "required but empty"."""
    path = tmp_path / "team.db"
    _members_table(path)
    _sql(path, "ALTER TABLE members_data RENAME TO members")
    _sql(path, "UPDATE members SET member_id = ?", parameters=(PIN.encode(),))

    with pytest.raises(LoadError) as caught:
        sqlite_source(path).read()

    problem = _only_problem(caught.value)
    assert ("members", 1, "member_id") == (problem.table, problem.row, problem.column)
    _assert_nothing_personal(caught.value)


def test_text_that_is_not_utf8_is_an_error_naming_the_cell_without_its_bytes(
    tmp_path: Path,
) -> None:
    """sqlite3 raises "Could not decode to UTF-8 column 'name' with text '...'": never shown."""
    path = tmp_path / "team.db"
    _members_table(path)
    _sql(path, "ALTER TABLE members_data RENAME TO members")
    raw = f"{NAME} {PIN}".encode("latin-1") + b"\xff"
    _sql(
        path,
        "INSERT INTO members VALUES ('m2', 't1', '2017-03-01', CAST(? AS TEXT))",
        parameters=(raw,),
    )

    with pytest.raises(LoadError) as caught:
        sqlite_source(path).read()

    problem = _only_problem(caught.value)
    assert ("members", 2, "name") == (problem.table, problem.row, problem.column)
    assert "is not UTF-8 text" in problem.reason
    _assert_nothing_personal(caught.value)


# -- F26: the sql scheme without a URL, options it does not take -----------------------------


@pytest.mark.parametrize("url", ["team.db", "", "://"])
def test_the_sql_source_without_a_database_url_says_what_it_takes(url: str) -> None:
    """F26: ``sql:team.db`` was "unexpected ArgumentError"; now one line suggesting sqlite:FILE."""
    with pytest.raises(DatabaseArgumentError) as caught:
        SqlSource(url)

    message = str(caught.value)
    assert "takes a database URL such as postgresql+psycopg://" in message
    assert "sqlite:FILE" in message
    assert "\n" not in message


def test_a_url_of_no_known_database_is_a_clear_error() -> None:
    """F26: ``http://example.org/x`` was "unexpected NoSuchModuleError"."""
    with pytest.raises(DatabaseArgumentError, match="no database is named 'http'"):
        SqlExporter("http://example.org/x")


def test_an_option_the_engine_does_not_take_is_named_without_its_value(tmp_path: Path) -> None:
    """An unknown engine option was "unexpected TypeError"; its value is not repeated."""
    with pytest.raises(DatabaseArgumentError) as caught:
        SqlSource(f"sqlite:///{tmp_path / 'x.db'}", colour=PIN)

    assert "'colour'" in str(caught.value)
    _assert_nothing_personal(caught.value)


# -- F14, F27: an older layout, refused writes -----------------------------------------------


def _old_layout(path: Path) -> None:
    _sql(
        path,
        "CREATE TABLE members (row_number INTEGER PRIMARY KEY, member_id TEXT, team_id TEXT, "
        "employed_from TEXT)",
        "INSERT INTO members (member_id, team_id, employed_from) VALUES ('m0', 't0', '2015-01-01')",
    )


def test_exporting_to_a_table_of_an_older_layout_says_which_column_is_missing(
    tmp_path: Path,
) -> None:
    """F27/F14: "unexpected OperationalError" with the rows in SOCFORST_DEBUG; now a clear error."""
    path = tmp_path / "old.db"
    _old_layout(path)

    with pytest.raises(DatabaseWriteError) as caught:
        sqlite_exporter(path).write_dataset(GOOD)

    error = caught.value
    assert "members" == error.table
    assert "lacks the columns 'name', 'employed_to', 'extent', 'competencies'" in str(error)
    assert "ALTER TABLE members ADD COLUMN name TEXT" in str(error)
    assert "nothing was written" in str(error)
    _assert_nothing_personal(error)
    rows = sqlite3.connect(path).execute("SELECT member_id FROM members").fetchall()
    assert [("m0",)] == rows


def test_the_debug_traceback_of_a_refused_export_holds_no_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """F14: ``SOCFORST_DEBUG=1 socforst export --source csv:x sqlite:old.db`` printed the rows."""
    folder = tmp_path / "x"
    socforst.open_exporter(f"csv:{folder}").write_dataset(GOOD)
    path = tmp_path / "old.db"
    _old_layout(path)
    monkeypatch.setenv("SOCFORST_DEBUG", "1")

    status = main(["export", "--force", "--source", f"csv:{folder}", f"sqlite:{path}"])

    said = capsys.readouterr()
    assert 1 == status
    assert "lacks the columns" in said.err
    assert "parameters" not in said.err
    for secret in SECRETS:
        assert secret not in said.err + said.out


def test_an_id_given_twice_is_refused_with_its_rows_and_nothing_changes(tmp_path: Path) -> None:
    """An IntegrityError (whose text quotes the id) becomes an error naming both rows."""
    path = tmp_path / "team.db"
    sqlite_exporter(path).write_dataset(GOOD)
    twice = Dataset(
        teams=GOOD.teams,
        members=[
            *GOOD.members,
            TeamMember(member_id="m1", team_id="t1", employed_from=dt.date(2018, 1, 1), name=NAME),
        ],
    )

    with pytest.raises(DatabaseWriteError) as caught:
        sqlite_exporter(path).write_dataset(twice)

    error = caught.value
    assert ("members", 3, "member_id") == (error.table, error.row, error.column)
    assert "repeats the id of row 1" in str(error)
    _assert_nothing_personal(error)
    assert GOOD == sqlite_source(path).read()


# -- F23: no empty file after a failed first write; modes; what a target may be ---------------


def _with_lone_surrogate() -> Dataset:
    """A dataset whose second member's name holds a lone surrogate.

    The models refuse one since this report (F23); a plugin's records could still
    carry one, so it is put in past the validator here.
    """
    member = TeamMember(member_id="m2", team_id="t1", employed_from=dt.date(2017, 3, 1), name="x")
    object.__setattr__(member, "name", f"{NAME}\udc80")
    return Dataset(teams=GOOD.teams, members=[GOOD.members[0], member])


def test_a_lone_surrogate_is_refused_by_place_and_leaves_no_empty_database(tmp_path: Path) -> None:
    """F23: "unexpected UnicodeEncodeError" and a 0-byte .db; now an error and no file."""
    path = tmp_path / "sur.db"

    with pytest.raises(DatabaseWriteError) as caught:
        sqlite_exporter(path).write_dataset(_with_lone_surrogate())

    error = caught.value
    assert ("members", 2, "name") == (error.table, error.row, error.column)
    assert "lone surrogate" in str(error)
    _assert_nothing_personal(error)
    assert [] == list(tmp_path.iterdir())


def test_a_first_write_that_fails_half_way_leaves_no_file(tmp_path: Path) -> None:
    """A failure inside the first write (not the database's) leaves neither the file nor a temp."""
    path = tmp_path / "new.db"

    with pytest.raises(InjectedWriteError):
        sqlite_exporter(path).write_dataset(FailingDataset())

    assert [] == list(tmp_path.iterdir())


def test_a_new_database_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    """F16 for SQLite: a new file is 0600, whatever the umask."""
    path = tmp_path / "team.db"
    previous = os.umask(0o022)
    try:
        sqlite_exporter(path).write_dataset(GOOD)
    finally:
        os.umask(previous)

    assert 0o600 == stat.S_IMODE(path.stat().st_mode)
    assert GOOD == sqlite_source(path).read()


def test_the_mode_option_sets_the_permissions_of_new_and_existing_files(tmp_path: Path) -> None:
    """``mode="640"`` (--mode) gives exactly 0640; without it an old file keeps its own."""
    new, old = tmp_path / "new.db", tmp_path / "old.db"
    sqlite_exporter(old).write_dataset(GOOD)
    os.chmod(old, 0o604)

    socforst.open_exporter(f"sqlite:{new}", mode="640").write_dataset(GOOD)
    sqlite_exporter(old).write_dataset(GOOD)

    assert 0o640 == stat.S_IMODE(new.stat().st_mode)
    assert 0o604 == stat.S_IMODE(old.stat().st_mode)


def test_a_fifo_is_refused_as_a_database_target(tmp_path: Path) -> None:
    """A FIFO cannot hold a database: refused before anything is opened (no hang)."""
    fifo = tmp_path / "team.db"
    os.mkfifo(fifo)

    with pytest.raises(WriteError, match="a SQLite database must be a regular file"):
        sqlite_exporter(fifo).write_dataset(GOOD)

    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_link_to_a_device_is_refused_and_a_link_to_a_file_is_written_through(
    tmp_path: Path,
) -> None:
    """``team.db -> /dev/null`` would swallow the export; a link to a real file is followed."""
    to_device = tmp_path / "null.db"
    to_device.symlink_to("/dev/null")
    real = tmp_path / "real.db"
    sqlite_exporter(real).write_dataset(Dataset(teams=GOOD.teams))
    to_file = tmp_path / "link.db"
    to_file.symlink_to(real)

    with pytest.raises(WriteError):
        sqlite_exporter(to_device).write_dataset(GOOD)
    sqlite_exporter(to_file).write_dataset(GOOD)

    assert to_file.is_symlink()
    assert GOOD == sqlite_source(real).read()


def test_a_view_where_a_table_is_written_is_refused(tmp_path: Path) -> None:
    """Exporting onto a database whose ``members`` is a view: a clear error, nothing written."""
    path = tmp_path / "team.db"
    _members_table(path)
    _sql(path, "CREATE VIEW members AS SELECT * FROM members_data")

    with pytest.raises(DatabaseWriteError, match="is a view, not a table") as caught:
        sqlite_exporter(path).write_dataset(GOOD)

    assert "members" == caught.value.table


@pytest.mark.parametrize("option", ["echo", "echo_pool", "hide_parameters"])
def test_an_engine_option_that_would_log_rows_is_refused(tmp_path: Path, option: str) -> None:
    """--source-option echo=true would make SQLAlchemy log statements with their parameters."""
    with pytest.raises(socforst.SocforstError) as info:
        socforst.open_source(f"sqlite:{tmp_path / 'team.db'}", **{option: True})
    assert "personal data" in str(info.value)
