"""Practise my leaks through Streamlit's AppTest: due leaks first, graded and stored as usual.

AppTest under st.navigation loses plain button values on reruns, so every control here is
an on_click callback or a widget with a key, as on the pages themselves.
"""

import datetime as dt
import pathlib

import pytest
from streamlit.testing.v1 import AppTest

from engine.store import Attempt, SqliteStore, close_thread_stores
from engine.store.review import due_items

ROOT = pathlib.Path(__file__).resolve().parents[1]
HOUR_AGO = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat(timespec="milliseconds")

# A situation as pages/blackjack_strategy.py stores it (tests/test_drills_practise.py has the
# same one): hard 14 v 4 from a shoe 160 cards deep, with the exact values it was graded by.
BJ = {
    "player": "86", "dealer": "4", "cards": ["8s", "6s", "4h"], "hand": "hard 14",
    "rules": "6D S17 DAS LS 3:2", "shoe": [14, 10, 9, 12, 12, 15, 6, 11, 13, 50],
    "mode": "hard-bias",
    "values": {"stand": -0.16282336851658738, "hit": -0.3670222346929717,
               "double": -0.7340444693859434, "surrender": -0.5},
}  # fmt: skip


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "felt.db"
    monkeypatch.setenv("FELT_DB", str(path))
    monkeypatch.chdir(ROOT)
    yield path
    close_thread_stores()


def missed(db, game, drill, situation, answer, best, loss, when=HOUR_AGO) -> int:
    """Store a missed answer (an hour ago by default: its review card is due now)."""
    with SqliteStore(db) as store:
        me = store.default_profile()
        sid = store.start_session(me.id, game)
        a = Attempt(drill, situation, answer, best, False, loss, 2000, created_at=when)
        return store.record_attempts(sid, [a])[0]


def attempts(db):
    with SqliteStore(db) as store:
        return store.attempts(store.default_profile().id)


def due(db):
    with SqliteStore(db) as store:
        return due_items(store, store.default_profile().id)


