"""Dealer final-total probabilities against published tables, and invariants."""

import pytest

from engine.blackjack import Rules, dealer_probabilities, full_shoe, remove_cards
from engine.errors import RulesError

# Reference figures, copied from /work/shared/data/blackjack/reference.json
# ("dealer_probabilities" 6D_S17: full shoe minus the up card, before the peek, 8 decimals).
DEALER_6D_S17 = {
    "A": {
        "bust": 0.11547297,
        "17": 0.13001663,
        "18": 0.13082156,
        "19": 0.13059395,
        "20": 0.13090969,
        "21": 0.05350353,
        "bj": 0.30868167,
    },
    "2": {
        "bust": 0.35350371,
        "17": 0.1396564,
        "18": 0.13438863,
        "19": 0.13001965,
        "20": 0.12401888,
        "21": 0.11841273,
        "bj": 0.0,
    },
    "3": {
        "bust": 0.3741941,
        "17": 0.13429575,
        "18": 0.13053882,
        "19": 0.12522601,
        "20": 0.12081741,
        "21": 0.1149279,
        "bj": 0.0,
    },
    "4": {
        "bust": 0.39580492,
        "17": 0.13055572,
        "18": 0.12406152,
        "19": 0.12127157,
        "20": 0.11644068,
        "21": 0.1118656,
        "bj": 0.0,
    },
    "5": {
        "bust": 0.41840594,
        "17": 0.12184346,
        "18": 0.12243712,
        "19": 0.11757538,
        "20": 0.11179292,
        "21": 0.10794518,
        "bj": 0.0,
    },
    "6": {
        "bust": 0.4228416,
        "17": 0.16570661,
        "18": 0.10619404,
        "19": 0.10643124,
        "20": 0.10155092,
        "21": 0.09727558,
        "bj": 0.0,
    },
    "7": {
        "bust": 0.26193568,
        "17": 0.36920804,
        "18": 0.13793092,
        "19": 0.07842801,
        "20": 0.07868158,
        "21": 0.07381578,
        "bj": 0.0,
    },
    "8": {
        "bust": 0.2436929,
        "17": 0.12893999,
        "18": 0.35995491,
        "19": 0.12872317,
        "20": 0.06921888,
        "21": 0.06947015,
        "bj": 0.0,
    },
    "9": {
        "bust": 0.22924189,
        "17": 0.12030985,
        "18": 0.11734848,
        "19": 0.35185421,
        "20": 0.12036839,
        "21": 0.06087718,
        "bj": 0.0,
    },
    "T": {
        "bust": 0.21247094,
        "17": 0.11191401,
        "18": 0.11166876,
        "19": 0.11194461,
        "20": 0.3400139,
        "21": 0.03481738,
        "bj": 0.07717042,
    },
}
# Wizard of Odds, blackjack appendix 2b, single deck S17 (6 printed digits).
WIZARD_1D_S17 = {
    "A": {
        "17": 0.126128,
        "18": 0.131003,
        "19": 0.129486,
        "20": 0.131553,
        "21": 0.0515646,
        "bj": 0.313726,
        "bust": 0.11654,
    },
    "2": {
        "17": 0.138976,
        "18": 0.131762,
        "19": 0.131815,
        "20": 0.123948,
        "21": 0.120526,
        "bust": 0.352973,
    },
}


def _key(k):
    return "blackjack" if k == "bj" else k


@pytest.mark.parametrize("up", list(DEALER_6D_S17))
def test_six_deck_s17_matches_the_reference_table(up):
    p = dealer_probabilities(up, Rules(decks=6))
    for k, v in DEALER_6D_S17[up].items():
        assert p[_key(k)] == pytest.approx(v, abs=1e-8)


@pytest.mark.parametrize("up", list(WIZARD_1D_S17))
def test_single_deck_s17_matches_wizard_appendix_2b(up):
    p = dealer_probabilities(up, Rules(decks=1))
    for k, v in WIZARD_1D_S17[up].items():
        assert p[_key(k)] == pytest.approx(v, abs=6e-7)


def _brute(shoe, cards, h17):
    """P(final) by drawing card by card (22 = bust, 0 = natural)."""
    hard = sum(cards)
    soft = 1 in cards and hard + 10 <= 21
    total = hard + 10 if soft else hard
    if len(cards) == 2 and total == 21:
        return {0: 1.0}
    if total > 21:
        return {22: 1.0}
    if total > 17 or (total == 17 and not (h17 and soft)):
        return {total: 1.0}
    n = sum(shoe)
    out = {}
    for i, k in enumerate(shoe):
        if k:
            rest = list(shoe)
            rest[i] -= 1
            for t, p in _brute(rest, [*cards, i + 1], h17).items():
                out[t] = out.get(t, 0.0) + p * k / n
    return out


@pytest.mark.parametrize("h17", [False, True])
@pytest.mark.parametrize("up", [1, 2, 6, 10])
def test_depleted_shoe_agrees_with_card_by_card_recursion(h17, up):
    shoe = (2, 1, 3, 2, 1, 2, 0, 1, 2, 6)
    p = dealer_probabilities(up, Rules(decks=1, hit_soft_17=h17), shoe)
    want = _brute(remove_cards(shoe, [up]), [up], h17)
    names = {0: "blackjack", 22: "bust", **{t: str(t) for t in range(17, 22)}}
    for t, v in want.items():
        assert p[names[t]] == pytest.approx(v, abs=1e-12)
    assert sum(p.values()) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("decks", [1, 2, 4, 6, 8])
@pytest.mark.parametrize("h17", [False, True])
def test_probabilities_sum_to_one_for_every_up_card(decks, h17):
    for up in "A23456789T":
        p = dealer_probabilities(up, Rules(decks=decks, hit_soft_17=h17))
        assert sum(p.values()) == pytest.approx(1.0, abs=1e-12)
        assert min(p.values()) >= 0.0


def test_h17_moves_soft_17_into_other_totals():
    s17 = dealer_probabilities("6", Rules(hit_soft_17=False))
    h17 = dealer_probabilities("6", Rules(hit_soft_17=True))
    assert h17["17"] < s17["17"] and h17["bust"] > s17["bust"]


def test_conditioning_on_no_blackjack_renormalises():
    before = dealer_probabilities("T", Rules())
    after = dealer_probabilities("T", Rules(), no_blackjack=True)
    assert after["blackjack"] == 0.0
    assert after["20"] == pytest.approx(before["20"] / (1 - before["blackjack"]))


def test_an_up_card_missing_from_the_shoe_is_a_rules_error():
    shoe = list(full_shoe(1))
    shoe[0] = 0
    with pytest.raises(RulesError, match="no A left"):
        dealer_probabilities("A", Rules(decks=1), shoe)
