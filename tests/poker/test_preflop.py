"""The shipped preflop matchup table: sampled entries against direct enumeration, the
reference equities, suit symmetry, and the strength order of the 169 classes."""

import json
import pathlib

import numpy as np
import pytest

from engine.cards import cards_to_ints
from engine.poker import _kernels as K
from engine.poker import equity, parse_range
from engine.poker.preflop import (
    BOARDS,
    COMBO_CARDS,
    combo_index,
    equity_vs_random,
    hand_classes_by_strength,
    matchup,
    matchup_matrices,
)

# Copied from the project's shared reference data (see test_equity.py for the source).
REFERENCE = json.loads((pathlib.Path(__file__).parent / "reference_equities.json").read_text())


def _enumerate(i: int, j: int) -> tuple[int, int, int]:
    a, b = COMBO_CARDS[i], COMBO_CARDS[j]
    deck = np.array([c for c in range(52) if c not in (*a, *b)], np.int64)
    return K.heads_up_preflop(a.copy(), b.copy(), deck, *K.TABLES)


def test_random_table_entries_match_direct_enumeration():
    wins, ties = matchup_matrices()
    rng = np.random.default_rng(2026)
    checked = 0
    while checked < 6:
        i, j = rng.integers(1326, size=2)
        if set(COMBO_CARDS[i]) & set(COMBO_CARDS[j]):
            continue
        assert (int(wins[i, j]), int(wins[j, i]), int(ties[i, j])) == _enumerate(i, j)
        checked += 1


@pytest.mark.parametrize(
    "case",
    [c for c in REFERENCE if len(c["hands"]) == 2 and not c["board"] and not c["dead"]],
    ids=lambda c: " vs ".join(c["hands"]),
)
def test_table_gives_the_reference_counts(case):
    (w0, w1), t = matchup(*case["hands"])
    assert [w0, w1] == case["counts"]["wins"] and [t, t] == case["counts"]["ties"]


def test_every_pair_of_disjoint_combos_is_covered_and_sums_to_all_boards():
    wins, ties = matchup_matrices()
    masks = (1 << COMBO_CARDS[:, 0]) | (1 << COMBO_CARDS[:, 1])
    overlap = (masks[:, None] & masks[None, :]) != 0
    total = wins.astype(np.int64) + wins.T + ties
    assert np.all(total[~overlap] == BOARDS)
    assert np.all(total[overlap] == 0)
    assert np.array_equal(ties, ties.T)


def test_suit_relabelled_matchups_have_equal_counts():
    assert matchup("AhKh", "QsQd") == matchup("AsKs", "QcQh") == matchup("AdKd", "QhQs")
    assert matchup("7c2d", "AhAs") == matchup("7s2h", "AdAc")
    (w0, w1), t = matchup("AhKh", "QsQd")
    assert matchup("QsQd", "AhKh") == ((w1, w0), t)


def test_strength_order_starts_with_the_big_pairs_and_ends_with_32o():
    order = hand_classes_by_strength()
    assert len(order) == len(set(order)) == 169
    assert order[:5] == ["AA", "KK", "QQ", "JJ", "TT"]
    assert order[-1] == "32o"
    assert order.index("AKs") < order.index("AKo") < order.index("AQo")


# Exact equity against a random hand, from an independent enumeration of the same 47,008
# matchups (ties worth 1/2), published to 7 decimals at jazbo.com/poker/huholdem.html
# (also quoted to 6 decimals in twoplustwo.com thread 79863).
PUBLISHED_VS_RANDOM = {
    "AA": 0.8520371,
    "KK": 0.8239568,
    "QQ": 0.7992516,
    "JJ": 0.7746947,
    "TT": 0.7501178,
    "99": 0.7205725,
    "88": 0.6916304,
    "AKs": 0.6704463,
    "77": 0.6623602,
    "A4s": 0.5903364,
    "A7o": 0.5884120,
    "K8s": 0.5831235,
    "K2s": 0.5321173,
    "96s": 0.4742829,
    "Q2o": 0.4729544,
    "85o": 0.4142753,
    "64s": 0.4133332,
    "83s": 0.4087350,
    "94o": 0.4067105,
    "73s": 0.4003594,
    "93o": 0.4001951,
}


