"""Equity: known exact answers to the integer count, unbiased Monte Carlo, bad input.

``reference_equities.json`` is a copy of ``data/poker/reference_equities.json`` from the
project's shared reference data: exact win/tie counts from full enumeration with two
independent evaluators (phevaluator 0.6.0 and eval7 0.1.11), several confirmed against
published PokerStove / poker-eval figures (see each case's ``source``).
"""

import itertools
import json
import pathlib

import numpy as np
import pytest

from engine.errors import CardError, FeltError, RangeError
from engine.poker import equity, evaluate, parse_range

REFERENCE = json.loads((pathlib.Path(__file__).parent / "reference_equities.json").read_text())


@pytest.mark.parametrize(
    "case",
    REFERENCE,
    ids=[" vs ".join(c["hands"]) + f" [{c['board']}|{c['dead']}]" for c in REFERENCE],
)
def test_reference_cases_match_to_the_integer_win_and_tie_counts(case):
    result = equity(case["hands"], case["board"], case["dead"])
    counts = case["counts"]
    assert result.exact and result.stderr is None
    assert result.samples == counts["outcomes"]
    assert [round(w * result.samples) for w in result.win] == counts["wins"]
    assert [round(t * result.samples) for t in result.tie] == counts["ties"]
    assert result.equity == pytest.approx(case["equity"], abs=1e-12)


def test_heads_up_preflop_with_dead_cards_is_exact_by_enumeration():
    case = next(c for c in REFERENCE if c["dead"] == "QcQh")
    result = equity(case["hands"], dead=case["dead"], exact=True)
    assert [round(w * result.samples) for w in result.win] == case["counts"]["wins"]


def _brute_force(players, board):
    """Weighted equity by looping over every pair of combos and every runout in Python."""
    ranges = [parse_range(p, dead=board) for p in players]
    board_cards = list(parse_range.__globals__["cards_to_ints"](board))
    deck = [c for c in range(52) if c not in board_cards]
    need = 5 - len(board_cards)
    eq = np.zeros(len(players))
    total = 0.0
    for deal in itertools.product(
        *(zip(r.combos.tolist(), r.weights, strict=True) for r in ranges)
    ):
        cards = [c for combo, _ in deal for c in combo]
        if len(set(cards)) < len(cards):
            continue
        weight = float(np.prod([w for _, w in deal]))
        for runout in itertools.combinations([c for c in deck if c not in cards], need):
            values = [evaluate([*combo, *board_cards, *runout]) for combo, _ in deal]
            best = max(values)
            winners = [i for i, v in enumerate(values) if v == best]
            for i in winners:
                eq[i] += weight / len(winners)
            total += weight
    return eq / total


def test_weighted_ranges_on_the_turn_match_a_brute_force_over_every_deal():
    players = ["AA:0.5, KK, AKs", "QQ, AhQh:0.25, 76s"]
    board = "Kh7c2d9s"
    expected = _brute_force(players, board)
    result = equity(players, board)
    assert result.exact
    assert result.equity == pytest.approx(expected, abs=1e-12)


def test_three_way_ranges_on_the_river_match_a_brute_force_over_every_deal():
    players = ["AKs, QQ", "JJ+:0.5", "AhQd, T9s"]
    board = "Ts9h4c3d2s"
    expected = _brute_force(players, board)
    result = equity(players, board)
    assert result.exact and result.equity == pytest.approx(expected, abs=1e-12)


def test_monte_carlo_agrees_with_exact_within_its_standard_error():
    exact = equity(["AhKh", "QsQd"], board="Jh7c")
    mc = equity(["AhKh", "QsQd"], board="Jh7c", exact=False, trials=200_000, seed=11)
    assert not mc.exact and mc.samples == 200_000
    for e, m, se in zip(exact.equity, mc.equity, mc.stderr, strict=True):
        assert abs(e - m) < 4 * se
    assert sum(mc.equity) == pytest.approx(1.0)


def test_monte_carlo_ranges_with_card_removal_and_weights_agree_with_exact():
    players = ["AKs, QQ, JJ:0.3, AhTh", "AA, KQs, QJs:0.6, 99"]
    exact = equity(players, board="Qc9h2s", exact=True)
    mc = equity(players, board="Qc9h2s", exact=False, trials=300_000, seed=3)
    for e, m, se in zip(exact.equity, mc.equity, mc.stderr, strict=True):
        assert abs(e - m) < 4 * se


