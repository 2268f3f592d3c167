"""Health report and Prometheus metrics over a real store (engine/ops.py)."""

import re

from engine.ops import HttpCounter, health_report, prometheus_text
from engine.store import Attempt, HandRecord, SqliteStore

# one sample line of the text exposition format: name{labels} value
SAMPLE = re.compile(r'^[a-z_]+(\{([a-z_]+="([^"\\]|\\.)*",?)*\})? (-?[0-9.e+]+|NaN)$')


def filled_store(store):
    me = store.default_profile()
    sid = store.start_session(me.id, "blackjack")
    store.record_attempts(
        sid,
        [
            Attempt("bj_strategy", {}, "H", "S", False, 0.25, 800),
            Attempt("bj_strategy", {}, "S", "S", True, 0.0, 700),
            Attempt('odd "drill"\\name', {}, "x", "y", False, 0.5, 700),
        ],
    )
    review = store.start_session(me.id, "review")
    store.record_hand(
        review, HandRecord({"game": "poker"}, "upload", "call", "call", image_hash="abc")
    )
    return store


def test_status_counts_what_the_database_holds(new_store, backend):
    with filled_store(new_store()) as store:
        s = store.status()
        code, body = health_report(lambda: store)
    assert code == 200 and body["database"]["backend"] == s["backend"] == backend
    assert s["migrations_pending"] == []
    assert (s["profiles"], s["sessions"]) == (1, 2)
    assert s["drills"]["bj_strategy"] == {"attempts": 2, "mistakes": 1, "ev_lost": 0.25}
    assert s["hands"] == {"upload": 1}
    assert s["size_bytes"] > 0


def test_health_is_503_with_the_reason_when_the_database_cannot_open(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, body = health_report(lambda: SqliteStore(blocker / "felt.db"))
    assert code == 503 and body["status"] == "error"
    assert "FELT_DB" in body["error"]


def test_health_is_503_when_a_database_is_not_a_database(tmp_path):
    bad = tmp_path / "felt.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    code, body = health_report(lambda: SqliteStore(bad))
    assert code == 503 and str(bad) in body["error"]


def test_metrics_are_valid_exposition_text_with_escaped_labels(tmp_path):
    http = HttpCounter()
    http.add("GET", 200, 0.01)
    http.add("GET", 503, 0.02)
    with filled_store(SqliteStore(tmp_path / "felt.db")) as store:
        text = prometheus_text(lambda: store, http, 1700000000.0)
    lines = text.splitlines()
    for line in lines:
        assert line.startswith("# HELP ") or line.startswith("# TYPE ") or SAMPLE.match(line), line
    assert 'felt_drill_attempts{drill="bj_strategy"} 2' in lines
    assert 'felt_drill_mistakes{drill="odd \\"drill\\"\\\\name"} 1' in lines
    assert 'felt_hands_reviewed{source="upload"} 1' in lines
    assert 'felt_http_requests_total{method="GET",code="5xx"} 1' in lines
    assert "felt_database_up 1" in lines


def test_metrics_still_answer_when_the_database_is_gone(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    text = prometheus_text(lambda: SqliteStore(blocker / "felt.db"))
    assert "felt_database_up 0" in text.splitlines()
    assert "felt_profiles" not in text


def test_health_is_503_with_the_reason_when_postgres_is_unreachable():
    import socket

    from engine.store import open_store

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"postgresql://felt:s3cret@127.0.0.1:{port}/felt"
    code, body = health_report(lambda: open_store(url, timeout=0.5))
    assert code == 503 and "Cannot reach the PostgreSQL server" in body["error"]
    assert "s3cret" not in body["error"]
