"""Pot odds, outs and hit chances against textbook figures and direct enumeration."""

import itertools
import math
from fractions import Fraction

import eval7
import pytest

from engine.cards import DECK, cards_to_ints
from engine.errors import CardError, FeltError
from engine.poker.odds import (
    HitChance,
    OddsError,
    call_ev,
    equity_needed,
    hit_probability,
    outs,
    pot_odds,
    pot_odds_ratio,
    rule_of_2_and_4,
)

# --- pot odds -----------------------------------------------------------------------------


def test_pot_odds_is_the_share_of_the_final_pot_you_put_in():
    # A pot-sized bet: pot 100 + bet 100 = 200 offered, call 100 -> 100 / 300.
    assert pot_odds(pot=200, to_call=100) == pytest.approx(1 / 3)
    # A half-pot bet: 100 + 50 offered, call 50 -> 50 / 200 = 25 %.
    assert pot_odds(pot=150, to_call=50) == 0.25
    assert pot_odds_ratio(pot=150, to_call=50) == 3.0  # "3 to 1"


def test_equity_needed_to_call_is_break_even_by_call_ev():
    for pot, to_call in [(150, 50), (200, 100), (7.5, 2.5), (1000, 1)]:
        needed = equity_needed(pot, to_call)
        assert call_ev(needed, pot, to_call) == pytest.approx(0.0, abs=1e-9)
        assert call_ev(needed * 1.01, pot, to_call) > 0 > call_ev(needed * 0.99, pot, to_call)


def test_call_ev_in_chips():
    # 9-out flush draw on the turn (9/46) facing a pot-sized bet of 100 into 100.
    assert call_ev(9 / 46, pot=200, to_call=100) == pytest.approx(9 / 46 * 300 - 100)
    assert call_ev(1.0, pot=200, to_call=100) == 200
    assert call_ev(0.0, pot=200, to_call=100) == -100


@pytest.mark.parametrize(
    ("pot", "to_call", "name"),
    [(0, 10, "pot"), (-5, 10, "pot"), (100, 0, "to_call"), (100, -1, "to_call")],
)
def test_zero_or_negative_amounts_are_refused_by_name(pot, to_call, name):
    for fn in (pot_odds, equity_needed, pot_odds_ratio):
        with pytest.raises(OddsError, match=f"{name} must be a positive number of chips"):
            fn(pot, to_call)
    with pytest.raises(OddsError, match=name):
        call_ev(0.5, pot, to_call)


@pytest.mark.parametrize("bad", [math.nan, math.inf, "lots", None])
def test_amounts_that_are_not_numbers_are_refused(bad):
    with pytest.raises(OddsError, match="pot must be"):
        pot_odds(bad, 10)


@pytest.mark.parametrize("equity", [-0.1, 1.1, math.nan, "half"])
def test_call_ev_needs_an_equity_between_0_and_1(equity):
    with pytest.raises(OddsError, match="equity must be a share between 0 and 1"):
        call_ev(equity, 100, 50)


def test_odds_errors_are_felt_value_errors():
    assert issubclass(OddsError, FeltError) and issubclass(OddsError, ValueError)


# --- hit chances --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "next_card", "by_river"),
    [
        # The outs chart printed in poker primers (one card / by the river, flop).
        (9, 0.1915, 0.3497),  # flush draw: 9/47, 1 - (38/47)(37/46)
        (8, 0.1702, 0.3145),  # open-ended straight draw
        (4, 0.0851, 0.1647),  # gutshot
        (2, 0.0426, 0.0842),  # pocket pair to a set
        (15, 0.3191, 0.5412),  # flush draw and open-ender
        (0, 0.0, 0.0),
        (47, 1.0, 1.0),
    ],
)
def test_hit_probability_on_the_flop_matches_the_outs_chart(n, next_card, by_river):
    chance = hit_probability(n, 3)
    assert isinstance(chance, HitChance)
    assert chance.next_card == pytest.approx(next_card, abs=5e-5)
    assert chance.by_river == pytest.approx(by_river, abs=5e-5)


def test_flush_draw_by_the_river_is_exactly_one_minus_both_misses():
    exact = 1 - Fraction(38, 47) * Fraction(37, 46)
    assert hit_probability(9, 3).by_river == pytest.approx(float(exact), rel=1e-15)


