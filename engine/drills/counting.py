"""Counting drills: flashed cards with running-count checkpoints, true-count conversion.

Rounds are dealt from a freshly shuffled shoe of ``decks`` decks (suited cards, so Red 7
works); the expected counts come from ``engine.blackjack.counting``. True counts use the
player's reading of the discard tray (``estimate``, default to the half deck) and a
rounding convention (default ``floor``, the one Felt's index tables use).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from engine.blackjack.counting import (
    count_system,
    decks_remaining,
    running_count,
    true_count,
)
from engine.cards import DECK
from engine.errors import RulesError

__all__ = [
    "CountGrade",
    "CountingRound",
    "TrueCountQuestion",
    "deal_counting_round",
    "grade_count",
    "true_count_question",
]


@dataclass(frozen=True)
class CountingRound:
    """Cards to flash and the running counts expected at each checkpoint.

    ``checkpoints[i]`` is how many cards have been shown when the running count is asked
    for the i-th time (the last checkpoint is the end of the round); ``running[i]`` is the
    count then (from the system's initial running count). ``true`` is the true count at the
    end (None for unbalanced systems) with ``decks_left`` as the player reads it.
    """

    system: str
    decks: int
    cards: tuple[str, ...]
    checkpoints: tuple[int, ...]
    running: tuple[float, ...]
    initial: float
    decks_left: float
    true: float | None
    estimate: str
    rounding: str

    def segment(self, i: int) -> tuple[str, ...]:
        """The cards shown before checkpoint ``i``."""
        start = self.checkpoints[i - 1] if i else 0
        return self.cards[start : self.checkpoints[i]]


@dataclass(frozen=True)
class CountGrade:
    """A count answer graded: ``error`` is answer minus expected."""

    answer: float
    expected: float
    correct: bool
    error: float


@dataclass(frozen=True)
class TrueCountQuestion:
    """Convert a running count to a true count: the cards seen give the decks remaining."""

    system: str
    decks: int
    running: float
    cards_seen: int
    decks_left: float
    expected: float
    estimate: str
    rounding: str


def _check(system: str, decks: int) -> None:
    count_system(system)
    decks_remaining(0, decks)


def deal_counting_round(
    rng: random.Random,
    system: str = "hilo",
    *,
    decks: int = 6,
    n_cards: int = 30,
    n_checkpoints: int = 3,
    estimate: str = "half",
    rounding: str = "floor",
) -> CountingRound:
    """Shuffle a shoe and deal ``n_cards`` with ``n_checkpoints`` evenly spread checks.

    >>> r = deal_counting_round(random.Random(1), "hilo", decks=1, n_cards=10, n_checkpoints=2)
    >>> r.checkpoints, len(r.cards), r.running[-1] == running_count(r.cards, "hilo")
    ((5, 10), 10, True)
    """
    _check(system, decks)
    if not 1 <= n_checkpoints <= n_cards:
        raise RulesError(f"checkpoints must be 1 to {n_cards}, got {n_checkpoints}")
    if not 1 <= n_cards <= 52 * decks - 1:
        raise RulesError(f"a round has 1 to {52 * decks - 1} cards for {decks} decks")
    shoe = list(DECK) * decks
    rng.shuffle(shoe)
    cards = tuple(shoe[:n_cards])
    checkpoints = tuple(round(n_cards * (i + 1) / n_checkpoints) for i in range(n_checkpoints))
    cs = count_system(system)
    initial = cs.initial_running_count(decks)
    running = tuple(running_count(cards[:c], cs, decks=decks) for c in checkpoints)
    left = decks_remaining(n_cards, decks, estimate=estimate)
    true = true_count(running[-1], left, rounding=rounding) if cs.balanced else None
    return CountingRound(
        cs.name, decks, cards, checkpoints, running, initial, left, true, estimate, rounding
    )


def grade_count(answer: float, expected: float) -> CountGrade:
    """Exact match required (half points count for Wong Halves).

    >>> grade_count(3, 3).correct, grade_count(2, 3).error
    (True, -1)
    """
    error = answer - expected
    return CountGrade(answer, expected, abs(error) < 1e-9, error)


def true_count_question(
    rng: random.Random,
    system: str = "hilo",
    *,
    decks: int = 6,
    estimate: str = "half",
    rounding: str = "floor",
) -> TrueCountQuestion:
    """A running count and a depth into the shoe, plausible for each other.

    The depth is 10% to 85% of the shoe; the running count is drawn around what a shoe at
    that depth shows (spread grows with the cards seen), so true counts from about -6 to +6
    come up.

    >>> q = true_count_question(random.Random(3), decks=6)
    >>> q.expected == true_count(q.running, q.decks_left, rounding="floor")
    True
    """
    _check(system, decks)
    cs = count_system(system)
    if not cs.balanced:
        raise RulesError(f"{cs.title} is unbalanced: it is played off the running count")
    total = 52 * decks
    seen = rng.randint(int(0.10 * total), int(0.85 * total))
    spread = max(2, round((seen * (total - seen) / total) ** 0.5 * 0.9 * cs.level))
    running = rng.randint(-2 * spread, 2 * spread)
    if cs.name == "halves":
        running += rng.choice((0, 0.5))
    left = decks_remaining(seen, decks, estimate=estimate)
    expected = true_count(running, left, rounding=rounding)
    return TrueCountQuestion(cs.name, decks, running, seen, left, expected, estimate, rounding)
