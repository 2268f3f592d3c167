"""The review queue: every missed spot becomes a card in an FSRS spaced-repetition schedule.

The scheduler is open-spaced-repetition's FSRS (``fsrs`` on PyPI) with its default,
published weights: 90% desired retention, learning steps of 1 and 10 minutes, a
relearning step of 10 minutes. Fuzzing is off, so a history gives the same due dates on
every machine.

A card is a *spot* (``engine.store.analytics.spot_key``: ``hard 16 v T``, ``true count,
2.5 decks left``, ...) of one drill for one profile. A wrong answer in a spot creates its
card or grades it ``again``; a right answer in a spot that has a card grades it ``good``;
a right answer elsewhere changes nothing. ``record_review`` is that grading hook;
``sync_reviews`` applies it to every attempt stored since the last sync (in order, at the
attempt's own time), so drill pages need not call it themselves: ``due_items`` and
``due_today`` sync first. Times are ISO 8601 UTC text; "today" is the UTC day.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fsrs import Card, Rating, Scheduler, State

from engine.errors import StoreError
from engine.store.analytics import _annotation, database, name_situations, spot_key
from engine.store.dialect import DB_ERRORS, database_key, lock_key, write_transaction

__all__ = [
    "RATINGS",
    "ReviewItem",
    "due_items",
    "due_today",
    "pending_reviews",
    "record_review",
    "review_items",
    "scheduler",
    "start_sync",
    "streak",
    "sync_in_background",
    "sync_reviews",
]

RATINGS = {"again": Rating.Again, "hard": Rating.Hard, "good": Rating.Good, "easy": Rating.Easy}
_STATES = {State.Learning: "learning", State.Review: "review", State.Relearning: "relearning"}
_STATE_OF = {v: k for k, v in _STATES.items()}


def scheduler() -> Scheduler:
    """The FSRS scheduler the queue uses: library defaults, fuzzing off (reproducible)."""
    return Scheduler(enable_fuzzing=False)


_SCHEDULER = scheduler()


@dataclass(frozen=True)
class ReviewItem:
    """One card of the review queue: a drill's spot to practise again, and when.

    ``situation`` is the latest missed question in that spot (the drill's own JSON), so a
    page can serve it again; ``due`` is ISO 8601 UTC; ``state`` is learning, review or
    relearning; ``stability`` (days) and ``difficulty`` (1..10) are FSRS's memory model.
    """

    id: int
    profile_id: int
    drill: str
    spot: str
    situation: Mapping[str, Any]
    state: str
    step: int | None
    stability: float | None
    difficulty: float | None
    due: str
    last_review: str | None
    reviews: int
    lapses: int
    created_at: str


def _iso(t: _dt.datetime) -> str:
    return t.astimezone(_dt.UTC).isoformat(timespec="milliseconds")


def _time(value: _dt.datetime | str | None) -> _dt.datetime:
    if value is None:
        return _dt.datetime.now(_dt.UTC)
    if isinstance(value, str):
        try:
            value = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as exc:
            raise StoreError(f"{value!r} is not an ISO 8601 time.") from exc
    if value.tzinfo is None:
        raise StoreError(f"{value!r} has no time zone: give times in UTC.")
    return value.astimezone(_dt.UTC)


def _item(row: Mapping[str, Any]) -> ReviewItem:
    return ReviewItem(
        row["id"], row["profile_id"], row["drill"], row["spot"], json.loads(row["situation"]),
        row["state"], row["step"], row["stability"], row["difficulty"], row["due"],
        row["last_review"], row["reviews"], row["lapses"], row["created_at"],
    )  # fmt: skip


# FSRS's next card depends only on the card's state, step, stability and difficulty, the
# rating and the whole days since the last review (fuzzing is off); the due date is the
# review time plus the interval it picks. Long histories repeat those inputs often, so each
# distinct transition asks the library once and is replayed exactly afterwards.
_EPOCH = _dt.datetime(2000, 1, 1, tzinfo=_dt.UTC)
_TRANSITIONS: dict[tuple[Any, ...], tuple[Any, ...]] = {}
_TRANSITIONS_MAX = 20_000


def _transition(
    state: State | None,
    step: int | None,
    stability: float | None,
    difficulty: float | None,
    rating: str,
    days: int | None,
) -> tuple[State, int | None, float | None, float | None, _dt.timedelta]:
    """The library's review of a card with these inputs: (state, step, stability,
    difficulty, interval to the due date). ``state`` None is a new card; ``days`` None a
    card never reviewed."""
    key = (state, step, stability, difficulty, rating, days)
    hit = _TRANSITIONS.get(key)
    if hit is None:
        if state is None:
            card, at = Card(card_id=0, due=_EPOCH), _EPOCH
        else:
            at = _EPOCH + _dt.timedelta(days=days or 0)
            card = Card(card_id=0, state=state, step=step, stability=stability,
                        difficulty=difficulty, due=at,
                        last_review=None if days is None else _EPOCH)  # fmt: skip
        card, _ = _SCHEDULER.review_card(card, RATINGS[rating], at)
        hit = (card.state, card.step, card.stability, card.difficulty, card.due - at)
        if len(_TRANSITIONS) >= _TRANSITIONS_MAX:
            _TRANSITIONS.clear()
        _TRANSITIONS[key] = hit
    return hit


def _when(value: Any) -> tuple[_dt.datetime, str]:
    """A review time and its ISO text; stored times already in that form are kept as is."""
    t = _time(value)
    if isinstance(value, str) and len(value) == 29 and value.endswith("+00:00"):
        return t, value  # "YYYY-MM-DDTHH:MM:SS.mmm+00:00", what _iso writes
    return t, _iso(t)


_ITEM_COLUMNS = ("state", "step", "stability", "difficulty", "due", "last_review", "reviews",
                 "lapses")  # fmt: skip


def _apply(d: Any, profile_id: int, grades: list[tuple[Any, ...]]) -> set[tuple[str, str]]:
    """Grade answers (drill, spot, situation as a dict or JSON text, correct, rating or
    None, time, response ms, attempt id) in order, in one transaction; returns the
    (drill, spot) keys touched.

    A card is held as a list [state, step, stability, difficulty, last review, due,
    reviews, lapses] while the batch runs (times as datetimes, states as fsrs ``State``)
    and written once at the end.
    """
    items = {
        (r["drill"], r["spot"]): dict(r)
        for r in d.query("SELECT * FROM review_items WHERE profile_id = ?", [profile_id])
    }
    cards: dict[tuple[str, str], list[Any]] = {}
    logged = []
    for drill, spot, situation, correct, rating, when, ms, attempt_id in grades:
        rating = rating or ("good" if correct else "again")
        if rating not in RATINGS:
            raise StoreError(f"Unknown rating {rating!r}: expected one of {', '.join(RATINGS)}.")
        key = (drill, spot)
        card = cards.get(key)
        if card is None:
            row = items.get(key)
            if row is None:
                if rating != "again":
                    continue  # a right answer in a spot without a card: nothing to grade
                t, stamp = _when(when)
                items[key] = {"id": None, "drill": drill, "spot": spot, "created_at": stamp}
                card = cards[key] = [None, None, None, None, None, None, 0, 0]
            else:
                last = _time(row["last_review"]) if row["last_review"] else None
                card = cards[key] = [_STATE_OF[row["state"]], row["step"], row["stability"],
                                     row["difficulty"], last, None, row["reviews"],
                                     row["lapses"]]  # fmt: skip
                t, stamp = _when(when)
        else:
            t, stamp = _when(when)
        state, last = card[0], card[4]
        if last is not None and t < last:
            t, stamp = last, _iso(last)  # an answer stored out of order counts as simultaneous
        card[0], card[1], card[2], card[3], interval = _transition(
            state, card[1], card[2], card[3], rating, None if last is None else (t - last).days
        )
        card[4], card[5] = t, t + interval
        card[6] += 1
        if rating == "again":
            card[7] += state == State.Review
            items[key]["situation"] = (
                situation
                if isinstance(situation, str)
                else json.dumps(dict(situation), sort_keys=True, allow_nan=False)
            )
        logged.append((key, attempt_id, rating, stamp, ms))
    for key, (state, step, stability, difficulty, last, due, reviews, lapses) in cards.items():
        row = items[key]
        values = [_STATES[state], step, stability, difficulty, _iso(due), _iso(last), reviews,
                  lapses]  # fmt: skip
        if row["id"] is None:
            row["id"] = d.execute(
                "INSERT INTO review_items (profile_id, drill, spot, situation, created_at, "
                f"{', '.join(_ITEM_COLUMNS)}) VALUES ({', '.join('?' * (5 + len(values)))})",
                [profile_id, row["drill"], row["spot"], row["situation"], row["created_at"],
                 *values],
            ).lastrowid  # fmt: skip
        else:
            d.execute(
                f"UPDATE review_items SET {', '.join(f'{c} = ?' for c in _ITEM_COLUMNS)}, "
                "situation = ? WHERE id = ?",
                [*values, row["situation"], row["id"]],
            )
    d.conn.executemany(
        "INSERT INTO review_log (item_id, attempt_id, rating, reviewed_at, response_ms) "
        "VALUES (?, ?, ?, ?, ?)",
        [(items[k]["id"], a, r, t, ms) for k, a, r, t, ms in logged],
    )
    return set(cards)


def record_review(
    db: Any,
    profile_id: int,
    drill: str,
    situation: Mapping[str, Any],
    correct: bool,
    *,
    now: _dt.datetime | str | None = None,
    rating: str | None = None,
    response_ms: float | None = None,
    attempt_id: int | None = None,
) -> ReviewItem | None:
    """Grade the card of this answer's spot; a miss in a spot without a card creates it.

    ``rating`` overrides the default (``again`` for a miss, ``good`` for a right answer);
    ``attempt_id`` links the review to the stored attempt and makes the call idempotent.
    Returns the card after the review, or None when a right answer had no card to grade.

    >>> from engine.store import SqliteStore
    >>> with SqliteStore(":memory:") as store:
    ...     me = store.default_profile()
    ...     miss = {"player": "T6", "dealer": "T"}
    ...     item = record_review(store, me.id, "bj-strategy", miss, False,
    ...                          now="2026-03-01T12:00:00+00:00")
    ...     (item.spot, item.state, item.due)
    ('hard 16 v T', 'learning', '2026-03-01T12:01:00.000+00:00')
    """
    d = database(db)
    spot = spot_key(drill, situation)
    try:
        with d.atomic():
            if (
                attempt_id is not None
                and d.execute(
                    "SELECT 1 FROM review_log WHERE attempt_id = ?", [attempt_id]
                ).fetchone()
            ):
                return _find(d, profile_id, drill, spot)
            grade = (drill, spot, situation, correct, rating, now, response_ms, attempt_id)
            if not _apply(d, profile_id, [grade]):
                return None
            return _find(d, profile_id, drill, spot)
    except DB_ERRORS as exc:
        raise StoreError(f"Cannot update the review queue: {exc}.") from exc


def _find(d: Any, profile_id: int, drill: str, spot: str) -> ReviewItem | None:
    rows = list(
        d.query(
            "SELECT * FROM review_items WHERE profile_id = ? AND drill = ? AND spot = ?",
            [profile_id, drill, spot],
        )
    )
    return _item(rows[0]) if rows else None


_SYNC_LOCKS: dict[tuple[str, int], threading.Lock] = {}
_SYNC_LOCKS_GUARD = threading.Lock()


def _sync_lock(d: Any, profile_id: int) -> threading.Lock:
    """One lock per database and profile, so two syncs in this process (a page and a
    background sync) take turns instead of grading the same attempts twice (replicas of a
    PostgreSQL deployment take turns through an advisory lock, see ``_sync_chunk``)."""
    with _SYNC_LOCKS_GUARD:
        return _SYNC_LOCKS.setdefault((database_key(d), profile_id), threading.Lock())


def sync_reviews(db: Any, profile_id: int, *, chunk: int = 20_000) -> int:
    """Turn the profile's attempts stored since the last sync into reviews, oldest first.

    Each attempt is graded at its own ``created_at``. A long history is graded ``chunk``
    attempts per transaction (the same schedule as one pass: each chunk starts from the
    cards the last one stored), so other writers wait at most one chunk. Returns how many
    attempts were read.
    """
    if chunk < 1:
        raise StoreError(f"chunk must be at least 1 attempt, got {chunk}.")
    d = database(db)
    total = 0
    try:
        with _sync_lock(d, profile_id):
            with contextlib.suppress(*DB_ERRORS):  # else named in memory below
                name_situations(d)
            while n := _sync_chunk(d, profile_id, chunk):
                total += n
                if n < chunk:
                    break
    except DB_ERRORS as exc:
        raise StoreError(f"Cannot update the review queue: {exc}.") from exc
    return total


def _sync_chunk(d: Any, profile_id: int, chunk: int) -> int:
    # the write lock first (BEGIN IMMEDIATE; in PostgreSQL the profile's advisory lock),
    # rather than read and then fail to upgrade when a page or another sync wrote meanwhile
    with write_transaction(d, lock_key("felt", "review-sync", profile_id)):
        mark = d.execute(
            "SELECT last_attempt_id FROM review_sync WHERE profile_id = ?", [profile_id]
        ).fetchone()
        rows = d.execute(
            "SELECT a.id, a.drill, CASE WHEN a.correct = 0 THEN a.situation END, a.correct, "
            "a.response_ms, a.created_at, f.spot_fields, f.board_cards, n.spot "
            "FROM drill_attempts a JOIN game_sessions s ON a.session_id = s.id "
            "LEFT JOIN attempt_facts f ON f.attempt_id = a.id "
            "LEFT JOIN spot_names n ON n.id = f.spot_id "
            "WHERE s.profile_id = ? AND a.id > ? ORDER BY a.id LIMIT ?",
            [profile_id, mark[0] if mark else 0, chunk],
        ).fetchall()
        if not rows:
            return 0
        done = {
            r[0]
            for r in d.execute(
                "SELECT attempt_id FROM review_log WHERE attempt_id BETWEEN ? AND ?",
                [rows[0][0], rows[-1][0]],
            )
        }
        # spots named once per distinct situation (spot_names, else in memory); the
        # situation text is read only for misses, the answers that store it
        grades = [
            (drill, spot or _annotation(drill, fields, board)[0], text, bool(ok), None,
             created, ms, aid)
            for aid, drill, text, ok, ms, created, fields, board, spot in rows
            if aid not in done
        ]  # fmt: skip
        _apply(d, profile_id, grades)
        d.execute(
            "INSERT INTO review_sync (profile_id, last_attempt_id) VALUES (?, ?) "
            "ON CONFLICT(profile_id) DO UPDATE SET last_attempt_id = excluded.last_attempt_id",
            [profile_id, rows[-1][0]],
        )
    return len(rows)


def pending_reviews(db: Any, profile_id: int) -> int:
    """How many of the profile's attempts the review queue has not graded yet (a page can
    choose to grade a long backlog, an import say, in the background)."""
    d = database(db)
    try:
        mark = d.execute(
            "SELECT last_attempt_id FROM review_sync WHERE profile_id = ?", [profile_id]
        ).fetchone()
        return int(
            d.execute(
                "SELECT COUNT(*) FROM drill_attempts a JOIN game_sessions s"
                " ON a.session_id = s.id WHERE s.profile_id = ? AND a.id > ?",
                [profile_id, mark[0] if mark else 0],
            ).fetchone()[0]
        )
    except DB_ERRORS as exc:
        raise StoreError(f"Cannot read the review queue: {exc}.") from exc


_BACKGROUND: dict[tuple[str, int], threading.Thread] = {}


def sync_in_background(store: Any, profile_id: int) -> bool:
    """Start (once per database and profile) a background sync; True while one is running."""
    key = (database_key(database(store)), profile_id)
    with _SYNC_LOCKS_GUARD:
        thread = _BACKGROUND.get(key)
        if thread is None or not thread.is_alive():
            thread = _BACKGROUND[key] = start_sync(store, profile_id)
    return thread.is_alive()


def start_sync(source: Any, profile_id: int) -> threading.Thread:
    """Sync the review queue in a background thread with its own connection to the
    database of ``source`` (a store, whose ``reopen()`` gives the thread its own
    connection, or a SQLite file's path), so a page can show the queue as it
    stands (``due_today(..., sync=False)``) while a long history is graded. A page that
    syncs meanwhile waits for it, then finds nothing left to grade. Errors end the thread
    quietly: the next sync retries."""

    def run() -> None:
        from engine.store import open_store

        with contextlib.suppress(StoreError):
            store = source.reopen() if hasattr(source, "reopen") else open_store(source)
            try:
                sync_reviews(store, profile_id)
            finally:
                store.close()

    thread = threading.Thread(target=run, name=f"felt-review-sync-{profile_id}", daemon=True)
    thread.start()
    return thread


def review_items(db: Any, profile_id: int, drill: str | None = None) -> list[ReviewItem]:
    """Every card of a profile (optionally one drill's), soonest due first."""
    sql = "SELECT * FROM review_items WHERE profile_id = ?"
    params: list[Any] = [profile_id]
    if drill is not None:
        sql += " AND drill = ?"
        params.append(drill)
    try:
        return [_item(r) for r in database(db).query(sql + " ORDER BY due, id", params)]
    except DB_ERRORS as exc:
        raise StoreError(f"Cannot read the review queue: {exc}.") from exc


def due_items(
    db: Any,
    profile_id: int,
    drill: str | None = None,
    now: _dt.datetime | str | None = None,
    *,
    limit: int | None = None,
    sync: bool = True,
) -> list[ReviewItem]:
    """The cards due at ``now`` (default: the current time), most overdue first.

    ``drill`` limits them to one drill ("practise my leaks" in a drill page serves these
    first); ``sync`` first turns newly stored attempts into reviews.
    """
    if sync:
        sync_reviews(db, profile_id)
    at = _iso(_time(now))
    items = [i for i in review_items(db, profile_id, drill) if i.due <= at]
    return items if limit is None else items[:limit]


def due_today(
    db: Any, profile_id: int, now: _dt.datetime | str | None = None, *, sync: bool = True
) -> list[ReviewItem]:
    """The cards due by the end of ``now``'s UTC day (overdue ones included), soonest first."""
    when = _time(now)
    end = _dt.datetime.combine(when.date() + _dt.timedelta(days=1), _dt.time(), _dt.UTC)
    return due_items(db, profile_id, None, end - _dt.timedelta(milliseconds=1), sync=sync)


def streak(db: Any, profile_id: int, now: _dt.datetime | str | None = None) -> int:
    """Consecutive UTC days with at least one answer, ending today (or yesterday, when
    nothing was answered yet today: the streak is alive until the day ends)."""
    today = _time(now).date()
    try:
        days = {
            _dt.date.fromisoformat(r[0])
            for r in database(db).execute(
                "SELECT DISTINCT substr(a.created_at, 1, 10) FROM drill_attempts a "
                "JOIN game_sessions s ON a.session_id = s.id WHERE s.profile_id = ? "
                "AND a.created_at < ?",
                [profile_id, (today + _dt.timedelta(days=1)).isoformat()],
            )
        }
    except DB_ERRORS as exc:
        raise StoreError(f"Cannot read the attempts: {exc}.") from exc
    day = today if today in days else today - _dt.timedelta(days=1)
    n = 0
    while day in days:
        n += 1
        day -= _dt.timedelta(days=1)
    return n
