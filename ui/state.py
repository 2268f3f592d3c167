"""Per-browser-session state: the store, the current profile, unsaved attempts.

A graded answer is never lost: ``save_attempt`` queues it in session state and writes the
queue in one transaction; when the database is locked or unwritable the answers stay queued,
the page shows the store's message, and the next answer (or the retry button) writes them.
"""

from __future__ import annotations

import streamlit as st

from engine.errors import StoreError
from engine.store import Attempt, Profile, Store, thread_store

PENDING = "felt_pending_attempts"
SESSIONS = "felt_game_sessions"
PROFILE = "felt_profile_id"


def store() -> Store:
    """This thread's store (raises StoreError with a message for a person)."""
    return thread_store()


def current_profile() -> Profile:
    """The profile chosen in the sidebar, else the default one."""
    db = store()
    pid = st.session_state.get(PROFILE)
    if pid is not None:
        try:
            return db.profile(pid)
        except StoreError:
            st.session_state.pop(PROFILE, None)
    profile = db.default_profile()
    st.session_state[PROFILE] = profile.id
    return profile


def set_profile(profile_id: int) -> None:
    """Switch profile: later answers open sessions under it."""
    st.session_state[PROFILE] = profile_id
    st.session_state[SESSIONS] = {}


def _session_id(db: Store, game: str, settings: dict) -> int:
    sessions: dict = st.session_state.setdefault(SESSIONS, {})
    profile = current_profile()
    key = f"{profile.id}:{game}"
    if key not in sessions:
        sessions[key] = db.start_session(profile.id, game, settings)
    return sessions[key]


def save_attempt(game: str, attempt: Attempt, settings: dict | None = None) -> bool:
    """Queue ``attempt`` and write every queued attempt; False (and a message) on failure."""
    st.session_state.setdefault(PENDING, []).append((game, attempt, settings or {}))
    return flush_attempts()


def flush_attempts() -> bool:
    """Write the queued attempts, one transaction per game session. True when none is left."""
    pending: list = st.session_state.get(PENDING, [])
    if not pending:
        return True
    try:
        db = store()
        games = sorted({g for g, _, _ in pending})
        for game in games:
            batch = [a for g, a, _ in pending if g == game]
            settings = next(s for g, _, s in pending if g == game)
            db.record_attempts(_session_id(db, game, settings), batch)
            st.session_state[PENDING] = pending = [p for p in pending if p[0] != game]
    except StoreError as exc:
        st.session_state["felt_store_error"] = str(exc)
        return False
    st.session_state.pop("felt_store_error", None)
    return True


def show_unsaved() -> None:
    """Show the store's message and a retry button while answers wait to be saved."""
    pending = st.session_state.get(PENDING, [])
    if not pending:
        return
    message = st.session_state.get("felt_store_error", "The database is not available.")
    st.error(f"{message} {len(pending)} answer(s) are kept and will be saved on the next try.")
    st.button("Retry saving", key="felt_retry_save", on_click=flush_attempts)
