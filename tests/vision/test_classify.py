"""The glyph classifier: a few patches and a table's hundreds are scored alike."""

import numpy as np

from engine.vision.classify import _GEMM_ROWS, CLASSES, predict


def test_few_and_many_patches_get_the_same_probabilities():
    rng = np.random.default_rng(5)
    many = rng.random((3 * _GEMM_ROWS, 401), np.float32)
    few = many[: _GEMM_ROWS // 4]  # multiplied by einsum, the many by cv2.gemm
    p_many, p_few = predict(many), predict(few)
    assert p_many.shape == (3 * _GEMM_ROWS, len(CLASSES)) and p_few.dtype == np.float32
    assert np.allclose(p_many[: len(few)], p_few, rtol=0, atol=1e-5)
    assert np.allclose(p_many.sum(axis=1), 1.0, atol=1e-5)
    assert predict(many.reshape(-1, 4, 401)).shape == (3 * _GEMM_ROWS // 4, 4, len(CLASSES))
    assert predict(np.zeros((0, 4, 401), np.float32)).shape == (0, 4, len(CLASSES))
