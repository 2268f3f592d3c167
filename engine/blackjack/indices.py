"""Index plays: the counts at which a counter departs from basic strategy.

An :class:`IndexPlay` is two actions and an index: ``above`` is played when the count is at
or above ``index`` and ``below`` when it is below; one of the two is the basic-strategy play.
Counts are true counts for balanced systems (floored: "+2" means 2.0 <= TC < 3.0) and
running counts for unbalanced ones.

Published tables (``data/blackjack/*_indices.json``, each with its source) are keyed by the
rules they assume; :func:`index_play` answers from them. For other rules and systems Felt
computes the index from the exact engine (see :func:`generate_index`).

>>> from engine.blackjack.rules import Rules
>>> index_play(Rules.parse("6D S17 DAS LS"), "T6", "T", "stand")
0
>>> index_play(Rules.parse("6D S17 DAS LS"), None, "A", "insurance")
3
>>> index_play(Rules.parse("6D S17 DAS LS"), "T3", "2", "hit")  # hit 13 v 2 below -1
-1
"""

from __future__ import annotations

import functools
import json
import math
import pathlib
from collections.abc import Iterable
from dataclasses import dataclass

from engine.blackjack.counting import count_system
from engine.blackjack.rules import Rules
from engine.cards import parse_blackjack_hand
from engine.errors import CardError, RulesError

__all__ = [
    "ACTIONS",
    "GENERATION_METHOD",
    "GeneratedIndex",
    "IndexPlay",
    "basic_play",
    "generate_index",
    "generate_table",
    "hand_row",
    "index_play",
    "index_plays",
    "published_tables",
]

DATA_DIR = pathlib.Path(__file__).resolve().parents[2] / "data" / "blackjack"
ACTIONS = ("hit", "stand", "double", "split", "surrender", "insurance")
UP_CARDS = ("2", "3", "4", "5", "6", "7", "8", "9", "T", "A")


@dataclass(frozen=True)
class IndexPlay:
    """One index play: ``above`` at counts >= ``index``, ``below`` under it."""

    hand: str  # "hard 16", "soft 18", "pair T,T" or "insurance"
    dealer: str  # "2".."9", "T", "A"
    above: str
    below: str
    index: float
    source: str = ""
    requires: str | None = None  # "surrender": only when the rules allow it

    @property
    def is_surrender(self) -> bool:
        """A surrender play switches surrender on or off and nothing else."""
        return "surrender" in (self.above, self.below)

    def action_at(self, count: float) -> str:
        """The action this play prescribes at ``count``.

        >>> IndexPlay("hard 16", "T", "stand", "hit", 0).action_at(-0.5)
        'hit'
        """
        return self.above if count >= self.index else self.below

    def label(self) -> str:
        """Short text such as ``"16 v T: stand at +0 or more, else hit"``."""
        hand = self.hand.replace("hard ", "").replace("pair ", "")
        return f"{hand} v {self.dealer}: {self.above} at {self.index:+g} or more, else {self.below}"


def _load(name: str) -> dict:
    path = DATA_DIR / name
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise RulesError(f"index table {path} is missing from this installation") from None


@functools.cache
def published_tables(system: str = "hilo") -> tuple[tuple[dict, tuple[IndexPlay, ...]], ...]:
    """Published index tables of a count system: (rules it assumes, plays) pairs."""
    cs = count_system(system)
    path = DATA_DIR / f"{cs.name}_indices.json"
    if not path.exists():
        return ()
    data = _load(path.name)
    out = []
    for table in data["tables"]:
        plays = tuple(
            IndexPlay(
                hand=p["hand"],
                dealer=p["dealer"],
                above=p["above"],
                below=p["below"],
                index=p["index"],
                source=table["name"],
                requires=p.get("requires"),
            )
            for p in table["plays"]
        )
        out.append((dict(table["rules"]), plays))
    return tuple(out)


def _matches(assumed: dict, rules: Rules) -> bool:
    for key, want in assumed.items():
        have = getattr(rules, key)
        if isinstance(want, list):
            if have not in want:
                return False
        elif have != want:
            return False
    return True


