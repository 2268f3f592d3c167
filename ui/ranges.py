"""The 13x13 range grid editor (Equilab layout) and its round trip with range text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from engine.errors import FeltError
from engine.poker import parse_range
from engine.poker.ranges import from_grid

RANKS = list("AKQJT98765432")


def grid_frame(text: str) -> pd.DataFrame:
    """Checked cells of the range written in ``text`` (a partial class counts as checked)."""
    try:
        grid = parse_range(text).grid() if text.strip() else np.zeros((13, 13))
    except FeltError:
        grid = np.zeros((13, 13))
    return pd.DataFrame(grid > 0, index=RANKS, columns=RANKS)


def grid_editor(text: str, key: str) -> str | None:
    """Edit ``text`` as a 13x13 grid (pairs on the diagonal, suited above, offsuit below).

    Returns the edited range's text, or None when nothing was changed or nothing is checked.
    """
    st.caption("Rows and columns A..2: pairs on the diagonal, suited above it, offsuit below.")
    before = grid_frame(text)
    edited = st.data_editor(
        before,
        key=key,
        width="stretch",
        height=14 * 35 + 3,  # all 13 rows and the header, no scrolling
        column_config={r: st.column_config.CheckboxColumn(r, width=34) for r in RANKS},
    )
    changes = st.session_state.get(key) or {}
    if not changes.get("edited_rows") or np.array_equal(edited.to_numpy(), before.to_numpy()):
        return None
    if not edited.to_numpy().any():
        st.warning("Check at least one hand on the grid.")
        return None
    try:
        return from_grid(edited.to_numpy(dtype=float)).text
    except FeltError as exc:
        st.error(str(exc))
        return None
