"""Simulation speed: Felt's simulator against a straightforward pure-Python one, same run.

Both play 6 decks S17 DAS LS by the same basic-strategy chart, one seat, Hi-Lo count kept,
75% penetration, flat bets. The anchor is the simulator most people would write first: a
list shoe shuffled with ``random.shuffle``, hands as lists, the chart looked up by total.
Prints hands per second of each and the ratio (target: Felt >= 30x using both cores).

    .venv/bin/python bench/simulate.py [--hands 20000000] [--anchor-hands 300000]
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import random
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.blackjack.rules import Rules  # noqa: E402
from engine.blackjack.simulate import simulate  # noqa: E402

UP = {2: 0, 3: 1, 4: 2, 5: 3, 6: 4, 7: 5, 8: 6, 9: 7, 10: 8, 1: 9}
HILO = {1: -1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 0, 8: 0, 9: 0, 10: -1}


def load_chart(rules: Rules) -> dict[str, list[str]]:
    """The engine's chart when it exists, else the published one kept with the tests."""
    try:
        from engine.blackjack import basic_strategy

        df = basic_strategy(rules)
        return {str(i): [str(x) for x in df.loc[i].tolist()] for i in df.index}
    except ImportError:
        data = json.loads((ROOT / "tests/blackjack/data/sim_reference.json").read_text())
        return data["charts"]["6D_S17_DAS_LS"]


class PurePython:
    """The anchor: a plain, readable pure-Python blackjack simulator (one seat, flat bet)."""

    def __init__(self, chart: dict[str, list[str]], decks: int = 6, pen: float = 0.75):
        self.chart = chart
        self.cards = ([1, 2, 3, 4, 5, 6, 7, 8, 9] * 4 + [10] * 16) * decks
        self.cut = int(len(self.cards) * pen)
        self.shoe: list[int] = []
        self.rc = 0

    def draw(self) -> int:
        c = self.shoe.pop()
        self.rc += HILO[c]
        return c

    @staticmethod
    def total(hand: list[int]) -> tuple[int, bool]:
        t = sum(hand)
        if 1 in hand and t + 10 <= 21:
            return t + 10, True
        return t, False

    def code(self, hand: list[int], up: int, can_split: bool) -> str:
        col = UP[up]
        if can_split and len(hand) == 2 and hand[0] == hand[1]:
            label = "A" if hand[0] == 1 else "T" if hand[0] == 10 else str(hand[0])
            return self.chart[f"pair {label},{label}"][col]
        t, soft = self.total(hand)
        if soft:
            return "H" if t < 13 else self.chart[f"soft {t}"][col]
        return "H" if t < 5 else self.chart[f"hard {t}"][col]

    def dealer(self, hand: list[int]) -> int:
        while True:
            t, _ = self.total(hand)
            if t >= 17:
                return t
            hand.append(self.draw())

    def play_round(self) -> float:
        if len(self.shoe) < len(self.cards) - self.cut:
            self.shoe = self.cards[:]
            random.shuffle(self.shoe)
            self.rc = 0
        player = [self.draw(), self.draw()]
        up = self.draw()
        hole = self.shoe.pop()
        if up + hole == 11 and 1 in (up, hole):
            return 0.0 if self.total(player)[0] == 21 else -1.0
        if self.total(player)[0] == 21:
            return 1.5
        hands = [[player, 1.0, False]]
        i = 0
        while i < len(hands):
            hand, _, split = hands[i]
            if len(hand) == 1:
                hand.append(self.draw())
                if hand[0] == 1:
                    i += 1
                    continue
            while True:
                t, _ = self.total(hand)
                if t >= 21:
                    break
                code = self.code(hand, up, len(hands) < 4 and not (split and hand[0] == 1))
                first = len(hand) == 2
                if code in ("Rh", "Rs", "Rp"):
                    if first and not split:
                        hands[i][1] = -0.5
                        break
                    code = {"Rh": "H", "Rs": "S", "Rp": "P"}[code]
                if code == "P":
                    hands.append([[hand.pop()], 1.0, True])
                    hands[i][2] = True
                    split = True
                    hand.append(self.draw())
                    if hand[0] == 1:
                        break
                    continue
                if code in ("D", "Ds") and first:
                    hands[i][1] = 2.0
                    hand.append(self.draw())
                    break
                if code in ("S", "Ds"):
                    break
                hand.append(self.draw())
            i += 1
        self.rc += HILO[hole]
        live = [h for h in hands if h[1] > 0 and self.total(h[0])[0] <= 21]
        d = self.dealer([up, hole]) if live else 0
        result = 0.0
        for hand, bet, _ in hands:
            if bet < 0:
                result += bet
                continue
            t, _ = self.total(hand)
            if t > 21 or (d <= 21 and t < d):
                result -= bet
            elif d > 21 or t > d:
                result += bet
        return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hands", type=float, default=2e7)
    ap.add_argument("--anchor-hands", type=float, default=3e5)
    args = ap.parse_args()
    rules = Rules.parse("6D S17 DAS LS")
    chart = load_chart(rules)

    random.seed(1)
    anchor = PurePython(chart)
    n = int(args.anchor_hands)
    t0 = time.perf_counter()
    total = sum(anchor.play_round() for _ in range(n))
    t_anchor = time.perf_counter() - t0
    anchor_rate = n / t_anchor

    simulate(rules, 50_000, chart=chart, seed=0)  # compile / load the cached kernel
    hands = int(args.hands)
    t0 = time.perf_counter()
    res = simulate(rules, hands, chart=chart, seed=1, penetration=0.75)
    t_felt = time.perf_counter() - t0
    felt_rate = hands / t_felt
    t0 = time.perf_counter()
    res1 = simulate(rules, hands // 4, chart=chart, seed=1, penetration=0.75, workers=1)
    felt_rate1 = (hands // 4) / (time.perf_counter() - t0)

    print(f"cores: {os.cpu_count()}")
    print(
        f"pure Python anchor: {n:,} hands in {t_anchor:.2f} s = {anchor_rate:,.0f} hands/s "
        f"(ev {total / n:+.4f})"
    )
    print(f"Felt simulate, 1 thread: {felt_rate1:,.0f} hands/s (ev {res1.ev_per_hand:+.5f})")
    print(
        f"Felt simulate, all cores: {hands:,} hands in {t_felt:.2f} s = {felt_rate:,.0f} hands/s "
        f"(ev {res.ev_per_hand:+.5f} +- {res.stderr:.5f})"
    )
    print(
        f"ratio Felt / pure Python: {felt_rate / anchor_rate:.1f}x (1 thread "
        f"{felt_rate1 / anchor_rate:.1f}x; target >= 30x)"
    )


if __name__ == "__main__":
    main()
