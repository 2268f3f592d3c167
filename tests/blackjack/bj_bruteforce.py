"""A deliberately naive blackjack game tree for tiny shoes, independent of the engine.

It deals in the physical order: the dealer's hole card first (under the peek, a hole card
that makes blackjack is ruled out), then the player's cards, then the dealer's draws, and
sums over every card explicitly. No memo, no exchangeability trick, no Farmer algorithm:
slow, but a different route to the same numbers.
"""

from __future__ import annotations

from functools import cache


class ShoeExhausted(RuntimeError):
    """The play would need a card from an empty shoe: the game is not defined there."""


def total_of(cards: tuple[int, ...]) -> tuple[int, bool]:
    hard = sum(cards)
    if 1 in cards and hard + 10 <= 21:
        return hard + 10, True
    return hard, False


@cache
def dealer_finals(shoe: tuple[int, ...], cards: tuple[int, ...], h17: bool) -> dict:
    """P(final total) for a dealer holding ``cards`` drawing from ``shoe`` (22 = bust)."""
    total, soft = total_of(cards)
    if total > 21:
        return {22: 1.0}
    if total > 17 or (total == 17 and not (h17 and soft)):
        return {total: 1.0}
    n = sum(shoe)
    if n == 0:
        raise ShoeExhausted("the dealer must draw from an empty shoe")
    out: dict[int, float] = {}
    for i, k in enumerate(shoe):
        if not k:
            continue
        rest = (*shoe[:i], k - 1, *shoe[i + 1 :])
        for t, p in dealer_finals(rest, (*cards, i + 1), h17).items():
            out[t] = out.get(t, 0.0) + p * k / n
    return out


def _take(shoe: tuple[int, ...], card: int) -> tuple[int, ...]:
    i = card - 1
    assert shoe[i] > 0
    return (*shoe[:i], shoe[i] - 1, *shoe[i + 1 :])


def hole_weights(shoe: tuple[int, ...], up: int, peek: bool) -> dict[int, float]:
    """P(hole card) from ``shoe`` (up card and player cards out), given the peek."""
    w = {}
    for i, k in enumerate(shoe):
        if not k:
            continue
        hole = i + 1
        if peek and sorted((up, hole)) == [1, 10]:
            continue
        w[hole] = k
    s = sum(w.values())
    return {h: k / s for h, k in w.items()}


def _settle(total: int, bet: float, dealer: dict, natural_dealer: bool) -> float:
    if natural_dealer:
        return -bet
    ev = 0.0
    for t, p in dealer.items():
        if total > 21:
            ev -= bet * p
        elif t == 22 or total > t:
            ev += bet * p
        elif total < t:
            ev -= bet * p
    return ev


