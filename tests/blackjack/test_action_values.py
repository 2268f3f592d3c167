"""Exact action values: published per-hand figures, a brute-force game tree, invariants."""

import numpy as np
import pytest
from bj_bruteforce import Game

from engine.blackjack import Rules, action_values, best_action, insurance_values
from engine.blackjack.shoe import full_shoe, remove_cards
from engine.blackjack.values import Solver
from engine.errors import CardError, RulesError

# Copied from /work/shared/data/blackjack/reference.json, "ev_situations_full_shoe",
# 6D S17 DAS LS (Farmer's combinatorial analysis, CDZ- splits, resplit to 4 hands;
# conditional on no dealer blackjack for A/T up). (hand, up, values, best action)
SITUATIONS_6D_S17_DAS_LS = [
    (
        "T6",
        "T",
        {"stand": -0.540954439, "hit": -0.534675562, "double": -1.069351125, "surrender": -0.5},
        "surrender",
    ),
    (
        "97",
        "T",
        {"stand": -0.536809119, "hit": -0.535391842, "double": -1.070783684, "surrender": -0.5},
        "surrender",
    ),
    ("754", "T", {"stand": -0.53916704, "hit": -0.545943186}, "stand"),
    (
        "88",
        "A",
        {
            "stand": -0.663258077,
            "hit": -0.513551218,
            "double": -1.027102435,
            "split": -0.364251552,
            "surrender": -0.5,
        },
        "split",
    ),
    (
        "88",
        "T",
        {
            "stand": -0.536853299,
            "hit": -0.535361038,
            "double": -1.070722077,
            "split": -0.474893751,
            "surrender": -0.5,
        },
        "split",
    ),
    (
        "A7",
        "9",
        {"stand": -0.182639937, "hit": -0.098469022, "double": -0.28482493, "surrender": -0.5},
        "hit",
    ),
    (
        "A7",
        "2",
        {"stand": 0.12400076, "hit": 0.063289331, "double": 0.120980036, "surrender": -0.5},
        "stand",
    ),
    (
        "A7",
        "3",
        {"stand": 0.151118882, "hit": 0.0907303, "double": 0.179330198, "surrender": -0.5},
        "double",
    ),
    (
        "93",
        "2",
        {"stand": -0.291881308, "hit": -0.255450077, "double": -0.510900155, "surrender": -0.5},
        "hit",
    ),
    (
        "T2",
        "3",
        {"stand": -0.254530902, "hit": -0.231352456, "double": -0.462704913, "surrender": -0.5},
        "hit",
    ),
    (
        "T2",
        "4",
        {"stand": -0.211115306, "hit": -0.210364258, "double": -0.420728516, "surrender": -0.5},
        "hit",
    ),
    (
        "65",
        "A",
        {"stand": -0.661882841, "hit": 0.147595674, "double": 0.129709878, "surrender": -0.5},
        "hit",
    ),
    (
        "64",
        "T",
        {"stand": -0.542043453, "hit": 0.026795968, "double": -0.005602892, "surrender": -0.5},
        "hit",
    ),
    (
        "64",
        "A",
        {"stand": -0.662191662, "hit": 0.081335804, "double": -0.004174448, "surrender": -0.5},
        "hit",
    ),
    (
        "54",
        "2",
        {"stand": -0.289476852, "hit": 0.077895155, "double": 0.070195455, "surrender": -0.5},
        "hit",
    ),
    (
        "54",
        "7",
        {"stand": -0.474737223, "hit": 0.17629862, "double": 0.118143552, "surrender": -0.5},
        "hit",
    ),
    (
        "T5",
        "T",
        {"stand": -0.540055032, "hit": -0.50390742, "double": -1.007814841, "surrender": -0.5},
        "surrender",
    ),
    (
        "T5",
        "9",
        {"stand": -0.54187793, "hit": -0.472186605, "double": -0.949022928, "surrender": -0.5},
        "hit",
    ),
    (
        "T5",
        "A",
        {"stand": -0.66725155, "hit": -0.482929674, "double": -0.987574247, "surrender": -0.5},
        "hit",
    ),
    (
        "T4",
        "T",
        {"stand": -0.540167747, "hit": -0.463097699, "double": -0.932031857, "surrender": -0.5},
        "hit",
    ),
    (
        "T7",
        "A",
        {"stand": -0.476308469, "hit": -0.557049368, "double": -1.114098736, "surrender": -0.5},
        "stand",
    ),
    (
        "T3",
        "2",
        {"stand": -0.295768592, "hit": -0.307134868, "double": -0.614269736, "surrender": -0.5},
        "stand",
    ),
    (
        "A8",
        "6",
        {"stand": 0.493924398, "hit": 0.240132989, "double": 0.480265977, "surrender": -0.5},
        "stand",
    ),
    (
        "A6",
        "2",
        {"stand": -0.149609183, "hit": 0.000692898, "double": -0.003954578, "surrender": -0.5},
        "hit",
    ),
    (
        "TT",
        "5",
        {
            "stand": 0.670892297,
            "hit": -0.853069628,
            "double": -1.706139256,
            "split": 0.371713893,
            "surrender": -0.5,
        },
        "stand",
    ),
    (
        "TT",
        "6",
        {
            "stand": 0.702826041,
            "hit": -0.852262845,
            "double": -1.70452569,
            "split": 0.449059879,
            "surrender": -0.5,
        },
        "stand",
    ),
    (
        "99",
        "7",
        {
            "stand": 0.399575871,
            "hit": -0.58717646,
            "double": -1.17435292,
            "split": 0.363848295,
            "surrender": -0.5,
        },
        "stand",
    ),
    (
        "99",
        "A",
        {
            "stand": -0.093070963,
            "hit": -0.626095399,
            "double": -1.252190797,
            "split": -0.125914169,
            "surrender": -0.5,
        },
        "stand",
    ),
    (
        "AA",
        "A",
        {
            "stand": -0.666458249,
            "hit": -0.022205704,
            "double": -0.620238516,
            "split": 0.127143796,
            "surrender": -0.5,
        },
        "split",
    ),
    (
        "AA",
        "6",
        {
            "stand": -0.145698577,
            "hit": 0.187973521,
            "double": 0.190708598,
            "split": 0.682366416,
            "surrender": -0.5,
        },
        "split",
    ),
    (
        "22",
        "2",
        {
            "stand": -0.292529977,
            "hit": -0.114738677,
            "double": -0.585059954,
            "split": -0.077656106,
            "surrender": -0.5,
        },
        "split",
    ),
    (
        "44",
        "5",
        {
            "stand": -0.15631032,
            "hit": 0.083623968,
            "double": 0.027678014,
            "split": 0.111388533,
            "surrender": -0.5,
        },
        "split",
    ),
    (
        "77",
        "T",
        {
            "stand": -0.535585799,
            "hit": -0.47406377,
            "double": -0.953611261,
            "split": -0.651458275,
            "surrender": -0.5,
        },
        "hit",
    ),
    (
        "55",
        "9",
        {
            "stand": -0.542661196,
            "hit": 0.116653362,
            "double": 0.149188344,
            "split": -0.637718024,
            "surrender": -0.5,
        },
        "double",
    ),
    (
        "83",
        "6",
        {"stand": -0.152893165, "hit": 0.337334661, "double": 0.674669322, "surrender": -0.5},
        "double",
    ),
    ("23434", "T", {"stand": -0.544319318, "hit": -0.551891513}, "stand"),
    (
        "T6",
        "9",
        {"stand": -0.542504659, "hit": -0.504546751, "double": -1.009093502, "surrender": -0.5},
        "surrender",
    ),
]

