"""Plain records the store reads and writes: frozen dataclasses, JSON-able fields."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["GAMES", "SOURCES", "Attempt", "HandRecord", "Profile", "SessionSummary", "utc_now"]

GAMES = ("blackjack", "counting", "poker", "review")
SOURCES = ("upload", "manual")


def utc_now() -> str:
    """The current time as ISO 8601 UTC with milliseconds.

    >>> utc_now().endswith("+00:00") and utc_now()[10] == "T"
    True
    """
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Profile:
    """Who is training; ``settings`` holds per-profile preferences (the rule set, ...)."""

    id: int
    name: str
    created_at: str
    settings: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Attempt:
    """One answered drill question, graded.

    ``situation`` is the question (cards, count, rules; JSON-able), ``answer`` what the
    player chose, ``best`` the engine's answer, ``ev_loss`` the expected value the answer
    gave away (units of the drill: bets for blackjack, chips or percentage points for poker),
    ``response_ms`` the time from the question being shown to the answer.

    >>> a = Attempt("bj-strategy", {"player": "T6", "dealer": "T"}, "hit", "hit", True, 0.0, 850)
    >>> a.correct, a.created_at[:2]
    (True, '20')
    """

    drill: str
    situation: Mapping[str, Any]
    answer: str
    best: str
    correct: bool
    ev_loss: float
    response_ms: float
    created_at: str = field(default_factory=utc_now)


@dataclass(frozen=True)
class HandRecord:
    """A hand kept for review: the game state, where it came from, advice and outcome."""

    state: Mapping[str, Any]
    source: str
    recommendation: str
    action: str
    result: float | None = None
    image_hash: str | None = None
    created_at: str = field(default_factory=utc_now)


@dataclass(frozen=True)
class SessionSummary:
    """A training session at a glance (for the home page)."""

    id: int
    game: str
    started_at: str
    ended_at: str | None
    attempts: int
    correct: int
    ev_loss: float
    mean_response_ms: float | None
    profit: float | None
    settings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def accuracy(self) -> float | None:
        """Share of correct answers, None without attempts."""
        return self.correct / self.attempts if self.attempts else None
