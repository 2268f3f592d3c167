"""Settings and data: the profile, where the data lives, export and delete."""

import json
import pathlib

import pandas as pd
import streamlit as st

from engine.errors import StoreError
from ui.frame import ensure_router
from ui.rules import current_rules, rules_editor
from ui.state import current_profile, set_profile, show_unsaved, store

ensure_router()
st.title("Settings & data")
show_unsaved()

try:
    me = current_profile()
    db = store()
    data = db.export_profile(me.id)
except StoreError as exc:
    st.error(str(exc))
    st.stop()

st.subheader("Blackjack rules")
rules = current_rules()
st.markdown(f"Drills use **{rules.describe()}** for {me.name} (also chosen in the sidebar).")
rules_editor(rules)

st.subheader("Where your data lives")
if getattr(db, "backend", "sqlite") == "postgresql":  # location: the URL, password masked
    st.markdown(
        f"PostgreSQL database `{db.location}`. The `FELT_DB` environment variable names it; "
        "set it to a file path instead to keep the data in a SQLite file."
    )
else:
    path = pathlib.Path(db.location)
    st.markdown(
        f"SQLite database `{db.location}`"
        + (f" ({path.stat().st_size / 1024:.0f} KiB)" if path.exists() else "")
        + ". Set the `FELT_DB` environment variable before starting Felt to keep it elsewhere "
        "(a file path, or a `postgresql://` URL)."
    )

st.subheader(f"Profile: {me.name}")
c1, c2, c3 = st.columns(3)
c1.metric("Sessions", len(data["game_sessions"]))
c2.metric("Answers", len(data["drill_attempts"]))
c3.metric("Hands kept", len(data["hand_history"]))

st.download_button(
    "Export everything (JSON)",
    json.dumps(data, indent=1),
    file_name=f"felt-{me.name}.json",
    mime="application/json",
)
if data["drill_attempts"]:
    attempts = pd.DataFrame(data["drill_attempts"])
    attempts["situation"] = attempts["situation"].map(json.dumps)
    st.download_button(
        "Export answers (CSV)",
        attempts.to_csv(index=False),
        file_name=f"felt-{me.name}-answers.csv",
        mime="text/csv",
    )

with st.expander("Delete this profile and all its data"):
    st.warning(
        f"This removes {me.name!r} with every session, answer and hand. It cannot be undone."
    )
    confirm = st.text_input("Type the profile name to confirm", key="felt_delete_confirm")
    if st.button("Delete profile", type="primary", disabled=confirm != me.name):
        try:
            db.delete_profile(me.id)
            set_profile(db.default_profile().id)
        except StoreError as exc:
            st.error(str(exc))
        else:
            st.rerun()
