"""The model builder labels scene glyphs from where each deck prints its index."""

import cv2
import numpy as np

from engine.vision.glyphs import find_tokens, ink_map
from tests.vision.scripts import load_script


def _builder():
    return load_script("build_vision_model")


def test_a_rank_run_into_its_suit_is_placed_by_its_pieces_not_the_joined_mark():
    img = np.full((300, 300, 3), 255, np.uint8)
    img[:, :40] = (30, 100, 30)  # a strip of table
    cv2.rectangle(img, (60, 60), (73, 81), (0, 0, 0), 3)  # the rank, an "0"
    cv2.rectangle(img, (66, 82), (67, 84), (0, 0, 0), -1)  # a thin bridge of ink
    cv2.circle(img, (67, 92), 7, (0, 0, 0), -1)  # the suit under it
    _low, _paper, white = ink_map(img)
    tokens, _ = find_tokens(white)
    assert any(t.piece == 0 and t.h == 42 for t in tokens)  # found whole as well
    kept = _builder()._without_split_wholes(tokens)
    assert sorted(t.piece for t in kept) == [1, 2]
    top = min(kept, key=lambda t: t.y)
    assert top.piece == 1 and top.h < 30


def test_a_face_index_is_read_upright_not_as_a_rank_stacked_on_its_suit():
    face = np.full((210, 150, 4), 255, np.uint8)
    cv2.rectangle(face, (10, 12), (23, 35), (0, 0, 0, 255), 3)  # the rank, an "0"
    cv2.circle(face, (17, 46), 7, (0, 0, 0, 255), -1)  # its suit, just under it
    face[105:] = face[:105][::-1, ::-1]  # the other corner, turned
    # written across the card, the rank and suit would be two letters of one word
    (_ru, rv, rh), (_su, sv, _sh) = _builder().index_positions({"5c": face})["5c"]
    assert rv < sv
    assert 20 / 210 < rh < 30 / 210


def test_drawn_flat_topped_threes_are_reproducible_rank_samples():
    import random

    from engine.vision.classify import CLASSES
    from engine.vision.glyphs import PATCH

    b = _builder()
    x1, y1 = b.drawn_digit_samples(random.Random(3), 5)
    x2, _ = b.drawn_digit_samples(random.Random(3), 5)
    assert len(x1) >= 4 and set(y1) == {CLASSES.index("3")}
    assert all(len(x) == PATCH * PATCH + 1 for x in x1)
    assert all(np.array_equal(a, c) for a, c in zip(x1, x2, strict=True))
    mask = b.draw_flat_three(random.Random(4))
    top = np.flatnonzero(mask[mask.shape[0] // 20] > 128)
    assert len(top) > 0.3 * mask.shape[1] * 0.5  # a flat bar across the top


def test_font_tens_are_taught_squeezed_to_one_figures_width():
    import glob
    import random

    import pytest

    from engine.vision.classify import CLASSES

    if not glob.glob("/usr/share/fonts/truetype/**/*.ttf", recursive=True):
        pytest.skip("no system fonts")
    x, y = _builder().glyph_samples(random.Random(0), 600)
    tens = [row[-1] for row, c in zip(x, y, strict=True) if c == CLASSES.index("T")]
    assert tens and min(tens) < 0.6  # the width / height of a condensed "10"


def test_two_nets_stored_as_one_give_the_mean_of_their_logits():
    rs = np.random.default_rng(0)
    nets = [
        {
            "mean": np.zeros(5, np.float32),
            "std": np.ones(5, np.float32),
            "w1": rs.standard_normal((5, 3)).astype(np.float32),
            "b1": rs.standard_normal(3).astype(np.float32),
            "w2": rs.standard_normal((3, 4)).astype(np.float32),
            "b2": rs.standard_normal(4).astype(np.float32),
        }
        for _ in range(2)
    ]

    def logits(net, x):
        return np.maximum(x @ net["w1"] + net["b1"], 0) @ net["w2"] + net["b2"]

    both = _builder().ensemble(nets)
    assert both["w1"].shape == (5, 6) and both["w2"].shape == (6, 4)
    x = rs.standard_normal((7, 5)).astype(np.float32)
    want = (logits(nets[0], x) + logits(nets[1], x)) / 2
    assert np.allclose(logits(both, x), want, atol=1e-5)


def test_card_back_patterns_are_reproducible_other_samples():
    import random

    from engine.vision.classify import CLASSES
    from engine.vision.glyphs import PATCH

    b = _builder()
    x1, y1 = b.pattern_samples(random.Random(1), 12)
    x2, _ = b.pattern_samples(random.Random(1), 12)
    assert len(x1) == 12 and set(y1) == {CLASSES.index("other")}
    assert all(len(x) == PATCH * PATCH + 1 for x in x1)
    assert all(np.array_equal(a, c) for a, c in zip(x1, x2, strict=True))
