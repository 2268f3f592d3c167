"""Find glyph candidates: small dark or coloured marks enclosed by card-white paper.

An index corner is a rank glyph with a suit glyph under it, printed on white. We look for
ink components (connected pixels clearly darker or more coloured than the paper around
them) whose surroundings are white, merge side-by-side pieces such as the ``1`` and ``0``
of ``10`` into one token, and cut each token into a small normalised patch for the
classifier. A glyph run into a thin card outline or the edge of an overlapping card is
no mark of its own; taking the long straight runs out of such ink cuts it free (a
rescued token, read as half of an index only); so does cutting a glyph joined to a pip or
art beside it at the thinnest neck between them. Nothing here knows about card designs;
shapes are read in ``classify``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import cv2
import numpy as np

PATCH = 20  # side of the square patch fed to the classifier

RESCUED = 3  # Token.piece of a piece cut out of ink that is no glyph of its own

__all__ = ["PATCH", "RESCUED", "Token", "find_tokens", "ink_map", "token_patches"]


@dataclass(frozen=True)
class Token:
    """One glyph candidate: its box (x, y, w, h) in image pixels and its ink area."""

    x: int
    y: int
    w: int
    h: int
    area: int
    labels: tuple[int, ...]
    turns: tuple[int, ...] = (0, 1, 2, 3)  # quarter turns in which it may be read
    piece: int = 0  # 1 or 2 for the halves of a mark cut in two, RESCUED, else 0
    # the token's own ink (h x w) when it is part of a component, else its labels' ink
    mask: np.ndarray | None = field(default=None, compare=False, repr=False)

    def ink(self, labels: np.ndarray) -> np.ndarray:
        """Boolean h x w mask of the token's ink."""
        if self.mask is not None:
            return self.mask
        lab = labels[self.y : self.y + self.h, self.x : self.x + self.w]
        mask = lab == self.labels[0]
        for extra in self.labels[1:]:
            mask |= lab == extra
        return mask

    @property
    def keys(self) -> tuple[tuple[int, int], ...]:
        """What the token is made of, for using each piece of ink in one card only."""
        return tuple((lab, self.piece) for lab in self.labels)

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


