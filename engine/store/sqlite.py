"""The SQLite backend (sqlite-utils): WAL, migrations in code, one connection per thread.

A connection belongs to the thread that opened it (SQLite's own check stays on): Streamlit
reruns scripts on other threads, so the app asks ``engine.store.thread_store()`` for the
calling thread's store instead of sharing one. The ``Store`` methods are ``SqlStore``'s
(shared with PostgreSQL); this module connects, migrates and words SQLite's errors.
"""

from __future__ import annotations

import os
import pathlib
import sqlite3

from sqlite_utils import Database, Migrations

from engine.errors import StoreError
from engine.store.models import (
    GAMES,
    SOURCES,
)
from engine.store.shared import SqlStore, guard

__all__ = ["DEFAULT_DB", "SqliteStore", "default_db_path"]

DEFAULT_DB = pathlib.Path(__file__).resolve().parents[2] / "data" / "felt.db"


def default_db_path() -> pathlib.Path:
    """Where the database lives: ``$FELT_DB`` if set, else ``data/felt.db`` in the project."""
    env = os.environ.get("FELT_DB", "").strip()
    return pathlib.Path(env).expanduser() if env else DEFAULT_DB


class _FeltMigrations(Migrations):
    migrations_table = "migrations"


MIGRATIONS = _FeltMigrations("felt")


