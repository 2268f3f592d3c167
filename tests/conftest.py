"""Fixtures shared by the store's tests: every store test runs on SQLite and PostgreSQL.

``new_store`` opens stores of the test's backend (``backend`` is parametrized: a test
that asks for it runs twice). The PostgreSQL server is ``FELT_TEST_PG`` (a URL whose user
may create databases) when set, else a throwaway cluster started once per test session
from Debian's binaries (``apt-get install postgresql``) in a temporary folder, on a free
port, as the ``postgres`` user when the tests run as root; without either the PostgreSQL
half skips, saying why. Each store gets a database of its own, copied from a migrated
template (migrations are tested on empty databases of their own).
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import urllib.parse

import pytest

from engine.store import PostgresStore, SqliteStore
from engine.store.postgres import MIGRATION_NAMES

BACKENDS = ("sqlite", "postgresql")
# in the throwaway cluster, a user who logs in with a password (the others are trusted)
PASSWORD_USER = ("felt_pw", "right-password")


def _pg_bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# emptied between tests (children first), identities restarted: a used database is as new
_TABLES = ("review_log", "review_sync", "review_items", "attempt_facts", "spot_names",
           "drill_attempts", "hand_history", "game_sessions", "profiles")  # fmt: skip
_IDENTITIES = ("profiles", "game_sessions", "drill_attempts", "hand_history", "review_items",
               "review_log", "spot_names")  # fmt: skip
_RESET = "".join(f"DELETE FROM {t};" for t in _TABLES) + "".join(
    f"ALTER TABLE {t} ALTER COLUMN id RESTART;" for t in _IDENTITIES
)


class PgServer:
    """A PostgreSQL server for tests: hands out migrated databases by URL, emptied and
    reused after each test (creating a database costs half a second, emptying one 20 ms)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._names = itertools.count()
        self._prefix = f"felt_test_{os.getpid()}_"
        self._created: list[str] = []
        self._free: list[str] = []
        self.password_user: tuple[str, str] | None = None
        self.template = self._create(template="template0")
        PostgresStore(self.url(self.template)).close()  # migrated once, copied when needed

    def url(self, name: str) -> str:
        parts = urllib.parse.urlsplit(self.base_url)
        return urllib.parse.urlunsplit(parts._replace(path="/" + name))

    def _connect(self, name: str):
        import psycopg

        return psycopg.connect(self.url(name), autocommit=True, options="-c lock_timeout=2000")

    def _create(self, template: str) -> str:
        name = f"{self._prefix}{next(self._names)}"
        with self._connect("postgres") as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        self._created.append(name)
        return name

    def new_database(self, *, empty: bool = False) -> str:
        """A database: migrated (reused or a copy of the template), or ``empty``."""
        if empty:
            return self.url(self._create("template0"))
        return self.url(self._free.pop() if self._free else self._create(self.template))

    def release(self, url: str) -> None:
        """Empty a migrated database for the next test (a changed one is not reused)."""
        name = urllib.parse.urlsplit(url).path.lstrip("/")
        with contextlib.suppress(Exception), self._connect(name) as conn:
            applied = conn.execute("SELECT COUNT(*) FROM migrations").fetchone()[0]
            if applied == len(MIGRATION_NAMES):
                conn.execute(_RESET.encode())
                self._free.append(name)

    def drop_all(self) -> None:
        with contextlib.suppress(Exception), self._connect("postgres") as conn:
            for name in self._created:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_server():
    env = os.environ.get("FELT_TEST_PG", "").strip()
    if env:
        server = PgServer(env)
        yield server
        server.drop_all()
        return
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip(
            "PostgreSQL is not installed (apt-get install postgresql) and FELT_TEST_PG is unset"
        )
    root = tempfile.mkdtemp(prefix="felt-pg-")
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        shutil.chown(root, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    data, port = os.path.join(root, "data"), _free_port()

    def run(*cmd: str) -> None:
        subprocess.run([*as_postgres, *cmd], check=True, capture_output=True, cwd=root)

    try:
        run(f"{bindir}/initdb", "-D", data, "-A", "trust", "-U", "felt", "--no-locale",
            "-E", "UTF8")  # fmt: skip
        hba = os.path.join(data, "pg_hba.conf")  # one user logs in with a password
        with open(hba) as f:
            rules = f.read()
        with open(hba, "w") as f:
            f.write(f"host all {PASSWORD_USER[0]} 127.0.0.1/32 scram-sha-256\n{rules}")
        opts = (f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off")  # fmt: skip
        run(f"{bindir}/pg_ctl", "-D", data, "-o", opts, "-l", f"{root}/log", "-w", "start")
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"could not start a PostgreSQL cluster: {exc.stderr.decode()[-300:]}")
    try:
        server = PgServer(f"postgresql://felt@127.0.0.1:{port}/postgres")
        with server._connect("postgres") as conn:
            user, password = PASSWORD_USER
            conn.execute(f"CREATE ROLE {user} LOGIN PASSWORD '{password}'")
        server.password_user = PASSWORD_USER
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            run(f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=BACKENDS)
def backend(request):
    """The backend a test runs on: each test that asks for it runs on both."""
    return request.param


@pytest.fixture
def new_target(backend, tmp_path, request):
    """Where a new store goes: a file in tmp_path (SQLite) or a new database's URL (the
    same name gives the same database within a test); ``new_target(name, empty=True)``
    for a database no migration has touched."""
    given: dict[str, str] = {}

    def make(name: str = "felt.db", *, empty: bool = False) -> str:
        if backend == "sqlite":
            return str(tmp_path / name)
        if name not in given:
            given[name] = request.getfixturevalue("pg_server").new_database(empty=empty)
        return given[name]

    yield make
    if given:
        server = request.getfixturevalue("pg_server")
        for url in given.values():
            server.release(url)


@pytest.fixture
def new_store(backend, new_target):
    """Open a store on the test's backend (closed after the test): ``new_store(name)``."""
    opened = []

    def make(name: str = "felt.db", **options):
        target = new_target(name)
        store = (
            SqliteStore(target, **options)
            if backend == "sqlite"
            else PostgresStore(target, **options)
        )
        opened.append(store)
        return store

    yield make
    for store in opened:
        with contextlib.suppress(Exception):
            store.close()
