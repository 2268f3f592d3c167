"""Card counting systems as data, running counts and true counts.

A count system gives every rank a tag; the running count is the sum of the tags of the
cards seen since the shuffle (plus an initial running count for unbalanced systems). A
balanced system (tags sum to 0 over a deck) is divided by the decks remaining to get the
true count; an unbalanced one (KO, Red 7) is played off the running count itself, against
its key count (start raising bets) and pivot (where it behaves like a true count).

Tags are the published ones (sources in each system's ``source``). Red 7 needs suits:
red sevens count +1, black sevens 0.

True count: ``running / decks_remaining``. A player reads the decks remaining off the
discard tray, so :func:`decks_remaining` estimates it to the full, half or quarter deck
(``estimate="exact"`` uses the exact number of unseen cards / 52); the result is then
rounded by ``rounding``: ``"floor"`` (towards minus infinity, the convention Felt's
simulator and index tables use: "+2" means 2.0 <= true count < 3.0), ``"truncate"``
(towards zero, what many players do in their heads) or ``"round"`` (to the nearest whole
number, halves away from zero); ``None`` keeps the fraction.

>>> running_count("Ah 5d Kc 2s 7h", "hilo")
0
>>> running_count("Ah 5d Kc 2s 7h", "red7", decks=1)  # IRC -2, the red 7 counts +1
-1
>>> true_count(7, decks_remaining(156, decks=6, estimate="half"), rounding="floor")
2
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from engine.cards import parse_blackjack_hand, parse_cards
from engine.errors import CardError, RulesError

__all__ = [
    "SYSTEMS",
    "CountSystem",
    "RunningCount",
    "count_system",
    "decks_remaining",
    "running_count",
    "true_count",
]

# Tag order everywhere in the blackjack engine: A, 2, 3, 4, 5, 6, 7, 8, 9, T.
RANK_ORDER = ("A", "2", "3", "4", "5", "6", "7", "8", "9", "T")
ESTIMATES = ("exact", "full", "half", "quarter")
ROUNDINGS = ("floor", "truncate", "round", None)


@dataclass(frozen=True)
class CountSystem:
    """A card counting system.

    ``tags`` holds one tag per rank in the order A,2,...,9,T; ``red7_tag`` is the tag of a
    red seven when it differs from a black one (Red 7), else None. ``ace_side_weight`` is
    the number of points added to the running count *for betting* per surplus ace in the
    unseen cards (systems that count the ace as 0 and keep an ace side count).
    ``irc_per_deck``/``irc_offset`` give the initial running count ``irc_per_deck * decks +
    irc_offset`` of an unbalanced system; ``key_counts`` maps decks to the published key
    count and ``pivot`` is the published pivot.
    """

    name: str
    title: str
    tags: tuple[float, ...]
    level: int
    source: str
    red7_tag: float | None = None
    ace_side_weight: float = 0.0
    irc_per_deck: float = 0.0
    irc_offset: float = 0.0
    key_counts: Mapping[int, float] = field(default_factory=lambda: MappingProxyType({}))
    pivot: float | None = None
    notes: str = ""

    def __post_init__(self) -> None:
        if len(self.tags) != 10:
            raise RulesError(f"{self.name}: expected 10 tags (A,2..9,T), got {len(self.tags)}")

    @property
    def deck_sum(self) -> float:
        """Sum of the tags over one 52-card deck (0 for a balanced system)."""
        sevens = self.tags[6] * 4
        if self.red7_tag is not None:
            sevens = self.tags[6] * 2 + self.red7_tag * 2
        return 4 * sum(self.tags[:6]) + sevens + 4 * sum(self.tags[7:9]) + 16 * self.tags[9]

    @property
    def balanced(self) -> bool:
        """True when a whole deck counts to 0 (use the true count)."""
        return self.deck_sum == 0

    def initial_running_count(self, decks: int) -> float:
        """The count at the shuffle: 0 for balanced systems, the published IRC otherwise.

        >>> ko, red7 = count_system("ko"), count_system("red7")
        >>> ko.initial_running_count(6), red7.initial_running_count(6)
        (-20, -12)
        """
        if self.balanced:
            return 0
        value = self.irc_per_deck * decks + self.irc_offset
        return int(value) if float(value).is_integer() else value

    def key_count(self, decks: int) -> float | None:
        """Published key count (start raising bets) for an unbalanced system, if any."""
        return self.key_counts.get(decks)

    def tag(self, value: int, *, red: bool | None = None) -> float:
        """Tag of a card of blackjack value 1 (ace) .. 10; ``red`` matters only for Red 7's 7."""
        if not 1 <= value <= 10:
            raise CardError(f"card value {value!r} is not 1 (ace) to 10")
        if value == 7 and self.red7_tag is not None:
            if red is None:
                raise CardError(
                    f"{self.title} counts red and black sevens differently: give the 7's suit "
                    "(for example '7h' or '7s')"
                )
            return self.red7_tag if red else self.tags[6]
        return self.tags[value - 1]

    def as_dict(self) -> dict[str, object]:
        """JSON-able description (tags by rank, balance, IRC, key counts)."""
        tags = dict(zip(RANK_ORDER, self.tags, strict=True))
        if self.red7_tag is not None:
            tags = {**tags, "7": {"red": self.red7_tag, "black": self.tags[6]}}
        return {
            "name": self.name,
            "title": self.title,
            "tags": tags,
            "balanced": self.balanced,
            "level": self.level,
            "ace_side_weight": self.ace_side_weight,
            "irc": None
            if self.balanced
            else f"{self.irc_per_deck:g} x decks + {self.irc_offset:g}",
            "key_counts": dict(self.key_counts),
            "pivot": self.pivot,
            "source": self.source,
            "notes": self.notes,
        }


