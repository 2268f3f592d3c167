"""Analytics: where you leak EV, by session, blackjack spot, count and poker decision."""

import pathlib

import pandas as pd
import streamlit as st

from engine.analytics_charts import build_charts, leak_table
from engine.drills.progress import drill_name
from engine.errors import StoreError
from engine.store import analytics as an
from engine.store.review import due_today, streak
from ui.frame import ensure_router
from ui.state import current_profile, store

ensure_router()
st.title("Analytics")
st.caption("Where your expected value goes: pick a period, drills and a rule set.")

ROOT = pathlib.Path(__file__).resolve().parents[1]
DRILL_PAGES = {"bj": "pages/blackjack_strategy.py", "count": "pages/counting.py",
               "poker": "pages/poker_drills.py"}  # fmt: skip


@st.cache_data(max_entries=6, show_spinner="Reading your answers...")
def load(location: str, profile_id: int, start, end, drills, rules, version):
    """Frame, charts and leaks for one selection; ``version`` changes with new answers."""
    frame = an.attempts_frame(store(), profile_id, start=start, end=end, drills=drills, rules=rules)
    return frame, build_charts(frame), an.leaks(frame, limit=None)


try:
    me = current_profile()
    db = store()
    options = an.filter_options(db, me.id)
    version = an.data_version(db, me.id)
except StoreError as exc:
    st.error(str(exc))
    st.stop()

if not options["drills"]:
    st.info("No answers yet: play any drill and your analytics appear here.")
    st.stop()

c1, c2, c3 = st.columns([2, 3, 2])
first, last = options["first"], options["last"]
period = c1.date_input("Period (UTC)", (first, last), min_value=first, max_value=last,
                       key="an_period")  # fmt: skip
drills = c2.multiselect("Drills", options["drills"], default=options["drills"],
                        format_func=drill_name, key="an_drills")  # fmt: skip
rules = c3.selectbox("Rule set", ["All rule sets", *options["rules"]], key="an_rules")
start, end = (
    (period[0], period[-1]) if isinstance(period, tuple | list) and period else (first, last)
)

try:
    frame, charts, leaks = load(db.location, me.id, start, end, tuple(drills),
                                None if rules == "All rule sets" else rules, version)  # fmt: skip
except StoreError as exc:
    st.error(str(exc))
    st.stop()
st.caption(f"{len(frame):,} answers from {start} to {end}.")


def show(key: str, **kwargs):
    chart = charts[key]
    st.subheader(chart.title)
    if chart.figure is None:
        st.info(chart.takeaway)
        return None
    st.markdown(f"**{chart.takeaway}**")
    return st.plotly_chart(chart.figure, width="stretch", key=f"an_chart_{key}", **kwargs)


try:
    days = streak(db, me.id)
except StoreError as exc:
    days = None
    st.error(str(exc))
with st.expander(
    f"Review queue{f': {days}-day streak' if days else ''}. Every mistake comes back when "
    "it is due (FSRS spaced repetition)."
):
    if st.button("Show what is due today", key="an_due"):
        try:
            due = due_today(db, me.id)  # brings the queue up to date with new answers first
        except StoreError as exc:
            st.error(str(exc))
        else:
            st.metric("Due today", len(due))
            if due:
                st.dataframe(
                    pd.DataFrame({
                        "drill": [drill_name(i.drill) for i in due],
                        "spot": [i.spot for i in due],
                        "due (UTC)": [i.due[:16].replace("T", " ") for i in due],
                        "reviews": [i.reviews for i in due],
                        "lapses": [i.lapses for i in due],
                    }),
                    hide_index=True, width="stretch",
                )  # fmt: skip

show("sessions")

event = show("heatmap", on_select="rerun", selection_mode="points")
cells = an.blackjack_mistakes(frame) if charts["heatmap"].figure is not None else pd.DataFrame()
if not cells.empty:
    picked = None
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    for p in points:
        if p.get("customdata"):
            picked = tuple(p["customdata"][:2])
    ranked = cells[cells["mistakes"] > 0].sort_values("ev_lost", ascending=False)
    labels = [f"{h} v {d}" for h, d in zip(ranked["hand"], ranked["dealer"], strict=True)]
    if picked is not None and f"{picked[0]} v {picked[1]}" in labels:
        st.session_state["an_cell"] = f"{picked[0]} v {picked[1]}"
    if labels:
        cell = st.selectbox("Show the answers of (or click a cell above)", labels, key="an_cell")
        hand, dealer = cell.rsplit(" v ", 1)
        rows = an.blackjack_cell_attempts(frame, hand, dealer)
        shown = an.attempts_by_id(db, me.id, rows["id"].head(200))
        st.dataframe(
            pd.DataFrame({
                "when (UTC)": [r["created_at"][:16].replace("T", " ") for r in shown],
                "drill": [drill_name(r["drill"]) for r in shown],
                "cards": [f"{r['situation'].get('player', '')} v {r['situation'].get('dealer', '')}"
                          for r in shown],
                "you": [r["answer"] for r in shown],
                "best": [r["best"] for r in shown],
                "right": [r["correct"] for r in shown],
                "EV lost": [round(r["ev_loss"], 4) for r in shown],
            }),
            hide_index=True, width="stretch",
        )  # fmt: skip
        st.caption(f"{len(rows)} answers in {cell}; the latest {len(shown)} are listed.")

left, right = st.columns(2)
with left:
    show("counting")
with right:
    show("true_count")
show("equity")
show("poker_ev")

st.subheader("Your leaks")
UNITS = {"bj": "bets", "count": "count points", "poker": "chips or points"}


def practise(drill: str, spot: str, attempt_id: int, page: str) -> None:
    st.session_state["felt_practise"] = {"drill": drill, "spot": spot, "attempt_id": attempt_id}
    st.switch_page(page)


if leaks.empty:
    st.info(leak_table(leaks)[1])
else:
    # one tab per drill: EV units differ between drills, so spots are ranked within one
    drills_leaking = list(dict.fromkeys(leaks["drill"]))
    for tab, drill in zip(st.tabs([drill_name(d) for d in drills_leaking]), drills_leaking,
                          strict=True):  # fmt: skip
        part = leaks[leaks["drill"] == drill]
        table, takeaway = leak_table(part)
        family = drill.split("-")[0]
        page = DRILL_PAGES.get(family)
        exists = page is not None and (ROOT / page).exists()
        missing = None if exists else "This drill's page is not in this version yet."
        with tab:
            st.markdown(f"**{takeaway}** EV lost is in {UNITS.get(family, 'the drill')}.")
            for i, row in enumerate(part.head(8).itertuples(index=False)):
                c1, c2, c3, c4 = st.columns([4, 2, 2, 2], vertical_alignment="center")
                c1.markdown(f"**{row.spot}**")
                c2.markdown(f"{row.mistakes} of {row.attempts} missed")
                c3.markdown(f"{row.ev_lost:.2f} lost")
                if c4.button("Practise this", key=f"an_practise_{drill}_{i}",
                             disabled=not exists, help=missing):  # fmt: skip
                    practise(row.drill, row.spot, int(row.attempt_id), page)
            if len(part) > 8:
                with st.expander(f"All {len(part)} leaking spots"):
                    st.dataframe(table.drop(columns=["attempt_id", "last_id"]), hide_index=True,
                                 width="stretch")  # fmt: skip
