"""Review a table spot read from an image or entered by hand: the numbers behind the advice.

Poker: the hero's equity against a villain range (exact where affordable), equity street by
street along the known board, outs and the chance of hitting them, and the call/fold
answer when a pot and a bet are given. Blackjack: the exact value of every action from the
shoe left after every visible card, the best action, and the count those cards imply.

Everything here is pure: the table review page renders it, the store keeps its summary.

>>> r = review_poker(PokerSpot(hero=("Ah", "Kh"), board=("Qh", "7h", "2c")))
>>> len(r.outs), r.streets[-1].street
(15, 'flop')
>>> b = review_blackjack(BlackjackSpot(dealer=("T",), player=("T", "6")))
>>> b.best, b.running_count
('surrender', -1)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from engine.blackjack import Rules, action_values, best_action
from engine.blackjack.counting import count_system, decks_remaining, running_count, true_count
from engine.blackjack.shoe import RANK_LABELS, full_shoe, remove_cards, validate_shoe
from engine.cards import CardError, parse_blackjack_hand, parse_cards
from engine.poker import (
    HitChance,
    call_ev,
    category_name,
    equity,
    equity_needed,
    evaluate,
    hit_probability,
    outs,
    parse_range,
)

__all__ = [
    "BlackjackReview",
    "BlackjackSpot",
    "PokerReview",
    "PokerSpot",
    "StreetEquity",
    "review_blackjack",
    "review_poker",
    "spot_from_roles",
]

STREETS = {0: "preflop", 3: "flop", 4: "turn", 5: "river"}


def _cards(cards: Iterable[str] | str) -> tuple[str, ...]:
    text = cards if isinstance(cards, str) else " ".join(cards)
    return tuple(parse_cards(text))


@dataclass(frozen=True)
class PokerSpot:
    """A hold'em spot to review: hero's two cards, the board, other cards seen (folded or
    shown hands: dead to both players), the villain's range and, optionally, the pot and the
    amount hero must call."""

    hero: tuple[str, ...]
    board: tuple[str, ...] = ()
    others: tuple[str, ...] = ()
    villain: str = "random"
    pot: float | None = None
    to_call: float | None = None

    def __post_init__(self) -> None:
        hero, board, others = _cards(self.hero), _cards(self.board), _cards(self.others)
        if len(hero) != 2:
            raise CardError(f"the hero holds two cards; {len(hero)} given ({' '.join(hero)})")
        if len(board) not in STREETS:
            raise CardError(
                f"a board has 0, 3, 4 or 5 cards; {len(board)} given ({' '.join(board)})"
            )
        seen = hero + board + others
        repeated = sorted({c for c in seen if seen.count(c) > 1})
        if repeated:
            raise CardError(f"the same card appears twice: {', '.join(repeated)}")
        if (self.pot is None) != (self.to_call is None):
            raise ValueError("give both the pot and the amount to call, or neither")
        object.__setattr__(self, "hero", hero)
        object.__setattr__(self, "board", board)
        object.__setattr__(self, "others", others)


@dataclass(frozen=True)
class StreetEquity:
    """Hero's equity against the range when the board stood at ``street``."""

    street: str
    board: tuple[str, ...]
    equity: float
    exact: bool


@dataclass(frozen=True)
class PokerReview:
    """What Felt says about a poker spot. ``equity`` is hero's share of the pot at showdown
    against the range (ties split); ``outs`` are the cards that improve hero's hand to a
    stronger category on the next card (flop and turn only)."""

    spot: PokerSpot
    equity: float
    win: float
    tie: float
    exact: bool
    stderr: float | None
    hand_name: str | None
    streets: tuple[StreetEquity, ...]
    outs: tuple[str, ...] = ()
    hit: HitChance | None = None
    needed: float | None = None
    call_ev: float | None = None
    recommendation: str = ""


