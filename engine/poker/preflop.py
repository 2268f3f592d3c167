"""Every heads-up preflop matchup, enumerated once and shipped (``data/poker/``).

Two hands before the flop have 1,712,304 boards between them. Suit permutations do not
change a matchup, so the 812,175 pairs of disjoint hands reduce to 47,008 classes (keyed by
the smallest relabelling of their suits); ``scripts/build_preflop_table.py`` enumerates
each class exactly with our own evaluator and writes the win/tie counts to
``data/poker/preflop_matchups.npz``. From it, any preflop hand vs hand is exact at once
and a range vs range is a weighted sum over the pairs of combos.

Combos are indexed ``0..1325`` by ``hi * (hi - 1) / 2 + lo`` for card indices
``hi > lo``.

>>> matchup("AhKh", "QsQd"), BOARDS
(((787966, 917606), 6732), 1712304)
>>> hand_classes_by_strength()[:6]
['AA', 'KK', 'QQ', 'JJ', 'TT', '99']
"""

from __future__ import annotations

import functools
import itertools
import os
import tempfile
from pathlib import Path

import numba as nb
import numpy as np

from engine.cards import RANKS, cards_to_ints
from engine.errors import CardError

__all__ = [
    "BOARDS",
    "TABLE_PATH",
    "combo_index",
    "equity_vs_random",
    "hand_classes_by_strength",
    "matchup",
    "matchup_matrices",
]

TABLE_PATH = Path(__file__).resolve().parents[2] / "data" / "poker" / "preflop_matchups.npz"
BOARDS = 1_712_304  # C(48, 5)
N_COMBOS = 1326

_PERMS = np.array(list(itertools.permutations(range(4))), dtype=np.int64)
COMBO_CARDS = np.array([(hi, lo) for hi in range(52) for lo in range(hi)], dtype=np.int64)


def combo_index(hi: int, lo: int) -> int:
    """Index 0..1325 of the combo of two card indices (either order)."""
    if hi < lo:
        hi, lo = lo, hi
    return hi * (hi - 1) // 2 + lo


@nb.njit(cache=True)
def _canonical(a0, a1, b0, b1, perms):
    """Smallest key of the ordered matchup (a0a1 vs b0b1) over the 24 suit relabellings."""
    best = np.int64(1) << 62
    for i in range(perms.shape[0]):
        x0 = (a0 >> 2) * 4 + perms[i, a0 & 3]
        x1 = (a1 >> 2) * 4 + perms[i, a1 & 3]
        y0 = (b0 >> 2) * 4 + perms[i, b0 & 3]
        y1 = (b1 >> 2) * 4 + perms[i, b1 & 3]
        if x0 < x1:
            x0, x1 = x1, x0
        if y0 < y1:
            y0, y1 = y1, y0
        key = ((x0 * 52 + x1) * 52 + y0) * 52 + y1
        if key < best:
            best = key
    return best


@nb.njit(cache=True)
def _all_keys(combo_cards, perms):
    """For every ordered pair of disjoint combos: the unordered class key and whether the
    pair is in the orientation of the class's representative (-1 key when they overlap)."""
    n = combo_cards.shape[0]
    keys = np.full((n, n), -1, np.int64)
    forward = np.zeros((n, n), np.bool_)
    for i in range(n):
        a0, a1 = combo_cards[i, 0], combo_cards[i, 1]
        for j in range(i + 1, n):
            b0, b1 = combo_cards[j, 0], combo_cards[j, 1]
            if a0 in (b0, b1) or a1 in (b0, b1):
                continue
            k_ab = _canonical(a0, a1, b0, b1, perms)
            k_ba = _canonical(b0, b1, a0, a1, perms)
            keys[i, j] = keys[j, i] = min(k_ab, k_ba)
            forward[i, j] = k_ab <= k_ba
            forward[j, i] = k_ba <= k_ab
    return keys, forward


def class_keys() -> np.ndarray:
    """Sorted keys of the 47,008 unordered matchup classes (for the table builder)."""
    keys, _ = _all_keys(COMBO_CARDS, _PERMS)
    return np.unique(keys[keys >= 0])


