"""Read the face-up cards of a table image: index corners -> cards -> roles.

Every card prints its index (rank over suit, or rank beside suit on jumbo-index decks) in
a corner. We classify glyph candidates in all four quarter-turn orientations, pair each
rank with a suit that sits below it (or beside it) in the same orientation, keep the best
reading of each card and estimate the card's box from the size of its index.

A card's own pips, drawn larger than its index, back the index up: they outvote a
few-pixel index suit, and give the suit of a corner rank whose index suit is hidden under
the other hole card or a name plate. An index suit that ran into the edge of the card
over it is cut free of the edge's long straight runs.

Whole, uncovered faces are read from their pips as well (``pips``): a number card or ace
whose index is too small to read gets its card from the count, a misread small index is
corrected by it, and every face gives the true size of the table's cards, to which the
boxes estimated from indices are redrawn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

from engine.vision.classify import CLASSES, predict
from engine.vision.decode import decode_image
from engine.vision.glyphs import (
    COLOURED,
    DARK,
    RED,
    RESCUED,
    Token,
    find_tokens,
    ink_map,
    token_colours,
    token_patches,
)
from engine.vision.pips import read_pips
from engine.vision.roles import assign_roles

__all__ = ["DetectedCard", "TableRead", "read_table"]

_N_RANKS = 13
_SUIT0 = 13
_MAX_SIDE = 2200  # larger images are shrunk first: index glyphs stay well above 10 px
# index glyphs below this height (pixels) lose the suit under the rank: read again enlarged
_SMALL_GLYPH = 11.0
_UPSCALE = 2.5
_SECOND_MIN = 0.5
_BUDGET = 1.5
# unsharp mask (amount, blur in pixels) of enlarged crops with small indices, and of others
_SHARPEN = (2.0, 3.0)
_SHARPEN_MILD = (1.0, 2.0)
_SMALL_PAPER = 90  # paper narrower than this (pixels) holds small indices: read it enlarged
_ROOM_SHARE = 0.8  # paper with fewer cards than this share of its room is read again
_MIN_PAIR_SCORE = 0.25
# a merged mark this likely a ten keeps its pieces merged; otherwise a piece this sure of
# being a rank is read alone
_TENISH = 0.2
_PIECE_RANK = 0.8
# letters of a word: on one line (centres within this share of the height), of about one
# height (within this factor) and this close (gaps, in heights)
_TEXT_LINE = 0.25
_TEXT_HEIGHTS = 1.5
_TEXT_GAP = 0.8
_MIN_CUT_SCORE = 0.8  # for a rank and suit cut apart from one mark
_MIN_RELATIVE_SIZE = 0.68
_MAX_RELATIVE_SIZE = 1.75
# a rank paired with a pip instead of its index suit: surer readings only, ranked below
_PIP_RANK_MIN = 0.8
_PIP_SUIT_MIN = 0.8
_PIP_WEIGHT = 0.4
_PIP_REACH = 8.0  # in rank heights
_PIP_VOTERS = 4  # the pips nearest an index that vote on its suit
_RED_SUITS = np.array([0.05, 1.0, 1.0, 0.05], np.float32)  # s h d c
_DARK_SUITS = np.array([1.0, 0.05, 0.05, 1.0], np.float32)
# index glyph height as a share of the card's height, for the box estimate
_GLYPH_TO_CARD = 0.12
_CARD_ASPECT = 0.7
# an index reading this sure stands against a count of pips that disagrees with it
_SURE_INDEX = 0.99


@dataclass(frozen=True)
class DetectedCard:
    """One card read from the image: ``card`` ("Ah"), ``box`` (x, y, w, h), ``confidence``.

    ``orientation``: clockwise quarter turns of the image that make the index corner read
    upright. A card's two corners are a half turn apart, so it gives the card's axis (0 or
    2: the card stands up or down the image; 1 or 3: it lies across), not its top.
    """

    card: str
    box: tuple[int, int, int, int]
    confidence: float
    orientation: int = 0


@dataclass(frozen=True)
class TableRead:
    """All the cards found, the game ("poker", "blackjack" or None) and role -> cards."""

    cards: list[DetectedCard]
    game: str | None
    roles: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> dict:
        """The command line's JSON shape: card list, roles, detections with boxes."""
        return {
            "cards": [c.card for c in self.cards],
            "roles": {k: list(v) for k, v in self.roles.items()},
            "detections": [
                {"card": c.card, "box": list(c.box), "confidence": round(c.confidence, 3)}
                for c in self.cards
            ],
        }


def _turn(dx: float, dy: float, k: int) -> tuple[float, float]:
    """A displacement as seen after k clockwise quarter turns of the image."""
    for _ in range(k % 4):
        dx, dy = -dy, dx
    return dx, dy