def index_plays(rules: Rules, system: str = "hilo") -> tuple[IndexPlay, ...]:
    """The index plays Felt uses for these rules and count system.

    The published table whose assumed rules match (surrender plays only when the rules
    allow surrender); an empty tuple when no published table applies.

    >>> len(index_plays(Rules.parse("6D S17 DAS LS"))), len(index_plays(Rules.parse("8D S17 DAS")))
    (22, 18)
    """
    rules = _rules(rules)
    for assumed, plays in published_tables(system):
        if _matches(assumed, rules):
            return tuple(p for p in plays if p.requires != "surrender" or rules.surrender != "none")
    return ()


def _rules(rules: Rules | str) -> Rules:
    if isinstance(rules, str):
        return Rules.parse(rules)
    if not isinstance(rules, Rules):
        raise RulesError(f"expected Rules or a description such as '6D S17 DAS LS', got {rules!r}")
    return rules


def _up(dealer: str) -> str:
    values = parse_blackjack_hand(dealer)
    if len(values) != 1:
        raise CardError(f"expected one dealer up card such as 'T' or '6', got {dealer!r}")
    v = values[0]
    return "A" if v == 1 else "T" if v == 10 else str(v)


def hand_row(player: str | Iterable[int]) -> str:
    """The strategy row of a player hand: ``"hard 16"``, ``"soft 18"`` or ``"pair T,T"``.

    >>> hand_row("T6"), hand_row("A,7"), hand_row("88"), hand_row("5 4 7")
    ('hard 16', 'soft 18', 'pair 8,8', 'hard 16')
    """
    values = parse_blackjack_hand(player) if isinstance(player, str) else list(player)
    if len(values) < 2:
        raise CardError(f"a player hand has at least two cards, got {player!r}")
    if len(values) == 2 and values[0] == values[1]:
        label = "A" if values[0] == 1 else "T" if values[0] == 10 else str(values[0])
        return f"pair {label},{label}"
    total = sum(values)
    if 1 in values and total + 10 <= 21:
        return f"soft {total + 10}"
    if total > 21:
        raise CardError(f"hand {player!r} is bust ({total})")
    return f"hard {total}"


def index_play(
    rules: Rules | str,
    player: str | None,
    dealer: str,
    action: str,
    system: str = "hilo",
) -> float | None:
    """The index at which ``action`` and the basic-strategy play change places.

    Deviate at or above the index when the count favours ``action`` upwards (stand on 16 v T
    at 0 or more), below it otherwise (hit 13 v 2 below -1). ``player=None`` with
    ``action="insurance"`` gives the insurance index. None when no index play for that
    hand and action exists between -20 and +20 for these rules.

    Answers come from the published table for the rules (Hi-Lo: the Illustrious 18 and
    Fab 4 for 4-8 decks, S17 or H17); for other rules and balanced systems Felt computes
    the index (:func:`generate_index`, against the basic-strategy play for the hand's two
    cards; None when ``action`` is that play).

    >>> index_play("6D S17 DAS LS", "T5", "T", "surrender")
    0
    >>> index_play("6D S17 DAS", "T5", "T", "surrender") is None  # no surrender in this game
    True
    """
    rules = _rules(rules)
    if action not in ACTIONS:
        raise RulesError(f"unknown action {action!r}: expected one of {', '.join(ACTIONS)}")
    up = _up(dealer)
    if action == "insurance" or player is None:
        if action != "insurance" or up != "A":
            raise CardError("insurance needs player=None, dealer 'A' and action 'insurance'")
        row = "insurance"
    else:
        row = hand_row(player)
    published = index_plays(rules, system)
    if not published:
        return _generated_index_play(rules, row, up, action, count_system(system).name)
    plays = [p for p in published if p.hand == row and p.dealer == up]
    hits = [p for p in plays if action in (p.above, p.below)]
    if not hits:
        return None
    # Prefer the play whose other side is the one taken at count 0 (basic strategy).
    hits.sort(key=lambda p: 0 if p.action_at(0) != action else 1)
    return hits[0].index


# --------------------------------------------------------------------------------------
# Index generation from the exact engine
# --------------------------------------------------------------------------------------

