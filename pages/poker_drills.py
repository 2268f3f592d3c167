"""Poker drills: estimate equity, call or fold with pot odds, push/fold heads-up (both blinds)."""

import streamlit as st

from ui.cards import show_cards
from ui.frame import ensure_router
from ui.keys import bind_key
from ui.poker import (
    answer_equity,
    answer_pot_odds,
    answer_push_fold,
    claim_practise,
    clear_questions,
    new_question,
    preflop_table_available,
)
from ui.practise import nothing_due, practise_toggle
from ui.state import show_unsaved

ensure_router()
st.title("Poker drills")
claim_practise()  # Analytics' "Practise this" lands here with its drill and spot
kinds = ["equity", "pot odds"] + (["push/fold"] if preflop_table_available() else [])
kind = st.segmented_control("Drill", kinds, default="equity", required=True,
                            key="pk_kind", persist_state="session")  # fmt: skip
practising = practise_toggle("pk_practise", clear_questions)
show_unsaved()
if st.session_state.get(f"pk_q_{kind}") is None:
    with st.spinner("Dealing..." if kind != "push/fold" else "Solving push/fold..."):
        new_question(kind)
if err := st.session_state.get("pk_error"):
    st.error(err)
    st.stop()
if fb := st.session_state.get("pk_feedback"):
    getattr(st, fb[0])(fb[1])
q = st.session_state[f"pk_q_{kind}"]
if q is None:  # practising, and nothing is due
    nothing_due("pk_practise", clear_questions)
    st.stop()
if practising and (leak := st.session_state.get(f"pk_leak_{kind}")):
    st.caption(f"Your leak **{leak}**, asked again.")


def pairs(cards: str) -> list[str]:
    return [cards[i : i + 2] for i in range(0, len(cards), 2)]


if kind == "push/fold" and q.position == "BB":
    st.markdown(f"Heads-up, blinds 0.5/1, **{q.stack:g} big blinds** deep, no antes. You are "
                "in the big blind and the small blind pushes all-in: call or fold?")  # fmt: skip
    show_cards(pairs(q.hero), "You", big=True)
    c1, c2, _ = st.columns([1, 1, 4])
    c1.button("Call", key="pk_bb_call", on_click=answer_push_fold, args=("call",),
              type="primary", width="stretch")  # fmt: skip
    c2.button("Fold", shortcut="F", key="pk_bb_fold", on_click=answer_push_fold,
              args=("fold",), width="stretch")  # fmt: skip
    st.caption("Keys: C call · F fold")
    bind_key("c", "Call")  # Streamlit keeps C and R from button shortcuts
elif kind == "push/fold":
    st.markdown(f"Heads-up, blinds 0.5/1, **{q.stack:g} big blinds** deep, no antes. "
                "You are in the small blind: push all-in or fold?")  # fmt: skip
    show_cards(pairs(q.hero), "You", big=True)
    c1, c2, _ = st.columns([1, 1, 4])
    c1.button("Push", shortcut="P", key="pk_push", on_click=answer_push_fold, args=("push",),
              type="primary", width="stretch")  # fmt: skip
    c2.button("Fold", shortcut="F", key="pk_fold", on_click=answer_push_fold, args=("fold",),
              width="stretch")  # fmt: skip
    st.caption("Keys: P push · F fold")
else:
    show_cards(pairs(q.hero), "You", big=True)
    if q.board:
        show_cards(pairs(q.board), "Board")
    versus = "a random hand" if q.villain == "random" else q.villain
    if kind == "equity":
        st.markdown(f"All in against **{versus}**"
                    + (" (their exact cards)" if len(q.villain) == 4 else " (range)")
                    + ". Your equity in %?")  # fmt: skip
        with st.form("pk_eq_form", border=False):
            st.number_input("Equity %", 0.0, 100.0, value=None, step=1.0, key="pk_eq_answer")
            st.form_submit_button("Check", on_click=answer_equity)
        st.caption("Type a number, Enter. Within 5 points counts as right.")
    else:
        st.markdown(f"Pot **{q.pot:g}**; villain, on **{versus}**, bets **{q.bet:g}**. "
                    "Call or fold (no more betting after this)?")  # fmt: skip
        c1, c2, _ = st.columns([1, 1, 4])
        c1.button("Call", key="pk_call", on_click=answer_pot_odds, args=("call",),
                  type="primary", width="stretch")  # fmt: skip
        c2.button("Fold", shortcut="F", key="pk_fold_po", on_click=answer_pot_odds,
                  args=("fold",), width="stretch")  # fmt: skip
        st.caption("Keys: C call · F fold")
        bind_key("c", "Call")