def _pair_geometry(rank: Token, suit: Token, k: int) -> float:
    """How well ``suit`` sits where an index puts the suit of ``rank`` (0 = not at all)."""
    rh = rank.h if k % 2 == 0 else rank.w
    rw = rank.w if k % 2 == 0 else rank.h
    sh = suit.h if k % 2 == 0 else suit.w
    dx, dy = _turn(suit.cx - rank.cx, suit.cy - rank.cy, k)
    if not 0.3 * rh <= sh <= 1.7 * rh:
        return 0.0
    # suit below the rank (the usual index)
    if 0.45 * rh <= dy <= 2.1 * rh and abs(dx) <= 0.5 * rw + 0.5 * dy:
        return 1.0 - 0.5 * abs(dx) / (0.5 * rw + 0.5 * dy + 1e-6)
    # suit beside the rank (jumbo indices print it to the right, level with the rank, and
    # no larger than it: a larger mark there is a pip); a card tilted by up to 15 degrees
    # (hole cards often are) moves it up or down by up to tan(15) = 0.27 of its distance
    tilt = 0.27 * dx
    if 0.6 * rh <= dx <= 3.6 * rh and abs(dy) <= 0.3 * rh + tilt and 0.7 * rh <= sh <= 1.15 * rh:
        return 0.8 - 0.1 * dx / rh
    return 0.0


def _pip_geometry(rank: Token, pip: Token, k: int) -> bool:
    """Could ``pip`` be a pip of the card whose index rank is ``rank`` (orientation k)?

    Pips lie toward the card's middle from its index: right of the rank's left edge and
    below its top, within a card's reach, and are at least about the rank's size (the big
    pip of a jumbo-index ace or five is several times it).
    """
    rh = rank.h if k % 2 == 0 else rank.w
    rw = rank.w if k % 2 == 0 else rank.h
    sh = pip.h if k % 2 == 0 else pip.w
    dx, dy = _turn(pip.cx - rank.cx, pip.cy - rank.cy, k)
    if not 0.8 * rh <= sh <= 4.0 * rh:
        return False
    return dx >= -0.5 * rw and dy >= -0.5 * rh and math.hypot(dx, dy) <= _PIP_REACH * rh


def _in_corner(rank: Token, k: int, white: np.ndarray) -> bool:
    """Is ``rank`` printed in a card's corner: no card paper just above it and left of it?

    An index sits within a rank's height of two card edges; a rank-like mark amid paper
    (a pip, a court card's pattern) does not.
    """
    rh = rank.h if k % 2 == 0 else rank.w
    hi, wi = white.shape
    for ux, uy in ((-1.0, 0.0), (0.0, -1.0)):  # left and up in the upright frame
        vx, vy = _turn(ux, uy, -k)
        t = np.linspace(1.4, 2.2, 9) * rh
        xs = (rank.cx + vx * t).astype(int)
        ys = (rank.cy + vy * t).astype(int)
        ok = (xs >= 0) & (xs < wi) & (ys >= 0) & (ys < hi)
        if ok.any() and float(white[ys[ok], xs[ok]].mean()) > 0.5:
            return False
    return True


_WAY = np.linspace(0.0, 1.0, 25).tolist()  # where _same_paper looks, from a to b


def _same_paper(a: Token, b: Token, white: np.ndarray) -> bool:
    """Is the way from glyph ``a`` to glyph ``b`` white paper (one card, no edge between)?

    25 points in plain Python: it is asked for every rank and suit paired, and a dozen
    numpy calls on 25 values cost several times the arithmetic.
    """
    hi, wi = white.shape
    dx, dy = b.cx - a.cx, b.cy - a.cy
    looked = paper = 0
    for t in _WAY:
        x, y = a.cx + dx * t, a.cy + dy * t
        if (a.x <= x < a.x + a.w and a.y <= y < a.y + a.h) or (
            b.x <= x < b.x + b.w and b.y <= y < b.y + b.h
        ):
            continue
        looked += 1
        paper += bool(white[min(max(int(y), 0), hi - 1), min(max(int(x), 0), wi - 1)])
    return not looked or paper / looked >= 0.7


def _card_box(rank: Token, k: int, shape: tuple[int, int]) -> tuple[int, int, int, int]:
    """Axis-aligned box of a card whose index rank glyph is ``rank`` in orientation k."""
    rh = rank.h if k % 2 == 0 else rank.w
    ch = rh / _GLYPH_TO_CARD
    cw = ch * _CARD_ASPECT
    # corners of the card in the upright frame, relative to the rank glyph's centre
    corners = [
        (-0.12 * cw, -0.1 * ch),
        (0.88 * cw, -0.1 * ch),
        (0.88 * cw, 0.9 * ch),
        (-0.12 * cw, 0.9 * ch),
    ]
    pts = [_turn(x, y, -k) for x, y in corners]
    xs = [rank.cx + p[0] for p in pts]
    ys = [rank.cy + p[1] for p in pts]
    x0, y0 = max(0, int(min(xs))), max(0, int(min(ys)))
    x1, y1 = min(shape[1], math.ceil(max(xs))), min(shape[0], math.ceil(max(ys)))
    return x0, y0, max(1, x1 - x0), max(1, y1 - y0)


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """Intersection of two (x, y, w, h) boxes over the smaller one's area."""
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    return w * h / min(a[2] * a[3], b[2] * b[3])


