"""Category 6 of the 2026-11 red-team report: PostgreSQL (F5, F14, F21, F27, F40).

Every case runs against a real throwaway PostgreSQL server
(:mod:`tests.postgres_server`), each in a new database. Tables are made with
plain SQL, as a city's own tools would. Each case asserts the exception's type,
the place its message names, and that neither the message nor the whole
traceback (what ``SOCFORST_DEBUG=1`` prints) holds the made-up personal
identity number or name the test put in the data.
"""

from __future__ import annotations

import datetime as dt
import traceback

import pytest
import sqlalchemy as sa

from socforst import (
    Dataset,
    DeadlineStatus,
    EvaluatedDeadline,
    LoadError,
    RowError,
    Team,
    TeamMember,
)
from socforst.sources.rows import UnknownColumnWarning
from socforst.sources.sql import DatabaseWriteError, SqlExporter, SqlSource
from tests.postgres_server import PostgresServer, postgres_server, postgres_url  # noqa: F401

PIN = "811218-9876"
"""A made-up personnummer (valid check digit); it must never appear in a message."""
NAME = "Anna Andersson"
"""A made-up name; it must never appear in a message."""
SECRET_ID = "andersson-anna"
"""An id that is a name: a database's own error text would quote it."""
SECRETS = (PIN, PIN.replace("-", ""), NAME, SECRET_ID)


def _member(member_id: str, name: str | None = None) -> TeamMember:
    return TeamMember(
        member_id=member_id, team_id="t1", employed_from=dt.date(2016, 1, 4), name=name
    )


GOOD = Dataset(teams=[Team("t1", "Team one")], members=[_member("m1", NAME), _member("m2")])


def _execute(url: str, *statements: str) -> None:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    with engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)


def _fetch(url: str, statement: str) -> list[tuple[object, ...]]:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    with engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql(statement)]


def _assert_nothing_personal(error: BaseException) -> None:
    said = "".join(traceback.format_exception(error)) + str(error)
    if isinstance(error, LoadError):
        said += "\n".join(str(member) for member in error.exceptions)
    for secret in SECRETS:
        assert secret not in said


def _places(error: LoadError) -> set[tuple[str, int | None, str | None]]:
    found = set()
    for problem in error.exceptions:
        assert isinstance(problem, RowError)
        found.add((problem.table, problem.row, problem.column))
    return found


def _teams_and_members(url: str, employed_from_type: str) -> None:
    _execute(
        url,
        "CREATE TABLE teams (team_id TEXT, name TEXT)",
        "INSERT INTO teams VALUES ('t1', 'Team one')",
        f"CREATE TABLE members (member_id TEXT, team_id TEXT, employed_from {employed_from_type}, "
        "name TEXT)",
    )


# -- F21: values the driver cannot convert ---------------------------------------------------


def test_timestamptz_infinity_is_a_row_error_not_a_data_error(postgres_url: str) -> None:  # noqa: F811
    """F21: ``'infinity'`` in ``received_at`` was sqlalchemy.exc.DataError; now row 2's error."""
    _execute(
        postgres_url,
        "CREATE TABLE reports (report_id TEXT, district TEXT, received_at TIMESTAMPTZ, note TEXT)",
        "INSERT INTO reports VALUES "
        f"('r1', 'farsta', '2025-03-03 09:00+01', '{PIN}'), "
        f"('r2', 'farsta', 'infinity', '{NAME}'), "
        "('r3', 'farsta', '-infinity', NULL)",
    )

    with pytest.raises(LoadError) as caught, pytest.warns(UnknownColumnWarning):
        SqlSource(postgres_url).read()

    assert {("reports", 2, "received_at"), ("reports", 3, "received_at")} == _places(caught.value)
    assert "is 'infinity', which is not a date" in str(caught.value.exceptions[0])
    _assert_nothing_personal(caught.value)


@pytest.mark.parametrize("value", ["10000-01-01", "0044-03-15 BC", "infinity"])
def test_a_date_beyond_what_python_holds_is_a_row_error(postgres_url: str, value: str) -> None:  # noqa: F811
    """A ``DATE`` after 9999 or before year 1 made psycopg fail the whole read."""
    _teams_and_members(postgres_url, "DATE")
    _execute(
        postgres_url,
        "INSERT INTO members VALUES "
        f"('m1', 't1', '2016-01-04', '{NAME}'), ('m2', 't1', '{value}', '{PIN}')",
    )

    with pytest.raises(LoadError) as caught:
        SqlSource(postgres_url).read()

    assert {("members", 2, "employed_from")} == _places(caught.value)
    _assert_nothing_personal(caught.value)


