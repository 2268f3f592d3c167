"""The PostgreSQL backend (psycopg 3): the same ``Store`` for deployments with replicas.

``PostgresStore`` connects to a ``postgresql://`` URL and runs ``SqlStore``'s shared SQL
through ``PgDatabase``, a thin adapter with sqlite-utils' surface (``?`` placeholders,
``execute``/``query``/``atomic``), so ``analytics``, ``review`` and ``export`` run
unchanged. The schema is the SQLite one, step for step (the same six migrations, recorded
in a ``migrations`` table), in Postgres types: identity ids, ``jsonb`` for JSON columns,
``double precision`` for reals, times as ISO 8601 UTC text in the "C" collation (so they
sort as SQLite sorts them). The ``attempt_facts`` triggers are PL/pgSQL functions that
write what SQLite's JSON functions write. Migrations run in one transaction holding an
advisory lock: replicas starting together take turns, and the second finds nothing to do.

What a page reads is what it reads from SQLite: JSON comes back as text (the keys sorted,
as the store writes them), averages as floats. Errors become ``StoreError`` messages for
a person; the URL is shown with its password masked.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.adapt import Loader
from psycopg.rows import dict_row
from psycopg.types.numeric import FloatLoader

from engine.errors import StoreError
from engine.store.dialect import PostgresError, lock_key
from engine.store.models import GAMES, SOURCES
from engine.store.shared import SqlStore, guard

__all__ = ["MIGRATION_NAMES", "PgDatabase", "PostgresStore", "is_postgres_url", "mask_url"]


def is_postgres_url(target: object) -> bool:
    """Whether ``target`` names a PostgreSQL database rather than a SQLite file.

    >>> is_postgres_url("postgresql://db/felt"), is_postgres_url("data/felt.db")
    (True, False)
    """
    return isinstance(target, str) and target.startswith(("postgres://", "postgresql://"))


def mask_url(url: str) -> str:
    """The URL with its password replaced by ``***`` (for messages, pages and /healthz).

    >>> mask_url("postgresql://felt:s3cret@db.example:5432/felt")
    'postgresql://felt:***@db.example:5432/felt'
    >>> mask_url("postgresql://db/felt?password=s3cret&sslmode=require")
    'postgresql://db/felt?password=***&sslmode=require'
    """
    parts = urllib.parse.urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        user, host = netloc.rsplit("@", 1)
        if ":" in user:
            user = user.split(":", 1)[0] + ":***"
        netloc = f"{user}@{host}"
    query = re.sub(r"(?i)(^|&)(password=)[^&]*", r"\1\2***", parts.query)
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc, query=query))


# --- the adapter -----------------------------------------------------------------------


@functools.lru_cache(maxsize=2048)
def _pg_sql(sql: str) -> str:
    """``?`` placeholders as psycopg's ``%s``, and literal ``%`` doubled (outside and
    inside quoted strings: psycopg reads the whole text).

    >>> _pg_sql("SELECT '?%' WHERE a LIKE 'bj%' AND b = ?")
    "SELECT '?%%' WHERE a LIKE 'bj%%' AND b = %s"
    """
    parts = re.split(r"('(?:[^']|'')*')", sql)
    return "".join(
        p.replace("%", "%%") if i % 2 else p.replace("%", "%%").replace("?", "%s")
        for i, p in enumerate(parts)
    )


class _JsonText(Loader):
    """jsonb read back as JSON text with sorted keys: what SQLite returns for what the
    store writes (jsonb itself keeps neither key order nor spacing)."""

    def load(self, data: Any) -> str:
        return json.dumps(json.loads(bytes(data)), sort_keys=True, ensure_ascii=True)


class _Cursor:
    """A finished statement: rows, ``rowcount`` and ``lastrowid`` like sqlite3's cursor."""

    def __init__(self, db: PgDatabase, cursor: psycopg.Cursor[Any]) -> None:
        self._db, self._cursor = db, cursor
        self.rowcount = cursor.rowcount

    def fetchone(self) -> Any:
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())

    @property
    def lastrowid(self) -> int:
        """The id the last INSERT drew from an identity column (this session's
        ``lastval()``), as SQLite's ``lastrowid``."""
        return self._db.execute("SELECT lastval()").fetchone()[0]