# Wizard of Odds, blackjack appendix 9 (1ds17r4, 1dh17r4, 2dh17r4, 5ds17r4, 5dh17r4),
# per-hand values against an ace, conditional on no dealer blackjack, as printed (6 dp),
# as reproduced in reference.json "published_cross_checks".
WIZARD_APPENDIX_9 = [
    (1, False, "2A", {"stand": -0.661732, "hit": -0.067808, "double": -0.593281}),
    (1, False, "6A", {"stand": -0.482815, "hit": -0.199899, "double": -0.527213}),
    (1, False, "65", {"stand": -0.634013, "hit": 0.172946, "double": 0.240259}),
    (1, True, "2A", {"stand": -0.589084, "hit": -0.107929, "double": -0.55204}),
    (1, True, "65", {"stand": -0.575374, "hit": 0.143003, "double": 0.234296}),
    (2, True, "2A", {"stand": -0.59415, "hit": -0.103429, "double": -0.571816}),
    (2, True, "65", {"stand": -0.587564, "hit": 0.121079, "double": 0.16665}),
    (5, False, "2A", {"stand": -0.666073, "hit": -0.059817, "double": -0.618525}),
    (5, False, "65", {"stand": -0.66085, "hit": 0.148532, "double": 0.133896}),
    (5, True, "6A", {"stand": -0.513982, "hit": -0.221727, "double": -0.547853}),
]


