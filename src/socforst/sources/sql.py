"""A dataset as tables of a SQL database: SQLite, PostgreSQL, or any SQLAlchemy dialect.

One table per table of the data formats (``members``, ``reports``, ...), with
the same column names, plus ``deadlines`` for deadline output. Dates and
datetimes are stored as ISO 8601 text (a datetime with its UTC offset, so the
Stockholm reading of a clock change survives exactly), extents, counts and
amounts as numbers, lists as ``|``-separated text. Every table has a surrogate
``row_number`` key that keeps the order of insertion; a table with ids (see
:data:`~socforst.dataset.ID_COLUMNS`) has its id column ``UNIQUE NOT NULL``.

Rows are read through :func:`~socforst.sources.rows.read_table`, so a database
gets exactly the value rules and error reports of a CSV file; a row's number is
its position in the table in order of insertion, counting from 1. Tables a
city made itself are read too: their columns are found by reflection, unknown
columns are ignored with a warning, native ``DATE`` and ``TIMESTAMP`` values are
accepted, and rows without ``row_number`` come in the database's order.

Writes are transactions: :meth:`SqlExporter.write_dataset` replaces every table
at once or changes nothing; :meth:`SqlExporter.write_assignments` inserts or
updates assignments by id (``INSERT ... ON CONFLICT``) and never deletes any.
On SQLite every write transaction starts with ``BEGIN IMMEDIATE`` and waits up
to 30 seconds for a busy database, so several processes may write to one file.

Needs SQLAlchemy (``pip install socforst[sql]``), and psycopg for PostgreSQL
(``pip install socforst[postgresql]``).

Example:
    Copy a folder of CSV files into a SQLite file, then read it back::

        import socforst

        dataset = socforst.open_source("csv:extract").read()
        socforst.open_exporter("sqlite:team.db").write_dataset(dataset)
        assert socforst.open_source("sqlite:team.db").read() == dataset
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import typing
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs

from socforst.assignments import Assignment
from socforst.converters import converter
from socforst.dataset import ID_COLUMNS, TABLES, Dataset
from socforst.errors import LoadError, PluginError, RowError
from socforst.rules.base import EvaluatedDeadline
from socforst.sources import DEADLINE_COLUMNS
from socforst.sources.rows import columns_of, gc_paused, read_table, registry_with

try:
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql as sa_postgresql
    from sqlalchemy.dialects import sqlite as sa_sqlite
except ImportError as _error:  # pragma: no cover - depends on the installed extras
    raise PluginError(
        "sql", "needs SQLAlchemy, which is not installed: pip install 'socforst[sql]'"
    ) from _error

__all__ = [
    "DEADLINES_TABLE",
    "ROW_NUMBER",
    "SqlExporter",
    "SqlSource",
    "metadata",
    "sqlite_exporter",
    "sqlite_source",
]

ROW_NUMBER = "row_number"
"""The surrogate key of every table, numbering its rows in the order they were inserted."""

DEADLINES_TABLE = "deadlines"
"""The table :meth:`SqlExporter.write_deadlines` writes, with the deadline output's columns."""

_SQLITE_TIMEOUT = 30.0
"""Seconds a SQLite connection waits for another process's write to finish."""


def _column_type(annotation: Any) -> sa.types.TypeEngine[Any]:
    """The SQL type of a record field: numbers as numbers, everything else as text."""
    args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    base = args[0] if len(args) == 1 else annotation
    if base is float:
        return sa.Double()
    if base is int:
        return sa.Integer()
    return sa.Text()


def _row_number() -> sa.Column[int]:
    # 64 bits: PostgreSQL spends a sequence number on every upsert, even an update.
    # SQLite numbers rows itself only in a column declared exactly INTEGER PRIMARY KEY.
    kind = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    return sa.Column(ROW_NUMBER, kind, primary_key=True, autoincrement=True)