def ink_map(bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (darkest channel, local paper level, white-paper mask), all HxW.

    The paper level is a local maximum of the darkest channel, so red, blue and green ink
    counts as ink just like black, and a dimmed or tinted photo keeps its contrast. Ink
    darkness is ``1 - low / paper``; it is computed only where a token needs it.
    """
    b, g, r = cv2.split(bgr)
    low = cv2.min(cv2.min(b, g), r)
    k = max(9, (min(bgr.shape[:2]) // 60) | 1)
    paper = cv2.dilate(low, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    bright = float(np.percentile(low[::7, ::7], 99.5))
    floor = int(max(90.0, 0.55 * bright))
    thr = cv2.LUT(paper, _threshold_table(floor))
    white = (low >= thr) & (paper >= floor + 20)
    return low, paper, white


@functools.lru_cache(maxsize=64)
def _threshold_table(floor: int) -> np.ndarray:
    """The ink threshold max(0.72 * paper, floor) of every paper level, for cv2.LUT.

    Made by the very cv2 calls it stands for, once per floor: looking it up costs a tenth
    of multiplying a whole image by a scalar (cv2 expands the scalar to a full image).
    """
    return cv2.max(cv2.multiply(np.arange(256, dtype=np.uint8)[None, :], 0.72), floor)


def find_tokens(
    white: np.ndarray, min_h: int = 6, max_h: int | None = None, rescue: bool = True
) -> tuple[list[Token], np.ndarray]:
    """Ink components enclosed by white, merged side by side into tokens.

    With ``rescue``, glyph-sized pieces cut from larger ink by taking out its long straight
    runs are added as well (see ``_rescue``). Returns the tokens and the component label
    image (for cutting patches).
    """
    h_img = white.shape[0]
    max_h = max_h or max(40, h_img // 5)
    # ink can only be a glyph near paper: leaving out the open table far from any white
    # makes the labelling several times faster on a mostly dark screenshot
    near = cv2.dilate(white.view(np.uint8), cv2.getStructuringElement(cv2.MORPH_RECT, (31, 31)))
    notwhite = cv2.subtract(near, white.view(np.uint8))  # white lies within near: near & ~white
    _n, labels, stats = _components(notwhite)
    xs, ys, ws, hs, areas = (stats[:, i] for i in range(5))
    big, small = np.maximum(ws, hs), np.minimum(ws, hs)
    keep = (big >= min_h) & (big <= max_h) & (small >= 2) & (areas >= 10)
    keep &= areas <= 0.85 * ws * hs
    keep[0] = False
    comps = []
    enclosed = np.zeros(len(keep), bool)
    for i in np.flatnonzero(keep):
        x, y, w, h = int(xs[i]), int(ys[i]), int(ws[i]), int(hs[i])
        if _ringed(white, x, y, w, h, 0.6):
            comps.append((x, y, w, h, int(areas[i]), int(i)))
            enclosed[i] = True
    # Pieces of one glyph side by side ("1" and "0") are merged along the text direction;
    # a card lying across the image writes across it, so merge both ways: a merged token
    # is read only in the orientations of its axis, a piece only where it stays single.
    across = [(y, x, h, w, a, lab) for x, y, w, h, a, lab in comps]
    along_groups = _merge_side_by_side(comps)
    across_groups = [
        [(x, y, w, h, a, lab) for y, x, h, w, a, lab in g] for g in _merge_side_by_side(across)
    ]
    tokens = []
    single_turns = {lab: [0, 1, 2, 3] for *_, lab in comps}
    for groups, turns in ((along_groups, (0, 2)), (across_groups, (1, 3))):
        for g in groups:
            if len(g) == 1:
                continue
            for *_, lab in g:
                for k in turns:
                    if k in single_turns[lab]:
                        single_turns[lab].remove(k)
            if len(g) == 2:  # three or more pieces in a row is text, not a rank
                tokens.append(_token(g, turns))
    for comp in comps:
        if single_turns[comp[5]]:
            tokens.append(_token([comp], tuple(single_turns[comp[5]])))
        tokens += _split_stacked(comp, labels)
    if rescue:
        tokens += _rescue(white, notwhite, labels, stats, enclosed, min_h, max_h)
    return tokens, labels


def _components(binary: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """8-connected components of a 0/1 uint8 image: (count, label image, stats).

    16-bit labels when they fit: OpenCV gathers the stats two or three times faster for
    them than for 32-bit labels (7 ms instead of 17 ms on a 1080p screenshot, the largest
    single step of a read). It raises when the labels overflow 16 bits; then (an image of
    more than 65535 marks) they are counted in 32 bits.
    """
    try:
        n, labels, stats, _ = cv2.connectedComponentsWithStats(
            binary, connectivity=8, ltype=cv2.CV_16U
        )
    except cv2.error:
        n, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    return n, labels, stats


def _ringed(white: np.ndarray, x: int, y: int, w: int, h: int, share: float) -> bool:
    """Whether the margin around box (x, y, w, h) is at least ``share`` white paper."""
    h_img, w_img = white.shape
    m = max(1, round(0.1 * max(w, h)))
    x0, y0, x1, y1 = x - m, y - m, x + w + m, y + h + m
    if x0 < 0 or y0 < 0 or x1 > w_img or y1 > h_img:
        return False
    win = white[y0:y1, x0:x1]
    ring = np.count_nonzero(win) - np.count_nonzero(white[y : y + h, x : x + w])
    return ring >= share * (win.size - w * h)


def _rescue(
    white: np.ndarray,
    notwhite: np.ndarray,
    labels: np.ndarray,
    stats: np.ndarray,
    enclosed: np.ndarray,
    min_h: int,
    max_h: int,
) -> list[Token]:
    """Glyphs run into a neighbour: pieces of ink that is no glyph of its own.

    An index rank or suit touching a thin card outline or the edge of an overlapping card
    makes one large component that is not enclosed by white. Long thin straight runs
    (edges, outlines) are taken out of it. Pieces of what is left that are of glyph size,
    with mostly white around them and clearly less ink than the component they came from,
    are offered as tokens carrying their own ink mask (``Token.piece`` is ``RESCUED``).
    A corner rank joined to the big pip or the court art beside it is cut off that at
    its thinnest neck (see ``_neck_cut``) and offered the same way.
    """
    xs, ys, ws, hs, areas = (stats[:, i] for i in range(5))
    big = np.maximum(ws, hs)
    cand = ~enclosed & (big > max_h) & (areas >= 10)
    cand[0] = False
    if not cand.any():
        return []
    idx = np.flatnonzero(cand)  # few: marks larger than any glyph
    # their bounding box, with a blank margin so that runs end at its sides
    h_img, w_img = white.shape
    cx0, cy0 = max(0, int(xs[idx].min()) - 1), max(0, int(ys[idx].min()) - 1)
    cx1 = min(w_img, int((xs[idx] + ws[idx]).max()) + 1)
    cy1 = min(h_img, int((ys[idx] + hs[idx]).max()) + 1)
    lab_c = labels[cy0:cy1, cx0:cx1]
    ink = np.zeros(lab_c.shape, np.uint8)
    for i in idx:
        x, y, w, h = int(xs[i]) - cx0, int(ys[i]) - cy0, int(ws[i]), int(hs[i])
        ink[y : y + h, x : x + w] |= (lab_c[y : y + h, x : x + w] == i).view(np.uint8)
    # an outline, a card's edge or the table's side runs on straight for longer than a
    # fifth of the image, far longer than any glyph is tall
    run = max(24, min(h_img, w_img) // 5)
    long_h = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, run), np.uint8))
    long_v = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((run, 1), np.uint8))
    ink = cv2.subtract(ink, cv2.max(long_h, long_v))  # ink & ~(long_h | long_v), on 0s and 1s
    _n, plab, pstats = _components(ink)
    pw, ph, pa = pstats[:, 2], pstats[:, 3], pstats[:, 4]
    pbig, psmall = np.maximum(pw, ph), np.minimum(pw, ph)
    # glyph-sized, not a stroke or a strip of an edge left over
    ok = (pbig >= min_h) & (pbig <= max_h) & (psmall >= 0.3 * pbig) & (pa >= 10)
    ok &= pa <= 0.85 * pw * ph
    ok[0] = False
    pieces, masks = [], []
    for i in np.flatnonzero(ok):
        x, y, w, h, area = (int(c) for c in pstats[i])
        pieces.append((x, y, w, h, area))
        masks.append(plab[y : y + h, x : x + w] == i)
    # a glyph joined to a pip or to court art beside it by a thin neck: what stays of
    # the larger pieces after the neck is eroded away, grown back over its own ink
    wide = (pbig >= 3 * min_h) & (psmall >= min_h) & (pbig <= 2 * max_h) & (pa >= 0.15 * pw * ph)
    wide[0] = False
    boxes = [(i, *(int(c) for c in pstats[i, :4])) for i in np.flatnonzero(wide)]
    marks = [plab[y : y + h, x : x + w] == i for i, x, y, w, h in boxes]
    for (_i, x, y, _w, _h), parts in zip(boxes, _neck_cuts(marks, min_h, max_h), strict=True):
        for px, py, pw, ph, pmask in parts:
            pieces.append((x + px, y + py, pw, ph, int(np.count_nonzero(pmask))))
            masks.append(pmask)
    out: list[Token] = []
    lab_id = int(labels.max()) + 1
    for (x, y, w, h, area), mask in zip(pieces, masks, strict=True):
        if not _ringed(white, cx0 + x, cy0 + y, w, h, 0.4):
            continue
        src = lab_c[y : y + h, x : x + w][mask]
        if area > 0.8 * areas[int(np.bincount(src).argmax())]:
            continue  # nothing was cut off: a mark that is not enclosed by white
        out.append(Token(cx0 + x, cy0 + y, w, h, area, (lab_id,), piece=RESCUED, mask=mask))
        lab_id += 1
    return out


def _neck_cuts(masks: list[np.ndarray], min_h: int, max_h: int, depth: int = 3) -> list[list]:
    """``_neck_cut`` of each mark of ``masks``, made for all of them together.

    A table has dozens of such marks and most numpy calls of a cut act on a few hundred
    pixels, so the marks are cut together: stacked in one image, one under the other, their
    thin columns and rows found from its profiles, the parts from one labelling. Each mark
    starts on an even row at the image's left side, under blank rows, with a blank column
    right of the widest: OpenCV labels 2x2 blocks in raster order, so the parts of each mark
    come in the order ``_neck_cut`` finds them in the mark alone. The parts still too large
    are cut again, all together, and follow their mark's glyph-sized parts last first, as
    ``_neck_cut``'s stack of work gives them. Returns, per mark, the (x, y, w, h, mask)
    list ``_neck_cut`` returns for it.
    """
    n = len(masks)
    if not n:
        return []
    ws = np.array([m.shape[1] for m in masks], np.int64)
    hs = np.array([m.shape[0] for m in masks], np.int64)
    width = int(ws.max()) + 1
    bands = (hs + 2) // 2 * 2  # at least one blank row under each mark, an even height
    tops = np.cumsum(bands) - bands
    stack = np.zeros((int(bands.sum()), width), np.uint8)
    for top, m in zip(tops.tolist(), masks, strict=True):
        stack[top : top + m.shape[0], : m.shape[1]] = m
    half = min_h // 2
    # both profiles from one integral image: a mark's column profile is its band's sums
    whole = cv2.integral(stack)
    cols = np.diff(whole[tops + bands] - whole[tops], axis=1)
    at = np.arange(width)
    low = cols <= 0.15 * cols.max(axis=1)[:, None]
    low &= (at >= half) & (at < (ws - half)[:, None]) & (ws >= 2 * min_h)[:, None]
    col_mark, col_at = np.divmod(_thinnest_of_runs(cols.ravel(), low.ravel()), width)
    # thin rows: the stack's row profile, each mark's rows a band of it
    rows = np.diff(whole[:, -1])
    mark = np.repeat(np.arange(n), bands)
    at = np.arange(len(rows)) - tops[mark]
    low = rows <= 0.15 * np.maximum.reduceat(rows, tops)[mark]
    low &= (at >= half) & (at < (hs - half)[mark]) & (hs >= 2 * min_h)[mark]
    row_at = _thinnest_of_runs(rows, low)
    cut = np.zeros(n, bool)
    cut[col_mark] = True
    cut[mark[row_at]] = True
    if not cut.any():
        return [[] for _ in range(n)]
    # cut the marks there; a mark without a cut takes no part in the labelling
    across = np.zeros((n, width), bool)
    across[col_mark, col_at] = True
    stack[np.repeat(across, bands, axis=0)] = 0
    stack[row_at] = 0
    stack[np.repeat(~cut, bands)] = 0
    _k, plab, pstats = _components(stack)
    px, py, pw, ph, pa = (pstats[1:, c].astype(np.int64) for c in range(5))
    owner = np.searchsorted(tops, py, side="right") - 1
    apart = np.bincount(owner, minlength=n)[owner] >= 2  # the cut made two parts or more
    big, small = np.maximum(pw, ph), np.minimum(pw, ph)
    glyph = apart & (big >= min_h) & (big <= max_h) & (small >= 0.3 * big)
    glyph &= (pa >= 10) & (pa <= 0.85 * pw * ph)
    again = apart & ~glyph & (big > max_h) & (depth > 1)
    out: list[list] = [[] for _ in range(n)]
    later: list[tuple[int, int, int]] = []  # (mark, x, y) of each part cut again
    later_masks = []
    for j in np.flatnonzero(glyph | again).tolist():
        p, x, y, w, h = int(owner[j]), int(px[j]), int(py[j]), int(pw[j]), int(ph[j])
        part = plab[y : y + h, x : x + w] == j + 1
        y -= int(tops[p])
        if glyph[j]:
            out[p].append((x, y, w, h, part))
        else:
            later.append((p, x, y))
            later_masks.append(part)
    for (p, ox, oy), parts in reversed(
        list(zip(later, _neck_cuts(later_masks, min_h, max_h, depth - 1), strict=True))
    ):
        out[p] += [(ox + x, oy + y, w, h, m) for x, y, w, h, m in parts]
    return out


def _thinnest_of_runs(prof: np.ndarray, low: np.ndarray) -> np.ndarray:
    """Index of the first smallest ``prof`` value in each run of True in ``low``.

    ``low`` must end False (so that every run ends inside it).
    """
    edges = np.flatnonzero(np.diff(np.concatenate(([0], low.view(np.int8)))))
    if not len(edges):
        return edges
    starts = edges[::2]
    least = np.minimum.reduceat(prof, edges)[::2]  # the minimum of each [start, end)
    begins = np.zeros(len(prof), np.int32)
    begins[starts] = 1
    run = np.cumsum(begins) - 1
    hits = np.flatnonzero(low & (prof == least[np.maximum(run, 0)]))
    first = np.concatenate(([True], np.diff(run[hits]) != 0))
    return hits[first]


def _neck_cut(ink: np.ndarray, min_h: int, max_h: int, depth: int = 3) -> list:
    """Glyph-sized parts of a mark held to the rest only by thin necks.

    The mark is cut across at the columns (then rows) where it holds clearly less ink than
    at its thickest, at each such local thinnest place; what falls apart is kept when
    glyph-sized and cut again (up to ``depth`` times) when still too large. Returns
    (x, y, w, h, mask) of the parts, in the mark's coordinates. This is the cut of one mark
    as it reads plainly; the reader makes it for all marks at once with ``_neck_cuts``,
    which the tests hold to this.
    """
    out: list = []
    work = [(0, 0, ink, depth)]
    while work:
        ox, oy, m, d = work.pop()
        cuts = [_thinnest(m, axis, min_h) for axis in (0, 1)]
        if cuts[0] is None and cuts[1] is None:
            continue
        cut = m.copy()
        if cuts[0] is not None:
            cut[:, cuts[0]] = False
        if cuts[1] is not None:
            cut[cuts[1], :] = False
        k, clab, cstats = _components(cut.view(np.uint8))
        if k <= 2:
            continue
        # the parts' sizes judged all at once; masks cut only for the parts kept or cut again
        cw, ch, ca = cstats[1:, 2], cstats[1:, 3], cstats[1:, 4]
        big, small = np.maximum(cw, ch), np.minimum(cw, ch)
        glyph = (big >= min_h) & (big <= max_h) & (small >= 0.3 * big)
        glyph &= (ca >= 10) & (ca <= 0.85 * cw * ch)
        again = ~glyph & (big > max_h) & (d > 1)
        for i in np.flatnonzero(glyph | again) + 1:
            x, y, w, h, _area = (int(c) for c in cstats[i])
            part = (ox + x, oy + y, clab[y : y + h, x : x + w] == i)
            if glyph[i - 1]:
                out.append((part[0], part[1], w, h, part[2]))
            else:
                work.append((*part, d - 1))
    return out


def _thinnest(m: np.ndarray, axis: int, min_h: int) -> np.ndarray | None:
    """Where ``_neck_cut`` cuts mask ``m`` across: the columns (axis 0) or rows (axis 1)
    that are each the thinnest of a run holding under 15% of the ink of the thickest, at
    least min_h / 2 from the mark's ends; None when there are none."""
    n = m.shape[1 - axis]
    if n < 2 * min_h:
        return None
    prof = cv2.reduce(m.view(np.uint8), axis, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel()
    # each run of thin columns (rows) is cut once, where it is thinnest
    low = prof <= 0.15 * prof.max()
    low[: min_h // 2] = False
    low[n - min_h // 2 :] = False
    if not low.any():
        return None
    edges = np.flatnonzero(np.diff(np.concatenate(([0], low.view(np.int8), [0]))))
    return np.array(
        [a + int(np.argmin(prof[a:b])) for a, b in zip(edges[::2], edges[1::2], strict=True)]
    )


def _split_stacked(comp: tuple[int, int, int, int, int, int], labels: np.ndarray) -> list[Token]:
    """A rank and its suit blurred into one tall mark: cut it at its narrowest waist.

    Small, blurred or JPEG-damaged indices often join the rank to the suit under it. A mark
    about twice as tall as wide (or wide as tall, on a card lying across) is also offered
    as two pieces, cut where the ink is thinnest in its middle; the pieces keep the
    component's label and are told apart by their boxes.
    """
    x, y, w, h, _area, lab = comp
    if max(w, h) < 12 or max(w, h) < 1.9 * min(w, h):
        return []
    mask = labels[y : y + h, x : x + w] == lab
    tall = h > w
    profile = mask.sum(axis=1 if tall else 0)
    n = len(profile)
    lo, hi = int(0.3 * n), int(0.75 * n)
    if hi <= lo:
        return []
    cut = lo + int(np.argmin(profile[lo:hi]))
    if profile[cut] > 0.35 * profile.max():
        return []
    out = []
    for piece, (a, b) in enumerate(((0, cut), (cut + 1, n))):
        sub = mask[a:b] if tall else mask[:, a:b]
        rows = np.flatnonzero(sub.any(axis=1))
        cols = np.flatnonzero(sub.any(axis=0))
        if len(rows) < 3 or len(cols) < 2:
            return []
        oy, ox = (a, 0) if tall else (0, a)
        px, py = x + ox + int(cols[0]), y + oy + int(rows[0])
        pw, ph = int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1)
        turns = (0, 2) if tall else (1, 3)
        out.append(Token(px, py, pw, ph, int(np.count_nonzero(sub)), (lab,), turns, piece + 1))
    return out


def _token(group: list[tuple[int, int, int, int, int, int]], turns: tuple[int, ...]) -> Token:
    gx = min(g[0] for g in group)
    gy = min(g[1] for g in group)
    gx1 = max(g[0] + g[2] for g in group)
    gy1 = max(g[1] + g[3] for g in group)
    area = sum(g[4] for g in group)
    return Token(gx, gy, gx1 - gx, gy1 - gy, area, tuple(g[5] for g in group), turns)


def _merge_side_by_side(
    comps: list[tuple[int, int, int, int, int, int]],
) -> list[list[tuple[int, int, int, int, int, int]]]:
    """Groups of components that sit side by side left to right at one height."""
    comps = sorted(comps)
    used = [False] * len(comps)
    out = []
    for i, (x, y, w, h, a, lab) in enumerate(comps):
        if used[i]:
            continue
        group = [(x, y, w, h, a, lab)]
        used[i] = True
        right = x + w
        for j in range(i + 1, len(comps)):
            if used[j]:
                continue
            x2, y2, w2, h2, _a2, _lab2 = comps[j]
            if x2 - right > 0.4 * h:
                break
            overlap = min(y + h, y2 + h2) - max(y, y2)
            if 0.8 * h <= h2 <= 1.25 * h and overlap >= 0.75 * max(h, h2) and x2 >= right - 1:
                group.append(comps[j])
                used[j] = True
                right = max(right, x2 + w2)
        out.append(group)
    return out


def _ink_pixels(
    tokens: list[Token], labels: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Where the tokens' ink lies, for reading it once for all tokens together.

    Returns (counts, owner, rows, cols): each token's ink pixel count, and for every ink
    pixel (token after token, in row-major order) its token and its row and column in the
    token's box (``_flat`` turns them into flat indices into an image). Per token
    only its mask is made in Python: a table has a hundred or more tokens, and a dozen
    small numpy calls per token cost more than the arithmetic over all of their pixels.
    """
    local = [np.flatnonzero(t.ink(labels)) for t in tokens]
    counts = np.array([len(i) for i in local], np.int64)
    owner = np.repeat(np.arange(len(tokens)), counts)
    local_all = np.concatenate(local) if local else np.zeros(0, np.int64)
    w = np.array([t.w for t in tokens], np.int64)[owner]
    rows = local_all // w
    return counts, owner, rows, local_all - rows * w


def _flat(tokens: list[Token], owner: np.ndarray, rows: np.ndarray, cols: np.ndarray, width: int):
    """Flat indices into an image ``width`` pixels wide of the ink pixels of ``_ink_pixels``."""
    x = np.array([t.x for t in tokens], np.int64)[owner]
    y = np.array([t.y for t in tokens], np.int64)[owner]
    return (y + rows) * width + x + cols


def token_patches(
    tokens: list[Token], labels: np.ndarray, low: np.ndarray, paper: np.ndarray
) -> np.ndarray:
    """Cut each token into four PATCH x PATCH patches (rotated 0, 90, 180, 270 degrees).

    Returns an array (len(tokens), 4, PATCH * PATCH + 1) of float32: the ink darkness inside
    the token's own components, padded to a square, and the token's aspect ratio.
    """
    n = len(tokens)
    patches = np.zeros((n, PATCH, PATCH), np.float32)
    aspects = np.array([t.w / t.h for t in tokens], np.float32)
    counts, owner, rows, cols = _ink_pixels(tokens, labels)
    flat = _flat(tokens, owner, rows, cols, low.shape[1])
    lo = np.ravel(low)[flat].astype(np.float32)
    pa = np.maximum(np.ravel(paper)[flat].astype(np.float32), 1.0)
    # ink darkness 1 - low / paper of every ink pixel of every token, scaled to its token's
    # darkest pixel (at least 1e-3), as float32 throughout
    dark = np.clip(1.0 - lo / pa, 0.0, 1.0)
    starts = np.cumsum(counts) - counts
    peak = np.zeros(n, np.float32)
    inked = counts > 0
    if inked.any():
        peak[inked] = np.maximum.reduceat(dark, starts[inked])
    dark /= np.repeat(np.maximum(peak, 1e-3), counts)
    # every token's ink centred in a square of its longer side, all squares in one buffer
    sides = np.array([max(t.w, t.h) for t in tokens], np.int64)
    offsets = np.cumsum(sides * sides) - sides * sides
    oy = np.array([(max(t.w, t.h) - t.h) // 2 for t in tokens], np.int64)
    ox = np.array([(max(t.w, t.h) - t.w) // 2 for t in tokens], np.int64)
    squares = np.zeros(int((sides * sides).sum()), np.float32)
    side = sides[owner]
    squares[offsets[owner] + (oy[owner] + rows) * side + ox[owner] + cols] = dark
    for t_i, (o, sd) in enumerate(zip(offsets.tolist(), sides.tolist(), strict=True)):
        sq = squares[o : o + sd * sd].reshape(sd, sd)
        patches[t_i] = cv2.resize(sq, (PATCH, PATCH), interpolation=cv2.INTER_AREA)
    out = np.empty((n, 4, PATCH * PATCH + 1), np.float32)
    for k in range(4):  # the patch as seen after turning the image k quarter turns clockwise
        out[:, k, :-1] = np.rot90(patches, -k, axes=(1, 2)).reshape(n, PATCH * PATCH)
        out[:, k, -1] = aspects if k % 2 == 0 else 1.0 / aspects
    return out


RED, DARK, COLOURED = 0, 1, 2


def token_colours(tokens: list[Token], labels: np.ndarray, bgr: np.ndarray) -> np.ndarray:
    """Ink colour class of each token: RED, DARK (black or grey) or COLOURED (blue, green...).

    Only a hint: red ink is a heart or diamond and black ink a spade or club in 2-colour
    and 4-colour decks alike (4-colour decks recolour diamonds and clubs, never make a
    spade red or a heart black); other colours say nothing.
    """
    n = len(tokens)
    out = np.full(n, COLOURED, np.int8)
    if not n:
        return out
    counts, owner, rows, cols = _ink_pixels(tokens, labels)
    px = np.take(bgr.reshape(-1, 3), _flat(tokens, owner, rows, cols, bgr.shape[1]), axis=0)
    low = np.minimum(np.minimum(px[:, 0], px[:, 1]), px[:, 2])
    # the darkest half of the ink: the stroke cores, least mixed with the paper. A pixel is
    # in it when at most its token's median (the mean of the two middle values when the
    # count is even): 2 * low <= the two middle values' sum, in integers
    order = np.sort(owner * 256 + low) & 255
    starts = np.cumsum(counts) - counts
    inked = counts > 0
    mid = np.zeros(n, np.int64)
    mid[inked] = (
        order[starts[inked] + (counts[inked] - 1) // 2] + order[starts[inked] + counts[inked] // 2]
    )
    core = 2 * low.astype(np.int64) <= mid[owner]
    # mean colour of the cores, as cv2.mean takes it: integer sums times 1 / count (the
    # pixels come token after token, so each token's sum is one segment of a reduceat)
    size = np.bincount(owner[core], minlength=n)
    sums = np.zeros((n, 3), np.int64)
    sums[inked] = np.add.reduceat(px[core], (np.cumsum(size) - size)[inked], axis=0, dtype=np.int64)
    b, g, r = (sums * (1.0 / np.maximum(size, 1))[:, None]).T
    red = inked & (r - np.maximum(g, b) > 45) & (r > 90)
    dark = inked & ~red & (np.maximum(np.maximum(b, g), r) - np.minimum(np.minimum(b, g), r) < 35)
    out[red] = RED
    out[dark] = DARK
    return out