@pytest.mark.parametrize("n", range(0, 48, 3))
def test_hit_probability_by_the_river_counts_every_turn_and_river(n):
    """Direct enumeration of the C(47, 2) = 1081 turn-river pairs, outs being cards 0..n-1."""
    hits = sum(1 for turn, river in itertools.combinations(range(47), 2) if min(turn, river) < n)
    assert hit_probability(n, 3).by_river == pytest.approx(hits / 1081, abs=1e-15)


def test_on_the_turn_one_card_is_left_to_come():
    assert hit_probability(9, 4) == HitChance(9 / 46, 9 / 46)
    assert hit_probability(9, 4).next_card == pytest.approx(0.1957, abs=5e-5)


def test_rule_of_2_and_4_is_close_for_small_draws_and_high_for_big_ones():
    assert rule_of_2_and_4(9, 3) == HitChance(0.18, 0.36)
    assert rule_of_2_and_4(8, 4) == HitChance(0.16, 0.16)
    for n in range(1, 10):
        assert abs(rule_of_2_and_4(n, 3).by_river - hit_probability(n, 3).by_river) < 0.015
    assert rule_of_2_and_4(15, 3).by_river - hit_probability(15, 3).by_river > 0.05
    assert rule_of_2_and_4(40, 3) == HitChance(0.8, 1.0)


@pytest.mark.parametrize(
    ("n", "board_size", "message"),
    [
        (9, 5, "board_size must be 3"),
        (9, 0, "board_size must be 3"),
        (-1, 3, "from 0 to 47"),
        (48, 3, "from 0 to 47"),
        (47, 4, "from 0 to 46"),
        (2.5, 3, "whole number"),
        (True, 3, "whole number"),
    ],
)
def test_impossible_counts_of_outs_are_refused(n, board_size, message):
    for fn in (hit_probability, rule_of_2_and_4):
        with pytest.raises(OddsError, match=message):
            fn(n, board_size)


# --- outs against a known hand: the textbook draws ----------------------------------------


def eval7_outs(hero, board, villain):
    """The same count with eval7, an independent evaluator (dev dependency)."""

    def value(cards):
        return eval7.evaluate([eval7.Card(c) for c in cards])

    h, b, v = hero.split(), board.split(), villain.split()
    return {
        card
        for card in DECK
        if card not in h + b + v and value([*h, *b, card]) > value([*v, *b, card])
    }


DRAWS = [
    # (hero, board, villain, textbook outs, what)
    ("7h 6h", "Kh 9h 2c", "Ks Qd", 9, "flush draw against top pair"),
    ("9c 8c", "7h 6d 2s", "Ah Ad", 8, "open-ended straight draw against an overpair"),
    ("9c 8c", "Jh 7d 2s", "Ah Ad", 4, "gutshot"),
    ("Jc 9d", "Ks Th 7c", "Kd Kh", 8, "double gutshot against a set"),
    ("Jh Th", "9h 8h 2c", "As Ad", 15, "flush draw and open-ender"),
    ("Ah Kd", "9c 7d 2h", "Qs 9s", 6, "two overcards against middle pair"),
    ("5s 5h", "Ad 9c 2d", "As Kd", 2, "pocket pair to a set"),
    ("7h 6h", "Kh 9h 2c 3d", "Ks Qd", 9, "flush draw on the turn"),
    ("8h 7h", "Kh 6h 6c", "Ks Kd", 0, "drawing dead against a full house"),
]


@pytest.mark.parametrize(("hero", "board", "villain", "count", "what"), DRAWS)
def test_outs_against_a_hand_match_the_textbook_count(hero, board, villain, count, what):
    found = outs(hero, board, villain=villain)
    assert len(found) == count, what
    assert len(set(found)) == count
    assert set(found) == eval7_outs(hero, board, villain)


def test_the_outs_are_the_cards_themselves():
    assert outs("7h 6h", "Kh 9h 2c", villain="Ks Qd") == [
        "Ah", "Qh", "Jh", "Th", "8h", "5h", "4h", "3h", "2h"
    ]  # fmt: skip
    assert outs("9c 8c", "7h 6d 2s", villain="Ah Ad") == [
        "Ts", "Th", "Td", "Tc", "5s", "5h", "5d", "5c"
    ]  # fmt: skip


def test_a_flush_card_that_pairs_the_board_for_a_full_house_is_not_an_out():
    # Villain has a set of nines: the 2h pairs the board and fills him up.
    found = outs("7h 6h", "Kh 9h 2c", villain="9s 9d")
    assert "2h" not in found
    assert len(found) == 9 - 1
    assert set(found) == eval7_outs("7h 6h", "Kh 9h 2c", "9s 9d")


