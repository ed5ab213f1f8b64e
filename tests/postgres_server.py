"""A throwaway PostgreSQL server for the tests that need one, as a pytest fixture.

``postgres_server`` (session-scoped) makes a cluster in a temporary folder with
``initdb``, starts it with ``pg_ctl`` listening only on a Unix socket in that
folder, and stops it and removes the folder at the end. As root (sessions and
CI run as root, and ``initdb`` refuses root) the folder belongs to the
``postgres`` user and the binaries run through ``runuser -u postgres --``.

``initdb`` and ``pg_ctl`` are found on ``PATH`` or in ``/usr/lib/postgresql/*/bin``
(Debian: ``apt-get install -y postgresql``). Without them, or if the server
does not start, the tests that use the fixture are skipped with the reason,
unless ``SOCFORST_REQUIRE_POSTGRES=1`` (CI sets it): then they fail.

Use it from a test module by importing the fixtures::

    from tests.postgres_server import postgres_server, postgres_url  # noqa: F401
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

__all__ = ["PostgresServer", "postgres_server", "postgres_url"]

REQUIRE = "SOCFORST_REQUIRE_POSTGRES"
"""Set to ``1`` to make a missing or broken PostgreSQL a test failure, not a skip."""

_USER = "postgres"


@attrs.frozen
class PostgresServer:
    """A running throwaway cluster, reachable through its socket folder.

    Args:
        socket_dir: The folder holding the Unix socket.
        port: The port in the socket's name (``.s.PGSQL.PORT``); no TCP is opened.
    """

    socket_dir: Path
    port: int

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL (psycopg 3) of *database* as the superuser ``postgres``."""
        return f"postgresql+psycopg://{_USER}@/{database}?host={self.socket_dir}&port={self.port}"

    def create_database(self) -> str:
        """Create an empty database with a fresh name and return its URL."""
        import sqlalchemy as sa

        name = f"test_{uuid.uuid4().hex[:12]}"
        engine = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        finally:
            engine.dispose()
        return self.url(name)


def _unavailable(reason: str) -> None:
    message = f"PostgreSQL is not available: {reason}"
    if os.environ.get(REQUIRE) == "1":
        pytest.fail(f"{message} ({REQUIRE}=1 requires it)", pytrace=False)
    pytest.skip(message)


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _free_port() -> int:
    # The server listens on no TCP address, but the port names its socket file;
    # a port free on this machine keeps that name clear of other servers'.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _run(command: list[str], as_root: bool) -> subprocess.CompletedProcess[str]:
    if as_root:
        command = ["runuser", "-u", _USER, "--", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def _tail(text: str, lines: int = 8) -> str:
    return " | ".join(text.strip().splitlines()[-lines:])


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL cluster for the whole test session, stopped and removed at the end."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if initdb is None or pg_ctl is None:
        _unavailable(
            "initdb/pg_ctl not found on PATH or in /usr/lib/postgresql/*/bin "
            "(Debian: apt-get install -y postgresql)"
        )
    assert initdb is not None
    assert pg_ctl is not None
    as_root = os.geteuid() == 0
    if as_root and shutil.which("runuser") is None:
        _unavailable("running as root, but runuser is missing to run initdb as 'postgres'")
    # Short path: a Unix socket's path must stay under about 100 characters.
    folder = Path(tempfile.mkdtemp(prefix="socforst-pg-", dir="/tmp"))
    data, log = folder / "data", folder / "log"
    try:
        if as_root:
            try:
                shutil.chown(folder, user=_USER, group=_USER)
            except (LookupError, OSError) as error:
                _unavailable(f"cannot give {folder} to the user {_USER!r}: {error}")
        made = _run([initdb, "-D", str(data), "-A", "trust", "-U", _USER], as_root)
        if made.returncode != 0:
            _unavailable(f"initdb failed: {_tail(made.stderr or made.stdout)}")
        port = _free_port()
        options = f"-p {port} -k {folder} -c listen_addresses='' -c fsync=off"
        started = _run(
            [pg_ctl, "-D", str(data), "-o", options, "-l", str(log), "-w", "start"], as_root
        )
        if started.returncode != 0:
            server_log = log.read_text(errors="replace") if log.exists() else ""
            _unavailable(f"pg_ctl start failed: {_tail(started.stderr + server_log)}")
        try:
            yield PostgresServer(folder, port)
        finally:
            _run([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"], as_root)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """The URL of a new, empty database on the session's server."""
    return postgres_server.create_database()
