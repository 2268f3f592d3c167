"""PostgreSQL: errors a person understands, migrations that replicas take turns at, and the
same answers as SQLite for the same history (analytics frames, review queue, exports).

The other store tests run on both backends (tests/conftest.py); these are the ones only
PostgreSQL has, and the ones that compare the two.
"""

import json
import socket
import threading
import urllib.parse
from dataclasses import astuple

import pandas as pd
import psycopg
import pytest
from psycopg import errors as pg_errors
from test_export import normalised

from engine.store import PostgresStore, SqliteStore, StoreError, open_store
from engine.store import analytics as an
from engine.store.export import export_csv, export_json, export_profile, import_profile
from engine.store.postgres import MIGRATION_NAMES, _pg_error
from engine.store.review import review_items, sync_reviews


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _with(url, **parts):
    p = urllib.parse.urlsplit(url)
    user = parts.pop("user", p.username)
    password = parts.pop("password", None)
    port = parts.pop("port", p.port)
    path = parts.pop("path", p.path)
    auth = f"{user}:{password}@" if password else f"{user}@"
    return urllib.parse.urlunsplit(p._replace(netloc=f"{auth}{p.hostname}:{port}", path=path))


def test_an_unreachable_server_says_so_without_the_password():
    url = f"postgresql://felt:s3cret@127.0.0.1:{_free_port()}/felt"
    with pytest.raises(StoreError, match="Cannot reach the PostgreSQL server") as info:
        open_store(url, timeout=0.5)
    assert "s3cret" not in str(info.value) and "felt:***@127.0.0.1" in str(info.value)


def test_a_refused_login_and_a_missing_database_say_what_to_fix(pg_server):
    url = pg_server.url("postgres")
    with pytest.raises(StoreError, match="refused the login for user 'nobody'") as info:
        PostgresStore(_with(url, user="nobody", password="s3cret"))
    assert "s3cret" not in str(info.value)
    with pytest.raises(StoreError, match=r"has no database 'felt_missing'.*createdb"):
        PostgresStore(_with(url, path="/felt_missing"))


def test_a_wrong_password_is_refused_and_a_user_with_table_rights_only_works(pg_server):
    if pg_server.password_user is None:
        pytest.skip("FELT_TEST_PG: the server's password users are unknown")
    user, password = pg_server.password_user
    url = pg_server.new_database()
    try:
        with pytest.raises(StoreError, match=f"refused the login for user '{user}'") as info:
            PostgresStore(_with(url, user=user, password="wrong-password"))
        assert "wrong-password" not in str(info.value)
        # rights on the tables, none to create any: a migrated database needs no more
        with psycopg.connect(url, autocommit=True) as owner:
            owner.execute(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                f"TO {user}; GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {user}"
            )
        with PostgresStore(_with(url, user=user, password=password)) as store:
            me = store.default_profile()
            store.record_attempt(store.start_session(me.id, "blackjack"), _attempt())
            assert store.status()["drills"]["bj-strategy"]["attempts"] == 1
    finally:
        pg_server.release(url)


def test_a_lock_held_too_long_raises_busy_and_the_retry_succeeds(pg_server):
    url = pg_server.new_database()
    store = PostgresStore(url, timeout=0.2)
    try:
        me = store.default_profile()
        sid = store.start_session(me.id, "blackjack")
        with psycopg.connect(url) as other:  # a transaction holding the table
            other.execute("LOCK TABLE drill_attempts IN EXCLUSIVE MODE")
            with pytest.raises(StoreError, match="busy: another writer held a lock"):
                store.record_attempt(sid, _attempt())
        store.record_attempt(sid, _attempt())
        assert len(store.attempts(me.id)) == 1
    finally:
        store.close()
        pg_server.release(url)


def test_serialization_failures_and_deadlocks_read_as_a_collision_to_retry():
    for exc in (pg_errors.SerializationFailure("could not serialize access"),
                pg_errors.DeadlockDetected("deadlock detected")):  # fmt: skip
        text = str(_pg_error(exc, "postgresql://felt:***@db/felt"))
        assert "busy" in text and "Try again" in text


