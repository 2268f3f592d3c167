"""The store: migrations, atomic writes, JSON and timestamps, errors a person understands."""

import datetime as dt
import json
import sqlite3
import threading
import urllib.parse

import pytest

from engine.store import (
    Attempt,
    HandRecord,
    PostgresStore,
    SqliteStore,
    StoreError,
    close_thread_stores,
    default_db_path,
    open_store,
    thread_store,
)
from engine.store.dialect import PostgresError
from engine.store.sqlite import DEFAULT_DB

TABLES = {"profiles", "game_sessions", "drill_attempts", "hand_history", "migrations"}


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "felt.db"


@pytest.fixture
def sqlite_store(db_path):
    s = SqliteStore(db_path, timeout=0.2)
    yield s
    s.close()


@pytest.fixture
def store(new_store):
    """A store on SQLite, then on PostgreSQL (tests/conftest.py)."""
    return new_store(timeout=0.2)


@pytest.fixture
def raw(db_path):
    """A second, plain sqlite3 connection to the same file; closed after the test."""
    conns = []

    def connect():
        conn = sqlite3.connect(db_path, isolation_level=None, timeout=0.1)
        conns.append(conn)
        return conn

    yield connect
    for conn in conns:
        conn.close()


def attempt(**kw):
    base = dict(
        drill="bj-strategy",
        situation={"player": "T6", "dealer": "T", "shoe": [24] * 9 + [96]},
        answer="stand",
        best="hit",
        correct=False,
        ev_loss=0.0123,
        response_ms=850.0,
    )
    return Attempt(**{**base, **kw})


def test_start_up_creates_the_design_tables_and_records_the_migrations(sqlite_store, raw):
    names = {r[0] for r in raw().execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert names >= TABLES
    assert sqlite_store.applied_migrations() == [
        "0001_initial",
        "0002_indexes",
        "0003_review_queue",
        "0004_attempt_facts",
        "0005_equity_facts",
        "0006_spot_names",
    ]


def test_migrations_are_idempotent_and_keep_the_data(new_target):
    target = new_target("felt.db", empty=True)
    with open_store(target) as first:
        assert first.status()["migrations_pending"] == []
        me = first.default_profile()
        first.record_attempt(first.start_session(me.id, "blackjack"), attempt())
    with open_store(target) as second:
        assert second.migrate() == []
        assert second.applied_migrations() == [
            "0001_initial",
            "0002_indexes",
            "0003_review_queue",
            "0004_attempt_facts",
            "0005_equity_facts",
            "0006_spot_names",
        ]
        assert len(second.attempts(me.id)) == 1


def test_the_database_runs_in_wal_mode(sqlite_store, raw):
    assert raw().execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_attempt_is_stored_with_its_ev_loss_response_time_json_and_utc_time(store):
    me = store.default_profile()
    sid = store.start_session(me.id, "blackjack", {"rules": "6D S17 DAS LS"})
    aid = store.record_attempt(sid, attempt())
    row = store.db.execute("SELECT situation, ev_loss, response_ms, created_at, correct "
                           "FROM drill_attempts WHERE id = ?", [aid]).fetchone()  # fmt: skip
    assert json.loads(row[0]) == {"dealer": "T", "player": "T6", "shoe": [24] * 9 + [96]}
    assert row[1:3] == (0.0123, 850.0) and row[4] == 0
    when = dt.datetime.fromisoformat(row[3])
    assert when.utcoffset() == dt.timedelta(0)
    (got,) = store.attempts(me.id)
    assert got["situation"]["player"] == "T6" and got["correct"] is False
    assert got["game"] == "blackjack"


def test_a_batch_of_attempts_is_all_or_nothing(store):
    me = store.default_profile()
    sid = store.start_session(me.id, "counting")
    bad = attempt(situation={"x": float("nan")})  # not JSON: the whole batch must fail
    with pytest.raises(StoreError, match="JSON"):
        store.record_attempts(sid, [attempt(), bad])
    assert store.attempts(me.id) == []
    with pytest.raises(StoreError):  # no such session: foreign key refused, nothing written
        store.record_attempts(sid + 99, [attempt(), attempt()])
    assert store.attempts(me.id) == []
    assert len(store.record_attempts(sid, [attempt(), attempt()])) == 2


def test_a_write_that_fails_midway_is_rolled_back(store, backend, monkeypatch):
    me = store.default_profile()
    sid = store.start_session(me.id, "poker")
    calls = {"n": 0}
    real = store.db.execute
    failure, message = {
        "sqlite": (sqlite3.OperationalError("disk I/O error"), "Cannot open the database"),
        "postgresql": (PostgresError("The connection was lost."), "connection was lost"),
    }[backend]

    def flaky(sql, params=None):
        if sql.startswith("INSERT INTO drill_attempts"):
            calls["n"] += 1
            if calls["n"] == 2:
                raise failure
        return real(sql, params)

    monkeypatch.setattr(store.db, "execute", flaky)
    with pytest.raises(StoreError, match=message):
        store.record_attempts(sid, [attempt(), attempt()])
    monkeypatch.undo()
    assert store.attempts(me.id) == []


def test_a_locked_database_raises_store_error_saying_what_to_do(sqlite_store, raw):
    store = sqlite_store
    me = store.default_profile()
    sid = store.start_session(me.id, "blackjack")
    other = raw()
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="busy: another program") as info:
            store.record_attempt(sid, attempt())
        assert str(db_path_of(store)) in str(info.value)
    finally:
        other.execute("ROLLBACK")
    store.record_attempt(sid, attempt())  # the retry succeeds once the lock is gone
    assert len(store.attempts(me.id)) == 1


