"""Rebuild ``data/poker/preflop_matchups.npz``: every heads-up preflop matchup, exactly.

Each of the 47,008 suit-isomorphism classes of two disjoint hands is enumerated over all
1,712,304 boards with Felt's own evaluator (``engine.poker._kernels.heads_up_preflop``),
about 20 ms each: some 16 CPU-minutes in all. Classes are done in chunks of 1,000, each
saved to ``data/cache/preflop_chunks/`` as it finishes, so an interrupted run resumes
where it stopped; ``--jobs`` runs chunks in parallel processes.

    python scripts/build_preflop_table.py [--jobs N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.poker._kernels import TABLES, heads_up_preflop
from engine.poker.preflop import BOARDS, TABLE_PATH, class_keys, decode_key, write_table

CHUNKS = Path(__file__).resolve().parents[1] / "data" / "cache" / "preflop_chunks"
CHUNK = 1000


def _save(path: Path, **arrays: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz")
    with os.fdopen(fd, "wb") as f:
        np.savez_compressed(f, **arrays)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def _chunk_path(start: int) -> Path:
    return CHUNKS / f"{start:06d}.npz"


def _load_chunk(keys: np.ndarray, start: int) -> np.ndarray | None:
    """Counts (3, n) of a finished chunk, or None when it is missing or stale."""
    try:
        with np.load(_chunk_path(start)) as z:
            if np.array_equal(z["keys"], keys[start : start + CHUNK]):
                return z["counts"]
    except (OSError, KeyError, ValueError):
        pass
    return None


def enumerate_chunk(keys: np.ndarray, start: int) -> None:
    """Enumerate the classes keys[start:start + CHUNK] and save their counts."""
    part = keys[start : start + CHUNK]
    counts = np.zeros((3, len(part)), np.uint32)
    for i, key in enumerate(part):
        (a0, a1), (b0, b1) = decode_key(key)
        used = {a0, a1, b0, b1}
        deck = np.array([c for c in range(52) if c not in used], dtype=np.int64)
        w0, w1, t = heads_up_preflop(
            np.array([a0, a1], np.int64), np.array([b0, b1], np.int64), deck, *TABLES
        )
        assert w0 + w1 + t == BOARDS
        counts[:, i] = w0, w1, t
    _save(_chunk_path(start), keys=part, counts=counts)
    print(f"chunk {start // CHUNK + 1}/{-(-len(keys) // CHUNK)} done", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1, help="parallel processes (default 1)")
    args = parser.parse_args()
    keys = class_keys()
    starts = [s for s in range(0, len(keys), CHUNK) if _load_chunk(keys, s) is None]
    print(f"{len(keys)} matchup classes, {len(starts)} chunks of {CHUNK} to do", flush=True)
    begin = time.time()
    if args.jobs > 1:
        with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
            pool.starmap(enumerate_chunk, [(keys, s) for s in starts])
    else:
        for s in starts:
            enumerate_chunk(keys, s)
    counts = np.concatenate([_load_chunk(keys, s) for s in range(0, len(keys), CHUNK)], axis=1)
    write_table(keys, counts[0], counts[1], counts[2])
    print(f"wrote {TABLE_PATH} in {time.time() - begin:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
