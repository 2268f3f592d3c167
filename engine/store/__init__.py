"""Persistence: profiles, training sessions, graded drill attempts and hand history.

``Store`` is the interface the app codes against, with two backends behind it:
``SqliteStore`` over one SQLite file (sqlite-utils, WAL) and ``PostgresStore`` over a
PostgreSQL database (psycopg), for deployments with several replicas. Both apply the same
migrations at start-up into a ``migrations`` table. ``open_store()`` and
``thread_store()`` pick the backend from ``FELT_DB`` (or the target given): a URL that
starts ``postgres://`` or ``postgresql://`` is PostgreSQL, anything else a SQLite file
(default ``data/felt.db``).
"""

from __future__ import annotations

import os
import threading

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
from engine.store.postgres import PostgresStore, is_postgres_url, mask_url
from engine.store.sqlite import SqliteStore, default_db_path

__all__ = [
    "GAMES",
    "Attempt",
    "HandRecord",
    "PostgresStore",
    "Profile",
    "SessionSummary",
    "SqliteStore",
    "Store",
    "StoreError",
    "close_thread_stores",
    "default_db_path",
    "default_target",
    "is_postgres_url",
    "mask_url",
    "open_store",
    "thread_store",
    "utc_now",
]


def default_target() -> str:
    """What ``FELT_DB`` names: a PostgreSQL URL as given, else the SQLite file's path
    (``data/felt.db`` in the project when unset)."""
    env = os.environ.get("FELT_DB", "").strip()
    return env if is_postgres_url(env) else str(default_db_path())


def _target(target: str | os.PathLike[str] | None) -> str:
    if target is None:
        return default_target()
    text = os.fspath(target)
    return text if is_postgres_url(text) else str(os.path.expanduser(text))


def open_store(
    target: str | os.PathLike[str] | None = None, *, migrate: bool = True, timeout: float = 2.0
) -> Store:
    """Open the store at ``target`` (default ``FELT_DB``): a postgresql:// URL or a file.

    >>> open_store("postgresql://felt:s3cret@127.0.0.1:1/felt", timeout=0.2)
    Traceback (most recent call last):
    ...
    engine.errors.StoreError: Cannot reach the PostgreSQL server at postgresql://felt:***@127.0.0.1:1/felt: is it running, and are FELT_DB's host and port right?
    """  # noqa: E501
    text = _target(target)
    if is_postgres_url(text):
        return PostgresStore(text, migrate=migrate, timeout=timeout)
    return SqliteStore(text, migrate=migrate, timeout=timeout)


_local = threading.local()
_migrated: set[str] = set()
_migrate_lock = threading.Lock()


def thread_store(target: str | os.PathLike[str] | None = None) -> Store:
    """The calling thread's store for ``target`` (default ``FELT_DB``, see ``open_store``).

    Opened on first use in each thread (a SQLite connection belongs to its thread; a
    psycopg connection serves one thread at a time); migrations run once per database
    per process.
    """
    key = _target(target)
    stores: dict[str, Store] = getattr(_local, "stores", None) or {}
    _local.stores = stores
    store = stores.get(key)
    if store is None:
        with _migrate_lock:
            store = open_store(key, migrate=key not in _migrated)
            _migrated.add(key)
        stores[key] = store
    return store


def close_thread_stores() -> None:
    """Close the calling thread's stores (tests and shutdown)."""
    for store in getattr(_local, "stores", {}).values():
        store.close()
    _local.stores = {}
