"""Who holds which card: roles from the relative geometry of the cards found.

Positions are taken in the frame where the cards stand upright (a screenshot turned by 90
degrees is read in its own frame), and sizes in units of the cards' own height, so the
rules hold whatever the resolution or the client's layout:

* poker: the board is a row of 3 to 5 evenly spaced cards; the hero's hole cards are the
  closest pair of the rest (overlapping or side by side, wherever the seat is); any other
  face-up card is "others";
* blackjack: cards cluster into hands; the dealer's hand is the top one, the player's the
  one below it, further hands are "others".

With no game given, the layout decides: a row of four or five, a lone pair or a lone card
(a hole card whose partner is hidden) is poker;
a top hand of one or two cards above another hand is blackjack, and so is a bottom hand
of three or more, unless it is a pair of a different size above a mid-table row (a hero
seated at the top); in the remaining case (three over two) a top row near the top edge of
the table is the dealer's.
"""

from __future__ import annotations

import math
from typing import Protocol

__all__ = ["assign_roles"]


class _Card(Protocol):
    card: str
    box: tuple[int, int, int, int]
    confidence: float
    orientation: int


def _turn(x: float, y: float, k: int, w: float, h: float) -> tuple[float, float, float, float]:
    """A point after k clockwise quarter turns of a w x h image: (x, y, new w, new h)."""
    for _ in range(k % 4):
        x, y, w, h = h - y, x, h, w
    return x, y, w, h


def _frame(
    cards: list[_Card], shape: tuple[int, int], k: int
) -> tuple[list[tuple[float, float, float]], float]:
    """(cx, cy, size) of each card after k clockwise quarter turns, and the frame's height."""
    h_img, w_img = shape
    out = []
    frame_h = float(h_img if k % 2 == 0 else w_img)
    for c in cards:
        x, y, w, h = c.box
        cx, cy, _, _ = _turn(x + w / 2, y + h / 2, k, w_img, h_img)
        out.append((cx, cy, float(max(w, h))))
    return out, frame_h


def _groups(pos: list[tuple[float, float, float]]) -> list[list[int]]:
    """Single-linkage clusters: neighbours in a row or overlapping cards."""
    n = len(pos)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(n):
        for j in range(i + 1, n):
            s = min(pos[i][2], pos[j][2])
            dx, dy = abs(pos[i][0] - pos[j][0]), abs(pos[i][1] - pos[j][1])
            # same row, next to each other or one missed card apart; or overlapping
            if (dy <= 0.3 * s and dx <= 2.1 * s) or (dy <= 0.5 * s and dx <= 1.3 * s):
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda g: sum(pos[i][1] for i in g) / len(g))


def _mean_y(g: list[int], pos: list[tuple[float, float, float]]) -> float:
    return sum(pos[i][1] for i in g) / len(g)


def _mean_size(g: list[int], pos: list[tuple[float, float, float]]) -> float:
    return sum(pos[i][2] for i in g) / len(g)


def _detect_game(groups: list[list[int]], pos, frame_h: float) -> str | None:
    n = sum(len(g) for g in groups)
    if n == 0:
        return None
    if n <= 2:  # a preflop hand, or one hole card with its partner hidden or unread
        return "poker"
    if any(len(g) >= 5 for g in groups):
        return "poker"
    top, rest = groups[0], groups[1:]
    if not rest:
        return "poker" if len(top) in (2, 4, 5) else None
    bottom = max(rest, key=len)
    if len(top) >= 4:
        return "poker"
    if len(top) <= 2 and 3 <= len(bottom) <= 5:
        # one or two cards above a row: a hero seated at the top (over a mid-table
        # board, maybe one hole card unread), or a dealer over the player (same size,
        # the player low down)
        ratio = _mean_size(top, pos) / _mean_size(bottom, pos)
        if _mean_y(bottom, pos) < 0.58 * frame_h or not 0.8 <= ratio <= 1.25:
            return "poker"
    if len(top) <= 2 or len(bottom) >= 3:
        return "blackjack"
    return "blackjack" if _mean_y(top, pos) < 0.3 * frame_h else "poker"


def _below(low: list[int], high: list[int], pos) -> bool:
    if not low or not high:
        return True
    return _mean_y(low, pos) > _mean_y(high, pos)


