"""Poker engine speed: Felt against eval7 and phevaluator in the same run, with ratios.

    python bench/poker.py [--quick]

Times are medians of several runs (wall clock); the machine is shared, so compare the
ratios printed on one line, which were measured side by side. Targets from the issue:
Monte Carlo hand vs hand >= 3x eval7's trials/s; exact heads-up preflop >= 10x a loop over
phevaluator; range vs range exact preflop < 100 ms; first use in a new process < 3 s.
"""

from __future__ import annotations

import argparse
import itertools
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import eval7  # noqa: E402
from phevaluator._pheval import evaluate_7cards  # noqa: E402  (the C function itself)

from engine.cards import DECK, cards_to_ints  # noqa: E402
from engine.poker import _kernels as K  # noqa: E402
from engine.poker import equity, evaluate_batch, parse_range  # noqa: E402

HERO_RANGE = "77+, A9s+, KTs+, QTs+, AJo+, KQo"
VILLAIN_RANGE = "55+, A3s+, K7s+, Q8s+, J9s+, T9s, A9o+, KTo+, QTo+, JTo"


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms" if seconds < 1 else f"{seconds:.2f} s"


def bench_evaluator(repeat: int) -> None:
    rng = np.random.default_rng(1)
    hands = np.argsort(rng.random((200_000, 52)), axis=1)[:, :7]
    evaluate_batch(hands[:10])
    felt = median_time(lambda: evaluate_batch(hands), repeat) / len(hands)
    sample = hands[:50_000].tolist()
    cards7 = [[eval7.Card(DECK[c]) for c in row] for row in sample]
    phe = median_time(lambda: [evaluate_7cards(*row) for row in sample], 3) / len(sample)
    e7 = median_time(lambda: [eval7.evaluate(row) for row in cards7], 3) / len(sample)
    print(
        f"7-card evaluations/s: Felt batch {1 / felt / 1e6:.1f}M, phevaluator (Python loop) "
        f"{1 / phe / 1e6:.2f}M, eval7 (Python loop) {1 / e7 / 1e6:.2f}M "
        f"-> {phe / felt:.0f}x / {e7 / felt:.0f}x"
    )


