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
import pathlib
from collections.abc import Iterable
from dataclasses import dataclass

from engine.blackjack.counting import count_system
from engine.blackjack.rules import Rules
from engine.cards import parse_blackjack_hand
from engine.errors import CardError, RulesError

__all__ = [
    "ACTIONS",
    "IndexPlay",
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
    Fab 4 for 4-8 decks, S17 or H17).

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
    plays = [p for p in index_plays(rules, system) if p.hand == row and p.dealer == up]
    hits = [p for p in plays if action in (p.above, p.below)]
    if not hits:
        return None
    # Prefer the play whose other side is the one taken at count 0 (basic strategy).
    hits.sort(key=lambda p: 0 if p.action_at(0) != action else 1)
    return hits[0].index
