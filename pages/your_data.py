"""Your data: export a profile (JSON, CSV), import a JSON export, delete a profile."""

import streamlit as st

from engine.errors import StoreError
from engine.store.export import CSV_TABLES, delete_profile, export_csv, export_json, import_profile
from ui.frame import ensure_router
from ui.state import current_profile, set_profile, show_unsaved, store

ensure_router()
st.title("Your data")
st.caption(
    "Everything Felt keeps about you, to take away, bring back or delete. The database is a "
    "plain SQLite file that sqlite-utils and Datasette read as it is."
)
show_unsaved()

try:
    me = current_profile()
    db = store()
except StoreError as exc:
    st.error(str(exc))
    st.stop()

CSV_NAMES = {"drill_attempts": "answers", "hand_history": "hands", "game_sessions": "sessions",
             "review_items": "review queue"}  # fmt: skip

st.subheader(f"Export {me.name}")
st.markdown(
    "**JSON** holds everything (sessions, answers, hands, review queue) and imports back. "
    "**CSV** is one table per file for spreadsheets."
)
pid = me.id


def json_file() -> str:  # built when the button is clicked, on that thread's connection
    return export_json(store(), pid)


def csv_file(table: str):
    return lambda: export_csv(store(), pid, table)


c = st.columns(1 + len(CSV_TABLES))
c[0].download_button("JSON (everything)", json_file, f"felt-{me.name}.json",
                     mime="application/json", key="yd_json")  # fmt: skip
for col, table in zip(c[1:], CSV_TABLES, strict=True):
    col.download_button(f"CSV: {CSV_NAMES[table]}", csv_file(table),
                        f"felt-{me.name}-{CSV_NAMES[table].replace(' ', '-')}.csv",
                        mime="text/csv", key=f"yd_csv_{table}")  # fmt: skip

st.subheader("Import")
upload = st.file_uploader("A Felt JSON export", type=["json"], key="yd_upload")
if upload is not None and st.button("Import as a new profile", key="yd_import"):
    try:
        new = import_profile(db, upload.getvalue())
    except StoreError as exc:
        st.error(str(exc))
    else:
        set_profile(new.id)
        st.success(f"Imported as profile {new.name!r}, now selected.")

st.subheader("Delete")
with st.expander(f"Delete {me.name} and everything of it"):
    st.warning(
        f"This removes {me.name!r} with every session, answer, hand and review card. "
        "Export first if you may want it back. It cannot be undone."
    )
    confirm = st.text_input("Type the profile name to confirm", key="yd_confirm")
    if st.button("Delete for good", type="primary", disabled=confirm != me.name, key="yd_delete"):
        try:
            delete_profile(db, me.id, confirm)
            set_profile(db.default_profile().id)
        except StoreError as exc:
            st.error(str(exc))
        else:
            st.session_state.pop("yd_confirm", None)
            st.rerun()