class Game:
    """Exact values by brute force: ``shoe`` is the unseen cards after up card and hand."""

    def __init__(
        self,
        shoe,
        up,
        *,
        h17=False,
        peek=True,
        das=True,
        double_any=True,
        max_hands=4,
        resplit_aces=False,
        hit_split_aces=False,
    ):
        self.shoe0 = tuple(shoe)
        self.up = up
        self.h17 = h17
        self.peek = peek
        self.das = das
        self.double_any = double_any
        self.max_hands = max_hands
        self.resplit_aces = resplit_aces
        self.hit_split_aces = hit_split_aces

    # -- unsplit hands: values per hole card, decisions on the average ------------------
    def _dealer(self, shoe, hole):
        natural = sorted((self.up, hole)) == [1, 10]
        return dealer_finals(shoe, (self.up, hole), self.h17), natural

    def unsplit(self, cards: tuple[int, ...], shoe: tuple[int, ...]) -> dict[str, float]:
        """Values of stand/hit(/double) for ``cards``; ``shoe`` excludes them and the up card."""
        weights = hole_weights(shoe, self.up, self.peek)
        vec = self._node(tuple(sorted(cards)), shoe, tuple(sorted(weights.items())))
        out = {a: sum(weights[h] * v for h, v in per_hole.items()) for a, per_hole in vec.items()}
        return out

    @cache  # noqa: B019 - test helper, lives for the test session
    def _node(self, cards, shoe, weights):
        """{action: {hole: value}} for a hand; the hole card is one of ``weights``."""
        total, _ = total_of(cards)
        stand, hit, dbl = {}, {}, {}
        for hole, _w in weights:
            rest = _take(shoe, hole)
            dealer, natural = self._dealer(rest, hole)
            stand[hole] = _settle(total, 1.0, dealer, natural)
            n = sum(rest)
            if n == 0:
                raise ShoeExhausted("the player would hit an empty shoe")
            h = d = 0.0
            for i, k in enumerate(rest):
                if not k:
                    continue
                p = k / n
                child = tuple(sorted((*cards, i + 1)))
                ct, _ = total_of(child)
                if ct > 21:
                    h -= p
                    d -= 2.0 * p
                    continue
                cshoe = _take(shoe, i + 1)
                cw = hole_weights(cshoe, self.up, self.peek)
                cvec = self._node(child, cshoe, tuple(sorted(cw.items())))
                best = max(("stand", "hit"), key=lambda a: sum(cw[x] * cvec[a][x] for x in cw))
                h += p * cvec[best][hole]
                cd, cn = self._dealer(_take(rest, i + 1), hole)
                d += p * _settle(ct, 2.0, cd, cn)
            hit[hole] = h
            dbl[hole] = d
        out = {"stand": stand, "hit": hit}
        if len(cards) == 2:
            out["double"] = dbl
        return out

    # -- splitting: the real sequence of play, CDZ- decisions -----------------------------
    def split_value(self, pair: int) -> float:
        """Value of splitting ``pair``,``pair``; ``shoe0`` excludes both pair cards."""
        shoe = self.shoe0
        weights = hole_weights(shoe, self.up, self.peek)
        limit = self.max_hands if (pair != 1 or self.resplit_aces) else min(2, self.max_hands)
        full = tuple(c + (2 if i == pair - 1 else 0) for i, c in enumerate(shoe))
        self._full = full  # the shoe before the pair was dealt (up card out)
        ev = 0.0
        for hole, w in weights.items():
            rest = _take(shoe, hole)
            ev += w * self._play(
                rest, hole, pair, limit, done=(), current=(pair,), pending=1, hands=2
            )
        return ev

    def _decide(self, cards: tuple[int, ...], split_two: bool) -> str:
        """The CDZ- decision: best for these cards as an unsplit hand from the pre-split shoe."""
        shoe = self._full
        for c in cards:
            shoe = _take(shoe, c)
        vals = self.unsplit(cards, shoe)
        options = ["stand", "hit"]
        if split_two and self.das and (self.double_any or total_of(cards)[0] in (9, 10, 11)):
            options.append("double")
        best = "stand"
        for a in options[1:]:
            if vals[a] > vals[best]:
                best = a
        return best

    @cache  # noqa: B019 - test helper, lives for the test session
    def _play(self, shoe, hole, pair, limit, done, current, pending, hands):
        """Expected total win: ``current`` is being played, ``pending`` hands wait with one
        pair card each, ``done`` holds (total, bet) of finished hands."""
        n = sum(shoe)
        if n == 0:
            raise ShoeExhausted("a split hand would draw from an empty shoe")
        if len(current) == 1:  # deal the second card
            ev = 0.0
            for i, k in enumerate(shoe):
                if not k:
                    continue
                card = i + 1
                rest = _take(shoe, card)
                if card == pair and hands < limit:
                    ev += (
                        k
                        / n
                        * self._play(rest, hole, pair, limit, done, current, pending + 1, hands + 1)
                    )
                else:
                    ev += (
                        k
                        / n
                        * self._play(rest, hole, pair, limit, done, (pair, card), pending, hands)
                    )
            return ev
        cards = current
        total, _ = total_of(cards)
        if pair == 1 and not self.hit_split_aces:
            action = "stand"
        elif total > 21:
            action = "bust"
        else:
            action = self._decide(cards, len(cards) == 2)
        if action in ("stand", "bust"):
            done = tuple(sorted((*done, (total, 1.0))))
            return self._next(shoe, hole, pair, limit, done, pending, hands)
        ev = 0.0
        for i, k in enumerate(shoe):
            if not k:
                continue
            rest = _take(shoe, i + 1)
            new = (*cards, i + 1)
            if action == "double":
                ev += (
                    k
                    / n
                    * self._next(
                        rest, hole, pair, limit, (*done, (total_of(new)[0], 2.0)), pending, hands
                    )
                )
            else:
                ev += k / n * self._play(rest, hole, pair, limit, done, new, pending, hands)
        return ev

    def _next(self, shoe, hole, pair, limit, done, pending, hands):
        if pending > 0:
            return self._play(shoe, hole, pair, limit, done, (pair,), pending - 1, hands)
        dealer, natural = self._dealer(shoe, hole)
        if natural:  # no hole card game: every bet is lost
            return -sum(bet for _, bet in done)
        return sum(_settle(t, bet, dealer, False) for t, bet in done)
