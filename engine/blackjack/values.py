"""Exact expected values of every blackjack decision (composition-dependent analysis).

Values are the expected net win in units of the initial bet, computed exactly from the
shoe by recursion over every card the player and the dealer can draw. With a peeking
dealer showing an ace or a ten they are conditional on the dealer not having blackjack
(the player knows that once play starts), as in the Wizard of Odds appendix tables and
Eric Farmer's combinatorial analysis; without a hole card (``dealer_peeks=False``) they
are unconditional and doubled or split bets are lost to a dealer blackjack.

Splits follow the published model ("CDZ-"): the player resplits whenever a pair card
arrives and the hand limit allows, and every post-split hand is played with the decision
that is best for the same cards as an unsplit hand (the strategy as it stood before the
split; the removed pair cards do not change it); the value of that fixed strategy is then
computed exactly for the given resplit limit (Farmer's algorithm). Split aces take one
card each unless ``hit_split_aces``; an ace and a ten after a split count 21, not
blackjack.

>>> v = action_values("T6", "T", Rules(decks=6))
>>> sorted(v), round(v["stand"], 9), round(v["hit"], 9)
(['double', 'hit', 'stand', 'surrender'], -0.540954439, -0.534675562)
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache, lru_cache

import numpy as np

from engine.blackjack import _solver
from engine.blackjack.dealer import dealer_table
from engine.blackjack.rules import Rules
from engine.blackjack.shoe import full_shoe, remove_cards, validate_shoe
from engine.cards import parse_blackjack_hand, parse_blackjack_rank
from engine.errors import CardError, RulesError

__all__ = ["ACTIONS", "action_values", "best_action", "insurance_values"]

ACTIONS = ("stand", "hit", "double", "split", "surrender")
_DOUBLE_ON = {"any2": 0, "9-11": 1, "10-11": 2}


def hand_total(cards: Sequence[int]) -> tuple[int, bool]:
    """(best total, soft) of cards given as values 1..10."""
    hard = sum(cards)
    if 1 in cards and hard + 10 <= 21:
        return hard + 10, True
    return hard, False


class Solver:
    """Exact values for one shoe (after the up card), one up card and one rule set.

    Memoizes dealer probabilities by shoe and hand values by composition, so repeated
    questions from the same shoe are cheap. ``policy`` (a pair of arrays from
    ``strategy.py``) makes every later decision follow a chart instead of the best play.
    """

    def __init__(
        self,
        after_up: tuple[int, ...],
        up: int,
        rules: Rules,
        policy: tuple[np.ndarray, np.ndarray] | None = None,
        dealer_memo=None,
    ) -> None:
        self.R = np.array(after_up, dtype=np.int64)
        self.N = int(self.R.sum())
        self.up = up - 1
        self.rules = rules
        t = dealer_table(rules.hit_soft_17)
        self.tab = t.arrays
        self.dmemo, self.nsmemo, self.spmemo = _solver.new_memos()
        if dealer_memo is not None:  # dealer probabilities depend on the shoe and S17/H17 only
            self.dmemo = dealer_memo
        self.peek = rules.dealer_peeks
        if policy is None:
            self.pol_multi = np.zeros((2, 32), dtype=np.int64)
            self.pol_split2 = np.zeros((2, 32), dtype=np.int64)
        else:
            self.pol_multi, self.pol_split2 = policy
        self.params = np.array(
            [
                int(self.peek),
                int(rules.double_after_split),
                _DOUBLE_ON[rules.double_on],
                int(policy is not None),
                int(rules.hit_split_aces),
            ],
            dtype=np.int64,
        )

    def p_blackjack(self, cards: Sequence[int]) -> float:
        """P(the dealer's hole card makes blackjack) with ``cards`` also out of the shoe."""
        if self.up not in (0, 9):
            return 0.0
        left = self.R.copy()
        for c in cards:
            left[c - 1] -= 1
        n = left.sum()
        return float(left[9 if self.up == 0 else 0] / n) if n else 0.0

    def hand(self, cards: Sequence[int]) -> np.ndarray:
        """Unconditional [stand, hit, double] of an unsplit hand (double NaN unless 2 cards)."""
        comp = np.zeros(10, dtype=np.int64)
        for c in cards:
            comp[c - 1] += 1
        key = sum(int(comp[c]) << (5 * c) for c in range(10))
        return _solver.ns_values(
            key,
            self.R,
            self.up,
            self.peek,
            self.tab,
            self.dmemo,
            self.nsmemo,
            bool(self.params[3]),
            self.pol_multi,
        )

    def max_split_hands(self, pair: int) -> int:
        r = self.rules
        limit = r.max_hands if (pair != 1 or r.resplit_aces) else min(2, r.max_hands)
        return min(limit, int(self.R[pair - 1]))

    def split(self, pair: int) -> float:
        """Unconditional value of splitting a pair of ``pair`` (the pair is in the shoe R)."""
        p_idx = pair - 1
        cnt = int(self.R[p_idx]) - 2
        n = self.N - 2
        hands = self.max_split_hands(pair)
        amax = min(max(2 * hands - 4, 0), cnt)
        evx0 = []
        evp0 = []
        for a in range(amax + 1):
            x, p = _solver.split_root(
                p_idx,
                1 + a,
                self.R,
                self.up,
                self.params,
                self.tab,
                self.dmemo,
                self.nsmemo,
                self.spmemo,
                self.pol_multi,
                self.pol_split2,
            )
            evx0.append(x)
            evp0.append(p)

        @cache
        def evx(a: int, b: int) -> float:
            if b == 0:
                return evx0[a] if a <= amax else 0.0
            v = (cnt - a) / (n - a - (b - 1))
            if v >= 1.0:
                return 0.0
            other = evx(a + 1, b - 1) if v > 0 else 0.0
            return (evx(a, b - 1) - v * other) / (1.0 - v)

        @cache
        def evn(a: int, b: int) -> float:
            v = (cnt - a) / (n - a - b) if n - a - b > 0 else 0.0
            if v >= 1.0:
                return 0.0
            if b == 0:
                return ((evx0[a] if a <= amax else 0.0) - v * (evp0[a] if a <= amax else 0.0)) / (
                    1.0 - v
                )
            other = evn(a + 1, b - 1) if v > 0 else 0.0
            return (evn(a, b - 1) - v * other) / (1.0 - v)

        value = 0.0
        for h in range(2, hands):
            w = _arrangements(h - 2, h, False) * _seq_prob(cnt, n, h - 2, h)
            if w:
                value += w * h * evn(h - 2, h - 1)
        for k in range(hands - 1):
            w = _arrangements(hands - 2, k, True) * _seq_prob(cnt, n, hands - 2, k)
            if not w:
                continue
            if k > 0:
                value += w * k * evn(hands - 2, k - 1)
            value += w * (hands - k) * evx(hands - 2, k)
        if self.peek and self.up in (0, 9):
            hole = 9 if self.up == 0 else 0
            left = self.R.copy()
            left[p_idx] -= 2
            total = int(left.sum())
            if left[hole] > 0 and total > 0:
                p_bj = left[hole] / total
                left[hole] -= 1
                cnt_h, n_h = int(left[p_idx]), total - 1
                probs = [
                    _arrangements(h - 2, h, False) * _seq_prob(cnt_h, n_h, h - 2, h)
                    for h in range(2, hands)
                ]
                expected = sum(h * q for h, q in zip(range(2, hands), probs, strict=True))
                expected += hands * (1.0 - sum(probs))
                value += (expected - 1.0) * p_bj
        return value


@lru_cache(maxsize=64)
def _arrangements(pairs: int, others: int, ends_with_pair: bool) -> int:
    """Orders of second cards (pair cards ``P`` and others ``N``) consistent with the play.

    Two hands start waiting for a second card; a ``P`` makes one more hand waiting, an
    ``N`` completes one. Without ``ends_with_pair`` the sequence completes every hand exactly
    at its end; with it, the last ``P`` reaches the hand limit while hands still wait.
    """
    count = 0
    length = pairs + others
    for positions in itertools.combinations(range(length), pairs):
        seq = ["N"] * length
        for i in positions:
            seq[i] = "P"
        if ends_with_pair and pairs and seq[-1] != "P":
            continue
        waiting = 2
        ok = True
        for i, card in enumerate(seq):
            waiting += 1 if card == "P" else -1
            if waiting <= 0 and i != length - 1:
                ok = False
                break
        if ok and (waiting > 0 if ends_with_pair else waiting == 0):
            count += 1
    return count


def _seq_prob(cnt: int, n: int, pairs: int, others: int) -> float:
    """Probability of one given order of ``pairs`` pair cards and ``others`` other cards."""
    p = 1.0
    for i in range(pairs):
        if cnt - i <= 0:
            return 0.0
        p *= (cnt - i) / (n - i)
    rest = n - cnt
    for i in range(others):
        if rest - i <= 0:
            return 0.0
        p *= (rest - i) / (n - pairs - i)
    return p


_SOLVERS: OrderedDict[tuple, Solver] = OrderedDict()


def solver_for(after_up: tuple[int, ...], up: int, rules: Rules) -> Solver:
    """A memoizing solver, reused while the same shoe, up card and rules are asked about."""
    key = (after_up, up, rules)
    solver = _SOLVERS.get(key)
    if solver is None:
        solver = Solver(after_up, up, rules)
        _SOLVERS[key] = solver
        if len(_SOLVERS) > 8:
            _SOLVERS.popitem(last=False)
    else:
        _SOLVERS.move_to_end(key)
    return solver


def _parse_situation(
    player: str | Sequence[int], dealer: str | int, rules: Rules, shoe
) -> tuple[list[int], int, tuple[int, ...]]:
    if not isinstance(rules, Rules):
        raise RulesError(f"rules must be a Rules object, got {type(rules).__name__}")
    cards = parse_blackjack_hand(player) if isinstance(player, str) else [int(c) for c in player]
    if len(cards) < 2:
        raise CardError(f"a blackjack hand has at least two cards, got {player!r}")
    if any(not 1 <= c <= 10 for c in cards):
        raise CardError(f"card values are 1 (ace) to 10, got {player!r}")
    if sum(cards) > 21:
        raise CardError(f"the hand {player!r} is already bust")
    up = parse_blackjack_rank(dealer) if isinstance(dealer, str) else int(dealer)
    if not 1 <= up <= 10:
        raise CardError(f"the dealer's up card is A, 2-9 or T, got {dealer!r}")
    base = full_shoe(rules.decks) if shoe is None else validate_shoe(shoe)
    try:
        after_up = remove_cards(base, [up])
        remove_cards(after_up, cards)
    except RulesError as exc:
        raise RulesError(f"cannot deal {player!r} against {dealer!r}: {exc}") from None
    if sum(after_up) - len(cards) < 1:
        raise RulesError("the shoe has no cards left to play the hand")
    return cards, up, after_up


def action_values(
    player: str | Sequence[int],
    dealer: str | int,
    rules: Rules | str | None = None,
    shoe: Sequence[int] | str | None = None,
) -> dict[str, float]:
    """Expected net win of every allowed action, in units of the initial bet.

    ``player``: the hand (``"T6"``, ``"A,7"``, values 1..10), two or more cards;
    ``dealer``: the up card; ``shoe``: the unseen cards before this hand was dealt (10
    counts for A,2,...,9,T; None = a full shoe of ``rules.decks``; ``rules`` may also be
    short text such as ``"6D H17 DAS LS"``); the player's cards and
    the up card are removed here. Keys among stand, hit, double, split, surrender: only the
    allowed ones (no double on three cards, no split of a non-pair, no surrender after the
    first two cards). A two-card 21 is a natural and only stands (paid at
    ``rules.blackjack_pays``). With a peek and an A or T up, values are conditional on no
    dealer blackjack; early surrender (decided before the peek) is put in the same frame,
    (p - 0.5) / (1 - p) with p the blackjack probability, so the keys compare directly.
    Splits follow the model described in this module's docstring.

    >>> v = action_values("8,8", "A", Rules(decks=6))
    >>> round(v["split"], 9), max(v, key=v.get)
    (-0.364251552, 'split')
    """
    rules = Rules() if rules is None else Rules.parse(rules) if isinstance(rules, str) else rules
    cards, up, after_up = _parse_situation(player, dealer, rules, shoe)
    solver = solver_for(after_up, up, rules)
    p_bj = solver.p_blackjack(cards)
    conditional = rules.dealer_peeks and up in (1, 10)
    total, _ = hand_total(cards)
    two = len(cards) == 2

    def cond(v: float) -> float:
        if conditional:
            return (v + p_bj) / (1.0 - p_bj) if p_bj < 1.0 else 0.0
        return v

    if two and total == 21:
        pays = rules.blackjack_pays
        return {"stand": pays if conditional else pays * (1.0 - p_bj)}
    stand, hit, double = (float(x) for x in solver.hand(cards))
    out = {"stand": cond(stand), "hit": cond(hit)}
    if two and _solver.can_double(total, _DOUBLE_ON[rules.double_on]):
        out["double"] = cond(double)
    if two and cards[0] == cards[1] and rules.max_hands >= 2:
        out["split"] = cond(float(solver.split(cards[0])))
    if two and rules.surrender != "none":
        # Late surrender (after the peek) forfeits half the bet; early surrender is decided
        # before the peek, so in the no-blackjack frame it is worth (p - 0.5) / (1 - p).
        early = rules.surrender == "early" and conditional
        out["surrender"] = (p_bj - 0.5) / (1.0 - p_bj) if early else -0.5
    return out


def best_action(values: dict[str, float]) -> str:
    """The key with the highest value (ties: the order of ``ACTIONS``).

    >>> best_action({"stand": -0.2, "hit": -0.1})
    'hit'
    """
    return max(sorted(values, key=ACTIONS.index), key=lambda k: values[k])


def insurance_values(
    player: str | Sequence[int],
    rules: Rules | None = None,
    shoe: Sequence[int] | str | None = None,
) -> dict[str, float]:
    """Insurance and even money against an ace up, from the shoe.

    ``insurance``: expected net win of an insurance bet per unit insured (it pays 2:1 when
    the hole card is a ten): 3p - 1 with p the chance of a ten. For a natural, also
    ``even_money`` (1.0: a sure win of one bet) and ``decline`` (blackjack_pays * (1 - p)).

    >>> round(insurance_values("T6", Rules(decks=1))["insurance"], 6)
    -0.081633
    """
    rules = Rules() if rules is None else rules
    cards, _, after_up = _parse_situation(player, "A", rules, shoe)
    left = remove_cards(after_up, cards)
    p = left[9] / sum(left)
    out = {"insurance": 3.0 * p - 1.0}
    if len(cards) == 2 and hand_total(cards) == (21, True):
        out["even_money"] = 1.0
        out["decline"] = rules.blackjack_pays * (1.0 - p)
    return out
