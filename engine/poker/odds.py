"""Pot odds, outs and the chance of hitting them: the arithmetic behind the poker drills.

``pot`` is always the pot you are offered *before* your call, the opponent's bet included;
``to_call`` is what calling costs. A call risks ``to_call`` to win ``pot``.

>>> round(pot_odds(pot=100, to_call=50), 4)        # put in 50 of a final pot of 150
0.3333
>>> call_ev(equity=0.35, pot=100, to_call=50)      # 0.35 * 150 - 50
2.5
>>> outs("Ah Qh", "Kh 7h 2c", villain="Ks Jd")       # 9 hearts, 3 aces
['As', 'Ad', 'Ac', 'Jh', 'Th', '9h', '8h', '6h', '5h', '4h', '3h', '2h']
>>> round(hit_probability(9, 3).by_river, 4), round(hit_probability(9, 3).next_card, 4)
(0.3497, 0.1915)
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from engine.cards import cards_to_ints, int_to_card
from engine.errors import CardError, FeltError

__all__ = [
    "HitChance",
    "OddsError",
    "call_ev",
    "equity_needed",
    "hit_probability",
    "outs",
    "pot_odds",
    "pot_odds_ratio",
    "rule_of_2_and_4",
]


class OddsError(FeltError, ValueError):
    """A pot, bet, equity or count of outs that cannot be right (negative, zero, too big)."""


class HitChance(NamedTuple):
    """Chance of hitting one of your outs on the next card and by the river (0..1)."""

    next_card: float
    by_river: float


def _amount(name: str, value: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise OddsError(f"{name} must be a number of chips, got {value!r}") from None
    if not math.isfinite(number) or number <= 0:
        raise OddsError(f"{name} must be a positive number of chips, got {value!r}")
    return number


def pot_odds(pot: float, to_call: float) -> float:
    """Share of the final pot that your call puts in: ``to_call / (pot + to_call)``.

    >>> pot_odds(pot=30, to_call=10)
    0.25
    """
    pot, to_call = _amount("pot", pot), _amount("to_call", to_call)
    return to_call / (pot + to_call)


def pot_odds_ratio(pot: float, to_call: float) -> float:
    """Pot odds as the ratio "pot to call": 3.0 means 3 to 1.

    >>> pot_odds_ratio(pot=30, to_call=10)
    3.0
    """
    return _amount("pot", pot) / _amount("to_call", to_call)


def equity_needed(pot: float, to_call: float) -> float:
    """Break-even equity for a call (no future bets): equal to :func:`pot_odds`.

    >>> equity_needed(pot=75, to_call=25)
    0.25
    """
    return pot_odds(pot, to_call)


def call_ev(equity: float, pot: float, to_call: float) -> float:
    """Expected chips won by calling instead of folding, the hand seen to showdown with no
    further betting: ``equity * (pot + to_call) - to_call``.

    >>> call_ev(equity=0.25, pot=75, to_call=25)
    0.0
    >>> call_ev(equity=0.5, pot=100, to_call=100)
    0.0
    """
    try:
        share = float(equity)
    except (TypeError, ValueError):
        share = math.nan
    if not 0.0 <= share <= 1.0:
        raise OddsError(f"equity must be a share between 0 and 1, got {equity!r}")
    pot, to_call = _amount("pot", pot), _amount("to_call", to_call)
    return share * (pot + to_call) - to_call


# --- outs ---------------------------------------------------------------------------------


def _cards(cards: str | Iterable[int | str]) -> list[int]:
    """Card indices of text (``"Ah Kd"``) or of a list of card strings or indices."""
    if isinstance(cards, str):
        return cards_to_ints(cards)
    out: list[int] = []
    for card in cards:
        if isinstance(card, str):
            out.extend(cards_to_ints(card))
        else:
            int_to_card(card)  # raises CardError outside 0..51
            out.append(int(card))
    return out


def _small_category(cards: list[int]) -> int:
    """Category (as in ``engine.poker.evaluator.CATEGORIES``) of four cards: only rank
    repeats count, since four cards make no straight or flush."""
    counts = sorted(Counter(c // 4 for c in cards).values(), reverse=True)
    if counts[0] == 4:
        return 7  # four of a kind
    if counts[0] == 3:
        return 3  # three of a kind
    if counts[0] == 2:
        return 2 if counts[1] == 2 else 1
    return 0


def _sort_key(card: int) -> tuple[int, int]:
    return -(card // 4), card % 4


def outs(
    hero: str | Iterable[int | str],
    board: str | Iterable[int | str],
    villain: str | Iterable[int | str] | None = None,
) -> list[str]:
    """The unseen cards that improve ``hero`` on the next card, on a flop or a turn.

    With a ``villain`` hand: the cards after which hero's hand beats villain's, when hero
    does not beat it now (behind, or tied); none when hero is already ahead.

    Without one: the cards that lift hero's best hand to a stronger category (pair, two
    pair, ... as in ``engine.poker.evaluator.CATEGORIES``) that the board with that card
    does not make on its own, so a card pairing the board is an out only when it gives
    hero more than the pair everybody has. This counts pairing outs (``AhKh`` on
    ``Qh 7h 2c``: 9 hearts and 3 aces and 3 kings, 15) that lose to a better made hand;
    pass ``villain`` for the textbook count against one.

    Cards are returned in canonical form, highest rank first, suits in the order s h d c.

    >>> outs("9c 8c", "Jh 7d 2s", villain="Ah Ad")           # gutshot: the four tens
    ['Ts', 'Th', 'Td', 'Tc']
    >>> len(outs("Ah Kh", "Qh 7h 2c"))
    15
    """
    from engine.poker.evaluator import category, evaluate

    hero_cards, board_cards = _cards(hero), _cards(board)
    villain_cards = [] if villain is None else _cards(villain)
    if len(hero_cards) != 2:
        raise CardError(f"hero must hold two cards, got {len(hero_cards)}")
    if villain is not None and len(villain_cards) != 2:
        raise CardError(f"villain must hold two cards, got {len(villain_cards)}")
    if len(board_cards) not in (3, 4):
        raise CardError(
            f"outs are counted on a flop or a turn (3 or 4 board cards), got {len(board_cards)}"
        )
    known = hero_cards + board_cards + villain_cards
    if len(set(known)) != len(known):
        repeated = sorted({int_to_card(c) for c in known if known.count(c) > 1})
        raise CardError(f"the same card is dealt twice: {', '.join(repeated)}")
    unseen = [c for c in range(52) if c not in known]

    found: list[int] = []
    if villain is not None:
        if evaluate(hero_cards + board_cards) > evaluate(villain_cards + board_cards):
            return []
        found = [
            c
            for c in unseen
            if evaluate([*hero_cards, *board_cards, c])
            > evaluate([*villain_cards, *board_cards, c])
        ]
    else:
        now = category(evaluate(hero_cards + board_cards))
        for c in unseen:
            after = category(evaluate([*hero_cards, *board_cards, c]))
            shared = [*board_cards, c]
            board_alone = (
                category(evaluate(shared)) if len(shared) == 5 else _small_category(shared)
            )
            if after > now and after > board_alone:
                found.append(c)
    return [int_to_card(c) for c in sorted(found, key=_sort_key)]


# --- chance of hitting --------------------------------------------------------------------


def _check_outs(n_outs: int, board_size: int) -> int:
    if board_size not in (3, 4):
        raise OddsError(
            f"board_size must be 3 (on the flop) or 4 (on the turn), got {board_size!r}"
        )
    unseen = 52 - 2 - board_size
    if isinstance(n_outs, bool) or not isinstance(n_outs, int) or not 0 <= n_outs <= unseen:
        raise OddsError(f"outs must be a whole number from 0 to {unseen}, got {n_outs!r}")
    return unseen


def hit_probability(n_outs: int, board_size: int) -> HitChance:
    """Exact chance of hitting one of ``n_outs`` among the unseen cards (47 on the flop,
    46 on the turn; the opponents' cards count as unseen): on the next card, and by the
    river (on the flop: ``1 - C(47 - n, 2) / C(47, 2)``; on the turn both are ``n / 46``).

    >>> hit_probability(9, 3)
    HitChance(next_card=0.19148936170212766, by_river=0.3496762257169288)
    >>> hit_probability(9, 4).by_river == 9 / 46
    True
    """
    unseen = _check_outs(n_outs, board_size)
    next_card = n_outs / unseen
    if board_size == 4:
        return HitChance(next_card, next_card)
    return HitChance(next_card, 1 - math.comb(unseen - n_outs, 2) / math.comb(unseen, 2))


def rule_of_2_and_4(n_outs: int, board_size: int) -> HitChance:
    """The table estimate: 2 % per out for one card, 4 % per out for two (on the flop),
    capped at 1. It overstates big draws (15 outs: 60 % against an exact 54.1 %).

    >>> rule_of_2_and_4(9, 3)
    HitChance(next_card=0.18, by_river=0.36)
    >>> rule_of_2_and_4(9, 4)
    HitChance(next_card=0.18, by_river=0.18)
    """
    _check_outs(n_outs, board_size)
    next_card = min(1.0, 2 * n_outs / 100)
    by_river = min(1.0, (4 if board_size == 3 else 2) * n_outs / 100)
    return HitChance(next_card, by_river)
