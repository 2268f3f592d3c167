"""The 13x13 range grid editor (Equilab layout) and its round trip with range text.

The grid is a chart of 169 labelled squares: click a hand class to add or remove it. A
slider sets the strongest share of hands at once; the range text stays editable beside it.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import streamlit as st

from engine.charts import range_picker_figure
from engine.errors import FeltError
from engine.poker import parse_range
from engine.poker.ranges import from_grid, top_range

RANKS = list("AKQJT98765432")


def toggled(text: str, cells: Iterable[tuple[int, int]]) -> str:
    """``text`` with the picked grid cells added whole, or taken out when every one of them
    is already in; combos of other cells stay exactly as written ("" when none is left).

    >>> toggled("AhKh", [(0, 2)]), toggled("AKs, AQs", [(0, 1)]), toggled("AKs", [(0, 1)])
    ('AhKh, AQs', 'AQs', '')
    """
    picked = sorted(set(cells))
    try:
        current = parse_range(text) if text.strip() else None
    except FeltError:
        current = None  # the text box shows its own error; the grid starts afresh
    grid = current.grid() if current is not None else np.zeros((13, 13))
    if current is not None and picked and all(grid[r, c] >= 1.0 for r, c in picked):
        try:
            return current.with_cells(picked, 0.0).text
        except FeltError:  # the last hands taken out
            return ""
    if current is None:
        return from_grid(toggle_grid(picked)).text if picked else text
    return current.with_cells(picked, 1.0).text


def toggle_grid(cells: Iterable[tuple[int, int]]) -> np.ndarray:
    """A 13x13 grid with only ``cells`` on."""
    grid = np.zeros((13, 13))
    for r, c in cells:
        grid[r, c] = 1.0
    return grid


def _picked(event: object) -> list[tuple[int, int]]:
    """Cells of a chart selection event (point k is the cell (k // 13, k % 13))."""
    try:
        points = event["selection"]["points"]  # type: ignore[index]
    except (KeyError, TypeError):
        return []
    out = []
    for p in points:
        k = p.get("point_index", p.get("point_number"))
        if isinstance(k, int) and 0 <= k < 169:
            out.append((k // 13, k % 13))
    return out


def grid_editor(text: str, key: str) -> str | None:
    """Edit ``text`` on the grid; returns the new range's text ("" when every hand was
    taken out), or None when nothing changed."""
    st.caption("Click a hand to add or remove it. Pairs on the diagonal, suited hands above "
               "it, offsuit below.")  # fmt: skip
    try:
        grid = parse_range(text).grid() if text.strip() else np.zeros((13, 13))
    except FeltError:
        grid = np.zeros((13, 13))
    n = st.session_state.get(f"{key}_n", 0)  # a new chart key clears the last selection
    event = st.plotly_chart(range_picker_figure(grid), key=f"{key}_{n}", on_select="rerun",
                            selection_mode="points",
                            config={"displayModeBar": False})  # fmt: skip
    c1, c2, c3 = st.columns([3, 1, 1], vertical_alignment="bottom")
    pct = c1.slider("Strongest share of hands (%)", 1, 100, 15, key=f"{key}_pct")
    top = c2.button("Set", key=f"{key}_top", help="The range becomes the strongest share")
    clear = c3.button("Clear", key=f"{key}_clear")
    if top:
        return top_range(pct).text
    if clear:
        return ""
    cells = _picked(event)
    if not cells:
        return None
    st.session_state[f"{key}_n"] = n + 1
    return toggled(text, cells)