def _system(**kw: object) -> CountSystem:
    key_counts = kw.pop("key_counts", {})
    return CountSystem(key_counts=MappingProxyType(dict(key_counts)), **kw)  # type: ignore[arg-type]


SYSTEMS: Mapping[str, CountSystem] = MappingProxyType(
    {
        s.name: s
        for s in (
            _system(
                name="hilo",
                title="Hi-Lo",
                tags=(-1, 1, 1, 1, 1, 1, 0, 0, 0, -1),
                level=1,
                source="Harvey Dubner (1963); Stanford Wong, Professional Blackjack; "
                "Schlesinger, Blackjack Attack",
            ),
            _system(
                name="ko",
                title="Knock-Out (KO)",
                tags=(-1, 1, 1, 1, 1, 1, 1, 0, 0, -1),
                level=1,
                source="Vancura & Fuchs, Knock-Out Blackjack (1998): standard IRC 4 - 4 x decks, "
                "key counts 1D +2, 2D +1, 6D -4, 8D -6, pivot +4",
                irc_per_deck=-4,
                irc_offset=4,
                key_counts={1: 2, 2: 1, 6: -4, 8: -6},
                pivot=4,
                notes="Unbalanced (+4 per deck): bet off the running count, no true count.",
            ),
            _system(
                name="hiopt1",
                title="Hi-Opt I",
                tags=(0, 0, 1, 1, 1, 1, 0, 0, 0, -1),
                level=1,
                source="Humble & Cooper, The World's Greatest Blackjack Book (1980)",
                ace_side_weight=1,
                notes="Aces count 0 for play; for betting add 1 per surplus unseen ace "
                "(ace side count).",
            ),
            _system(
                name="hiopt2",
                title="Hi-Opt II",
                tags=(0, 1, 1, 2, 2, 1, 1, 0, 0, -2),
                level=2,
                source="Humble & Cooper, The World's Greatest Blackjack Book (1980)",
                ace_side_weight=2,
                notes="Aces count 0 for play; for betting add 2 (one ten's worth) per surplus "
                "unseen ace (ace side count).",
            ),
            _system(
                name="omega2",
                title="Omega II",
                tags=(0, 1, 1, 2, 2, 2, 1, 0, -1, -2),
                level=2,
                source="Bryce Carlson, Blackjack for Blood (1992)",
                notes="Aces count 0; Carlson's optional ace side count is not applied here.",
            ),
            _system(
                name="zen",
                title="Zen Count",
                tags=(-1, 1, 1, 2, 2, 2, 1, 0, 0, -2),
                level=2,
                source="Arnold Snyder, Blackbelt in Blackjack (1983)",
            ),
            _system(
                name="halves",
                title="Wong Halves",
                tags=(-1, 0.5, 1, 1, 1.5, 1, 0.5, 0, -0.5, -1),
                level=3,
                source="Stanford Wong, Professional Blackjack (1975)",
                notes="Players often double every tag to count in whole numbers; the true "
                "count then doubles too.",
            ),
            _system(
                name="red7",
                title="Red 7",
                tags=(-1, 1, 1, 1, 1, 1, 0, 0, 0, -1),
                red7_tag=1,
                level=1,
                source="Arnold Snyder, Blackbelt in Blackjack (1983): IRC -2 x decks, pivot 0",
                irc_per_deck=-2,
                pivot=0,
                key_counts={d: 0 for d in range(1, 9)},
                notes="Unbalanced (+2 per deck): red sevens +1, black sevens 0. Snyder raises "
                "the bet at the pivot (running count 0 from an IRC of -2 x decks), which is "
                "also the key count here.",
            ),
        )
    }
)

