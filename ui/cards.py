"""Cards drawn as chips: rank and suit symbol, red suits in red, on a white face."""

from __future__ import annotations

import html
from collections.abc import Iterable

SUIT_SYMBOL = {"s": "♠", "h": "♥", "d": "♦", "c": "♣"}
RANK_TEXT = {"T": "10"}

CSS = """
<style>
.felt-cards {display:flex; gap:.45rem; flex-wrap:wrap; align-items:center; margin:.2rem 0 .6rem}
.felt-card {display:inline-flex; flex-direction:column; justify-content:center;
  align-items:center; width:3.2rem; height:4.4rem; border-radius:.45rem; background:#fbf8ef;
  color:#1b1b1b; font-weight:700; font-size:1.35rem; line-height:1.1;
  box-shadow:0 2px 6px rgba(0,0,0,.45); border:1px solid #d8d2c0}
.felt-card.red {color:#c0262d}
.felt-card.big {width:6.4rem; height:8.8rem; font-size:2.7rem; border-radius:.7rem}
.felt-card.back {background:repeating-linear-gradient(45deg,#7a1f25 0 6px,#8e2a31 6px 12px);
  border:3px solid #fbf8ef}
.felt-label {font-size:.85rem; opacity:.8; min-width:4.5rem}
</style>
"""


def card_html(card: str, *, big: bool = False) -> str:
    """One card (``"Ah"``; a suitless blackjack rank such as ``"T"`` is drawn in black)."""
    if card in ("", "?"):
        return f'<span class="felt-card back{" big" if big else ""}"></span>'
    rank, suit = card[0], card[1:2]
    red = suit in ("h", "d")
    text = html.escape(RANK_TEXT.get(rank, rank))
    symbol = SUIT_SYMBOL.get(suit, "")
    cls = "felt-card" + (" red" if red else "") + (" big" if big else "")
    return f'<span class="{cls}"><span>{text}</span><span>{symbol}</span></span>'


def cards_html(cards: Iterable[str], label: str = "", *, big: bool = False) -> str:
    """A row of cards with an optional label in front."""
    lab = f'<span class="felt-label">{html.escape(label)}</span>' if label else ""
    return f'<div class="felt-cards">{lab}{"".join(card_html(c, big=big) for c in cards)}</div>'


def show_cards(cards: Iterable[str], label: str = "", *, big: bool = False) -> None:
    """Render a row of cards in the page."""
    import streamlit as st

    st.html(CSS + cards_html(cards, label, big=big))
