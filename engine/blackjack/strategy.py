"""Basic strategy charts and the house edge, from the exact values of every hand.

The chart is total-dependent: for each hard or soft total and up card, each action's value
is averaged over the two-card hands (pairs excluded) that make the total, weighted by
their probability given the up card; pairs use the pair's own values; hard 20 comes from
T,T played without splitting. Codes: H, S, D (double, else hit), Ds (double, else stand),
P, Rh, Rs, Rp (surrender, else hit / stand / split).

>>> chart = basic_strategy(Rules.parse("6D S17 DAS LS"))
>>> chart.loc["hard 16", "T"], chart.loc["soft 18", "3"], chart.loc["pair 8,8", "A"]
('Rh', 'Ds', 'P')
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from engine.blackjack import _solver
from engine.blackjack.rules import Rules
from engine.blackjack.shoe import RANK_LABELS, full_shoe
from engine.blackjack.values import _DOUBLE_ON, Solver
from engine.errors import RulesError

__all__ = ["CODES", "basic_strategy", "chart_action", "house_edge"]

CODES = ("H", "S", "D", "Ds", "P", "Rh", "Rs", "Rp")
COLUMNS = ("2", "3", "4", "5", "6", "7", "8", "9", "T", "A")
_UPS = (2, 3, 4, 5, 6, 7, 8, 9, 10, 1)  # column order as card values
HARD_ROWS = tuple(f"hard {t}" for t in range(5, 22))
SOFT_ROWS = tuple(f"soft {t}" for t in range(13, 22))
PAIR_ROWS = tuple(f"pair {r},{r}" for r in (*RANK_LABELS[1:], "A"))
ROWS = HARD_ROWS + SOFT_ROWS + PAIR_ROWS


@dataclass(frozen=True)
class _UpCard:
    """Unconditional values of every two-card hand against one up card."""

    p_up: float
    hand_p: np.ndarray  # [10, 10] P(first, second card) given the up card
    values: np.ndarray  # [10, 10, 5]: stand, hit, double, split, surrender (NaN: not allowed)
    natural: float  # value of a player blackjack


def _surrender_value(rules: Rules, p_bj: float) -> float:
    if rules.surrender == "none":
        return np.nan
    if rules.surrender == "late" and rules.dealer_peeks:
        return -0.5 * (1.0 - p_bj) - p_bj
    return -0.5


# Dealer probabilities per (decks, H17, up card), shared by the optimal and chart solves of
# a full shoe. Whole-game solves hold _SOLVE_LOCK, so no two threads fill one memo at once.
_DEALER_MEMOS: dict[tuple[int, bool, int], object] = {}
_SOLVE_LOCK = threading.Lock()


def _solve_up(rules: Rules, up: int, policy=None) -> _UpCard:
    shoe = full_shoe(rules.decks)
    after = list(shoe)
    after[up - 1] -= 1
    memo_key = (rules.decks, rules.hit_soft_17, up)
    solver = Solver(tuple(after), up, rules, policy, _DEALER_MEMOS.get(memo_key))
    if len(_DEALER_MEMOS) >= 20:
        _DEALER_MEMOS.clear()
    _DEALER_MEMOS[memo_key] = solver.dmemo
    n = sum(after)
    hand_p = np.zeros((10, 10))
    values = np.full((10, 10, 5), np.nan)
    for a in range(1, 11):
        for b in range(a, 11):
            pa = after[a - 1] / n
            pb = (after[b - 1] - (a == b)) / (n - 1)
            if pb <= 0:
                continue
            p = pa * pb if a == b else 2 * pa * (after[b - 1] / (n - 1))
            hand_p[a - 1, b - 1] = p
            if {a, b} == {1, 10}:
                continue
            stand, hit, dbl = solver.hand([a, b])
            total = a + b + (10 if 1 in (a, b) and a + b <= 11 else 0)
            row = values[a - 1, b - 1]
            row[0], row[1] = stand, hit
            if _solver.can_double(total, _DOUBLE_ON[rules.double_on]):
                row[2] = dbl
            if a == b and rules.max_hands >= 2:
                row[3] = solver.split(a)
            row[4] = _surrender_value(rules, solver.p_blackjack([a, b]))
    natural = rules.blackjack_pays * (1.0 - solver.p_blackjack([1, 10]))
    return _UpCard(shoe[up - 1] / sum(shoe), hand_p, values, natural)


def _per_up_card(rules: Rules, policies=None) -> tuple[_UpCard, ...]:
    """Solve every up card, A..T, on threads (the compiled core releases the GIL)."""
    ups = range(1, 11)
    jobs = [(up, None if policies is None else policies[up - 1]) for up in ups]
    workers = min(len(jobs), os.cpu_count() or 1)
    with _SOLVE_LOCK:
        if workers <= 1:
            return tuple(_solve_up(rules, up, pol) for up, pol in jobs)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return tuple(pool.map(lambda job: _solve_up(rules, *job), jobs))


@lru_cache(maxsize=16)
def _game(rules: Rules) -> tuple[_UpCard, ...]:
    return _per_up_card(rules)


def _code(vals: np.ndarray) -> str:
    """Chart code from [stand, hit, double, split, surrender] (NaN = not allowed)."""
    v = np.where(np.isnan(vals), -np.inf, vals)
    best = int(np.argmax(v))
    if best == 0:
        return "S"
    if best == 1:
        return "H"
    if best == 3:
        return "P"
    if best == 2:
        return "D" if v[1] > v[0] else "Ds"
    rest = int(np.argmax([v[0], v[1], -np.inf, v[3]]))
    return ("Rs", "Rh", "", "Rp")[rest]


@lru_cache(maxsize=16)
def _chart(rules: Rules) -> tuple[tuple[str, ...], ...]:
    game = _game(rules)
    cells: dict[str, list[str]] = {row: [] for row in ROWS}
    for up in _UPS:
        g = game[up - 1]
        sums: dict[str, np.ndarray] = {}
        for a in range(1, 11):
            for b in range(a, 11):
                p = g.hand_p[a - 1, b - 1]
                if p == 0 or {a, b} == {1, 10}:
                    continue
                vals = g.values[a - 1, b - 1]
                if a == b:
                    label = "A" if a == 1 else RANK_LABELS[a - 1]
                    cells[f"pair {label},{label}"].append(_code(vals))
                    if a == 10:
                        sums["hard 20"] = p * np.where(np.arange(5) == 3, np.nan, vals)
                    continue
                soft = a == 1
                row = f"soft {b + 11}" if soft else f"hard {a + b}"
                sums[row] = sums.get(row, 0.0) + p * vals
        for row in HARD_ROWS + SOFT_ROWS:
            cells[row].append(_code(sums[row]) if row in sums else "S")
    return tuple(tuple(cells[row]) for row in ROWS)


def basic_strategy(rules: Rules | str | None = None) -> pd.DataFrame:
    """Total-dependent basic strategy for ``rules`` (see the module docstring).

    Index: "hard 5".."hard 21", "soft 13".."soft 21", "pair 2,2".."pair A,A"; columns
    "2".."9", "T", "A". The chart is for these rules (no "split if DAS" codes): a D
    appears only where doubling that total is allowed, an R only with surrender.
    """
    rules = Rules() if rules is None else _check(rules)
    return pd.DataFrame(list(_chart(rules)), index=list(ROWS), columns=list(COLUMNS))


def _check(rules: Rules | str) -> Rules:
    if isinstance(rules, str):
        return Rules.parse(rules)
    if not isinstance(rules, Rules):
        raise RulesError(f"rules must be a Rules object, got {type(rules).__name__}")
    return rules


def chart_action(code: str, *, can_double: bool, can_split: bool, can_surrender: bool) -> str:
    """The action a chart code means when some actions are not available.

    >>> chart_action("Ds", can_double=False, can_split=False, can_surrender=False)
    'stand'
    >>> chart_action("Rp", can_double=True, can_split=True, can_surrender=False)
    'split'
    """
    if code in ("Rh", "Rs", "Rp"):
        if can_surrender:
            return "surrender"
        code = {"Rh": "H", "Rs": "S", "Rp": "P"}[code]
    if code == "P":
        return "split" if can_split else "hit"
    if code in ("D", "Ds"):
        if can_double:
            return "double"
        return "hit" if code == "D" else "stand"
    if code not in ("H", "S"):
        raise RulesError(f"unknown chart code {code!r}; codes are {', '.join(CODES)}")
    return "hit" if code == "H" else "stand"


_POLICY_CODE = {"H": 1, "S": 0, "D": 2, "Ds": 3, "Rh": 1, "Rs": 0}


def _policies(chart: tuple[tuple[str, ...], ...], col: int) -> tuple[np.ndarray, np.ndarray]:
    """Arrays [soft, total] for one up card: later decisions (stand 0 / hit 1) and
    post-split two-card decisions (0 S, 1 H, 2 D else H, 3 D else S)."""
    multi = np.ones((2, 32), dtype=np.int64)
    two = np.ones((2, 32), dtype=np.int64)
    multi[:, 21:] = 0
    two[:, 21:] = 0
    for i, row in enumerate(ROWS):
        kind, _, rest = row.partition(" ")
        if kind == "pair":
            continue
        total = int(rest)
        soft = int(kind == "soft")
        code = chart[i][col]
        two[soft, total] = _POLICY_CODE[code]
        multi[soft, total] = 1 if code in ("H", "D", "Rh") else 0
    return multi, two


def house_edge(rules: Rules | str | None = None, play: str = "optimal") -> float:
    """The house's edge as a fraction of the initial bet (negative: the player's edge).

    play="optimal": the best composition-dependent decision for every hand (splits by the
    model in ``values.py``); play="basic": every decision, later and post-split hands
    included, from ``basic_strategy(rules)`` by total (D -> H and Ds -> S once doubling is
    not allowed; R codes fall back when surrender is not). Insurance is never taken.

    >>> round(house_edge(Rules.parse("6D S17 DAS LS")), 6)
    0.003303
    """
    rules = Rules() if rules is None else _check(rules)
    if play not in ("optimal", "basic"):
        raise RulesError(f"play must be 'optimal' or 'basic', got {play!r}")
    if play == "optimal":
        game = _game(rules)
        ev = 0.0
        for g in game:
            best = np.where(np.isnan(g.values), -np.inf, g.values).max(axis=2)
            best[0, 9] = g.natural
            ev += g.p_up * float(np.sum(g.hand_p * np.where(g.hand_p > 0, best, 0.0)))
        return -ev
    return -_basic_ev(rules)


@lru_cache(maxsize=16)
def _basic_ev(rules: Rules) -> float:
    chart = _chart(rules)
    index = {row: i for i, row in enumerate(ROWS)}
    cols = {up: col for col, up in enumerate(_UPS)}
    solved = _per_up_card(rules, [_policies(chart, cols[up]) for up in range(1, 11)])
    ev = 0.0
    for up, g in zip(range(1, 11), solved, strict=True):
        col = cols[up]
        up_ev = 0.0
        for a in range(1, 11):
            for b in range(a, 11):
                p = g.hand_p[a - 1, b - 1]
                if p == 0:
                    continue
                if {a, b} == {1, 10}:
                    up_ev += p * g.natural
                    continue
                if a == b:
                    label = "A" if a == 1 else RANK_LABELS[a - 1]
                    row = f"pair {label},{label}"
                elif a == 1:
                    row = f"soft {b + 11}"
                else:
                    row = f"hard {a + b}"
                vals = g.values[a - 1, b - 1]
                action = chart_action(
                    chart[index[row]][col],
                    can_double=not np.isnan(vals[2]),
                    can_split=not np.isnan(vals[3]),
                    can_surrender=not np.isnan(vals[4]),
                )
                up_ev += p * vals[("stand", "hit", "double", "split", "surrender").index(action)]
        ev += g.p_up * up_ev
    return ev