def metadata() -> sa.MetaData:
    """The schema socforst writes: one table per table of the data formats, and ``deadlines``.

    Returns:
        A new :class:`sqlalchemy.MetaData` holding the tables; ``create_all`` on
        it makes them (:meth:`SqlExporter.create_schema` does so idempotently).
    """
    schema = sa.MetaData()
    for table, kind in TABLES.items():
        hints = typing.get_type_hints(kind)
        id_column = ID_COLUMNS.get(table)
        columns: list[sa.Column[Any]] = [_row_number()]
        for name in columns_of(kind):
            if name == id_column:
                # Ids are at most 64 characters (data formats); String(64) keeps
                # the unique index portable to databases that limit index keys.
                columns.append(sa.Column(name, sa.String(64), nullable=False, unique=True))
            else:
                columns.append(sa.Column(name, _column_type(hints[name])))
        sa.Table(table, schema, *columns)
    sa.Table(
        DEADLINES_TABLE,
        schema,
        _row_number(),
        *(sa.Column(name, sa.Text) for name in DEADLINE_COLUMNS),
    )
    return schema


_METADATA = metadata()


def _sqlite_url(location: str | os.PathLike[str]) -> sa.URL:
    return sa.URL.create("sqlite", database=str(Path(location)))


def _make_engine(url: str | sa.URL, options: Mapping[str, Any]) -> sa.Engine:
    """An engine that opens a connection per transaction, with SQLite made safe to share.

    Raises:
        PluginError: If the URL's database driver is not installed.
        sqlalchemy.exc.ArgumentError: If the URL is not a database URL.
    """
    parsed = sa.make_url(url)
    options = dict(options)
    # A batch adapter: a connection per read or write, none left open behind it.
    options.setdefault("poolclass", sa.NullPool)
    if parsed.get_backend_name() == "sqlite":
        connect_args = dict(options.get("connect_args", {}))
        connect_args.setdefault("timeout", _SQLITE_TIMEOUT)
        options["connect_args"] = connect_args
    try:
        engine = sa.create_engine(parsed, **options)
    except ImportError as error:  # the dialect's driver (psycopg, ...) is missing
        extra = "postgresql" if parsed.get_backend_name() == "postgresql" else "sql"
        raise PluginError(
            "sql",
            f"cannot use {parsed.drivername!r} databases ({error}); "
            f"pip install 'socforst[{extra}]' or the driver the URL names",
        ) from error
    if engine.dialect.name == "sqlite":
        _begin_explicitly(engine)
    return engine


def _begin_explicitly(engine: sa.Engine) -> None:
    """Let SQLAlchemy, not the sqlite3 module, begin SQLite transactions.

    The sqlite3 module begins a transaction only before the first change and
    commits around DDL; a write that starts by reading could then fail at once
    with "database is locked" when it upgrades its lock, instead of waiting.
    ``BEGIN IMMEDIATE`` takes the write lock first (waiting up to the busy
    timeout); reads begin ``DEFERRED`` and see one snapshot of every table.
    """

    @sa.event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        mode = connection.get_execution_options().get("socforst_begin", "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")


def _shown_url(engine: sa.Engine) -> str:
    if engine.dialect.name == "sqlite":
        return str(engine.url.database or ":memory:")
    return engine.url.render_as_string(hide_password=True)


