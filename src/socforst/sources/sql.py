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
city made itself are read too:

- their columns are found by reflection; unknown columns are ignored with a warning;
- a **view** (or a materialized view) named as a table is read as that table,
  so a city may give socforst views over its case system;
- native ``DATE`` and ``TIMESTAMP`` values are accepted; a ``TIMESTAMP``
  without a time zone at exactly midnight in a date column is that date (as an
  Excel date cell is), any other time there is an error naming the column;
- rows without ``row_number`` come in the database's order.

Nothing is guessed: a table whose name is close to a table of the data formats
(``Members``, ``member``) while that table is absent, a database with none of
the tables, a binary value (a BLOB) or a boolean in any column, text that is not
UTF-8, and a PostgreSQL date such as ``infinity`` are each an error naming the
table, the row and the column. A file that is not a database, a damaged file,
and a server that cannot be reached are one :class:`~socforst.errors.LoadError`
naming the database.

Writes are transactions: :meth:`SqlExporter.write_dataset` replaces every table
at once or changes nothing; :meth:`SqlExporter.write_assignments` inserts or
updates assignments by id (``INSERT ... ON CONFLICT``) and never deletes any.
On SQLite every write transaction starts with ``BEGIN IMMEDIATE`` and waits up
to 30 seconds for a busy database, so several processes may write to one file.
A new SQLite file is made beside its name and linked into place only once its
transaction has committed: a failed first write leaves no file behind, and the
new file is readable by its owner only (``0600``) unless *mode* says otherwise.
A refused write is a :class:`DatabaseWriteError` naming the table, and where it
can be found the row and the column (a NUL character PostgreSQL does not store,
a lone surrogate, an id given twice, a table of an older layout).

No message and no traceback holds a row's values or a statement's parameters:
engines hide parameters (``hide_parameters=True``), and a database's own error
text, which may quote a value, is never repeated; its class and error code are.

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
import decimal
import enum
import errno as errnos
import functools
import os
import re
import sqlite3
import typing
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, cast

import attrs

from socforst import _atomic
from socforst.assignments import Assignment
from socforst.converters import FIRST_YEAR, LAST_YEAR, converter
from socforst.dataset import ID_COLUMNS, TABLES, Dataset
from socforst.errors import (
    LoadError,
    PluginError,
    RowError,
    SocforstError,
    WriteError,
    redact,
    shown,
    shown_column,
)
from socforst.ids import case_number_columns, contains_personal_identity_number
from socforst.rules.base import EvaluatedDeadline
from socforst.sources import DEADLINE_COLUMNS
from socforst.sources.rows import (
    close_table_name,
    column_names,
    columns_of,
    finish_load,
    gc_paused,
    read_table,
    registry_with,
)

try:
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql as sa_postgresql
    from sqlalchemy.dialects import sqlite as sa_sqlite
    from sqlalchemy.engine.reflection import ObjectKind
except ImportError as _error:  # pragma: no cover - depends on the installed extras
    raise PluginError(
        "sql", "needs SQLAlchemy, which is not installed: pip install 'socforst[sql]'"
    ) from _error

