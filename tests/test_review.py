"""The review queue: FSRS due dates for fixed histories, syncing attempts, today, streaks."""

import datetime as dt
import math

import pytest

from engine.errors import StoreError
from engine.store import Attempt
from engine.store.review import (
    due_items,
    due_today,
    record_review,
    review_items,
    streak,
    sync_reviews,
)

# FSRS-6 default weights as shipped by py-fsrs 6.3.2 (fsrs.scheduler.DEFAULT_PARAMETERS);
# the formulas below are FSRS-6's (open-spaced-repetition "The Algorithm" wiki page).
W = {0: 0.212, 4: 6.4133, 5: 0.8334, 6: 3.0194, 7: 0.001, 17: 0.5425, 18: 0.0912, 19: 0.0658}
T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
MISS = {"player": "T6", "dealer": "T"}


def iso(t):
    return t.isoformat(timespec="milliseconds")


def short_term(s, grade):  # same-day review: S * e^(w17 (G - 3 + w18)) * S^-w19, >= S on a pass
    inc = math.exp(W[17] * (grade - 3 + W[18])) * s ** -W[19]
    return s * (max(inc, 1.0) if grade >= 2 else inc)


def next_difficulty(d, grade):  # linear damping, then mean reversion towards D0(Easy)
    d0_easy = W[4] - math.exp(W[5] * 3) + 1
    d2 = d + (10 - d) * (-W[6] * (grade - 3)) / 9
    return min(10.0, max(1.0, W[7] * d0_easy + (1 - W[7]) * d2))


@pytest.fixture
def store(new_store):
    """A store on SQLite, then on PostgreSQL (tests/conftest.py)."""
    return new_store()


@pytest.fixture
def me(store):
    return store.default_profile()


def test_a_miss_creates_a_learning_card_due_after_the_first_one_minute_step(store, me):
    item = record_review(store, me.id, "bj-strategy", MISS, False, now=T0)
    assert item.spot == "hard 16 v T"
    assert item.state == "learning" and item.step == 0
    assert item.due == iso(T0 + dt.timedelta(minutes=1))
    assert item.stability == pytest.approx(W[0])  # initial stability for Again is w0
    assert item.difficulty == pytest.approx(W[4])  # D0(Again) = w4 - e^0 + 1
    assert item.situation == MISS and item.reviews == 1 and item.lapses == 0


def test_fixed_history_gives_the_fsrs_due_dates_worked_out_by_hand(store, me):
    t1, t2 = T0 + dt.timedelta(minutes=1), T0 + dt.timedelta(minutes=11)
    record_review(store, me.id, "bj-strategy", MISS, False, now=T0)
    after_good = record_review(store, me.id, "bj-strategy", MISS, True, now=t1)
    s1, d1 = short_term(W[0], 3), next_difficulty(W[4], 3)
    assert after_good.state == "learning" and after_good.step == 1
    assert after_good.due == iso(t1 + dt.timedelta(minutes=10))  # second learning step
    assert after_good.stability == pytest.approx(s1, rel=1e-9)
    assert after_good.difficulty == pytest.approx(d1, rel=1e-9)
    graduated = record_review(store, me.id, "bj-strategy", MISS, True, now=t2)
    s2 = short_term(s1, 3)
    assert s2 == pytest.approx(0.2842, abs=1e-4)
    assert graduated.state == "review"
    # the interval at 90% retention is the stability in days, rounded, at least one day
    assert graduated.due == iso(t2 + dt.timedelta(days=max(1, round(s2))))
    assert graduated.stability == pytest.approx(s2, rel=1e-9)


def test_a_miss_in_review_is_a_lapse_due_again_after_ten_minutes(store, me):
    for minutes, ok in ((0, False), (1, True), (11, True)):
        record_review(store, me.id, "bj-strategy", MISS, ok, now=T0 + dt.timedelta(minutes=minutes))
    t3 = T0 + dt.timedelta(days=3)
    lapsed = record_review(store, me.id, "bj-strategy", {**MISS, "dealer": "K"}, False, now=t3)
    assert (lapsed.state, lapsed.lapses, lapsed.reviews) == ("relearning", 1, 4)
    assert lapsed.due == iso(t3 + dt.timedelta(minutes=10))
    assert lapsed.situation["dealer"] == "K"  # the latest miss is the one served again


def test_a_right_answer_in_a_spot_without_a_card_adds_nothing(store, me):
    assert record_review(store, me.id, "bj-strategy", MISS, True, now=T0) is None
    assert review_items(store, me.id) == []


def test_the_same_attempt_is_graded_once(store, me):
    record_review(store, me.id, "bj-strategy", MISS, False, now=T0, attempt_id=None)
    sid = store.start_session(me.id, "blackjack")
    aid = store.record_attempt(sid, Attempt("bj-strategy", MISS, "S", "H", False, 0.08, 900))
    later = T0 + dt.timedelta(hours=1)
    first = record_review(store, me.id, "bj-strategy", MISS, False, now=later, attempt_id=aid)
    again = record_review(store, me.id, "bj-strategy", MISS, False, now=later, attempt_id=aid)
    assert first == again and first.reviews == 2


