"""The numbers behind the table review page (engine/review.py)."""

import pytest

from engine.blackjack import Rules, action_values
from engine.cards import CardError
from engine.errors import RangeError, RulesError
from engine.review import (
    BlackjackSpot,
    PokerSpot,
    review_blackjack,
    review_poker,
    spot_from_roles,
)

S17 = Rules.parse("6D S17 DAS LS")


def test_hero_against_one_hand_preflop_is_the_exact_published_equity():
    # AhKh vs QsQd over all 1,712,304 boards: 47,479,920 / 102,738,240 (reference_equities.json)
    r = review_poker(PokerSpot(hero=("Ah", "Kh"), villain="QsQd"))
    assert r.exact
    assert r.equity == pytest.approx(47_479_920 / 102_738_240, abs=1e-12)
    assert [s.street for s in r.streets] == ["preflop"]


def test_equity_is_given_for_every_street_of_the_known_board():
    r = review_poker(PokerSpot(hero=("Ah", "Kh"), board=("Qh", "7h", "2c", "3d"), villain="QQ"))
    assert [s.street for s in r.streets] == ["preflop", "flop", "turn"]
    assert [len(s.board) for s in r.streets] == [0, 3, 4]
    # QQ made a set on the flop: 9 hearts + 3 kings + 3 aces don't all win, but the nut
    # flush draw with overcards keeps roughly a third of the pot on the flop
    assert 0.2 < r.streets[1].equity < 0.45
    assert r.equity == r.streets[-1].equity


def test_flush_draw_with_two_overcards_has_fifteen_outs_and_the_exact_chance():
    r = review_poker(PokerSpot(hero=("Ah", "Kh"), board=("Qh", "7h", "2c")))
    assert len(r.outs) == 15
    assert r.hit.by_river == pytest.approx(1 - (32 * 31) / (47 * 46))
    assert r.hand_name == "high card"


def test_cards_seen_elsewhere_are_not_counted_as_outs():
    r = review_poker(PokerSpot(hero=("Ah", "Kh"), board=("Qh", "7h", "2c"), others=("5h", "Ac")))
    assert "5h" not in r.outs and "Ac" not in r.outs
    assert len(r.outs) == 13


def test_pot_odds_decide_the_call():
    # 1/3 needed to call 50 into 100; AA against a random hand is far above it
    r = review_poker(PokerSpot(hero=("As", "Ad"), pot=100, to_call=50))
    assert r.needed == pytest.approx(1 / 3)
    assert r.call_ev == pytest.approx(r.equity * 150 - 50)
    assert r.recommendation.startswith("call")
    weak = review_poker(
        PokerSpot(hero=("7c", "2d"), board=("As", "Ks", "Qh"), villain="AA,KK,QQ", pot=10,
                  to_call=100)
    )  # fmt: skip
    assert weak.recommendation.startswith("fold")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"hero": ("Ah",)}, "two cards"),
        ({"hero": ("Ah", "Kh"), "board": ("2c", "3c")}, "0, 3, 4 or 5"),
        ({"hero": ("Ah", "Kh"), "board": ("Ah", "3c", "4d")}, "Ah"),
        ({"hero": ("Ah", "Kx")}, "'Kx'"),
    ],
)
def test_impossible_poker_spots_are_refused_with_the_reason(kwargs, message):
    with pytest.raises(CardError, match=message):
        PokerSpot(**kwargs)


def test_a_bad_villain_range_is_a_range_error():
    with pytest.raises(RangeError):
        review_poker(PokerSpot(hero=("Ah", "Kh"), villain="AKx"))


def test_blackjack_values_are_the_published_combinatorial_figures():
    # 6D S17 DAS LS, T,6 v T from a full shoe (reference.json ev_situations_full_shoe)
    r = review_blackjack(BlackjackSpot(dealer=("T",), player=("T", "6"), rules=S17))
    assert r.values["stand"] == pytest.approx(-0.540954439, abs=1e-6)
    assert r.values["hit"] == pytest.approx(-0.534675562, abs=1e-6)
    assert r.best == "surrender"
    assert r.running_count == -1  # Hi-Lo: T -1, 6 +1, T -1
    assert r.true_count == pytest.approx(-1 / ((312 - 3) / 52))


def test_other_visible_cards_leave_the_shoe_and_enter_the_count():
    spot = BlackjackSpot(
        dealer=("6h",), player=("Th", "2c"), others=("5d", "4s", "3c", "2h"), rules=S17
    )
    r = review_blackjack(spot)
    shoe = list((24,) * 9 + (96,))
    for v in (5, 4, 3, 2):
        shoe[v - 1] -= 1
    assert r.values == action_values("T2", "6", S17, shoe)
    assert r.running_count == 5  # four low cards seen elsewhere, 6 +1, T -1, 2 +1
    assert sum(r.shoe) == 312 - 4


def test_blackjack_spot_refuses_two_dealer_cards_and_an_overdrawn_shoe():
    with pytest.raises(CardError, match="one up card"):
        BlackjackSpot(dealer=("T", "6"), player=("T", "6"))
    with pytest.raises(RulesError):
        review_blackjack(
            BlackjackSpot(dealer=("5",), player=("T", "6"), others=("A",) * 5,
                          rules=Rules(decks=1))
        )  # fmt: skip


def test_roles_map_to_spot_fields():
    roles = {"dealer": ["Td"], "player": ["9c", "7h"], "others": []}
    assert spot_from_roles(roles, "blackjack") == {
        "dealer": ("Td",), "player": ("9c", "7h"), "others": ()
    }  # fmt: skip
    with pytest.raises(ValueError):
        spot_from_roles(roles, "chess")