@attrs.frozen(init=False)
class SqlSource:
    """Read a dataset from the tables of a SQL database; every table is optional.

    Args:
        url: A SQLAlchemy URL: ``sqlite:///team.db``,
            ``postgresql+psycopg://user@host/db``, ``postgresql+psycopg://user@/db?host=/run/pg``.
        engine_options: Passed to :func:`sqlalchemy.create_engine` (``connect_args``, ...).

    Raises:
        PluginError: If the URL's database driver is not installed.

    Example:
        >>> import socforst
        >>> source = socforst.open_source("postgresql+psycopg://reader@db.example/socforst")
        >>> source.engine.dialect.name
        'postgresql'
    """

    engine: sa.Engine

    def __init__(self, url: str | sa.URL, **engine_options: Any) -> None:
        self.__attrs_init__(_make_engine(url, engine_options))

    def read(self) -> Dataset:
        """Read every table of the data formats that the database has.

        Raises:
            LoadError: Listing every bad row of every table, or saying that the
                database cannot be read; nothing is returned.
        """
        source = _shown_url(self.engine)
        if not self._exists():
            # Connecting to a missing SQLite file would create an empty database.
            raise LoadError(
                f"cannot read {source}",
                [RowError(source, "-", None, None, "is not a file")],
            )
        tables: dict[str, list[Any]] = {}
        errors: list[RowError] = []
        try:
            with _reading(self.engine) as connection, gc_paused():
                # One catalogue query for every table's columns (a query a table elsewhere).
                found = sa.inspect(connection).get_multi_columns(filter_names=list(TABLES))
                columns = {name: [c["name"] for c in cols] for (_, name), cols in found.items()}
                registry = None
                for table, kind in TABLES.items():  # districts first: the others name them
                    if table in columns:
                        header, rows = _rows(connection, table, columns[table])
                        records, problems = read_table(
                            source, table, kind, header, rows, registry, positional=True
                        )
                        tables[table] = records
                        errors += problems
                    if table == "districts":
                        registry, problems = registry_with(source, tables.get(table, ()))
                        errors += problems
        except sa.exc.OperationalError as error:
            reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
            raise LoadError(
                f"cannot read {source}",
                [RowError(source, "-", None, None, f"cannot be read: {reason}")],
            ) from error
        if errors:
            raise LoadError(f"{len(errors)} problems reading {source}", errors)
        return Dataset(**tables)

    def _exists(self) -> bool:
        url = self.engine.url
        if url.get_backend_name() != "sqlite" or url.query.get("uri"):
            return True
        return not url.database or url.database == ":memory:" or Path(url.database).is_file()


@contextmanager
def _reading(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A transaction that reads every table as of one moment and takes no write lock."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        elif engine.dialect.name == "sqlite":
            connection = connection.execution_options(socforst_begin="DEFERRED")
        with connection.begin():
            yield connection


def _rows(
    connection: sa.Connection, name: str, columns: list[str]
) -> tuple[list[str], list[tuple[int, Sequence[Any]]]]:
    """A table's columns (without ``row_number``) and its rows numbered from 1."""
    header = [column for column in columns if column != ROW_NUMBER]
    table = sa.table(name, *(sa.column(column) for column in columns))
    query = sa.select(*(table.c[column] for column in header))
    if ROW_NUMBER in columns:
        query = query.order_by(table.c[ROW_NUMBER])
    result = connection.execute(query)
    return header, list(enumerate(result, start=1))


def _to_cells(record: object) -> dict[str, Any]:
    """A record as column values: numbers native, lists ``|``-joined, the rest ISO text."""
    plain = converter.unstructure(record)
    cells: dict[str, Any] = {}
    for name in columns_of(type(record)):
        value = plain.get(name)
        if isinstance(value, list):
            value = "|".join(str(word) for word in value)
        cells[name] = value
    return cells


def _deadline_cells(deadline: EvaluatedDeadline) -> dict[str, str | None]:
    def text(value: object) -> str | None:
        if value is None:
            return None
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, enum.Enum):
            return str(value.value)
        return str(value)

    return {column: text(getattr(deadline, column)) for column in DEADLINE_COLUMNS}


