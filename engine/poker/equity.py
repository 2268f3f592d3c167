"""All-in equity of 2 to 9 hands or ranges: exact whenever affordable, else Monte Carlo.

Exact results count every runout for every deal of the players' combos that shares no
card; a preflop heads-up spot (hand or range on either side, no board, no dead cards) is
read from the shipped matchup table of :mod:`engine.poker.preflop` and is exact at once.
Monte Carlo samples one combo per player by weight, rejects deals in which two players
share a card (so card removal is exact and no combo order is favoured), then deals the
board uniformly from the unseen cards; ``stderr`` is then each equity's standard error.

>>> r = equity(["AhKh", "QsQd"])
>>> r.exact, r.samples, [round(e, 4) for e in r.equity]
(True, 1712304, [0.4621, 0.5379])
>>> r = equity(["8h7h", "AcAd"], board="9h6h2c")
>>> r.win[0] * r.samples, r.exact
(557.0, True)
>>> r = equity(["AsKs", "random"], board="Kh7d2c", exact=False, trials=20_000, seed=1)
>>> r.exact, r.samples, round(r.equity[0], 1)
(False, 20000, 0.9)
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import numba as nb
import numpy as np

from engine.cards import cards_to_ints, int_to_card, parse_cards
from engine.errors import CardError, RangeError
from engine.poker import _kernels as K
from engine.poker.ranges import Range, parse_range

__all__ = ["EquityResult", "equity"]

MAX_PLAYERS = 9
# Exact enumeration is chosen (exact=None) when it costs at most this many combo
# evaluations plus tuple comparisons: about a quarter of a second.
EXACT_BUDGET = 60_000_000
# Beyond this many deals of combos we never build the tuple list (even with exact=True).
MAX_TUPLES = 3_000_000
# exact=True is refused beyond this cost (minutes of work): Monte Carlo is the answer there.
EXACT_LIMIT = 20_000_000_000


@dataclass(frozen=True)
class EquityResult:
    """Equity of each player, in the order given.

    ``equity[i] = win[i] + (i's share of split pots)``; ``tie[i]`` is the chance of
    splitting the pot. ``exact``: computed by full enumeration; ``samples``: the number
    of outcomes counted (deals x runouts when exact, trials otherwise); ``stderr``: the
    standard error of each equity for Monte Carlo, ``None`` when exact.
    """

    equity: tuple[float, ...]
    win: tuple[float, ...]
    tie: tuple[float, ...]
    exact: bool
    samples: int
    stderr: tuple[float, ...] | None

    def to_dict(self) -> dict[str, object]:
        """JSON-able form (lists for tuples)."""
        return {
            "equity": list(self.equity),
            "win": list(self.win),
            "tie": list(self.tie),
            "exact": self.exact,
            "samples": self.samples,
            "stderr": None if self.stderr is None else list(self.stderr),
        }


@dataclass(frozen=True)
class _Spot:
    combos: np.ndarray  # (m, 2) int64, all players' combos
    cmask: np.ndarray  # (m,) int64 card masks
    weights: np.ndarray  # (m,) float64
    starts: np.ndarray  # (P + 1,) int64
    board: np.ndarray  # int64 cards
    deck: np.ndarray  # cards a runout may use
    dead: tuple[int, ...]


def _names(cards: Sequence[int]) -> str:
    return " ".join(int_to_card(c) for c in cards)


def _concrete(text: str) -> list[int] | None:
    """Cards of a player written as concrete cards, or None when it is a range."""
    try:
        cards = parse_cards(text, allow_duplicates=True)
    except CardError:
        return None
    if len(cards) != 2:
        raise CardError(
            f"a hand has two cards, {text!r} has {len(cards)} "
            "(write a range such as 'AK' or 'QQ+' for several hands)"
        )
    if cards[0] == cards[1]:
        raise CardError(f"the hand {text!r} repeats the card {cards[0]}")
    return cards_to_ints(cards)


def _prepare(players: Sequence[str | Range], board: str, dead: str) -> _Spot:
    if isinstance(players, str) or not isinstance(players, Sequence):
        raise CardError("players must be a list of hands or ranges, e.g. ['AhKh', 'QQ+']")
    if not 2 <= len(players) <= MAX_PLAYERS:
        raise CardError(f"equity needs 2 to {MAX_PLAYERS} players, got {len(players)}")
    board_cards = cards_to_ints(board)
    if len(board_cards) > 5:
        raise CardError(f"a board has at most 5 cards, {board!r} has {len(board_cards)}")
    dead_cards = cards_to_ints(dead)
    seen: dict[int, str] = {c: "the board" for c in board_cards}

    def claim(cards: Sequence[int], where: str) -> None:
        for c in cards:
            if c in seen:
                raise CardError(f"the card {int_to_card(c)} is both in {seen[c]} and in {where}")
            seen[c] = where

    claim(dead_cards, "the dead cards")
    concrete: list[list[int] | None] = []
    for i, p in enumerate(players):
        if isinstance(p, Range):
            concrete.append(None)
            continue
        if not isinstance(p, str):
            raise CardError(f"player {i + 1} must be a hand or range as text, got {p!r}")
        cards = _concrete(p)
        if cards is not None:
            claim(cards, f"player {i + 1}'s hand {p.strip()!r}")
        concrete.append(cards)
    known = tuple(sorted(seen))
    combos: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    for i, (p, cards) in enumerate(zip(players, concrete, strict=True)):
        if cards is not None:
            combos.append(np.array([sorted(cards, reverse=True)], np.int64))
            weights.append(np.ones(1))
            continue
        try:
            r = p.remove_cards(known) if isinstance(p, Range) else parse_range(p, dead=known)
        except RangeError as exc:
            raise RangeError(f"player {i + 1}: {exc}") from None
        combos.append(np.asarray(r.combos, np.int64))
        weights.append(np.asarray(r.weights, np.float64))
    allc = np.concatenate(combos)
    starts = np.zeros(len(players) + 1, np.int64)
    starts[1:] = np.cumsum([len(c) for c in combos])
    cmask = (np.int64(1) << allc[:, 0]) | (np.int64(1) << allc[:, 1])
    used = set(seen)
    deck = np.array([c for c in range(52) if c not in used], np.int64)
    return _Spot(
        allc,
        cmask,
        np.concatenate(weights),
        starts,
        np.array(board_cards, np.int64),
        deck,
        tuple(dead_cards),
    )


@nb.njit(cache=True)
def _disjoint_tuples(cmask, weights, starts, limit):
    """Every deal of one combo per player with no shared card, and its weight (product of
    the combos' weights); at most ``limit`` (a count above it means "too many")."""
    n_players = starts.shape[0] - 1
    out = np.empty((min(limit, 1 << 16), n_players), np.int64)
    w = np.empty(out.shape[0])
    count = 0
    idx = starts[:-1].copy()
    used = np.zeros(n_players + 1, np.int64)
    level = 0
    while level >= 0:
        if idx[level] >= starts[level + 1]:
            idx[level] = starts[level]
            level -= 1
            if level >= 0:
                idx[level] += 1
            continue
        c = idx[level]
        if cmask[c] & used[level]:
            idx[level] += 1
            continue
        used[level + 1] = used[level] | cmask[c]
        if level + 1 < n_players:
            level += 1
            continue
        if count >= limit:
            return out[:0], w[:0], count + 1
        if count == out.shape[0]:
            bigger = np.empty((min(limit, 2 * count), n_players), np.int64)
            bigger[:count] = out
            out = bigger
            wb = np.empty(bigger.shape[0])
            wb[:count] = w
            w = wb
        prod = 1.0
        for p in range(n_players):
            out[count, p] = idx[p]
            prod *= weights[idx[p]]
        w[count] = prod
        count += 1
        idx[level] += 1
    return out[:count], w[:count], count


def _result(win, tie, share, total, samples, exact, stderr=None) -> EquityResult:
    win = np.asarray(win) / total
    tie = np.asarray(tie) / total
    eq = win + np.asarray(share) / total
    return EquityResult(
        tuple(float(x) for x in eq),
        tuple(float(x) for x in win),
        tuple(float(x) for x in tie),
        exact,
        int(samples),
        None if stderr is None else tuple(float(x) for x in stderr),
    )


def _preflop_table(spot: _Spot) -> EquityResult | None:
    from engine.poker import preflop

    try:
        wins, ties = preflop.matchup_matrices()
    except FileNotFoundError:
        return None
    a = slice(spot.starts[0], spot.starts[1])
    b = slice(spot.starts[1], spot.starts[2])
    ca, cb = spot.combos[a], spot.combos[b]
    ia = ca[:, 0] * (ca[:, 0] - 1) // 2 + ca[:, 1]
    ib = cb[:, 0] * (cb[:, 0] - 1) // 2 + cb[:, 1]
    valid = (spot.cmask[a][:, None] & spot.cmask[b][None, :]) == 0
    pair_w = spot.weights[a][:, None] * spot.weights[b][None, :] * valid
    total = float(pair_w.sum())
    if total == 0:
        raise RangeError("the two ranges cannot be dealt together: every pair shares a card")
    w0 = float((pair_w * wins[np.ix_(ia, ib)]).sum())
    w1 = float((pair_w * wins[np.ix_(ib, ia)].T).sum())
    t = float((pair_w * ties[np.ix_(ia, ib)]).sum())
    n_pairs = int(valid.sum())
    return _result(
        [w0, w1], [t, t], [t / 2, t / 2], total * preflop.BOARDS, n_pairs * preflop.BOARDS, True
    )


def _exact_cost(spot: _Spot) -> tuple[int, float]:
    """(runouts, upper bound on the number of combo deals)."""
    runouts = math.comb(len(spot.deck), 5 - len(spot.board))
    deals = float(np.prod(np.diff(spot.starts).astype(np.float64)))
    return runouts, deals


def _exact(spot: _Spot) -> EquityResult:
    n_players = len(spot.starts) - 1
    tuples, tweights, count = _disjoint_tuples(spot.cmask, spot.weights, spot.starts, MAX_TUPLES)
    if count > MAX_TUPLES:
        raise RangeError(
            f"exact enumeration would need more than {MAX_TUPLES:,} deals of the ranges; "
            "use Monte Carlo (exact=False) or narrower ranges"
        )
    if count == 0:
        raise RangeError("the ranges cannot be dealt together: every deal shares a card")
    if n_players == 2 and len(spot.board) == 0 and count == 1:
        h0 = spot.combos[tuples[0, 0]]
        h1 = spot.combos[tuples[0, 1]]
        deck = np.array([c for c in spot.deck if c not in set(h0) | set(h1)], np.int64)
        w0, w1, t = K.heads_up_preflop(h0, h1, deck, *K.TABLES)
        return _result([w0, w1], [t, t], [t / 2, t / 2], w0 + w1 + t, w0 + w1 + t, True)
    win, tie, share, total, outcomes = K.enumerate_exact(
        spot.combos,
        spot.cmask,
        spot.starts,
        tuples,
        tweights,
        spot.board,
        spot.deck,
        *K.TABLES,
    )
    if outcomes == 0:
        raise RangeError("the ranges cannot be dealt together with any runout")
    return _result(win, tie, share, total, outcomes, True)


def _seed_state(seed: int | None) -> int:
    """A non-zero 64-bit xorshift state from a seed (splitmix64), random when None."""
    if seed is None:
        return secrets.randbits(64) | 1
    z = (int(seed) + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return (z ^ (z >> 31)) or 1


def _monte_carlo(spot: _Spot, trials: int, seed: int | None) -> EquityResult:
    n_players = len(spot.starts) - 1
    if len(spot.combos) == n_players:  # concrete hands only: nothing to sample but the board
        blocked = int(np.bitwise_or.reduce(spot.cmask))
        for c in (*spot.board.tolist(), *spot.dead):
            blocked |= 1 << c
        win, tie, share, sq = K.monte_carlo_hands(
            spot.combos,
            np.int64(blocked),
            spot.board,
            trials,
            np.uint64(_seed_state(seed)),
            *K.TABLES,
        )
        return _mc_result(win, tie, share, sq, trials)
    cumw = np.empty_like(spot.weights)
    uniform = np.zeros(n_players, np.bool_)
    for p in range(n_players):
        lo, hi = spot.starts[p], spot.starts[p + 1]
        w = spot.weights[lo:hi]
        cumw[lo:hi] = np.cumsum(w)
        uniform[p] = bool(np.all(w == w[0]))
    state = np.uint64(_seed_state(seed))
    win, tie, share, sq, rejected = K.monte_carlo(
        spot.combos,
        spot.cmask,
        spot.starts,
        cumw,
        uniform,
        spot.board,
        spot.deck,
        trials,
        state,
        *K.TABLES,
    )
    if rejected < 0:
        raise RangeError("the ranges almost never fit together without sharing a card")
    return _mc_result(win, tie, share, sq, trials)


def _mc_result(win, tie, share, sq, trials: int) -> EquityResult:
    eq = (win + share) / trials
    var = np.maximum(sq / trials - eq**2, 0.0) * trials / max(trials - 1, 1)
    return _result(win, tie, share, trials, trials, False, np.sqrt(var / trials))


def equity(
    players: Sequence[str | Range],
    board: str = "",
    dead: str = "",
    *,
    exact: bool | None = None,
    trials: int = 50_000,
    seed: int | None = None,
) -> EquityResult:
    """All-in equity of 2 to 9 players, each a concrete hand ``"AhKh"`` or a range
    ``"QQ+, AKs"`` (see :mod:`engine.poker.ranges`), on a board of 0 to 5 cards.

    ``exact=None`` enumerates exactly when that is cheap (every preflop heads-up spot,
    every spot of concrete hands, ranges on the flop or later) and runs ``trials`` Monte
    Carlo trials otherwise; ``True``/``False`` force it. ``seed`` makes Monte Carlo
    repeatable. A card used twice raises ``CardError``; a range with nothing left once the
    known cards are removed, or ranges that cannot be dealt together, ``RangeError``.

    >>> [round(e, 3) for e in equity(["AsAh", "KsKh"]).equity]
    [0.826, 0.174]
    >>> equity(["AhKh", "Ah7c"])
    Traceback (most recent call last):
    ...
    engine.errors.CardError: the card Ah is both in player 1's hand 'AhKh' and in player 2's hand 'Ah7c'
    """  # noqa: E501
    spot = _prepare(players, board, dead)
    if exact is not False:
        n_players = len(spot.starts) - 1
        if n_players == 2 and len(spot.board) == 0 and not spot.dead:
            result = _preflop_table(spot)
            if result is not None:
                return result
        runouts, deals = _exact_cost(spot)
        n_combos = len(spot.combos)
        cost = runouts * (n_combos + deals * n_players)
        if exact and cost > EXACT_LIMIT:
            raise RangeError(
                f"exact enumeration here means about {cost:.1e} hand comparisons "
                "(many minutes); use Monte Carlo (exact=False) or narrower ranges"
            )
        if exact or (deals <= MAX_TUPLES and cost <= EXACT_BUDGET):
            return _exact(spot)
    if isinstance(trials, bool) or not isinstance(trials, int | np.integer) or trials < 1:
        raise ValueError(f"trials must be a positive whole number, got {trials!r}")
    return _monte_carlo(spot, int(trials), seed)