def _with_partner(tokens: list[Token]) -> list[Token]:
    """Keep the tokens that have a neighbour of index-like size and distance (the other
    half of a rank-suit pair); lone marks cannot be half of an index."""
    if len(tokens) < 2:
        return []
    c = np.array([(t.cx, t.cy) for t in tokens])
    h = np.array([max(t.h, t.w) for t in tokens], np.float64)
    d = np.hypot(c[:, None, 0] - c[None, :, 0], c[:, None, 1] - c[None, :, 1])
    ratio = h[None, :] / h[:, None]
    reach = 3.8 * np.maximum(h[:, None], h[None, :])
    ok = (d <= reach) & (ratio >= 0.3) & (ratio <= 3.4) & (d > 0)
    return [t for t, keep in zip(tokens, ok.any(axis=1), strict=True) if keep]


def _in_text(tokens: list[Token], suitlike: np.ndarray, white: np.ndarray) -> np.ndarray:
    """Which tokens sit inside a line of text: two or more marks of their height beside
    them on their line, each close enough to be a letter of one word, and no suit.

    Chat, player names and buttons print rank- and suit-like letters; a card's index stands
    alone on its line (its neighbours are pips, larger and off its line, or the next card's
    index, a card's width away) but for its own suit, beside it on jumbo indices and cards
    lying across the image, and for a hole card's index beside the one of the card over it.
    """
    n = len(tokens)
    if n < 3:
        return np.zeros(n, bool)
    x0 = np.array([t.x for t in tokens], np.float32)
    x1 = x0 + np.array([t.w for t in tokens], np.float32)
    cy = np.array([t.cy for t in tokens], np.float32)
    h = np.array([t.h for t in tokens], np.float32)
    gap = np.maximum(x0[None, :] - x1[:, None], x0[:, None] - x1[None, :])
    ratio = h[None, :] / h[:, None]
    near = (
        (np.abs(cy[None, :] - cy[:, None]) <= _TEXT_LINE * h[:, None])
        & (ratio >= 1 / _TEXT_HEIGHTS)
        & (ratio <= _TEXT_HEIGHTS)
        & (gap <= _TEXT_GAP * h[:, None])
        & (gap > -0.15 * h[:, None])  # overlapping marks are pieces of one glyph, not letters
    )
    near &= ~suitlike[None, :]
    np.fill_diagonal(near, False)
    # letters of a word share their background; a hole card's index and the one of the card
    # over it beside it ("5" "10") have that card's edge between them
    for i, j in zip(*np.nonzero(near), strict=True):
        near[i, j] = _same_paper(tokens[i], tokens[j], white)
    # only letters between two others: taking a run's end letters too lost more cards
    # (an index beside a pip and a neighbour's mark) than it saved misreads
    return near.sum(axis=1) >= 2


def _unmerge(tokens: list[Token], probs: np.ndarray, allowed: np.ndarray) -> None:
    """Undo side-by-side merges that did not make a ten (in place).

    Two marks side by side are merged so that the "1" and "0" of a ten read as one rank,
    and the pieces are then not read on their own along that axis. A suit is one mark, so
    a merged token is never a suit; and where the merge does not read as a ten, pieces
    that read as suits (two suits side by side: two small cards' indices next to each
    other) are read alone, and so are pieces that surely read as a rank where the merge
    is not even partly a ten (a hole card's rank beside the "1" of the card over it).
    """
    ten = CLASSES.index("T")
    single = {t.labels[0]: i for i, t in enumerate(tokens) if len(t.labels) == 1 and not t.piece}
    for i, t in enumerate(tokens):
        if len(t.labels) < 2:
            continue
        probs[i, :, _SUIT0 : _SUIT0 + 4] = 0.0
        if any(probs[i, k].argmax() == ten for k in t.turns):
            continue  # a ten, read one way up (upside down it reads as "01")
        tenish = probs[i, list(t.turns), ten].max() >= _TENISH
        for k in t.turns:
            for lab in t.labels:
                j = single.get(lab)
                if j is None:
                    continue
                if probs[j, k, _SUIT0 : _SUIT0 + 4].max() > 0.5:
                    allowed[j, k] = True
                elif not tenish and probs[j, k, :_N_RANKS].max() >= _PIECE_RANK:
                    allowed[j, k] = True  # a rank beside the edge or index of a card over it