# -- F40: timestamps in date columns ---------------------------------------------------------


def test_a_midnight_timestamp_in_a_date_column_is_that_date(postgres_url: str) -> None:  # noqa: F811
    """F40: ``TIMESTAMP '2016-01-04 00:00'`` in ``employed_from`` was refused; it is the date."""
    _teams_and_members(postgres_url, "TIMESTAMP")
    _execute(postgres_url, f"INSERT INTO members VALUES ('m1', 't1', '2016-01-04 00:00', '{NAME}')")

    read = SqlSource(postgres_url).read()

    assert (_member("m1", NAME),) == read.members


def test_a_timestamp_with_a_time_in_a_date_column_is_an_error_naming_the_column(
    postgres_url: str,  # noqa: F811
) -> None:
    """F40: 08:30 is not midnight: an error at row 2, column 'employed_from', like XLSX."""
    _teams_and_members(postgres_url, "TIMESTAMP")
    _execute(
        postgres_url,
        "INSERT INTO members VALUES "
        f"('m1', 't1', '2016-01-04 00:00', NULL), ('m2', 't1', '2016-01-04 08:30', '{NAME}')",
    )

    with pytest.raises(LoadError) as caught:
        SqlSource(postgres_url).read()

    assert {("members", 2, "employed_from")} == _places(caught.value)
    assert "a timestamp is read as a date only at midnight" in str(caught.value.exceptions[0])
    _assert_nothing_personal(caught.value)


# -- F5: views, misnamed tables, types no column takes ---------------------------------------


@pytest.mark.parametrize("kind", ["VIEW", "MATERIALIZED VIEW"])
def test_a_view_named_as_a_table_is_read_as_that_table(postgres_url: str, kind: str) -> None:  # noqa: F811
    """F5: a VIEW ``members`` on PostgreSQL was an empty table; it is read as the table."""
    _teams_and_members(postgres_url, "DATE")
    _execute(
        postgres_url,
        "ALTER TABLE members RENAME TO staff_register",
        f"INSERT INTO staff_register VALUES ('m1', 't1', '2016-01-04', '{NAME}')",
        f"CREATE {kind} members AS SELECT * FROM staff_register",
    )

    read = SqlSource(postgres_url).read()

    assert (_member("m1", NAME),) == read.members


def test_a_table_named_with_capitals_is_an_error_suggesting_the_name(postgres_url: str) -> None:  # noqa: F811
    """F5: a quoted table ``"Members"`` was ignored (an empty members table, exit 0)."""
    _teams_and_members(postgres_url, "DATE")
    _execute(postgres_url, 'ALTER TABLE members RENAME TO "Members"')

    with pytest.raises(LoadError) as caught:
        SqlSource(postgres_url).read()

    assert "the table 'Members' is not one socforst reads; did you mean 'members'?" in str(
        caught.value.exceptions[0]
    )


def test_bytea_and_boolean_cells_are_errors_naming_their_place(postgres_url: str) -> None:  # noqa: F811
    """A ``BYTEA`` name and a ``BOOLEAN`` extent were read as "b'...'" and 1.0."""
    _execute(
        postgres_url,
        "CREATE TABLE teams (team_id TEXT, name TEXT)",
        "INSERT INTO teams VALUES ('t1', 'Team one')",
        "CREATE TABLE members (member_id TEXT, team_id TEXT, employed_from DATE, name BYTEA, "
        "extent BOOLEAN)",
        f"INSERT INTO members VALUES ('m1', 't1', '2016-01-04', convert_to('{NAME}', 'UTF8'), "
        "true)",
    )

    with pytest.raises(LoadError) as caught:
        SqlSource(postgres_url).read()

    assert {("members", 1, "name"), ("members", 1, "extent")} == _places(caught.value)
    _assert_nothing_personal(caught.value)


