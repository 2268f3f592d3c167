"""The dealer's final-total probabilities from any shoe, exactly.

Every way the dealer can finish (the multiset of cards drawn after the up card, with the
number of orders in which it can be drawn) is listed once per rule (S17/H17); the
probability of a multiset from a given shoe is then a product of falling factorials, so a
shoe costs one pass over the list (compiled with numba).

>>> p = dealer_probabilities("6", Rules(decks=6))
>>> round(p["bust"], 8), round(sum(p.values()), 12)
(0.4228416, 1.0)
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from engine.blackjack._solver import MAX_K as _MAX_K
from engine.blackjack._solver import dealer_dist
from engine.blackjack.rules import Rules
from engine.blackjack.shoe import RANK_LABELS, full_shoe, remove_cards, validate_shoe
from engine.cards import parse_blackjack_rank

__all__ = ["OUTCOMES", "dealer_probabilities"]

# Order of the probability vector used throughout: final 17..21, bust, blackjack.
OUTCOMES = ("17", "18", "19", "20", "21", "bust", "blackjack")
_MAX_RANKS = 5  # most distinct ranks a dealer draws after the up card


class DealerTable:
    """All dealer finishing multisets for one soft-17 rule, flattened for numba."""

    def __init__(self, hit_soft_17: bool) -> None:
        starts = [0]
        ranks: list[list[int]] = []
        ks: list[list[int]] = []
        ncards: list[int] = []
        totals: list[int] = []
        mults: list[float] = []
        for up in range(10):
            found: dict[tuple[int, ...], list[int]] = {}
            _enumerate(up + 1, [0] * 10, up + 1, up == 0, 1, hit_soft_17, found)
            # Sorted by final total: each total's entries are one contiguous run.
            for counts in sorted(found, key=lambda c: (found[c][0], c)):
                total, mult = found[counts]
                present = [c for c in range(10) if counts[c]]
                ranks.append(present + [0] * (10 - len(present)))
                ks.append([counts[c] for c in present] + [0] * (10 - len(present)))
                ncards.append(sum(counts))
                totals.append(total - 17)
                mults.append(float(mult))
            starts.append(len(mults))
        self.starts = np.array(starts, dtype=np.int64)
        self.ranks = np.array(ranks, dtype=np.int64)
        self.ks = np.array(ks, dtype=np.int64)
        self.lens = np.array([sum(1 for k in row if k) for row in ks], dtype=np.int64)
        if self.lens.max() > _MAX_RANKS or max(ncards) >= _MAX_K:
            raise AssertionError("dealer table outgrew its fixed sizes")
        self.ncards = np.array(ncards, dtype=np.int64)
        self.totals = np.array(totals, dtype=np.int64)
        self.mults = np.array(mults, dtype=np.float64)
        # Flat indices into the falling-factorial table (rank * _MAX_K + count), padded
        # with index 0 (rank A, count 0: the factor 1), so every entry is five lookups.
        flat = np.zeros((len(mults), _MAX_RANKS), dtype=np.int64)
        for e, row in enumerate(ks):
            for j, k in enumerate(row[:_MAX_RANKS]):
                if k:
                    flat[e, j] = ranks[e][j] * _MAX_K + k
        self.flat = flat
        # segments[up * 6 + t] .. segments[up * 6 + t + 1]: entries of up card ``up`` ending
        # on total 17 + t.
        segments = np.zeros(61, dtype=np.int64)
        for up in range(10):
            lo, hi = self.starts[up], self.starts[up + 1]
            for t in range(6):
                segments[up * 6 + t] = lo + int(np.searchsorted(self.totals[lo:hi], t))
        segments[60] = self.starts[10]
        self.segments = segments
        self.arrays = (self.segments, self.flat, self.ncards, self.totals, self.mults)


def _enumerate(
    hard: int,
    counts: list[int],
    up: int,
    has_ace: bool,
    ncards: int,
    h17: bool,
    found: dict[tuple[int, ...], list[int]],
) -> None:
    soft = has_ace and hard + 10 <= 21
    total = hard + 10 if soft else hard
    if total >= 17 and not (h17 and soft and total == 17):
        if total > 21 or (ncards == 2 and total == 21):
            return  # bust, or a natural (counted separately)
        key = tuple(counts)
        entry = found.setdefault(key, [total, 0])
        entry[1] += 1
        return
    for card in range(1, 11):
        counts[card - 1] += 1
        _enumerate(hard + card, counts, up, has_ace or card == 1, ncards + 1, h17, found)
        counts[card - 1] -= 1


@lru_cache(maxsize=2)
def dealer_table(hit_soft_17: bool) -> DealerTable:
    """The (cached) finishing-multiset table for S17 or H17."""
    return DealerTable(hit_soft_17)


def dealer_probabilities(
    up: str | int,
    rules: Rules | None = None,
    shoe: tuple[int, ...] | list[int] | str | None = None,
    *,
    no_blackjack: bool = False,
) -> dict[str, float]:
    """P(dealer ends on 17..21, busts, has blackjack) given the up card, before the peek.

    ``shoe``: the unseen cards before the up card was dealt (10 counts for A,2,...,9,T; None
    = a full shoe of ``rules.decks``); the up card is removed here. ``no_blackjack=True``
    conditions on the dealer not having blackjack (what a player sees after the peek).

    >>> p = dealer_probabilities("A", Rules(decks=6), no_blackjack=True)
    >>> p["blackjack"], round(sum(p.values()), 12)
    (0.0, 1.0)
    """
    rules = Rules() if rules is None else rules
    up_value = parse_blackjack_rank(up) if isinstance(up, str) else int(up)
    base = full_shoe(rules.decks) if shoe is None else validate_shoe(shoe)
    after = remove_cards(base, [up_value])
    probs = _cached_dist(after, up_value - 1, rules.hit_soft_17)
    out = dict(zip(OUTCOMES, (float(p) for p in probs), strict=True))
    if no_blackjack:
        keep = 1.0 - out["blackjack"]
        if keep <= 0:
            return {k: (1.0 if k == "blackjack" else 0.0) for k in OUTCOMES}
        out = {k: (0.0 if k == "blackjack" else v / keep) for k, v in out.items()}
    return out


@lru_cache(maxsize=4096)
def _cached_dist(shoe_after_up: tuple[int, ...], up: int, hit_soft_17: bool) -> np.ndarray:
    if sum(shoe_after_up) == 0:
        raise ValueError(f"no cards left for the dealer to draw after the {RANK_LABELS[up]}")
    t = dealer_table(hit_soft_17)
    out = np.empty(7)
    dealer_dist(np.array(shoe_after_up, dtype=np.int64), up, *t.arrays, out)
    out.setflags(write=False)
    return out
