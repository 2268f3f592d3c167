"""Practise my leaks: rebuild a drill question from the situation an attempt stored.

The review queue (``engine.store.review``) keeps, for every missed spot, the situation of
the latest miss. A drill page in "practise my leaks" mode serves those first: the functions
here turn a stored situation back into the drill's own question object, so the page asks,
grades and stores it exactly as a freshly dealt one (and the queue grades the card when the
answer is synced).

* Blackjack strategy and deviations: the same two cards against the same up card, under the
  stored rules, from the stored shoe (the unseen counts before the deal) or, for attempts
  stored without one, a full shoe of those rules; deviation spots keep their count.
* Poker: equity and pot-odds questions keep hero, villain, board, pot, bet and the equity
  they were graded against; push/fold keeps the hand and the stack.
* Counting: true-count conversions keep the running count and the depth. A flashed-card
  round is a sequence, not a repeatable spot, so it is not replayed.

Every function raises a ``FeltError`` subclass naming what is missing or wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine.blackjack import Rules
from engine.blackjack.counting import decks_remaining, true_count
from engine.cards import card_to_int, parse_blackjack_hand, parse_cards
from engine.drills.blackjack import (
    DEVIATIONS,
    LABELS,
    DeviationSpot,
    LiveShoe,
    StrategySpot,
)
from engine.drills.counting import TrueCountQuestion
from engine.drills.poker import EquityQuestion, PotOddsQuestion, PushFoldSpot
from engine.errors import CardError, RangeError, RulesError

__all__ = [
    "BLACKJACK_DRILLS",
    "POKER_DRILLS",
    "BlackjackReplay",
    "leak_order",
    "replay_blackjack",
    "replay_equity",
    "replay_pot_odds",
    "replay_push_fold",
    "replay_true_count",
]

BLACKJACK_DRILLS = ("bj-strategy", "bj-deviations")
POKER_DRILLS = {"equity": "poker-equity", "pot odds": "poker-pot-odds",
                "push/fold": "poker-push-fold"}  # fmt: skip


@dataclass(frozen=True)
class BlackjackReplay:
    """A stored blackjack decision rebuilt: the spot, its rules and (deviations) the count."""

    spot: StrategySpot
    rules: Rules
    deviation: DeviationSpot | None


def _field(situation: Mapping[str, Any], name: str, what: str) -> Any:
    value = situation.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise RulesError(f"the stored {what} has no {name!r}: it cannot be asked again")
    return value


def _number(situation: Mapping[str, Any], name: str, what: str) -> float:
    value = _field(situation, name, what)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise RulesError(f"the stored {what} has {name} {value!r}, not a number") from None


def _shoe(counts: Any, decks: int) -> LiveShoe:
    """The live shoe with ``counts`` unseen: the missing cards count as seen (a count does
    not depend on the order the cards came in)."""
    full = LiveShoe.fresh(decks).counts
    if counts is None:
        return LiveShoe.fresh(decks)
    try:
        counts = tuple(int(n) for n in counts)
    except (TypeError, ValueError):
        raise RulesError(f"the stored shoe {counts!r} is not 10 card counts") from None
    if len(counts) != 10 or any(not 0 <= n <= f for n, f in zip(counts, full, strict=True)):
        raise RulesError(
            f"the stored shoe {list(counts)} is not the unseen A..T counts of a {decks}-deck shoe"
        )
    seen = tuple(v for v in range(1, 11) for _ in range(full[v - 1] - counts[v - 1]))
    return LiveShoe(decks, counts, seen)


def _cosmetic(stored: Any, values: Sequence[int]) -> tuple[str, ...]:
    """The stored drawn cards when they show these values, else plain spades/hearts."""
    try:
        cards = parse_cards(stored) if stored else []
        if [parse_blackjack_hand(c)[0] for c in cards] == list(values):
            return tuple(cards)
    except CardError:
        pass
    suits = "shd"
    return tuple(LABELS[v - 1] + suits[i] for i, v in enumerate(values))


def replay_blackjack(situation: Mapping[str, Any]) -> BlackjackReplay:
    """Rebuild a stored blackjack strategy (or deviation) question.

    The rules are the stored ones; the shoe is the stored one, or a full shoe of those
    rules when the attempt stored none; deviation spots keep their running count, decks
    left, true count and index.

    >>> r = replay_blackjack({"player": "T6", "dealer": "9", "rules": "6D S17 DAS LS 3:2"})
    >>> r.spot.hand, r.spot.up, r.rules.decks, r.spot.shoe.counts == LiveShoe.fresh(6).counts
    ('T6', '9', 6, True)
    """
    what = "blackjack question"
    try:
        rules = Rules.parse(str(_field(situation, "rules", what)))
        player = parse_blackjack_hand(str(_field(situation, "player", what)))
        dealer = parse_blackjack_hand(str(_field(situation, "dealer", what)))
    except CardError as exc:
        raise RulesError(f"the stored {what} has unreadable cards: {exc}") from None
    if len(player) != 2 or len(dealer) != 1:
        raise RulesError(f"the stored {what} needs two player cards and one up card")
    shoe = _shoe(situation.get("shoe"), rules.decks)
    cards = _cosmetic(situation.get("cards"), [*player, *dealer])
    spot = StrategySpot((player[0], player[1]), dealer[0], shoe, cards[:2], cards[2])
    # the spot is dealt from ``shoe``: its cards must be in it
    shoe.remove([*player, *dealer])
    dev = None
    if situation.get("deviation") is not None:
        action = str(situation["deviation"])
        otherwise = next((d[3] for d in DEVIATIONS if d[:3] == (spot.hand, spot.up, action)), None)
        if otherwise is None:
            raise RulesError(f"{spot.hand} v {spot.up} {action} is not a deviation hand")
        index = situation.get("index")
        dev = DeviationSpot(
            spot,
            _number(situation, "running", what),
            _number(situation, "decks_left", what),
            _number(situation, "true_count", what),
            action,
            otherwise,
            None if index is None else float(index),
        )
    return BlackjackReplay(spot, rules, dev)


def _hero(situation: Mapping[str, Any], what: str) -> str:
    try:
        cards = parse_cards(str(_field(situation, "hero", what)))
    except CardError as exc:
        raise RangeError(f"the stored {what} has an unreadable hand: {exc}") from None
    if len(cards) != 2:
        raise RangeError(f"the stored {what} needs two hole cards, got {len(cards)}")
    return "".join(cards)


def _board(situation: Mapping[str, Any], what: str) -> str:
    try:
        cards = parse_cards(str(situation.get("board") or ""))
    except CardError as exc:
        raise RangeError(f"the stored {what} has an unreadable board: {exc}") from None
    if len(cards) not in (0, 3, 4, 5):
        raise RangeError(f"the stored {what} has a board of {len(cards)} cards")
    return "".join(cards)


def _share(situation: Mapping[str, Any], name: str, what: str) -> float:
    value = _number(situation, name, what)
    if not 0.0 <= value <= 1.0:
        raise RangeError(f"the stored {what} has {name} {value!r}, not a share from 0 to 1")
    return value


def replay_equity(situation: Mapping[str, Any]) -> EquityQuestion:
    """Rebuild a stored equity question, with the equity it was graded against.

    >>> replay_equity({"hero": "AhKh", "villain": "QsQd", "board": "", "truth": 0.4621,
    ...                "exact": True})
    EquityQuestion(hero='AhKh', villain='QsQd', board='', truth=0.4621, exact=True)
    """
    what = "equity question"
    return EquityQuestion(
        _hero(situation, what),
        str(_field(situation, "villain", what)),
        _board(situation, what),
        _share(situation, "truth", what),
        bool(situation.get("exact", False)),
    )


def replay_pot_odds(situation: Mapping[str, Any]) -> PotOddsQuestion:
    """Rebuild a stored pot-odds question (same pot, bet, range and equity).

    >>> q = replay_pot_odds({"hero": "AhKh", "villain": "QQ+", "board": "2c7d9h", "pot": 100,
    ...                      "bet": 50, "equity": 0.2})
    >>> q.call_ev
    -10.0
    """
    what = "pot-odds question"
    pot, bet = _number(situation, "pot", what), _number(situation, "bet", what)
    if pot <= 0 or bet <= 0:
        raise RangeError(f"the stored {what} has pot {pot:g} and bet {bet:g}: both must be > 0")
    return PotOddsQuestion(
        _hero(situation, what),
        str(_field(situation, "villain", what)),
        _board(situation, what),
        pot,
        bet,
        _share(situation, "equity", what),
    )


def replay_push_fold(situation: Mapping[str, Any]) -> PushFoldSpot:
    """Rebuild a stored push/fold spot (combo index as ``deal_push_fold_spot`` numbers it).

    >>> replay_push_fold({"hero": "Kh9h", "stack": 8})
    PushFoldSpot(hero='Kh9h', combo=1019, stack=8.0, position='SB')
    >>> replay_push_fold({"hero": "Kh9h", "stack": 8, "position": "BB"}).position
    'BB'
    """
    what = "push/fold spot"
    hero = _hero(situation, what)
    a, b = card_to_int(hero[:2]), card_to_int(hero[2:])
    hi, lo = max(a, b), min(a, b)
    stack = _number(situation, "stack", what)
    if stack <= 0:
        raise RangeError(f"the stored {what} has a stack of {stack:g} big blinds")
    position = situation.get("position") or "SB"  # answers stored before BB spots existed
    if position not in ("SB", "BB"):
        raise RangeError(f"the stored {what} has position {position!r}, not SB or BB")
    return PushFoldSpot(hero, hi * (hi - 1) // 2 + lo, stack, position)


def replay_true_count(situation: Mapping[str, Any]) -> TrueCountQuestion:
    """Rebuild a stored true-count conversion: the same running count and decks left.

    The true count that ends a flashed round stores both too, so it is asked again as a
    conversion (the flashed cards themselves are a sequence, not a spot to repeat).

    >>> q = replay_true_count({"system": "hilo", "decks": 6, "running": 7, "cards_seen": 182,
    ...                        "decks_left": 2.5, "rounding": "floor", "estimate": "half"})
    >>> q.expected == 2
    True
    """
    what = "true-count question"
    decks = int(_number(situation, "decks", what))
    seen = int(_number(situation, "cards_seen", what))
    running = _number(situation, "running", what)
    estimate = str(situation.get("estimate") or "half")
    rounding = str(situation.get("rounding") or "floor")
    left = decks_remaining(seen, decks, estimate=estimate)
    stored = situation.get("decks_left")
    if stored is not None and abs(float(stored) - left) > 1e-9:
        left = float(stored)  # what the player was shown
    expected = true_count(running, left, rounding=rounding)
    system = str(situation.get("system") or "hilo")
    return TrueCountQuestion(system, decks, running, seen, left, expected, estimate, rounding)


def leak_order(items: Iterable[Any], first: tuple[str, str] | None = None) -> list[Any]:
    """Review items (anything with ``drill`` and ``spot``) with the ``(drill, spot)`` asked
    for first, the rest in their given (most overdue first) order.

    >>> from types import SimpleNamespace as N
    >>> [i.spot for i in leak_order([N(drill="d", spot="a"), N(drill="d", spot="b")],
    ...                             ("d", "b"))]
    ['b', 'a']
    """
    items = list(items)
    return sorted(items, key=lambda i: (i.drill, i.spot) != first) if first else items