@pytest.mark.parametrize(("name", "published"), PUBLISHED_VS_RANDOM.items())
def test_equity_against_a_random_hand_matches_the_published_exact_figures(name, published):
    assert equity_vs_random()[name] == pytest.approx(published, abs=5.1e-8)


def test_equity_against_random_agrees_with_the_equity_function():
    assert equity_vs_random()["AA"] == pytest.approx(
        equity(["AsAh", "random"]).equity[0], abs=1e-12
    )


def test_range_vs_range_from_the_table_equals_enumerating_every_pair():
    players = ["AhKh, AsKs:0.5", "QQ, JcTc"]
    ranges = [parse_range(p) for p in players]
    num = den = 0.0
    for a, wa in zip(ranges[0].combos.tolist(), ranges[0].weights, strict=True):
        for b, wb in zip(ranges[1].combos.tolist(), ranges[1].weights, strict=True):
            if set(a) & set(b):
                continue
            w0, _, t = _enumerate(combo_index(*a), combo_index(*b))
            num += wa * wb * (w0 + t / 2)
            den += wa * wb * BOARDS
    result = equity(players)
    assert result.exact and result.equity[0] == pytest.approx(num / den, abs=1e-12)


def test_range_vs_range_preflop_is_exact_and_counts_every_deal():
    result = equity(["QQ+, AKs", "JJ-99, AQs"])
    assert result.exact and result.stderr is None
    pairs = sum(
        not set(a) & set(b)
        for a in parse_range("QQ+, AKs").combos.tolist()
        for b in parse_range("JJ-99, AQs").combos.tolist()
    )
    assert result.samples == pairs * BOARDS
    assert sum(result.equity) == pytest.approx(1.0)


def test_combo_index_is_the_table_row_of_each_combo():
    assert [combo_index(*COMBO_CARDS[i]) for i in (0, 100, 1325)] == [0, 100, 1325]
    assert combo_index(*cards_to_ints("AsAh")) == combo_index(*cards_to_ints("AhAs"))


def test_shipped_strength_order_is_the_one_the_counts_give():
    from engine.poker import preflop

    names, values = preflop._strength_from(*matchup_matrices())
    assert hand_classes_by_strength() == names
    assert list(equity_vs_random().values()) == pytest.approx(values, abs=1e-15)


@pytest.mark.exhaustive
def test_a_wide_sample_of_table_classes_equals_a_fresh_enumeration():
    # 1,500 of the 47,008 classes by default (about a minute); FELT_TABLE_SAMPLE=all re-checks
    # every class (about 15 CPU-minutes), as after a rebuild of the table.
    import os

    from engine.poker.preflop import TABLE_PATH, decode_key

    with np.load(TABLE_PATH) as z:
        keys, w0, w1, ties = z["keys"], z["wins0"], z["wins1"], z["ties"]
    assert len(keys) == 47_008
    sample = os.environ.get("FELT_TABLE_SAMPLE", "1500")
    rows = np.arange(len(keys))
    if sample != "all":
        rows = np.random.default_rng(2026).choice(rows, size=int(sample), replace=False)
    for r in rows:
        h0, h1 = decode_key(keys[r])
        deck = np.array([c for c in range(52) if c not in (*h0, *h1)], np.int64)
        counts = K.heads_up_preflop(np.array(h0), np.array(h1), deck, *K.TABLES)
        assert counts == (w0[r], w1[r], ties[r]), (h0, h1)


@pytest.mark.exhaustive
def test_sampled_table_entries_equal_an_independent_evaluator():
    import itertools

    from phevaluator._pheval import evaluate_7cards  # lower is better

    wins, ties = matchup_matrices()
    rng = np.random.default_rng(7)
    for _ in range(10):
        i, j = rng.integers(1326, size=2)
        a, b = COMBO_CARDS[i].tolist(), COMBO_CARDS[j].tolist()
        if set(a) & set(b):
            continue
        w0 = w1 = t = 0
        for board in itertools.combinations([c for c in range(52) if c not in a + b], 5):
            r0, r1 = evaluate_7cards(*a, *board), evaluate_7cards(*b, *board)
            w0 += r0 < r1
            w1 += r1 < r0
            t += r0 == r1
        assert (w0, w1, t) == (wins[i, j], wins[j, i], ties[i, j])
