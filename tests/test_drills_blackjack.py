"""Blackjack drills: spots from a live shoe, graded by EV loss against exact values.

Known answers: per-hand values for 6 decks S17 DAS late surrender, full shoe, from the
combinatorial analysis in the project's reference data (they match the Wizard of Odds
appendix tables to 6 decimals); copied here so the test needs nothing outside tests/.
"""

import random
from collections import Counter

import pytest

from engine.drills.blackjack import (
    DEVIATIONS,
    LiveShoe,
    after_hand,
    chart_action,
    chart_row,
    deal_deviation_spot,
    deal_strategy_spot,
    deviation_hands,
    explain,
    grade_decision,
    hand_kind,
)
from engine.errors import RulesError

T16_V_T = {"stand": -0.540954439, "hit": -0.534675562, "double": -1.069351125, "surrender": -0.5}
EIGHTS_V_A = {"stand": -0.663258077, "hit": -0.513551218, "double": -1.027102435,
              "split": -0.364251552, "surrender": -0.5}  # fmt: skip
SOFT18_V_9 = {"stand": -0.182639937, "hit": -0.098469022, "double": -0.28482493,
              "surrender": -0.5}  # fmt: skip


def test_standing_on_16_v_10_costs_what_the_published_values_say():
    g = grade_decision(T16_V_T, "stand")
    assert g.best == "surrender" and not g.correct
    assert g.ev_loss == pytest.approx(0.040954439, abs=1e-9)
    assert "gives away 0.041 bets" in explain(g)


def test_splitting_eights_against_an_ace_is_correct_and_free():
    g = grade_decision(EIGHTS_V_A, "split")
    assert g.correct and g.ev_loss == 0
    assert explain(g).startswith("Split is best at -0.364")


def test_standing_on_soft_18_v_9_gives_away_0_084():
    g = grade_decision(SOFT18_V_9, "stand")
    assert g.best == "hit" and g.ev_loss == pytest.approx(0.084170915, abs=1e-9)


def test_an_action_the_rules_do_not_allow_is_refused_with_the_choices():
    with pytest.raises(RulesError, match="not allowed here: choose one of Hit, Stand"):
        grade_decision(SOFT18_V_9, "split")


@pytest.mark.parametrize(
    ("mode", "kinds"), [("hard", {"hard"}), ("soft", {"soft"}), ("pairs", {"pair"})]
)
def test_each_mode_deals_only_its_hands(mode, kinds):
    rng = random.Random(1)
    shoe = LiveShoe.fresh(6)
    for _ in range(200):
        spot = deal_strategy_spot(shoe, rng, mode)
        assert hand_kind(spot.player)[0] in kinds
        shoe = after_hand(spot, rng)


def test_the_hard_bias_mode_deals_mostly_hard_9_to_16():
    rng = random.Random(2)
    kinds = Counter()
    for _ in range(400):
        k, t = hand_kind(deal_strategy_spot(LiveShoe.fresh(6), rng, "hard-bias").player)
        kinds[k == "hard" and 9 <= t <= 16] += 1
    assert kinds[True] > 0.75 * 400


def test_no_blackjacks_are_dealt_as_decisions():
    rng = random.Random(3)
    for _ in range(500):
        assert hand_kind(deal_strategy_spot(LiveShoe.fresh(1), rng, "soft").player) != (
            "soft",
            21,
        )


def test_the_shoe_drifts_hand_by_hand_and_reshuffles_at_the_cut_card():
    rng = random.Random(4)
    shoe = LiveShoe.fresh(1)
    spot = deal_strategy_spot(shoe, rng)
    assert spot.shoe == shoe  # the values are asked from the shoe before the deal
    after = after_hand(spot, rng)
    assert sum(after.counts) == 48 and len(after.seen) == 4  # two cards, up card, hole card
    for _ in range(20):  # 4 cards a hand: the cut card (39 of 52) comes within 10 hands
        if after.penetration >= 0.75:
            break
        after = after_hand(deal_strategy_spot(after, rng), rng)
    assert after.penetration >= 0.75
    assert deal_strategy_spot(after, rng).shoe.counts == LiveShoe.fresh(1).counts


def test_the_running_count_follows_the_cards_seen():
    shoe = LiveShoe.fresh(6).remove([10, 10, 5, 1, 6, 2])
    assert shoe.running("hilo") == -3 + 3
    assert shoe.decks_left() == 6.0


def test_surrender_decides_which_deviation_hands_are_drilled():
    with_r, without = deviation_hands(True), deviation_hands(False)
    assert ("T6", "T", "stand", "hit") in without and ("T6", "T", "stand", "hit") not in with_r
    assert all(d[2] != "surrender" for d in without)
    assert set(with_r) | set(without) == set(DEVIATIONS)


def test_a_deviation_spot_expects_the_index_play_on_each_side_of_the_index():
    published = {("T6", "T", "stand"): 0, ("T2", "3", "stand"): 2}  # Illustrious 18
    rng = random.Random(5)
    seen = Counter()
    for _ in range(60):
        dev = deal_deviation_spot(6, rng, lambda p, d, a: published.get((p, d, a), 1),
                                  surrender=False)  # fmt: skip
        assert dev.expected == (dev.action if dev.true_count >= dev.index else dev.otherwise)
        seen[dev.expected == dev.action] += 1
        assert dev.spot.shoe.running("hilo") == dev.running
    assert seen[True] and seen[False]  # the counts land on both sides of the index


def test_chart_cells_become_the_play_the_rules_allow():
    # Published 4-8 deck S17 DAS LS chart cells: hard 16 v T "Rh", soft 18 v 3 "Ds",
    # 8,8 v 2 "P"; without surrender or doubling the fallback play applies.
    assert chart_row((10, 6)) == "hard 16" and chart_row((1, 7)) == "soft 18"
    assert chart_action("Rh", ["hit", "stand", "double", "surrender"]) == "surrender"
    assert chart_action("Rh", ["hit", "stand", "double"]) == "hit"
    assert chart_action("Ds", ["hit", "stand", "double"]) == "double"
    assert chart_action("Ds", ["hit", "stand"]) == "stand"
    assert chart_row((8, 8)) == "pair 8,8" and chart_action("P", ["split", "hit"]) == "split"
    with pytest.raises(RulesError):
        chart_action("X", ["hit"])