def test_replicas_starting_together_migrate_once(pg_server):
    url = pg_server.new_database(empty=True)
    start = threading.Barrier(3)
    applied, errors = [], []

    def replica():
        start.wait()
        try:
            with PostgresStore(url) as store:
                applied.append(store.applied_migrations())
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=replica) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert applied == [list(MIGRATION_NAMES)] * 3
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT name FROM migrations ORDER BY id").fetchall()
    assert [r[0] for r in rows] == list(MIGRATION_NAMES)  # each step recorded once


def test_replicas_asking_for_the_default_profile_at_once_get_the_same_one(pg_server):
    url = pg_server.new_database()
    stores = [PostgresStore(url) for _ in range(3)]
    start = threading.Barrier(3)
    got, errors = [], []

    def replica(store):
        start.wait()
        try:
            got.append(store.default_profile())
        except StoreError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=replica, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    for store in stores:
        store.close()
    pg_server.release(url)
    assert errors == [] and len({p.id for p in got}) == 1 and len(got) == 3


def test_json_is_jsonb_and_times_are_text_in_postgres(pg_server):
    url = pg_server.new_database()
    try:
        with PostgresStore(url) as store:
            store.default_profile()
        with psycopg.connect(url) as conn:
            types = dict(
                conn.execute(
                    "SELECT table_name || '.' || column_name, data_type "
                    "FROM information_schema.columns WHERE table_schema = 'public'"
                ).fetchall()
            )
        assert types["drill_attempts.situation"] == "jsonb"
        assert types["profiles.settings"] == "jsonb" and types["hand_history.state"] == "jsonb"
        assert types["drill_attempts.created_at"] == "text"
        assert types["drill_attempts.ev_loss"] == "double precision"
    finally:
        pg_server.release(url)


# --- the same history on both backends gives the same answers ---------------------------
def _attempt(**kw):
    from engine.store import Attempt

    base = dict(drill="bj-strategy", situation={"player": "T6", "dealer": "T"}, answer="S",
                best="H", correct=False, ev_loss=0.08, response_ms=900.0,
                created_at="2026-02-01T10:00:00.000+00:00")  # fmt: skip
    return Attempt(**{**base, **kw})


def _edge_history(store, profile_id):
    """Situations that exercise every attempt_facts column and its odd inputs."""
    sid = store.start_session(profile_id, "poker", {"rules": {"decks": 2, "h17": True}})
    store.record_attempts(sid, [
        _attempt(situation={"player": ["Ah", "7d"], "dealer": ["9s"], "rules": "6D S17"}),
        _attempt(situation={"player": "88", "dealer": "T", "rules": {"decks": 6}}),
        _attempt(drill="count-running", situation={"pace": 0.5, "cards": ["2h", "Kd"]}),
        _attempt(drill="count-running", situation={"pace": "fast", "cards": "2h"}),
        _attempt(drill="count-true", situation={"decks_left": 2.0}, answer="3", best="1.5"),
        _attempt(drill="count-true", situation={"error": None}, answer="x", best="2"),
        _attempt(drill="poker-equity", situation={"hero": "AhKh", "board": "2c 7d 9h"},
                 answer="42%", best="0.5"),
        _attempt(drill="poker-equity", situation={"hero": ["Ah", "Kh"], "board": ["2c", "7d"],
                 "truth": 0.25, "error_points": -3.5}, answer="21.5", best="25.0"),
        _attempt(drill="poker-push-fold", situation={"hero": "Kh9h", "stack": 8,
                 "position": "SB", "spot": "  my own name "}),
        _attempt(drill="poker-pot-odds", situation={"hero": "QsJs", "board": "2c,7d,9h,Td"}),
    ])  # fmt: skip
    return sid


