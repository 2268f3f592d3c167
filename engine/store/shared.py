"""The SQL both backends share: every ``Store`` method but connecting and migrating.

``SqlStore`` runs portable SQL on ``self.db`` (sqlite-utils' ``Database`` or
``PgDatabase``, see ``engine.store.dialect``); a backend adds how to connect, its
migrations, its size on disk and how its errors read (``_error``).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from engine.errors import StoreError
from engine.store.base import Store
from engine.store.dialect import DB_ERRORS, snapshot
from engine.store.models import (
    GAMES,
    SOURCES,
    Attempt,
    HandRecord,
    Profile,
    SessionSummary,
    utc_now,
)

__all__ = ["DEFAULT_PROFILE", "SqlStore", "guard"]

DEFAULT_PROFILE = "Player"
_T = TypeVar("_T")


def guard(method: Callable[..., _T]) -> Callable[..., _T]:
    """Turn the database's errors into a StoreError whose message says what to do."""

    @functools.wraps(method)
    def wrapper(self: SqlStore, *args: Any, **kwargs: Any) -> _T:
        try:
            return method(self, *args, **kwargs)
        except DB_ERRORS as exc:
            raise self._error(exc) from exc

    return wrapper


_guard = guard


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


class SqlStore(Store):
    """The ``Store`` methods over ``self.db``, the same SQL for SQLite and PostgreSQL."""

    backend: str
    db: Any

    def _error(self, exc: Exception) -> StoreError:
        """The StoreError for a database error ``exc`` (a backend says it its own way)."""
        return StoreError(f"The database {self.location} failed: {exc}.")

    def _pending(self) -> list[str]:
        """Names of the migrations not applied yet."""
        return []

    def _size(self) -> int | None:
        """The database's size in bytes, None where unknown."""
        return None

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @_guard
    def status(self) -> dict[str, Any]:
        with snapshot(self.db):  # one snapshot: counts that agree with each other

            def one(sql: str, params: Iterable[Any] = ()) -> Any:
                return self.db.execute(sql, list(params)).fetchone()[0]

            drills = {
                r["drill"]: {
                    "attempts": r["n"],
                    "mistakes": r["wrong"],
                    "ev_lost": float(r["ev"] or 0.0),
                }
                for r in self.db.query(
                    "SELECT drill, COUNT(*) AS n, SUM(1 - correct) AS wrong, SUM(ev_loss) AS ev"
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
                "backend": self.backend,
                "location": self.location,
                "migrations_pending": self._pending(),
                "size_bytes": None,
                "profiles": one("SELECT COUNT(*) FROM profiles"),
                "sessions": one("SELECT COUNT(*) FROM game_sessions"),
                "hands": hands,
                "review_items": one("SELECT COUNT(*) FROM review_items"),
                "review_due": one("SELECT COUNT(*) FROM review_items WHERE due <= ?", [utc_now()]),
                "drills": drills,
            }
        out["size_bytes"] = self._size()
        return out

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
        first = "SELECT * FROM profiles ORDER BY id LIMIT 1"
        with self.db.atomic():
            rows = list(self.db.query(first))
            if rows:
                return _profile(rows[0])
            # two replicas (or tabs) starting at once: one inserts, both read the same row
            self.db.execute(
                "INSERT INTO profiles (name, created_at, settings) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO NOTHING",
                [DEFAULT_PROFILE, utc_now(), _dumps({})],
            )
            return _profile(next(iter(self.db.query(first))))

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
            GROUP BY s.id HAVING COUNT(a.id) > 0 OR s.profit IS NOT NULL
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
