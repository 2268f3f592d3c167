"""Analytics aggregates against answers worked out by hand, through the real SQL path."""

import datetime as dt

import pandas as pd
import pytest

from engine.analytics_charts import build_charts, leak_table, mistakes_heatmap
from engine.errors import StoreError
from engine.store import Attempt
from engine.store import analytics as an

T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
H17 = "6D H17 DAS LS 3:2"
S17 = "6D S17 DAS LS 3:2"


def iso(t):
    return t.isoformat(timespec="milliseconds")


@pytest.fixture
def store(new_store):
    """A store on SQLite, then on PostgreSQL (tests/conftest.py)."""
    return new_store()


def add(store, profile_id, game, rows, settings=None, day=0):
    """rows: (drill, situation, answer, best, correct, ev_loss, response_ms)."""
    sid = store.start_session(profile_id, game, settings or {})
    start = T0 + dt.timedelta(days=day)
    store.record_attempts(sid, [
        Attempt(d, s, a, b, c, e, ms, iso(start + dt.timedelta(seconds=10 * i)))
        for i, (d, s, a, b, c, e, ms) in enumerate(rows)
    ])  # fmt: skip
    return sid


def bj(player, dealer, correct, ev, rules=None):
    situation = {"player": player, "dealer": dealer} | ({"rules": rules} if rules else {})
    return ("bj-strategy", situation, "H", "S" if not correct else "H", correct, ev, 1000)


@pytest.fixture
def me(store):
    return store.default_profile()


@pytest.fixture
def history(store, me):
    """Three blackjack sessions over three days and one of each other drill."""
    s1 = add(store, me.id, "blackjack", [
        bj("T6", "T", False, 0.0793, H17), bj("T6", "K", False, 0.0793, H17),
        bj("A7", "9", True, 0.0, H17), bj("88", "T", False, 0.4, H17),
    ], {"rules": H17})  # fmt: skip
    s2 = add(store, me.id, "blackjack", [bj("T6", "T", True, 0.0), bj("97", "A", False, 0.2)],
             {"rules": S17}, day=1)  # fmt: skip
    s3 = add(store, me.id, "blackjack", [bj("A,7", "9", False, 0.12)], {"rules": H17}, day=2)
    add(store, me.id, "counting", [
        ("count-running", {"pace": 0.5, "cards": ["2h"] * 10, "error": 0}, "3", "3", True, 0, 900),
        ("count-running", {"pace": 0.5, "cards": ["2h"] * 10, "error": 1}, "4", "3", False, 1, 800),
        ("count-running", {"cards": ["2h"] * 12}, "2", "2", True, 0, 6000),
        ("count-true", {"running": 7, "decks_left": 2.5, "error": 1}, "3", "2", False, 1, 2000),
        ("count-true", {"running": 5, "decks_left": 2}, "2", "2", True, 0, 1500),
        ("count-true", {"running": -9, "decks_left": 3}, "-4", "-3", False, 1, 1500),
    ], day=2)  # fmt: skip
    add(store, me.id, "poker", [
        ("poker-equity", {"hero": "AhKh", "board": "2c7d9h", "guess": 0.7, "equity": 0.62},
         "0.70", "0.62", False, 0.8, 3000),
        ("poker-equity", {"hero": ["Qs", "Qd"], "board": []}, "80%", "82%", True, 0.2, 3000),
        ("poker-pot-odds", {"hero": "9s8s", "board": ["Ts", "7c", "2d", "Kh"]}, "fold", "call",
         False, 1.5, 2500),
        ("poker-push-fold", {"hero": "Kh9h", "stack": 8, "position": "SB"}, "fold", "push",
         False, 0.6, 2000),
        ("poker-push-fold", {"hero": "Ks9s", "stack": 8, "position": "SB"}, "push", "push",
         True, 0.0, 2000),
    ], day=2)  # fmt: skip
    return s1, s2, s3


