"""Response times: from the moment a question is shown to the answer."""

from __future__ import annotations

import time

import streamlit as st


def mark_shown(key: str, delay: float = 0.0) -> None:
    """Remember when question ``key`` became answerable (``delay`` s after now)."""
    st.session_state[f"felt_shown_{key}"] = time.monotonic() + delay


def elapsed_ms(key: str) -> float:
    """Milliseconds since ``mark_shown(key)``; 0 when unknown or not yet answerable."""
    shown = st.session_state.get(f"felt_shown_{key}")
    return max(0.0, (time.monotonic() - shown) * 1000) if shown is not None else 0.0
