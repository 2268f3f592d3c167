"""Rules: validation a person understands, the short text form, presets; the shoe."""

import pytest

from engine.blackjack import PRESETS, Rules, full_shoe, remove_cards, validate_shoe
from engine.errors import RulesError


def test_default_rules_are_the_design_defaults():
    r = Rules()
    assert (r.decks, r.hit_soft_17, r.double_after_split, r.double_on, r.surrender) == (
        6,
        False,
        True,
        "any2",
        "late",
    )
    assert (r.max_hands, r.resplit_aces, r.hit_split_aces, r.blackjack_pays, r.dealer_peeks) == (
        4,
        False,
        False,
        1.5,
        True,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"decks": 0}, "decks must be a whole number from 1 to 8"),
        ({"decks": 9}, "decks must be a whole number from 1 to 8"),
        ({"decks": 2.0}, "decks must be a whole number"),
        ({"blackjack_pays": 2.0}, "blackjack_pays must be 1.5 (3:2), 1.2 (6:5) or 1"),
        ({"max_hands": 5}, "max_hands must be from 1 (no splitting) to 4"),
        ({"surrender": "sometimes"}, "surrender must be one of none, late, early"),
        ({"double_on": "any"}, "double_on must be one of any2, 9-11, 10-11"),
        ({"hit_soft_17": "yes"}, "hit_soft_17 must be True or False"),
    ],
)
def test_invalid_rules_raise_a_readable_rules_error(changes, message):
    with pytest.raises(RulesError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Rules(**changes)


def test_rules_are_frozen_and_hashable():
    r = Rules()
    with pytest.raises(AttributeError):
        r.decks = 2  # type: ignore[misc]
    assert {r: 1}[Rules()] == 1


def test_description_reads_like_a_casino_survey():
    assert str(Rules.parse("6D H17 DAS LS")) == "6D H17 DAS LS 3:2"
    assert Rules(decks=8, surrender="none").describe() == "8D S17 DAS 3:2"
    assert Rules(decks=1, double_after_split=False, blackjack_pays=1.2).describe() == (
        "1D S17 NDAS LS 6:5"
    )


@pytest.mark.parametrize(
    "rules",
    [
        Rules(),
        Rules(decks=1, hit_soft_17=True, double_after_split=False, surrender="none"),
        Rules(decks=2, surrender="early", blackjack_pays=1.0, double_on="9-11"),
        Rules(decks=8, max_hands=1, double_on="10-11"),
        Rules(decks=4, max_hands=3, resplit_aces=True, hit_split_aces=True),
        Rules(decks=6, max_hands=2, dealer_peeks=False, blackjack_pays=1.2),
        *PRESETS.values(),
    ],
)
def test_description_round_trips(rules):
    assert Rules.parse(rules.describe()) == rules


def test_parse_is_case_insensitive_and_absent_flags_mean_not_offered():
    r = Rules.parse("2d h17")
    assert (r.decks, r.hit_soft_17, r.double_after_split, r.surrender) == (2, True, False, "none")


def test_parse_rejects_unknown_and_contradictory_tokens():
    with pytest.raises(RulesError, match="unknown rule 'XYZ'"):
        Rules.parse("6D XYZ")
    with pytest.raises(RulesError, match="repeats or contradicts"):
        Rules.parse("6D S17 H17")
    with pytest.raises(RulesError):
        Rules.parse("")


def test_presets_are_named_games_and_parse_by_name():
    assert PRESETS["vegas_strip"] == Rules.parse("6D S17 DAS LS")
    assert Rules.parse("vegas strip") == PRESETS["vegas_strip"]
    assert PRESETS["european"].dealer_peeks is False


def test_replace_validates():
    assert Rules().replace(decks=2).decks == 2
    with pytest.raises(RulesError, match="unknown rule 'deck'"):
        Rules().replace(deck=2)


def test_full_shoe_counts_tens_together():
    assert full_shoe(6) == (24,) * 9 + (96,)
    assert sum(full_shoe(8)) == 416


def test_removing_a_card_that_is_not_there_is_a_rules_error():
    shoe = remove_cards(full_shoe(1), [1, 1, 1, 1])
    with pytest.raises(RulesError, match="no A left"):
        remove_cards(shoe, [1])


def test_shoe_validation_explains_the_format():
    assert validate_shoe("4,4,4,4,4,4,4,4,4,16") == full_shoe(1)
    with pytest.raises(RulesError, match="10 counts"):
        validate_shoe([4] * 9)
    with pytest.raises(RulesError, match="cannot be negative"):
        validate_shoe([-1] + [4] * 9)
    with pytest.raises(RulesError, match="whole numbers"):
        validate_shoe("a,b")
