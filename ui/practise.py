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
from typing import Any, TypeVar

import streamlit as st

from engine.drills.practise import leak_order
from engine.errors import FeltError
from engine.store.analytics import attempts_by_id
from engine.store.review import due_items, review_items
from ui.state import current_profile, store

REQUEST = "felt_practise"
SKIPPED = "felt_practise_skipped"
T = TypeVar("T")


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


def _candidates(db: Any, pid: int, drills: Collection[str], first: dict[str, Any] | None):
    """(drill, spot, situation) in serving order: the spot asked for, then the due ones."""
    due = [i for i in due_items(db, pid) if i.drill in drills]
    want = (first["drill"], first["spot"]) if first else None
    due = leak_order(due, want)
    if want is not None and not (due and (due[0].drill, due[0].spot) == want):
        # asked for a spot that is not due (yet): its card, else the attempt itself
        card = [i for i in review_items(db, pid, want[0]) if i.spot == want[1]]
        if card:
            yield card[0].drill, card[0].spot, dict(card[0].situation)
        else:
            for row in attempts_by_id(db, pid, [first.get("attempt_id") or 0]):
                yield row["drill"], want[1], row["situation"]
    for item in due:
        yield item.drill, item.spot, dict(item.situation)


def next_leak(
    drills: Collection[str], first: dict[str, Any] | None, rebuild: Callable[[Any], T]
) -> tuple[str, str, T] | None:
    """(drill, spot, question) to ask next: the spot ``first`` asks for, else the most
    overdue due card of ``drills``, rebuilt by ``rebuild(situation)``; None when nothing is
    due. A situation that cannot be rebuilt (stored by an older version, damaged) is
    skipped and named in ``felt_practise_skipped``. Raises StoreError."""
    skipped: list[str] = []
    st.session_state[SKIPPED] = skipped
    for drill, spot, situation in _candidates(store(), current_profile().id, drills, first):
        try:
            return drill, spot, rebuild(situation)
        except FeltError as exc:
            skipped.append(f"{spot} ({exc})")
    return None


def nothing_due(key: str, on_change: Callable[[], None]) -> None:
    """Say nothing is due and offer the normal drill (turns the toggle ``key`` off)."""

    def normal() -> None:
        st.session_state[key] = False
        on_change()

    st.info("Nothing is due for review in this drill: every spot you missed is scheduled for "
            "later. Play the normal drill meanwhile.")  # fmt: skip
    if skipped := st.session_state.get(SKIPPED):
        st.caption("Due but not rebuildable, skipped: " + "; ".join(skipped))
    st.button("Play the normal drill", key=f"{key}_normal", on_click=normal, type="primary")