def cpu_time(fn: Callable[[], object], repeat: int) -> float:
    """Median CPU time of this process (steadier than wall time on a shared machine)."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def bench_monte_carlo(repeat: int) -> None:
    trials = 50_000
    equity(["AhKh", "QsQd"], exact=False, trials=100, seed=1)
    hero = [eval7.Card("Ah"), eval7.Card("Kh")]
    villain = eval7.HandRange("QsQd")

    def felt_run() -> object:
        return equity(["AhKh", "QsQd"], exact=False, trials=trials)

    def eval7_run() -> object:
        return eval7.py_hand_vs_range_monte_carlo(hero, villain, [], trials)

    for label, measure in (("wall", median_time), ("CPU", cpu_time)):
        felt_t, e7_t = [], []
        for _ in range(3):  # interleaved, so both see the same load
            felt_t.append(measure(felt_run, repeat))
            e7_t.append(measure(eval7_run, repeat))
        felt, e7 = statistics.median(felt_t), statistics.median(e7_t)
        print(
            f"Monte Carlo AhKh vs QsQd, {trials:,} trials ({label} time): Felt {ms(felt)} "
            f"({trials / felt / 1e6:.1f}M trials/s), eval7 {ms(e7)} "
            f"({trials / e7 / 1e6:.1f}M/s) -> {e7 / felt:.2f}x (target >= 3x)"
        )


def _phevaluator_exact(h0: list[int], h1: list[int]) -> tuple[int, int, int]:
    """The anchor: a plain loop over every board with phevaluator's 7-card evaluator
    (card indices; ours differ from phevaluator's by a suit relabelling, which changes no
    hand's rank)."""
    rest = [c for c in range(52) if c not in h0 + h1]
    w0 = w1 = t = 0
    for board in itertools.combinations(rest, 5):
        r0 = evaluate_7cards(*h0, *board)
        r1 = evaluate_7cards(*h1, *board)
        if r0 < r1:  # phevaluator: lower is better
            w0 += 1
        elif r1 < r0:
            w1 += 1
        else:
            t += 1
    return w0, w1, t


def bench_exact_preflop(repeat: int, quick: bool) -> None:
    h0, h1 = cards_to_ints("AhKh"), cards_to_ints("QsQd")
    deck = np.array([c for c in range(52) if c not in h0 + h1], np.int64)
    a, b = np.array(h0, np.int64), np.array(h1, np.int64)
    K.heads_up_preflop(a, b, deck, *K.TABLES)
    felt = median_time(lambda: K.heads_up_preflop(a, b, deck, *K.TABLES), repeat)
    equity(["AhKh", "QsQd"])
    table = median_time(lambda: equity(["AhKh", "QsQd"]), repeat)
    if quick:
        print(
            f"Exact AhKh vs QsQd, 1,712,304 boards: Felt enumeration {ms(felt)}, "
            f"equity() from the table {ms(table)} (phevaluator loop skipped: --quick)"
        )
        return
    start = time.perf_counter()
    counts = _phevaluator_exact(h0, h1)
    phe = time.perf_counter() - start
    assert counts == K.heads_up_preflop(a, b, deck, *K.TABLES)
    print(
        f"Exact AhKh vs QsQd, 1,712,304 boards: Felt enumeration {ms(felt)}, phevaluator "
        f"loop {ms(phe)} -> {phe / felt:.0f}x (target >= 10x); equity() from the preflop "
        f"table {ms(table)} -> {phe / table:.0f}x"
    )


def _eval7_unbiased(hero: str, villain: str, trials: int, seed: int) -> float:
    """What a careful eval7 user writes for range vs range: sample each combo by weight,
    reject deals that share a card, deal the board at random, evaluate with eval7."""
    rnd = random.Random(seed)
    ranges = [parse_range(hero), parse_range(villain)]
    combos = [[[eval7.Card(DECK[c]) for c in row] for row in r.combos.tolist()] for r in ranges]
    ints = [r.combos.tolist() for r in ranges]
    weights = [r.weights.tolist() for r in ranges]
    cards = [eval7.Card(c) for c in DECK]
    total = 0.0
    for _ in range(trials):
        while True:
            i = rnd.choices(range(len(ints[0])), weights[0])[0]
            j = rnd.choices(range(len(ints[1])), weights[1])[0]
            if not set(ints[0][i]) & set(ints[1][j]):
                break
        used = set(ints[0][i]) | set(ints[1][j])
        board = rnd.sample([c for c in range(52) if c not in used], 5)
        b = [cards[c] for c in board]
        v0 = eval7.evaluate(combos[0][i] + b)
        v1 = eval7.evaluate(combos[1][j] + b)
        total += 1.0 if v0 > v1 else 0.5 if v0 == v1 else 0.0
    return total / trials


def bench_range_vs_range(repeat: int) -> None:
    players = [HERO_RANGE, VILLAIN_RANGE]
    start = time.perf_counter()
    exact = equity(players)
    first = time.perf_counter() - start
    table = median_time(lambda: equity(players), repeat)
    target = exact.equity[0]
    print(
        f"Range vs range exact preflop ({exact.samples:,} outcomes): Felt {ms(table)} "
        f"(first call with these ranges: {ms(first)}) (target < 100 ms); "
        f"equity {target:.4f}"
    )
    # Monte Carlo to within 0.002: 95% of runs within 0.002 needs stderr <= 0.00102.
    trials = 250_000
    equity(players, exact=False, trials=1000, seed=1)
    felt = median_time(lambda: equity(players, exact=False, trials=trials), repeat)
    errors = [
        abs(equity(players, exact=False, trials=trials, seed=s).equity[0] - target)
        for s in range(20)
    ]
    se = equity(players, exact=False, trials=trials, seed=99).stderr[0]
    e7_trials = 20_000
    start = time.perf_counter()
    e7_eq = _eval7_unbiased(players[0], players[1], e7_trials, 5)
    e7 = (time.perf_counter() - start) * trials / e7_trials
    hero, villain = eval7.HandRange(players[0]), eval7.HandRange(players[1])
    e7_biased = median_time(lambda: eval7.py_all_hands_vs_range(hero, villain, [], trials), 1)
    print(
        f"Range vs range Monte Carlo, {trials:,} trials (stderr {se:.5f}; "
        f"{sum(e <= 0.002 for e in errors)}/20 seeded runs within 0.002 of exact): "
        f"Felt {ms(felt)}, eval7 sampled without bias {ms(e7)} (projected from "
        f"{e7_trials:,} trials, equity {e7_eq:.3f}) -> {e7 / felt:.0f}x; "
        f"eval7 py_all_hands_vs_range (cycles combos) {ms(e7_biased)} -> "
        f"{e7_biased / felt:.1f}x"
    )


def bench_first_use() -> None:
    code = (
        "import time; t = time.perf_counter(); from engine.poker import equity; "
        "equity(['AhKh', 'QsQd'], exact=False, trials=1000); "
        "equity(['AhKh', 'QsQd'], board='2c7d9h'); "
        f"equity([{HERO_RANGE!r}, {VILLAIN_RANGE!r}]); "
        "print(time.perf_counter() - t)"
    )
    times = []
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        times.append((wall, float(out.stdout), cpu))
    wall, inner, cpu = min(times)
    print(
        f"First use in a new process (import, compiled kernels from the numba cache, preflop "
        f"table, MC + exact + range vs range): {wall:.2f} s wall ({cpu:.2f} s CPU), "
        f"{inner:.2f} s after interpreter start (target < 3 s)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the slow anchor loops")
    args = parser.parse_args()
    repeat = 5 if args.quick else 9
    bench_evaluator(repeat)
    bench_monte_carlo(repeat)
    bench_exact_preflop(repeat, args.quick)
    bench_range_vs_range(repeat)
    bench_first_use()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