def decode_key(key: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """The representative matchup of a class key: ((hi, lo), (hi, lo)) card indices."""
    key, b1 = divmod(int(key), 52)
    key, b0 = divmod(key, 52)
    a0, a1 = divmod(key, 52)
    return (a0, a1), (b0, b1)


def _load() -> dict[str, np.ndarray]:
    try:
        with np.load(TABLE_PATH) as z:
            return {name: z[name] for name in z.files}
    except (OSError, ValueError) as exc:
        raise FileNotFoundError(
            f"the preflop table {TABLE_PATH} is missing or unreadable: "
            "run `python scripts/build_preflop_table.py`"
        ) from exc


def _matrices(keys, wins0, wins1, ties) -> tuple[np.ndarray, np.ndarray]:
    all_keys, forward = _all_keys(COMBO_CARDS, _PERMS)
    valid = all_keys >= 0
    pos = np.searchsorted(keys, np.where(valid, all_keys, keys[0]))
    if not np.array_equal(keys[pos][valid], all_keys[valid]):
        raise ValueError(f"the preflop table {TABLE_PATH} does not cover every matchup")
    wins = np.where(forward, wins0[pos], wins1[pos]).astype(np.uint32)
    tie = ties[pos].astype(np.uint32)
    wins[~valid] = 0
    tie[~valid] = 0
    wins.setflags(write=False)
    tie.setflags(write=False)
    return wins, tie


@functools.cache
def matchup_matrices() -> tuple[np.ndarray, np.ndarray]:
    """Win and tie counts of every ordered pair of combos: ``wins[i, j]`` is how many of the
    1,712,304 boards combo ``i`` wins against combo ``j``; ``ties`` likewise (both zero for
    overlapping combos). Expanded from the shipped table, about 14 MB in memory."""
    z = _load()
    return _matrices(z["keys"], z["wins0"], z["wins1"], z["ties"])


def write_table(keys, wins0, wins1, ties, path: Path = TABLE_PATH) -> None:
    """Save the class counts with the strength order of the 169 classes derived from them
    (so :func:`hand_classes_by_strength` needs no expansion), atomically."""
    names, values = _strength_from(*_matrices(keys, wins0, wins1, ties))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz")
    with os.fdopen(fd, "wb") as f:
        np.savez_compressed(
            f,
            keys=keys,
            wins0=wins0.astype(np.uint32),
            wins1=wins1.astype(np.uint32),
            ties=ties.astype(np.uint32),
            classes=np.array(names),
            class_equity=np.array(values),
        )
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def matchup(hand0: str, hand1: str) -> tuple[tuple[int, int], int]:
    """Exact preflop result of two hands from the table: ((wins0, wins1), ties) over the
    1,712,304 boards.

    >>> matchup("AsAh", "KsKh")
    ((1410336, 292660), 9308)
    """
    a = cards_to_ints(hand0)
    b = cards_to_ints(hand1)
    if len(a) != 2 or len(b) != 2:
        raise CardError(f"expected two hands of two cards, got {hand0!r} and {hand1!r}")
    if set(a) & set(b):
        raise CardError(f"the hands {hand0!r} and {hand1!r} share a card")
    wins, ties = matchup_matrices()
    i, j = combo_index(*a), combo_index(*b)
    return (int(wins[i, j]), int(wins[j, i])), int(ties[i, j])


def _class_name(hi: int, lo: int) -> str:
    rh, rl = hi >> 2, lo >> 2
    if rh < rl:
        rh, rl = rl, rh
    if rh == rl:
        return RANKS[rh] * 2
    return RANKS[rh] + RANKS[rl] + ("s" if hi & 3 == lo & 3 else "o")


def _strength_from(wins: np.ndarray, ties: np.ndarray) -> tuple[list[str], list[float]]:
    # Equity of each combo against a uniformly random hand from the other 50 cards:
    # every one of the C(50, 2) = 1225 hands is equally likely, each with BOARDS boards.
    eq = (wins.sum(axis=1, dtype=np.float64) + ties.sum(axis=1, dtype=np.float64) / 2) / (
        1225 * BOARDS
    )
    by_class: dict[str, float] = {}
    for (hi, lo), e in zip(COMBO_CARDS.tolist(), eq, strict=True):
        by_class.setdefault(_class_name(hi, lo), float(e))  # combos of a class are alike
    order = sorted(by_class, key=lambda n: (-by_class[n], n))
    return order, [by_class[n] for n in order]


@functools.cache
def _strength_order() -> tuple[tuple[str, ...], tuple[float, ...]]:
    z = _load()
    if "classes" in z:
        return tuple(str(n) for n in z["classes"]), tuple(float(e) for e in z["class_equity"])
    names, values = _strength_from(*matchup_matrices())
    return tuple(names), tuple(values)


def hand_classes_by_strength() -> list[str]:
    """The 169 starting-hand classes, strongest first by exact all-in equity against a
    random hand (from the shipped matchup table; AA 85.2%, 32o last).

    >>> order = hand_classes_by_strength()
    >>> len(order), order[0], order[-1]
    (169, 'AA', '32o')
    """
    return list(_strength_order()[0])


def equity_vs_random() -> dict[str, float]:
    """Exact all-in equity of each of the 169 classes against a random hand.

    >>> round(equity_vs_random()["AA"], 7)
    0.8520371
    """
    names, values = _strength_order()
    return dict(zip(names, values, strict=True))