def _suit_cut_free(
    rank: Token, k: int, bgr: np.ndarray, low: np.ndarray, paper: np.ndarray, white: np.ndarray
) -> tuple[Token, np.ndarray, int] | None:
    """The index suit under ``rank`` when it touches an edge: (token, suit probs, colour).

    On overlapping hole cards the suit under a rank often runs into the edge of the card
    lying over it (or a bar under the cards), so its ink joins the edge line and is no
    glyph of its own. Taking the long straight runs out of the ink under the rank cuts it
    free.
    """
    rh = rank.h if k % 2 == 0 else rank.w
    pts = [
        _turn(u * rh, v * rh, -k) for u, v in ((-0.9, 0.55), (0.9, 0.55), (0.9, 2.0), (-0.9, 2.0))
    ]
    hi, wi = white.shape
    x0 = max(0, int(rank.cx + min(p[0] for p in pts)))
    y0 = max(0, int(rank.cy + min(p[1] for p in pts)))
    x1 = min(wi, math.ceil(rank.cx + max(p[0] for p in pts)))
    y1 = min(hi, math.ceil(rank.cy + max(p[1] for p in pts)))
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    ink = (~white[y0:y1, x0:x1]).view(np.uint8)
    # an edge, a bar or art beside the suit runs straight on for longer than a suit is
    # wide or tall: take away the ink in such runs, whatever is left is a mark of its own
    run = math.ceil(1.3 * rh)
    long_h = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, run), np.uint8))
    long_v = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((run, 1), np.uint8))
    ink = ink & ~(long_h | long_v)
    n, lab, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    found = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        sh, sw = (h, w) if k % 2 == 0 else (w, h)
        if not (0.45 * rh <= sh <= 1.3 * rh and 0.3 * rh <= sw <= 1.3 * rh and area >= 10):
            continue
        tok = Token(x0 + x, y0 + y, w, h, area, (-1,))
        if _pair_geometry(rank, tok, k) > 0:
            found.append((Token(x, y, w, h, area, (i,)), tok))
    if not found:
        return None
    local = [f[0] for f in found]
    probs = predict(token_patches(local, lab, low[y0:y1, x0:x1], paper[y0:y1, x0:x1]))
    colours = token_colours(local, lab, bgr[y0:y1, x0:x1])
    suit = probs[:, k, _SUIT0 : _SUIT0 + 4].copy()
    suit[colours == RED] *= _RED_SUITS
    suit[colours == DARK] *= _DARK_SUITS
    best = int(suit.max(1).argmax())
    return found[best][1], suit[best], int(colours[best])


