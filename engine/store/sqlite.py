"""The SQLite backend (sqlite-utils): WAL, migrations in code, one connection per thread.

A connection belongs to the thread that opened it (SQLite's own check stays on): Streamlit
reruns scripts on other threads, so the app asks ``thread_store()`` for the calling
thread's store instead of sharing one.
"""

from __future__ import annotations

import functools
import json
import os
import pathlib
import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from sqlite_utils import Database, Migrations

from engine.errors import StoreError
from engine.store.base import Store
from engine.store.models import (
    GAMES,
    SOURCES,
    Attempt,
    HandRecord,
    Profile,
    SessionSummary,
    utc_now,
)

__all__ = ["DEFAULT_DB", "SqliteStore", "default_db_path", "thread_store"]

DEFAULT_DB = pathlib.Path(__file__).resolve().parents[2] / "data" / "felt.db"
DEFAULT_PROFILE = "Player"
_T = TypeVar("_T")


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


def _guard(method: Callable[..., _T]) -> Callable[..., _T]:
    """Turn SQLite's errors into a StoreError whose message says what to do."""

    @functools.wraps(method)
    def wrapper(self: SqliteStore, *args: Any, **kwargs: Any) -> _T:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise _store_error(exc, self.location) from exc

    return wrapper


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


def _dumps(value: Mapping[str, Any] | None) -> str:
    try:
        return json.dumps(dict(value or {}), sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"Cannot store {value!r} as JSON: {exc}.") from exc


def _profile(row: Mapping[str, Any]) -> Profile:
    return Profile(row["id"], row["name"], row["created_at"], json.loads(row["settings"]))


_JSON_COLUMNS = ("settings", "situation", "state")


