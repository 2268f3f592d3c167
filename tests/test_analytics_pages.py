"""The Analytics and Your data pages through Streamlit's AppTest."""

import datetime as dt
import pathlib

import pytest
from streamlit.testing.v1 import AppTest

from engine.store import Attempt, SqliteStore, close_thread_stores
from engine.store.analytics import synthetic_history

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "felt.db"
    monkeypatch.setenv("FELT_DB", str(path))
    monkeypatch.chdir(ROOT)
    yield path
    close_thread_stores()


def page(name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.switch_page(f"pages/{name}.py")
    return at.run()


def charts(at):
    return at.get("plotly_chart")


def test_analytics_without_answers_says_so(db):
    at = page("analytics")
    assert not at.exception and not at.error
    assert "No answers yet" in at.info[0].value
    assert not charts(at)


def test_analytics_draws_every_chart_with_a_takeaway_for_a_full_history(db):
    with SqliteStore(db) as store:
        synthetic_history(store, store.default_profile().id, 1200, per_session=50)
    at = page("analytics")
    assert not at.exception and not at.error
    assert len(charts(at)) == 6
    assert [s.value for s in at.subheader][:2] == [
        "Accuracy and EV lost per session",
        "Blackjack mistakes: hand x dealer up card",
    ]
    text = " ".join(m.value for m in at.markdown)
    assert "Accuracy is" in text and "Your biggest leak is" in text
    assert any(b.label == "Practise this" for b in at.button)
    # the heatmap's cell picker lists that cell's answers
    (cells,) = [s for s in at.selectbox if s.key == "an_cell"]
    assert " v " in cells.value
    assert len(at.dataframe[0].value) >= 1


def test_analytics_charts_without_data_say_so_instead_of_drawing(db):
    with SqliteStore(db) as store:
        me = store.default_profile()
        sid = store.start_session(me.id, "blackjack", {"rules": "6D H17 DAS LS 3:2"})
        situation = {"player": "T6", "dealer": "T", "rules": "6D H17 DAS LS 3:2"}
        store.record_attempt(sid, Attempt("bj-strategy", situation, "S", "Rh", False, 0.08, 900))
    at = page("analytics")
    assert not at.exception and not at.error
    assert len(charts(at)) == 2  # sessions and the blackjack heatmap
    infos = " ".join(i.value for i in at.info)
    for missing in ("running-count", "true-count", "equity", "push/fold"):
        assert missing in infos
    assert next(s for s in at.selectbox if s.label == "Rule set").options == [
        "All rule sets",
        "6D H17 DAS LS 3:2",
    ]


def test_your_data_offers_every_export_and_deletes_only_after_the_name(db):
    with SqliteStore(db) as store:
        me = store.default_profile()
        store.create_profile("Bob")
        sid = store.start_session(me.id, "counting")
        store.record_attempt(sid, Attempt("count-true", {}, "2", "3", False, 1.0, 900))
    # run the page on its own: through app.py, AppTest drops this button's click trigger
    at = AppTest.from_file(str(ROOT / "pages" / "your_data.py"), default_timeout=90).run()
    assert not at.exception and not at.error
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[0] == "JSON (everything)" and len(labels) == 5
    delete = at.button(key="yd_delete")
    assert delete.disabled
    at.text_input(key="yd_confirm").input("Player").run()
    at.button(key="yd_delete").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with SqliteStore(db) as store:
        assert [p.name for p in store.profiles()] == ["Bob"]
        assert store.db.execute("SELECT COUNT(*) FROM drill_attempts").fetchone()[0] == 0


def test_analytics_shows_the_review_queue_due_today_on_request(db):
    noon = dt.datetime.combine(dt.datetime.now(dt.UTC).date(), dt.time(12), dt.UTC)
    with SqliteStore(db) as store:
        me = store.default_profile()
        sid = store.start_session(me.id, "blackjack")
        for days, ok in ((2, True), (1, True), (0, False)):
            t = (noon - dt.timedelta(days=days)).isoformat(timespec="milliseconds")
            situation = {"player": "T6", "dealer": "T"}
            store.record_attempt(sid, Attempt("bj-strategy", situation, "S", "H", ok, 0.1, 900, t))
    at = AppTest.from_file(str(ROOT / "pages" / "analytics.py"), default_timeout=90).run()
    assert not at.exception
    assert "3-day streak" in at.expander[0].label
    at.button(key="an_due").click().run()
    assert not at.exception and not at.error
    (due,) = at.metric
    assert due.label == "Due today" and due.value == "1"
    assert at.dataframe[0].value["spot"].tolist() == ["hard 16 v T"]


def test_home_shows_what_is_due_today_and_the_streak(db):
    with SqliteStore(db) as store:
        me = store.default_profile()
        sid = store.start_session(me.id, "blackjack")
        situation = {"player": "T6", "dealer": "T"}
        noon = dt.datetime.combine(dt.datetime.now(dt.UTC).date(), dt.time(12), dt.UTC)
        miss = Attempt("bj-strategy", situation, "S", "H", False, 0.1, 900, noon.isoformat())
        store.record_attempt(sid, miss)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    assert not at.exception and not at.error
    captions = [c.value for c in at.caption]
    assert "Review queue: 1 spot(s) due today. Streak: 1 day(s)." in captions


def test_home_grades_a_long_imported_backlog_in_the_background(db):
    from engine.store.review import _BACKGROUND, pending_reviews

    noon = dt.datetime.combine(dt.datetime.now(dt.UTC).date(), dt.time(12), dt.UTC)
    with SqliteStore(db) as store:
        me = store.default_profile()
        sid = store.start_session(me.id, "blackjack")
        miss = Attempt("bj-strategy", {"player": "T6", "dealer": "T"}, "S", "H", False, 0.1, 900,
                       noon.isoformat())  # fmt: skip
        store.record_attempts(sid, [miss] * 6_000)
        assert pending_reviews(store, me.id) == 6_000
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    assert not at.exception and not at.error
    assert any("6,000 earlier answers" in c.value for c in at.caption)
    for thread in list(_BACKGROUND.values()):
        thread.join(timeout=60)
    with SqliteStore(db) as store:
        assert pending_reviews(store, me.id) == 0
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    captions = [c.value for c in at.caption]
    assert "Review queue: 1 spot(s) due today. Streak: 1 day(s)." in captions
    assert not any("earlier answers" in c for c in captions)