GENERATION_METHOD = (
    "Removal-weighted shoes: at true count TC with d decks left, each rank's expected count "
    "is d (52 p_c - p_c t_c TC / var_t) (the linear regression of the unseen cards on the "
    "count, t_c the tag, p_c the rank's share of the deck, var_t = sum p_c t_c^2). Each "
    "action's exact value (action_values with shoe=) is taken on that shoe rounded to whole "
    "cards, plus a first-order correction for the rounding from the effect of removing one "
    "card of each rank; the hands making the total are averaged with their full-shoe "
    "weights: two-card hands, and for stand/hit decisions also three-card hands grown from a "
    "two-card start that basic strategy hits (two-card hands that basic strategy surrenders "
    "never meet a stand/hit decision when surrender is allowed). The crossing is found "
    "between whole true counts by linear interpolation, at "
    "1/4, 1/2 and 3/4 of the shoe left; the index is the mean crossing rounded to the "
    "nearest whole count, and the spread over the depths says how stable it is."
)


@dataclass(frozen=True)
class GeneratedIndex:
    """An index computed by Felt: ``above`` gains at counts >= ``crossing``."""

    hand: str
    dealer: str
    above: str
    below: str
    index: int | None
    crossing: float | None
    by_depth: dict[float, float | None]
    spread: float | None
    method: str = GENERATION_METHOD

    def as_play(self) -> IndexPlay | None:
        """The play for the simulator, None when there is no crossing in -20..+20."""
        if self.index is None:
            return None
        return IndexPlay(self.hand, self.dealer, self.above, self.below, self.index, "Felt")


def _start_row(a: int, b: int) -> str:
    if a == b:
        label = "A" if a == 1 else "T" if a == 10 else str(a)
        return f"pair {label},{label}"
    if 1 in (a, b):
        return f"soft {a + b + 10}"
    return f"hard {a + b}"


def _row_of(cards: tuple[int, ...]) -> str:
    total = sum(cards)
    if 1 in cards and total + 10 <= 21:
        return f"soft {total + 10}"
    return f"hard {total}"


def _is_hit(code: str, rules: Rules, total: int) -> bool:
    """Does the chart hit this two-card start (so that a three-card hand can follow)?"""
    if code == "H":
        return True
    if code == "Rh":
        return rules.surrender == "none"
    if code == "D":  # doubles when allowed
        allowed = rules.double_on == "any2" or (
            (9 if rules.double_on == "9-11" else 10) <= total <= 11
        )
        return not allowed
    return False


def _row_compositions(
    row: str, rules: Rules, up: str, above: str, below: str
) -> list[tuple[tuple[int, ...], float]]:
    """Hands making a chart row where the decision is met, with full-shoe weights (sum 1).

    Doubles, splits and surrenders are decided on two cards only. Stand/hit decisions are
    also met on three-card hands (a two-card start the chart hits, plus a card), and a
    two-card hand the chart surrenders (when the rules allow it) never meets them.
    """
    if row == "insurance":
        return [((), 1.0)]
    kind, _, rest = row.partition(" ")
    p = [1.0] * 9 + [4.0]  # relative frequency of A,2..9,T
    if kind == "pair":
        card = rest.split(",")[0]
        v = 1 if card == "A" else 10 if card == "T" else int(card)
        return [((v, v), 1.0)]
    out: list[tuple[tuple[int, ...], float]] = []
    multi = {above, below} <= {"stand", "hit"}
    chart = _chart(rules) if multi else None
    col = UP_CARDS.index(up)
    surrendered = (
        chart is not None
        and rules.surrender != "none"
        and str(chart.loc[row].iloc[col]) in ("Rh", "Rs")
    )
    for a in range(1, 11):
        for b in range(a, 11):
            w2 = (1 if a == b else 2) * p[a - 1] * p[b - 1]
            start = (b, a)
            natural = sum(start) + (10 if a == 1 else 0) == 21
            if a != b and _row_of(start) == row and not natural and not surrendered:
                out.append((start, w2))
            if not multi:
                continue
            label = _start_row(a, b)
            if label in chart.index:
                code = str(chart.loc[label].iloc[col])
            elif label.startswith("soft") and label.endswith("21"):
                continue  # a natural
            else:
                code = "H"  # hard 4 (2,2 unsplit) and soft 12 (A,A unsplit)
            if code == "P" or not _is_hit(code, rules, sum(start)):
                continue
            for c in range(1, 11):
                three = (*start, c)
                if _row_of(three) == row:
                    out.append((three, w2 * p[c - 1]))
    if not out:
        raise RulesError(f"no hand makes {row!r} where that decision is met")
    s = sum(w for _, w in out)
    return [(cards, w / s) for cards, w in out]