def test_combos_are_sampled_not_cycled_so_few_trials_are_unbiased():
    # eval7's range function deals villain combos in order, so with fewer trials than
    # combos it sees only the first ones: here all aces or all deuces (equity ~0.18 or
    # ~0.82 for KK instead of the exact ~0.50). A sampler without bias averages to exact.
    exact = equity(["KhKd", "AA, 22"], board="", dead="", exact=True).equity[0]
    estimates = [
        equity(["KhKd", "AA, 22"], exact=False, trials=6, seed=s).equity[0] for s in range(600)
    ]
    mean = float(np.mean(estimates))
    sem = float(np.std(estimates) / np.sqrt(len(estimates)))
    assert abs(mean - exact) < 4 * sem
    assert 0.4 < mean < 0.6


def test_sampled_combos_follow_the_weights_chi_square():
    # On the river a range's combos beat or lose to a fixed hand by combo, so the win
    # rate counts how often each group of combos was dealt: AA (beats QQ) at weight 0.25
    # against 22 at weight 1 must be dealt 6*0.25 : 6 of the time, 1 in 5.
    result = equity(["QcQd", "AA:0.25, 22"], board="Kh8c7d5s3h", exact=False, trials=40_000, seed=8)
    n = result.samples
    aces = result.win[1] * n
    expected = n * 1.5 / 7.5
    chi2 = (aces - expected) ** 2 / expected + (aces - expected) ** 2 / (n - expected)
    assert chi2 < 10.8  # p = 0.001 for one degree of freedom


def test_seeded_monte_carlo_is_repeatable():
    a = equity(["AsKs", "random", "QQ+"], exact=False, trials=5000, seed=42)
    b = equity(["AsKs", "random", "QQ+"], exact=False, trials=5000, seed=42)
    c = equity(["AsKs", "random", "QQ+"], exact=False, trials=5000, seed=43)
    assert a == b and a != c


def test_nine_concrete_hands_preflop_are_enumerated_exactly():
    hands = ["AsAh", "KsKh", "QsQh", "JsJh", "TsTh", "9s9h", "8s8h", "7s7h", "6s6h"]
    result = equity(hands)
    assert result.exact and result.samples == 278_256  # C(34, 5)
    assert sum(result.equity) == pytest.approx(1.0)
    assert result.equity[0] == max(result.equity)


def test_large_multiway_ranges_fall_back_to_monte_carlo():
    result = equity(["random", "random", "random"], trials=3000, seed=1)
    assert not result.exact and result.samples == 3000
    assert result.equity == pytest.approx([1 / 3] * 3, abs=0.03)


@pytest.mark.parametrize(
    ("players", "board", "dead", "error"),
    [
        (["AhKh", "AhQd"], "", "", CardError),
        (["AhKh", "QsQd"], "Ah7c2d", "", CardError),
        (["AhKh", "QsQd"], "", "Kh", CardError),
        (["AhKh", "QsQd"], "2c3c4c5c6c7c", "", CardError),
        (["AhKh", "QsQd"], "2c2c", "", CardError),
        (["AhKhQh", "QsQd"], "", "", CardError),
        (["AhAh", "QsQd"], "", "", CardError),
        (["AhKh"], "", "", CardError),
        (["AhKh"] + ["random"] * 9, "", "", CardError),
        (["AhKh", "AA"], "AsAd", "Ac", RangeError),
        (["AhKh", "QQ+, AXs"], "", "", RangeError),
        (["AsAh", "AdAc", "AA"], "", "", RangeError),
        ("AhKh QsQd", "", "", CardError),
    ],
)
def test_impossible_input_raises_a_clear_felt_error(players, board, dead, error):
    with pytest.raises(error) as info:
        equity(players, board, dead)
    assert isinstance(info.value, FeltError) and isinstance(info.value, ValueError)
    assert str(info.value)


def test_forcing_exact_enumeration_of_a_huge_spot_is_refused_with_advice():
    with pytest.raises(RangeError, match="Monte Carlo"):
        equity(["random", "random"], dead="2c", exact=True)


def test_trials_must_be_a_positive_whole_number():
    with pytest.raises(ValueError):
        equity(["AhKh", "random"], exact=False, trials=0)


def test_package_all_is_exactly_the_sorted_public_names():
    import engine.poker as poker

    assert poker.__all__ == sorted(poker.__all__)
    assert all(hasattr(poker, name) for name in poker.__all__)
    assert {"equity", "evaluate", "parse_range", "EquityResult"} <= set(poker.__all__)


def test_players_may_be_range_objects_with_known_cards_removed():
    by_text = equity(["QQ+, AKs", "AhKd"], board="Ks7c2d")
    by_range = equity([parse_range("QQ+, AKs"), "AhKd"], board="Ks7c2d")
    assert by_range == by_text
