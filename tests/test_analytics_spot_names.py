"""Situation names stored once (migration 0006_spot_names): old rows named by the
migration, new attempts named when analytics reads them, same names as spot_key."""

import json
import sqlite3

import pandas as pd
from sqlite_utils import Database

from engine.store import Attempt, SqliteStore
from engine.store import analytics as an
from engine.store.sqlite import MIGRATIONS

T = "2026-03-01T12:00:00.000+00:00"
# (drill, situation, the name worked out by hand from spot_key's rules)
SITUATIONS = [
    ("bj-strategy", {"player": "T6", "dealer": "K"}, "hard 16 v T", "hard 16", "T"),
    ("bj-strategy", {"player": ["8h", "8d"], "dealer": "T"}, "pair 8,8 v T", "pair 8,8", "T"),
    ("bj-strategy", {"player": "A7", "dealer": "9"}, "soft 18 v 9", "soft 18", "9"),
    ("count-true", {"decks_left": 2.5, "error": -1}, "true count, 2.5 decks left", None, None),
    ("poker-equity", {"hero": "AsKd", "board": "2c7d9h", "guess": 0.5, "equity": 0.6},
     "AKo equity on the flop", None, None),
    ("poker-push-fold", {"hero": "Kh9h", "stack": 8, "position": "SB"},
     "K9s push/fold SB 8 bb", None, None),
]  # fmt: skip


def _old_database(path):
    """A database at migration 0005 with one attempt per situation, written by plain SQL."""
    db = Database(sqlite3.connect(path))
    MIGRATIONS.apply(db, stop_before="0006_spot_names")
    db.execute("INSERT INTO profiles (id, name, created_at) VALUES (1, 'me', ?)", [T])
    db.execute(
        "INSERT INTO game_sessions (id, profile_id, game, started_at) VALUES (1, 1, 'poker', ?)",
        [T],
    )
    for drill, situation, *_ in SITUATIONS:
        db.execute(
            "INSERT INTO drill_attempts (session_id, drill, situation, answer, best, correct, "
            "ev_loss, response_ms, created_at) VALUES (1, ?, ?, 'a', 'b', 0, 0.5, 900, ?)",
            [drill, json.dumps(situation), T],
        )
    db.conn.commit()
    db.conn.close()


def test_the_migration_names_the_situations_of_existing_attempts(tmp_path):
    _old_database(tmp_path / "old.db")
    with SqliteStore(tmp_path / "old.db") as store:
        assert "0006_spot_names" in store.applied_migrations()
        rows = store.db.execute(
            "SELECT n.spot, n.hand, n.up FROM attempt_facts f JOIN spot_names n "
            "ON n.id = f.spot_id ORDER BY f.attempt_id"
        ).fetchall()
    assert rows == [tuple(s[2:]) for s in SITUATIONS]


def test_attempts_written_later_are_named_on_the_next_read_and_each_situation_once(new_store):
    with new_store() as store:
        me = store.default_profile()
        sid = store.start_session(me.id, "blackjack", {})
        miss = {"player": "T6", "dealer": "K"}
        store.record_attempts(sid, [Attempt("bj-strategy", miss, "H", "S", False, 0.1, 900, T)])
        unnamed = "SELECT COUNT(*) FROM attempt_facts WHERE spot_id IS NULL"
        assert store.db.execute(unnamed).fetchone()[0] == 1
        first = an.attempts_frame(store, me.id)
        store.record_attempts(sid, [Attempt("bj-strategy", miss, "S", "S", True, 0.0, 900, T)])
        frame = an.attempts_frame(store, me.id)
        assert store.db.execute(unnamed).fetchone()[0] == 0
        assert store.db.execute("SELECT COUNT(*) FROM spot_names").fetchone()[0] == 1
        assert an.name_situations(store) == 0  # nothing left to name
    assert first["spot"].tolist() == ["hard 16 v T"]
    assert frame[["spot", "hand", "up"]].values.tolist() == [["hard 16 v T", "hard 16", "T"]] * 2


NO_NAMES = {  # a store that cannot write names: analytics names per distinct situation
    "sqlite": "CREATE TRIGGER no_names BEFORE UPDATE OF spot_id ON attempt_facts "
    "BEGIN SELECT RAISE(ABORT, 'no'); END",
    "postgresql": "CREATE FUNCTION no_names() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'no'; END $$; CREATE TRIGGER no_names BEFORE UPDATE OF spot_id "
    "ON attempt_facts FOR EACH ROW EXECUTE FUNCTION no_names()",
}
UNDO = {
    "sqlite": "DROP TRIGGER no_names",
    "postgresql": "DROP TRIGGER no_names ON attempt_facts; DROP FUNCTION no_names()",
}


def _script(store, sql):
    if hasattr(store.db, "execute_script"):
        store.db.execute_script(sql)
    else:
        store.db.conn.executescript(sql)


def test_stored_names_and_names_computed_in_memory_give_the_same_frame(new_store, backend):
    frames = []
    for stored in (True, False):
        with new_store(f"felt{stored}.db") as store:
            me = store.default_profile()
            an.synthetic_history(store, me.id, 600, per_session=50)
            if not stored:
                _script(store, NO_NAMES[backend])
            try:
                frames.append(an.attempts_frame(store, me.id))
            finally:
                if not stored:
                    _script(store, UNDO[backend])  # the database may be reused
            rows = store.db.execute("SELECT drill, situation FROM drill_attempts ORDER BY id")
            spots = [an.spot_key(d, json.loads(s)) for d, s in rows]
        assert frames[-1]["spot_id"].isna().sum() == (0 if stored else len(spots))
        assert frames[-1]["spot"].tolist() == spots
    named, in_memory = (f.drop(columns="spot_id") for f in frames)
    pd.testing.assert_frame_equal(named, in_memory)
