"""Practise my leaks: the toggle every drill page shows and the next leak to serve.

The leaks are the review queue's due cards (``engine.store.review.due_items``) of the
page's drills, most overdue first. Analytics' "Practise this" puts ``{"drill", "spot",
"attempt_id"}`` in ``felt_practise``; the page whose drills include it claims it, turns the
mode on and serves that spot first, due or not. Answers are saved with ``save_attempt``
as usual: the queue grades the card when it next syncs, so an answered leak is no longer
due (a miss comes back after FSRS's learning step, a right answer days later).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

import streamlit as st

from engine.drills.practise import leak_order
from engine.store.analytics import attempts_by_id
from engine.store.review import due_items, review_items
from ui.state import current_profile, store

REQUEST = "felt_practise"


def claim_request(drills: Collection[str]) -> dict[str, Any] | None:
    """Take Analytics' "Practise this" request when it names one of ``drills``."""
    req = st.session_state.get(REQUEST)
    if isinstance(req, dict) and req.get("drill") in drills:
        return st.session_state.pop(REQUEST)
    return None


def practise_toggle(key: str, on_change: Callable[[], None]) -> bool:
    """The "Practise my leaks" switch (``on_change`` clears the question on the table)."""
    return st.toggle(
        "Practise my leaks", key=key, on_change=on_change, persist_state="session",
        help="Serve the spots you missed that are due again (spaced repetition) first.",
    )  # fmt: skip


def next_leak(
    drills: Collection[str], first: dict[str, Any] | None = None
) -> tuple[str, str, dict[str, Any]] | None:
    """(drill, spot, stored situation) to ask next: the spot ``first`` asks for, else the
    most overdue due card of ``drills``; None when nothing is due. Raises StoreError."""
    db, me = store(), current_profile()
    due = [i for i in due_items(db, me.id) if i.drill in drills]
    want = (first["drill"], first["spot"]) if first else None
    due = leak_order(due, want)
    if want is not None and not (due and (due[0].drill, due[0].spot) == want):
        # asked for a spot that is not due (yet): its card, else the attempt itself
        for item in review_items(db, me.id, want[0]):
            if item.spot == want[1]:
                return item.drill, item.spot, dict(item.situation)
        rows = attempts_by_id(db, me.id, [first.get("attempt_id") or 0])
        if rows:
            return rows[0]["drill"], want[1], rows[0]["situation"]
    return (due[0].drill, due[0].spot, dict(due[0].situation)) if due else None


def nothing_due(key: str, on_change: Callable[[], None]) -> None:
    """Say nothing is due and offer the normal drill (turns the toggle ``key`` off)."""

    def normal() -> None:
        st.session_state[key] = False
        on_change()

    st.info("Nothing is due for review in this drill: every spot you missed is scheduled for "
            "later. Play the normal drill meanwhile.")  # fmt: skip
    st.button("Play the normal drill", key=f"{key}_normal", on_click=normal, type="primary")
