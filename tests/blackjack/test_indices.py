"""Index plays: the published Hi-Lo tables and Felt's own generated indices.

Published values (copied here from Felt's shared reference data, which cites them):
Schlesinger, Blackjack Attack (3rd ed.), Hi-Lo multi-deck: the Illustrious 18 (S17 DAS)
and the Fab 4 (late surrender); H17 values of the Blackjack Apprenticeship H17 chart:
10 v A +3, 16 v 9 +4, 15 v A surrender -1.
"""

import pytest

from engine.blackjack.indices import (
    IndexPlay,
    generate_index,
    generate_table,
    hand_row,
    index_play,
    index_plays,
)
from engine.blackjack.rules import Rules
from engine.errors import CardError, RulesError

S17 = Rules.parse("6D S17 DAS LS")
S17_NS = Rules.parse("6D S17 DAS")
H17 = Rules.parse("6D H17 DAS LS")

# (player, dealer, deviation, published index)
ILLUSTRIOUS_18 = [
    (None, "A", "insurance", 3),
    ("T6", "T", "stand", 0),
    ("T5", "T", "stand", 4),
    ("TT", "5", "split", 5),
    ("TT", "6", "split", 4),
    ("64", "T", "double", 4),
    ("T2", "3", "stand", 2),
    ("T2", "2", "stand", 3),
    ("83", "A", "double", 1),
    ("54", "2", "double", 1),
    ("64", "A", "double", 4),
    ("54", "7", "double", 3),
    ("T6", "9", "stand", 5),
    ("T3", "2", "hit", -1),
    ("T2", "4", "hit", 0),
    ("T2", "5", "hit", -2),
    ("T2", "6", "hit", -1),
    ("T3", "3", "hit", -2),
]
FAB_4 = [("T4", "T", 3), ("T5", "T", 0), ("T5", "9", 2), ("T5", "A", 1)]


@pytest.mark.parametrize("player, dealer, action, index", ILLUSTRIOUS_18)
def test_illustrious_18_as_published(player, dealer, action, index):
    assert index_play(S17, player, dealer, action) == index
    assert index_play(S17_NS, player, dealer, action) == index


@pytest.mark.parametrize("player, dealer, index", FAB_4)
def test_fab_4_as_published_when_surrender_is_allowed(player, dealer, index):
    assert index_play(S17, player, dealer, "surrender") == index
    assert index_play(S17_NS, player, dealer, "surrender") is None


def test_h17_tables_differ_where_published():
    assert index_play(H17, "64", "A", "double") == 3
    assert index_play(H17, "T6", "9", "stand") == 4
    assert index_play(H17, "T5", "A", "surrender") == -1
    assert index_play(H17, "T6", "T", "stand") == 0
    assert index_play(H17, "83", "A", "double") is None  # H17 basic strategy doubles it


def test_any_deck_count_from_four_to_eight_uses_the_multi_deck_table():
    for decks in (4, 5, 6, 8):
        assert index_play(S17.replace(decks=decks), "T6", "T", "stand") == 0


def test_the_index_is_shared_by_both_sides_of_the_play():
    assert index_play(S17, "T3", "2", "hit") == index_play(S17, "T3", "2", "stand") == -1
    assert index_play(S17, "T3", "2", "double") is None
    assert index_play(S17, "T7", "T", "hit") is None  # no index play for 17 v T


def test_card_order_suits_and_multi_card_hands_find_the_same_row():
    assert index_play(S17, "6T", "K", "stand") == 0
    assert index_play(S17, "Ts 6h", "Kd", "stand") == 0
    assert index_play(S17, "5 4 7", "T", "stand") == 0
    assert hand_row("A,7") == "soft 18" and hand_row("KQ") == "pair T,T"


def test_action_at_follows_the_convention():
    play = IndexPlay("hard 13", "2", "stand", "hit", -1)
    assert play.action_at(-1) == "stand" and play.action_at(-1.01) == "hit"
    assert "13 v 2" in play.label()


def test_table_sizes():
    assert len(index_plays(S17)) == 22
    assert len(index_plays(S17_NS)) == 18


def test_bad_input_is_named():
    with pytest.raises(RulesError, match="action"):
        index_play(S17, "T6", "T", "pray")
    with pytest.raises(CardError):
        index_play(S17, None, "T", "insurance")
    with pytest.raises(CardError):
        index_play(S17, "TT9", "T", "stand")  # bust
    with pytest.raises(RulesError, match="unbalanced"):
        generate_index(S17, "hard 16", "T", "stand", "hit", system="ko")


# ---- Felt's generated indices (exact engine) ----


def test_generated_insurance_index_is_three_in_six_decks():
    g = generate_index(S17_NS, "insurance", "A", "insurance", "no insurance")
    assert g.index == 3
    assert g.spread < 0.5  # stable through the shoe


def test_single_deck_insurance_index_is_lower():
    # Wong, Professional Blackjack: Hi-Lo insurance at about +1.4 in single deck
    assert index_play("1D S17 DAS", None, "A", "insurance") in (1, 2)


@pytest.mark.parametrize(
    "hand, dealer, above, below, published",
    [
        ("hard 10", "T", "double", "hit", 4),
        ("hard 9", "2", "double", "hit", 1),
        ("hard 15", "9", "surrender", "hit", 2),
    ],
)
def test_generated_two_card_indices_land_within_one_of_published(
    hand, dealer, above, below, published
):
    g = generate_index(S17, hand, dealer, above, below)
    assert g.above == above
    assert abs(g.index - published) <= 1
    assert g.spread < 1.5


@pytest.mark.exhaustive
def test_generated_illustrious_18_and_fab_4_land_within_one_of_published():
    for rules in (S17_NS, S17):
        published = {(p.hand, p.dealer, p.above): p.index for p in index_plays(rules)}
        table = generate_table(rules)
        assert len(table) == len(published)
        for g in table:
            if rules is S17 and g.hand in ("hard 16", "hard 15") and g.above == "stand":
                # With surrender, two-card 15 and 16 v 9/T are surrendered, so only multi-card
                # hands meet stand/hit: 16 v 9 comes out at +3 here (published +5, +4 without
                # surrender), the others stay within 1.
                assert abs(g.index - published[(g.hand, g.dealer, g.above)]) <= 2, g
                continue
            assert g.index is not None
            assert abs(g.index - published[(g.hand, g.dealer, g.above)]) <= 1, g


@pytest.mark.exhaustive
def test_index_play_generates_for_rules_without_a_published_table():
    rules = Rules.parse("2D H17 DAS")
    assert index_plays(rules) == ()
    stand = index_play(rules, "T6", "T", "stand")
    assert stand is not None and -2 <= stand <= 2
    assert index_play(rules, "T6", "T", "hit") is None  # hit is the basic play
