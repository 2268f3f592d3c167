"""Poker drills: questions carry the engine's truth, graders follow the pot-odds arithmetic,
and push/fold is an equilibrium (nobody gains by deviating) of the preflop table."""

import functools
import random

import numpy as np
import pytest

from engine.drills.poker import (
    VILLAIN_RANGES,
    EquityQuestion,
    PotOddsQuestion,
    deal_equity_question,
    deal_pot_odds_question,
    deal_push_fold_spot,
    grade_equity_estimate,
    grade_pot_odds,
    grade_push_fold,
    push_fold_equilibrium,
)
from engine.errors import RangeError
from engine.poker import equity, parse_range


def test_an_equity_question_carries_the_exact_equity_of_its_matchup():
    q = deal_equity_question(random.Random(1), equity, "flop")
    assert len(q.board) == 6
    assert q.truth == pytest.approx(equity([q.hero, q.villain], q.board, trials=200_000,
                                           seed=None).equity[0], abs=0.02)  # fmt: skip


def test_known_equity_is_graded_by_points_of_error():
    # AhKh v QsQd preflop: 46.21% (exact enumeration, the project's poker reference data)
    q = EquityQuestion("AhKh", "QsQd", "", 0.46214457, True)
    assert grade_equity_estimate(q, 45) == (True, -1.21)
    assert grade_equity_estimate(q, 35) == (False, -11.21)


def test_calling_is_right_exactly_when_equity_beats_the_price():
    # 100 in the pot, a 50 bet: calling 50 to win 200 needs 25%.
    assert grade_pot_odds(PotOddsQuestion("AhKh", "QQ+", "", 100, 50, 0.30), "call") == (
        True, "call", 0.0)  # fmt: skip
    ok, best, loss = grade_pot_odds(PotOddsQuestion("AhKh", "QQ+", "", 100, 50, 0.20), "call")
    assert (ok, best) == (False, "fold") and loss == pytest.approx(50 - 0.2 * 200)
    with pytest.raises(RangeError):
        grade_pot_odds(PotOddsQuestion("AhKh", "QQ+", "", 100, 50, 0.2), "raise")


def test_pot_odds_questions_use_a_stated_range_on_the_flop_or_turn():
    q = deal_pot_odds_question(random.Random(3), equity, trials=20_000)
    assert q.villain in VILLAIN_RANGES and len(q.board) in (6, 8)
    assert 0 < q.bet <= q.pot
    assert len(parse_range(q.villain, q.hero + q.board)) > 0


def toy_game():
    """Three 'hands' with no card removal: a nut hand, a middle hand, air."""
    eq = np.array([[0.5, 0.8, 0.9], [0.2, 0.5, 0.7], [0.1, 0.3, 0.5]])
    return eq, np.ones((3, 3))


def test_short_stacks_push_everything_and_deep_stacks_only_the_nuts():
    eq, overlap = toy_game()
    shallow = push_fold_equilibrium(eq, overlap, 1.0, iterations=400)
    assert shallow.push.min() > 0.95  # 1 bb deep: the blinds are worth stealing with air
    deep = push_fold_equilibrium(eq, overlap, 60.0, iterations=400)
    assert deep.push[0] > 0.95 and deep.push[2] < 0.05 and deep.call[0] > 0.95


def test_the_toy_equilibrium_is_hard_to_exploit():
    eq, overlap = toy_game()
    for stack in (2.0, 5.0, 10.0):
        assert push_fold_equilibrium(eq, overlap, stack, iterations=600).exploitability < 0.02


def test_push_fold_is_graded_against_the_equilibrium_evs():
    eq, overlap = toy_game()
    eqm = push_fold_equilibrium(eq, overlap, 60.0, iterations=400)

    class Spot:
        hero, combo, stack = "Nuts", 0, 60.0

    ok, best, loss = grade_push_fold(Spot, eqm, "fold")
    assert (ok, best) == (False, "push") and loss == pytest.approx(eqm.push_ev[0] + 0.5)


def test_push_fold_spots_index_combos_like_the_preflop_table():
    spot = deal_push_fold_spot(random.Random(9))
    from engine.cards import card_to_int

    hi, lo = card_to_int(spot.hero[:2]), card_to_int(spot.hero[2:])
    assert hi > lo and spot.combo == hi * (hi - 1) // 2 + lo


