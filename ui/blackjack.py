"""Blackjack strategy drill state: the live shoe, the spot on the table, grading by key."""

from __future__ import annotations

import random

import streamlit as st

from engine.blackjack import Rules, action_values
from engine.drills.blackjack import (
    ACTION_NAMES,
    DeviationSpot,
    LiveShoe,
    StrategySpot,
    after_hand,
    chart_action,
    chart_row,
    deal_deviation_spot,
    deal_strategy_spot,
    explain,
    grade_decision,
    hand_kind,
)
from engine.drills.practise import BLACKJACK_DRILLS, replay_blackjack
from engine.errors import FeltError
from engine.store import Attempt
from ui.practise import claim_request, next_leak
from ui.state import save_attempt
from ui.timing import elapsed_ms, mark_shown


@st.cache_resource(show_spinner=False)
def chart(rules: Rules):
    """``basic_strategy(rules)`` once per rule set and server (None before it exists)."""
    try:
        from engine.blackjack import basic_strategy
    except ImportError:
        return None
    return basic_strategy(rules)


def chart_line(spot: StrategySpot, rules: Rules, values: dict, best: str) -> str:
    """What the basic-strategy chart says, and whether this shoe agrees."""
    table = chart(rules)
    if table is None:
        return ""
    try:
        code = table.loc[chart_row(spot.player), spot.up]
        play = chart_action(code, list(values))
    except (KeyError, FeltError):
        return ""
    if play == best:
        return f" The chart for {rules.describe()} says {ACTION_NAMES[play]} too."
    return (f" The chart says {ACTION_NAMES[play]}; this shoe's cards make "
            f"{ACTION_NAMES[best]} better by {values[best] - values[play]:.3f}.")  # fmt: skip


@st.cache_data(max_entries=20_000, show_spinner=False)
def spot_values(hand: str, up: str, rules: Rules, shoe: tuple[int, ...]) -> dict[str, float]:
    """Exact EV of every allowed action from this shoe (cached: replays and reruns)."""
    return {k: float(v) for k, v in action_values(hand, up, rules, shoe=shoe).items()}


def index_play_available() -> bool:
    """True once the counting engineer's ``index_play`` can be imported."""
    try:
        from engine.blackjack import index_play  # noqa: F401
    except ImportError:
        return False
    return True


def claim_practise() -> None:
    """Analytics asked to practise a blackjack spot: turn the mode on, that spot first."""
    req = claim_request(BLACKJACK_DRILLS)
    if req is not None:
        st.session_state.bj_practise = True
        st.session_state.bj_practise_first = req
        clear_spot()


def clear_spot() -> None:
    """Take the spot off the table (the mode changed): the next run deals again."""
    for k in ("bj_spot", "bj_next", "bj_leak"):
        st.session_state.pop(k, None)


def needs_deal(rules: Rules, mode: str) -> bool:
    """True when the table needs a new spot: none yet, or the mode or rules changed (a
    leak keeps its own rules; with nothing due, each run asks the queue again)."""
    ss = st.session_state
    if ss.get("bj_spot") is None or ss.get("bj_mode") != mode:
        return True
    return mode != "practise" and ss.get("bj_rules") != rules


def deal_leak() -> None:
    """Put the next due leak (stored rules and shoe) on the table, or None when none is."""
    try:
        first = st.session_state.pop("bj_practise_first", None)
        leak = next_leak(BLACKJACK_DRILLS, first, replay_blackjack)
        if leak is not None:
            r = leak[2]
            values = spot_values(r.spot.hand, r.spot.up, r.rules, r.spot.shoe.counts)
    except FeltError as exc:
        st.session_state.bj_error = f"{exc}. Turn off 'Practise my leaks' to play on."
        return
    if leak is None:
        st.session_state.pop("bj_error", None)
        st.session_state.bj_spot, st.session_state.bj_mode = None, "practise"
        return
    st.session_state.bj_leak = leak[1]
    _show_spot(r.spot, r.deviation, values, r.rules, "practise", st.session_state.get("bj_shoe"))