def app(page: str, **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in state.items():
        at.session_state[k] = v
    at.switch_page(page)
    return at.run()


def test_blackjack_serves_a_due_leak_from_its_stored_shoe_and_grades_it_by_exact_ev(db):
    missed(db, "blackjack", "bj-strategy", BJ, "hit", "stand", 0.2042)
    at = app("pages/blackjack_strategy.py")
    at.toggle(key="bj_practise").set_value(True).run()
    assert not at.exception and not at.error
    spot = at.session_state["bj_spot"]
    assert (spot.hand, spot.up, list(spot.shoe.counts)) == ("86", "4", BJ["shoe"])
    assert at.session_state["bj_values"] == pytest.approx(BJ["values"], abs=1e-12)
    assert "hard 14 v 4" in at.caption[0].value and "6D S17 DAS LS" in at.caption[1].value
    at.button(key="bj_hit").click().run()
    assert not at.exception
    last = attempts(db)[0]
    assert last["drill"] == "bj-strategy" and not last["correct"]
    assert last["ev_loss"] == pytest.approx(0.204198866, abs=1e-9)
    assert last["situation"]["shoe"] == BJ["shoe"] and last["situation"]["rules"] == BJ["rules"]
    # the miss graded the card again (due after the 1-minute learning step): nothing is due
    assert due(db) == []
    assert "Nothing is due" in at.info[0].value
    at.button(key="bj_practise_normal").click().run()
    assert not at.exception and not at.session_state["bj_practise"]
    assert at.session_state["bj_spot"] is not None and at.session_state["bj_mode"] == "all"


def test_practise_this_from_analytics_lands_on_the_blackjack_spot_even_before_it_is_due(db):
    now = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
    aid = missed(db, "blackjack", "bj-strategy", BJ, "hit", "stand", 0.2042, when=now)
    request = {"drill": "bj-strategy", "spot": "hard 14 v 4", "attempt_id": aid}
    at = app("pages/blackjack_strategy.py", felt_practise=request)
    assert not at.exception and not at.error
    assert at.session_state["bj_practise"] and "felt_practise" not in at.session_state
    spot = at.session_state["bj_spot"]
    assert (spot.hand, spot.up, list(spot.shoe.counts)) == ("86", "4", BJ["shoe"])
    at.button(key="bj_stand").click().run()
    assert not at.exception and at.success
    assert attempts(db)[0]["correct"]


def test_a_deviation_leak_keeps_its_count_and_expects_the_index_play(db):
    # Hi-Lo 16 v 9: stand at +5 (index in the situation); at true count +4 the play is hit
    dev = {**BJ, "player": "T6", "dealer": "9", "cards": ["Ts", "6d", "9c"], "hand": "hard 16",
           "shoe": None, "mode": "deviations", "running": 10, "decks_left": 2.5,
           "true_count": 4.0, "index": 5.0, "deviation": "stand"}  # fmt: skip
    missed(db, "blackjack", "bj-deviations", dev, "stand", "hit", 0.04)
    at = app("pages/blackjack_strategy.py")
    at.toggle(key="bj_practise").set_value(True).run()
    assert not at.exception and not at.error
    assert at.session_state["bj_dev"].expected == "hit"
    assert any("Running count **+10**" in m.value for m in at.markdown)
    at.button(key="bj_hit").click().run()
    assert not at.exception and at.success
    last = attempts(db)[0]
    assert last["drill"] == "bj-deviations" and last["correct"]
    assert (last["situation"]["true_count"], last["situation"]["index"]) == (4.0, 5.0)


def test_with_nothing_due_the_blackjack_mode_says_so_and_offers_the_normal_drill(db):
    at = app("pages/blackjack_strategy.py")
    at.toggle(key="bj_practise").set_value(True).run()
    assert not at.exception and not at.error
    assert "Nothing is due" in at.info[0].value
    at.button(key="bj_practise_normal").click().run()
    assert not at.exception and at.session_state["bj_spot"] is not None


# Poker situations as pages/poker_drills.py stores them. AhKh v QsQd preflop is 46.21%
# (PokerStove/Equilab); the pot-odds equity is the one the drill graded the call with.
EQUITY = {"hero": "AhKh", "villain": "QsQd", "board": "", "truth": 0.4621, "exact": True,
          "error_points": 13.79}  # fmt: skip
POT_ODDS = {"hero": "Ah2h", "villain": "QQ+, AKs", "board": "Kh7h2c", "pot": 100.0, "bet": 50.0,
            "equity": 0.2, "call_ev": -10.0}  # fmt: skip


def test_poker_equity_leak_is_asked_again_and_graded_against_its_stored_equity(db):
    missed(db, "poker", "poker-equity", EQUITY, "60", "46.2", 0.1379)
    at = app("pages/poker_drills.py")
    at.toggle(key="pk_practise").set_value(True).run()
    assert not at.exception and not at.error
    q = at.session_state["pk_q_equity"]
    assert (q.hero, q.villain, q.board, q.truth) == ("AhKh", "QsQd", "", 0.4621)
    assert "AKs equity preflop" in at.caption[0].value
    at.number_input(key="pk_eq_answer").set_value(45.0)
    at.button(key="FormSubmitter:pk_eq_form-Check").click().run()
    assert not at.exception
    last = attempts(db)[0]
    assert last["drill"] == "poker-equity" and last["correct"]
    assert last["situation"]["error_points"] == pytest.approx(-1.21)
    assert due(db) == []  # graded good: the card moves to a later day
    assert "Nothing is due" in at.info[0].value


def test_pot_odds_leak_from_analytics_opens_the_pot_odds_drill_with_that_spot(db):
    aid = missed(db, "poker", "poker-pot-odds", POT_ODDS, "call", "fold", 10.0)
    request = {"drill": "poker-pot-odds", "spot": "A2s pot odds on the flop", "attempt_id": aid}
    at = app("pages/poker_drills.py", felt_practise=request)
    assert not at.exception and not at.error
    assert at.session_state["pk_kind"] == "pot odds" and at.session_state["pk_practise"]
    q = at.session_state["pk_q_pot odds"]
    assert (q.hero, q.board, q.pot, q.bet, q.equity) == ("Ah2h", "Kh7h2c", 100.0, 50.0, 0.2)
    at.button(key="pk_call").click().run()
    assert not at.exception
    last = attempts(db)[0]
    assert (last["drill"], last["correct"], last["ev_loss"]) == ("poker-pot-odds", False, 10.0)


def test_push_fold_leak_is_graded_against_the_equilibrium_at_its_stack(db):
    from engine.poker.preflop import TABLE_PATH

    if not TABLE_PATH.exists():
        pytest.skip("the preflop table is not built (scripts/build_preflop_table.py)")
    # 72o at 15 bb: a fold at equilibrium (pushing is worth less than the -0.5 bb folded)
    missed(db, "poker", "poker-push-fold", {"hero": "7d2c", "stack": 15.0}, "push", "fold", 0.3)
    at = app("pages/poker_drills.py")
    at.segmented_control(key="pk_kind").set_value("push/fold").run()
    at.toggle(key="pk_practise").set_value(True).run()
    assert not at.exception and not at.error
    spot = at.session_state["pk_q_push/fold"]
    assert (spot.hero, spot.stack) == ("7d2c", 15.0)
    at.button(key="pk_fold").click().run()
    assert not at.exception
    last = attempts(db)[0]
    assert last["drill"] == "poker-push-fold" and last["correct"] and last["best"] == "fold"


def test_with_nothing_due_the_poker_mode_offers_the_normal_drill(db):
    at = app("pages/poker_drills.py")
    at.toggle(key="pk_practise").set_value(True).run()
    assert "Nothing is due" in at.info[0].value
    at.button(key="pk_practise_normal").click().run()
    assert not at.exception and at.session_state["pk_q_equity"] is not None


# A true-count conversion as pages/counting.py stores it: +7 with 2.5 decks left is +2
# (floored), the player said 3.
CONVERSION = {"system": "hilo", "decks": 6, "pace": 0.6, "running": 7, "cards_seen": 182,
              "decks_left": 2.5, "rounding": "floor", "error": 1.0}  # fmt: skip


def test_a_true_count_leak_is_asked_again_with_the_same_count_and_depth(db):
    missed(db, "counting", "count-true", CONVERSION, "3", "2", 1.0)
    at = app("pages/counting.py")
    at.toggle(key="cnt_practise").set_value(True).run()
    assert not at.exception and not at.error
    q = at.session_state["cnt_tq"]
    assert (q.running, q.cards_seen, q.decks_left, q.expected) == (7, 182, 2.5, 2)
    at.number_input(key="cnt_tq_answer").set_value(2)
    at.button(key="FormSubmitter:cnt_tq_form-Check").click().run()
    assert not at.exception
    last = attempts(db)[0]
    assert (last["drill"], last["correct"], last["best"]) == ("count-true", True, "2")
    assert last["situation"]["decks_left"] == 2.5
    assert any("Nothing is due" in i.value for i in at.info)


def test_a_running_count_leak_from_analytics_says_a_sequence_cannot_be_repeated(db):
    aid = missed(db, "counting", "count-running", {"pace": 0.6, "cards": ["As"]}, "1", "-1", 2)
    request = {"drill": "count-running", "spot": "running count at 0.6 s/card", "attempt_id": aid}
    at = app("pages/counting.py", felt_practise=request)
    assert not at.exception and not at.error
    assert "not a spot to repeat" in at.info[0].value


def test_a_leak_that_cannot_be_rebuilt_is_skipped_and_named(db):
    old = {"system": "hilo", "decks": 6, "running": 3}  # no cards_seen: cannot be asked again
    missed(db, "counting", "count-true", old, "1", "0", 1.0)
    missed(db, "counting", "count-true", CONVERSION, "3", "2", 1.0)
    at = app("pages/counting.py")
    at.toggle(key="cnt_practise").set_value(True).run()
    assert not at.exception and not at.error
    assert at.session_state["cnt_tq"].running == 7  # the conversion that can be rebuilt
    at.number_input(key="cnt_tq_answer").set_value(2)
    at.button(key="FormSubmitter:cnt_tq_form-Check").click().run()
    assert not at.exception and any("Nothing is due" in i.value for i in at.info)
    assert any("cards_seen" in c.value for c in at.caption)