def _chart(rules: Rules):
    from engine.blackjack.simulate import _basic_chart

    return _basic_chart(rules)


def _action_value(vals: dict[str, float], action: str, row: str) -> float:
    if action not in vals:
        raise RulesError(f"{action!r} is not allowed for {row} under these rules")
    return vals[action]


def _shoe_at(tc: float, d: float, tags: tuple[float, ...], var_t: float) -> list[float]:
    p = [1 / 13] * 9 + [4 / 13]
    return [d * (52 * pc - pc * t * tc / var_t) for pc, t in zip(p, tags, strict=True)]


def _diff_function(rules: Rules, row: str, up_label: str, above: str, below: str):
    from engine.blackjack.values import action_values

    comps = _row_compositions(row, rules, up_label, above, below)
    up = 1 if up_label == "A" else 10 if up_label == "T" else int(up_label)

    def f(shoe: tuple[int, ...]) -> float:
        if row == "insurance":
            tens = shoe[9]
            n = sum(shoe) - 1  # the up ace is out
            p = tens / n
            ins = 0.5 * (3 * p - 1)  # half a bet that pays 2:1
            return ins if above == "insurance" else -ins
        total = 0.0
        for cards, w in comps:
            vals = action_values(list(cards), up, rules, shoe=shoe)
            total += w * (_action_value(vals, above, row) - _action_value(vals, below, row))
        return total

    return f


def _crossing_at_depth(
    f, d: float, tags, var_t, need: list[int], lo: int = -20, hi: int = 20
) -> float | None:
    """Crossing at ``d`` decks left; ``need``: cards of each rank the hands and up card use."""
    neutral = [
        max(n + 1, round(x)) for x, n in zip(_shoe_at(0.0, d, tags, var_t), need, strict=True)
    ]
    f0 = f(tuple(neutral))
    grad = []
    for c in range(10):
        more = list(neutral)
        more[c] += 1
        grad.append(f(tuple(more)) - f0)  # change in f per extra card of rank c
    cache: dict[int, float] = {}

    def g(tc: int) -> float:
        if tc not in cache:
            real = _shoe_at(tc, d, tags, var_t)
            whole = [max(n + 1, round(x)) for x, n in zip(real, need, strict=True)]
            cache[tc] = f(tuple(whole)) + sum(
                (r - w) * gc for r, w, gc in zip(real, whole, grad, strict=True)
            )
        return cache[tc]

    def feasible(tc: int) -> bool:
        return all(x >= n + 0.5 for x, n in zip(_shoe_at(tc, d, tags, var_t), need, strict=True))

    # walk from 0 in steps of 2 towards the sign change
    x = 0
    g0 = g(0)
    step = 2 if g(2) - g0 > 0 else -2
    direction = step if g0 < 0 else -step  # move up the slope when negative, down when positive
    prev_x, prev_v = x, g0
    while lo <= x + direction <= hi and feasible(x + direction):
        x += direction
        v = g(x)
        if (v >= 0) != (prev_v >= 0):
            a, b = sorted((prev_x, x))
            for m in range(a + 1, b):  # refine to whole counts
                if (g(m) >= 0) != (g(a) >= 0):
                    b = m
                    break
                a = m
            ga, gb = g(a), g(b)
            return a + (0 - ga) * (b - a) / (gb - ga) if gb != ga else float(a)
        prev_x, prev_v = x, v
    return None