class PgDatabase:
    """sqlite-utils' small surface over one psycopg connection (autocommit outside
    ``atomic()``; nested ``atomic()`` blocks are savepoints). Errors are raised as
    ``PostgresError`` with a message for a person."""

    dialect = "postgresql"

    def __init__(self, connect: Callable[[], psycopg.Connection[Any]], location: str) -> None:
        self._connect = connect
        self.location = location
        self._pg = connect()
        self.conn = self  # sqlite-utils code calls db.conn.executemany(...)

    def _live(self) -> psycopg.Connection[Any]:
        """The connection, opened again if the server dropped it between transactions."""
        if self._pg.broken and not self.in_transaction:
            self._pg.close()
            self._pg = self._connect()
        return self._pg

    @property
    def in_transaction(self) -> bool:
        return self._pg.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> _Cursor:
        try:
            cur = self._live().execute(_pg_sql(sql), list(params or ()))
        except psycopg.Error as exc:
            raise _pg_error(exc, self.location) from exc
        return _Cursor(self, cur)

    def execute_script(self, sql: str) -> None:
        """Run SQL without placeholders (DDL, function bodies) as written."""
        try:
            self._live().execute(sql.encode())
        except psycopg.Error as exc:
            raise _pg_error(exc, self.location) from exc

    def query(self, sql: str, params: Sequence[Any] | None = None) -> Iterator[dict[str, Any]]:
        try:
            with self._live().cursor(row_factory=dict_row) as cur:
                rows = cur.execute(_pg_sql(sql), list(params or ())).fetchall()
        except psycopg.Error as exc:
            raise _pg_error(exc, self.location) from exc
        yield from rows

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        try:
            with self._live().cursor() as cur:
                cur.executemany(_pg_sql(sql), [list(r) for r in rows])
        except psycopg.Error as exc:
            raise _pg_error(exc, self.location) from exc

    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        try:
            with self._live().transaction():
                yield
        except psycopg.Error as exc:  # raised by COMMIT itself
            raise _pg_error(exc, self.location) from exc

    def close(self) -> None:
        self._pg.close()


def _pg_error(exc: psycopg.Error, location: str) -> PostgresError:
    """A psycopg error as a sentence that says what to do (no password in it)."""
    state = getattr(exc, "sqlstate", None)
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, pg_errors.SerializationFailure | pg_errors.DeadlockDetected):
        text = (
            f"The database {location} is busy: this change collided with another writer "
            "(another replica or tab). Try again."
        )
    elif isinstance(exc, pg_errors.LockNotAvailable | pg_errors.QueryCanceled):
        text = (
            f"The database {location} is busy: another writer held a lock for too long. "
            "Try again in a moment."
        )
    elif isinstance(exc, pg_errors.IntegrityError):
        text = f"The database {location} refused the change: {detail}."
    elif isinstance(exc, pg_errors.ReadOnlySqlTransaction):
        text = (
            f"The database {location} is read-only (a standby?), so nothing can be saved. "
            "Point FELT_DB at the primary server."
        )
    elif isinstance(exc, pg_errors.InsufficientPrivilege):
        text = (
            f"The database {location} refused access: {detail}. Grant the user of "
            "FELT_DB the rights to the database's tables."
        )
    elif isinstance(exc, psycopg.OperationalError):
        text = _connection_problem(exc, location)
    else:
        text = f"The database {location} failed: {detail}."
    return PostgresError(text, state)


def _connection_problem(exc: psycopg.Error, location: str) -> str:
    raw = str(exc)
    low = raw.lower()
    state = getattr(exc, "sqlstate", None)
    parts = urllib.parse.urlsplit(location)
    no_role = "role" in low and "does not exist" in low
    if state in ("28P01", "28000") or "authentication failed" in low or no_role:
        return (
            f"PostgreSQL refused the login for user {parts.username!r} at {location}: check "
            "the user name and password in FELT_DB."
        )
    if state == "3D000" or ('database "' in low and "does not exist" in low):
        name = parts.path.lstrip("/") or parts.username
        return (
            f"The PostgreSQL server has no database {name!r} ({location}): create it "
            f"(createdb {name}) or fix the name in FELT_DB."
        )
    if "connection refused" in low or "could not connect" in low or "no such file" in low:
        return (
            f"Cannot reach the PostgreSQL server at {location}: is it running, and are "
            "FELT_DB's host and port right?"
        )
    if "timeout" in low or "timed out" in low:
        return (
            f"The PostgreSQL server at {location} did not answer in time: check the host "
            "in FELT_DB and the network."
        )
    if "translate host name" in low or "name or service not known" in low:
        return f"Cannot find the PostgreSQL host of {location}: check the host in FELT_DB."
    if "closed" in low or "terminat" in low or "lost" in low:
        return (
            f"The connection to the PostgreSQL server at {location} was lost. "
            "Try again; check the server if it keeps happening."
        )
    first = raw.strip().splitlines()[-1] if raw.strip() else type(exc).__name__
    return f"The PostgreSQL database {location} failed: {first}."


