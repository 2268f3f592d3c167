"""The sidebar shared by every page: profile (create, switch)."""

from __future__ import annotations

import streamlit as st

from engine.errors import StoreError
from ui.state import current_profile, set_profile, store


def _create_profile() -> None:
    name = st.session_state.get("felt_new_profile", "")
    try:
        profile = store().create_profile(name)
    except StoreError as exc:
        st.session_state["felt_profile_error"] = str(exc)
        return
    st.session_state.pop("felt_profile_error", None)
    st.session_state["felt_new_profile"] = ""
    set_profile(profile.id)


def profile_sidebar() -> None:
    """Choose or create the profile whose answers are recorded."""
    try:
        profiles = store().profiles()
        me = current_profile()
    except StoreError as exc:
        st.sidebar.error(str(exc))
        return
    if not profiles:
        profiles = [me]
    ids = [p.id for p in profiles]
    names = {p.id: p.name for p in profiles}
    with st.sidebar:
        chosen = st.selectbox(
            "Profile",
            ids,
            index=ids.index(me.id),
            format_func=names.__getitem__,
            key=f"felt_profile_pick_{me.id}",
        )
        if chosen != me.id:
            set_profile(chosen)
            st.rerun()
        with st.popover("New profile"):
            st.text_input("Name", key="felt_new_profile", max_chars=60)
            st.button("Create", on_click=_create_profile, key="felt_create_profile")
        if err := st.session_state.get("felt_profile_error"):
            st.error(err)