@MIGRATIONS(name="0001_initial")
def _initial(db: Database) -> None:
    db.execute(
        """CREATE TABLE profiles (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            settings TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings))
        )"""
    )
    db.execute(
        f"""CREATE TABLE game_sessions (
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id),
            game TEXT NOT NULL CHECK (game IN ({", ".join(repr(g) for g in GAMES)})),
            started_at TEXT NOT NULL,
            ended_at TEXT,
            settings TEXT NOT NULL DEFAULT '{{}}' CHECK (json_valid(settings)),
            profit REAL
        )"""
    )
    db.execute(
        """CREATE TABLE drill_attempts (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES game_sessions(id),
            drill TEXT NOT NULL,
            situation TEXT NOT NULL CHECK (json_valid(situation)),
            answer TEXT NOT NULL,
            best TEXT NOT NULL,
            correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
            ev_loss REAL NOT NULL,
            response_ms REAL NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute(
        f"""CREATE TABLE hand_history (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES game_sessions(id),
            state TEXT NOT NULL CHECK (json_valid(state)),
            source TEXT NOT NULL CHECK (source IN ({", ".join(repr(s) for s in SOURCES)})),
            image_hash TEXT,
            recommendation TEXT NOT NULL,
            action TEXT NOT NULL,
            result REAL,
            created_at TEXT NOT NULL
        )"""
    )


@MIGRATIONS(name="0002_indexes")
def _indexes(db: Database) -> None:
    db["game_sessions"].create_index(["profile_id", "started_at"])
    db["drill_attempts"].create_index(["session_id"])
    db["drill_attempts"].create_index(["drill", "created_at"])
    db["hand_history"].create_index(["session_id"])


@MIGRATIONS(name="0003_review_queue")
def _review_queue(db: Database) -> None:
    """Spaced repetition of mistakes (engine.store.review): one FSRS card per missed spot.

    Rows go with their profile (ON DELETE CASCADE), so deleting a profile needs no change.
    """
    db.execute(
        """CREATE TABLE review_items (
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            drill TEXT NOT NULL,
            spot TEXT NOT NULL,
            situation TEXT NOT NULL CHECK (json_valid(situation)),
            state TEXT NOT NULL CHECK (state IN ('learning', 'review', 'relearning')),
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due TEXT NOT NULL,
            last_review TEXT,
            reviews INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            UNIQUE (profile_id, drill, spot)
        )"""
    )
    db.execute(
        """CREATE TABLE review_log (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES review_items(id) ON DELETE CASCADE,
            attempt_id INTEGER UNIQUE REFERENCES drill_attempts(id) ON DELETE SET NULL,
            rating TEXT NOT NULL CHECK (rating IN ('again', 'hard', 'good', 'easy')),
            reviewed_at TEXT NOT NULL,
            response_ms REAL
        )"""
    )
    db.execute(
        """CREATE TABLE review_sync (
            profile_id INTEGER PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
            last_attempt_id INTEGER NOT NULL
        )"""
    )
    db["review_items"].create_index(["profile_id", "due"])
    db["review_log"].create_index(["item_id"])


# The situation fields analytics reads, pulled out of the JSON once, when an attempt is
# written (SQLite's JSON functions are the cost of reading 100,000 answers otherwise).
_FACTS = {
    "spot_fields": "json_extract(NEW.situation, '$.spot', '$.player', '$.dealer', '$.pace', "
    "'$.decks_left', '$.hero', '$.stack', '$.position')",
    "board_cards": "CASE WHEN NEW.drill LIKE 'poker%' THEN CASE json_type(NEW.situation, "
    "'$.board') WHEN 'array' THEN json_array_length(NEW.situation, '$.board') WHEN 'text' "
    "THEN length(replace(replace(json_extract(NEW.situation, '$.board'), ' ', ''), ',', '')) "
    "/ 2 END END",
    "rules": "CASE WHEN NEW.drill LIKE 'bj%' THEN json_extract(NEW.situation, '$.rules') END",
    "pace": "CASE NEW.drill WHEN 'count-running' THEN json_extract(NEW.situation, '$.pace') END",
    "cards_shown": "CASE NEW.drill WHEN 'count-running' "
    "THEN json_array_length(NEW.situation, '$.cards') END",
    "count_error": "CASE NEW.drill WHEN 'count-true' THEN COALESCE(json_extract(NEW.situation, "
    "'$.error'), CAST(NEW.answer AS REAL) - CAST(NEW.best AS REAL)) END",
    "guess": "CASE NEW.drill WHEN 'poker-equity' THEN COALESCE(json_extract(NEW.situation, "
    "'$.guess'), CAST(rtrim(NEW.answer, '%') AS REAL)) END",
    "equity": "CASE NEW.drill WHEN 'poker-equity' THEN COALESCE(json_extract(NEW.situation, "
    "'$.equity'), CAST(rtrim(NEW.best, '%') AS REAL)) END",
}


@MIGRATIONS(name="0004_attempt_facts")
def _attempt_facts(db: Database) -> None:
    """attempt_facts: per drill attempt, the situation fields analytics reads, kept by
    triggers (insert, update, delete) so every writer fills it; existing rows backfilled.
    spot_fields is the JSON array [spot, player, dealer, pace, decks_left, hero, stack,
    position]; the other columns are set only for the drills they belong to."""
    db.execute(
        """CREATE TABLE attempt_facts (
            attempt_id INTEGER PRIMARY KEY,
            spot_fields TEXT NOT NULL,
            board_cards INTEGER,
            rules TEXT,
            pace REAL,
            cards_shown INTEGER,
            count_error REAL,
            guess REAL,
            equity REAL
        )"""
    )
    cols = ", ".join(_FACTS)
    values = ", ".join(_FACTS.values())
    upsert = f"INSERT OR REPLACE INTO attempt_facts (attempt_id, {cols}) VALUES (NEW.id, {values});"
    db.execute(
        f"CREATE TRIGGER attempt_facts_insert AFTER INSERT ON drill_attempts BEGIN {upsert} END"
    )
    db.execute(
        "CREATE TRIGGER attempt_facts_update AFTER UPDATE OF drill, situation, answer, best "
        f"ON drill_attempts BEGIN {upsert} END"
    )
    db.execute(
        "CREATE TRIGGER attempt_facts_delete AFTER DELETE ON drill_attempts "
        "BEGIN DELETE FROM attempt_facts WHERE attempt_id = OLD.id; END"
    )
    backfill = values.replace("NEW.", "a.")
    db.execute(
        f"INSERT INTO attempt_facts (attempt_id, {cols}) SELECT a.id, {backfill} "
        "FROM drill_attempts a"
    )


# Equity drills store the true equity as a share (``truth``) and the miss in points
# (``error_points``), the answer as a percentage: read those exactly, before the
# answer/best text (a guess of "1" would otherwise read as a share, 100%).
_FACTS_0005 = {
    **_FACTS,
    "guess": "CASE NEW.drill WHEN 'poker-equity' THEN COALESCE(json_extract(NEW.situation, "
    "'$.guess'), json_extract(NEW.situation, '$.truth') + json_extract(NEW.situation, "
    "'$.error_points') / 100.0, CAST(rtrim(NEW.answer, '%') AS REAL)) END",
    "equity": "CASE NEW.drill WHEN 'poker-equity' THEN COALESCE(json_extract(NEW.situation, "
    "'$.equity'), json_extract(NEW.situation, '$.truth'), CAST(rtrim(NEW.best, '%') AS REAL)) "
    "END",
}


@MIGRATIONS(name="0005_equity_facts")
def _equity_facts(db: Database) -> None:
    """attempt_facts reads the equity drill's ``truth`` and ``error_points``: the triggers
    are replaced and the equity rows recomputed."""
    cols = ", ".join(_FACTS_0005)
    values = ", ".join(_FACTS_0005.values())
    upsert = f"INSERT OR REPLACE INTO attempt_facts (attempt_id, {cols}) VALUES (NEW.id, {values});"
    db.execute("DROP TRIGGER IF EXISTS attempt_facts_insert")
    db.execute("DROP TRIGGER IF EXISTS attempt_facts_update")
    db.execute(
        f"CREATE TRIGGER attempt_facts_insert AFTER INSERT ON drill_attempts BEGIN {upsert} END"
    )
    db.execute(
        "CREATE TRIGGER attempt_facts_update AFTER UPDATE OF drill, situation, answer, best "
        f"ON drill_attempts BEGIN {upsert} END"
    )
    guess = _FACTS_0005["guess"].replace("NEW.", "a.")
    equity = _FACTS_0005["equity"].replace("NEW.", "a.")
    db.execute(
        f"UPDATE attempt_facts SET guess = (SELECT {guess} FROM drill_attempts a WHERE a.id = "
        f"attempt_facts.attempt_id), equity = (SELECT {equity} FROM drill_attempts a "
        "WHERE a.id = attempt_facts.attempt_id) WHERE attempt_id IN "
        "(SELECT id FROM drill_attempts WHERE drill = 'poker-equity')"
    )


def _store_error(exc: sqlite3.Error, location: str) -> StoreError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreError(
            f"The database {location} is busy: another program is writing to it. "
            "Try again in a moment, or close the other program."
        )
    if "readonly" in text or "read-only" in text:
        return StoreError(
            f"The database {location} is read-only, so nothing can be saved. "
            "Make the file writable or set FELT_DB to a writable path."
        )
    if "unable to open" in text or "disk i/o" in text:
        return StoreError(
            f"Cannot open the database {location}. "
            "Check the folder exists and is writable, or set FELT_DB to another path."
        )
    if isinstance(exc, sqlite3.IntegrityError):
        return StoreError(f"The database {location} refused the change: {exc}.")
    return StoreError(f"The database {location} failed: {exc}.")


class SqliteStore(SqlStore):
    """The store in one SQLite file (WAL journal).

    ``path`` defaults to ``default_db_path()``; ``timeout`` is how long a write waits for a
    lock held by another connection before raising StoreError.

    >>> import tempfile, pathlib
    >>> from engine.store import Attempt
    >>> with tempfile.TemporaryDirectory() as d:
    ...     with SqliteStore(pathlib.Path(d) / "t.db") as store:
    ...         me = store.default_profile()
    ...         sid = store.start_session(me.id, "blackjack")
    ...         _ = store.record_attempt(sid, Attempt("bj", {}, "S", "H", False, 0.03, 900))
    ...         [(a["answer"], a["ev_loss"]) for a in store.attempts(me.id)]
    [('S', 0.03)]
    """

    backend = "sqlite"

    def __init__(
        self, path: str | os.PathLike[str] | None = None, *, timeout: float = 2.0, migrate=True
    ) -> None:
        target = pathlib.Path(path) if path is not None else default_db_path()
        self.location = str(target)
        if str(target) != ":memory:":
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"Cannot create the folder for the database {self.location} "
                    f"({exc.strerror}). Set FELT_DB to a writable path."
                ) from exc
        try:
            conn = sqlite3.connect(str(target), timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise _store_error(exc, self.location) from exc
        self.db = Database(conn)
        try:
            self._configure()
            if migrate:
                self.migrate()
        except BaseException:
            conn.close()
            raise

    @guard
    def _configure(self) -> None:
        if self.location != ":memory:":
            self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute("PRAGMA synchronous=NORMAL")

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.conn.close()

    @guard
    def migrate(self) -> list[str]:
        pending = [m.name for m in MIGRATIONS.pending(self.db)]
        if pending:
            MIGRATIONS.apply(self.db)
        return pending

    def _pending(self) -> list[str]:
        return [m.name for m in MIGRATIONS.pending(self.db)]

    def _size(self) -> int | None:
        if self.location == ":memory:":
            return None
        # the write-ahead log holds recent writes until a checkpoint: count it too
        files = [pathlib.Path(self.location + suffix) for suffix in ("", "-wal")]
        return sum(f.stat().st_size for f in files if f.exists())

    def _error(self, exc: Exception) -> StoreError:
        return _store_error(exc, self.location)

    @guard
    def applied_migrations(self) -> list[str]:
        """Names of the migrations recorded in the ``migrations`` table, in order."""
        return [m.name for m in MIGRATIONS.applied(self.db)]

    def reopen(self) -> SqliteStore:
        """A new store (its own connection) on the same file, for another thread."""
        return SqliteStore(self.location, migrate=False)


@MIGRATIONS(name="0006_spot_names")
def _spot_names(db: Database) -> None:
    """spot_names: each distinct situation's name (``spot_key``) and blackjack cell, named
    once in Python; attempt_facts.spot_id points at it (analytics names new attempts when
    it reads them: names are Python, not SQL). Existing rows are named here."""
    db.execute(
        """CREATE TABLE spot_names (
            id INTEGER PRIMARY KEY,
            drill TEXT NOT NULL,
            spot_fields TEXT NOT NULL,
            board_cards INTEGER,
            spot TEXT NOT NULL,
            hand TEXT,
            up TEXT
        )"""
    )
    db.execute(
        "CREATE UNIQUE INDEX spot_names_situation ON spot_names "
        "(drill, spot_fields, COALESCE(board_cards, -1))"
    )
    db.execute("ALTER TABLE attempt_facts ADD COLUMN spot_id INTEGER REFERENCES spot_names(id)")
    db.execute(
        "CREATE INDEX attempt_facts_unnamed ON attempt_facts (attempt_id) WHERE spot_id IS NULL"
    )
    from engine.store.analytics import name_situations  # analytics imports the store's API

    name_situations(db)
