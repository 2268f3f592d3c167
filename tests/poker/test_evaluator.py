"""Hand evaluator: known category counts over every 5- and 7-card hand, eval7's order."""

import itertools

import eval7
import numba as nb
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.cards import DECK
from engine.errors import CardError
from engine.poker import CATEGORIES, category, category_name, evaluate, evaluate_batch
from engine.poker import evaluator as ev

# Published counts (e.g. Wikipedia "Poker probability"): distinct five-card hands by
# category, straight flush first.
FIVE_CARD_COUNTS = {
    "straight flush": 40,
    "four of a kind": 624,
    "full house": 3_744,
    "flush": 5_108,
    "straight": 10_200,
    "three of a kind": 54_912,
    "two pair": 123_552,
    "pair": 1_098_240,
    "high card": 1_302_540,
}
# Best five of seven cards over all 133,784,560 seven-card hands (same source).
SEVEN_CARD_COUNTS = {
    "straight flush": 41_584,
    "four of a kind": 224_848,
    "full house": 3_473_184,
    "flush": 4_047_644,
    "straight": 6_180_020,
    "three of a kind": 6_461_620,
    "two pair": 31_433_400,
    "pair": 58_627_800,
    "high card": 23_294_460,
}


def _random_hands(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    """n uniformly random k-card hands (distinct cards in each row)."""
    chunks = [
        np.argsort(rng.random((min(100_000, n - i), 52)), axis=1)[:, :k]
        for i in range(0, n, 100_000)
    ]
    return np.concatenate(chunks)


def test_all_five_card_hands_have_7462_values_and_the_known_category_counts():
    hands = np.fromiter(
        itertools.chain.from_iterable(itertools.combinations(range(52), 5)), np.int8
    ).reshape(-1, 5)
    assert len(hands) == 2_598_960
    values = evaluate_batch(hands)
    assert len(np.unique(values)) == 7462
    assert values.min() == 1 and values.max() == 7462
    counts = np.bincount(ev.CATEGORY_OF[values], minlength=9)
    assert dict(zip(CATEGORIES, counts.tolist(), strict=True)) == FIVE_CARD_COUNTS


@nb.njit
def _seven_card_category_counts(offsets, rank_table, flush_table, rk, sk, bit, category_of):
    counts = np.zeros(9, np.int64)
    cards = np.zeros(7, np.int64)
    for a in range(46):
        for b in range(a + 1, 47):
            for c in range(b + 1, 48):
                for d in range(c + 1, 49):
                    for e in range(d + 1, 50):
                        for f in range(e + 1, 51):
                            for g in range(f + 1, 52):
                                cards[0], cards[1], cards[2], cards[3] = a, b, c, d
                                cards[4], cards[5], cards[6] = e, f, g
                                key = 0
                                suits = 0
                                for x in cards:
                                    key += rk[x]
                                    suits += sk[x]
                                s = ev.flush_suit(suits)
                                if s < 0:
                                    v = ev.rank_lookup(key, offsets, rank_table)
                                else:
                                    m = 0
                                    for x in cards:
                                        if x & 3 == s:
                                            m |= bit[x]
                                    v = flush_table[m]
                                counts[category_of[v]] += 1
    return counts


def test_all_seven_card_hands_have_the_known_category_counts():
    counts = _seven_card_category_counts(
        ev.OFFSETS,
        ev.RANK_TABLE,
        ev.FLUSH_TABLE,
        ev.CARD_RANK_KEY,
        ev.CARD_SUIT_KEY,
        ev.CARD_BIT,
        ev.CATEGORY_OF,
    )
    assert counts.sum() == 133_784_560
    assert dict(zip(CATEGORIES, counts.tolist(), strict=True)) == SEVEN_CARD_COUNTS


def test_order_and_ties_match_eval7_on_a_million_random_seven_card_hands():
    rng = np.random.default_rng(20261126)
    hands = _random_hands(rng, 1_000_000, 7)
    ours = evaluate_batch(hands).astype(np.int64)
    deck = [eval7.Card(s) for s in DECK]
    theirs = np.array([eval7.evaluate([deck[c] for c in row]) for row in hands.tolist()])
    # Same order, ties included: the map ours -> theirs is a strictly increasing bijection.
    pairs = np.unique(np.stack([ours, theirs], axis=1), axis=0)
    assert len(pairs) == len(np.unique(ours)) == len(np.unique(theirs))
    assert np.all(np.diff(pairs[:, 1]) > 0)


def test_six_and_seven_card_values_are_the_best_five_card_subset():
    rng = np.random.default_rng(5)
    for k in (6, 7):
        hands = _random_hands(rng, 3000, k)
        subsets = np.array(list(itertools.combinations(range(k), 5)))
        best = evaluate_batch(hands[:, subsets].reshape(-1, 5)).reshape(len(hands), -1).max(1)
        assert np.array_equal(evaluate_batch(hands), best)


def test_single_evaluate_agrees_with_the_batch_api_and_accepts_every_card_form():
    rng = np.random.default_rng(9)
    for k in (5, 6, 7):
        hands = _random_hands(rng, 500, k)
        batch = evaluate_batch(hands)
        for row, value in zip(hands.tolist(), batch.tolist(), strict=True):
            assert evaluate(row) == value
    assert evaluate("Ah Kh Qh Jh Th") == evaluate(["Ah", "Kh", "Qh", "Jh", "Th"]) == 7462
    assert evaluate("ah,kd 10c 9s 8h") == evaluate("AhKdTc9s8h")


@pytest.mark.parametrize(
    ("cards", "name"),
    [
        ("As Ks Qs Js Ts 2d 3c", "straight flush"),
        ("5d 4d 3d 2d Ad Kc Kh", "straight flush"),
        ("9c 9d 9h 9s 2c", "four of a kind"),
        ("7c 7d 7h 2s 2c 2d Ah", "full house"),
        ("Ac Jc 8c 4c 2c Ad Ah", "flush"),
        ("5c 4d 3h 2s Ac Kd Kh", "straight"),
        ("Qc Qd Qh 9s 2c", "three of a kind"),
        ("Ac Ad Kc Kd Qc Qd 2s", "two pair"),
        ("Ac Ad 9c 7d 5h 3s 2c", "pair"),
        ("Ac Kd 9c 7d 5h 3s 2c", "high card"),
    ],
)
def test_category_names_of_known_hands(cards, name):
    assert category_name(evaluate(cards)) == name


def test_hand_order_of_classic_close_calls():
    assert evaluate("5c4d3h2sAc") < evaluate("6c5d4h3s2c")  # the wheel is the lowest straight
    assert evaluate("AcAdKcKdQh") > evaluate("AcAdKcKdJh")  # two pair: kicker decides
    assert evaluate("AcAdKcKdQcQd2s") == evaluate("AhAsKhKsQh3c2d")  # third pair plays no part
    assert evaluate("7c7d7h2s2c2dAh") == evaluate("7c7d7h2s2c3dAh")  # best full house only
    assert category(1) == 0 and category(7462) == 8


@pytest.mark.parametrize(
    "cards", ["AhKhQhJh", "AhKhQhJhTh9h8h7h", "AhAhKdQcJs", [0, 1, 2, 3, 52], [0, 0, 1, 2, 3]]
)
def test_impossible_hands_raise_card_error(cards):
    with pytest.raises(CardError):
        evaluate(cards)


def test_batch_rejects_bad_shapes_and_indices():
    with pytest.raises(CardError):
        evaluate_batch(np.zeros((3, 4), np.int64))
    with pytest.raises(CardError):
        evaluate_batch(np.array([[0, 1, 2, 3, 60]]))


def test_shipped_tables_equal_a_fresh_build_from_the_definition():
    fresh = ev._build_tables()
    assert sorted(fresh) == sorted(ev._TABLES)
    for name, table in fresh.items():
        assert np.array_equal(ev._TABLES[name], table), name


@settings(max_examples=300, deadline=None)
@given(
    cards=st.lists(st.integers(0, 51), min_size=7, max_size=7, unique=True),
    suit_map=st.permutations(range(4)),
    order=st.randoms(use_true_random=False),
)
def test_value_ignores_card_order_and_any_relabelling_of_suits(cards, suit_map, order):
    relabelled = [(c >> 2) * 4 + suit_map[c & 3] for c in cards]
    order.shuffle(relabelled)
    assert evaluate(relabelled) == evaluate(cards)
    assert evaluate(cards[:5]) == evaluate(sorted(cards[:5]))
