"""Token finding: a glyph run into a thin card outline is cut free of it."""

import cv2
import numpy as np

from engine.vision.glyphs import RESCUED, find_tokens, ink_map, token_patches


def _page(outline: bool) -> np.ndarray:
    img = np.full((240, 240, 3), 255, np.uint8)
    # a rank-like mark 20 px tall: a bar and a block
    cv2.rectangle(img, (40, 60), (44, 79), (0, 0, 0), -1)
    cv2.rectangle(img, (45, 66), (53, 73), (0, 0, 0), -1)
    if outline:  # a thin dark card outline touching the mark's left side
        cv2.rectangle(img, (38, 20), (200, 220), (0, 0, 0), 2)
    return img


def _rescued(img: np.ndarray):
    low, paper, white = ink_map(img)
    tokens, labels = find_tokens(white)
    return [t for t in tokens if t.piece == RESCUED], tokens, labels, low, paper, white


def test_a_glyph_touching_a_thin_outline_is_cut_free_with_its_own_ink():
    cut, _tokens, labels, low, paper, white = _rescued(_page(outline=True))
    mark = [t for t in cut if 38 <= t.x <= 42 and 59 <= t.y <= 61 and 19 <= t.h <= 21]
    assert len(mark) == 1
    t = mark[0]
    assert t.ink(labels).shape == (t.h, t.w) and t.ink(labels).sum() == t.area
    assert token_patches([t], labels, low, paper).shape[0] == 1
    # without the rescue the mark is lost in the outline
    plain, _ = find_tokens(white, rescue=False)
    assert not any(38 <= p.x <= 42 and 59 <= p.y <= 61 and p.h <= 21 for p in plain)


def test_a_glyph_enclosed_by_white_is_not_offered_again():
    cut, tokens, *_ = _rescued(_page(outline=False))
    assert tokens and not cut


def _glyph_joined_to_pip() -> np.ndarray:
    img = np.full((400, 400, 3), 255, np.uint8)
    cv2.rectangle(img, (38, 20), (360, 380), (0, 0, 0), 2)  # an outline the glyph touches
    # a rank-like mark 20 px tall, touching the outline on its left
    cv2.rectangle(img, (40, 60), (44, 79), (0, 0, 0), -1)
    cv2.rectangle(img, (45, 66), (53, 73), (0, 0, 0), -1)
    # a big diamond pip beside it, joined to the mark by a thin neck
    pip = np.array([[80, 45], [97, 70], [80, 95], [63, 70]], np.int32)
    cv2.fillPoly(img, [pip], (0, 0, 0))
    cv2.rectangle(img, (54, 69), (63, 70), (0, 0, 0), -1)
    return img


def test_a_glyph_joined_to_a_pip_by_a_thin_neck_is_cut_off_as_its_own_token():
    cut, *_ = _rescued(_glyph_joined_to_pip())
    mark = [t for t in cut if 38 <= t.x <= 42 and 59 <= t.y <= 61 and 19 <= t.h <= 21]
    assert len(mark) == 1 and mark[0].w <= 18
    # the pip is offered on its own as well, not with the mark
    assert any(t.x >= 54 and t.x <= 80 <= t.x + t.w and t.y <= 70 <= t.y + t.h for t in cut)
