"""Flash cards one at a time in the browser at a steady pace (client-side, no reruns)."""

from __future__ import annotations

import html
import json
import uuid
from collections.abc import Sequence

import streamlit as st

from ui.cards import CSS, RANK_TEXT, SUIT_SYMBOL

# Streamlit drops a script whose text contains markup, so the script builds the cards
# with DOM calls from plain data: [rank text, suit symbol, red?] per card.
_SCRIPT = """
<script>
(() => {
  const el = document.getElementById("%(box)s");
  if (!el || el.dataset.started) return;
  el.dataset.started = "1";
  const n = document.getElementById("%(box)s-n");
  const cards = JSON.parse(el.dataset.cards);
  const face = (c) => {
    const card = document.createElement("span");
    card.className = "felt-card big" + (c === null ? " back" : (c[2] ? " red" : ""));
    if (c !== null) for (const t of [c[0], c[1]]) {
      const s = document.createElement("span"); s.textContent = t; card.appendChild(s);
    }
    el.replaceChildren(card);
  };
  let i = 0;
  const tick = () => {
    if (i < cards.length) {
      face(cards[i]); i += 1;
      n.textContent = "card " + i + " of " + cards.length;
      setTimeout(tick, %(ms)d);
    } else {
      face(null); el.dataset.done = "1";
      n.textContent = cards.length + " cards shown: your count?";
    }
  };
  tick();
})();
</script>
"""


def flash_cards(cards: Sequence[str], pace: float, *, token: str | None = None) -> None:
    """Show ``cards`` one after another, ``pace`` seconds each, then a face-down card.

    The animation runs in the browser, so the pace is exact however busy the server is.
    ``token`` makes a new animation start (a new round or segment) on rerun; when the last
    card has gone the box gets ``data-done="1"``.
    """
    box = f"felt-flash-{token or uuid.uuid4().hex}"
    data = [[RANK_TEXT.get(c[0], c[0]), SUIT_SYMBOL.get(c[1:2], ""), c[1:2] in "hd"]
            for c in cards]  # fmt: skip
    attr = html.escape(json.dumps(data), quote=True)
    body = (
        f'<div class="felt-cards" id="{box}" data-done="0" data-cards="{attr}" '
        'style="min-height:9.5rem"></div>'
        f'<div id="{box}-n" style="opacity:.75;font-size:.9rem"></div>'
    )
    ms = max(50, int(pace * 1000))
    st.html(CSS + body + _SCRIPT % {"box": box, "ms": ms}, unsafe_allow_javascript=True)