def test_session_accuracy_ev_lost_and_rolling_means(store, me, history):
    s1, s2, s3 = history
    summary = an.session_summary(an.attempts_frame(store, me.id, drills=["bj-strategy"]), window=2)
    assert summary["session_id"].tolist() == [s1, s2, s3]
    assert summary["attempts"].tolist() == [4, 2, 1]
    assert summary["correct"].tolist() == [1, 1, 0]
    assert summary["accuracy"].tolist() == [0.25, 0.5, 0.0]
    assert summary["ev_lost"].tolist() == pytest.approx([0.5586, 0.2, 0.12])
    assert summary["accuracy_rolling"].tolist() == pytest.approx([0.25, 0.375, 0.25])
    assert summary["ev_lost_rolling"].tolist() == pytest.approx([0.5586, 0.3793, 0.16])


def test_filters_by_utc_day_drill_and_rule_set(store, me, history):
    frame = an.attempts_frame(store, me.id)
    assert len(frame) == 18
    day1 = an.attempts_frame(store, me.id, start="2026-03-02", end=dt.date(2026, 3, 2))
    assert len(day1) == 2 and set(day1["session_id"]) == {history[1]}
    assert len(an.attempts_frame(store, me.id, start=dt.date(2026, 3, 3))) == 12
    assert len(an.attempts_frame(store, me.id, drills=["count-true", "poker-equity"])) == 5
    assert an.attempts_frame(store, me.id, drills=[]).empty
    # the situation's rules win; the session's settings are the fallback
    assert len(an.attempts_frame(store, me.id, rules=H17)) == 5
    assert len(an.attempts_frame(store, me.id, rules=S17)) == 2
    options = an.filter_options(store, me.id)
    assert options["rules"] == [H17, S17]
    assert options["first"] == dt.date(2026, 3, 1) and options["last"] == dt.date(2026, 3, 3)
    assert "poker-push-fold" in options["drills"]


def test_blackjack_mistakes_by_hand_and_up_card(store, me, history):
    cells = an.blackjack_mistakes(an.attempts_frame(store, me.id))
    assert cells.values.tolist() == [
        ["hard 16", "T", 3, 2, pytest.approx(0.1586)],  # T6 v T twice wrong (one K), once right
        ["hard 16", "A", 1, 1, 0.2],  # 9,7 v A
        ["soft 18", "9", 2, 1, 0.12],  # A7 right, A,7 wrong
        ["pair 8,8", "T", 1, 1, 0.4],
    ]
    heat = mistakes_heatmap(cells)
    assert heat.takeaway == (
        "Your costliest blackjack spot is pair 8,8 v T: 1 mistake(s), 0.40 bets lost (46% of all)."
    )
    listed = an.blackjack_cell_attempts(an.attempts_frame(store, me.id), "hard 16", "T")
    assert len(listed) == 3 and listed["id"].is_monotonic_decreasing


def test_counting_speed_accuracy_and_true_count_errors(store, me, history):
    frame = an.attempts_frame(store, me.id)
    progress = an.counting_progress(frame)
    # 60 / 0.5 s = 120 cards/min twice; 12 cards in 6 s = 120 cards/min
    assert progress["cards_per_minute"].tolist() == [120.0]
    assert progress["accuracy"].tolist() == pytest.approx([2 / 3])
    errors = an.true_count_errors(frame)
    assert errors["error"].tolist() == [1.0, 0.0, -1.0]  # stored, answer - best twice


def test_equity_errors_and_calibration(store, me, history):
    errors = an.equity_errors(an.attempts_frame(store, me.id))
    assert errors["guess"].tolist() == pytest.approx([0.7, 0.8])
    assert errors["error_pp"].tolist() == pytest.approx([8.0, -2.0])
    cal = an.equity_calibration(errors)
    assert cal[["bin", "n"]].values.tolist() == [["70-80%", 1], ["80-90%", 1]]
    assert cal["truth"].tolist() == pytest.approx([0.62, 0.82])


