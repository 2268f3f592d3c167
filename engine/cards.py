"""Card notation: the one place it is defined.

A card is two characters, rank ``23456789TJQKA`` and suit ``shdc`` (``Ah``, ``Td``).
Parsing accepts ``10`` for ``T``, either case, and spaces or commas between cards
(``"Ah Kd"``, ``"ah,kd"``, ``"AhKd"``); output always uses the canonical form.

Internally a card is also an integer ``0..51``: ``rank * 4 + suit`` with rank ``0`` for
a deuce up to ``12`` for an ace and suit in the order ``s h d c``. The engines use
these integers; people see the strings.

>>> parse_cards("ah, 10d 9C")
['Ah', 'Td', '9c']
>>> card_to_int("As"), int_to_card(0)
(48, '2s')
>>> parse_blackjack_hand("A,7"), parse_blackjack_hand("10 6"), parse_blackjack_hand("KhQs")
([1, 7], [10, 6], [10, 10])
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from engine.errors import CardError

__all__ = [
    "DECK",
    "RANKS",
    "SUITS",
    "CardError",
    "card_to_int",
    "cards_to_ints",
    "format_cards",
    "int_to_card",
    "parse_blackjack_hand",
    "parse_blackjack_rank",
    "parse_card",
    "parse_cards",
]

RANKS = "23456789TJQKA"
SUITS = "shdc"
DECK: tuple[str, ...] = tuple(r + s for r in RANKS for s in SUITS)

_SEPARATORS = re.compile(r"[\s,;]+")
_CARD_INDEX = {card: i for i, card in enumerate(DECK)}
# Blackjack values: ace is 1, ten and faces are 10.
_BJ_VALUE = {"A": 1, "T": 10, "J": 10, "Q": 10, "K": 10, **{str(v): v for v in range(2, 10)}}


def _split_chunks(text: str) -> list[str]:
    if not isinstance(text, str):
        raise CardError(f"expected cards as text such as 'Ah Kd', got {type(text).__name__}")
    return [c for c in _SEPARATORS.split(text.strip()) if c]


def _read_rank(chunk: str, pos: int) -> tuple[str | None, int]:
    """Read one rank at ``pos``; ``10`` is read as ``T``. Returns (rank or None, new pos)."""
    if chunk.startswith("10", pos):
        return "T", pos + 2
    ch = chunk[pos].upper()
    if ch in RANKS:
        return ch, pos + 1
    return None, pos


def parse_card(text: str) -> str:
    """Parse one card into canonical form.

    >>> parse_card("10h"), parse_card("qS")
    ('Th', 'Qs')
    """
    cards = parse_cards(text)
    if len(cards) != 1:
        raise CardError(f"expected one card such as 'Ah', got {text!r}")
    return cards[0]


def parse_cards(text: str | Iterable[str], *, allow_duplicates: bool = False) -> list[str]:
    """Parse cards written together or apart (``"AhKd"``, ``"ah, kd"``, ``"10h 9c"``).

    A list of card strings is accepted too. Duplicates raise ``CardError`` unless
    ``allow_duplicates``; the empty string gives an empty list.

    >>> parse_cards("AhKd")
    ['Ah', 'Kd']
    >>> parse_cards("Ah Ah")
    Traceback (most recent call last):
    ...
    engine.errors.CardError: duplicate card 'Ah' in 'Ah Ah'
    """
    if not isinstance(text, str):
        try:
            text = " ".join(text)
        except TypeError:
            raise CardError(
                f"expected cards as text such as 'Ah Kd', got {type(text).__name__}"
            ) from None
    out: list[str] = []
    for chunk in _split_chunks(text):
        pos = 0
        while pos < len(chunk):
            start = pos
            rank, pos = _read_rank(chunk, pos)
            if rank is None:
                raise CardError(
                    f"bad card {chunk[start : start + 2]!r} in {text!r}: "
                    f"expected a rank from {RANKS} (or 10) followed by a suit from {SUITS}"
                )
            if pos >= len(chunk):
                raise CardError(
                    f"bad card {chunk[start:]!r} in {text!r}: missing suit, "
                    f"expected one of {SUITS} after the rank"
                )
            suit = chunk[pos].lower()
            if suit not in SUITS:
                raise CardError(
                    f"bad card {chunk[start : pos + 1]!r} in {text!r}: "
                    f"{chunk[pos]!r} is not a suit, expected one of {SUITS}"
                )
            pos += 1
            card = rank + suit
            if not allow_duplicates and card in out:
                raise CardError(f"duplicate card {card!r} in {text!r}")
            out.append(card)
    return out


def card_to_int(card: str) -> int:
    """Index 0..51 of a canonical or parseable card."""
    idx = _CARD_INDEX.get(card)
    if idx is None:
        idx = _CARD_INDEX[parse_card(card)]
    return idx


def int_to_card(index: int) -> str:
    """Canonical string of a card index 0..51."""
    if not 0 <= int(index) < 52:
        raise CardError(f"card index {index!r} is out of range 0..51")
    return DECK[int(index)]


def cards_to_ints(text: str | Iterable[str], *, allow_duplicates: bool = False) -> list[int]:
    """Parse cards and return their indices 0..51."""
    return [_CARD_INDEX[c] for c in parse_cards(text, allow_duplicates=allow_duplicates)]


def format_cards(cards: Iterable[int | str], sep: str = " ") -> str:
    """Canonical text of cards given as indices or strings."""
    return sep.join(int_to_card(c) if isinstance(c, int) else parse_card(c) for c in cards)


def parse_blackjack_rank(text: str) -> int:
    """Blackjack value of one rank: ace 1, 2..9, ten and faces 10. Suits are ignored.

    >>> parse_blackjack_rank("K"), parse_blackjack_rank("a"), parse_blackjack_rank("10")
    (10, 1, 10)
    """
    ranks = parse_blackjack_hand(text)
    if len(ranks) != 1:
        raise CardError(f"expected one rank such as 'A', 'T' or '7', got {text!r}")
    return ranks[0]


def parse_blackjack_hand(text: str | Iterable[str]) -> list[int]:
    """Blackjack hand as values 1 (ace) .. 10; suits may be given or omitted.

    Accepts ``"T6"``, ``"A,7"``, ``"10 6"``, ``"Ah7d"``; J, Q, K count as T.
    """
    if not isinstance(text, str):
        text = " ".join(str(t) for t in text)
    out: list[int] = []
    for chunk in _split_chunks(text):
        pos = 0
        while pos < len(chunk):
            start = pos
            rank, pos = _read_rank(chunk, pos)
            if rank is None:
                raise CardError(
                    f"bad card {chunk[start]!r} in {text!r}: expected a rank "
                    f"A, 2-9, T/10, J, Q or K (a suit may follow)"
                )
            if pos < len(chunk) and chunk[pos].lower() in SUITS:
                pos += 1
            out.append(_BJ_VALUE[rank])
    return out
