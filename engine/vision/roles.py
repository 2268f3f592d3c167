"""Who holds which card: roles from the relative geometry of the cards found.

Positions are taken in the frame where the cards stand upright (a screenshot turned by 90
degrees is read in its own frame), as fractions of that frame (the image is the table
window) and in units of the cards' own height, so the rules hold whatever the resolution:

* poker: the board is a row of 3 to 5 evenly spaced cards; the hero's hole cards are the
  closest pair of the rest (overlapping or side by side, wherever the seat is); any other
  face-up card is "others". With no row of three (board cards unread), the hero's cards are
  the lowest hand (or the top one, over a mid-table hand) and the hand on the other side
  of them is the board if it lies mid-table;
* blackjack: cards cluster into hands; the dealer's hand is the top one (with any piece
  of it in the top third), the player's the largest one below it (with any piece of it
  beside it at its height, such as a cascade with a card unread), further hands are
  "others"; a lone hand low on the table is the player's.

With no game given, clients' layouts decide, in frame fractions: the dealer's hand sits
in the top third of the table and the player's well below the middle, both at one size,
while a board lies mid-table with the hero's hole cards below it (or above it, for a hero
seated at the top). So up to three cards in the top third over cards below 0.6 of the
height (or within a card's height above those), nothing between them and of a like size,
are blackjack, and so is a hand stepping diagonally (a cascade); the rest is poker. Alone,
a pair is hole cards, and so is one card (its partner hidden or unread) unless it lies in
the top third (the dealer's up card); a lone row is a board unless it lies low on the
table (the player's hand, the dealer's card unread).

Box sizes come from the index glyphs and can be far off: boxes taller than 0.4 of the
image's short side are shrunk towards their index corner, and a card far larger or
smaller than most (a misread chip, logo or card back) takes no part in the layout and is
"others", and so is the less sure of two readings on the very same spot (one card's index
read twice).
"""

from __future__ import annotations

import math
from typing import Protocol

__all__ = ["assign_roles"]

# frame fractions (of the table's height) of the blackjack dealer's and player's hands
_DEALER_BAND = 1 / 3  # the dealer's hand centre lies above this
_PLAYER_BAND = 0.6  # the player's hand centre lies below this
_SAME_SIZE = 1.45  # dealer and player cards are dealt at one size (read sizes vary)
_MID_Y = (0.3, 0.6)  # frame fractions down the table: where a board lies
_MID_X = (0.2, 0.8)  # frame fractions across the table: where a board can lie
_CASCADE_SLOPE = 0.3  # a cascade steps 0.1-0.3 card heights down per 0.2-0.4 across
_BOARD_SPAN = 3.8  # a board of five spans at most this many card heights, centre to centre
_MAX_CARD = 0.4  # no card is taller than this share of the image's short side
_ECHO = 0.08  # two readings closer than this share of a card's size are of one card
_ODD_SIZE = 1.75  # a card this many times larger or smaller than most is no part of the deal


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
    cap = _MAX_CARD * min(h_img, w_img)
    for c in cards:
        x, y, w, h = c.box
        size = float(max(w, h))
        if size > cap:
            # a box estimated too large for the table: shrink it towards its index corner
            # (top-left in the card's upright frame), where the estimate is anchored
            f = cap / size
            o = c.orientation % 4
            x += 0 if o in (0, 1) else w * (1 - f)
            y += 0 if o in (0, 3) else h * (1 - f)
            w, h, size = w * f, h * f, cap
        cx, cy, _, _ = _turn(x + w / 2, y + h / 2, k, w_img, h_img)
        out.append((cx, cy, size))
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


def _cascade(g: list[int], pos) -> bool:
    """Three or more cards stepping up or down the table as they go across it: a hand
    dealt in a diagonal cascade. A board is a level row."""
    if len(g) < 3:
        return False
    xs = [pos[i][0] for i in g]
    ys = [pos[i][1] for i in g]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    if max(xs) - min(xs) < 0.25 * (len(g) - 1) * _mean_size(g, pos):
        return False  # cards stacked on one spot (a misread beside a card), not a cascade
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    return abs(slope) >= _CASCADE_SLOPE


