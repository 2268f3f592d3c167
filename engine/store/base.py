"""The store's interface: what the app needs from persistence, independent of the backend.

SQLite (``engine.store.sqlite``) and PostgreSQL (``engine.store.postgres``, for deployments
with several replicas) implement it with the same SQL (``engine.store.shared``), so pages
never change.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Mapping
from typing import Any

from engine.store.models import Attempt, HandRecord, Profile, SessionSummary

__all__ = ["Store"]


class Store(abc.ABC):
    """Repository of profiles, sessions, drill attempts and hand history.

    Every method raises ``StoreError`` (with a message for a person) when the database
    cannot be read or written. Writes are atomic: a call either stores everything it was
    given or nothing.
    """

    location: str

    @abc.abstractmethod
    def migrate(self) -> list[str]:
        """Apply pending schema migrations; return the names of those applied now."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the connection. The store is unusable afterwards."""

    @abc.abstractmethod
    def status(self) -> dict[str, Any]:
        """What a deployment's health check and metrics report, read in one transaction.

        Keys: ``backend``, ``location``, ``migrations_pending`` (names not applied),
        ``size_bytes`` (None where unknown), ``profiles``, ``sessions``, ``hands`` (source ->
        count), ``review_items``, ``review_due`` (due now), and ``drills``: drill -> dict
        of ``attempts``, ``mistakes`` and ``ev_lost``.
        """

    # profiles
    @abc.abstractmethod
    def profiles(self) -> list[Profile]:
        """Every profile, oldest first."""

    @abc.abstractmethod
    def profile(self, profile_id: int) -> Profile:
        """One profile by id."""

    @abc.abstractmethod
    def default_profile(self) -> Profile:
        """The first profile, created (named "Player") when there is none."""

    @abc.abstractmethod
    def create_profile(self, name: str, settings: Mapping[str, Any] | None = None) -> Profile:
        """A new profile; the name must be non-empty and unused."""

    @abc.abstractmethod
    def update_profile_settings(self, profile_id: int, settings: Mapping[str, Any]) -> Profile:
        """Merge ``settings`` into the profile's settings."""

    @abc.abstractmethod
    def delete_profile(self, profile_id: int) -> None:
        """Delete a profile with all its sessions, attempts and hands."""

    # sessions and attempts
    @abc.abstractmethod
    def start_session(
        self, profile_id: int, game: str, settings: Mapping[str, Any] | None = None
    ) -> int:
        """Open a training session; returns its id."""

    @abc.abstractmethod
    def end_session(self, session_id: int, profit: float | None = None) -> None:
        """Close a session, with the profit/loss in bets for play modes."""

    @abc.abstractmethod
    def record_attempts(self, session_id: int, attempts: Iterable[Attempt]) -> list[int]:
        """Store graded attempts in one transaction; returns their ids."""

    def record_attempt(self, session_id: int, attempt: Attempt) -> int:
        """Store one graded attempt (with its EV loss and response time) atomically."""
        return self.record_attempts(session_id, [attempt])[0]

    @abc.abstractmethod
    def attempts(
        self,
        profile_id: int,
        *,
        drill: str | None = None,
        session_id: int | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """A profile's attempts, newest first, JSON columns decoded."""

    @abc.abstractmethod
    def recent_sessions(self, profile_id: int, limit: int = 5) -> list[SessionSummary]:
        """The profile's latest sessions with their attempt totals, newest first."""

    @abc.abstractmethod
    def drill_stats(self, profile_id: int) -> list[dict[str, Any]]:
        """Per drill: attempts, accuracy, mean EV loss and mean response time."""

    # hand history
    @abc.abstractmethod
    def record_hand(self, session_id: int, hand: HandRecord) -> int:
        """Store a hand for review; returns its id."""

    @abc.abstractmethod
    def hands(self, profile_id: int, limit: int | None = None) -> list[dict[str, Any]]:
        """A profile's stored hands, newest first."""

    @abc.abstractmethod
    def export_profile(self, profile_id: int) -> dict[str, Any]:
        """Everything stored for a profile as JSON-able data."""