def deal(rules: Rules, mode: str) -> None:
    """Put the next spot on the table (and its exact values in session state)."""
    if mode == "practise":
        deal_leak()
        return
    rng = random.Random()
    shoe: LiveShoe | None = st.session_state.get("bj_shoe")
    if shoe is None or shoe.decks != rules.decks:
        shoe = LiveShoe.fresh(rules.decks)
    try:
        if mode == "deviations":
            from engine.blackjack import index_play

            dev = deal_deviation_spot(
                rules.decks, rng, lambda p, d, a: index_play(rules, p, d, a),
                surrender=rules.surrender != "none",
            )  # fmt: skip
            spot = dev.spot
        else:
            dev, spot = None, deal_strategy_spot(shoe, rng, mode)
        values = spot_values(spot.hand, spot.up, rules, spot.shoe.counts)
        chart(rules)  # warm the chart now, not on the first keypress
    except FeltError as exc:
        st.session_state.bj_error = str(exc)
        return
    _show_spot(spot, dev, values, rules, mode, spot.shoe if dev is None else shoe)


def _show_spot(spot, dev, values, rules, mode, shoe) -> None:
    st.session_state.pop("bj_error", None)
    st.session_state.pop("bj_next", None)
    st.session_state.bj_spot, st.session_state.bj_dev = spot, dev
    st.session_state.bj_values, st.session_state.bj_rules = values, rules
    st.session_state.bj_mode = mode
    st.session_state.bj_shoe = shoe
    mark_shown("bj")


def prefetch(rules: Rules, mode: str) -> None:
    """Deal the hand after this one while the player thinks (call it after drawing the
    page): a keypress then only grades and shows. Skipped for deviation spots."""
    spot = st.session_state.get("bj_spot")
    if spot is None or mode in ("deviations", "practise") or "bj_next" in st.session_state:
        return
    rng = random.Random()
    try:
        nxt = deal_strategy_spot(after_hand(spot, rng), rng, mode)
        values = spot_values(nxt.hand, nxt.up, rules, nxt.shoe.counts)
    except FeltError:
        return
    st.session_state.bj_next = (spot, rules, mode, nxt, values)


def answer(action: str, rules: Rules, mode: str) -> None:
    """Grade ``action`` for the spot on the table, store it, deal the next one."""
    spot: StrategySpot | None = st.session_state.get("bj_spot")
    if spot is None:
        return
    values = st.session_state.bj_values
    dev: DeviationSpot | None = st.session_state.get("bj_dev")
    try:
        grade = grade_decision(values, action)
    except FeltError as exc:
        st.session_state.bj_feedback = {"error": str(exc)}
        return
    kind, total = hand_kind(spot.player)
    situation = {
        "player": spot.hand, "dealer": spot.up, "cards": [*spot.cards, spot.up_card],
        "hand": f"{kind} {total}", "rules": st.session_state.bj_rules.describe(),
        "shoe": list(spot.shoe.counts), "mode": st.session_state.bj_mode, "values": values,
    }  # fmt: skip
    correct, best, drill = grade.correct, grade.best, "bj-strategy"
    if dev is not None:
        drill, best = "bj-deviations", dev.expected
        correct = action == dev.expected
        situation |= {"running": dev.running, "decks_left": dev.decks_left,
                      "true_count": dev.true_count, "index": dev.index,
                      "deviation": dev.action}  # fmt: skip
    save_attempt("blackjack", Attempt(drill, situation, action, best, correct, grade.ev_loss,
                                      elapsed_ms("bj")), {"rules": situation["rules"]})  # fmt: skip
    st.session_state.bj_feedback = {
        "spot": spot,
        "grade": grade,
        "dev": dev,
        "correct": correct,
        "line": explain(grade),
    }
    pre = st.session_state.pop("bj_next", None)
    if pre is not None and pre[0] == spot and pre[1] == rules and pre[2] == mode:
        _show_spot(pre[3], None, pre[4], rules, mode, pre[3].shoe)
        return
    if dev is None and mode != "practise":  # a leak's shoe is not the live shoe
        st.session_state.bj_shoe = after_hand(spot, random.Random())
    deal(rules, mode)
