"""The glyph classifier: a small two-layer perceptron run with numpy (and cv2.gemm).

Its weights (``data/vision/glyph_mlp.npz``, built by ``scripts/build_vision_model.py`` from
the development decks and system fonts) map a glyph patch to one of 13 ranks, 4 suits or
"other". Shapes only: the patches carry ink darkness, not colour, so 4-colour decks read
like 2-colour ones.
"""

from __future__ import annotations

import functools
import pathlib

import cv2
import numpy as np

from engine.errors import ImageError

__all__ = ["CLASSES", "MODEL_PATH", "RANK_CLASSES", "SUIT_CLASSES", "predict"]

RANK_CLASSES = "23456789TJQKA"
SUIT_CLASSES = "shdc"
CLASSES: tuple[str, ...] = (*RANK_CLASSES, *SUIT_CLASSES, "other")
MODEL_PATH = pathlib.Path(__file__).resolve().parents[2] / "data" / "vision" / "glyph_mlp.npz"


# rows from which cv2.gemm beats einsum: a few tokens' patches are multiplied faster by
# einsum's plain loop than the cost of handing them to OpenCV's threads
_GEMM_ROWS = 96


def _matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b in float32 without a threaded BLAS call (one can stall for 100 ms on a busy
    machine): einsum's plain loop for a few rows, OpenCV's SIMD gemm for many (a table's
    hundreds of patches: 1 ms where einsum took 10, a tenth of the whole read)."""
    if len(a) < _GEMM_ROWS:
        return np.einsum("ij,jk->ik", a, b, optimize=False)
    return cv2.gemm(a, b, 1.0, None, 0.0)


@functools.lru_cache(maxsize=1)
def _weights() -> tuple[np.ndarray, ...]:
    try:
        with np.load(MODEL_PATH) as z:
            return tuple(z[k].astype(np.float32) for k in ("mean", "std", "w1", "b1", "w2", "b2"))
    except OSError as exc:  # a broken install, not bad input; still say what to do
        raise ImageError(
            f"the card reader's model {MODEL_PATH} is missing or unreadable; "
            "rebuild it with scripts/build_vision_model.py"
        ) from exc


def predict(features: np.ndarray) -> np.ndarray:
    """Class probabilities for each feature row (last axis), in the order of ``CLASSES``.

    >>> predict(np.zeros((2, 401), np.float32)).shape
    (2, 18)
    """
    mean, std, w1, b1, w2, b2 = _weights()
    x = ((features.reshape(-1, features.shape[-1]) - mean) / std).astype(np.float32, copy=False)
    if not len(x):
        return np.zeros((*features.shape[:-1], len(CLASSES)), np.float32)
    h = _matmul(x, w1)
    h += b1
    np.maximum(h, 0.0, out=h)
    z = _matmul(h, w2)
    z += b2
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    return p.reshape(*features.shape[:-1], len(CLASSES))