def test_the_equilibrium_from_the_preflop_table_at_10_big_blinds():
    from engine.poker.preflop import BOARDS, TABLE_PATH, combo_index, matchup_matrices

    if not TABLE_PATH.exists():
        pytest.skip("the preflop table is not built (scripts/build_preflop_table.py)")
    from engine.cards import card_to_int

    wins, ties = matchup_matrices()
    eq = (wins + 0.5 * ties) / BOARDS
    eqm = push_fold_equilibrium(eq, (wins + wins.T + ties) > 0, 10.0)

    def combo(text):
        a, b = sorted((card_to_int(text[:2]), card_to_int(text[2:])), reverse=True)
        return combo_index(a, b)

    assert eqm.push[combo("AsAh")] == 1 and eqm.call[combo("AsAh")] > 0.99
    assert eqm.push[combo("7h2c")] < 0.01 and eqm.call[combo("7h2c")] < 0.01
    # Published heads-up Nash charts give the SB about 58% of hands and the BB about 37%
    # at 10 bb; fictitious play lands within a couple of points.
    assert 0.55 < eqm.push.mean() < 0.61 and 0.34 < (eqm.call > 0.5).mean() < 0.40
    assert eqm.exploitability < 0.02


@pytest.fixture(scope="module")
def preflop_game():
    """The equilibrium at a stack, solved once per stack for this module."""
    from engine.poker.preflop import BOARDS, TABLE_PATH, matchup_matrices

    if not TABLE_PATH.exists():
        pytest.skip("the preflop table is not built (scripts/build_preflop_table.py)")
    wins, ties = matchup_matrices()
    eq, overlap = (wins + 0.5 * ties) / BOARDS, (wins + wins.T + ties) > 0
    return functools.cache(lambda stack: push_fold_equilibrium(eq, overlap, stack))


def class_combos(cls):
    """Combo indices of a hand class such as "T3s" or "Q2o"."""
    from engine.cards import card_to_int
    from engine.poker.preflop import combo_index

    out = []
    for s1 in "shdc":
        for s2 in "shdc":
            if (cls[2] == "s") != (s1 == s2):
                continue
            a, b = sorted((card_to_int(cls[0] + s1), card_to_int(cls[1] + s2)), reverse=True)
            out.append(combo_index(a, b))
    return out


# HoldemResources' heads-up push/fold Nash charts ("Using the Nash Charts",
# holdemresources.net/h/poker-theory/hune/usage.html) give the highest stack at which a hand
# is pushed or called: T3s pushes up to 7.7 bb, Q2o calls up to 5.6 bb, and 63s pushes between
# 5.1 and 7.1 bb and below 2.3 bb (a gap). Stacks are taken clear of those edges.
@pytest.mark.parametrize(
    ("cls", "stack", "side", "plays"),
    [
        ("T3s", 7.0, "SB", True),
        ("T3s", 9.0, "SB", False),
        ("Q2o", 5.0, "BB", True),
        ("Q2o", 6.0, "BB", False),
        ("63s", 2.0, "SB", True),
        ("63s", 4.0, "SB", False),
        ("63s", 6.0, "SB", True),
    ],
)
def test_push_fold_matches_the_published_nash_chart(preflop_game, cls, stack, side, plays):
    eqm = preflop_game(stack)
    idx = class_combos(cls)
    if side == "SB":
        assert (eqm.push_ev[idx].mean() > -0.5) == plays
    else:
        assert (eqm.call_ev[idx].mean() > -1.0) == plays


def test_the_big_blind_is_graded_on_calling_against_the_pushing_range():
    eq, overlap = toy_game()
    eqm = push_fold_equilibrium(eq, overlap, 60.0, iterations=400)

    class Spot:
        hero, combo, stack, position = "Nuts", 0, 60.0, "BB"

    ok, best, loss = grade_push_fold(Spot, eqm, "fold")
    assert (ok, best) == (False, "call") and loss == pytest.approx(eqm.call_ev[0] + 1.0)
    with pytest.raises(RangeError, match="expected call or fold"):
        grade_push_fold(Spot, eqm, "push")


def test_push_fold_spots_come_from_both_blinds():
    rng = random.Random(3)
    assert {deal_push_fold_spot(rng).position for _ in range(40)} == {"SB", "BB"}
    assert {deal_push_fold_spot(rng, positions=("BB",)).position for _ in range(5)} == {"BB"}