def test_a_database_that_does_not_exist_is_one_load_error(
    postgres_server: PostgresServer,  # noqa: F811
) -> None:
    """A missing database: its SQLSTATE in words, not the driver's exception."""
    with pytest.raises(LoadError) as caught:
        SqlSource(postgres_server.url("no_such_database")).read()

    assert "cannot be read" in str(caught.value.exceptions[0])


# -- F27, F14: refused writes ----------------------------------------------------------------


def _deadline(reference: str) -> EvaluatedDeadline:
    return EvaluatedDeadline(
        kind="preassessment",
        subject_id="r1",
        district="bromma",
        starts_on=dt.date(2025, 3, 3),
        due_on=dt.date(2025, 3, 17),
        met_on=None,
        status=DeadlineStatus.OVERDUE,
        reference=reference,
    )


def test_a_nul_character_is_refused_by_place_and_the_old_rows_stay(postgres_url: str) -> None:  # noqa: F811
    """F27: a NUL in text was "unexpected DataError"; now row 2, column 'reference', rolled back."""
    exporter = SqlExporter(postgres_url)
    exporter.write_deadlines([_deadline("SoL 11 kap. 1 a §")])

    with pytest.raises(DatabaseWriteError) as caught:
        exporter.write_deadlines([_deadline("ok"), _deadline(f"{NAME}\x00{PIN}")])

    error = caught.value
    assert ("deadlines", 2, "reference") == (error.table, error.row, error.column)
    assert "NUL character" in str(error)
    assert "nothing was written" in str(error)
    _assert_nothing_personal(error)
    assert [("SoL 11 kap. 1 a §",)] == _fetch(postgres_url, "SELECT reference FROM deadlines")


def test_a_nul_in_a_record_past_the_validator_is_refused_and_rolled_back(
    postgres_url: str,  # noqa: F811
) -> None:
    """The models refuse a NUL now; one put in past them is still named, never sent half-way."""
    exporter = SqlExporter(postgres_url)
    exporter.write_dataset(GOOD)
    member = _member("m3", "x")
    object.__setattr__(member, "name", f"{NAME}\x00")

    with pytest.raises(DatabaseWriteError) as caught:
        exporter.write_dataset(Dataset(teams=GOOD.teams, members=[*GOOD.members, member]))

    assert ("members", 3, "name") == (caught.value.table, caught.value.row, caught.value.column)
    _assert_nothing_personal(caught.value)
    assert GOOD == SqlSource(postgres_url).read()


def test_exporting_to_a_table_of_an_older_layout_says_which_column_is_missing(
    postgres_url: str,  # noqa: F811
) -> None:
    """F27/F14: "unexpected ProgrammingError" carrying the rows; now what to add, and nothing."""
    _execute(
        postgres_url,
        "CREATE TABLE members (row_number BIGSERIAL PRIMARY KEY, member_id VARCHAR(64) UNIQUE, "
        "team_id TEXT, employed_from TEXT, employed_to TEXT, extent DOUBLE PRECISION, "
        "competencies TEXT)",
        "INSERT INTO members (member_id, team_id, employed_from) VALUES ('m0', 't0', '2015-01-01')",
    )

    with pytest.raises(DatabaseWriteError) as caught:
        SqlExporter(postgres_url).write_dataset(GOOD)

    error = caught.value
    assert "members" == error.table
    assert "lacks the column 'name'" in str(error)
    assert "ALTER TABLE members ADD COLUMN name TEXT" in str(error)
    _assert_nothing_personal(error)
    assert [("m0",)] == _fetch(postgres_url, "SELECT member_id FROM members")


def test_an_id_given_twice_never_shows_the_databases_key_detail(postgres_url: str) -> None:  # noqa: F811
    """PostgreSQL's text says "Key (member_id)=(...) already exists": the id is never repeated."""
    exporter = SqlExporter(postgres_url)
    twice = Dataset(teams=GOOD.teams, members=[_member(SECRET_ID), _member(SECRET_ID, NAME)])

    with pytest.raises(DatabaseWriteError) as caught:
        exporter.write_dataset(twice)

    error = caught.value
    assert ("members", 2, "member_id") == (error.table, error.row, error.column)
    _assert_nothing_personal(error)
    # The first write failed whole: not even the tables it began with were made.
    assert [] == _fetch(postgres_url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
