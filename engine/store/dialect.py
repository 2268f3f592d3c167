"""Where SQLite and PostgreSQL differ, in small helpers; everything else is shared SQL.

The shared modules (the stores, ``analytics``, ``review``, ``export``) talk to a database
object with sqlite-utils' small surface: ``execute(sql, params)`` (a cursor with
``fetchone``, ``fetchall``, ``rowcount`` and ``lastrowid``), ``query(sql, params)`` (dict
rows), ``atomic()`` (a transaction, or a savepoint inside one) and ``conn.executemany``.
SQLite passes sqlite-utils' ``Database``; PostgreSQL passes ``PgDatabase`` (in
``engine.store.postgres``), which takes the same ``?`` placeholders. What the shared SQL
cannot say in both dialects (JSON fields, the write lock, identity of a database) is here.
"""

from __future__ import annotations

import contextlib
import sqlite3
import zlib
from collections.abc import Iterator
from typing import Any

__all__ = [
    "DB_ERRORS",
    "PostgresError",
    "database_key",
    "is_postgres",
    "json_field",
    "lock_key",
    "snapshot",
    "write_transaction",
]


class PostgresError(Exception):
    """A PostgreSQL error, its message already written for a person (password masked).

    ``sqlstate`` is the server's error code (``40001`` serialization failure, ...), or None
    for errors of the connection itself.
    """

    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


# what the shared modules catch and turn into StoreError
DB_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, PostgresError)


def is_postgres(d: Any) -> bool:
    """Whether ``d`` (a database object of a store) is PostgreSQL."""
    return getattr(d, "dialect", "sqlite") == "postgresql"


def json_field(d: Any, column: str, key: str) -> str:
    """SQL for one top-level field of a JSON column: text for a JSON string, JSON text for
    an object or array, NULL when missing (``json_extract`` in SQLite, ``->>`` in Postgres).

    >>> json_field(None, "s.settings", "rules")
    "json_extract(s.settings, '$.rules')"
    """
    if not key.isidentifier():
        raise ValueError(f"{key!r} is not a plain JSON key")
    if is_postgres(d):
        return f"{column}->>'{key}'"
    return f"json_extract({column}, '$.{key}')"


def database_key(d: Any) -> str:
    """A name for the database behind ``d``, the same for every connection to it (the
    key of in-process locks): the file for SQLite, the masked URL for PostgreSQL."""
    if is_postgres(d):
        return d.location
    path = d.execute("PRAGMA database_list").fetchone()[2]
    return path or f"memory:{id(d.conn)}"


@contextlib.contextmanager
def write_transaction(d: Any, lock: int | None = None) -> Iterator[None]:
    """A transaction that takes the write lock first, so it never fails to upgrade a read.

    SQLite: ``BEGIN IMMEDIATE`` (waiting up to the store's timeout for another writer);
    inside an open transaction, a savepoint. PostgreSQL: a transaction holding the
    advisory lock ``lock`` (when given) until it ends, so replicas take turns.
    """
    if is_postgres(d):
        with d.atomic():
            if lock is not None:
                d.execute("SELECT pg_advisory_xact_lock(?)", [lock])
            yield
        return
    if d.conn.in_transaction:
        with d.atomic():
            yield
        return
    d.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        d.execute("ROLLBACK")
        raise
    d.execute("COMMIT")


@contextlib.contextmanager
def snapshot(d: Any) -> Iterator[None]:
    """A read-only transaction whose queries all see one state of the database.

    SQLite's transactions are snapshots already; PostgreSQL's default (read committed)
    gives each statement its own, so this asks for repeatable read there.
    """
    if is_postgres(d) and not d.in_transaction:
        with d.atomic():
            d.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield
        return
    with d.atomic():
        yield


def lock_key(*parts: object) -> int:
    """A stable 32-bit key for a PostgreSQL advisory lock named by ``parts``.

    >>> lock_key("felt", "review-sync", 1) == lock_key("felt", "review-sync", 1)
    True
    """
    return zlib.crc32("/".join(map(str, parts)).encode())
