"""Home: what Felt is, what to practise, the last sessions at a glance."""

import pandas as pd
import streamlit as st

from engine.drills.progress import drill_name, practice_suggestion
from engine.errors import StoreError
from engine.store.review import due_today, pending_reviews, streak, sync_in_background
from ui.frame import ensure_router
from ui.state import current_profile, show_unsaved, store

BACKLOG = 5_000  # answers not yet in the review queue: more than this, grade them aside

ensure_router()
st.title("♠ Felt")
st.markdown(
    "A self-hosted study tool for **blackjack** and **Texas Hold'em**. Every answer is graded "
    "by its exact cost in expected value and kept, so you can see where you leak."
)
show_unsaved()

try:
    me = current_profile()
    stats = store().drill_stats(me.id)
    recent = store().recent_sessions(me.id, limit=8)
    # a long backlog (an imported history) is graded in the background: the page shows the
    # queue as it stands instead of waiting seconds for it
    backlog = pending_reviews(store(), me.id)
    grading = backlog > BACKLOG and sync_in_background(store(), me.id)
    due, days = due_today(store(), me.id, sync=not grading), streak(store(), me.id)
except StoreError as exc:
    st.error(str(exc))
    st.stop()

st.subheader(f"What to practise, {me.name}")
st.info(practice_suggestion(stats))
st.caption(f"Review queue: {len(due)} spot(s) due today. Streak: {days} day(s).")
if grading:
    st.caption(f"Grading {backlog:,} earlier answers into the review queue in the background; "
               "reload to see the queue fill in.")  # fmt: skip

if stats:
    cols = st.columns(min(len(stats), 4))
    for col, s in zip(cols, stats[:4], strict=False):
        col.metric(
            drill_name(s["drill"]),
            f"{s['accuracy']:.0%}",
            f"{s['attempts']} answers",
            delta_color="off",
            delta_arrow="off",
        )

st.subheader("Last sessions")
if not recent:
    st.caption("No answers yet: pick a drill in the menu on the left.")
else:
    table = pd.DataFrame(
        {
            "started (UTC)": [s.started_at[:16].replace("T", " ") for s in recent],
            "game": [s.game for s in recent],
            "answers": [s.attempts for s in recent],
            "correct": [f"{s.accuracy:.0%}" if s.accuracy is not None else "" for s in recent],
            "EV lost": [round(s.ev_loss, 4) for s in recent],
            "mean time (s)": [
                round(s.mean_response_ms / 1000, 2) if s.mean_response_ms else None for s in recent
            ],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