def test_unknown_rating_and_naive_time_are_refused(store, me):
    with pytest.raises(StoreError, match="rating"):
        record_review(store, me.id, "bj-strategy", MISS, False, now=T0, rating="meh")
    with pytest.raises(StoreError, match="time zone"):
        record_review(store, me.id, "bj-strategy", MISS, False, now=dt.datetime(2026, 3, 1))


def stored(store, me, rows):
    sid = store.start_session(me.id, "blackjack")
    store.record_attempts(
        sid,
        [
            Attempt(drill, sit, "x", "y", ok, 0.0 if ok else 0.1, 800, iso(t))
            for drill, sit, ok, t in rows
        ],
    )


def test_sync_turns_stored_mistakes_into_cards_once(store, me):
    stored(store, me, [
        ("bj-strategy", MISS, False, T0),
        ("bj-strategy", {"player": "A7", "dealer": "9"}, True, T0 + dt.timedelta(seconds=20)),
        ("count-true", {"decks_left": 2.5, "running": 5}, False, T0 + dt.timedelta(seconds=40)),
        ("bj-strategy", {"player": "97", "dealer": "K"}, True, T0 + dt.timedelta(minutes=2)),
    ])  # fmt: skip
    assert sync_reviews(store, me.id) == 4
    assert sync_reviews(store, me.id) == 0
    items = {i.spot: i for i in review_items(store, me.id)}
    assert set(items) == {"hard 16 v T", "true count, 2.5 decks left"}
    # the right answer two minutes later graded the hard 16 card Good, step 0 -> 1
    assert items["hard 16 v T"].reviews == 2 and items["hard 16 v T"].step == 1
    assert items["hard 16 v T"].due == iso(T0 + dt.timedelta(minutes=12))
    assert items["true count, 2.5 decks left"].due == iso(T0 + dt.timedelta(seconds=100))


def test_due_items_serve_one_drill_most_overdue_first(store, me):
    stored(store, me, [
        ("bj-strategy", MISS, False, T0),
        ("bj-strategy", {"player": "88", "dealer": "T"}, False, T0 + dt.timedelta(minutes=5)),
        ("count-true", {"decks_left": 3}, False, T0),
    ])  # fmt: skip
    bj = due_items(store, me.id, "bj-strategy", T0 + dt.timedelta(hours=1))
    assert [i.spot for i in bj] == ["hard 16 v T", "pair 8,8 v T"]
    assert due_items(store, me.id, "bj-strategy", T0 + dt.timedelta(seconds=30)) == []
    assert len(due_items(store, me.id, None, T0 + dt.timedelta(hours=1))) == 3


def test_due_today_counts_cards_due_later_the_same_utc_day(store, me):
    stored(store, me, [("bj-strategy", MISS, False, T0)])
    assert [i.spot for i in due_today(store, me.id, T0)] == ["hard 16 v T"]
    for m in (1, 11):  # graduate: next due a day later, so not today any more
        record_review(store, me.id, "bj-strategy", MISS, True, now=T0 + dt.timedelta(minutes=m))
    assert due_today(store, me.id, T0 + dt.timedelta(minutes=12)) == []
    assert len(due_today(store, me.id, T0 + dt.timedelta(days=1))) == 1


def test_streak_counts_consecutive_utc_days_up_to_today_or_yesterday(store, me):
    days = [T0 - dt.timedelta(days=k) for k in (0, 1, 2, 4)]
    stored(store, me, [("count-true", {}, True, t) for t in days])
    assert streak(store, me.id, T0) == 3
    assert streak(store, me.id, T0 + dt.timedelta(days=1)) == 3  # alive until the day ends
    assert streak(store, me.id, T0 + dt.timedelta(days=2)) == 0
    assert streak(store, me.id, T0 - dt.timedelta(days=4)) == 1


def test_deleting_the_profile_deletes_its_review_queue(store, me):
    stored(store, me, [("bj-strategy", MISS, False, T0)])
    sync_reviews(store, me.id)
    store.delete_profile(me.id)
    for table in ("review_items", "review_log", "review_sync"):
        assert store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0


def test_sync_names_spots_exactly_as_spot_key_does(store, me):
    from engine.store.analytics import spot_key

    misses = [
        ("poker-equity", {"hero": "AhKh", "board": "2c 7d 9h"}),
        ("poker-pot-odds", {"hero": ["9s", "8s"], "board": ["Ts", "7c", "2d", "Kh"]}),
        ("poker-push-fold", {"hero": "Kh9h", "stack": 8, "position": "SB"}),
        ("count-running", {"pace": 0.4, "cards": ["2h", "3d"]}),
        ("bj-deviations", {"player": ["Th", "6d"], "dealer": "Ts", "running": 4}),
        ("bj-strategy", {"spot": "my own name for it"}),
        ("some-new-drill", {"whatever": 1}),
    ]
    stored(
        store, me, [(d, s, False, T0 + dt.timedelta(seconds=i)) for i, (d, s) in enumerate(misses)]
    )
    sync_reviews(store, me.id)
    assert sorted(i.spot for i in review_items(store, me.id)) == sorted(
        spot_key(d, s) for d, s in misses
    )
