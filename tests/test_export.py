"""Your data: JSON and CSV export, JSON import (round trip), delete with confirmation."""

import csv
import datetime as dt
import io
import json

import pytest
from sqlite_utils import Database

from engine.errors import StoreError
from engine.store import Attempt, HandRecord, SqliteStore
from engine.store.export import (
    delete_profile,
    export_csv,
    export_json,
    export_profile,
    import_profile,
)
from engine.store.review import review_items, sync_reviews

T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def iso(t):
    return t.isoformat(timespec="milliseconds")


@pytest.fixture
def store(new_store):
    """A store on SQLite, then on PostgreSQL (tests/conftest.py)."""
    return new_store()


def fill(store, name="Ann"):
    me = store.create_profile(name, {"rules": "6D H17 DAS LS 3:2"})
    bj = store.start_session(me.id, "blackjack", {"rules": "6D H17 DAS LS 3:2"})
    store.record_attempts(bj, [
        Attempt("bj-strategy", {"player": "T6", "dealer": "T"}, "S", "Rh", False, 0.0793, 1500,
                iso(T0)),
        Attempt("bj-strategy", {"player": "A7", "dealer": "9"}, "H", "H", True, 0.0, 900,
                iso(T0 + dt.timedelta(minutes=3))),
    ])  # fmt: skip
    store.end_session(bj, profit=-1.5)
    ct = store.start_session(me.id, "counting", {"system": "hilo"})
    tc = {"running": 7, "decks_left": 2.5, "error": 1}
    later = iso(T0 + dt.timedelta(hours=1))
    store.record_attempt(ct, Attempt("count-true", tc, "3", "2", False, 1.0, 2100, later))
    hand = {"player": ["Th", "6d"], "dealer": "Ts"}
    store.record_hand(bj, HandRecord(hand, "manual", "surrender", "stand", -1.0, None, iso(T0)))
    sync_reviews(store, me.id)
    return me


def normalised(data):
    """The export without what an import may change: ids (as positions), profile name, time."""
    sessions = {s["id"]: i for i, s in enumerate(data["game_sessions"])}
    attempts = {a["id"]: i for i, a in enumerate(data["drill_attempts"])}
    items = {r["id"]: i for i, r in enumerate(data["review_items"])}
    out = json.loads(json.dumps(data))
    out.pop("exported_at")
    out["profile"].pop("name")
    for s in out["game_sessions"]:
        s["id"] = sessions[s["id"]]
    for t in ("drill_attempts", "hand_history"):
        for r in out[t]:
            r.pop("id")
            r["session_id"] = sessions[r["session_id"]]
    for r in out["review_items"]:
        r["id"] = items[r["id"]]
    for r in out["review_log"]:
        r.pop("id")
        r["item_id"] = items[r["item_id"]]
        r["attempt_id"] = attempts.get(r["attempt_id"])
    last = out.pop("reviews_synced_through")
    out["synced"] = attempts.get(last)
    return out


def test_json_export_holds_everything_of_the_profile_and_nothing_else(store):
    me = fill(store)
    fill(store, "Bob")
    data = export_profile(store, me.id)
    assert data["profile"] == {"name": "Ann", "created_at": me.created_at,
                               "settings": {"rules": "6D H17 DAS LS 3:2"}}  # fmt: skip
    assert [s["game"] for s in data["game_sessions"]] == ["blackjack", "counting"]
    assert data["game_sessions"][0]["profit"] == -1.5
    first = data["drill_attempts"][0]
    assert first["situation"] == {"player": "T6", "dealer": "T"}  # JSON as JSON, not text
    assert first["correct"] is False and first["ev_loss"] == 0.0793
    assert first["created_at"] == "2026-03-01T12:00:00.000+00:00"
    assert data["hand_history"][0]["state"]["player"] == ["Th", "6d"]
    assert {r["spot"] for r in data["review_items"]} == {
        "hard 16 v T",
        "true count, 2.5 decks left",
    }