__all__ = [
    "DEADLINES_TABLE",
    "ROW_NUMBER",
    "DatabaseArgumentError",
    "DatabaseWriteError",
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

_CLOSE_NAME = 0.85
"""How alike a table's name must be to a table of the data formats to be taken for a misspelling.

``member``, ``memebers`` and ``Members`` are (0.92 or more); ``posts`` for
``costs`` (0.8) and ``staff`` for ``staffing`` (0.77) are not."""


class DatabaseArgumentError(SocforstError, ValueError):
    """A SQL source or exporter was given a location or an option it cannot use.

    The message never repeats the location: a URL may hold a password.
    """


class DatabaseWriteError(WriteError):
    """A database refused a write; its transaction was rolled back and nothing changed.

    The message names the database, the table, and where socforst can find
    it the row (counting the table's records from 1) and the column; it never
    repeats a value or the database's own error text.

    Attributes:
        path: The database as the user named it (a URL without its password).
        table: The table being written, or ``None``.
        row: The row, counting the table's records from 1, or ``None``.
        column: The column, or ``None``.
        reason: What is wrong.
    """

    def __init__(
        self,
        database: str,
        reason: str,
        *,
        table: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.table = table
        self.row = row
        self.column = column
        where = ""
        if table is not None:
            where = f"table {table!r}"
            if row is not None:
                where += f", row {row}"
            if column is not None:
                where += f", column {shown_column(column)}"
            where += ": "
        super().__init__(database, where + reason)
        self.reason = redact(reason)


# -- the schema --------------------------------------------------------------------------------


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


# -- engines -----------------------------------------------------------------------------------


def _sqlite_url(location: str | os.PathLike[str]) -> sa.URL:
    return sa.URL.create("sqlite", database=str(Path(location)))


_LOGGING_OPTIONS = frozenset(
    {"echo", "echo_pool", "hide_parameters", "logging_name", "pool_logging_name"}
)


def _make_engine(url: str | sa.URL, options: Mapping[str, Any], role: str) -> sa.Engine:
    """An engine with a connection per transaction, parameters hidden, SQLite safe to share.

    Args:
        url: A SQLAlchemy URL.
        options: For :func:`sqlalchemy.create_engine`.
        role: ``source`` or ``exporter``, for the messages.

    Raises:
        DatabaseArgumentError: If *url* is not a database URL, names no known
            database, or an option is not one the engine takes.
        PluginError: If the URL's database driver is not installed.
    """
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise DatabaseArgumentError(
            f"the 'sql' {role} takes a database URL such as "
            "postgresql+psycopg://user@host/database; for a SQLite file, use sqlite:FILE "
            "(sqlite:team.db)"
        ) from None
    given = sorted(options)
    # Logging options would print every statement with its parameters, rows of the data.
    logging = sorted(set(given) & _LOGGING_OPTIONS)
    if logging:
        raise DatabaseArgumentError(
            f"the {role} does not take {', '.join(map(repr, logging))}: SQLAlchemy would log "
            "every statement with its parameters, which are rows of personal data"
        )
    options = dict(options)
    # A batch adapter: a connection per read or write, none left open behind it.
    options.setdefault("poolclass", sa.NullPool)
    # A statement's parameters are rows of the data: never in an error's text or a log.
    options["hide_parameters"] = True
    if parsed.get_backend_name() == "sqlite":
        connect_args = dict(options.get("connect_args", {}))
        connect_args.setdefault("timeout", _SQLITE_TIMEOUT)
        options["connect_args"] = connect_args
    try:
        engine = sa.create_engine(parsed, **options)
    except sa.exc.NoSuchModuleError:
        name = parsed.drivername
        shown_name = repr(name) if re.fullmatch(r"[a-z0-9_+]{1,32}", name) else "in the URL"
        raise DatabaseArgumentError(
            f"no database is named {shown_name}: the 'sql' {role} takes a database URL "
            "such as postgresql+psycopg://user@host/database or sqlite:///team.db"
        ) from None
    except ImportError as error:  # the dialect's driver (psycopg, ...) is missing
        extra = "postgresql" if parsed.get_backend_name() == "postgresql" else "sql"
        raise PluginError(
            "sql",
            f"cannot use {parsed.drivername!r} databases ({type(error).__name__}: "
            f"{getattr(error, 'name', None) or 'a driver'} is missing); "
            f"pip install 'socforst[{extra}]' or the driver the URL names",
        ) from None
    except (TypeError, ValueError, sa.exc.ArgumentError) as error:
        options_given = ", ".join(repr(redact(name)) for name in given) or "none"
        raise DatabaseArgumentError(
            f"the {parsed.get_backend_name()!r} {role} cannot use the options given "
            f"({options_given}; {type(error).__name__}): it takes the options of "
            "sqlalchemy.create_engine, such as connect_args"
        ) from None
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


def _sqlite_file(engine: sa.Engine) -> str | None:
    """The file of a SQLite engine, or ``None`` (another database, memory, a ``file:`` URI)."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or url.query.get("uri"):
        return None
    if not url.database or url.database == ":memory:":
        return None
    return url.database


# -- what a database says when it refuses -------------------------------------------------------

_SQLITE_REASONS = {
    "SQLITE_NOTADB": "the file is not a SQLite database",
    "SQLITE_CORRUPT": "the database file is damaged (truncated or overwritten)",
    "SQLITE_BUSY": "another process holds the database locked",
    "SQLITE_LOCKED": "another connection holds the database locked",
    "SQLITE_CANTOPEN": "the database file cannot be opened",
    "SQLITE_PERM": "permission denied",
    "SQLITE_AUTH": "permission denied",
    "SQLITE_READONLY": "the database may only be read",
    "SQLITE_FULL": "the disk is full",
    "SQLITE_IOERR": "an input/output error",
    "SQLITE_NOMEM": "out of memory",
    "SQLITE_TOOBIG": "a value is too big for SQLite",
    "SQLITE_CONSTRAINT": "a row breaks a constraint of the table",
    "SQLITE_ERROR": "a table or column is not as socforst expects",
}
"""SQLite's primary result codes, in words."""

_SQLSTATE_REASONS = {
    "08": "the connection to the server failed",
    "22": "the database refused a value",
    "23": "a row breaks a constraint of the table",
    "23505": "an id is repeated",
    "25006": "the database may only be read",
    "28": "the server refused the login",
    "3D000": "the database does not exist",
    "40": "the transaction conflicted with another one; try again",
    "42": "a table or column is not as socforst expects",
    "42501": "the user may not do this (a privilege is missing)",
    "42P01": "a table is missing",
    "42703": "a column is missing",
    "53": "the server ran out of resources (disk, memory or connections)",
    "53100": "the server's disk is full",
    "57": "the server stopped the work (it was shut down, or the query cancelled)",
    "58": "the server had an input/output error",
    "XX": "the server had an internal error",
}
"""PostgreSQL's error codes (SQLSTATE), in words: a whole class by its first two characters."""


def _database_reason(error: BaseException, connecting: bool = False) -> str:
    """What a database error means, from its class and code, never from its text.

    A driver's text may quote a value of the data (``Key (member_id)=(...)``);
    only while connecting, before any row is read or sent, is the driver's first
    line used, since it says why the server cannot be reached.
    """
    original = getattr(error, "orig", None) or error
    kind = type(original).__name__
    sqlite_name = getattr(original, "sqlite_errorname", None)
    if isinstance(sqlite_name, str):
        primary = "_".join(sqlite_name.split("_")[:2])
        return f"{_SQLITE_REASONS.get(primary, 'the database refused')} ({sqlite_name})"
    state = getattr(original, "sqlstate", None)
    if isinstance(state, str) and state:
        described = _SQLSTATE_REASONS.get(state) or _SQLSTATE_REASONS.get(state[:2])
        return f"{described or 'the database refused'} ({kind}, SQLSTATE {state})"
    if connecting and original is not error:
        lines = str(original).strip().splitlines()
        if lines:
            return redact(lines[0][:300])
    return f"the database refused ({kind})"


# -- reading -----------------------------------------------------------------------------------


@attrs.frozen
class _Unreadable:
    """A database value the driver could not turn into a Python value, and why."""

    reason: str


class _CellError(Exception):
    """A cell of a type socforst does not read (a BLOB, a boolean, ...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_PLAIN_CELLS = frozenset({str, int, float, decimal.Decimal, dt.date, type(None)})
"""The classes of cell the row reader takes as they are (the hooks check the rest)."""

_DATE_FIELDS = (dt.date, dt.date | None)
_MIDNIGHT = dt.time(0)


def _plain_cell(value: Any, field_type: Any) -> Any:
    """A cell as the row reader expects it: a midnight timestamp in a date column as its date.

    Raises:
        _CellError: For a value no column of the data formats takes.
    """
    kind = value.__class__
    if kind in _PLAIN_CELLS:
        return value
    if kind is dt.datetime:
        if field_type not in _DATE_FIELDS:
            return value
        if value.tzinfo is None and value.time() == _MIDNIGHT:
            # A TIMESTAMP column standing for dates, as an Excel date cell does.
            return value.date()
        raise _CellError(
            f"is a date and time ({shown(value)}), not a date: a timestamp is read as a date "
            "only at midnight (00:00) and without a time zone"
        )
    if kind is _Unreadable:
        raise _CellError(value.reason)
    if kind in (bytes, bytearray, memoryview):
        raise _CellError("holds binary data (a BLOB), not text, a number or a date")
    if kind is bool:
        raise _CellError("holds a boolean (true or false); the data formats have no such column")
    raise _CellError(f"holds a value of type {kind.__name__}, not text, a number or a date")


def _takes_plain_cells(column_type: Any) -> bool:
    """Whether a reflected column's values need no check: text, numbers and dates."""
    try:
        python_type = column_type.python_type
    except (NotImplementedError, AttributeError):
        return False
    return python_type in (str, int, float, decimal.Decimal, dt.date)


def _decode_or_mark(data: bytes) -> str | _Unreadable:
    """SQLite text as a string, or a mark saying it is not UTF-8 (the sqlite3 module raises)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _Unreadable("is not UTF-8 text (the database holds other bytes there)")


@functools.cache
def _psycopg_loaders() -> dict[str, type]:
    """Text loaders for PostgreSQL dates and timestamps that mark what Python cannot hold.

    ``infinity``, ``-infinity``, dates before year 1 (``BC``) and after 9999 make
    psycopg raise for the whole result; marked, they become errors naming the row.
    """
    import psycopg
    from psycopg.types import datetime as pg_datetime

    def tolerant(base: type) -> type:
        class Tolerant(base):  # type: ignore[misc]
            def load(self, data: Any) -> Any:
                try:
                    return super().load(data)
                except psycopg.DataError:
                    text = bytes(data).decode("utf-8", "replace")
                    return _Unreadable(
                        f"is {shown(text)}, which is not a date: dates must lie in "
                        f"{FIRST_YEAR}-{LAST_YEAR}, the years the legal calendar covers"
                    )

        return Tolerant

    return {
        "date": tolerant(pg_datetime.DateLoader),
        "timestamp": tolerant(pg_datetime.TimestampLoader),
        "timestamptz": tolerant(pg_datetime.TimestamptzLoader),
    }


@contextmanager
def _tolerant(connection: sa.Connection) -> Iterator[bool]:
    """Within the block, values the driver cannot convert come as marks, not as an error.

    Yields whether the driver allows it (the sqlite3 module and psycopg do).
    Only a read that failed takes this slower way.
    """
    raw: Any = connection.connection.dbapi_connection
    if isinstance(raw, sqlite3.Connection):
        factory = raw.text_factory
        raw.text_factory = _decode_or_mark
        try:
            yield True
        finally:
            raw.text_factory = factory
        return
    adapters = getattr(raw, "adapters", None)
    if connection.dialect.driver != "psycopg" or adapters is None:
        yield False
        return
    from psycopg.pq import Format

    loaders = _psycopg_loaders()
    previous = {
        name: adapters.get_loader(adapters.types[name].oid, Format.TEXT) for name in loaders
    }
    for name, loader in loaders.items():
        adapters.register_loader(name, loader)
    try:
        yield True
    finally:
        for name, loader in previous.items():
            if loader is not None:
                adapters.register_loader(name, loader)


def _is_conversion_error(connection: sa.Connection, error: sa.exc.DBAPIError) -> bool:
    """Whether the driver, not the database, failed: a value it cannot turn into Python's."""
    original = error.orig
    if isinstance(original, sqlite3.OperationalError):
        return str(original).startswith("Could not decode to UTF-8")
    dbapi = connection.dialect.loaded_dbapi
    data_error = getattr(dbapi, "DataError", None)
    return (
        data_error is not None
        and isinstance(original, data_error)
        and getattr(original, "sqlstate", "") is None  # raised in the client
    )


@functools.cache
def _field_types(kind: type) -> dict[str, Any]:
    return {field.name: field.type for field in attrs.fields(attrs.resolve_types(kind))}


@contextmanager
def _reading(connection: sa.Connection) -> Iterator[sa.Connection]:
    """A transaction that reads every table as of one moment and takes no write lock."""
    if connection.dialect.name == "postgresql":
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
    elif connection.dialect.name == "sqlite":
        connection = connection.execution_options(socforst_begin="DEFERRED")
    with connection.begin():
        yield connection


def _cannot_read(source: str, table: str, reason: str) -> LoadError:
    return LoadError(
        f"cannot read {redact(source)}",
        [RowError(source, table, None, None, f"cannot be read: {reason}")],
    )


@attrs.frozen(init=False)
class SqlSource:
    """Read a dataset from the tables (or views) of a SQL database; every table is optional.

    Args:
        url: A SQLAlchemy URL: ``sqlite:///team.db``,
            ``postgresql+psycopg://user@host/db``, ``postgresql+psycopg://user@/db?host=/run/pg``.
        case_numbers: Id columns that hold case numbers numbered by date
            (see :func:`socforst.ids.case_number_columns`).
        engine_options: Passed to :func:`sqlalchemy.create_engine` (``connect_args``, ...);
            ``hide_parameters`` is always on.

    Raises:
        DatabaseArgumentError: If *url* is not a database URL, or an option is unknown.
        PluginError: If the URL's database driver is not installed.

    Example:
        >>> import socforst
        >>> source = socforst.open_source("postgresql+psycopg://reader@db.example/socforst")
        >>> source.engine.dialect.name
        'postgresql'
    """

    engine: sa.Engine
    case_numbers: tuple[str, ...] = ()

    def __init__(
        self, url: str | sa.URL, *, case_numbers: str | Iterable[str] = (), **engine_options: Any
    ) -> None:
        self.__attrs_init__(_make_engine(url, engine_options, "source"), column_names(case_numbers))

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
                f"cannot read {redact(source)}",
                [RowError(source, "-", None, None, "is not a file")],
            )
        try:
            connection = self.engine.connect()
        except sa.exc.SQLAlchemyError as error:
            raise _cannot_read(source, "-", _database_reason(error, connecting=True)) from None
        with connection:
            try:
                with (
                    _reading(connection) as reading,
                    gc_paused(),
                    case_number_columns(self.case_numbers),
                ):
                    return self._read_tables(reading, source)
            except sa.exc.SQLAlchemyError as error:
                raise _cannot_read(source, "-", _database_reason(error)) from None

    def _exists(self) -> bool:
        path = _sqlite_file(self.engine)
        return path is None or Path(path).is_file()

    def _read_tables(self, connection: sa.Connection, source: str) -> Dataset:
        inspector = sa.inspect(connection)
        names = set(inspector.get_table_names()) | set(inspector.get_view_names())
        with suppress(NotImplementedError):
            names |= set(inspector.get_materialized_view_names())
        errors = _misnamed_tables(source, names)
        present = [table for table in TABLES if table in names]
        if not present and not errors:
            errors.append(
                RowError(
                    source,
                    "-",
                    None,
                    None,
                    "holds none of the tables socforst reads (" + ", ".join(TABLES) + ")",
                )
            )
        # One catalogue query for every table's columns (a query a table elsewhere).
        found = (
            inspector.get_multi_columns(filter_names=present, kind=ObjectKind.ANY)
            if present
            else {}
        )
        columns = {name: list(reflected) for (_, name), reflected in found.items()}
        tables: dict[str, list[Any]] = {}
        places: dict[str, tuple[str, Sequence[int]]] = {}
        headers: dict[str, tuple[str, ...]] = {}
        registry = None
        for table, kind in TABLES.items():  # districts first: the others name them
            if table in columns:
                try:
                    header, rows, problems = _rows(connection, source, table, kind, columns[table])
                except sa.exc.SQLAlchemyError as error:
                    raise _cannot_read(source, table, _database_reason(error)) from None
                numbers: list[int] = []
                records, found_errors = read_table(
                    source, table, kind, header, rows, registry, positional=True, numbers=numbers
                )
                # A cell refused here is left empty for the row reader: its own
                # complaint about that cell ("is required but empty") would mislead.
                refused = {(problem.row, problem.column) for problem in problems}
                errors += problems
                errors += [e for e in found_errors if (e.row, e.column) not in refused]
                tables[table] = records
                places[table] = (source, numbers)
                headers[table] = tuple(header)
            if table == "districts":
                registry, problems = registry_with(source, tables.get(table, ()))
                errors += problems
        return cast(
            Dataset,
            finish_load(source, tables, errors, places=places, columns=headers, registry=registry),
        )


def _shown_table_name(name: str) -> str:
    """A table's name for a message: quoted if plain, else described (a name is a value too)."""
    if re.fullmatch(r"[A-Za-z0-9_ .-]{1,64}", name) and not contains_personal_identity_number(name):
        return repr(name)
    return f"of {len(name)} characters (not shown: it may be personal data)"


def _misnamed_tables(source: str, names: Collection[str]) -> list[RowError]:
    """An error for each table whose name is close to that of a table the database lacks."""
    missing = [table for table in TABLES if table not in names]
    errors: list[RowError] = []
    for name in sorted(names):
        if name in TABLES or name == DEADLINES_TABLE:
            continue
        close = close_table_name(name, missing, cutoff=_CLOSE_NAME)
        if close:
            errors.append(
                RowError(
                    source,
                    "-",
                    None,
                    None,
                    f"the table {_shown_table_name(name)} is not one socforst reads; did you "
                    f"mean {close!r}? (table names are lower-case, as in the data formats)",
                )
            )
    return errors


def _rows(
    connection: sa.Connection,
    source: str,
    name: str,
    kind: type,
    reflected: Sequence[Mapping[str, Any]],
) -> tuple[list[str], list[tuple[int, Sequence[Any]]], list[RowError]]:
    """A table's columns (without ``row_number``), its rows numbered from 1, and its bad cells.

    A bad cell (a BLOB, a value the driver cannot convert, a timestamp that is not
    a date) is reported here and left empty for the row reader.
    """
    names = [column["name"] for column in reflected]
    header = [column for column in names if column != ROW_NUMBER]
    table = sa.table(name, *(sa.column(column) for column in names))
    query = sa.select(*(table.c[column] for column in header))
    if ROW_NUMBER in names:
        query = query.order_by(table.c[ROW_NUMBER])
    fields = _field_types(kind)
    known = [
        (index, column, fields[column]) for index, column in enumerate(header) if column in fields
    ]
    checked = _checked_columns(connection, table, known, reflected)
    try:
        rows: Sequence[Sequence[Any]] = connection.execute(query).all()
    except sa.exc.DBAPIError as error:
        if not _is_conversion_error(connection, error):
            raise
        with _tolerant(connection) as tolerant:
            if not tolerant:
                raise
            rows = connection.execute(query).all()
        checked = known
    if not checked:
        return header, list(enumerate(rows, start=1)), []
    problems: list[RowError] = []
    numbered: list[tuple[int, Sequence[Any]]] = []
    for number, row in enumerate(rows, start=1):
        cells: list[Any] | None = None
        for index, column, field_type in checked:
            value = row[index]
            try:
                plain = _plain_cell(value, field_type)
            except _CellError as refused:
                problems.append(RowError(source, name, number, column, refused.reason))
                plain = None
            if plain is not value:
                if cells is None:
                    cells = list(row)
                cells[index] = plain
        numbered.append((number, row if cells is None else cells))
    return header, numbered, problems


def _checked_columns(
    connection: sa.Connection,
    table: sa.TableClause,
    known: list[tuple[int, str, Any]],
    reflected: Sequence[Mapping[str, Any]],
) -> list[tuple[int, str, Any]]:
    """The known columns whose values need a look one by one.

    SQLite's columns take a value of any type whatever their declared type:
    one scan in SQLite finds the columns holding a BLOB. Elsewhere a column's
    declared type decides (``BYTEA``, ``BOOLEAN``, ``TIMESTAMP``, ``JSON``, ...).
    """
    if not known:
        return []
    if connection.dialect.name == "sqlite":
        blobs = [sa.func.typeof(table.c[column]) == "blob" for _, column, _ in known]
        # EXISTS stops at the first BLOB and costs about a sixth of reading the rows;
        # which columns hold one is asked only when one does.
        if not connection.execute(sa.select(sa.exists().where(sa.or_(*blobs)))).scalar():
            return []
        flags = connection.execute(sa.select(*(sa.func.max(blob) for blob in blobs))).one()
        return [column for column, flag in zip(known, flags, strict=True) if flag]
    types = {column["name"]: column["type"] for column in reflected}
    return [column for column in known if not _takes_plain_cells(types[column[1]])]


# -- writing -----------------------------------------------------------------------------------


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


@attrs.define
class _Progress:
    """How far a write got: connected or not, and the table and rows being written.

    Mutable: the write updates it as it goes, and an error is explained from it.
    """

    connected: bool = False
    table: str | None = None
    rows: Sequence[Mapping[str, Any]] = ()

    def at(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        self.table = table
        self.rows = rows


def _is_unicode_text(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _bad_cell(
    dialect: str, table: str, rows: Sequence[Mapping[str, Any]]
) -> tuple[int, str, str] | None:
    """The first cell a database refuses, as row (from 1), column and reason; ``None`` if none.

    Looked for only after a write failed, so a write that succeeds pays nothing.
    """
    id_column = ID_COLUMNS.get(table)
    seen: dict[Any, int] = {}
    for number, cells in enumerate(rows, start=1):
        for column, value in cells.items():
            if not isinstance(value, str):
                continue
            if "\x00" in value and dialect == "postgresql":
                return (
                    number,
                    column,
                    "holds a NUL character, which PostgreSQL cannot store in text",
                )
            if not _is_unicode_text(value):
                return (
                    number,
                    column,
                    "holds a lone surrogate (half of a UTF-16 pair, U+D800 to U+DFFF), "
                    "which is not Unicode text and cannot be stored",
                )
        if id_column is not None and id_column in cells:
            key = cells[id_column]
            if key in seen:
                return number, id_column, f"repeats the id of row {seen[key]}"
            seen[key] = number
    return None


def _refused(
    database: str, dialect: str, error: BaseException, progress: _Progress
) -> DatabaseWriteError:
    """A database's refusal as a :class:`DatabaseWriteError` naming the place, not the values."""
    if progress.table is not None:
        found = _bad_cell(dialect, progress.table, progress.rows)
        if found is not None:
            row, column, reason = found
            return DatabaseWriteError(
                database,
                f"{reason}; nothing was written",
                table=progress.table,
                row=row,
                column=column,
            )
    if isinstance(error, UnicodeError):
        reason = f"a text cannot be stored ({type(error).__name__})"
    else:
        reason = _database_reason(error, connecting=not progress.connected)
    return DatabaseWriteError(
        database,
        f"the database refused the write: {reason}; nothing was written",
        table=progress.table,
    )


@attrs.frozen(init=False)
class SqlExporter:
    """Write a dataset, assignments, or deadlines to a SQL database, each write one transaction.

    Missing tables are created first (:meth:`create_schema`); a failed write
    rolls back and leaves every table as it was. A table of an older layout
    (without a column this version writes) is refused with the statements that
    add the columns. A new SQLite file appears only once its first write has
    committed, with the permissions of *mode* (``0600`` by default).

    Args:
        url: A SQLAlchemy URL, as for :class:`SqlSource`.
        mode: The permissions of a SQLite file written (``0o640`` or ``"640"``):
            by default a new file is ``0600`` and an existing one keeps its own.
            Databases on a server have none.
        engine_options: Passed to :func:`sqlalchemy.create_engine`;
            ``hide_parameters`` is always on.

    Raises:
        DatabaseArgumentError: If *url* is not a database URL, or an option is unknown.
        PluginError: If the URL's database driver is not installed.
    """

    engine: sa.Engine
    mode: int | None = None
    _engine_options: Mapping[str, Any] = attrs.field(factory=dict, repr=False)

    def __init__(self, url: str | sa.URL, *, mode: object = None, **engine_options: Any) -> None:
        try:
            file_mode = _atomic.parse_mode(mode)
        except ValueError as error:
            raise DatabaseArgumentError(str(error)) from None
        engine = _make_engine(url, engine_options, "exporter")
        self.__attrs_init__(engine, file_mode, dict(engine_options))

    def create_schema(self) -> None:
        """Create the tables that are missing; existing tables and rows are left alone.

        Every write does this first, in its own transaction.

        Raises:
            DatabaseWriteError: If the database refuses, or a table's name is a view's.
            WriteError: If a SQLite file cannot be written where it is named.
        """
        self._write((), lambda connection, progress: None)

    def write_dataset(self, dataset: Dataset) -> None:
        """Replace every table's rows with *dataset*'s, all or nothing.

        Raises:
            DatabaseWriteError: If the database refuses a row (two records with
                one id, a NUL character on PostgreSQL) or a table is of an older
                layout; it names the table, row and column, and nothing has changed.
            WriteError: If a SQLite file cannot be written where it is named.
        """

        def write(connection: sa.Connection, progress: _Progress) -> None:
            for name, records in dataset.tables():
                table = _METADATA.tables[name]
                rows = [_to_cells(r) for r in records]
                progress.at(name, rows)
                connection.execute(table.delete())
                if rows:
                    connection.execute(table.insert(), rows)

        self._write(TABLES, write)

    def write_assignments(self, assignments: Iterable[Assignment]) -> None:
        """Insert assignments, or update those whose id is there, all or nothing.

        Other assignments are kept. Of two with one id in *assignments*, the last wins.

        Args:
            assignments: :class:`~socforst.assignments.Assignment` records.

        Raises:
            DatabaseWriteError: If the database refuses; nothing has changed then.
            WriteError: If a SQLite file cannot be written where it is named.
        """
        rows = {a.assignment_id: _to_cells(a) for a in assignments}
        if not rows:
            return
        table = _METADATA.tables["assignments"]
        key = ID_COLUMNS["assignments"]

        def write(connection: sa.Connection, progress: _Progress) -> None:
            progress.at("assignments", list(rows.values()))
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

        self._write(("assignments",), write)

    def write_deadlines(self, deadlines: Iterable[EvaluatedDeadline]) -> None:
        """Replace the rows of the ``deadlines`` table, all or nothing.

        Raises:
            DatabaseWriteError: If the database refuses; nothing has changed then.
            WriteError: If a SQLite file cannot be written where it is named.
        """
        rows = [_deadline_cells(deadline) for deadline in deadlines]
        table = _METADATA.tables[DEADLINES_TABLE]

        def write(connection: sa.Connection, progress: _Progress) -> None:
            progress.at(DEADLINES_TABLE, rows)
            connection.execute(table.delete())
            if rows:
                connection.execute(table.insert(), rows)

        self._write((DEADLINES_TABLE,), write)

    def _write(
        self, tables: Collection[str], write: Callable[[sa.Connection, _Progress], None]
    ) -> None:
        """Run *write* in one transaction on a database that has every table of the schema.

        A database's refusal becomes a :class:`DatabaseWriteError`, raised from
        ``None``: the database's own error holds the statement and may quote a value.
        """
        database = _shown_url(self.engine)
        progress = _Progress()
        try:
            path = _sqlite_file(self.engine)
            if path is None:
                self._write_to(self.engine, database, tables, write, progress)
            else:
                self._write_file(Path(path), database, tables, write, progress)
        except WriteError:
            raise
        except (sa.exc.SQLAlchemyError, UnicodeError) as error:
            raise _refused(database, self.engine.dialect.name, error, progress) from None

    def _write_file(
        self,
        path: Path,
        database: str,
        tables: Collection[str],
        write: Callable[[sa.Connection, _Progress], None],
        progress: _Progress,
    ) -> None:
        """Write a SQLite file: in place if it exists, else made beside it and linked in.

        SQLite writes a file in place (its journal keeps each transaction whole),
        so only a regular file can be one: a FIFO or a device is refused, and a
        symbolic link is written through. A new database is made in a temporary
        file and given its name (``link``, which never replaces a file) only
        once committed, so a failed first write leaves nothing behind.
        """
        target = _atomic._target(path, streams=True)
        if target.kind == "stream":
            raise WriteError(
                path, "it is a FIFO or a device; a SQLite database must be a regular file"
            )
        if target.kind == "file":
            self._write_to(self.engine, database, tables, write, progress)
            self._set_mode(target.real)
            return
        mode = self.mode if self.mode is not None else _atomic.NEW_FILE_MODE
        descriptor, temporary = _atomic._create_beside(target, mode)
        os.close(descriptor)
        try:
            engine = _make_engine(_sqlite_url(temporary.name), self._engine_options, "exporter")
            try:
                self._write_to(engine, database, tables, write, progress)
            finally:
                engine.dispose()
            try:
                os.link(temporary.name, target.real)
            except FileExistsError:
                # Another process made the database meanwhile: write into it instead.
                self._write_to(self.engine, database, tables, write, progress)
                self._set_mode(target.real)
                return
            except OSError as error:
                if error.errno not in (errnos.EPERM, errnos.EOPNOTSUPP, errnos.ENOTSUP):
                    raise WriteError(path, error.strerror or type(error).__name__) from None
                os.replace(temporary.name, target.real)  # a file system without hard links
            with suppress(OSError):
                descriptor = os.open(target.real.parent, os.O_RDONLY)
                try:
                    os.fsync(descriptor)
                finally:
                    os.close(descriptor)
        finally:
            temporary.discard()

    def _set_mode(self, path: Path) -> None:
        if self.mode is None:
            return
        try:
            os.chmod(path, self.mode)
        except OSError as error:
            raise WriteError(path, error.strerror or type(error).__name__) from None

    def _write_to(
        self,
        engine: sa.Engine,
        database: str,
        tables: Collection[str],
        write: Callable[[sa.Connection, _Progress], None],
        progress: _Progress,
    ) -> None:
        with engine.begin() as connection:
            progress.connected = True
            _prepare(connection, database, tables)
            write(connection, progress)


def _prepare(connection: sa.Connection, database: str, tables: Collection[str]) -> None:
    """Check the layout of the tables to be written, and create the missing ones.

    Raises:
        DatabaseWriteError: If a table's name is taken by a view, or a table to
            be written lacks a column this version of socforst writes.
    """
    inspector = sa.inspect(connection)
    present = set(inspector.get_table_names())
    views = set(inspector.get_view_names())
    with suppress(NotImplementedError):
        views |= set(inspector.get_materialized_view_names())
    for name in sorted(views & set(_METADATA.tables)):
        raise DatabaseWriteError(
            database,
            "is a view, not a table: socforst writes rows only into tables; drop or rename "
            "the view, or export to another database; nothing was written",
            table=name,
        )
    written = sorted(set(tables) & present)
    if written:
        found = inspector.get_multi_columns(filter_names=written)
        for (_, name), reflected in sorted(found.items(), key=lambda item: item[0][1]):
            _check_layout(connection, database, _METADATA.tables[name], reflected)
    if not present >= set(_METADATA.tables):
        if connection.dialect.name == "postgresql":
            # Two processes creating one table at once collide in the
            # catalogue; a transaction-scoped lock makes them take turns.
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(7242016)"))
        _METADATA.create_all(connection, checkfirst=True)


def _check_layout(
    connection: sa.Connection,
    database: str,
    table: sa.Table,
    reflected: Sequence[Mapping[str, Any]],
) -> None:
    """Refuse a table that lacks a column socforst writes, saying how to add it."""
    have = {column["name"] for column in reflected}
    missing = [c for c in table.columns if c.name not in have and c.name != ROW_NUMBER]
    if not missing:
        return
    quote = connection.dialect.identifier_preparer.quote
    statements = "; ".join(
        f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(column.name)} "
        f"{column.type.compile(dialect=connection.dialect)}"
        for column in missing
    )
    plural = "s" if len(missing) > 1 else ""
    raise DatabaseWriteError(
        database,
        f"lacks the column{plural} {', '.join(repr(c.name) for c in missing)} that this "
        f"version of socforst writes (the table was made by an older version): add "
        f"{'them' if plural else 'it'} ({statements}), or export to a new database; "
        "nothing was written",
        table=table.name,
    )


def sqlite_source(
    location: str | os.PathLike[str],
    *,
    case_numbers: str | Iterable[str] = (),
    **engine_options: Any,
) -> SqlSource:
    """A source for the SQLite database file *location* (``sqlite:team.db``).

    Args:
        location: The database file.
        case_numbers: As for :class:`SqlSource`.
        engine_options: Passed to :func:`sqlalchemy.create_engine`.
    """
    return SqlSource(_sqlite_url(location), case_numbers=case_numbers, **engine_options)


def sqlite_exporter(
    location: str | os.PathLike[str], *, mode: object = None, **engine_options: Any
) -> SqlExporter:
    """An exporter to the SQLite database file *location*, created if missing.

    Args:
        location: The database file; its folder must exist.
        mode: The file's permissions, as for :class:`SqlExporter`.
        engine_options: Passed to :func:`sqlalchemy.create_engine`.
    """
    return SqlExporter(_sqlite_url(location), mode=mode, **engine_options)
