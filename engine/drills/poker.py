"""Poker drills: equity estimates, calling with pot odds, heads-up push/fold.

* Equity estimation: hero's hand against a hand or a stated range on a random street;
  graded by the absolute error in percentage points (within 5 points counts as right).
* Pot odds: call or fold a bet against a stated range; graded by the EV of the choice in
  chips (``call_ev``), the truth coming from our exact/Monte Carlo equity.
* Push/fold: the small blind all-in or fold with ``S`` big blinds, heads-up, no antes;
  graded against the big blind's calling range of the equilibrium that
  :func:`push_fold_equilibrium` computes from the preflop matchup table (fictitious play
  over all 1,326 combos with exact card removal).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from engine.cards import DECK
from engine.errors import RangeError

__all__ = [
    "VILLAIN_RANGES",
    "EquityQuestion",
    "PotOddsQuestion",
    "PushFold",
    "PushFoldSpot",
    "deal_equity_question",
    "deal_pot_odds_question",
    "deal_push_fold_spot",
    "grade_equity_estimate",
    "grade_pot_odds",
    "grade_push_fold",
    "push_fold_equilibrium",
]

# Ranges as players state them, tight to loose, for the range-based questions.
VILLAIN_RANGES = (
    "QQ+, AKs",
    "TT+, AQs+, AKo",
    "77+, ATs+, KQs, AJo+",
    "22+, A2s+, KTs+, QTs+, JTs, ATo+, KJo+",
    "22+, A2s+, K7s+, Q8s+, J8s+, T8s+, 97s+, 87s, A7o+, KTo+, QTo+, JTo",
)
STREETS = {"preflop": 0, "flop": 3, "turn": 4}


@dataclass(frozen=True)
class EquityQuestion:
    """Estimate hero's all-in equity (``truth``, a share) against ``villain``."""

    hero: str
    villain: str
    board: str
    truth: float
    exact: bool


@dataclass(frozen=True)
class PotOddsQuestion:
    """Villain bets ``bet`` into ``pot``: call ``bet`` or fold, against ``villain``'s range."""

    hero: str
    villain: str
    board: str
    pot: float
    bet: float
    equity: float

    @property
    def call_ev(self) -> float:
        """Chips won by calling rather than folding (hand seen to showdown)."""
        return self.equity * (self.pot + 2 * self.bet) - self.bet


def _deal(rng: random.Random, n: int, taken: set[str] = frozenset()) -> list[str]:
    return rng.sample([c for c in DECK if c not in taken], n)


def deal_equity_question(
    rng: random.Random, equity_fn, street: str | None = None, *, trials: int = 200_000
) -> EquityQuestion:
    """A hand against a random hand or a stated range on a random (or given) street.

    ``equity_fn`` is ``engine.poker.equity`` (passed in, so tests can check the plumbing).
    """
    street = street or rng.choice(list(STREETS))
    if street not in STREETS:
        raise RangeError(f"unknown street {street!r}: expected preflop, flop or turn")
    hero = _deal(rng, 2)
    board = _deal(rng, STREETS[street], set(hero))
    if rng.random() < 0.5:
        villain = "".join(_deal(rng, 2, set(hero) | set(board)))
    else:
        villain = rng.choice(VILLAIN_RANGES)
    res = equity_fn(["".join(hero), villain], " ".join(board), trials=trials,
                    seed=rng.randrange(2**31))  # fmt: skip
    return EquityQuestion("".join(hero), villain, "".join(board), res.equity[0], res.exact)


def grade_equity_estimate(q: EquityQuestion, percent: float, tolerance: float = 5.0):
    """(correct, error in percentage points): right within ``tolerance`` points.

    >>> grade_equity_estimate(EquityQuestion("AhKh", "QsQd", "", 0.4621, True), 50)
    (True, 3.79)
    """
    error = round(float(percent) - 100 * q.truth, 2)
    return abs(error) <= tolerance, error


def deal_pot_odds_question(
    rng: random.Random, equity_fn, *, trials: int = 100_000
) -> PotOddsQuestion:
    """Villain (a stated range) bets a third to a full pot on the flop or turn."""
    street = rng.choice(("flop", "turn"))
    hero = _deal(rng, 2)
    board = _deal(rng, STREETS[street], set(hero))
    villain = rng.choice(VILLAIN_RANGES)
    pot = float(rng.choice((20, 30, 40, 60, 80, 100, 150)))
    bet = round(pot * rng.choice((0.33, 0.5, 0.66, 0.75, 1.0)))
    res = equity_fn(["".join(hero), villain], " ".join(board), trials=trials,
                    seed=rng.randrange(2**31))  # fmt: skip
    return PotOddsQuestion("".join(hero), villain, "".join(board), pot, float(bet), res.equity[0])


def grade_pot_odds(q: PotOddsQuestion, answer: str) -> tuple[bool, str, float]:
    """(correct, best, EV lost in chips) of ``"call"`` or ``"fold"``.

    >>> grade_pot_odds(PotOddsQuestion("AhKh", "QQ+", "2c7d9h", 100, 50, 0.2), "call")
    (False, 'fold', 10.0)
    """
    if answer not in ("call", "fold"):
        raise RangeError(f"answer {answer!r}: expected call or fold")
    ev = {"call": q.call_ev, "fold": 0.0}
    best = max(ev, key=ev.__getitem__)
    loss = round(ev[best] - ev[answer], 6)
    return loss <= 1e-9, best, loss