def _read_cards(
    bgr: np.ndarray, maps: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
) -> list[DetectedCard]:
    low, paper, white = ink_map(bgr) if maps is None else maps
    tokens, labels = find_tokens(white)
    if not tokens:
        return []
    tokens = _with_partner(tokens)
    if not tokens:
        return []
    probs = predict(token_patches(tokens, labels, low, paper))  # (n, 4 turns, classes)
    # only marks that could be half of an index need their colour
    glyphlike = probs[:, :, : _SUIT0 + 4].max(axis=(1, 2)) > 0.2
    colours = np.full(len(tokens), COLOURED, np.int8)
    colours[glyphlike] = token_colours(
        [t for t, g in zip(tokens, glyphlike, strict=True) if g], labels, bgr
    )
    # colour as a hint only: red ink is not a spade or club, black ink not a heart or diamond
    suit_ok = np.ones((len(tokens), 4), np.float32)
    suit_ok[colours == RED] = _RED_SUITS
    suit_ok[colours == DARK] = _DARK_SUITS
    probs[:, :, _SUIT0 : _SUIT0 + 4] *= suit_ok[:, None, :]
    allowed = np.array([[k in t.turns for k in range(4)] for t in tokens])
    _unmerge(tokens, probs, allowed)
    # marks cut out of larger ink are read as index halves only, never as pips
    whole = np.array([t.piece != RESCUED for t in tokens])
    rank_p = probs[:, :, :_N_RANKS]
    suit_p = probs[:, :, _SUIT0 : _SUIT0 + 4]
    best_rank = rank_p.argmax(2)
    best_suit = suit_p.argmax(2)
    rank_conf = rank_p.max(2)
    suit_conf = suit_p.max(2)
    centres = np.array([(t.cx, t.cy) for t in tokens])
    heights = np.array([max(t.h, t.w) for t in tokens])
    candidates = []
    texty = _in_text(tokens, (suit_conf > 0.5).any(axis=1), white)
    for k in range(4):
        ranks = np.flatnonzero((rank_conf[:, k] > 0.35) & allowed[:, k] & ~texty)
        suits = np.flatnonzero((suit_conf[:, k] > 0.35) & allowed[:, k] & ~texty)
        if not len(ranks) or not len(suits):
            continue
        for r in ranks:
            d = np.hypot(*(centres[suits] - centres[r]).T)
            for s in suits[d <= 4.0 * heights[r]]:
                if s == r or (colours[r] != colours[s] and max(colours[r], colours[s]) <= DARK):
                    continue  # an index prints rank and suit in one colour
                g = _pair_geometry(tokens[r], tokens[s], k)
                if g <= 0:
                    continue
                score = float(rank_conf[r, k] * suit_conf[s, k] * g)
                least = _MIN_PAIR_SCORE
                if not _same_paper(tokens[r], tokens[s], white):
                    # the halves of a mark cut at its waist (a blurred rank run into its
                    # suit) are joined by the waist's ink but lie on one card; they may
                    # also be a pip and its neighbour, so only a sure reading is taken
                    cut = (
                        tokens[r].piece and tokens[s].piece and tokens[r].labels == tokens[s].labels
                    )
                    if not cut:
                        continue
                    least = _MIN_CUT_SCORE
                if RESCUED in (tokens[r].piece, tokens[s].piece):
                    least = _MIN_CUT_SCORE  # cut out of a larger mark: sure readings only
                if score >= least:
                    card = CLASSES[best_rank[r, k]] + CLASSES[_SUIT0 + best_suit[s, k]]
                    candidates.append((score, card, int(r), int(s), k))
    candidates.sort(reverse=True)
    used: set[tuple[int, int]] = set()
    readings: dict[str, list[tuple[float, int, int]]] = {}
    index_suit: dict[tuple[int, int], int] = {}
    for score, card, r, s, k in candidates:
        pieces = tokens[r].keys + tokens[s].keys  # a piece of ink serves one pair only
        if any(p in used for p in pieces):
            continue
        used.update(pieces)
        readings.setdefault(card, []).append((score, r, k))
        index_suit[r, k] = s
    read_ranks = [(r, k) for reads in readings.values() for _, r, k in reads]

    def own_pips(r: int, k: int, pips: np.ndarray, sized: np.ndarray):
        """The pips of the card whose index rank is token r, nearest first: marks where
        its pips lie, on its paper, that no other rank (read or not) holds nearer
        (overlapping cards share paper)."""
        owners = [(r2, k2) for r2, k2 in read_ranks if r2 != r]
        owners += [
            (int(r2), k) for r2 in sized if r2 != r and 0.7 <= heights[r2] / heights[r] <= 1.4
        ]
        dist = np.hypot(*(centres[pips] - centres[r]).T)
        for s in pips[np.argsort(dist)]:
            if s == r or s == index_suit.get((r, k)):
                continue
            if colours[r] != colours[s] and max(colours[r], colours[s]) <= DARK:
                continue
            if not _pip_geometry(tokens[r], tokens[s], k):
                continue
            d_rs = math.dist(centres[r], centres[s])
            if any(
                math.dist(centres[r2], centres[s]) < d_rs
                and _pip_geometry(tokens[r2], tokens[s], k2)
                for r2, k2 in owners
            ):
                continue
            if _same_paper(tokens[r], tokens[s], white):
                yield int(s)

    pip_of = {}
    sized_of = {}
    for k in range(4):
        pip_p = np.maximum(suit_p[:, k], suit_p[:, (k + 2) % 4])  # pips stand either way up
        pip_of[k] = (
            pip_p,
            np.flatnonzero((pip_p.max(1) > _PIP_SUIT_MIN) & allowed[:, k] & whole),
        )
        # rank marks of index size, read or not: each a card that may own a pip
        sized_of[k] = np.flatnonzero((rank_conf[:, k] > 0.35) & allowed[:, k])
    # An index suit drawn a few pixels tall is easily misread (a club for a spade); the
    # card's own pips, drawn larger, outvote it when at least two of them agree.
    for card in list(readings):
        score, r, k = readings[card][0]
        pip_p, pips = pip_of[k]
        votes = np.zeros(4, np.float32)
        for n, s in enumerate(own_pips(r, k, pips, sized_of[k])):
            votes += pip_p[s]
            if n + 1 == _PIP_VOTERS:
                break
        best = int(votes.argmax())
        fixed = card[0] + CLASSES[_SUIT0 + best]
        own = CLASSES.index(card[1]) - _SUIT0
        if fixed != card and fixed not in readings and votes[best] >= max(1.6, 2 * votes[own]):
            readings[fixed] = readings.pop(card)
    # A confident corner rank left without a suit: its index suit may have run into the
    # edge of the card over it; cut it free and pair it as an index.
    for k in range(4):
        for r in np.flatnonzero((rank_conf[:, k] > _PIP_RANK_MIN) & allowed[:, k] & whole):
            rh = tokens[r].h if k % 2 == 0 else tokens[r].w
            if rh < _SMALL_GLYPH or any(p in used for p in tokens[r].keys):
                continue
            if not _in_corner(tokens[r], k, white):
                continue
            cut = _suit_cut_free(tokens[r], k, bgr, low, paper, white)
            if cut is None:
                continue
            suit, sp, colour = cut
            if colours[r] != colour and max(colours[r], colour) <= DARK:
                continue
            score = float(rank_conf[r, k] * sp.max() * _pair_geometry(tokens[r], suit, k))
            card = CLASSES[best_rank[r, k]] + CLASSES[_SUIT0 + int(sp.argmax())]
            if score < _MIN_PAIR_SCORE or card in readings:
                continue
            box = _card_box(tokens[r], k, bgr.shape[:2])
            if any(
                (k2 - k) % 4 == 2 and _overlap(box, _card_box(tokens[r2], k2, bgr.shape[:2])) > 0.5
                for r2, k2 in read_ranks
            ):
                continue  # the other corner of a card read at its index
            used.update(tokens[r].keys)
            readings[card] = [(score, int(r), k)]
            read_ranks.append((int(r), k))
    # A rank whose index suit is hidden (under the other hole card, a name plate) or too
    # small to read still shows its suit in the pips: pair a rank in a card's corner with
    # its nearest confident pip, after all index pairs.
    pip_pairs = []
    for k in range(4):
        pip_p, pips = pip_of[k]
        for r in np.flatnonzero((rank_conf[:, k] > _PIP_RANK_MIN) & allowed[:, k] & whole):
            rh = tokens[r].h if k % 2 == 0 else tokens[r].w
            if rh < _SMALL_GLYPH or any(p in used for p in tokens[r].keys):
                continue  # a rank too small to be sure of is read again enlarged
            if not _in_corner(tokens[r], k, white):
                continue
            s = next(own_pips(int(r), k, pips, sized_of[k]), None)
            if s is None:
                continue
            score = float(rank_conf[r, k] * pip_p[s].max() * _PIP_WEIGHT)
            if score >= _MIN_PAIR_SCORE:
                card = CLASSES[best_rank[r, k]] + CLASSES[_SUIT0 + int(pip_p[s].argmax())]
                pip_pairs.append((score, card, int(r), s, k))
    pip_pairs.sort(reverse=True)
    boxes = [(_card_box(tokens[r], k, bgr.shape[:2]), k) for r, k in read_ranks]
    for score, card, r, s, k in pip_pairs:
        pieces = tokens[r].keys + tokens[s].keys
        if card in readings or any(p in used for p in pieces):
            continue  # one deck: a card read at an index is not read again from a pip
        box = _card_box(tokens[r], k, bgr.shape[:2])
        if any((k2 - k) % 4 == 2 and _overlap(box, b) > 0.5 for b, k2 in boxes):
            continue  # the other corner of a card read at its index (its rank misread)
        used.update(pieces)
        boxes.append((box, k))
        readings[card] = [(score, r, k)]
    # One deck: a card read twice is one card seen at two index corners; keep the best.
    # Cards at one table are drawn at about one size (a hero's a little larger or smaller);
    # an index far smaller than the others is a lobby icon or a logo, not a card in play.
    sizes = {}
    for card, reads in readings.items():
        _, r, k = reads[0]
        sizes[card] = float(tokens[r].h if k % 2 == 0 else tokens[r].w)
    typical = float(np.median(list(sizes.values()))) if sizes else 0.0
    out = []
    for card, reads in readings.items():
        score, r, k = reads[0]
        if sizes[card] < _MIN_RELATIVE_SIZE * typical:
            continue
        box = _card_box(tokens[r], k, bgr.shape[:2])
        out.append(DetectedCard(card, box, round(min(1.0, score), 4), k))
    return out


