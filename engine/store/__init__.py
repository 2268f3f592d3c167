"""Persistence: profiles, training sessions, graded drill attempts and hand history.

``Store`` is the interface the app codes against; ``SqliteStore`` implements it over one
SQLite file (sqlite-utils, WAL, migrations applied at start-up into a ``migrations``
table). ``open_store()`` picks the backend from a path or URL: a file path (default
``$FELT_DB`` or ``data/felt.db``) is SQLite; PostgreSQL URLs are the place for a second
backend behind the same interface.
"""

from __future__ import annotations

import os

from engine.errors import StoreError
from engine.store.base import Store
from engine.store.models import (
    GAMES,
    Attempt,
    HandRecord,
    Profile,
    SessionSummary,
    utc_now,
)
from engine.store.sqlite import SqliteStore, close_thread_stores, default_db_path, thread_store

__all__ = [
    "GAMES",
    "Attempt",
    "HandRecord",
    "Profile",
    "SessionSummary",
    "SqliteStore",
    "Store",
    "StoreError",
    "close_thread_stores",
    "default_db_path",
    "open_store",
    "thread_store",
    "utc_now",
]


def open_store(target: str | os.PathLike[str] | None = None, **options: object) -> Store:
    """Open the store at ``target`` (a file path; default ``$FELT_DB`` or ``data/felt.db``).

    >>> open_store("postgresql://db/felt")
    Traceback (most recent call last):
    ...
    engine.errors.StoreError: PostgreSQL is not supported yet: set FELT_DB to a SQLite file path.
    """
    text = str(target) if target is not None else str(default_db_path())
    if text.startswith(("postgres://", "postgresql://")):
        raise StoreError("PostgreSQL is not supported yet: set FELT_DB to a SQLite file path.")
    return SqliteStore(text, **options)  # type: ignore[arg-type]