@pytest.fixture
def both(tmp_path, pg_server):
    """The same synthetic and edge-case history in a SQLite file and a Postgres database."""
    url = pg_server.new_database()
    stores = [SqliteStore(tmp_path / "felt.db"), PostgresStore(url)]
    for store in stores:
        me = store.default_profile()
        an.synthetic_history(store, me.id, 1_200, per_session=60)
        sid = _edge_history(store, me.id)
        store.db.execute(  # the one session started now: the same time on both
            "UPDATE game_sessions SET started_at = '2026-02-01T09:59:00.000+00:00' WHERE id = ?",
            [sid],
        )
    yield stores
    for store in stores:
        store.close()
    pg_server.release(url)


def test_the_analytics_frames_and_aggregates_are_the_same_on_both_backends(both):
    lite, pg = both
    pid = lite.default_profile().id
    frames = [an.attempts_frame(s, pid) for s in both]
    pd.testing.assert_frame_equal(frames[0], frames[1])
    assert len(frames[0]) == 1_210
    for fn in (an.session_summary, an.blackjack_mistakes, an.counting_progress,
               an.true_count_errors, an.equity_errors, an.poker_ev_lost, an.leaks):  # fmt: skip
        pd.testing.assert_frame_equal(fn(frames[0]), fn(frames[1]), obj=fn.__name__)
    assert an.filter_options(lite, pid) == an.filter_options(pg, pid)
    assert an.data_version(lite, pid) == an.data_version(pg, pid)
    filtered = [an.attempts_frame(s, pid, start="2026-01-03", end="2026-01-05",
                                  drills=["bj-strategy"], rules="6D S17 DAS LS 3:2")
                for s in both]  # fmt: skip
    pd.testing.assert_frame_equal(filtered[0], filtered[1])
    sql = "SELECT attempt_id, spot_fields, board_cards, rules, spot_id FROM attempt_facts"
    facts = [[tuple(r) for r in s.db.execute(sql + " ORDER BY attempt_id")] for s in both]
    assert facts[0] == facts[1]  # the situation text as SQLite's JSON functions write it


def test_the_store_methods_and_the_review_queue_agree_on_both_backends(both):
    lite, pg = both
    pid = lite.default_profile().id
    assert lite.attempts(pid) == pg.attempts(pid)
    for a, b in zip(lite.recent_sessions(pid, 50), pg.recent_sessions(pid, 50), strict=True):
        assert a.settings == b.settings  # the rest: sums in another order, equal to 1e-12
        assert astuple(a)[:-1] == pytest.approx(astuple(b)[:-1])
    stats = [sorted(s.drill_stats(pid), key=lambda r: r["drill"]) for s in both]  # ties
    for a, b in zip(*stats, strict=True):
        assert a == pytest.approx(b)
    assert sync_reviews(lite, pid) == sync_reviews(pg, pid) == 1_210
    assert review_items(lite, pid) == review_items(pg, pid)
    a, b = lite.status(), pg.status()
    for key in ("profiles", "sessions", "hands", "review_items", "review_due"):
        assert a[key] == b[key]
    assert a["drills"].keys() == b["drills"].keys()
    for drill, numbers in a["drills"].items():
        assert numbers == pytest.approx(b["drills"][drill])


def test_export_from_sqlite_imports_into_postgres_and_exports_identically(both):
    lite, pg = both
    pid = lite.default_profile().id
    sync_reviews(lite, pid)
    text = export_json(lite, pid)
    moved = import_profile(pg, text, name="Moved")
    again = export_profile(pg, moved.id)
    assert normalised(again) == normalised(json.loads(text))  # ids as positions, no name
    back = SqliteStore(":memory:")
    try:  # and back again into SQLite: the same file
        home = import_profile(back, json.dumps(export_profile(pg, moved.id)))
        assert (
            export_csv(back, home.id, "review_items").splitlines()[1:]
            == export_csv(lite, pid, "review_items").splitlines()[1:]
        )
    finally:
        back.close()
