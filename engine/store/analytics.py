"""Where a player leaks EV: aggregate queries over stored drill attempts.

``attempts_frame`` reads a profile's attempts with one SQL query (the few situation fields
the charts need come from ``attempt_facts``, which triggers fill from the JSON column when
an attempt is written) into a pandas DataFrame; every other function is a pure aggregate
over that frame, so the page, the benchmark and the tests share one code path.

Situations are the drills' JSON. The fields read here, when a drill stores them:
``spot`` (the drill's own name for the situation: it wins when present), ``player`` and
``dealer`` (blackjack hands, ``"T6"`` / ``["Th", "6d"]`` and ``"T"``), ``rules`` (the
short rule text such as ``"6D H17 DAS LS 3:2"``, or a dict of ``Rules`` fields; the
session's ``settings.rules`` is the fallback), ``pace`` (seconds per flashed card),
``cards`` (the flashed cards), ``decks_left``, ``error`` (signed count error), ``hero``,
``board``, ``stack`` and ``position`` (poker), ``guess`` and ``equity`` (equity drills;
else ``truth`` plus ``error_points``, else ``answer`` and ``best`` as guess and truth).

Units: ``ev_loss`` is in the drill's own unit (bets for blackjack, count points for the
counting drills, chips or big blinds for poker), so sums are only compared within a drill.
Times are ISO 8601 UTC text; days are UTC days.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import json
import random
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlite_utils import Database

from engine.cards import DECK, parse_blackjack_hand, parse_cards
from engine.drills.progress import drill_name
from engine.errors import CardError, StoreError
from engine.store.dialect import DB_ERRORS, is_postgres, json_field

__all__ = [
    "DEALER_ORDER",
    "attempts_by_id",
    "attempts_frame",
    "blackjack_cell_attempts",
    "blackjack_mistakes",
    "counting_progress",
    "data_version",
    "database",
    "equity_calibration",
    "equity_errors",
    "filter_options",
    "frame_from_rows",
    "hand_label",
    "leaks",
    "name_situations",
    "poker_ev_lost",
    "session_summary",
    "situation_fields",
    "spot_key",
    "synthetic_history",
    "true_count_errors",
]

DEALER_ORDER = ("2", "3", "4", "5", "6", "7", "8", "9", "T", "A")
_RANK_TEXT = {1: "A", 10: "T"}
_SPOT_FIELDS = ("spot", "player", "dealer", "pace", "decks_left", "hero", "stack", "position")
_STREETS = {0: "preflop", 3: "flop", 4: "turn", 5: "river"}


def database(db: Any) -> Any:
    """The database object behind a store (sqlite-utils' ``Database`` for SQLite, a
    ``PgDatabase`` for PostgreSQL), a Database itself or a sqlite3 connection."""
    if isinstance(db, Database) or is_postgres(db):
        return db
    inner = getattr(db, "db", None)
    if isinstance(inner, Database) or is_postgres(inner):
        return inner
    if isinstance(db, sqlite3.Connection):
        return Database(db)
    raise StoreError(
        f"Analytics reads the store's database; got {type(db).__name__}. "
        "Pass the store from open_store() or thread_store()."
    )


# situation keys -----------------------------------------------------------------------
def _maybe_json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _blank(value: Any) -> bool:
    return value is None or value == "" or value != value  # None, "" or NaN


@functools.lru_cache(maxsize=8192)
def _hand_label(player: str | tuple[str, ...]) -> str:
    values = parse_blackjack_hand(list(player) if isinstance(player, tuple) else player)
    total = sum(values)
    if len(values) == 2 and values[0] == values[1]:
        r = _RANK_TEXT.get(values[0], str(values[0]))
        return f"pair {r},{r}"
    if 1 in values and total + 10 <= 21:
        return f"soft {total + 10}"
    return f"hard {total}"


def hand_label(player: Any) -> str:
    """A blackjack hand as the strategy charts name it: ``hard 16``, ``soft 18``, ``pair 8,8``.

    >>> hand_label("T6"), hand_label(["Ah", "7d"]), hand_label("88"), hand_label("A,A")
    ('hard 16', 'soft 18', 'pair 8,8', 'pair A,A')
    >>> hand_label("T6A")
    'hard 17'
    """
    player = _maybe_json(player)
    return _hand_label(tuple(player) if isinstance(player, list) else str(player))


def _dealer_rank(dealer: Any) -> str:
    dealer = _maybe_json(dealer)
    if isinstance(dealer, list):
        dealer = dealer[0]
    (value,) = parse_blackjack_hand(str(dealer))[:1]
    return _RANK_TEXT.get(value, str(value))


def _hand_class(hero: Any) -> str:
    hero = _maybe_json(hero)
    return _class_of(tuple(hero) if isinstance(hero, list) else str(hero))


@functools.lru_cache(maxsize=8192)
def _class_of(hero: str | tuple[str, ...]) -> str:
    cards = parse_cards(list(hero) if isinstance(hero, tuple) else hero)
    if len(cards) != 2:
        raise CardError(f"a hold'em hand has two cards, got {hero!r}")
    order = "23456789TJQKA"
    a, b = sorted(cards, key=lambda c: order.index(c[0]), reverse=True)
    if a[0] == b[0]:
        return a[0] + b[0]
    return a[0] + b[0] + ("s" if a[1] == b[1] else "o")


def _street(board: Any) -> str:
    board = _maybe_json(board)
    if isinstance(board, int | float) and not isinstance(board, bool):
        n = int(board)  # a card count (analytics reads boards as counts)
    else:
        n = 0 if _blank(board) else len(parse_cards(board))
    return _STREETS.get(n, f"{n} board cards")


def spot_key(drill: str, situation: Mapping[str, Any]) -> str:
    """The name of a situation, shared by the leak list and the review queue.

    A drill's own ``spot`` wins; else blackjack spots are hand v up card, counting spots
    the pace or the depth, poker spots the hand class and street or stack; anything
    unreadable falls back to the drill's name.

    >>> spot_key("bj-strategy", {"player": "T6", "dealer": "K", "rules": "6D S17"})
    'hard 16 v T'
    >>> spot_key("count-true", {"running": 7, "decks_left": 2.5})
    'true count, 2.5 decks left'
    >>> spot_key("poker-push-fold", {"hero": "Kh9h", "stack": 8, "position": "SB"})
    'K9s push/fold SB 8 bb'
    >>> spot_key("poker-equity", {"hero": "AsKd", "board": "2c7d9h"})
    'AKo equity on the flop'
    >>> spot_key("count-running", {"pace": 0.5}), spot_key("bj-strategy", {"player": "??"})
    ('running count at 0.5 s/card', 'Blackjack strategy')
    """
    own = situation.get("spot")
    if isinstance(own, str) and own.strip():
        return own.strip()
    get = situation.get
    try:
        if drill.startswith("bj") and not _blank(get("player")) and not _blank(get("dealer")):
            return f"{hand_label(get('player'))} v {_dealer_rank(get('dealer'))}"
        if drill == "count-running":
            pace = get("pace")
            return "running count" + ("" if _blank(pace) else f" at {float(pace):g} s/card")
        if drill == "count-true":
            left = get("decks_left")
            return "true count" + ("" if _blank(left) else f", {float(left):g} decks left")
        if drill.startswith("poker") and not _blank(get("hero")):
            cls = _hand_class(get("hero"))
            if drill == "poker-push-fold":
                where = "" if _blank(get("position")) else f" {get('position')}"
                stack = "" if _blank(get("stack")) else f" {float(get('stack')):g} bb"
                return f"{cls} push/fold{where}{stack}"
            what = "pot odds" if drill == "poker-pot-odds" else "equity"
            return f"{cls} {what} on the {_street(get('board'))}".replace(
                "on the preflop", "preflop"
            )
    except (CardError, ValueError, TypeError, IndexError):
        pass
    return drill_name(drill)


# loading --------------------------------------------------------------------------------
# attempt_facts (migration 0004) holds the situation fields below, extracted from the JSON
# by triggers when an attempt is written, so reading needs no JSON parsing
_SQL = """
    SELECT a.id, a.session_id, a.drill, a.correct, a.ev_loss,
           CASE a.drill WHEN 'count-running' THEN a.response_ms END AS response_ms,
           f.rules, n.id AS spot_id,
           COALESCE(f.pace, f.count_error, f.guess) AS x1,
           COALESCE(f.cards_shown, f.equity) AS x2
    FROM drill_attempts a JOIN game_sessions s ON a.session_id = s.id
    LEFT JOIN attempt_facts f ON f.attempt_id = a.id
    LEFT JOIN spot_names n ON n.id = f.spot_id
    WHERE s.profile_id = ?"""
# spot_fields and board_cards come from spot_names for a named situation (one Python
# string per distinct situation rather than per row), from attempt_facts for the others
_COLUMNS = ["id", "session_id", "drill", "correct", "ev_loss", "response_ms",
            "rules", "spot_id", "x1", "x2"]  # fmt: skip


_INTEGER = {"id", "session_id"}
_REAL = {"correct", "ev_loss", "response_ms", "board_cards", "spot_id", "x1", "x2"}


def _frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """Rows of ``_SQL`` as a frame built column by column: numbers as float64/int64 (NULL
    as NaN), text kept as Python objects (no conversion to Arrow strings, which costs more
    than all the aggregates here)."""
    table = np.array(rows, dtype=object).reshape(len(rows), len(_COLUMNS))  # one C pass
    data = {}
    for i, name in enumerate(_COLUMNS):
        values = table[:, i]
        if name in _INTEGER:
            data[name] = pd.Series(values.astype(np.int64))
        elif name in _REAL:
            try:
                data[name] = pd.Series(values.astype(np.float64))  # NULL (None) is NaN
            except (TypeError, ValueError):  # text where a number belongs: NaN
                data[name] = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce")
        else:
            data[name] = pd.Series(values.copy(), dtype=object)
    return pd.DataFrame(data)


def _day_start(day: _dt.date | str) -> str:
    return (day if isinstance(day, str) else day.isoformat())[:10] + "T00:00:00"


def attempts_frame(
    db: Any,
    profile_id: int,
    *,
    start: _dt.date | str | None = None,
    end: _dt.date | str | None = None,
    drills: Iterable[str] | None = None,
    rules: str | None = None,
) -> pd.DataFrame:
    """A profile's attempts, oldest first, as a DataFrame for the aggregates below.

    ``start`` and ``end`` are UTC days, both included; ``drills`` keeps only those drills;
    ``rules`` keeps only attempts played under that rule set (see ``filter_options``).
    Columns: id, session_id, drill, correct (bool), ev_loss, response_ms (running-count
    answers only),
    rules (short text, "" without one), spot_fields (the situation fields as a JSON array,
    see ``situation_fields``), x1/x2 (pace and cards shown for the running count, the
    signed error for true counts, guessed and true equity for equity drills), game and
    session_started.
    """
    sql, params = _SQL, [profile_id]
    if start is not None:
        sql += " AND a.created_at >= ?"
        params.append(_day_start(start))
    if end is not None:
        sql += " AND a.created_at < ?"
        params.append(_day_start(_dt.date.fromisoformat(_day_start(end)[:10]) + _dt.timedelta(1)))
    if drills is not None:
        drills = list(drills)
        sql += f" AND a.drill IN ({', '.join('?' * len(drills))})" if drills else " AND 1 = 0"
        params.extend(drills)
    d = database(db)
    with contextlib.suppress(*DB_ERRORS):  # read-only or busy: _annotate names them
        name_situations(d)
    try:
        rows = d.execute(sql, params).fetchall()
        names = d.execute(  # after the attempts: names are only ever added
            "SELECT id, spot_fields, board_cards, spot, hand, up FROM spot_names"
        ).fetchall()
        sessions = d.execute(
            f"SELECT id, game, started_at, {json_field(d, 'settings', 'rules')} "
            "FROM game_sessions WHERE profile_id = ?",
            [profile_id],
        ).fetchall()
    except DB_ERRORS as exc:
        raise StoreError(f"Cannot read the attempts for analytics: {exc}.") from exc
    frame = _frame(rows)
    if not frame["id"].is_monotonic_increasing:  # sorting here is cheaper than in SQL
        frame = frame.sort_values("id", ignore_index=True)
    _add_situations(d, profile_id, frame)
    frame["correct"] = frame["correct"].astype(bool)
    for col in ("ev_loss", "response_ms", "x1", "x2"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    pos = pd.Index([r[0] for r in sessions]).get_indexer(frame["session_id"])
    for col, i in (("game", 1), ("session_started", 2)):
        values = np.array([r[i] for r in sessions] + [None], dtype=object)
        frame[col] = pd.Series(values[pos], index=frame.index, dtype=object)
    session_rules = {r[0]: r[3] for r in sessions}
    frame["rules"] = _rule_labels(frame["rules"].fillna(frame["session_id"].map(session_rules)))
    if rules is not None:
        frame = frame[frame["rules"] == rules].reset_index(drop=True)
    return _annotate(frame, names)


def _add_situations(d: Database, profile_id: int, frame: pd.DataFrame) -> None:
    """Insert ``spot_fields`` and ``board_cards`` after ``rules``: read from attempt_facts
    for rows without a stored name (``_annotate`` fills the named ones from spot_names)."""
    text = np.full(len(frame), None, dtype=object)
    board = np.full(len(frame), np.nan)
    unnamed = frame["spot_id"].isna().to_numpy()
    if unnamed.any():
        try:
            facts = d.execute(
                "SELECT f.attempt_id, f.spot_fields, f.board_cards FROM attempt_facts f "
                "JOIN drill_attempts a ON a.id = f.attempt_id "
                "JOIN game_sessions s ON a.session_id = s.id WHERE s.profile_id = ?",
                [profile_id],
            ).fetchall()
        except DB_ERRORS as exc:
            raise StoreError(f"Cannot read the attempts for analytics: {exc}.") from exc
        where = pd.Index([r[0] for r in facts]).get_indexer(frame["id"][unnamed])  # -1: none
        text[unnamed] = np.array([r[1] for r in facts] + [None], dtype=object)[where]
        board[unnamed] = np.array([r[2] for r in facts] + [None], dtype=object)[where].astype(float)
    at = frame.columns.get_loc("rules") + 1
    frame.insert(at, "board_cards", board)
    frame.insert(at, "spot_fields", pd.Series(text, index=frame.index, dtype=object))


@functools.lru_cache(maxsize=256)
def _rule_label(value: Any) -> str:
    if _blank(value):
        return ""
    value = _maybe_json(value)
    if isinstance(value, dict):
        from engine.blackjack.rules import Rules

        try:
            return Rules(**value).describe()
        except (TypeError, ValueError):
            return json.dumps(value, sort_keys=True)
    return str(value).strip()


def _rule_labels(column: pd.Series) -> pd.Series:
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    labels = np.array([_rule_label(u) for u in uniques] + [""], dtype=object)
    return pd.Series(labels[codes], index=column.index, dtype=object)


def _factorize(column: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """Integer codes and the distinct values as a plain list (indexing a pandas Index
    element by element is slow)."""
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    return codes.astype(np.int64), uniques.tolist()


def _decode(text: Any, board: Any) -> dict[str, Any]:
    values = json.loads(text) if isinstance(text, str) else []
    fields = {k: v for k, v in zip(_SPOT_FIELDS, values, strict=False) if v not in (None, "")}
    if not _blank(board):
        fields["board"] = int(board)
    return fields


def situation_fields(frame: pd.DataFrame) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """Decode ``spot_fields`` and ``board_cards`` once per distinct pair.

    Returns (code per row, dict of the situation fields the drill stored per code; the
    board is a card count under ``board``).
    """
    text_codes, texts = _factorize(frame["spot_fields"])
    board_codes, boards = _factorize(frame["board_cards"])
    nb = len(boards) + 1
    codes, pairs = pd.factorize(text_codes.astype(np.int64) * nb + board_codes)
    return codes, [_decode(texts[p // nb], boards[p % nb]) for p in pairs]


# (drill, spot_fields text, board count or -1) -> (spot, blackjack hand, up card); kept
# across calls so reruns and other filters of the same history skip the decoding
_ANNOTATIONS: dict[tuple[str, str, int], tuple[str, str | None, str | None]] = {}
_ANNOTATIONS_MAX = 200_000


def _annotation(drill: str, text: Any, board: Any) -> tuple[str, str | None, str | None]:
    key = (drill, text if isinstance(text, str) else "", -1 if _blank(board) else int(board))
    hit = _ANNOTATIONS.get(key)
    if hit is None:
        f = _decode(text, board)
        hand = _safe(hand_label, f["player"]) if "player" in f else None
        up = _safe(_dealer_rank, f["dealer"]) if "dealer" in f else None
        hit = (spot_key(drill, f), hand, up)
        if len(_ANNOTATIONS) >= _ANNOTATIONS_MAX:
            _ANNOTATIONS.clear()
        _ANNOTATIONS[key] = hit
    return hit


def _annotate(frame: pd.DataFrame, names: Sequence[tuple[Any, ...]] = ()) -> pd.DataFrame:
    """Add ``spot`` (``spot_key``), ``hand`` and ``up`` (blackjack cell) columns.

    ``names`` are ``spot_names`` rows (id, spot, hand, up): rows whose ``spot_id`` is one
    of them take the stored names; the others are named once per distinct (drill,
    situation) rather than per row.
    """
    if frame.empty:
        return frame.assign(spot=pd.Series(dtype=object), hand=pd.Series(dtype=object),
                            up=pd.Series(dtype=object))  # fmt: skip
    n = len(frame)
    table = np.empty((n, 3), dtype=object)
    todo = np.ones(n, dtype=bool)
    if names and "spot_id" in frame:
        ids = frame["spot_id"].to_numpy(dtype=float)
        known = np.array([r[0] for r in names], dtype=np.int64)
        lookup = np.full(int(known.max()) + 2, -1, dtype=np.int64)  # the last slot: no name
        lookup[known] = np.arange(len(known))
        valid = ~np.isnan(ids) & (ids >= 0) & (ids <= known.max())
        pos = lookup[np.where(valid, ids, -1).astype(np.int64)]
        todo = pos < 0
        named = pos[~todo]
        stored = np.array(names, dtype=object).reshape(len(names), 6)
        table[~todo] = stored[named, 3:]
        text = frame["spot_fields"].to_numpy(dtype=object, copy=True)
        text[~todo] = stored[named, 1]
        board = frame["board_cards"].to_numpy(dtype=float, copy=True)
        board[~todo] = stored[named, 2].astype(float)  # None (no board) as NaN
        frame["spot_fields"] = pd.Series(text, index=frame.index, dtype=object)
        frame["board_cards"] = pd.Series(board, index=frame.index)
    if todo.any():
        rest = frame[todo]
        drill_codes, drills = _factorize(rest["drill"])
        text_codes, texts = _factorize(rest["spot_fields"])
        board_codes, boards = _factorize(rest["board_cards"])
        nt, nb = len(texts) + 1, len(boards) + 1
        key = (drill_codes.astype(np.int64) * nt + text_codes) * nb + board_codes
        codes, uniques = pd.factorize(key)
        notes = []
        for u in uniques:
            d, r = divmod(int(u), nt * nb)
            t, b = divmod(r, nb)
            notes.append(_annotation(drills[d], texts[t], boards[b]))
        table[todo] = np.array(notes, dtype=object).reshape(len(notes), 3)[codes]
    for i, col in enumerate(("spot", "hand", "up")):
        frame[col] = pd.Series(table[:, i], index=frame.index, dtype=object)
    return frame


def name_situations(db: Any) -> int:
    """Store the name of every situation in ``attempt_facts`` that has none yet.

    Each distinct (drill, spot_fields, board_cards) is named once (``spot_key``, and the
    blackjack hand and up card) in the ``spot_names`` table (migration 0006); the facts
    rows get its ``spot_id``. Attempts written since the last call are the only ones read.
    Returns how many facts rows were named.

    >>> from engine.store import SqliteStore
    >>> with SqliteStore(":memory:") as store:
    ...     name_situations(store)
    0
    """
    d = database(db)
    if d.execute("SELECT 1 FROM attempt_facts WHERE spot_id IS NULL LIMIT 1").fetchone() is None:
        return 0
    with d.atomic():
        new = d.execute(  # in the order first answered: the same ids on every backend
            "SELECT a.drill, f.spot_fields, f.board_cards FROM attempt_facts f "
            "JOIN drill_attempts a ON a.id = f.attempt_id WHERE f.spot_id IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM spot_names n WHERE n.drill = a.drill "
            "AND n.spot_fields = f.spot_fields "
            "AND COALESCE(n.board_cards, -1) = COALESCE(f.board_cards, -1)) "
            "GROUP BY a.drill, f.spot_fields, f.board_cards ORDER BY MIN(f.attempt_id)"
        ).fetchall()
        d.conn.executemany(
            "INSERT INTO spot_names (drill, spot_fields, board_cards, spot, hand, up) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",  # named meanwhile elsewhere
            [(drill, text, board, *_annotation(drill, text, board)) for drill, text, board in new],
        )
        # matched in SQL through the unique index on (drill, spot_fields, board or -1)
        return d.execute(
            "UPDATE attempt_facts SET spot_id = (SELECT n.id FROM spot_names n "
            "JOIN drill_attempts a ON a.id = attempt_facts.attempt_id "
            "WHERE n.drill = a.drill AND n.spot_fields = attempt_facts.spot_fields "
            "AND COALESCE(n.board_cards, -1) = COALESCE(attempt_facts.board_cards, -1)) "
            "WHERE spot_id IS NULL"
        ).rowcount


def filter_options(db: Any, profile_id: int) -> dict[str, Any]:
    """What the filters can offer: drills, rule sets and the first and last day with data.

    Returns ``{"drills": [...], "rules": [...], "first": date | None, "last": date | None}``.
    """
    base = (
        "FROM drill_attempts a JOIN game_sessions s ON a.session_id = s.id WHERE s.profile_id = ?"
    )
    d = database(db)
    try:
        drills = [
            r[0] for r in d.execute(f"SELECT DISTINCT a.drill {base} ORDER BY 1", [profile_id])
        ]
        raw = d.execute(
            f"SELECT DISTINCT COALESCE({json_field(d, 'a.situation', 'rules')}, "
            f"{json_field(d, 's.settings', 'rules')}) {base}",
            [profile_id],
        ).fetchall()
        first, last = d.execute(
            f"SELECT MIN(a.created_at), MAX(a.created_at) {base}", [profile_id]
        ).fetchone()
    except DB_ERRORS as exc:
        raise StoreError(f"Cannot read the attempts for analytics: {exc}.") from exc
    rules = sorted({_rule_label(r[0]) for r in raw} - {""})
    day = _dt.date.fromisoformat
    return {
        "drills": drills,
        "rules": rules,
        "first": day(first[:10]) if first else None,
        "last": day(last[:10]) if last else None,
    }


def data_version(db: Any, profile_id: int) -> tuple[int, int]:
    """(number of attempts, highest attempt id) of a profile: a cache key that changes
    whenever an attempt is stored or deleted."""
    try:
        n, last = (
            database(db)
            .execute(
                "SELECT COUNT(*), COALESCE(MAX(a.id), 0) FROM drill_attempts a "
                "JOIN game_sessions s ON a.session_id = s.id WHERE s.profile_id = ?",
                [profile_id],
            )
            .fetchone()
        )
    except DB_ERRORS as exc:
        raise StoreError(f"Cannot read the attempts for analytics: {exc}.") from exc
    return int(n), int(last)


def attempts_by_id(db: Any, profile_id: int, ids: Iterable[int]) -> list[dict[str, Any]]:
    """Full rows (situation decoded) of a profile's attempts with these ids, newest first."""
    ids = [int(i) for i in ids]
    if not ids:
        return []
    sql = (
        "SELECT a.id, a.drill, a.situation, a.answer, a.best, a.correct, a.ev_loss, "
        "a.response_ms, a.created_at FROM drill_attempts a JOIN game_sessions s "
        f"ON a.session_id = s.id WHERE s.profile_id = ? AND a.id IN ({', '.join('?' * len(ids))}) "
        "ORDER BY a.id DESC"
    )
    try:
        rows = list(database(db).query(sql, [profile_id, *ids]))
    except DB_ERRORS as exc:
        raise StoreError(f"Cannot read the attempts: {exc}.") from exc
    for r in rows:
        r["situation"] = json.loads(r["situation"])
        r["correct"] = bool(r["correct"])
    return rows


