"""Poker ranges in the PokerStove/Equilab notation.

A range is a weighted set of two-card combos. The grammar, one token per comma (whitespace
is ignored around commas, ``-``, ``+`` and ``:``; ranks and suits in either case, ``10`` for
``T``):

=============  ============================================================
``QQ``         one pair class (6 combos); ``QQ+`` QQ and up; ``77-55`` a span
``AKs``        suited (4 combos); ``KQo`` offsuit (12); ``AK`` both (16)
``A2s+``       kicker plus: A2s up to AKs; ``K9o+`` K9o, KTo, KJo, KQo
``A5s-A2s``    kicker span (both ends share the first rank and the suffix)
``AhKh``       one concrete combo
``random``     any two cards (1326 combos); ``any`` is a synonym
``AKs:0.5``    a weight suffix on any token, 0 < weight <= 1 (default 1)
=============  ============================================================

When tokens overlap, the **later token wins** (``QQ+, KK:0.5`` is QQ and AA at weight 1 and
KK at 0.5), so a range can be written broad first and then corrected.

Combos that collide with dead (known) cards are removed; ``Range.text`` stays the canonical
notation of the range *as written*, so ``parse_range(r.text, r.dead)`` rebuilds ``r``.

>>> r = parse_range("qq+, ak, a5s-a2s")
>>> r.text, len(r), r.combo_count
('QQ+, AKs, A5s-A2s, AKo', 50, 50.0)
>>> len(parse_range("AKs", dead=["Ah"]))
3
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from engine.cards import RANKS, SUITS, cards_to_ints, int_to_card
from engine.errors import CardError, RangeError

__all__ = [
    "N_COMBOS",
    "Range",
    "RangeError",
    "class_names",
    "from_grid",
    "parse_range",
    "top_range",
]

N_COMBOS = 1326
_EXPECTED = "expected e.g. AKs, AKo, AK, QQ+, A5s-A2s, AhKh"


# --- combo tables --------------------------------------------------------------------------
# Every combo is a row (high card, low card) of card indices, high index first. A combo's
# class is its cell in the 13x13 grid: row/column 0 is the ace, pairs on the diagonal,
# suited above it (row = high rank), offsuit below it (row = low rank).


def _build_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    combos = np.array([(hi, lo) for hi in range(51, -1, -1) for lo in range(hi - 1, -1, -1)])
    index = np.full((52, 52), -1, dtype=np.int16)
    index[combos[:, 0], combos[:, 1]] = np.arange(N_COMBOS)
    index[combos[:, 1], combos[:, 0]] = np.arange(N_COMBOS)
    hi_rank, lo_rank = combos[:, 0] // 4, combos[:, 1] // 4
    suited = combos[:, 0] % 4 == combos[:, 1] % 4
    row = np.where(suited | (hi_rank == lo_rank), 12 - hi_rank, 12 - lo_rank)
    col = np.where(suited | (hi_rank == lo_rank), 12 - lo_rank, 12 - hi_rank)
    combos = combos.astype(np.int16)
    combos.setflags(write=False)
    index.setflags(write=False)
    cell = (row * 13 + col).astype(np.int16)
    cell.setflags(write=False)
    return combos, index, cell


COMBOS, _INDEX, _CELL = _build_tables()
_CELL_COMBOS: tuple[np.ndarray, ...] = tuple(np.flatnonzero(c == _CELL) for c in range(169))
_CELL_SIZE = np.bincount(_CELL, minlength=169)
_BY_CELL = np.argsort(_CELL, kind="stable")  # combos grouped by cell, cells in order
_CELL_START = np.concatenate(([0], np.cumsum(_CELL_SIZE)[:-1]))


def _cell(hi: int, lo: int, kind: str) -> int:
    """Grid cell of a class: ranks 0..12 (hi >= lo), kind 'p', 's' or 'o'."""
    if kind == "o":
        return (12 - lo) * 13 + (12 - hi)
    return (12 - hi) * 13 + (12 - lo)


def _cell_name(cell: int) -> str:
    row, col = divmod(cell, 13)
    hi, lo = RANKS[12 - min(row, col)], RANKS[12 - max(row, col)]
    if row == col:
        return hi + lo
    return hi + lo + ("s" if row < col else "o")


def class_names() -> list[str]:
    """The 169 starting-hand classes in grid order (row by row, ace first).

    >>> names = class_names()
    >>> len(names), names[:3], names[13], names[168]
    (169, ['AA', 'AKs', 'AQs'], 'AKo', '22')
    """
    return [_cell_name(c) for c in range(169)]


# Canonical order of classes in text and classes(): pairs, then suited, then offsuit,
# each from the highest first card and highest kicker down.
_CANONICAL_ORDER: tuple[int, ...] = (
    tuple(_cell(r, r, "p") for r in range(12, -1, -1))
    + tuple(_cell(h, k, "s") for h in range(12, 0, -1) for k in range(h - 1, -1, -1))
    + tuple(_cell(h, k, "o") for h in range(12, 0, -1) for k in range(h - 1, -1, -1))
)


# --- the Range value -----------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class Range:
    """A weighted set of two-card combos (immutable, hashable).

    ``combos``: int16 array (n, 2) of card indices, high index first in each row;
    ``weights``: float64 array (n,), each in (0, 1]; ``text``: canonical notation of the
    range as written (before dead cards were removed); ``dead``: the removed cards.
    Build one with :func:`parse_range`, :func:`from_grid` or :func:`top_range`.

    >>> r = parse_range("AK")
    >>> len(r), "AhKh" in r, "AKo" in r, "QQ" in r
    (16, True, True, False)
    """

    text: str
    combos: np.ndarray
    weights: np.ndarray
    dead: tuple[int, ...] = ()

    @classmethod
    def _from_dense(cls, dense: np.ndarray, text: str, dead: tuple[int, ...]) -> Range:
        keep = dense > 0
        if dead:
            dead_mask = np.zeros(52, dtype=bool)
            dead_mask[list(dead)] = True
            keep &= ~(dead_mask[COMBOS[:, 0]] | dead_mask[COMBOS[:, 1]])
        if not keep.any():
            cards = " ".join(int_to_card(c) for c in dead)
            raise RangeError(f"the range {text!r} has no combos left once {cards} are removed")
        combos = COMBOS[keep]
        weights = dense[keep].astype(np.float64)
        combos.setflags(write=False)
        weights.setflags(write=False)
        return cls(text, combos, weights, dead)

    def __post_init__(self) -> None:
        self.combos.setflags(write=False)
        self.weights.setflags(write=False)

    def __reduce__(self) -> tuple[type[Range], tuple[str, np.ndarray, np.ndarray, tuple[int, ...]]]:
        # Through __init__, so a range unpickled (st.cache_data, processes) is read-only too.
        return Range, (self.text, self.combos, self.weights, self.dead)

    def _dense(self) -> np.ndarray:
        dense = np.zeros(N_COMBOS)
        dense[_INDEX[self.combos[:, 0], self.combos[:, 1]]] = self.weights
        return dense

    def __len__(self) -> int:
        """Number of combos, ignoring weights."""
        return len(self.combos)

    @property
    def combo_count(self) -> float:
        """Number of combos counted by weight (``AKs:0.5`` counts 2)."""
        return float(self.weights.sum())

    @property
    def share(self) -> float:
        """Weighted share of all 1326 starting hands, 0..1 (``random`` is 1.0).

        >>> round(parse_range("QQ+").share, 5)
        0.01357
        """
        return self.combo_count / N_COMBOS

    def grid(self) -> np.ndarray:
        """13x13 float array in the Equilab layout: rows and columns A..2, pairs on the
        diagonal, suited above it, offsuit below it. A cell is the share of its class's
        combos present times their weight (mean weight over the class's combos).

        >>> g = parse_range("AKs:0.5, AKo").grid()
        >>> float(g[0, 1]), float(g[1, 0]), float(g[0, 0])
        (0.5, 1.0, 0.0)
        """
        cells = _CELL[_INDEX[self.combos[:, 0], self.combos[:, 1]]]
        sums = np.bincount(cells, weights=self.weights, minlength=169)
        counts = np.bincount(cells, minlength=169)
        top = np.zeros(169)
        low = np.full(169, np.inf)
        np.maximum.at(top, cells, self.weights)
        np.minimum.at(low, cells, self.weights)
        grid = sums / _CELL_SIZE
        # A whole class at one weight reads back that weight exactly (no rounding of a sum).
        whole = (counts == _CELL_SIZE) & (top == low)
        grid[whole] = top[whole]
        return grid.reshape(13, 13)

    def classes(self) -> Iterator[tuple[str, float]]:
        """Yield ``(class name, grid value)`` for every class with a combo in the range,
        pairs first, then suited, then offsuit, strongest first card and kicker first.

        >>> list(parse_range("KK+, AKs:0.5").classes())
        [('AA', 1.0), ('KK', 1.0), ('AKs', 0.5)]
        """
        flat = self.grid().ravel()
        for cell in _CANONICAL_ORDER:
            if flat[cell] > 0:
                yield _cell_name(cell), float(flat[cell])

    def weight_of(self, combo: str | Sequence[int]) -> float:
        """Weight of one combo (``"AhKh"`` or two card indices); 0.0 when absent.

        >>> parse_range("AKs:0.25").weight_of("KhAh")
        0.25
        """
        index = _combo_index(combo)
        hit = np.flatnonzero(_INDEX[self.combos[:, 0], self.combos[:, 1]] == index)
        return float(self.weights[hit[0]]) if len(hit) else 0.0

    def with_cells(self, cells: Iterable[tuple[int, int]], weight: float) -> Range:
        """This range with every combo of the grid cells ``(row, col)`` (the layout of
        :meth:`grid`) at ``weight``, 0 taking them out; every other combo keeps its weight,
        so a range of exact combos stays exact where it was not touched.

        >>> parse_range("AhKh, QQ").with_cells([(0, 2)], 1.0).text
        'QQ, AhKh, AQs'
        >>> parse_range("QQ+").with_cells([(1, 1)], 0).text
        'AA, QQ'
        """
        if not 0.0 <= weight <= 1.0:
            raise RangeError(f"a weight is between 0 and 1, got {weight!r}")
        dense = self._dense()
        for row, col in cells:
            if not (0 <= row < 13 and 0 <= col < 13):
                raise RangeError(f"grid cell {(row, col)!r} is outside the 13x13 grid")
            cell = 13 * row + col
            dense[np.equal(_CELL, cell)] = weight
        if not dense.any():
            raise RangeError("the range would be empty: keep at least one hand")
        return Range._from_dense(dense, _canonical_text(dense), self.dead)

    def remove_cards(self, cards: Iterable[int | str] | str) -> Range:
        """The same range with combos touching ``cards`` removed as well (e.g. a board).

        >>> len(parse_range("AA").remove_cards("As 7d"))
        3
        """
        dead = tuple(sorted(set(self.dead) | set(_dead_tuple(cards))))
        return Range._from_dense(self._dense(), self.text, dead)

    def __contains__(self, item: object) -> bool:
        """A combo (``"AhKh"``, two card indices) is in the range; a class name (``"AKs"``)
        is in it when any of its combos is."""
        if isinstance(item, str) and _CLASS_TOKEN.fullmatch(item.strip()):
            cells = _class_cells(item.strip(), item)
            present = np.zeros(169, dtype=bool)
            present[_CELL[_INDEX[self.combos[:, 0], self.combos[:, 1]]]] = True
            return bool(present[cells].any())
        index = _combo_index(item)  # type: ignore[arg-type]
        return bool((_INDEX[self.combos[:, 0], self.combos[:, 1]] == index).any())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Range):
            return NotImplemented
        return np.array_equal(self._dense(), other._dense())

    def __hash__(self) -> int:
        return hash(self._dense().tobytes())

    def __repr__(self) -> str:
        dead = f", dead={' '.join(int_to_card(c) for c in self.dead)!r}" if self.dead else ""
        return f"Range({self.text!r}{dead}, combos={len(self)})"


# --- parsing -------------------------------------------------------------------------------

_R = f"[{RANKS}]"
_CLASS_TOKEN = re.compile(f"({_R})({_R})([so]?)(\\+?)", re.IGNORECASE)
_SPAN_TOKEN = re.compile(f"({_R})({_R})([so]?)-({_R})({_R})([so]?)", re.IGNORECASE)
_COMBO_TOKEN = re.compile(f"({_R})([{SUITS}])({_R})([{SUITS}])", re.IGNORECASE)
_CARD_TOKEN = re.compile(f"{_R}[{SUITS}]", re.IGNORECASE)
_RANDOM_WORDS = {"random", "any"}


def _rank(ch: str) -> int:
    return RANKS.index(ch.upper())


def _class_cells(hand: str, token: str) -> list[int]:
    """Cells of a class token ``AK``, ``AKs``, ``QQ+``, ``A2s+`` (hand without weight)."""
    m = _CLASS_TOKEN.fullmatch(hand)
    assert m is not None
    a, b = _rank(m[1]), _rank(m[2])
    hi, lo = max(a, b), min(a, b)
    kind, plus = m[3].lower(), bool(m[4])
    if hi == lo:
        if kind:
            raise RangeError(
                f"{token!r} is not a valid hand class: a pair cannot be suited or offsuit, "
                f"write {RANKS[hi] * 2}"
            )
        return [_cell(r, r, "p") for r in range(hi, 13 if plus else hi + 1)]
    kickers = range(lo, hi if plus else lo + 1)
    kinds = [kind] if kind else ["s", "o"]
    return [_cell(hi, k, s) for s in kinds for k in kickers]


def _span_cells(hand: str, token: str) -> list[int]:
    """Cells of a span ``77-55`` or ``A5s-A2s`` (either end first)."""
    m = _SPAN_TOKEN.fullmatch(hand)
    assert m is not None
    a1, b1, a2, b2 = (_rank(m[i]) for i in (1, 2, 4, 5))
    kind1, kind2 = m[3].lower(), m[6].lower()
    if a1 == b1 or a2 == b2:
        if not (a1 == b1 and a2 == b2) or kind1 or kind2:
            raise RangeError(
                f"{token!r} is not a valid span: a span of pairs joins two pairs (e.g. 77-55)"
            )
        lo, hi = sorted((a1, a2))
        return [_cell(r, r, "p") for r in range(lo, hi + 1)]
    (h1, k1), (h2, k2) = sorted((a1, b1), reverse=True), sorted((a2, b2), reverse=True)
    if h1 != h2 or kind1 != kind2:
        raise RangeError(
            f"{token!r} is not a valid span: both ends must share the first card and the "
            f"suffix, e.g. A5s-A2s or KQo-K9o"
        )
    lo, hi = sorted((k1, k2))
    kinds = [kind1] if kind1 else ["s", "o"]
    return [_cell(h1, k, s) for s in kinds for k in range(lo, hi + 1)]


def _parse_weight(text: str, token: str) -> float:
    try:
        weight = float(text)
    except ValueError:
        weight = math.nan
    if not (0.0 < weight <= 1.0):  # also rejects nan
        raise RangeError(
            f"{token!r} has a bad weight {text!r}: expected a number greater than 0 and at "
            f"most 1, e.g. AKs:0.5"
        )
    return weight


def _token_combos(hand: str, token: str) -> np.ndarray:
    """Combo indices of one token without its weight."""
    if hand.lower() in _RANDOM_WORDS:
        return np.arange(N_COMBOS)
    if m := _COMBO_TOKEN.fullmatch(hand):
        c1, c2 = (
            _rank(m[1]) * 4 + SUITS.index(m[2].lower()),
            _rank(m[3]) * 4 + SUITS.index(m[4].lower()),
        )
        if c1 == c2:
            raise RangeError(f"{token!r} is not a valid combo: the same card twice")
        return np.array([_INDEX[c1, c2]])
    if _CLASS_TOKEN.fullmatch(hand):
        cells = _class_cells(hand, token)
    elif _SPAN_TOKEN.fullmatch(hand):
        cells = _span_cells(hand, token)
    else:
        raise RangeError(f"{token!r} is not a valid hand class: {_EXPECTED}")
    return np.concatenate([_CELL_COMBOS[c] for c in cells])


_AROUND_OPERATORS = re.compile(r"\s*([-:])\s*|\s*(\+)")
_TOKEN_SEPARATORS = re.compile(r"[\s,;]+")


def _join_split_combos(tokens: list[str]) -> list[str]:
    """Join a combo written as two cards apart (``Ah Kh``, ``Ah Kh:0.5``) into one token."""
    out: list[str] = []
    for token in tokens:
        card = _CARD_TOKEN.fullmatch(token.partition(":")[0])
        if card and out and _CARD_TOKEN.fullmatch(out[-1]):
            out[-1] += token
            continue
        out.append(token)
    return out


def _parse_dense(text: str) -> np.ndarray:
    if not isinstance(text, str):
        raise RangeError(f"expected a range as text such as 'QQ+, AKs', got {type(text).__name__}")
    tokens = _join_split_combos(
        [t for t in _TOKEN_SEPARATORS.split(_AROUND_OPERATORS.sub(r"\1\2", text)) if t]
    )
    if not tokens:
        raise RangeError(f"the range {text!r} is empty: expected hands such as 'QQ+, AKs'")
    dense = np.zeros(N_COMBOS)
    for token in tokens:
        hand, sep, weight_text = token.partition(":")
        weight = _parse_weight(weight_text, token) if sep else 1.0
        dense[_token_combos(hand.replace("10", "T"), token)] = weight
    return dense


def _dead_tuple(dead: Iterable[int | str] | str) -> tuple[int, ...]:
    if isinstance(dead, str):
        return tuple(sorted(set(cards_to_ints(dead, allow_duplicates=True))))
    out: set[int] = set()
    for card in dead:
        if isinstance(card, str):
            out.update(cards_to_ints(card, allow_duplicates=True))
        else:
            index = int(card)
            if not 0 <= index < 52:
                raise CardError(f"card index {card!r} is out of range 0..51")
            out.add(index)
    return tuple(sorted(out))


def _combo_index(combo: str | Sequence[int]) -> int:
    cards = cards_to_ints(combo) if isinstance(combo, str) else [int(c) for c in combo]
    if len(cards) != 2 or cards[0] == cards[1] or not all(0 <= c < 52 for c in cards):
        raise CardError(f"expected one combo of two different cards such as 'AhKh', got {combo!r}")
    return int(_INDEX[cards[0], cards[1]])


@functools.lru_cache(maxsize=1024)
def _parse_cached(text: str, dead: tuple[int, ...]) -> Range:
    dense = _parse_dense(text)
    return Range._from_dense(dense, _canonical_text(dense), dead)


def parse_range(text: str, dead: Iterable[int | str] | str = ()) -> Range:
    """Parse a range in PokerStove/Equilab notation, removing combos that touch ``dead``.

    ``dead``: card indices 0..51 or card strings (``"Ah Kd"``). Raises ``RangeError``
    quoting the bad token, or when nothing is left. Results are cached (they are immutable).

    >>> parse_range("77-55, A5s-A2s, KQo").text
    '77-55, A5s-A2s, KQo'
    >>> parse_range("AKx")
    Traceback (most recent call last):
    ...
    engine.errors.RangeError: 'AKx' is not a valid hand class: expected e.g. AKs, AKo, AK, QQ+, A5s-A2s, AhKh
    """  # noqa: E501
    return _parse_cached(text, _dead_tuple(dead))


def from_grid(
    grid: np.ndarray | Sequence[Sequence[float]], dead: Iterable[int | str] | str = ()
) -> Range:
    """The range whose classes have the weights in a 13x13 grid (the layout of
    :meth:`Range.grid`): each non-zero cell is the whole class at that weight.

    >>> g = np.zeros((13, 13)); g[:3, :3] = np.eye(3); g[0, 1] = 0.5
    >>> from_grid(g).text
    'QQ+, AKs:0.5'
    """
    values = np.asarray(grid, dtype=np.float64)
    if values.shape != (13, 13):
        raise RangeError(f"a range grid must be 13x13, got shape {values.shape}")
    if not np.isfinite(values).all() or (values < 0).any() or (values > 1).any():
        raise RangeError("a range grid holds weights between 0 and 1")
    flat = values.ravel()
    dense = flat[_CELL]
    if not dense.any():
        raise RangeError("the range grid is empty: select at least one hand")
    return Range._from_dense(dense, _canonical_text(dense), _dead_tuple(dead))


def top_range(percent: float, dead: Iterable[int | str] | str = ()) -> Range:
    """The strongest ``percent`` % of starting hands, taking whole classes in the order of
    :func:`engine.poker.preflop.hand_classes_by_strength` (exact all-in equity against a
    random hand). The cut is the prefix of classes whose combo count is nearest to the
    target (at least one class; ties go to the larger range).

    >>> r = top_range(5)
    >>> r.text, len(r), round(r.share, 4)
    ('77+, AJs+, AKo', 72, 0.0543)
    """
    try:
        share = float(percent)
    except (TypeError, ValueError):
        share = math.nan
    if not 0 < share <= 100:
        raise RangeError(f"top range percent must be above 0 and at most 100, got {percent!r}")
    from engine.poker.preflop import hand_classes_by_strength  # heavy table, load on use

    order = [_class_cells(name, name)[0] for name in hand_classes_by_strength()]
    if sorted(order) != list(range(169)):
        raise RangeError("hand_classes_by_strength() must name each of the 169 classes once")
    cumulative = np.cumsum(_CELL_SIZE[order])
    target = share / 100 * N_COMBOS
    n = min(int(np.searchsorted(cumulative, target)), 168)  # first prefix reaching it
    if n > 0 and target - cumulative[n - 1] < cumulative[n] - target:
        n -= 1
    dense = np.zeros(N_COMBOS)
    for cell in order[: n + 1]:
        dense[_CELL_COMBOS[cell]] = 1.0
    return Range._from_dense(dense, _canonical_text(dense), _dead_tuple(dead))


# --- canonical text ------------------------------------------------------------------------


def _weight_suffix(weight: float) -> str:
    return "" if weight == 1.0 else f":{float(weight)!r}"


def _combo_text(index: int) -> str:
    hi, lo = (int(c) for c in COMBOS[index])
    if hi // 4 == lo // 4:  # a pair: suits in the order s h d c
        hi, lo = lo, hi
    return int_to_card(hi) + int_to_card(lo)


def _combo_text_order(index: int) -> tuple[int, int]:
    """Sort key of the combos of one class as written: suits in the order s h d c."""
    text = _combo_text(index)
    return SUITS.index(text[1]), SUITS.index(text[3])


def _canonical_text(dense: np.ndarray) -> str:
    """Compact notation of a dense weight vector: ``QQ+, AKs, A5s-A2s``."""
    # Weight of each class when it is whole at one weight, nan when partial, 0 when absent.
    grouped = dense[_BY_CELL]
    low = np.minimum.reduceat(grouped, _CELL_START)
    whole = np.where(low == np.maximum.reduceat(grouped, _CELL_START), low, np.nan)
    if (whole == whole[0]).all() and whole[0] > 0:
        return "random" + _weight_suffix(whole[0])

    parts: list[str] = []

    def emit(run: list[int], top: bool) -> None:
        """A run of whole classes at one weight, strongest first; top: it starts at the top."""
        first, last = _cell_name(run[0]), _cell_name(run[-1])
        suffix = _weight_suffix(whole[run[0]])
        if len(run) == 1:
            parts.append(first + suffix)
        elif top:
            parts.append(last + "+" + suffix)
        else:
            parts.append(f"{first}-{last}{suffix}")

    def walk(cells: list[int]) -> None:
        run: list[int] = []
        run_top = False
        for i, cell in enumerate(cells):
            w = whole[cell]
            if run and w != whole[run[0]]:
                emit(run, run_top)
                run = []
            if w > 0:  # whole class (nan compares False)
                if not run:
                    run_top = i == 0
                run.append(cell)
            elif np.isnan(w):
                parts.extend(
                    _combo_text(i) + _weight_suffix(dense[i])
                    for i in sorted(_CELL_COMBOS[cell], key=_combo_text_order)
                    if dense[i] > 0
                )
        if run:
            emit(run, run_top)

    walk([_cell(r, r, "p") for r in range(12, -1, -1)])
    for kind in "so":
        for hi in range(12, 0, -1):
            walk([_cell(hi, k, kind) for k in range(hi - 1, -1, -1)])
    return ", ".join(parts)
