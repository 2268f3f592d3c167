"""Rebuild ``data/poker/preflop_matchups.npz``: every heads-up preflop matchup, exactly.

Each of the 47,008 suit-isomorphism classes of two disjoint hands is enumerated over all
1,712,304 boards with Felt's own evaluator (``engine.poker._kernels.heads_up_preflop``),
about 20 ms each, so the whole table takes 15-30 minutes on one core. Progress is saved to
``data/cache/`` every few thousand classes, so an interrupted run resumes where it stopped.

    python scripts/build_preflop_table.py [--limit N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.poker._kernels import TABLES, heads_up_preflop
from engine.poker.preflop import BOARDS, TABLE_PATH, class_keys, decode_key

PARTIAL = Path(__file__).resolve().parents[1] / "data" / "cache" / "preflop_partial.npz"


def _save(path: Path, **arrays: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz")
    with os.fdopen(fd, "wb") as f:
        np.savez_compressed(f, **arrays)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="stop after N classes (for a quick check)")
    args = parser.parse_args()
    keys = class_keys()
    n = len(keys)
    wins0 = np.zeros(n, np.uint32)
    wins1 = np.zeros(n, np.uint32)
    ties = np.zeros(n, np.uint32)
    done = 0
    if PARTIAL.exists():
        with np.load(PARTIAL) as z:
            if np.array_equal(z["keys"], keys):
                done = int(z["done"])
                wins0[:done], wins1[:done], ties[:done] = (
                    z["wins0"][:done],
                    z["wins1"][:done],
                    z["ties"][:done],
                )
    print(f"{n} matchup classes, {done} already done", flush=True)
    stop = n if args.limit is None else min(n, done + args.limit)
    start = time.time()
    for i in range(done, stop):
        (a0, a1), (b0, b1) = decode_key(keys[i])
        used = {a0, a1, b0, b1}
        deck = np.array([c for c in range(52) if c not in used], dtype=np.int64)
        w0, w1, t = heads_up_preflop(
            np.array([a0, a1], np.int64), np.array([b0, b1], np.int64), deck, *TABLES
        )
        assert w0 + w1 + t == BOARDS
        wins0[i], wins1[i], ties[i] = w0, w1, t
        if (i + 1) % 2000 == 0 or i + 1 == stop:
            _save(PARTIAL, keys=keys, wins0=wins0, wins1=wins1, ties=ties, done=i + 1)
            rate = (i + 1 - done) / (time.time() - start)
            print(f"{i + 1}/{n} classes, {rate:.1f}/s", flush=True)
    if stop < n:
        print(f"stopped after {stop} classes (--limit); run again to continue")
        return 0
    _save(TABLE_PATH, keys=keys, wins0=wins0, wins1=wins1, ties=ties)
    print(f"wrote {TABLE_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