_ALIASES = {
    "hi-lo": "hilo",
    "hi_lo": "hilo",
    "k-o": "ko",
    "knockout": "ko",
    "hi-opt i": "hiopt1",
    "hi-opt-i": "hiopt1",
    "hiopti": "hiopt1",
    "hi-opt ii": "hiopt2",
    "hi-opt-ii": "hiopt2",
    "hioptii": "hiopt2",
    "omega ii": "omega2",
    "omegaii": "omega2",
    "omega-ii": "omega2",
    "wong halves": "halves",
    "wonghalves": "halves",
    "red 7": "red7",
    "red seven": "red7",
    "redseven": "red7",
    "zen count": "zen",
}


def count_system(system: str | CountSystem) -> CountSystem:
    """Look a count system up by name (``"hilo"``, ``"Hi-Opt II"``, ``"red 7"`` ...).

    >>> count_system("Hi-Lo").tags
    (-1, 1, 1, 1, 1, 1, 0, 0, 0, -1)
    >>> count_system("hilo").balanced, count_system("ko").balanced
    (True, False)
    """
    if isinstance(system, CountSystem):
        return system
    if not isinstance(system, str):
        raise RulesError(f"count system must be a name such as 'hilo', got {system!r}")
    key = system.strip().lower()
    key = _ALIASES.get(key, key)
    if key not in SYSTEMS:
        raise RulesError(f"unknown count system {system!r}: expected one of {', '.join(SYSTEMS)}")
    return SYSTEMS[key]


def _values_and_tags(
    cards: str | Iterable[str] | Iterable[int], cs: CountSystem
) -> list[tuple[int, float]]:
    """(value 1..10, tag) of cards given as text (with or without suits) or as values."""
    if not isinstance(cards, str):
        items = list(cards)
        if all(isinstance(c, int) and not isinstance(c, bool) for c in items):
            return [(int(c), cs.tag(int(c))) for c in items]
        cards = " ".join(str(c) for c in items)
    try:
        suited = parse_cards(cards, allow_duplicates=True)
    except CardError:
        return [(v, cs.tag(v)) for v in parse_blackjack_hand(cards)]
    out = []
    for card in suited:
        value = parse_blackjack_hand(card[0])[0]
        out.append((value, cs.tag(value, red=card[1] in "hd")))
    return out


def _clean(value: float) -> float:
    return int(value) if float(value).is_integer() else value


def running_count(
    cards: str | Iterable[str] | Iterable[int],
    system: str | CountSystem = "hilo",
    *,
    decks: int | None = None,
) -> float:
    """Running count after ``cards`` (text such as ``"Ah 5d K"`` or values 1..10).

    For an unbalanced system give ``decks`` to start from its initial running count.

    >>> running_count("T 5 A 6 6", "zen")
    3
    >>> running_count([10, 10, 2], "halves")
    -1.5
    """
    cs = count_system(system)
    start = 0.0
    if not cs.balanced:
        if decks is None:
            raise RulesError(
                f"{cs.title} is unbalanced: give decks= so the count starts at its initial "
                "running count"
            )
        start = cs.initial_running_count(decks)
    return _clean(start + sum(t for _, t in _values_and_tags(cards, cs)))