def frame_from_rows(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """An attempts frame from plain rows (tests, imports): ``situation`` dicts are read
    like the SQL does; ``game`` and ``session_started`` default to blank.

    >>> f = frame_from_rows([{"drill": "count-true", "situation": {"error": -1},
    ...                       "correct": False, "ev_loss": 1.0}])
    >>> f.loc[0, "x1"], f.loc[0, "spot_fields"]
    (np.float64(-1.0), '[null,null,null,null,null,null,null,null]')
    """
    out = []
    for i, r in enumerate(rows):
        sit = dict(r.get("situation") or {})
        drill = r["drill"]
        board = sit.get("board")
        n_board = None if _blank(board) else len(parse_cards(board))
        x1 = x2 = None
        if drill == "count-running":
            x1, x2 = sit.get("pace"), len(sit["cards"]) if "cards" in sit else None
        elif drill == "count-true":
            x1 = sit.get("error", _to_float(r.get("answer")) - _to_float(r.get("best")))
        elif drill == "poker-equity":
            truth, miss = sit.get("truth"), sit.get("error_points")
            exact = truth is not None and miss is not None
            x1 = sit.get("guess", truth + miss / 100 if exact else _to_float(r.get("answer")))
            x2 = sit.get("equity", truth if truth is not None else _to_float(r.get("best")))
        fields = [sit.get(f) for f in _SPOT_FIELDS]
        out.append(
            {
                "id": r.get("id", i + 1), "session_id": r.get("session_id", 1), "drill": drill,
                "correct": bool(r["correct"]), "ev_loss": float(r.get("ev_loss", 0.0)),
                "response_ms": float(r.get("response_ms", 0.0)),
                "rules": _rule_label(sit.get("rules")),
                "spot_fields": json.dumps(fields, separators=(",", ":")),
                "board_cards": n_board if drill.startswith("poker") else None,
                "x1": x1, "x2": x2, "game": r.get("game", ""),
                "session_started": r.get("session_started", r.get("created_at", "")),
            }
        )  # fmt: skip
    columns = [*_COLUMNS[: _COLUMNS.index("rules") + 1], "spot_fields", "board_cards",
               *_COLUMNS[_COLUMNS.index("rules") + 1 :], "game", "session_started"]  # fmt: skip
    frame = pd.DataFrame(out, columns=columns)
    for col in ("ev_loss", "response_ms", "x1", "x2"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    frame["correct"] = frame["correct"].astype(bool)
    return _annotate(frame)


def _to_float(value: Any) -> float:
    try:
        return float(str(value).strip().rstrip("%"))
    except ValueError:
        return float("nan")


# aggregates -------------------------------------------------------------------------------
def session_summary(frame: pd.DataFrame, window: int = 5) -> pd.DataFrame:
    """Per session: attempts, accuracy and EV lost, with rolling means over ``window``
    sessions of the same game.

    Columns: session_id, game, started_at, attempts, correct, accuracy, ev_lost,
    accuracy_rolling, ev_lost_rolling; one row per session, oldest first.

    >>> f = pd.DataFrame({"session_id": [1, 1, 2], "game": ["blackjack"] * 3,
    ...                   "session_started": ["2026-01-01T10:00:00", "", "2026-01-02T10:00:00"],
    ...                   "correct": [True, False, True], "ev_loss": [0.0, 0.25, 0.0]})
    >>> session_summary(f, window=2)[["accuracy", "ev_lost", "accuracy_rolling"]].values.tolist()
    [[0.5, 0.25, 0.5], [1.0, 0.0, 0.75]]
    """
    cols = ["session_id", "game", "started_at", "attempts", "correct", "accuracy", "ev_lost",
            "accuracy_rolling", "ev_lost_rolling"]  # fmt: skip
    if frame.empty:
        return pd.DataFrame(columns=cols)
    out = (
        frame.groupby("session_id", sort=True)
        .agg(
            game=("game", "first"),
            started_at=("session_started", "first"),
            attempts=("correct", "size"),
            correct=("correct", "sum"),
            ev_lost=("ev_loss", "sum"),
        )
        .reset_index()
    )
    out["correct"] = out["correct"].astype(int)
    out["accuracy"] = out["correct"] / out["attempts"]
    rolling = out.groupby("game", sort=False)[["accuracy", "ev_lost"]].rolling(
        window, min_periods=1
    )
    means = rolling.mean().reset_index(level=0, drop=True)
    out["accuracy_rolling"] = means["accuracy"]
    out["ev_lost_rolling"] = means["ev_lost"]
    return out[cols]


def _safe(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except (CardError, ValueError, TypeError, IndexError):
        return None


def blackjack_mistakes(frame: pd.DataFrame) -> pd.DataFrame:
    """Blackjack answers per player hand and dealer up card.

    Columns: hand (``hard 16`` ...), dealer (``2``..``A``), attempts, mistakes, ev_lost,
    one row per cell that was played, ordered by hand kind (hard, soft, pairs), total and
    up card. Attempts whose hand cannot be read are left out.

    >>> f = frame_from_rows([
    ...     {"drill": "bj-strategy", "situation": {"player": "T6", "dealer": "T"},
    ...      "correct": False, "ev_loss": 0.25},
    ...     {"drill": "bj-strategy", "situation": {"player": "97", "dealer": "K"},
    ...      "correct": True, "ev_loss": 0.0},
    ...     {"drill": "bj-strategy", "situation": {"player": "88", "dealer": "6"},
    ...      "correct": False, "ev_loss": 0.5}])
    >>> blackjack_mistakes(f).values.tolist()
    [['hard 16', 'T', 2, 1, 0.25], ['pair 8,8', '6', 1, 1, 0.5]]
    """
    cols = ["hand", "dealer", "attempts", "mistakes", "ev_lost"]
    bj = frame[_drill_prefix(frame, "bj")]
    if bj.empty:
        return pd.DataFrame(columns=cols)
    cells = pd.DataFrame(
        {
            "hand": bj["hand"].to_numpy(dtype=object),
            "dealer": bj["up"].to_numpy(dtype=object),
            "mistake": ~bj["correct"].to_numpy(dtype=bool),
            "ev_loss": bj["ev_loss"].to_numpy(dtype=float),
        }
    ).dropna(subset=["hand", "dealer"])
    if cells.empty:
        return pd.DataFrame(columns=cols)
    out = (
        cells.groupby(["hand", "dealer"], sort=False)
        .agg(attempts=("mistake", "size"), mistakes=("mistake", "sum"), ev_lost=("ev_loss", "sum"))
        .reset_index()
    )
    out["mistakes"] = out["mistakes"].astype(int)
    out = out.assign(_o=out["hand"].map(_hand_order), _d=out["dealer"].map(DEALER_ORDER.index))
    return out.sort_values(["_o", "_d"]).reset_index(drop=True)[cols]


def blackjack_cell_attempts(frame: pd.DataFrame, hand: str, dealer: str) -> pd.DataFrame:
    """The blackjack attempts of one heatmap cell (hand label and up card), newest first."""
    bj = frame[_drill_prefix(frame, "bj")]
    if bj.empty:
        return bj
    hit = (bj["hand"] == hand).to_numpy(dtype=bool) & (bj["up"] == dealer).to_numpy(dtype=bool)
    return bj[hit].iloc[::-1]


def _drill_prefix(frame: pd.DataFrame, prefix: str) -> np.ndarray:
    """Rows whose drill starts with ``prefix`` (tested once per distinct drill)."""
    codes, names = pd.factorize(frame["drill"])
    hits = [i for i, name in enumerate(names) if str(name).startswith(prefix)]
    return np.isin(codes, hits)


def _hand_order(label: str) -> tuple[int, int]:
    kind, rest = label.split(" ", 1)
    if kind == "pair":
        r = rest.split(",")[0]
        return (2, {"A": 11, "T": 10}.get(r, int(r) if r.isdigit() else 0))
    return ({"hard": 0, "soft": 1}.get(kind, 3), int(rest) if rest.isdigit() else 0)


def counting_progress(frame: pd.DataFrame) -> pd.DataFrame:
    """Running-count drill per session: cards per minute and accuracy.

    Speed is the pace the cards were flashed at (60 / ``pace``) when the drill stores it,
    else the cards counted per minute of response time. Columns: session_id, started_at,
    attempts, accuracy, cards_per_minute.

    >>> f = frame_from_rows([
    ...     {"drill": "count-running", "situation": {"pace": 0.5}, "correct": True},
    ...     {"drill": "count-running", "situation": {"pace": 1.0}, "correct": False},
    ...     {"drill": "count-running", "situation": {"cards": ["2h"] * 10}, "correct": True,
    ...      "response_ms": 5000, "session_id": 2}])
    >>> counting_progress(f)[["accuracy", "cards_per_minute"]].values.tolist()
    [[0.5, 90.0], [1.0, 120.0]]
    """
    run = frame[frame["drill"] == "count-running"]
    cols = ["session_id", "started_at", "attempts", "accuracy", "cards_per_minute"]
    if run.empty:
        return pd.DataFrame(columns=cols)
    pace, cards = run["x1"], run["x2"]
    by_time = cards / (run["response_ms"] / 60_000.0)
    cpm = (60.0 / pace.where(pace > 0)).fillna(by_time.where(run["response_ms"] > 0))
    out = (
        run.assign(cpm=cpm)
        .groupby("session_id", sort=True)
        .agg(
            started_at=("session_started", "first"),
            attempts=("correct", "size"),
            accuracy=("correct", "mean"),
            cards_per_minute=("cpm", "mean"),
        )
        .reset_index()
    )
    return out[cols]


def true_count_errors(frame: pd.DataFrame) -> pd.DataFrame:
    """True-count conversions: the signed error (answer minus true count) per attempt.

    Columns: session_id, started_at, error. The drill's stored ``error`` is
    used when present, else answer minus best read as numbers.

    >>> f = frame_from_rows([
    ...     {"drill": "count-true", "situation": {}, "answer": "2", "best": "3",
    ...      "correct": False, "ev_loss": 1.0},
    ...     {"drill": "count-true", "situation": {"error": 0}, "correct": True}])
    >>> true_count_errors(f)["error"].tolist()
    [-1.0, 0.0]
    """
    tc = frame[frame["drill"] == "count-true"]
    out = pd.DataFrame(
        {
            "session_id": tc["session_id"],
            "started_at": tc["session_started"],
            "error": tc["x1"],
        }
    ).dropna(subset=["error"])
    return out.reset_index(drop=True)


def _as_fraction(values: pd.Series) -> pd.Series:
    """Equities given as fractions (0.42) or percentages (42, "42%") as fractions."""
    return values.where(values.abs() <= 1.0, values / 100.0)


def equity_errors(frame: pd.DataFrame) -> pd.DataFrame:
    """Equity estimates: guessed and true equity (fractions) and the error in points.

    Columns: session_id, started_at, guess, truth, error_pp (guess minus truth, in
    percentage points). Reads ``guess``/``equity`` from the situation, else answer/best
    (fractions, or percentages such as ``"42%"``).

    >>> f = frame_from_rows([
    ...     {"drill": "poker-equity", "situation": {}, "answer": "40%", "best": "0.5",
    ...      "correct": False},
    ...     {"drill": "poker-equity", "situation": {"guess": 0.3, "equity": 0.25},
    ...      "correct": True}])
    >>> equity_errors(f)["error_pp"].round(6).tolist()
    [-10.0, 5.0]
    """
    eq = frame[frame["drill"] == "poker-equity"]
    out = pd.DataFrame(
        {
            "session_id": eq["session_id"],
            "started_at": eq["session_started"],
            "guess": _as_fraction(eq["x1"]),
            "truth": _as_fraction(eq["x2"]),
        }
    ).dropna(subset=["guess", "truth"])
    out["error_pp"] = (out["guess"] - out["truth"]) * 100.0
    return out.reset_index(drop=True)


def equity_calibration(errors: pd.DataFrame, bins: int = 10) -> pd.DataFrame:
    """Calibration: guesses in ``bins`` equal bins of 0..1, with the mean guess and the
    mean true equity in each. A calibrated player's points lie on the diagonal.

    >>> e = pd.DataFrame({"guess": [0.05, 0.15, 0.12, 0.95], "truth": [0.1, 0.2, 0.3, 1.0]})
    >>> equity_calibration(e, bins=10)[["bin", "n", "truth"]].values.tolist()
    [['0-10%', 1, 0.1], ['10-20%', 2, 0.25], ['90-100%', 1, 1.0]]
    """
    cols = ["bin", "n", "guess", "truth"]
    if errors.empty:
        return pd.DataFrame(columns=cols)
    idx = np.clip((errors["guess"].to_numpy() * bins).astype(int), 0, bins - 1)
    step = 100 // bins
    out = (
        errors.assign(_b=idx)
        .groupby("_b", sort=True)
        .agg(n=("guess", "size"), guess=("guess", "mean"), truth=("truth", "mean"))
        .reset_index()
    )
    out["bin"] = [f"{b * step}-{(b + 1) * step}%" for b in out["_b"]]
    return out[cols]


def poker_ev_lost(frame: pd.DataFrame) -> pd.DataFrame:
    """Pot-odds and push/fold decisions: EV lost per session and drill.

    Columns: session_id, started_at, drill, attempts, ev_lost.
    """
    pk = frame[frame["drill"].isin(["poker-pot-odds", "poker-push-fold"])]
    cols = ["session_id", "started_at", "drill", "attempts", "ev_lost"]
    if pk.empty:
        return pd.DataFrame(columns=cols)
    out = (
        pk.groupby(["session_id", "drill"], sort=True)
        .agg(
            started_at=("session_started", "first"),
            attempts=("correct", "size"),
            ev_lost=("ev_loss", "sum"),
        )
        .reset_index()
    )
    return out[cols]


def leaks(frame: pd.DataFrame, limit: int | None = 20) -> pd.DataFrame:
    """Situations ranked by cumulative EV lost (most first; ties by mistakes).

    Columns: drill, spot, attempts, mistakes, ev_lost, last_id (the latest attempt),
    attempt_id (the latest missed attempt, to practise that situation again). Only spots
    with at least one mistake are listed.

    >>> f = frame_from_rows([
    ...     {"drill": "bj-strategy", "situation": {"player": p, "dealer": d},
    ...      "correct": False, "ev_loss": e}
    ...     for p, d, e in [("T6", "T", 0.125), ("T6", "K", 0.25), ("A7", "9", 0.5)]])
    >>> leaks(f)[["spot", "mistakes", "ev_lost", "attempt_id"]].values.tolist()
    [['soft 18 v 9', 1, 0.5, 3], ['hard 16 v T', 2, 0.375, 2]]
    """
    cols = ["drill", "spot", "attempts", "mistakes", "ev_lost", "last_id", "attempt_id"]
    if frame.empty or not (~frame["correct"]).any():
        return pd.DataFrame(columns=cols)
    codes, _ = pd.factorize(frame["drill"].astype(object) + "\x1f" + frame["spot"].astype(object))
    first = pd.Series(np.arange(len(frame))).groupby(codes).first().to_numpy()
    mistake = ~frame["correct"].to_numpy(dtype=bool)
    ids = frame["id"].to_numpy(dtype=np.int64)
    n = len(first)
    per = pd.DataFrame(
        {
            "drill": frame["drill"].to_numpy(dtype=object)[first],
            "spot": frame["spot"].to_numpy(dtype=object)[first],
            "attempts": np.bincount(codes, minlength=n),
            "mistakes": np.bincount(codes, weights=mistake, minlength=n).astype(int),
            "ev_lost": np.bincount(codes, weights=frame["ev_loss"].to_numpy(float), minlength=n),
            "attempt_id": pd.Series(np.where(mistake, ids, -1)).groupby(codes).max().to_numpy(),
            "last_id": pd.Series(ids).groupby(codes).max().to_numpy(),
        }
    )
    out = (
        per.groupby(["drill", "spot"], sort=False)
        .agg(
            attempts=("attempts", "sum"),
            mistakes=("mistakes", "sum"),
            ev_lost=("ev_lost", "sum"),
            attempt_id=("attempt_id", "max"),
            last_id=("last_id", "max"),
        )
        .reset_index()
    )
    out = out[out["mistakes"] > 0]
    out = out.sort_values(["ev_lost", "mistakes"], ascending=False, kind="stable")
    out = out.reset_index(drop=True)[cols]
    return out if limit is None else out.head(limit)


# synthetic history ------------------------------------------------------------------------
def synthetic_history(
    db: Any,
    profile_id: int,
    n: int,
    *,
    seed: int = 0,
    per_session: int = 100,
    start: str = "2026-01-01T09:00:00",
    rules: Sequence[str] = ("6D H17 DAS LS 3:2", "6D S17 DAS LS 3:2"),
) -> int:
    """Write ``n`` made-up attempts for ``profile_id`` (demos, the benchmark, e2e tests).

    Sessions of ``per_session`` answers cycle through the drills, one a day from
    ``start``; answers improve slowly; situations use the fields the charts read. Written
    in one transaction; returns the number of sessions.
    """
    rng = random.Random(seed)
    d = database(db)
    kinds = [
        ("blackjack", "bj-strategy"),
        ("counting", "count-running"),
        ("counting", "count-true"),
        ("poker", "poker-equity"),
        ("poker", "poker-pot-odds"),
        ("poker", "poker-push-fold"),
    ]
    t0 = _dt.datetime.fromisoformat(start).replace(tzinfo=_dt.UTC)
    ranks = "A23456789T"
    n_sessions = -(-n // per_session)
    with d.atomic():
        for s in range(n_sessions):
            game, drill = kinds[s % len(kinds)]
            began = t0 + _dt.timedelta(days=s // 2, hours=s % 2 * 6)
            settings = {"rules": rules[s // 6 % len(rules)]} if game == "blackjack" else {}
            sid = d.execute(
                "INSERT INTO game_sessions (profile_id, game, started_at, ended_at, settings) "
                "VALUES (?, ?, ?, ?, ?)",
                [profile_id, game, _iso(began), _iso(began + _dt.timedelta(hours=1)),
                 json.dumps(settings, sort_keys=True)],
            ).lastrowid  # fmt: skip
            skill = min(0.95, 0.55 + 0.4 * s / max(1, n_sessions))
            rows = []
            for i in range(min(per_session, n - s * per_session)):
                ok = rng.random() < skill
                situation, answer, best, loss = _synthetic_answer(rng, drill, ok, ranks)
                at = began + _dt.timedelta(seconds=20 * i)
                rows.append(
                    (sid, drill, json.dumps(situation, sort_keys=True), answer, best, int(ok), loss,
                     rng.uniform(600, 4000), _iso(at))
                )  # fmt: skip
            d.conn.executemany(
                "INSERT INTO drill_attempts (session_id, drill, situation, answer, best, "
                "correct, ev_loss, response_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
    return n_sessions


def _iso(t: _dt.datetime) -> str:
    return t.astimezone(_dt.UTC).isoformat(timespec="milliseconds")


def _synthetic_answer(
    rng: random.Random, drill: str, ok: bool, ranks: str
) -> tuple[dict[str, Any], str, str, float]:
    if drill == "bj-strategy":
        player = rng.choice(ranks) + rng.choice(ranks)
        dealer = rng.choice(ranks)
        best = rng.choice(["H", "S", "D", "P"])
        answer = best if ok else rng.choice([a for a in "HSDP" if a != best])
        return (
            {"player": player, "dealer": dealer},
            answer,
            best,
            0.0 if ok else rng.uniform(0.01, 0.6),
        )
    if drill == "count-running":
        pace = rng.choice([0.4, 0.5, 0.6, 0.8])
        cards = rng.sample(DECK, 10)
        err = 0 if ok else rng.choice([-2, -1, 1, 2])
        best = rng.randint(-8, 8)
        return {"pace": pace, "cards": cards, "error": err}, str(best + err), str(best), abs(err)
    if drill == "count-true":
        left = rng.choice([1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0])
        err = 0 if ok else rng.choice([-1, 1])
        best = rng.randint(-4, 6)
        situation = {"running": best * left, "decks_left": left, "error": err}
        return situation, str(best + err), str(best), abs(err)
    hero = "".join(rng.sample(DECK, 2))
    if drill == "poker-equity":
        truth = rng.uniform(0.1, 0.9)
        guess = min(1.0, max(0.0, truth + (rng.gauss(0, 0.03) if ok else rng.gauss(0.05, 0.12))))
        board = "".join(rng.sample([c for c in DECK if c not in hero], rng.choice([0, 3, 4, 5])))
        situation = {"hero": hero, "board": board, "guess": round(guess, 3), "equity": truth}
        return situation, f"{guess:.3f}", f"{truth:.3f}", abs(guess - truth) * 10
    if drill == "poker-pot-odds":
        best = rng.choice(["call", "fold"])
        answer = best if ok else ("fold" if best == "call" else "call")
        board = "".join(rng.sample([c for c in DECK if c not in hero], rng.choice([3, 4])))
        return {"hero": hero, "board": board}, answer, best, 0.0 if ok else rng.uniform(0.1, 3)
    best = rng.choice(["push", "fold"])
    answer = best if ok else ("fold" if best == "push" else "push")
    situation = {"hero": hero, "stack": rng.choice([5, 8, 10, 12, 15]),
                 "position": rng.choice(["SB", "BTN"])}  # fmt: skip
    return situation, answer, best, 0.0 if ok else rng.uniform(0.05, 1.5)