@pytest.mark.parametrize(("hand", "up", "want", "best"), SITUATIONS_6D_S17_DAS_LS)
def test_six_deck_values_match_the_combinatorial_analysis(hand, up, want, best):
    got = action_values(hand, up, Rules.parse("6D S17 DAS LS"))
    assert set(got) == set(want)
    for action, value in want.items():
        assert got[action] == pytest.approx(value, abs=1e-6), action
    assert best_action(got) == best


@pytest.mark.parametrize(("decks", "h17", "hand", "want"), WIZARD_APPENDIX_9)
def test_values_against_an_ace_match_wizard_appendix_9(decks, h17, hand, want):
    got = action_values(hand, "A", Rules(decks=decks, hit_soft_17=h17))
    for action, value in want.items():
        assert got[action] == pytest.approx(value, abs=1.5e-6), action


# -- brute force on tiny shoes -------------------------------------------------------------
TINY = (2, 2, 2, 2, 2, 1, 1, 2, 1, 5)  # 20 cards: A..9 and tens, unseen before the deal


def _rules(**kw):
    return Rules(decks=1, **kw)


def _game(shoe, hand, up, rules):
    rest = remove_cards(shoe, [up, *hand])
    return Game(
        rest,
        up,
        h17=rules.hit_soft_17,
        peek=rules.dealer_peeks,
        das=rules.double_after_split,
        double_any=rules.double_on == "any2",
        max_hands=rules.max_hands,
        resplit_aces=rules.resplit_aces,
        hit_split_aces=rules.hit_split_aces,
    )


@pytest.mark.parametrize(
    ("hand", "up", "rules"),
    [
        ((10, 6), 10, _rules()),
        ((10, 6), 1, _rules(hit_soft_17=True)),
        ((1, 6), 1, _rules()),
        ((5, 4), 6, _rules(hit_soft_17=True)),
        ((2, 3), 7, _rules()),
        ((9, 2), 10, _rules(dealer_peeks=False)),
        ((1, 7), 1, _rules(dealer_peeks=False, hit_soft_17=True)),
        ((2, 3, 4), 10, _rules()),
    ],
)
def test_unsplit_values_agree_with_a_brute_force_game_tree(hand, up, rules):
    game = _game(TINY, hand, up, rules)
    want = game.unsplit(tuple(hand), game.shoe0)
    got = action_values(list(hand), up, rules, shoe=TINY)
    for action, value in want.items():
        assert got[action] == pytest.approx(value, abs=1e-12), action