def _paper_regions(bgr: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) around the patches of card-white paper, with a margin.

    Neighbouring patches (a row of cards, overlapping hole cards) share one box.
    """
    # found at a quarter of the size: the boxes are coarse, and a full-size ink map of a
    # large screenshot costs as much as reading it
    quarter = cv2.resize(bgr, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    _, _, white = ink_map(quarter)
    small = cv2.dilate(white.view(np.uint8), cv2.getStructuringElement(cv2.MORPH_RECT, (7, 7)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(small, connectivity=8)
    h, w = bgr.shape[:2]
    out = []
    for x, y, bw, bh, _area in stats[1:n]:
        if max(bw, bh) < 5:  # under 20 pixels: too small to be a card with a readable index
            continue
        x0, y0 = max(0, 4 * int(x) - 4), max(0, 4 * int(y) - 4)
        out.append((x0, y0, min(w, 4 * int(x + bw) + 4), min(h, 4 * int(y + bh) + 4)))
    return out


def _glyph_height(card: DetectedCard) -> float:
    """Height of a card's index rank glyph, from its box (the box is estimated from it).

    A box cut off by the image's edge is short along one side only, so the longer of the
    two sides' estimates is taken.
    """
    _, _, w, h = card.box
    long, short = (h, w) if card.orientation % 2 == 0 else (w, h)
    return max(long, short / _CARD_ASPECT) * _GLYPH_TO_CARD


def _enlarge(crop: np.ndarray, amount: float, sigma: float) -> np.ndarray:
    """The crop enlarged _UPSCALE times and sharpened (unsharp mask of ``amount``, ``sigma``).

    Blur, JPEG and down-up scaling spread a small index's edges over several pixels:
    its thin strokes fade towards the paper and the thin white margin between an index
    and the card's edge darkens towards the table, so they join. Enlarging keeps that
    spread; subtracting a blurred copy of the width it spans restores both contrasts.
    Small indices get the strong mask, larger ones (paper re-read because a card is
    missing there) a mild one that does not sharpen card art into index-like marks.
    """
    big = cv2.resize(crop, None, fx=_UPSCALE, fy=_UPSCALE, interpolation=cv2.INTER_CUBIC)
    soft = cv2.GaussianBlur(big, (0, 0), sigma)
    return cv2.addWeighted(big, 1.0 + amount, soft, -amount, 0)


def _small_paper(region: tuple[int, int, int, int]) -> bool:
    """Is this patch of paper narrow enough that its cards' indices are small?

    A row of cards is as tall as one card and a lone card as wide as one, so the patch's
    short side bounds the card size whatever the first pass read (a misread small index
    can pass for a large one). The box adds 32 pixels of margin to the paper (see
    ``_paper_regions``).
    """
    x0, y0, x1, y1 = region
    return min(x1 - x0, y1 - y0) - 32 < _SMALL_PAPER


def _under_filled(region: tuple[int, int, int, int], cards: list[DetectedCard]) -> bool:
    """Does this patch of paper hold clearly fewer cards than its area has room for?"""
    if not cards:
        return True
    x0, y0, x1, y1 = region
    area = float(np.median([c.box[2] * c.box[3] for c in cards]))
    inside = sum(
        x0 <= c.box[0] + c.box[2] / 2 < x1 and y0 <= c.box[1] + c.box[3] / 2 < y1 for c in cards
    )
    return inside < _ROOM_SHARE * (x1 - x0) * (y1 - y0) / area


def _read_scales(
    bgr: np.ndarray, maps: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
) -> list[DetectedCard]:
    """Read the cards; read again enlarged where the indices are small or cards are missing.

    Index glyphs of 6-10 pixels (small cards on a large screenshot, after blur or JPEG)
    keep their rank but lose the little suit under it, which shrinks below the smallest
    mark we take for a glyph. So when no card is found, or the cards found have small
    indices, every patch of card-white paper is enlarged and read again; otherwise only
    the patches holding clearly fewer cards than their area has room for. Cards only the
    enlarged pass finds are added (one deck: a card found by both passes is kept once, as
    the first pass read it), and only confident ones: the enlarged crop is sharpened,
    which brings back faded indices but also sharpens marks that are no index.
    """
    cards = _read_cards(bgr, maps)
    small = not cards or float(np.median([_glyph_height(c) for c in cards])) < _SMALL_GLYPH
    regions = _paper_regions(bgr)
    if not small:
        # indices of readable size: enlarge only the paper that holds clearly fewer cards
        # than its area has room for (a pale or blurred index the first pass missed)
        regions = [r for r in regions if _small_paper(r) or _under_filled(r, cards)]
    seen = {c.card for c in cards}
    # a time budget: enlarged pixels at most _BUDGET times the image's, smallest patches first
    budget = _BUDGET * bgr.shape[0] * bgr.shape[1] / _UPSCALE**2
    for x0, y0, x1, y1 in sorted(regions, key=lambda r: (r[2] - r[0]) * (r[3] - r[1])):
        budget -= (x1 - x0) * (y1 - y0)
        if budget < 0:
            break
        sharpen = _SHARPEN if small or _small_paper((x0, y0, x1, y1)) else _SHARPEN_MILD
        for d in _read_cards(_enlarge(bgr[y0:y1, x0:x1], *sharpen)):
            if d.card in seen or d.confidence < _SECOND_MIN:
                continue
            seen.add(d.card)
            bx, by, bw, bh = d.box
            box = (
                x0 + round(bx / _UPSCALE),
                y0 + round(by / _UPSCALE),
                max(1, round(bw / _UPSCALE)),
                max(1, round(bh / _UPSCALE)),
            )
            cards.append(DetectedCard(d.card, box, d.confidence, d.orientation))
    return cards


def _index_point(card: DetectedCard) -> tuple[float, float]:
    """Where the index rank that gave this card its box sits (the inverse of _card_box)."""
    x, y, w, h = card.box
    return (
        (x + 0.12 * w, y + 0.1 * h),
        (x + 0.1 * w, y + 0.88 * h),
        (x + 0.88 * w, y + 0.9 * h),
        (x + 0.9 * w, y + 0.12 * h),
    )[card.orientation % 4]


def _with_faces(
    bgr: np.ndarray, cards: list[DetectedCard], white: np.ndarray | None = None
) -> list[DetectedCard]:
    """Size the index-read cards by the whole faces, and add the cards read from their pips.

    Boxes from an index assume an index of the usual size (an eighth of the card's height):
    a jumbo index, a quarter of the card or more, gives boxes twice too large, and the
    table's layout is judged wrong. A whole face holding one index shows how large the
    table's cards are for their index; all the index-read boxes are redrawn to that scale
    (the median over such faces). Then the pip readings are added (``_with_pip_reads``).
    """
    faces = read_pips(bgr, white)
    scales = []
    for f in faces:
        inside = [c for c in cards if _inside(_index_point(c), f.box)]
        if len(inside) == 1 and f.card in (None, inside[0].card):
            c = inside[0]
            scales.append(f.box[3 if c.orientation % 2 == 0 else 2] / _card_height(c))
    if scales:
        scale = float(np.median(scales))
        cards = [_redrawn(c, scale * _card_height(c), bgr.shape[:2]) for c in cards]
    return _with_pip_reads(cards, [f for f in faces if f.card is not None])


def _inside(point: tuple[float, float], box: tuple[int, int, int, int]) -> bool:
    x, y, w, h = box
    return x <= point[0] <= x + w and y <= point[1] <= y + h


def _card_height(card: DetectedCard) -> float:
    """The card's height (its long side) as its box estimates it."""
    return _glyph_height(card) / _GLYPH_TO_CARD


def _redrawn(card: DetectedCard, long: float, shape: tuple[int, int]) -> DetectedCard:
    """The card's box redrawn around its index (as ``_card_box`` places it) for a card
    ``long`` pixels tall."""
    px, py = _index_point(card)
    short = long * _CARD_ASPECT
    x0, y0, w, h = (
        (px - 0.12 * short, py - 0.1 * long, short, long),
        (px - 0.1 * long, py - 0.88 * short, long, short),
        (px - 0.88 * short, py - 0.9 * long, short, long),
        (px - 0.9 * long, py - 0.12 * short, long, short),
    )[card.orientation % 4]
    x1, y1 = min(shape[1], x0 + w), min(shape[0], y0 + h)
    x0, y0 = max(0.0, x0), max(0.0, y0)
    box = (round(x0), round(y0), max(1, round(x1 - x0)), max(1, round(y1 - y0)))
    return DetectedCard(card.card, box, card.confidence, card.orientation)


def _with_pip_reads(cards: list[DetectedCard], faces: list) -> list[DetectedCard]:
    """Add the whole number cards and aces read from their pips (see ``pips``).

    A face read by its pips and at its index gets the face's own box (an index gives only
    an estimate). Where they disagree, the pips win over a less than sure index: a count of
    a dozen-pixel pips is seldom wrong, while an index of 4-6 pixels often is, and marks
    on such a face read as an index are pips or a neighbour's glyphs.
    """
    cards = list(cards)
    for p in faces:
        inside = [c for c in cards if _inside(_index_point(c), p.box)]
        if any(c.card != p.card and c.confidence >= _SURE_INDEX for c in inside):
            continue
        same = [c for c in inside if c.card == p.card]
        if not same and any(c.card == p.card for c in cards):
            continue  # one deck: the card is read elsewhere
        cards = [c for c in cards if c not in inside]
        confidence = max([p.confidence] + [c.confidence for c in same])
        orientation = same[0].orientation if same else int(p.across)
        cards.append(DetectedCard(p.card, p.box, confidence, orientation))
    return cards


def _of_table_size(cards: list[DetectedCard]) -> list[DetectedCard]:
    """Drop the readings whose index is far from the table's typical index size.

    Cards at one table are drawn at about one size: a hero's are up to about a third larger
    or smaller than the board's. An index twice the typical size is a chip's or the felt
    logo's print read as a card; one far smaller a lobby icon (both passes can find them,
    so the sizes are compared over all the cards read).
    """
    if len(cards) < 3:
        return cards
    typical = float(np.median([_glyph_height(c) for c in cards]))
    lo, hi = _MIN_RELATIVE_SIZE * typical, _MAX_RELATIVE_SIZE * typical
    return [c for c in cards if lo <= _glyph_height(c) <= hi]


def read_table(image: object, game: str | None = None) -> TableRead:
    """Find the face-up cards in a table image and sort them into roles.

    ``image`` is a path, encoded PNG/JPEG/WebP bytes or a BGR numpy array; ``game`` forces
    "poker" or "blackjack" (None: detected from the layout). Bad images raise ImageError.

    >>> read_table(np.full((120, 160, 3), 60, np.uint8))
    TableRead(cards=[], game=None, roles={})
    """
    if game not in (None, "poker", "blackjack"):
        raise ValueError(f"game must be 'poker', 'blackjack' or None, got {game!r}")
    bgr = decode_image(image)
    shape = bgr.shape[:2]  # boxes are reported, and roles judged, in the image's own pixels
    scale = 1.0
    if max(bgr.shape[:2]) > _MAX_SIDE:
        scale = _MAX_SIDE / max(bgr.shape[:2])
        bgr = cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    maps = ink_map(bgr)  # one ink map serves the first pass and the whole faces
    cards = _of_table_size(_with_faces(bgr, _read_scales(bgr, maps), maps[2]))
    if scale != 1.0:
        cards = [
            DetectedCard(
                d.card, tuple(round(v / scale) for v in d.box), d.confidence, d.orientation
            )
            for d in cards
        ]
    game_found, roles = assign_roles(cards, shape, game)
    order = {c: i for i, c in enumerate(c for v in roles.values() for c in v)}
    cards.sort(key=lambda d: (order.get(d.card, len(order)), d.box[0]))
    return TableRead(cards, game_found, roles)
