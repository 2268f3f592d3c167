"""Texas Hold'em hand evaluator: 5, 6 or 7 cards to one integer, higher is better.

A hand's value is its rank among the 7,462 distinct five-card hands, ``1`` (7-5-4-3-2
offsuit) to ``7462`` (a royal flush); a six- or seven-card hand is worth its best five.
Equal hands get equal values, so comparing values decides showdowns, ties included.

How: every card carries an additive rank key (the rank keys of SKPokerEval, chosen so that
the sums of any 5, 6 or 7 ranks are distinct) and an additive suit counter (four 4-bit
fields). If no suit reaches five cards the hand is a function of its rank multiset alone,
found by a perfect hash of the rank-key sum into a small table per hand size (49,205 rank
multisets for seven cards); otherwise the flush suit's 13-bit rank mask indexes an
8,192-entry flush table. The tables are built from a direct definition of the hand
categories (no third-party tables) and shipped in ``data/poker/evaluator_tables.npz``;
the inner functions are compiled with numba so the equity loops can inline them.

>>> evaluate("AsKsQsJsTs"), evaluate("7h5d4c3s2h")
(7462, 1)
>>> category_name(evaluate("Ah Ad Kc Ks 2d 7h 9c"))
'two pair'
>>> evaluate("AhKh QhJh Th 2c 3d") == evaluate(["As", "Ks", "Qs", "Js", "Ts"])
True
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import numba as nb
import numpy as np

from engine.cards import cards_to_ints, int_to_card
from engine.errors import CardError

__all__ = [
    "CATEGORIES",
    "category",
    "category_name",
    "evaluate",
    "evaluate_batch",
]

CATEGORIES: tuple[str, ...] = (
    "high card",
    "pair",
    "two pair",
    "three of a kind",
    "straight",
    "flush",
    "full house",
    "four of a kind",
    "straight flush",
)
_HIGH, _PAIR, _TWO_PAIR, _TRIPS, _STRAIGHT, _FLUSH, _FULL_HOUSE, _QUADS, _STRAIGHT_FLUSH = range(9)

# Rank keys whose sums over any multiset of 5, 6 or 7 ranks (at most four of each) are
# distinct within each hand size (SKPokerEval, Kennedy 2010). Each size has its own
# displacement hash: slot = offsets[key >> 9] + (key & 511), about 90k slots for 7 cards.
RANK_KEYS = np.array(
    [0, 1, 5, 22, 98, 453, 2031, 8698, 22854, 83661, 262349, 636345, 1479181], dtype=np.int64
)
BUCKET_BITS = 9
_LOW_MASK = (1 << BUCKET_BITS) - 1


def _straight_high(mask: int) -> int:
    """Highest rank of a five-card run in a 13-bit rank mask (3 for the wheel), or -1."""
    for high in range(12, 3, -1):
        run = 0b11111 << (high - 4)
        if mask & run == run:
            return high
    if mask & 0b1000000001111 == 0b1000000001111:
        return 3
    return -1


def _pack(cat: int, ranks: Sequence[int]) -> int:
    score = cat
    for i in range(5):
        score = (score << 4) | (ranks[i] if i < len(ranks) else 0)
    return score


def _rank_score(counts: Sequence[int]) -> int:
    """Comparable score of the best five cards of a rank multiset with no flush."""
    desc = [r for r in range(12, -1, -1) if counts[r]]
    quads = [r for r in desc if counts[r] == 4]
    trips = [r for r in desc if counts[r] == 3]
    pairs = [r for r in desc if counts[r] == 2]
    if quads:
        q = quads[0]
        return _pack(_QUADS, [q, next(r for r in desc if r != q)])
    if trips and (len(trips) >= 2 or pairs):
        t = trips[0]
        return _pack(_FULL_HOUSE, [t, max(trips[1:] + pairs)])
    mask = sum(1 << r for r in desc)
    high = _straight_high(mask)
    if high >= 0:
        return _pack(_STRAIGHT, [high])
    if trips:
        t = trips[0]
        return _pack(_TRIPS, [t, *[r for r in desc if r != t][:2]])
    if len(pairs) >= 2:
        p1, p2 = pairs[:2]
        return _pack(_TWO_PAIR, [p1, p2, next(r for r in desc if r not in (p1, p2))])
    if pairs:
        p = pairs[0]
        return _pack(_PAIR, [p, *[r for r in desc if r != p][:3]])
    return _pack(_HIGH, desc[:5])


def _flush_score(mask: int) -> int:
    high = _straight_high(mask)
    if high >= 0:
        return _pack(_STRAIGHT_FLUSH, [high])
    return _pack(_FLUSH, [r for r in range(12, -1, -1) if mask >> r & 1][:5])


@nb.njit(cache=True)
def _displace(buckets: np.ndarray, lows: np.ndarray, n_buckets: int, width: int) -> np.ndarray:
    """First-fit displacement: offsets such that offset[bucket] + low never collide."""
    order = np.argsort(buckets, kind="mergesort")
    starts = np.zeros(n_buckets + 1, np.int64)
    for b in buckets:
        starts[b + 1] += 1
    for b in range(n_buckets):
        starts[b + 1] += starts[b]
    sizes = starts[1:] - starts[:-1]
    by_size = np.argsort(-sizes, kind="mergesort")
    used = np.zeros(len(buckets) * 4 + width, np.bool_)
    offsets = np.zeros(n_buckets, np.int64)
    first_free = 0
    for b in by_size:
        if sizes[b] == 0:
            break
        members = lows[order[starts[b] : starts[b + 1]]]
        while used[first_free]:
            first_free += 1
        off = max(0, first_free - members.min())
        while True:
            ok = True
            for low in members:
                if used[off + low]:
                    ok = False
                    break
            if ok:
                break
            off += 1
        for low in members:
            used[off + low] = True
        offsets[b] = off
    return offsets


def _build_tables() -> dict[str, np.ndarray]:
    """Hash offsets and value tables for 5, 6 and 7 cards, the flush table and the
    category of each value, computed from the definition of the hand categories."""
    flush_scores = {m: _flush_score(m) for m in range(1 << 13) if m.bit_count() >= 5}
    by_size: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for n in (5, 6, 7):
        keys: list[int] = []
        scores: list[int] = []
        for ms in itertools.combinations_with_replacement(range(13), n):
            counts = [0] * 13
            for r in ms:
                counts[r] += 1
            if max(counts) > 4:
                continue
            keys.append(int(RANK_KEYS[list(ms)].sum()))
            scores.append(_rank_score(counts))
        by_size[n] = np.array(keys, np.int64), np.array(scores, np.int64)
    five_scores = {s for m, s in flush_scores.items() if m.bit_count() == 5}
    five = sorted(five_scores | set(by_size[5][1].tolist()))
    assert len(five) == 7462
    score_arr = np.array(five, dtype=np.int64)
    tables: dict[str, np.ndarray] = {}
    for n, (keys, scores) in by_size.items():
        buckets = keys >> BUCKET_BITS
        lows = keys & _LOW_MASK
        offsets = _displace(buckets, lows, int(buckets.max()) + 1, 1 << BUCKET_BITS)
        slots = offsets[buckets] + lows
        assert len(np.unique(slots)) == len(slots)
        table = np.zeros(int(slots.max()) + 1, np.uint16)
        table[slots] = np.searchsorted(score_arr, scores) + 1
        tables[f"offsets{n}"] = offsets.astype(np.int32)
        tables[f"rank{n}"] = table
    flush_table = np.zeros(1 << 13, np.uint16)
    for m, s in flush_scores.items():
        flush_table[m] = np.searchsorted(score_arr, s) + 1
    tables["flush"] = flush_table
    category_of = np.zeros(7463, np.int8)
    category_of[1:] = score_arr >> 20
    tables["category_of"] = category_of
    return tables


TABLES_PATH = Path(__file__).resolve().parents[2] / "data" / "poker" / "evaluator_tables.npz"
_TABLE_NAMES = (
    "offsets5",
    "rank5",
    "offsets6",
    "rank6",
    "offsets7",
    "rank7",
    "flush",
    "category_of",
)


def _load_tables() -> dict[str, np.ndarray]:
    """The shipped tables (``data/poker/evaluator_tables.npz``), rebuilt if missing.

    ``python -m engine.poker.evaluator`` rebuilds and rewrites them; a test checks that the
    shipped file equals a fresh build.
    """
    try:
        with np.load(TABLES_PATH) as z:
            return {name: z[name] for name in _TABLE_NAMES}
    except (OSError, KeyError, ValueError):
        return _build_tables()


def save_tables(path: Path = TABLES_PATH) -> None:
    """Build the tables from their definition and write them (atomically) to ``path``."""
    tables = _build_tables()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz")
    with os.fdopen(fd, "wb") as f:
        np.savez_compressed(f, **tables)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


_TABLES = _load_tables()
RANK_TABLES = {n: (_TABLES[f"offsets{n}"], _TABLES[f"rank{n}"]) for n in (5, 6, 7)}
OFFSETS, RANK_TABLE = RANK_TABLES[7]  # the seven-card hash, used by the equity loops
FLUSH_TABLE = _TABLES["flush"]
CATEGORY_OF = _TABLES["category_of"]
CARD_RANK_KEY = np.repeat(RANK_KEYS, 4)  # rank key of each card index
CARD_SUIT_KEY = np.array([1 << (4 * (c & 3)) for c in range(52)], np.int64)
CARD_BIT = np.array([1 << (c >> 2) for c in range(52)], np.int64)


@nb.njit(cache=True, inline="always")
def rank_lookup(key: int, offsets: np.ndarray, rank_table: np.ndarray) -> int:
    """Value of a no-flush hand from its rank-key sum (tables of its hand size)."""
    return rank_table[offsets[key >> 9] + (key & 511)]


@nb.njit(cache=True, inline="always")
def flush_suit(suit_key: int) -> int:
    """Suit holding five or more of the cards counted in ``suit_key``, or -1."""
    f = (suit_key + 0x3333) & 0x8888
    if f == 0:
        return -1
    if f & 0x8:
        return 0
    if f & 0x80:
        return 1
    if f & 0x800:
        return 2
    return 3


@nb.njit(cache=True)
def _evaluate_rows(cards: np.ndarray, offsets, rank_table, flush_table, rk, sk, bit) -> np.ndarray:
    n, k = cards.shape
    out = np.empty(n, np.uint16)
    for i in range(n):
        key = 0
        suits = 0
        for j in range(k):
            c = cards[i, j]
            key += rk[c]
            suits += sk[c]
        s = flush_suit(suits)
        if s < 0:
            out[i] = rank_lookup(key, offsets, rank_table)
        else:
            mask = 0
            for j in range(k):
                c = cards[i, j]
                if c & 3 == s:
                    mask |= bit[c]
            out[i] = flush_table[mask]
    return out


def evaluate_batch(cards: np.ndarray) -> np.ndarray:
    """Values of many hands at once: an integer array (n, k) of card indices, k in 5..7.

    Cards must be valid indices 0..51 and distinct within a row (not checked, for speed).

    >>> evaluate_batch(np.array([[48, 44, 40, 36, 32], [0, 1, 2, 3, 4]])).tolist()
    [7462, 7297]
    """
    arr = np.ascontiguousarray(cards)
    if arr.ndim != 2 or not 5 <= arr.shape[1] <= 7:
        raise CardError(f"expected an array of shape (n, 5..7), got shape {arr.shape}")
    if arr.size and (arr.min() < 0 or arr.max() > 51):
        raise CardError("card indices must be in 0..51")
    offsets, rank_table = RANK_TABLES[arr.shape[1]]
    return _evaluate_rows(
        arr.astype(np.int64, copy=False),
        offsets,
        rank_table,
        FLUSH_TABLE,
        CARD_RANK_KEY,
        CARD_SUIT_KEY,
        CARD_BIT,
    )


def _as_ints(cards: str | Iterable[int | str]) -> list[int]:
    if isinstance(cards, str):
        return cards_to_ints(cards)
    items = list(cards)
    if all(isinstance(c, int | np.integer) for c in items):
        ints = [int(c) for c in items]
        for c in ints:
            int_to_card(c)  # range check with a clear message
        if len(set(ints)) != len(ints):
            raise CardError(f"duplicate card in {[int_to_card(c) for c in ints]}")
        return ints
    return cards_to_ints([str(c) for c in items])


def evaluate(cards: str | Iterable[int | str]) -> int:
    """Value of the best five-card hand among 5, 6 or 7 cards; higher is better.

    ``cards`` is text (``"AhKd 7c7s2d"``), card strings or card indices 0..51.

    >>> evaluate("Ah Kh Qh Jh Th 2c 2d")
    7462
    >>> evaluate([0, 1, 2, 3, 4]) > evaluate("As Ad Ac Kd Kc")
    True
    """
    ints = _as_ints(cards)
    if not 5 <= len(ints) <= 7:
        raise CardError(f"a hand to evaluate has 5 to 7 cards, got {len(ints)}")
    suits = sum(int(CARD_SUIT_KEY[c]) for c in ints)
    f = (suits + 0x3333) & 0x8888
    if f:
        s = (f.bit_length() - 4) // 4
        mask = sum(1 << (c >> 2) for c in ints if c & 3 == s)
        return int(FLUSH_TABLE[mask])
    key = sum(int(CARD_RANK_KEY[c]) for c in ints)
    offsets, rank_table = RANK_TABLES[len(ints)]
    return int(rank_table[offsets[key >> BUCKET_BITS] + (key & _LOW_MASK)])


def category(value: int) -> int:
    """Category of a hand value, 0 (high card) to 8 (straight flush); see ``CATEGORIES``.

    >>> category(7462), category(1)
    (8, 0)
    """
    if not 1 <= value <= 7462:
        raise ValueError(f"hand value {value!r} is outside 1..7462")
    return int(CATEGORY_OF[value])


def category_name(value: int) -> str:
    """Name of a hand value's category, e.g. ``'two pair'``.

    >>> category_name(evaluate("9s9h9d4c4h"))
    'full house'
    """
    return CATEGORIES[category(value)]


if __name__ == "__main__":
    save_tables()
    print(f"wrote {TABLES_PATH}")