def _detect_game(groups: list[list[int]], pos, frame_h: float) -> str | None:
    """Poker or blackjack from where the hands sit on the table (see the module docstring)."""
    n = sum(len(g) for g in groups)
    if n == 0:
        return None
    if any(_cascade(g, pos) for g in groups):  # a blackjack hand dealt diagonally
        return "blackjack"
    top = groups[0]
    y_top = _mean_y(top, pos) / frame_h
    if len(groups) == 1:
        # one hand alone: hole cards, a board whose hole cards went unread, or, low down
        # the table, the player's hand whose dealer card went unread; one card alone in
        # the top third is the dealer's up card (hole cards sit low, or over a board)
        if n == 1:
            return "blackjack" if y_top < _DEALER_BAND else "poker"
        if n >= 5:
            return "poker"
        return "blackjack" if n >= 3 and y_top >= _PLAYER_BAND else "poker"
    # the dealer's hand sits in the top third of the table and the player's well below the
    # middle, both dealt at one size, with nothing between them; a board sits mid-table,
    # with the hero's hole cards below it (or above it, for a hero seated at the top)
    high = [i for g in groups if _mean_y(g, pos) < _DEALER_BAND * frame_h for i in g]
    low = [i for g in groups if _mean_y(g, pos) >= _PLAYER_BAND * frame_h for i in g]
    if low:  # a card dealt to the player just above the rest (turned, or read askew)
        reach = min(pos[i][1] for i in low) - _mean_size(low, pos)
        low += [i for i in range(len(pos)) if i not in high + low and pos[i][1] >= reach]
    if high and low and len(high) + len(low) == n and len(high) <= 3:
        ratio = _mean_size(high, pos) / _mean_size(low, pos)
        if 1 / _SAME_SIZE <= ratio <= _SAME_SIZE:
            return "blackjack"
    return "poker"


def _typical(g: str | None, roles: dict[str, list[int]], pos, frame_h: float) -> float:
    """How well a reading fits the usual layout (for a table turned on its side, whose two
    frames are a half turn apart): a board mid-table with the hero's cards below it; the
    dealer's hand in the top third over the player's, low down, of no fewer cards, and
    closer to the top edge than the player's is to the bottom one."""

    def y(role: str) -> float | None:
        return _mean_y(roles[role], pos) / frame_h if roles.get(role) else None

    if g == "poker":
        board, hero = y("board"), y("hero")
        return (
            (board is None or _MID_Y[0] <= board <= _MID_Y[1])
            + (board is None or hero is None or hero > board)
            + 0.2 * (len(roles["board"]) >= 3)
        )
    if g == "blackjack":
        dealer, player = y("dealer"), y("player")
        return (
            (dealer is None or dealer < _DEALER_BAND)
            + (player is None or player >= _PLAYER_BAND)
            + 0.1 * (len(roles["dealer"]) <= len(roles["player"]))
            + 0.05 * (dealer is not None and player is not None and dealer < 1 - player)
        )
    return -1.0


def _closest_pair(idx: list[int], pos) -> list[int]:
    best, pair = math.inf, []
    for a in range(len(idx)):
        for b in range(a + 1, len(idx)):
            i, j = idx[a], idx[b]
            d = math.hypot(pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]) / min(pos[i][2], pos[j][2])
            if d < best:
                best, pair = d, [i, j]
    return pair if best <= 2.0 else []


def _partial_board(groups, pos, frame: tuple[float, float]) -> tuple[list[int], list[int]]:
    """(board, hero) when no row of three was found: a board with cards unread.

    The hero's hole cards are the lowest hand, or the top one when it sits in the top third
    over a mid-table hand (a hero seated at the top); the board is the hand on the other
    side of them, if it lies in the middle of the table. Empty lists when nothing fits.
    """
    frame_w, frame_h = frame
    if len(groups) < 2:
        return [], []
    top, low = groups[0], groups[-1]
    if _mean_y(top, pos) < _DEALER_BAND * frame_h and _mean_y(low, pos) < _PLAYER_BAND * frame_h:
        hero, board = top, low
    else:
        hero, board = low, groups[-2]
    gap = abs(_mean_y(hero, pos) - _mean_y(board, pos))
    mid_x = sum(pos[i][0] for i in board) / len(board) / frame_w
    if gap < 0.5 * _mean_size(board, pos) or not _MID_X[0] <= mid_x <= _MID_X[1]:
        return [], []
    return board, hero


def _whole_board(board: list[int], hero: list[int], groups, pos) -> list[int]:
    """The board with its pieces split off by unread cards: cards level with it, of its
    size, that keep it within the span of five cards."""
    if not board:
        return board
    board = list(board)
    y, s = _mean_y(board, pos), _mean_size(board, pos)

    def gap(g: list[int]) -> float:
        return min(abs(pos[i][0] - pos[j][0]) for i in g for j in board)

    for g in sorted(groups, key=gap):
        if any(i in board or i in hero for i in g) or len(board) + len(g) > 5:
            continue
        xs = [pos[i][0] for i in board + g]
        if (
            all(abs(pos[i][1] - y) <= 0.25 * s and 0.8 <= pos[i][2] / s <= 1.25 for i in g)
            and max(xs) - min(xs) <= _BOARD_SPAN * s
        ):
            board += g
    return board