SPLIT_SHOE = (1, 1, 1, 1, 1, 1, 1, 4, 1, 3)  # 14 cards, four 8s to allow resplits
SMALL_PAIRS_SHOE = (3, 3, 1, 1, 1, 1, 1, 1, 1, 4)  # 17 cards, three aces and three deuces
SLOW = pytest.mark.exhaustive


@pytest.mark.parametrize(
    ("pair", "up", "rules", "shoe"),
    [
        (8, 1, _rules(max_hands=2), SPLIT_SHOE),
        pytest.param(2, 5, _rules(), SMALL_PAIRS_SHOE, marks=SLOW),
        (1, 6, _rules(), SMALL_PAIRS_SHOE),
        (1, 10, _rules(resplit_aces=True), SMALL_PAIRS_SHOE),
        (10, 6, _rules(), SPLIT_SHOE),
        pytest.param(8, 10, _rules(max_hands=3), SPLIT_SHOE, marks=SLOW),
        pytest.param(8, 6, _rules(max_hands=3, double_after_split=False), SPLIT_SHOE, marks=SLOW),
        pytest.param(8, 10, _rules(max_hands=3, hit_soft_17=True), SPLIT_SHOE, marks=SLOW),
        pytest.param(8, 9, _rules(max_hands=3, dealer_peeks=False), SPLIT_SHOE, marks=SLOW),
    ],
)
def test_split_values_agree_with_playing_out_every_deal(pair, up, rules, shoe):
    game = _game(shoe, (pair, pair), up, rules)
    want = game.split_value(pair)
    got = action_values([pair, pair], up, rules, shoe=shoe)["split"]
    assert got == pytest.approx(want, abs=1e-12)


@pytest.mark.parametrize("up", [10, 9])
@pytest.mark.parametrize("shoe", [(0, 0, 0, 0, 0, 0, 0, 4, 3, 10), (1, 0, 0, 0, 0, 0, 1, 4, 2, 10)])
def test_resplitting_to_four_hands_agrees_with_playing_out_every_deal(shoe, up):
    # Shoes where no deal can run out of cards (the play-out raises if one would): with
    # tiny shoes that can run dry, a literal play-out and any analysis part ways.
    rules = _rules()
    game = _game(shoe, (8, 8), up, rules)
    want = game.split_value(8)
    assert action_values("88", up, rules, shoe=shoe)["split"] == pytest.approx(want, abs=1e-12)


@pytest.mark.parametrize("up", [10, 6])
def test_four_hand_resplits_by_a_fixed_chart_agree_with_playing_out_every_deal(up):
    # Hit below 13, double 10 and 11 after a split, else stand: a strategy fixed by total.
    def decide(cards, two):
        total = sum(cards) + (10 if 1 in cards and sum(cards) <= 11 else 0)
        if two and total in (10, 11):
            return "double"
        return "hit" if total < 13 else "stand"

    rules = _rules()
    game = _game(SPLIT_SHOE, (8, 8), up, rules)
    game._decide = decide
    want = game.split_value(8)
    later = np.zeros((2, 32), dtype=np.int64)
    later[:, :13] = 1
    two = later.copy()
    two[0, 10] = two[0, 11] = 2
    solver = Solver(remove_cards(SPLIT_SHOE, [up]), up, rules, (later, two))
    p = solver.p_blackjack([8, 8])
    assert (solver.split(8) + p) / (1 - p) == pytest.approx(want, abs=1e-12)


# -- invariants and the shape of the answer ------------------------------------------------
def test_only_allowed_actions_are_keys():
    r = Rules.parse("6D S17 DAS LS")
    assert set(action_values("T6", "T", r)) == {"stand", "hit", "double", "surrender"}
    assert set(action_values("T33", "T", r)) == {"stand", "hit"}
    assert set(action_values("88", "T", r)) == {"stand", "hit", "double", "split", "surrender"}
    assert "surrender" not in action_values("T6", "T", r.replace(surrender="none"))
    assert "split" not in action_values("88", "T", r.replace(max_hands=1))
    assert "double" not in action_values("T6", "T", r.replace(double_on="9-11"))
    assert "double" in action_values("54", "T", r.replace(double_on="9-11"))
    assert "double" not in action_values("54", "T", r.replace(double_on="10-11"))


