"""Counting: flashed cards with running-count checkpoints, then the true count; conversions."""

import random
import time

import pandas as pd
import streamlit as st

from engine.blackjack.counting import SYSTEMS
from engine.drills.counting import deal_counting_round, grade_count
from engine.errors import FeltError
from engine.store import Attempt
from ui.counting import (
    TRUE_TAB,
    answer_conversion,
    claim_practise,
    clear_conversion,
    new_conversion,
)
from ui.flash import flash_cards
from ui.frame import ensure_router
from ui.practise import nothing_due, practise_toggle
from ui.state import save_attempt, show_unsaved
from ui.timing import elapsed_ms, mark_shown

ensure_router()
st.title("Counting")
st.caption("Keep the running count as the cards flash; give it at each checkpoint (type, Enter).")
show_unsaved()
claim_practise()  # Analytics' "Practise this" lands here with its spot
if note := st.session_state.pop("cnt_practise_note", None):
    st.info(note)

with st.expander("Settings", expanded="cnt_round" not in st.session_state):
    c1, c2, c3, c4, c5 = st.columns(5)
    system = c1.selectbox(
        "Count system", list(SYSTEMS), format_func=lambda k: SYSTEMS[k].title,
        key="cnt_system", persist_state="session",
    )  # fmt: skip
    decks = c2.number_input("Decks", 1, 8, 6, key="cnt_decks", persist_state="session")
    n_cards = c3.number_input("Cards", 5, 150, 30, step=5, key="cnt_n", persist_state="session")
    pace = c4.slider(
        "Seconds per card", 0.2, 2.0, 0.6, 0.1, key="cnt_pace", persist_state="session"
    )
    n_checks = c5.number_input("Checkpoints", 1, 6, 3, key="cnt_checks", persist_state="session")
cs = SYSTEMS[system]
step = 0.5 if cs.name == "halves" else 1.0
settings = {"system": system, "decks": int(decks), "pace": pace}


def new_round() -> None:
    try:
        st.session_state.cnt_round = deal_counting_round(
            random.Random(), system, decks=int(decks), n_cards=int(n_cards),
            n_checkpoints=int(n_checks),
        )  # fmt: skip
    except FeltError as exc:
        st.session_state.cnt_error = str(exc)
        return
    st.session_state.pop("cnt_error", None)
    st.session_state.cnt_step, st.session_state.cnt_results = 0, []
    st.session_state.cnt_started = time.monotonic()
    st.session_state.cnt_feedback = None
    r = st.session_state.cnt_round
    mark_shown("count", len(r.segment(0)) * pace)


def answer_running() -> None:
    r, i = st.session_state.cnt_round, st.session_state.cnt_step
    value = st.session_state.get("cnt_answer")
    if value is None:
        st.session_state.cnt_feedback = ("warning", "Type the running count first.")
        return
    last = i == len(r.checkpoints)
    expected = r.true if last else r.running[i]
    g = grade_count(value, expected)
    drill = "count-true" if last else "count-running"
    situation = {**settings, "cards_seen": r.checkpoints[-1] if last else r.checkpoints[i],
                 "cards": list(r.cards if last else r.segment(i)), "error": g.error}  # fmt: skip
    if last:
        situation |= {"running": r.running[-1], "decks_left": r.decks_left}
    ms = elapsed_ms("count")
    save_attempt("counting", Attempt(drill, situation, f"{value:g}", f"{expected:g}",
                                     g.correct, abs(g.error), ms))  # fmt: skip
    st.session_state.cnt_results.append((drill, value, expected, g.correct, ms / 1000))
    what = "true count" if last else "running count"
    st.session_state.cnt_feedback = (
        ("success", f"Right: the {what} is {expected:+g}.")
        if g.correct
        else ("error", f"The {what} is {expected:+g}; you said {value:+g}.")
    )
    st.session_state.cnt_step = i + 1
    st.session_state.cnt_answer = None
    if i + 1 < len(r.checkpoints):
        mark_shown("count", len(r.segment(i + 1)) * pace)
    else:
        mark_shown("count")


flash_tab, true_tab = st.tabs(["Flashed cards", TRUE_TAB],
                              default=st.session_state.get("cnt_tab"))  # fmt: skip
with flash_tab:
    st.button("New round", on_click=new_round, type="primary", shortcut="N", key="cnt_new")
    if err := st.session_state.get("cnt_error"):
        st.error(err)
    r = st.session_state.get("cnt_round")
    if r is not None:
        i = st.session_state.cnt_step
        if fb := st.session_state.get("cnt_feedback"):
            getattr(st, fb[0])(fb[1])
        start = "" if cs.balanced else f" The count starts at {r.initial:+g} (IRC)."
        if i < len(r.checkpoints):
            st.markdown(f"Checkpoint {i + 1} of {len(r.checkpoints)}.{start}")
            flash_cards(r.segment(i), pace, token=f"{id(r)}-{i}")
            with st.form("cnt_form", border=False):
                st.number_input("Running count", value=None, step=step, key="cnt_answer")
                st.form_submit_button("Check", on_click=answer_running)
        elif i == len(r.checkpoints) and r.true is not None:
            st.markdown(
                f"All {len(r.cards)} cards seen, running count {r.running[-1]:+g}. The tray "
                f"shows **{r.decks_left:g} decks** left. True count ({r.rounding}ed)?"
            )
            with st.form("cnt_true_form", border=False):
                st.number_input("True count", value=None, step=1.0, key="cnt_answer")
                st.form_submit_button("Check", on_click=answer_running)
        else:
            res = st.session_state.cnt_results
            ok = sum(1 for r in res if r[3])
            took = time.monotonic() - st.session_state.get("cnt_started", time.monotonic())
            st.subheader(f"Round done: {ok} of {len(res)} right ({ok / max(1, len(res)):.0%})")
            st.caption(f"{len(r.cards)} cards at {pace:g} s each; the round took {took:.0f} s, "
                       f"answers {sum(x[4] for x in res) / max(1, len(res)):.1f} s on average "
                       "after the last card.")  # fmt: skip
            st.dataframe(pd.DataFrame(res, columns=["question", "you", "count", "right",
                                                    "answer s"]), hide_index=True)  # fmt: skip


with true_tab:
    practising = practise_toggle("cnt_practise", clear_conversion)
    if st.session_state.get("cnt_tq") is None and not st.session_state.get("cnt_tq_error"):
        new_conversion(system, int(decks))
    if err := st.session_state.get("cnt_tq_error"):
        st.error(err)
    if fb := st.session_state.get("cnt_tq_feedback"):
        getattr(st, fb[0])(fb[1])
    if practising and st.session_state.get("cnt_tq") is None and not err:
        nothing_due("cnt_practise", clear_conversion)
    if practising and (leak := st.session_state.get("cnt_tq_leak")):
        st.caption(f"Your leak **{leak}**, asked again.")
    if q := st.session_state.get("cnt_tq"):
        st.markdown(
            f"Running count **{q.running:+g}**, {q.cards_seen} cards played from {q.decks} "
            f"decks: the tray reads **{q.decks_left:g} decks** left. True count "
            f"({q.rounding}ed)?"
        )
        with st.form("cnt_tq_form", border=False):
            st.number_input("True count", value=None, step=1.0, key="cnt_tq_answer")
            st.form_submit_button("Check", on_click=answer_conversion, args=(settings,))