def test_no_outs_when_already_ahead_and_ties_count_as_not_ahead():
    assert outs("As Ad", "7h 6d 2s", villain="9c 8c") == []
    # Same straight on board for both (chop now): the cards that make hero's flush win.
    found = outs("Ah 2h", "Tc Jd Qs Ks", villain="Ac 3d")
    assert found == []  # hero holds no flush draw and the broadway is shared
    found = outs("2h 3h", "Ah Kh Qd Jc", villain="2c 3c")
    # Both play A K Q J 3 now; any of the nine hearts left gives hero the flush.
    assert found == ["Qh", "Jh", "Th", "9h", "8h", "7h", "6h", "5h", "4h"]


# --- outs without a villain: improving to a stronger category ------------------------------


def test_flush_draw_and_two_overcards_have_15_outs_to_improve():
    found = outs("Ah Kh", "Qh 7h 2c")
    assert len(found) == 15  # 9 hearts, 3 aces, 3 kings: the primers' "15 outs"
    assert {"As", "Ad", "Ac", "Ks", "Kd", "Kc"} <= set(found)
    assert sum(c.endswith("h") for c in found) == 9


def test_a_card_that_only_pairs_the_board_is_no_out():
    # Hero 9c8c on 7h 6d 2s: tens and fives (straight), nines and eights (pair). A 7, 6 or 2
    # pairs the board and gives everybody the same pair: no improvement of hero's own.
    found = outs("9c 8c", "7h 6d 2s")
    assert len(found) == 8 + 6
    assert not {c for c in found if c[0] in "762"}


def test_a_pocket_pair_improves_with_a_set_or_a_second_pair_from_the_board():
    # 5s5h on Ad 9c 2d: the two fives make a set; an ace, nine or deuce gives two pair
    # (the board's pair and hero's fives), a stronger category than the pair hero holds.
    found = outs("5s 5h", "Ad 9c 2d")
    assert set(found) >= {"5d", "5c"}
    assert len(found) == 2 + 9


def test_on_the_turn_improving_cards_include_making_the_straight():
    found = outs("9c 8c", "7h 6d 2s Kd")
    assert {c for c in found if c[0] in "T5"} == {f"{r}{s}" for r in "T5" for s in "shdc"}


def test_outs_accept_card_indices():
    assert outs(cards_to_ints("7h 6h"), cards_to_ints("Kh 9h 2c"), cards_to_ints("Ks Qd")) == (
        outs("7h6h", "Kh9h2c", "KsQd")
    )


@pytest.mark.parametrize(
    ("hero", "board", "villain", "message"),
    [
        ("Ah", "Kh 9h 2c", None, "hero must hold two cards"),
        ("Ah Kh", "Kh 9h 2c", None, "dealt twice: Kh"),
        ("Ah Kd", "Qh 9h 2c", "Ah 3c", "dealt twice: Ah"),
        ("Ah Kd", "Qh 9h", None, "flop or a turn"),
        ("Ah Kd", "Qh 9h 2c 3c 4c", None, "flop or a turn"),
        ("Ah Kd", "Qh 9h 2c", "3c", "villain must hold two cards"),
        ("Ah Kx", "Qh 9h 2c", None, "'Kx'"),
    ],
)
def test_impossible_deals_raise_card_errors(hero, board, villain, message):
    with pytest.raises(CardError, match=message):
        outs(hero, board, villain)


@pytest.mark.parametrize(
    ("hero", "board", "villain"),
    [
        ("7h 6h", "Kh 9h 2c 3d", "Ks Qd"),
        ("9c 8c", "7h 6d 2s Kd", "Ah Ad"),
        ("Jh Th", "9h 8h 2c 3s", "As Ad"),
        ("2h 3h", "Ah Kh Qd Jc", "2c 3c"),
        ("8h 7h", "Kh 6h 6c 2d", "Ks Kd"),
    ],
)
def test_on_the_turn_the_outs_are_exactly_the_rivers_hero_wins(hero, board, villain):
    """Against the exact equity engine: 44 rivers, hero (not ahead now) wins on the outs."""
    from engine.poker import equity

    result = equity([hero.replace(" ", ""), villain.replace(" ", "")], board=board, exact=True)
    assert result.exact and result.samples == 44
    assert result.win[0] == pytest.approx(len(outs(hero, board, villain)) / 44, abs=1e-12)