def _decode(row: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for key in _JSON_COLUMNS:
        if isinstance(out.get(key), str):
            out[key] = json.loads(out[key])
    if "correct" in out:
        out["correct"] = bool(out["correct"])
    return out


class SqliteStore(Store):
    """The store in one SQLite file (WAL journal).

    ``path`` defaults to ``default_db_path()``; ``timeout`` is how long a write waits for a
    lock held by another connection before raising StoreError.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     with SqliteStore(pathlib.Path(d) / "t.db") as store:
    ...         me = store.default_profile()
    ...         sid = store.start_session(me.id, "blackjack")
    ...         _ = store.record_attempt(sid, Attempt("bj", {}, "S", "H", False, 0.03, 900))
    ...         [(a["answer"], a["ev_loss"]) for a in store.attempts(me.id)]
    [('S', 0.03)]
    """

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

    @_guard
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

    @_guard
    def migrate(self) -> list[str]:
        pending = [m.name for m in MIGRATIONS.pending(self.db)]
        if pending:
            MIGRATIONS.apply(self.db)
        return pending

    @_guard
    def status(self) -> dict[str, Any]:
        with self.db.atomic():  # one snapshot: counts that agree with each other

            def one(sql: str, params: Iterable[Any] = ()) -> Any:
                return self.db.execute(sql, list(params)).fetchone()[0]

            drills = {
                r["drill"]: {
                    "attempts": r["n"],
                    "mistakes": r["wrong"],
                    "ev_lost": float(r["ev"] or 0.0),
                }
                for r in self.db.query(
                    "SELECT drill, COUNT(*) AS n, SUM(NOT correct) AS wrong, SUM(ev_loss) AS ev"
                    " FROM drill_attempts GROUP BY drill ORDER BY drill"
                )
            }
            hands = {
                r["source"]: r["n"]
                for r in self.db.query(
                    "SELECT source, COUNT(*) AS n FROM hand_history GROUP BY source"
                )
            }
            out = {
                "backend": "sqlite",
                "location": self.location,
                "migrations_pending": [m.name for m in MIGRATIONS.pending(self.db)],
                "size_bytes": None,
                "profiles": one("SELECT COUNT(*) FROM profiles"),
                "sessions": one("SELECT COUNT(*) FROM game_sessions"),
                "hands": hands,
                "review_items": one("SELECT COUNT(*) FROM review_items"),
                "review_due": one("SELECT COUNT(*) FROM review_items WHERE due <= ?", [utc_now()]),
                "drills": drills,
            }
        if self.location != ":memory:":
            # the write-ahead log holds recent writes until a checkpoint: count it too
            files = [pathlib.Path(self.location + suffix) for suffix in ("", "-wal")]
            out["size_bytes"] = sum(f.stat().st_size for f in files if f.exists())
        return out

    @_guard
    def applied_migrations(self) -> list[str]:
        """Names of the migrations recorded in the ``migrations`` table, in order."""
        return [m.name for m in MIGRATIONS.applied(self.db)]

    # profiles --------------------------------------------------------------------------
    @_guard
    def profiles(self) -> list[Profile]:
        return [_profile(r) for r in self.db.query("SELECT * FROM profiles ORDER BY id")]

    @_guard
    def profile(self, profile_id: int) -> Profile:
        rows = list(self.db.query("SELECT * FROM profiles WHERE id = ?", [profile_id]))
        if not rows:
            raise StoreError(f"There is no profile with id {profile_id}.")
        return _profile(rows[0])

    @_guard
    def default_profile(self) -> Profile:
        with self.db.atomic():
            rows = list(self.db.query("SELECT * FROM profiles ORDER BY id LIMIT 1"))
            if rows:
                return _profile(rows[0])
            return self._insert_profile(DEFAULT_PROFILE, {})

    @_guard
    def create_profile(self, name: str, settings: Mapping[str, Any] | None = None) -> Profile:
        name = (name or "").strip()
        if not name:
            raise StoreError("A profile needs a name.")
        if len(name) > 60:
            raise StoreError("A profile name is at most 60 characters.")
        with self.db.atomic():
            if list(self.db.query("SELECT id FROM profiles WHERE name = ?", [name])):
                raise StoreError(f"A profile named {name!r} already exists.")
            return self._insert_profile(name, settings or {})

    def _insert_profile(self, name: str, settings: Mapping[str, Any]) -> Profile:
        created = utc_now()
        cur = self.db.execute(
            "INSERT INTO profiles (name, created_at, settings) VALUES (?, ?, ?)",
            [name, created, _dumps(settings)],
        )
        return Profile(cur.lastrowid, name, created, dict(settings))

    @_guard
    def update_profile_settings(self, profile_id: int, settings: Mapping[str, Any]) -> Profile:
        with self.db.atomic():
            current = self.profile(profile_id)
            merged = {**current.settings, **settings}
            self.db.execute(
                "UPDATE profiles SET settings = ? WHERE id = ?", [_dumps(merged), profile_id]
            )
        return Profile(current.id, current.name, current.created_at, merged)

    @_guard
    def delete_profile(self, profile_id: int) -> None:
        sessions = "SELECT id FROM game_sessions WHERE profile_id = ?"
        with self.db.atomic():
            self.profile(profile_id)
            self.db.execute(
                f"DELETE FROM drill_attempts WHERE session_id IN ({sessions})", [profile_id]
            )
            self.db.execute(
                f"DELETE FROM hand_history WHERE session_id IN ({sessions})", [profile_id]
            )
            self.db.execute("DELETE FROM game_sessions WHERE profile_id = ?", [profile_id])
            self.db.execute("DELETE FROM profiles WHERE id = ?", [profile_id])

    # sessions and attempts -------------------------------------------------------------
    @_guard
    def start_session(
        self, profile_id: int, game: str, settings: Mapping[str, Any] | None = None
    ) -> int:
        if game not in GAMES:
            raise StoreError(f"Unknown game {game!r}: expected one of {', '.join(GAMES)}.")
        with self.db.atomic():
            cur = self.db.execute(
                "INSERT INTO game_sessions (profile_id, game, started_at, settings) "
                "VALUES (?, ?, ?, ?)",
                [profile_id, game, utc_now(), _dumps(settings)],
            )
        return cur.lastrowid

    @_guard
    def end_session(self, session_id: int, profit: float | None = None) -> None:
        with self.db.atomic():
            self.db.execute(
                "UPDATE game_sessions SET ended_at = ?, profit = COALESCE(?, profit) WHERE id = ?",
                [utc_now(), profit, session_id],
            )

    @_guard
    def record_attempts(self, session_id: int, attempts: Iterable[Attempt]) -> list[int]:
        rows = [
            [
                session_id,
                a.drill,
                _dumps(a.situation),
                str(a.answer),
                str(a.best),
                int(bool(a.correct)),
                float(a.ev_loss),
                float(a.response_ms),
                a.created_at,
            ]
            for a in attempts
        ]
        ids = []
        with self.db.atomic():
            for row in rows:
                cur = self.db.execute(
                    "INSERT INTO drill_attempts (session_id, drill, situation, answer, best, "
                    "correct, ev_loss, response_ms, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
                ids.append(cur.lastrowid)
        return ids

    @_guard
    def attempts(
        self,
        profile_id: int,
        *,
        drill: str | None = None,
        session_id: int | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        sql = (
            "SELECT a.*, s.game FROM drill_attempts a JOIN game_sessions s "
            "ON a.session_id = s.id WHERE s.profile_id = ?"
        )
        params: list[Any] = [profile_id]
        if drill is not None:
            sql += " AND a.drill = ?"
            params.append(drill)
        if session_id is not None:
            sql += " AND a.session_id = ?"
            params.append(session_id)
        sql += " ORDER BY a.id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [_decode(r) for r in self.db.query(sql, params)]

    @_guard
    def recent_sessions(self, profile_id: int, limit: int = 5) -> list[SessionSummary]:
        sql = """
            SELECT s.id, s.game, s.started_at, s.ended_at, s.profit, s.settings,
                   COUNT(a.id) AS n, COALESCE(SUM(a.correct), 0) AS ok,
                   COALESCE(SUM(a.ev_loss), 0.0) AS loss, AVG(a.response_ms) AS ms
            FROM game_sessions s LEFT JOIN drill_attempts a ON a.session_id = s.id
            WHERE s.profile_id = ?
            GROUP BY s.id HAVING n > 0 OR s.profit IS NOT NULL
            ORDER BY s.id DESC LIMIT ?"""
        return [
            SessionSummary(
                r["id"], r["game"], r["started_at"], r["ended_at"], r["n"], r["ok"],
                r["loss"], r["ms"], r["profit"], json.loads(r["settings"]),
            )
            for r in self.db.query(sql, [profile_id, int(limit)])
        ]  # fmt: skip

    @_guard
    def drill_stats(self, profile_id: int) -> list[dict[str, Any]]:
        sql = """
            SELECT a.drill, COUNT(*) AS attempts, AVG(a.correct) AS accuracy,
                   AVG(a.ev_loss) AS mean_ev_loss, SUM(a.ev_loss) AS total_ev_loss,
                   AVG(a.response_ms) AS mean_response_ms, MAX(a.created_at) AS last
            FROM drill_attempts a JOIN game_sessions s ON a.session_id = s.id
            WHERE s.profile_id = ? GROUP BY a.drill ORDER BY last DESC"""
        return [dict(r) for r in self.db.query(sql, [profile_id])]

    # hand history ----------------------------------------------------------------------
    @_guard
    def record_hand(self, session_id: int, hand: HandRecord) -> int:
        if hand.source not in SOURCES:
            raise StoreError(f"Unknown hand source {hand.source!r}: expected upload or manual.")
        with self.db.atomic():
            cur = self.db.execute(
                "INSERT INTO hand_history (session_id, state, source, image_hash, "
                "recommendation, action, result, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    session_id,
                    _dumps(hand.state),
                    hand.source,
                    hand.image_hash,
                    hand.recommendation,
                    hand.action,
                    hand.result,
                    hand.created_at,
                ],
            )
        return cur.lastrowid

    @_guard
    def hands(self, profile_id: int, limit: int | None = None) -> list[dict[str, Any]]:
        sql = (
            "SELECT h.* FROM hand_history h JOIN game_sessions s ON h.session_id = s.id "
            "WHERE s.profile_id = ? ORDER BY h.id DESC"
        )
        params: list[Any] = [profile_id]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [_decode(r) for r in self.db.query(sql, params)]

    @_guard
    def export_profile(self, profile_id: int) -> dict[str, Any]:
        profile = self.profile(profile_id)
        sessions = [
            _decode(r)
            for r in self.db.query(
                "SELECT * FROM game_sessions WHERE profile_id = ? ORDER BY id", [profile_id]
            )
        ]
        return {
            "profile": {
                "id": profile.id,
                "name": profile.name,
                "created_at": profile.created_at,
                "settings": dict(profile.settings),
            },
            "game_sessions": sessions,
            "drill_attempts": self.attempts(profile_id)[::-1],
            "hand_history": self.hands(profile_id)[::-1],
        }


_local = threading.local()
_migrated: set[str] = set()
_migrate_lock = threading.Lock()


def thread_store(path: str | os.PathLike[str] | None = None) -> SqliteStore:
    """The calling thread's store for ``path`` (default ``default_db_path()``).

    Opened on first use in each thread; migrations run once per database per process.
    """
    target = str(pathlib.Path(path) if path is not None else default_db_path())
    stores: dict[str, SqliteStore] = getattr(_local, "stores", None) or {}
    _local.stores = stores
    store = stores.get(target)
    if store is None:
        with _migrate_lock:
            store = SqliteStore(target, migrate=target not in _migrated)
            _migrated.add(target)
        stores[target] = store
    return store


def close_thread_stores() -> None:
    """Close the calling thread's stores (tests and shutdown)."""
    for store in getattr(_local, "stores", {}).values():
        store.close()
    _local.stores = {}


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