def db_path_of(store):
    return store.location


def test_an_unwritable_location_raises_store_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="FELT_DB"):
        SqliteStore(blocker / "felt.db")


def test_a_read_only_database_raises_store_error(db_path):
    SqliteStore(db_path).close()
    uri = f"file:{db_path}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None)
    from sqlite_utils import Database

    store = SqliteStore.__new__(SqliteStore)
    store.location, store.db = str(db_path), Database(conn)
    try:
        with pytest.raises(StoreError, match="read-only"):
            store.create_profile("Ann")
    finally:
        store.close()


def test_felt_db_moves_the_database(monkeypatch, tmp_path):
    monkeypatch.delenv("FELT_DB", raising=False)
    assert default_db_path() == DEFAULT_DB and DEFAULT_DB.parts[-2:] == ("data", "felt.db")
    target = tmp_path / "elsewhere" / "mine.db"
    monkeypatch.setenv("FELT_DB", str(target))
    with open_store() as store:
        store.default_profile()
    assert target.exists()


def test_felt_db_may_name_a_postgres_database_shown_without_its_password(monkeypatch, pg_server):
    url = pg_server.new_database()
    parts = urllib.parse.urlsplit(url)
    secret = parts._replace(netloc=f"{parts.username}:s3cret@{parts.hostname}:{parts.port}")
    monkeypatch.setenv("FELT_DB", urllib.parse.urlunsplit(secret))
    try:
        with open_store() as store:
            assert isinstance(store, PostgresStore)
            assert store.default_profile().name == "Player"
            status = store.status()
        assert status["backend"] == "postgresql" and status["migrations_pending"] == []
        assert "s3cret" not in json.dumps(status) and ":***@" in status["location"]
        main = thread_store()
        assert isinstance(main, PostgresStore) and thread_store() is main
    finally:
        close_thread_stores()
        pg_server.release(url)


def test_one_default_profile_then_named_profiles_with_settings(store):
    me = store.default_profile()
    assert me.name == "Player" and store.default_profile().id == me.id
    ann = store.create_profile("  Ann ", {"rules": {"decks": 2}})
    assert ann.name == "Ann"
    with pytest.raises(StoreError, match="already exists"):
        store.create_profile("Ann")
    with pytest.raises(StoreError, match="needs a name"):
        store.create_profile("  ")
    store.update_profile_settings(ann.id, {"count": "hilo"})
    assert store.profile(ann.id).settings == {"rules": {"decks": 2}, "count": "hilo"}
    assert [p.name for p in store.profiles()] == ["Player", "Ann"]


def test_recent_sessions_and_drill_stats_summarise_attempts(store):
    me = store.default_profile()
    s1 = store.start_session(me.id, "blackjack")
    store.record_attempts(s1, [attempt(), attempt(correct=True, ev_loss=0.0, answer="hit")])
    s2 = store.start_session(me.id, "counting")
    store.record_attempt(s2, attempt(drill="count-running", correct=True, ev_loss=0.0))
    store.start_session(me.id, "poker")  # empty: not shown
    recent = store.recent_sessions(me.id)
    assert [(s.id, s.game, s.attempts, s.correct) for s in recent] == [
        (s2, "counting", 1, 1),
        (s1, "blackjack", 2, 1),
    ]
    assert recent[1].accuracy == 0.5 and recent[1].ev_loss == pytest.approx(0.0123)
    stats = {s["drill"]: s for s in store.drill_stats(me.id)}
    assert stats["bj-strategy"]["attempts"] == 2 and stats["bj-strategy"]["accuracy"] == 0.5


def test_export_and_delete_a_profile_with_all_its_data(store):
    me = store.default_profile()
    ann = store.create_profile("Ann")
    sid = store.start_session(ann.id, "review")
    store.record_attempt(sid, attempt())
    store.record_hand(sid, HandRecord({"hero": "AhKh"}, "manual", "raise", "call", -1.0))
    data = store.export_profile(ann.id)
    assert json.loads(json.dumps(data)) == data
    assert data["profile"]["name"] == "Ann" and len(data["drill_attempts"]) == 1
    assert data["hand_history"][0]["state"] == {"hero": "AhKh"}
    store.delete_profile(ann.id)
    assert [p.id for p in store.profiles()] == [me.id]
    assert store.hands(ann.id) == [] and store.attempts(ann.id) == []


def test_each_thread_gets_its_own_connection(new_target):
    db_path = new_target()
    main = thread_store(db_path)
    seen = {}

    def work():
        try:
            other = thread_store(db_path)
            seen["same"] = other is main
            seen["profile"] = other.default_profile().name
        finally:
            close_thread_stores()

    t = threading.Thread(target=work)
    t.start()
    t.join()
    try:
        assert seen == {"same": False, "profile": "Player"}
        assert thread_store(db_path) is main
    finally:
        close_thread_stores()
