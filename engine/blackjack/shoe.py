"""A shoe as 10 counts of the ranks A, 2, ..., 9, T (T: any ten-valued card).

>>> full_shoe(1)
(4, 4, 4, 4, 4, 4, 4, 4, 4, 16)
>>> remove_cards(full_shoe(1), [1, 10, 10])
(3, 4, 4, 4, 4, 4, 4, 4, 4, 14)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from engine.errors import RulesError

__all__ = ["RANK_LABELS", "full_shoe", "remove_cards", "validate_shoe"]

RANK_LABELS = ("A", "2", "3", "4", "5", "6", "7", "8", "9", "T")


def full_shoe(decks: int) -> tuple[int, ...]:
    """The 10 counts of ``decks`` full 52-card decks."""
    if isinstance(decks, bool) or not isinstance(decks, int) or decks < 1:
        raise RulesError(f"decks must be a positive whole number, got {decks!r}")
    return (4 * decks,) * 9 + (16 * decks,)


def validate_shoe(shoe: Sequence[int] | str) -> tuple[int, ...]:
    """Check a shoe given as 10 counts (a sequence or ``"24,24,...,96"``); return a tuple.

    >>> validate_shoe("4,4,4,4,4,4,4,4,4,16")[9]
    16
    >>> validate_shoe([1, 2])
    Traceback (most recent call last):
    ...
    engine.errors.RulesError: a shoe is 10 counts for A,2,...,9,T; got 2 numbers
    """
    if isinstance(shoe, str):
        try:
            shoe = [int(x) for x in shoe.replace(" ", ",").split(",") if x]
        except ValueError:
            raise RulesError(
                f"a shoe is 10 whole numbers for A,2,...,9,T separated by commas, got {shoe!r}"
            ) from None
    counts = list(shoe)
    if len(counts) != 10:
        raise RulesError(f"a shoe is 10 counts for A,2,...,9,T; got {len(counts)} numbers")
    out = []
    for label, c in zip(RANK_LABELS, counts, strict=True):
        if isinstance(c, bool) or (
            not isinstance(c, int) and not (hasattr(c, "__index__") and not isinstance(c, float))
        ):
            raise RulesError(f"the count of {label} must be a whole number, got {c!r}")
        c = int(c)
        if c < 0:
            raise RulesError(f"the count of {label} cannot be negative, got {c}")
        out.append(c)
    return tuple(out)


def remove_cards(shoe: Sequence[int], cards: Iterable[int]) -> tuple[int, ...]:
    """Remove cards given as values 1 (ace) .. 10; a card that is not there is a RulesError."""
    counts = list(validate_shoe(shoe))
    for card in cards:
        if not 1 <= card <= 10:
            raise RulesError(f"a card value is 1 (ace) to 10, got {card!r}")
        if counts[card - 1] == 0:
            raise RulesError(f"the shoe has no {RANK_LABELS[card - 1]} left to deal")
        counts[card - 1] -= 1
    return tuple(counts)
