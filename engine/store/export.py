"""A profile's data out and back in: JSON (everything) and CSV (one table), import, delete.

The JSON export is the profile with its sessions, attempts, hand history and review
queue, JSON columns as JSON objects, times as stored (ISO 8601 UTC); ``import_profile``
reads it back as a new profile (ids are renumbered, references kept), so an export moves
a player to another Felt. CSV files are one table each with JSON columns as JSON text,
for spreadsheets and pandas. ``delete_profile`` removes everything of a profile once the
caller passes the profile's name as confirmation.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import Any

from engine.errors import StoreError
from engine.store.analytics import database
from engine.store.dialect import DB_ERRORS
from engine.store.models import GAMES, SOURCES, Profile, utc_now

__all__ = [
    "CSV_TABLES",
    "FORMAT",
    "VERSION",
    "delete_profile",
    "export_csv",
    "export_json",
    "export_profile",
    "import_profile",
]

FORMAT = "felt-profile"
VERSION = 1
_JSON_COLUMNS = {"settings", "situation", "state"}
_COLUMNS = {
    "game_sessions": ("id", "game", "started_at", "ended_at", "settings", "profit"),
    "drill_attempts": ("id", "session_id", "drill", "situation", "answer", "best", "correct",
                       "ev_loss", "response_ms", "created_at"),
    "hand_history": ("id", "session_id", "state", "source", "image_hash", "recommendation",
                     "action", "result", "created_at"),
    "review_items": ("id", "drill", "spot", "situation", "state", "step", "stability",
                     "difficulty", "due", "last_review", "reviews", "lapses", "created_at"),
    "review_log": ("id", "item_id", "attempt_id", "rating", "reviewed_at", "response_ms"),
}  # fmt: skip
_WHERE = {
    "game_sessions": "WHERE t.profile_id = ?",
    "drill_attempts": "JOIN game_sessions s ON t.session_id = s.id WHERE s.profile_id = ?",
    "hand_history": "JOIN game_sessions s ON t.session_id = s.id WHERE s.profile_id = ?",
    "review_items": "WHERE t.profile_id = ?",
    "review_log": "JOIN review_items i ON t.item_id = i.id WHERE i.profile_id = ?",
}
CSV_TABLES = ("drill_attempts", "hand_history", "game_sessions", "review_items")


def _profile(d: Any, profile_id: int) -> Profile:
    row = d.execute(
        "SELECT id, name, created_at, settings FROM profiles WHERE id = ?", [profile_id]
    ).fetchone()
    if row is None:
        raise StoreError(f"There is no profile with id {profile_id}.")
    return Profile(row[0], row[1], row[2], json.loads(row[3]))


def _rows(d: Any, table: str, profile_id: int, *, decode: bool) -> list[dict[str, Any]]:
    cols = _COLUMNS[table]
    sql = f"SELECT {', '.join(f't.{c}' for c in cols)} FROM {table} t {_WHERE[table]} ORDER BY t.id"
    out = []
    for values in d.execute(sql, [profile_id]).fetchall():
        row = dict(zip(cols, values, strict=True))
        if decode:
            for c in _JSON_COLUMNS.intersection(row):
                if isinstance(row[c], str) and not (table == "review_items" and c == "state"):
                    row[c] = json.loads(row[c])
            if "correct" in row:
                row["correct"] = bool(row["correct"])
        out.append(row)
    return out


def export_profile(db: Any, profile_id: int) -> dict[str, Any]:
    """Everything stored for a profile as JSON-able data (see ``import_profile``).

    >>> from engine.store import SqliteStore
    >>> with SqliteStore(":memory:") as store:
    ...     data = export_profile(store, store.default_profile().id)
    >>> data["format"], data["version"], data["profile"]["name"], data["drill_attempts"]
    ('felt-profile', 1, 'Player', [])
    """
    d = database(db)
    try:
        profile = _profile(d, profile_id)
        tables = {t: _rows(d, t, profile_id, decode=True) for t in _COLUMNS}
        mark = d.execute(
            "SELECT last_attempt_id FROM review_sync WHERE profile_id = ?", [profile_id]
        ).fetchone()
    except DB_ERRORS as exc:
        raise StoreError(f"Cannot read the profile's data for export: {exc}.") from exc
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": utc_now(),
        "profile": {
            "name": profile.name,
            "created_at": profile.created_at,
            "settings": dict(profile.settings),
        },
        **tables,
        "reviews_synced_through": mark[0] if mark else None,
    }


def export_json(db: Any, profile_id: int, *, indent: int | None = 1) -> str:
    """The JSON export as text."""
    return json.dumps(export_profile(db, profile_id), indent=indent, ensure_ascii=False)


def export_csv(db: Any, profile_id: int, table: str = "drill_attempts") -> str:
    """One table of the profile as CSV (header row; JSON columns as JSON text).

    >>> from engine.store import SqliteStore
    >>> with SqliteStore(":memory:") as store:
    ...     export_csv(store, store.default_profile().id).splitlines()[0]
    'id,session_id,drill,situation,answer,best,correct,ev_loss,response_ms,created_at'
    """
    if table not in CSV_TABLES:
        raise StoreError(
            f"Cannot export {table!r} as CSV: expected one of {', '.join(CSV_TABLES)}."
        )
    d = database(db)
    try:
        _profile(d, profile_id)
        rows = _rows(d, table, profile_id, decode=False)
    except DB_ERRORS as exc:
        raise StoreError(f"Cannot read the profile's data for export: {exc}.") from exc
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=_COLUMNS[table], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _need(row: Mapping[str, Any], keys: tuple[str, ...], what: str) -> None:
    if not isinstance(row, Mapping):
        raise StoreError(f"The file is not a Felt export: a {what} entry is not an object.")
    missing = [k for k in keys if k not in row]
    if missing:
        raise StoreError(f"The file is not a Felt export: a {what} lacks {', '.join(missing)}.")


def _json(value: Any) -> str:
    return json.dumps(value if value is not None else {}, sort_keys=True, allow_nan=False)


def import_profile(
    db: Any, data: str | bytes | Mapping[str, Any], *, name: str | None = None
) -> Profile:
    """Read a JSON export back as a new profile; returns it.

    The profile keeps its name (or ``name``); when that is taken, " (imported)" is added,
    then a number. Everything is written in one transaction: a bad file changes nothing.
    """
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise StoreError(f"The file is not JSON ({exc}): choose a Felt JSON export.") from exc
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        raise StoreError("The file is not a Felt export: choose a file made by 'Export (JSON)'.")
    if data.get("version") != VERSION:
        raise StoreError(
            f"This export is version {data.get('version')!r}; this Felt reads version {VERSION}."
        )
    _need(data, ("profile", "game_sessions", "drill_attempts", "hand_history"), "export")
    prof = data["profile"]
    _need(prof, ("name",), "profile")
    d = database(db)
    try:
        with d.atomic():
            base = (name or prof["name"] or "Imported").strip()[:48]
            taken = {r[0] for r in d.execute("SELECT name FROM profiles")}
            final, k = base, 1
            while final in taken:
                final = f"{base} (imported)" if k == 1 else f"{base} (imported {k})"
                k += 1
            created = prof.get("created_at") or utc_now()
            pid = d.execute(
                "INSERT INTO profiles (name, created_at, settings) VALUES (?, ?, ?)",
                [final, created, _json(prof.get("settings"))],
            ).lastrowid
            sessions = _insert_sessions(d, pid, data["game_sessions"])
            attempts = _insert_attempts(d, sessions, data["drill_attempts"])
            _insert_hands(d, sessions, data["hand_history"])
            _insert_reviews(d, pid, attempts, data)
    except DB_ERRORS as exc:
        raise StoreError(f"Cannot import the file: {exc}.") from exc
    return Profile(pid, final, created, dict(prof.get("settings") or {}))


def _insert_sessions(d: Any, pid: int, rows: list[Any]) -> dict[Any, int]:
    ids = {}
    for r in rows:
        _need(r, ("id", "game", "started_at"), "session")
        if r["game"] not in GAMES:
            raise StoreError(f"The export has a session of unknown game {r['game']!r}.")
        ids[r["id"]] = d.execute(
            "INSERT INTO game_sessions (profile_id, game, started_at, ended_at, settings, profit) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [pid, r["game"], r["started_at"], r.get("ended_at"), _json(r.get("settings")),
             r.get("profit")],
        ).lastrowid  # fmt: skip
    return ids


def _session(sessions: dict[Any, int], r: Mapping[str, Any], what: str) -> int:
    if r["session_id"] not in sessions:
        raise StoreError(f"The export has a {what} of session {r['session_id']}, not in the file.")
    return sessions[r["session_id"]]


def _insert_attempts(d: Any, sessions: dict[Any, int], rows: list[Any]) -> dict[Any, int]:
    keys = ("id", "session_id", "drill", "situation", "answer", "best", "correct", "ev_loss",
            "response_ms", "created_at")  # fmt: skip
    ids = {}
    for r in rows:
        _need(r, keys, "drill attempt")
        ids[r["id"]] = d.execute(
            "INSERT INTO drill_attempts (session_id, drill, situation, answer, best, correct, "
            "ev_loss, response_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [_session(sessions, r, "drill attempt"), r["drill"], _json(r["situation"]),
             str(r["answer"]), str(r["best"]), int(bool(r["correct"])), float(r["ev_loss"]),
             float(r["response_ms"]), r["created_at"]],
        ).lastrowid  # fmt: skip
    return ids


def _insert_hands(d: Any, sessions: dict[Any, int], rows: list[Any]) -> None:
    keys = ("session_id", "state", "source", "recommendation", "action", "created_at")
    for r in rows:
        _need(r, keys, "hand")
        if r["source"] not in SOURCES:
            raise StoreError(f"The export has a hand of unknown source {r['source']!r}.")
        d.execute(
            "INSERT INTO hand_history (session_id, state, source, image_hash, recommendation, "
            "action, result, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [_session(sessions, r, "hand"), _json(r["state"]), r["source"], r.get("image_hash"),
             r["recommendation"], r["action"], r.get("result"), r["created_at"]],
        )  # fmt: skip


def _insert_reviews(d: Any, pid: int, attempts: dict[Any, int], data: Mapping[str, Any]) -> None:
    items = {}
    cols = _COLUMNS["review_items"][1:]
    for r in data.get("review_items") or []:
        _need(r, ("id", *cols), "review item")
        values = [_json(r[c]) if c == "situation" else r[c] for c in cols]
        items[r["id"]] = d.execute(
            f"INSERT INTO review_items (profile_id, {', '.join(cols)}) "
            f"VALUES (?, {', '.join('?' * len(cols))})",
            [pid, *values],
        ).lastrowid
    for r in data.get("review_log") or []:
        _need(r, ("item_id", "rating", "reviewed_at"), "review")
        if r["item_id"] not in items:
            raise StoreError(f"The export has a review of card {r['item_id']}, not in the file.")
        d.execute(
            "INSERT INTO review_log (item_id, attempt_id, rating, reviewed_at, response_ms) "
            "VALUES (?, ?, ?, ?, ?)",
            [items[r["item_id"]], attempts.get(r.get("attempt_id")), r["rating"],
             r["reviewed_at"], r.get("response_ms")],
        )  # fmt: skip
    synced = data.get("reviews_synced_through")
    if synced is not None:
        done = [new for old, new in attempts.items() if old <= synced]
        d.execute(
            "INSERT INTO review_sync (profile_id, last_attempt_id) VALUES (?, ?)",
            [pid, max(done, default=0)],
        )


def delete_profile(db: Any, profile_id: int, confirm: str) -> None:
    """Delete a profile and everything of it, once ``confirm`` is the profile's name.

    >>> from engine.store import SqliteStore
    >>> with SqliteStore(":memory:") as store:
    ...     delete_profile(store, store.default_profile().id, "player")
    Traceback (most recent call last):
    ...
    engine.errors.StoreError: Type the profile's name, 'Player', exactly to delete it.
    """
    d = database(db)
    try:
        with d.atomic():
            profile = _profile(d, profile_id)
            if confirm != profile.name:
                raise StoreError(
                    f"Type the profile's name, {profile.name!r}, exactly to delete it."
                )
            sessions = "SELECT id FROM game_sessions WHERE profile_id = ?"
            items = "SELECT id FROM review_items WHERE profile_id = ?"
            for sql in (
                f"DELETE FROM review_log WHERE item_id IN ({items})",
                "DELETE FROM review_items WHERE profile_id = ?",
                "DELETE FROM review_sync WHERE profile_id = ?",
                f"DELETE FROM drill_attempts WHERE session_id IN ({sessions})",
                f"DELETE FROM hand_history WHERE session_id IN ({sessions})",
                "DELETE FROM game_sessions WHERE profile_id = ?",
                "DELETE FROM profiles WHERE id = ?",
            ):
                d.execute(sql, [profile_id])
    except DB_ERRORS as exc:
        raise StoreError(f"Cannot delete the profile: {exc}.") from exc
