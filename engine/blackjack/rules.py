"""Blackjack rule sets: a frozen, validated dataclass with a short text form.

The short form is the one players write on forums and casino surveys:

>>> r = Rules.parse("6D H17 DAS LS")
>>> r.decks, r.hit_soft_17, r.double_after_split, r.surrender
(6, True, True, 'late')
>>> str(r)
'6D H17 DAS LS 3:2'
>>> Rules.parse(str(r)) == r
True
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from types import MappingProxyType

from engine.errors import RulesError

__all__ = ["DOUBLE_ON", "PRESETS", "SURRENDER", "Rules"]

DOUBLE_ON = ("any2", "9-11", "10-11")
SURRENDER = ("none", "late", "early")
_PAYS = {1.5: "3:2", 1.2: "6:5", 1.0: "1:1"}
_DOUBLE_TOKENS = {"any2": "DA2", "9-11": "D9", "10-11": "D10"}


@dataclass(frozen=True)
class Rules:
    """One blackjack game's rules; hashable, so safe as a cache key.

    decks: 1 to 8. hit_soft_17: the dealer hits soft 17 (H17) or stands (S17).
    double_after_split: doubling allowed on split hands (DAS). double_on: "any2" (any first
    two cards), "9-11" or "10-11" (hard or soft total of the two cards). surrender: "none",
    "late" (after the dealer checks for blackjack) or "early" (before). max_hands: hands a
    player may hold after splitting, 1 (no splitting) to 4. resplit_aces, hit_split_aces:
    split aces may be split again / hit (otherwise they take one card each).
    blackjack_pays: 1.5 (3:2), 1.2 (6:5) or 1.0 (1:1). dealer_peeks: the dealer checks for
    blackjack with an ace or ten up (US); False is the European no-hole-card game, where
    doubled and split bets are lost to a dealer blackjack.

    >>> Rules(decks=9)
    Traceback (most recent call last):
    ...
    engine.errors.RulesError: decks must be a whole number from 1 to 8, got 9
    """

    decks: int = 6
    hit_soft_17: bool = False
    double_after_split: bool = True
    double_on: str = "any2"
    surrender: str = "late"
    max_hands: int = 4
    resplit_aces: bool = False
    hit_split_aces: bool = False
    blackjack_pays: float = 1.5
    dealer_peeks: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.decks, bool) or not isinstance(self.decks, int):
            raise RulesError(f"decks must be a whole number from 1 to 8, got {self.decks!r}")
        if not 1 <= self.decks <= 8:
            raise RulesError(f"decks must be a whole number from 1 to 8, got {self.decks}")
        for name in (
            "hit_soft_17",
            "double_after_split",
            "resplit_aces",
            "hit_split_aces",
            "dealer_peeks",
        ):
            if not isinstance(getattr(self, name), bool):
                raise RulesError(f"{name} must be True or False, got {getattr(self, name)!r}")
        if self.double_on not in DOUBLE_ON:
            raise RulesError(
                f"double_on must be one of {', '.join(DOUBLE_ON)}, got {self.double_on!r}"
            )
        if self.surrender not in SURRENDER:
            raise RulesError(
                f"surrender must be one of {', '.join(SURRENDER)}, got {self.surrender!r}"
            )
        if isinstance(self.max_hands, bool) or not isinstance(self.max_hands, int):
            raise RulesError(
                f"max_hands must be a whole number from 1 to 4, got {self.max_hands!r}"
            )
        if not 1 <= self.max_hands <= 4:
            raise RulesError(f"max_hands must be from 1 (no splitting) to 4, got {self.max_hands}")
        pays = self.blackjack_pays
        if isinstance(pays, bool) or not isinstance(pays, int | float) or float(pays) not in _PAYS:
            raise RulesError(
                f"blackjack_pays must be 1.5 (3:2), 1.2 (6:5) or 1 (1:1), got {pays!r}"
            )
        object.__setattr__(self, "blackjack_pays", float(pays))

    def describe(self) -> str:
        """Short text such as ``"6D H17 DAS LS 3:2"``; :meth:`parse` reads it back.

        Defaults that players rarely state (double any two cards, four hands, no resplit
        or hitting of aces, peek) are written only when they differ.

        >>> Rules(decks=2, surrender="none", double_on="10-11", blackjack_pays=1.2).describe()
        '2D S17 DAS 6:5 D10'
        """
        parts = [f"{self.decks}D", "H17" if self.hit_soft_17 else "S17"]
        parts.append("DAS" if self.double_after_split else "NDAS")
        if self.surrender != "none":
            parts.append("LS" if self.surrender == "late" else "ES")
        parts.append(_PAYS[self.blackjack_pays])
        if self.double_on != "any2":
            parts.append(_DOUBLE_TOKENS[self.double_on])
        if self.max_hands != 4:
            parts.append("NSP" if self.max_hands == 1 else f"SP{self.max_hands}")
        if self.resplit_aces:
            parts.append("RSA")
        if self.hit_split_aces:
            parts.append("HSA")
        if not self.dealer_peeks:
            parts.append("ENHC")
        return " ".join(parts)

    def __str__(self) -> str:
        return self.describe()

    @classmethod
    def parse(cls, text: str) -> Rules:
        """Read a short description: tokens in any order, case-insensitive.

        ``6D`` decks; ``S17``/``H17``; ``DAS``/``NDAS`` (absent: no DAS); ``LS``/``ES``/``NS``
        surrender (absent: none); ``3:2``/``6:5``/``1:1``; ``DA2``/``D9``/``D10`` doubling;
        ``SP2``..``SP4`` or ``NSP`` hands after splits; ``RSA``; ``HSA``; ``ENHC`` (no
        hole card). A preset name (see ``PRESETS``) is accepted too.

        >>> Rules.parse("1d s17 ndas 6:5").blackjack_pays
        1.2
        """
        if not isinstance(text, str) or not text.strip():
            raise RulesError(f"expected rules such as '6D H17 DAS LS', got {text!r}")
        key = text.strip().lower().replace("-", "_").replace(" ", "_")
        if key in PRESETS:
            return PRESETS[key]
        values: dict[str, object] = {
            "double_after_split": False,
            "surrender": "none",
        }
        seen: set[str] = set()
        for raw in text.replace(",", " ").split():
            token = raw.upper()
            field_name, value = _read_token(token, raw, text)
            if field_name in seen:
                raise RulesError(f"rule {raw!r} repeats or contradicts another in {text!r}")
            seen.add(field_name)
            values[field_name] = value
        return cls(**values)  # type: ignore[arg-type]

    def replace(self, **changes: object) -> Rules:
        """A copy with some rules changed (validated like the constructor).

        >>> Rules().replace(decks=1).decks
        1
        """
        names = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - names)
        if unknown:
            raise RulesError(f"unknown rule {unknown[0]!r}; rules are {', '.join(sorted(names))}")
        current = {name: getattr(self, name) for name in names}
        current.update(changes)
        return Rules(**current)  # type: ignore[arg-type]


def _read_token(token: str, raw: str, text: str) -> tuple[str, object]:
    if token.endswith("D") and token[:-1].isdigit():
        return "decks", int(token[:-1])
    simple: dict[str, tuple[str, object]] = {
        "S17": ("hit_soft_17", False),
        "H17": ("hit_soft_17", True),
        "DAS": ("double_after_split", True),
        "NDAS": ("double_after_split", False),
        "LS": ("surrender", "late"),
        "ES": ("surrender", "early"),
        "NS": ("surrender", "none"),
        "NOSURR": ("surrender", "none"),
        "3:2": ("blackjack_pays", 1.5),
        "6:5": ("blackjack_pays", 1.2),
        "1:1": ("blackjack_pays", 1.0),
        "DA2": ("double_on", "any2"),
        "DOA": ("double_on", "any2"),
        "D9": ("double_on", "9-11"),
        "D10": ("double_on", "10-11"),
        "NSP": ("max_hands", 1),
        "RSA": ("resplit_aces", True),
        "HSA": ("hit_split_aces", True),
        "ENHC": ("dealer_peeks", False),
        "NHC": ("dealer_peeks", False),
        "PEEK": ("dealer_peeks", True),
    }
    if token in simple:
        return simple[token]
    if token.startswith("SP") and token[2:].isdigit():
        return "max_hands", int(token[2:])
    raise RulesError(
        f"unknown rule {raw!r} in {text!r}: expected tokens such as 6D, S17/H17, DAS/NDAS, "
        "LS/ES, 3:2/6:5/1:1, D9/D10, SP2-SP4/NSP, RSA, HSA, ENHC"
    )


PRESETS: MappingProxyType[str, Rules] = MappingProxyType(
    {
        # Las Vegas Strip shoe game: 6 decks, S17, DAS, late surrender, 3:2.
        "vegas_strip": Rules(decks=6, hit_soft_17=False, surrender="late"),
        # The common 6-deck H17 game of most US casinos.
        "vegas_h17": Rules(decks=6, hit_soft_17=True, surrender="late"),
        # Atlantic City: 8 decks, S17, DAS, late surrender.
        "atlantic_city": Rules(decks=8, hit_soft_17=False, surrender="late"),
        # Downtown Las Vegas double deck: H17, DAS, no surrender.
        "downtown_double_deck": Rules(decks=2, hit_soft_17=True, surrender="none"),
        # Single deck paying 6:5, H17, no DAS, no surrender.
        "single_deck_6to5": Rules(
            decks=1,
            hit_soft_17=True,
            double_after_split=False,
            surrender="none",
            blackjack_pays=1.2,
        ),
        # European no-hole-card game: 6 decks, S17, DAS, no surrender.
        "european": Rules(decks=6, hit_soft_17=False, surrender="none", dealer_peeks=False),
    }
)