def test_poker_ev_lost_per_session_and_drill(store, me, history):
    ev = an.poker_ev_lost(an.attempts_frame(store, me.id))
    assert ev[["drill", "attempts", "ev_lost"]].values.tolist() == [
        ["poker-pot-odds", 1, 1.5],
        ["poker-push-fold", 2, 0.6],
    ]


def test_leaks_rank_spots_by_cumulative_ev_lost(store, me, history):
    leaks = an.leaks(an.attempts_frame(store, me.id), limit=None)
    top = leaks[["drill", "spot", "attempts", "mistakes"]].head(4).values.tolist()
    assert top == [
        ["poker-pot-odds", "98s pot odds on the turn", 1, 1],
        ["count-running", "running count at 0.5 s/card", 2, 1],
        ["count-true", "true count, 2.5 decks left", 1, 1],
        ["count-true", "true count, 3 decks left", 1, 1],
    ]
    spots = dict(zip(leaks["spot"], leaks["ev_lost"], strict=True))
    assert spots["K9s push/fold SB 8 bb"] == 0.6  # two answers, one missed
    assert spots["AKs equity on the flop"] == 0.8
    assert spots["hard 16 v T"] == pytest.approx(0.1586)
    assert "QQ equity preflop" not in spots  # no mistake there
    assert leaks["ev_lost"].is_monotonic_decreasing
    latest = leaks.set_index("spot").loc["soft 18 v 9", "attempt_id"]
    assert an.attempts_by_id(store, me.id, [latest])[0]["situation"]["player"] == "A,7"
    _, takeaway = leak_table(leaks)
    assert takeaway == (
        "Your biggest leak is 98s pot odds on the turn (Pot odds): 1 mistake(s), 1.50 lost."
    )


def test_sql_frame_matches_the_frame_built_from_plain_rows(store, me, history):
    frame = an.attempts_frame(store, me.id)
    rows = store.attempts(me.id)[::-1]
    plain = an.frame_from_rows(rows)
    for col in ("drill", "correct", "ev_loss"):
        assert frame[col].tolist() == plain[col].tolist(), col
    pd.testing.assert_series_equal(frame["x1"], plain["x1"], check_names=False)
    pd.testing.assert_series_equal(frame["x2"], plain["x2"], check_names=False)
    assert frame["board_cards"].tolist()[-5:-2] == [3, 0, 4]
    assert an.leaks(frame, None)["spot"].tolist() == an.leaks(plain, None)["spot"].tolist()


def test_every_chart_is_drawn_or_says_why_not(store, me, history):
    charts = build_charts(an.attempts_frame(store, me.id))
    assert all(c.figure is not None for c in charts.values())
    assert charts["true_count"].takeaway == (
        "33% of conversions exact; mean miss 0.67 points with no lean either way."
    )
    assert charts["equity"].takeaway == (
        "Your equity guesses miss by 5.0 points on average and overestimate by 3.0 points overall."
    )
    empty = build_charts(an.attempts_frame(store, me.id, drills=["count-true"]))
    assert empty["heatmap"].figure is None and "No blackjack" in empty["heatmap"].takeaway
    assert empty["true_count"].figure is not None


def test_unreadable_situations_fall_back_to_the_drill_name(store, me):
    add(store, me.id, "blackjack", [bj("??", "T", False, 0.1), bj("T6", "", False, 0.2)])
    frame = an.attempts_frame(store, me.id)
    assert an.blackjack_mistakes(frame).empty
    assert an.leaks(frame)["spot"].tolist() == ["Blackjack strategy"]


def test_analytics_refuses_something_that_is_not_a_store():
    with pytest.raises(StoreError, match="store's database"):
        an.attempts_frame(object(), 1)


