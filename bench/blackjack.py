"""Blackjack engine speed: whole-game exact solves and single decisions, against anchors.

    python bench/blackjack.py [--quick]

The anchor is an exact engine written in C++ (reference README): a whole game (every
two-card hand against every up card, resplits included) in 0.08 s / 0.25 s / 0.5 s for
1 / 6 / 8 decks on this machine. Targets from the issue: whole game for 6 decks <= 2 s;
one decision from an arbitrary (depleted) shoe <= 50 ms after warm-up. Times are medians
of wall-clock runs on a shared machine; compile and cache loading happen in the warm-up.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.blackjack import Rules, action_values, house_edge, strategy, values  # noqa: E402

CPP_WHOLE_GAME = {1: 0.08, 6: 0.25, 8: 0.5}
DECISIONS = [("T6", "T"), ("A7", "9"), ("54", "2"), ("8,8", "6"), ("2,2", "2"), ("A,A", "A")]


def whole_game(decks: int) -> tuple[float, float]:
    """(wall, CPU) seconds for one uncached optimal house-edge solve (every hand's best
    decision; CPU time sums the threads)."""
    strategy._game.cache_clear()
    strategy._DEALER_MEMOS.clear()
    values._SOLVERS.clear()
    start, cpu = time.perf_counter(), time.process_time()
    house_edge(Rules(decks=decks))
    return time.perf_counter() - start, time.process_time() - cpu


def depleted_shoe(rng: random.Random, decks: int = 6, dealt: int = 150) -> tuple[int, ...]:
    cards = [r for r in range(10) for _ in range((16 if r == 9 else 4) * decks)]
    rng.shuffle(cards)
    counts = [0] * 10
    for r in cards[dealt:]:
        counts[r] += 1
    return tuple(counts)


def one_decision(player: str, dealer: str, shoe: tuple[int, ...]) -> float:
    values._SOLVERS.clear()  # a new shoe: nothing cached from earlier questions
    start = time.perf_counter()
    action_values(player, dealer, Rules(decks=6), shoe)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeat = 1 if args.quick else 3

    load = os.getloadavg()[0]
    print(
        f"load average {load:.1f} on {os.cpu_count()} cores (anchors were taken on an idle machine)"
    )
    start = time.perf_counter()
    action_values("8,8", "6", Rules(decks=1))  # warm-up: numba compile or cache load
    print(f"warm-up (compile / load cache): {time.perf_counter() - start:.2f} s")

    print("whole game, optimal composition-dependent play, resplit to 4 (house_edge):")
    for decks in (1, 6, 8):
        runs = [whole_game(decks) for _ in range(repeat)]
        t = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        anchor = CPP_WHOLE_GAME[decks]
        target = "  (target <= 2 s)" if decks == 6 else ""
        print(
            f"  {decks} deck(s): Felt {t:6.3f} s wall, {cpu:6.3f} s CPU   C++ anchor "
            f"{anchor:.2f} s   ratio {t / anchor:5.1f}x{target}"
        )

    rng = random.Random(7)
    shoes = [depleted_shoe(rng) for _ in range(3 if args.quick else 8)]
    print("one action_values call from a depleted 6-deck shoe (150 cards dealt), target 50 ms:")
    worst = 0.0
    for player, dealer in DECISIONS:
        times = [one_decision(player, dealer, shoe) for shoe in shoes]
        worst = max(worst, max(times))
        print(
            f"  {player:>4} v {dealer}: median {1000 * statistics.median(times):6.1f} ms"
            f"   max {1000 * max(times):6.1f} ms"
        )
    print(f"  worst {1000 * worst:.1f} ms")


if __name__ == "__main__":
    main()
