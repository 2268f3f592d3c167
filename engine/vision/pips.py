"""Read a whole, uncovered number card or ace from its pips when its index is unreadable.

A card drawn 50-100 pixels tall on a large screenshot prints its index 4-6 pixels tall:
after blur and JPEG no glyph classifier can read that, but its pips, three times larger,
still show the rank (their number) and the suit (their shape). This reader looks only at
patches of card-white paper shaped like one whole card (an overlapped hole card, a
cascade or a card under a chip is not one, and its pips could be miscounted), counts the
marks of one size laid out like pips, and reads their shape with the glyph classifier.
Court cards (art, not pips) are left to the index reader.

Standard pip layouts put the card's lower pips upside down, so a pip above the card's
middle is read upright and one below it turned a half turn; this holds whichever way up
the card lies. Colour is a hint only, as for index suits.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from engine.vision.classify import CLASSES, predict
from engine.vision.glyphs import COLOURED, DARK, RED, Token, ink_map, token_colours, token_patches

__all__ = ["Face", "read_pips"]

_SUIT0 = 13
# the canonical card the face is warped to: its pips come out 12-25 pixels tall
_W, _H = 84, 120
_MIN_LONG = 40  # pixels: a smaller card's pips are too small to tell apart
_MIN_SOLIDITY = 0.95  # the paper's hull fills its bounding rectangle: a whole, uncovered card
_MIN_FILL = 0.85
_ASPECT = (0.58, 0.82)  # short side / long side of a playing card, with slack for blur
_MARGIN = 0.2  # of the width: the index columns on either side, where pips are not drawn
_INDEX_COLUMN = 0.13  # of the width: the index glyphs' own columns, cut away before counting
_PIP_H = (0.07, 0.24)  # a pip's height as a share of the card's height
_PIP_SPREAD = (0.7, 1.45)  # pip sizes relative to their median
# an ace's lone pip is this share of the card's height (a larger mark is a court's framed
# art or a card back's pattern inside its white border), and no wider than this share
_ACE_H = (0.12, 0.5)
_ACE_W = 0.6
_ACE_CENTRE = 0.12  # ... and its centre this close to the card's (shares of the sides)
_SYMMETRY = 0.07  # the mean pip x stays this close to the middle (share of the width)
_SUIT_LIKE = 0.5  # every pip reads as a suit at least this likely, whichever suit
_MIN_SUIT = 0.6  # share of the pips' suit votes the winning suit needs
_MIN_CONFIDENCE = 0.5
_MAX_CONFIDENCE = 0.85  # a count is no surer than an index: keep these reads reviewable
_RED_SUITS = np.array([0.05, 1.0, 1.0, 0.05], np.float32)  # s h d c
_DARK_SUITS = np.array([1.0, 0.05, 0.05, 1.0], np.float32)
_RANKS = {1: "A", 2: "2", 3: "3", 4: "4", 5: "5", 6: "6", 7: "7", 8: "8", 9: "9", 10: "T"}


@dataclass(frozen=True)
class Face:
    """A whole, uncovered card face: its ``box`` (x, y, w, h), ``across`` (it lies across the
    image), and the ``card`` its pips read with that ``confidence`` (None, 0.0: no pip card,
    such as a court, a card back or pips that could not be counted)."""

    box: tuple[int, int, int, int]
    across: bool
    card: str | None = None
    confidence: float = 0.0


def _card_faces(white: np.ndarray) -> list[tuple[np.ndarray, tuple[int, int, int, int], bool]]:
    """Whole card faces: (corner points for the upright warp, bounding box, lies across)."""
    contours, _ = cv2.findContours(white.view(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    out = []
    for c in contours:
        x, y, w, h = cv2.boundingRect(c)
        if max(w, h) < _MIN_LONG:
            continue
        (cx, cy), (rw, rh), angle = cv2.minAreaRect(c)
        short, long = sorted((rw, rh))
        if not _ASPECT[0] <= short / long <= _ASPECT[1]:
            continue
        # the paper fills its rectangle but for the notches of an index run into the edge
        if cv2.contourArea(cv2.convexHull(c)) < _MIN_SOLIDITY * rw * rh:
            continue
        if cv2.contourArea(c) < _MIN_FILL * rw * rh:
            continue
        pts = cv2.boxPoints(((cx, cy), (rw, rh), angle))
        # order the corners so the long side runs down the warped card: top-left first
        centre = pts.mean(0)
        ang = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
        pts = pts[np.argsort(ang)]  # clockwise from the top-left in image coordinates
        pts = np.roll(pts, -int(np.argmin(pts.sum(1))), axis=0)
        across = np.linalg.norm(pts[1] - pts[0]) > np.linalg.norm(pts[3] - pts[0])
        if across:
            pts = np.roll(pts, -1, axis=0)
        out.append((pts.astype(np.float32), (x, y, w, h), bool(across)))
    return out


def _pip_marks(stats: np.ndarray) -> list[tuple[int, int, int, int, int, int]] | None:
    """The pips of a warped card as (x, y, w, h, area, label), from its ink components'
    stats, or None if it has marks that are no pips (court art, a card back's pattern, a
    pip blurred into its neighbour)."""
    marks = []
    for i in range(1, len(stats)):
        x, y, w, h, area = (int(v) for v in stats[i])
        cx, cy = x + w / 2, y + h / 2
        if not (_MARGIN * _W <= cx <= (1 - _MARGIN) * _W and 0.04 * _H <= cy <= 0.96 * _H):
            continue  # an index, or the card's edge
        if max(w, h) < 0.04 * _H:
            continue  # a speck of JPEG noise
        marks.append((x, y, w, h, area, i))
    if not marks:
        return None
    hs = np.array([m[3] for m in marks], np.float32)
    areas = np.array([m[4] for m in marks], np.float32)
    mid_h, mid_a = float(np.median(hs)), float(np.median(areas))
    pips = [
        m
        for m, h, a in zip(marks, hs, areas, strict=True)
        if _PIP_SPREAD[0] <= h / mid_h <= _PIP_SPREAD[1] and 0.5 <= a / mid_a <= 2.0
    ]
    if len(pips) != len(marks):
        return None
    return pips


def _read_face(bgr: np.ndarray, pts: np.ndarray) -> tuple[str, float] | None:
    dst = np.float32([[0, 0], [_W - 1, 0], [_W - 1, _H - 1], [0, _H - 1]])
    m = cv2.getPerspectiveTransform(pts, dst)
    face = cv2.warpPerspective(
        bgr, m, (_W, _H), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )
    low, paper, white = ink_map(face)
    ink = (~white).view(np.uint8)
    # the card's edge and outline are no pips, and the index columns are cut away so that
    # a pip drawn close to the index is not joined to it
    ink[:3, :] = ink[-3:, :] = 0
    edge = round(_INDEX_COLUMN * _W)
    ink[:, :edge] = ink[:, _W - edge :] = 0
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    pips = _pip_marks(stats)
    if pips is None or len(pips) > 10:
        return None
    n = len(pips)
    hs = np.array([p[3] for p in pips], np.float32) / _H
    xs = np.array([p[0] + p[2] / 2 for p in pips], np.float32) / _W
    ys = np.array([p[1] + p[3] / 2 for p in pips], np.float32) / _H
    if n == 1:
        if not _ACE_H[0] <= hs[0] <= _ACE_H[1] or pips[0][2] > _ACE_W * _W:
            return None
        if abs(xs[0] - 0.5) > _ACE_CENTRE or abs(ys[0] - 0.5) > _ACE_CENTRE:
            return None
    elif not _PIP_H[0] <= float(np.median(hs)) <= _PIP_H[1] or abs(xs.mean() - 0.5) > _SYMMETRY:
        return None  # not one size of pip laid out symmetrically
    tokens = [Token(x, y, w, h, a, (lab,)) for x, y, w, h, a, lab in pips]
    probs = predict(token_patches(tokens, labels, low, paper))  # (n, 4 turns, classes)
    suit_p = probs[:, :, _SUIT0 : _SUIT0 + 4]
    colours = token_colours(tokens, labels, face)
    other = probs[:, :, -1]
    votes = np.zeros(4, np.float32)
    for i in range(n):
        if ys[i] < 0.45:
            turns = (0,)
        elif ys[i] > 0.55:
            turns = (2,)
        else:  # a middle pip: either way up (an ace, the centre of a 3, 5 or 9)
            turns = (0, 2)
        k = max(turns, key=lambda t: suit_p[i, t].max())
        if suit_p[i, k].sum() < _SUIT_LIKE:
            return None  # a rank or a letter among the marks: an index, or no card
        p = suit_p[i, k]
        if colours[i] == RED:
            p = p * _RED_SUITS
        elif colours[i] == DARK:
            p = p * _DARK_SUITS
        # each pip's vote: its suit's share of what the mark may be, once its ink colour
        # has ruled out the other two suits (a blurred diamond reads half like a spade)
        votes += p / (float(p.sum()) + float(other[i, k]) + 1e-6)
    best = int(votes.argmax())
    share = float(votes[best] / max(float(votes.sum()), 1e-6))
    confidence = float(votes[best] / n)
    if share < _MIN_SUIT or confidence < _MIN_CONFIDENCE:
        return None
    if any(c == COLOURED for c in colours) and any(c != COLOURED for c in colours):
        return None  # pips of one card are printed in one ink
    return _RANKS[n] + CLASSES[_SUIT0 + best], min(_MAX_CONFIDENCE, confidence)


def read_pips(bgr: np.ndarray, white: np.ndarray | None = None) -> list[Face]:
    """The whole, uncovered card faces, with the number cards and aces read from their pips.

    Faces whose pips give no card still show how large the table's cards are.
    """
    if white is None:
        _, _, white = ink_map(bgr)
    out = []
    for pts, box, across in _card_faces(white):
        read = _read_face(bgr, pts)
        if read is None:
            out.append(Face(box, across))
        else:
            out.append(Face(box, across, read[0], round(read[1], 4)))
    return out