@attrs.frozen(init=False)
class SqlExporter:
    """Write a dataset, assignments, or deadlines to a SQL database, each write one transaction.

    Missing tables are created first (:meth:`create_schema`); a failed write
    rolls back and leaves every table as it was.

    Args:
        url: A SQLAlchemy URL, as for :class:`SqlSource`.
        engine_options: Passed to :func:`sqlalchemy.create_engine`.

    Raises:
        PluginError: If the URL's database driver is not installed.
    """

    engine: sa.Engine

    def __init__(self, url: str | sa.URL, **engine_options: Any) -> None:
        self.__attrs_init__(_make_engine(url, engine_options))

    def create_schema(self) -> None:
        """Create the tables that are missing; existing tables and rows are left alone.

        Every write does this first, in its own transaction.

        Raises:
            sqlalchemy.exc.SQLAlchemyError: If the database refuses.
        """
        with self._transaction():
            pass

    @contextmanager
    def _transaction(self) -> Iterator[sa.Connection]:
        """A write transaction on a database that has every table; committed if no error."""
        with self.engine.begin() as connection:
            present = set(sa.inspect(connection).get_table_names())
            if not present >= set(_METADATA.tables):
                if connection.dialect.name == "postgresql":
                    # Two processes creating one table at once collide in the
                    # catalogue; a transaction-scoped lock makes them take turns.
                    connection.execute(sa.text("SELECT pg_advisory_xact_lock(7242016)"))
                _METADATA.create_all(connection, checkfirst=True)
            yield connection

    def write_dataset(self, dataset: Dataset) -> None:
        """Replace every table's rows with *dataset*'s, all or nothing.

        Raises:
            sqlalchemy.exc.SQLAlchemyError: If the database refuses a row (two
                records with one id, say); nothing has changed then.
        """
        with self._transaction() as connection:
            for name, records in dataset.tables():
                table = _METADATA.tables[name]
                connection.execute(table.delete())
                if records:
                    connection.execute(table.insert(), [_to_cells(r) for r in records])

    def write_assignments(self, assignments: Iterable[Assignment]) -> None:
        """Insert assignments, or update those whose id is there, all or nothing.

        Other assignments are kept. Of two with one id in *assignments*, the last wins.

        Args:
            assignments: :class:`~socforst.assignments.Assignment` records.

        Raises:
            sqlalchemy.exc.SQLAlchemyError: If the database refuses; nothing has changed then.
        """
        rows = {a.assignment_id: _to_cells(a) for a in assignments}
        if not rows:
            return
        table = _METADATA.tables["assignments"]
        key = ID_COLUMNS["assignments"]
        with self._transaction() as connection:
            dialect = connection.dialect.name
            if dialect in ("sqlite", "postgresql"):
                insert = sa_sqlite.insert if dialect == "sqlite" else sa_postgresql.insert
                statement = insert(table)
                statement = statement.on_conflict_do_update(
                    index_elements=[key],
                    set_={name: statement.excluded[name] for name in rows[next(iter(rows))]},
                )
                connection.execute(statement, list(rows.values()))
                return
            for assignment_id, cells in rows.items():  # any other dialect: update, else insert
                changed = connection.execute(
                    table.update().where(table.c[key] == assignment_id).values(**cells)
                )
                if changed.rowcount == 0:
                    connection.execute(table.insert().values(**cells))

    def write_deadlines(self, deadlines: Iterable[EvaluatedDeadline]) -> None:
        """Replace the rows of the ``deadlines`` table, all or nothing.

        Raises:
            sqlalchemy.exc.SQLAlchemyError: If the database refuses; nothing has changed then.
        """
        rows = [_deadline_cells(deadline) for deadline in deadlines]
        table = _METADATA.tables[DEADLINES_TABLE]
        with self._transaction() as connection:
            connection.execute(table.delete())
            if rows:
                connection.execute(table.insert(), rows)


def sqlite_source(location: str | os.PathLike[str], **engine_options: Any) -> SqlSource:
    """A source for the SQLite database file *location* (``sqlite:team.db``).

    Args:
        location: The database file.
        engine_options: Passed to :func:`sqlalchemy.create_engine`.
    """
    return SqlSource(_sqlite_url(location), **engine_options)


def sqlite_exporter(location: str | os.PathLike[str], **engine_options: Any) -> SqlExporter:
    """An exporter to the SQLite database file *location*, created if missing.

    Args:
        location: The database file; its folder must exist.
        engine_options: Passed to :func:`sqlalchemy.create_engine`.
    """
    return SqlExporter(_sqlite_url(location), **engine_options)
