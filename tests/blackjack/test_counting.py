"""Count systems against their published tags, running and true counts.

Tags, initial running counts and key counts are the published ones (sources in each
system's ``source`` field): Hi-Lo (Wong, Professional Blackjack), KO (Vancura & Fuchs,
Knock-Out Blackjack: IRC 4 - 4 x decks, key counts 1D +2, 2D +1, 6D -4, 8D -6, pivot +4),
Hi-Opt I/II (Humble & Cooper), Omega II (Carlson), Zen (Snyder), Wong Halves (Wong),
Red 7 (Snyder, Blackbelt in Blackjack: IRC -2 x decks, pivot 0).
"""

import pytest

from engine.blackjack.counting import (
    SYSTEMS,
    RunningCount,
    count_system,
    decks_remaining,
    round_count,
    running_count,
    true_count,
)
from engine.errors import CardError, RulesError

#                    A   2    3  4  5    6  7    8  9     T
PUBLISHED_TAGS = {
    "hilo": (-1, 1, 1, 1, 1, 1, 0, 0, 0, -1),
    "ko": (-1, 1, 1, 1, 1, 1, 1, 0, 0, -1),
    "hiopt1": (0, 0, 1, 1, 1, 1, 0, 0, 0, -1),
    "hiopt2": (0, 1, 1, 2, 2, 1, 1, 0, 0, -2),
    "omega2": (0, 1, 1, 2, 2, 2, 1, 0, -1, -2),
    "zen": (-1, 1, 1, 2, 2, 2, 1, 0, 0, -2),
    "halves": (-1, 0.5, 1, 1, 1.5, 1, 0.5, 0, -0.5, -1),
    "red7": (-1, 1, 1, 1, 1, 1, 0, 0, 0, -1),  # black sevens; red sevens +1
}
FULL_DECK = "".join(r + s for r in "23456789TJQKA" for s in "shdc")


def test_every_required_system_is_there_with_its_published_tags():
    assert set(SYSTEMS) == set(PUBLISHED_TAGS)
    for name, tags in PUBLISHED_TAGS.items():
        assert count_system(name).tags == tags, name
    assert count_system("red7").red7_tag == 1


@pytest.mark.parametrize("name", ["hilo", "hiopt1", "hiopt2", "omega2", "zen", "halves"])
def test_balanced_systems_count_a_whole_deck_to_zero(name):
    assert count_system(name).balanced
    assert running_count(FULL_DECK, name) == 0


def test_ko_ends_a_deck_at_plus_four_and_red7_at_plus_two():
    assert running_count(FULL_DECK, "ko", decks=1) == 4  # IRC 0 for one deck
    assert running_count(FULL_DECK, "red7", decks=1) == 0  # IRC -2 + 2
    assert count_system("ko").deck_sum == 4 and count_system("red7").deck_sum == 2


@pytest.mark.parametrize("decks, irc, key", [(1, 0, 2), (2, -4, 1), (6, -20, -4), (8, -28, -6)])
def test_ko_initial_running_and_key_counts_are_the_books(decks, irc, key):
    ko = count_system("ko")
    assert ko.initial_running_count(decks) == irc
    assert ko.key_count(decks) == key
    assert ko.pivot == 4


@pytest.mark.parametrize("decks, irc", [(1, -2), (2, -4), (6, -12), (8, -16)])
def test_red7_starts_at_minus_two_per_deck_with_pivot_zero(decks, irc):
    assert count_system("red7").initial_running_count(decks) == irc
    assert count_system("red7").pivot == 0


def test_red7_needs_the_suit_of_a_seven():
    assert running_count("7h 7d", "red7", decks=1) == 0  # -2 + 1 + 1
    assert running_count("7s 7c", "red7", decks=1) == -2
    with pytest.raises(CardError, match="suit"):
        running_count("7", "red7", decks=1)


def test_cards_may_be_given_without_suits_or_as_values():
    assert running_count("T 5 A 6", "hilo") == running_count([10, 5, 1, 6], "hilo") == 0
    assert running_count("K Q J 10", "hilo") == -4
    assert running_count("2 5 9", "halves") == 0.5 + 1.5 - 0.5


def test_unbalanced_count_without_decks_is_an_error():
    with pytest.raises(RulesError, match="decks="):
        running_count("2 3", "ko")


def test_system_names_are_forgiving_and_unknown_ones_are_named():
    assert count_system("Hi-Lo") is count_system("hilo")
    assert count_system("Hi-Opt II") is count_system("hiopt2")
    assert count_system("Red 7") is count_system("red7")
    with pytest.raises(RulesError, match="'uston'"):
        count_system("uston")


def test_decks_remaining_is_read_to_the_half_or_quarter_deck():
    # 6 decks, 2.3 decks dealt -> 3.7 left: 3.5 to the half deck, 3.75 to the quarter.
    seen = round(2.3 * 52)
    assert decks_remaining(seen, 6) == pytest.approx((312 - seen) / 52)
    assert decks_remaining(seen, 6, estimate="half") == 3.5
    assert decks_remaining(seen, 6, estimate="quarter") == 3.75
    assert decks_remaining(seen, 6, estimate="full") == 4.0
    assert decks_remaining(311, 6, estimate="half") == 0.5  # never below one step


def test_true_count_rounding_conventions():
    assert true_count(-7, 2) == -3.5
    assert true_count(-7, 2, rounding="floor") == -4
    assert true_count(-7, 2, rounding="truncate") == -3
    assert true_count(-7, 2, rounding="round") == -4
    assert true_count(7, 2, rounding="round") == 4
    assert true_count(5, 2, rounding="floor") == 2
    assert round_count(2.99, "floor") == 2 and round_count(-0.01, "floor") == -1
    with pytest.raises(RulesError):
        true_count(3, 0)
    with pytest.raises(RulesError, match="rounding"):
        true_count(3, 1, rounding="ceil")


def test_running_count_object_tracks_a_shoe_and_ace_side_count():
    rc = RunningCount("hiopt2", decks=1)
    rc.see("5h 5d 4c Ah Ad")  # +2 +2 +2, aces 0
    assert rc.running == 6
    assert rc.cards_seen == 5 and rc.aces_seen == 2
    # 47 unseen, 2 aces left against 47/13 expected: 2*(2 - 47/13) for betting.
    assert rc.betting_running() == pytest.approx(6 + 2 * (2 - 47 / 13))
    assert rc.true(estimate="exact", rounding=None) == pytest.approx(6 / (47 / 52))
    rc.reset()
    assert rc.running == 0 and rc.cards_seen == 0


def test_running_count_object_refuses_true_count_for_unbalanced():
    rc = RunningCount("ko", decks=6)
    assert rc.running == -20
    with pytest.raises(RulesError, match="unbalanced"):
        rc.true()


def test_system_description_is_json_friendly():
    import json

    d = count_system("red7").as_dict()
    assert d["tags"]["7"] == {"red": 1, "black": 0}
    assert d["balanced"] is False
    json.dumps(d)