def review_poker(spot: PokerSpot, *, trials: int = 200_000, seed: int = 0) -> PokerReview:
    """Equity, equity by street, outs and the call/fold answer for ``spot``.

    Raises ``RangeError`` for a bad villain range or one left empty by the known cards.
    """
    parse_range(spot.villain, dead=spot.hero + spot.board + spot.others)  # clear error first
    hero = "".join(spot.hero)
    dead = " ".join(spot.others)
    streets = []
    for n, street in STREETS.items():
        if n > len(spot.board):
            break
        res = equity([hero, spot.villain], " ".join(spot.board[:n]), dead, trials=trials, seed=seed)
        streets.append(StreetEquity(street, spot.board[:n], res.equity[0], res.exact))
    now = res
    hand_name = category_name(evaluate(spot.hero + spot.board)) if spot.board else None
    found: tuple[str, ...] = ()
    hit = None
    if len(spot.board) in (3, 4):
        found = tuple(c for c in outs(spot.hero, spot.board) if c not in spot.others)
        hit = hit_probability(len(found), len(spot.board))
    needed = ev = None
    eq = now.equity[0]
    if spot.pot is not None and spot.to_call is not None:
        needed = equity_needed(spot.pot, spot.to_call)
        ev = call_ev(eq, spot.pot, spot.to_call)
        verdict = "call" if ev > 0 else "fold"
        recommendation = (
            f"{verdict}: {eq:.1%} equity against {needed:.1%} needed "
            f"(calling is worth {ev:+.2f} chips against folding)"
        )
    else:
        recommendation = f"{eq:.1%} equity against {spot.villain}"
    return PokerReview(
        spot=spot,
        equity=eq,
        win=now.win[0],
        tie=now.tie[0],
        exact=now.exact,
        stderr=None if now.stderr is None else now.stderr[0],
        hand_name=hand_name,
        streets=tuple(streets),
        outs=found,
        hit=hit,
        needed=needed,
        call_ev=ev,
        recommendation=recommendation,
    )


@dataclass(frozen=True)
class BlackjackSpot:
    """A blackjack decision to review: the dealer's up card, the player's hand, every other
    card visible on the table (other players' hands), the rules and the shoe before this
    round (10 counts for A..T; None = a full shoe)."""

    dealer: tuple[str, ...]
    player: tuple[str, ...]
    others: tuple[str, ...] = ()
    rules: Rules = field(default_factory=Rules)
    shoe: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if len(self.dealer) != 1:
            raise CardError(
                f"a decision is reviewed against the dealer's one up card; "
                f"{len(self.dealer)} dealer cards given ({' '.join(self.dealer) or 'none'})"
            )
        if len(self.player) < 2:
            raise CardError(f"the player's hand needs two or more cards, got {len(self.player)}")
        for cards in (self.dealer, self.player, self.others):
            parse_blackjack_hand(" ".join(cards))  # raises CardError naming a bad card
        if self.shoe is not None:
            object.__setattr__(self, "shoe", validate_shoe(self.shoe))


@dataclass(frozen=True)
class BlackjackReview:
    """The exact values of the player's options and the count of the visible cards."""

    spot: BlackjackSpot
    values: dict[str, float]
    best: str
    running_count: float
    true_count: float
    decks_left: float
    shoe: tuple[int, ...]
    recommendation: str


def _values(cards: Sequence[str]) -> list[int]:
    return parse_blackjack_hand(" ".join(cards))


def review_blackjack(spot: BlackjackSpot, *, system: str = "hilo") -> BlackjackReview:
    """Action values from the shoe with every visible card removed, and the count.

    The running count covers every visible card, the dealer's and the player's included,
    as a counter at the table would have it; for an unbalanced system it starts from the
    system's initial running count for the rules' decks. Raises ``RulesError`` when the
    visible cards are more than the shoe holds.
    """
    before = spot.shoe if spot.shoe is not None else full_shoe(spot.rules.decks)
    shoe = remove_cards(before, _values(spot.others))
    values = action_values(_values(spot.player), _values(spot.dealer)[0], spot.rules, shoe)
    best = best_action(values)
    visible = [*spot.dealer, *spot.player, *spot.others]
    cs = count_system(system)
    decks = spot.rules.decks
    rc = running_count(" ".join(visible), cs, decks=None if cs.balanced else decks)
    seen = 52 * decks - sum(before) + len(visible)
    left = decks_remaining(seen, decks)
    tc = true_count(rc, left)
    ranked = sorted(values.items(), key=lambda kv: kv[1], reverse=True)
    gap = (
        f", {ranked[0][1] - ranked[1][1]:.4f} bets better than {ranked[1][0]}"
        if len(ranked) > 1
        else ""
    )
    recommendation = f"{best} ({values[best]:+.4f} bets{gap})"
    return BlackjackReview(spot, values, best, rc, tc, left, shoe, recommendation)


def spot_from_roles(roles: dict[str, list[str]], game: str) -> dict[str, tuple[str, ...]]:
    """The role lists of a ``TableRead`` (or an edited table) as spot fields for ``game``.

    >>> spot_from_roles({"hero": ["Ah", "Kh"], "board": [], "others": ["2c"]}, "poker")
    {'hero': ('Ah', 'Kh'), 'board': (), 'others': ('2c',)}
    """
    names = ("hero", "board", "others") if game == "poker" else ("dealer", "player", "others")
    if game not in ("poker", "blackjack"):
        raise ValueError(f"game must be 'poker' or 'blackjack', got {game!r}")
    return {name: tuple(roles.get(name, ())) for name in names}


def shoe_text(shoe: Sequence[int]) -> str:
    """The shoe as ``A:24 2:24 ...`` for people."""
    return " ".join(f"{label}:{n}" for label, n in zip(RANK_LABELS, shoe, strict=True))
