"""Page frame helpers."""

from __future__ import annotations

import streamlit as st


def ensure_router() -> None:
    """Run this page through ``app.py`` even when the first visit after start-up opens it.

    Streamlit decides at start-up that an app with a ``pages/`` folder is an old-style
    multipage app, and keeps thinking so until ``st.navigation`` runs once. A server whose
    first visitor opens ``/counting`` directly would run the page without the router
    (no sidebar, no database migration). Clearing the flag and rerunning sends the
    request through ``app.py``, which routes it to this same page.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without the flag has no such problem
        return
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()