def _poker_roles(groups, pos, conf: list[float], frame) -> dict[str, list[int]]:
    rows = [g for g in groups if 3 <= len(g) <= 5]
    if not rows:  # a board of five with a misread extra card: keep its five surest cards
        rows = [sorted(g, key=lambda i: -conf[i])[:5] for g in groups if len(g) > 5]
    board: list[int] = []
    hero: list[int] = []
    if rows:
        board = max(rows, key=lambda g: (len(g), -abs(len(g) - 4)))
    else:
        board, hero = _partial_board(groups, pos, frame)
    board = sorted(_whole_board(board, hero, groups, pos), key=lambda i: pos[i][0])
    rest = [i for g in groups for i in g if i not in board]
    pairs = [g for g in groups if len(g) == 2 and g != board]
    if hero:  # found with a partial board
        hero = list(hero)
    elif pairs:
        hero = max(pairs, key=lambda g: sum(pos[i][2] for i in g))
    elif len(rest) <= 2:  # a hole card hidden or unread: what is left is the hero's
        hero = rest
    else:
        hero = _closest_pair(rest, pos)
    hero = sorted(hero, key=lambda i: pos[i][0])
    others = [i for i in rest if i not in hero]
    return {"hero": hero, "board": board, "others": others}


def _blackjack_roles(groups, pos, frame) -> dict[str, list[int]]:
    _, frame_h = frame
    if len(groups) == 1:  # one cluster: split it where the rows change
        g = sorted(groups[0], key=lambda i: pos[i][1])
        gaps = [pos[g[i + 1]][1] - pos[g[i]][1] for i in range(len(g) - 1)]
        if gaps and max(gaps) > 0.5 * min(pos[i][2] for i in g):
            cut = gaps.index(max(gaps)) + 1
            groups = [g[:cut], g[cut:]]
        elif _mean_y(g, pos) >= 0.5 * frame_h:  # low on the table: the dealer's went unread
            return {"dealer": [], "player": sorted(g, key=lambda i: pos[i][0]), "others": []}
    # the dealer's hand: the top one, with any piece of it beside it in the top third
    top = [g for g in groups[1:] if _mean_y(g, pos) < _DEALER_BAND * frame_h]
    dealer = sorted(groups[0] + [i for g in top for i in g], key=lambda i: pos[i][0])
    rest = [g for g in groups[1:] if g not in top]
    player: list[int] = []
    if rest:
        main = max(rest, key=len)
        # pieces of the same hand (a cascade with a card unread) sit beside it at its height
        s = _mean_size(main, pos)
        player = [
            i
            for g in rest
            for i in g
            if g is main
            or (
                abs(_mean_y(g, pos) - _mean_y(main, pos)) <= 0.8 * s
                and min(abs(pos[i][0] - pos[j][0]) for j in main) <= 2.0 * s
            )
        ]
        player.sort(key=lambda i: pos[i][0])
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
    sizes = sorted(max(c.box[2], c.box[3]) for c in cards)
    typical = sizes[len(sizes) // 2]
    odd = [
        c
        for c in cards
        if len(cards) >= 3 and not 1 / _ODD_SIZE <= max(c.box[2], c.box[3]) / typical <= _ODD_SIZE
    ]
    odd += [c for c in cards if c not in odd and _echo(c, cards)]
    if odd:  # a misread mark (a chip, a card back, a logo) or another table's card
        found, roles = _assign([c for c in cards if c not in odd], shape, game)
        roles["others"] = roles.get("others", []) + [c.card for c in odd]
        return found, roles
    return _assign(cards, shape, game)


def _echo(c: _Card, cards: list[_Card]) -> bool:
    """A second, less sure reading on the very spot of another card (a misread index):
    two cards never lie that close, the one on top would hide the other's index."""
    x, y, w, h = c.box
    for d in cards:
        if d is c or (d.confidence, id(d)) < (c.confidence, id(c)):
            continue
        dx, dy, dw, dh = d.box
        near = _ECHO * min(max(w, h), max(dw, dh))
        if abs(x + w / 2 - dx - dw / 2) <= near and abs(y + h / 2 - dy - dh / 2) <= near:
            return True
    return False


def _assign(
    cards: list[_Card], shape: tuple[int, int], game: str | None
) -> tuple[str | None, dict[str, list[str]]]:
    """assign_roles for cards of a plausible size."""
    # a card's two index corners are half a turn apart, so the glyphs give the table's
    # axis, not its top: upright screenshots are the rule; a table lying on its side is
    # read in whichever of its two frames gives the more usual layout, and when cards lie
    # both ways (a card dealt across, a misread), the upright frame too, first on a tie
    across = sum(c.confidence for c in cards if c.orientation % 2)
    along = sum(c.confidence for c in cards if c.orientation % 2 == 0)
    best = None
    frames = (0,) if across <= along else (1, 3) if across > 2 * along else (0, 1, 3)
    for k in frames:
        pos, frame_h = _frame(cards, shape, k)
        frame = (float(shape[0] + shape[1]) - frame_h, frame_h)
        groups = _groups(pos)
        g = game or _detect_game(groups, pos, frame_h)
        if g == "poker":
            roles = _poker_roles(groups, pos, [c.confidence for c in cards], frame)
        elif g == "blackjack":
            roles = _blackjack_roles(groups, pos, frame)
        else:
            roles = {}
        usual = _typical(g, roles, pos, frame_h)
        if best is None or usual > best[0]:
            best = (usual, g, roles)
    _, game, roles = best
    if game is None:
        return None, {"others": [c.card for c in cards]}
    return game, {k: [cards[i].card for i in v] for k, v in roles.items()}