def test_synthetic_history_writes_the_requested_number_of_answers(store, me):
    assert an.synthetic_history(store, me.id, 250, per_session=100) == 3
    frame = an.attempts_frame(store, me.id)
    assert len(frame) == 250 and an.data_version(store, me.id) == (250, 250)
    assert set(frame["drill"]) == {"bj-strategy", "count-running", "count-true"}


def test_attempt_facts_follow_every_insert_update_and_delete(store, me):
    sid = add(store, me.id, "counting", [
        ("count-running", {"pace": 0.5, "cards": ["2h", "3h", "Kd"]}, "1", "1", True, 0, 900),
        ("count-true", {"decks_left": 2}, "3", "1", False, 2, 900),
        ("poker-equity", {"hero": "AhKh", "board": ["2c", "7d", "9h"]}, "55%", "0.6", False, 1, 9),
    ])  # fmt: skip
    facts = {r["attempt_id"]: r for r in store.db.query("SELECT * FROM attempt_facts")}
    run, conv, eq = (facts[i] for i in sorted(facts))
    assert (run["pace"], run["cards_shown"], run["count_error"]) == (0.5, 3, None)
    assert conv["count_error"] == 2.0 and conv["spot_fields"].startswith("[null,null")
    assert (eq["guess"], eq["equity"], eq["board_cards"]) == (55.0, 0.6, 3)
    store.db.execute("UPDATE drill_attempts SET answer = '1' WHERE id = ?", [conv["attempt_id"]])
    (fixed,) = store.db.query("SELECT count_error FROM attempt_facts WHERE attempt_id = ?",
                              [conv["attempt_id"]])  # fmt: skip
    assert fixed["count_error"] == 0.0
    store.delete_profile(me.id)
    assert store.db.execute("SELECT COUNT(*) FROM attempt_facts").fetchone()[0] == 0
    assert sid


def equity_answer(percent, truth):
    """As pages/poker_drills.py stores it: the answer in percent, the truth as a share."""
    situation = {"hero": "AhKh", "villain": "QQ", "board": "", "truth": truth,
                 "error_points": round(percent - 100 * truth, 2)}  # fmt: skip
    return ("poker-equity", situation, f"{percent:g}", f"{100 * truth:.1f}", False, 0.01, 900)


def test_equity_guesses_are_read_from_truth_and_error_points(store, me):
    add(store, me.id, "poker", [equity_answer(1, 0.0237), equity_answer(45, 0.4321)])
    errors = an.equity_errors(an.attempts_frame(store, me.id))
    assert errors["guess"].tolist() == pytest.approx([0.01, 0.45])  # "1" is 1%, not 100%
    assert errors["truth"].tolist() == pytest.approx([0.0237, 0.4321])  # not the rounded best
    assert errors["error_pp"].tolist() == pytest.approx([-1.37, 1.79])


def test_migration_0005_recomputes_equity_facts_of_existing_answers(store, me):
    add(store, me.id, "poker", [equity_answer(1, 0.0237)])
    store.db.execute("UPDATE attempt_facts SET guess = 1.0, equity = 2.4")  # as 0004 read it
    store.db.execute("DELETE FROM migrations WHERE name = '0005_equity_facts'")
    assert store.migrate() == ["0005_equity_facts"]
    (row,) = store.db.query("SELECT guess, equity FROM attempt_facts")
    assert row["guess"] == pytest.approx(0.01) and row["equity"] == pytest.approx(0.0237)


def test_plain_rows_read_equity_answers_like_the_database(store, me):
    add(store, me.id, "poker", [equity_answer(1, 0.0237), equity_answer(45, 0.4321)])
    sql = an.equity_errors(an.attempts_frame(store, me.id))
    plain = an.equity_errors(an.frame_from_rows(store.attempts(me.id)[::-1]))
    assert plain["guess"].tolist() == pytest.approx(sql["guess"].tolist())
    assert plain["truth"].tolist() == pytest.approx(sql["truth"].tolist())
