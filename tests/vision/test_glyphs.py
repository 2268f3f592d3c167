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


def _marks(seed: int) -> np.ndarray:
    """Random marks on a blank page: blobs joined by thin necks, bars, rings and specks."""
    rng = np.random.default_rng(seed)
    page = np.zeros((420, 700), np.uint8)
    for gy in range(4):
        for gx in range(7):
            x0, y0 = 8 + 100 * gx, 8 + 84 * gy
            for _ in range(int(rng.integers(1, 4))):
                w, h = (int(v) for v in rng.integers(6, 38, 2))
                x, y = x0 + int(rng.integers(0, 84 - w)), y0 + int(rng.integers(0, 70 - h))
                if rng.random() < 0.5:
                    cv2.rectangle(page, (x, y), (x + w, y + h), 1, -1)
                else:
                    cv2.ellipse(page, (x + w // 2, y + h // 2), (w // 2, h // 2), 0, 0, 360, 1, -1)
            a, b = rng.integers(0, 70, 2), rng.integers(0, 70, 2)
            thick = int(rng.integers(1, 4))
            cv2.line(
                page, (x0 + int(a[0]), y0 + int(a[1])), (x0 + int(b[0]), y0 + int(b[1])), 1, thick
            )
    # pairs of ovals joined by a neck, the left one a row lower: its part comes first in
    # OpenCV's 2x2-block order though its top is lower, whatever rows the pair spans
    for i in range(12):
        x, y, h = 10 + 56 * i, 380 - (i % 3), 20 + i % 4
        cv2.ellipse(page, (x + 6, y + 1 + h // 2), (6, h // 2), 0, 0, 360, 1, -1)
        cv2.ellipse(page, (x + 26, y + h // 2), (6, h // 2), 0, 0, 360, 1, -1)
        cv2.line(page, (x + 12, y + h // 2), (x + 20, y + h // 2), 1, 1)
    return page


def test_all_marks_are_cut_at_their_necks_as_each_alone():
    from engine.vision.glyphs import _components, _neck_cut, _neck_cuts

    for seed in range(6):
        n, labels, stats = _components(_marks(seed))
        boxes = [(i, *(int(v) for v in stats[i, :4])) for i in range(1, n)]
        marks = [labels[y : y + h, x : x + w] == i for i, x, y, w, h in boxes]
        together = _neck_cuts(marks, 6, 40)
        assert len(together) == len(marks)
        for mark, parts in zip(marks, together, strict=True):
            alone = _neck_cut(mark, 6, 40)
            assert [p[:4] for p in parts] == [p[:4] for p in alone]
            assert all(np.array_equal(p[4], q[4]) for p, q in zip(parts, alone, strict=True))
        assert any(together)  # the necks were cut somewhere


def test_more_marks_than_16_bit_labels_hold_are_labelled_in_32_bits():
    from engine.vision.glyphs import _components

    specks = np.zeros((600, 600), np.uint8)
    specks[::2, ::2] = 1  # 90000 single-pixel marks
    n, labels, stats = _components(specks)
    assert n == 90001 and labels.dtype == np.int32 and int(labels.max()) == 90000
    assert stats[1:, 4].tolist() == [1] * 90000
    n, labels, _ = _components(specks[:100])
    assert n == 15001 and labels.dtype == np.uint16


def _reference_patches_and_colours(tokens, labels, low, paper, bgr):
    """Token by token, as the reader cut patches and took ink colours before batching."""
    from engine.vision.glyphs import COLOURED, DARK, PATCH, RED

    patches, colours = [], []
    for t in tokens:
        mask = t.ink(labels)
        lo = low[t.y : t.y + t.h, t.x : t.x + t.w].astype(np.float32)
        pa = np.maximum(paper[t.y : t.y + t.h, t.x : t.x + t.w].astype(np.float32), 1.0)
        crop = np.where(mask, np.clip(1.0 - lo / pa, 0.0, 1.0), 0.0).astype(np.float32)
        crop /= max(float(crop.max()), 1e-3)
        side = max(t.w, t.h)
        sq = np.zeros((side, side), np.float32)
        oy, ox = (side - t.h) // 2, (side - t.w) // 2
        sq[oy : oy + t.h, ox : ox + t.w] = crop
        patches.append(cv2.resize(sq, (PATCH, PATCH), interpolation=cv2.INTER_AREA))
        box = bgr[t.y : t.y + t.h, t.x : t.x + t.w]
        ink = box.min(axis=2)[mask]
        colour = COLOURED
        if len(ink):
            dark = (mask & (box.min(axis=2) <= np.median(ink))).view(np.uint8)
            b, g, r, _ = cv2.mean(box, mask=dark)
            if r - max(g, b) > 45 and r > 90:
                colour = RED
            elif max(b, g, r) - min(b, g, r) < 35:
                colour = DARK
        colours.append(colour)
    return np.array(patches), np.array(colours, np.int8)


def test_patches_and_colours_of_all_tokens_at_once_are_those_of_each_alone():
    from engine.vision.glyphs import PATCH, token_colours

    rng = np.random.default_rng(3)
    img = np.full((300, 400, 3), 235, np.uint8)
    img += rng.integers(0, 20, img.shape, dtype=np.uint8)  # paper grain
    for i in range(24):  # red, black and blue marks of odd and even pixel counts
        x, y = 15 + 48 * (i % 8), 40 + 90 * (i // 8)
        colour = [(40, 40, 200), (30, 30, 30), (200, 80, 20)][i % 3]
        cv2.putText(
            img, "A7KQ5"[i % 5], (x, y), cv2.FONT_HERSHEY_SIMPLEX, 0.6 + i % 4 / 5, colour, 2
        )
        cv2.circle(img, (x + 14, y + 30), 5 + i % 4, colour, -1)
    low, paper, white = ink_map(img)
    tokens, labels = find_tokens(white)
    assert len(tokens) >= 40
    patches, colours = _reference_patches_and_colours(tokens, labels, low, paper, img)
    out = token_patches(tokens, labels, low, paper)
    assert np.array_equal(out[:, 0, :-1].reshape(-1, PATCH, PATCH), patches)
    assert np.array_equal(token_colours(tokens, labels, img), colours)
    assert len(set(colours.tolist())) == 3
    assert token_patches([], labels, low, paper).shape == (0, 4, PATCH * PATCH + 1)
