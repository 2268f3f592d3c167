"""Practise my leaks: a stored situation rebuilds to the same question, graded the same."""

import pytest

from engine.blackjack import Rules, action_values
from engine.drills.blackjack import LiveShoe, grade_decision, hand_kind
from engine.drills.poker import grade_equity_estimate, grade_pot_odds
from engine.drills.practise import (
    leak_order,
    replay_blackjack,
    replay_equity,
    replay_pot_odds,
    replay_push_fold,
    replay_true_count,
)
from engine.errors import FeltError, RangeError, RulesError

# A situation exactly as pages/blackjack_strategy.py stored it (40 hands into a 6-deck
# shoe, running count +6); "values" are the exact EVs the drill graded the answer with.
STORED = {
    "player": "86", "dealer": "4", "cards": ["8s", "6s", "4h"], "hand": "hard 14",
    "rules": "6D S17 DAS LS 3:2", "shoe": [14, 10, 9, 12, 12, 15, 6, 11, 13, 50],
    "mode": "hard-bias",
    "values": {"stand": -0.16282336851658738, "hit": -0.3670222346929717,
               "double": -0.7340444693859434, "surrender": -0.5},
}  # fmt: skip

# 6D S17 DAS LS from a full shoe, hard 16 v 9 (the combinatorial-analysis figures of
# tests/blackjack/test_action_values.py, from /work/shared/data/blackjack/reference.json).
FULL_SHOE_T6_V_9 = {"stand": -0.542504659, "hit": -0.504546751, "double": -1.009093502,
                    "surrender": -0.5}  # fmt: skip


def test_a_stored_blackjack_spot_rebuilds_to_the_same_cards_shoe_and_exact_values():
    r = replay_blackjack(STORED)
    assert (r.spot.hand, r.spot.up, r.rules) == ("86", "4", Rules.parse("6D S17 DAS LS 3:2"))
    assert list(r.spot.shoe.counts) == STORED["shoe"]
    assert [*r.spot.cards, r.spot.up_card] == STORED["cards"]
    assert f"{hand_kind(r.spot.player)[0]} {hand_kind(r.spot.player)[1]}" == STORED["hand"]
    values = action_values(r.spot.hand, r.spot.up, r.rules, shoe=r.spot.shoe.counts)
    assert values == pytest.approx(STORED["values"], abs=1e-12)
    grade = grade_decision(values, "hit")
    assert grade.best == "stand" and grade.ev_loss == pytest.approx(0.204198866, abs=1e-9)
    assert r.deviation is None


def test_the_rebuilt_shoe_keeps_the_count_of_the_cards_dealt_before():
    shoe = replay_blackjack(STORED).spot.shoe
    assert sum(shoe.counts) == 312 - len(shoe.seen) and len(shoe.seen) == 160
    assert shoe.running() == 6  # Hi-Lo: the count does not depend on the order dealt


def test_a_spot_stored_without_a_shoe_is_asked_from_a_full_shoe_of_its_rules():
    r = replay_blackjack({"player": "T6", "dealer": "9", "rules": "6D S17 DAS LS 3:2"})
    assert r.spot.shoe.counts == LiveShoe.fresh(6).counts and r.spot.shoe.penetration == 0
    values = action_values(r.spot.hand, r.spot.up, r.rules, shoe=r.spot.shoe.counts)
    assert values == pytest.approx(FULL_SHOE_T6_V_9, abs=1e-6)


def test_a_stored_deviation_keeps_its_count_index_and_expected_play():
    stored = {**STORED, "player": "T6", "dealer": "9", "cards": ["Ts", "6d", "9c"],
              "running": 12, "decks_left": 2.5, "true_count": 4.0, "index": 5.0,
              "deviation": "stand"}  # fmt: skip
    dev = replay_blackjack(stored).deviation
    assert (dev.running, dev.decks_left, dev.true_count, dev.index) == (12, 2.5, 4.0, 5.0)
    assert (dev.action, dev.otherwise, dev.expected) == ("stand", "hit", "hit")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rules": None}, "no 'rules'"),
        ({"player": "T"}, "two player cards"),
        ({"player": "XX"}, "unreadable cards"),
        ({"shoe": [1, 2, 3]}, "not the unseen A..T counts"),
        ({"shoe": [14, 10, 9, 0, 12, 15, 6, 11, 13, 50]}, "no 4 left"),  # not the up card
        ({"deviation": "split"}, "not a deviation hand"),
    ],
)
def test_a_damaged_blackjack_situation_says_what_is_wrong(change, message):
    situation = {**STORED, **change}
    with pytest.raises(RulesError, match=message):
        replay_blackjack(situation)


def test_poker_questions_rebuild_and_grade_as_they_did():
    # AhKh v QsQd preflop: 46.21% (PokerStove/Equilab figure)
    q = replay_equity({"hero": "ah kh", "villain": "QsQd", "board": "", "truth": 0.4621,
                       "exact": True, "error_points": 13.79})  # fmt: skip
    assert (q.hero, q.board, q.exact) == ("AhKh", "", True)
    assert grade_equity_estimate(q, 60) == (False, 13.79)
    po = replay_pot_odds({"hero": "AhKh", "villain": "QQ+", "board": "2c7d9h", "pot": 100,
                          "bet": 50, "equity": 0.2, "call_ev": -10.0})  # fmt: skip
    assert grade_pot_odds(po, "call") == (False, "fold", 10.0)


def test_a_push_fold_spot_gets_the_combo_index_the_dealer_gives_it():
    from engine.cards import DECK

    spot = replay_push_fold({"hero": "9hKh", "stack": 10, "push_ev": 1.2})
    hi, lo = DECK.index("Kh"), DECK.index("9h")  # deal_push_fold_spot's numbering
    assert spot.combo == hi * (hi - 1) // 2 + lo and spot.stack == 10.0 and spot.hero == "9hKh"


@pytest.mark.parametrize(
    ("situation", "error"),
    [
        ({"hero": "AhKh", "villain": "QQ+", "board": "2c7d", "truth": 0.5}, "board of 2"),
        ({"hero": "AhKh", "villain": "QQ+", "truth": 1.5}, "share from 0 to 1"),
        ({"hero": "Ah", "villain": "QQ+", "truth": 0.5}, "two hole cards"),
    ],
)
def test_a_damaged_poker_situation_says_what_is_wrong(situation, error):
    with pytest.raises(RangeError, match=error):
        replay_equity(situation)


def test_a_true_count_conversion_rebuilds_with_the_floor_convention():
    # 6 decks, 182 cards played: 130 left, 2.5 decks (half-deck estimate); +7 / 2.5 = 2.8
    q = replay_true_count({"system": "hilo", "decks": 6, "pace": 1.0, "running": 7,
                           "cards_seen": 182, "decks_left": 2.5, "rounding": "floor",
                           "error": 1})  # fmt: skip
    assert (q.decks_left, q.expected) == (2.5, 2)
    q = replay_true_count({"system": "hilo", "decks": 6, "running": -7, "cards_seen": 182})
    assert q.expected == -3  # floor rounds toward minus infinity
    with pytest.raises(FeltError, match="cards_seen"):
        replay_true_count({"decks": 6, "running": 3})


def test_the_spot_asked_for_is_served_first():
    from types import SimpleNamespace as N

    items = [N(drill="bj-strategy", spot=s) for s in ("hard 16 v T", "soft 18 v 3", "A,A")]
    got = leak_order(items, ("bj-strategy", "soft 18 v 3"))
    assert [i.spot for i in got] == ["soft 18 v 3", "hard 16 v T", "A,A"]
    assert leak_order(items, None) == items