def _closest_pair(idx: list[int], pos) -> list[int]:
    best, pair = math.inf, []
    for a in range(len(idx)):
        for b in range(a + 1, len(idx)):
            i, j = idx[a], idx[b]
            d = math.hypot(pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]) / min(pos[i][2], pos[j][2])
            if d < best:
                best, pair = d, [i, j]
    return pair if best <= 2.0 else []


def _poker_roles(groups, pos, conf: list[float]) -> dict[str, list[int]]:
    rows = [g for g in groups if 3 <= len(g) <= 5]
    if not rows:  # a board of five with a misread extra card: keep its five surest cards
        rows = [sorted(g, key=lambda i: -conf[i])[:5] for g in groups if len(g) > 5]
    board: list[int] = []
    if rows:
        board = max(rows, key=lambda g: (len(g), -abs(len(g) - 4)))
        board = sorted(board, key=lambda i: pos[i][0])
    rest = [i for g in groups for i in g if i not in board]
    pairs = [g for g in groups if len(g) == 2]
    if pairs:
        hero = max(pairs, key=lambda g: sum(pos[i][2] for i in g))
    elif len(rest) <= 2:  # a hole card hidden or unread: what is left is the hero's
        hero = rest
    else:
        hero = _closest_pair(rest, pos)
    hero = sorted(hero, key=lambda i: pos[i][0])
    others = [i for i in rest if i not in hero]
    return {"hero": hero, "board": board, "others": others}


def _blackjack_roles(groups, pos) -> dict[str, list[int]]:
    if len(groups) == 1:  # one cluster: split it where the rows change
        g = sorted(groups[0], key=lambda i: pos[i][1])
        gaps = [pos[g[i + 1]][1] - pos[g[i]][1] for i in range(len(g) - 1)]
        if gaps and max(gaps) > 0.5 * min(pos[i][2] for i in g):
            cut = gaps.index(max(gaps)) + 1
            groups = [g[:cut], g[cut:]]
    dealer = sorted(groups[0], key=lambda i: pos[i][0]) if groups else []
    rest = groups[1:]
    player = sorted(max(rest, key=len), key=lambda i: pos[i][0]) if rest else []
    others = [i for g in rest for i in g if i not in player]
    return {"dealer": dealer, "player": player, "others": others}


def assign_roles(
    cards: list[_Card], shape: tuple[int, int], game: str | None = None
) -> tuple[str | None, dict[str, list[str]]]:
    """(game, role -> cards) for the cards found in an image of the given (h, w) shape.

    >>> from types import SimpleNamespace as C
    >>> row = [C(card=c, box=(100 + 80 * i, 200, 70, 100), confidence=0.9, orientation=0)
    ...        for i, c in enumerate(["Ah", "Kd", "7c"])]
    >>> hole = [C(card="Qs", box=(200, 420, 70, 100), confidence=0.9, orientation=0),
    ...         C(card="Js", box=(240, 425, 70, 100), confidence=0.9, orientation=0)]
    >>> assign_roles(row + hole, (720, 1280))
    ('poker', {'hero': ['Qs', 'Js'], 'board': ['Ah', 'Kd', '7c'], 'others': []})
    """
    if not cards:
        return game, {}
    # a card's two index corners are half a turn apart, so the glyphs give the table's
    # axis, not its top: upright screenshots are the rule; a table lying on its side is
    # read in whichever of its two frames gives the more usual layout
    across = sum(c.confidence for c in cards if c.orientation % 2)
    along = sum(c.confidence for c in cards if c.orientation % 2 == 0)
    best = None
    for k in (1, 3) if across > along else (0,):
        pos, frame_h = _frame(cards, shape, k)
        groups = _groups(pos)
        g = game or _detect_game(groups, pos, frame_h)
        if g == "poker":
            roles = _poker_roles(groups, pos, [c.confidence for c in cards])
            usual = _below(roles["hero"], roles["board"], pos)
        elif g == "blackjack":
            roles = _blackjack_roles(groups, pos)
            usual = len(roles["dealer"]) <= len(roles["player"])
        else:
            roles, usual = {}, False
        if best is None or (usual and not best[0]):
            best = (usual, g, roles)
    _, game, roles = best
    if game is None:
        return None, {"others": [c.card for c in cards]}
    return game, {k: [cards[i].card for i in v] for k, v in roles.items()}