@dataclass(frozen=True)
class PushFold:
    """An equilibrium of heads-up push/fold at ``stack`` big blinds.

    ``push[i]``/``call[i]``: probability that combo ``i`` (``engine.poker.preflop`` order)
    pushes from the small blind / calls in the big blind; ``push_ev``: the small blind's
    EV of pushing each combo against ``call`` in big blinds (folding is -0.5); ``call_ev``:
    the big blind's EV of calling with each combo against ``push`` (folding is -1; a combo
    the pushing range never meets, through card removal, gets -1);
    ``exploitability``: what a best response gains over the equilibrium, summed over both
    players, in big blinds per hand (0 at an exact equilibrium).
    """

    stack: float
    push: np.ndarray
    call: np.ndarray
    push_ev: np.ndarray
    exploitability: float
    call_ev: np.ndarray


def push_fold_equilibrium(
    eq: np.ndarray, overlap: np.ndarray, stack: float, *, iterations: int = 200
) -> PushFold:
    """Fictitious play for heads-up push/fold (blinds 0.5/1, ``stack`` big blinds).

    ``eq[i, j]``: combo i's all-in equity against combo j; ``overlap[i, j]``: 1 when the
    combos share no card (card removal), else 0. Each round both players best-respond to
    the other's average strategy; the averages converge to an equilibrium. Every step is
    a matrix-vector product (float32), so 200 rounds over 1,326 combos take about a second.
    """
    if not 1 <= stack <= 100:
        raise RangeError(f"stack must be 1 to 100 big blinds, got {stack!r}")
    overlap = np.asarray(overlap, dtype=np.float32)
    eq = np.asarray(eq, dtype=np.float32)
    sb_win = overlap * (2 * stack * eq - stack)  # SB combo i called by j: SB's net
    bb_win = overlap * (2 * stack * (1 - eq) - stack)  # same deal from the BB's side
    # (ties are split: eq counts half of them, so 1 - eq is the BB's equity)
    sb_mass = overlap.sum(axis=1)

    def push_evs(call: np.ndarray) -> np.ndarray:
        called = overlap @ call
        return ((sb_mass - called) * 1.0 + sb_win @ call) / sb_mass

    def call_evs(push: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        mass = overlap.T @ push
        gain = bb_win.T @ push
        return np.where(mass > 0, gain / np.where(mass > 0, mass, 1), -1.0), mass

    n = len(eq)
    push_avg, call_avg = np.ones(n, np.float32), np.zeros(n, np.float32)
    for t in range(1, iterations + 1):
        push_br = (push_evs(call_avg) > -0.5).astype(float)
        call_br = (call_evs(push_avg)[0] > -1.0).astype(float)
        push_avg += (push_br - push_avg) / (t + 1)
        call_avg += (call_br - call_avg) / (t + 1)
    push_ev = push_evs(call_avg)
    call_ev, reach = call_evs(push_avg)
    reach = reach / sb_mass  # chance the SB pushes, given the BB's combo
    sb_gap = (np.maximum(push_ev, -0.5) - (push_avg * push_ev + (1 - push_avg) * -0.5)).mean()
    bb_gap = (reach * (np.maximum(call_ev, -1.0) - (call_avg * call_ev + (1 - call_avg) * -1.0))
              ).mean()  # fmt: skip
    return PushFold(
        float(stack), push_avg, call_avg, push_ev, float(sb_gap + bb_gap), np.asarray(call_ev)
    )


@dataclass(frozen=True)
class PushFoldSpot:
    """``hero`` (combo index ``combo``) with ``stack`` big blinds in ``position``: "SB"
    (push or fold) or "BB" (the small blind pushed: call or fold)."""

    hero: str
    combo: int
    stack: float
    position: str = "SB"


PUSH_FOLD_ACTIONS = {"SB": ("push", "fold"), "BB": ("call", "fold")}


def deal_push_fold_spot(
    rng: random.Random, stacks=(4, 6, 8, 10, 12, 15), positions=("SB", "BB")
) -> PushFoldSpot:
    """A random hand in one of ``positions`` at one of ``stacks``.

    >>> s = deal_push_fold_spot(random.Random(1)); len(s.hero), 0 <= s.combo < 1326
    (4, True)
    """
    a, b = rng.sample(range(52), 2)
    hi, lo = max(a, b), min(a, b)
    stack = float(rng.choice(stacks))
    return PushFoldSpot(DECK[hi] + DECK[lo], hi * (hi - 1) // 2 + lo, stack, rng.choice(positions))


def grade_push_fold(spot: PushFoldSpot, eqm: PushFold, answer: str) -> tuple[bool, str, float]:
    """(correct, best, EV lost in big blinds): the small blind's ``"push"`` or ``"fold"``
    against the equilibrium's calling range, or the big blind's ``"call"`` or ``"fold"``
    against its pushing range."""
    position = getattr(spot, "position", "SB")
    if position not in PUSH_FOLD_ACTIONS:
        raise RangeError(f"position {position!r}: expected SB or BB")
    if answer not in PUSH_FOLD_ACTIONS[position]:
        want = " or ".join(PUSH_FOLD_ACTIONS[position])
        raise RangeError(f"answer {answer!r} in the {position}: expected {want}")
    if position == "SB":
        ev = {"push": float(eqm.push_ev[spot.combo]), "fold": -0.5}
    else:
        ev = {"call": float(eqm.call_ev[spot.combo]), "fold": -1.0}
    best = max(ev, key=ev.__getitem__)
    loss = ev[best] - ev[answer]
    return loss <= 1e-9, best, loss
