"""Blackjack strategy: hands from a live shoe, each answer graded by its exact EV loss."""

import streamlit as st

from engine.charts import action_values_figure
from engine.drills.blackjack import ACTION_NAMES, ACTIONS, MODES, hand_kind
from ui.blackjack import (
    answer,
    claim_practise,
    clear_spot,
    deal,
    index_play_available,
    needs_deal,
    prefetch,
)
from ui.cards import show_cards
from ui.frame import ensure_router
from ui.keys import bind_key
from ui.practise import nothing_due, practise_toggle
from ui.rules import current_rules
from ui.state import show_unsaved

ensure_router()
st.title("Blackjack strategy")
rules = current_rules()
claim_practise()  # Analytics' "Practise this" lands here with its spot
practising = practise_toggle("bj_practise", clear_spot)
modes = [*MODES, "deviations"] if index_play_available() else list(MODES)
mode = st.segmented_control(
    "Hands", modes, default="all", key="bj_mode_pick", persist_state="session",
    format_func=lambda m: {"hard-bias": "hard 9-16 bias", "deviations": "count deviations"}
    .get(m, m), disabled=practising,
) or "all"  # fmt: skip
mode = "practise" if practising else mode
show_unsaved()

if needs_deal(rules, mode):
    with st.spinner("Dealing (the first exact solve takes a second)..."):
        deal(rules, mode)
if err := st.session_state.get("bj_error"):
    st.error(err)
    st.stop()
if st.session_state.get("bj_spot") is None:  # practising, and nothing is due
    if (fb := st.session_state.get("bj_feedback")) and "line" in fb:
        (st.success if fb["correct"] else st.error)(fb["line"])
    nothing_due("bj_practise", clear_spot)
    st.stop()

spot, dev, values = st.session_state.bj_spot, st.session_state.bj_dev, st.session_state.bj_values
kind, total = hand_kind(spot.player)
shoe = spot.shoe
if mode == "practise":
    st.caption(f"Your leak **{st.session_state.bj_leak}**, asked again.")
if dev is not None:
    st.markdown(
        f"Running count **{dev.running:+g}** (Hi-Lo), **{dev.decks_left:g} decks** left in the "
        "shoe. Play the index."
    )
else:
    st.caption(
        f"{st.session_state.bj_rules.describe()} · {sum(shoe.counts)} cards left in the shoe "
        f"({shoe.penetration:.0%} dealt)"
    )
table, side = st.columns([3, 2])
with table:
    show_cards([spot.up_card, "?"], "Dealer", big=True)
    show_cards(spot.cards, f"You ({kind} {total})", big=True)
    cols = st.columns(5)
    keys = {"hit": "H", "stand": "S", "double": "D", "split": "P", "surrender": None}
    for col, action in zip(cols, ACTIONS, strict=True):
        col.button(
            ACTION_NAMES[action], key=f"bj_{action}", shortcut=keys[action],
            disabled=action not in values, on_click=answer, args=(action, rules, mode),
            width="stretch", type="primary" if action in ("hit", "stand") else "secondary",
        )  # fmt: skip
    st.caption("Keys: H hit · S stand · D double · P split · R surrender")
    bind_key("r", "Surrender")

with side:
    fb = st.session_state.get("bj_feedback")
    if fb and "error" in fb:
        st.error(fb["error"])
    elif fb:
        prev, g = fb["spot"], fb["grade"]
        k, t = hand_kind(prev.player)
        head = f"{k} {t} v {prev.up.replace('T', '10')}: "
        if fb["dev"] is not None:
            d = fb["dev"]
            idx = "never" if d.index is None else f"{d.index:+g}"
            head += (f"true count {d.true_count:+g}, index {idx}: the index play is "
                     f"{ACTION_NAMES[d.expected]}. Against this exact shoe, ")  # fmt: skip
        (st.success if fb["correct"] else st.error)(head + fb["line"])
        st.plotly_chart(
            action_values_figure(g.values, g.best, g.answer), config={"displayModeBar": False}
        )

prefetch(rules, mode)  # the next hand, dealt while the player thinks