def test_json_export_imports_back_identically_as_a_new_profile(store, new_store):
    me = fill(store)
    text = export_json(store, me.id)
    with new_store("other.db") as other:
        back = import_profile(other, text)
        assert back.name == "Ann"
        again = export_profile(other, back.id)
        assert normalised(again) == normalised(json.loads(text))
        assert sync_reviews(other, back.id) == 0  # the imported queue is already up to date
    twin = import_profile(store, text)  # same database: the name is taken
    assert twin.name == "Ann (imported)"
    assert import_profile(store, text).name == "Ann (imported 2)"
    assert normalised(export_profile(store, twin.id)) == normalised(json.loads(text))


def test_a_bad_file_is_refused_with_a_reason_and_changes_nothing(store):
    me = fill(store)
    data = export_profile(store, me.id)
    before = [p.name for p in store.profiles()]
    with pytest.raises(StoreError, match="not JSON"):
        import_profile(store, "{nope")
    with pytest.raises(StoreError, match="not a Felt export"):
        import_profile(store, {"format": "something"})
    with pytest.raises(StoreError, match="version 99"):
        import_profile(store, {**data, "version": 99})
    broken = json.loads(json.dumps(data))
    broken["hand_history"][0]["session_id"] = 12345
    with pytest.raises(StoreError, match="session 12345"):
        import_profile(store, broken)
    assert [p.name for p in store.profiles()] == before


def test_csv_export_is_one_readable_table_with_json_text_columns(store):
    me = fill(store)
    rows = list(csv.DictReader(io.StringIO(export_csv(store, me.id))))
    assert len(rows) == 3
    assert json.loads(rows[0]["situation"]) == {"dealer": "T", "player": "T6"}
    assert (rows[0]["correct"], rows[0]["ev_loss"], rows[0]["best"]) == ("0", "0.0793", "Rh")
    hands = list(csv.DictReader(io.StringIO(export_csv(store, me.id, "hand_history"))))
    assert hands[0]["recommendation"] == "surrender" and hands[0]["result"] == "-1.0"
    sessions = list(csv.DictReader(io.StringIO(export_csv(store, me.id, "game_sessions"))))
    assert [s["game"] for s in sessions] == ["blackjack", "counting"]
    with pytest.raises(StoreError, match="expected one of"):
        export_csv(store, me.id, "profiles")


def test_delete_needs_the_exact_name_then_removes_everything_of_the_profile(store):
    me = fill(store)
    bob = fill(store, "Bob")
    with pytest.raises(StoreError, match="'Ann'"):
        delete_profile(store, me.id, "ann")
    assert len(store.attempts(me.id)) == 3
    delete_profile(store, me.id, "Ann")
    assert [p.name for p in store.profiles()] == ["Bob"]
    assert store.db.execute("SELECT COUNT(*) FROM drill_attempts").fetchone()[0] == 3
    assert store.db.execute("SELECT COUNT(*) FROM hand_history").fetchone()[0] == 1
    assert len(review_items(store, bob.id)) == 2
    assert store.db.execute("SELECT COUNT(*) FROM review_items").fetchone()[0] == 2


def test_the_database_reads_cleanly_with_sqlite_utils(tmp_path):
    store = SqliteStore(tmp_path / "felt.db")
    fill(store)
    db = Database(store.location)
    names = set(db.table_names())
    assert {"profiles", "game_sessions", "drill_attempts", "hand_history", "review_items"} <= names
    for table, column in [("drill_attempts", "situation"), ("review_items", "situation"),
                          ("game_sessions", "settings"), ("hand_history", "state")]:  # fmt: skip
        for row in db[table].rows:
            assert isinstance(json.loads(row[column]), dict)
    for row in db.query("SELECT due, last_review, created_at FROM review_items"):
        for value in row.values():
            assert dt.datetime.fromisoformat(value).utcoffset() == dt.timedelta(0)
    db.close()
    store.close()