def decks_remaining(cards_seen: int, decks: int, *, estimate: str = "exact") -> float:
    """Decks left in the shoe after ``cards_seen`` cards, as a player would read them.

    ``estimate``: ``"exact"`` (unseen cards / 52), or the discard tray read to the nearest
    ``"full"``, ``"half"`` or ``"quarter"`` deck (never less than that step).

    >>> decks_remaining(100, 6), decks_remaining(100, 6, estimate="half")
    (4.076923076923077, 4.0)
    >>> decks_remaining(300, 6, estimate="quarter")
    0.25
    """
    if not 1 <= int(decks) <= 8 or int(decks) != decks:
        raise RulesError(f"decks must be a whole number from 1 to 8, got {decks!r}")
    total = 52 * int(decks)
    if not 0 <= int(cards_seen) < total:
        raise RulesError(f"cards seen must be 0 to {total - 1} for {decks} decks, got {cards_seen}")
    exact = (total - cards_seen) / 52
    if estimate == "exact":
        return exact
    steps = {"full": 1.0, "half": 0.5, "quarter": 0.25}
    if estimate not in steps:
        raise RulesError(f"unknown estimate {estimate!r}: expected one of {', '.join(ESTIMATES)}")
    step = steps[estimate]
    return max(step, math.floor(exact / step + 0.5) * step)


def round_count(value: float, rounding: str | None = "floor") -> float:
    """Apply a true-count rounding convention (see the module docstring).

    >>> [round_count(x, r) for x in (-1.5, 1.5) for r in ("floor", "truncate", "round")]
    [-2, -1, -2, 1, 1, 2]
    """
    if rounding is None:
        return value
    if rounding == "floor":
        return math.floor(value)
    if rounding == "truncate":
        return math.trunc(value)
    if rounding == "round":
        return int(math.copysign(math.floor(abs(value) + 0.5), value))
    raise RulesError(
        f"unknown rounding {rounding!r}: expected 'floor', 'truncate', 'round' or None"
    )


def true_count(running: float, decks_left: float, *, rounding: str | None = None) -> float:
    """Running count per deck remaining, optionally rounded (``"floor"``, ``"truncate"``,
    ``"round"``).

    >>> [true_count(-5, 2.0, rounding=r) for r in (None, "floor", "truncate")]
    [-2.5, -3, -2]
    """
    if not decks_left > 0:
        raise RulesError(f"decks remaining must be positive, got {decks_left!r}")
    return round_count(running / decks_left, rounding)


class RunningCount:
    """A running count kept through a shoe, for drills and live play.

    >>> rc = RunningCount("hilo", decks=6)
    >>> rc.see("Ah Kd 5c 2s 6h 9d"); rc.running, rc.cards_seen
    (1, 6)
    >>> round(rc.true(estimate="exact", rounding=None), 4)
    0.1699
    """

    def __init__(self, system: str | CountSystem = "hilo", decks: int = 6) -> None:
        self.system = count_system(system)
        self.decks = int(decks)
        decks_remaining(0, self.decks)  # validates decks
        self.reset()

    def reset(self) -> None:
        """A new shuffle: back to the initial running count."""
        self.running: float = self.system.initial_running_count(self.decks)
        self.cards_seen = 0
        self.aces_seen = 0

    def see(self, cards: str | Iterable[str] | Iterable[int]) -> None:
        """Count more cards (text or values 1..10)."""
        seen = _values_and_tags(cards, self.system)
        if self.cards_seen + len(seen) >= 52 * self.decks:
            raise RulesError(f"more cards seen than a {self.decks}-deck shoe holds")
        self.aces_seen += sum(1 for v, _ in seen if v == 1)
        self.running = _clean(self.running + sum(t for _, t in seen))
        self.cards_seen += len(seen)

    def decks_left(self, estimate: str = "exact") -> float:
        """Decks remaining (see :func:`decks_remaining`)."""
        return decks_remaining(self.cards_seen, self.decks, estimate=estimate)

    def betting_running(self) -> float:
        """Running count adjusted for surplus aces (systems with an ace side count)."""
        if not self.system.ace_side_weight:
            return self.running
        unseen = 52 * self.decks - self.cards_seen
        surplus = (4 * self.decks - self.aces_seen) - unseen / 13
        return self.running + self.system.ace_side_weight * surplus

    def true(self, *, estimate: str = "half", rounding: str | None = "floor") -> float:
        """True count (balanced systems) with the given deck estimate and rounding."""
        if not self.system.balanced:
            raise RulesError(f"{self.system.title} is unbalanced: use the running count")
        return true_count(self.running, self.decks_left(estimate), rounding=rounding)