def generate_index(
    rules: Rules | str,
    hand: str,
    dealer: str,
    above: str,
    below: str,
    system: str = "hilo",
    *,
    depths: tuple[float, ...] = (0.25, 0.5, 0.75),
) -> GeneratedIndex:
    """Compute where ``above`` starts to beat ``below`` for a chart row against an up card.

    ``hand``: "hard 16", "soft 18", "pair T,T" or "insurance" (then ``above`` is
    "insurance" and ``below`` "no insurance"). Balanced count systems only (unbalanced
    ones are played off the running count, whose meaning depends on the depth). The method
    (:data:`GENERATION_METHOD`) uses :func:`engine.blackjack.values.action_values`.

    >>> g = generate_index("6D S17 DAS LS", "insurance", "A", "insurance", "no insurance")
    >>> g.index, round(g.crossing, 1)
    (3, 3.0)
    """
    rules = _rules(rules)
    cs = count_system(system)
    if not cs.balanced:
        raise RulesError(
            f"{cs.title} is unbalanced: Felt generates indices for balanced counts only"
        )
    if cs.red7_tag is not None:
        raise RulesError(f"{cs.title} needs suits; Felt generates indices by rank only")
    up_label = _up(dealer)
    tags = cs.tags
    p = [1 / 13] * 9 + [4 / 13]
    var_t = sum(pc * t * t for pc, t in zip(p, tags, strict=True))
    f = _diff_function(rules, hand, up_label, above, below)
    up = 1 if up_label == "A" else 10 if up_label == "T" else int(up_label)
    need = [0] * 10
    for cards, _ in _row_compositions(hand, rules, up_label, above, below):
        for rank in range(1, 11):
            used = sum(1 for c in (*cards, up) if c == rank)
            need[rank - 1] = max(need[rank - 1], used)
    by_depth: dict[float, float | None] = {}
    for frac in depths:
        by_depth[frac] = _crossing_at_depth(f, rules.decks * frac, tags, var_t, need)
    found = [x for x in by_depth.values() if x is not None]
    if not found:
        return GeneratedIndex(hand, up_label, above, below, None, None, by_depth, None)
    crossing = sum(found) / len(found)
    # which side gains at high counts: check just above the crossing at mid-shoe
    d = rules.decks * 0.5
    probe = [
        max(n + 1, round(x))
        for x, n in zip(_shoe_at(min(crossing + 3, 20), d, tags, var_t), need, strict=True)
    ]
    if f(tuple(probe)) < 0:
        above, below = below, above
    return GeneratedIndex(
        hand,
        up_label,
        above,
        below,
        math.floor(crossing + 0.5),
        crossing,
        by_depth,
        max(found) - min(found),
    )


_SURRENDER_OF = {"Rh": "hit", "Rs": "stand", "Rp": "split"}


def basic_play(rules: Rules, row: str, up: str) -> str:
    """The basic-strategy action for a two-card hand of ``row`` (the chart for ``rules``).

    >>> basic_play(Rules(), "insurance", "A")
    'no insurance'
    """
    if row == "insurance":
        return "no insurance"
    code = str(_chart(rules).loc[row].iloc[UP_CARDS.index(up)])
    if code in _SURRENDER_OF:
        return "surrender" if rules.surrender != "none" else _SURRENDER_OF[code]
    total = int(row.split()[1]) if not row.startswith("pair") else 0
    double_ok = rules.double_on == "any2" or (
        (9 if rules.double_on == "9-11" else 10) <= total <= 11
    )
    if code in ("D", "Ds"):
        return "double" if double_ok else ("hit" if code == "D" else "stand")
    return {"H": "hit", "S": "stand", "P": "split"}[code]


@functools.lru_cache(maxsize=1024)
def _generated_index_play(rules: Rules, row: str, up: str, action: str, system: str):
    basic = basic_play(rules, row, up)
    if action == basic:
        return None
    g = generate_index(rules, row, up, action, basic, system)
    return g.index


def generate_table(
    rules: Rules | str, system: str = "hilo", plays: Iterable[IndexPlay] | None = None
) -> list[GeneratedIndex]:
    """Felt's indices for the hands of the Illustrious 18 and Fab 4 (or ``plays``) under any
    rules and balanced count (surrender plays only when the rules allow surrender).

    Each hand compares the two actions of the published play; ``as_play()`` turns the
    results into :class:`IndexPlay` for the simulator.
    """
    rules = _rules(rules)
    if plays is None:
        (_, base), *_ = published_tables("hilo")
        plays = [p for p in base if p.requires != "surrender" or rules.surrender != "none"]
    out = []
    for p in plays:
        above, below = p.above, p.below
        if {above, below} & {"double"} and rules.double_on != "any2":
            total = int(p.hand.split()[1]) if p.hand.startswith(("hard", "soft")) else 0
            if not (9 if rules.double_on == "9-11" else 10) <= total <= 11:
                continue
        out.append(generate_index(rules, p.hand, p.dealer, above, below, system))
    return out
