"""What to practise next, from a profile's per-drill statistics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["DRILL_NAMES", "drill_name", "practice_suggestion"]

DRILL_NAMES = {
    "bj-strategy": "Blackjack strategy",
    "bj-deviations": "Blackjack index plays",
    "count-running": "Running count",
    "count-true": "True count conversion",
    "poker-equity": "Equity estimation",
    "poker-pot-odds": "Pot odds",
    "poker-push-fold": "Push/fold",
}


def drill_name(drill: str) -> str:
    """A drill's name for people.

    >>> drill_name("bj-strategy"), drill_name("something-new")
    ('Blackjack strategy', 'something-new')
    """
    return DRILL_NAMES.get(drill, drill)


def practice_suggestion(stats: Sequence[Mapping[str, Any]], min_attempts: int = 10) -> str:
    """One sentence on what to practise next.

    ``stats`` are rows with ``drill``, ``attempts`` and ``accuracy`` (0..1): drills with
    fewer than ``min_attempts`` answers come first (not enough evidence yet), then the
    drill with the lowest accuracy.

    >>> practice_suggestion([])
    'Start with Blackjack strategy: every answer is graded by its exact cost in EV.'
    >>> practice_suggestion([{"drill": "bj-strategy", "attempts": 40, "accuracy": 0.9},
    ...                      {"drill": "count-running", "attempts": 30, "accuracy": 0.6}])
    'Practise Running count next: 60% correct over 30 answers, your weakest drill.'
    """
    if not stats:
        return "Start with Blackjack strategy: every answer is graded by its exact cost in EV."
    fresh = [s for s in stats if s["attempts"] < min_attempts]
    if fresh:
        s = min(fresh, key=lambda s: s["attempts"])
        return (
            f"Keep going with {drill_name(s['drill'])}: {s['attempts']} answer(s) so far, "
            f"{min_attempts} give a first picture."
        )
    s = min(stats, key=lambda s: (s["accuracy"], -s["attempts"]))
    return (
        f"Practise {drill_name(s['drill'])} next: {s['accuracy']:.0%} correct over "
        f"{s['attempts']} answers, your weakest drill."
    )
