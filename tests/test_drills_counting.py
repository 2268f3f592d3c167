"""Counting drills: the expected counts are the published tags summed, the true count is
the running count over the tray reading, rounded by the stated convention."""

import math
import random

import pytest

from engine.drills.counting import deal_counting_round, grade_count, true_count_question
from engine.errors import RulesError

HILO = {"2": 1, "3": 1, "4": 1, "5": 1, "6": 1, "7": 0, "8": 0, "9": 0,
        "T": -1, "J": -1, "Q": -1, "K": -1, "A": -1}  # fmt: skip


def test_checkpoint_counts_are_the_hilo_tags_summed_by_hand():
    r = deal_counting_round(random.Random(7), "hilo", decks=2, n_cards=40, n_checkpoints=4)
    assert r.checkpoints == (10, 20, 30, 40)
    for i, c in enumerate(r.checkpoints):
        assert r.running[i] == sum(HILO[card[0]] for card in r.cards[:c])
    assert r.segment(1) == r.cards[10:20]


def test_the_true_count_at_the_end_uses_the_half_deck_tray_and_floors():
    r = deal_counting_round(random.Random(2), "hilo", decks=6, n_cards=52, n_checkpoints=1)
    assert r.decks_left == 5.0  # 260 cards left: exactly five decks
    assert r.true == r.running[-1] // 5


def test_an_unbalanced_count_starts_at_its_irc_and_has_no_true_count():
    r = deal_counting_round(random.Random(1), "ko", decks=6, n_cards=10, n_checkpoints=1)
    assert r.initial == -20 and r.true is None
    ko = {**HILO, "7": 1}
    assert r.running[0] == -20 + sum(ko[c[0]] for c in r.cards)


def test_cards_come_from_one_shoe_without_impossible_repeats():
    r = deal_counting_round(random.Random(5), "red7", decks=1, n_cards=51, n_checkpoints=3)
    assert len(set(r.cards)) == 51


def test_true_count_questions_are_consistent_for_every_balanced_system():
    rng = random.Random(11)
    for system in ("hilo", "hiopt1", "hiopt2", "omega2", "zen", "halves"):
        for _ in range(50):
            q = true_count_question(rng, system, decks=6)
            tray = math.floor((312 - q.cards_seen) / 52 * 2 + 0.5) / 2  # to the half deck
            assert q.decks_left == max(0.5, tray)
            assert q.expected == (q.running / q.decks_left) // 1


def test_unbalanced_systems_have_no_conversion_questions():
    with pytest.raises(RulesError, match="unbalanced"):
        true_count_question(random.Random(), "ko")


def test_bad_settings_are_rules_errors():
    with pytest.raises(RulesError):
        deal_counting_round(random.Random(), "nonsense")
    with pytest.raises(RulesError):
        deal_counting_round(random.Random(), "hilo", decks=1, n_cards=60)


def test_a_count_answer_must_match_exactly():
    assert grade_count(-1.5, -1.5).correct
    assert not grade_count(2, 3).correct and grade_count(2, 3).error == -1
