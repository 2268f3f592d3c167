"""Poker drill state: questions in session state, graded on a keypress, stored."""

from __future__ import annotations

import random

import numpy as np
import streamlit as st

from engine.drills.poker import (
    deal_equity_question,
    deal_pot_odds_question,
    deal_push_fold_spot,
    grade_equity_estimate,
    grade_pot_odds,
    grade_push_fold,
    push_fold_equilibrium,
)
from engine.drills.practise import POKER_DRILLS, replay_equity, replay_pot_odds, replay_push_fold
from engine.errors import FeltError
from engine.poker import equity
from engine.store import Attempt
from ui.practise import claim_request, next_leak
from ui.state import save_attempt
from ui.timing import elapsed_ms, mark_shown


def preflop_table_available() -> bool:
    """True when the shipped preflop matchup table is present."""
    try:
        from engine.poker.preflop import TABLE_PATH
    except ImportError:
        return False
    return TABLE_PATH.exists()


@st.cache_resource(show_spinner=False)
def _matrices() -> tuple[np.ndarray, np.ndarray]:
    from engine.poker.preflop import BOARDS, matchup_matrices

    wins, ties = matchup_matrices()
    eq = ((wins + 0.5 * ties) / BOARDS).astype(np.float32)
    return eq, ((wins + wins.T + ties) > 0)


@st.cache_resource(show_spinner=False)
def equilibrium(stack: float):
    """The push/fold equilibrium at ``stack`` big blinds (computed once per server)."""
    eq, overlap = _matrices()
    return push_fold_equilibrium(eq, overlap, stack)


KIND_OF = {drill: kind for kind, drill in POKER_DRILLS.items()}
REPLAY = {"equity": replay_equity, "pot odds": replay_pot_odds, "push/fold": replay_push_fold}


def claim_practise() -> None:
    """Analytics asked to practise a poker spot: its drill, the mode on, that spot first."""
    req = claim_request(KIND_OF)
    if req is not None:
        st.session_state.pk_kind = KIND_OF[req["drill"]]
        st.session_state.pk_practise = True
        st.session_state.pk_practise_first = req
        clear_questions()


def clear_questions() -> None:
    """Take every question off the table (the mode changed): the next run deals again."""
    for kind in POKER_DRILLS:
        st.session_state.pop(f"pk_q_{kind}", None)
        st.session_state.pop(f"pk_leak_{kind}", None)


def _leak_question(kind: str) -> None:
    """The next due leak of this drill rebuilt as its question (None: nothing is due)."""
    first = st.session_state.get("pk_practise_first")
    if first is not None and KIND_OF.get(first["drill"]) == kind:
        st.session_state.pop("pk_practise_first")
    else:
        first = None
    try:
        leak = next_leak((POKER_DRILLS[kind],), first, REPLAY[kind])
        q = None if leak is None else leak[2]
        if q is not None and kind == "push/fold":
            equilibrium(q.stack)
    except FeltError as exc:
        st.session_state.pk_error = f"{exc}. Turn off 'Practise my leaks' to play on."
        return
    st.session_state.pop("pk_error", None)
    st.session_state[f"pk_q_{kind}"] = q
    st.session_state[f"pk_leak_{kind}"] = None if leak is None else leak[1]
    mark_shown(f"pk_{kind}")


def new_question(kind: str) -> None:
    """Deal the next question of ``kind`` (in practise mode, the next due leak)."""
    if st.session_state.get("pk_practise"):
        _leak_question(kind)
        return
    rng = random.Random()
    try:
        if kind == "equity":
            q = deal_equity_question(rng, equity)
        elif kind == "pot odds":
            q = deal_pot_odds_question(rng, equity)
        else:
            q = deal_push_fold_spot(rng)
            equilibrium(q.stack)
    except FeltError as exc:
        st.session_state.pk_error = str(exc)
        return
    st.session_state.pop("pk_error", None)
    st.session_state[f"pk_q_{kind}"] = q
    mark_shown(f"pk_{kind}")


def _feedback(ok: bool, text: str) -> None:
    st.session_state.pk_feedback = ("success" if ok else "error", text)


def answer_equity() -> None:
    q, value = st.session_state.get("pk_q_equity"), st.session_state.get("pk_eq_answer")
    if q is None or value is None:
        return
    ok, err = grade_equity_estimate(q, value)
    situation = {"hero": q.hero, "villain": q.villain, "board": q.board, "truth": q.truth,
                 "exact": q.exact, "error_points": err}  # fmt: skip
    save_attempt("poker", Attempt("poker-equity", situation, f"{value:g}",
                                  f"{100 * q.truth:.1f}", ok, abs(err) / 100,
                                  elapsed_ms("pk_equity")))  # fmt: skip
    _feedback(ok, f"{q.hero} has {100 * q.truth:.1f}% against {q.villain}; you said "
                  f"{value:g}% ({err:+.1f} points).")  # fmt: skip
    st.session_state.pk_eq_answer = None
    new_question("equity")


def answer_pot_odds(action: str) -> None:
    q = st.session_state.get("pk_q_pot odds")
    if q is None:
        return
    ok, best, loss = grade_pot_odds(q, action)
    need = q.bet / (q.pot + 2 * q.bet)
    situation = {"hero": q.hero, "villain": q.villain, "board": q.board, "pot": q.pot,
                 "bet": q.bet, "equity": q.equity, "call_ev": q.call_ev}  # fmt: skip
    save_attempt("poker", Attempt("poker-pot-odds", situation, action, best, ok, loss,
                                  elapsed_ms("pk_pot odds")))  # fmt: skip
    _feedback(ok, f"Calling {q.bet:g} to win {q.pot + q.bet:g} needs {need:.1%}; {q.hero} has "
                  f"{q.equity:.1%} against {q.villain}, so calling is worth {q.call_ev:+.1f} "
                  f"chips: {best}.")  # fmt: skip
    new_question("pot odds")


def answer_push_fold(action: str) -> None:
    spot = st.session_state.get("pk_q_push/fold")
    if spot is None:
        return
    eqm = equilibrium(spot.stack)
    ok, best, loss = grade_push_fold(spot, eqm, action)
    if spot.position == "SB":
        ev = float(eqm.push_ev[spot.combo])
        situation = {"hero": spot.hero, "stack": spot.stack, "position": "SB", "push_ev": ev,
                     "push_freq": float(eqm.push[spot.combo])}  # fmt: skip
        text = (f"{spot.hero} in the SB at {spot.stack:g} bb: pushing is worth {ev:+.3f} bb "
                f"against the equilibrium calling range ({(eqm.call > 0.5).mean():.0%} of "
                f"hands), folding -0.5 bb: {best}.")  # fmt: skip
    else:
        ev = float(eqm.call_ev[spot.combo])
        situation = {"hero": spot.hero, "stack": spot.stack, "position": "BB", "call_ev": ev,
                     "call_freq": float(eqm.call[spot.combo])}  # fmt: skip
        text = (f"{spot.hero} in the BB at {spot.stack:g} bb: calling is worth {ev:+.3f} bb "
                f"against the equilibrium pushing range ({(eqm.push > 0.5).mean():.0%} of "
                f"hands), folding -1 bb: {best}.")  # fmt: skip
    save_attempt("poker", Attempt("poker-push-fold", situation, action, best, ok, loss,
                                  elapsed_ms("pk_push/fold")))  # fmt: skip
    _feedback(ok, text)
    new_question("push/fold")
