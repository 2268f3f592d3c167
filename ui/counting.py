"""True-count conversion questions: dealt, or (practise my leaks) rebuilt from the queue.

Only conversions are practised as leaks: a flashed-card round is a sequence, not a spot to
repeat, so a running-count leak from Analytics opens the counting page with a note instead.
The true count that ends a round stores its running count and decks left, so it comes back
as a conversion.
"""

from __future__ import annotations

import random
from typing import Any

import streamlit as st

from engine.drills.counting import grade_count, true_count_question
from engine.drills.practise import replay_true_count
from engine.errors import FeltError
from engine.store import Attempt
from ui.practise import claim_request, next_leak
from ui.state import save_attempt
from ui.timing import elapsed_ms, mark_shown

TRUE_TAB = "True count conversion"


def claim_practise() -> None:
    """Take Analytics' request: a true-count spot turns the mode on with that spot first;
    a running-count spot only says why it cannot be repeated."""
    req = claim_request(("count-true", "count-running"))
    if req is None:
        return
    if req["drill"] == "count-running":
        st.session_state.cnt_practise_note = (
            f"Your leak **{req['spot']}** is a flashed-card sequence, not a spot to repeat: "
            "play new rounds at that pace (Settings) to practise it."
        )
        return
    st.session_state.cnt_practise, st.session_state.cnt_practise_first = True, req
    st.session_state.cnt_tab = TRUE_TAB
    clear_conversion()


def clear_conversion() -> None:
    """Take the conversion question off the table (the mode changed)."""
    for k in ("cnt_tq", "cnt_tq_leak", "cnt_tq_error"):
        st.session_state.pop(k, None)
    if st.session_state.get("cnt_practise"):
        st.session_state.cnt_tab = TRUE_TAB  # keep the tab open across the remount


def _leak() -> None:
    try:
        first = st.session_state.pop("cnt_practise_first", None)
        leak = next_leak(("count-true",), first, replay_true_count)
        q = None if leak is None else leak[2]
    except FeltError as exc:
        st.session_state.cnt_tq = None
        st.session_state.cnt_tq_error = f"{exc}. Turn off 'Practise my leaks' to play on."
        return
    st.session_state.pop("cnt_tq_error", None)
    st.session_state.cnt_tq = q
    st.session_state.cnt_tq_leak = None if leak is None else leak[1]
    mark_shown("true")


def new_conversion(system: str, decks: int) -> None:
    """The next conversion: a due leak when practising, else a fresh question."""
    if st.session_state.get("cnt_practise"):
        _leak()
        return
    try:
        st.session_state.cnt_tq = true_count_question(random.Random(), system, decks=int(decks))
    except FeltError as exc:
        st.session_state.cnt_tq, st.session_state.cnt_tq_error = None, str(exc)
        return
    st.session_state.pop("cnt_tq_error", None)
    st.session_state.cnt_tq_leak = None
    mark_shown("true")


def answer_conversion(settings: dict[str, Any]) -> None:
    """Grade the typed true count, store it (the question's own system and decks), deal on."""
    q, value = st.session_state.get("cnt_tq"), st.session_state.get("cnt_tq_answer")
    if q is None or value is None:
        return
    g = grade_count(value, q.expected)
    situation = {**settings, "system": q.system, "decks": q.decks, "running": q.running,
                 "cards_seen": q.cards_seen, "decks_left": q.decks_left,
                 "rounding": q.rounding, "error": g.error}  # fmt: skip
    save_attempt("counting", Attempt("count-true", situation, f"{value:g}", f"{q.expected:g}",
                                     g.correct, abs(g.error), elapsed_ms("true")))  # fmt: skip
    st.session_state.cnt_tq_feedback = (
        ("success", f"Right: {q.running:+g} / {q.decks_left:g} decks = {q.expected:+g}.")
        if g.correct
        else ("error", f"{q.running:+g} / {q.decks_left:g} decks is {q.expected:+g}, "
                       f"not {value:+g} ({q.rounding}ed).")
    )  # fmt: skip
    st.session_state.cnt_tq_answer = None
    new_conversion(settings["system"], settings["decks"])