# --- migrations: the SQLite schema, step for step ---------------------------------------
_ID = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
_TEXT = 'TEXT COLLATE "C"'  # byte order, as SQLite compares text
_REAL = "DOUBLE PRECISION"


def _in(values: Iterable[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


_MIGRATION_LOCK = lock_key("felt", "migrations")
_MIGRATIONS: list[tuple[str, Callable[[PgDatabase], None]]] = []


def _migration(name: str) -> Callable[[Callable[[PgDatabase], None]], Callable[..., None]]:
    def register(fn: Callable[[PgDatabase], None]) -> Callable[[PgDatabase], None]:
        _MIGRATIONS.append((name, fn))
        return fn

    return register


@_migration("0001_initial")
def _initial(db: PgDatabase) -> None:
    db.execute_script(
        f"""
        CREATE TABLE profiles (
            id {_ID},
            name {_TEXT} NOT NULL UNIQUE,
            created_at {_TEXT} NOT NULL,
            settings JSONB NOT NULL DEFAULT '{{}}'
        );
        CREATE TABLE game_sessions (
            id {_ID},
            profile_id BIGINT NOT NULL REFERENCES profiles(id),
            game {_TEXT} NOT NULL CHECK (game IN ({_in(GAMES)})),
            started_at {_TEXT} NOT NULL,
            ended_at {_TEXT},
            settings JSONB NOT NULL DEFAULT '{{}}',
            profit {_REAL}
        );
        CREATE TABLE drill_attempts (
            id {_ID},
            session_id BIGINT NOT NULL REFERENCES game_sessions(id),
            drill {_TEXT} NOT NULL,
            situation JSONB NOT NULL,
            answer {_TEXT} NOT NULL,
            best {_TEXT} NOT NULL,
            correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
            ev_loss {_REAL} NOT NULL,
            response_ms {_REAL} NOT NULL,
            created_at {_TEXT} NOT NULL
        );
        CREATE TABLE hand_history (
            id {_ID},
            session_id BIGINT NOT NULL REFERENCES game_sessions(id),
            state JSONB NOT NULL,
            source {_TEXT} NOT NULL CHECK (source IN ({_in(SOURCES)})),
            image_hash {_TEXT},
            recommendation {_TEXT} NOT NULL,
            action {_TEXT} NOT NULL,
            result {_REAL},
            created_at {_TEXT} NOT NULL
        );
        """
    )


@_migration("0002_indexes")
def _indexes(db: PgDatabase) -> None:
    db.execute_script(
        """
        CREATE INDEX idx_game_sessions_profile_id_started_at
            ON game_sessions (profile_id, started_at);
        CREATE INDEX idx_drill_attempts_session_id ON drill_attempts (session_id);
        CREATE INDEX idx_drill_attempts_drill_created_at ON drill_attempts (drill, created_at);
        CREATE INDEX idx_hand_history_session_id ON hand_history (session_id);
        """
    )


@_migration("0003_review_queue")
def _review_queue(db: PgDatabase) -> None:
    db.execute_script(
        f"""
        CREATE TABLE review_items (
            id {_ID},
            profile_id BIGINT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            drill {_TEXT} NOT NULL,
            spot {_TEXT} NOT NULL,
            situation JSONB NOT NULL,
            state {_TEXT} NOT NULL CHECK (state IN ('learning', 'review', 'relearning')),
            step INTEGER,
            stability {_REAL},
            difficulty {_REAL},
            due {_TEXT} NOT NULL,
            last_review {_TEXT},
            reviews INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0,
            created_at {_TEXT} NOT NULL,
            UNIQUE (profile_id, drill, spot)
        );
        CREATE TABLE review_log (
            id {_ID},
            item_id BIGINT NOT NULL REFERENCES review_items(id) ON DELETE CASCADE,
            attempt_id BIGINT UNIQUE REFERENCES drill_attempts(id) ON DELETE SET NULL,
            rating {_TEXT} NOT NULL CHECK (rating IN ('again', 'hard', 'good', 'easy')),
            reviewed_at {_TEXT} NOT NULL,
            response_ms {_REAL}
        );
        CREATE TABLE review_sync (
            profile_id BIGINT PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
            last_attempt_id BIGINT NOT NULL
        );
        CREATE INDEX idx_review_items_profile_id_due ON review_items (profile_id, due);
        CREATE INDEX idx_review_log_item_id ON review_log (item_id);
        """
    )


# SQLite's JSON functions and casts, as PL/pgSQL: felt_json_text renders a value the way
# json_extract renders it inside an array (compact, keys in stored order), felt_json_value
# the way json_extract returns one value (text unquoted, JSON null as NULL), felt_real is
# CAST(text AS REAL) (the leading number, else 0.0), felt_num a JSON value read as a REAL
# column reads it (a string that is not a number as NaN, which analytics reads as missing).
_FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION felt_json_text(v jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF v IS NULL THEN
        RETURN 'null';
    ELSIF jsonb_typeof(v) = 'array' THEN
        RETURN '[' || COALESCE((SELECT string_agg(felt_json_text(e), ',' ORDER BY i)
                                FROM jsonb_array_elements(v) WITH ORDINALITY AS t(e, i)), '')
               || ']';
    ELSIF jsonb_typeof(v) = 'object' THEN
        RETURN '{' || COALESCE((SELECT string_agg(to_jsonb(k)::text || ':'
                                                  || felt_json_text(e), ',')
                                FROM jsonb_each(v) AS t(k, e)), '') || '}';
    END IF;
    RETURN v::text;
END $$;

CREATE OR REPLACE FUNCTION felt_json_value(v jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v IS NULL OR jsonb_typeof(v) = 'null' THEN NULL
                WHEN jsonb_typeof(v) = 'string' THEN v #>> '{}' ELSE felt_json_text(v) END
$$;

CREATE OR REPLACE FUNCTION felt_real(t text) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN t IS NULL THEN NULL ELSE COALESCE(
        CAST(substring(t FROM '^\s*([-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?)')
             AS double precision), 0.0) END
$$;

CREATE OR REPLACE FUNCTION felt_num(v jsonb) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE jsonb_typeof(v)
        WHEN 'number' THEN (v #>> '{}')::double precision
        WHEN 'boolean' THEN CASE WHEN v = 'true'::jsonb THEN 1.0 ELSE 0.0 END
        WHEN 'string' THEN CASE
            WHEN (v #>> '{}') ~ '^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$'
            THEN (v #>> '{}')::double precision ELSE 'NaN'::double precision END
        WHEN 'array' THEN 'NaN'::double precision
        WHEN 'object' THEN 'NaN'::double precision
    END
$$;

CREATE OR REPLACE FUNCTION felt_array_length(v jsonb) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v IS NULL THEN NULL WHEN jsonb_typeof(v) = 'array'
           THEN jsonb_array_length(v) ELSE 0 END
$$;
"""

_S = "NEW.situation"
# the attempt_facts columns, as sqlite.py's _FACTS computes them
_FACTS = {
    "spot_fields": "'[' || "
    + " || ',' || ".join(
        # scalars inline (a function call per field is most of an insert's cost)
        f"CASE WHEN jsonb_typeof({_S}->'{k}') IN ('array', 'object') "
        f"THEN felt_json_text({_S}->'{k}') ELSE COALESCE(({_S}->'{k}')::text, 'null') END"
        for k in ("spot", "player", "dealer", "pace", "decks_left", "hero", "stack", "position")
    )
    + " || ']'",
    "board_cards": f"CASE WHEN NEW.drill LIKE 'poker%' THEN CASE jsonb_typeof({_S}->'board') "
    f"WHEN 'array' THEN jsonb_array_length({_S}->'board') WHEN 'string' THEN "
    f"length(replace(replace({_S}->>'board', ' ', ''), ',', '')) / 2 END END",
    "rules": f"CASE WHEN NEW.drill LIKE 'bj%' THEN felt_json_value({_S}->'rules') END",
    "pace": f"CASE NEW.drill WHEN 'count-running' THEN felt_num({_S}->'pace') END",
    "cards_shown": f"CASE NEW.drill WHEN 'count-running' THEN felt_array_length({_S}->'cards') END",
    "count_error": f"CASE NEW.drill WHEN 'count-true' THEN COALESCE(felt_num({_S}->'error'), "
    "felt_real(NEW.answer) - felt_real(NEW.best)) END",
    "guess": f"CASE NEW.drill WHEN 'poker-equity' THEN COALESCE(felt_num({_S}->'guess'), "
    "felt_real(rtrim(NEW.answer, '%'))) END",
    "equity": f"CASE NEW.drill WHEN 'poker-equity' THEN COALESCE(felt_num({_S}->'equity'), "
    "felt_real(rtrim(NEW.best, '%'))) END",
}
# as sqlite.py's _FACTS_0005: the equity drill's truth and error_points read first
_FACTS_0005 = {
    **_FACTS,
    "guess": f"CASE NEW.drill WHEN 'poker-equity' THEN COALESCE(felt_num({_S}->'guess'), "
    f"felt_num({_S}->'truth') + felt_num({_S}->'error_points') / 100.0, "
    "felt_real(rtrim(NEW.answer, '%'))) END",
    "equity": f"CASE NEW.drill WHEN 'poker-equity' THEN COALESCE(felt_num({_S}->'equity'), "
    f"felt_num({_S}->'truth'), felt_real(rtrim(NEW.best, '%'))) END",
}


def _facts_function(facts: dict[str, str]) -> str:
    """The trigger function: the attempt's facts row replaced (as SQLite's INSERT OR
    REPLACE: a later column such as spot_id starts again empty)."""
    return f"""
    CREATE OR REPLACE FUNCTION felt_attempt_facts() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            DELETE FROM attempt_facts WHERE attempt_id = NEW.id;
        END IF;
        INSERT INTO attempt_facts (attempt_id, {", ".join(facts)})
        VALUES (NEW.id, {", ".join(facts.values())});
        RETURN NULL;
    END $$;
    """


@_migration("0004_attempt_facts")
def _attempt_facts(db: PgDatabase) -> None:
    db.execute_script(
        f"""
        CREATE TABLE attempt_facts (
            attempt_id BIGINT PRIMARY KEY,
            spot_fields {_TEXT} NOT NULL,
            board_cards INTEGER,
            rules {_TEXT},
            pace {_REAL},
            cards_shown INTEGER,
            count_error {_REAL},
            guess {_REAL},
            equity {_REAL}
        );
        {_FUNCTIONS}
        {_facts_function(_FACTS)}
        CREATE FUNCTION felt_attempt_facts_delete() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM attempt_facts WHERE attempt_id = OLD.id;
            RETURN NULL;
        END $$;
        CREATE TRIGGER attempt_facts_insert AFTER INSERT ON drill_attempts
            FOR EACH ROW EXECUTE FUNCTION felt_attempt_facts();
        CREATE TRIGGER attempt_facts_update AFTER UPDATE OF drill, situation, answer, best
            ON drill_attempts FOR EACH ROW EXECUTE FUNCTION felt_attempt_facts();
        CREATE TRIGGER attempt_facts_delete AFTER DELETE ON drill_attempts
            FOR EACH ROW EXECUTE FUNCTION felt_attempt_facts_delete();
        UPDATE drill_attempts SET drill = drill;  -- backfill through the trigger
        """
    )


@_migration("0005_equity_facts")
def _equity_facts(db: PgDatabase) -> None:
    guess, equity = (_FACTS_0005[c].replace("NEW.", "a.") for c in ("guess", "equity"))
    db.execute_script(
        f"""
        {_facts_function(_FACTS_0005)}
        UPDATE attempt_facts f SET guess = x.guess, equity = x.equity FROM (
            SELECT a.id, {guess} AS guess, {equity} AS equity
            FROM drill_attempts a WHERE a.drill = 'poker-equity'
        ) AS x WHERE f.attempt_id = x.id;
        """
    )


@_migration("0006_spot_names")
def _spot_names(db: PgDatabase) -> None:
    db.execute_script(
        f"""
        CREATE TABLE spot_names (
            id {_ID},
            drill {_TEXT} NOT NULL,
            spot_fields {_TEXT} NOT NULL,
            board_cards INTEGER,
            spot {_TEXT} NOT NULL,
            hand {_TEXT},
            up {_TEXT}
        );
        CREATE UNIQUE INDEX spot_names_situation ON spot_names
            (drill, spot_fields, COALESCE(board_cards, -1));
        ALTER TABLE attempt_facts ADD COLUMN spot_id BIGINT REFERENCES spot_names(id);
        CREATE INDEX attempt_facts_unnamed ON attempt_facts (attempt_id)
            WHERE spot_id IS NULL;
        """
    )
    from engine.store.analytics import name_situations  # analytics imports the store's API

    name_situations(db)


MIGRATION_NAMES = tuple(name for name, _ in _MIGRATIONS)
_MIGRATION_SET = "felt"


# --- the store -------------------------------------------------------------------------
class PostgresStore(SqlStore):
    """The store in a PostgreSQL database named by a ``postgresql://`` URL.

    ``timeout`` is how long a statement waits for a lock another connection holds before
    raising StoreError (``lock_timeout``), and how long connecting may take.
    """

    backend = "postgresql"

    def __init__(self, url: str, *, timeout: float = 2.0, migrate: bool = True) -> None:
        if not is_postgres_url(url):
            raise StoreError(f"{mask_url(str(url))} is not a postgresql:// URL.")
        self._url = url
        self._timeout = timeout
        self.location = mask_url(url)
        try:
            self.db = PgDatabase(self._connect, self.location)
        except PostgresError as exc:
            raise StoreError(str(exc)) from exc
        try:
            if migrate:
                self.migrate()
        except BaseException:
            self.db.close()
            raise

    def _connect(self) -> psycopg.Connection[Any]:
        try:
            conn = psycopg.connect(
                self._url,
                autocommit=True,
                connect_timeout=max(2, round(self._timeout * 2)),
                options=f"-c lock_timeout={max(1, round(self._timeout * 1000))}",
                application_name="felt",
            )
        except psycopg.Error as exc:
            raise _pg_error(exc, self.location) from exc
        except ValueError as exc:  # a malformed URL
            raise PostgresError(f"FELT_DB is not a valid PostgreSQL URL ({exc}).") from exc
        conn.adapters.register_loader("jsonb", _JsonText)
        conn.adapters.register_loader("json", _JsonText)
        conn.adapters.register_loader("numeric", FloatLoader)  # AVG(integer): a float
        return conn

    def _error(self, exc: Exception) -> StoreError:
        if isinstance(exc, PostgresError):
            return StoreError(str(exc))
        return super()._error(exc)

    def close(self) -> None:
        self.db.close()

    def reopen(self) -> PostgresStore:
        """A new store (its own connection) on the same database, for another thread."""
        return PostgresStore(self._url, timeout=self._timeout, migrate=False)

    @guard
    def migrate(self) -> list[str]:
        """Apply pending migrations in one transaction under an advisory lock, so that of
        replicas starting together one migrates and the others find nothing to do."""
        done = []
        with self.db.atomic():
            self.db.execute("SELECT pg_advisory_xact_lock(?)", [_MIGRATION_LOCK])
            if not self._has_migrations_table():  # (a user with table rights only may not
                self.db.execute_script(  # create tables, not even "IF NOT EXISTS")
                    f"""CREATE TABLE migrations (
                        id {_ID},
                        migration_set {_TEXT} NOT NULL,
                        name {_TEXT} NOT NULL,
                        applied_at {_TEXT} NOT NULL,
                        UNIQUE (migration_set, name)
                    )"""
                )
            applied = set(self.applied_migrations())
            for name, fn in _MIGRATIONS:
                if name in applied:
                    continue
                fn(self.db)
                self.db.execute(
                    "INSERT INTO migrations (migration_set, name, applied_at) "
                    "VALUES (?, ?, CAST(now() AT TIME ZONE 'UTC' AS text) || '+00:00')",
                    [_MIGRATION_SET, name],
                )
                done.append(name)
        return done

    def _has_migrations_table(self) -> bool:
        return self.db.execute("SELECT to_regclass('migrations') IS NOT NULL").fetchone()[0]

    @guard
    def applied_migrations(self) -> list[str]:
        """Names of the migrations recorded in the ``migrations`` table, in order."""
        if not self._has_migrations_table():
            return []
        return [
            r[0]
            for r in self.db.execute(
                "SELECT name FROM migrations WHERE migration_set = ? ORDER BY id",
                [_MIGRATION_SET],
            )
        ]

    def _pending(self) -> list[str]:
        applied = set(self.applied_migrations())
        return [name for name in MIGRATION_NAMES if name not in applied]

    def _size(self) -> int | None:
        return self.db.execute("SELECT pg_database_size(current_database())").fetchone()[0]