def test_a_natural_only_stands_and_is_paid_by_the_rules():
    assert action_values("AT", "9", Rules()) == {"stand": 1.5}
    assert action_values("AK", "T", Rules(blackjack_pays=1.2)) == {"stand": 1.2}


def test_late_surrender_is_half_a_bet_after_the_peek_and_early_is_worth_more():
    late = action_values("T6", "T", Rules(surrender="late"))["surrender"]
    early = action_values("T6", "T", Rules(surrender="early"))["surrender"]
    p = 24 / 309  # an ace among the 309 unseen cards
    assert late == -0.5
    assert early == pytest.approx((p - 0.5) / (1 - p))


def test_double_is_twice_standing_on_the_next_card_so_hard_21_hit_loses():
    v = action_values("T65", "7", Rules())
    assert v["hit"] == pytest.approx(-1.0)


def test_without_a_hole_card_values_are_unconditional_and_doubles_lose_to_blackjack():
    peek = action_values("65", "T", Rules())
    enhc = action_values("65", "T", Rules(dealer_peeks=False))
    p = 24 / 309
    assert enhc["stand"] == pytest.approx(-p + (1 - p) * peek["stand"])
    assert enhc["hit"] == pytest.approx(-p + (1 - p) * peek["hit"])
    assert enhc["double"] < -p + (1 - p) * peek["double"]


def test_values_are_the_same_for_any_order_of_the_players_cards():
    assert action_values("754", "T", Rules()) == action_values("475", "T", Rules())


def test_depleted_shoe_changes_the_play():
    # A shoe rich in tens makes 16 v T a stand; rich in small cards, a hit.
    rich = (4, 4, 4, 4, 4, 4, 4, 4, 4, 40)
    poor = (4, 12, 12, 12, 12, 12, 4, 4, 4, 10)
    assert best_action(action_values("T6", "T", Rules(decks=1, surrender="none"), rich)) == "stand"
    assert best_action(action_values("T6", "T", Rules(decks=1, surrender="none"), poor)) == "hit"


def test_insurance_and_even_money_come_from_the_shoe():
    single = insurance_values("T6", Rules(decks=1))
    assert single["insurance"] == pytest.approx(3 * 15 / 49 - 1)
    natural = insurance_values("AT", Rules(decks=6))
    p = 95 / 309
    assert natural["even_money"] == 1.0
    assert natural["decline"] == pytest.approx(1.5 * (1 - p))
    ten_rich = insurance_values("97", Rules(decks=1), shoe=(4, 4, 4, 4, 4, 4, 4, 4, 4, 30))
    assert ten_rich["insurance"] > 0


@pytest.mark.parametrize(
    ("player", "dealer", "shoe", "error"),
    [
        ("T", "T", None, CardError),
        ("TTT", "T", None, CardError),
        ("TX", "T", None, CardError),
        ("T6", "Z", None, CardError),
        ("AA", "A", (2, 4, 4, 4, 4, 4, 4, 4, 4, 16), RulesError),
        ("T6", "T", (1, 2, 3), RulesError),
    ],
)
def test_bad_input_raises_a_felt_error_with_a_message(player, dealer, shoe, error):
    with pytest.raises(error):
        action_values(player, dealer, Rules(decks=1), shoe)


def test_full_shoe_default_equals_passing_the_full_shoe():
    a = action_values("A7", "9", Rules(decks=2))
    b = action_values("A7", "9", Rules(decks=2), shoe=full_shoe(2))
    assert a == b


def test_rules_may_be_given_as_short_text():
    assert action_values("T6", "T", "6D S17 DAS LS") == action_values("T6", "T", Rules())
    with pytest.raises(RulesError):
        action_values("T6", "T", "6D XYZ")
