"""Blackjack drills: decisions dealt from a live shoe, graded by their exact EV loss.

The shoe is the 10 counts of unseen cards (A, 2, ..., 9, T) that ``action_values(...,
shoe=...)`` takes; a spot carries the shoe *before* its cards were dealt, as that function
expects. After each hand the player's cards, the up card and a hole card leave the shoe,
so the composition (and the count) drifts the way a real shoe does until the cut card.

Deviation spots come from the hands of the Hi-Lo Illustrious 18 and Fab 4 (Schlesinger,
*Blackjack Attack*); the index itself always comes from ``index_play`` for the rules in play.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from engine.blackjack.counting import decks_remaining, running_count, true_count
from engine.errors import RulesError

__all__ = [
    "ACTIONS",
    "ACTION_NAMES",
    "DEVIATIONS",
    "MODES",
    "DecisionGrade",
    "DeviationSpot",
    "LiveShoe",
    "StrategySpot",
    "after_hand",
    "chart_action",
    "chart_row",
    "deal_deviation_spot",
    "deal_strategy_spot",
    "deviation_hands",
    "explain",
    "grade_decision",
    "hand_kind",
]

ACTIONS = ("hit", "stand", "double", "split", "surrender")
ACTION_NAMES = {"hit": "Hit", "stand": "Stand", "double": "Double", "split": "Split",
                "surrender": "Surrender"}  # fmt: skip
MODES = ("all", "hard", "soft", "pairs", "hard-bias")
LABELS = "A23456789T"  # index = value - 1

# (player hand, dealer up card, deviation, play otherwise): the deviation is taken at or
# above the index (every one of these gains as the count rises). Where surrender is
# allowed, 15 and 16 against a ten are surrender hands (Fab 4), so their stand indices
# (Illustrious 18, no-surrender games) are drilled only without surrender.
DEVIATIONS: tuple[tuple[str, str, str, str], ...] = (
    ("T6", "T", "stand", "hit"),
    ("T5", "T", "stand", "hit"),
    ("TT", "5", "split", "stand"),
    ("TT", "6", "split", "stand"),
    ("64", "T", "double", "hit"),
    ("T2", "3", "stand", "hit"),
    ("T2", "2", "stand", "hit"),
    ("65", "A", "double", "hit"),
    ("54", "2", "double", "hit"),
    ("64", "A", "double", "hit"),
    ("54", "7", "double", "hit"),
    ("T6", "9", "stand", "hit"),
    ("T3", "2", "stand", "hit"),
    ("T2", "4", "stand", "hit"),
    ("T2", "5", "stand", "hit"),
    ("T2", "6", "stand", "hit"),
    ("T3", "3", "stand", "hit"),
    ("T4", "T", "surrender", "hit"),
    ("T5", "T", "surrender", "hit"),
    ("T5", "9", "surrender", "hit"),
    ("T5", "A", "surrender", "hit"),
)


@dataclass(frozen=True)
class LiveShoe:
    """A shoe being dealt: unseen counts (A..T) and the values seen since the shuffle."""

    decks: int
    counts: tuple[int, ...]
    seen: tuple[int, ...] = ()

    @classmethod
    def fresh(cls, decks: int) -> LiveShoe:
        """A freshly shuffled shoe.

        >>> LiveShoe.fresh(1).counts
        (4, 4, 4, 4, 4, 4, 4, 4, 4, 16)
        """
        if not 1 <= int(decks) <= 8:
            raise RulesError(f"decks must be 1 to 8, got {decks!r}")
        return cls(int(decks), (4 * decks,) * 9 + (16 * decks,))

    @property
    def penetration(self) -> float:
        """Share of the shoe dealt since the shuffle."""
        return len(self.seen) / (52 * self.decks)

    def running(self, system: str = "hilo") -> float:
        """Running count of the cards seen (from the system's initial count)."""
        return running_count(list(self.seen), system, decks=self.decks)

    def decks_left(self, estimate: str = "half") -> float:
        """Decks remaining as read from the discard tray."""
        return decks_remaining(len(self.seen), self.decks, estimate=estimate)

    def remove(self, values: Sequence[int]) -> LiveShoe:
        """The shoe after ``values`` (1..10) were dealt face up."""
        counts = list(self.counts)
        for v in values:
            if counts[v - 1] <= 0:
                raise RulesError(f"no {LABELS[v - 1]} left in the shoe")
            counts[v - 1] -= 1
        return LiveShoe(self.decks, tuple(counts), self.seen + tuple(values))


@dataclass(frozen=True)
class StrategySpot:
    """A decision: the player's two cards against the up card, from ``shoe``."""

    player: tuple[int, int]
    dealer: int
    shoe: LiveShoe
    cards: tuple[str, str]  # how the cards are drawn (suits are cosmetic)
    up_card: str

    @property
    def hand(self) -> str:
        """Player hand as ``action_values`` reads it (``"T6"``, ``"A7"``)."""
        return "".join(LABELS[v - 1] for v in self.player)

    @property
    def up(self) -> str:
        """Up card as ``action_values`` reads it."""
        return LABELS[self.dealer - 1]


@dataclass(frozen=True)
class DeviationSpot:
    """A count-dependent decision: a spot, the count shown, the index and the expected play."""

    spot: StrategySpot
    running: float
    decks_left: float
    true_count: float
    action: str
    otherwise: str
    index: float | None

    @property
    def expected(self) -> str:
        """The index play: the deviation at or above the index, the usual play below."""
        if self.index is None or self.true_count < self.index:
            return self.otherwise
        return self.action


@dataclass(frozen=True)
class DecisionGrade:
    """An answer graded against the exact values of every allowed action."""

    answer: str
    best: str
    ev_loss: float
    correct: bool
    values: Mapping[str, float]


def hand_kind(player: Sequence[int]) -> tuple[str, int]:
    """("pair" | "soft" | "hard", total) of a two-card hand of values 1..10.

    >>> hand_kind((10, 6)), hand_kind((1, 7)), hand_kind((8, 8)), hand_kind((1, 1))
    (('hard', 16), ('soft', 18), ('pair', 16), ('pair', 12))
    """
    a, b = player
    total = a + b
    soft = 1 in (a, b) and total + 10 <= 21
    if a == b:
        return "pair", total + 10 if soft else total
    return ("soft", total + 10) if soft else ("hard", total)


def _accept(mode: str, player: tuple[int, int], rng: random.Random) -> bool:
    kind, total = hand_kind(player)
    if kind == "soft" and total == 21:
        return False  # a blackjack: nothing to decide
    if mode == "all":
        return True
    if mode == "hard":
        return kind == "hard"
    if mode == "soft":
        return kind == "soft"
    if mode == "pairs":
        return kind == "pair"
    if mode == "hard-bias":  # the hands people get wrong most: hard 9-16
        return (kind == "hard" and 9 <= total <= 16) or rng.random() < 0.2
    raise RulesError(f"unknown mode {mode!r}: expected one of {', '.join(MODES)}")


def _draw(counts: Sequence[int], rng: random.Random, exclude: Sequence[int] = ()) -> int:
    left = list(counts)
    for v in exclude:
        left[v - 1] -= 1
    return rng.choices(range(1, 11), weights=left)[0]


def _show(value: int, rng: random.Random) -> str:
    rank = rng.choice("TJQK") if value == 10 else LABELS[value - 1]
    return rank + rng.choice("shdc")


def deal_strategy_spot(
    shoe: LiveShoe, rng: random.Random, mode: str = "all", *, penetration: float = 0.75
) -> StrategySpot:
    """Deal a decision of the given mode from ``shoe`` (reshuffled past ``penetration``).

    Hands that do not fit the mode are put back and dealt again, so the spot is a draw
    from the shoe conditioned on the mode; a shoe the mode has drained (no aces left for
    soft hands) is reshuffled.

    >>> s = deal_strategy_spot(LiveShoe.fresh(6), random.Random(4), "pairs")
    >>> s.player[0] == s.player[1], s.shoe.counts == LiveShoe.fresh(6).counts
    (True, True)
    """
    if mode not in MODES:
        raise RulesError(f"unknown mode {mode!r}: expected one of {', '.join(MODES)}")
    if shoe.penetration >= penetration or sum(shoe.counts) < 10:
        shoe = LiveShoe.fresh(shoe.decks)
    for attempt in range(4000):
        if attempt == 2000:  # the mode has drained the shoe of its hands (aces, pairs)
            shoe = LiveShoe.fresh(shoe.decks)
        a = _draw(shoe.counts, rng)
        b = _draw(shoe.counts, rng, (a,))
        up = _draw(shoe.counts, rng, (a, b))
        if _accept(mode, (a, b), rng):
            player = (a, b) if a >= b or a == 1 else (b, a)
            if 1 in player:
                player = (1, player[0] if player[1] == 1 else player[1])
            first = _show(player[0], rng)
            second = _show(player[1], rng)
            while second == first:  # suits are cosmetic: never draw the same card twice
                second = _show(player[1], rng)
            return StrategySpot(player, up, shoe, (first, second), _show(up, rng))
    raise RulesError(f"the shoe has no {mode} hands left")  # pragma: no cover


def after_hand(spot: StrategySpot, rng: random.Random) -> LiveShoe:
    """The shoe once the hand is over: player cards, up card and the hole card seen."""
    shoe = spot.shoe.remove([*spot.player, spot.dealer])
    if sum(shoe.counts) > 1:
        shoe = shoe.remove([_draw(shoe.counts, rng)])
    return shoe


def deviation_hands(surrender: bool) -> tuple[tuple[str, str, str, str], ...]:
    """The deviation hands that apply with or without surrender.

    >>> len(deviation_hands(True)), len(deviation_hands(False))
    (19, 17)
    """
    stand_vs_ten = {("T6", "T", "stand"), ("T5", "T", "stand")}
    return tuple(
        d
        for d in DEVIATIONS
        if (surrender if d[2] == "surrender" else not (surrender and d[:3] in stand_vs_ten))
    )


def deal_deviation_spot(
    rules_decks: int,
    rng: random.Random,
    index_of: Callable[[str, str, str], float | None],
    *,
    surrender: bool = True,
    system: str = "hilo",
    tries: int = 40,
) -> DeviationSpot:
    """A deviation hand from a shoe dealt to a random depth, at a count near its index.

    ``index_of(player, dealer, action)`` gives the index for the rules in play (the page
    passes ``index_play`` bound to the rules). Shoes are dealt to 15%-80% depth until the
    true count lands within 2 of a target near the index, so both sides of it come up.
    """
    player, dealer, action, otherwise = rng.choice(deviation_hands(surrender))
    index = index_of(player, dealer, action)
    target = (index if index is not None else 0) + rng.uniform(-2.5, 2.5)
    pv = tuple(LABELS.index(c) + 1 for c in player)
    dv = LABELS.index(dealer) + 1
    best: tuple[float, LiveShoe] | None = None
    for _ in range(tries):
        shoe = LiveShoe.fresh(rules_decks)
        deck = [v for v, n in zip(range(1, 11), shoe.counts, strict=True) for _ in range(n)]
        for v in (*pv, dv):
            deck.remove(v)
        rng.shuffle(deck)
        depth = int(len(deck) * rng.uniform(0.15, 0.8))
        dealt = shoe.remove(deck[:depth])
        tc = true_count(dealt.running(system), dealt.decks_left(), rounding="floor")
        if best is None or abs(tc - target) < abs(best[0] - target):
            best = (tc, dealt)
        if abs(tc - target) <= 1:
            break
    assert best is not None
    tc, dealt = best
    spot = StrategySpot(
        (pv[0], pv[1]), dv, dealt, (_show(pv[0], rng), _show(pv[1], rng)), _show(dv, rng)
    )
    return DeviationSpot(
        spot, dealt.running(system), dealt.decks_left(), tc, action, otherwise, index
    )


def grade_decision(values: Mapping[str, float], answer: str) -> DecisionGrade:
    """Grade ``answer`` by its EV loss against the best allowed action.

    >>> g = grade_decision({"stand": -0.54, "hit": -0.53, "surrender": -0.5}, "stand")
    >>> g.best, round(g.ev_loss, 3), g.correct
    ('surrender', 0.04, False)
    """
    values = {k: float(v) for k, v in values.items()}
    if answer not in values:
        allowed = ", ".join(ACTION_NAMES[a] for a in ACTIONS if a in values)
        raise RulesError(f"{answer!r} is not allowed here: choose one of {allowed}")
    best = max(values, key=values.__getitem__)
    loss = values[best] - values[answer]
    return DecisionGrade(answer, best, loss, loss <= 1e-12, values)


def explain(grade: DecisionGrade) -> str:
    """One line saying why, in bets per initial bet.

    >>> explain(grade_decision({"stand": -0.54, "hit": -0.53}, "stand"))
    'Hit is worth -0.530 a bet, Stand -0.540: standing gives away 0.010 bets (1.0% of the bet).'
    """
    v, best, ans = grade.values, grade.best, grade.answer
    if grade.correct:
        others = sorted((k for k in v if k != best), key=v.__getitem__, reverse=True)
        if not others:
            return f"{ACTION_NAMES[best]} is the only play."
        nxt = others[0]
        return (
            f"{ACTION_NAMES[best]} is best at {v[best]:+.3f} a bet; the next best, "
            f"{ACTION_NAMES[nxt]}, is worth {v[nxt]:+.3f} ({v[best] - v[nxt]:.3f} less)."
        )
    verb = {"hit": "hitting", "stand": "standing", "double": "doubling", "split": "splitting",
            "surrender": "surrendering"}[ans]  # fmt: skip
    return (
        f"{ACTION_NAMES[best]} is worth {v[best]:+.3f} a bet, {ACTION_NAMES[ans]} "
        f"{v[ans]:+.3f}: {verb} gives away {grade.ev_loss:.3f} bets "
        f"({grade.ev_loss:.1%} of the bet)."
    )


def chart_row(player: Sequence[int]) -> str:
    """The ``basic_strategy`` row of a two-card hand.

    >>> chart_row((10, 6)), chart_row((1, 7)), chart_row((10, 10)), chart_row((1, 1))
    ('hard 16', 'soft 18', 'pair T,T', 'pair A,A')
    """
    kind, total = hand_kind(player)
    if kind == "pair":
        label = LABELS[player[0] - 1]
        return f"pair {label},{label}"
    return f"{kind} {total}"


def chart_action(code: str, allowed: Sequence[str]) -> str:
    """The action a basic-strategy cell asks for, given the actions allowed here.

    >>> chart_action("Ds", ["hit", "stand", "double"]), chart_action("Ds", ["hit", "stand"])
    ('double', 'stand')
    >>> chart_action("Rh", ["hit", "stand", "surrender"]), chart_action("Rp", ["split", "hit"])
    ('surrender', 'split')
    """
    first = {"H": "hit", "S": "stand", "P": "split", "D": "double", "Ds": "double",
             "Rh": "surrender", "Rs": "surrender", "Rp": "surrender"}  # fmt: skip
    fallback = {"D": "hit", "Ds": "stand", "Rh": "hit", "Rs": "stand", "Rp": "split"}
    if code not in first:
        raise RulesError(f"unknown basic strategy code {code!r}")
    action = first[code]
    return action if action in allowed else fallback.get(code, action)
