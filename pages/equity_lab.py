"""Equity lab: hands or ranges all-in on any board, exact or Monte Carlo."""

import contextlib

import pandas as pd
import streamlit as st

from engine.charts import equity_figure, range_grid_figure
from engine.errors import FeltError
from engine.poker import equity, parse_range
from ui.frame import ensure_router
from ui.ranges import grid_editor

ensure_router()
st.title("Equity lab")
st.caption("Each player holds a hand (AhKh) or a range (QQ+, AKs, A5s-A2s:0.5, random).")

if "eq_players" not in st.session_state:
    st.session_state.eq_players = ["AhKh", "QQ+, AKs"]
players: list[str] = st.session_state.eq_players
if (edit := st.session_state.pop("eq_grid_edit", None)) is not None:
    # the grid's edit lands before the text inputs exist: a widget's value cannot change
    # once it is drawn in this run
    who, text = edit
    players[who] = st.session_state[f"eq_p{who}_{len(players)}"] = text

left, right = st.columns([1, 1])
with left:
    for i, text in enumerate(players):
        c1, c2 = st.columns([6, 1], vertical_alignment="bottom")
        players[i] = c1.text_input(f"Player {i + 1}", text, key=f"eq_p{i}_{len(players)}")
        if len(players) > 2 and c2.button("Remove", key=f"eq_rm{i}"):
            players.pop(i)
            st.rerun()
    if len(players) < 9 and st.button("Add a player"):
        players.append("random")
        st.rerun()
    board = st.text_input("Board (0, 3, 4 or 5 cards)", key="eq_board", placeholder="2c 7d 9h")
    dead = st.text_input("Dead cards", key="eq_dead", placeholder="As")
    c1, c2, c3 = st.columns(3)
    method = c1.radio("Method", ["auto", "exact", "Monte Carlo"], horizontal=True, key="eq_m")
    trials = c2.number_input("Trials", 1_000, 2_000_000, 100_000, 10_000, key="eq_trials")
    seed = c3.number_input("Seed (0 = random)", 0, 2**31 - 1, 0, key="eq_seed")
    st.button("Compute equity", type="primary", shortcut="Enter", key="eq_run",
              on_click=lambda: st.session_state.update(eq_go=True))  # fmt: skip

with right:
    who = st.selectbox("Edit a range on the grid", range(len(players)),
                       format_func=lambda i: f"Player {i + 1}", key="eq_who")  # fmt: skip
    new_text = grid_editor(players[who], key=f"eq_grid_{who}_{players[who]}")
    if new_text is not None:
        st.session_state.eq_grid_edit = (who, new_text)
        st.rerun()

if st.session_state.pop("eq_go", False):
    exact = {"auto": None, "exact": True, "Monte Carlo": False}[method]
    try:
        with st.spinner("Computing..."):
            res = equity(players, board or "", dead or "", exact=exact, trials=int(trials),
                         seed=int(seed) or None)  # fmt: skip
        combos = [len(parse_range(p, (board or "") + " " + (dead or ""))) for p in players]
    except (FeltError, ValueError) as exc:
        st.error(str(exc))
    else:
        st.session_state.eq_result = (list(players), board, res, combos)

if "eq_result" in st.session_state:
    names, shown_board, res, combos = st.session_state.eq_result
    how = "exact enumeration" if res.exact else f"Monte Carlo, {res.samples:,} trials"
    st.subheader(f"Results ({how})")
    table = pd.DataFrame({
        "player": [f"{i + 1}" for i in range(len(names))], "hand or range": names,
        "combos": combos, "equity %": [100 * e for e in res.equity],
        "win %": [100 * w for w in res.win], "tie %": [100 * t for t in res.tie],
        "± %": [100 * s for s in res.stderr] if res.stderr else [0.0] * len(names),
    })  # fmt: skip
    st.dataframe(table.round(3), hide_index=True, width="stretch")
    c1, c2 = st.columns(2)
    c1.plotly_chart(equity_figure([f"P{i + 1}" for i in range(len(names))], res.win, res.tie))
    with contextlib.suppress(FeltError, IndexError):
        c2.plotly_chart(range_grid_figure(parse_range(names[who]).grid(), f"Player {who + 1}"))
